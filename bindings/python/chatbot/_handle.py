"""The lifetime of a C handle shared by threads (engines, anonymisers, question logs)."""

from __future__ import annotations

import threading
from typing import Any, Type


class SharedHandle:
    """A C handle that threads may use at once: each call counts itself in (`_enter`) and
    out (`_leave`) under a small lock, never held during the C call; `close()` marks the
    handle closed and the last call still running frees it. Subclasses name their free
    function and the error raised after `close()`."""

    __slots__ = ()  # subclasses choose their own (Engine uses slots)

    _free_function: str = ""
    _closed_error: Type[Exception] = Exception
    _closed_message: str = "closed"

    def _adopt(self, lib: Any, handle: Any) -> None:
        self._lib = lib
        self._handle = handle
        self._lock = threading.Lock()
        self._users = 0
        self._closing = False

    def _free(self, handle: Any) -> None:
        getattr(self._lib, self._free_function)(handle)

    def _enter(self) -> Any:
        with self._lock:
            if self._closing:
                raise self._closed_error(self._closed_message)
            self._users += 1
            return self._handle

    def _leave(self) -> None:
        with self._lock:
            self._users -= 1
            if not (self._closing and self._users == 0 and self._handle is not None):
                return
            handle, self._handle = self._handle, None
        self._free(handle)

    def close(self) -> None:
        """Releases the handle. Idempotent; calls running on other threads finish first."""
        with self._lock:
            if self._closing:
                return
            self._closing = True
            if self._users > 0:
                return  # the last running call frees it (see _leave)
            handle, self._handle = self._handle, None
        self._free(handle)

    @property
    def closed(self) -> bool:
        """True once `close()` was called."""
        return self._closing

    def __enter__(self) -> Any:
        if self._closing:
            raise self._closed_error(self._closed_message)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __del__(self) -> None:
        # Only reached when no call is running (a running call holds a reference).
        handle = getattr(self, "_handle", None)
        if handle is not None and not getattr(self, "_closing", True):
            self._handle = None
            self._free(handle)
