"""What the engine returns: decisions, matches, reply messages, items and source
diagnostics, as plain immutable values."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Dict, List, NamedTuple, Optional, Sequence, Tuple, Union

from .errors import InternalError


class Decision(str, Enum):
    """What the host should do with a question. A `str` subclass, so that
    `result.decision == "answer"` holds as well as `result.decision is Decision.ANSWER`."""

    #: The first match is the answer.
    ANSWER = "answer"
    #: Offer the first `MatchResult.suggestions` matches to the user.
    SUGGEST = "suggest"
    #: Nothing is close enough: hand over to a person.
    FALLBACK = "fallback"

    def __str__(self) -> str:
        return self.value


# Indexed by the C `cb_decision` value (0, 1, 2).
DECISIONS: Tuple[Decision, ...] = (Decision.ANSWER, Decision.SUGGEST, Decision.FALLBACK)


class Match(NamedTuple):
    """One knowledge-base item that matched a question."""

    #: The item's id.
    id: str
    #: Similarity in [0, 1].
    score: float
    #: The item's question (main or alternative) that matched best.
    question: str
    #: The item's answer ("" when the base has none).
    answer: str
    #: The item's category ("" when none).
    category: str
    #: Position of the item in the knowledge base (see `Engine.item_id`).
    item_index: int


# ------------------------------------------------------------------------- messages


@dataclass(frozen=True)
class Button:
    """A button: it opens `url`, or shows the item `item` (follow it with `Engine.item`).
    Exactly one of the two is set."""

    title: str
    url: Optional[str] = None
    item: Optional[str] = None


def _buttons_tuple(message: Any) -> None:
    # Stored as a tuple (immutable, hashable) whatever sequence was given, so that
    # ButtonsMessage([b]) == ButtonsMessage((b,)).
    object.__setattr__(message, "buttons", tuple(message.buttons))


@dataclass(frozen=True)
class TextMessage:
    """A text bubble."""

    text: str


@dataclass(frozen=True)
class ImageMessage:
    """An image, by URL."""

    url: str


@dataclass(frozen=True)
class ButtonsMessage:
    """Buttons that stay under the conversation (a menu). `buttons` is a tuple of `Button`."""

    buttons: Sequence[Button]

    def __post_init__(self) -> None:
        _buttons_tuple(self)


@dataclass(frozen=True)
class QuickRepliesMessage:
    """Quick replies: buttons that disappear once one is chosen. `buttons` is a tuple of `Button`."""

    buttons: Sequence[Button]

    def __post_init__(self) -> None:
        _buttons_tuple(self)


@dataclass(frozen=True)
class UnknownMessage:
    """A message of a type this binding does not know (from a newer library): its `type`
    and the raw JSON object, so that a host can still pass it on or skip it."""

    type: str
    data: Dict[str, Any] = field(hash=False, compare=True)


#: One message of a reply or of an item.
Message = Union[TextMessage, ImageMessage, ButtonsMessage, QuickRepliesMessage, UnknownMessage]


def _button(raw: Any) -> Button:
    if not isinstance(raw, dict) or not isinstance(raw.get("title"), str):
        raise InternalError(f"libchatbot returned a malformed button: {raw!r}")
    return Button(raw["title"], raw.get("url"), raw.get("item"))


def parse_messages(raw: Any) -> List[Message]:
    """Messages from their JSON form (`cb_result_reply`, the `messages` of an item):
    [{"type": "text", "text": …}, {"type": "image", "url": …},
     {"type": "buttons" | "quick_replies", "buttons": [{"title", "url" | "item"}, …]}]."""
    if not isinstance(raw, list):
        raise InternalError(f"libchatbot returned messages that are not a list: {raw!r}")
    messages: List[Message] = []
    for entry in raw:
        if not isinstance(entry, dict):
            raise InternalError(f"libchatbot returned a malformed message: {entry!r}")
        kind = entry.get("type")
        try:
            if kind == "text":
                messages.append(TextMessage(entry["text"]))
            elif kind == "image":
                messages.append(ImageMessage(entry["url"]))
            elif kind == "buttons":
                messages.append(ButtonsMessage([_button(b) for b in entry["buttons"]]))
            elif kind == "quick_replies":
                messages.append(QuickRepliesMessage([_button(b) for b in entry["buttons"]]))
            else:
                messages.append(UnknownMessage(str(kind), dict(entry)))
        except (KeyError, TypeError):
            raise InternalError(f"libchatbot returned a malformed {kind} message: {entry!r}") from None
    return messages


# ------------------------------------------------------------------------- matching


class _MatchResultFields(NamedTuple):
    decision: Decision
    suggestions: int
    matches: List[Match]


class MatchResult(_MatchResultFields):
    """The answer to one question.

    A 3-tuple `(decision, suggestions, matches)` as in earlier versions (so unpacking
    keeps working), with two more attributes:

    - `reply`: the messages to send (`Message` values): the item's messages for an
      answer; a short text and one button per item to offer for a suggestion; the
      base's `phrase_hors_sujet` messages (then suggestion buttons, if any) for a
      fallback;
    - `suggested`: the matches to offer, in order (`len(suggested) == suggestions`).
      Reserved `phrase_*` and small-talk `st_*` items are never offered, so these are
      not always the first matches.
    """

    reply: List[Message]
    suggested: List[Match]

    def __new__(cls, decision: Decision, suggestions: int, matches: List[Match],
                reply: Optional[List[Message]] = None, suggested: Optional[List[Match]] = None) -> "MatchResult":
        self = super().__new__(cls, decision, suggestions, matches)
        self.reply = [] if reply is None else reply
        self.suggested = list(matches[:suggestions]) if suggested is None else suggested
        return self

    def __eq__(self, other: object) -> bool:
        if not tuple.__eq__(self, other):
            return False
        if isinstance(other, MatchResult):
            return self.reply == other.reply and self.suggested == other.suggested
        return True

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = None  # type: ignore[assignment]  # holds lists

    def _replace(self, **changes: Any) -> "MatchResult":
        values = {"decision": self.decision, "suggestions": self.suggestions, "matches": self.matches,
                  "reply": self.reply, "suggested": self.suggested}
        values.update(changes)
        return MatchResult(**values)

    def __repr__(self) -> str:
        return (f"MatchResult(decision={self.decision!r}, suggestions={self.suggestions!r}, "
                f"matches={self.matches!r}, reply={self.reply!r}, suggested={self.suggested!r})")

    def __reduce__(self) -> Any:
        return (MatchResult, (self.decision, self.suggestions, self.matches, self.reply, self.suggested))


class Ranking(NamedTuple):
    """The answer to one question of `Engine.rank_batch`: ids and scores only."""

    decision: Decision
    #: Ids of up to top_k items, best first.
    ids: List[str]
    #: Their scores, in the same order.
    scores: List[float]


# ------------------------------------------------------------------------- items


@dataclass(frozen=True)
class Item:
    """One knowledge-base item, as `Engine.item` returns it."""

    id: str
    #: "" when the item has none.
    category: str
    #: The main question; None for items without questions (`phrase_presentation`, button targets).
    question: Optional[str]
    alternatives: List[str]
    messages: List[Message]
    #: Hidden items are never matched (they can still be shown by id).
    hidden: bool
    #: The date after which the item is no longer matched, or None.
    expires: Optional[datetime.date]

    @classmethod
    def from_json(cls, raw: Any) -> "Item":
        """An item from the JSON of `cb_engine_item_json`."""
        try:
            expires = raw.get("expires")
            return cls(raw["id"], raw.get("category") or "", raw.get("question"), list(raw.get("alternatives") or []),
                       parse_messages(raw.get("messages") or []), bool(raw.get("hidden", False)),
                       None if expires is None else datetime.date.fromisoformat(expires))
        except (KeyError, TypeError, AttributeError, ValueError) as error:
            raise InternalError(f"libchatbot returned a malformed item ({error}): {raw!r}") from None


# ------------------------------------------------------------------------- diagnostics


class Severity(str, Enum):
    """Severity of a source diagnostic; a `str`, so `d.severity == "warning"` holds."""

    #: Refuses the build.
    ERROR = "error"
    #: Reported; the build goes on.
    WARNING = "warning"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Diagnostic:
    """An error or warning found in a knowledge-base source."""

    severity: Severity
    #: The row number the spreadsheet shows (the line of a text file); 0 for the whole file.
    row: int
    #: Column letter ("A", "G"), or None when not about one cell.
    column: Optional[str]
    #: Stable code, e.g. "missing_id", "no_category".
    code: str
    #: For people (French for the template's checks).
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{self.severity}: {where}: {self.message} [{self.code}]"
