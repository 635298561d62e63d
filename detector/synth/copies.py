"""Labelled example pages built from corpus posts: the copies the detector must find, and the pages it must not flag.

Each builder takes a work (a corpus post that will be registered), dresses it
as one kind of copy, and says in ``label`` what the right answer is: how much
was copied (extent), whether it sits in chrome, was spun, is authorized, and
whether a takedown is warranted. :func:`make_set` draws a whole balanced set
from one corpus split and one seed.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fingerprints.markup import strip_markdown

from .chrome import Block, Quote, clean_blog, content_farm, into_real_page
from .corpus import CorpusPage, CorpusPost, list_posts, sample_pages
from .spinner import spin, word_count

__all__ = [
    "KINDS",
    "SPIN_RATES",
    "Example",
    "field_of",
    "make_set",
    "partial",
    "quote",
    "spun",
    "syndicated",
    "unrelated",
    "verbatim_farm",
    "verbatim_real_chrome",
    "work_paragraphs",
    "work_url",
]

KINDS = ("verbatim_real_chrome", "verbatim_farm", "spun", "partial", "quote", "syndicated", "unrelated")
#: From light spinning up to the seed's level (seeds/000 changed about a third of the words).
SPIN_RATES = (0.05, 0.1, 0.15, 0.2, 0.25, 0.33)
_SENTENCE = re.compile(r"[^.!?]+[.!?]+(?:[\"'\u201d\u2019)]+)?(?=\s|$)")
#: Which blogs write about the same things, so an "unrelated" page is a same-topic essay (seeds/002-004).
_FIELDS = {
    "data": (
        "veekaybee",
        "simplystats",
        "dgrtwo",
        "ericmjl",
        "karpathy",
        "robinsones",
        "tdhopper",
        "ropensci",
        "carpentries",
    ),
    "programming": ("gaearon", "kentcdodds", "brandur", "rust-lang"),
    "government": ("18F",),
}


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled page: its HTML, the work it is judged against, and the right answer."""

    kind: str
    html: bytes
    work_path: Path
    label: dict[str, Any] = field(default_factory=dict)


def work_paragraphs(post: CorpusPost) -> list[str]:
    """The reader-visible paragraphs of a post, as a copier scraping the rendered page would get them."""
    text = strip_markdown(post.body_markdown)
    blocks = (" ".join(block.split()) for block in re.split(r"\n\s*\n", text))
    return [block for block in blocks if word_count(block) > 0]


def work_url(post: CorpusPost) -> str:
    """The URL a work is registered under; canonical links and quotations point here."""
    owner = post.source_repo.split("/")[0] or post.path.parent.name
    return f"https://{owner.lower()}.blog.example/{post.path.stem}/"


def field_of(post: CorpusPost) -> str:
    """The topic family of a post's blog, "other" when the blog is not known."""
    owner = post.source_repo.split("/")[0] or post.path.parent.name
    return next((name for name, owners in _FIELDS.items() if owner in owners), "other")


def _label(extent: str | None, paragraphs: Sequence[int], **extra: Any) -> dict[str, Any]:
    """The label every example carries, with the defaults of an unauthorized, unspun copy."""
    label: dict[str, Any] = {
        "extent": extent,
        "chrome": True,
        "spun": False,
        "spin_rate": 0.0,
        "authorized": False,
        "takedown": extent in {"full", "partial"},
        "paragraphs": list(paragraphs),
    }
    label.update(extra)
    return label


def _in_real_page(
    pages: Sequence[CorpusPage], title: str, blocks: Sequence[Block], rng: random.Random
) -> tuple[bytes, str]:
    """``blocks`` in the first of ``pages`` (tried in random order) whose article can be swapped."""
    for page in rng.sample(list(pages), len(pages)):
        try:
            return into_real_page(page, title, blocks, rng), str(page.path)
        except ValueError:
            continue  # no article container in this page: the next one will do
    raise ValueError("none of the given pages has an article container to swap")


