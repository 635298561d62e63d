"""Copies disguised with characters a reader never notices are still found whole.

Soft hyphens and zero-width characters split every word for a tokenizer
while the page reads the same; Cyrillic look-alike letters ("pаssword" with a
Cyrillic "а") change every word's hash. Both are cheap tricks a scraper uses
to dodge shingle matching.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from fingerprints import tokenize

SAMPLES = Path(__file__).resolve().parent.parent / "detector" / "samples" / "posts"
POST = SAMPLES / "field-notebook-of-birds.md"


def _body() -> str:
    return POST.read_text(encoding="utf-8").split("---\n", 2)[2]


def _page(text: str) -> str:
    return "<html><body><article>" + "".join(f"<p>{p}</p>" for p in text.split("\n\n") if p.strip()) + "</article></body></html>"


def test_invisible_characters_and_look_alike_letters_do_not_change_words():
    assert tokenize("Peo\u00adple ass\u00adume p\u0430ssw\u043erds w\u200bork to\u2060day.").words == (
        "people", "assume", "passwords", "work", "today")
    assert tokenize("\u043f\u0440\u0438\u0432\u0435\u0442 \u03ba\u03b1\u03bb\u03b7").words == (
        "\u043f\u0440\u0438\u0432\u0435\u0442", "\u03ba\u03b1\u03bb\u03b7")  # Russian and Greek words stay as they are


def test_copies_hyphenated_or_with_swapped_letters_are_found_whole(run, tmp_path: Path):
    run("register", str(SAMPLES))
    body = _body()
    disguises = {
        "soft-hyphens": re.sub(r"(\w{3})(\w{3})", "\\1\u00ad\\2", body),
        "zero-width": re.sub(r"(\w{2})(\w{2})", "\\1\u200b\\2", body),
        "look-alikes": body.translate(str.maketrans("aeop", "\u0430\u0435\u043e\u0440")),
    }
    for name, text in disguises.items():
        (tmp_path / f"{name}.html").write_text(_page(text), encoding="utf-8")
    pages = json.loads(run("check", "--json", *(str(tmp_path / f"{n}.html") for n in disguises)).out)
    for name, page in zip(disguises, pages):
        found = [(m["work_url"], m["extent"]) for m in page["matches"]]
        assert found == [("https://marenholt.example/posts/field-notebook-of-birds/", "full")], name
        assert page["matches"][0]["coverage"] >= 0.95, name
