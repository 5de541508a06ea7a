#!/usr/bin/env python3
"""Stemming throughput, side by side: PyStemmer 3.1.0 (Snowball's C stemmer) against our
Swift FrenchStemmer through `chatbot-cli stem`, on the words of the stemmer fixture.

Both get the same word list repeated until PyStemmer needs more than TARGET_SECONDS.
PyStemmer is timed around `stemWords` alone. Ours is timed as a whole CLI run (reading
stdin, decoding it, stemming, writing stdout) minus the time of a run on empty input,
which removes process start-up. Each side is timed REPEATS times and the best run is kept,
because the machine is shared and noise only ever adds time.

PyStemmer keeps a cache of recent words (maxCacheSize, 10,000 by default): with a list
longer than that, repeated in order, most lookups miss. Both the default and the uncached
(maxCacheSize=0, pure C) timings are printed; the ratio is computed against the faster.

Outputs must be identical word for word, or the script fails.

Usage (from the repository root, after `make release`):
    python3 Benchmarks/compare_stemmer.py [--cli .build/release/chatbot-cli]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

import Stemmer

TARGET_SECONDS = 0.6
REPEATS = 5


def load_words(path):
    words = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            word = line.rstrip("\n").split("\t")[0]
            if word:
                words.append(word)
    return words


def best_time(fn, repeats=REPEATS):
    best = float("inf")
    result = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def run_cli(cli, input_path):
    with open(input_path, "rb") as stdin:
        return subprocess.run([cli, "stem"], stdin=stdin, stdout=subprocess.PIPE, check=True).stdout


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description="PyStemmer vs chatbot-cli stem throughput")
    parser.add_argument("--cli", default=os.path.join(root, ".build/release/chatbot-cli"))
    parser.add_argument("--words", default=os.path.join(root, "Tests/FrenchTextTests/Fixtures/french-stems.tsv"))
    args = parser.parse_args()

    version = Stemmer.version() if hasattr(Stemmer, "version") else None
    words = load_words(args.words)

    # Size the run so that PyStemmer works for more than TARGET_SECONDS.
    probe = Stemmer.Stemmer("french", 0)
    once, _ = best_time(lambda: probe.stemWords(words), repeats=2)
    copies = max(1, int(TARGET_SECONDS / once) + 1)
    corpus = words * copies
    n = len(corpus)

    cached = Stemmer.Stemmer("french")
    t_cached, theirs = best_time(lambda: cached.stemWords(corpus))
    uncached = Stemmer.Stemmer("french", 0)
    t_uncached, theirs_uncached = best_time(lambda: uncached.stemWords(corpus))
    assert theirs == theirs_uncached

    with tempfile.TemporaryDirectory() as tmp:
        corpus_path = os.path.join(tmp, "words.txt")
        empty_path = os.path.join(tmp, "empty.txt")
        with open(corpus_path, "w", encoding="utf-8") as f:
            f.write("\n".join(corpus) + "\n")
        open(empty_path, "w").close()
        t_startup, _ = best_time(lambda: run_cli(args.cli, empty_path))
        t_cli, out = best_time(lambda: run_cli(args.cli, corpus_path))
    ours = out.decode("utf-8").split("\n")
    if ours and ours[-1] == "":
        ours.pop()

    if ours != theirs:
        mismatches = [(w, t, o) for w, t, o in zip(corpus, theirs, ours) if t != o]
        print(f"FAIL: {len(mismatches)} different stems (of {n}; line counts {len(ours)} vs {len(theirs)})")
        for w, t, o in mismatches[:10]:
            print(f"  {w!r}: PyStemmer {t!r}, ours {o!r}")
        return 1

    t_ours = t_cli - t_startup
    rate_ours = n / t_ours
    rate_cached = n / t_cached
    rate_uncached = n / t_uncached
    best_theirs = max(rate_cached, rate_uncached)
    print(f"words: {len(words)} distinct x {copies} copies = {n}; outputs identical")
    print(f"PyStemmer {version or ''} stemWords, default cache: {rate_cached:12,.0f} words/s ({t_cached:.3f} s)")
    print(f"PyStemmer {version or ''} stemWords, no cache:      {rate_uncached:12,.0f} words/s ({t_uncached:.3f} s)")
    print(f"ours (chatbot-cli stem, minus {t_startup * 1000:.1f} ms start-up): {rate_ours:12,.0f} words/s ({t_ours:.3f} s)")
    print(f"ratio ours / PyStemmer (faster of the two): {rate_ours / best_theirs:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
