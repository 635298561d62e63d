"""Writing a report folder: the reports in the chosen formats and the archived snapshots beside them.

Each snapshot is written byte for byte as archived, and its sha256 is
checked against the one recorded at fetch time before the report is
written, so a report never vouches for a file that does not match it.
Files are written whole or not at all (a temporary file, then a rename).
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import StoreCorrupt
from ..store import Store
from ..store.evidence import snapshot_bytes
from .errors import OutputNotWritable
from .model import Report
from .names import report_name
from .render_html import render_html
from .render_json import render_json
from .render_md import render_md

__all__ = ["write_reports", "Written", "RENDERERS", "FORMATS"]

RENDERERS: dict[str, Callable[[Report], str]] = {"html": render_html, "md": render_md, "json": render_json}
FORMATS = tuple(RENDERERS)


@dataclass(frozen=True)
class Written:
    """One report's files: the report in each format, and the snapshots it cites."""

    report: Report
    files: tuple[Path, ...]
    snapshots: tuple[Path, ...]


def _write(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".tmp-{uuid.uuid4().hex}{path.suffix}")
    try:
        with open(temporary, "xb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _snapshots(store: Store, report: Report, out: Path) -> list[Path]:
    written = []
    for evidence in report.copies:
        snap = evidence.copy.snapshot
        if snap is None:
            continue
        path = out / snap.file
        body = snapshot_bytes(store, snap.sha256)
        if hashlib.sha256(body).hexdigest() != snap.sha256:
            raise StoreCorrupt(f"store {store.path}: the archived body of {snap.final_url} does not match its sha256")
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_bytes() != body:
            _write(path, body)
        if path not in written:  # one page copying two works cites one snapshot twice
            written.append(path)
    return written


def write_reports(store: Store, reports: list[Report], out: Path,
                  formats: tuple[str, ...] = ("html",)) -> list[Written]:
    """Write every report in every format into ``out``, with the snapshots it cites."""
    unknown = [f for f in formats if f not in RENDERERS]
    if unknown:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {unknown[0]!r}")
    written: list[Written] = []
    try:
        out.mkdir(parents=True, exist_ok=True)
        for report in reports:
            snapshots = _snapshots(store, report, out)
            files = []
            for kind in formats:
                path = out / report_name(report.host, report.part, report.parts, kind)
                _write(path, RENDERERS[kind](report).encode("utf-8"))
                files.append(path)
            written.append(Written(report, tuple(files), tuple(snapshots)))
    except OSError as error:
        raise OutputNotWritable(f"cannot write reports to {out}: {error.strerror or error}") from None
    return written
