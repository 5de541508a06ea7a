"""`QuestionLog`: the question log, its statistics and review inbox, over the `cb_log` handle."""

from __future__ import annotations

import ctypes
import datetime
import json
import os
from typing import Any, Dict, List, Optional, Union

from . import _library
from ._handle import SharedHandle
from ._text import encode_text
from ._library import LogPointer
from .errors import ClosedLogError, InternalError, InvalidArgumentError, error_for_status
from .results import MatchResult

_KINDS = {"question": 0, "click": 1, "welcome": 2}
_FEEDBACK = {"relevant": 0, "wrong": 1, "off_topic": 2}
_ACTIONS = {"accept": 0, "relink": 1, "out_of_scope": 2, "archive": 3}
_BANDS = ("confirmed", "to_verify", "pending")

#: A moment: UTC milliseconds since 1970 (int), a `datetime.datetime` (naive means UTC) or a
#: `datetime.date` (its midnight, UTC).
Moment = Union[int, datetime.date, datetime.datetime]


_encode = encode_text


def _milliseconds(value: Optional[Moment], what: str) -> int:
    """0 for None (an open bound), else UTC milliseconds since 1970."""
    if value is None:
        return 0
    if isinstance(value, bool):
        raise TypeError(f"{what} must be an int (ms), a date or a datetime, not bool")
    if isinstance(value, int):
        return _library.c_integer(value, what, _library.INT64_MIN, _library.INT64_MAX)
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        return int(value.timestamp() * 1000)
    if isinstance(value, datetime.date):
        return (value - datetime.date(1970, 1, 1)).days * 86_400_000
    raise TypeError(f"{what} must be an int (ms), a date or a datetime, not {type(value).__name__}")


def _choice(value: object, choices: Dict[str, int], what: str) -> int:
    if not isinstance(value, str) or value not in choices:
        raise InvalidArgumentError(f"{what} must be one of {', '.join(choices)}, got {value!r}")
    return choices[value]


def _match_json(result: MatchResult) -> bytes:
    """The `cb_match_json` object `cb_log_record_json` reads: decision, matches, reply."""
    if not isinstance(result, MatchResult):
        raise TypeError(f"result must be a chatbot.MatchResult, not {type(result).__name__}")
    matches = [{"id": m.id, "score": float(m.score), "category": m.category} for m in result.matches]
    # The reply exactly as the library wrote it (Engine.match keeps it); "[]" for a result
    # built by hand.
    reply = getattr(result, "_reply_json", "[]")
    head = json.dumps({"decision": str(result.decision), "matches": matches}, ensure_ascii=False, separators=(",", ":"))
    return (head[:-1] + ',"reply":' + reply + "}").encode("utf-8")


