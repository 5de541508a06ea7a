#!/usr/bin/env python3
"""Writes the campaign table of docs/fuzzing.md from .build-fuzz/campaign/summary.txt
(the lines scripts/fuzz_campaign.sh appends; the last line of a target wins).

    python3 scripts/fuzz_campaign_table.py
"""
import os
import re

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
fuzz_sh = open(os.path.join(root, "scripts/fuzz.sh")).read().splitlines()
summary = os.path.join(root, ".build-fuzz/campaign/summary.txt")
doc_path = os.path.join(root, "docs/fuzzing.md")

rows = {}
for line in open(summary):
    target, *fields = line.split()
    f = dict(kv.split("=", 1) for kv in fields)
    max_len = next((m.group(1) for l in fuzz_sh for m in [re.search(r"\b" + target + r"\b.*echo (\d+)", l)] if m), "?")
    s = int(f["seconds"])
    time = f"{s // 60} min {s % 60:02d} s" if s >= 60 else f"{s} s"
    # Older summary lines counted slow-unit files among the artifacts: count them again here.
    adir = os.path.join(root, ".build-fuzz/campaign/artifacts", target)
    names = os.listdir(adir) if os.path.isdir(adir) else []
    crashes = [n for n in names if not n.startswith("slow-unit-")]
    slow = len(names) - len(crashes)
    found = "0" if f["exit"] == "0" and not crashes else f"{len(crashes)} (exit {f['exit']}, see Findings)"
    if slow:
        found += f" ({slow} slow-unit, see below)"
    end = f["end"].replace("T", " ").replace("Z", "")
    rows[target] = (f"| `{target}` | {max_len} | {int(f['execs']):,} | {int(float(f['exec/s'])):,} | {time} "
                    f"| {f['cov']} | {found} | {end} |")

doc = open(doc_path).read()
header = "| target | -max_len | executions | exec/s | time | cov | crashes | finished (UTC) |\n|---|---|---|---|---|---|---|---|\n"
start = doc.index(header) + len(header)
end = start
while doc.startswith("| `", end):
    end = doc.index("\n", end) + 1
doc = doc[:start] + "".join(r + "\n" for r in rows.values()) + doc[end:]
open(doc_path, "w").write(doc)
