"""detector/crawl: the only room that speaks HTTP."""

from .fetch import Fetched, Fetcher

__all__ = ["Fetched", "Fetcher"]
