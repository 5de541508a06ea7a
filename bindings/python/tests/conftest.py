"""Fixtures: small hand-written knowledge bases written into tmp_path (never ../shared)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import chatbot

TSV = """\
conges\tcomment poser des congés
conges\tje veux prendre des vacances
badge\tj'ai perdu mon badge
badge\tbadge perdu que faire
salaire\tquand est versé le salaire
salaire\tdate de paiement de la paie
teletravail\tcombien de jours de télétravail par semaine
mutuelle\tcomment adhérer à la mutuelle
"""

CSV = """\
id;question;answer;category
conges;Comment poser des congés ?;Sur le portail RH, rubrique Absences.;RH
conges;Je veux prendre des vacances;;
badge;J'ai perdu mon badge;Appelez l'accueil, poste 12.;Sécurité
parking;Où garer ma voiture ?;Au parking P2, niveau -1.;Sécurité
salaire;Quand est versé le salaire ?;Le 28 de chaque mois.;RH
"""

SYNONYMS = "congé; vacances; jours off\nbadge; carte d'accès\n"

# Three-dimensional embeddings: enough to check that a query vector moves the ranking.
JSON_SOURCE = {
    "items": [
        {"id": "conges", "question": {"text": "comment poser des congés", "vector": [1.0, 0.0, 0.0]},
         "answer": "Sur le portail RH.", "category": "RH"},
        {"id": "badge", "question": {"text": "j'ai perdu mon badge", "vector": [0.0, 1.0, 0.0]},
         "answer": "Appelez l'accueil.", "category": "Sécurité"},
        {"id": "salaire", "question": {"text": "quand est versé le salaire", "vector": [0.0, 0.0, 1.0]},
         "answer": "Le 28.", "category": "RH"},
    ]
}

# An HR base with reserved items, rich messages and an item button (the JSON source form).
RICH_SOURCE = {
    "items": [
        {"id": "phrase_presentation", "messages": [{"type": "text", "text": "Bonjour, je suis l'assistant RH."}]},
        {"id": "phrase_hors_sujet", "question": "Quel temps fait-il ?",
         "alternatives": ["Quelle est la capitale du Pérou ?"],
         "messages": [{"type": "text", "text": "Je ne sais répondre qu'aux questions RH."}]},
        {"id": "conges", "category": "RH", "question": "Comment poser un congé ?",
         "alternatives": ["Je veux poser des vacances", "poser un jour de congé"],
         "messages": [{"type": "text", "text": "Sur le portail RH."},
                      {"type": "image", "url": "https://intranet/conges.png"},
                      {"type": "buttons", "buttons": [{"title": "Ouvrir le portail", "url": "https://rh"},
                                                      {"title": "Les RTT", "item": "rtt"}]}]},
        {"id": "rtt", "category": "RH", "question": "Combien de RTT ai-je ?", "alternatives": ["nombre de jours de RTT"],
         "messages": [{"type": "text", "text": "12 jours par an."}]},
        {"id": "badge", "category": "Sécurité", "question": "J'ai perdu mon badge",
         "alternatives": ["badge perdu", "mon badge ne marche plus"], "answer": "Appelez l'accueil."},
    ]
}

TEMPLATE_HEADER = "ID;Catégorie;Question;Type de réponse;Réponse(s);;Questions synonymes (à séparer par un point-virgule ;)\n"

# Usine template with three errors: row 3 has no type, row 4 an image before any text,
# row 5 a new question without an ID; row 6 has no category (a warning).
TEMPLATE_BAD = TEMPLATE_HEADER + (
    "conges;RH;Comment poser un congé ?;Texte;Sur le portail RH.;;Je veux poser des vacances\n"
    ";;;;Une réponse sans type;;\n"
    "badge;Sécurité;J'ai perdu mon badge;Image;https://intranet/badge.png;;badge perdu\n"
    ";;Une autre question sans ID;Texte;Une réponse;;\n"
    "rtt;;Combien de RTT ai-je ?;Texte;12 jours par an.;;nombre de jours de RTT\n"
)

# A template that builds, with one warning: row 4 (rtt) has no category.
TEMPLATE_GOOD = TEMPLATE_HEADER + (
    "conges;RH;Comment poser un congé ?;Texte;Sur le portail RH.;;Je veux poser des vacances; poser un congé\n"
    ';;;Bouton;"Les RTT <rtt>; Le portail <https://rh>";;\n'
    "rtt;;Combien de RTT ai-je ?;Texte;12 jours par an.;;nombre de jours de RTT\n"
)

QUESTIONS = [
    "comment poser des congés",
    "J'ai perdu mon badge !",
    "quand est-ce que le salaire est versé ?",
    "jours de télétravail",
    "je voudrais des vacances",
    "mutuelle",
    "quelle est la couleur du ciel",
    "",
    "🙂 émoji et accents : élève, cœur, naïve",
    "badge badge badge badge",
]


def write_text(folder: Path, name: str, text: str) -> Path:
    """`text` as the UTF-8 file `name` in `folder` (a test's tmp_path); its path."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture()
def kb_tsv(tmp_path: Path) -> Path:
    return write_text(tmp_path, "faq.tsv", TSV)


@pytest.fixture()
def kb_csv(tmp_path: Path) -> Path:
    return write_text(tmp_path, "faq.csv", CSV)


@pytest.fixture()
def kb_json(tmp_path: Path) -> Path:
    return write_text(tmp_path, "faq.json", json.dumps(JSON_SOURCE, ensure_ascii=False))


@pytest.fixture()
def kb_rich(tmp_path: Path) -> Path:
    return write_text(tmp_path, "rh.json", json.dumps(RICH_SOURCE, ensure_ascii=False))


@pytest.fixture()
def rich(kb_rich: Path):
    with chatbot.Engine.build(kb_rich) as built:
        yield built


@pytest.fixture()
def template_bad(tmp_path: Path) -> Path:
    return write_text(tmp_path, "usine_erreurs.csv", TEMPLATE_BAD)


@pytest.fixture()
def template_good(tmp_path: Path) -> Path:
    return write_text(tmp_path, "usine.csv", TEMPLATE_GOOD)


@pytest.fixture()
def synonyms(tmp_path: Path) -> Path:
    return write_text(tmp_path, "synonymes.txt", SYNONYMS)


@pytest.fixture()
def index_path(tmp_path: Path, kb_tsv: Path) -> Path:
    path = tmp_path / "faq.cbindex"
    with chatbot.Engine.build(kb_tsv) as engine:
        engine.save(path)
    return path


@pytest.fixture()
def engine(index_path: Path):
    with chatbot.Engine.open(index_path) as opened:
        yield opened
