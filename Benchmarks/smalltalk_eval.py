#!/usr/bin/env python3
"""How well the built-in small-talk pack copes with real chit-chat (standard library only).

Test set: every example of every `st_*` intent of a Rasa NLU file (by default the noisy French
Marine HR messages of ../shared/data/fabrique-chatbot/nlu.example.yml), minus the examples whose
normalised text (lowercase, accents folded, punctuation stripped, whitespace collapsed) equals a
question of the pack. Each intent is mapped (INTENT_TO_PACK below) to the pack item that answers
the same topic.

The pack's items are read from Sources/KnowledgeSources/SmallTalkPack.swift with a regex (ids,
answers, question strings); nothing is imported from Swift.

Modes
  --cli PATH   the real measure: writes a one-item HR base (`conges`) in a temp dir, runs
               `PATH build BASE.csv --small-talk -o INDEX` then `PATH ask INDEX --json` with the
               messages on stdin, and reads `decision` and `matches` of each output line.
  --baseline   no CLI needed: pure-Python TF-IDF of char 2-4 n-grams, nearest pack question by
               cosine (an item scores its best question; the HR item is in the base too),
               decision "answer" when the best score >= --threshold (0.5), "fallback" otherwise.

Metrics (a message is "right" when the top-1 item is one of the ids its intent maps to)
  top-1 (mapped)   over the messages of mapped intents, top-1 right whatever the decision.
  top-1 (all st)   over every st_* message; a message of an unmapped intent (no pack topic) is
                   right when it is NOT answered (fallback/suggest is the correct behaviour for
                   chit-chat the pack does not cover) and wrong when answered.
  answer rate      share of messages with decision == "answer".
  precision        among answered messages, share whose answered item is right (an answered
                   message of an unmapped intent is wrong).
  answered right   share of all messages that are answered with a right item (recall).

Usage
  python3 Benchmarks/smalltalk_eval.py --baseline
  python3 Benchmarks/smalltalk_eval.py --cli .build/debug/chatbot-cli
  python3 Benchmarks/smalltalk_eval.py --cli PATH --emulate-small-talk   (CLI without --small-talk:
               the pack's rows are written into the base CSV; same items, built without the flag)
  options: --nlu FILE  --pack FILE  --threshold 0.5  --show-errors (prints failing messages)
"""
import argparse
import csv
import json
import math
import os
import re
import shlex
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter, defaultdict

# Extra arguments for `chatbot-cli ask` (--ask-args), e.g. decision thresholds.
ASK_ARGS = []

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_NLU = os.path.join(os.path.dirname(ROOT), "shared", "data", "fabrique-chatbot", "nlu.example.yml")
if not os.path.exists(DEFAULT_NLU):
    DEFAULT_NLU = "/work/shared/data/fabrique-chatbot/nlu.example.yml"
DEFAULT_PACK = os.path.join(ROOT, "Sources", "KnowledgeSources", "SmallTalkPack.swift")

# The one HR item of the base the pack is merged into (--cli), also added to the baseline.
BASE_ITEM = ("conges", "Comment poser un jour de congé ?", "Sur le portail RH.")

