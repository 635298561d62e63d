"""The synthetic-copy generators: deterministic, holdout-safe, and producing what their labels claim."""

from __future__ import annotations

import difflib
import random
import re
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from detector.synth.chrome import Quote, clean_blog, content_farm, find_article_node, into_real_page
from detector.synth.copies import KINDS, Example, make_set, work_paragraphs
from detector.synth.corpus import CorpusPage, CorpusPost, is_holdout, list_posts, read_holdout, sample_pages
from detector.synth.spinner import load_synonyms, spin, word_count

from .conftest import SEEDS, SHARED, seed_original

CORPUS = SHARED / "corpus"
_WORD = re.compile(r"[\w\u2019']+")


@pytest.fixture(scope="module")
def corpus() -> Path:
    if not (CORPUS / "HOLDOUT").is_file():
        pytest.skip("../shared/corpus is not beside the checkout")
    return CORPUS


@pytest.fixture(scope="module")
def train_posts(corpus: Path) -> list[CorpusPost]:
    return list_posts(corpus, "train")


@pytest.fixture(scope="module")
def train_pages(corpus: Path) -> list[CorpusPage]:
    return sample_pages(corpus, "train", 12, random.Random(11))


@pytest.fixture(scope="module")
def small_set(corpus: Path) -> tuple[list[CorpusPost], list[Example]]:
    return make_set(corpus, "train", 2, seed=5)


def _relative(corpus: Path, path: Path | str) -> str:
    return Path(path).resolve().relative_to(corpus.resolve()).as_posix()


def _text(page: bytes) -> str:
    body = LexborHTMLParser(page.decode("utf-8")).body
    return " ".join((body.text(separator=" ") if body else "").split())


