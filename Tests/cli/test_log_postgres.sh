#!/usr/bin/env bash
# Tests/cli/test_log.sh on PostgreSQL, in a schema of its own; then what only a PostgreSQL
# location has: libpq's environment variables and service files, and masked passwords.
#   CHATBOT_CLI=path/to/chatbot-cli scripts/with-postgres.sh bash Tests/cli/test_log_postgres.sh
set -u
if [ -z "${CHATBOT_TEST_POSTGRESQL:-}" ]; then echo "skipped: no PostgreSQL test server (scripts/with-postgres.sh)"; exit 0; fi
export PGOPTIONS="-c client_min_messages=warning"
schema="cli_$$"
psql -q "$CHATBOT_TEST_POSTGRESQL" -c "CREATE SCHEMA $schema" || exit 1
LOCATION="$CHATBOT_TEST_POSTGRESQL?options=-csearch_path%3D$schema"
CHATBOT_TEST_LOG_LOCATION="$LOCATION" bash "$(dirname "$0")/test_log.sh" || shared_failed=1

. "$(dirname "$0")/common.sh"
trap 'rm -rf "$WORK"; psql -q "$CHATBOT_TEST_POSTGRESQL" -c "DROP SCHEMA $schema CASCADE"' EXIT
[ -z "${shared_failed:-}" ] && ok "the CLI log suite passes on PostgreSQL" || fail "the CLI log suite passes on PostgreSQL"
# postgresql://chatbot@127.0.0.1:PORT/postgres → its parts, for the environment and a service file.
hostport=${CHATBOT_TEST_POSTGRESQL#*@}; hostport=${hostport%%/*}
host=${hostport%:*}; port=${hostport##*:}
run stats "$LOCATION" --json
expected=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["questions"])' "$WORK/out")
run_env() { env "$@" "$CLI" stats "postgresql:///postgres?options=-csearch_path%3D$schema" --json >"$WORK/out" 2>"$WORK/err"; status=$?; }
run_env PGHOST="$host" PGPORT="$port" PGUSER=chatbot
expect "libpq's environment variables name the server" '[ $status -eq 0 ] && json_has "$WORK/out" "d[\"questions\"] == $expected"'
cat >"$WORK/services.conf" <<SERVICES
[chatbot-log]
host=$host
port=$port
user=chatbot
dbname=postgres
SERVICES
env PGSERVICEFILE="$WORK/services.conf" "$CLI" stats "postgresql:///?service=chatbot-log&options=-csearch_path%3D$schema" --json >"$WORK/out" 2>"$WORK/err"; status=$?
expect "a service file names the server" '[ $status -eq 0 ] && json_has "$WORK/out" "d[\"questions\"] == $expected"'
expect_error "an unreachable server: libpq's message, the password masked" "postgresql://chatbot:\*\*\*@127.0.0.1:1/postgres" stats "postgresql://chatbot:s3cret@127.0.0.1:1/postgres"
expect "no password in the message" '! grep -q s3cret "$WORK/err"'
run inbox "postgresql://chatbot@$host:$port/postgres?options=-csearch_path%3Dno_such_schema" list
expect "a database without a log, read-only: refused" '[ $status -ne 0 ] && grep -q "not a question log" "$WORK/err"'
finish
