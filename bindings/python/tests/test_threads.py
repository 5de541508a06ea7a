"""One engine shared by many threads: same results as one thread, per-thread errors,
and close() racing with running calls."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import chatbot
from conftest import QUESTIONS

THREADS = 8
ROUNDS = 150


def test_threads_get_the_single_threaded_results(engine: chatbot.Engine):
    expected = [engine.match(q, 3) for q in QUESTIONS]
    expected_rankings = engine.rank_batch(QUESTIONS, 3)

    def work(seed: int):
        mismatches = 0
        for r in range(ROUNDS):
            i = (seed + r) % len(QUESTIONS)
            if engine.match(QUESTIONS[i], 3) != expected[i]:
                mismatches += 1
            if r % 25 == 0 and engine.rank_batch(QUESTIONS, 3) != expected_rankings:
                mismatches += 1
        return mismatches

    with ThreadPoolExecutor(THREADS) as pool:
        assert list(pool.map(work, range(THREADS))) == [0] * THREADS


def test_error_messages_are_per_thread(engine: chatbot.Engine, tmp_path: Path):
    barrier = threading.Barrier(THREADS)

    def work(n: int):
        barrier.wait()
        messages = []
        for r in range(50):
            if n % 2:
                missing = tmp_path / f"missing-{n}-{r}.cbindex"
                with pytest.raises(chatbot.ChatbotIOError) as caught:
                    chatbot.Engine.open(missing)
                messages.append(str(missing) in str(caught.value))
            else:
                with pytest.raises(chatbot.InvalidArgumentError) as caught:
                    engine.match("badge", 1001)
                messages.append("top_k" in str(caught.value))
                engine.match("badge")
        return all(messages)

    with ThreadPoolExecutor(THREADS) as pool:
        assert all(pool.map(work, range(THREADS)))


def test_close_while_threads_match_never_crashes(index_path: Path):
    for _ in range(5):
        engine = chatbot.Engine.open(index_path)
        start = threading.Barrier(THREADS + 1)
        outcomes = []

        def work():
            start.wait()
            done = closed = 0
            for _ in range(200):
                try:
                    result = engine.match("j'ai perdu mon badge")
                    assert result.matches[0].id == "badge"
                    done += 1
                except chatbot.ClosedEngineError:
                    closed += 1
            outcomes.append((done, closed))

        threads = [threading.Thread(target=work) for _ in range(THREADS)]
        for t in threads:
            t.start()
        start.wait()
        engine.close()
        for t in threads:
            t.join()
        assert len(outcomes) == THREADS
        assert all(done + closed == 200 for done, closed in outcomes)
        # Once every call has returned, the C engine is gone and new calls fail cleanly.
        assert engine._handle is None
        with pytest.raises(chatbot.ClosedEngineError):
            engine.match("badge")


def test_threads_share_the_library_load():
    # Loading is guarded: many threads asking for the library at once get one instance.
    from chatbot import _library
    with ThreadPoolExecutor(THREADS) as pool:
        libraries = list(pool.map(lambda _: _library.library(), range(THREADS * 4)))
    assert all(lib is libraries[0] for lib in libraries)
