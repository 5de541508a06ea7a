#!/usr/bin/env bash
# The PHP package works right after `composer require`, with neither CHATBOT_LIBRARY nor
# CHATBOT_HEADER: each case is a fresh Composer project in a temporary folder, with one path
# repository and Packagist disabled (COMPOSER_DISABLE_NETWORK=1: nothing is downloaded),
# whose PHP script builds a small knowledge base, matches a question and says where the
# library came from.
#   (a) the checkout's bindings/php, symlinked (Composer's default): the checkout's
#       .build/release/libchatbot.so and Include/chatbot.h;
#   (b) the package staged by stage_package.sh, copied ("symlink": false): its own
#       lib/libchatbot.so and src/chatbot.ffi.h;
#   (c) a system install: `make install` (default PREFIX /usr/local, ldconfig) inside a
#       private mount namespace (root and `unshare -m`; skipped otherwise), with a package
#       holding only the PHP sources: libchatbot.so.0 from the loader, the installed header.
#
#   bindings/php/test_package.sh [LIBRARY]    (default .build/release/libchatbot.so; `make lib` first)
#
# Installs php8.2-cli, composer and binutils when missing (apt-get, as root). Exits
# non-zero on any failure; ends with 'N passed, N failed'.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
library=${1:-$root/.build/release/libchatbot.so}
unset CHATBOT_LIBRARY CHATBOT_HEADER

