#!/usr/bin/env bash
# Stages the PHP package as a self-contained folder that a Composer path repository can copy
# ("symlink": false) or link: the PHP sources, the generated FFI declarations
# (src/chatbot.ffi.h) and the stripped library (lib/libchatbot.so), so that the installed package needs neither CHATBOT_HEADER nor
# CHATBOT_LIBRARY.
#
#   bindings/php/stage_package.sh [--library FILE] [--out DIR]
#
#   --library FILE  ship FILE (e.g. .build/release/libchatbot.so after `make lib`); refused
#                   when a file under Sources/ or Package.swift is newer than FILE. Without
#                   it, the script runs `make lib` first and ships .build/release/libchatbot.so.
#   --out DIR       the package folder (default .build/php-package), emptied and rewritten.
#                   The last line printed is its path.
#
# The folder is rebuilt from scratch each time, and checked: the library is the one given
# (GNU build ID), stripped, and a PHP process with neither variable set loads it from the
# folder and reads CB_ABI_VERSION and CB_VERSION (= composer.json's version) through it.
# At run time the library needs Debian's libutf8proc2, zlib1g, libexpat1 and libsqlite3-0.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$root/.build/php-package

die() { echo "stage_package.sh: $*" >&2; exit 1; }
. "$root/bindings/package_common.sh"
package_arguments "$@"
for tool in php strip readelf; do
    command -v $tool >/dev/null || die "$tool is missing (Debian: apt-get install php8.2-cli binutils)"
done

fresh_library
header_versions
version=$header_version abi=$header_abi

package_version=$(php -r 'echo json_decode(file_get_contents($argv[1]), true)["version"] ?? "";' "$here/composer.json")
[[ $package_version == "$version" ]] \
    || die "composer.json says version '$package_version', Include/chatbot.h says CB_VERSION $version"

# Refuse to empty a folder that is not ours: it must be absent, empty, or a staged package.
if [[ -e $out ]]; then
    [[ -d $out ]] || die "$out exists and is not a folder"
    if [[ -n $(ls -A "$out") ]] && ! { [[ -f $out/lib/libchatbot.so ]] && grep -q '"libchatbot/chatbot"' "$out/composer.json" 2>/dev/null; }; then
        die "$out is not empty and is not a staged package"
    fi
fi
rm -rf "$out"
mkdir -p "$out/src" "$out/lib"
out=$(cd "$out" && pwd)

echo "== staging $out"
cp "$here"/src/*.php "$out/src/"
cp "$here/README.md" "$out/"
php "$here/generate-ffi-header.php" "$root/Include/chatbot.h" "$out/src/chatbot.ffi.h" >/dev/null
# Stripped like `make install` does (`install -s`): the debug sections are 40% of the file.
strip -o "$out/lib/libchatbot.so" "$library"
# composer.json without the generator script, which needs the repository (and whose output
# is already in src/).
php -r '
$json = json_decode(file_get_contents($argv[1]), true, 512, JSON_THROW_ON_ERROR);
unset($json["scripts"]);
file_put_contents($argv[2], json_encode($json, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES) . "\n");
' "$here/composer.json" "$out/composer.json"

echo "== checking"
if readelf -S -W "$out/lib/libchatbot.so" | grep -Eq ' \.(symtab|debug_[a-z_]*) '; then
    die "lib/libchatbot.so is not stripped"
fi
build_id() { readelf -n "$1" | sed -n 's/.*Build ID: *//p'; }
[[ -n $(build_id "$library") && $(build_id "$out/lib/libchatbot.so") == "$(build_id "$library")" ]] \
    || die "lib/libchatbot.so is not the library given ($library): build IDs differ"
loaded=$(cd / && env -u CHATBOT_LIBRARY -u CHATBOT_HEADER php -r '
spl_autoload_register(function (string $class): void {
    $file = $GLOBALS["argv"][1] . "/src/" . substr($class, strlen("Chatbot\\")) . ".php";
    if (str_starts_with($class, "Chatbot\\") && is_file($file)) { require $file; }
});
[$ffi, $from] = Chatbot\Library::load([], $argv[1]);
echo $from, " ", $ffi->cb_abi_version(), " ", $ffi->cb_version(), "\n";
' "$out")
[[ $loaded == "$out/lib/libchatbot.so $abi $version" ]] \
    || die "the staged package loads '$loaded', expected '$out/lib/libchatbot.so $abi $version'"
echo "   lib/libchatbot.so $(wc -c <"$out/lib/libchatbot.so") bytes (stripped), version $version, ABI $abi"
echo "$out"
