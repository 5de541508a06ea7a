#!/usr/bin/env bash
# The wheel works right after `pip install`: builds it with build_wheel.sh from the given
# library, installs it into a fresh virtual environment (no system site packages, no index:
# the wheel has no dependencies), and from another folder, with CHATBOT_LIBRARY unset,
# builds a small knowledge base and matches a question. Then checks the tag, that the
# bundled library is the one loaded, that a library older than its sources is refused,
# and (where a private mount namespace can be made: root, `unshare -m`) that the package
# still works with Debian's libutf8proc and libsqlite3 hidden, i.e. on the copies vendored
# in the wheel.
#
#   bindings/python/test_wheel.sh [LIBRARY]    (default .build/release/libchatbot.so; `make lib` first)
#
# Installs what it needs when missing: binutils, unzip (apt-get, as root). Exits non-zero
# on any failure; ends with 'N passed, N failed'.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
python=${PYTHON:-python3}
library=${1:-$root/.build/release/libchatbot.so}
unset CHATBOT_LIBRARY

passed=0 failed=0
pass() { echo "ok   $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
finish() { echo "$passed passed, $failed failed"; exit $((failed > 0)); }

if [[ ! -f $library ]]; then
    echo "test_wheel.sh: $library is missing: run 'make lib' first" >&2
    exit 1
fi
missing=()
command -v readelf >/dev/null || missing+=(binutils)
command -v unzip >/dev/null || missing+=(unzip)
"$python" -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
if ((${#missing[@]})); then
    [[ $(id -u) -eq 0 ]] || { echo "test_wheel.sh: ${missing[*]} missing; installing needs root" >&2; exit 1; }
    echo "== apt-get install ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== build_wheel.sh --library $library"
if ! bash "$here/build_wheel.sh" --library "$library" --out "$work/dist" >"$work/build.log" 2>&1; then
    cat "$work/build.log"
    fail "build_wheel.sh"
    finish
fi
cat "$work/build.log"
wheel=$(tail -1 "$work/build.log")
pass "build_wheel.sh built and checked $(basename "$wheel")"

case $(basename "$wheel") in
    *-py3-none-any.whl) fail "the wheel is tagged py3-none-any" ;;
    *-py3-none-manylinux_*_"$(uname -m)".whl) pass "platform tag, not py3-none-any" ;;
    *) fail "unexpected tag: $(basename "$wheel")" ;;
esac

echo "== fresh virtual environment, pip install the wheel"
"$python" -m venv "$work/venv"
venv_python=$work/venv/bin/python
if "$venv_python" -m pip install --quiet --disable-pip-version-check --no-index --no-cache-dir "$wheel"; then
    pass "pip install --no-index $(basename "$wheel")"
else
    fail "pip install of the wheel"
    finish
fi
tag=$("$venv_python" -c 'import importlib.metadata as m
print(" ".join(l.split(": ", 1)[1] for l in m.distribution("libchatbot").read_text("WHEEL").splitlines() if l.startswith("Tag: ")))')
[[ $tag == py3-none-manylinux_* ]] && pass "installed WHEEL Tag: $tag" || fail "installed WHEEL Tag: $tag"

# From a folder that holds no package, with no CHATBOT_LIBRARY: only the installed copy.
mkdir "$work/elsewhere"
printf 'conges\tcomment poser des congés\nconges\tje veux prendre des vacances\nbadge\tj'"'"'ai perdu mon badge\nbadge\tbadge perdu que faire\nsalaire\tquand est versé le salaire\n' \
    >"$work/elsewhere/faq.tsv"
cat >"$work/elsewhere/check.py" <<'EOF'
import os, pathlib, sys
import chatbot

assert "CHATBOT_LIBRARY" not in os.environ
with chatbot.Engine.build("faq.tsv") as engine:
    engine.save("faq.cbindex")
with chatbot.Engine.open("faq.cbindex") as engine:
    result = engine.match("J'ai perdu mon badge !", top_k=1)
    assert result.matches[0].id == "badge", result
    assert result.decision == "answer", result.decision
package = pathlib.Path(chatbot.__file__).resolve().parent
loaded = pathlib.Path(chatbot.library_path()).resolve()
assert loaded == package / "libchatbot.so", (loaded, package)
assert str(package).startswith(sys.argv[1]), (package, sys.argv[1])
print(f"{chatbot.version()} {result.matches[0].id} {result.decision} {loaded}")
EOF
if out=$(cd "$work/elsewhere" && "$venv_python" check.py "$work/venv/" 2>&1); then
    pass "build + match from another folder, CHATBOT_LIBRARY unset: $out"
else
    echo "$out"
    fail "build + match from another folder, CHATBOT_LIBRARY unset"
fi

# The vendored libraries are the ones used: hide Debian's in a private mount namespace
# (bind /dev/null over the real files; the rest of the machine never sees it).
hidden=()
for soname in libutf8proc.so.2 libsqlite3.so.0; do
    real=$(ldd "$library" | sed -n "s|^[[:space:]]*$soname => \([^ ]*\) .*|\1|p")
    [[ -n $real ]] && hidden+=("$(readlink -f "$real")")
done
if [[ $(id -u) -eq 0 ]] && unshare -m true 2>/dev/null && ((${#hidden[@]} == 2)); then
    export VENV=$work/venv
    hide='mount --make-rprivate / && for f in "$@"; do mount --bind /dev/null "$f"; done && '
    # Control: the library as built (Debian's copies needed) no longer loads.
    if unshare -m bash -c "$hide"' python3 -c "import ctypes, sys; ctypes.CDLL(sys.argv[1])" '"'$library'"' 2>/dev/null' \
        _ "${hidden[@]}"; then
        fail "hiding ${hidden[*]} did not stop the unbundled library from loading"
    else
        pass "control: with ${hidden[*]} hidden, $library does not load"
    fi
    if out=$(cd "$work/elsewhere" && rm -f faq.cbindex \
        && unshare -m bash -c "$hide"' "$VENV/bin/python" check.py "$VENV/"' _ "${hidden[@]}" 2>&1); then
        pass "build + match with ${hidden[*]} hidden (vendored copies): $out"
    else
        echo "$out"
        fail "build + match with Debian's libutf8proc and libsqlite3 hidden"
    fi
else
    echo "skip the hidden-library check (needs root, unshare -m and ldd naming libutf8proc and libsqlite3)"
fi
so=$("$venv_python" -c 'import chatbot, pathlib; print(pathlib.Path(chatbot.__file__).parent / "libchatbot.so")')
if ldd "$so" | grep -E 'libutf8proc|libsqlite3' | grep -q "$work/venv/.*/libchatbot.libs/"; then
    pass "ldd: libutf8proc and libsqlite3 resolve to libchatbot.libs/ in the venv"
else
    ldd "$so"
    fail "ldd of the installed libchatbot.so does not resolve to the vendored copies"
fi

# A library older than a file under Sources/ is refused.
cp "$library" "$work/old-libchatbot.so"
touch -d '2000-01-01' "$work/old-libchatbot.so"
if out=$(bash "$here/build_wheel.sh" --library "$work/old-libchatbot.so" --out "$work/stale" 2>&1); then
    fail "build_wheel.sh accepted a library older than its sources"
elif grep -q 'older than its sources' <<<"$out" && ! compgen -G "$work/stale/*.whl" >/dev/null; then
    pass "a library older than Sources/ is refused, no wheel written"
else
    echo "$out"
    fail "stale library: unexpected failure"
fi

finish
