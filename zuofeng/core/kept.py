"""A per-process keep of the most recently used values by key: drawn pieces of pages (core/pieces.py,
the navbar) and queries compiled per key (core/compiled.CompiledPerKey).

Locked, for servers that answer from threads (runserver, the browser tests' live server); an
uncontended lock costs far less than what is kept.
"""

import threading
from collections import OrderedDict
from collections.abc import Hashable


class Kept:
    """The `keep` most recently used values, by key; the least recently used goes first."""

    def __init__(self, keep: int):
        self.keep = keep
        self._values: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._values)

    def keys(self) -> list[Hashable]:
        """Least recently used first."""
        with self._lock:
            return list(self._values)

    def get(self, key: Hashable):
        """The value kept under `key` (now the most recently used), or None."""
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key: Hashable, value) -> None:
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            if len(self._values) > self.keep:
                self._values.popitem(last=False)
