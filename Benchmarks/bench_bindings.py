#!/usr/bin/env python3
"""Per-call cost of matching through the Python binding: the Python column of
bench_bindings.sh (which runs the same questions through Swift, C, Python and PHP).

    bench_bindings.py INDEX QUESTIONS [--top-k 5] [--rounds 3]

INDEX is an index file (.cbindex); QUESTIONS has one question per line (empty lines are
skipped). Every question is matched ROUNDS times after one warm-up round, as in
bench_bindings_c.c, through:
  - Engine.match       typed result (MatchResult of Match tuples),
  - Engine.match_json  the library's JSON, parsed with json.loads,
  - Engine.rank_batch  all questions in one cb_match_batch call (ids and scores),
  - raw ctypes         cb_match + cb_result_free, no conversion: the cost of ctypes alone.
Prints, per way: mean µs per question (best round) and median (p50 of the last round's
per-call times; not available for the batch), then one `RESULT name mean median` line each
for bench_bindings.sh.

Needs the binding importable (PYTHONPATH=bindings/python or pip install) and
CHATBOT_LIBRARY (or another way for the binding to find libchatbot.so).
"""

from __future__ import annotations

import argparse
import ctypes
import statistics
import sys
import time
from typing import Callable, List, Optional, Tuple

import chatbot
from chatbot import _library


def read_questions(path: str) -> List[str]:
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\r\n") for line in f if line.strip()]


def time_each(questions: List[str], call: Callable[[str], object], rounds: int) -> Tuple[float, float]:
    """(mean µs per call of the best round, median µs per call of the last round)."""
    clock = time.perf_counter_ns
    best = float("inf")
    laps = [0] * len(questions)
    for r in range(rounds + 1):  # round 0 warms caches and allocators
        start = clock()
        for i, q in enumerate(questions):
            a = clock()
            call(q)
            laps[i] = clock() - a
        total = clock() - start
        if r > 0:
            best = min(best, total)
    return best / len(questions) / 1e3, statistics.median(laps) / 1e3


def time_whole(questions: List[str], call: Callable[[List[str]], object], rounds: int) -> float:
    best = float("inf")
    for r in range(rounds + 1):
        start = time.perf_counter_ns()
        call(questions)
        if r > 0:
            best = min(best, time.perf_counter_ns() - start)
    return best / len(questions) / 1e3


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("index")
    parser.add_argument("questions")
    parser.add_argument("--top-k", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    questions = read_questions(args.questions)
    if not questions:
        print(f"{args.questions}: no questions", file=sys.stderr)
        return 1
    k = args.top_k
    with chatbot.Engine.open(args.index) as engine:
        print(f"Python {sys.version.split()[0]}, libchatbot {chatbot.version()}, {engine.item_count} items, "
              f"{len(questions)} questions, top_k {k}, best of {args.rounds} rounds")
        lib = _library.library()
        handle = engine._handle  # the raw row measures ctypes alone, below the binding

        def raw(q: str) -> None:
            out = _library.ResultPointer()
            if lib.cb_match(handle, q.encode("utf-8"), k, ctypes.byref(out)):
                raise chatbot.ChatbotError(lib.cb_last_error().decode())
            lib.cb_result_free(out)

        engine.item_ids()  # rank_batch maps indices to ids through this cached list
        rows = [
            ("match", *time_each(questions, lambda q: engine.match(q, k), args.rounds)),
            ("match_json", *time_each(questions, lambda q: engine.match_json(q, k), args.rounds)),
            ("rank_batch", time_whole(questions, lambda qs: engine.rank_batch(qs, k), args.rounds), None),
            ("raw_ctypes", *time_each(questions, raw, args.rounds)),
        ]
    labels = {"match": "Engine.match (typed)", "match_json": "Engine.match_json", "rank_batch": "Engine.rank_batch (all at once)",
              "raw_ctypes": "raw ctypes cb_match + free"}
    for name, mean, median in rows:
        median_text = "-" if median is None else f"{median:.2f}"
        print(f"{labels[name]:<32}: {mean:7.2f} us/question (median {median_text})")
    for name, mean, median in rows:
        print(f"RESULT {name} {mean:.3f} {'-' if median is None else f'{median:.3f}'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
