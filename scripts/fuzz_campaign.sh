#!/usr/bin/env bash
# One long fuzzing campaign (docs/fuzzing.md, "Campaigns"): TARGET alone, one process (one
# core), nice -n 10, until 10M executions or SECONDS (default 3600). Needs `make fuzz-build`.
#   scripts/fuzz_campaign.sh TARGET [SECONDS]
# Corpus: .build-fuzz/campaign/corpus/TARGET (+ the committed seeds, read only); findings:
# .build-fuzz/campaign/artifacts/TARGET/; log: .build-fuzz/campaign/logs/TARGET.log, whose last
# lines (stat::number_of_executed_units, average_exec_per_sec, the last "cov:") go in the table.
set -euo pipefail
cd "$(dirname "$0")/.."
t=$1; secs=${2:-3600}
D=.build-fuzz/campaign
mkdir -p "$D/corpus/$t" "$D/artifacts/$t" "$D/logs"
max_len=$(sed -n "s/.*\\b$t\\b.*echo \\([0-9]*\\).*/\\1/p" scripts/fuzz.sh | head -1)
export SWIFT_BACKTRACE=enable=no
set -x
exec nice -n 10 .build-fuzz/release/"$t" "$D/corpus/$t" "Tests/Fuzz/corpus/$t" \
    -max_len="${max_len:-4096}" -timeout=10 -rss_limit_mb=2048 -max_total_time="$secs" -runs=10000000 \
    -artifact_prefix="$D/artifacts/$t/" -print_final_stats=1 -close_fd_mask=1 >"$D/logs/$t.log" 2>&1