def _changed_share(original: str, spun: str) -> float:
    """Share of the original's words that a word-level diff does not find in the spun text."""
    a = [w.lower() for w in _WORD.findall(original)]
    b = [w.lower() for w in _WORD.findall(spun)]
    same = sum(block.size for block in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
    return 1 - same / len(a)


def test_make_set_is_deterministic_for_a_seed(corpus: Path, small_set: tuple[list[CorpusPost], list[Example]]) -> None:
    works, examples = small_set
    again_works, again = make_set(corpus, "train", 2, seed=5)
    assert [w.path for w in works] == [w.path for w in again_works]
    assert [(e.kind, e.html, e.work_path, e.label) for e in examples] == [
        (e.kind, e.html, e.work_path, e.label) for e in again
    ]
    _, other = make_set(corpus, "train", 2, seed=6)
    assert [e.html for e in other] != [e.html for e in examples]


def test_make_set_gives_every_kind_with_full_labels(small_set: tuple[list[CorpusPost], list[Example]]) -> None:
    works, examples = small_set
    assert sorted(e.kind for e in examples) == sorted(KINDS * 2)
    work_paths = {w.path for w in works}
    for example in examples:
        assert example.work_path in work_paths
        assert {"extent", "chrome", "spun", "spin_rate", "authorized", "takedown", "paragraphs"} <= example.label.keys()
        assert example.label["extent"] in {"full", "partial", "quote", None}


def test_train_split_never_holds_a_holdout_file(
    corpus: Path, train_posts: list[CorpusPost], train_pages: list[CorpusPage]
) -> None:
    entries = read_holdout(corpus)
    holdout_posts = {p.path for p in list_posts(corpus, "holdout")}
    assert train_posts and holdout_posts
    assert not holdout_posts & {p.path for p in train_posts}
    assert not any(is_holdout(_relative(corpus, p.path), entries) for p in train_posts)
    assert not any(is_holdout(_relative(corpus, p.path), entries) for p in train_pages)


def test_holdout_split_holds_only_listed_files(corpus: Path) -> None:
    entries = read_holdout(corpus)
    posts = list_posts(corpus, "holdout")
    pages = sample_pages(corpus, "holdout", 10, random.Random(1))
    assert posts and pages
    paths = [post.path for post in posts] + [page.path for page in pages]
    assert all(is_holdout(_relative(corpus, path), entries) for path in paths)


def test_make_set_on_train_uses_no_holdout_file(
    corpus: Path, small_set: tuple[list[CorpusPost], list[Example]]
) -> None:
    entries = read_holdout(corpus)
    works, examples = small_set
    used: list[str] = [str(w.path) for w in works]
    for example in examples:
        used.append(str(example.work_path))
        used.extend(str(v) for key in ("host", "other") if str(v := example.label.get(key, "")).startswith("/"))
        used.extend(str(f) for f in example.label.get("fillers", []))
    assert not any(is_holdout(_relative(corpus, path), entries) for path in used)


def test_unknown_split_is_refused(corpus: Path) -> None:
    with pytest.raises(ValueError, match="split must be one of"):
        list_posts(corpus, "test")


@pytest.mark.parametrize("rate", [0.05, 0.15, 0.33])
def test_spinner_changes_about_the_requested_share_of_words(train_posts: list[CorpusPost], rate: float) -> None:
    text = "\n\n".join(work_paragraphs(train_posts[3]))
    spun_text, substitutions = spin(text, rate, random.Random(2))
    replaced = sum(word_count(original) for original, _ in substitutions)
    assert abs(replaced / word_count(text) - rate) < 0.02
    assert abs(_changed_share(text, spun_text) - rate) < 0.05


def test_spinner_keeps_punctuation_sentences_and_paragraphs(train_posts: list[CorpusPost]) -> None:
    text = "\n\n".join(work_paragraphs(train_posts[7]))
    spun_text, _ = spin(text, 0.33, random.Random(4))

    def marks(value: str) -> str:
        return re.sub(r"[^.,;:!?()\"\n]", "", value)

    def sentences(value: str) -> int:
        return len(re.findall(r"[.!?](?=\s|$)", value))

    assert marks(spun_text) == marks(text)
    assert sentences(spun_text) == sentences(text)
    assert spun_text.count("\n\n") == text.count("\n\n")


def test_spinner_keeps_the_case_of_the_first_letter() -> None:
    _, substitutions = spin("Company data. Big learning always helps the company.", 1.0, random.Random(0))
    assert substitutions
    for original, replacement in substitutions:
        assert original[0].isupper() == replacement[0].isupper()


def test_spinner_is_deterministic_for_a_seed(train_posts: list[CorpusPost]) -> None:
    text = "\n\n".join(work_paragraphs(train_posts[0]))
    assert spin(text, 0.2, random.Random(9)) == spin(text, 0.2, random.Random(9))
    assert spin(text, 0.2, random.Random(9)) != spin(text, 0.2, random.Random(10))


def test_spinner_refuses_a_rate_outside_zero_to_one() -> None:
    with pytest.raises(ValueError, match=r"rate must be in \[0.0, 1.0\]"):
        spin("some words", 1.5, random.Random(0))


def test_synonym_table_has_the_seed_spinners_swaps() -> None:
    table = load_synonyms()
    for word, expected in [("learning", "studying"), ("company", "firm"), ("big", "large"), ("data", "information")]:
        assert expected in table[word]


def test_spinner_at_seed_rate_changes_as_much_as_the_seed_spinner() -> None:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside the checkout")
    original = seed_original()
    seed_spun = (SEEDS / "000_fa060d9cc35a0ee4.txt").read_text(encoding="utf-8")
    ours, _ = spin(original, 0.33, random.Random(1))
    seed_share = _changed_share(original, seed_spun)
    assert 0.25 < seed_share < 0.45
    assert abs(_changed_share(original, ours) - seed_share) < 0.08


def test_into_real_page_holds_our_paragraphs_and_the_sites_chrome(train_pages: list[CorpusPage]) -> None:
    page = train_pages[0]
    ours = ["Our first paragraph about <tags> & ampersands.", "Our second paragraph, different words."]
    result = into_real_page(page, "Our Title", ours, random.Random(3))
    text = _text(result)
    assert all(paragraph in text for paragraph in ours)
    before = LexborHTMLParser(page.html.decode("utf-8", errors="replace"))
    article = find_article_node(before, page.ground_truth_text)
    assert article is not None
    inside = {n.attrs.get("href") for n in article.css("a[href]")}
    outside = {n.attrs.get("href") for n in before.css("a[href]")} - inside
    after = {n.attrs.get("href") for n in LexborHTMLParser(result.decode()).css("a[href]")}
    assert outside and outside <= after
    longest = max(page.ground_truth_text.split("\n"), key=len)
    assert " ".join(longest.split()) not in text


def test_farm_pages_have_link_lists_share_rows_and_footer() -> None:
    for seed in range(6):
        page = content_farm("A Title", ["One paragraph.", "Two paragraphs."], random.Random(seed), lang="en").decode()
        assert re.search(r"Related Posts|What&#x27;s Hot|Top Posts|Don&#x27;t Miss|Most Popular|Trending", page)
        assert "All rights reserved." in page and "Share" in page
        assert "<p>One paragraph.</p>" in page


def test_farm_pages_come_in_other_languages() -> None:
    spanish = content_farm("Título", ["Un párrafo."], random.Random(1), lang="es").decode()
    german = content_farm("Titel", ["Ein Absatz."], random.Random(1), lang="de").decode()
    assert 'lang="es"' in spanish and "Todos los derechos reservados." in spanish
    assert 'lang="de"' in german and "Alle Rechte vorbehalten." in german


def test_farm_layouts_vary_with_the_seed() -> None:
    pages = [content_farm("T", ["p"], random.Random(seed)).decode() for seed in range(20)]
    layouts = {found.group(1) for page in pages if (found := re.search(r"layout-(\d)", page))}
    assert len(layouts) == 3


def test_syndicated_page_links_the_original_as_canonical() -> None:
    page = clean_blog("T", ["p"], random.Random(0), canonical="https://a.example/post/", author="Ann").decode()
    assert '<link rel="canonical" href="https://a.example/post/">' in page


def test_quote_example_puts_one_or_two_sentences_in_a_linked_blockquote(
    small_set: tuple[list[CorpusPost], list[Example]],
) -> None:
    _, examples = small_set
    for example in (e for e in examples if e.kind == "quote"):
        tree = LexborHTMLParser(example.html.decode())
        quoted = tree.css_first("blockquote")
        assert quoted is not None and quoted.attrs.get("cite") == example.label["work_url"]
        assert " ".join(quoted.text().split()) == example.label["quote_text"]
        assert tree.css_first(f'a[href="{example.label["work_url"]}"]') is not None
        assert 1 <= len(re.findall(r"[.!?](?=\s|$)", str(example.label["quote_text"]))) <= 2


def test_partial_example_copies_30_to_50_percent_of_paragraphs_in_a_larger_page(
    small_set: tuple[list[CorpusPost], list[Example]],
) -> None:
    works, examples = small_set
    by_path = {w.path: w for w in works}
    for example in (e for e in examples if e.kind == "partial"):
        paragraphs = work_paragraphs(by_path[example.work_path])
        copied = example.label["paragraphs"]
        assert 0.3 <= len(copied) / len(paragraphs) <= 0.5 + 1 / len(paragraphs)
        text = _text(example.html)
        assert all(" ".join(paragraphs[i].split()) in text for i in copied)
        assert word_count(text) > 2 * sum(word_count(paragraphs[i]) for i in copied)


def test_quotes_and_paragraphs_are_escaped_not_injected() -> None:
    page = clean_blog("T", ["<script>alert(1)</script>", Quote("a <b>", "https://x.example/", "X")], random.Random(0))
    assert b"<script>" not in page and b"&lt;script&gt;" in page
