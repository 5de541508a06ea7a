"""Matching results: decisions, ordering, answers and categories, batches, JSON, analysis."""

from __future__ import annotations

from pathlib import Path

import pytest

import chatbot
from conftest import QUESTIONS


def test_exact_question_is_answered(engine: chatbot.Engine):
    result = engine.match("j'ai perdu mon badge", top_k=3)
    assert result.decision == "answer"
    assert result.decision is chatbot.Decision.ANSWER
    assert str(result.decision) == "answer"
    assert result.suggestions == 1
    best = result.matches[0]
    assert (best.id, best.question) == ("badge", "j'ai perdu mon badge")
    assert best.score == pytest.approx(1.0, abs=0.05)
    assert best.answer == "" and best.category == ""  # a .tsv source carries neither
    assert engine.item_id(best.item_index) == "badge"


def test_unrelated_question_falls_back(engine: chatbot.Engine):
    result = engine.match("quelle est la couleur du ciel")
    assert result.decision == chatbot.Decision.FALLBACK
    assert result.suggestions == 0


def test_matches_are_sorted_bounded_and_unique(engine: chatbot.Engine):
    for question in QUESTIONS:
        for top_k in (1, 2, 5, 10):
            result = engine.match(question, top_k)
            assert len(result.matches) <= min(top_k, engine.item_count)
            scores = [m.score for m in result.matches]
            assert scores == sorted(scores, reverse=True)
            assert all(0.0 <= s <= 1.0 for s in scores)
            assert len({m.id for m in result.matches}) == len(result.matches)
            assert result.decision in ("answer", "suggest", "fallback")


def test_answers_and_categories_from_csv(kb_csv: Path):
    with chatbot.Engine.build(kb_csv) as engine:
        best = engine.match("j'ai perdu mon badge").matches[0]
        assert (best.id, best.answer, best.category) == ("badge", "Appelez l'accueil, poste 12.", "Sécurité")
        question = "badge perdu, congés et salaire"
        assert {m.category for m in engine.match(question, top_k=10).matches} == {"RH", "Sécurité"}
        rh_only = engine.match(question, top_k=10, category="RH")
        assert {m.id for m in rh_only.matches} == {"conges", "salaire"}
        assert engine.match("badge", category="Inconnue").matches == []


def test_synonyms_change_the_match(kb_tsv: Path, synonyms: Path):
    question = "carte d'accès"
    with chatbot.Engine.build(kb_tsv) as plain, chatbot.Engine.build(kb_tsv, synonyms) as with_synonyms:
        plain_ids = [m.id for m in plain.match(question).matches]
        assert with_synonyms.match(question).matches[0].id == "badge"
        assert plain_ids[:1] != ["badge"]


def test_query_vector_moves_the_ranking(kb_json: Path):
    # Scale 0: the embeddings stay out of the learned model and only enter the
    # nearest-question cosine, so a question may come with or without its vector.
    with chatbot.Engine.build(kb_json, embedding_scale=0) as engine:
        assert engine.embedding_dimension == 3
        lexical = engine.match("salaire", top_k=3)
        mixed = engine.match("salaire", top_k=3, vector=[0.0, 1.0, 0.0])
        badge_lexical = next((m.score for m in lexical.matches if m.id == "badge"), 0.0)
        badge_mixed = next(m.score for m in mixed.matches if m.id == "badge")
        assert badge_mixed > badge_lexical
        # A numpy-like sequence of floats is accepted as well as a list.
        assert engine.match("salaire", top_k=3, vector=(0.0, 1.0, 0.0)) == mixed


def test_match_batch_equals_single_matches(engine: chatbot.Engine):
    for top_k in (1, 3, 5):
        assert engine.match_batch(QUESTIONS, top_k) == [engine.match(q, top_k) for q in QUESTIONS]
    assert engine.match_batch([]) == []


def test_rank_batch_equals_single_matches(engine: chatbot.Engine):
    for top_k in (1, 3, 10):
        rankings = engine.rank_batch(QUESTIONS, top_k)
        assert len(rankings) == len(QUESTIONS)
        for question, ranking in zip(QUESTIONS, rankings):
            single = engine.match(question, top_k)
            assert ranking.decision == single.decision
            assert ranking.ids == [m.id for m in single.matches]
            assert ranking.scores == [m.score for m in single.matches]
    assert engine.rank_batch([]) == []
    assert engine.rank_batch(iter_list := list(QUESTIONS[:2])) == engine.rank_batch(tuple(iter_list))


def test_match_json_equals_match(engine: chatbot.Engine):
    for question in QUESTIONS:
        parsed = engine.match_json(question, 3)
        typed = engine.match(question, 3)
        assert parsed["decision"] == typed.decision
        assert parsed["suggestions"] == typed.suggestions
        assert [m["id"] for m in parsed["matches"]] == [m.id for m in typed.matches]
        assert [m["question"] for m in parsed["matches"]] == [m.question for m in typed.matches]
        for m, t in zip(parsed["matches"], typed.matches):
            assert m["score"] == pytest.approx(t.score, abs=1e-6)


def test_analyze_returns_tokens_with_byte_offsets(engine: chatbot.Engine):
    text = "Où sont mes congés ?"
    analysis = engine.analyze(text)
    assert set(analysis) == {"tokens", "terms"}
    data = text.encode("utf-8")
    words = [t for t in analysis["tokens"] if t["kind"] == "word"]
    # Token texts are lower-cased; the offsets point into the original bytes.
    assert [t["text"] for t in words] == ["où", "sont", "mes", "congés"]
    assert [data[t["start"]:t["end"]].decode("utf-8") for t in words] == ["Où", "sont", "mes", "congés"]
    for token in analysis["tokens"]:
        assert data[token["start"]:token["end"]].decode("utf-8").lower() == token["text"]
        assert isinstance(token["stop"], bool)
    # Stop words are flagged; the default index keeps them among its terms (stemmed, folded).
    assert [t["stop"] for t in words] == [False, True, True, False]
    assert analysis["terms"] == [t["term"] for t in words]
    assert words[3]["stem"] != "congés"
    assert engine.analyze("") == {"tokens": [], "terms": []}


def test_decision_enum_compares_with_strings():
    assert chatbot.Decision.SUGGEST == "suggest"
    assert chatbot.Decision("fallback") is chatbot.Decision.FALLBACK
    assert {d.value for d in chatbot.Decision} == {"answer", "suggest", "fallback"}


def test_match_equals_the_typed_accessors(engine: chatbot.Engine, kb_csv: Path):
    # match() reads cb_match_json; the typed C accessors must give exactly the same values.
    import ctypes
    from chatbot import _library
    from chatbot.engine import _read_result
    lib = _library.library()
    with chatbot.Engine.build(kb_csv) as csv_engine:
        for e in (engine, csv_engine):
            for question in QUESTIONS:
                for top_k in (1, 5):
                    result = _library.ResultPointer()
                    assert lib.cb_match(e._handle, question.encode(), top_k, ctypes.byref(result)) == 0
                    try:
                        typed = _read_result(lib, result)
                    finally:
                        lib.cb_result_free(result)
                    assert e.match(question, top_k) == typed
