#!/usr/bin/env bash
# CLI-level checks of `chatbot-cli eval`: output contracts, exports, cross-validation,
# comparison and error handling. Runs the built binary on generated temporary files.
#   CHATBOT_CLI=path/to/chatbot-cli bash Tests/cli/test_cli.sh
# Needs python3 (JSON checks); rsvg-convert is used when installed.
set -u
. "$(dirname "$0")/common.sh"

# --- fixtures --------------------------------------------------------------------------------
cat >"$WORK/kb.tsv" <<'TSV'
conges	Comment poser des congés ?
conges	Je veux prendre des vacances
conges	demande de congé annuel
salaire	Quand le salaire est-il versé ?
salaire	date de versement de la paie
teletravail	Puis-je télétravailler ?
teletravail	combien de jours de télétravail par semaine
mutuelle	Comment adhérer à la mutuelle ?
TSV
# The new version loses the holiday phrasings and gains a health-card phrasing the old one
# has no word of (so the old base cannot answer it, whatever the analyser).
cat >"$WORK/kb_new.tsv" <<'TSV'
conges	demande de congé annuel
salaire	Quand le salaire est-il versé ?
salaire	date de versement de la paie
salaire	à quelle date tombe la paie
teletravail	Puis-je télétravailler ?
teletravail	combien de jours de télétravail par semaine
mutuelle	Comment adhérer à la mutuelle ?
mutuelle	carte de tiers payant perdue
TSV
cat >"$WORK/dev.tsv" <<'TSV'
conges	Je veux prendre des vacances
mutuelle	carte de tiers payant
teletravail	Puis-je télétravailler ?
mutuelle	Comment adhérer à la mutuelle ?
_none	quelle est la couleur du ciel
TSV
# A labelled file for cross-validation: 4 ids, 6 rows each, plus out-of-scope rows.
python3 - "$WORK/cv.tsv" <<'PY'
import sys
topics = {
    "conges": ["poser des congés", "prendre des vacances", "jours de congé restants", "congé annuel",
               "demande de vacances", "solde de congés"],
    "salaire": ["date du salaire", "versement de la paie", "fiche de paie", "quand est versé le salaire",
                "paie en retard", "montant du salaire"],
    "teletravail": ["télétravail autorisé", "jours de télétravail", "travailler de chez moi",
                    "télétravail par semaine", "matériel pour le télétravail", "demande de télétravail"],
    "mutuelle": ["adhérer à la mutuelle", "remboursement mutuelle", "carte de mutuelle",
                 "mutuelle pour mes enfants", "résilier la mutuelle", "tarif de la mutuelle"],
}
rows = []
for i in range(6):
    for k, qs in topics.items():
        rows.append(f"{k}\t{qs[i]}")
rows += ["_none\tquelle heure est-il à Tokyo", "_none\trecette de la tarte aux pommes"]
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
PY

# --- eval: the JSON contract ------------------------------------------------------------------
run eval "$WORK/kb.tsv" "$WORK/dev.tsv" --json
check "eval --json exits 0" test "$status" -eq 0
check "eval --json prints exactly one JSON object on one line" \
    python3 -c "import json,sys; t=open(sys.argv[1]).read(); assert t.count('\n')==1; assert isinstance(json.loads(t), dict)" "$WORK/out"
check "eval --json has exactly the documented keys" json_has "$WORK/out" "sorted(d) == sorted(['count','top1','top3','mrr','answer_rate','answered_precision','p50_latency_us','p99_latency_us','in_scope_count','out_of_scope_count','false_answer_rate','out_of_scope_false_answer_rate','rank_depth','answer_threshold','ambiguity_margin','macro_f1','per_item','confusions'])"
check "eval --json keeps the original eight keys first, in order" \
    python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert list(d)[:8]==['count','top1','top3','mrr','answer_rate','answered_precision','p50_latency_us','p99_latency_us']" "$WORK/out"
check "eval counts out-of-scope questions" json_has "$WORK/out" "d['count']==5 and d['out_of_scope_count']==1 and d['in_scope_count']==4"
check "eval --json per_item rows carry support/precision/recall/f1" json_has "$WORK/out" \
    "all(set(r)=={'id','support','predicted','correct','precision','recall','f1'} for r in d['per_item']) and sum(r['support'] for r in d['per_item'])==4"
check "eval --json top-1 is consistent with per_item" json_has "$WORK/out" \
    "abs(sum(r['correct'] for r in d['per_item'])/4 - d['top1']) < 1e-6"

