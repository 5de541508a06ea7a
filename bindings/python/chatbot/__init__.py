"""Python binding of libchatbot, a French question-matching engine (FAQ chatbot core).

    import chatbot
    with chatbot.Engine.build("faq.tsv") as engine:
        result = engine.match("j'ai perdu mon badge", top_k=3)
        print(result.decision, [(m.id, m.score) for m in result.matches])
        for message in result.reply:  # TextMessage, ImageMessage, ButtonsMessage…
            print(message)

The binding calls the C library (libchatbot.so) through ctypes. It looks for it in
$CHATBOT_LIBRARY, then in this package's folder, then on the system (see README.md, "Python binding").
"""

from ._library import ABI_VERSION, LIBRARY_ENV, MAX_TOP_K
from .anonymizer import BUILT_IN_KINDS, Anonymizer, Redacted, Redaction, anonymize, redact
from .engine import Engine, export_template, library_path, version
from .log import QuestionLog
from .errors import (ChatbotError, ChatbotIOError, ChatbotMemoryError, ClosedAnonymizerError, ClosedEngineError,
                     ClosedError, ClosedLogError, InternalError,
                     InvalidArgumentError, InvalidIndexError, InvalidSourceError, InvalidUTF8Error,
                     LibraryNotFoundError, NotFoundError)
from .results import (Button, ButtonsMessage, Decision, Diagnostic, ImageMessage, Item, Match, MatchResult, Message,
                      QuickRepliesMessage, Ranking, Severity, TextMessage, UnknownMessage)

__version__ = "0.1.0"

__all__ = [
    "ABI_VERSION", "LIBRARY_ENV", "MAX_TOP_K",
    "Engine", "export_template", "version", "library_path",
    "QuestionLog",
    "Anonymizer", "Redacted", "Redaction", "anonymize", "redact", "BUILT_IN_KINDS",
    "Decision", "Match", "MatchResult", "Ranking",
    "Message", "TextMessage", "ImageMessage", "ButtonsMessage", "QuickRepliesMessage", "UnknownMessage", "Button",
    "Item", "Diagnostic", "Severity",
    "ChatbotError", "InvalidArgumentError", "ChatbotIOError", "InvalidIndexError", "InvalidSourceError",
    "InvalidUTF8Error", "ChatbotMemoryError", "InternalError", "NotFoundError", "ClosedError", "ClosedEngineError",
    "ClosedAnonymizerError", "ClosedLogError",
    "LibraryNotFoundError",
]
