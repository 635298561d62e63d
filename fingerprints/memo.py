"""A bounded cache for per-word functions, applied to a whole token list at C speed.

``functools.lru_cache`` costs a Python-level call per word; a text of 2,000
words is folded, hashed and classified word by word, and most of those words
were seen before. Here a hit is one ``dict.get`` inside ``map``, and only the
misses run Python code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Generic, TypeVar

__all__ = ["Memo", "positions"]

K = TypeVar("K")
V = TypeVar("V")


def positions(items: list[Any], value: Any) -> Iterator[int]:
    """The indices where ``value`` sits in ``items``, in order, found by C-level search.

    For a value that is rare in a long list (the misses of a cache, the sentence
    ends among a page's words): a Python loop over every item costs far more.
    Items at indices already yielded may be replaced while iterating.
    """
    index = -1
    while True:
        try:
            index = items.index(value, index + 1)
        except ValueError:
            return
        yield index


class Memo(Generic[K, V]):
    """``func`` over many keys, remembering up to ``limit`` results (then starting afresh).

    ``func`` must never return None: None marks a miss.
    """

    __slots__ = ("_func", "_cache", "_limit")

    def __init__(self, func: Callable[[K], V], limit: int = 1 << 17) -> None:
        self._func = func
        self._cache: dict[K, V] = {}
        self._limit = limit

    def __call__(self, key: K) -> V:
        value = self._cache.get(key)
        if value is None:
            value = self._remember(key)
        return value

    def map(self, keys: Sequence[K] | Iterable[K]) -> list[V]:
        """``[func(k) for k in keys]``, with cached values."""
        keys = keys if isinstance(keys, Sequence) else list(keys)
        values: list[V | None] = list(map(self._cache.get, keys))
        for index in positions(values, None):  # the misses
            values[index] = self._remember(keys[index])
        return values  # type: ignore[return-value]  # every None was filled

    def _remember(self, key: K) -> V:
        value = self._func(key)
        if len(self._cache) >= self._limit:
            self._cache.clear()  # a simple bound: a crawl's vocabulary settles again quickly
        self._cache[key] = value
        return value
