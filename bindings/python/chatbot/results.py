"""What matching returns: the decision and the matches, as plain immutable values."""

from __future__ import annotations

from enum import Enum
from typing import List, NamedTuple, Tuple


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


class MatchResult(NamedTuple):
    """The answer to one question."""

    decision: Decision
    #: How many of the first matches to offer: 1 for an answer, 0 for a fallback.
    suggestions: int
    #: Up to top_k matches, best first.
    matches: List[Match]


class Ranking(NamedTuple):
    """The answer to one question of `Engine.rank_batch`: ids and scores only."""

    decision: Decision
    #: Ids of up to top_k items, best first.
    ids: List[str]
    #: Their scores, in the same order.
    scores: List[float]
