#!/usr/bin/env bash
# Runs the README's Python and PHP examples exactly as written (the C example runs in
# Tests/C/run.sh) on the README's faq.tsv, and compares what they print with the ```text
# block that follows each example. Needs .build/release/libchatbot.so (make lib).
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
readme=$root/README.md
lib=${CHATBOT_LIBRARY:-$root/.build/release/libchatbot.so}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0

# block LANG N: the Nth fenced block of LANG; after LANG N: the first ```text block after it.
block() { awk -v lang="$1" -v want="$2" '$0=="```"lang{n++; if(n==want){on=1; next}} on&&/^```$/{exit} on' "$readme"; }
after() {
    awk -v lang="$1" -v want="$2" '
        $0=="```"lang{n++; if(n==want){seen=1}}
        seen&&$0=="```text"{on=1; next}
        on&&/^```$/{exit}
        on' "$readme"
}

block tsv 1 >"$work/faq.tsv"

check() {
    local name=$1 expected=$2 actual=$3
    if diff -u <(printf '%s\n' "$expected") <(printf '%s\n' "$actual") >"$work/diff"; then
        echo "ok    $name"; passed=$((passed + 1))
    else
        echo "FAIL  $name"; cat "$work/diff"; failed=$((failed + 1))
    fi
}

block python 1 >"$work/example.py"
out=$(cd "$work" && CHATBOT_LIBRARY=$lib PYTHONPATH=$root/bindings/python python3 example.py 2>&1)
check "README Python example" "$(after python 1)" "$out"

if [[ ! -f $root/bindings/php/vendor/autoload.php ]]; then
    (cd "$root/bindings/php" && composer dump-autoload --quiet)
fi
block php 1 | sed "s|/path/to/libchatbot|$root|" >"$work/example.php"
out=$(cd "$work" && CHATBOT_LIBRARY=$lib php example.php 2>&1)
check "README PHP example" "$(after php 1)" "$out"

echo "$passed passed, $failed failed"
((failed == 0))