def verbatim_real_chrome(post: CorpusPost, pages: Sequence[CorpusPage], rng: random.Random) -> Example:
    """The whole post pasted into a real site's page, the site's chrome kept."""
    paragraphs = work_paragraphs(post)
    page, host = _in_real_page(pages, post.title, paragraphs, rng)
    return Example("verbatim_real_chrome", page, post.path, _label("full", range(len(paragraphs)), host=host))


def verbatim_farm(post: CorpusPost, rng: random.Random) -> Example:
    """The whole post on a content farm under a stranger's byline, as in seeds/001."""
    paragraphs = work_paragraphs(post)
    page = content_farm(post.title, paragraphs, rng)
    return Example("verbatim_farm", page, post.path, _label("full", range(len(paragraphs)), host="farm"))


def spun(
    post: CorpusPost,
    rng: random.Random,
    rate: float | None = None,
    pages: Sequence[CorpusPage] = (),
) -> Example:
    """The whole post spun at ``rate`` (drawn from :data:`SPIN_RATES` when None), as in seeds/000.

    With ``pages`` it goes into a real page half of the time, else onto a content farm.
    """
    rate = rng.choice(SPIN_RATES) if rate is None else rate
    paragraphs = work_paragraphs(post)
    text, substitutions = spin("\n\n".join(paragraphs), rate, rng)
    spun_paragraphs = text.split("\n\n")
    title, _ = spin(post.title, rate, rng)
    if pages and rng.random() < 0.5:
        page, host = _in_real_page(pages, title, spun_paragraphs, rng)
    else:
        page, host = content_farm(title, spun_paragraphs, rng), "farm"
    label = _label("full", range(len(paragraphs)), spun=True, spin_rate=rate, host=host, substitutions=substitutions)
    return Example("spun", page, post.path, label)


def partial(
    post: CorpusPost, fillers: Sequence[CorpusPost], pages: Sequence[CorpusPage], rng: random.Random
) -> Example:
    """A run of 30-50 % of the post's paragraphs inside a longer page made mostly of other posts' text.

    The page is at least twice as long as the copied part, so the copy is a
    minority of what a reader sees and coverage of the work is under a half.
    """
    paragraphs = work_paragraphs(post)
    count = max(1, min(len(paragraphs) - 1, math.ceil(rng.uniform(0.3, 0.5) * len(paragraphs))))
    first = rng.randrange(len(paragraphs) - count + 1)
    copied = list(range(first, first + count))
    copied_words = sum(word_count(paragraphs[i]) for i in copied)
    before, after = _filler(fillers, 2 * copied_words, rng)
    blocks = before + [paragraphs[i] for i in copied] + after
    title = fillers[0].title if fillers else post.title
    page, host = _in_real_page(pages, title, blocks, rng)
    coverage = copied_words / max(1, sum(word_count(p) for p in paragraphs))
    label = _label("partial", copied, host=host, coverage=round(coverage, 3), fillers=[str(f.path) for f in fillers])
    return Example("partial", page, post.path, label)


def _filler(fillers: Sequence[CorpusPost], words: int, rng: random.Random) -> tuple[list[str], list[str]]:
    """About ``words`` words of other posts' paragraphs, split into a part before and a part after the copy."""
    pool = [p for post in fillers for p in work_paragraphs(post)]
    taken: list[str] = []
    for paragraph in pool:
        if sum(word_count(t) for t in taken) >= words:
            break
        taken.append(paragraph)
    cut = rng.randint(0, len(taken))
    return taken[:cut], taken[cut:]


def _quotable(paragraphs: Sequence[str]) -> list[tuple[int, list[str]]]:
    """(paragraph index, sentences) for paragraphs with at least one sentence of 8-40 words."""
    found = []
    for index, paragraph in enumerate(paragraphs):
        sentences = [s.strip() for s in _SENTENCE.findall(paragraph) if 8 <= word_count(s) <= 40]
        if sentences:
            found.append((index, sentences))
    return found