# --- eval: text output ------------------------------------------------------------------------
run eval "$WORK/kb.tsv" "$WORK/dev.tsv" --details 2
check "text output has the sweep table" grep -q "threshold  answered%  precision%  false-answer%" "$WORK/out"
check "text output has the per-item table" grep -q "^per-item top-1 (worst 2 of" "$WORK/out"
check "text output has the confusion list" grep -q "^most confused pairs" "$WORK/out"
check "text output reports out-of-scope questions" grep -q "^out of scope *1" "$WORK/out"

# --- sweep CSV and SVG plot ---------------------------------------------------------------------
run eval "$WORK/kb.tsv" "$WORK/dev.tsv" --json --sweep-csv "$WORK/sweep.csv" --plot "$WORK/sweep.svg"
check "exports do not change stdout (still one JSON object)" json_has "$WORK/out" "'top1' in d"
check "sweep CSV header" test "$(head -1 "$WORK/sweep.csv")" = "threshold,answer_rate,precision,false_answer_rate"
check "sweep CSV has 101 rows from 0.00 to 1.00" python3 -c "
import csv,sys
rows=list(csv.DictReader(open(sys.argv[1])))
assert len(rows)==101, len(rows)
assert [r['threshold'] for r in rows]==['%.2f'%(i/100) for i in range(101)]
for r in rows:
    a,p,f=float(r['answer_rate']),float(r['precision']),float(r['false_answer_rate'])
    assert 0<=a<=1 and 0<=p<=1 and 0<=f<=a+1e-9
assert all(float(x['answer_rate'])>=float(y['answer_rate']) for x,y in zip(rows,rows[1:]))
" "$WORK/sweep.csv"
check "SVG plot starts with the XML declaration and has 3 curves" python3 -c "
import sys, xml.etree.ElementTree as ET
t=open(sys.argv[1]).read(); assert t.startswith('<?xml')
root=ET.fromstring(t); ns='{http://www.w3.org/2000/svg}'
assert root.tag==ns+'svg'
assert len(root.findall('.//'+ns+'polyline'))==3
texts=[e.text for e in root.iter(ns+'text')]
assert 'answer rate' in texts and 'false-answer rate' in texts and 'threshold 0.85' in texts
" "$WORK/sweep.svg"
if command -v rsvg-convert >/dev/null; then
    check "rsvg-convert renders the SVG plot" rsvg-convert "$WORK/sweep.svg" -o "$WORK/sweep.png"
    check "rendered PNG is not empty" test -s "$WORK/sweep.png"
else
    echo "skip  rsvg-convert not installed"
fi

# --- compiled index as input ------------------------------------------------------------------
"$CLI" build "$WORK/kb.tsv" -o "$WORK/old.idx" 2>/dev/null
"$CLI" build "$WORK/kb_new.tsv" -o "$WORK/new.idx" 2>/dev/null
run eval "$WORK/old.idx" "$WORK/dev.tsv" --json
cp "$WORK/out" "$WORK/idx.json"
run eval "$WORK/kb.tsv" "$WORK/dev.tsv" --json
check "index and source give the same accuracy" python3 -c "
import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2]))
for k in ['count','top1','top3','mrr','answer_rate','answered_precision','per_item','confusions']: assert a[k]==b[k], k
" "$WORK/idx.json" "$WORK/out"

# --- compare ----------------------------------------------------------------------------------
run eval --compare "$WORK/old.idx" "$WORK/new.idx" "$WORK/dev.tsv" --json
check "compare --json exits 0 without --fail-on-loss" test "$status" -eq 0
check "compare --json has counts and change lists" json_has "$WORK/out" \
    "{'count','gained_count','lost_count','changed_count','unchanged_count','gained','lost','changed'} <= set(d) and d['count']==5"
check "compare finds the lost holiday question and the gained health-card question" json_has "$WORK/out" \
    "[c['expected'] for c in d['lost']]==['conges'] and d['lost'][0]['old']=='conges' and [c['expected'] for c in d['gained']]==['mutuelle'] and d['gained'][0]['old'] is None and d['gained'][0]['new']=='mutuelle'"
check "compare change entries have the documented fields" json_has "$WORK/out" \
    "all({'question','expected','old','new','old_decision','new_decision'} <= set(c) for c in d['gained']+d['lost']+d['changed'])"
check "compare counts match the lists" json_has "$WORK/out" \
    "d['gained_count']==len(d['gained']) and d['lost_count']==len(d['lost']) and d['unchanged_count']==d['count']-len(d['gained'])-len(d['lost'])-len(d['changed'])"
