"""Synthetic works and pages for the benchmarks, built only from the non-holdout corpus.

The corpus has 164 training posts and the benchmarks need 10,000, so a
synthetic post strings together paragraphs drawn from different originals
(seeded, so every run builds the same posts), as long as a random original.
With about 3,700 source paragraphs, each paragraph recurs in dozens of
synthetic posts (:func:`reuse_factor`), so a copy of one post would really
copy sentences of many others, which 10,000 independent posts never do. So by
default each post also relabels its words: a bijection of the post's own
swaps every word for one of about the same corpus frequency, function words
among function words and content words among content words, keeping
capitalisation, numbers and punctuation. Sentence and paragraph lengths, the
word-frequency profile and the share of function words stay those of real
prose; the word shingles and the skeletons become the post's own (relabelling
content words alone would leave every post a spun copy of its siblings).
``relabel=False`` keeps the plain recombination.

Pages are real non-holdout pages with their site chrome: as they are
(unrelated pages), with the text of their article container replaced by a
synthetic post (verbatim copies), or with a run of a post's paragraphs
inserted among their own (partial copies).
"""

from __future__ import annotations

import json
import os
import platform
import random
import re
import resource
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from html import escape as html_escape
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser, LexborNode

from detector.extract import extract_html
from detector.synth.corpus import CorpusPage, default_corpus_root, list_posts, sample_pages
from fingerprints import fold, strip_markdown
from fingerprints.lexicon import FUNCTION_WORDS

__all__ = [
    "SynthPost", "PagePlan", "Relabeller", "corpus_paragraphs", "synthesize", "reuse_factor", "write_posts",
    "write_pages", "read_plans", "machine", "peak_rss_mb", "children_peak_rss_mb",
]

#: Paragraphs shorter than this (captions, "Thanks!", leftovers of code) are not reused.
MIN_PARAGRAPH_WORDS = 8
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
#: Words are swapped only among words this close in corpus frequency rank (content, function words).
RANK_BANDS = (64, 16)
_TEMPLATE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
    "<header><nav><a href='/'>Home</a> <a href='/about'>About</a> <a href='/archive'>Archive</a></nav></header>"
    "<main><article><h1>{title}</h1>{body}</article></main>"
    "<footer><p>Copyright, all rights reserved. <a href='/privacy'>Privacy</a></p></footer></body></html>"
)


@dataclass(frozen=True)
class SynthPost:
    """One synthetic work: its metadata and its paragraphs as plain text."""

    name: str
    title: str
    author: str
    date: str
    url: str
    paragraphs: tuple[str, ...]

    def markdown(self) -> str:
        """The post as a Markdown file with YAML front matter (JSON strings are valid YAML)."""
        meta = {"title": self.title, "author": self.author, "date": self.date, "url": self.url}
        front = "\n".join(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items())
        return f"---\n{front}\n---\n\n" + "\n\n".join(self.paragraphs) + "\n"

    def registered_paragraphs(self) -> list[str]:
        """The paragraphs of the text ``register`` stores for this file."""
        return [p.strip() for p in _PARAGRAPH_BREAK.split(strip_markdown(self.markdown())) if p.strip()]


@dataclass(frozen=True)
class PagePlan:
    """What a benchmark page is: ``copy``, ``partial`` or ``unrelated``, and the work it copies."""

    name: str
    kind: str
    work_url: str | None
    source: str


def corpus_paragraphs(root: Path | None = None) -> tuple[list[list[str]], list[int], list[str]]:
    """Per non-holdout original: its prose paragraphs, their word count, and its author."""
    posts = list_posts(root or default_corpus_root(), "train")
    paragraphs: list[list[str]] = []
    for post in posts:
        text = strip_markdown(post.body_markdown)
        kept = [" ".join(p.split()) for p in _PARAGRAPH_BREAK.split(text) if len(p.split()) >= MIN_PARAGRAPH_WORDS]
        paragraphs.append(kept)
    lengths = [sum(len(p.split()) for p in kept) for kept in paragraphs]
    return paragraphs, lengths, [post.author or "anonymous" for post in posts]


