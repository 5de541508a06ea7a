#!/usr/bin/env bash
# CLI-level checks of the question log: `ask --log`, `stats`, `inbox`.
#   CHATBOT_CLI=path/to/chatbot-cli bash Tests/cli/test_log.sh
# With CHATBOT_TEST_LOG_LOCATION (an empty log, e.g. a postgresql:// location), the log
# checks run on it instead of a fresh SQLite file; Makefile's test-cli does both.
# Needs python3 (JSON checks); rsvg-convert is used when installed.
set -u
. "$(dirname "$0")/common.sh"

cat >"$WORK/kb.tsv" <<'TSV'
conges	Comment poser des congés ?
conges	Je veux prendre des vacances
salaire	Quand le salaire est-il versé ?
salaire	date de versement de la paie
teletravail	Puis-je télétravailler ?
st_bonjour	bonjour
TSV
"$CLI" build "$WORK/kb.tsv" -o "$WORK/kb.cbindex" 2>/dev/null || { echo "cannot build the fixture index"; exit 1; }
LOG="${CHATBOT_TEST_LOG_LOCATION:-$WORK/log.db}"

# --- ask --log ---------------------------------------------------------------------------
printf 'Comment poser des congés ?\nbonjour\nquelle est la couleur du ciel\nQuelle est la couleur du ciel ?!\n' >"$WORK/q.txt"
run ask "$WORK/kb.cbindex" --json --log "$LOG" --conversation conv-1 --channel web <"$WORK/q.txt"
if [ "$status" -eq 0 ] && [ "$(wc -l <"$WORK/out")" -eq 4 ]; then ok "ask --log answers every question"; else fail "ask --log answers every question" "$(cat "$WORK/err")"; fi
cp "$WORK/out" "$WORK/ask.json"
run ask "$WORK/kb.cbindex" --log "$LOG" "date de versement de la paie"
check "a second process appends to the same log" test "$status" -eq 0
# Decisions as ask printed them, to compare with stats.
answered=$(python3 -c "import json,sys; print(sum(json.loads(l)['decision']=='answer' for l in open(sys.argv[1])))" "$WORK/ask.json")
run stats "$LOG" --json --index "$WORK/kb.cbindex"
cp "$WORK/out" "$WORK/stats.json"
check "stats --json counts the typed questions" json_has "$WORK/stats.json" "d['questions'] == 5 and d['clicks'] == 0 and d['welcomes'] == 0"
check "stats --json answered agrees with ask" json_has "$WORK/stats.json" "d['answered'] == $answered + 1"
check "stats --json answer_rate = answered / questions" json_has "$WORK/stats.json" "abs(d['answer_rate'] - d['answered'] / d['questions']) < 1e-6"
check "stats --json rates add up" json_has "$WORK/stats.json" "d['answered'] + d['suggested'] + d['fallbacks'] == d['questions']"
check "stats --json conversations" json_has "$WORK/stats.json" "d['conversations'] == 2"
check "stats --json small talk is not most asked" json_has "$WORK/stats.json" "all(not x['id'].startswith('st_') for x in d['most_asked_items']) and d['most_asked_items'][0]['count'] >= 1"
check "stats --json never asked" json_has "$WORK/stats.json" "d['never_asked'] == ['teletravail']"
check "stats --json groups near-duplicate fallbacks" json_has "$WORK/stats.json" "d['top_fallbacks'][0]['count'] == 2 and d['top_fallbacks'][0]['normalized'] == 'quelle est la couleur du ciel'"
check "stats --json latency" json_has "$WORK/stats.json" "d['p50_latency_us'] > 0 and d['p99_latency_us'] >= d['p50_latency_us']"
check "stats --json weekly series" json_has "$WORK/stats.json" "d['by'] == 'week' and sum(p['questions'] for p in d['series']) == 5"
run stats "$LOG" --since 2000-01-01 --until 2000-01-08 --json
check "stats --since/--until restricts the period" json_has "$WORK/out" "d['questions'] == 0 and d['answer_rate'] == 0"
run stats "$LOG" --by day
check "stats text output" grep -q "answer rate" "$WORK/out"

# --- plot --------------------------------------------------------------------------------
run stats "$LOG" --plot "$WORK/rate.svg"
check "stats --plot writes an SVG" python3 -c "import sys,xml.dom.minidom as m; d=m.parse(sys.argv[1]); sys.exit(0 if d.documentElement.tagName=='svg' and d.getElementsByTagName('polyline') else 1)" "$WORK/rate.svg"
if command -v rsvg-convert >/dev/null; then
    check "the SVG renders" rsvg-convert "$WORK/rate.svg" -o "$WORK/rate.png"
fi

