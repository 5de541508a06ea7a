"""Creating, saving, closing engines; the context manager; the closed state."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

import chatbot


def test_version_is_the_library_version():
    assert chatbot.version() == "0.1.0"
    assert chatbot.ABI_VERSION == 1


def test_open_build_and_from_bytes_give_the_same_answers(kb_tsv: Path, index_path: Path):
    with chatbot.Engine.build(kb_tsv) as built, chatbot.Engine.open(index_path) as opened, \
            chatbot.Engine.from_bytes(index_path.read_bytes()) as loaded:
        assert built.item_count == opened.item_count == loaded.item_count == 5
        for question in ("j'ai perdu mon badge", "vacances", "salaire"):
            assert built.match(question) == opened.match(question) == loaded.match(question)


def test_from_bytes_accepts_bytearray_and_memoryview(index_path: Path):
    data = index_path.read_bytes()
    for buffer in (bytearray(data), memoryview(data)):
        with chatbot.Engine.from_bytes(buffer) as engine:
            assert engine.item_count == 5


def test_save_round_trip_and_path_types(tmp_path: Path, engine: chatbot.Engine):
    for target in (tmp_path / "a.cbindex", str(tmp_path / "b.cbindex"), bytes(tmp_path / "c.cbindex")):
        engine.save(target)
        with chatbot.Engine.open(target) as reopened:
            assert reopened.item_ids() == engine.item_ids()
            assert reopened.match("badge perdu") == engine.match("badge perdu")


def test_item_ids_follow_the_source_order(engine: chatbot.Engine):
    assert engine.item_ids() == ["conges", "badge", "salaire", "teletravail", "mutuelle"]
    assert [engine.item_id(i) for i in range(engine.item_count)] == engine.item_ids()
    assert engine.embedding_dimension == 0


def test_item_ids_returns_a_copy(engine: chatbot.Engine):
    engine.item_ids().clear()
    assert len(engine.item_ids()) == engine.item_count


def test_close_is_idempotent_and_closed_engine_raises(index_path: Path):
    engine = chatbot.Engine.open(index_path)
    assert not engine.closed
    engine.close()
    engine.close()
    assert engine.closed
    assert "closed" in repr(engine)
    calls = [
        lambda: engine.match("badge"),
        lambda: engine.match("badge", category="RH"),
        lambda: engine.match_batch(["badge"]),
        lambda: engine.rank_batch(["badge"]),
        lambda: engine.match_json("badge"),
        lambda: engine.analyze("badge"),
        lambda: engine.save(index_path),
        lambda: engine.item_count,
        lambda: engine.item_id(0),
        lambda: engine.embedding_dimension,
    ]
    for call in calls:
        with pytest.raises(chatbot.ClosedEngineError, match="closed"):
            call()
    with pytest.raises(chatbot.ChatbotError):
        with engine:
            pass


def test_context_manager_closes_even_on_error(index_path: Path):
    with pytest.raises(RuntimeError):
        with chatbot.Engine.open(index_path) as engine:
            assert engine.item_count == 5
            raise RuntimeError("boom")
    assert engine.closed
    with pytest.raises(chatbot.ClosedEngineError):
        engine.match("badge")


def test_results_outlive_the_engine(index_path: Path):
    with chatbot.Engine.open(index_path) as engine:
        result = engine.match("j'ai perdu mon badge", top_k=2)
    assert result.matches[0].id == "badge"
    assert result.matches[0].question == "j'ai perdu mon badge"


def test_engine_cannot_be_created_directly():
    with pytest.raises(TypeError, match="Engine.open"):
        chatbot.Engine("faq.cbindex")
    with pytest.raises(TypeError):
        chatbot.Engine(None)


def test_garbage_collected_engines_are_freed(index_path: Path):
    # Opening many engines without close() must not exhaust memory or handles: __del__ frees them.
    for _ in range(200):
        chatbot.Engine.open(index_path).match("badge")
    gc.collect()


def test_repr_shows_the_item_count(engine: chatbot.Engine):
    assert repr(engine) == "<chatbot.Engine 5 items>"


def test_mapped_open_answers_as_the_copy_and_verifies(index_path: Path):
    copied = chatbot.Engine.open(index_path)
    mapped = chatbot.Engine.open(index_path, mapped=True)
    mapped.verify()
    mapped.verify()  # once verified, again at no cost
    for question in ("Comment poser des congés ?", "j'ai perdu mon badge", "xyzzy"):
        assert mapped.match(question) == copied.match(question)
    assert mapped.item_ids() == copied.item_ids()
    with pytest.raises(TypeError):
        chatbot.Engine.open(index_path, mapped="yes")  # type: ignore[arg-type]
    with pytest.raises(chatbot.ChatbotIOError):
        chatbot.Engine.open(index_path.parent / "missing.cbindex", mapped=True)


def test_mapped_open_reports_damaged_contents_at_first_need(tmp_path: Path, index_path: Path):
    data = bytearray(index_path.read_bytes())
    data[-100] ^= 0x5A
    damaged = tmp_path / "damaged.cbindex"
    damaged.write_bytes(bytes(data))
    with pytest.raises(chatbot.InvalidIndexError, match="checksum"):
        chatbot.Engine.open(damaged)  # copied: refused at open
    engine = chatbot.Engine.open(damaged, mapped=True)
    for _ in range(2):
        with pytest.raises(chatbot.InvalidIndexError, match="checksum"):
            engine.match("Comment poser des congés ?")
    with pytest.raises(chatbot.InvalidIndexError, match="checksum"):
        engine.verify()
    engine.close()
    with pytest.raises(chatbot.ClosedEngineError):
        engine.verify()
    (tmp_path / "cut.cbindex").write_bytes(bytes(data[:100]))
    with pytest.raises(chatbot.InvalidIndexError, match="truncated"):
        chatbot.Engine.open(tmp_path / "cut.cbindex", mapped=True)


def test_a_mapped_engine_reloads_mapped_and_verifies_first(tmp_path: Path, index_path: Path):
    engine = chatbot.Engine.open(index_path, mapped=True)
    before = engine.match("j'ai perdu mon badge")
    data = bytearray(index_path.read_bytes())
    data[-100] ^= 0x5A
    damaged = tmp_path / "damaged.cbindex"
    damaged.write_bytes(bytes(data))
    with pytest.raises(chatbot.InvalidIndexError, match="checksum"):
        engine.reload(damaged)
    assert engine.match("j'ai perdu mon badge") == before
    engine.reload(index_path)
    assert engine.match("j'ai perdu mon badge") == before
