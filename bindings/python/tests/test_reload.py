"""Engine.reload: swapping the index under a live engine, errors, and reloads under load."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

import chatbot

TSV_A = "badge_a\tj'ai perdu mon badge\nconges_a\tcomment poser des congés\nsalaire_a\tquand est versé le salaire\n"
TSV_B = ("salaire_b\tquand est versé le salaire\nbadge_b\tj'ai perdu mon badge\n"
         "conges_b\tcomment poser des congés\nmutuelle_b\tcomment adhérer à la mutuelle\n")


def _index(tmp_path: Path, name: str, tsv: str) -> Path:
    source = tmp_path / f"{name}.tsv"
    source.write_text(tsv, encoding="utf-8")
    path = tmp_path / f"{name}.cbindex"
    with chatbot.Engine.build(source) as engine:
        engine.save(path)
    return path


@pytest.fixture()
def indexes(tmp_path: Path):
    return _index(tmp_path, "a", TSV_A), _index(tmp_path, "b", TSV_B)


def test_reload_changes_the_ids(indexes):
    a, b = indexes
    with chatbot.Engine.open(a) as engine:
        assert engine.item_ids() == ["badge_a", "conges_a", "salaire_a"]
        assert engine.match("j'ai perdu mon badge").matches[0].id == "badge_a"
        engine.reload(b)
        assert engine.item_ids() == ["salaire_b", "badge_b", "conges_b", "mutuelle_b"]
        assert engine.item_count == 4
        assert engine.item_id(1) == "badge_b"
        top = engine.match("j'ai perdu mon badge").matches[0]
        assert (top.id, top.item_index) == ("badge_b", 1)
        assert engine.rank_batch(["j'ai perdu mon badge"])[0].ids[0] == "badge_b"
        engine.reload(str(a))
        assert engine.match("j'ai perdu mon badge").matches[0].item_index == 0
        engine.reload(bytes(b))
        assert engine.item_ids()[0] == "salaire_b"


def test_failed_reloads_keep_the_previous_index(indexes, tmp_path: Path):
    a, _ = indexes
    with chatbot.Engine.open(a) as engine:
        with pytest.raises(chatbot.ChatbotIOError):
            engine.reload(tmp_path / "missing.cbindex")
        assert engine.match("j'ai perdu mon badge").matches[0].id == "badge_a"
        corrupted = tmp_path / "corrupted.cbindex"
        data = bytearray(a.read_bytes())
        data[len(data) // 2] ^= 0xFF
        corrupted.write_bytes(bytes(data))
        with pytest.raises(chatbot.InvalidIndexError):
            engine.reload(corrupted)
        truncated = tmp_path / "truncated.cbindex"
        truncated.write_bytes(a.read_bytes()[:40])
        with pytest.raises(chatbot.InvalidIndexError):
            engine.reload(truncated)
        with pytest.raises(TypeError):
            engine.reload(42)  # type: ignore[arg-type]
        assert engine.item_ids() == ["badge_a", "conges_a", "salaire_a"]
        assert engine.match("j'ai perdu mon badge").matches[0].id == "badge_a"


def test_closed_engine_cannot_reload(indexes):
    a, b = indexes
    engine = chatbot.Engine.open(a)
    engine.close()
    with pytest.raises(chatbot.ClosedEngineError):
        engine.reload(b)


def test_deployment_recipe(indexes, tmp_path: Path):
    a, b = indexes
    live = tmp_path / "live.cbindex"
    live.write_bytes(a.read_bytes())
    with chatbot.Engine.open(live) as engine, chatbot.Engine.open(b) as new:
        temporary = tmp_path / "live.cbindex.tmp"
        new.save(temporary)
        os.replace(temporary, live)
        engine.reload(live)
        assert engine.match("j'ai perdu mon badge").matches[0].id == "badge_b"


def test_threads_match_while_the_index_is_reloaded(indexes):
    a, b = indexes
    ids_a = {"badge_a", "conges_a", "salaire_a"}
    ids_b = {"salaire_b", "badge_b", "conges_b", "mutuelle_b"}
    questions = ["j'ai perdu mon badge", "comment poser des congés", "quand est versé le salaire"]
    with chatbot.Engine.open(a) as engine:
        stop = threading.Event()
        problems: list = []
        counts = [0] * 4

        def work(n: int) -> None:
            try:
                while not stop.is_set():
                    question = questions[counts[n] % len(questions)]
                    result = engine.match(question)
                    top = result.matches[0]
                    index_ids = ids_a if top.id in ids_a else ids_b
                    if top.id not in ids_a | ids_b:
                        problems.append(f"unknown id {top.id}")
                    ordered = sorted(index_ids, key=lambda i: (TSV_A + TSV_B).index(i + "\t"))
                    if ordered[top.item_index] != top.id:
                        problems.append(f"{top.id} has item_index {top.item_index}")
                    ranking = engine.rank_batch([question], 2)
                    if ranking[0].ids[0] not in ids_a | ids_b:
                        problems.append(f"rank_batch id {ranking[0].ids[0]}")
                    if counts[n] % 10 == 0:
                        ids = engine.item_ids()
                        if set(ids) not in (ids_a, ids_b):
                            problems.append(f"item_ids {ids}")
                        engine.item_id(0)
                    counts[n] += 1
            except Exception as error:  # pragma: no cover - reported below
                problems.append(repr(error))

        threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        try:
            for i in range(50):
                engine.reload(b if i % 2 == 0 else a)
        finally:
            stop.set()
            for thread in threads:
                thread.join()
        assert problems == []
        assert all(count > 0 for count in counts)
        assert engine.item_ids() == ["badge_a", "conges_a", "salaire_a"]


def test_the_file_under_an_open_engine_changes_nothing(indexes):
    """Issue 13: `cp b a` rewrites the open file in place, `: > a` empties it. Before, a
    memory-mapped engine hung or died of SIGBUS; now it holds its own copy."""
    a, b = indexes
    with chatbot.Engine.open(a) as engine:
        before = [m.id for m in engine.match("j'ai perdu mon badge").matches]
        with open(a, "r+b") as live:  # in place, as cp does: same inode
            live.truncate(0)
            live.write(b.read_bytes())
        assert [m.id for m in engine.match("j'ai perdu mon badge").matches] == before
        os.truncate(a, 0)
        assert [m.id for m in engine.match("j'ai perdu mon badge").matches] == before
        with pytest.raises(chatbot.InvalidIndexError):
            chatbot.Engine.open(a)
