"""Read web archives: the HTML responses and text conversions of WARC and WET files, via FastWARC.

Only this module touches the archive format. It yields one :class:`ArchivedPage`
per record worth matching (an HTTP 200 response with HTML, XHTML or plain
text, or a WET ``conversion`` record) with the WARC fields that become the
evidence. A corrupt gzip member costs that record only: reading resumes at
the next gzip member. A last record that the file cuts off is reported as
corrupt, not matched in part. A file that yields nothing readable, or no
record at all, is one error.
"""

from __future__ import annotations

import mmap
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError

__all__ = ["ArchivedPage", "Corrupt", "WarcError", "read_archive", "missing_fastwarc", "gzipped_per_record"]

HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain",)
_GZIP_MAGIC = b"\x1f\x8b\x08"


class WarcError(InputError):
    """A WARC or WET file cannot be opened or holds no readable record."""


class FastWarcMissing(InputError):
    """FastWARC, which reads the archives, is not installed."""

    hint = "it is a dependency of detector: reinstall with pip install -c constraints.txt -e ."


def missing_fastwarc() -> FastWarcMissing:
    return FastWarcMissing("detector scan needs the fastwarc package")


@dataclass(frozen=True)
class ArchivedPage:
    """One capture from an archive: its payload and the WARC fields that are its evidence."""

    uri: str
    date: str
    record_id: str
    payload_digest: str | None
    warc_file: str
    record_type: str  # "response" or "conversion"
    content_type: str
    status: int
    body: bytes

    @property
    def is_html(self) -> bool:
        return self.record_type == "response" and self.content_type in HTML_TYPES


@dataclass(frozen=True)
class Corrupt:
    """A record that could not be read; ``offset`` is where its trouble began."""

    warc_file: str
    offset: int
    reason: str


def _fastwarc() -> Any:
    try:
        from fastwarc import warc
    except ImportError:
        raise missing_fastwarc() from None
    return warc


def _page(record: Any, warc_file: str, max_bytes: int) -> ArchivedPage | None:
    """The page a record holds, or None when it is not one we match (a redirect, an image, too large)."""
    kind = str(record.record_type)
    if kind == "response":
        if not record.is_http or record.http_headers.status_code != 200:
            return None
        content_type = (record.http_content_type or "").split(";")[0].strip().lower()
        if content_type not in HTML_TYPES + TEXT_TYPES:
            return None
        status = 200
    else:
        content_type, status = "text/plain", 200
    if record.content_length > max_bytes:
        return None
    headers = record.headers
    return ArchivedPage(
        uri=headers.get("WARC-Target-URI") or "", date=headers.get("WARC-Date") or "",
        record_id=record.record_id or "", payload_digest=headers.get("WARC-Payload-Digest"),
        warc_file=warc_file, record_type=kind, content_type=content_type, status=status,
        body=record.reader.read(),
    )


def read_archive(path: str | Path, max_bytes: int = 5_000_000, part: int = 0,
                 parts: int = 1) -> Iterator[ArchivedPage | Corrupt | None]:
    """Every record of a WARC or WET file (gzipped per record, or not): a page, a :class:`Corrupt`, or None.

    None stands for a record that was read but holds nothing to match, so a
    caller can count records. With ``parts`` > 1 only part ``part`` of the
    records is read, and the parts together read every record once: a file
    gzipped per record is cut into byte ranges at record boundaries, so each
    part decompresses only its own range; an uncompressed file is read whole
    by every part, which keeps every ``parts``-th record. Raises
    :class:`WarcError` when the file cannot be opened or not even its first
    record can be read.
    """
    warc = _fastwarc()
    name = str(path)
    wanted = warc.WarcRecordType.response | warc.WarcRecordType.conversion
    try:
        handle = open(path, "rb")
    except OSError as error:
        raise WarcError(f"{name}: cannot open ({error.strerror or error})") from None
    with handle:
        gzipped = _gzip_at(handle, 0)
        ranged = parts > 1 and gzipped
        start, end = _part_range(warc, handle, part, parts) if ranged else (0, None)
        position, read_any = 0, False
        held: tuple[ArchivedPage | None, int] | None = None  # the last record read, yielded once the next one starts
        while end is None or start < end:
            handle.seek(start)
            last = None
            try:
                # every record, not only the wanted ones, so that a failure resumes right after
                # the last record read, whatever its type
                for record in warc.ArchiveIterator(handle, auto_decode="all"):
                    if held is not None:  # another record follows it, so it was read whole
                        yield held[0]
                        held = None
                    if end is not None and record.stream_pos >= end:
                        return
                    if not record.record_type & wanted:
                        last, read_any = record.stream_pos, True
                        continue
                    page = _page(record, name, max_bytes)
                    last, read_any = record.stream_pos, True
                    if ranged or position % parts == part:
                        held = (page, record.stream_pos)
                    position += 1
                if held is not None:
                    # FastWARC hands over a record the file cuts off (an interrupted download or copy) as if
                    # it were whole: a page missing its end is not evidence, so the record is reported instead
                    page, offset = held
                    yield Corrupt(name, offset, _CUT_SHORT) if _cut_short(handle, offset, gzipped) else page
                if not read_any and end is None:
                    raise WarcError(f"{name}: holds no WARC record (an empty file, or not a WARC file)")
                return
            except (OSError, ValueError) as error:
                if held is not None:  # the failure came after it
                    yield held[0]
                    held = None
                # Resume at the gzip member after the last good record; a member that fails
                # at once is the corrupt record, counted once and stepped over.
                failed_at = start if last is None else max(start, last)
                resume = _next_member(handle, failed_at)
                if not read_any and (resume is None or not _gzip_at(handle, 0)):
                    raise WarcError(f"{name}: not a readable WARC file ({error})") from None
                if last is None:  # counted as a record by every part, reported by one
                    if ranged or part == 0:
                        yield Corrupt(name, failed_at, str(error))
                    position += 1
                if resume is None:
                    return
                start = resume