# NLU small-talk intent -> pack ids that answer the same topic (first = the intended item), or
# None when the pack has no such topic. Decided from the intent NAMES only (the examples are the
# test set and were not read when the pack was written). The names follow the usual small-talk
# taxonomy where "agent.X" is about the bot ("you're X", "are you X?") and "user.X" about the user.
# A second id is accepted only where the English name itself is ambiguous in French:
#   st_sure  "are you sure?" (agent.sure) or "sure!" (= yes, st_d_accord);
#   st_good  "you're good" (compliment) or "that's good / great" (st_d_accord holds super/parfait);
#   st_here  "are you there?" (st_es_tu_la) or "I'm here / back" (st_de_retour).
# Every intent has a topic in the pack, so no entry is None; the None path is kept (and tested
# by the "all st" metric) for other NLU files or trimmed packs.
INTENT_TO_PACK = {
    "st_age": ("st_age",),
    "st_annoying": ("st_agacant",),
    "st_back": ("st_de_retour",),
    "st_bad": ("st_inutile", "st_insulte"),  # "you're bad / useless" and rude words: both items answer calmly
    "st_beautiful": ("st_compliment",),   # the pack has one compliment item (beautiful, clever, great)
    "st_birth_date": ("st_anniversaire",),
    "st_busy": ("st_occupe",),
    "st_bye": ("st_au_revoir",),
    "st_can_you_help": ("st_aide",),
    "st_chatbot": ("st_es_tu_un_robot",),
    "st_clever": ("st_compliment",),
    "st_crazy": ("st_insulte",),          # "t'es fou / dingue" lives in the rude-words item
    "st_fired": ("st_vire",),
    "st_friend": ("st_ami",),
    "st_funny": ("st_drole",),
    "st_good": ("st_compliment", "st_d_accord"),
    "st_goodevening": ("st_bonsoir",),
    "st_goodmorning": ("st_bonjour",),    # French says "bonjour"; "bon matin" is in st_bonjour
    "st_goodnight": ("st_bonne_nuit",),
    "st_ha_ha": ("st_rire",),
    "st_happy": ("st_content",),          # st_content covers "I'm happy" and "are you happy?"
    "st_hello": ("st_bonjour",),
    "st_here": ("st_es_tu_la", "st_de_retour"),
    "st_how_are_you": ("st_comment_ca_va",),
    "st_hungry": ("st_faim",),            # st_faim covers "I'm hungry" and "are you hungry?"
    "st_job": ("st_metier",),
    "st_marry": ("st_je_t_aime",),
    "st_nice_to_meet_you": ("st_enchante",),
    "st_no_problem": ("st_pas_de_souci",),
    "st_origin": ("st_origine",),
    "st_question": ("st_question",),
    "st_right": ("st_tu_as_raison",),
    "st_sorry": ("st_desole",),
    "st_sure": ("st_tu_es_sur", "st_d_accord"),
    "st_talk_to_me": ("st_parle_moi",),
    "st_test": ("st_test",),
    "st_thank_you": ("st_merci",),
    "st_well_done": ("st_bravo",),
    "st_what_do_you_mean": ("st_pas_compris",),
    "st_whatsup": ("st_quoi_de_neuf",),
}

SWIFT_STRING = r'"((?:[^"\\]|\\.)*)"'


def fold(text):
    text = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    return "".join(c for c in text if not unicodedata.combining(c))


def normalise(text):
    """Lowercase, accents folded, punctuation stripped, whitespace collapsed."""
    return " ".join(re.sub(r"[^\w]+", " ", fold(text)).split())


def swift_unescape(s):
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), s)


def parse_pack(path):
    """[(id, answer, [questions])] from the Swift source."""
    src = open(path, encoding="utf-8").read()
    pattern = (r'id:\s*' + SWIFT_STRING + r'\s*,\s*answer:\s*' + SWIFT_STRING
               + r'\s*,\s*questions:\s*\[(.*?)\]\s*\)')
    entries = []
    for m in re.finditer(pattern, src, re.S):
        qs = [swift_unescape(q) for q in re.findall(SWIFT_STRING, m.group(3))]
        entries.append((m.group(1), swift_unescape(m.group(2)), qs))
    if not entries:
        sys.exit(f"no entries found in {path}")
    return entries


def parse_nlu(path):
    """{intent: [messages]} from a Rasa NLU YAML file (the simple list form, `|` or `>` blocks)."""
    try:
        text = open(path, encoding="utf-8").read()
    except OSError as e:
        sys.exit(f"cannot read {path}: {e}")
    intents = defaultdict(list)
    intent, block_indent = None, None
    for raw in text.splitlines():
        stripped = raw.strip()
        indent = len(raw) - len(raw.lstrip(" "))
        if block_indent is not None:
            if not stripped:
                continue
            if indent > block_indent:
                if stripped.startswith("- "):
                    msg = stripped[2:].strip()
                    msg = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", msg)  # [text](entity) -> text
                    msg = re.sub(r"\[([^\]]*)\]\{[^}]*\}", r"\1", msg)  # [text]{"entity": ...}
                    if msg:
                        intents[intent].append(msg)
                continue
            block_indent = None
        m = re.match(r"-\s*intent:\s*(\S+)", stripped)
        if m:
            intent = m.group(1).strip("'\"")
            continue
        if intent and re.match(r"examples:\s*[|>][-+]?\s*$", stripped):
            block_indent = indent
    return intents


# ---------------------------------------------------------------- baseline (pure Python TF-IDF)

