#!/usr/bin/env python3
"""Sanity checks for Sources/KnowledgeSources/SmallTalkPack.swift (no Swift needed).

ids unique and prefixed `st_`; 8-20 questions per item; no question repeated, within or across
items, after lowercasing, accent folding and whitespace collapse (strict) and also after
punctuation stripping (loose, reported as warnings within an item, errors across items).
Usage: python3 scripts/check_smalltalk_pack.py [PATH]
"""
import os
import re
import sys
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT = os.path.join(ROOT, "Sources", "KnowledgeSources", "SmallTalkPack.swift")
STRING = r'"((?:[^"\\]|\\.)*)"'


def fold(text):
    text = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    return "".join(c for c in text if not unicodedata.combining(c))


def strict(text):
    return " ".join(fold(text).split())


def loose(text):
    return " ".join(re.sub(r"[^\w]+", " ", fold(text)).split())


def parse_pack(path):
    src = open(path, encoding="utf-8").read()
    entries = []
    for m in re.finditer(r'id:\s*' + STRING + r'\s*,\s*answer:\s*' + STRING
                         + r'\s*,\s*questions:\s*\[(.*?)\]\s*\)', src, re.S):
        unesc = lambda s: s.replace('\\"', '"').replace("\\\\", "\\")
        qs = [unesc(q) for q in re.findall(STRING, m.group(3))]
        entries.append((m.group(1), unesc(m.group(2)), qs))
    return entries


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT
    entries = parse_pack(path)
    errors, warnings = [], []
    ids = [e[0] for e in entries]
    for i in sorted(set(ids)):
        if ids.count(i) > 1:
            errors.append(f"duplicate id {i}")
    seen_strict, seen_loose = {}, {}
    for eid, answer, qs in entries:
        if not eid.startswith("st_"):
            errors.append(f"id without st_ prefix: {eid}")
        if not 8 <= len(qs) <= 20:
            errors.append(f"{eid}: {len(qs)} questions (want 8-20)")
        if not answer.strip():
            errors.append(f"{eid}: empty answer")
        for q in qs:
            s, l = strict(q), loose(q)
            if not l:
                pass  # emoji / smiley only: fine, but cannot collide in loose form
            if s in seen_strict:
                errors.append(f"{eid}: {q!r} repeats {seen_strict[s]}")
            else:
                seen_strict[s] = (eid, q)
            if l and l in seen_loose and seen_loose[l][0] != eid:
                errors.append(f"{eid}: {q!r} ~ {seen_loose[l]} (punctuation aside)")
            elif l and l in seen_loose and strict(seen_loose[l][1]) != s:
                warnings.append(f"{eid}: {q!r} ~ {seen_loose[l][1]!r} (same item, punctuation aside)")
            else:
                seen_loose.setdefault(l, (eid, q))
    nq = sum(len(e[2]) for e in entries)
    print(f"{len(entries)} items, {nq} questions")
    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("error:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
