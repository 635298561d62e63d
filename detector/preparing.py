"""Reading and fingerprinting documents to register, in worker processes.

Registering is reading, Markdown stripping, tokenizing and signing (about
90 % of the time) and then one short store transaction. The first part needs
no store, so with many files it runs in a process pool while the calling
process writes, in input order, exactly what a one-process run would write.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial

from fingerprints import fingerprint

from .config import Config
from .errors import InputError
from .inputs import Getter, read_document
from .match import work_signatures
from .store import SignatureRecord, WorkRecord
from .workers import pool_map
from .works import Overrides, to_work

__all__ = ["Prepared", "prepare", "prepare_many", "POOL_MIN_FILES"]

#: Fewer files than this are prepared in the calling process: starting workers costs about a second.
POOL_MIN_FILES = 200
_CHUNK = 16


@dataclass(frozen=True)
class Prepared:
    """One document ready to store: its work and signatures, or the one-line reason it failed."""

    arg: str
    work: WorkRecord | None = None
    signatures: tuple[SignatureRecord, ...] = ()
    error: str | None = None


def prepare(arg: str, config: Config, overrides: Overrides = Overrides(), fetcher: Getter | None = None) -> Prepared:
    """Read and fingerprint one file, or one URL with ``fetcher`` (the caller's: it keeps the pacing)."""
    try:
        work = to_work(read_document(arg, config, fetcher), overrides)
    except InputError as error:
        return Prepared(arg, error=str(error))
    return Prepared(arg, work, tuple(work_signatures(fingerprint(work.text))))


def prepare_many(files: Iterable[str], config: Config, overrides: Overrides, workers: int) -> Iterator[Prepared]:
    """``prepare`` over local ``files`` with ``workers`` processes, results in input order."""
    return pool_map(partial(prepare, config=config, overrides=overrides), files, workers, _CHUNK)
