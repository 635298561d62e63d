"""Evidence for one copy, gathered from the store only: the original, the copy, the figures and the passages.

Nothing is fetched and nothing is recomputed from the web: every figure is
what the store holds, and the side-by-side view is read off the stored texts
at the stored offsets, so the report shows exactly what the match was made of.
"""

from __future__ import annotations

from typing import Any

from ..store import Store
from ..store.evidence import EvidenceRow, SnapshotRow, latest_snapshot
from .model import Copy, Evidence, Figures, Flags, Original, Snapshot
from .names import snapshot_name
from .sidebyside import side_by_side
from .timeline import timeline

__all__ = ["gather", "snapshot_of"]


def snapshot_of(store: Store, row: EvidenceRow) -> SnapshotRow | None:
    """The snapshot the page's stored text came from, if the page was fetched over HTTP."""
    return latest_snapshot(store, int(row.page["id"]))


def _original(work: dict[str, Any], words: int) -> Original:
    """The registered work; ``words`` counted as the matcher counts them, so every figure agrees."""
    return Original(work["id"], work["key"], work["title"], work["url"], work["author"], work["published"],
                    work["registered_at"], work["sha256"], words, work["version"])


def _snapshot(found: SnapshotRow) -> Snapshot:
    return Snapshot(found.url, found.final_url, found.status, tuple(sorted(found.headers.items())),
                    tuple(found.redirects), found.content_type, found.fetched_at, found.sha256, found.size,
                    f"snapshots/{snapshot_name(found.final_url, found.sha256, found.content_type)}")


def _copy(row: EvidenceRow, found: SnapshotRow | None) -> Copy:
    page, match = row.page, row.match
    return Copy(page["id"], page["key"], page["url"], page["final_url"], page["title"], page["byline"],
                page["published"], page["canonical"], match["first_seen"], match["last_seen"], page["checked_at"],
                page["sha256"], len(page["text"].split()), _snapshot(found) if found else None)


def _flags(match: dict[str, Any]) -> Flags:
    return Flags(bool(match["chrome"]), match["chrome_score"], bool(match["spun"]), match["spun_score"],
                 bool(match["authorized"]), bool(match["takedown"]), tuple(match["reasons"]))


def gather(row: EvidenceRow, found: SnapshotRow | None, number: int) -> Evidence:
    """The evidence of one stored match; ``found`` is its page's snapshot (None for a local file)."""
    match = row.match
    view = side_by_side(row.work["text"], row.page["text"], match["passages"])
    passages = view.passages
    figures = Figures(
        extent=match["extent"], coverage=match["coverage"], similarity=match["similarity"],
        copied_words=match["copied_words"], original_words=view.work_words, passages=len(passages),
        longest_passage_words=max((p.work_words for p in passages), default=0),
        longest_verbatim_words=max((p.longest_run for p in passages), default=0),
        verbatim_words=sum(p.verbatim_words for p in passages),
        substituted=sum(s.count for s in view.substitutions),
    )
    original, copy = _original(row.work, view.work_words), _copy(row, found)
    return Evidence(number, match["id"], match["state"], match["state_reason"], bool(match["page_changed"]),
                    bool(match["takedown"]), original, copy, figures, _flags(match), timeline(original, copy),
                    passages, view.substitutions)
