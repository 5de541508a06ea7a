#!/usr/bin/env python3
"""Side-by-side exact top-k inner-product search: numpy, FAISS IndexFlatIP and libchatbot.

For every N x d in the grid, single queries and batches of 64, with 1 and 2 threads:
  * numpy:  scores = X @ q (sgemm for batches) + argpartition/argsort for the top-k;
  * FAISS:  IndexFlatIP.search (faiss.omp_set_num_threads);
  * ours:   `chatbot-cli bench vectors ... --json` (its own seeded matrix of the same
            shape; recall@k is measured inside, against our exact float32 scan).
Peers use one seeded numpy matrix of unit vectors per shape. Times are medians per query.
The machine is shared and DRAM bandwidth varies run to run, so compare the ratios
(ours / theirs, < 1 means we are faster) measured in the same run, not absolute times.

Usage: python3 Benchmarks/compare_vectors.py [--quick] [--rows 1000,10000] [--dims 384]
       [--types f32,i8] [--threads 1,2] [--batches 1,64] [--cli PATH]
BLAS threads are pinned with threadpoolctl when available.
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

try:
    import faiss
except ImportError:  # FAISS is optional; the table then shows "-"
    faiss = None
try:
    from threadpoolctl import threadpool_limits
except ImportError:
    threadpool_limits = None

K = 10


def median_time(fn, calls):
    fn()  # warm-up
    ts = []
    for _ in range(calls):
        t = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t)
    return float(np.median(ts))


def calls_for(n, d, batch):
    work = n * d * batch
    return max(3, min(50, int(2e9 / max(work, 1))))


def numpy_search(x, q):
    s = x @ q.T if q.shape[0] > 1 else (x @ q[0])[:, None]
    top = np.argpartition(-s, K - 1, axis=0)[:K]
    # order the k best per query (what a caller needs)
    order = np.take_along_axis(s, top, axis=0).argsort(axis=0)[::-1]
    return np.take_along_axis(top, order, axis=0)


def ours(cli, n, d, typ, batch, threads):
    cmd = [cli, "bench", "vectors", "--rows", str(n), "--dim", str(d), "--type", typ,
           "--batch", str(batch), "--threads", str(threads), "--k", str(K), "--json"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="N in {1k, 10k, 100k}, d = 384 only")
    ap.add_argument("--rows", help="comma-separated N values")
    ap.add_argument("--dims", help="comma-separated d values")
    ap.add_argument("--types", default="f32", help="our storage types, e.g. f32,f16,i8")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--batches", default="1,64")
    ap.add_argument("--cli", default=os.path.join(here, "..", ".build", "release", "chatbot-cli"))
    args = ap.parse_args()

    rows = [1000, 10000, 100000, 1000000]
    dims = [128, 384, 768]
    if args.quick:
        rows, dims = [1000, 10000, 100000], [384]
    if args.rows:
        rows = [int(v) for v in args.rows.split(",")]
    if args.dims:
        dims = [int(v) for v in args.dims.split(",")]
    types = args.types.split(",")
    threads_list = [int(v) for v in args.threads.split(",")]
    batches = [int(v) for v in args.batches.split(",")]
    if not os.path.exists(args.cli):
        sys.exit(f"{args.cli} not found: run `make release` first")

    header = (f"{'N':>8} {'d':>4} {'B':>3} {'T':>2} {'type':>4} | {'numpy us':>10} {'faiss us':>10} "
              f"{'ours us':>10} | {'ours/np':>7} {'ours/faiss':>10} | {'GB/s':>6} {'GFLOP/s':>7} {'recall':>6}")
    print(header)
    print("-" * len(header))
    started = time.time()
    for n in rows:
        for d in dims:
            rng = np.random.default_rng(n * 1000 + d)
            x = rng.standard_normal((n, d), dtype=np.float32)
            x /= np.linalg.norm(x, axis=1, keepdims=True)
            qs = rng.standard_normal((64, d), dtype=np.float32)
            qs /= np.linalg.norm(qs, axis=1, keepdims=True)
            index = None
            if faiss is not None:
                index = faiss.IndexFlatIP(d)
                index.add(x)
            for threads in threads_list:
                for batch in batches:
                    q = np.ascontiguousarray(qs[:batch])
                    calls = calls_for(n, d, batch)
                    if threadpool_limits is not None:
                        with threadpool_limits(limits=threads):
                            t_np = median_time(lambda: numpy_search(x, q), calls) / batch
                    else:
                        t_np = median_time(lambda: numpy_search(x, q), calls) / batch
                    t_fa = None
                    if index is not None:
                        faiss.omp_set_num_threads(threads)
                        t_fa = median_time(lambda: index.search(q, K), calls) / batch
                    for typ in types:
                        r = ours(args.cli, n, d, typ, batch, threads)
                        t_us = r["per_query_us"]
                        fa = f"{t_fa * 1e6:10.1f}" if t_fa else f"{'-':>10}"
                        ratio_fa = f"{t_us / (t_fa * 1e6):10.2f}" if t_fa else f"{'-':>10}"
                        print(f"{n:>8} {d:>4} {batch:>3} {threads:>2} {typ:>4} | {t_np * 1e6:10.1f} {fa} "
                              f"{t_us:10.1f} | {t_us / (t_np * 1e6):7.2f} {ratio_fa} | "
                              f"{r['gb_per_s']:6.1f} {r['gflop_per_s']:7.1f} {r['recall_at_k']:6.3f}", flush=True)
            del x, index
    print(f"# total {time.time() - started:.0f} s; load average {os.getloadavg()[0]:.1f} "
          f"(noisy if above the core count)")


if __name__ == "__main__":
    main()
