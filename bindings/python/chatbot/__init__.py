"""Python binding of libchatbot, a French question-matching engine (FAQ chatbot core).

    import chatbot
    with chatbot.Engine.build("faq.tsv") as engine:
        result = engine.match("j'ai perdu mon badge", top_k=3)
        print(result.decision, [(m.id, m.score) for m in result.matches])

The binding calls the C library (libchatbot.so) through ctypes. It looks for it in
$CHATBOT_LIBRARY, then in this package's folder, then on the system (see README.md, "Python binding").
"""

from ._library import ABI_VERSION, LIBRARY_ENV, MAX_TOP_K
from .engine import Engine, library_path, version
from .errors import (ChatbotError, ChatbotIOError, ChatbotMemoryError, ClosedEngineError, InternalError,
                     InvalidArgumentError, InvalidIndexError, InvalidSourceError, InvalidUTF8Error,
                     LibraryNotFoundError)
from .results import Decision, Match, MatchResult, Ranking

__version__ = "0.1.0"

__all__ = [
    "ABI_VERSION", "LIBRARY_ENV", "MAX_TOP_K",
    "Engine", "version", "library_path",
    "Decision", "Match", "MatchResult", "Ranking",
    "ChatbotError", "InvalidArgumentError", "ChatbotIOError", "InvalidIndexError", "InvalidSourceError",
    "InvalidUTF8Error", "ChatbotMemoryError", "InternalError", "ClosedEngineError", "LibraryNotFoundError",
]
