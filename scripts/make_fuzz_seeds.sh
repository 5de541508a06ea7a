#!/usr/bin/env bash
# Regenerates the committed seed corpora of the fuzz targets, Tests/Fuzz/corpus/<Target>/
# (docs/fuzzing.md), from committed fixtures. Run it again whenever the index format (or a
# source format) changes: the index seeds are real indexes written by `chatbot-cli build`.
#
#   scripts/make_fuzz_seeds.sh            # builds .build/release/chatbot-cli if needed
#   CHATBOT_CLI=path/to/chatbot-cli scripts/make_fuzz_seeds.sh
#
# Only the generated seeds (seed-*) are replaced; other files in the corpus folders (the
# inputs of past crashes, crash-*) are kept. Everything stays small: the whole corpus must
# remain under ~1 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
C=Tests/Fuzz/corpus
if [ -z "${CHATBOT_CLI:-}" ]; then
    CHATBOT_CPU_FLAGS=1 swift build -c release --product chatbot-cli >&2
    CHATBOT_CLI=.build/release/chatbot-cli
fi
CLI=$CHATBOT_CLI
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

for t in FuzzAnalyzer FuzzTSV FuzzCSV FuzzJSON FuzzSynonyms FuzzNPY FuzzSpreadsheet FuzzWorkbookXML FuzzIndex FuzzIndexSealed FuzzCMatch; do
    mkdir -p "$C/$t"
    rm -f "$C/$t"/seed-*
done

# --- Analyser: the demo's questions, one per file, plus hand-picked hard cases.
i=0
while IFS= read -r line; do
    i=$((i + 1)); printf '%s' "$line" > "$C/FuzzAnalyzer/seed-question-$i.txt"
done < examples/rh/questions.txt
printf "Qu’a-t-il dit aujourd’hui ? Peut-on l'appeler à 10h30 le 14/07/2024, 12,5 %% ?" > "$C/FuzzAnalyzer/seed-clitics.txt"
printf 'écrivez à jean.dupont@example.fr ou https://rh.intranet/conges?x=1 — prud’hommes, week-end' > "$C/FuzzAnalyzer/seed-email-url.txt"
printf 'a\xcc\x81\xcc\x96\xcc\x81\xcc\x96\xcc\x81\xcc\x96 \xef\xb7\xba \xef\xac\x81 \xe2\x80\x8b\xc2\xad \xf0\x9f\x98\x80 \xc5\x93uvre' > "$C/FuzzAnalyzer/seed-unicode.txt"
printf 'caf\xc3 \xff\xfe invalide' > "$C/FuzzAnalyzer/seed-invalid-utf8.txt"

# --- Engine sources.
cp Tests/Fuzz/kb/small.tsv "$C/FuzzTSV/seed-small.tsv"
cp Tests/ChatbotEngineTests/Fixtures/sources/kb.tsv "$C/FuzzTSV/seed-kb.tsv"
printf '\xef\xbb\xbfa\tpremière question\r\na\tdeuxième\r\n\r\nb\ttroisième ?\r\n' > "$C/FuzzTSV/seed-bom-crlf.tsv"
cp examples/rh/faq.csv "$C/FuzzCSV/seed-rh.csv"
cp Tests/ChatbotEngineTests/Fixtures/sources/faq.csv "$C/FuzzCSV/seed-semicolon.csv"
printf 'id,question,answer,category,hidden,expires_at,attr:service\nx,"Une ""question"" ?","ligne 1\nligne 2",RH,oui,2027-01-31,paie\nx,autre question,,,,,\n' > "$C/FuzzCSV/seed-engine.csv"
"$CLI" export examples/rh/faq.xlsx -o "$TMP/template.csv" --force >/dev/null
head -c 6000 "$TMP/template.csv" > "$C/FuzzCSV/seed-template.csv"
cp Tests/ChatbotEngineTests/Fixtures/sources/faq.json "$C/FuzzJSON/seed-faq.json"
cp Tests/Fuzz/kb/vectors.json "$C/FuzzJSON/seed-vectors.json"
printf '[{"id": "a", "question": "Bonjour \\u00e9t\\u00e9 \\ud83d\\ude00", "answer": "1e3", "hidden": true, "attributes": {}}]' > "$C/FuzzJSON/seed-array.json"
cp examples/rh/synonymes.txt "$C/FuzzSynonyms/seed-rh.txt"
cp Tests/ChatbotEngineTests/Fixtures/sources/synonyms.txt "$C/FuzzSynonyms/seed-fixture.txt"

# --- .npy: versions 1-3, f4/f2/f8, 1-D and 2-D (written by hand: no numpy needed).
python3 - "$C/FuzzNPY" <<'PY'
import struct, sys
out = sys.argv[1]
def npy(name, major, descr, shape, values, fmt):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shape)
    lb = 2 if major == 1 else 4
    total = 6 + 2 + lb + len(header) + 1
    header += " " * ((64 - total % 64) % 64) + "\n"
    with open(f"{out}/seed-{name}.npy", "wb") as f:
        f.write(b"\x93NUMPY" + bytes([major, 0]))
        f.write(struct.pack("<H" if lb == 2 else "<I", len(header)))
        f.write(header.encode("latin-1"))
        f.write(b"".join(struct.pack(fmt, v) for v in values))
