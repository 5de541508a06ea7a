"""Text arguments as the C interface takes them: UTF-8 bytes without a NUL."""

from __future__ import annotations

from typing import Optional

from .errors import InvalidArgumentError, InvalidUTF8Error


def encode_text(value: object, what: str, optional: bool = False) -> Optional[bytes]:
    """UTF-8 bytes of a str argument, NUL-terminated by ctypes; None passes when `optional`.

    A NUL is refused: C would silently stop at it and use a truncated text (a question, an
    id, a path)."""
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, not {type(value).__name__}")
    try:
        data = value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise InvalidUTF8Error(f"{what} is not valid UTF-8: {error.reason} at position {error.start}") from None
    if b"\0" in data:
        raise InvalidArgumentError(f"{what} contains a NUL character at position {value.index(chr(0))}")
    return data
