#!/usr/bin/env bash
# Logging throughput and what a match pays, SQLite against PostgreSQL, in one run:
#   scripts/with-postgres.sh bash Benchmarks/log_backends.sh [ROWS]
# (with-postgres.sh starts a throw-away PostgreSQL server on loopback, default settings.)
# For each backend: ROWS rows written one by one (`QuestionLog.record`, a commit each), then
# ROWS rows through a `QuestionRecorder` (a match pays its `record` call; the writer batches);
# then 3 processes x 4 threads x 2,000 synchronous rows at once. Builds QuestionLogStress.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-5000}
: "${CHATBOT_TEST_POSTGRESQL:?run under scripts/with-postgres.sh}"
CHATBOT_CPU_FLAGS=1 swift build -c release --product QuestionLogStress >/dev/null
S=.build/release/QuestionLogStress
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
echo "== SQLite"; $S "$d/bench.db" bench "$rows"
echo "== PostgreSQL"; $S "$CHATBOT_TEST_POSTGRESQL" bench "$rows"
for loc in "$d/multi.db" "$CHATBOT_TEST_POSTGRESQL"; do
    t0=$(date +%s.%N)
    for p in 0 1 2; do $S "$loc" 4 2000 "m$p" >/dev/null & done
    wait
    t1=$(date +%s.%N)
    echo "3 processes x 4 threads x 2000 synchronous rows into $loc: $(python3 -c "print(round(24000 / ($t1 - $t0)))") rows/s"
done
