#!/usr/bin/env bash
# CLI-level checks of `export` and `inbox apply`: the inbox round trip from a logged question
# to the workbook the business side maintains, and back into the deployed index.
#   CHATBOT_CLI=path/to/chatbot-cli bash Tests/cli/test_apply.sh
# Needs python3 (JSON checks).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
FIXTURES="$HERE/../Fixtures/usine"
. "$(dirname "$0")/common.sh"

cd "$WORK" || exit 1
cp "$FIXTURES/template.xlsx" modele.xlsx
cp "$FIXTURES/template.ods" modele.ods
"$CLI" build modele.xlsx -o modele.cbindex 2>/dev/null || { echo "cannot build the fixture index"; exit 1; }
LOG="$WORK/log.db"
Q="j'aimerais m'absenter trois semaines cet été"

# --- export ------------------------------------------------------------------------------
run export modele.cbindex -o export.xlsx
check "export INDEX -o FILE.xlsx" test "$status" -eq 0 -a -s export.xlsx
run check export.xlsx
check "the exported workbook checks clean" grep -q "0 errors, 0 warnings" "$WORK/err"
run export modele.xlsx -o export.csv
check "export SOURCE -o FILE.csv" test "$status" -eq 0
check "the CSV export starts with a BOM and the template header" bash -c "head -c 6 export.csv | od -An -tx1 | grep -q 'ef bb bf 49 44 3b'"
expect_error "export refuses to overwrite" "use --force" export modele.cbindex -o export.xlsx
run export modele.cbindex -o export.xlsx --force
check "export --force replaces" test "$status" -eq 0
expect_error "export never writes over its input" "input itself" export export.xlsx -o export.xlsx --force
cp modele.cbindex misnamed-index.xlsx
expect_error "export never writes over an index" "compiled index" export modele.xlsx -o misnamed-index.xlsx --force
expect_error "export writes .xlsx or .csv" ".xlsx or .csv" export modele.xlsx -o out.ods

# --- the inbox round trip ----------------------------------------------------------------
run ask modele.cbindex --json --log "$LOG" "$Q"
check "the new phrasing is not answered" json_has "$WORK/out" "d['decision'] != 'answer'"
run inbox "$LOG" list --json
ID=$(python3 -c "import json,sys; print(next(q['id'] for q in json.load(open(sys.argv[1])) if q['question'] == sys.argv[2]))" "$WORK/out" "$Q")
check "inbox list --json has it" test -n "$ID"
run inbox "$LOG" accept "$ID" --item conges
check "inbox accept --item conges" grep -q "accepted → conges" "$WORK/out"
run ask modele.cbindex --log "$LOG" "qui a gagné le match de rugby hier soir"
run inbox "$LOG" list --json
OOS=$(python3 -c "import json,sys; print(next(q['id'] for q in json.load(open(sys.argv[1])) if 'rugby' in q['question']))" "$WORK/out")
run inbox "$LOG" mark-out-of-scope "$OOS"
cp modele.xlsx before.xlsx
run inbox "$LOG" apply modele.xlsx --index modele.cbindex
check "inbox apply --index succeeds" test "$status" -eq 0
cp "$WORK/out" apply.out
check "apply reports the added question" grep -q "^+ conges	$Q" apply.out
check "apply reports the out-of-scope example" grep -q "^+ phrase_hors_sujet	qui a gagné" apply.out
check "apply marks them applied" grep -q "marked 2 logged questions applied" apply.out
check "apply prints the rebuild time" grep -Eq "^rebuilt modele.cbindex: .* in [0-9]+ ms \((warm start|cold build)\)" apply.out
check "the rebuild is warm-started" grep -q "(warm start)" apply.out
BACKUP=$(ls modele.xlsx.bak-* 2>/dev/null | head -1)
check "the previous workbook is kept as SOURCE.bak-YYYYMMDD-HHMMSS" bash -c "[[ '$BACKUP' =~ ^modele\.xlsx\.bak-[0-9]{8}-[0-9]{6}$ ]] && cmp -s '$BACKUP' before.xlsx"
run check modele.xlsx
check "the rewritten workbook checks clean" grep -q "0 errors, 0 warnings" "$WORK/err"
run item modele.xlsx conges
check "the workbook has the new alternative" grep -qF "$Q" "$WORK/out"
run item modele.xlsx phrase_hors_sujet
check "the workbook has the out-of-scope example" grep -q "rugby" "$WORK/out"
check "no temporary file is left next to the index" bash -c "! ls | grep -q '\.tmp-'"
run ask modele.cbindex --json "$Q"
check "the same phrasing is now answered by conges" json_has "$WORK/out" "d['decision'] == 'answer' and d['matches'][0]['id'] == 'conges'"
run inbox "$LOG" list --json
check "applied questions stay reviewed" json_has "$WORK/out" "all(q['id'] != $ID for q in d)"

# --- idempotence and refusals ------------------------------------------------------------
run inbox "$LOG" apply modele.xlsx --index modele.cbindex
check "applying again has nothing to do" grep -q "nothing to apply" "$WORK/out"
check "applying again makes no second backup" test "$(ls modele.xlsx.bak-* | wc -l)" -eq 1
run ask modele.cbindex --log "$LOG" "$Q"
run inbox "$LOG" list --json
ID2=$(python3 -c "import json,sys; print(next(q['id'] for q in json.load(open(sys.argv[1])) if q['question'] == sys.argv[2]))" "$WORK/out" "$Q")
if [ -n "$ID2" ]; then
    run inbox "$LOG" accept "$ID2" --item conges
    run inbox "$LOG" apply modele.xlsx
    check "a question the item already has is skipped and reported" grep -q "^= conges.*already a question of the item" "$WORK/out"
    check "…and the source is left alone" test "$(ls modele.xlsx.bak-* | wc -l)" -eq 1
else
    ok "an answered question is not in the inbox to accept again"
fi
expect_error "apply refuses .ods sources" "not supported yet" inbox "$LOG" apply modele.ods
expect_error "apply refuses an index as the source" "compiled index" inbox "$LOG" apply modele.cbindex
expect_error "--index applies to inbox apply" "applies to inbox apply" inbox "$LOG" list --index modele.cbindex

finish