def char_ngrams(text, lo=2, hi=4):
    t = " " + normalise(text) + " "
    grams = Counter()
    for n in range(lo, hi + 1):
        for i in range(len(t) - n + 1):
            grams[t[i:i + n]] += 1
    return grams


class TfidfNearest:
    def __init__(self, docs):
        """docs: [(item_id, question)]."""
        counts = [char_ngrams(q) for _, q in docs]
        df = Counter()
        for c in counts:
            df.update(c.keys())
        n = len(docs)
        self.idf = {g: math.log((1 + n) / (1 + d)) + 1 for g, d in df.items()}
        self.ids = [i for i, _ in docs]
        self.vectors = [self._vector(c) for c in counts]
        self.postings = defaultdict(list)
        for k, v in enumerate(self.vectors):
            for g, w in v.items():
                self.postings[g].append((k, w))

    def _vector(self, counts):
        v = {g: c * self.idf[g] for g, c in counts.items() if g in self.idf}
        norm = math.sqrt(sum(w * w for w in v.values()))
        return {g: w / norm for g, w in v.items()} if norm else {}

    def match(self, text, top=5):
        q = self._vector(char_ngrams(text))
        scores = defaultdict(float)
        for g, w in q.items():
            for k, dw in self.postings.get(g, ()):
                scores[k] += w * dw
        best = {}
        for k, s in scores.items():
            i = self.ids[k]
            if s > best.get(i, 0.0):
                best[i] = s
        return sorted(best.items(), key=lambda x: -x[1])[:top]


def run_baseline(entries, messages, threshold):
    docs = [(BASE_ITEM[0], BASE_ITEM[1])] + [(eid, q) for eid, _, qs in entries for q in qs]
    model = TfidfNearest(docs)
    results = []
    for msg in messages:
        matches = model.match(msg)
        decision = "answer" if matches and matches[0][1] >= threshold else "fallback"
        results.append({"decision": decision, "matches": [{"id": i, "score": s} for i, s in matches]})
    return results


# ---------------------------------------------------------------- CLI

def run_cli(cli, messages, emulate_entries=None):
    """emulate_entries: when given, the pack's rows are written into the base CSV and the index
    is built WITHOUT --small-talk (a stand-in for a CLI that does not support the flag yet)."""
    with tempfile.TemporaryDirectory() as tmp:
        base = os.path.join(tmp, "base.csv")
        index = os.path.join(tmp, "base.idx")
        with open(base, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["id", "question", "answer"])
            w.writerow(BASE_ITEM)
            for eid, answer, qs in emulate_entries or ():
                for k, q in enumerate(qs):
                    w.writerow([eid, q, answer if k == 0 else ""])
        build = [cli, "build", base] + ([] if emulate_entries else ["--small-talk"]) + ["-o", index]
        print("$ " + " ".join(shlex.quote(a) for a in build))
        subprocess.run(build, check=True, stdout=subprocess.DEVNULL)
        ask = [cli, "ask", index, "--json"] + ASK_ARGS
        print("$ " + " ".join(shlex.quote(a) for a in ask) + " < messages.txt")
        stdin = "".join(m.replace("\n", " ").replace("\r", " ") + "\n" for m in messages)
        out = subprocess.run(ask, input=stdin, capture_output=True, text=True, check=True).stdout
    lines = [json.loads(line) for line in out.splitlines() if line.strip()]
    if len(lines) != len(messages):
        sys.exit(f"the CLI printed {len(lines)} results for {len(messages)} messages")
    return lines


# ---------------------------------------------------------------- report

def pct(a, b):
    return f"{100.0 * a / b:.1f}%" if b else "—"


