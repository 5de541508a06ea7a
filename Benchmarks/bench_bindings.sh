#!/usr/bin/env bash
# Matches the same questions through Swift, C, Python and PHP, and reports the per-call
# overhead of each binding.
#
#   Benchmarks/bench_bindings.sh [--kb SOURCE] [--questions LABELLED.tsv] [-n N]
#                                [--top-k K] [--rounds R] [--out DIR]
#
#  --kb         knowledge base compiled with `chatbot-cli build`
#               (default ../shared/data/massive-fr/kb.tsv, beside the checkout)
#  --questions  labelled questions, expected_id<TAB>question (default: dev.tsv next to
#               the kb when it exists, else the kb's own questions); cycled to N lines
#  -n           number of questions (default 10000); --top-k (5); --rounds (3)
#  --out        working folder (default .build/bench-bindings)
#
# Swift: `chatbot-cli eval` times Engine.match once per question (default top-k 5) and
# reports only the median (p50), so the Swift row has no mean. C: bench_bindings_c.c.
# Python: bench_bindings.py over bindings/python (ctypes). PHP: bench_bindings.php over
# bindings/php (FFI). Each of those reports the mean (best of R rounds after a warm-up
# round) and the median (p50 of one round) in µs per question. Builds libchatbot.so
# (`make lib`) and chatbot-cli (release) when they are missing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

kb=$root/../shared/data/massive-fr/kb.tsv
questions=""
n=10000
top_k=5
rounds=3
out=$root/.build/bench-bindings
while (($#)); do
    case $1 in
        --kb) kb=$2; shift 2 ;;
        --questions) questions=$2; shift 2 ;;
        -n) n=$2; shift 2 ;;
        --top-k) top_k=$2; shift 2 ;;
        --rounds) rounds=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench_bindings.sh: unknown argument $1 (see --help)" >&2; exit 64 ;;
    esac
done
[[ -f $kb ]] || { echo "bench_bindings.sh: $kb: no such file" >&2; exit 1; }
if [[ -z $questions ]]; then
    questions=$(dirname "$kb")/dev.tsv
    [[ -f $questions && $kb == *.tsv ]] || questions=$kb
fi
[[ -f $questions ]] || { echo "bench_bindings.sh: $questions: no such file" >&2; exit 1; }

lib=$root/.build/release/libchatbot.so
cli=$root/.build/release/chatbot-cli
# The CLI first: on a fresh checkout, `swift build -c release` replaces a .build/release
# folder made by `make lib` with a symlink, which would drop libchatbot.so.
[[ -x $cli ]] || CHATBOT_CPU_FLAGS=1 swift build -c release --product chatbot-cli
[[ -f $lib ]] || make lib
export CHATBOT_LIBRARY=$lib
mkdir -p "$out"

echo "== index: $kb"
# Source warnings (duplicate questions…) go to a log: they do not matter here.
"$cli" build "$kb" -o "$out/index.cbindex" 2> "$out/build.log" || { cat "$out/build.log" >&2; exit 1; }
tail -1 "$out/build.log"
# N labelled questions, cycling through the file; the unlabelled copy feeds C/Python/PHP.
awk -F'\t' -v n="$n" 'BEGIN { c = 0 } NF >= 2 && $1 != "" && $2 != "" { id[c] = $1; q[c] = $2; c++ }
    END { if (c == 0) exit 1; for (i = 0; i < n; i++) printf "%s\t%s\n", id[i % c], q[i % c] }' \
    "$questions" > "$out/labelled.tsv" || { echo "bench_bindings.sh: no id<TAB>question lines in $questions" >&2; exit 1; }
cut -f2 "$out/labelled.tsv" > "$out/questions.txt"
echo "== $(wc -l < "$out/questions.txt") questions from $questions, top_k $top_k, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

results=$out/results.tsv
: > "$results"

echo "== Swift: chatbot-cli eval"
"$cli" eval "$out/index.cbindex" "$out/labelled.tsv" --json > "$out/eval.json" 2> "$out/eval.log" ||
    { cat "$out/eval.log" >&2; exit 1; }
python3 -c 'import json,sys; print("swift_match\t-\t%.3f" % json.load(open(sys.argv[1]))["p50_latency_us"])' \
    "$out/eval.json" >> "$results"