passed=0 failed=0
pass() { echo "ok   $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
finish() { echo "$passed passed, $failed failed"; exit $((failed > 0)); }

if [[ ! -f $library ]]; then
    echo "test_package.sh: $library is missing: run 'make lib' first" >&2
    exit 1
fi
missing=()
command -v php >/dev/null || missing+=(php8.2-cli)
command -v composer >/dev/null || missing+=(composer)
command -v readelf >/dev/null || missing+=(binutils)
if ((${#missing[@]})); then
    [[ $(id -u) -eq 0 ]] || { echo "test_package.sh: ${missing[*]} missing; installing needs root" >&2; exit 1; }
    echo "== apt-get install ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Composer offline and on its own: no network, no global config, cache or plugins.
export COMPOSER_DISABLE_NETWORK=1 COMPOSER_ALLOW_SUPERUSER=1 COMPOSER_NO_INTERACTION=1
export COMPOSER_HOME=$work/composer-home COMPOSER_CACHE_DIR=$work/composer-cache

printf 'conges\tcomment poser des congés\nconges\tje veux prendre des vacances\nbadge\tj'"'"'ai perdu mon badge\nbadge\tbadge perdu que faire\nsalaire\tquand est versé le salaire\n' \
    >"$work/faq.tsv"
cat >"$work/check.php" <<'EOF'
<?php
// Run from a Composer project: builds a base, matches, prints the match and the library.
require getcwd() . '/vendor/autoload.php';
foreach (['CHATBOT_LIBRARY', 'CHATBOT_HEADER'] as $name) {
    if (getenv($name) !== false) { fwrite(STDERR, "$name is set\n"); exit(1); }
}
$engine = Chatbot\Engine::build($argv[1]);
$result = $engine->match("J'ai perdu mon badge !", 1);
$engine->close();
echo $result->matches[0]->id, ' ', $result->decision, ' ', Chatbot\Engine::version(), ' ', Chatbot\Library::path(), "\n";
EOF

# new_project DIR URL SYMLINK: a Composer project requiring libchatbot/chatbot from URL.
new_project() {
    mkdir -p "$1"
    cat >"$1/composer.json" <<EOF
{
    "repositories": [
        {"type": "path", "url": "$2", "options": {"symlink": $3}},
        {"packagist.org": false}
    ]
}
EOF
    (cd "$1" && composer require --no-plugins --quiet libchatbot/chatbot 2>&1)
}

# check NAME DIR EXPECTED_LIBRARY [COMMAND PREFIX...]: runs check.php in DIR.
check() {
    local name=$1 dir=$2 expected=$3
    shift 3
    local out
    if out=$(cd "$dir" && "$@" php "$work/check.php" "$work/faq.tsv" 2>&1) \
        && [[ $out == "badge answer "*" $expected" ]]; then
        pass "$name: $out"
    else
        echo "$out"
        fail "$name: expected 'badge answer VERSION $expected'"
    fi
}

version=$(sed -n 's/^#define CB_VERSION "\(.*\)"$/\1/p' "$root/Include/chatbot.h")
composer_version=$(php -r 'echo json_decode(file_get_contents($argv[1]), true)["version"] ?? "";' "$here/composer.json")
[[ $composer_version == "$version" ]] && pass "composer.json version $composer_version = CB_VERSION" \
    || fail "composer.json version '$composer_version' != CB_VERSION $version"

# (a) Symlinked checkout: needs the checkout's own build.
if [[ -f $root/.build/release/libchatbot.so ]]; then
    if out=$(new_project "$work/a" "$here" true); then
        if [[ -L $work/a/vendor/libchatbot/chatbot ]]; then
            pass "(a) composer require, path repository symlinked to $(readlink "$work/a/vendor/libchatbot/chatbot")"
        else
            fail "(a) vendor/libchatbot/chatbot is not a symlink"
        fi
        check "(a) symlinked checkout" "$work/a" "$root/.build/release/libchatbot.so"
    else
        echo "$out"
        fail "(a) composer require from $here"
    fi
else
    fail "(a) $root/.build/release/libchatbot.so is missing: run 'make lib'"
fi

# (b) The staged package, copied.
if out=$(bash "$here/stage_package.sh" --library "$library" --out "$work/package" 2>&1); then
    pass "stage_package.sh: $(grep 'bytes' <<<"$out" | sed 's/^ *//')"
    if out=$(new_project "$work/b" "$work/package" false); then
        installed=$work/b/vendor/libchatbot/chatbot
        if [[ -d $installed && ! -L $installed && -f $installed/lib/libchatbot.so && -f $installed/src/chatbot.ffi.h ]]; then
            pass "(b) composer require, path repository copied (lib/libchatbot.so and src/chatbot.ffi.h inside)"
        else
            fail "(b) vendor/libchatbot/chatbot is not a copy holding lib/ and src/chatbot.ffi.h"
        fi
        # The source folder is gone: the copy must stand alone.
        mv "$work/package" "$work/package.moved"
        check "(b) copied staged package" "$work/b" "$installed/lib/libchatbot.so"
        mv "$work/package.moved" "$work/package"
    else
        echo "$out"
        fail "(b) composer require from the staged package"
    fi
else
    echo "$out"
    fail "stage_package.sh"
fi

# A library older than a file under Sources/ is refused, and nothing is staged.
cp "$library" "$work/old-libchatbot.so"
touch -d '2000-01-01' "$work/old-libchatbot.so"
if out=$(bash "$here/stage_package.sh" --library "$work/old-libchatbot.so" --out "$work/stale" 2>&1); then
    fail "stage_package.sh accepted a library older than its sources"
elif grep -q 'older than its sources' <<<"$out" && [[ ! -e $work/stale ]]; then
    pass "a library older than Sources/ is refused, nothing staged"
else
    echo "$out"
    fail "stale library: unexpected failure"
fi

# (c) System install, in a private mount namespace: /usr/local/lib, /usr/local/include and
# /etc/ld.so.cache are temporary there, so the machine itself is left as it was.
if [[ $(id -u) -eq 0 ]] && unshare -m true 2>/dev/null && [[ -d /usr/local/lib && -d /usr/local/include ]]; then
    bare=$work/bare-package
    mkdir -p "$bare/src" "$work/ns/lib" "$work/ns/include"
    cp "$here/composer.json" "$bare/"
    cp "$here"/src/*.php "$bare/src/"
    if out=$(new_project "$work/c" "$bare" false); then
        [[ ! -e $work/c/vendor/libchatbot/chatbot/lib && ! -e $work/c/vendor/libchatbot/chatbot/src/chatbot.ffi.h ]] \
            && pass "(c) composer require of the PHP sources alone (no lib/, no src/chatbot.ffi.h)" \
            || fail "(c) the bare package holds a library or declarations"
        before=$(ls -A /usr/local/lib /usr/local/include; cksum </etc/ld.so.cache)
        # `make -o lib install` installs the library given (RELEASE_DIR) without rebuilding.
        # Its ldconfig writes a cache of its own (-C; -X: no link changes on the machine),
        # which then stands for /etc/ld.so.cache in the namespace.
        # shellcheck disable=SC2016
        script='set -e
            mount --make-rprivate /
            mount --bind "$NS/lib" /usr/local/lib
            mount --bind "$NS/include" /usr/local/include
            make -s -C "$ROOT" -o lib install LDCONFIG="ldconfig -X -C $NS/ld.so.cache" RELEASE_DIR="$RELEASE" >&2
            mount --bind "$NS/ld.so.cache" /etc/ld.so.cache
            cd "$PROJECT" && php "$CHECK" "$FAQ"'
        if out=$(NS=$work/ns ROOT=$root RELEASE=$(dirname "$library") PROJECT=$work/c CHECK=$work/check.php \
            FAQ=$work/faq.tsv unshare -m bash -c "$script" 2>&1) && [[ $out == *"badge answer "*" libchatbot.so.0" ]]; then
            pass "(c) make install + ldconfig (private namespace): ${out##*$'\n'}"
        else
            echo "$out"
            fail "(c) system install: expected 'badge answer VERSION libchatbot.so.0'"
        fi
        [[ $before == "$(ls -A /usr/local/lib /usr/local/include; cksum </etc/ld.so.cache)" ]] \
            || fail "(c) /usr/local or /etc/ld.so.cache changed outside the namespace"
    else
        echo "$out"
        fail "(c) composer require of the bare package"
    fi
else
    echo "skip (c) system install: needs root and unshare -m"
fi

finish
