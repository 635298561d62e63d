"""Normalization folds what copies change for free, and is idempotent."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from fingerprints import fold, normalize, split_front_matter, strip_markdown, tokenize


def test_curly_quotes_dashes_nbsp_and_case_fold_away():
    assert normalize("\u201cIt\u2019s\u00a0FINE\u201d \u2014 ok") == normalize('"it\'s fine" - ok')


def test_full_width_letters_and_ligatures_fold_to_ascii():
    assert fold("\uff21\ufb01") == "afi"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_normalize_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_token_offsets_point_into_the_raw_text(text):
    tokens = tokenize(text)
    for word, start, end in zip(tokens.words, tokens.starts, tokens.ends):
        assert 0 <= start < end <= len(text)
        assert fold(text[start:end]) == word


def test_markdown_is_reduced_to_reader_visible_prose():
    source = (
        "---\ntitle: T\n---\n# Heading\n\nSome *emphasis* and a [link](https://x.example/) that\n"
        "wraps onto a second line.\n\n- item one\n- item two\n\n```python\nprint('code')\n```\n"
    )
    assert strip_markdown(source) == (
        "Heading\n\nSome emphasis and a link that wraps onto a second line.\n\nitem one\n\nitem two"
    )


def test_link_definitions_go_but_the_text_around_them_and_footnotes_stay():
    source = ('Intro with a [link][r] and a note[^1].\n\n[r]: https://x.example/ "Title"\n'
              "An update added right under the definition.\n\n[^1]: The footnote a reader sees.\n")
    assert strip_markdown(source) == (
        "Intro with a link and a note.\n\nAn update added right under the definition.\n\nThe footnote a reader sees.")


def test_empty_and_dot_closed_front_matter_is_not_read_as_prose():
    assert split_front_matter("---\n---\nBody.") == ("", "Body.")
    assert split_front_matter("---\ntitle: T\n...\nBody.") == ("title: T", "Body.")
    assert split_front_matter("\ufeff+++\r\ntitle = 'T'\r\n+++\r\nBody.") == ("title = 'T'", "Body.")


def _fold_the_long_way(word: str) -> str:
    import unicodedata

    from fingerprints.normalize import _CHAR_MAP, _CONFUSABLES

    previous = None
    while previous != word:
        previous = word
        word = unicodedata.normalize("NFKC", word).casefold().translate(_CHAR_MAP)
    return word.translate(_CONFUSABLES) if any("a" <= c <= "z" for c in word) else word


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(alphabet=st.characters(max_codepoint=127)), st.text()))
def test_the_ascii_shortcut_folds_as_the_full_folding_does(word):
    assert fold(word) == _fold_the_long_way(word)
    assert fold("It`s") == _fold_the_long_way("It`s") == "it's"
