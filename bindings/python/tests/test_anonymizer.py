"""The anonymiser: built-in kinds, host patterns, offsets, errors, threads, closing."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

import chatbot

TEXT = "Écrivez à jean.dupont@exemple.fr ou au 06 12 34 56 78, matricule M123456, le 12/03/2024."
MASKED = "Écrivez à [EMAIL] ou au [TELEPHONE], matricule [MATRICULE], le 12/03/2024."
MASKED_BUILT_IN = "Écrivez à [EMAIL] ou au [TELEPHONE], matricule M123456, le 12/03/2024."


@pytest.fixture()
def anonymizer():
    with chatbot.Anonymizer({"MATRICULE": "M######"}) as made:
        yield made


def test_host_pattern_and_built_in_kinds(anonymizer: chatbot.Anonymizer):
    assert anonymizer.anonymize(TEXT) == MASKED
    assert anonymizer.patterns == {"MATRICULE": "M######"}


def test_without_patterns_the_matricule_stays():
    with chatbot.Anonymizer() as plain:
        assert plain.anonymize(TEXT) == MASKED_BUILT_IN
    assert chatbot.anonymize(TEXT) == MASKED_BUILT_IN
    assert chatbot.redact(TEXT).text == MASKED_BUILT_IN


def test_redactions_have_str_offsets(anonymizer: chatbot.Anonymizer):
    redacted = anonymizer.redact(TEXT)
    assert redacted.text == MASKED
    kinds = [r.kind for r in redacted.redactions]
    assert kinds == ["EMAIL", "TELEPHONE", "MATRICULE"]
    email = redacted.redactions[0]
    # "É" and "à" are two UTF-8 bytes each: bytes 12–34 are characters 10–32.
    assert (email.start, email.end) == (10, 32)
    assert [TEXT[r.start:r.end] for r in redacted.redactions] == ["jean.dupont@exemple.fr", "06 12 34 56 78",
                                                                   "M123456"]
    with pytest.raises(Exception):
        redacted.text = "x"  # type: ignore[misc]  # frozen


def test_offsets_after_astral_characters():
    text = "🙂🙂 écrire à a.b@c.fr 🙂"
    (email,) = chatbot.redact(text).redactions
    assert text[email.start:email.end] == "a.b@c.fr"


@pytest.mark.parametrize("name", ["EMAIL", "", "matricule", "A" * 33])
def test_invalid_pattern_name(name: str):
    with pytest.raises(chatbot.InvalidArgumentError):
        chatbot.Anonymizer({name: "M######"})


def test_pattern_type_errors():
    with pytest.raises(TypeError):
        chatbot.Anonymizer([("MATRICULE", "M######")])  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        chatbot.Anonymizer({"MATRICULE": 3})  # type: ignore[dict-item]
    with pytest.raises(chatbot.InvalidArgumentError):
        chatbot.Anonymizer({"MATRICULE": "M#\0"})


def test_empty_text_and_text_errors(anonymizer: chatbot.Anonymizer):
    assert anonymizer.anonymize("") == ""
    assert anonymizer.redact("") == chatbot.Redacted("", ())
    assert chatbot.anonymize("") == ""
    with pytest.raises(TypeError):
        anonymizer.anonymize(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(chatbot.InvalidUTF8Error):
        anonymizer.anonymize("\ud800")
    with pytest.raises(chatbot.InvalidArgumentError):
        anonymizer.anonymize("a\0b")


def test_threads_share_one_anonymizer(anonymizer: chatbot.Anonymizer):
    def work(n: int) -> bool:
        return all(anonymizer.anonymize(TEXT) == MASKED and len(anonymizer.redact(TEXT).redactions) == 3
                   for _ in range(200))

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(work, range(4))) == [True] * 4


def test_closed_anonymizer_raises():
    anonymizer = chatbot.Anonymizer({"MATRICULE": "M######"})
    anonymizer.close()
    anonymizer.close()
    assert anonymizer.closed and "closed" in repr(anonymizer)
    for call in (lambda: anonymizer.anonymize(TEXT), lambda: anonymizer.redact(TEXT)):
        with pytest.raises(chatbot.ClosedAnonymizerError):
            call()
    with pytest.raises(chatbot.ClosedError):
        anonymizer.anonymize(TEXT)
    with pytest.raises(chatbot.ClosedAnonymizerError):
        with anonymizer:
            pass