run eval --compare "$WORK/old.idx" "$WORK/new.idx" "$WORK/dev.tsv"
check "compare text lists the lost question" grep -q "^  line 1: expected conges; old conges (answer)" "$WORK/out"
check "compare text has the summary line" grep -q "^compared 5 questions: 1 gained, 1 lost" "$WORK/out"
run eval --compare "$WORK/old.idx" "$WORK/new.idx" "$WORK/dev.tsv" --fail-on-loss
check "--fail-on-loss exits 3 when a question is lost" test "$status" -eq 3
check "--fail-on-loss says how many were lost" grep -q "1 question(s) lost" "$WORK/err"
run eval --compare "$WORK/new.idx" "$WORK/new.idx" "$WORK/dev.tsv" --fail-on-loss --json
check "--fail-on-loss exits 0 when nothing is lost" test "$status" -eq 0
check "a base compared with itself changes nothing" json_has "$WORK/out" "d['gained_count']==d['lost_count']==d['changed_count']==0"

# --- cross-validation ---------------------------------------------------------------------------
run eval "$WORK/cv.tsv" --folds 3 --seed 11 --json
cp "$WORK/out" "$WORK/cv_a.json"
check "--folds exits 0" test "$status" -eq 0
check "--folds JSON has the fold keys" json_has "$WORK/cv_a.json" \
    "d['folds']==3 and d['seed']==11 and len(d['fold_top1'])==3 and sorted(d['fold_sizes'])==[8,9,9] and d['count']==26 and d['out_of_scope_count']==2"
check "--folds mean is the mean of the folds" json_has "$WORK/cv_a.json" "abs(sum(d['fold_top1'])/3 - d['fold_top1_mean']) < 1e-5"
run eval "$WORK/cv.tsv" --folds 3 --seed 11 --json
cp "$WORK/out" "$WORK/cv_b.json"
run eval "$WORK/cv.tsv" --folds 3 --seed 12 --json
cp "$WORK/out" "$WORK/cv_c.json"
strip_latency='import json,sys; d=json.load(open(sys.argv[1])); [d.pop(k) for k in ("p50_latency_us","p99_latency_us","seed")]; print(json.dumps(d, sort_keys=True))'
check "--folds is deterministic for a seed" test "$(python3 -c "$strip_latency" "$WORK/cv_a.json")" = "$(python3 -c "$strip_latency" "$WORK/cv_b.json")"
check "--folds differs across seeds" test "$(python3 -c "$strip_latency" "$WORK/cv_a.json")" != "$(python3 -c "$strip_latency" "$WORK/cv_c.json")"
run eval "$WORK/cv.tsv" --folds 4 --plot "$WORK/cv.svg"
check "--folds text output shows the folds" grep -q "^top-1 mean ± std" "$WORK/out"
check "--folds --plot writes an SVG" grep -q "4-fold cross-validation" "$WORK/cv.svg"

# --- errors ---------------------------------------------------------------------------------------
expect_error() { # expect_error NAME EXPECTED_STATUS MESSAGE_SUBSTRING ARGS...
    local name=$1 want=$2 msg=$3; shift 3
    run "$@"
    if [ "$status" -ne "$want" ]; then fail "$name" "exit status $status, expected $want; stderr: $(head -c 300 "$WORK/err")"
    elif ! grep -qF -- "$msg" "$WORK/err"; then fail "$name" "stderr lacks '$msg': $(head -c 300 "$WORK/err")"
    elif [ -s "$WORK/out" ]; then fail "$name" "stdout should be empty: $(head -c 200 "$WORK/out")"
    else ok "$name"; fi
}
printf 'conges\tComment poser des congés ?\nthis line has no tab\n' >"$WORK/bad.tsv"
expect_error "missing labelled file" 1 "$WORK/nope.tsv" eval "$WORK/kb.tsv" "$WORK/nope.tsv"
expect_error "missing knowledge base" 1 "$WORK/nokb.tsv" eval "$WORK/nokb.tsv" "$WORK/dev.tsv"
expect_error "malformed labelled file names file and line" 1 "$WORK/bad.tsv:2:" eval "$WORK/kb.tsv" "$WORK/bad.tsv"
expect_error "malformed labelled file with --folds" 1 "$WORK/bad.tsv:2:" eval "$WORK/bad.tsv" --folds 2
expect_error "--folds 1 is refused" 64 "--folds must be at least 2" eval "$WORK/cv.tsv" --folds 1
expect_error "--folds larger than the rows is refused" 1 "cannot make 27 folds from 26 labelled rows" eval "$WORK/cv.tsv" --folds 27
expect_error "--folds with two files is refused" 64 "--folds expects one file" eval "$WORK/kb.tsv" "$WORK/cv.tsv" --folds 2
expect_error "one file without --folds is refused" 64 "expected 2 files" eval "$WORK/dev.tsv"
expect_error "--compare needs three files" 64 "--compare expects 3 files" eval --compare "$WORK/old.idx" "$WORK/dev.tsv"
expect_error "--compare and --folds conflict" 64 "cannot be combined" eval --compare "$WORK/old.idx" "$WORK/new.idx" "$WORK/dev.tsv" --folds 2
expect_error "--fail-on-loss needs --compare" 64 "--fail-on-loss applies to --compare only" eval "$WORK/kb.tsv" "$WORK/dev.tsv" --fail-on-loss
expect_error "negative --details is refused" 64 "--details must be 0 or more" eval "$WORK/kb.tsv" "$WORK/dev.tsv" --details=-1
expect_error "unwritable --plot path" 1 "cannot write $WORK/no/such/dir/p.svg" eval "$WORK/kb.tsv" "$WORK/dev.tsv" --plot "$WORK/no/such/dir/p.svg"
expect_error "unwritable --sweep-csv path" 1 "cannot write $WORK/no/such/dir/s.csv" eval "$WORK/kb.tsv" "$WORK/dev.tsv" --sweep-csv "$WORK/no/such/dir/s.csv"
expect_error "compare with a missing base" 1 "$WORK/gone.idx" eval --compare "$WORK/gone.idx" "$WORK/new.idx" "$WORK/dev.tsv"

