#!/usr/bin/env bash
# Installs what building and testing need on a bare Debian machine, skipping what is there.
# Usage: scripts/install-deps.sh [build|test]
set -euo pipefail
mode=${1:-build}

need_apt=()
pkg-config --exists libutf8proc 2>/dev/null || need_apt+=(libutf8proc-dev pkg-config)
pkg-config --exists zlib expat 2>/dev/null || need_apt+=(zlib1g-dev libexpat1-dev pkg-config)
pkg-config --exists sqlite3 2>/dev/null || need_apt+=(libsqlite3-dev pkg-config)
if [[ $mode == test ]]; then
    command -v php >/dev/null || need_apt+=(php8.2-cli)
    command -v phpunit >/dev/null || need_apt+=(phpunit)
    command -v composer >/dev/null || need_apt+=(composer)
    command -v valgrind >/dev/null || need_apt+=(valgrind)
    command -v rsvg-convert >/dev/null || need_apt+=(librsvg2-bin)
    command -v gcc >/dev/null || need_apt+=(gcc)
    # The PostgreSQL log tests' server (scripts/with-postgres.sh); it brings libpq5.
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
fi
if ((${#need_apt[@]})); then
    sudo=""; [[ $(id -u) -ne 0 ]] && sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
if [[ $mode == test ]]; then
    python3 -c 'import pytest' 2>/dev/null || python3 -m pip install -q pytest
fi
