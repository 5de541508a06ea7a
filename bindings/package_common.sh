# Shared by the packaging scripts (python/build_wheel.sh, php/stage_package.sh); sourced,
# not run. The caller sets `root` (the checkout), `out` (its default output folder) and
# `die`, then calls:
#   package_arguments "$@"   --library FILE / --out DIR / --help, into $library and $out;
#   fresh_library            $library made absolute; without --library, `make lib` first;
#                            refused when a file of Sources/ or Package.swift is newer, so
#                            that a stale build can never be shipped;
#   header_versions          $header_version and $header_abi, from Include/chatbot.h.

package_arguments() {
    library=""
    while (($#)); do
        case $1 in
            --library) library=${2:?--library needs a file}; shift 2 ;;
            --out) out=${2:?--out needs a folder}; shift 2 ;;
            -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
            *) die "unknown argument $1 (see --help)" ;;
        esac
    done
}

fresh_library() {
    if [[ -z $library ]]; then
        echo "== make lib"
        make -C "$root" lib >&2
        library=$root/.build/release/libchatbot.so
    fi
    [[ -f $library ]] || die "$library: no such file"
    library=$(cd "$(dirname "$library")" && pwd)/$(basename "$library")
    local newer
    newer=$(find "$root/Sources" "$root/Package.swift" -type f -newer "$library" | sed -n 1,5p) # sed reads all: no SIGPIPE
    [[ -z $newer ]] || die "$library is older than its sources (e.g. ${newer//$'\n'/, }): run 'make lib' again"
}

header_versions() {
    header_version=$(sed -n 's/^#define CB_VERSION "\(.*\)"$/\1/p' "$root/Include/chatbot.h")
    header_abi=$(sed -n 's/^#define CB_ABI_VERSION \([0-9]*\)$/\1/p' "$root/Include/chatbot.h")
    [[ -n $header_version && -n $header_abi ]] || die "CB_VERSION or CB_ABI_VERSION not found in Include/chatbot.h"
}
