"""Finding, loading and declaring libchatbot.so (the C interface of `Include/chatbot.h`).

The library is loaded on first use rather than at import, so that `import chatbot` works
(and reports a clear error later) on a machine where the library is not installed yet.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import threading
from pathlib import Path
from typing import List, Mapping, Optional, Tuple

from .errors import InvalidArgumentError, LibraryNotFoundError

#: Environment variable naming the library file to load; when set, nothing else is tried.
LIBRARY_ENV = "CHATBOT_LIBRARY"
#: The C interface version this binding is written against (`CB_ABI_VERSION`).
ABI_VERSION = 1
#: Largest `top_k` the library accepts (`CB_MAX_TOP_K`).
MAX_TOP_K = 1000

#: Ranges of the C integer types integers are passed as. ctypes converts a Python int to
#: them modulo 2**bits without a word (`item_id(2**64 + 5)` would read item 5), so every
#: integer argument is checked against its type's range first (`c_integer`).
SIZE_MAX = 2 ** (8 * ctypes.sizeof(ctypes.c_size_t)) - 1
UINT32_MAX = 2**32 - 1
INT32_MIN, INT32_MAX = -2**31, 2**31 - 1
INT64_MIN, INT64_MAX = -2**63, 2**63 - 1


def c_integer(value: int, what: str, low: int, high: int) -> int:
    """`value` when low <= value <= high (the caller has checked it is an int); otherwise
    InvalidArgumentError naming the range, rather than a value wrapped around by ctypes."""
    if not low <= value <= high:
        raise InvalidArgumentError(f"{what} must be between {low} and {high}, got {value}")
    return value

_PACKAGE_DIR = Path(__file__).resolve().parent


class _Engine(ctypes.Structure):
    """Opaque `cb_engine`."""


class _Result(ctypes.Structure):
    """Opaque `cb_result`."""


class _Diagnostics(ctypes.Structure):
    """Opaque `cb_diagnostics`."""


class _Anonymizer(ctypes.Structure):
    """Opaque `cb_anonymizer`."""


class _Log(ctypes.Structure):
    """Opaque `cb_log`."""


EnginePointer = ctypes.POINTER(_Engine)
ResultPointer = ctypes.POINTER(_Result)
DiagnosticsPointer = ctypes.POINTER(_Diagnostics)
AnonymizerPointer = ctypes.POINTER(_Anonymizer)
LogPointer = ctypes.POINTER(_Log)

# Room left after the known fields of an option struct returned by value. The structs
# are larger than 16 bytes, so on x86-64 and AArch64 they come back through a buffer the
# caller provides: a newer library whose struct grew (its `size` tells) writes its extra
# fields, with their defaults, into this room instead of past the buffer, and the whole
# struct, unknown fields included, is passed back to cb_*_with_params unchanged.
_RESERVED = 256


class BuildParams(ctypes.Structure):
    """`cb_build_params` (start from `cb_build_default_params()`; never change `size`)."""

    _fields_ = [
        ("size", ctypes.c_uint32),
        ("small_talk", ctypes.c_int32),
        ("synonyms_path", ctypes.c_char_p),
        ("learn", ctypes.c_int32),
        ("answer_threshold", ctypes.c_float),
        ("ambiguity_margin", ctypes.c_float),
        ("suggestion_floor", ctypes.c_float),
        ("max_suggestions", ctypes.c_int32),
        ("word_vectors_path", ctypes.c_char_p),
        ("embedding_scale", ctypes.c_float),
        ("_reserved", ctypes.c_char * _RESERVED),
    ]


class MatchParams(ctypes.Structure):
    """`cb_match_params` (start from `cb_match_default_params()`; never change `size`)."""

    _fields_ = [
        ("size", ctypes.c_uint32),
        ("max_suggestions", ctypes.c_int32),
        ("top_k", ctypes.c_size_t),
        ("category", ctypes.c_char_p),
        ("query_vector", ctypes.POINTER(ctypes.c_float)),
        ("query_dim", ctypes.c_size_t),
        ("answer_threshold", ctypes.c_float),
        ("ambiguity_margin", ctypes.c_float),
        ("suggestion_floor", ctypes.c_float),
        ("_reserved", ctypes.c_char * _RESERVED),
    ]


class OpenParams(ctypes.Structure):
    """`cb_open_params` (start from `cb_open_default_params()`; never change `size`)."""

    _fields_ = [
        ("size", ctypes.c_uint32),
        ("mode", ctypes.c_int32),
        ("reserved", ctypes.c_uint64 * 3),
        ("_reserved", ctypes.c_char * _RESERVED),
    ]


OPEN_COPY = 0
OPEN_MAP = 1


class AnonymizerParams(ctypes.Structure):
    """`cb_anonymizer_params` (start from `cb_anonymizer_default_params()`; never change `size`)."""

    _fields_ = [
        ("size", ctypes.c_uint32),
        ("pattern_count", ctypes.c_uint32),
        ("pattern_names", ctypes.POINTER(ctypes.c_char_p)),
        ("patterns", ctypes.POINTER(ctypes.c_char_p)),
        ("_reserved", ctypes.c_char * _RESERVED),
    ]


class LogParams(ctypes.Structure):
    """`cb_log_params` (start from `cb_log_default_params()`; never change `size`)."""

    _fields_ = [
        ("size", ctypes.c_uint32),
        ("read_only", ctypes.c_int32),
        ("queue_capacity", ctypes.c_size_t),
        ("max_matches", ctypes.c_uint32),
        ("_reserved", ctypes.c_char * _RESERVED),
    ]


class LogRecordParams(ctypes.Structure):
    """`cb_log_record_params` (start from `cb_log_default_record_params()`)."""

    _fields_ = [
        ("size", ctypes.c_uint32),
        ("kind", ctypes.c_int),
        ("conversation", ctypes.c_char_p),
        ("channel", ctypes.c_char_p),
        ("latency_us", ctypes.c_int64),
        ("kb_version", ctypes.c_char_p),
        ("time_ms", ctypes.c_int64),
        ("id_out", ctypes.POINTER(ctypes.c_int64)),
        ("_reserved", ctypes.c_char * _RESERVED),
    ]


class StatsParams(ctypes.Structure):
    """`cb_stats_params` (start from `cb_stats_default_params()`)."""

    _fields_ = [
        ("size", ctypes.c_uint32),
        ("by_week", ctypes.c_int32),
        ("since_ms", ctypes.c_int64),
        ("until_ms", ctypes.c_int64),
        ("engine", EnginePointer),
        ("top", ctypes.c_uint32),
        ("_reserved", ctypes.c_char * _RESERVED),
    ]


def known_size(struct: type) -> int:
    """sizeof() of the C struct this binding knows (without the reserved room, with the
    tail padding a C compiler adds)."""
    offset: int = struct._reserved.offset  # type: ignore[attr-defined]
    align = ctypes.alignment(struct)
    return (offset + align - 1) // align * align

_c_size = ctypes.c_size_t
_c_int32 = ctypes.c_int32
_c_status = ctypes.c_int  # a C enum is an int on every ABI we run on
_c_str = ctypes.c_char_p
_out_str = ctypes.POINTER(ctypes.c_char_p)

# name -> (restype, argtypes). Every function of chatbot.h, so that a library missing one
# of them is rejected at load time instead of failing in the middle of a program.
_PROTOTYPES = {
    "cb_version": (_c_str, []),
    "cb_abi_version": (ctypes.c_int, []),
    "cb_status_string": (_c_str, [_c_status]),
    "cb_decision_string": (_c_str, [ctypes.c_int]),
    "cb_last_error": (_c_str, []),
    "cb_engine_open": (_c_status, [_c_str, ctypes.POINTER(EnginePointer)]),
    "cb_engine_open_memory": (_c_status, [ctypes.c_void_p, _c_size, ctypes.POINTER(EnginePointer)]),
    "cb_open_default_params": (OpenParams, []),
    "cb_engine_open_with_params": (_c_status, [_c_str, ctypes.POINTER(OpenParams), ctypes.POINTER(EnginePointer)]),
    "cb_engine_verify": (_c_status, [EnginePointer]),
    "cb_engine_build": (_c_status, [_c_str, _c_str, ctypes.POINTER(EnginePointer)]),
    "cb_engine_save": (_c_status, [EnginePointer, _c_str]),
    "cb_engine_reload": (_c_status, [EnginePointer, _c_str]),
    "cb_engine_free": (None, [EnginePointer]),
    "cb_engine_item_count": (_c_status, [EnginePointer, ctypes.POINTER(_c_size)]),
    "cb_engine_item_id": (_c_status, [EnginePointer, _c_size, _out_str]),
    "cb_engine_embedding_dimension": (_c_status, [EnginePointer, ctypes.POINTER(_c_size)]),
    "cb_engine_item_json": (_c_status, [EnginePointer, _c_str, ctypes.POINTER(ctypes.c_void_p)]),
    "cb_build_default_params": (BuildParams, []),
    "cb_engine_build_with_params": (_c_status, [_c_str, ctypes.POINTER(BuildParams), ctypes.POINTER(EnginePointer),
                                                ctypes.POINTER(DiagnosticsPointer)]),
    "cb_diagnostics_count": (_c_size, [DiagnosticsPointer]),
    "cb_diagnostic_severity": (ctypes.c_int, [DiagnosticsPointer, _c_size]),
    "cb_diagnostic_row": (ctypes.c_int64, [DiagnosticsPointer, _c_size]),
    "cb_diagnostic_column": (_c_str, [DiagnosticsPointer, _c_size]),
    "cb_diagnostic_code": (_c_str, [DiagnosticsPointer, _c_size]),
    "cb_diagnostic_message": (_c_str, [DiagnosticsPointer, _c_size]),
    "cb_diagnostics_json": (_c_status, [DiagnosticsPointer, ctypes.POINTER(ctypes.c_void_p)]),
    "cb_diagnostics_free": (None, [DiagnosticsPointer]),
    "cb_match_default_params": (MatchParams, []),
    "cb_match_with_params": (_c_status, [EnginePointer, _c_str, ctypes.POINTER(MatchParams),
                                         ctypes.POINTER(ResultPointer)]),
    "cb_match_json_with_params": (_c_status, [EnginePointer, _c_str, ctypes.POINTER(MatchParams),
                                              ctypes.POINTER(ctypes.c_void_p)]),
    "cb_match": (_c_status, [EnginePointer, _c_str, _c_size, ctypes.POINTER(ResultPointer)]),
    "cb_match_ex": (_c_status, [EnginePointer, _c_str, _c_size, _c_str, ctypes.POINTER(ctypes.c_float), _c_size,
                                ctypes.POINTER(ResultPointer)]),
    # The JSON strings must be freed with cb_string_free, so they come back as raw
    # pointers (c_void_p), not as c_char_p, which ctypes would copy and lose.
    "cb_match_json": (_c_status, [EnginePointer, _c_str, _c_size, ctypes.POINTER(ctypes.c_void_p)]),
    "cb_match_batch": (_c_status, [EnginePointer, ctypes.POINTER(_c_str), _c_size, _c_size,
                                   ctypes.POINTER(_c_int32), ctypes.POINTER(ctypes.c_float), ctypes.POINTER(_c_int32)]),
    "cb_result_count": (_c_size, [ResultPointer]),
    "cb_result_decision": (ctypes.c_int, [ResultPointer]),
    "cb_result_suggestion_count": (_c_size, [ResultPointer]),
    "cb_result_suggestion": (_c_int32, [ResultPointer, _c_size]),
    "cb_result_reply": (_c_str, [ResultPointer]),
    "cb_result_id": (_c_str, [ResultPointer, _c_size]),
    "cb_result_item_index": (_c_int32, [ResultPointer, _c_size]),
    "cb_result_score": (ctypes.c_float, [ResultPointer, _c_size]),
    "cb_result_question": (_c_str, [ResultPointer, _c_size]),
    "cb_result_answer": (_c_str, [ResultPointer, _c_size]),
    "cb_result_category": (_c_str, [ResultPointer, _c_size]),
    "cb_result_free": (None, [ResultPointer]),
    "cb_anonymizer_default_params": (AnonymizerParams, []),
    "cb_anonymizer_new": (_c_status, [ctypes.POINTER(AnonymizerParams), ctypes.POINTER(AnonymizerPointer)]),
    "cb_anonymize": (_c_status, [AnonymizerPointer, _c_str, ctypes.POINTER(ctypes.c_void_p)]),
    "cb_anonymize_json": (_c_status, [AnonymizerPointer, _c_str, ctypes.POINTER(ctypes.c_void_p)]),
    "cb_anonymizer_free": (None, [AnonymizerPointer]),
    "cb_log_default_params": (LogParams, []),
    "cb_log_default_record_params": (LogRecordParams, []),
    "cb_stats_default_params": (StatsParams, []),
    "cb_log_open": (_c_status, [_c_str, ctypes.POINTER(LogParams), ctypes.POINTER(LogPointer)]),
    "cb_log_free": (None, [LogPointer]),
    "cb_log_record": (_c_status, [LogPointer, _c_str, ResultPointer, ctypes.POINTER(LogRecordParams)]),
    "cb_log_record_json": (_c_status, [LogPointer, _c_str, _c_str, ctypes.POINTER(LogRecordParams)]),
    "cb_log_flush": (_c_status, [LogPointer]),
    "cb_log_dropped": (_c_status, [LogPointer, ctypes.POINTER(_c_size)]),
    "cb_log_feedback": (_c_status, [LogPointer, ctypes.c_int64, ctypes.c_int]),
    "cb_log_review": (_c_status, [LogPointer, ctypes.c_int64, ctypes.c_int, _c_str]),
    "cb_log_stats_json": (_c_status, [LogPointer, ctypes.POINTER(StatsParams), ctypes.POINTER(ctypes.c_void_p)]),
    "cb_log_inbox_json": (_c_status, [LogPointer, _c_str, _c_size, ctypes.POINTER(ctypes.c_void_p)]),
    "cb_log_purge": (_c_status, [LogPointer, ctypes.c_int, ctypes.POINTER(_c_size)]),
    "cb_log_apply": (_c_status, [LogPointer, _c_str, _c_str, ctypes.POINTER(ctypes.c_void_p)]),
    "cb_export_template": (_c_status, [_c_str, _c_str, ctypes.c_int]),
    "cb_analyze_json": (_c_status, [EnginePointer, _c_str, ctypes.POINTER(ctypes.c_void_p)]),
    "cb_string_free": (None, [ctypes.c_void_p]),
}


def candidates(environ: Mapping[str, str], package_dir: Path) -> List[Tuple[str, str]]:
    """The places to try, in order, as (description, path or name) pairs: `CHATBOT_LIBRARY`;
    the package folder (the copy a wheel built by `build_wheel.sh` carries, whose RPATH finds
    the libraries vendored in `libchatbot.libs/`); `ctypes.util.find_library`; the soname.

    `CHATBOT_LIBRARY` wins alone: a user who names a file wants that file, and silently
    falling back to another copy would hide the mistake.
    """
    explicit = environ.get(LIBRARY_ENV)
    if explicit:
        return [(f"${LIBRARY_ENV}", explicit)]
    places = [("package folder", str(package_dir / "libchatbot.so"))]
    found = ctypes.util.find_library("chatbot")
    if found:
        places.append(("ctypes.util.find_library('chatbot')", found))
    places.append(("system loader", "libchatbot.so.0"))
    return places


def load(environ: Optional[Mapping[str, str]] = None, package_dir: Optional[Path] = None) -> Tuple[ctypes.CDLL, str]:
    """Loads the first usable library among `candidates` and declares its functions.

    Returns the library and the path or name it was loaded from. Raises
    `LibraryNotFoundError` listing every place tried and why each failed.
    """
    environ = os.environ if environ is None else environ
    package_dir = _PACKAGE_DIR if package_dir is None else package_dir
    failures = []
    for description, target in candidates(environ, package_dir):
        if os.sep in target and not os.path.exists(target):
            failures.append(f"{description}: {target}: no such file")
            continue
        try:
            lib = ctypes.CDLL(target)
        except OSError as error:
            failures.append(f"{description}: {error}")
            continue
        problem = _declare(lib)
        if problem is not None:
            failures.append(f"{description}: {target}: {problem}")
            continue
        return lib, target
    raise LibraryNotFoundError("libchatbot could not be loaded; tried, in order:\n  " + "\n  ".join(failures)
                               + "\nInstall the wheel `make wheel` builds (it carries the library), or build it with"
                               + f" `make lib` and set {LIBRARY_ENV} to .build/release/libchatbot.so, or `make install`.")


def _declare(lib: ctypes.CDLL) -> Optional[str]:
    """Sets every prototype; returns why the library is unusable, or None."""
    for name, (restype, argtypes) in _PROTOTYPES.items():
        try:
            function = getattr(lib, name)
        except AttributeError:
            return f"not libchatbot (no symbol {name})"
        function.restype = restype
        function.argtypes = argtypes
    abi = lib.cb_abi_version()
    if abi != ABI_VERSION:
        return f"C interface version {abi}, this binding needs {ABI_VERSION}"
    for name, struct in (("cb_build_default_params", BuildParams), ("cb_match_default_params", MatchParams),
                         ("cb_open_default_params", OpenParams),
                         ("cb_anonymizer_default_params", AnonymizerParams), ("cb_log_default_params", LogParams),
                         ("cb_log_default_record_params", LogRecordParams), ("cb_stats_default_params", StatsParams)):
        size = getattr(lib, name)().size
        if not known_size(struct) <= size <= ctypes.sizeof(struct):
            return f"{name}() gives a struct of {size} bytes, this binding needs {known_size(struct)}"
    return None


_lock = threading.Lock()
_loaded: Optional[ctypes.CDLL] = None
_loaded_from: Optional[str] = None


def library() -> ctypes.CDLL:
    """The process-wide library, loaded on first call (thread-safe)."""
    global _loaded, _loaded_from
    lib = _loaded
    if lib is not None:
        return lib
    with _lock:
        if _loaded is None:
            _loaded, _loaded_from = load()
        return _loaded


def library_path() -> str:
    """Where the library was loaded from (loads it if needed)."""
    library()
    assert _loaded_from is not None
    return _loaded_from