def quote(post: CorpusPost, host: CorpusPost, rng: random.Random) -> Example:
    """One or two sentences of the post quoted in a ``<blockquote>`` with a link, inside another author's post."""
    paragraphs = work_paragraphs(post)
    candidates = _quotable(paragraphs) or [(0, [paragraphs[0]])]
    index, sentences = rng.choice(candidates)
    start = rng.randrange(len(sentences))
    quoted = " ".join(sentences[start : start + rng.choice([1, 2])])
    hosted = work_paragraphs(host)
    at = rng.randint(1, max(1, len(hosted) - 1))
    blocks: list[Block] = [*hosted[:at], Quote(quoted, work_url(post), post.title), *hosted[at:]]
    page = clean_blog(host.title, blocks, rng, author=host.author)
    label = _label("quote", [index], chrome=False, host=str(host.path), quote_text=quoted, work_url=work_url(post))
    return Example("quote", page, post.path, label)


def syndicated(post: CorpusPost, rng: random.Random) -> Example:
    """An authorized republication: the whole post on a clean page whose canonical link is the work's URL."""
    paragraphs = work_paragraphs(post)
    page = clean_blog(post.title, paragraphs, rng, canonical=work_url(post), author=post.author)
    label = _label("full", range(len(paragraphs)), chrome=False, authorized=True, takedown=False, host="clean")
    label["work_url"] = work_url(post)
    return Example("syndicated", page, post.path, label)


def unrelated(post: CorpusPost, other: CorpusPost, rng: random.Random, pages: Sequence[CorpusPage] = ()) -> Example:
    """A different post from the same field, dressed like a copy: the detector must not match it to ``post``."""
    paragraphs = work_paragraphs(other)
    dress = rng.choice(["real", "farm", "clean"] if pages else ["farm", "clean"])
    if dress == "real":
        page, host = _in_real_page(pages, other.title, paragraphs, rng)
    elif dress == "farm":
        page, host = content_farm(other.title, paragraphs, rng), "farm"
    else:
        page, host = clean_blog(other.title, paragraphs, rng, author=other.author), "clean"
    label = _label(None, [], chrome=dress != "clean", host=host, other=str(other.path))
    return Example("unrelated", page, post.path, label)


def _same_field(post: CorpusPost, others: Sequence[CorpusPost], rng: random.Random) -> CorpusPost:
    same = [o for o in others if field_of(o) == field_of(post)]
    return rng.choice(same or list(others))


def make_set(corpus_root: Path, split: str, n_per_kind: int, seed: int) -> tuple[list[CorpusPost], list[Example]]:
    """A labelled set from one corpus split: the works to register and ``n_per_kind`` examples of each kind.

    Everything comes from ``split`` only ("train" or "holdout"), and the same
    arguments give the same set. Posts used as fillers, quote hosts and
    unrelated pages are never among the returned works, so no example is an
    unlabelled copy of a registered work.
    """
    if n_per_kind < 1:
        raise ValueError(f"n_per_kind must be >= 1, not {n_per_kind}")
    rng = random.Random(seed)
    posts = list_posts(corpus_root, split)
    if len(posts) < 4:
        raise ValueError(f"the {split!r} split has {len(posts)} posts; at least 4 are needed")
    shuffled = rng.sample(posts, len(posts))
    n_works = min(len(posts) // 2, 6 * n_per_kind)
    works, others = shuffled[:n_works], shuffled[n_works:]
    pages = sample_pages(corpus_root, split, min(3 * n_per_kind + 2, 60), rng)
    examples: list[Example] = []
    cycle = iter(works * (6 * n_per_kind // max(1, n_works) + 1))
    for _ in range(n_per_kind):
        examples.append(verbatim_real_chrome(next(cycle), pages, rng))
        examples.append(verbatim_farm(next(cycle), rng))
        examples.append(spun(next(cycle), rng, pages=pages))
        work = next(cycle)
        examples.append(partial(work, rng.sample(others, min(2, len(others))), pages, rng))
        work = next(cycle)
        examples.append(quote(work, rng.choice(others), rng))
        examples.append(syndicated(next(cycle), rng))
        work = rng.choice(works)
        examples.append(unrelated(work, _same_field(work, others, rng), rng, pages))
    return works, examples
