#!/usr/bin/env bash
# Runs every C-side test against the built library (`make lib` first; `make test-c` does both):
#   1. exported symbols and dependencies (check_exports.sh);
#   2. the API suite (test_api.c), freed, foreign and mistyped handles of every type
#      (test_handles.c), the Usine suite (test_usine.c), the anonymiser and the question
#      log (test_anonymize.c, test_log.c; the latter again with libpq hidden), the inbox round trip and template export
#      (test_roundtrip.c), compiled with
#      gcc -std=c11 -Wall -Wextra -Werror -pthread;
#   3. hot reload under load (test_reload.c);
#   4. the suites under valgrind (memcheck), with fewer thread iterations; --fair-sched=yes,
#      because valgrind's default scheduler can starve a thread (a reload waiting for its
#      readers) for minutes;
#   5. the README.md (C interface) example, built with pkg-config against `make install PREFIX=<tmp>`.
# AddressSanitizer and ThreadSanitizer runs of these suites are in Tests/sanitizers/run.sh
# (`make test-sanitizers`).
# Each step prints "N passed, N failed" or its own verdict; the script exits non-zero if any fails.
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
lib=${CB_LIB:-$root/.build/release/libchatbot.so}
out=$root/.build/c-tests
mkdir -p "$out"
CC=${TEST_CC:-gcc}
CFLAGS=(-std=c11 -Wall -Wextra -Werror -pthread -I"$root/Include")
failures=()

step() { printf '\n== %s\n' "$*"; }

[[ -f $lib ]] || { echo "$lib is missing: run 'make lib' first" >&2; exit 1; }

step "exports and dependencies of $lib"
Tests/C/check_exports.sh "$lib" Include/chatbot.h || failures+=("exports")

libdir=$(dirname "$lib")
# Compiles Tests/C/NAME.c against the library and runs it with ARGS; LABEL names it in the
# list of failures.
suite() {
    local label=$1 name=$2
    shift 2
    if $CC "${CFLAGS[@]}" "Tests/C/$name.c" -o "$out/$name" -L"$libdir" -lchatbot -Wl,-rpath,"$libdir"; then
        "$out/$name" "$@" || failures+=("$label")
    else
        failures+=("$label (compile)")
    fi
}

step "API suite"
suite "API suite" test_api

step "handles: freed, foreign and mistyped, of every type; double frees racing in threads"
suite "handles" test_handles

step "Usine suite (template sources, options, diagnostics, replies)"
suite "Usine suite" test_usine Tests/Fixtures/usine

step "anonymiser"
suite "anonymiser" test_anonymize

step "question log (record, statistics, inbox, review, purge, 8 threads)"
suite "question log" test_log

# A host that never uses PostgreSQL must not need libpq: libchatbot.so does not link it
# (check_exports.sh), and the SQLite log works with libpq.so.5 made unloadable (a private
# mount namespace binds /dev/null over it; root only) or absent.
step "question log on a host without libpq"
libpq=$(ldconfig -p | awk '/libpq\.so\.5 /{print $NF; exit}')
if [[ -z $libpq ]]; then
    CB_EXPECT_NO_LIBPQ=1 "$out/test_log" || failures+=("question log without libpq")
elif [[ $(id -u) -eq 0 ]] && command -v unshare >/dev/null; then
    CB_EXPECT_NO_LIBPQ=1 unshare -m bash -c "mount --bind /dev/null '$libpq' && '$out/test_log'" || failures+=("question log without libpq")
else
    echo "skipped: libpq is installed and hiding it needs root (unshare -m)"
fi

step "inbox round trip (record, review, cb_log_apply with a warm rebuild, reload) and template export"
suite "round trip" test_roundtrip Tests/Fixtures/usine

step "hot reload under load (4 threads matching, 1000 reloads)"
suite "reload" test_reload
step "hot reload under load, engine opened with CB_OPEN_MAP"
"$out/test_reload" --map || failures+=("reload (mapped)")

step "API suite under valgrind"
if ! command -v valgrind >/dev/null; then
    echo "valgrind is not installed (make deps-test installs it)"
    failures+=("valgrind (missing)")
