"""`Engine`: a compiled knowledge base, over the `cb_engine` handle of libchatbot."""

from __future__ import annotations

import ctypes
import json
import math
import os
import threading
from contextlib import contextmanager
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple, Union

from . import _library
from ._handle import SharedHandle
from ._text import encode_text
from ._library import DiagnosticsPointer, EnginePointer, ResultPointer
from .errors import (ClosedEngineError, InternalError, InvalidArgumentError, InvalidSourceError, InvalidUTF8Error,
                     error_for_status)
from .results import (DECISIONS, Decision, Diagnostic, Item, Match, MatchResult, Ranking, Severity,
                      parse_messages)

#: What the path arguments accept.
PathLike = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]


_DECISION_BY_NAME = {d.value: d for d in Decision}


def _raise_last(lib: ctypes.CDLL, status: int) -> None:
    # cb_last_error is per thread and ctypes calls run on the calling thread, so this is
    # the message of the call that just failed, whatever other threads are doing.
    message = lib.cb_last_error().decode("utf-8", "replace")
    raise error_for_status(status, message)


def _text(value: object, what: str) -> bytes:
    """UTF-8 bytes of a str argument (`encode_text`)."""
    data = encode_text(value, what)
    assert data is not None
    return data


def _path(value: object, what: str) -> bytes:
    """File-system bytes of a path argument (str, bytes or os.PathLike)."""
    if not isinstance(value, (str, bytes, os.PathLike)):
        raise TypeError(f"{what} must be a str, bytes or os.PathLike, not {type(value).__name__}")
    try:
        data = os.fsencode(value)
    except UnicodeEncodeError as error:
        raise InvalidUTF8Error(f"{what} is not valid UTF-8: {error.reason} at position {error.start}") from None
    except TypeError:  # an os.PathLike whose __fspath__ returns neither str nor bytes
        raise TypeError(f"{what} must be a str, bytes or os.PathLike, not {type(value).__name__}") from None
    if b"\0" in data:
        raise InvalidArgumentError(f"{what} contains a NUL character")
    return data


def _top_k(value: object) -> int:
    # bool is an int subclass; `top_k=True` is a mistake, not 1.
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"top_k must be an int, not {type(value).__name__}")
    # ctypes would wrap a negative or huge value around size_t, so the range is checked here.
    if not 1 <= value <= _library.MAX_TOP_K:
        raise InvalidArgumentError(f"top_k must be between 1 and {_library.MAX_TOP_K}, got {value}")
    return value


def _string(value: Optional[bytes], accessor: str) -> str:
    if value is None:
        raise InternalError(f"{accessor} returned NULL for a match within the result's count")
    return value.decode("utf-8")


def _setting(value: object, name: str) -> float:
    """A decision setting (answer_threshold…): None keeps the default (-1 for the library);
    the range (0..1) is checked by the library."""
    if value is None:
        return -1.0
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise TypeError(f"{name} must be a float or None, not {type(value).__name__}")
    number = float(value)
    if math.isnan(number):
        raise InvalidArgumentError(f"{name} must be between 0 and 1, got nan")
    return number


#: Largest embedding scale the library accepts.
MAX_EMBEDDING_SCALE = 100.0


def _embedding_scale(value: object) -> float:
    """None keeps the library's default (-1 for the library); otherwise 0..100."""
    if value is None:
        return -1.0
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise TypeError(f"embedding_scale must be a float or None, not {type(value).__name__}")
    number = float(value)
    # A negative value would silently mean "the default" to the library: refused here instead.
    if not 0.0 <= number <= MAX_EMBEDDING_SCALE:  # also false for NaN
        raise InvalidArgumentError(f"embedding_scale must be between 0 and {MAX_EMBEDDING_SCALE:g} (None: the default), "
                                   f"got {number}")
    return number


def _max_suggestions(value: object) -> int:
    """None keeps the default (0 for the library); the range (1..100) is checked by the library."""
    if value is None:
        return 0
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"max_suggestions must be an int or None, not {type(value).__name__}")
    if not _library.INT32_MIN <= value <= _library.INT32_MAX:  # ctypes would wrap it around int32
        raise InvalidArgumentError(f"max_suggestions must be between 1 and 100, got {value}")
    return value


