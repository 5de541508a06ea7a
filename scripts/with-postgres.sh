#!/usr/bin/env bash
# Runs a command with two throw-away PostgreSQL servers on loopback, for the question log's
# PostgreSQL tests, and removes them afterwards:
#   CHATBOT_TEST_POSTGRESQL        the server the shared test suite runs on;
#   CHATBOT_TEST_POSTGRESQL_FAULT  a second server, which the fault tests stop and restart;
#   CHATBOT_TEST_POSTGRESQL_CTL    its control: `$CHATBOT_TEST_POSTGRESQL_CTL stop|start|restart`.
# Each server lives in a temporary data directory (initdb, trust authentication on
# 127.0.0.1 only, a port the kernel picked). Without a PostgreSQL server installed
# (Debian: postgresql) the command runs alone, and the PostgreSQL tests are skipped.
# Usage: scripts/with-postgres.sh COMMAND [ARG...]
set -euo pipefail
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z $bindir || ! -x $bindir/initdb ]]; then
    echo "with-postgres: no PostgreSQL server installed (Debian: postgresql): the PostgreSQL tests are skipped" >&2
    exec "$@"
fi
root=$(mktemp -d /tmp/chatbot-pg.XXXXXX)
chmod 755 "$root"
as_owner=()
# initdb refuses to run as root: the servers then run as Debian's postgres user.
if [[ $(id -u) -eq 0 ]]; then
    chown postgres "$root"
    as_owner=(runuser -u postgres --)
fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
start() { # NAME PORT
    (cd "$root" && "${as_owner[@]}" "$bindir/initdb" -D "$root/$1" -U chatbot --auth=trust -E UTF8 --locale=C >"$root/$1.initdb.log")
    (cd "$root" && "${as_owner[@]}" "$bindir/pg_ctl" -D "$root/$1" -l "$root/$1.log" -w \
        -o "-p $2 -k $root -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null)
}
stop() {
    for name in main fault; do
        [[ -d $root/$name ]] && (cd "$root" && "${as_owner[@]}" "$bindir/pg_ctl" -D "$root/$name" -m immediate stop >/dev/null 2>&1 || true)
    done
    rm -rf "$root"
}
trap stop EXIT
main_port=$(free_port)
start main "$main_port"
fault_port=$(free_port)
start fault "$fault_port"
cat >"$root/fault-ctl.sh" <<CTL
#!/usr/bin/env bash
# fault-ctl.sh stop|start|restart: the second server.
cd "$root" && ${as_owner[*]} "$bindir/pg_ctl" -D "$root/fault" -l "$root/fault.log" -m fast -w \
    -o "-p $fault_port -k $root -c listen_addresses=127.0.0.1 -c max_connections=200" "\$1" >/dev/null
CTL
chmod 755 "$root/fault-ctl.sh"
export CHATBOT_TEST_POSTGRESQL="postgresql://chatbot@127.0.0.1:$main_port/postgres"
export CHATBOT_TEST_POSTGRESQL_FAULT="postgresql://chatbot@127.0.0.1:$fault_port/postgres"
export CHATBOT_TEST_POSTGRESQL_CTL="$root/fault-ctl.sh"
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$main_port and :$fault_port" >&2
"$@"