# Issue 13: sources are never destroyed, and odd files never hang.
cp "$WORK/kb.tsv" "$WORK/keep.tsv"
printf 'congé;vacances\n' >"$WORK/keep-syn.txt"
ln -sf "$WORK/keep.tsv" "$WORK/keep-link.tsv"
sum_before=$(cat "$WORK/keep.tsv" "$WORK/keep-syn.txt" | cksum)
expect_error "build -o SOURCE is refused" 1 "it is the knowledge-base source of this build" build "$WORK/keep.tsv" -o "$WORK/keep.tsv"
expect_error "build -o SYNONYMS is refused" 1 "it is the synonyms file of this build" build "$WORK/keep.tsv" --synonyms "$WORK/keep-syn.txt" -o "$WORK/keep-syn.txt"
expect_error "build -o a link to the source is refused" 1 "it is the knowledge-base source" build "$WORK/keep.tsv" -o "$WORK/keep-link.tsv"
check "the refused builds left the source and synonyms untouched" test "$(cat "$WORK/keep.tsv" "$WORK/keep-syn.txt" | cksum)" = "$sum_before"
mkfifo "$WORK/fifo.cbindex"
for args in "ask $WORK/fifo.cbindex bonjour" "build $WORK/fifo.cbindex -o $WORK/f.idx" "build $WORK/kb.tsv --synonyms $WORK/fifo.cbindex -o $WORK/f.idx"; do
    # shellcheck disable=SC2086
    timeout 20 "$CLI" $args >"$WORK/out" 2>"$WORK/err"; status=$?
    if [ "$status" -eq 1 ] && grep -qF "not a regular file" "$WORK/err"; then ok "a FIFO is refused at once: $args"
    else fail "a FIFO is refused at once: $args" "status $status (124 = hung): $(head -c 200 "$WORK/err")"; fi
done

# Issue 13: an `ask` that has the index open answers the same after the file is rewritten in
# place (`cp`) and emptied (`: >`); before, it looped forever or died of SIGBUS.
"$CLI" build "$WORK/kb.tsv" -o "$WORK/live.cbindex" 2>/dev/null
cp "$WORK/new.idx" "$WORK/other.idx"
mkfifo "$WORK/questions.fifo"
timeout 60 "$CLI" ask "$WORK/live.cbindex" --json <"$WORK/questions.fifo" >"$WORK/live.out" 2>"$WORK/err" &
ask_pid=$!
exec 3>"$WORK/questions.fifo"
echo "congés" >&3
sleep 1
cp "$WORK/other.idx" "$WORK/live.cbindex"
echo "congés" >&3
: >"$WORK/live.cbindex"
echo "congés" >&3
exec 3>&-
wait "$ask_pid"; status=$?
check "ask survives its index rewritten in place and emptied (exit 0)" test "$status" -eq 0
check "ask answers the same three times" test "$(sort -u "$WORK/live.out" | wc -l)" -eq 1 -a "$(wc -l <"$WORK/live.out")" -eq 3
expect_error "the emptied index is refused on the next open" 1 "invalid index: file is truncated" ask "$WORK/live.cbindex" bonjour

