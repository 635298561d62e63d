"""Read the shared evaluation corpus: original posts and real pages with chrome, split by HOLDOUT.

Everything synthetic is built from this corpus, and the corpus's ``HOLDOUT``
file reserves part of it for final evaluation. The split is decided here, in
one place, so no generator can mix the two parts by accident: ``"train"`` is
everything not listed, ``"holdout"`` is only what is listed.
"""

from __future__ import annotations

import csv
import gzip
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from fingerprints.markup import split_front_matter

__all__ = [
    "SPLITS",
    "CorpusPage",
    "CorpusPost",
    "default_corpus_root",
    "is_holdout",
    "list_pages",
    "list_posts",
    "read_holdout",
    "sample_pages",
]

#: The two parts of the corpus a caller may ask for.
SPLITS = ("train", "holdout")


@dataclass(frozen=True, slots=True)
class CorpusPost:
    """An original blog post: the work a copy is made from (and registered as)."""

    path: Path
    title: str
    author: str
    date: str
    body_markdown: str
    source_repo: str = ""


@dataclass(frozen=True, slots=True)
class CorpusPage:
    """A real web page with its site chrome, and the article text a reader would call the post."""

    path: Path
    html: bytes
    ground_truth_text: str
    url: str = ""


def default_corpus_root() -> Path:
    """The corpus next to the checkout (``../shared/corpus``), where the project keeps it."""
    return Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


def _check_split(split: str) -> None:
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")


def read_holdout(root: Path) -> tuple[str, ...]:
    """The reserved entries of ``root/HOLDOUT``: paths relative to the root, folders included."""
    listing = Path(root) / "HOLDOUT"
    entries: list[str] = []
    for line in listing.read_text(encoding="utf-8").splitlines():
        entry = line.strip()
        if entry and not entry.startswith("#"):
            entries.append(entry.strip("/"))
    return tuple(entries)


def is_holdout(relative: str, entries: tuple[str, ...]) -> bool:
    """True when ``relative`` (a path under the corpus root) is listed or lies in a listed folder."""
    relative = relative.strip("/")
    return any(relative == entry or relative.startswith(entry + "/") for entry in entries)


def _in_split(root: Path, path: Path, split: str, entries: tuple[str, ...]) -> bool:
    reserved = is_holdout(path.relative_to(root).as_posix(), entries)
    return reserved if split == "holdout" else not reserved


def _read_post(path: Path) -> CorpusPost:
    """Parse one original: YAML front matter for the metadata, the rest as the body."""
    front, body = split_front_matter(path.read_text(encoding="utf-8"))
    meta = yaml.safe_load(front) if front else None
    if not isinstance(meta, dict):
        meta = {}
    return CorpusPost(
        path=path,
        title=str(meta.get("title") or path.stem),
        author=str(meta.get("author") or ""),
        date=str(meta.get("date") or ""),
        body_markdown=body,
        source_repo=str(meta.get("source_repo") or ""),
    )


def list_posts(root: Path, split: str = "train") -> list[CorpusPost]:
    """The original posts of one split, sorted by path so that seeded sampling is reproducible."""
    _check_split(split)
    root = Path(root)
    entries = read_holdout(root)
    files = sorted(p for p in (root / "originals").rglob("*") if p.suffix in {".md", ".markdown", ".mdx", ".lr"})
    return [_read_post(p) for p in files if _in_split(root, p, split, entries)]


def _aeb_pages(root: Path) -> Iterator[tuple[Path, str, str]]:
    """(html path, ground-truth text, url) for the article-extraction benchmark."""
    base = root / "html" / "article-extraction-benchmark"
    truth = json.loads((base / "ground-truth.json").read_text(encoding="utf-8"))
    for key in sorted(truth):
        item = truth[key]
        yield base / "html" / f"{key}.html.gz", str(item.get("articleBody", "")), str(item.get("url", ""))


def _wcxb_pages(root: Path, english_only: bool) -> Iterator[tuple[Path, str, str]]:
    """(html path, ground-truth text, url) for WCXB, read through its INDEX.tsv."""
    base = root / "html" / "wcxb"
    with (base / "INDEX.tsv").open(encoding="utf-8", newline="") as handle:
        rows = sorted(csv.DictReader(handle, delimiter="\t"), key=lambda row: row["html"])
    for row in rows:
        if english_only and row.get("lang_guess") != "en":
            continue
        data = json.loads((base / row["ground_truth"]).read_text(encoding="utf-8"))
        text = str(data.get("ground_truth", {}).get("main_content", ""))
        yield base / row["html"], text, str(data.get("url", row.get("url", "")))


def _page_sources(root: Path, split: str, english_only: bool, min_words: int) -> list[tuple[Path, str, str]]:
    """The (html path, ground truth, url) of one split's usable pages, without reading any HTML."""
    _check_split(split)
    entries = read_holdout(root)
    sources = list(_aeb_pages(root)) + list(_wcxb_pages(root, english_only))
    return [
        (path, text, url)
        for path, text, url in sources
        if len(text.split()) >= min_words and path.exists() and _in_split(root, path, split, entries)
    ]


def _load(source: tuple[Path, str, str]) -> CorpusPage:
    path, text, url = source
    return CorpusPage(path=path, html=gzip.decompress(path.read_bytes()), ground_truth_text=text, url=url)


def list_pages(
    root: Path, split: str = "train", *, english_only: bool = True, min_words: int = 150
) -> list[CorpusPage]:
    """Real pages of one split with their ground truth, decompressed (over 100 MB for "train").

    ``english_only`` drops the few pages WCXB's index guesses are not English;
    ``min_words`` drops pages whose article is too short to host a swapped-in post.
    """
    return [_load(source) for source in _page_sources(Path(root), split, english_only, min_words)]


def sample_pages(
    root: Path, split: str, n: int, rng: random.Random, *, english_only: bool = True, min_words: int = 150
) -> list[CorpusPage]:
    """``n`` distinct pages of one split chosen by ``rng``; only the chosen pages are decompressed."""
    sources = _page_sources(Path(root), split, english_only, min_words)
    return [_load(source) for source in rng.sample(sources, min(n, len(sources)))]
