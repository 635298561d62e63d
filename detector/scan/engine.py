"""The per-record work of a scan, the same in a local process and in a Spark task.

A :class:`Scanner` holds a matcher over the registered works and turns one
archived page into a :class:`Hit` (the page with its classified matches) or
None. It is built either from the store (:meth:`Scanner.from_store`, each
local worker process) or from a :class:`Bundle` of the works' texts and
signatures (:meth:`Scanner.from_bundle`, what Spark broadcasts once).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from fingerprints import Catalog

from ..classify import classify
from ..config import Config
from ..extract import extract_text, parse_html
from ..extract.html import main_text, page_of
from ..match import Matcher
from ..store import MatchRecord, PageRecord, Store, StoredWork
from .warc import ArchivedPage

__all__ = ["Hit", "Scanner", "Bundle", "catalog_from"]


@dataclass(frozen=True)
class Hit:
    """An archived page that copies at least one registered work, with its classified matches."""

    capture: ArchivedPage
    page: PageRecord
    matches: tuple[MatchRecord, ...]
    work_sha256: tuple[str, ...]  # per match: the work's text digest, to find it in another store


@dataclass(frozen=True)
class Bundle:
    """Everything a remote task needs to match: the active works and their block signatures."""

    config: Config
    works: tuple[StoredWork, ...]
    word_signatures: tuple[np.ndarray, ...]
    skeleton_signatures: tuple[np.ndarray, ...]

    @classmethod
    def from_store(cls, store: Store, config: Config) -> Bundle:
        signatures: dict[int, dict[str, np.ndarray]] = {}
        for work_id, record in store.signatures():
            signatures.setdefault(work_id, {})[record.kind] = record.hashvalues
        works = tuple(w for w in store.works() if len(signatures.get(w.id, {})) == 2)
        return cls(config, works, tuple(signatures[w.id]["word3"] for w in works),
                   tuple(signatures[w.id]["skeleton3"] for w in works))

    def nbytes(self) -> int:
        """Memory of the texts and signatures shipped to every task."""
        text = sum(len(w.text.encode("utf-8")) for w in self.works)
        return text + sum(a.nbytes for a in self.word_signatures) + sum(a.nbytes for a in self.skeleton_signatures)


def catalog_from(bundle: Bundle) -> Catalog:
    catalog = Catalog()
    for work, words, skeletons in zip(bundle.works, bundle.word_signatures, bundle.skeleton_signatures):
        catalog.add(work.id, words, skeletons)
    return catalog


class Scanner:
    """Match and classify archived pages against one set of registered works."""

    def __init__(self, matcher: Matcher, work: Callable[[int], StoredWork], config: Config) -> None:
        self.matcher = matcher
        self.work = work
        self.config = config

    @classmethod
    def from_store(cls, store: Store, matcher: Matcher, config: Config) -> Scanner:
        return cls(matcher, store.work, config)

    @classmethod
    def from_bundle(cls, bundle: Bundle) -> Scanner:
        works = {w.id: w for w in bundle.works}
        matcher = Matcher(catalog_from(bundle), lambda wid: works[wid].text, bundle.config.match)
        return cls(matcher, works.__getitem__, bundle.config)

    def scan(self, capture: ArchivedPage) -> Hit | None:
        """The page's matches, classified as ``check`` and ``crawl`` classify them; None when it copies nothing.

        Most archived pages copy nothing, so an HTML page is first matched on its
        main text alone (the same text :func:`extract_html` gives); the page's
        metadata is read, from the same parsed document, only when there is a
        match to classify.
        """
        if capture.is_html:
            tree = parse_html(capture.body)
            text = main_text(tree)
            found = self.matcher.match(text)
            if not found:
                return None
            page = page_of(tree, capture.uri, text)
        else:
            page = extract_text(capture.body.decode("utf-8", errors="replace"))
            found = self.matcher.match(page.text)
            if not found:
                return None
        works = [self.work(f.work_id) for f in found]
        matches = tuple(classify(f, page, capture.uri, w, self.config) for f, w in zip(found, works))
        record = PageRecord(key=capture.uri, text=page.text, url=capture.uri, final_url=capture.uri,
                            title=page.title, byline=page.byline, canonical=page.canonical,
                            published=page.published)
        return Hit(capture, record, matches, tuple(w.sha256 for w in works))
