"""An article spinner that imitates the one behind the seed spun copy (seeds/000 against 001).

That spinner swapped content words for a synonym of their most common sense,
whatever the context ("learning" -> "studying", "company" -> "firm", "suit" ->
"swimsuit"), now and then rewrote a function-word phrase ("always" -> "at all
times", "something" -> "one thing", "I am" -> "I'm"), kept the case of the first
letter, and left sentence order and punctuation alone. About a third of the
words changed. The detector must survive this, from light spinning upwards,
so tests and training need copies spun to a known rate.
"""

from __future__ import annotations

import gzip
import json
import random
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = ["FUNCTION_PHRASES", "load_synonyms", "spin", "word_count"]

_TABLE = Path(__file__).with_name("synonyms.json.gz")
_WORD = re.compile(r"[A-Za-z]+(?:['\u2019][A-Za-z]+)*")
_ATTACHED_BEFORE = set("/_@#.:=\\-")
_ATTACHED_AFTER = set("/_@=\\(-")
_VOWEL_SOUND = re.compile(r"^(?:[aeio]|u(?!ni|se|su|ti|tr|ro|ku)|hour|honest|honou?r)", re.IGNORECASE)

#: Function-word rewrites of the kind seen in the seed, with the apostrophe written as "'".
FUNCTION_PHRASES: dict[str, tuple[str, ...]] = {
    "always": ("at all times", "all the time"),
    "never": ("by no means", "not ever"),
    "something": ("one thing",),
    "anything": ("something", "any factor"),
    "however": ("nonetheless", "nevertheless"),
    "but": ("however", "however"),
    "therefore": ("due to this fact", "subsequently"),
    "despite": ("regardless of", "in spite of"),
    "even though": ("regardless that", "though"),
    "although": ("though", "whereas"),
    "probably": ("in all probability", "most likely"),
    "throughout": ("all through",),
    "how": ("the best way", "how"),
    "because": ("as a result of",),
    "instead of": ("as a substitute of", "moderately than"),
    "through": ("by way of", "via"),
    "all the time": ("on a regular basis",),
    "a lot of": ("numerous", "loads of"),
    "at least": ("no less than", "not less than"),
    "too much": ("an excessive amount of",),
    "so many": ("such a lot of",),
    "only": ("solely", "simply"),
    "just": ("simply", "solely"),
    "very": ("really", "very"),
    "much": ("a lot",),
    "more": ("extra",),
    "still": ("nonetheless", "nonetheless"),
    "also": ("additionally", "moreover"),
    "around": ("round",),
    "across": ("throughout",),
    "under": ("underneath", "beneath"),
    "every": ("each",),
    "other": ("different",),
    "while": ("whereas", "whilst"),
    "ago": ("in the past",),
    "no one": ("nobody",),
    "someone": ("somebody",),
    "everyone": ("everybody",),
    "enough": ("sufficient",),
    "often": ("usually", "typically"),
    "sometimes": ("typically", "generally"),
    "perhaps": ("maybe", "possibly"),
    "almost": ("nearly", "virtually"),
    "several": ("a number of",),
    "within": ("inside",),
    "towards": ("in direction of",),
    "among": ("amongst",),
    "together": ("collectively",),
    "before": ("earlier than",),
    "until": ("till",),
    "in order to": ("so as to",),
    "as well as": ("in addition to",),
    "such as": ("reminiscent of", "equivalent to"),
    "a few": ("just a few", "a couple of"),
    "each other": ("one another",),
    "because of": ("due to", "on account of"),
    "of course": ("after all", "in fact"),
    "for example": ("for instance",),
    "in fact": ("in reality", "in truth"),
    "was": ("used to be",),
    "is": ("may be", "can be"),
    "were": ("had been", "have been"),
    "can": ("could", "may"),
    "i am": ("I'm",),
    "it is": ("it's",),
    "that is": ("that's",),
    "what is": ("what's",),
    "they are": ("they're",),
    "you are": ("you're",),
    "we are": ("we're",),
    "they have": ("they've",),
    "i have": ("I've",),
    "is not": ("isn't",),
    "do not": ("don't",),
    "does not": ("doesn't",),
    "should not": ("shouldn't",),
    "it will": ("it's going to",),
}
_PHRASES: dict[tuple[str, ...], tuple[str, ...]] = {tuple(k.split()): v for k, v in FUNCTION_PHRASES.items()}
_LONGEST = max(len(key) for key in _PHRASES)
_CONTENT_WEIGHT = 1.0
_PHRASE_WEIGHT = 0.6
_NAME_WEIGHT = 0.4  # a capitalized word inside a sentence is often a name ("Big Tech"), changed less often


@lru_cache(maxsize=1)
def load_synonyms() -> dict[str, tuple[str, ...]]:
    """The shipped WordNet table: each lower-case word form and its replacements, best first."""
    payload = json.loads(gzip.decompress(_TABLE.read_bytes()))
    return {word: tuple(options) for word, options in payload["synonyms"].items()}


def word_count(text: str) -> int:
    """The words of ``text`` as the spinner counts them (``rate`` is a share of this)."""
    return sum(1 for _ in _WORD.finditer(text))


@dataclass(frozen=True, slots=True)
class _Candidate:
    first: int  # index of the first word
    length: int  # words replaced
    options: tuple[str, ...]
    weight: float


@dataclass(frozen=True, slots=True)
class _Word:
    text: str
    start: int
    end: int
    sentence_start: bool


