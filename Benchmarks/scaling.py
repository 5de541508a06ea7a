#!/usr/bin/env python3
"""How the engine's costs grow with the knowledge base: one table and one SVG plot per run.

Bases are made from MASSIVE fr-FR (../shared/data/massive-fr, read at run time, never
committed):
  - below the full base's size (10,348 questions, 60 items), the first questions of each item
    in file order, the same share of every item;
  - above it, the full base copied as the FAQ of other sites (`intent~2`, `intent~3`, ...):
    every question of copy j names its site ("... à Toulon"), as the merged bots of several
    sites do, with seeded paraphrase noise on top (a word dropped, two neighbouring words
    swapped, one letter doubled or dropped). 100,000 questions give 10 copies: 600 items.
    Beyond 10 copies the sites repeat: each further pass adds fresh noisy paraphrases to the
    items of site 1, 2, ... 10 in turn, so 1,000,000 questions are 600 items of about 1,700
    questions each (a 6,000-item base of that size needs hours of training on 2 cores).
    Copies without a site would be the same item under several ids: no calibration can then
    tell the right id, and confidences go flat. The dev questions name a seeded random site
    (the expected id is that site's copy), so top-1 stays exact.

Per size it reports:
  build       wall seconds and peak resident memory of `chatbot-cli build` (GNU time);
  update      the same for `chatbot-cli build --update` after one question is added to the
              first item (median of three runs on a copy of the index);
  index       the index file's size;
  open        p50 and p99 of opening the index (Benchmarks/bench_open.c, 20 opens), copied
              (cb_engine_open) and mapped (CB_OPEN_MAP), with the mapped engine's first match,
              which verifies its contents;
  latency     p50 and p99 per question of `chatbot-cli eval` over the 1,166 dev questions;
  instr/q     instructions per question, valgrind --tool=callgrind on `chatbot-cli ask --json
              --map` with 101 and with 1 dev question: (I(101) - I(1)) / 100, so that start-up,
              the open and the contents' verification (at the first question of both runs) are
              subtracted (exact: noise does not move it);
  top-1, answered  on MASSIVE dev (naming a site when the base has several), with the share
              of questions answered and the precision of those answers.

Usage (from the repository root, after `make release lib`):
  python3 Benchmarks/scaling.py [--sizes 1000,10000,100000,1000000] [--out DIR] [--no-callgrind]
(1,000,000 questions take about a quarter of an hour and several GB; see the README's
"Scaling with the base's size".)
Writes DIR/scaling.json, DIR/scaling.md (the table) and DIR/scaling.svg (cost against size).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITES = ["Brest", "Toulon", "Cherbourg", "Lorient", "Rochefort", "Bordeaux", "Marseille", "Lyon", "Lille", "Nantes",
         "Rennes", "Strasbourg", "Metz", "Nancy", "Dijon", "Tours", "Angers", "Caen", "Rouen", "Amiens",
         "Reims", "Limoges", "Poitiers", "Nîmes", "Nice", "Perpignan", "Pau", "Bayonne", "Grenoble", "Besançon",
         "Clermont", "Orléans", "Le Mans", "Brive", "Vannes", "Quimper", "Saint-Malo", "Calais", "Dunkerque", "Toulouse",
         "Montpellier", "Avignon", "Ajaccio", "Bastia", "Valence", "Annecy", "Chambéry", "Mulhouse", "Colmar", "Troyes",
         "Laval", "Niort", "Agen", "Tarbes", "Albi", "Rodez", "Cahors", "Auxerre", "Nevers", "Bourges",
         "Vichy", "Vienne", "Sète", "Arles", "Fréjus", "Hyères", "Istres", "Salon", "Aubagne", "Cannes",
         "Antibes", "Menton", "Gap", "Digne", "Privas", "Mende", "Aurillac", "Guéret", "Tulle", "Périgueux",
         "Mont-de-Marsan", "Auch", "Foix", "Carcassonne", "Béziers", "Narbonne", "Alès", "Uzès", "Orange", "Carpentras",
         "Draguignan", "Brignoles", "Manosque", "Sisteron", "Briançon", "Embrun", "Thonon", "Évian", "Bourg", "Mâcon"]
CLI = ROOT / ".build/release/chatbot-cli"
LIB = ROOT / ".build/release"


def read_tsv(path: Path) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item, question = line.split("\t", 1)
        rows.append((item, question))
    return rows


def noisy(question: str, rng: random.Random) -> str:
    """One seeded paraphrase edit: drop a word, swap two neighbours, or a letter typo."""
    words = question.split()
    edit = rng.randrange(3)
    if edit == 0 and len(words) > 2:
        del words[rng.randrange(len(words))]
    elif edit == 1 and len(words) > 1:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    else:
        i = rng.randrange(len(words))
        w = words[i]
        if len(w) > 3:
            j = rng.randrange(1, len(w) - 1)
            words[i] = w[:j] + w[j] + w[j:] if rng.random() < 0.5 else w[:j] + w[j + 1:]
    return " ".join(words)


def make_base(kb: list[tuple[str, str]], size: int, seed: int = 7) -> list[tuple[str, str]]:
    if size <= len(kb):
        share = size / len(kb)
        by_item: dict[str, list[str]] = {}
        for item, q in kb:
            by_item.setdefault(item, []).append(q)
        rows = []
        for item, qs in by_item.items():
            rows += [(item, q) for q in qs[:max(1, round(len(qs) * share))]]
        return rows
    rng = random.Random(seed)
    rows = [(item, f"{q} à {SITES[0]}") for item, q in kb]
    copy = 2
    while len(rows) < size:
        site = (copy - 1) % MAX_SITES + 1
        for item, q in kb:
            if len(rows) >= size:
                break
            rows.append((item if site == 1 else f"{item}~{site}", f"{noisy(q, rng)} à {SITES[site - 1]}"))
        copy += 1
    return rows


# Distinct sites, hence item copies: 10 give 600 items (the "1,000 items" order).
MAX_SITES = 10


def copies(size: int, kb_size: int) -> int:
    """How many sites (item copies) a base of `size` questions names."""
    return 1 if size <= kb_size else min(MAX_SITES, math.ceil(size / kb_size))


def dev_for(dev: list[tuple[str, str]], count: int, seed: int = 11) -> list[tuple[str, str]]:
    """The dev questions, each naming a seeded random site when the base has several copies."""
    if count == 1:
        return dev
    rng = random.Random(seed)
    out = []
    for item, q in dev:
        j = rng.randrange(count) + 1
        out.append((item if j == 1 else f"{item}~{j}", f"{q} à {SITES[j - 1]}"))
    return out


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def callgrind_instructions(index: Path, questions: list[str], work: Path) -> int:
    # A stripped copy: valgrind 3.19 (Debian 12) cannot read the DWARF 5 of the release build.
    cli = work / "chatbot-cli-stripped"
    if not cli.exists():
        run(["strip", "-o", str(cli), str(CLI)])
    qfile = work / "cg-questions.txt"
    qfile.write_text("".join(q + "\n" for q in questions), encoding="utf-8")
    out = work / "callgrind.out"
    with qfile.open() as stdin:
        subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", str(cli), "ask", str(index), "--json", "--map"],
                       stdin=stdin, check=True, capture_output=True, text=True)
    summary = [l for l in out.read_text().splitlines() if l.startswith("summary:") or l.startswith("totals:")]
    return int(summary[-1].split()[1])


def measure(size: int, kb, dev, work: Path, callgrind: bool, bench_open: Path) -> dict:
    rows = make_base(kb, size)
    dev = dev_for(dev, copies(size, len(kb)))
    source = work / f"kb-{size}.tsv"
    source.write_text("".join(f"{i}\t{q}\n" for i, q in rows), encoding="utf-8")
    index = work / f"kb-{size}.cbindex"
    t0 = time.monotonic()
    timed = run(["/usr/bin/time", "-f", "%e %M", str(CLI), "build", str(source), "-o", str(index)])
    build_s = time.monotonic() - t0
    peak_kb = int(timed.stderr.strip().splitlines()[-1].split()[1])
    opens = {}
    for mode in ("copy", "map"):
        opened = run([str(bench_open), str(index), "20", mode], env={**os.environ, "LD_LIBRARY_PATH": str(LIB)}).stdout
        opens[mode] = re.search(r"open \(\w+\) p50 ([\d.]+) ms\s+p99 ([\d.]+) ms\s+first match p50 ([\d.]+) ms", opened)
    devfile = work / f"dev-{size}.tsv"
    devfile.write_text("".join(f"{i}\t{q}\n" for i, q in dev), encoding="utf-8")
    ev = json.loads(run([str(CLI), "eval", str(index), str(devfile), "--json"]).stdout)
    asked = run([str(CLI), "ask", str(index), "--json"], input="".join(q + "\n" for _, q in dev)).stdout.splitlines()
    correct = answered = answered_right = 0
    for (expected, _), line in zip(dev, asked):
        reply = json.loads(line)
        matches = reply.get("matches", [])
        right = bool(matches) and matches[0]["id"] == expected
        correct += right
        if reply.get("decision") == "answer":
            answered += 1
            answered_right += right
    result = {
        "questions": len(rows), "items": len({i for i, _ in rows}),
        "build_s": round(build_s, 2), "peak_mb": round(peak_kb / 1024, 1),
        "index_mb": round(index.stat().st_size / 1048576, 1),
        "open_p50_ms": float(opens["copy"].group(1)), "open_p99_ms": float(opens["copy"].group(2)),
        "open_map_p50_ms": float(opens["map"].group(1)), "open_map_p99_ms": float(opens["map"].group(2)),
        "first_match_map_ms": float(opens["map"].group(3)),
        "p50_us": ev["p50_latency_us"], "p99_us": ev["p99_latency_us"],
        "top1": round(correct / len(dev), 4), "answer_rate": round(answered / len(dev), 4),
        "answered_precision": round(answered_right / answered, 4) if answered else None,
    }
    # One question added to the base's first item, then `build --update` of a copy of the
    # index: what a reviewer's accepted suggestion costs (median of three runs).
    updated = work / f"kb-{size}-updated.tsv"
    first_item = rows[0][0]
    updated.write_text(source.read_text(encoding="utf-8") + f"{first_item}\tune question de plus pour cet élément\n",
                       encoding="utf-8")
    copy = work / f"kb-{size}-updated.cbindex"
    runs = []
    for _ in range(3):
        copy.write_bytes(index.read_bytes())
        t0 = time.monotonic()
        timed = run(["/usr/bin/time", "-f", "%e %M", str(CLI), "build", str(updated), "-o", str(copy), "--update", "--quiet"])
        runs.append((time.monotonic() - t0, int(timed.stderr.strip().splitlines()[-1].split()[1])))
        if "warm start" not in timed.stderr:
            raise SystemExit(f"build --update did not warm-start at {size} questions:\n{timed.stderr}")
    copy.unlink()
    result["update_s"] = round(statistics.median(t for t, _ in runs), 2)
    result["update_peak_mb"] = round(max(m for _, m in runs) / 1024, 1)
    if callgrind:
        qs = [q for _, q in dev]
        one = callgrind_instructions(index, qs[:1], work)
        many = callgrind_instructions(index, qs[:101], work)
        result["instructions_per_question"] = (many - one) // 100
    index.unlink()
    return result


def svg_plot(results: list[dict]) -> str:
    """Log-log: instructions per question, build seconds, open ms against questions."""
    w, h, left, right, top, bottom = 640, 400, 70, 160, 40, 50
    series = [("instructions_per_question", "instructions / question", "#1f77b4"),
              ("build_s", "build (s)", "#d62728"), ("update_s", "build --update (s)", "#ff7f0e"), ("open_p50_ms", "open p50 (ms)", "#2ca02c"),
              ("open_map_p50_ms", "open --map p50 (ms)", "#17becf"),
              ("p50_us", "latency p50 (µs)", "#9467bd")]
    xs = [r["questions"] for r in results]
    values = [r[k] for r in results for k, _, _ in series if r.get(k)]
    x0, x1 = math.log10(min(xs)) - 0.1, math.log10(max(xs)) + 0.1
    y0, y1 = math.floor(math.log10(min(values))), math.ceil(math.log10(max(values)))
    px = lambda x: left + (math.log10(x) - x0) / (x1 - x0) * (w - left - right)
    py = lambda y: top + (1 - (math.log10(y) - y0) / max(1e-9, y1 - y0)) * (h - top - bottom)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">',
           f'<text x="{left}" y="20" font-size="14">libchatbot cost against knowledge-base size (log-log)</text>']
    for e in range(y0, y1 + 1):
        y = py(10 ** e)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{w - right}" y2="{y:.1f}" stroke="#e6e6e6"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">1e{e}</text>')
    for x in xs:
        out.append(f'<text x="{px(x):.1f}" y="{h - bottom + 18}" text-anchor="middle">{x:,}</text>')
    out.append(f'<text x="{(left + w - right) / 2}" y="{h - 10}" text-anchor="middle">questions in the base</text>')
    for n, (key, label, colour) in enumerate(series):
        pts = [(px(r["questions"]), py(r[key])) for r in results if r.get(key)]
        if not pts:
            continue
        out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="'
                   + " ".join(f"{a:.1f},{b:.1f}" for a, b in pts) + '"/>')
        for a, b in pts:
            out.append(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3" fill="{colour}"/>')
        out.append(f'<text x="{w - right + 10}" y="{top + 16 * n + 10}" fill="{colour}">{label}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def table(results: list[dict]) -> str:
    head = ("| questions | items | instr / question | p50 / p99 latency | open p50 / p99 | open mapped p50 / p99 "
            "(first match) | build | peak memory | update (peak) | index | top-1 | answered (precision) |")
    lines = [head, "|" + "---|" * 12]
    for r in results:
        instr = f'{r["instructions_per_question"]:,}' if "instructions_per_question" in r else "–"
        lines.append(f'| {r["questions"]:,} | {r["items"]:,} | {instr} | {r["p50_us"]} / {r["p99_us"]} µs | '
                     f'{r["open_p50_ms"]} / {r["open_p99_ms"]} ms | {r["open_map_p50_ms"]} / {r["open_map_p99_ms"]} ms '
                     f'({r["first_match_map_ms"]} ms) | {r["build_s"]} s | {r["peak_mb"]} MB | '
                     f'{r.get("update_s", "–")} s ({r.get("update_peak_mb", "–")} MB) | '
                     f'{r["index_mb"]} MB | {r["top1"]:.3f} | {r["answer_rate"]:.3f} ({r["answered_precision"] or 0:.3f}) |')
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--data", default=str(ROOT.parent / "shared/data/massive-fr"))
    ap.add_argument("--out", default=str(ROOT / ".build/scaling"))
    ap.add_argument("--no-callgrind", action="store_true")
    args = ap.parse_args()
    for needed in (CLI, LIB / "libchatbot.so"):
        if not needed.exists():
            sys.exit(f"{needed} is missing: run `make release lib` first")
    kb, dev = read_tsv(Path(args.data) / "kb.tsv"), read_tsv(Path(args.data) / "dev.tsv")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        bench_open = work / "bench_open"
        run(["cc", "-O2", "-I", str(ROOT / "Include"), str(ROOT / "Benchmarks/bench_open.c"), "-o", str(bench_open),
             "-L", str(LIB), "-lchatbot"])
        for size in (int(s) for s in args.sizes.split(",")):
            r = measure(size, kb, dev, work, not args.no_callgrind, bench_open)
            results.append(r)
            print(json.dumps(r), flush=True)
    (out / "scaling.json").write_text(json.dumps(results, indent=1) + "\n")
    (out / "scaling.md").write_text(table(results))
    (out / "scaling.svg").write_text(svg_plot(results))
    print(table(results))
    print(f"wrote {out}/scaling.json, scaling.md, scaling.svg")
    return 0


if __name__ == "__main__":
    sys.exit(main())
