"""detector/crawl: the only room that speaks HTTP.

Sources become frontier entries in the store; fetch threads take them host
by host under robots.txt and per-host delays; the main thread matches and
stores each page. :class:`Crawler` runs one crawl; :class:`Fetcher` fetches
one URL (``check`` and ``register`` use it for URLs too).
"""

from .fetch import Fetched, Fetcher

__all__ = ["Fetched", "Fetcher"]