npy("f4-2x3", 1, "<f4", "(2, 3)", [0.5, -1, 0.25, 1, 0, 0], "<f")
npy("f2-3x2", 2, "<f2", "(3, 2)", [1, 0, 0.5, 0.5, -1, 2], "<e")
npy("f8-1d", 3, "<f8", "(4,)", [0.1, 0.2, 0.3, 0.4], "<d")
npy("f4-0x4", 1, "<f4", "(0, 4)", [], "<f")
PY

# --- Workbooks: the template fixtures and a few of the reader's (small ones only).
cp Tests/Fixtures/usine/template.xlsx "$C/FuzzSpreadsheet/seed-template.xlsx"
cp Tests/Fixtures/usine/template.ods "$C/FuzzSpreadsheet/seed-template.ods"
cp Tests/Fixtures/usine/errors.xlsx "$C/FuzzSpreadsheet/seed-errors.xlsx"
for f in basic.ods basic.xlsx dates_1900.xlsx handmade_1904.xlsx bad_shared_string.xlsx xlsxwriter.xlsx; do
    cp "Tests/SpreadsheetTests/Fixtures/$f" "$C/FuzzSpreadsheet/seed-$f"
done

# --- Workbook XML (FuzzWorkbookXML): the members of the same workbooks, unzipped, as the
# harness expects them (byte 0: 0 = xlsx, 1 = ods; then the members, NUL-separated).
python3 - "$C/FuzzWorkbookXML" Tests/Fixtures/usine/template.xlsx Tests/Fixtures/usine/template.ods \
    Tests/Fixtures/usine/errors.xlsx Tests/SpreadsheetTests/Fixtures/basic.xlsx Tests/SpreadsheetTests/Fixtures/basic.ods \
    Tests/SpreadsheetTests/Fixtures/dates_1900.xlsx Tests/SpreadsheetTests/Fixtures/handmade_1904.xlsx \
    Tests/SpreadsheetTests/Fixtures/xlsxwriter.xlsx <<'PY'
import os, sys, zipfile
xlsx = ["[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
        "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml"]
ods = ["mimetype", "content.xml", "META-INF/manifest.xml", "styles.xml"]
out = sys.argv[1]
for path in sys.argv[2:]:
    z = zipfile.ZipFile(path)
    names = set(z.namelist())
    is_ods = path.endswith(".ods")
    parts = [z.read(n) if n in names else b"" for n in (ods if is_ods else xlsx)]
    name = os.path.basename(path).replace(".", "-")
    with open(f"{out}/seed-{name}", "wb") as f:
        f.write(bytes([1 if is_ods else 0]) + b"\0".join(parts))
PY

# --- Indexes (both index targets share them): a learned model; no model; question
# embeddings (version 4 with LEMB); static word vectors (version 5); synonyms (the small-talk
# pack would make a 1.7 MB index: FuzzCMatch covers it).
python3 - "$TMP/tiny.cbwv" <<'PY'
import struct, sys
words = ["conge", "vacanc", "badg", "perdu", "mutuel", "adher", "question", "poser", "maison", "oubli"]
dim = 8
with open(sys.argv[1], "wb") as f:
    f.write(b"CBWV" + struct.pack("<IIII", 1, len(words), dim, 0))
    for i, w in enumerate(words):
        b = w.encode()
        f.write(struct.pack("<H", len(b)) + b + struct.pack("<f", 0.01 * (i + 1)))
        f.write(b"".join(struct.pack("<e", 1.0 if j == i % dim else 0.1) for j in range(dim)))
PY
I="$C/FuzzIndex"
"$CLI" build Tests/Fuzz/kb/small.tsv --quiet -o "$I/seed-small.cbindex"
"$CLI" build Tests/Fuzz/kb/small.tsv --no-learn --quiet -o "$I/seed-nolearn.cbindex"
"$CLI" build Tests/Fuzz/kb/vectors.json --quiet -o "$I/seed-vectors.cbindex"
"$CLI" build Tests/Fuzz/kb/small.tsv --word-vectors "$TMP/tiny.cbwv" --quiet -o "$I/seed-wordvectors.cbindex"
"$CLI" build Tests/ChatbotEngineTests/Fixtures/sources/faq.csv --synonyms Tests/ChatbotEngineTests/Fixtures/sources/synonyms.txt \
    --quiet -o "$I/seed-synonyms.cbindex"
for f in "$I"/seed-*; do cp "$f" "$C/FuzzIndexSealed/"; done

# --- C matching: 8 parameter bytes, then the question (see Tests/Fuzz/FuzzCMatch).
m() { printf "$1" > "$C/FuzzCMatch/seed-$2"; }
m '\x00\x05\x00\xfe\xfe\xfe\x00\x00combien il me reste de jours de conges' match
m '\x01\x03\x00\xfe\xfe\xfe\x00\x00j'"'"'ai perdu mon badge' json
m '\x0a\x05\x02\x80\x10\x40\x01\x00Comment poser des jours de congé ?' params-category
m '\x1f\x05\x00\xfe\xfe\xfe\x02\x04Poser un RTT' vector-json
m '\x26\x02\x00\x20\x00\x10\x00\x00badge oublié' vector-item
m '\x43\x01\x00\xfe\xfe\xfe\x00\x00bonjour, merci !' analyze
m '\x02\xc9\x7f\xff\x00\xff\x03\x08a\xcc\x81\xcc\x96\xcc\x81' limits
ls -la "$C"/*/seed-* | awk '{s += $5} END {print NR " seed files, " s " bytes"}'
