"""`Anonymizer`: masks personal data in French text, over the `cb_anonymizer` handle."""

from __future__ import annotations

import ctypes
import json
from dataclasses import dataclass
from typing import Any, List, Mapping, Optional, Tuple

from . import _library
from ._handle import SharedHandle
from ._library import AnonymizerPointer
from ._text import encode_text
from .errors import ClosedAnonymizerError, InternalError, error_for_status

#: The placeholders of the built-in kinds (a host pattern NAME gives "[NAME]").
BUILT_IN_KINDS = ("EMAIL", "TELEPHONE", "NIR", "IBAN", "CARTE")


@dataclass(frozen=True)
class Redaction:
    """One masked span: `kind` ("EMAIL", "TELEPHONE", "NIR", "IBAN", "CARTE" or a host
    pattern's name) and its position in the ORIGINAL text, as Python str indices
    (characters, not UTF-8 bytes): `original[start:end]` is what was masked."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class Redacted:
    """The anonymised `text` and what was masked, in text order."""

    text: str
    redactions: Tuple[Redaction, ...]


def _text(value: object) -> bytes:
    data = encode_text(value, "text")
    assert data is not None
    return data


def _raise_last(lib: ctypes.CDLL, status: int) -> None:
    raise error_for_status(status, lib.cb_last_error().decode("utf-8", "replace"))


def _take_string(lib: ctypes.CDLL, pointer: ctypes.c_void_p) -> str:
    """Copies and frees a string returned by the library."""
    if pointer.value is None:
        raise InternalError("the library returned CB_OK with a NULL string")
    try:
        return ctypes.string_at(pointer.value).decode("utf-8")
    finally:
        lib.cb_string_free(pointer)


def _anonymize(lib: ctypes.CDLL, handle: Any, text: str) -> str:
    out = ctypes.c_void_p()
    status = lib.cb_anonymize(handle, _text(text), ctypes.byref(out))
    if status:
        _raise_last(lib, status)
    return _take_string(lib, out)


def _redact(lib: ctypes.CDLL, handle: Any, text: str) -> Redacted:
    data = _text(text)
    out = ctypes.c_void_p()
    status = lib.cb_anonymize_json(handle, data, ctypes.byref(out))
    if status:
        _raise_last(lib, status)
    parsed = json.loads(_take_string(lib, out))
    # UTF-8 byte offsets -> str indices, walking the text once (redactions are in order).
    redactions: List[Redaction] = []
    byte_position = char_position = 0

    def to_char(offset: int) -> int:
        nonlocal byte_position, char_position
        if offset < byte_position:  # out of order: count from the start
            byte_position = char_position = 0
        char_position += len(data[byte_position:offset].decode("utf-8"))
        byte_position = offset
        return char_position

    for item in parsed["redactions"]:
        start, end = int(item["start"]), int(item["end"])
        if not 0 <= start <= end <= len(data):
            raise InternalError(f"redaction {item!r} is outside the text ({len(data)} bytes)")
        redactions.append(Redaction(str(item["kind"]), to_char(start), to_char(end)))
    return Redacted(parsed["text"], tuple(redactions))


class Anonymizer(SharedHandle):
    """Masks personal data in French text: e-mail addresses `[EMAIL]`, French phone numbers
    `[TELEPHONE]`, NIR with a valid key `[NIR]`, IBAN passing mod-97 `[IBAN]`, Luhn-valid
    card numbers `[CARTE]`, plus the host's `patterns`: {"MATRICULE": "M######"} masks
    "M123456" as "[MATRICULE]" (template: `#` a digit, `@` an ASCII letter, `\\` escapes
    the next character, anything else itself; matched on word boundaries). Names are 1–32
    of A–Z, 0–9, _ and not a built-in kind (InvalidArgumentError otherwise).

    Immutable: any number of threads may use one anonymiser at once. Release it with
    `close()` or a `with` block; a closed anonymiser raises `ClosedAnonymizerError`.
    """

    _free_function = "cb_anonymizer_free"
    _closed_error = ClosedAnonymizerError
    _closed_message = "the anonymizer is closed"

    __slots__ = ("_handle", "_lib", "_lock", "_users", "_closing", "_patterns")

    def __init__(self, patterns: Optional[Mapping[str, str]] = None) -> None:
        self._handle: Any = None
        self._closing = True  # until the handle exists (for __del__)
        if patterns is None:
            patterns = {}
        if not isinstance(patterns, Mapping):
            raise TypeError(f"patterns must be a mapping of name to template, not {type(patterns).__name__}")
        names: List[bytes] = []
        templates: List[bytes] = []
        for name, template in patterns.items():
            if not isinstance(name, str) or not isinstance(template, str):
                raise TypeError("patterns must map str names to str templates")
            for what, value, into in (("pattern name", name, names), (f"pattern {name!r}", template, templates)):
                encoded = encode_text(value, what)
                assert encoded is not None
                into.append(encoded)
        lib = _library.library()
        params = lib.cb_anonymizer_default_params()
        count = _library.c_integer(len(names), "the number of patterns", 0, _library.UINT32_MAX)
        name_array = (ctypes.c_char_p * max(count, 1))(*names)
        template_array = (ctypes.c_char_p * max(count, 1))(*templates)
        params.pattern_count = count
        params.pattern_names = ctypes.cast(name_array, ctypes.POINTER(ctypes.c_char_p))
        params.patterns = ctypes.cast(template_array, ctypes.POINTER(ctypes.c_char_p))
        handle = AnonymizerPointer()
        status = lib.cb_anonymizer_new(ctypes.byref(params), ctypes.byref(handle))
        if status:
            _raise_last(lib, status)
        self._adopt(lib, handle)
        self._patterns = dict(patterns)

    @property
    def patterns(self) -> dict:
        """The host patterns, {name: template} (a copy)."""
        return dict(self._patterns)

    def anonymize(self, text: str) -> str:
        """`text` with personal data replaced by placeholders ("[EMAIL]", "[MATRICULE]"…).
        Raises TypeError, InvalidUTF8Error, InvalidArgumentError (NUL), ClosedAnonymizerError."""
        handle = self._enter()
        try:
            return _anonymize(self._lib, handle, text)
        finally:
            self._leave()

    def redact(self, text: str) -> Redacted:
        """As `anonymize`, with what was masked: `Redaction(kind, start, end)` values whose
        offsets are str indices into the original `text` (converted from the library's
        UTF-8 byte offsets)."""
        handle = self._enter()
        try:
            return _redact(self._lib, handle, text)
        finally:
            self._leave()

    def __repr__(self) -> str:
        state = "closed" if self._closing else f"patterns={sorted(self._patterns)}"
        return f"<chatbot.Anonymizer {state}>"


def anonymize(text: str) -> str:
    """`text` with the built-in kinds masked (no host patterns; no object to close)."""
    return _anonymize(_library.library(), None, text)


def redact(text: str) -> Redacted:
    """`Anonymizer.redact` with the built-in kinds only; offsets are str indices."""
    return _redact(_library.library(), None, text)