tail -1 "$results"

echo "== C: bench_bindings_c.c"
cc -O2 -std=c11 -IInclude Benchmarks/bench_bindings_c.c -o "$out/bench_c" -L"$(dirname "$lib")" -lchatbot \
    -Wl,-rpath,"$(dirname "$lib")"
"$out/bench_c" "$out/index.cbindex" "$out/questions.txt" "$top_k" "$rounds" | tee "$out/c.txt"
# The C program prints the typed row's mean and last-round p50, and the means of the others.
sed -n 's/^cb_match + accessors + free *: *\([0-9.]*\) us\/question (last round p50 \([0-9.]*\),.*/c_match\t\1\t\2/p;
        s/^cb_match_json + free *: *\([0-9.]*\) us.*/c_match_json\t\1\t-/p;
        s/^cb_match_batch (all at once): *\([0-9.]*\) us.*/c_batch\t\1\t-/p' "$out/c.txt" >> "$results"

echo "== Python: bench_bindings.py"
PYTHONPATH=$root/bindings/python python3 Benchmarks/bench_bindings.py "$out/index.cbindex" "$out/questions.txt" \
    --top-k "$top_k" --rounds "$rounds" | tee "$out/python.txt"
awk '$1 == "RESULT" { printf "python_%s\t%s\t%s\n", $2, $3, $4 }' "$out/python.txt" >> "$results"

echo "== PHP: bench_bindings.php"
if [[ ! -f bindings/php/vendor/autoload.php || ! -f bindings/php/src/chatbot.ffi.h ]]; then
    (cd bindings/php && php generate-ffi-header.php >/dev/null &&
        COMPOSER_ALLOW_SUPERUSER=1 composer dump-autoload --no-scripts --no-interaction --quiet)
fi
php Benchmarks/bench_bindings.php "$out/index.cbindex" "$out/questions.txt" "$top_k" "$rounds" | tee "$out/php.txt"
awk '$1 == "RESULT" { printf "php_%s\t%s\t%s\n", $2, $3, $4 }' "$out/php.txt" >> "$results"

echo
python3 - "$results" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    name, mean, median = line.rstrip("\n").split("\t")
    rows[name] = (None if mean == "-" else float(mean), None if median == "-" else float(median))
# Which C row each binding row compares with: the same kind of call.
table = [
    ("Swift  Engine.match (chatbot-cli eval)", "swift_match", None),
    ("C      cb_match + accessors + free", "c_match", "c_match"),
    ("C      cb_match_json + free", "c_match_json", "c_match_json"),
    ("C      cb_match_batch (per question)", "c_batch", "c_batch"),
    ("Python Engine.match (typed)", "python_match", "c_match"),
    ("Python Engine.match_json", "python_match_json", "c_match_json"),
    ("Python Engine.rank_batch (per question)", "python_rank_batch", "c_batch"),
    ("Python raw ctypes cb_match + free", "python_raw_ctypes", "c_match"),
    ("PHP    Engine::match (typed)", "php_match", "c_match"),
    ("PHP    Engine::matchJson", "php_match_json", "c_match_json"),
    ("PHP    Engine::rankBatch (per question)", "php_rank_batch", "c_batch"),
    ("PHP    raw FFI cb_match + free", "php_raw_ffi", "c_match"),
]
swift = rows.get("swift_match", (None, None))[1]
def f(x, signed=False):
    return "-" if x is None else (f"{x:+.2f}" if signed else f"{x:.2f}")
def sub(a, b):
    return None if a is None or b is None else a - b
print(f"{'µs per question':<42}{'mean':>9}{'median':>9}{'Δmean vs C':>12}{'Δmedian vs C':>14}{'Δmedian vs Swift':>18}")
for label, key, c_key in table:
    if key not in rows:
        continue
    mean, median = rows[key]
    c_mean, c_median = rows.get(c_key, (None, None)) if c_key and c_key != key else (None, None)
    print(f"{label:<42}{f(mean):>9}{f(median):>9}{f(sub(mean, c_mean), True):>12}{f(sub(median, c_median), True):>14}"
          f"{f(sub(median, swift), True):>18}")
print("Δ vs C compares with the C call of the same kind (typed, JSON, batch); medians are per-call p50.")
PY