def report(tests, results, show_errors):
    per = defaultdict(Counter)
    tot = Counter()
    errors = []
    for (intent, msg), r in zip(tests, results):
        accepted = INTENT_TO_PACK.get(intent)
        top = r["matches"][0]["id"] if r.get("matches") else None
        answered = r.get("decision") == "answer"
        c = per[intent]
        for counter in (c, tot):
            counter["n"] += 1
            counter["answered"] += answered
            if accepted:
                counter["mapped"] += 1
                right_top = top in accepted
                counter["top1"] += right_top
                counter["right_all"] += right_top
                counter["answered_right"] += answered and right_top
            else:
                counter["right_all"] += not answered
        if show_errors and not (accepted and top in accepted and answered) and (accepted or answered):
            errors.append((intent, msg, r.get("decision"), top))

    decisions = Counter(r.get("decision") for r in results)
    print("decisions: " + ", ".join(f"{d} {decisions[d]}" for d in sorted(decisions, key=str)))
    print()
    print("| metric | value |")
    print("|---|---|")
    print(f"| top-1 (mapped, {tot['mapped']} msgs) | {pct(tot['top1'], tot['mapped'])} |")
    print(f"| top-1 (all st, {tot['n']} msgs; unmapped right iff not answered) | {pct(tot['right_all'], tot['n'])} |")
    print(f"| answer rate | {pct(tot['answered'], tot['n'])} |")
    print(f"| precision of answers | {pct(tot['answered_right'], tot['answered'])} |")
    print(f"| answered right (of all) | {pct(tot['answered_right'], tot['n'])} |")
    print()
    print("| intent | pack id | n | top-1 | answered | answered right |")
    print("|---|---|---:|---:|---:|---:|")
    for intent in sorted(per):
        c = per[intent]
        ids = "/".join(INTENT_TO_PACK.get(intent) or ("—",))
        top1 = f"{c['top1']}" if INTENT_TO_PACK.get(intent) else f"({c['right_all']} not answered)"
        print(f"| {intent} | {ids} | {c['n']} | {top1} | {c['answered']} | {c['answered_right']} |")
    if show_errors:
        print("\nerrors (intent, decision, top-1, message):")
        for intent, msg, decision, top in errors:
            print(f"  {intent}\t{decision}\t{top}\t{msg}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--cli", help="path to chatbot-cli (needs `build --small-talk`)")
    mode.add_argument("--baseline", action="store_true", help="pure-Python TF-IDF char n-gram baseline")
    ap.add_argument("--emulate-small-talk", action="store_true",
                    help="with --cli: put the pack's rows in the base CSV instead of passing "
                         "--small-talk (for a CLI without the flag; same items, same engine)")
    ap.add_argument("--nlu", default=DEFAULT_NLU)
    ap.add_argument("--pack", default=DEFAULT_PACK)
    ap.add_argument("--threshold", type=float, default=0.5, help="baseline: answer when cosine >= this")
    ap.add_argument("--ask-args", default="", help="--cli: extra arguments for `ask`, e.g. \"--answer-threshold 0.5\"")
    ap.add_argument("--show-errors", action="store_true", help="print the failing test messages")
    args = ap.parse_args()
    ASK_ARGS[:] = shlex.split(args.ask_args)

    print("$ " + " ".join(shlex.quote(a) for a in [sys.executable] + sys.argv))
    entries = parse_pack(args.pack)
    pack_ids = {e[0] for e in entries}
    for intent, ids in INTENT_TO_PACK.items():
        for i in ids or ():
            if i not in pack_ids:
                sys.exit(f"mapping {intent} -> {i}: no such pack id")
    pack_questions = {normalise(q) for _, _, qs in entries for q in qs}

    intents = parse_nlu(args.nlu)
    st = {k: v for k, v in intents.items() if k.startswith("st_")}
    unknown = sorted(set(st) - set(INTENT_TO_PACK))
    if unknown:
        print(f"note: intents without a mapping entry (treated as unmapped): {', '.join(unknown)}")
    tests, excluded = [], 0
    for intent in sorted(st):
        for msg in st[intent]:
            if normalise(msg) in pack_questions:
                excluded += 1
            else:
                tests.append((intent, msg))
    n_all = sum(len(v) for v in st.values())
    n_q = sum(len(e[2]) for e in entries)
    print(f"pack: {len(entries)} items, {n_q} questions ({args.pack})")
    print(f"nlu: {len(st)} st_* intents, {n_all} messages; {excluded} excluded (equal to a pack "
          f"question once normalised); {len(tests)} test messages")

    messages = [m for _, m in tests]
    if args.baseline:
        print(f"mode: baseline (TF-IDF char 2-4 n-grams, nearest question, answer if cosine >= {args.threshold})")
        results = run_baseline(entries, messages, args.threshold)
    else:
        emulated = ", pack rows written into the base CSV (--emulate-small-talk)" if args.emulate_small_talk else ""
        print(f"mode: CLI ({args.cli}){emulated}")
        results = run_cli(args.cli, messages, entries if args.emulate_small_talk else None)
    report(tests, results, args.show_errors)


if __name__ == "__main__":
    main()
