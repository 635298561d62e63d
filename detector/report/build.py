"""Which matches go into which report: selection, one report per host, at most 250 URLs per report.

An abuse desk acts per host, and Cloudflare's form takes at most 250 URLs,
all on one host name, so a report is exactly one such batch. Dismissed
matches, and matches whose copy was gone from the page when it was last
checked, are never reported. Quotations and authorized copies (no takedown
recommended) are reported only when named by id, and then marked as not
recommended, so a notice is never sent for them by accident.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .. import __version__
from ..classify.rules import confirmed_over_canonical
from ..config import Config
from ..store import Store, utcnow
from ..store.evidence import EvidenceRow, evidence_rows
from .errors import NothingToReport, UnknownMatch
from .evidence import gather, snapshot_of
from .forms import CLOUDFLARE_MAX_URLS
from .model import Author, Evidence, Report
from .names import LOCAL_HOST, host_of
from .notice import draft_notice

__all__ = ["Selection", "Built", "build_reports", "normalize_host"]


@dataclass(frozen=True)
class Selection:
    """What to report: the matches with these ids, or those on one host, or (neither given) every one."""

    match_ids: tuple[int, ...] = ()
    host: str | None = None


@dataclass
class Built:
    """The reports, plus one line per group of matches left out and why."""

    reports: list[Report] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)


def normalize_host(value: str) -> str:
    """A host as the user typed it (``Example.com``, ``https://example.com/x``, ``example.com:8080``)."""
    text = value.strip()
    if "://" in text:
        return host_of(text)
    return (urlsplit(f"//{text}").hostname or text).lower()


def _page_url(row: EvidenceRow) -> str | None:
    return row.page["final_url"] or row.page["url"]


def _confirmed_over_canonical(row: EvidenceRow) -> EvidenceRow:
    """A copy the author confirmed although its canonical link names the original is a takedown: the link is the
    one authorization a copier can carry over (a page copied with its head), and the author knows whom they
    syndicate to. Quotations, allow-listed hosts and the original itself stay as they are."""
    match = row.match
    if not confirmed_over_canonical(match["state"], bool(match["takedown"]), match["extent"], match["reasons"]):
        return row
    reasons = [*match["reasons"], "You confirmed this copy: its canonical link to the original is not a permission"
                                  " you gave."]
    return EvidenceRow({**match, "takedown": 1, "authorized": 0, "reasons": reasons}, row.page, row.work)


def _select(rows: list[EvidenceRow], selection: Selection, built: Built) -> list[EvidenceRow]:
    named = bool(selection.match_ids)
    dismissed = [r for r in rows if r.match["state"] == "dismissed"]
    if dismissed:
        ids = ", ".join(str(r.match["id"]) for r in dismissed)
        built.left_out.append(f"left out {len(dismissed)} dismissed match(es): {ids}")
    kept = [r for r in rows if r.match["state"] != "dismissed"]
    gone = [r for r in kept if r.match["gone_since"]]
    if gone:  # the stored page is the one without the copy: there is nothing to show or to take down
        ids = ", ".join(str(r.match["id"]) for r in gone)
        built.left_out.append(f"left out {len(gone)} match(es) whose copy was gone from the page when it was last"
                              f" checked: {ids}")
        kept = [r for r in kept if not r.match["gone_since"]]
    if not named:
        quiet = [r for r in kept if not r.match["takedown"]]
        if quiet:
            built.left_out.append(f"left out {len(quiet)} quotation(s) or authorized copies with no takedown"
                                  " recommended (name a match id to report it anyway)")
        kept = [r for r in kept if r.match["takedown"]]
    if selection.host is not None:
        host = normalize_host(selection.host)
        hosts = sorted({host_of(_page_url(r)) for r in kept})
        kept = [r for r in kept if host_of(_page_url(r)) == host]
        if not kept:
            listed = ", ".join(hosts) if hosts else "none"
            raise NothingToReport(f"no reportable match on host {host} (hosts with reportable matches: {listed})")
    return kept


def _rows(store: Store, selection: Selection) -> list[EvidenceRow]:
    ids = list(dict.fromkeys(selection.match_ids))
    rows = evidence_rows(store, ids or None)
    unknown = sorted(set(ids) - {int(r.match["id"]) for r in rows})
    if unknown:
        raise UnknownMatch(f"no match with id {', '.join(map(str, unknown))}")
    if not rows:
        raise NothingToReport("no matches stored yet (run 'detector check PAGE' or 'detector crawl' first)")
    return rows


def _batches(rows: list[EvidenceRow], max_urls: int) -> Iterable[tuple[str, list[list[EvidenceRow]]]]:
    """Per host (local files last), the matches cut into parts of at most ``max_urls`` distinct page URLs."""
    by_host: dict[str, dict[str, list[EvidenceRow]]] = {}
    for row in sorted(rows, key=lambda r: (_page_url(r) or r.page["key"], r.match["id"])):
        pages = by_host.setdefault(host_of(_page_url(row)), {})
        pages.setdefault(_page_url(row) or row.page["key"], []).append(row)
    for host in sorted(by_host, key=lambda h: (h == LOCAL_HOST, h)):
        rows_by_page = list(by_host[host].values())
        yield host, [[r for page in rows_by_page[n:n + max_urls] for r in page]
                     for n in range(0, len(rows_by_page), max_urls)]


def _report(store: Store, author: Author, host: str, part: int, parts: int, rows: list[EvidenceRow],
            generated_at: str) -> Report:
    copies = tuple(gather(row, snapshot_of(store, row), number) for number, row in enumerate(rows, 1))
    recommended: tuple[Evidence, ...] = tuple(e for e in copies if e.recommended)
    notice = draft_notice(author, host, recommended, generated_at) if recommended else None
    return Report(host, part, parts, generated_at, f"detector {__version__}", author, copies, notice)


def build_reports(store: Store, config: Config, selection: Selection = Selection(),
                  max_urls: int = CLOUDFLARE_MAX_URLS) -> Built:
    """The reports for ``selection``, read from the store only; raises when there is nothing to report."""
    if max_urls < 1:
        raise ValueError(f"max_urls must be >= 1, got {max_urls}")
    built = Built()
    rows = _select([_confirmed_over_canonical(r) for r in _rows(store, selection)], selection, built)
    if not rows:
        raise NothingToReport("nothing to report: " + ("; ".join(built.left_out) or "no matches"))
    author = config.author
    generated_at = utcnow()
    for host, parts in _batches(rows, max_urls):
        for part, batch in enumerate(parts, 1):
            built.reports.append(_report(store, author, host, part, len(parts), batch, generated_at))
    return built