class Relabeller:
    """Per-post bijections of the vocabulary that keep each word's frequency band and kind."""

    def __init__(self, paragraphs: list[list[str]]) -> None:
        counts: dict[str, int] = {}
        for kept in paragraphs:
            for paragraph in kept:
                for match in _WORD.finditer(paragraph):
                    word = fold(match.group())
                    counts[word] = counts.get(word, 0) + 1
        ordered = sorted(counts, key=lambda w: (-counts[w], w))
        content = [w for w in ordered if w not in FUNCTION_WORDS]
        self.vocabularies = (content, [w for w in ordered if w in FUNCTION_WORDS])
        self.rank = {word: (kind, rank) for kind, vocabulary in enumerate(self.vocabularies)
                     for rank, word in enumerate(vocabulary)}

    def _mapping(self, rng: random.Random) -> list[list[tuple[int, int]]]:
        """Per kind and band: (factor, shift) of the affine bijection ``i -> i * factor + shift``."""
        return [[(rng.randrange(1, band, 2), rng.randrange(band)) for _ in range(0, len(vocabulary), band)]
                for vocabulary, band in zip(self.vocabularies, RANK_BANDS)]

    def relabel(self, paragraphs: list[str], rng: random.Random) -> list[str]:
        """``paragraphs`` with every word swapped by one bijection drawn from ``rng``."""
        mapping = self._mapping(rng)

        def swap(match: re.Match[str]) -> str:
            raw = match.group()
            found = self.rank.get(fold(raw))
            if found is None:
                return raw
            kind, rank = found
            vocabulary, band = self.vocabularies[kind], RANK_BANDS[kind]
            group, index = divmod(rank, band)
            size = min(band, len(vocabulary) - group * band)
            factor, shift = mapping[kind][group]
            word = vocabulary[group * band + (index * (factor if size == band else 1) + shift) % size]
            if raw.isupper() and len(raw) > 1:
                return word.upper()
            return word[:1].upper() + word[1:] if raw[0].isupper() else word

        return [_WORD.sub(swap, paragraph) for paragraph in paragraphs]


def synthesize(n: int, seed: int = 1, root: Path | None = None, relabel: bool = True) -> list[SynthPost]:
    """``n`` posts, each made of paragraphs from different originals, as long as a random original."""
    sources, lengths, authors = corpus_paragraphs(root)
    relabeller = Relabeller(sources) if relabel else None
    usable = [i for i, kept in enumerate(sources) if kept]
    rng = random.Random(seed)
    posts: list[SynthPost] = []
    for number in range(n):
        target = rng.choice(lengths)
        chosen: list[str] = []
        words, previous = 0, -1
        while words < target:
            source = rng.choice(usable)
            if source == previous:
                continue
            paragraph = rng.choice(sources[source])
            chosen.append(paragraph)
            words += len(paragraph.split())
            previous = source
        if relabeller is not None:
            chosen = relabeller.relabel(chosen, rng)
        name = f"synth-{number:05d}"
        first = " ".join(chosen[0].split()[:6])
        posts.append(SynthPost(
            name=name, title=f"{first} ({number})", author=rng.choice(authors),
            date=f"20{rng.randint(12, 22):02d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            url=f"https://blog.example.org/posts/{name}/", paragraphs=tuple(chosen),
        ))
    return posts


def reuse_factor(n: int, seed: int = 1, root: Path | None = None) -> tuple[int, float]:
    """Distinct source paragraphs the first ``n`` posts draw on, and how many posts use each on average."""
    posts = synthesize(n, seed, root, relabel=False)
    distinct = {p for post in posts for p in post.paragraphs}
    uses = sum(len(post.paragraphs) for post in posts)
    return len(distinct), uses / max(1, len(distinct))


def write_posts(posts: list[SynthPost], folder: Path) -> list[Path]:
    """Write the posts as ``.md`` files, 1,000 to a subfolder; returns the paths in post order."""
    paths: list[Path] = []
    for number, post in enumerate(posts):
        sub = folder / f"{number // 1000:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        path = sub / f"{post.name}.md"
        path.write_text(post.markdown(), encoding="utf-8")
        paths.append(path)
    return paths


def _article_container(tree: LexborHTMLParser) -> LexborNode | None:
    """The element whose direct ``<p>`` children hold the most text: where the article sits."""
    best, best_chars = None, 0
    for element in tree.css("div, article, section, main, td, body"):
        paragraphs = [child for child in element.iter() if child.tag == "p"]
        chars = sum(len(child.text(deep=True)) for child in paragraphs)
        if chars > best_chars and len(paragraphs) >= 2:
            best, best_chars = element, chars
    return best


