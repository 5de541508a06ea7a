#!/usr/bin/env bash
# CLI-level checks of `chatbot-cli anonymize`: one masked line per input line, --json,
# --pattern, and error handling. Runs the built binary on generated temporary files.
#   CHATBOT_CLI=path/to/chatbot-cli bash Tests/cli/test_anonymize.sh
# Needs python3 (JSON checks).
set -u
. "$(dirname "$0")/common.sh"
# run_in INPUT_FILE ARGS...: runs `chatbot-cli anonymize ARGS` on INPUT_FILE, sets $status, fills $WORK/out, $WORK/err
run_in() { local input=$1; shift; "$CLI" anonymize "$@" <"$input" >"$WORK/out" 2>"$WORK/err"; status=$?; }
same() { # same NAME EXPECTED_FILE: stdout equals the file
    if [ "$status" -eq 0 ] && cmp -s "$WORK/out" "$2"; then ok "$1"
    else fail "$1" "status $status; diff: $(diff "$2" "$WORK/out" | head -c 600) $(head -c 200 "$WORK/err")"; fi
}
expect_error() { # expect_error NAME EXPECTED_STATUS MESSAGE_SUBSTRING INPUT_FILE ARGS...
    local name=$1 want=$2 msg=$3; shift 3
    run_in "$@"
    if [ "$status" -ne "$want" ]; then fail "$name" "exit status $status, expected $want; stderr: $(head -c 300 "$WORK/err")"
    elif ! grep -qF -- "$msg" "$WORK/err"; then fail "$name" "stderr lacks '$msg': $(head -c 300 "$WORK/err")"
    elif [ -s "$WORK/out" ]; then fail "$name" "stdout should be empty: $(head -c 200 "$WORK/out")"
    else ok "$name"; fi
}

# --- fixtures (made-up data with computed check digits) -----------------------------------------
cat >"$WORK/in.txt" <<'TXT'
Bonjour, mon numéro de sécu est 1 84 12 75 123 456 40, je n'ai pas reçu ma carte vitale
Vous pouvez me joindre au 06.12.34.56.78

mon IBAN FR86 3000 4001 2300 0011 2233 M44 a changé
carte 4970 1012 3456 7893, écrire à jean.dupont@entreprise.fr 😊
matricule M123456, arrêt du 12/03/2024 à 10h30, prime 1 234,56 €, 75015 Paris
ticket 1234567812345678 et décret n° 2019-1234
TXT
cat >"$WORK/want.txt" <<'TXT'
Bonjour, mon numéro de sécu est [NIR], je n'ai pas reçu ma carte vitale
Vous pouvez me joindre au [TELEPHONE]

mon IBAN [IBAN] a changé
carte [CARTE], écrire à [EMAIL] 😊
matricule M123456, arrêt du 12/03/2024 à 10h30, prime 1 234,56 €, 75015 Paris
ticket 1234567812345678 et décret n° 2019-1234
TXT
sed 's/matricule M123456/matricule [MATRICULE]/' "$WORK/want.txt" >"$WORK/want_pattern.txt"

# --- plain output ----------------------------------------------------------------------------
run_in "$WORK/in.txt"
same "masks each line, keeps look-alikes and empty lines" "$WORK/want.txt"
if [ "$(wc -l <"$WORK/out")" -eq "$(wc -l <"$WORK/in.txt")" ]; then ok "same number of lines"; else fail "same number of lines"; fi

run_in "$WORK/in.txt" --pattern 'MATRICULE=M######'
same "--pattern masks the host's format" "$WORK/want_pattern.txt"

run_in "$WORK/in.txt" --pattern 'MATRICULE=M######' --pattern 'DOSSIER=RH-####'
same "--pattern is repeatable" "$WORK/want_pattern.txt"

printf 'tél 06 12 34 56 78\r\nsans fin de ligne 0612345678' >"$WORK/crlf.txt"
run_in "$WORK/crlf.txt"
if [ "$status" -eq 0 ] && [ "$(cat "$WORK/out")" = "$(printf 'tél [TELEPHONE]\nsans fin de ligne [TELEPHONE]')" ]; then
    ok "CR stripped, last line without newline"
else fail "CR stripped, last line without newline" "$(head -c 300 "$WORK/out")"; fi

: >"$WORK/empty.txt"
run_in "$WORK/empty.txt"
if [ "$status" -eq 0 ] && [ ! -s "$WORK/out" ]; then ok "empty stdin, empty stdout"; else fail "empty stdin, empty stdout"; fi

# --- JSON ------------------------------------------------------------------------------------
run_in "$WORK/in.txt" --json --pattern 'MATRICULE=M######'
if [ "$status" -eq 0 ] && python3 - "$WORK/in.txt" "$WORK/out" "$WORK/want_pattern.txt" <<'PY'
import json, sys
lines = open(sys.argv[1], 'rb').read().split(b'\n')[:-1]
objs = [json.loads(l) for l in open(sys.argv[2], encoding='utf-8')]
want = open(sys.argv[3], encoding='utf-8').read().split('\n')[:-1]
assert len(objs) == len(lines) == len(want), (len(objs), len(lines))
for raw, o, w in zip(lines, objs, want):
    assert set(o) == {"text", "redactions"}, o
    assert o["text"] == w, (o["text"], w)
    # Offsets are UTF-8 byte offsets into the input line; rebuilding from them gives the text.
    out, at = b'', 0
    for r in o["redactions"]:
        assert set(r) == {"kind", "start", "end"} and 0 <= at <= r["start"] < r["end"] <= len(raw), r
        out += raw[at:r["start"]] + b'[' + r["kind"].encode() + b']'
        at = r["end"]
    assert (out + raw[at:]).decode() == w
kinds = [r["kind"] for o in objs for r in o["redactions"]]
assert kinds == ["NIR", "TELEPHONE", "IBAN", "CARTE", "EMAIL", "MATRICULE"], kinds
PY
then ok "--json: text, redactions with byte offsets into the line"; else fail "--json" "$(head -c 600 "$WORK/out")"; fi

# --- errors ----------------------------------------------------------------------------------
printf 'ligne correcte\nmauvais \xff octet\n' >"$WORK/bad_utf8.txt"
expect_error "invalid UTF-8 names the line" 1 "stdin line 2: invalid UTF-8 at byte offset 8" "$WORK/bad_utf8.txt"
expect_error "--pattern without =" 64 "--pattern must be NAME=TEMPLATE" "$WORK/in.txt" --pattern 'M######'
expect_error "--pattern with a lowercase name" 64 "invalid pattern name \"matricule\"" "$WORK/in.txt" --pattern 'matricule=M######'
expect_error "--pattern with a built-in name" 64 "EMAIL is a built-in placeholder" "$WORK/in.txt" --pattern 'EMAIL=@@##'
expect_error "--pattern without # or @" 64 "has no # (digit) or @ (letter)" "$WORK/in.txt" --pattern 'A=bonjour'
expect_error "--pattern given twice" 64 "A is given twice" "$WORK/in.txt" --pattern 'A=#' --pattern 'A=@'

finish