def _words(text: str) -> list[_Word]:
    """Word tokens with offsets, leaving out pieces of URLs, file names and code identifiers."""
    words: list[_Word] = []
    last_end = 0
    for found in _WORD.finditer(text):
        start, end = found.span()
        boundary = last_end == 0 or bool(re.search(r"[.!?:\n]", text[last_end:start]))
        last_end = end
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        next_two = text[end : end + 2]
        attached = before in _ATTACHED_BEFORE or after in _ATTACHED_AFTER or re.match(r"\.\w", next_two)
        if not attached:
            words.append(_Word(found.group(), start, end, boundary))
    return words


def _adjacent(text: str, words: list[_Word], first: int, length: int) -> bool:
    """True when the words first..first+length-1 are separated only by spaces."""
    return all(not text[words[i].end : words[i + 1].start].strip() for i in range(first, first + length - 1))


def _candidates(text: str, words: list[_Word]) -> list[_Candidate]:
    """Every place the spinner could rewrite: function phrases and content words in the table."""
    table = load_synonyms()
    found: list[_Candidate] = []
    lowered = [w.text.lower().replace("\u2019", "'") for w in words]
    for index, word in enumerate(words):
        for length in range(_LONGEST, 0, -1):
            key = tuple(lowered[index : index + length])
            if len(key) == length and key in _PHRASES and _adjacent(text, words, index, length):
                found.append(_Candidate(index, length, _PHRASES[key], _PHRASE_WEIGHT))
                break
        if word.text.isupper() and len(word.text) > 1 or lowered[index] not in table:
            continue
        named = word.text[0].isupper() and not word.sentence_start
        found.append(_Candidate(index, 1, table[lowered[index]], _NAME_WEIGHT if named else _CONTENT_WEIGHT))
    return found


def _choose(candidates: list[_Candidate], target: int, rng: random.Random) -> list[_Candidate]:
    """Weighted sample without replacement (Efraimidis-Spirakis keys) of non-overlapping rewrites.

    Stops once ``target`` words are covered, so the share of changed words
    follows ``rate`` as closely as the text's candidates allow.
    """
    keyed = sorted(candidates, key=lambda c: rng.random() ** (1.0 / c.weight), reverse=True)
    taken: set[int] = set()
    chosen: list[_Candidate] = []
    changed = 0
    for candidate in keyed:
        if changed >= target:
            break
        span = set(range(candidate.first, candidate.first + candidate.length))
        if changed + candidate.length > target or span & taken:
            continue
        taken |= span
        chosen.append(candidate)
        changed += candidate.length
    return sorted(chosen, key=lambda c: c.first)


def _pick(options: tuple[str, ...], rng: random.Random) -> str:
    """Mostly the first (most common sense) synonym, sometimes another, as a spinner's dice do."""
    if len(options) == 1 or rng.random() < 0.6:
        return options[0]
    return options[rng.randrange(1, len(options))]


def _dress(replacement: str, original: str, apostrophe: str) -> str:
    """Give the replacement the original's first-letter case and the text's apostrophe style."""
    replacement = replacement.replace("'", apostrophe)
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def spin(text: str, rate: float, rng: random.Random) -> tuple[str, list[tuple[str, str]]]:
    """Spin ``text`` so that about ``rate`` of all its words are rewritten.

    Returns the spun text and the substitutions made, in text order, each as
    (original words, replacement). Punctuation, line breaks and sentence order
    are kept. ``rate`` must be in [0, 1]; a text with fewer rewritable words
    than asked for is spun as far as it goes.
    """
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"rate must be in [0.0, 1.0], not {rate!r}")
    words = _words(text)
    total = word_count(text)
    chosen = _choose(_candidates(text, words), round(rate * total), rng)
    apostrophe = "\u2019" if "\u2019" in text else "'"
    pieces: list[str] = []
    substitutions: list[tuple[str, str]] = []
    cursor = 0
    for candidate in chosen:
        first, last = words[candidate.first], words[candidate.first + candidate.length - 1]
        original = text[first.start : last.end]
        replacement = _dress(_pick(candidate.options, rng), original, apostrophe)
        start = _article_start(text, words, candidate.first, cursor)
        article = _article_for(replacement, text[start : first.start]) if start is not None else None
        if start is not None and article is not None:
            pieces.append(text[cursor:start])
            original, replacement = text[start : last.end], article + replacement
        else:
            pieces.append(text[cursor : first.start])
        pieces.append(replacement)
        substitutions.append((original, replacement))
        cursor = last.end
    pieces.append(text[cursor:])
    return "".join(pieces), substitutions


def _article_start(text: str, words: list[_Word], index: int, cursor: int) -> int | None:
    """Offset of an "a"/"an" right before word ``index`` that the rewrite may have to change."""
    if index == 0 or words[index - 1].text.lower() not in {"a", "an"} or words[index - 1].start < cursor:
        return None
    if text[words[index - 1].end : words[index].start].strip():
        return None
    return words[index - 1].start


def _article_for(replacement: str, old: str) -> str | None:
    """The article ``old`` ("a " or "an ") must become to agree with the new word, or None if it agrees."""
    word = "an" if _VOWEL_SOUND.match(replacement) else "a"
    if word == old.strip().lower():
        return None
    if old[:1].isupper():
        word = word.capitalize()
    return word + old[len(old.rstrip()) :]