class _ReloadGuard:
    """Readers/writer lock between `Engine.reload` (the writer) and the few calls that read
    strings owned by the index (`cb_engine_item_id`), which a reload frees. Matching never
    takes it. Writers are preferred, so a stream of id readers cannot starve a reload."""

    __slots__ = ("_condition", "_readers", "_writing", "_waiting")

    def __init__(self) -> None:
        self._condition = threading.Condition(threading.Lock())
        self._readers = 0
        self._writing = False
        self._waiting = 0

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._condition:
            while self._writing or self._waiting:
                self._condition.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._condition:
                self._readers -= 1
                if self._readers == 0:
                    self._condition.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._condition:
            self._waiting += 1
            try:
                while self._writing or self._readers:
                    self._condition.wait()
            finally:
                self._waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._condition:
                self._writing = False
                self._condition.notify_all()


#: (generation, ids in item-index order, id -> item index) of one index.
_IdCache = Tuple[int, List[str], Dict[str, int]]


def _read_diagnostics(lib: ctypes.CDLL, diagnostics: Any) -> List[Diagnostic]:
    """Copies a `cb_diagnostics` list into Python values (the caller frees it)."""
    if not diagnostics:
        return []
    read = []
    for i in range(lib.cb_diagnostics_count(diagnostics)):
        severity = Severity.WARNING if lib.cb_diagnostic_severity(diagnostics, i) == 1 else Severity.ERROR
        column = lib.cb_diagnostic_column(diagnostics, i)
        read.append(Diagnostic(
            severity,
            lib.cb_diagnostic_row(diagnostics, i),
            column.decode("utf-8") or None if column is not None else None,
            _string(lib.cb_diagnostic_code(diagnostics, i), "cb_diagnostic_code"),
            _string(lib.cb_diagnostic_message(diagnostics, i), "cb_diagnostic_message"),
        ))
    return read


def _read_result(lib: ctypes.CDLL, result: Any) -> MatchResult:
    """Copies a `cb_result` into Python values (the caller frees it)."""
    matches = []
    for i in range(lib.cb_result_count(result)):
        matches.append(Match(
            _string(lib.cb_result_id(result, i), "cb_result_id"),
            lib.cb_result_score(result, i),
            _string(lib.cb_result_question(result, i), "cb_result_question"),
            _string(lib.cb_result_answer(result, i), "cb_result_answer"),
            _string(lib.cb_result_category(result, i), "cb_result_category"),
            lib.cb_result_item_index(result, i),
        ))
    decision = lib.cb_result_decision(result)
    if not 0 <= decision < len(DECISIONS):
        raise InternalError(f"unknown decision {decision}")
    suggested = []
    for i in range(lib.cb_result_suggestion_count(result)):
        position = lib.cb_result_suggestion(result, i)
        if not 0 <= position < len(matches):
            raise InternalError(f"cb_result_suggestion({i}) returned {position} for {len(matches)} matches")
        suggested.append(matches[position])
    reply = lib.cb_result_reply(result)
    if reply is None:
        raise InternalError("cb_result_reply returned NULL for a valid result")
    text = reply.decode("utf-8")
    made = MatchResult(DECISIONS[decision], len(suggested), matches, parse_messages(json.loads(text)), suggested)
    made._reply_json = text  # as sent, for QuestionLog.record
    return made


def _json(lib: ctypes.CDLL, pointer: ctypes.c_void_p) -> Any:
    """Parses and frees a string returned by the library."""
    address = pointer.value
    if address is None:  # never after CB_OK; string_at(NULL) would crash the process
        raise InternalError("the library returned CB_OK with a NULL string")
    try:
        text = ctypes.string_at(address)
    finally:
        lib.cb_string_free(pointer)
    return json.loads(text.decode("utf-8"))


