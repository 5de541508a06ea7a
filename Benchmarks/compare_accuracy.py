#!/usr/bin/env python3
"""Side-by-side accuracy of libchatbot and scikit-learn baselines on one split.

Every method sees the same knowledge base (KB.tsv: id<TAB>question, the training rows) and is
asked the same labelled questions (DEV.tsv: expected_id<TAB>question). Baselines use the
features of the reference figures in ../shared/data/massive-fr/SOURCE.md: TF-IDF of Snowball
French stems + TF-IDF of char_wb 2-5 n-grams, sublinear tf, each block L2-normalised, then
stacked (and the stack re-normalised, so dot products are cosines).

  nearest neighbour   cosine to every KB question, an id scores its best question
  centroid            cosine to each id's mean vector
  LinearSVC (C=1)     one-vs-rest linear SVM, ranked by decision function
  logistic regression multinomial, ranked by probability

libchatbot is run through its CLI: `chatbot-cli build KB -o tmp.idx`, then
`chatbot-cli eval tmp.idx DEV --json`. Out-of-scope rows (`_none`) are dropped from DEV here,
since the baselines always answer.

Latency: for the baselines, one question at a time (vectorise + score + rank) over a sample
of --sample questions, p50 in microseconds; batch throughput is the whole DEV set vectorised
and scored at once. For the engine, the p50 of `Engine.match` measured by `eval` (in process,
like the baselines; no batch API).

With --kb-vectors and --dev-vectors (.npy, one row per line of each file, as written by
Benchmarks/embed_massive.py), the linear baselines are also run with the unit embedding
stacked as a third block, and the engine is built with `--vectors` and evaluated with
`--query-vectors` and `--embedding-scale 4` (its learned model then takes the embedding as input). The embedding
model's own cost per question is not counted on either side.

Usage: python3 Benchmarks/compare_accuracy.py [--kb KB.tsv] [--dev DEV.tsv] [--cli PATH]
                                              [--kb-vectors KB.npy --dev-vectors DEV.npy]
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC

try:
    import Stemmer  # PyStemmer: C implementation, much faster

    _stemmer = Stemmer.Stemmer("french")
    stem_words = _stemmer.stemWords
except ImportError:  # pure-Python fallback, same algorithm (Snowball 3)
    import snowballstemmer

    stem_words = snowballstemmer.stemmer("french").stemWords

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORD = re.compile(r"\w+", re.UNICODE)
RANK_DEPTH = 10  # MRR@10, as `chatbot-cli eval`


def read_tsv(path):
    ids, questions = [], []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            parts = line.split("\t")
            if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
                sys.exit(f"{path}:{n}: expected 'id<TAB>question'")
            ids.append(parts[0].strip())
            questions.append(parts[1].strip())
    if not ids:
        sys.exit(f"{path}: no rows")
    return ids, questions


def stems(text):
    return stem_words(WORD.findall(text.lower()))


class Features:
    """Stem TF-IDF + char_wb 2-5 TF-IDF, hstacked and L2-normalised."""

    def __init__(self):
        self.words = TfidfVectorizer(analyzer=stems, sublinear_tf=True)
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, lowercase=True)

    def fit_transform(self, texts):
        return normalize(sp.hstack([self.words.fit_transform(texts), self.chars.fit_transform(texts)]).tocsr())

    def transform(self, texts):
        return normalize(sp.hstack([self.words.transform(texts), self.chars.transform(texts)]).tocsr())


def rank_metrics(scores, expected, classes):
    """top-1 and MRR@10 from a (questions x classes) score matrix."""
    index = {c: i for i, c in enumerate(classes)}
    top1 = rr = 0.0
    order = np.argsort(-scores, axis=1)[:, :RANK_DEPTH]
    for row, want in zip(order, expected):
        j = index.get(want)
        hits = np.nonzero(row == j)[0] if j is not None else []
        if len(hits):
            rank = hits[0] + 1
            top1 += rank == 1
            rr += 1.0 / rank
    return top1 / len(expected), rr / len(expected)


class WithEmbeddings:
    """Features() plus the unit embedding as a third block, the stack re-normalised.

    transform() takes (texts, vectors) pairs so that the baselines' code stays the same."""

    def __init__(self, kb_vectors):
        self.base = Features()
        self.kb_vectors = kb_vectors

    def fit_transform(self, texts):
        return self._stack(self.base.fit_transform(texts), self.kb_vectors)

    def transform(self, pair):
        texts, vectors = pair
        return self._stack(self.base.transform(texts), vectors)

    @staticmethod
    def _stack(X, vectors):
        return normalize(sp.hstack([X, sp.csr_matrix(normalize(np.asarray(vectors, dtype=np.float32)))]).tocsr())


