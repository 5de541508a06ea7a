"""The inbox round trip from Python: match -> record -> review -> QuestionLog.apply (the
source workbook, a warm rebuild of the index) -> Engine.reload -> the new phrasing is
answered; and export_template."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import chatbot

FIXTURE = Path(__file__).resolve().parents[3] / "Tests" / "Fixtures" / "usine" / "template.xlsx"
PHRASING = "je souhaite déposer une demande d'absence"


@pytest.fixture()
def deployed(tmp_path: Path):
    source = tmp_path / "template.xlsx"
    shutil.copyfile(FIXTURE, source)
    index = tmp_path / "modele.cbindex"
    with chatbot.Engine.build(source) as built:
        built.save(index)
    with chatbot.Engine.open(index) as engine:
        yield source, index, engine


def test_round_trip(tmp_path: Path, deployed):
    source, index, engine = deployed
    before = engine.match(PHRASING)
    assert not (before.decision == chatbot.Decision.ANSWER and before.matches[0].id == "conges")
    with chatbot.QuestionLog(tmp_path / "log.db") as log:
        log.record(PHRASING, before, conversation="c1")
        log.flush()
        [row] = [r for r in log.inbox() if r["question"] == PHRASING]
        log.review(row["id"], "accept", "conges")

        report = log.apply(source, index=index)
        assert report["applied"] == 1 and report["marked"] == 1
        assert report["added"] == [{"id": row["id"], "item": "conges", "question": PHRASING}]
        assert report["skipped"] == [] and report["pending"] == []
        assert report["index"] == str(index) and report["warm_start"] is True
        assert isinstance(report["rebuild_ms"], float) and report["rebuild_ms"] >= 0
        assert Path(report["backup"]).exists() and Path(report["backup"]).name.startswith("template.xlsx.bak-")

        engine.reload(index)
        after = engine.match(PHRASING)
        assert after.decision == chatbot.Decision.ANSWER and after.matches[0].id == "conges"

        again = log.apply(source, index=index)
        assert again["applied"] == 0 and again["backup"] is None and again["index"] is None
        assert len(list(tmp_path.glob("template.xlsx.bak-*"))) == 1


def test_apply_errors(tmp_path: Path, deployed):
    source, index, _ = deployed
    with chatbot.QuestionLog(tmp_path / "log.db") as log:
        ods = tmp_path / "modele.ods"
        shutil.copyfile(FIXTURE.with_suffix(".ods"), ods)
        with pytest.raises(chatbot.InvalidArgumentError, match="ods"):
            log.apply(ods)
        with pytest.raises(chatbot.InvalidArgumentError, match="compiled index"):
            log.apply(index)
        with pytest.raises(chatbot.InvalidArgumentError):
            log.apply(source, index=source)
        assert log.apply(source)["applied"] == 0  # nothing reviewed
    with chatbot.QuestionLog(tmp_path / "log.db", read_only=True) as ro:
        with pytest.raises(chatbot.InvalidArgumentError, match="read-only"):
            ro.apply(source)


def test_export_template(tmp_path: Path, deployed):
    source, index, engine = deployed
    out = tmp_path / "export.xlsx"
    chatbot.export_template(index, out)
    with chatbot.Engine.build(out) as rebuilt:
        assert rebuilt.item_count == engine.item_count
    with pytest.raises(chatbot.InvalidArgumentError, match="exists"):
        chatbot.export_template(index, out)
    chatbot.export_template(index, out, overwrite=True)
    with pytest.raises(chatbot.InvalidArgumentError, match="input itself"):
        chatbot.export_template(out, out, overwrite=True)
    with pytest.raises(chatbot.InvalidArgumentError):
        chatbot.export_template(source, tmp_path / "out.ods")
    csv = tmp_path / "export.csv"
    chatbot.export_template(source, csv)
    assert csv.read_bytes().startswith(b"\xef\xbb\xbfID;")
    with pytest.raises(chatbot.ChatbotIOError):
        chatbot.export_template(tmp_path / "missing.xlsx", tmp_path / "x.xlsx")
