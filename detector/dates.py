"""Dates as posts and pages write them, read into one form.

Front matter says ``2019-12-20``, ``December 20, 2019`` or ``2020-11-22
19:00:00 +0530`` (Jekyll); feeds say ``Fri, 20 Dec 2019 10:00:00 GMT``. The
evidence timeline compares the original's date with the copy's, so all of
them must be read, and one that cannot be read must be said to be unreadable
rather than taken for missing. Day-first and month-first numeric dates
(``03/04/2019``) are read only when the order is certain.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime

__all__ = ["read_date", "iso_date"]

_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y", "%d %B, %Y", "%Y/%m/%d",
            "%Y.%m.%d", "%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M %z", "%Y-%m-%d %H:%M:%S %Z", "%d.%m.%Y")
_ORDINAL = re.compile(r"(?<=\d)(st|nd|rd|th)\b", re.IGNORECASE)
#: "Friday, December 20, 2019": the weekday says nothing the date does not.
_WEEKDAY = re.compile(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+(?=[a-z0-9])", re.IGNORECASE)
_NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def read_date(value: str | None) -> datetime | None:
    """An aware UTC-or-offset datetime for a date as people and programs write it (a bare date is
    midnight UTC), or None when it cannot be read for certain."""
    if not value or not value.strip():
        return None
    text = " ".join(value.split())
    bare = _ORDINAL.sub("", _WEEKDAY.sub("", text))
    when = _iso(text) or _rfc2822(text) or _formatted(bare) or _numeric(bare)
    if when is None or not 1900 <= when.year <= 2200:
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def iso_date(value: str | None) -> str | None:
    """``value`` in ISO 8601 (a date alone stays a date), or ``value`` as given when it cannot be read."""
    when = read_date(value)
    if when is None or value is None:
        return value
    return when.isoformat() if re.search(r"\d:\d", value) else when.date().isoformat()


def _iso(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        return datetime.combine(date.fromisoformat(text[:10]), datetime.min.time())
    except ValueError:
        return None


def _rfc2822(text: str) -> datetime | None:
    if not re.match(r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d", text):
        return None
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def _formatted(text: str) -> datetime | None:
    for pattern in _FORMATS:
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


def _numeric(text: str) -> datetime | None:
    """``dd/mm/yyyy`` or ``mm/dd/yyyy``, only when one of the two numbers cannot be a month."""
    found = _NUMERIC.fullmatch(text)
    if not found:
        return None
    a, b, year = (int(g) for g in found.groups())
    if a > 12 >= b:
        day, month = a, b
    elif b > 12 >= a:
        month, day = a, b
    else:
        return None
    try:
        return datetime(year, month, day)
    except ValueError:
        return None
