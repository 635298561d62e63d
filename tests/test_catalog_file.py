"""A saved catalog is used only while it matches the store, and a damaged or unwritable one costs a rebuild, not an error."""

from __future__ import annotations

import mmap
import os
import time
from pathlib import Path

import numpy as np
import pytest

from detector.api import Detector
from detector.config import load_config
from detector.store.catalog_file import build_catalog, catalog_folder, catalog_key, load_catalog, prepare_catalog
from fingerprints import fingerprint

from .conftest import ROOT

POSTS = ROOT / "detector" / "samples" / "posts"


def _candidates(catalog, text: str) -> list[tuple[int, int, int]]:
    return [(c.work, c.word_hits, c.skeleton_hits) for c in catalog.candidates(fingerprint(text))]


@pytest.fixture()
def detector(tmp_path: Path):
    with Detector(load_config(db=str(tmp_path / "store.db"))) as det:
        det.register([str(POSTS)])
        yield det


def _mapped(array: np.ndarray) -> bool:
    """Whether ``array`` is a view of a memory-mapped file, not a copy in memory."""
    base = array
    while base is not None and not isinstance(base, (np.memmap, mmap.mmap)):
        base = getattr(base, "base", None)
    return base is not None


def _page_text() -> str:
    return "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(POSTS.glob("*.md"))[:2])


def test_a_saved_catalog_is_memory_mapped_and_finds_what_a_rebuilt_one_finds(detector):
    assert prepare_catalog(detector.store, min_saved_works=1)
    loaded = load_catalog(detector.store, min_saved_works=1)
    assert _mapped(loaded.words._hashes)
    expected = _candidates(build_catalog(detector.store), _page_text())
    assert len(expected) >= 2
    assert _candidates(loaded, _page_text()) == expected


def test_a_newly_registered_work_makes_a_new_catalog_and_the_stale_one_is_removed(detector, tmp_path):
    prepare_catalog(detector.store, min_saved_works=1)
    folder = catalog_folder(detector.store)
    assert folder is not None
    old_key, works = catalog_key(detector.store)
    new_post = tmp_path / "new.md"
    new_post.write_text("---\ntitle: New\n---\n\n" + "A fresh sentence about kites over the harbour wall. " * 8)
    detector.register([str(new_post)])
    new_key, more = catalog_key(detector.store)
    assert new_key != old_key and more == works + 1
    catalog = load_catalog(detector.store, min_saved_works=1)
    assert [c.work for c in catalog.candidates(fingerprint(new_post.read_text()))][:1] == [max(catalog.works)]
    assert sorted(p.name for p in folder.iterdir()) == [new_key]


def test_a_save_leaves_another_process_saving_alone_and_clears_what_a_killed_one_left(detector, tmp_path):
    folder = catalog_folder(detector.store)
    assert folder is not None
    folder.mkdir()
    in_flight, abandoned = folder / ".tmp-other", folder / ".tmp-killed"
    for tmp in (in_flight, abandoned):
        tmp.mkdir()
        (tmp / "owner.npy").write_bytes(b"half written")
    two_hours_ago = time.time() - 7200
    os.utime(abandoned, (two_hours_ago, two_hours_ago))
    assert prepare_catalog(detector.store, min_saved_works=1)
    key, _ = catalog_key(detector.store)
    assert sorted(p.name for p in folder.iterdir()) == sorted([key, in_flight.name])
    assert (in_flight / "owner.npy").read_bytes() == b"half written"


def test_a_damaged_saved_catalog_is_rebuilt_without_an_error(detector, caplog):
    prepare_catalog(detector.store, min_saved_works=1)
    key, _ = catalog_key(detector.store)
    saved = catalog_folder(detector.store) / key
    expected = _candidates(build_catalog(detector.store), _page_text())
    (saved / "words.keys.npy").write_bytes(b"\x93NUMPY garbage")
    assert _candidates(load_catalog(detector.store, min_saved_works=1), _page_text()) == expected
    assert "damaged" in caplog.text
    keys = np.load(saved / "skeletons.keys.npy")
    np.save(saved / "skeletons.keys.npy", keys + 10**6)  # well-formed, but pointing nowhere
    assert _candidates(load_catalog(detector.store, min_saved_works=1), _page_text()) == expected


def test_a_catalog_that_cannot_be_written_is_rebuilt_each_time_without_an_error(detector, caplog):
    folder = catalog_folder(detector.store)
    folder.write_text("in the way")  # a file where the folder should be: every write fails, even as root
    assert not prepare_catalog(detector.store, min_saved_works=1)
    assert "could not save the catalog" in caplog.text
    assert _candidates(load_catalog(detector.store, min_saved_works=1), _page_text())
    assert folder.read_text() == "in the way"


def test_small_stores_save_nothing(detector):
    assert not prepare_catalog(detector.store)
    detector.matcher.match(_page_text())
    assert not catalog_folder(detector.store).exists()
