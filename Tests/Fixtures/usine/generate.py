#!/usr/bin/env python3
"""Writes the Usine-template workbooks used by the Swift, C, Python and PHP tests.

    python3 -m venv /tmp/venv-gen && /tmp/venv-gen/bin/pip install openpyxl odfpy
    /tmp/venv-gen/bin/python Tests/Fixtures/usine/generate.py

Real writers make the files (openpyxl for .xlsx, odfpy for .ods), so that the reader meets
what Excel-like and LibreOffice-like producers write: shared strings, a real date cell, a
numeric ID, multi-line text, repeated cells. The outputs are committed next to this script;
run it again after changing it. Nothing here is taken from the Usine's own files.
"""
import datetime
import os
import sys

import openpyxl
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

HERE = os.path.dirname(os.path.abspath(__file__))

HEADER = ["ID", "Catégorie", "Question", "Type de réponse", "Réponse(s)", None,
          "Questions synonymes (à séparer par un point-virgule ;)", "Expire le (DD/MM/YYYY)"]

# One row per message; None leaves the cell empty. The expiry of "conges" is a real date
# cell, that of "rtt" text; "12345" is a numeric ID cell that must read as the text "12345".
TEMPLATE = [
    ["phrase_presentation", None, None, "Texte", "Bonjour, je suis l'assistant RH.", None, "Tu peux te présenter ?", None],
    ["phrase_presentation", None, None, "Texte", "Posez-moi vos questions sur les congés,\n\nles RTT et le badge.", None, None, None],
    ["phrase_hors_sujet", None, None, "Texte", "Je ne réponds qu'aux questions RH.", None,
     "Quel temps fait-il demain ?; Quelle est la capitale du Pérou ?", None],
    ["phrase_feedback", None, None, "Texte", "Merci pour votre avis.", None, None, None],
    ["conges", "RH", "Comment poser un congé ?", "Texte", "Sur le portail RH, rubrique Absences.", None,
     "Je veux poser des vacances; poser un jour de congé;  ; prendre des congés", datetime.date(2099, 12, 31)],
    [None, None, None, "Image", "https://intranet.example/conges.png", None, None, None],
    [None, None, None, "Texte", "Pour aller plus loin :", None, None, None],
    [None, None, None, "Lien", "Ouvrir le portail <https://rh.example>; Les RTT <rtt>", None, None, None],
    ["rtt", "RH", "Combien de jours de RTT ai-je ?", "Texte", "12 jours par an.", None, "nombre de jours de RTT; mes RTT", "31/12/2098"],
    [None, None, None, "Texte", "Voulez-vous en savoir plus ?", None, None, None],
    [None, None, None, "Réponse à choix", "Oui <rtt_details>; Non merci <phrase_feedback>", None, None, None],
    ["rtt_details", None, None, "Texte", "Les RTT se posent comme des congés.", None, None, None],
    [12345, "Sécurité", "J'ai perdu mon badge", "Texte", "Appelez l'accueil au poste 12.", None, "badge perdu; plus de badge", None],
    ["st_merci", "Discussion", "Merci", "Texte", "Avec plaisir !", None, "merci beaucoup; thanks", None],
]

# Rows with errors (and a warning): the diagnostics test expects exactly these.
ERRORS = [
    [None, "RH", "Question sans ID ?", "Texte", "Réponse", None, "Alt", None],                  # 2 missing_id
    ["ok", "RH", "Une bonne question ?", "Texte", "Une réponse.", None, "Autre", None],        # 3
    ["sans_type", "RH", "Question ?", None, "Réponse sans type", None, "Alt", None],            # 4 missing_type
    ["image_seule", "RH", "Question ?", "Image", "https://x.example/y.png", None, "Alt", None], # 5 needs_text_before
    ["sans_reponse", "RH", "Question ?", "Texte", None, None, "Alt", None],                    # 6 missing_answer
    ["date_fausse", "RH", "Question ?", "Texte", "R", None, "Alt", "31/02/2030"],              # 7 invalid_expiry
    ["sans_categorie", None, "Question ?", "Texte", "R", None, None, None],                    # 8 two warnings
]


def write_xlsx(path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Feuil1"
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    for cell in ws["H"]:
        if isinstance(cell.value, datetime.date):
            cell.number_format = "DD/MM/YYYY"
    wb.create_sheet("Notes").append(["Cette feuille est ignorée", "ID", "Question"])
    wb.save(path)


def ods_cell(value):
    if value is None:
        return TableCell()
    if isinstance(value, datetime.date):
        cell = TableCell(valuetype="date", datevalue=value.isoformat())
        cell.addElement(P(text=value.strftime("%d/%m/%Y")))
        return cell
    if isinstance(value, (int, float)):
        cell = TableCell(valuetype="float", value=value)
        cell.addElement(P(text=str(value)))
        return cell
    cell = TableCell(valuetype="string")
    for paragraph in str(value).split("\n"):
        cell.addElement(P(text=paragraph))
    return cell


def write_ods(path, rows):
    doc = OpenDocumentSpreadsheet()
    table = Table(name="Feuil1")
    for row in [HEADER] + rows:
        tr = TableRow()
        k = 0
        while k < len(row):
            # Runs of empty cells are written as one repeated cell, as LibreOffice does.
            if row[k] is None:
                run = 1
                while k + run < len(row) and row[k + run] is None:
                    run += 1
                tr.addElement(TableCell(numbercolumnsrepeated=run))
                k += run
            else:
                tr.addElement(ods_cell(row[k]))
                k += 1
        table.addElement(tr)
    # LibreOffice ends a sheet with a huge run of repeated empty rows.
    empty = TableRow(numberrowsrepeated=1048000)
    empty.addElement(TableCell(numbercolumnsrepeated=1024))
    table.addElement(empty)
    doc.spreadsheet.addElement(table)
    doc.save(path)


def main():
    write_xlsx(os.path.join(HERE, "template.xlsx"), TEMPLATE)
    write_ods(os.path.join(HERE, "template.ods"), TEMPLATE)
    write_xlsx(os.path.join(HERE, "errors.xlsx"), ERRORS)
    # A password-protected workbook is an OLE compound file, whatever its extension.
    with open(os.path.join(HERE, "encrypted.xlsx"), "wb") as f:
        f.write(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504))
    print("wrote template.xlsx, template.ods, errors.xlsx, encrypted.xlsx in", HERE, file=sys.stderr)


if __name__ == "__main__":
    main()
