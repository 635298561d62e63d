"""Turn ``detector scan`` arguments (files, folders, globs, list files) into archive paths."""

from __future__ import annotations

import glob
import gzip
from pathlib import Path

__all__ = ["expand_paths", "ARCHIVE_SUFFIXES", "LIST_SUFFIXES"]

ARCHIVE_SUFFIXES = (".warc", ".warc.gz", ".wet", ".wet.gz", ".arc.gz")
#: A list file names one archive a line, as Common Crawl's ``warc.paths.gz`` does.
LIST_SUFFIXES = (".txt", ".paths", ".paths.gz", ".txt.gz")


def _list_file(path: Path) -> list[str]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as lines:
        entries = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    return [entry if Path(entry).is_absolute() or "://" in entry else str(path.parent / entry) for entry in entries]


def expand_paths(args: list[str]) -> list[str]:
    """Archive paths in argument order: a folder gives its archives (recursively, sorted), a glob its
    matches, a list file its lines (relative to the list's folder); anything else is kept as given,
    so a missing file is reported by the reader, with the rest of the scan going on."""
    paths: list[str] = []
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            paths += sorted(str(p) for p in path.rglob("*") if p.is_file() and p.name.endswith(ARCHIVE_SUFFIXES))
        elif any(ch in arg for ch in "*?[") and not path.exists():
            paths += sorted(glob.glob(arg, recursive=True)) or [arg]
        elif path.is_file() and arg.endswith(LIST_SUFFIXES):
            paths += _list_file(path)
        else:
            paths.append(arg)
    return list(dict.fromkeys(paths))
