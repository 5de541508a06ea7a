#!/usr/bin/env bash
# Checks that libchatbot.so is self-contained and exports exactly the C interface:
#  - ldd lists only libc, libm, libstdc++, libgcc_s, libutf8proc, libz, libexpat, libsqlite3 (and the loader/vdso);
#  - nm -D --defined-only lists only cb_ symbols;
#  - every function declared in chatbot.h is exported;
#  - no code of the toolkit modules (ChatbotEvaluation, Plots, NPYFiles) is inside, which only
#    the CLI and the benchmarks link (checked on the symbol table, when the library has one).
# Usage: check_exports.sh path/to/libchatbot.so path/to/chatbot.h
# Prints "N passed, N failed"; exits non-zero on failure.
set -uo pipefail
lib=$1 header=$2
passed=0 failed=0
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL $*" >&2; }

allowed='^(linux-vdso\.so\.1|/lib64/ld-linux-x86-64\.so\.2|ld-linux-x86-64\.so\.2|libc\.so\.6|libm\.so\.6|libstdc\+\+\.so\.6|libgcc_s\.so\.1|libutf8proc\.so\.[0-9]+|libz\.so\.1|libexpat\.so\.1|libsqlite3\.so\.0)$'
deps=$(ldd "$lib" | awk '{print $1}')
[[ -n $deps ]] && ok || fail "ldd printed nothing for $lib"
for d in $deps; do
    if [[ $d =~ $allowed ]]; then ok; else fail "unexpected dependency: $d"; fi
done
if ldd "$lib" | grep -q "not found"; then fail "unresolved dependency"; else ok; fi
if ldd "$lib" | grep -qi swift; then fail "depends on a Swift runtime library"; else ok; fi

exported=$(nm -D --defined-only "$lib" | awk '{print $3}')
foreign=$(grep -v '^cb_' <<<"$exported")
if [[ -z $foreign ]]; then ok; else fail "symbols other than cb_* exported: $(head -5 <<<"$foreign" | tr '\n' ' ')"; fi

declared=$(grep -oE '\bcb_[a-z_0-9]+\(' "$header" | tr -d '(' | sort -u)
for f in $declared; do
    if grep -qx "$f" <<<"$exported"; then ok; else fail "$f is declared in chatbot.h but not exported"; fi
done
for f in $exported; do
    if grep -qx "$f" <<<"$declared"; then ok; else fail "$f is exported but not declared in chatbot.h"; fi
done

# Swift mangles a module name as its length and spelling: 17ChatbotEvaluation, 5Plots, 8NPYFiles.
if nm "$lib" >/dev/null 2>&1 && [[ -n $(nm "$lib" 2>/dev/null | head -1) ]]; then
    toolkit=$(nm "$lib" | awk '{print $NF}' | grep -E '17ChatbotEvaluation|5Plots|8NPYFiles' | head -3)
    if [[ -z $toolkit ]]; then ok; else fail "toolkit code inside the library: $(tr '\n' ' ' <<<"$toolkit")"; fi
fi

soname=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[[ $soname == libchatbot.so.0 ]] && ok || fail "soname is '$soname', expected libchatbot.so.0"

echo "exports: $(wc -l <<<"$exported") cb_ functions, dependencies: $(tr '\n' ' ' <<<"$deps")"
echo "$passed passed, $failed failed"
((failed == 0))
