#!/usr/bin/env bash
# Opening an index, one library against another in one run: p50/p99 wall time of
# cb_engine_open and the resident memory one open engine adds, on the demo index and on
# MASSIVE fr-FR's full kb (../shared/data/massive-fr, with and without word vectors when
# `make word-vectors` has run).
#   bash Benchmarks/bench_open.sh NEW_LIB_DIR [OLD_LIB_DIR]
# Each *_LIB_DIR holds a libchatbot.so (e.g. .build/release, or a worktree's .build/release).
set -euo pipefail
cd "$(dirname "$0")/.."
new=$1; old=${2:-}
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
cc -O2 -I Include Benchmarks/bench_open.c -o "$out/bench_open" -L "$new" -lchatbot -Wl,-rpath,'$ORIGIN'
cli=.build/release/chatbot-cli
$cli build examples/rh/faq.xlsx --small-talk --synonyms examples/rh/synonymes.txt -o "$out/rh.cbindex" >/dev/null 2>&1
indexes=("$out/rh.cbindex")
massive=../shared/data/massive-fr/kb.tsv
if [ -f "$massive" ]; then
    $cli build "$massive" -o "$out/massive.cbindex" >/dev/null 2>&1 && indexes+=("$out/massive.cbindex")
    wv=$HOME/.cache/libchatbot/word-vectors-fr-256.cbwv
    if [ -f "$wv" ]; then
        $cli build "$massive" --word-vectors "$wv" -o "$out/massive-wv.cbindex" >/dev/null 2>&1 && indexes+=("$out/massive-wv.cbindex")
    fi
fi
for index in "${indexes[@]}"; do
    size=$(stat -c %s "$index")
    for lib in $new $old; do
        printf '%-22s %6.1f MB  %-40s ' "$(basename "$index")" "$(echo "$size/1048576" | bc -l)" "$lib"
        LD_LIBRARY_PATH=$lib "$out/bench_open" "$index" 50
    done
done
