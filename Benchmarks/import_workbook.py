#!/usr/bin/env python3
"""Import time of an Usine-template workbook: chatbot-cli against openpyxl, in one run.

    python3 -m venv /tmp/venv-bench && /tmp/venv-bench/bin/pip install openpyxl
    /tmp/venv-bench/bin/python Benchmarks/import_workbook.py --cli .build/release/chatbot-cli [--rows 5000]

Writes a workbook of ROWS data rows (1,000 items of five rows each by default: a question row
with category, synonyms and a date cell, then texts, an image, buttons and quick replies), then
times, median of --repeat runs:
  - `chatbot-cli check FILE` (read the workbook, apply every template check; no index);
  - `chatbot-cli build FILE --no-learn` and `chatbot-cli build FILE` (index, with the model);
  - openpyxl.load_workbook(FILE, read_only=True) and iterating the first sheet's values, what a
    Python service would otherwise do just to read the cells.
Process start-up is included for both, as a user meets it. Ratios come from the same run.
"""
import argparse
import datetime
import os
import statistics
import subprocess
import sys
import tempfile
import time

import openpyxl

HEADER = ["ID", "Catégorie", "Question", "Type de réponse", "Réponse(s)", None,
          "Questions synonymes (à séparer par un point-virgule ;)", "Expire le (DD/MM/YYYY)"]
TOPICS = ["congé", "badge", "salaire", "mutuelle", "télétravail", "parking", "formation", "mission", "retraite", "cantine"]


def write(path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    items = rows // 5
    for i in range(items):
        topic = TOPICS[i % len(TOPICS)]
        ws.append([f"item_{i}", f"Catégorie {i % 12}", f"Question {i} sur le {topic} numéro {i * 7 % 101} ?", "Texte",
                   f"Réponse {i} : pour le {topic}, consultez le portail RH, rubrique {i % 17}.", None,
                   f"Autre question {i} sur le {topic}; comment faire pour le {topic} {i}; {topic} {i} procédure",
                   datetime.date(2030, 1 + i % 12, 1 + i % 28)])
        ws.append([None, None, None, "Image", f"https://intranet.example/{i}.png", None, None, None])
        ws.append([None, None, None, "Texte", f"Pour aller plus loin sur le {topic} :", None, None, None])
        ws.append([None, None, None, "Lien", f"Le portail <https://rh.example/{i}>; Voir aussi <item_{(i + 1) % items}>", None, None, None])
        ws.append([None, None, None, "Texte", "Autre chose ?", None, None, None])
    for cell in ws["H"]:
        if isinstance(cell.value, datetime.date):
            cell.number_format = "DD/MM/YYYY"
    wb.save(path)


def timed(fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--rows", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "modele.xlsx")
        write(path, args.rows)
        size = os.path.getsize(path)
        run = lambda *a: subprocess.run([args.cli, *a], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        index = os.path.join(tmp, "modele.cbindex")

        def openpyxl_read():
            wb = openpyxl.load_workbook(path, read_only=True)
            n = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))
            wb.close()
            assert n == args.rows + 1

        results = [
            ("chatbot-cli check (read + template checks)", timed(lambda: run("check", path), args.repeat)),
            ("openpyxl read_only load + iterate", timed(openpyxl_read, args.repeat)),
            ("chatbot-cli build --no-learn", timed(lambda: run("build", path, "--no-learn", "-o", index), args.repeat)),
            ("chatbot-cli build (learned model)", timed(lambda: run("build", path, "-o", index), max(1, args.repeat // 2))),
        ]
    print(f"$ {' '.join(sys.argv)}")
    print(f"workbook: {args.rows} data rows, {args.rows // 5} items, {size / 1024:.0f} KiB\n")
    print("| step | median ms | vs check |")
    print("|---|---:|---:|")
    base = results[0][1]
    for name, t in results:
        print(f"| {name} | {t * 1000:.1f} | {t / base:.1f}× |")


if __name__ == "__main__":
    main()
