"""The catalog, saved next to the store so that a process starts matching in well under a second.

Building the LSH catalog from stored signatures takes 5 to 8 s at 10,000
works (reading 20,000 signature rows, band-hashing and sorting 34 million
band hashes); every ``check``, crawl and scan worker paid it at start. The
built catalog's arrays are saved as ``.npy`` files in
``<store>.catalog/<key>/`` and memory-mapped on the next start, so worker
processes also share one copy through the page cache.

The key is a digest of what the catalog is built from: each active work's
id, text sha256 and signature spec (signatures are a pure function of the
text and the spec). Registering, replacing or deactivating a work changes
the key, so a stale catalog is never used; it is removed after the next save.
The files are a cache: one that is missing, damaged or unwritable is rebuilt
from the store, never an error. They are loaded with ``allow_pickle=False``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from fingerprints import Catalog

from ..errors import StoreCorrupt
from .db import Store

__all__ = ["load_catalog", "build_catalog", "prepare_catalog", "catalog_key", "catalog_folder", "MIN_SAVED_WORKS"]

log = logging.getLogger(__name__)

#: Below this many works a rebuild takes under a second and nothing is saved.
MIN_SAVED_WORKS = 2000
_FORMAT = "detector-catalog-2"  # 2: each index saves its directory
_MANIFEST = "manifest.json"
_TMP_PREFIX = ".tmp-"
#: A temporary folder older than this was left by a process that died while saving (an hour: saving takes seconds).
_TMP_GRACE = 3600.0


def catalog_folder(store: Store) -> Path | None:
    """Where the saved catalogs of ``store`` live; None for an in-memory store."""
    if store.path == ":memory:":
        return None
    path = Path(store.path)
    return path.with_name(path.name + ".catalog")


def catalog_key(store: Store) -> tuple[str, int]:
    """(digest of what the catalog is built from, number of works)."""
    digest = hashlib.sha256(_FORMAT.encode())
    works = set()
    for row in store.signature_specs():
        digest.update(repr(row).encode())
        works.add(row[0])
    return digest.hexdigest()[:32], len(works)


def build_catalog(store: Store) -> Catalog:
    """The catalog rebuilt from the stored signatures of every active work."""
    catalog = Catalog()
    current: int = -1
    kinds: dict[str, np.ndarray] = {}
    for work_id, record in store.signatures():
        if work_id != current:
            current, kinds = work_id, {}
        kinds[record.kind] = record.hashvalues
        if len(kinds) == 2:
            if set(kinds) != {"word3", "skeleton3"}:
                raise StoreCorrupt(f"store {store.path} is not a valid detector database (work"
                                   f" {work_id} has signatures of unknown kinds {sorted(kinds)})")
            catalog.add(work_id, kinds["word3"], kinds["skeleton3"])
    return catalog


def load_catalog(store: Store, min_saved_works: int = MIN_SAVED_WORKS) -> Catalog:
    """The saved catalog when it matches the store, else one built now (and saved when it is large)."""
    target = _saved_at(store, min_saved_works)
    saved = _load(target) if target is not None else None
    if saved is not None:
        return saved
    catalog = build_catalog(store)
    if target is not None:
        _save(catalog, target)
    return catalog


def prepare_catalog(store: Store, min_saved_works: int = MIN_SAVED_WORKS) -> bool:
    """Build and save the catalog now if it is large and not saved yet, so later processes start fast.

    Returns whether a saved catalog is there afterwards. Run by ``register``
    after a change, and by a scan before it starts its workers.
    """
    target = _saved_at(store, min_saved_works)
    if target is None:
        return False
    if not (target / _MANIFEST).exists():
        _save(build_catalog(store), target)
    return (target / _MANIFEST).exists()


def _saved_at(store: Store, min_saved_works: int) -> Path | None:
    """The folder the store's current catalog is saved in; None when it is not worth saving (small, in memory)."""
    folder = catalog_folder(store)
    if folder is None:
        return None
    key, works = catalog_key(store)
    return folder / key if works >= min_saved_works else None


def _load(folder: Path) -> Catalog | None:
    try:
        manifest = json.loads((folder / _MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("format") != _FORMAT:
            return None
        # plain ndarray views of the mapped files: np.memmap's Python-level __getitem__ and
        # __array_wrap__ cost more than the lookups themselves, about 0.1 ms per page
        arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False).view(np.ndarray)
                  for name in manifest["arrays"]}
        return Catalog.from_arrays(arrays)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        log.warning("saved catalog %s is damaged (%s); rebuilding it from the store", folder, error)
        return None


def _drop_others(root: Path, key: str) -> None:
    """Remove the catalogs of earlier store states, and temporary folders that a killed process left.

    A temporary folder younger than :data:`_TMP_GRACE` may be another process saving the same
    catalog right now (two ``check`` processes that started together): removing it would
    make that save fail halfway.
    """
    now = time.time()
    for old in root.iterdir():
        if old.name == key:
            continue
        try:
            if old.name.startswith(_TMP_PREFIX) and now - old.stat().st_mtime < _TMP_GRACE:
                continue
        except OSError:  # gone already: its process finished or gave up
            continue
        shutil.rmtree(old, ignore_errors=True)


def _save(catalog: Catalog, target: Path) -> None:
    """Write the catalog to ``target`` atomically (a temporary folder renamed), then drop older ones beside it."""
    root, key = target.parent, target.name
    tmp: Path | None = None
    try:
        root.mkdir(exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=_TMP_PREFIX, dir=root))
        arrays = catalog.arrays()
        for name, array in arrays.items():
            np.save(tmp / f"{name}.npy", np.ascontiguousarray(array), allow_pickle=False)
        (tmp / _MANIFEST).write_text(json.dumps({"format": _FORMAT, "key": key, "arrays": sorted(arrays)}),
                                     encoding="utf-8")
        try:
            os.rename(tmp, root / key)
        except OSError:  # another process saved the same catalog first
            return
        tmp = None
        _drop_others(root, key)
    except OSError as error:  # a full disk or a read-only folder: the catalog is only a cache
        log.warning("could not save the catalog under %s (%s); it will be rebuilt next time", root, error)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