class Engine(SharedHandle):
    """A compiled knowledge base: questions with their answers.

    Create one with `Engine.open` (an index file), `Engine.from_bytes` (an index in
    memory) or `Engine.build` (a .tsv/.csv/.json source). An engine is immutable: any
    number of threads may call its methods at once, with no lock held during matching.
    Release it with `close()` or a `with` block; a closed engine raises
    `ClosedEngineError`. `close()` waits for no one: calls already running on other
    threads finish first, then the C engine is freed by the last of them.
    """

    _free_function = "cb_engine_free"
    _closed_error = ClosedEngineError
    _closed_message = "the engine is closed"

    __slots__ = ("_handle", "_lib", "_lock", "_users", "_closing", "_cache", "_generation", "_guard",
                 "_build_diagnostics")

    def __init__(self, _handle: Any) -> None:
        """Internal: use `open`, `from_bytes` or `build`."""
        if not isinstance(_handle, EnginePointer) or not _handle:
            raise TypeError("Engine cannot be created directly: use Engine.open, Engine.from_bytes or Engine.build")
        self._adopt(_library.library(), _handle)
        # The item ids are copied once per index. `_generation` is odd while a reload
        # runs and changes around every reload; a cache or a result is used only when it
        # stayed the same across the C call (see `_match_json_result`).
        self._cache: Optional[_IdCache] = None
        self._generation = 0
        self._guard = _ReloadGuard()
        self._build_diagnostics: List[Diagnostic] = []

    # ---------------------------------------------------------------- creation

    @classmethod
    def open(cls, path: PathLike, *, mapped: bool = False) -> "Engine":
        """Opens an index file written by `save` or `chatbot-cli build`.

        By default the file is read into a private copy and checksum-verified: later
        changes to the file do not affect the engine. `mapped=True` maps the file instead
        (`CB_OPEN_MAP`): opening takes milliseconds at any size, every process mapping the
        file shares its memory, and the contents are verified the first time they are
        needed (`verify()`, or the first match, which then raises InvalidIndexError for a
        damaged file). Only for files replaced by renaming a complete file over them, as
        `save` and `chatbot-cli build` do: truncating a mapped file in place kills the
        process (SIGBUS). `reload` keeps the engine's way of opening.
        Raises ChatbotIOError (missing file), InvalidIndexError."""
        if not isinstance(mapped, bool):
            raise TypeError(f"mapped must be a bool, not {type(mapped).__name__}")
        encoded = _path(path, "path")
        lib = _library.library()
        handle = EnginePointer()
        params = lib.cb_open_default_params()
        params.mode = _library.OPEN_MAP if mapped else _library.OPEN_COPY
        status = lib.cb_engine_open_with_params(encoded, ctypes.byref(params), ctypes.byref(handle))
        if status:
            _raise_last(lib, status)
        return cls(handle)

    @classmethod
    def from_bytes(cls, data: Union[bytes, bytearray, memoryview]) -> "Engine":
        """Opens an index held in memory (the bytes of an index file; they are copied).
        Raises InvalidIndexError, or InvalidArgumentError when `data` is empty."""
        if isinstance(data, (bytearray, memoryview)):
            data = bytes(data)
        elif not isinstance(data, bytes):
            raise TypeError(f"data must be bytes, bytearray or memoryview, not {type(data).__name__}")
        lib = _library.library()
        handle = EnginePointer()
        status = lib.cb_engine_open_memory(data, len(data), ctypes.byref(handle))
        if status:
            _raise_last(lib, status)
        return cls(handle)

    @classmethod
    def build(cls, source: PathLike, synonyms: Optional[PathLike] = None, small_talk: bool = False,
              learn: bool = True, answer_threshold: Optional[float] = None, ambiguity_margin: Optional[float] = None,
              suggestion_floor: Optional[float] = None, max_suggestions: Optional[int] = None,
              word_vectors: Optional[PathLike] = None, embedding_scale: Optional[float] = None) -> "Engine":
        """Compiles a knowledge-base source into an engine held in memory, and returns it.

        `source`: an Usine à chatbots workbook (.xlsx, .ods) or its CSV export, or the
        engine's own .csv, .tsv or .json. `synonyms`: a synonyms file (one group per line,
        entries separated by ';'). `small_talk`: merge the built-in French small-talk pack
        (`st_*` items: greetings, thanks…). `learn=False`: nearest-question cosine only
        (faster build, uncalibrated scores). The decision settings (between 0 and 1,
        suggestion_floor <= answer_threshold; max_suggestions 1..100) are stored in the
        index; None keeps the library's defaults.

        `word_vectors`: a `.cbwv` file of static word vectors; the engine then embeds every
        question itself (`match` then refuses a `query_vector`; a source with its own
        question vectors is refused). `embedding_scale` (0..100): weight of the question
        embeddings among the learned model's inputs; None: the library's default (2 for
        the source's own vectors, 0.5 for word vectors). With the source's vectors (JSON
        "vector") and a scale above 0, every question must then be asked with its
        `query_vector`; 0 keeps them only in the nearest-question cosine, and questions
        without a vector are answered.

        The source's warnings are in `engine.build_diagnostics` (a list of `Diagnostic`).
        Raises ChatbotIOError (also for a missing or unreadable word-vector file),
        InvalidArgumentError (a setting out of range, a malformed word-vector file),
        InvalidSourceError for a refused source: its `diagnostics` lists every error and
        warning of the file, each with its row, so that all can be fixed at once.
        """
        encoded = _path(source, "source")
        encoded_synonyms = None if synonyms is None else _path(synonyms, "synonyms")
        encoded_word_vectors = None if word_vectors is None else _path(word_vectors, "word_vectors")
        scale = _embedding_scale(embedding_scale)
        lib = _library.library()
        params = lib.cb_build_default_params()
        params.synonyms_path = encoded_synonyms
        params.small_talk = 1 if small_talk else 0
        params.learn = 1 if learn else 0
        params.answer_threshold = _setting(answer_threshold, "answer_threshold")
        params.ambiguity_margin = _setting(ambiguity_margin, "ambiguity_margin")
        params.suggestion_floor = _setting(suggestion_floor, "suggestion_floor")
        params.max_suggestions = _max_suggestions(max_suggestions)
        params.word_vectors_path = encoded_word_vectors
        params.embedding_scale = scale
        handle = EnginePointer()
        diagnostics = DiagnosticsPointer()
        status = lib.cb_engine_build_with_params(encoded, ctypes.byref(params), ctypes.byref(handle),
                                                 ctypes.byref(diagnostics))
        message = lib.cb_last_error().decode("utf-8", "replace") if status else ""
        try:
            read = _read_diagnostics(lib, diagnostics)
        finally:
            lib.cb_diagnostics_free(diagnostics)
        if status:
            if status == InvalidSourceError.status:
                raise InvalidSourceError(message, read)
            raise error_for_status(status, message)
        engine = cls(handle)
        engine._build_diagnostics = read
        return engine

    @property
    def build_diagnostics(self) -> List[Diagnostic]:
        """The warnings of the source this engine was built from (`Engine.build`), in row
        order; empty for an engine opened from an index."""
        return list(self._build_diagnostics)

    # ---------------------------------------------------------------- lifetime

    def __repr__(self) -> str:
        if self._closing:
            return "<chatbot.Engine (closed)>"
        return f"<chatbot.Engine {self.item_count} items>"

    # ---------------------------------------------------------------- properties

    def _call(self, function: Any, *args: Any) -> None:
        """Calls `function(engine, *args)` on the open engine; a non-zero status raises."""
        handle = self._enter()
        try:
            status = function(handle, *args)
            if status:
                _raise_last(self._lib, status)
        finally:
            self._leave()

    def _size_property(self, getter: Any) -> int:
        """Calls a `cb_engine_*(engine, size_t *out)` getter."""
        out = ctypes.c_size_t()
        self._call(getter, ctypes.byref(out))
        return out.value

    @property
    def item_count(self) -> int:
        """Number of items in the knowledge base (hidden and expired ones included)."""
        return self._size_property(self._lib.cb_engine_item_count)

    @property
    def embedding_dimension(self) -> int:
        """Dimension of the question embeddings stored in the index (0 when none)."""
        return self._size_property(self._lib.cb_engine_embedding_dimension)

    def item_id(self, index: int) -> str:
        """The id of item `index` (0 ≤ index < item_count), as in `Match.item_index`."""
        if not isinstance(index, int) or isinstance(index, bool):
            raise TypeError(f"index must be an int, not {type(index).__name__}")
        if index < 0:
            raise InvalidArgumentError(f"index must not be negative, got {index}")
        _library.c_integer(index, "index", 0, _library.SIZE_MAX)  # size_t: no wrapping to a small index
        out = ctypes.c_char_p()
        # The string belongs to the index: a reload must not free it before it is copied.
        with self._guard.reading():
            self._call(self._lib.cb_engine_item_id, index, ctypes.byref(out))
            return _string(out.value, "cb_engine_item_id")

    def item_ids(self) -> List[str]:
        """Every item id, in item-index order (computed once per index, then cached;
        `reload` drops the cache)."""
        handle = self._enter()
        try:
            return list(self._id_cache(handle)[1])
        finally:
            self._leave()

    def _id_cache(self, handle: Any, guarded: bool = False) -> _IdCache:
        """The ids of the current index. Built with reloads held off (`guarded`: the
        caller already holds the guard), so it matches the index of its generation."""
        cache = self._cache
        if cache is not None and cache[0] == self._generation:
            return cache
        if guarded:
            return self._build_id_cache(handle)
        with self._guard.reading():
            return self._build_id_cache(handle)

    def _build_id_cache(self, handle: Any) -> _IdCache:
        lib = self._lib
        generation = self._generation  # stable: reloads change it under the guard
        cache = self._cache
        if cache is not None and cache[0] == generation:
            return cache
        count = ctypes.c_size_t()
        status = lib.cb_engine_item_count(handle, ctypes.byref(count))
        if status:
            _raise_last(lib, status)
        out = ctypes.c_char_p()
        ids = []
        for i in range(count.value):
            status = lib.cb_engine_item_id(handle, i, ctypes.byref(out))
            if status:
                _raise_last(lib, status)
            ids.append(_string(out.value, "cb_engine_item_id"))
        cache = (generation, ids, {item: i for i, item in enumerate(ids)})
        self._cache = cache
        return cache

    def reload(self, path: PathLike) -> None:
        """Replaces this engine's index with the index file at `path`, without downtime:
        other threads keep matching meanwhile (calls already running finish on the
        previous index; calls started after `reload` returns use the new one). The file is
        fully verified first: on failure the previous index stays and the error says why.
        Raises ChatbotIOError (missing or unreadable file), InvalidIndexError (corrupted or
        incompatible index), ClosedEngineError.

        Deployment: build the new index to a temporary file in the same directory, rename
        it over the live file (`os.replace`, atomic), then call `reload` with the live path.
        """
        encoded = _path(path, "path")
        with self._guard.writing():
            self._generation += 1  # odd: a reload is running
            try:
                self._call(self._lib.cb_engine_reload, encoded)
            finally:
                self._generation += 1
                self._cache = None

    def item(self, item_id: str) -> Item:
        """The item with this id, found directly (no matching): how a host follows a
        button whose target is an item (`Button.item`). Items without questions (the
        reserved `phrase_*` items, button targets) are found too.
        Raises NotFoundError (also a KeyError) when no item has this id."""
        encoded = _text(item_id, "item_id")
        out = ctypes.c_void_p()
        self._call(self._lib.cb_engine_item_json, encoded, ctypes.byref(out))
        return Item.from_json(_json(self._lib, out))

    # ---------------------------------------------------------------- matching

    def match(self, question: str, top_k: int = 5, category: Optional[str] = None,
              query_vector: Optional[Sequence[float]] = None, answer_threshold: Optional[float] = None,
              ambiguity_margin: Optional[float] = None, suggestion_floor: Optional[float] = None,
              max_suggestions: Optional[int] = None, *, vector: Optional[Sequence[float]] = None) -> MatchResult:
        """Answers `question` with up to `top_k` matches (1 ≤ top_k ≤ 1000), best first.

        `category` keeps only items of that category; `query_vector` (or its older name
        `vector`) is the question's own embedding (the index must hold embeddings of the
        same dimension): required by an index built from the host's vectors with an
        embedding scale above 0 (the default), mixed with the lexical score at scale 0,
        refused by an index built with word vectors. The decision settings
        (`answer_threshold`, `ambiguity_margin`, `suggestion_floor` between 0 and 1,
        `max_suggestions` 1..100) override the index's for this question; None keeps them.
        The result carries the reply to send (`result.reply`) and the matches to offer
        (`result.suggested`). Raises TypeError, InvalidArgumentError, InvalidUTF8Error.
        """
        encoded = _text(question, "question")
        k = _top_k(top_k)
        if vector is not None:
            if query_vector is not None:
                raise TypeError("pass query_vector or vector (its older name), not both")
            query_vector = vector
        if (category is None and query_vector is None and answer_threshold is None and ambiguity_margin is None
                and suggestion_floor is None and max_suggestions is None):
            handle = self._enter()
            try:
                return self._match_json_result(handle, encoded, k, "")
            finally:
                self._leave()
        lib = self._lib
        params, keep = self._match_params(k, category, query_vector, answer_threshold, ambiguity_margin,
                                          suggestion_floor, max_suggestions)
        result = ResultPointer()
        handle = self._enter()
        try:
            status = lib.cb_match_with_params(handle, encoded, ctypes.byref(params), ctypes.byref(result))
            if status:
                _raise_last(lib, status)
        finally:
            self._leave()
        del keep
        # A result outlives its engine, so it is read after the engine is released.
        try:
            return _read_result(lib, result)
        finally:
            lib.cb_result_free(result)

    def _match_params(self, k: int, category: Optional[str], query_vector: Optional[Sequence[float]],
                      answer_threshold: Optional[float], ambiguity_margin: Optional[float],
                      suggestion_floor: Optional[float], max_suggestions: Optional[int]) -> Any:
        """A `cb_match_params` from the defaults, and the objects it points to (to keep alive)."""
        encoded_category = None if category is None else _text(category, "category")
        floats, dimension = self._vector(query_vector)
        params = self._lib.cb_match_default_params()
        params.top_k = k
        params.category = encoded_category
        if floats is not None:
            params.query_vector = ctypes.cast(floats, ctypes.POINTER(ctypes.c_float))
        params.query_dim = dimension
        params.answer_threshold = _setting(answer_threshold, "answer_threshold")
        params.ambiguity_margin = _setting(ambiguity_margin, "ambiguity_margin")
        params.suggestion_floor = _setting(suggestion_floor, "suggestion_floor")
        params.max_suggestions = _max_suggestions(max_suggestions)
        return params, (encoded_category, floats)

    def _match_json_result(self, handle: Any, encoded: bytes, k: int, where: str) -> MatchResult:
        """One question through cb_match_json, as a MatchResult.

        Why JSON rather than the typed accessors: a typed result costs six ctypes calls
        per match (about 1 µs each), while json.loads builds every string in C in one
        pass; measured on the MASSIVE base (top-5), this halves the binding's overhead.
        Scores go through c_float so that they equal the typed accessors' exactly (the
        JSON holds the shortest text that round-trips to the float32), and item indices
        come from the engine's id list (ids are unique per item).
        """
        lib = self._lib
        generation = self._generation
        if generation & 1:  # a reload is running: no id cache to trust
            return self._match_typed(handle, encoded, k, where)
        cache = self._id_cache(handle)
        out = ctypes.c_void_p()
        status = lib.cb_match_json(handle, encoded, k, ctypes.byref(out))
        if status:
            message = lib.cb_last_error().decode("utf-8", "replace")
            raise error_for_status(status, where + message)
        parsed = _json(lib, out)
        if self._generation != generation or cache[0] != generation:
            # A reload ran during the call: the matches may come from either index, and
            # the cached ids from the other one. The typed result carries its own indices.
            return self._match_typed(handle, encoded, k, where)
        index_of = cache[2]
        float32 = ctypes.c_float
        matches = [Match(m["id"], float32(m["score"]).value, m["question"], m["answer"], m["category"], index_of[m["id"]])
                   for m in parsed["matches"]]
        suggested = [matches[i] for i in parsed["suggested"]]
        made = MatchResult(_DECISION_BY_NAME[parsed["decision"]], parsed["suggestions"], matches,
                           parse_messages(parsed["reply"]), suggested)
        made._reply_json = json.dumps(parsed["reply"], ensure_ascii=False, separators=(",", ":"))
        return made

    def _match_typed(self, handle: Any, encoded: bytes, k: int, where: str) -> MatchResult:
        """One question through the typed accessors (consistent whatever reloads do)."""
        lib = self._lib
        params = lib.cb_match_default_params()
        params.top_k = k
        result = ResultPointer()
        status = lib.cb_match_with_params(handle, encoded, ctypes.byref(params), ctypes.byref(result))
        if status:
            message = lib.cb_last_error().decode("utf-8", "replace")
            raise error_for_status(status, where + message)
        try:
            return _read_result(lib, result)
        finally:
            lib.cb_result_free(result)

    @staticmethod
    def _vector(vector: Optional[Sequence[float]]) -> Any:
        if vector is None:
            return None, 0
        if isinstance(vector, (str, bytes)):
            raise TypeError("vector must be a sequence of floats, not a string")
        try:
            values = [float(x) for x in vector]
        except TypeError:
            raise TypeError(f"vector must be a sequence of floats, not {type(vector).__name__}") from None
        except ValueError as error:
            raise TypeError(f"vector must be a sequence of floats: {error}") from None
        # An empty vector reaches the library, which rejects it with its own message.
        array = (ctypes.c_float * max(len(values), 1))(*values)
        return array, len(values)

    def match_batch(self, questions: Sequence[str], top_k: int = 5) -> List[MatchResult]:
        """`match` for each question, in order (the results equal single matches).
        Every question is checked before any is matched."""
        if isinstance(questions, (str, bytes)):
            raise TypeError("questions must be a sequence of str, not a single string")
        encoded = [_text(q, f"questions[{i}]") for i, q in enumerate(questions)]
        k = _top_k(top_k)
        handle = self._enter()
        try:
            return [self._match_json_result(handle, q, k, f"questions[{i}]: ") for i, q in enumerate(encoded)]
        finally:
            self._leave()

    def rank_batch(self, questions: Sequence[str], top_k: int = 5) -> List[Ranking]:
        """Ids, scores and decisions for many questions in one C call (`cb_match_batch`):
        the fastest way to match many questions; the GIL is released for the whole batch.
        Rankings hold fewer than top_k ids when fewer items matched."""
        if isinstance(questions, (str, bytes)):
            raise TypeError("questions must be a sequence of str, not a single string")
        encoded = [_text(q, f"questions[{i}]") for i, q in enumerate(questions)]
        k = _top_k(top_k)
        n = len(encoded)
        pointers = (ctypes.c_char_p * max(n, 1))(*encoded)
        indices = (ctypes.c_int32 * max(n * k, 1))()
        scores = (ctypes.c_float * max(n * k, 1))()
        decisions = (ctypes.c_int32 * max(n, 1))()
        lib = self._lib
        handle = self._enter()
        try:
            # The indices refer to the index that ran the batch: a batch that overlapped
            # a reload is run again, the last time with reloads held off.
            for attempt in range(4):
                generation = self._generation
                if attempt < 3 and generation & 1:
                    continue
                if attempt < 3:
                    ids = self._id_cache(handle)[1]
                    status = lib.cb_match_batch(handle, pointers, n, k, indices, scores, decisions)
                    if status:
                        _raise_last(lib, status)
                    cache = self._cache
                    if self._generation == generation and cache is not None and cache[0] == generation:
                        break
                else:
                    with self._guard.reading():
                        ids = self._id_cache(handle, guarded=True)[1]
                        status = lib.cb_match_batch(handle, pointers, n, k, indices, scores, decisions)
                        if status:
                            _raise_last(lib, status)
        finally:
            self._leave()
        all_indices = list(indices)
        all_scores = list(scores)
        rankings = []
        for i in range(n):
            row = all_indices[i * k:(i + 1) * k]
            count = next((j for j, index in enumerate(row) if index < 0), k)
            decision = decisions[i]
            if not 0 <= decision < len(DECISIONS):
                raise InternalError(f"unknown decision {decision}")
            rankings.append(Ranking(DECISIONS[decision], [ids[index] for index in row[:count]],
                                    all_scores[i * k:i * k + count]))
        return rankings

    def match_json(self, question: str, top_k: int = 5, category: Optional[str] = None,
                   query_vector: Optional[Sequence[float]] = None, answer_threshold: Optional[float] = None,
                   ambiguity_margin: Optional[float] = None, suggestion_floor: Optional[float] = None,
                   max_suggestions: Optional[int] = None) -> Dict[str, Any]:
        """The library's JSON form of `match`, parsed: {"decision", "suggestions",
        "matches", "suggested", "reply"}; the options are those of `match`."""
        encoded = _text(question, "question")
        k = _top_k(top_k)
        out = ctypes.c_void_p()
        if (category is None and query_vector is None and answer_threshold is None and ambiguity_margin is None
                and suggestion_floor is None and max_suggestions is None):
            self._call(self._lib.cb_match_json, encoded, k, ctypes.byref(out))
        else:
            params, keep = self._match_params(k, category, query_vector, answer_threshold, ambiguity_margin,
                                              suggestion_floor, max_suggestions)
            self._call(self._lib.cb_match_json_with_params, encoded, ctypes.byref(params), ctypes.byref(out))
            del keep
        parsed: Dict[str, Any] = _json(self._lib, out)
        return parsed

    # ---------------------------------------------------------------- analysis, saving

    def analyze(self, text: str) -> Dict[str, Any]:
        """How the engine reads `text`: {"tokens": [{"text", "start", "end", "kind",
        "stem", "term", "stop"}, …], "terms": [...]}; start/end are UTF-8 byte offsets."""
        encoded = _text(text, "text")
        out = ctypes.c_void_p()
        self._call(self._lib.cb_analyze_json, encoded, ctypes.byref(out))
        parsed: Dict[str, Any] = _json(self._lib, out)
        return parsed

    def verify(self) -> None:
        """Verifies the index's contents if that is still to do (an engine opened with
        `mapped=True`), so that the first question does not pay for it. Returns at once
        otherwise. Raises InvalidIndexError for a damaged file (every later match raises
        it too), ClosedEngineError."""
        self._call(self._lib.cb_engine_verify)

    def save(self, path: PathLike) -> None:
        """Writes the index to `path` atomically, for `Engine.open` later.
        Raises ChatbotIOError."""
        encoded = _path(path, "path")
        self._call(self._lib.cb_engine_save, encoded)


def export_template(source: PathLike, output: PathLike, overwrite: bool = False) -> None:
    """Writes a knowledge base — a compiled index, or any source `Engine.build` reads — as the
    Usine à chatbots template at `output`: a workbook for `.xlsx`, the template's CSV export
    for `.csv` (what `chatbot-cli export` writes). An existing `output` is replaced only with
    `overwrite=True`, and never when it is `source` itself or a compiled index.
    Raises InvalidArgumentError (another extension, an existing output, the input itself),
    InvalidSourceError, InvalidIndexError, ChatbotIOError."""
    lib = _library.library()
    status = lib.cb_export_template(_path(source, "source"), _path(output, "output"), 1 if overwrite else 0)
    if status:
        _raise_last(lib, status)


def version() -> str:
    """The version of the loaded libchatbot ("0.1.0")."""
    raw: bytes = _library.library().cb_version()
    return raw.decode("ascii")


def library_path() -> str:
    """Where libchatbot was loaded from."""
    return _library.library_path()

