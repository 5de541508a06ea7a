#!/usr/bin/env bash
# AddressSanitizer and ThreadSanitizer over the Swift tests and the C suites
# (`make test-sanitizers`, part of `make test`). Each sanitizer has one debug build, shared
# by the Swift tests and the library the C programs load:
#   ASan  .build-asan/debug/libchatbot.so (make lib-asan), swift test --sanitize=address;
#   TSan  .build-tsan/debug/libchatbot.so (make lib-tsan), swift test --sanitize=thread.
# Steps:
#   1. the Swift tests under ASan (LeakSanitizer on for Swift Testing's, see below);
#   2. every C suite under ASan: test_handles proves that freed and foreign handles are
#      never read, the others that no call reads or writes out of bounds or leaks;
#   3. the Swift tests under TSan;
#   4. the multi-threaded C suites under TSan (test_api, test_handles, test_anonymize,
#      test_log, test_reload).
# The C programs are compiled with the Swift toolchain's clang, so that program and library
# share one sanitizer runtime (compiler-rt's, which swiftc links; gcc's libasan/libtsan
# would be a second, incompatible copy).
#
# LeakSanitizer runs with ASan (its default on Linux): it reports memory no pointer reaches
# at exit. It is on for the C suites, whose host is a plain C program: a handle or buffer
# the library fails to release is reported (the handle registry stores its addresses
# complemented, so that it does not make leaked handles look reachable). The Swift runtime's
# process-lifetime caches stay reachable from its globals and are not reported. It is on
# for the Swift Testing tests (their own process) too, and off for the XCTest ones: XCTest's
# async runner takes a weak reference to each test case, and Swift keeps the address of a
# weak reference's side table in the object's reference-count word, shifted and tagged,
# where LSan's conservative scan does not see it; the side table and every XCTest object
# behind it are then reported as leaked (a false positive; suppressing the side table
# leaves the objects behind it reported, and suppressing libXCTest frames would hide every
# leak of every XCTest test). Suppression files, each line with its reason:
# Tests/sanitizers/lsan.supp and tsan.supp. No ASan error is suppressed.
#
# Usage: Tests/sanitizers/run.sh [asan|tsan]... (default: both). SWIFT, CB_ASAN_SCRATCH and
# CB_TSAN_SCRATCH override the swift command and the two scratch directories. Each step
# prints its verdict and time; the script exits non-zero if any fails.
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
SWIFT=${SWIFT:-swift}
asan_scratch=${CB_ASAN_SCRATCH:-.build-asan}
tsan_scratch=${CB_TSAN_SCRATCH:-.build-tsan}
supp=$root/Tests/sanitizers
toolchain=$(dirname "$(dirname "$(readlink -f "$(command -v "$SWIFT")")")")
clang=$toolchain/bin/clang
swiftlib=$toolchain/lib/swift/linux
failures=()
started=$SECONDS

step() { printf '\n== %s\n' "$*"; step_started=$SECONDS; }
took() { printf '   (%ds)\n' $((SECONDS - step_started)); }

# Timing assertions of the Swift tests (a linear-time check must finish within N seconds)
# allow this factor: the builds are debug, and TSan slows code 5-15x.
export CB_TEST_TIME_SCALE=5

# Sanitizer options: any report fails the run with its own exit code. allocator_may_return_null:
# the tests open an 8 TiB (sparse) index to check that the refused allocation is reported as
# CB_ERR_OUT_OF_MEMORY; by default the sanitizers' allocators abort on such a request instead
# of returning NULL as malloc does.
export ASAN_OPTIONS="halt_on_error=1:exitcode=67:detect_leaks=1:detect_stack_use_after_return=0:strict_string_checks=1:allocator_may_return_null=1"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
export TSAN_OPTIONS="halt_on_error=1:exitcode=66:suppressions=$supp/tsan.supp:print_suppressions=0:allocator_may_return_null=1"

# Compiles Tests/C/NAME.c against the library in DIR with -fsanitize=KIND into OUT/NAME.
compile_c() {
    local kind=$1 dir=$2 out=$3 name=$4
    "$clang" -std=c11 -Wall -Wextra -Werror -pthread -fsanitize="$kind" -fno-omit-frame-pointer -g -O1 -fuse-ld=lld \
        -I"$root/Include" "Tests/C/$name.c" -o "$out/$name" \
        -L"$dir" -lchatbot -L"$swiftlib" -ldispatch -lBlocksRuntime -Wl,-rpath,"$dir" -Wl,-rpath,"$swiftlib"
}

