#!/usr/bin/env bash
# Throughput of `chatbot-cli anonymize` on a ~10 MB French corpus: the benchmark questions
# repeated, with one line in five carrying made-up personal data (phone, e-mail, NIR, IBAN,
# card) and one in five a look-alike (date, amount, decree number, non-Luhn number).
#   make release && bash Benchmarks/bench_anonymize.sh [CLI]
set -eu
CLI=${1:-.build/release/chatbot-cli}
DIR=$(cd "$(dirname "$0")" && pwd)
CORPUS=$(mktemp)
trap 'rm -f "$CORPUS"' EXIT
python3 - "$DIR/corpus/french-questions.txt" "$CORPUS" <<'PY'
import sys
questions = open(sys.argv[1], encoding='utf-8').read().split('\n')
questions = [q for q in questions if q]
data = ["appelez-moi au 06 12 34 56 78", "mon adresse jean.dupont@entreprise.fr",
        "sécu 1 84 12 75 123 456 40", "IBAN FR86 3000 4001 2300 0011 2233 M44", "carte 4970 1012 3456 7893"]
looks = ["le 12/03/2024 à 10h30", "prime de 1 234,56 €", "décret n° 2019-1234", "commande 4970 1012 3456 7891"]
out, size, i = [], 0, 0
while size < 10_000_000:
    q = questions[i % len(questions)]
    if i % 5 == 1: q = q + " " + data[i % len(data)]
    elif i % 5 == 3: q = q + " " + looks[i % len(looks)]
    out.append(q); size += len(q.encode()) + 1; i += 1
open(sys.argv[2], 'w', encoding='utf-8').write('\n'.join(out) + '\n')
PY
BYTES=$(wc -c <"$CORPUS")
LINES=$(wc -l <"$CORPUS")
best=""
for _ in 1 2 3; do
    start=$(date +%s.%N)
    "$CLI" anonymize <"$CORPUS" >/dev/null
    end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
done
MASKED=$("$CLI" anonymize <"$CORPUS" | grep -o '\[[A-Z]*\]' | wc -l)
printf '%d bytes, %d lines, %d placeholders; best of 3: %.3f s, %.1f MB/s\n' \
    "$BYTES" "$LINES" "$MASKED" "$best" "$(echo "$BYTES / $best / 1000000" | bc -l)"
