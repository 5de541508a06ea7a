#!/usr/bin/env bash
# Long fuzzing campaigns (docs/fuzzing.md, "Campaigns"): each TARGET alone, one process (one
# core), nice -n 10, until 10M executions or SECONDS (default 3600), one after another.
# Needs `make fuzz-build`; each binary is copied first, so that rebuilding meanwhile is safe.
#   scripts/fuzz_campaign.sh [-s SECONDS] TARGET...
# Corpus: .build-fuzz/campaign/corpus/TARGET (+ the committed seeds, read only); findings:
# .build-fuzz/campaign/artifacts/TARGET/; log: .build-fuzz/campaign/logs/TARGET.log; one
# summary line per target (executions, exec/s, seconds, cov, findings, command) appended to
# .build-fuzz/campaign/summary.txt.
set -uo pipefail
cd "$(dirname "$0")/.."
secs=3600
if [ "${1:-}" = "-s" ]; then secs=$2; shift 2; fi
D=.build-fuzz/campaign
mkdir -p "$D/logs" "$D/bin"
export SWIFT_BACKTRACE=enable=no
for t in "$@"; do
    mkdir -p "$D/corpus/$t" "$D/artifacts/$t"
    cp .build-fuzz/release/"$t" "$D/bin/$t"
    max_len=$(sed -n "s/.*\\b$t\\b.*echo \\([0-9]*\\).*/\\1/p" scripts/fuzz.sh | head -1)
    cmd=(nice -n 10 "$D/bin/$t" "$D/corpus/$t" "Tests/Fuzz/corpus/$t"
         -max_len="${max_len:-4096}" -timeout=10 -rss_limit_mb=2048 -max_total_time="$secs" -runs=10000000
         -artifact_prefix="$D/artifacts/$t/" -print_final_stats=1 -close_fd_mask=1)
    start=$SECONDS
    echo "$(date -u +%FT%TZ) start: ${cmd[*]}" > "$D/logs/$t.log"
    "${cmd[@]}" >>"$D/logs/$t.log" 2>&1
    status=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$D/logs/$t.log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$D/logs/$t.log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$D/logs/$t.log" | tail -1 | cut -d' ' -f2)
    # Findings: crash-, leak-, timeout-, oom-. slow-unit- files (an input over 10 s once,
    # possibly a stall of a loaded machine) are counted apart: replay them to judge.
    found=$(find "$D/artifacts/$t" -type f ! -name 'slow-unit-*' | wc -l)
    slow=$(find "$D/artifacts/$t" -type f -name 'slow-unit-*' | wc -l)
    echo "$t execs=${execs:-?} exec/s=${rate:-?} seconds=$((SECONDS - start)) cov=${cov:-?} exit=$status artifacts=$found slow=$slow end=$(date -u +%FT%TZ)" | tee -a "$D/summary.txt"
done
