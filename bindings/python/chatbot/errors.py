"""Exceptions: one class per `cb_status`, all under `ChatbotError`.

Each class also derives from the closest built-in exception (ValueError, OSError,
MemoryError), so that code written against the standard hierarchy keeps working.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Dict, List, Optional, Type

if TYPE_CHECKING:  # pragma: no cover
    from .results import Diagnostic


class ChatbotError(Exception):
    """Base class of every error raised by this package.

    `status` is the C status code (`cb_status`), or None for errors found by the binding
    itself (closed engine, library not found).
    """

    status: "int | None" = None

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidArgumentError(ChatbotError, ValueError):
    """A value out of range (top_k, vector), an invalid handle, or a text containing NUL."""

    status = 1


class ChatbotIOError(ChatbotError, OSError):
    """A file could not be opened, read or written."""

    status = 2


class InvalidIndexError(ChatbotError, ValueError):
    """An index is truncated, corrupted, or from an incompatible version."""

    status = 3


class InvalidSourceError(ChatbotError, ValueError):
    """A knowledge-base or synonyms source is malformed; the message names file and line.

    Raised by `Engine.build`, `diagnostics` holds every error and warning of the source
    (`Diagnostic` values, in row order), so that all rows can be fixed at once; it is
    empty when the library reported none (e.g. a malformed synonyms file).
    """

    status = 4

    def __init__(self, message: str, diagnostics: "Optional[List[Diagnostic]]" = None) -> None:
        super().__init__(message)
        self.diagnostics: "List[Diagnostic]" = list(diagnostics or [])


class InvalidUTF8Error(ChatbotError, ValueError):
    """A text is not valid UTF-8 (a str with lone surrogates, or a bytes path)."""

    status = 5


class ChatbotMemoryError(ChatbotError, MemoryError):
    """The library could not allocate memory."""

    status = 6


class InternalError(ChatbotError):
    """A bug in libchatbot; please report it with the message."""

    status = 7


class NotFoundError(ChatbotError, KeyError):
    """No item has the requested id (`Engine.item`). Also a KeyError, like a dict lookup."""

    status = 8

    def __str__(self) -> str:
        # KeyError.__str__ would show the message quoted, as a key.
        return self.message


class ClosedError(ChatbotError):
    """An object of this package was used after its `close()` (or its `with` block ended)."""


class ClosedEngineError(ClosedError):
    """The engine was closed with `Engine.close()` (or its `with` block ended)."""


class ClosedAnonymizerError(ClosedError):
    """The anonymiser was closed with `Anonymizer.close()` (or its `with` block ended)."""


class ClosedLogError(ClosedError):
    """The question log was closed with `QuestionLog.close()` (or its `with` block ended)."""


class LibraryNotFoundError(ChatbotError, OSError):
    """libchatbot.so could not be found or loaded; the message lists the places tried."""


_BY_STATUS: Dict[int, Type[ChatbotError]] = {
    cls.status: cls
    for cls in (InvalidArgumentError, ChatbotIOError, InvalidIndexError, InvalidSourceError,
                InvalidUTF8Error, ChatbotMemoryError, InternalError, NotFoundError)
}


def error_for_status(status: int, message: str) -> ChatbotError:
    """The exception for a non-zero `cb_status`; unknown codes give a plain ChatbotError."""
    cls = _BY_STATUS.get(status)
    if cls is None:
        error = ChatbotError(f"status {status}: {message}")
        error.status = status
        return error
    return cls(message)