# Issue 15: `ask --map` answers as the copy does; a mapped index with damaged contents opens,
# then the first question reports the damage (exit 1, nothing on stdout).
"$CLI" build "$WORK/kb.tsv" -o "$WORK/mapped.cbindex" 2>/dev/null
"$CLI" ask "$WORK/mapped.cbindex" --json congés badge >"$WORK/copied.out" 2>/dev/null
run ask "$WORK/mapped.cbindex" --map --json congés badge
check "ask --map answers as the copy does" cmp "$WORK/out" "$WORK/copied.out"
python3 - "$WORK/mapped.cbindex" "$WORK/mapped-damaged.cbindex" <<'PY'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
data[-100] ^= 0x5A
open(sys.argv[2], "wb").write(bytes(data))
PY
expect_error "ask --map reports damaged contents at the first question" 1 "invalid index: file is corrupted (checksum mismatch)" \
    ask "$WORK/mapped-damaged.cbindex" --map congés
check "nothing answered from the damaged mapped index" test ! -s "$WORK/out"
expect_error "ask --map refuses a cut index at open" 1 "invalid index: file is truncated" ask "$WORK/live.cbindex" --map bonjour

# --- control characters in ids, NUL in stdin questions -------------------------------------------
# A NUL ends a C string: C, Python and PHP would see `con` and `con\0ges` as one id.
printf 'conges\tComment poser des congés ?\ncon\0ges\tJe veux prendre des vacances\n' >"$WORK/nul_id.tsv"
expect_error "build refuses a NUL in a TSV id with its row" 1 "$WORK/nul_id.tsv:2: error: the id contains a control character, NUL (U+0000) at character 4" \
    build "$WORK/nul_id.tsv" -o "$WORK/nul_id.idx"
check "nothing is built for a NUL in an id" test ! -e "$WORK/nul_id.idx"
printf '{"items": [{"id": "conges", "question": "Comment poser des congés ?"},\n {"id": "conges\\u0000", "question": "vacances"}]}\n' >"$WORK/nul_id.json"
expect_error "build refuses a \\u0000 escape in a JSON id with its row" 1 "$WORK/nul_id.json:2: error: items[1]: the id contains a control character, NUL (U+0000) at character 7" \
    build "$WORK/nul_id.json" -o "$WORK/nul_id.idx"
printf 'id;question\nconges;Comment poser des congés ?\n"con\tges";vacances\n' >"$WORK/tab_id.csv"
expect_error "build refuses a tab in a CSV id with its row" 1 "$WORK/tab_id.csv:3: error: the id contains a control character, U+0009 at character 4" \
    build "$WORK/tab_id.csv" -o "$WORK/nul_id.idx"
run check "$WORK/tab_id.csv" --json
check "check --json gives the code, row and column" json_has "$WORK/out" \
    "not d['valid'] and [(x['code'], x['row'], x['column']) for x in d['diagnostics']] == [('id_control_character', 3, 'A')]"

printf 'congés\nsal\0aire\nquand le salaire est-il versé\n' >"$WORK/nul_questions.txt"
"$CLI" ask "$WORK/kb.tsv" --json <"$WORK/nul_questions.txt" >"$WORK/out" 2>"$WORK/err"; status=$?
check "ask exits 1 when a stdin question holds a NUL" test "$status" -eq 1
check "ask names the refused line and the NUL's byte offset" grep -qF "stdin line 2: question contains a NUL byte at byte offset 3" "$WORK/err"
check "ask says how many lines were refused" grep -qF "1 stdin line was refused" "$WORK/err"
check "ask answers the lines before and after the refused one" python3 -c "
import json,sys; rows=[json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
assert [r['question'] for r in rows] == ['congés', 'quand le salaire est-il versé'], rows
assert rows[1]['matches'][0]['id'] == 'salaire'
" "$WORK/out"
printf 'bonjour\n\0\nmon mail : a.b@exemple.fr\n' | "$CLI" anonymize >"$WORK/out" 2>"$WORK/err"; status=$?
check "anonymize refuses a NUL line, goes on, exits 1" test "$status" -eq 1 -a "$(cat "$WORK/out")" = "$(printf 'bonjour\nmon mail : [EMAIL]')"
check "anonymize names the refused line" grep -qF "stdin line 2: text contains a NUL byte at byte offset 0" "$WORK/err"

finish
