"""The timeline: the dated facts about an original and its copy, and whether they show who came first.

An abuse desk's first question is "who published first?". The answer has to
be honest: the registration time only proves when detector saw the
original, and a copying page's own date is a claim, not a fact. So the
verdict says which dates it rests on, and says so plainly when they are not
enough.
"""

from __future__ import annotations

from datetime import datetime, timezone

from ..dates import read_date

from .model import Copy, Event, Original, Timeline

__all__ = ["timeline", "parse_when", "day", "shown"]


def parse_when(value: str | None) -> datetime | None:
    """A date or date-time as an aware datetime (a bare date is midnight UTC); None if unreadable.
    ISO 8601 is what detector writes; the other shapes are what posts and pages wrote before it did."""
    return read_date(value)


def day(value: str | None) -> str:
    """The calendar day of a timestamp (YYYY-MM-DD), or the value itself when it cannot be read."""
    when = parse_when(value)
    return when.date().isoformat() if when else (value or "unknown")


def shown(value: str | None) -> str:
    """A timestamp for people: ``2026-03-03 14:05:09 UTC`` (a bare date stays a date; unreadable stays as is)."""
    when = parse_when(value)
    if when is None or value is None:
        return value or "unknown"
    if len(value.strip()) <= 10:
        return when.date().isoformat()
    return when.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def _second(event: Event) -> datetime:
    """Sort key: the time to the second, so facts recorded in the same second keep their logical order."""
    when = parse_when(event.when) or datetime.min.replace(tzinfo=timezone.utc)
    return when.replace(microsecond=0)


def _events(original: Original, copy: Copy) -> list[Event]:
    events = []
    if original.published:
        events.append(Event(original.published, "original", "The original was published (its own metadata)."))
    events.append(Event(original.registered_at, "original",
                        f"The original was registered with detector (text sha256 {original.sha256[:16]}…)."))
    if copy.published:
        events.append(Event(copy.published, "copy", "The date the copying page gives itself (a claim by the copier)."))
    if copy.snapshot is not None:
        events.append(Event(copy.snapshot.fetched_at, "copy",
                            f"The copy was archived (snapshot sha256 {copy.snapshot.sha256[:16]}…)."))
    events.append(Event(copy.first_seen, "copy", "detector first found the copy."))
    if copy.last_seen != copy.first_seen:
        events.append(Event(copy.last_seen, "copy", "detector last saw the copy online."))
    known = [e for e in events if parse_when(e.when)]
    unknown = [e for e in events if not parse_when(e.when)]
    return sorted(known, key=_second) + unknown


def _earlier(a: datetime, b: datetime) -> bool:
    """``a`` strictly before ``b``, compared by day when either is a bare date."""
    if a.time() == datetime.min.time() or b.time() == datetime.min.time():
        return a.date() < b.date()
    return a < b


def _verdict(original: Original, copy: Copy) -> tuple[bool, str]:
    published, claimed = parse_when(original.published), parse_when(copy.published)
    found = parse_when(copy.first_seen)
    claim = f" Its page claims the date {day(copy.published)}." if copy.published else ""
    if published is None and original.published:
        return False, (f"The original's publication date ({original.published!r}) could not be read as a date;"
                       f" detector registered it on {day(original.registered_at)} and first found the copy on"
                       f" {day(copy.first_seen)}.{claim} Give the date in the notice as YYYY-MM-DD, and register"
                       " the post again with --published YYYY-MM-DD.")
    if published is None:
        return False, (f"The original's publication date is not recorded; detector registered it on "
                       f"{day(original.registered_at)} and first found the copy on {day(copy.first_seen)}.{claim}"
                       " Give the original's publication date in the notice (from your blog, or an archive.org"
                       " capture) so the desk can see it came first.")
    if claimed is not None and _earlier(claimed, published):
        return False, (f"Check the dates before sending: the copying page claims {day(copy.published)}, earlier"
                       f" than the original's publication date {day(original.published)}.")
    if found is not None and not _earlier(published, found):
        return False, (f"The original's recorded publication date ({day(original.published)}) is not before the"
                       f" day detector found the copy ({day(copy.first_seen)}); check the dates.")
    return True, (f"The original was published on {day(original.published)}, before the copy: detector found the"
                  f" copy on {day(copy.first_seen)}.{claim}")


def timeline(original: Original, copy: Copy) -> Timeline:
    """The events in date order and the verdict on priority."""
    first, verdict = _verdict(original, copy)
    return Timeline(tuple(_events(original, copy)), first, verdict)
