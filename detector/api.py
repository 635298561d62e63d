"""The library API behind every CLI command: usable on its own, with no printing.

``Detector`` ties the rooms together for one store and one config: it
rebuilds the LSH catalog from stored signatures on first use (a restart
loses nothing), registers works, and checks pages through extract, match,
classify and store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any


from .checking import POOL_MIN_PAGES, Analysed, analyse_many
from .classify import classify
from .classify.rules import confirmed_over_canonical
from .config import Config
from .crawl import Fetcher
from .crawl.site import SiteReader
from .errors import InputError
from .extract import Page, extract_html, extract_text
from .inputs import Document, decode, expand, is_url, read_document, refuse_binary_html
from .match import Matcher
from .preparing import POOL_MIN_FILES, Prepared, prepare, prepare_many
from .store import MatchRecord, PageRecord, Store
from .store.catalog_file import load_catalog, prepare_catalog
from .store.frontier import save_snapshot
from .works import Overrides

__all__ = ["Detector", "RegisterSummary", "CheckResult", "match_json"]

Progress = Callable[[str], None]


@dataclass
class RegisterSummary:
    added: int = 0
    unchanged: int = 0
    updated: int = 0
    relabelled: int = 0
    failed: list[str] = field(default_factory=list)
    #: Inputs registered with a url that is only a path: a notice cannot name such an original in full.
    relative_urls: list[str] = field(default_factory=list)

    @property
    def processed(self) -> int:
        return self.added + self.unchanged + self.updated + self.relabelled


@dataclass(frozen=True)
class CheckResult:
    """One checked input: its page (None if it failed), stored matches, or the error.

    The page is kept detached from its parsed document, so its links and
    chrome counts are there only when the classifier read them (it had matches).
    """

    arg: str
    url: str | None
    page: Page | None
    matches: list[MatchRecord]
    error: str | None = None
    page_id: int | None = None


class Detector:
    """One store plus one config. Close it (or use ``with``) to release the database."""

    def __init__(self, config: Config, store: Store | None = None) -> None:
        self.config = config
        self._store = store
        self._matcher: Matcher | None = None
        self._fetcher: Fetcher | None = None

    @property
    def store(self) -> Store:
        """The store, opened on first use: commands that need none never create a file."""
        if self._store is None:
            self._store = Store.open(self.config.store.path, self.config.store.busy_timeout)
        return self._store

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()
        if self._store is not None:
            self._store.close()

    def __enter__(self) -> Detector:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = Fetcher(self.config)
        return self._fetcher

    @property
    def matcher(self) -> Matcher:
        """The matcher, its catalog loaded (or rebuilt from the stored signatures) on first use."""
        if self._matcher is None:
            catalog = load_catalog(self.store)
            self._matcher = Matcher(catalog, lambda wid: self.store.work(wid).text, self.config.match)
        return self._matcher

    def prepare_catalog(self) -> bool:
        """Save the catalog next to the store now when it is large (see :mod:`detector.store.catalog_file`),
        so that the next process starts matching at once; True when a saved catalog is there."""
        return prepare_catalog(self.store)

    def _document(self, arg: str) -> Document:
        return read_document(arg, self.config, self.fetcher if is_url(arg) else None)

    def site_reader(self) -> SiteReader:
        """A reader of the author's own site: its sitemaps and feeds list the posts to register
        (:meth:`SiteReader.list_posts`), and handed to :meth:`register` it fetches them under robots.txt and
        the per-host delay."""
        return SiteReader(self.config, self.fetcher)

    def register(self, args: Iterable[str], overrides: Overrides = Overrides(),
                 progress: Progress | None = None, workers: int = 1, site: SiteReader | None = None) -> RegisterSummary:
        """Register every document under ``args``; failures are collected, not raised.

        With ``workers`` > 1 and at least :data:`~detector.preparing.POOL_MIN_FILES`
        local files, reading and fingerprinting run in that many processes; the
        works are still stored here, one transaction each, in input order. With
        ``site``, URLs are fetched through it, politely, as a crawl fetches.
        """
        summary = RegisterSummary()
        claimed: dict[str, tuple[str, str]] = {}  # URL -> (text sha256, input) of the posts registered in this run
        for prepared in self._prepared(list(expand(list(args))), overrides, workers, site):
            work = prepared.work
            first = claimed.setdefault(work.key, (work.sha256, prepared.arg)) if work and work.url else None
            if work is None:
                summary.failed.append(prepared.error or f"{prepared.arg}: not registered")
            elif first is not None and first[0] != work.sha256:
                # two posts under one URL is a copied front matter, not an edit: the second would retire the first
                summary.failed.append(f"{prepared.arg}: its URL {work.url} is also the URL of {first[1]}, whose text"
                                      " differs; a URL names one post (give this one its own url)")
            else:
                if work.url and not is_url(work.url):
                    summary.relative_urls.append(prepared.arg)
                outcome = self.store.add_work(work, list(prepared.signatures))
                setattr(summary, outcome.status, getattr(summary, outcome.status) + 1)
                if outcome.status in ("added", "updated") and self._matcher is not None:
                    kinds = {s.kind: s.hashvalues for s in prepared.signatures}
                    self._matcher.add(outcome.work_id, kinds["word3"], kinds["skeleton3"], outcome.replaced)
            if progress:
                progress(prepared.arg)
        return summary

    def _prepared(self, targets: list[str], overrides: Overrides, workers: int,
                  site: SiteReader | None = None) -> Iterator[Prepared]:
        """Each target prepared, in order: URLs here (the fetcher keeps its pacing), files maybe in a pool."""
        files = [t for t in targets if not is_url(t)]
        pooled = prepare_many(files, self.config, overrides, workers) if (
            workers > 1 and len(files) >= POOL_MIN_FILES) else None
        for target in targets:
            if is_url(target):
                yield prepare(target, self.config, overrides, site or self.fetcher)
            else:
                yield next(pooled) if pooled is not None else prepare(target, self.config, overrides)

    def extract(self, arg: str) -> tuple[Document, Page]:
        """The page the matcher sees for one input."""
        document = self._document(arg)
        if document.kind == "html":
            refuse_binary_html(document)
            return document, extract_html(document.data, url=document.url)
        return document, extract_text(decode(document))

    def extract_to_check(self, arg: str) -> tuple[Document, Page]:
        """:meth:`extract`, refusing a page with no text at all.

        Nothing can be found in such a page, and a quiet "0 matches" would hide
        the usual cause: a page whose text a browser builds with JavaScript, of
        which the fetched HTML holds only the empty frame.
        """
        document, page = self.extract(arg)
        if not page.text.strip():
            raise InputError(f"{arg}: no text found in the page (if a browser shows text there, save the page "
                             "from the browser and check the saved file)")
        return document, page

    def analyse(self, key: str, page: Page, url: str | None,
                final_url: str | None = None) -> tuple[PageRecord, list[MatchRecord]]:
        """Match and classify one extracted page, storing nothing: the page record and its matches."""
        records = []
        for found in self.matcher.match(page.text):
            work = self.store.work(found.work_id)
            records.append(classify(found, page, final_url or url or key, work, self.config))
        record = PageRecord(key=key, text=page.text, url=url, final_url=final_url, title=page.title,
                            byline=page.byline, canonical=page.canonical, published=page.published)
        return record, records

    def check_page(self, key: str, page: Page, url: str | None, final_url: str | None = None) -> tuple[int, list[MatchRecord]]:
        """Match, classify and store one extracted page; returns the page id and its matches."""
        return self._store_page(*self.analyse(key, page, url, final_url))

    def _store_page(self, record: PageRecord, records: list[MatchRecord]) -> tuple[int, list[MatchRecord]]:
        page_id = self.store.save_page(record, records)
        stored = [m for m, _ in self.store.matches(page_id=page_id) if m.gone_since is None]
        return page_id, stored

    def check(self, args: Iterable[str], progress: Progress | None = None, workers: int = 1) -> list[CheckResult]:
        """Check every input; one result per input (per page file for a folder), in input order.

        With ``workers`` > 1 and at least :data:`~detector.checking.POOL_MIN_PAGES`
        local files, extracting, matching and classifying run in that many
        processes; every page is still stored here, in input order.
        """
        results: list[CheckResult] = []
        args = list(expand(list(args)))  # a folder stands for the pages in it, as for register
        files = [a for a in args if not is_url(a)]
        pooled = None
        if workers > 1 and len(files) >= POOL_MIN_PAGES:
            self.prepare_catalog()  # saved once, mapped by every worker
            pooled = analyse_many(files, self.config, workers)
        for arg in args:
            try:
                if pooled is not None and not is_url(arg):
                    results.append(self._stored(next(pooled)))
                else:
                    results.append(self._check_one(arg))
            except InputError as error:
                results.append(CheckResult(arg, arg if is_url(arg) else None, None, [], str(error)))
            if progress:
                progress(arg)
        return results

    def _check_one(self, arg: str) -> CheckResult:
        document, page = self.extract_to_check(arg)
        with self.store.transaction() as db:
            page_id, matches = self.check_page(document.key, page, document.url,
                                               document.fetched.final_url if document.fetched else None)
            if document.fetched is not None:  # the archived answer is the takedown evidence
                save_snapshot(db, document.fetched, None, page_id)
        return CheckResult(arg, document.url, page.detached(), matches, page_id=page_id)

    def _stored(self, analysed: Analysed) -> CheckResult:
        """Store a page a worker analysed, as ``_check_one`` stores its own."""
        if analysed.record is None or analysed.page is None:
            raise InputError(analysed.error or f"{analysed.arg}: not checked")
        with self.store.transaction():
            page_id, matches = self._store_page(analysed.record, analysed.matches)
        return CheckResult(analysed.arg, analysed.record.url, analysed.page, matches, page_id=page_id)

    def match_rows(self, state: str | None = None) -> list[dict[str, Any]]:
        """Stored matches as JSON-ready MATCH objects."""
        return [match_json(m, row) for m, row in self.store.matches(state=state)]


def match_json(match: MatchRecord, row: dict[str, Any]) -> dict[str, Any]:
    """The MATCH object of the JSON contract (stable: fields may be added, never renamed).

    A match the author confirmed although its canonical link names the original is a takedown, as the report
    treats it (:func:`~detector.classify.rules.confirmed_over_canonical`).
    """
    overruled = confirmed_over_canonical(match.state, match.takedown, match.extent, match.reasons)
    return {
        "id": match.id,
        "page_url": row.get("page_url") or row.get("page_key"),
        "work_url": row.get("work_url") or row.get("work_key"),
        "work_title": row.get("work_title"),
        "extent": match.extent,
        "coverage": match.coverage,
        "similarity": match.similarity,
        "copied_words": match.copied_words,
        "chrome": match.chrome,
        "chrome_score": match.chrome_score,
        "spun": match.spun,
        "spun_score": match.spun_score,
        "authorized": match.authorized and not overruled,
        "takedown": match.takedown or overruled,
        "reasons": match.reasons,
        "passages": match.passages,
        "state": match.state,
        "page_changed": match.page_changed,
        "first_seen": match.first_seen,
        "last_seen": match.last_seen,
        "gone_since": match.gone_since,
    }
