#!/usr/bin/env bash
# Tests/cli/test_log.sh on PostgreSQL: run under scripts/with-postgres.sh, in a schema of its own.
#   CHATBOT_CLI=path/to/chatbot-cli scripts/with-postgres.sh bash Tests/cli/test_log_postgres.sh
set -eu
if [ -z "${CHATBOT_TEST_POSTGRESQL:-}" ]; then echo "skipped: no PostgreSQL test server (scripts/with-postgres.sh)"; exit 0; fi
schema="cli_$$"
export PGOPTIONS="-c client_min_messages=warning"
psql -q "$CHATBOT_TEST_POSTGRESQL" -c "CREATE SCHEMA $schema"
trap 'psql -q "$CHATBOT_TEST_POSTGRESQL" -c "DROP SCHEMA $schema CASCADE"' EXIT
CHATBOT_TEST_LOG_LOCATION="$CHATBOT_TEST_POSTGRESQL?options=-csearch_path%3D$schema" bash "$(dirname "$0")/test_log.sh"
