"""Replies, suggestions, item lookup, decision options and source diagnostics."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import pytest

import chatbot
from chatbot import (Button, ButtonsMessage, Decision, Diagnostic, ImageMessage, Item, QuickRepliesMessage, Severity,
                     TextMessage)

CONGES_MESSAGES = [
    TextMessage("Sur le portail RH."),
    ImageMessage("https://intranet/conges.png"),
    ButtonsMessage([Button("Ouvrir le portail", url="https://rh"), Button("Les RTT", item="rtt")]),
]


# ------------------------------------------------------------------------- messages


def test_messages_are_frozen_values():
    text = TextMessage("a")
    with pytest.raises(dataclasses.FrozenInstanceError):
        text.text = "b"  # type: ignore[misc]
    # Buttons are kept as a tuple whatever sequence was given: equal and hashable.
    a = ButtonsMessage([Button("t", item="x")])
    b = ButtonsMessage((Button("t", item="x"),))
    assert a == b and hash(a) == hash(b) and isinstance(a.buttons, tuple)
    assert QuickRepliesMessage([Button("t", url="u")]) != ButtonsMessage([Button("t", url="u")])
    assert Button("t").url is None and Button("t").item is None


def test_parse_messages_of_every_type():
    from chatbot.results import parse_messages
    raw = [{"type": "text", "text": "x"}, {"type": "image", "url": "u"},
           {"type": "buttons", "buttons": [{"title": "a", "url": "u"}, {"title": "b", "item": "i"}]},
           {"type": "quick_replies", "buttons": [{"title": "c", "item": "j"}]},
           {"type": "video", "url": "v"}]
    parsed = parse_messages(raw)
    assert parsed[:4] == [TextMessage("x"), ImageMessage("u"),
                          ButtonsMessage([Button("a", url="u"), Button("b", item="i")]),
                          QuickRepliesMessage([Button("c", item="j")])]
    assert parsed[4] == chatbot.UnknownMessage("video", {"type": "video", "url": "v"})
    with pytest.raises(chatbot.InternalError):
        parse_messages([{"type": "text"}])


# ------------------------------------------------------------------------- reply and suggestions


def test_answer_reply_is_the_items_messages(rich: chatbot.Engine):
    result = rich.match("Comment poser un congé ?")
    assert result.decision is Decision.ANSWER
    assert result.matches[0].id == "conges"
    assert result.reply == CONGES_MESSAGES
    assert result.reply == rich.item("conges").messages
    assert [m.id for m in result.suggested] == ["conges"] and result.suggestions == 1
    # The typed path (cb_match_with_params) and the JSON path (cb_match_json) agree.
    assert rich.match("Comment poser un congé ?", max_suggestions=3) == result


def test_following_an_item_button(rich: chatbot.Engine):
    buttons = rich.match("Comment poser un congé ?").reply[2]
    assert isinstance(buttons, ButtonsMessage)
    target = next(b.item for b in buttons.buttons if b.item is not None)
    rtt = rich.item(target)
    assert rtt == Item("rtt", "RH", "Combien de RTT ai-je ?", ["nombre de jours de RTT"],
                       [TextMessage("12 jours par an.")], False, None)


def test_answer_from_plain_answer_field(rich: chatbot.Engine):
    result = rich.match("j'ai perdu mon badge")
    assert result.decision == "answer"
    assert result.reply == [TextMessage("Appelez l'accueil.")]


def test_hors_sujet_question_falls_back_with_its_text(rich: chatbot.Engine):
    for options in ({}, {"max_suggestions": 3}):
        result = rich.match("Quel temps fait-il ?", **options)
        assert result.decision is Decision.FALLBACK
        assert TextMessage("Je ne sais répondre qu'aux questions RH.") in result.reply
        assert all(not m.id.startswith(("phrase_", "st_")) for m in result.suggested)


def test_reserved_items_are_never_suggested(rich: chatbot.Engine):
    questions = ["Quel temps fait-il ?", "congé", "badge", "RTT", "bonjour", "capitale", "portail"]
    for question in questions:
        for threshold in (None, 1.0):
            result = rich.match(question, top_k=5, answer_threshold=threshold)
            assert len(result.suggested) == result.suggestions
            assert all(m in result.matches for m in result.suggested)
            assert all(not m.id.startswith(("phrase_", "st_")) for m in result.suggested), (question, result)


def test_match_result_stays_a_three_tuple(rich: chatbot.Engine):
    result = rich.match("badge perdu")
    decision, suggestions, matches = result
    assert (decision, suggestions, matches) == (result.decision, result.suggestions, result.matches)
    assert result._replace(suggestions=0).reply == result.reply
    assert pickle.loads(pickle.dumps(result)) == result


# ------------------------------------------------------------------------- item lookup


def test_item_without_question(rich: chatbot.Engine):
    item = rich.item("phrase_presentation")
    assert item.id == "phrase_presentation" and item.question is None and item.alternatives == []
    assert item.messages == [TextMessage("Bonjour, je suis l'assistant RH.")]
    assert item.hidden is False and item.expires is None


def test_item_with_everything(rich: chatbot.Engine):
    item = rich.item("conges")
    assert (item.category, item.question) == ("RH", "Comment poser un congé ?")
    assert item.alternatives == ["Je veux poser des vacances", "poser un jour de congé"]
    assert item.messages == CONGES_MESSAGES


def test_item_expiry_and_hidden(tmp_path: Path):
    source = tmp_path / "dates.json"
    source.write_text('{"items": [{"id": "a", "question": "une question", "answer": "x", "expires_at": "2031-05-17"},'
                      ' {"id": "b", "question": "autre question", "answer": "y", "hidden": true}]}', encoding="utf-8")
    import datetime
    with chatbot.Engine.build(source) as engine:
        assert engine.item("a").expires == datetime.date(2031, 5, 17)
        assert engine.item("b").hidden is True


def test_unknown_item_raises_not_found(rich: chatbot.Engine):
    with pytest.raises(chatbot.NotFoundError) as caught:
        rich.item("inconnu")
    error = caught.value
    assert error.status == 8 and isinstance(error, chatbot.ChatbotError) and isinstance(error, KeyError)
    assert "inconnu" in str(error) and not str(error).startswith("'")
    with pytest.raises(KeyError):
        rich.item("")
    with pytest.raises(TypeError):
        rich.item(3)  # type: ignore[arg-type]
    with pytest.raises(chatbot.InvalidArgumentError):
        rich.item("a\0b")


def test_item_on_a_closed_engine(kb_rich: Path):
    engine = chatbot.Engine.build(kb_rich)
    engine.close()
    with pytest.raises(chatbot.ClosedEngineError):
        engine.item("rtt")


def test_not_found_status_mapping():
    from chatbot.errors import error_for_status
    error = error_for_status(8, "no item")
    assert type(error) is chatbot.NotFoundError and str(error) == "no item"


# ------------------------------------------------------------------------- decision options


def test_answer_threshold_one_turns_an_answer_into_a_suggestion(rich: chatbot.Engine):
    result = rich.match("Comment poser un congé ?", answer_threshold=1.0)
    assert result.decision in (Decision.SUGGEST, Decision.FALLBACK)
    if result.decision is Decision.SUGGEST:
        assert result.suggested[0].id == "conges"
        offered = [b.item for m in result.reply if isinstance(m, ButtonsMessage) for b in m.buttons]
        assert "conges" in offered


def test_zero_thresholds_answer(rich: chatbot.Engine):
    # suggestion_floor must not exceed answer_threshold, so it goes to 0 too.
    result = rich.match("Combien de RTT", answer_threshold=0.0, ambiguity_margin=0.0, suggestion_floor=0.0)
    assert result.decision is Decision.ANSWER
    assert result.matches[0].id == "rtt" and result.reply == [TextMessage("12 jours par an.")]


def test_build_settings_are_stored_in_the_index(kb_rich: Path, tmp_path: Path):
    with chatbot.Engine.build(kb_rich, answer_threshold=1.0) as strict:
        assert strict.match("Comment poser un congé ?").decision is not Decision.ANSWER
        strict.save(tmp_path / "strict.cbindex")
    with chatbot.Engine.open(tmp_path / "strict.cbindex") as reopened:
        assert reopened.match("Comment poser un congé ?").decision is not Decision.ANSWER
        # A per-question setting overrides the index's.
        assert reopened.match("Comment poser un congé ?", answer_threshold=0.5).decision is Decision.ANSWER


def test_max_suggestions(rich: chatbot.Engine):
    result = rich.match("poser RTT badge", answer_threshold=1.0, suggestion_floor=0.0, max_suggestions=1)
    assert result.suggestions <= 1


@pytest.mark.parametrize("options", [{"answer_threshold": 1.5}, {"ambiguity_margin": 2.0}, {"suggestion_floor": 1.5},
                                     {"max_suggestions": 101}, {"answer_threshold": float("nan")},
                                     {"answer_threshold": 0.2, "suggestion_floor": 0.5}])
def test_invalid_settings_raise_invalid_argument(rich: chatbot.Engine, kb_rich: Path, options):
    with pytest.raises(chatbot.InvalidArgumentError):
        rich.match("badge", **options)
    with pytest.raises(chatbot.InvalidArgumentError):
        rich.match_json("badge", **options)
    with pytest.raises(chatbot.InvalidArgumentError):
        chatbot.Engine.build(kb_rich, **options)


def test_setting_types(rich: chatbot.Engine):
    with pytest.raises(TypeError):
        rich.match("badge", answer_threshold="0.5")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        rich.match("badge", max_suggestions=2.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        rich.match("badge", answer_threshold=True)  # type: ignore[arg-type]
    assert rich.match("badge", answer_threshold=1).decision  # an int is a number


def test_options_with_category_and_json(rich: chatbot.Engine):
    result = rich.match("poser", top_k=10, category="Sécurité", answer_threshold=1.0)
    assert all(m.category == "Sécurité" for m in result.matches)
    parsed = rich.match_json("Comment poser un congé ?", answer_threshold=1.0)
    typed = rich.match("Comment poser un congé ?", answer_threshold=1.0)
    assert parsed["decision"] == typed.decision
    assert [parsed["matches"][i]["id"] for i in parsed["suggested"]] == [m.id for m in typed.suggested]


def test_query_vector_and_its_old_name(kb_json: Path):
    with chatbot.Engine.build(kb_json) as engine:
        new = engine.match("salaire", top_k=3, query_vector=[0.0, 1.0, 0.0])
        old = engine.match("salaire", top_k=3, vector=[0.0, 1.0, 0.0])
        assert new == old
        with pytest.raises(TypeError):
            engine.match("salaire", query_vector=[1.0, 0, 0], vector=[1.0, 0, 0])


def test_small_talk(kb_rich: Path):
    with chatbot.Engine.build(kb_rich, small_talk=True) as engine:
        result = engine.match("bonjour")
        assert result.decision is Decision.ANSWER
        assert result.matches[0].id.startswith("st_")
        assert result.reply and isinstance(result.reply[0], TextMessage)
        assert engine.item(result.matches[0].id).messages == result.reply
    with chatbot.Engine.build(kb_rich) as engine:
        assert not any(m.id.startswith("st_") for m in engine.match("bonjour").matches)


def test_build_without_learning(kb_rich: Path):
    with chatbot.Engine.build(kb_rich, learn=False) as engine:
        assert engine.match("Comment poser un congé ?").matches[0].id == "conges"


# ------------------------------------------------------------------------- diagnostics


def test_refused_template_reports_every_row(template_bad: Path):
    with pytest.raises(chatbot.InvalidSourceError) as caught:
        chatbot.Engine.build(template_bad)
    error = caught.value
    assert error.status == 4 and "usine_erreurs.csv" in str(error)
    errors = [(d.row, d.code) for d in error.diagnostics if d.severity is Severity.ERROR]
    assert errors == [(3, "missing_type"), (4, "needs_text_before"), (5, "missing_id")]
    # Warnings come along with the errors.
    assert (6, "no_category") in [(d.row, d.code) for d in error.diagnostics if d.severity == "warning"]
    rows = [d.row for d in error.diagnostics]
    assert rows == sorted(rows)
    by_code = {d.code: d for d in error.diagnostics}
    assert by_code["missing_type"].column == "D"
    assert by_code["missing_id"].column == "A"
    assert all(isinstance(d, Diagnostic) and d.message for d in error.diagnostics)
    assert "row 3, column D" in str(by_code["missing_type"])


def test_template_warnings_reach_the_engine(template_good: Path):
    with chatbot.Engine.build(template_good) as engine:
        warnings = engine.build_diagnostics
        assert [(d.severity, d.row, d.column, d.code) for d in warnings if d.code == "no_category"] == \
            [(Severity.WARNING, 4, "B", "no_category")]
        assert all(d.severity is Severity.WARNING for d in warnings)
        # The Bouton row: one item button, one URL button.
        assert engine.item("conges").messages == [
            TextMessage("Sur le portail RH."),
            ButtonsMessage([Button("Les RTT", item="rtt"), Button("Le portail", url="https://rh")])]
        warnings.clear()  # a copy
        assert engine.build_diagnostics


def test_no_diagnostics_outside_build(kb_rich: Path, index_path: Path):
    with chatbot.Engine.open(index_path) as engine:
        assert engine.build_diagnostics == []
    with chatbot.Engine.build(kb_rich) as engine:
        assert all(d.severity is Severity.WARNING for d in engine.build_diagnostics)


def test_other_build_errors_carry_no_diagnostics(tmp_path: Path, kb_rich: Path):
    with pytest.raises(chatbot.ChatbotIOError):
        chatbot.Engine.build(tmp_path / "absent.csv")
    bad = tmp_path / "syn.txt"
    bad.write_text("seul\n", encoding="utf-8")
    try:
        chatbot.Engine.build(kb_rich, synonyms=bad)
    except chatbot.InvalidSourceError as error:
        assert isinstance(error.diagnostics, list)


# ------------------------------------------------------------------------- workbooks

# The Usine template workbooks made by Tests/Fixtures/usine/generate.py (openpyxl, odfpy).
USINE_FIXTURES = Path(__file__).resolve().parents[3] / "Tests" / "Fixtures" / "usine"


@pytest.mark.parametrize("name", ["template.xlsx", "template.ods"])
def test_workbooks_build_with_structured_replies(name: str):
    with chatbot.Engine.build(USINE_FIXTURES / name) as engine:
        assert engine.build_diagnostics == []
        result = engine.match("Comment poser un congé ?")
        assert result.decision is Decision.ANSWER
        assert result.reply == [
            TextMessage("Sur le portail RH, rubrique Absences."),
            ImageMessage("https://intranet.example/conges.png"),
            TextMessage("Pour aller plus loin :"),
            ButtonsMessage([Button("Ouvrir le portail", url="https://rh.example"), Button("Les RTT", item="rtt")]),
        ]
        rtt = engine.item("rtt")
        assert rtt.expires is not None and rtt.expires.isoformat() == "2098-12-31"
        assert rtt.messages[-1] == QuickRepliesMessage([Button("Oui", item="rtt_details"), Button("Non merci", item="phrase_feedback")])
        assert engine.item("rtt_details").question is None


def test_a_workbook_with_errors_reports_every_row():
    with pytest.raises(chatbot.InvalidSourceError) as caught:
        chatbot.Engine.build(USINE_FIXTURES / "errors.xlsx")
    errors = [(d.row, d.code) for d in caught.value.diagnostics if d.severity == "error"]
    assert errors == [(2, "missing_id"), (4, "missing_type"), (5, "needs_text_before"), (6, "missing_answer"), (7, "invalid_expiry")]


def test_an_encrypted_workbook_is_refused_clearly():
    with pytest.raises(chatbot.InvalidSourceError) as caught:
        chatbot.Engine.build(USINE_FIXTURES / "encrypted.xlsx")
    assert [d.code for d in caught.value.diagnostics] == ["encrypted"]
    assert "mot de passe" in caught.value.diagnostics[0].message