class NearestNeighbour:
    name = "nearest neighbour (cosine)"

    def fit(self, X, y, classes):
        cls = {c: i for i, c in enumerate(classes)}
        codes = np.array([cls[c] for c in y])
        order = np.argsort(codes, kind="stable")
        # Questions grouped by id once, so that scoring is one product and one segmented max.
        self.XT = X[order].T.tocsr()
        self.starts = np.searchsorted(codes[order], np.arange(len(classes)))
        return self

    def scores(self, Q):
        return np.maximum.reduceat((Q @ self.XT).toarray(), self.starts, axis=1)


class Centroid:
    name = "centroid (cosine)"

    def fit(self, X, y, classes):
        y = np.array(y)
        self.C = normalize(np.vstack([np.asarray(X[y == c].mean(axis=0)) for c in classes]))
        self.CT = sp.csr_matrix(self.C.T)
        return self

    def scores(self, Q):
        return (Q @ self.CT).toarray()


class Linear:
    def __init__(self, name, model, proba=False):
        self.name, self.model, self.proba = name, model, proba

    def fit(self, X, y, classes):
        self.model.fit(X, y)
        self.perm = [list(self.model.classes_).index(c) for c in classes]
        return self

    def scores(self, Q):
        s = self.model.predict_proba(Q) if self.proba else self.model.decision_function(Q)
        return s[:, self.perm]


def linear_baselines(seed=None, suffix=""):
    """The two linear baselines (LinearSVC C=1, logistic regression C=10), shared with fewshot.py."""
    return [Linear("LinearSVC (C=1)" if not suffix else "LinearSVC" + suffix, LinearSVC(C=1.0, random_state=seed)),
            Linear("logistic regression (C=10)" if not suffix else "logistic regr." + suffix,
                   LogisticRegression(C=10.0, max_iter=2000, random_state=seed), proba=True)]


def run_baseline(method, feats, X, kb_ids, classes, dev_ids, dev_q, sample, dev_vectors=None):
    """dev_vectors: with WithEmbeddings features, the dev embeddings; `sample` holds dev indices."""
    def inputs(indices):
        texts = [dev_q[i] for i in indices]
        return texts if dev_vectors is None else (texts, dev_vectors[indices])
    t0 = time.perf_counter()
    method.fit(X, kb_ids, classes)
    fit_s = time.perf_counter() - t0
    # Batch: the whole dev set at once.
    t0 = time.perf_counter()
    scores = method.scores(feats.transform(inputs(np.arange(len(dev_q)))))
    np.argsort(-scores, axis=1)[:, :RANK_DEPTH]
    batch_s = time.perf_counter() - t0
    top1, mrr = rank_metrics(scores, dev_ids, classes)
    # One question at a time, as a chatbot host would call it.
    lat = []
    for i in sample:
        t0 = time.perf_counter()
        s = method.scores(feats.transform(inputs([i])))
        np.argsort(-s[0])[:RANK_DEPTH]
        lat.append((time.perf_counter() - t0) * 1e6)
    return dict(method=method.name, top1=top1, mrr=mrr, p50_us=float(np.median(lat)),
                batch_qps=len(dev_q) / batch_s, fit_s=fit_s)


def default_cli():
    for config in ("release", "debug"):
        p = os.path.join(ROOT, ".build", config, "chatbot-cli")
        if os.path.exists(p):
            return p
    return os.path.join(ROOT, ".build", "release", "chatbot-cli")


def run_engine(cli, kb, dev, kb_vectors=None, dev_vectors=None, name="libchatbot (chatbot-cli)"):
    with tempfile.TemporaryDirectory() as tmp:
        index = os.path.join(tmp, "kb.idx")
        build = [cli, "build", kb, "-o", index] + (["--vectors", kb_vectors, "--embedding-scale", "4"] if kb_vectors else [])
        t0 = time.perf_counter()
        subprocess.run(build, check=True, stderr=subprocess.DEVNULL)
        build_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        ask = [cli, "eval", index, dev, "--json"] + (["--query-vectors", dev_vectors] if dev_vectors else [])
        out = subprocess.run(ask, check=True, capture_output=True, text=True).stdout
        eval_s = time.perf_counter() - t0
    r = json.loads(out)
    # eval asks every question twice (timed default top-k, then a deep ranking call), so the
    # process wall time is no batch figure; report the in-process p50 only.
    return dict(method=name, top1=r["top1"], mrr=r["mrr"], p50_us=r["p50_latency_us"],
                batch_qps=None, fit_s=build_s, p99_us=r["p99_latency_us"], eval_s=eval_s)


