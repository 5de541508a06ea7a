#!/usr/bin/env bash
# Builds and runs the libFuzzer targets of Tests/Fuzz (see docs/fuzzing.md).
#
#   scripts/fuzz.sh build [TARGET...]        # every target by default
#   scripts/fuzz.sh run [TARGET...]          # each for FUZZ_SECONDS (default 60), one after another
#
# How the build works with Swift 6.3.1 (checked 2026-12-06):
# - The targets exist only when CHATBOT_FUZZ=1 (Package.swift), in their own scratch folder.
# - SwiftPM's `--sanitize=fuzzer --sanitize=address` is NOT enough: SwiftPM passes them as two
#   `-sanitize=` options in an arbitrary (Set) order and swiftc keeps only the LAST one, so a
#   build randomly lacks either the coverage instrumentation or ASan (seen: libFuzzer printing
#   "no interesting inputs ... Is the code instrumented for coverage?"). A single
#   `-Xswiftc -sanitize=fuzzer,address`, placed after them, is what every module is compiled
#   and linked with. `--sanitize=fuzzer` is still given, because it is what makes SwiftPM
#   leave `main` alone (otherwise it links with `--defsym main=<Target>_main`, which does not
#   exist: libFuzzer supplies `main`). C targets get -fsanitize=fuzzer-no-link,address.
# - One `swift build --product` per target (SwiftPM builds one product per call); the
#   instrumented modules are shared, so each extra target costs a compile and a link.
#
# `run` writes new inputs to $FUZZ_DIR/corpus/TARGET (the committed Tests/Fuzz/corpus/TARGET is
# read, never written), findings to $FUZZ_DIR/artifacts/TARGET/, logs to $FUZZ_DIR/logs/, and
# exits non-zero, naming each reproducer, when any target finds a crash, leak, timeout or OOM.
set -uo pipefail
cd "$(dirname "$0")/.."

ALL_TARGETS="FuzzAnalyzer FuzzTSV FuzzCSV FuzzJSON FuzzSynonyms FuzzNPY FuzzSpreadsheet FuzzWorkbookXML FuzzIndex FuzzIndexSealed FuzzCMatch"
SCRATCH=${FUZZ_SCRATCH:-.build-fuzz}
FUZZ_DIR=${FUZZ_DIR:-$SCRATCH/fuzz}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
SWIFT=${SWIFT:-swift}

# -max_len per target: above the largest seed, and above the limits being tested (16 KB
# questions); -timeout per input in seconds (ASan builds are 2-3x slower than release).
max_len() {
    case $1 in
        FuzzNPY) echo 4096 ;;
        FuzzAnalyzer|FuzzTSV|FuzzCSV|FuzzJSON|FuzzSynonyms) echo 16384 ;;
        FuzzCMatch) echo 20000 ;;
        FuzzSpreadsheet|FuzzWorkbookXML) echo 65536 ;;
        FuzzIndex|FuzzIndexSealed) echo 65536 ;;
        *) echo 4096 ;;
    esac
}

build() {
    for t in "$@"; do
        echo "== building $t" >&2
        CHATBOT_FUZZ=1 $SWIFT build -c release --product "$t" --scratch-path "$SCRATCH" \
            --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address \
            2>&1 | grep -v -e "Cannot export local symbol '__asan" -e "prohibited flag(s): -DUTF8PROC_EXPORTS"
        [ "${PIPESTATUS[0]}" -eq 0 ] || { echo "fuzz build of $t failed" >&2; exit 1; }
    done
}

run() {
    local failed=0 bin
    # Swift's own backtracer would catch a trap first and, reading memory ASan poisons, report
    # a misleading ASan error in CrashHandlerLinux.cpp; without it libFuzzer reports the trap
    # ("Swift runtime failure: …") with its stack, and saves the input.
    export SWIFT_BACKTRACE=enable=no
    bin=$(CHATBOT_FUZZ=1 $SWIFT build -c release --scratch-path "$SCRATCH" --show-bin-path 2>/dev/null)
    mkdir -p "$FUZZ_DIR/logs"
    printf '%-16s %12s %8s %7s %6s %s\n' target executions exec/s seconds cov result
    for t in "$@"; do
        local corpus="$FUZZ_DIR/corpus/$t" artifacts="$FUZZ_DIR/artifacts/$t" log="$FUZZ_DIR/logs/$t.log"
        mkdir -p "$corpus" "$artifacts"
        [ -x "$bin/$t" ] || { echo "$bin/$t is missing: run 'make fuzz-build'" >&2; exit 1; }
        local start=$SECONDS
        touch "$FUZZ_DIR/logs/.start-$t"
        "$bin/$t" "$corpus" "Tests/Fuzz/corpus/$t" \
            -max_total_time="$FUZZ_SECONDS" -max_len="$(max_len "$t")" -timeout=10 -rss_limit_mb=2048 \
            -artifact_prefix="$artifacts/" -print_final_stats=1 -close_fd_mask=1 >"$log" 2>&1
        local status=$?
        local execs rate cov result
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
        rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
        cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
        result=ok
        if [ $status -ne 0 ]; then
            result="FAILED (exit $status)"
            failed=1
        fi
        printf '%-16s %12s %8s %7s %6s %s\n' "$t" "${execs:-?}" "${rate:-?}" $((SECONDS - start)) "${cov:-?}" "$result"
        if [ $status -ne 0 ]; then
            grep -m3 -E "ERROR: |SUMMARY: |Fatal error|deadly signal" "$log" | sed 's/^/    /'
            find "$artifacts" -type f -newer "$FUZZ_DIR/logs/.start-$t" | while read -r a; do
                echo "    reproducer: $a   (replay: $bin/$t $a)"
            done
            echo "    log: $log"
        fi
    done
    return $failed
}

cmd=${1:-}; shift || true
targets=${*:-$ALL_TARGETS}
case $cmd in
    build) build $targets ;;
    run) run $targets ;;
    *) echo "usage: $0 build|run [TARGET...]" >&2; exit 2 ;;
esac
