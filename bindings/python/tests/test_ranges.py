"""Integers are range-checked before they reach C: ctypes would wrap them around the C
type silently (`item_id(2**64 + 5)` read item 5). And ids with a NUL, which C strings would
cut short, are refused by every source."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import chatbot

WRAPPING = [2**64, 2**64 + 1, 2**70]
INT64_OUTSIDE = [2**63, -2**63 - 1, 2**64 + 7, -2**64]


@pytest.mark.parametrize("index", WRAPPING)
def test_item_id_beyond_size_t_is_refused_not_wrapped(engine: chatbot.Engine, index: int):
    with pytest.raises(chatbot.InvalidArgumentError, match="index must be between 0 and 18446744073709551615"):
        engine.item_id(index)
    # Inside size_t but past the items: the library's own refusal.
    with pytest.raises(chatbot.InvalidArgumentError):
        engine.item_id(2**64 - 1)
    assert engine.item_id(1) == engine.item_ids()[1]


def test_invalid_argument_error_is_a_value_error(engine: chatbot.Engine):
    with pytest.raises(ValueError):
        engine.item_id(2**64 + 5)


@pytest.mark.parametrize("value", [2**31, -2**31 - 1, 2**32 + 3, 2**64 + 3])
def test_max_suggestions_beyond_int32(engine: chatbot.Engine, kb_tsv: Path, value: int):
    with pytest.raises(chatbot.InvalidArgumentError, match="max_suggestions"):
        engine.match("badge", max_suggestions=value)
    with pytest.raises(chatbot.InvalidArgumentError, match="max_suggestions"):
        chatbot.Engine.build(kb_tsv, max_suggestions=value)


@pytest.mark.parametrize("capacity", WRAPPING)
def test_queue_capacity_beyond_size_t(tmp_path: Path, capacity: int):
    with pytest.raises(chatbot.InvalidArgumentError, match="queue_capacity"):
        chatbot.QuestionLog(tmp_path / "log.db", queue_capacity=capacity)


@pytest.mark.parametrize("value", INT64_OUTSIDE)
def test_log_int64_arguments_are_range_checked(tmp_path: Path, engine: chatbot.Engine, value: int):
    with chatbot.QuestionLog(tmp_path / "log.db") as log:
        result = engine.match("badge")
        with pytest.raises(chatbot.InvalidArgumentError, match="latency_us"):
            log.record("badge", result, conversation="c", latency_us=value)
        with pytest.raises(chatbot.InvalidArgumentError, match="time_ms"):
            log.record("badge", result, conversation="c", time_ms=value)
        with pytest.raises(chatbot.InvalidArgumentError, match="question id"):
            log.feedback(value, "wrong")
        with pytest.raises(chatbot.InvalidArgumentError, match="question id"):
            log.review(value, "archive")
        with pytest.raises(chatbot.InvalidArgumentError, match="since"):
            log.stats(since=value)
        with pytest.raises(chatbot.InvalidArgumentError, match="until"):
            log.stats(until=value)
        log.flush()
        assert log.stats()["questions"] == 0  # nothing was recorded with a wrapped value


def test_wrapped_values_no_longer_reach_a_real_row(tmp_path: Path, engine: chatbot.Engine):
    with chatbot.QuestionLog(tmp_path / "log.db") as log:
        row = log.record("badge", engine.match("badge"), conversation="c", sync=True)
        assert row is not None
        # 2**64 + row used to wrap to `row` and attach the feedback to it.
        with pytest.raises(chatbot.InvalidArgumentError):
            log.feedback(2**64 + row, "wrong")
        assert log.stats()["feedback"]["total"] == 0
        # The extremes of int64 are passed as they are (an unknown id).
        with pytest.raises(chatbot.NotFoundError):
            log.feedback(2**63 - 1, "wrong")


@pytest.mark.parametrize("limit", WRAPPING)
def test_inbox_limit_beyond_size_t(tmp_path: Path, limit: int):
    with chatbot.QuestionLog(tmp_path / "log.db") as log:
        with pytest.raises(chatbot.InvalidArgumentError, match="limit"):
            log.inbox(limit=limit)


@pytest.mark.parametrize("value", [2**31, 2**32, 2**64])
def test_other_integer_arguments_stay_checked(tmp_path: Path, engine: chatbot.Engine, value: int):
    with chatbot.QuestionLog(tmp_path / "log.db") as log:
        with pytest.raises(chatbot.InvalidArgumentError, match="top"):
            log.stats(top=value)
        with pytest.raises(chatbot.InvalidArgumentError, match="days"):
            log.purge(value)
    with pytest.raises(chatbot.InvalidArgumentError, match="top_k"):
        engine.match("badge", top_k=value)


# --- ids with a NUL ---------------------------------------------------------------------------

def test_a_nul_in_a_tsv_id_is_refused_with_its_row(tmp_path: Path):
    path = tmp_path / "faq.tsv"
    path.write_bytes("badge\tj'ai perdu mon badge\nbadge\0b\tbadge perdu\n".encode())
    with pytest.raises(chatbot.InvalidSourceError) as caught:
        chatbot.Engine.build(path)
    errors = [d for d in caught.value.diagnostics if d.severity == chatbot.Severity.ERROR]
    assert [(d.row, d.column, d.code) for d in errors] == [(2, "A", "id_control_character")]
    assert "NUL (U+0000)" in errors[0].message


def test_a_nul_escape_in_a_json_id_is_refused(tmp_path: Path):
    # Before: "badge" and "badge\u0000" were two items that C (and so Python) saw as one
    # id, and `match` raised KeyError.
    path = tmp_path / "faq.json"
    path.write_text(json.dumps({"items": [{"id": "badge", "question": "j'ai perdu mon badge"},
                                          {"id": "badge\u0000", "question": "quand est versé le salaire"}]}),
                    encoding="utf-8")
    with pytest.raises(chatbot.InvalidSourceError) as caught:
        chatbot.Engine.build(path)
    assert [d.code for d in caught.value.diagnostics] == ["id_control_character"]