_CUT_SHORT = "the file ends inside this record, as after an interrupted download or copy"
#: A WARC header block is far smaller than this; a longer one is not read as a header.
_MAX_HEADER = 1 << 16
_CONTENT_LENGTH = re.compile(rb"^content-length[ \t]*:[ \t]*(\d+)[ \t]*$", re.IGNORECASE | re.MULTILINE)
_NO_LENGTH = -1


def _declared_end(head: bytes) -> int | None:
    """Where a record ends, counted from its start, by the header in ``head`` (its first bytes).

    None while the header is incomplete; :data:`_NO_LENGTH` when it declares no length.
    """
    header_end = head.find(b"\r\n\r\n")
    if header_end < 0:
        return None
    declared = _CONTENT_LENGTH.search(head, 0, header_end)
    return header_end + 4 + int(declared[1]) if declared else _NO_LENGTH


def _cut_short(handle: Any, offset: int, gzipped: bool) -> bool:
    """Whether the record at ``offset``, the last of the file, holds fewer bytes than its header declares.

    A gzipped record is inflated again (one gzip member: one record) and only
    counted, a megabyte at a time, so a record that inflates to gigabytes costs
    time but no memory. A record without a Content-Length is not judged here.
    """
    handle.seek(offset)
    if not gzipped:
        needed = _declared_end(handle.read(_MAX_HEADER))
        return needed is None or (needed != _NO_LENGTH and handle.seek(0, 2) - offset < needed)
    inflate, head, total, needed, pending = zlib.decompressobj(31), b"", 0, None, b""
    while True:
        if not pending:
            pending = handle.read(1 << 16)
            if not pending:
                return True  # the file ended before the record did
        try:
            out = inflate.decompress(pending, 1 << 20)
        except zlib.error:
            return True
        pending = inflate.unconsumed_tail
        total += len(out)
        if needed is None and len(head) < _MAX_HEADER:
            head += out[: _MAX_HEADER - len(head)]
            needed = _declared_end(head)
        if needed == _NO_LENGTH or (needed is not None and total >= needed):
            return False
        if inflate.eof:
            return True


def _part_range(warc: Any, handle: Any, part: int, parts: int) -> tuple[int, int]:
    """Bytes [start, end) of part ``part`` of ``parts`` of a file gzipped per record.

    Each bound is the first record that starts at or after an even cut of the
    file, so every part computes the same bounds and every record falls in
    exactly one part: the one where it starts.
    """
    size = handle.seek(0, 2)
    start = 0 if part == 0 else _record_from(warc, handle, size * part // parts, size)
    end = size if part == parts - 1 else _record_from(warc, handle, size * (part + 1) // parts, size)
    return start, end


def _record_from(warc: Any, handle: Any, offset: int, size: int) -> int:
    """The offset of the first gzip member at or after ``offset`` that holds a WARC record, else ``size``.

    Compressed bytes can contain the gzip magic by chance (about once per 16 MB),
    so a candidate counts only when a record can be read there.
    """
    candidate = _next_member(handle, offset - 1)
    while candidate is not None:
        handle.seek(candidate)
        try:
            record = next(iter(warc.ArchiveIterator(handle, record_types=warc.WarcRecordType.any_type,
                                                    parse_http=False)), None)
            if record is not None and record.stream_pos == candidate:
                return candidate
        except (OSError, ValueError):
            pass
        candidate = _next_member(handle, candidate)
    return size


def gzipped_per_record(path: str | Path) -> bool:
    """Whether ``path`` starts like a gzipped WARC: then its parts are byte ranges, cheap to cut finely.
    An unreadable file says False here; reading it reports why."""
    try:
        with open(path, "rb") as handle:
            return _gzip_at(handle, 0)
    except OSError:
        return False


def _gzip_at(handle: Any, offset: int) -> bool:
    handle.seek(offset)
    return bool(handle.read(3) == _GZIP_MAGIC)


def _next_member(handle: Any, after: int) -> int | None:
    """The offset of the next gzip member header past ``after``, or None."""
    try:
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as view:
            found = view.find(_GZIP_MAGIC, after + 1)
    except ValueError:  # an empty file cannot be mapped
        return None
    return found if found >= 0 else None
