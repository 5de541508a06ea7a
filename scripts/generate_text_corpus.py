#!/usr/bin/env python3
"""Generate Benchmarks/corpus/french-questions.txt: synthetic French FAQ questions.

One question per line, composed from hand-written templates and vocabulary with a
fixed seed, so the file is reproducible byte for byte. It exercises what the analyser
must handle: accents, typographic and straight apostrophes, elisions, inverted pronouns
(a-t-il, pouvez-vous), numbers (1 234,50 €, 14/07/2024, 10h30, 20 %), e-mail addresses,
URLs, capitals, typos (missing accents, doubled letters) and a few emoji.

Usage: python3 scripts/generate_text_corpus.py [--size-mb 1.5] [--out PATH]
"""
import argparse
import random
from pathlib import Path

SEED = 20261123

SUBJECTS = [
    "mon compte", "mon mot de passe", "ma carte bancaire", "mon abonnement", "ma facture",
    "mon colis", "ma commande", "mon rendez-vous", "mon dossier", "ma déclaration d'impôts",
    "mon adresse e-mail", "mon numéro de téléphone", "l'application", "l'accès au site",
    "l'espace client", "le prélèvement", "le remboursement", "la livraison", "l'échéancier",
    "le contrat d'assurance", "la carte Vitale", "l'attestation", "le relevé d'identité bancaire",
    "le prêt immobilier", "l'offre d'été", "le service après-vente", "la résiliation",
    "mon congé maternité", "la prime d'activité", "l'allocation logement", "le permis de conduire",
]
VERBS_INF = [
    "modifier", "réinitialiser", "supprimer", "créer", "activer", "désactiver", "consulter",
    "télécharger", "mettre à jour", "récupérer", "annuler", "payer", "renouveler", "résilier",
    "déclarer", "changer", "vérifier", "suivre", "contester", "transférer", "bloquer",
]
PROBLEMS = [
    "ne fonctionne pas", "n'est plus accessible", "est bloqué", "a été refusé",
    "n'apparaît pas", "est en retard", "affiche une erreur", "ne s'ouvre plus",
    "a été débité deux fois", "n'a jamais été reçu", "est introuvable",
]
TIMES = [
    "aujourd'hui", "demain", "ce week-end", "cette semaine", "ce mois-ci", "depuis hier",
    "depuis le 14/07/2024", "avant le 31/12/2025", "à 10h30", "jusqu'à 18h", "le 1er mars",
    "d'ici 48 heures", "en moins de 2 jours", "après 20h00",
]
AMOUNTS = ["12,50 €", "1 234,56 €", "3 000 euros", "49,99 €", "20 %", "15%", "0,5 %", "2 500 €",
           "1\u00a0200 €", "7\u202f500 €", "3.5 Go", "100 Mo"]
CONTACTS = [
    "contact@service-client.fr", "support@exemple.com", "jean.dupont@mairie-paris.fr",
    "aide+faq@banque.example.fr", "https://www.service-public.fr/particuliers/vosdroits",
    "www.impots.gouv.fr", "https://exemple.fr/aide?page=2", "http://assistance.exemple.org/faq",
]
OPENERS = ["Bonjour, ", "Bonjour ", "Salut, ", "Bonsoir, ", "Excusez-moi, ", "Svp ", "", "", "", ""]
CLOSERS = [" Merci.", " Merci d'avance !", " merci", " 🙏", " 😀", " !!", " ?", "", "", "", ""]

TEMPLATES = [
    "Comment {verb} {subject} ?",
    "Comment puis-je {verb} {subject} {time} ?",
    "Pouvez-vous m'aider à {verb} {subject} ?",
    "Est-ce que je peux {verb} {subject} {time} ?",
    "Je n'arrive pas à {verb} {subject}, que faire ?",
    "Je ne peux pas {verb} {subject} : {subject2} {problem}.",
    "Pourquoi {subject} {problem} {time} ?",
    "{Subject} {problem}, que dois-je faire ?",
    "Qu'est-ce qu'il faut faire quand {subject} {problem} ?",
    "Y a-t-il des frais pour {verb} {subject} ?",
    "Combien coûte {subject} ? On m'a parlé de {amount}.",
    "Est-il possible de {verb} {subject} sans frais ?",
    "Où puis-je {verb} {subject} ?",
    "Faut-il {verb} {subject} avant {time} ?",
    "Quel est le délai pour {verb} {subject} ?",
    "Peut-on {verb} {subject} en ligne sur {contact} ?",
    "J'ai écrit à {contact} {time} mais personne ne m'a répondu.",
    "Quelqu'un peut-il me dire comment {verb} {subject} ?",
    "Le montant de {amount} est-il normal pour {subject} ?",
    "À qui dois-je m'adresser pour {verb} {subject} ?",
    "Quand vais-je recevoir {subject} ? On m'a dit {time}.",
    "Je voudrais {verb} {subject}, est-ce possible {time} ?",
    "Dois-je fournir une pièce d'identité pour {verb} {subject} ?",
    "Que se passe-t-il si je ne peux plus {verb} {subject} ?",
    "Aidez-moi : {subject} {problem} depuis {amount} de dépenses.",
]

# Common typing accidents seen in real chatbot logs.
UNACCENT = str.maketrans("éèêàùâîôûç", "eeeauaiouc")


def typo(text: str, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.10:
        return text.translate(UNACCENT)
    if r < 0.15:
        return text.lower()
    if r < 0.18:
        return text.upper()
    if r < 0.24:
        words = text.split(" ")
        i = rng.randrange(len(words))
        w = words[i]
        if len(w) > 3:
            j = rng.randrange(1, len(w) - 1)
            words[i] = w[:j] + w[j] + w[j:]  # doubled letter
        return " ".join(words)
    return text


def question(rng: random.Random) -> str:
    subject = rng.choice(SUBJECTS)
    q = rng.choice(TEMPLATES).format(
        verb=rng.choice(VERBS_INF), subject=subject, Subject=subject[0].upper() + subject[1:],
        subject2=rng.choice(SUBJECTS), problem=rng.choice(PROBLEMS), time=rng.choice(TIMES),
        amount=rng.choice(AMOUNTS), contact=rng.choice(CONTACTS),
    )
    q = rng.choice(OPENERS) + (q[0].lower() + q[1:] if rng.random() < 0.2 else q) + rng.choice(CLOSERS)
    if rng.random() < 0.6:
        q = q.replace("'", "\u2019")  # typographic apostrophes, as phones type them
    return typo(q, rng)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=1.5)
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).resolve().parent.parent / "Benchmarks/corpus/french-questions.txt")
    args = parser.parse_args()
    rng = random.Random(SEED)
    target = int(args.size_mb * 1_000_000)
    lines, size = [], 0
    while size < target:
        line = question(rng)
        lines.append(line)
        size += len(line.encode("utf-8")) + 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(lines)} lines, {size} bytes")


if __name__ == "__main__":
    main()
