"""The question log: match -> record -> flush -> stats and inbox, feedback, review, purge,
errors, threads, closing. The tests that take `location` run on a SQLite file and, when
CHATBOT_TEST_POSTGRESQL names a server (scripts/with-postgres.sh), on PostgreSQL."""

from __future__ import annotations

import datetime
import itertools
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import chatbot

QUESTIONS = [
    "comment poser des congés", "j'ai perdu mon badge", "quand est versé le salaire",
    "la recette de la tarte aux pommes", "quel temps fera-t-il demain à Tokyo", "badge",
]


_schemas = itertools.count()


def _psql(url: str, sql: str) -> None:
    env = {**os.environ, "PGOPTIONS": "-c client_min_messages=warning"}
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", sql], check=True, env=env)


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty log: a file, or a PostgreSQL schema of its own (dropped afterwards)."""
    if request.param == "sqlite":
        return str(tmp_path / "log.db")
    url = os.environ.get("CHATBOT_TEST_POSTGRESQL")
    if not url:
        pytest.skip("no PostgreSQL test server (make test-python starts one: scripts/with-postgres.sh)")
    schema = f"py_{os.getpid()}_{next(_schemas)}"
    _psql(url, f"CREATE SCHEMA {schema}")
    request.addfinalizer(lambda: _psql(url, f"DROP SCHEMA {schema} CASCADE"))
    return f"{url}?options=-csearch_path%3D{schema}"


@pytest.fixture()
def log(location: str):
    with chatbot.QuestionLog(location) as made:
        yield made


def test_end_to_end_stats_and_inbox(engine: chatbot.Engine, log: chatbot.QuestionLog):
    decisions = []
    for q in QUESTIONS:
        result = engine.match(q)
        decisions.append(result.decision)
        log.record(q, result, conversation="c1", channel="web", latency_us=120, kb_version="kb-1")
    log.record("badge", engine.match("badge"), conversation="c1", kind="click")
    log.flush()
    assert log.dropped == 0
    stats = log.stats()
    answered = decisions.count(chatbot.Decision.ANSWER)
    assert stats["questions"] == len(QUESTIONS)
    assert stats["answered"] == answered
    assert stats["fallbacks"] == decisions.count(chatbot.Decision.FALLBACK)
    assert stats["clicks"] == 1
    assert stats["answer_rate"] == pytest.approx(answered / len(QUESTIONS), abs=1e-6)
    assert stats["never_asked"] is None and stats["by"] == "week"
    assert 0 < answered < len(QUESTIONS)

    inbox = log.inbox()
    assert len(inbox) == len(QUESTIONS)
    assert inbox[0]["question"] == QUESTIONS[-1]  # newest first
    assert {row["kb_version"] for row in inbox} == {"kb-1"}
    pending = log.inbox("pending")
    assert len(pending) == decisions.count(chatbot.Decision.FALLBACK)
    assert all(row["decision"] == "fallback" for row in pending)
    assert len(log.inbox(limit=2)) == 2

    by_day = log.stats(by="day", engine=engine, since=datetime.date(2020, 1, 1))
    assert by_day["by"] == "day" and isinstance(by_day["never_asked"], list)
    assert log.stats(until=datetime.date(1971, 1, 1))["questions"] == 0


def test_feedback_and_review(engine: chatbot.Engine, log: chatbot.QuestionLog):
    log.record("j'ai perdu mon badge", engine.match("j'ai perdu mon badge"), conversation="c")
    log.record("la recette de la tarte aux pommes", engine.match("la recette de la tarte aux pommes"), conversation="c")
    log.flush()
    rows = {row["question"]: row["id"] for row in log.inbox()}
    answered_id = rows["j'ai perdu mon badge"]
    log.feedback(answered_id, "relevant")
    log.feedback(answered_id, "relevant")
    assert log.stats()["feedback"]["relevant"] == 1
    log.review(answered_id, "accept")
    log.review(answered_id, "accept")  # idempotent
    log.review(rows["la recette de la tarte aux pommes"], "out_of_scope")
    assert log.inbox() == []
    with pytest.raises(chatbot.NotFoundError):
        log.review(999999, "archive")
    with pytest.raises(chatbot.NotFoundError):
        log.feedback(999999, "wrong")
    with pytest.raises(chatbot.InvalidArgumentError):
        log.review(answered_id, "relink")  # needs an item
    with pytest.raises(chatbot.InvalidArgumentError):
        log.review(answered_id, "maybe")
    with pytest.raises(chatbot.InvalidArgumentError):
        log.feedback(answered_id, "great")
    log.review(answered_id, "relink", item="conges")


def test_purge(engine: chatbot.Engine, log: chatbot.QuestionLog):
    result = engine.match("badge")
    log.record("ancienne", result, conversation="c", time_ms=1_600_000_000_000)
    log.record("récente", result, conversation="c")
    log.flush()
    assert log.purge(30) == 1
    assert log.purge(30) == 0
    with pytest.raises(chatbot.InvalidArgumentError):
        log.purge(-1)


def test_errors(tmp_path: Path, engine: chatbot.Engine, log: chatbot.QuestionLog):
    with pytest.raises(chatbot.ChatbotIOError):
        chatbot.QuestionLog(tmp_path / "missing-dir" / "sub" / "log.db")
    with pytest.raises(chatbot.ChatbotIOError):
        chatbot.QuestionLog(tmp_path / "absent.db", read_only=True)
    with pytest.raises(chatbot.InvalidArgumentError):
        chatbot.QuestionLog(tmp_path / "x.db", queue_capacity=0)
    result = engine.match("badge")
    with pytest.raises(chatbot.InvalidArgumentError):
        log.record("q", result, conversation="c", kind="letter")
    with pytest.raises(TypeError):
        log.record("q", "not a result", conversation="c")  # type: ignore[arg-type]
    with pytest.raises(chatbot.InvalidArgumentError):
        log.inbox("bogus")
    with pytest.raises(chatbot.InvalidArgumentError):
        log.stats(by="month")
    with pytest.raises(chatbot.InvalidArgumentError):
        log.stats(since=2000, until=1000)


def test_read_only_sees_rows_and_refuses_writes(location: str, engine: chatbot.Engine):
    path = location
    with chatbot.QuestionLog(path) as writer:
        writer.record("badge", engine.match("badge"), conversation="c")
        writer.flush()
        with chatbot.QuestionLog(path, read_only=True) as reader:
            assert reader.stats()["questions"] == 1
            with pytest.raises(chatbot.InvalidArgumentError):
                reader.record("badge", engine.match("badge"), conversation="c")


def test_threads_lose_no_row(engine: chatbot.Engine, log: chatbot.QuestionLog):
    def work(t: int) -> None:
        for i in range(100):
            q = QUESTIONS[i % len(QUESTIONS)]
            log.record(q, engine.match(q), conversation=f"t{t}")

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(work, range(8)))
    log.flush()
    stats = log.stats()
    assert stats["questions"] + log.dropped == 800
    assert log.dropped == 0
    assert stats["conversations"] == 8


def test_close(location: str, engine: chatbot.Engine):
    log = chatbot.QuestionLog(location)
    log.record("badge", engine.match("badge"), conversation="c")
    log.close()  # flushes
    log.close()
    assert log.closed
    with pytest.raises(chatbot.ClosedLogError):
        log.stats()
    with chatbot.QuestionLog(location, read_only=True) as again:
        assert again.stats()["questions"] == 1


def test_a_synchronous_record_returns_the_id_for_feedback(tmp_path):
    import chatbot as cb
    src = tmp_path / "kb.tsv"
    src.write_text("conges\tcomment poser des congés\nbadge\tj'ai perdu mon badge\n", encoding="utf-8")
    with cb.Engine.build(src) as engine, cb.QuestionLog(tmp_path / "log.db") as log:
        result = engine.match("j'ai perdu mon badge, écrivez-moi à jean.dupont@exemple.fr")
        row_id = log.record("j'ai perdu mon badge, écrivez-moi à jean.dupont@exemple.fr", result, conversation="c1", sync=True)
        assert isinstance(row_id, int) and row_id > 0
        log.feedback(row_id, "relevant")
        assert log.record("bonjour", result, conversation="c1") is None
        log.flush()
        rows = {q["id"]: q for q in log.inbox(limit=10)}
        assert rows[row_id]["feedback"] == "relevant"
        assert rows[row_id]["question"] == "j'ai perdu mon badge, écrivez-moi à [EMAIL]"


def test_an_unreachable_postgresql_server_is_a_clear_error_without_the_password():
    with pytest.raises(chatbot.ChatbotIOError) as caught:
        chatbot.QuestionLog("postgresql://bot:s3cret@127.0.0.1:1/chatbot")
    message = str(caught.value)
    assert "postgresql://bot:***@127.0.0.1:1/chatbot" in message and "s3cret" not in message