class QuestionLog(SharedHandle):
    """The question log: one SQLite file holding every question, click and welcome a bot
    handled, with its decision, matches and reply; the users' feedback; the review inbox.
    The file is the one `chatbot-cli stats` and `chatbot-cli inbox` read, and `stats()` and
    `inbox()` return their JSON (`--json`) as Python values.

        with chatbot.QuestionLog("questions.db") as log:
            result = engine.match(question)
            log.record(question, result, conversation=session_id, latency_us=elapsed)

    `record` queues the row and returns at once; a background thread writes rows in batches,
    so logging never waits for the disk. When more than `queue_capacity` rows (default
    10,000) wait, new rows are dropped and counted (`dropped`). `flush()` waits until every
    queued row is written; `stats()` and `inbox()` see only written rows.

    Any number of threads may share one log, and several processes may open the same file.
    `read_only=True` opens an existing log for statistics and the inbox only.
    Raises ChatbotIOError when the file cannot be opened or created, is not a question log,
    or was written by a newer libchatbot. Release it with `close()` or a `with` block (which
    flushes); a closed log raises `ClosedLogError`.
    """

    _free_function = "cb_log_free"
    _closed_error = ClosedLogError
    _closed_message = "the question log is closed"

    __slots__ = ("_handle", "_lib", "_lock", "_users", "_closing", "_path")

    def __init__(self, path: Union[str, "os.PathLike[str]"], queue_capacity: Optional[int] = None, *,
                 read_only: bool = False) -> None:
        self._handle: Any = None
        self._closing = True  # until the handle exists (for __del__)
        encoded = _encode(os.fspath(path), "path")
        lib = _library.library()
        params = lib.cb_log_default_params()
        if queue_capacity is not None:
            if isinstance(queue_capacity, bool) or not isinstance(queue_capacity, int):
                raise TypeError(f"queue_capacity must be an int, not {type(queue_capacity).__name__}")
            if queue_capacity < 1:
                raise InvalidArgumentError(f"queue_capacity must be 1 or more, got {queue_capacity}")
            _library.c_integer(queue_capacity, "queue_capacity", 1, _library.SIZE_MAX)
            params.queue_capacity = queue_capacity
        params.read_only = 1 if read_only else 0
        handle = LogPointer()
        status = lib.cb_log_open(encoded, ctypes.byref(params), ctypes.byref(handle))
        if status:
            raise error_for_status(status, lib.cb_last_error().decode("utf-8", "replace"))
        self._adopt(lib, handle)
        self._path = os.fspath(path)

    @property
    def path(self) -> str:
        return self._path

    # -- plumbing -------------------------------------------------------------------------

    def _call(self, name: str, *args: Any) -> None:
        handle = self._enter()
        try:
            status = getattr(self._lib, name)(handle, *args)
        finally:
            self._leave()
        if status:
            raise error_for_status(status, self._lib.cb_last_error().decode("utf-8", "replace"))

    def _json(self, pointer: ctypes.c_void_p) -> Any:
        if pointer.value is None:
            raise InternalError("the library returned CB_OK with a NULL string")
        try:
            text = ctypes.string_at(pointer.value).decode("utf-8")
        finally:
            self._lib.cb_string_free(pointer)
        return json.loads(text)

    # -- recording ------------------------------------------------------------------------

    def record(self, question: str, result: MatchResult, *, conversation: str, channel: Optional[str] = None,
               kind: str = "question", latency_us: int = 0, kb_version: str = "",
               time_ms: Optional[int] = None, sync: bool = False) -> Optional[int]:
        """Queues one row: `question` as typed (personal data is masked before it is stored)
        and the `result` of `Engine.match` (decision, first matches, reply). `kind` is
        "question" (typed; the only kind counted in the answer rate), "click" or "welcome".
        `latency_us` < 0 means unknown (stored as 0); `time_ms` (UTC ms) defaults to now.
        Never waits for the disk; a full queue drops the row (see `dropped`). Returns None;
        with `sync=True` the row is written before returning (about 0.1 ms) and its id is
        returned, to attach `feedback` right after the reply (None if it could not be written)."""
        params = self._lib.cb_log_default_record_params()
        params.kind = _choice(kind, _KINDS, "kind")
        params.conversation = _encode(conversation, "conversation")
        params.channel = _encode(channel, "channel", optional=True)
        if isinstance(latency_us, bool) or not isinstance(latency_us, int):
            raise TypeError(f"latency_us must be an int, not {type(latency_us).__name__}")
        params.latency_us = _library.c_integer(latency_us, "latency_us", _library.INT64_MIN, _library.INT64_MAX)
        params.kb_version = _encode(kb_version, "kb_version")
        if time_ms is not None:
            params.time_ms = _milliseconds(time_ms, "time_ms")
        row_id = ctypes.c_int64(-1)
        if sync:
            params.id_out = ctypes.pointer(row_id)
        self._call("cb_log_record_json", _encode(question, "question"), _match_json(result), ctypes.byref(params))
        return (row_id.value if row_id.value >= 0 else None) if sync else None

    def flush(self) -> None:
        """Waits until every queued row is written. Raises ChatbotIOError when rows could not
        be written since the previous flush (full disk, a lock held too long…)."""
        self._call("cb_log_flush")

    @property
    def dropped(self) -> int:
        """Rows dropped since the log was opened because the queue was full."""
        out = ctypes.c_size_t()
        self._call("cb_log_dropped", ctypes.byref(out))
        return out.value

    # -- feedback and review --------------------------------------------------------------

    def feedback(self, question_id: int, feedback: str) -> None:
        """Attaches the user's feedback ("relevant", "wrong" or "off_topic") to a logged
        question (ids come from `inbox()`). NotFoundError for an unknown id."""
        self._call("cb_log_feedback", self._id(question_id), _choice(feedback, _FEEDBACK, "feedback"))

    def review(self, question_id: int, action: str, item: Optional[str] = None) -> None:
        """Reviews a logged question, as `chatbot-cli inbox`: "accept" (it becomes an
        alternative question of `item`, by default its best item), "relink" (… of `item`,
        required), "out_of_scope" (an example of phrase_hors_sujet) or "archive" (nothing to
        change). Idempotent. NotFoundError for an unknown id."""
        self._call("cb_log_review", self._id(question_id), _choice(action, _ACTIONS, "action"),
                   _encode(item, "item", optional=True))

    @staticmethod
    def _id(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"the question id must be an int, not {type(value).__name__}")
        return _library.c_integer(value, "the question id", _library.INT64_MIN, _library.INT64_MAX)

    # -- reading --------------------------------------------------------------------------

    def stats(self, since: Optional[Moment] = None, until: Optional[Moment] = None, by: str = "week",
              engine: Any = None, top: int = 10) -> Dict[str, Any]:
        """The statistics of rows with since <= time < until (None: open), as the dict of
        `chatbot-cli stats --json`: "questions", "answered", "answer_rate" (answered typed
        questions / typed questions), "most_asked_items", "top_fallbacks", "series" by
        `by` ("week" or "day")… With `engine` (an `Engine`), "never_asked" lists its items
        never asked; otherwise it is None."""
        from .engine import Engine  # engine.py imports results only; no cycle at import time

        if by not in ("week", "day"):
            raise InvalidArgumentError(f"by must be 'week' or 'day', got {by!r}")
        if isinstance(top, bool) or not isinstance(top, int):
            raise TypeError(f"top must be an int, not {type(top).__name__}")
        if not 1 <= top <= 1000:
            raise InvalidArgumentError(f"top must be between 1 and 1000, got {top}")
        if engine is not None and not isinstance(engine, Engine):
            raise TypeError(f"engine must be a chatbot.Engine, not {type(engine).__name__}")
        params = self._lib.cb_stats_default_params()
        params.since_ms = _milliseconds(since, "since")
        params.until_ms = _milliseconds(until, "until")
        params.by_week = 1 if by == "week" else 0
        params.top = top
        out = ctypes.c_void_p()
        engine_handle = engine._enter() if engine is not None else None
        try:
            if engine_handle is not None:
                params.engine = engine_handle
            self._call("cb_log_stats_json", ctypes.byref(params), ctypes.byref(out))
        finally:
            if engine is not None:
                engine._leave()
        return self._json(out)

    def inbox(self, band: Optional[str] = None, limit: int = 100) -> List[Dict[str, Any]]:
        """Typed questions not reviewed yet, newest first, as the list of `chatbot-cli inbox
        LOG list --json`: band "confirmed" (answered, confidence >= 0.95), "to_verify"
        (answered below, or suggestions), "pending" (fallbacks) or None for all."""
        if band is not None and band not in _BANDS:
            raise InvalidArgumentError(f"band must be one of {', '.join(_BANDS)} or None, got {band!r}")
        if isinstance(limit, bool) or not isinstance(limit, int):
            raise TypeError(f"limit must be an int, not {type(limit).__name__}")
        if limit < 0:
            raise InvalidArgumentError(f"limit must be 0 or more, got {limit}")
        _library.c_integer(limit, "limit", 0, _library.SIZE_MAX)
        out = ctypes.c_void_p()
        self._call("cb_log_inbox_json", _encode(band, "band", optional=True), limit, ctypes.byref(out))
        rows = self._json(out)
        if not isinstance(rows, list):
            raise InternalError("cb_log_inbox_json did not return an array")
        return rows

    def purge(self, days: int) -> int:
        """Blanks the question and reply texts of rows older than `days` days (retention),
        keeping what statistics count. Returns how many rows were blanked."""
        if isinstance(days, bool) or not isinstance(days, int):
            raise TypeError(f"days must be an int, not {type(days).__name__}")
        if not 0 <= days <= 2**31 - 1:
            raise InvalidArgumentError(f"days must be 0 or more, got {days}")
        out = ctypes.c_size_t()
        self._call("cb_log_purge", days, ctypes.byref(out))
        return out.value

    def apply(self, source: Union[str, "os.PathLike[str]"],
              index: Optional[Union[str, "os.PathLike[str]"]] = None) -> Dict[str, Any]:
        """Writes the reviewed questions (accepted, relinked, out of scope) into the knowledge-
        base `source` they came from (.xlsx, .csv, .tsv, .json; a backup
        `SOURCE.bak-YYYYMMDD-HHMMSS` first) and marks them applied, as `chatbot-cli inbox LOG
        apply`. With `index`, and when the source changed, rebuilds that index from it
        (its stored settings, warm start) and renames the new file over it: call
        `engine.reload(index)` to answer from it. Returns the report: {"applied": N, "added":
        [...], "skipped": [...], "pending": [...], "warnings": [...], "backup": path or None,
        "marked": N, "index": path or None, "rebuild_ms": float or None, ...}, each question
        {"id", "item", "question"}. Applying again applies nothing.
        Raises InvalidArgumentError (an .ods source, an index as the source, an index path
        that is not an index…), InvalidSourceError, ChatbotIOError."""
        out = ctypes.c_void_p()
        self._call("cb_log_apply", _encode(os.fspath(source), "source"),
                   _encode(os.fspath(index) if index is not None else None, "index", optional=True), ctypes.byref(out))
        report = self._json(out)
        if not isinstance(report, dict):
            raise InternalError("cb_log_apply did not return an object")
        return report

    # -- lifecycle ------------------------------------------------------------------------

    def __repr__(self) -> str:
        return f"<chatbot.QuestionLog {self._path!r}{' closed' if self._closing else ''}>"