def main():
    default_data = os.path.normpath(os.path.join(ROOT, "..", "shared", "data", "massive-fr"))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kb", default=os.path.join(default_data, "kb.tsv"))
    ap.add_argument("--dev", default=os.path.join(default_data, "dev.tsv"))
    ap.add_argument("--cli", default=default_cli(), help="chatbot-cli binary (release build recommended)")
    ap.add_argument("--sample", type=int, default=300, help="questions timed one at a time (at least 200)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--skip-engine", action="store_true")
    ap.add_argument("--json", action="store_true", help="print the rows as JSON instead of a table")
    ap.add_argument("--kb-vectors", help="embeddings of KB's lines (.npy), to add the embedding variants")
    ap.add_argument("--dev-vectors", help="embeddings of DEV's lines (.npy), with --kb-vectors")
    args = ap.parse_args()
    if args.sample < 200:
        sys.exit("--sample must be at least 200")

    if bool(args.kb_vectors) != bool(args.dev_vectors):
        sys.exit("--kb-vectors and --dev-vectors go together")
    kb_ids, kb_q = read_tsv(args.kb)
    dev_all = list(zip(*read_tsv(args.dev)))
    in_scope = [n for n, (i, _) in enumerate(dev_all) if i != "_none"]
    dev_ids, dev_q = [dev_all[n][0] for n in in_scope], [dev_all[n][1] for n in in_scope]
    kb_vectors = dev_vectors = None
    if args.kb_vectors:
        kb_vectors, dev_vectors = np.load(args.kb_vectors), np.load(args.dev_vectors)
        # read_tsv skips blank lines; the .npy rows follow the non-blank lines too (embed_massive.py).
        if kb_vectors.shape[0] != len(kb_q) or dev_vectors.shape[0] != len(dev_all):
            sys.exit(f"vector rows ({kb_vectors.shape[0]}, {dev_vectors.shape[0]}) do not match the questions "
                     f"({len(kb_q)}, {len(dev_all)})")
        dev_vectors = dev_vectors[in_scope]
    classes = sorted(set(kb_ids))
    rng = np.random.default_rng(args.seed)
    sample = list(rng.choice(len(dev_q), size=min(args.sample, len(dev_q)), replace=False))
    if len(sample) < 200:
        print(f"note: only {len(sample)} questions for single-question latency", file=sys.stderr)

    feats = Features()
    X = feats.fit_transform(kb_q)
    methods = [NearestNeighbour(), Centroid()] + linear_baselines()
    rows = [run_baseline(m, feats, X, kb_ids, classes, dev_ids, dev_q, sample) for m in methods]
    if kb_vectors is not None:
        efeats = WithEmbeddings(kb_vectors)
        EX = efeats.fit_transform(kb_q)
        for m in linear_baselines(suffix=" + embedding"):
            rows.append(run_baseline(m, efeats, EX, kb_ids, classes, dev_ids, dev_q, sample, dev_vectors))
    if not args.skip_engine:
        if not os.path.exists(args.cli):
            sys.exit(f"{args.cli}: not found (build with `make release`, or pass --cli)")
        rows.append(run_engine(args.cli, args.kb, args.dev))
        if kb_vectors is not None:
            rows.append(run_engine(args.cli, args.kb, args.dev, args.kb_vectors, args.dev_vectors,
                                   name="libchatbot + embedding"))

    if args.json:
        print(json.dumps(rows))
        return
    print(f"kb: {args.kb} ({len(kb_q)} questions, {len(classes)} ids)   dev: {args.dev} ({len(dev_q)} questions)")
    print(f"features: stem TF-IDF {len(feats.words.vocabulary_)} + char_wb 2-5 TF-IDF {len(feats.chars.vocabulary_)}, "
          f"sublinear tf, L2; latency over {len(sample)} questions one at a time")
    print()
    print(f"{'method':<30} {'top-1':>7} {'MRR@10':>7} {'p50 µs/q':>10} {'batch q/s':>10} {'fit/build s':>12}")
    for r in rows:
        batch = f"{r['batch_qps']:.0f}" if r["batch_qps"] else "n/a"
        print(f"{r['method']:<30} {r['top1']:7.3f} {r['mrr']:7.3f} {r['p50_us']:10.1f} {batch:>10} {r['fit_s']:12.2f}")


if __name__ == "__main__":
    main()
