# Shared by the CLI test scripts (Tests/cli/test_*.sh); sourced after `set -u`. Sets CLI
# (absolute: $CHATBOT_CLI, default .build/debug/chatbot-cli) and WORK (a temporary folder,
# removed at exit), and defines the checks; each script ends with `finish`.
CLI=${CHATBOT_CLI:-.build/debug/chatbot-cli}
if [ ! -x "$CLI" ]; then
    echo "chatbot-cli not found at $CLI (build it with: make build, or CHATBOT_CPU_FLAGS=1 swift build --product chatbot-cli)" >&2
    exit 2
fi
case "$CLI" in /*) ;; *) CLI="$PWD/$CLI" ;; esac  # some scripts run inside $WORK
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
passed=0
failed=0
ok()   { passed=$((passed + 1)); echo "ok    $1"; }
fail() { failed=$((failed + 1)); echo "FAIL  $1"; [ $# -gt 1 ] && printf '      %s\n' "$2"; }
check() { # check NAME COMMAND...: passes when the command succeeds
    local name=$1; shift
    if "$@" >"$WORK/check.out" 2>&1; then ok "$name"; else fail "$name" "$(head -c 600 "$WORK/check.out")"; fi
}
# run ARGS...: runs chatbot-cli, sets $status and fills $WORK/out, $WORK/err
run() { "$CLI" "$@" >"$WORK/out" 2>"$WORK/err"; status=$?; }
expect() { # expect NAME CONDITION: the shell condition holds; shows stderr on failure
    if eval "$2"; then ok "$1"; else fail "$1" "status=$status; $(head -c 800 "$WORK/err")"; fi
}
expect_error() { # expect_error NAME PATTERN ARGS...: non-zero exit and PATTERN on stderr
    local name=$1 pattern=$2; shift 2
    run "$@"
    if [ "$status" -ne 0 ] && grep -q -- "$pattern" "$WORK/err"; then ok "$name"
    else fail "$name" "status $status, stderr: $(head -c 300 "$WORK/err")"; fi
}
json_has() { # json_has FILE PYTHON_EXPR: the expression over `d` (the parsed object) is true
    python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1"
}
jsonl_has() { # jsonl_has FILE PYTHON_EXPR: the same over `d`, the list of one object per line
    python3 -c "import json,sys; d=[json.loads(l) for l in open(sys.argv[1])]; sys.exit(0 if ($2) else 1)" "$1"
}
finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
