#!/usr/bin/env python3
"""Writes examples/rh/faq.xlsx: the bundled HR FAQ (faq.csv) as an HR team fills in the Usine à
chatbots template, plus what the template adds: a welcome message, out-of-scope examples, a
feedback message, links, quick replies, an image and a real date cell.

    python3 -m venv /tmp/venv-gen && /tmp/venv-gen/bin/pip install openpyxl
    /tmp/venv-gen/bin/python examples/rh/make_workbook.py

The workbook is committed; run this again after editing faq.csv or this script.
"""
import csv
import datetime
import os

import openpyxl
from openpyxl.styles import Font

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = ["ID", "Catégorie", "Question", "Type de réponse", "Réponse(s)", None,
          "Questions synonymes (à séparer par un point-virgule ;)", "Expire le (DD/MM/YYYY)"]

# Extra message rows after an item's text answer: (type, answer).
EXTRAS = {
    "conges_poser": [("Lien", "Ouvrir le portail RH <https://rh.intranet.example/absences>; Mon solde de congés <conges_solde>")],
    "conges_solde": [("Texte", "Voulez-vous aussi savoir comment reporter des congés ?"),
                     ("Réponse à choix", "Oui <conges_report>; Non merci <phrase_feedback>")],
    "tickets_restaurant": [("Image", "https://rh.intranet.example/images/carte-titres-restaurant.png")],
    "mot_de_passe": [("Lien", "Réinitialiser mon mot de passe <https://sso.intranet.example/oubli>")],
}
# Items valid until a date: a real date cell, as Excel writes it.
EXPIRES = {"tickets_restaurant": datetime.date(2030, 12, 31)}


def main():
    items = {}
    order = []
    with open(os.path.join(HERE, "faq.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["id"] not in items:
                items[row["id"]] = {"category": row["category"], "questions": [], "answer": row["answer"]}
                order.append(row["id"])
            items[row["id"]]["questions"].append(row["question"])

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Feuil1"
    ws.append(HEADER)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.append(["phrase_presentation", None, None, "Texte",
               "Bonjour, je suis l'assistant RH. Posez-moi vos questions sur les congés, la paie, le télétravail…",
               None, "Qui es-tu ?; Tu peux te présenter ?", None])
    ws.append(["phrase_hors_sujet", None, None, "Texte",
               "Je ne sais répondre qu'aux questions RH. Reformulez votre question, ou écrivez à rh@intranet.example.",
               None, "Quelle est la capitale de l'Australie ?; Quel temps fait-il demain ?; Qui a gagné le match hier soir ?", None])
    ws.append(["phrase_feedback", None, None, "Texte", "Merci pour votre avis : il nous aide à améliorer les réponses.", None, None, None])
    for item_id in order:
        item = items[item_id]
        ws.append([item_id, item["category"], item["questions"][0], "Texte", item["answer"], None,
                   "; ".join(item["questions"][1:]) or None, EXPIRES.get(item_id)])
        for kind, answer in EXTRAS.get(item_id, []):
            ws.append([None, None, None, kind, answer, None, None, None])
    for cell in ws["H"]:
        if isinstance(cell.value, datetime.date):
            cell.number_format = "DD/MM/YYYY"
    for column, width in zip("ABCDEFGH", (22, 12, 48, 16, 70, 3, 60, 14)):
        ws.column_dimensions[column].width = width
    wb.save(os.path.join(HERE, "faq.xlsx"))


if __name__ == "__main__":
    main()
