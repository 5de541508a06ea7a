#!/usr/bin/env bash
# Runs the PHP binding's test suite against a built libchatbot.so. Builds nothing: `make
# lib` first, or point CHATBOT_LIBRARY at a library.
#
# Installs, when missing, the Debian packages it needs (php8.2-cli with FFI, phpunit,
# composer; apt-get needs root). Then generates src/chatbot.ffi.h from Include/chatbot.h,
# writes the autoloader offline (`composer dump-autoload`: no package is downloaded), and
# runs PHPUnit. Exits non-zero on any failure.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

export CHATBOT_LIBRARY=${CHATBOT_LIBRARY:-$root/.build/release/libchatbot.so}
if [[ ! -f $CHATBOT_LIBRARY ]]; then
    echo "run_tests.sh: $CHATBOT_LIBRARY is missing: run 'make lib' first (or set CHATBOT_LIBRARY)" >&2
    exit 1
fi

missing=()
command -v php >/dev/null || missing+=(php8.2-cli)
command -v phpunit >/dev/null || missing+=(phpunit)
command -v composer >/dev/null || missing+=(composer)
if ((${#missing[@]})); then
    echo "== installing ${missing[*]}"
    if [[ $(id -u) -ne 0 ]]; then
        echo "run_tests.sh: ${missing[*]} missing; installing needs root (apt-get)" >&2
        exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! php -r 'exit(extension_loaded("ffi") ? 0 : 1);'; then
    echo "run_tests.sh: the PHP FFI extension is not loaded (php -m | grep FFI); enable ffi.so" >&2
    exit 1
fi

cd "$here"
echo "== php generate-ffi-header.php"
php generate-ffi-header.php
echo "== composer dump-autoload"
# --no-scripts: the generator just ran. Composer refuses root without this variable.
COMPOSER_ALLOW_SUPERUSER=1 composer dump-autoload --no-scripts --no-interaction --quiet
echo "== phpunit (library: $CHATBOT_LIBRARY, ffi.enable=$(php -r 'echo ini_get("ffi.enable");'))"
phpunit -c phpunit.xml "$@"