def _page_with(html: bytes, paragraphs: list[str], title: str, keep_own: bool, rng: random.Random) -> bytes:
    """``html`` with ``paragraphs`` in its article container: instead of its text, or inserted among it.

    The page is parsed and written back by lexbor, the HTML5 parser the extractor uses, so the
    tree the extractor sees is the tree edited here.
    """
    ours = "".join(f"<p>{html_escape(p)}</p>" for p in paragraphs)
    tree = LexborHTMLParser(html)
    container = _article_container(tree) if html else None
    if container is None:
        return _TEMPLATE.format(title=html_escape(title), body=ours).encode("utf-8")
    children = [child.html or "" for child in container.iter(include_text=True)]
    if keep_own:
        own = [i for i, child in enumerate(container.iter(include_text=True)) if child.tag == "p"]
        at = own[rng.randrange(len(own))]
        container.inner_html = "".join(children[:at]) + ours + "".join(children[at:])
    else:
        container.inner_html = ours
    return (tree.html or "").encode("utf-8")


def _copy_page(real: list[CorpusPage], number: int, paragraphs: list[str], post: SynthPost, partial: bool,
               rng: random.Random) -> tuple[bytes, str]:
    """A real page carrying ``paragraphs`` where the extractor finds them (the next page if it does not)."""
    for attempt in range(10):
        page = real[(number + attempt) % len(real)]
        data = _page_with(page.html, paragraphs, post.title, partial, rng)
        text = extract_html(data).text
        if paragraphs[0] in text and paragraphs[-1] in text:
            return data, page.path.name
    return _page_with(b"", paragraphs, post.title, partial, rng), "template"


def write_pages(posts: list[SynthPost], folder: Path, m: int, seed: int = 1, copy_share: float = 0.10,
                partial_share: float = 0.05, root: Path | None = None) -> list[PagePlan]:
    """Write ``m`` HTML pages and ``plans.json``: copies and partial copies of ``posts``, the rest real pages.

    Copies go only into pages where the extractor finds the copied text, so that the
    sanity figures measure matching, not extraction.
    """
    rng = random.Random(seed + 7919)
    real = sample_pages(root or default_corpus_root(), "train", 10**6, rng)
    copies, partials = round(m * copy_share), round(m * partial_share)
    kinds = ["copy"] * copies + ["partial"] * partials + ["unrelated"] * (m - copies - partials)
    rng.shuffle(kinds)
    targets = rng.sample(range(len(posts)), min(len(posts), copies + partials))
    folder.mkdir(parents=True, exist_ok=True)
    plans: list[PagePlan] = []
    for number, kind in enumerate(kinds):
        name = f"page-{number:05d}.html"
        if kind == "unrelated":
            page = real[number % len(real)]
            data, work_url, source = page.html, None, page.path.name
        else:
            post = posts[targets.pop()]
            paragraphs = post.registered_paragraphs()
            if kind == "partial":
                size = max(3, round(len(paragraphs) * rng.uniform(0.25, 0.5)))
                start = rng.randrange(max(1, len(paragraphs) - size + 1))
                paragraphs = paragraphs[start : start + size]
            data, source = _copy_page(real, number, paragraphs, post, kind == "partial", rng)
            work_url = post.url
        (folder / name).write_bytes(data)
        plans.append(PagePlan(name, kind, work_url, source))
    (folder / "plans.json").write_text(json.dumps([asdict(p) for p in plans]), encoding="utf-8")
    return plans


def read_plans(folder: Path) -> list[PagePlan]:
    """The plans :func:`write_pages` wrote next to the pages."""
    return [PagePlan(**row) for row in json.loads((folder / "plans.json").read_text(encoding="utf-8"))]


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_total() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def machine() -> Iterator[tuple[str, str]]:
    """What the figures were measured on."""
    import numpy

    yield "nproc", f"{len(os.sched_getaffinity(0))} (cpu_count {os.cpu_count()})"
    yield "cpu", _cpu_model()
    yield "memory", _memory_total()
    yield "python", f"{platform.python_implementation()} {sys.version.split()[0]}"
    yield "numpy", numpy.__version__
    yield "platform", platform.platform()
    yield "load", "{:.2f} {:.2f} {:.2f} (load average at start; other jobs share this machine)".format(*os.getloadavg())


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_peak_rss_mb() -> float:
    """Largest peak RSS among this process's waited-for children, in MB."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