# --- inbox -------------------------------------------------------------------------------
run inbox "$LOG" list --json
check "inbox list --json lists the typed questions" json_has "$WORK/out" "len(d) == 5 and all(q['status'] == 'new' for q in d)"
run inbox "$LOG" list --band pending --json
check "inbox list --band pending has the fallbacks" json_has "$WORK/out" "len(d) == 2 and all(q['decision'] == 'fallback' for q in d)"
pending_id=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[0]['id'])" "$WORK/out")
run inbox "$LOG" list --limit 1
check "inbox list --limit" test "$(wc -l <"$WORK/out")" -eq 1
# Row ids are chosen by the recorder (time-based): find them by question.
run inbox "$LOG" list --json
cp "$WORK/out" "$WORK/list.json"
id_of() { python3 -c "import json,sys; print([q['id'] for q in json.load(open(sys.argv[1])) if q['question'] == sys.argv[2]][0])" "$WORK/list.json" "$1"; }
ID1=$(id_of "Comment poser des congés ?"); ID2=$(id_of "bonjour"); ID3=$(id_of "quelle est la couleur du ciel")
ID5=$(id_of "date de versement de la paie")
run inbox "$LOG" accept "$ID1"
check "inbox accept" grep -q "accepted → conges" "$WORK/out"
run inbox "$LOG" accept "$ID1"
check "inbox accept twice is harmless" grep -q "(unchanged)" "$WORK/out"
run inbox "$LOG" relink "$ID2" conges
check "inbox relink" grep -q "relinked → conges" "$WORK/out"
run inbox "$LOG" mark-out-of-scope "$pending_id"
check "inbox mark-out-of-scope" grep -q "out_of_scope → phrase_hors_sujet" "$WORK/out"
run inbox "$LOG" archive "$ID5"
check "inbox archive" grep -q "archived" "$WORK/out"
run inbox "$LOG" archive "$ID5"
check "inbox archive twice is harmless" grep -q "(unchanged)" "$WORK/out"
run inbox "$LOG" feedback "$ID1" relevant
check "inbox feedback" grep -q "feedback relevant" "$WORK/out"
run inbox "$LOG" list --json
check "reviewed questions leave the inbox" json_has "$WORK/out" "sorted(q['id'] for q in d) == [$ID3]"
run stats "$LOG" --json
check "feedback reaches the statistics" json_has "$WORK/out" "d['feedback']['relevant'] == 1 and d['answered_precision'] == 1"

# --- retention ---------------------------------------------------------------------------
run inbox "$LOG" purge 30
check "inbox purge 30 leaves fresh rows alone" grep -q "^purged 0 logged questions older than 30 days" "$WORK/out"
run inbox "$LOG" purge 0
check "inbox purge 0 blanks every text" grep -Eq "^purged [1-9][0-9]* logged questions? older than 0 days" "$WORK/out"
run stats "$LOG" --json
check "purged rows are still counted" json_has "$WORK/out" "d['questions'] == 5"
expect_error "inbox purge: invalid days" "invalid retention" inbox "$LOG" purge abc

# --- errors ------------------------------------------------------------------------------
expect_error "inbox: unknown id" "no logged question has id 999" inbox "$LOG" accept 999
expect_error "inbox: invalid id" "invalid question id" inbox "$LOG" archive abc
expect_error "inbox: unknown action" "unknown inbox action" inbox "$LOG" delete 1
expect_error "inbox: wrong argument count" "takes 2 arguments" inbox "$LOG" relink 1
expect_error "inbox: bad band" "band must be" inbox "$LOG" list --band urgent
expect_error "inbox: bad feedback" "feedback must be" inbox "$LOG" feedback 1 good
expect_error "inbox: missing log" "no such question log" inbox "$WORK/none.db" list
expect_error "stats: bad date" "must be a date" stats "$LOG" --since 2024-13-01
expect_error "stats: bad --by" "day or week" stats "$LOG" --by month
expect_error "stats: since after until" "before --until" stats "$LOG" --since 2024-02-01 --until 2024-01-01
expect_error "ask: --channel needs --log" "need --log" ask "$WORK/kb.cbindex" --channel web bonjour
printf '\x00\x00' >"$WORK/notalog.db"; echo "not a database at all, just text" >>"$WORK/notalog.db"
expect_error "stats: not a log" "question log" stats "$WORK/notalog.db"
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA user_version = 9'); c.commit()" "$WORK/newer.db"
expect_error "stats: a newer schema is refused" "schema version 9" stats "$WORK/newer.db"
run ask "$WORK/kb.cbindex" --log "$WORK/no/such/dir/log.db" bonjour salaire
if [ "$status" -eq 0 ] && [ "$(grep -c "warning: question log" "$WORK/err")" -eq 1 ] && grep -q "st_bonjour" "$WORK/out"; then
    ok "an unwritable log is reported once and questions are answered"
else fail "an unwritable log is reported once and questions are answered" "status $status: $(cat "$WORK/err")"; fi

finish
