#!/usr/bin/env python3
"""Random 80/20 splits of a labelled knowledge base, to choose settings without the test set.

For each seed, writes OUT/train{seed}.tsv and OUT/hold{seed}.tsv (the non-blank lines of KB,
shuffled with random.Random(seed), the first fifth held out, both in file order) and, with
--vectors KB.npy (one row per non-blank line, as Benchmarks/embed_massive.py writes them),
the matching OUT/train{seed}.npy and OUT/hold{seed}.npy. docs/accuracy.md used seeds 5, 6, 7:

    python3 scripts/kb_holdout.py ../shared/data/massive-fr/kb.tsv /tmp/split --vectors /tmp/kb.npy
    B=.build/release/chatbot-cli
    for s in 5 6 7; do
      $B build /tmp/split/train$s.tsv --vectors /tmp/split/train$s.npy --embedding-scale 4 -o /tmp/split/x.idx
      $B eval /tmp/split/x.idx /tmp/split/hold$s.tsv --query-vectors /tmp/split/hold$s.npy --json
    done
"""
import argparse
import os
import random
import sys


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("kb", help="labelled knowledge base: id<TAB>question per line")
    ap.add_argument("out", help="output folder (created if missing)")
    ap.add_argument("--vectors", help=".npy embeddings, one row per non-blank line of KB")
    ap.add_argument("--seeds", default="5,6,7", help="comma-separated seeds (default 5,6,7)")
    ap.add_argument("--holdout", type=float, default=0.2, help="share held out, in (0, 1) (default 0.2)")
    args = ap.parse_args()
    if not 0 < args.holdout < 1:
        sys.exit("--holdout must be in (0, 1)")
    try:
        seeds = [int(s) for s in args.seeds.split(",")]
    except ValueError:
        sys.exit(f"--seeds: expected comma-separated integers, got {args.seeds!r}")

    try:
        with open(args.kb, encoding="utf-8") as f:
            lines = [line if line.endswith("\n") else line + "\n" for line in f if line.strip()]
    except (OSError, UnicodeDecodeError) as e:
        sys.exit(f"{args.kb}: {e}")
    if len(lines) < 2:
        sys.exit(f"{args.kb}: need at least 2 non-blank lines")
    vectors = None
    if args.vectors:
        import numpy as np  # only needed with --vectors

        vectors = np.load(args.vectors)
        if vectors.ndim != 2 or vectors.shape[0] != len(lines):
            sys.exit(f"{args.vectors}: {vectors.shape} rows, expected {len(lines)} (one per non-blank line of {args.kb})")
    os.makedirs(args.out, exist_ok=True)
    for seed in seeds:
        order = list(range(len(lines)))
        random.Random(seed).shuffle(order)
        held = set(order[: max(1, int(len(lines) * args.holdout))])
        parts = {"train": [i for i in range(len(lines)) if i not in held], "hold": sorted(held)}
        for name, rows in parts.items():
            with open(os.path.join(args.out, f"{name}{seed}.tsv"), "w", encoding="utf-8") as f:
                f.writelines(lines[i] for i in rows)
            if vectors is not None:
                np.save(os.path.join(args.out, f"{name}{seed}.npy"), vectors[rows])
        print(f"seed {seed}: {len(parts['train'])} train, {len(parts['hold'])} held out", file=sys.stderr)


if __name__ == "__main__":
    main()
