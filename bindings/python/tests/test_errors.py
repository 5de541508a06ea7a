"""Every error path: each cb_status maps to its exception, with the library's message."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import chatbot
from chatbot.errors import error_for_status


def test_missing_index_raises_io_error_with_the_path(tmp_path: Path):
    missing = tmp_path / "missing.cbindex"
    with pytest.raises(chatbot.ChatbotIOError) as caught:
        chatbot.Engine.open(missing)
    assert str(missing) in str(caught.value)
    assert caught.value.status == 2
    assert isinstance(caught.value, OSError) and isinstance(caught.value, chatbot.ChatbotError)


def test_directory_is_not_an_index(tmp_path: Path):
    with pytest.raises(chatbot.ChatbotError):
        chatbot.Engine.open(tmp_path)


def test_corrupted_index_raises_invalid_index(tmp_path: Path, index_path: Path):
    data = bytearray(index_path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    corrupt = tmp_path / "corrupt.cbindex"
    corrupt.write_bytes(bytes(data))
    with pytest.raises(chatbot.InvalidIndexError) as caught:
        chatbot.Engine.open(corrupt)
    assert caught.value.message
    with pytest.raises(chatbot.InvalidIndexError):
        chatbot.Engine.from_bytes(bytes(data))


def test_truncated_and_foreign_files_raise_invalid_index(tmp_path: Path, index_path: Path):
    truncated = tmp_path / "truncated.cbindex"
    truncated.write_bytes(index_path.read_bytes()[:40])
    text = tmp_path / "notes.cbindex"
    text.write_text("ceci n'est pas un index\n")
    for path in (truncated, text):
        with pytest.raises(chatbot.InvalidIndexError):
            chatbot.Engine.open(path)
    with pytest.raises(chatbot.InvalidIndexError):
        chatbot.Engine.from_bytes(b"garbage" * 10)


def test_from_bytes_rejects_empty_and_non_bytes():
    with pytest.raises(chatbot.InvalidArgumentError):
        chatbot.Engine.from_bytes(b"")
    for bad in ("text", 42, None, [1, 2]):
        with pytest.raises(TypeError):
            chatbot.Engine.from_bytes(bad)


def test_malformed_source_names_file_and_line(tmp_path: Path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id;question;colonne_inconnue\nx;une question;valeur\n", encoding="utf-8")
    with pytest.raises(chatbot.InvalidSourceError) as caught:
        chatbot.Engine.build(bad)
    assert "bad.csv" in str(caught.value)
    bad_json = tmp_path / "bad.json"
    bad_json.write_text('{"items": [{"id": "x"}]}', encoding="utf-8")
    with pytest.raises(chatbot.InvalidSourceError):
        chatbot.Engine.build(bad_json)


def test_missing_source_and_synonyms(tmp_path: Path, kb_tsv: Path):
    with pytest.raises(chatbot.ChatbotIOError):
        chatbot.Engine.build(tmp_path / "absent.tsv")
    with pytest.raises(chatbot.ChatbotIOError):
        chatbot.Engine.build(kb_tsv, tmp_path / "absent.txt")


def test_malformed_synonyms(tmp_path: Path, kb_tsv: Path):
    bad = tmp_path / "syn.txt"
    bad.write_text("congé\n", encoding="utf-8")  # a group needs at least two entries
    with pytest.raises(chatbot.InvalidSourceError) as caught:
        chatbot.Engine.build(kb_tsv, bad)
    assert "syn.txt" in str(caught.value)


def test_unknown_source_extension(tmp_path: Path):
    odd = tmp_path / "faq.xlsx"
    odd.write_text("x")
    with pytest.raises(chatbot.ChatbotError):
        chatbot.Engine.build(odd)


def test_save_to_a_missing_directory_raises_io_error(tmp_path: Path, engine: chatbot.Engine):
    with pytest.raises(chatbot.ChatbotIOError):
        engine.save(tmp_path / "no" / "such" / "dir" / "x.cbindex")


def test_lone_surrogates_are_rejected_not_crashing(engine: chatbot.Engine, tmp_path: Path):
    for call in (lambda: engine.match("badge \ud800"), lambda: engine.analyze("\udfff"),
                 lambda: engine.match_batch(["ok", "\ud800"]), lambda: engine.rank_batch(["\ud800"]),
                 lambda: engine.match_json("\ud800"), lambda: engine.match("x", category="\ud800"),
                 lambda: chatbot.Engine.open("\ud800.cbindex")):
        with pytest.raises(chatbot.InvalidUTF8Error) as caught:
            call()
        assert "UTF-8" in str(caught.value)
    with pytest.raises(chatbot.InvalidUTF8Error, match=r"questions\[1\]"):
        engine.match_batch(["ok", "\ud800"])


def test_invalid_utf8_bytes_path_is_reported_by_the_library(tmp_path: Path, engine: chatbot.Engine):
    bad = bytes(tmp_path) + b"/\xff\xfe.cbindex"
    with pytest.raises(chatbot.InvalidUTF8Error) as caught:
        chatbot.Engine.open(bad)
    assert caught.value.status == 5
    with pytest.raises(chatbot.InvalidUTF8Error):
        engine.save(bad)


def test_nul_characters_are_rejected(engine: chatbot.Engine):
    with pytest.raises(chatbot.InvalidArgumentError, match="NUL"):
        engine.match("badge\0perdu")
    with pytest.raises(chatbot.InvalidArgumentError, match="NUL"):
        chatbot.Engine.open("faq\0.cbindex")


@pytest.mark.parametrize("top_k", [0, -1, 1001, 2**64, 2**70])
def test_top_k_out_of_range(engine: chatbot.Engine, top_k: int):
    for call in (lambda: engine.match("badge", top_k), lambda: engine.match_batch(["badge"], top_k),
                 lambda: engine.rank_batch(["badge"], top_k), lambda: engine.match_json("badge", top_k)):
        with pytest.raises(chatbot.InvalidArgumentError, match="top_k"):
            call()


def test_top_k_bounds_are_inclusive(engine: chatbot.Engine):
    assert len(engine.match("badge", 1).matches) == 1
    assert len(engine.match("badge", chatbot.MAX_TOP_K).matches) <= engine.item_count


@pytest.mark.parametrize("top_k", ["5", 5.0, True, None])
def test_top_k_of_the_wrong_type(engine: chatbot.Engine, top_k):
    with pytest.raises(TypeError, match="top_k"):
        engine.match("badge", top_k)


@pytest.mark.parametrize("value", [None, 42, b"badge", ["badge"]])
def test_non_str_text_raises_type_error(engine: chatbot.Engine, value):
    for call in (lambda: engine.match(value), lambda: engine.analyze(value), lambda: engine.match_json(value),
                 lambda: engine.match_batch([value]), lambda: engine.rank_batch([value]),
                 lambda: engine.match("badge", category=value if value is not None else 42)):
        with pytest.raises(TypeError):
            call()


def test_non_path_arguments_raise_type_error(kb_tsv: Path, engine: chatbot.Engine):
    for bad in (None, 42, ["a"]):
        with pytest.raises(TypeError):
            chatbot.Engine.open(bad)
        with pytest.raises(TypeError):
            engine.save(bad)
    with pytest.raises(TypeError):
        chatbot.Engine.build(kb_tsv, synonyms=42)


def test_a_single_string_is_not_a_batch(engine: chatbot.Engine):
    with pytest.raises(TypeError):
        engine.match_batch("badge")
    with pytest.raises(TypeError):
        engine.rank_batch("badge")


def test_item_id_out_of_range(engine: chatbot.Engine):
    with pytest.raises(chatbot.InvalidArgumentError):
        engine.item_id(engine.item_count)
    with pytest.raises(chatbot.InvalidArgumentError):
        engine.item_id(-1)
    with pytest.raises(TypeError):
        engine.item_id("0")


def test_vector_errors(kb_json: Path, engine: chatbot.Engine):
    with chatbot.Engine.build(kb_json) as with_vectors:
        for bad in ([1.0, 0.0], [math.nan, 0.0, 0.0], [math.inf, 0.0, 0.0], [0.0, 0.0, 0.0], []):
            with pytest.raises(chatbot.InvalidArgumentError):
                with_vectors.match("congés", vector=bad)
        with pytest.raises(TypeError):
            with_vectors.match("congés", vector="abc")
        with pytest.raises(TypeError):
            with_vectors.match("congés", vector=[1.0, "x", 0.0])
        with pytest.raises(TypeError):
            with_vectors.match("congés", vector=3)
    with pytest.raises(chatbot.InvalidArgumentError):  # this index holds no embeddings
        engine.match("badge", vector=[1.0, 0.0, 0.0])


def test_each_status_maps_to_its_class():
    expected = {1: chatbot.InvalidArgumentError, 2: chatbot.ChatbotIOError, 3: chatbot.InvalidIndexError,
                4: chatbot.InvalidSourceError, 5: chatbot.InvalidUTF8Error, 6: chatbot.ChatbotMemoryError,
                7: chatbot.InternalError}
    for status, cls in expected.items():
        error = error_for_status(status, "message")
        assert type(error) is cls and error.status == status and str(error) == "message"
        assert isinstance(error, chatbot.ChatbotError)
    unknown = error_for_status(99, "odd")
    assert type(unknown) is chatbot.ChatbotError and unknown.status == 99 and "99" in str(unknown)


def test_error_messages_reset_after_success(engine: chatbot.Engine, tmp_path: Path):
    with pytest.raises(chatbot.ChatbotIOError):
        chatbot.Engine.open(tmp_path / "none.cbindex")
    engine.match("badge")
    assert chatbot._library.library().cb_last_error() == b""
