#!/usr/bin/env python3
"""Fits the calibrator of bases whose items all have a single question (issue 12).

Such a base gives the build no held-out question of a known item to calibrate on, and its
learned model knows nothing the nearest question does not (on MASSIVE with one question per
intent, LinearSVC 0.180 top-1 = nearest neighbour 0.182, the engine's cosine 0.207, its
model 0.167). Its confidence is therefore a fixed logistic function of the nearest-question
cosine, `sigmoid(a + b · cosine)`, fitted here once on data that is not any test set:

  base      the first question of each intent of MASSIVE fr `kb.tsv` (60 questions);
  held out  every other question of `kb.tsv` (10,288), never `dev.tsv`;
  examples  as the build's own calibration does (ModelLearner.calibrate): the 3 best items of
            each held-out question, right or wrong, plus, for the question as out of scope,
            its best item other than the right one as a wrong answer with weight 0.1.

The cosine is the engine's own (`chatbot-cli build --no-learn`, `ask --json`: the scores are
the nearest-question cosines), mixed with the word vectors' cosine with --word-vectors.
Prints the coefficients to paste into `Calibrator.singleQuestion` / `.singleQuestionWordVectors`.

    python3 scripts/fit_single_question_prior.py [--cli .build/release/chatbot-cli]
                                                 [--kb ../shared/data/massive-fr/kb.tsv]
                                                 [--word-vectors FILE.cbwv]
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_OF_SCOPE_WEIGHT = 0.1
CANDIDATES = 3


def fit(examples, iterations=100):
    """Weighted logistic regression of the label on (1, cosine), by Newton's method."""
    a, b = 0.0, 0.0
    for _ in range(iterations):
        ga = gb = haa = hab = hbb = 0.0
        for x, y, w in examples:
            p = 1 / (1 + math.exp(-(a + b * x)))
            r = w * (p - y)
            s = w * max(p * (1 - p), 1e-9)
            ga += r
            gb += r * x
            haa += s
            hab += s * x
            hbb += s * x * x
        det = haa * hbb - hab * hab
        da = (hbb * ga - hab * gb) / det
        db = (haa * gb - hab * ga) / det
        a, b = a - da, b - db
        if max(abs(da), abs(db)) < 1e-9:
            break
    return a, b


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cli", default=os.path.join(ROOT, ".build", "release", "chatbot-cli"))
    ap.add_argument("--kb", default=os.path.normpath(os.path.join(ROOT, "..", "shared", "data", "massive-fr", "kb.tsv")))
    ap.add_argument("--word-vectors")
    args = ap.parse_args()
    rows = [line.rstrip("\n").split("\t") for line in open(args.kb, encoding="utf-8") if line.strip()]
    seen, base, held = set(), [], []
    for item, question in rows:
        (held if item in seen else base).append((item, question))
        seen.add(item)
    with tempfile.TemporaryDirectory() as tmp:
        source, index = os.path.join(tmp, "base.tsv"), os.path.join(tmp, "base.idx")
        with open(source, "w", encoding="utf-8") as f:
            f.writelines(f"{i}\t{q}\n" for i, q in base)
        build = [args.cli, "build", source, "-o", index, "--no-learn", "--quiet"]
        if args.word_vectors:
            build += ["--word-vectors", args.word_vectors]
        subprocess.run(build, check=True, capture_output=True)
        out = subprocess.run([args.cli, "ask", index, "--json", "--top", "10"], input="".join(q + "\n" for _, q in held),
                             check=True, capture_output=True, text=True).stdout
    results = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert len(results) == len(held), (len(results), len(held))
    examples = []
    for (expected, _), r in zip(held, results):
        matches = r["matches"]
        for m in matches[:CANDIDATES]:
            examples.append((m["score"], 1.0 if m["id"] == expected else 0.0, 1.0))
        others = [m for m in matches if m["id"] != expected]
        if others:
            examples.append((others[0]["score"], 0.0, OUT_OF_SCOPE_WEIGHT))
    a, b = fit(examples)
    right = sum(1 for (e, _), r in zip(held, results) if r["matches"] and r["matches"][0]["id"] == e)
    print(f"{len(base)} base questions, {len(held)} held out (top-1 {right / len(held):.3f}), {len(examples)} examples")
    print(f"confidence = sigmoid({a:.3f} + {b:.3f} * cosine); 0.85 at cosine {(math.log(0.85 / 0.15) - a) / b:.3f}")
    print(f"coefficients (intercept, lift, excess, cosine, coverage, agreement): [{a:.2f}, 0, 0, {b:.2f}, 0, 0]")


if __name__ == "__main__":
    sys.exit(main())