elif [[ -x $out/test_api ]]; then
    # Definite and indirect leaks and every invalid access fail the run. No suppressions:
    # the Swift runtime's process-lifetime caches show up only as "possibly lost" or
    # "still reachable", which do not count.
    if valgrind --fair-sched=yes --quiet --error-exitcode=1 --leak-check=full --show-leak-kinds=definite,indirect \
        --errors-for-leak-kinds=definite,indirect \
        "$out/test_api" --valgrind; then
        echo "valgrind: no errors, no definite or indirect leaks"
    else
        failures+=("valgrind")
    fi
    if [[ -x $out/test_handles ]]; then
        if valgrind --fair-sched=yes --quiet --error-exitcode=1 --leak-check=full --show-leak-kinds=definite,indirect \
            --errors-for-leak-kinds=definite,indirect "$out/test_handles" --valgrind >/dev/null; then
            echo "valgrind (handles): no errors, no definite or indirect leaks"
        else
            failures+=("valgrind (handles)")
        fi
    fi
    if [[ -x $out/test_reload ]]; then
        if valgrind --fair-sched=yes --quiet --error-exitcode=1 --leak-check=full --show-leak-kinds=definite,indirect \
            --errors-for-leak-kinds=definite,indirect "$out/test_reload" --valgrind >/dev/null; then
            echo "valgrind (reload): no errors, no definite or indirect leaks"
        else
            failures+=("valgrind (reload)")
        fi
    fi
    if [[ -x $out/test_anonymize ]]; then
        if valgrind --fair-sched=yes --quiet --error-exitcode=1 --leak-check=full --show-leak-kinds=definite,indirect \
            --errors-for-leak-kinds=definite,indirect "$out/test_anonymize" >/dev/null; then
            echo "valgrind (anonymiser): no errors, no definite or indirect leaks"
        else
            failures+=("valgrind (anonymiser)")
        fi
    fi
    if [[ -x $out/test_log ]]; then
        if valgrind --fair-sched=yes --quiet --error-exitcode=1 --leak-check=full --show-leak-kinds=definite,indirect \
            --errors-for-leak-kinds=definite,indirect "$out/test_log" --valgrind >/dev/null; then
            echo "valgrind (question log): no errors, no definite or indirect leaks"
        else
            failures+=("valgrind (question log)")
        fi
    fi
    if [[ -x $out/test_roundtrip ]]; then
        if valgrind --fair-sched=yes --quiet --error-exitcode=1 --leak-check=full --show-leak-kinds=definite,indirect \
            --errors-for-leak-kinds=definite,indirect "$out/test_roundtrip" Tests/Fixtures/usine >/dev/null; then
            echo "valgrind (round trip): no errors, no definite or indirect leaks"
        else
            failures+=("valgrind (round trip)")
        fi
    fi
    if [[ -x $out/test_usine ]]; then
        if valgrind --fair-sched=yes --quiet --error-exitcode=1 --leak-check=full --show-leak-kinds=definite,indirect \
            --errors-for-leak-kinds=definite,indirect "$out/test_usine" Tests/Fixtures/usine >/dev/null; then
            echo "valgrind (Usine suite): no errors, no definite or indirect leaks"
        else
            failures+=("valgrind (Usine suite)")
        fi
    fi
fi

step "README.md (C interface) example against an installed copy"
prefix=$(mktemp -d /tmp/cb-install-XXXXXX)
if make --no-print-directory -s install PREFIX="$prefix" >"$out/install.log" 2>&1; then
    ls "$prefix/include/chatbot.h" "$prefix/lib/libchatbot.so" "$prefix/lib/libchatbot.so.0" \
       "$prefix/lib/libchatbot.so.$(sed -n 's/.*string = "\(.*\)".*/\1/p' Sources/ChatbotEngine/EngineVersion.swift)" \
       "$prefix/lib/pkgconfig/chatbot.pc" >/dev/null || failures+=("install layout")
    # The first ```c block of the docs is the example; the first ```tsv block its data.
    awk '/^```c$/{on=1;next} /^```$/{if(on){exit}} on' README.md >"$out/example.c"
    awk '/^```tsv$/{on=1;next} /^```$/{if(on){exit}} on' README.md >"$out/faq.tsv"
    export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
    if $CC "${CFLAGS[@]}" "$out/example.c" -o "$out/example" $(pkg-config --cflags --libs chatbot) \
        -Wl,-rpath,"$prefix/lib"; then
        (cd "$out" && ./example) >"$out/example.out" 2>&1
        status=$?
        cat "$out/example.out"
        if ((status == 0)) && grep -q "^badge" "$out/example.out"; then
            echo "example: ok"
        else
            failures+=("docs example (run)")
        fi
    else
        failures+=("docs example (compile)")
    fi
else
    cat "$out/install.log"
    failures+=("make install")
fi
rm -rf "$prefix"

echo
if ((${#failures[@]} == 0)); then
    echo "C tests: all passed"
else
    echo "C tests: FAILED: ${failures[*]}"
    exit 1
fi