# Runs OUT/NAME ARGS..., output to OUT/NAME.log; prints the verdict line or the report.
run_c() {
    local label=$1 out=$2 name=$3
    shift 3
    if "$out/$name" "$@" >"$out/$name.log" 2>&1; then
        echo "$label $name: $(grep -E '^[0-9]+ passed' "$out/$name.log" | tail -1 || true) — clean"
    else
        echo "$label $name: FAILED (exit $?)"
        tail -60 "$out/$name.log"
        failures+=("$label $name")
    fi
}

# After a Swift test run logged to LOG: its counts and "LABEL: Swift tests clean" when STATUS
# is 0, else the sanitizer's report (lines matching REPORT) and a failure.
swift_test_verdict() {
    local status=$1 log=$2 label=$3 report=$4
    if ((status == 0)); then
        grep -E "^Test Suite 'All tests' passed" -A1 "$log" | grep Executed | sed 's/^[[:space:]]*/XCTest: /'
        grep -E "Test run with [0-9]+ tests" "$log" | sed 's/^/Swift Testing: /'
        echo "$label: Swift tests clean"
    else
        grep -E -B5 -A40 "$report|error:|failed" "$log" | head -120
        failures+=("$label swift test")
    fi
}

# Compiles the C suites NAMES... with -fsanitize=KIND against DIR/libchatbot.so into OUT;
# fails (status 1) when that library has not been built.
compile_suites() {
    local kind=$1 label=$2 dir=$3 out=$4
    shift 4
    mkdir -p "$out"
    if [[ ! -f $dir/libchatbot.so ]]; then
        echo "no $label build of the library (make lib-$(tr '[:upper:]' '[:lower:]' <<<"$label"))"
        failures+=("$label (missing library)")
        return 1
    fi
    for name in "$@"; do
        compile_c "$kind" "$dir" "$out" "$name" || failures+=("$label $name (compile)")
    done
}

asan() {
    local dir=$root/$asan_scratch/debug out=$root/$asan_scratch/c-tests
    mkdir -p "$root/$asan_scratch"
    step "Swift tests under AddressSanitizer (+ LeakSanitizer for Swift Testing, not XCTest)"
    local log=$root/$asan_scratch/swift-test.log
    nice -n 5 "$SWIFT" test --sanitize=address --scratch-path "$asan_scratch" --disable-xctest >"$log" 2>&1 &&
        ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" nice -n 5 "$SWIFT" test --sanitize=address --scratch-path "$asan_scratch" \
            --disable-swift-testing >>"$log" 2>&1
    swift_test_verdict $? "$log" ASan "ERROR: (Address|Leak)Sanitizer"
    took

    step "C suites under AddressSanitizer (+ LeakSanitizer), $dir/libchatbot.so"
    compile_suites address ASan "$dir" "$out" test_handles test_api test_anonymize test_log test_reload test_roundtrip test_usine ||
        return
    run_c ASan "$out" test_handles
    CB_TEST_ITERATIONS=2000 run_c ASan "$out" test_api
    run_c ASan "$out" test_anonymize
    run_c ASan "$out" test_log --valgrind
    run_c ASan "$out" test_reload --valgrind
    run_c ASan "$out" test_roundtrip Tests/Fixtures/usine
    run_c ASan "$out" test_usine Tests/Fixtures/usine
    took
}

tsan() {
    local dir=$root/$tsan_scratch/debug out=$root/$tsan_scratch/c-tests
    step "Swift tests under ThreadSanitizer"
    local log=$root/$tsan_scratch/swift-test.log
    mkdir -p "$root/$tsan_scratch"
    nice -n 5 "$SWIFT" test --sanitize=thread --scratch-path "$tsan_scratch" >"$log" 2>&1
    swift_test_verdict $? "$log" TSan "WARNING: ThreadSanitizer"
    took

    step "multi-threaded C suites under ThreadSanitizer, $dir/libchatbot.so"
    compile_suites thread TSan "$dir" "$out" test_handles test_api test_anonymize test_log test_reload || return
    run_c TSan "$out" test_handles
    CB_TEST_ITERATIONS=2000 run_c TSan "$out" test_api
    run_c TSan "$out" test_anonymize
    run_c TSan "$out" test_log --valgrind
    run_c TSan "$out" test_reload
    took
}

kinds=("$@")
((${#kinds[@]})) || kinds=(asan tsan)
for k in "${kinds[@]}"; do
    case $k in
    asan) asan ;;
    tsan) tsan ;;
    *) echo "usage: $0 [asan|tsan]..." >&2; exit 2 ;;
    esac
done

echo
if ((${#failures[@]} == 0)); then
    echo "sanitizers: all clean ($((SECONDS - started))s)"
else
    echo "sanitizers: FAILED: ${failures[*]} ($((SECONDS - started))s)"
    exit 1
fi
