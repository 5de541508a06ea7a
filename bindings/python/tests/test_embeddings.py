"""Question embeddings at build time: the host's vectors in the learned model (the default),
embedding_scale, and static word vectors (`word_vectors`, a .cbwv file)."""

from __future__ import annotations

import math
import struct
from pathlib import Path

import pytest

import chatbot
from conftest import write_text

SALAIRE = [0.0, 0.0, 1.0]


def cbwv(entries, dims: int) -> bytes:
    """A .cbwv word-vector file: (word, frequency, vector) entries, Float16 values."""
    out = b"CBWV" + struct.pack("<IIII", 1, len(entries), dims, 0)
    for word, freq, vec in entries:
        w = word.encode()
        out += struct.pack("<H", len(w)) + w + struct.pack("<f", freq) + b"".join(struct.pack("<e", x) for x in vec)
    return out


# "vacances" points the way "congé" and "congés" do; the base never uses it.
WORD_VECTORS = [("congé", 1e-5, [1, 0.1, 0, 0]), ("congés", 2e-5, [1, 0, 0.1, 0]),
                ("vacances", 3e-5, [0.9, 0.1, 0, 0.1]), ("badge", 1e-6, [0, 1, 0, 0.1]),
                ("carte", 5e-5, [0.1, 0.9, 0, 0]), ("accès", 1e-5, [0, 0.8, 0.2, 0]),
                ("perdu", 2e-5, [0, 0.5, 0.5, 0]), ("de", 0.03, [0.3, 0.3, 0.3, 0.3])]

KB = ("conges\tcomment poser un congé\nconges\tdemander des congés\n"
      "badge\tj'ai perdu mon badge\nbadge\tbadge perdu que faire\n"
      "salaire\tquand est versé le salaire\n")


@pytest.fixture()
def kb_words(tmp_path: Path) -> Path:
    return write_text(tmp_path, "kb.tsv", KB)


@pytest.fixture()
def asset(tmp_path: Path) -> Path:
    path = tmp_path / "fr.cbwv"
    path.write_bytes(cbwv(WORD_VECTORS, 4))
    return path


def test_by_default_the_hosts_vectors_enter_the_model(kb_json: Path):
    with chatbot.Engine.build(kb_json) as engine:
        with pytest.raises(chatbot.InvalidArgumentError, match="takes question embeddings as input") as raised:
            engine.match("quand est versé le salaire")
        assert "embedding scale 0" in str(raised.value)
        with pytest.raises(chatbot.InvalidArgumentError, match="takes question embeddings as input"):
            engine.match_json("quand est versé le salaire")
        result = engine.match("quand est versé le salaire", query_vector=SALAIRE)
        assert result.decision is chatbot.Decision.ANSWER
        assert result.matches[0].id == "salaire"


def test_scale_zero_answers_without_a_vector(kb_json: Path):
    with chatbot.Engine.build(kb_json, embedding_scale=0) as engine:
        result = engine.match("quand est versé le salaire")
        assert result.matches[0].id == "salaire"
        assert engine.match("quand est versé le salaire", query_vector=SALAIRE).matches[0].id == "salaire"
    # Any scale up to 100; an int is a number.
    for scale in (0.5, 3, 100):
        with chatbot.Engine.build(kb_json, embedding_scale=scale) as engine:
            assert engine.match("quand est versé le salaire", query_vector=SALAIRE).matches[0].id == "salaire"


@pytest.mark.parametrize("scale", [-1, -0.5, 100.5, 1e9, math.nan, math.inf, -math.inf])
def test_scale_out_of_range(kb_json: Path, scale: float):
    with pytest.raises(chatbot.InvalidArgumentError, match="embedding_scale must be between 0 and 100"):
        chatbot.Engine.build(kb_json, embedding_scale=scale)


@pytest.mark.parametrize("scale", ["2", True, [2]])
def test_scale_type(kb_json: Path, scale: object):
    with pytest.raises(TypeError, match="embedding_scale must be a float or None"):
        chatbot.Engine.build(kb_json, embedding_scale=scale)  # type: ignore[arg-type]


def test_word_vectors_match_words_the_base_never_used(kb_words: Path, asset: Path):
    with chatbot.Engine.build(kb_words, word_vectors=asset) as engine:
        assert engine.embedding_dimension == 4
        assert engine.match("vacances").matches[0].id == "conges"
        stored = engine.match("j'ai perdu mon badge")
        assert stored.decision is chatbot.Decision.ANSWER and stored.matches[0].id == "badge"
        # It embeds questions itself.
        with pytest.raises(chatbot.InvalidArgumentError, match="embeds questions itself"):
            engine.match("vacances", query_vector=[1.0, 0.0, 0.0, 0.0])
    # str and bytes paths too; the scale applies to the word vectors.
    with chatbot.Engine.build(str(kb_words), word_vectors=str(asset), embedding_scale=1) as engine:
        assert engine.match("vacances").matches[0].id == "conges"
    with chatbot.Engine.build(kb_words, word_vectors=bytes(asset), embedding_scale=0) as engine:
        assert engine.embedding_dimension == 4


def test_word_vectors_and_the_hosts_vectors_are_exclusive(kb_json: Path, asset: Path):
    with pytest.raises(chatbot.InvalidArgumentError, match="one or the other"):
        chatbot.Engine.build(kb_json, word_vectors=asset)


def test_missing_word_vectors(kb_words: Path, tmp_path: Path):
    with pytest.raises(chatbot.ChatbotIOError, match="missing.cbwv"):
        chatbot.Engine.build(kb_words, word_vectors=tmp_path / "missing.cbwv")


@pytest.mark.parametrize("data", [b"CBXX" + b"\0" * 40, cbwv(WORD_VECTORS, 4)[:-3], b"",
                                  cbwv([("congé", 0.0, [1, 0, 0, 0])], 4)],
                         ids=["bad magic", "truncated", "empty", "zero frequency"])
def test_malformed_word_vectors(kb_words: Path, tmp_path: Path, data: bytes):
    bad = tmp_path / "bad.cbwv"
    bad.write_bytes(data)
    with pytest.raises(chatbot.InvalidArgumentError, match="bad.cbwv"):
        chatbot.Engine.build(kb_words, word_vectors=bad)


def test_word_vectors_type(kb_words: Path):
    with pytest.raises(TypeError, match="word_vectors must be a str, bytes or os.PathLike"):
        chatbot.Engine.build(kb_words, word_vectors=4)  # type: ignore[arg-type]
    with pytest.raises(chatbot.InvalidArgumentError, match="word_vectors contains a NUL"):
        chatbot.Engine.build(kb_words, word_vectors="a\0b")
