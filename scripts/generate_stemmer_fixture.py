#!/usr/bin/env python3
"""Builds Tests/FrenchTextTests/Fixtures/french-stems.tsv: French words and their Snowball
French stems, the reference the Swift FrenchStemmer must reproduce exactly.

Words: Debian's `wfrench` list (/usr/share/dict/french), lowercased and deduplicated, sampled
at a fixed stride (every STRIDE-th word of the sorted list, so the sample spans the whole
alphabet and every ending), plus every word holding a rare letter (ë ï ü ù à ô …) that a
stride sample could miss, plus the hand-written RULE_WORDS below, chosen so that each rule
of the algorithm (and each way it can fail to apply) appears at least once.

Stems: PyPI `snowballstemmer` 3.1.1 (the algorithm of Snowball 3.0.0 – 3.1.1). The version
is asserted because the French algorithm changed in 3.0 and may change again.

Usage: python3 scripts/generate_stemmer_fixture.py [--dict PATH] [--out PATH] [--stride N]
"""

import argparse
import os
import sys

import snowballstemmer

REQUIRED_VERSION = "3.1.1"
STRIDE = 12
RARE_LETTERS = set("ëïüùàôöúûœæ")

# Hand-written words exercising each rule, grouped by the rule they exercise.
RULE_WORDS = """
l'arbre d'abord qu'elle c'est s'amuser n'oublie m'écrire t'entends j'écoute
l' d' qu' s' presqu'île entr'ouvert aujourd'hui prud'homme l’arbre quelqu'un
jouait louable ennuyeux appuie croyons essuyer voyelle yeux yole quoi quatre
aïeul maïs haïssons ouïe noëls canoë naïvement héroïque égoïsme cigüe ambiguë
parler pareil parisien colonne colère tapisserie tapage niaiserie nièce nier niveau
aimable oasis aérer arcs ours
nationalisme optimiste dynamiques absences romances capables idéalistes
créatrice créatrices accusateur sacrifications spécifications formations
astrologie astrologies confusions révolutions prudence évidences
doucement lentement naïvement heureusement lisiblement uniquement régulièrement
entièrement définitivement approximativement amoureusement fameusement
fragilité fragilités stabilité probabilité électricité élasticité créativité passivité
sportif sportive sportives sportifs éducatif éducative explicative significatifs
nouveaux manteaux tuyaux généraux animaux cailloux hiboux joujoux poux choux
voyageuse voyageuses danseuse menteuses malheureuse
aboutissement aboutissements divertissement accomplissements
couramment savamment fréquemment prudemment récemment
joliment gaiement poliment assidûment éperdument sentiment jument
grandir grandissait grandissaient bâtirent unîmes finîtes saisîmes ravi rougie
ébahi haïs haït
mangions chantions parlâmes chantâtes aimèrent chanteraient dansera danserions
lançais lançait avançant commençâmes plaçant
niais biais jamais mais frais épais niaise fraise chaises malaises
épluche déplaire déplaisent mauvaises
cadeaux essuyé ennuyé appuyé nettoyé balayé
reçu reçus leçon garçons
rues amis gris ours iris pais jus cas os pas dès après procès
suggestion dimension gestion mention portion région religion
fermière fermier lumière cuisinier oreiller papier
grosse laide petite
antienne personne patronne cadette sonnette chapelle vieille abeille merveilleux
frère collège sèche mère fidèle zèle assiège
a à é è ë ï y s x z e i o u
qu quu que qui uu ii yy yyy iii
""".split()


def load_words(path: str) -> list[str]:
    with open(path, encoding="utf-8") as f:
        return sorted({line.strip().lower() for line in f if line.strip()})


def main() -> int:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dict", default="/usr/share/dict/french")
    parser.add_argument("--out", default=os.path.join(root, "Tests/FrenchTextTests/Fixtures/french-stems.tsv"))
    parser.add_argument("--stride", type=int, default=STRIDE)
    args = parser.parse_args()

    version = getattr(snowballstemmer, "__version__", None)
    if version is None:
        from importlib.metadata import version as dist_version
        version = dist_version("snowballstemmer")
    assert version == REQUIRED_VERSION, f"snowballstemmer {version} installed, {REQUIRED_VERSION} required"

    dictionary = load_words(args.dict)
    chosen = set(dictionary[:: args.stride])
    chosen.update(w for w in dictionary if RARE_LETTERS & set(w))
    chosen.update(RULE_WORDS)
    # Tabs or newlines would break the format; the sources have none, so this only guards.
    words = sorted(w for w in chosen if "\t" not in w and "\n" not in w and w)

    stemmer = snowballstemmer.stemmer("french")
    with open(args.out, "w", encoding="utf-8", newline="\n") as out:
        for word in words:
            out.write(f"{word}\t{stemmer.stemWord(word)}\n")
    print(f"{len(words)} words ({len(dictionary)} in {args.dict}, stride {args.stride}) -> {args.out}")
    assert len(words) >= 20000, "fixture must hold at least 20,000 words"
    return 0


if __name__ == "__main__":
    sys.exit(main())
