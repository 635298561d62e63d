"""Build ``detector/synth/synonyms.json.gz``, the spinner's synonym table, from WordNet 3.0.

Article spinners swap each content word for a synonym of its most common sense,
whatever the word means in context ("company" -> "firm", "suit" -> "swimsuit").
This tool reads the WordNet database files directly (no NLTK), keeps common
single-word lemmas, ranks their synonyms by sense order and SemCor tag counts,
and expands every entry to the inflected forms a text uses (plural -s, -ed,
-ing, and -ly adverbs), so the spinner is a plain dictionary lookup.

The table is shipped with the project; tests and CI never need WordNet.
Run once after ``apt-get install wordnet-base``::

    python tools/build_synonyms.py [--wordnet /usr/share/wordnet] [--out detector/synth/synonyms.json.gz]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fingerprints.lexicon import FUNCTION_WORDS  # noqa: E402 - a script run from a checkout, after the path fix above

POS_FILES = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
SS_TYPE_POS = {"1": "n", "2": "v", "3": "a", "4": "r", "5": "a"}
WORD = re.compile(r"^[a-z]{3,}$")
REPLACEMENT = re.compile(r"^[a-z]{2,}(?: [a-z]{2,}){0,2}$")
MIN_SOURCE_COUNT = 1  # SemCor tags a word needs to count as common enough to spin
MIN_TARGET_COUNT = 1  # a synonym nobody ever used in SemCor reads as a typo
MAX_SENSES = 4
MAX_SYNONYMS = 4
MIN_RELATED_COUNT = 5  # a broader or narrower word stands in only when it is common ("company" -> "firm")
RELATED_WEIGHT = 0.3
#: Pointers to words one step away that may stand in: hypernyms, noun hyponyms, similar adjectives.
RELATED = {"n": {"@", "~"}, "v": {"@"}, "a": {"&"}, "r": set()}
#: Senses no generator should put into a blog post, however WordNet ranks them.
SEXUAL = re.compile(r"\bsex|sexual|genital|copulat|intercourse|coitus|vulgar|obscene", re.IGNORECASE)
_BLOCKED_WORDS = ["screw", "fuck", "shag", "bang", "hump", "lay", "bed", "ass", "arse", "bitch", "cock", "dick"]
_BLOCKED_MORE = ["prick", "piss", "crap", "tit", "nookie", "bonk", "love", "be intimate", "do it", "have it away"]
_BLOCKED_PHRASES = ["have it off", "make out", "sleep together", "get it on", "roll in the hay", "have sex"]
BLOCKED = frozenset(_BLOCKED_WORDS + _BLOCKED_MORE + _BLOCKED_PHRASES + ["make love", "sleep with"])
#: The auxiliaries' forms, which verb.exc does not list because they are too irregular.
AUXILIARY = {
    "be": ("is", "was", "been", "being"),
    "have": ("has", "had", "had", "having"),
    "do": ("does", "did", "done", "doing"),
}
#: Verbs whose past is the base form; WordNet's verb.exc leaves them out.
_INVARIANT = ["bet", "burst", "cast", "cost", "cut", "hit", "hurt", "let", "put", "quit", "read", "set", "shed"]
INVARIANT_VERBS = frozenset(_INVARIANT + ["shut", "split", "spread", "thrust", "upset"])

#: Swaps observed in the seed spun copy (seeds/000 against 001), put first so generated copies read like it.
SEED_SWAPS = """
n company: firm, corporation | n data: information | n learning: studying | v learn: study | a big: large, huge
a great: nice | n benefit: advantage | n balance: steadiness | n meeting: conference | n phase: section
v give: present | v love: like | n field: area | n video: movie | n passion: keenness | n excitement: pleasure
v offer: provide | a short: brief | n team: crew, group | n technology: know-how | v mean: imply | v move: transfer
v grow: develop | v hire: rent | n employee: worker | n level: range | n structure: construction
v avoid: keep away from | a significant: vital | n profit: income, revenue | a old: outdated | v test: check
n strategy: technique, method | v protect: guard | n bottom: backside | a willing: prepared | v speak: talk
a total: whole | n type: sort | n culture: tradition | r simply: merely | n suit: swimsuit | n person: individual
v bother: trouble | n detail: element | r completely: utterly | n hole: gap | n idea: concept
n production: manufacturing | v think: imagine, assume | a stupid: silly | a fine: nice | v satisfy: fulfill
r frequently: incessantly | n process: course of | a better: greater | r unfortunately: sadly | a certain: sure
v stay: remain | n purpose: goal, objective | n impact: impression | v keep: maintain | n revenue: income
a wrong: flawed | v understand: perceive | a perfect: excellent | n example: instance | n business: enterprise
a worthless: nugatory | r basically: principally | a useful: helpful | a internal: inside | v boost: spice up
n productivity: productiveness | r directly: immediately | a easy: simple | v manage: handle | n role: position
a notorious: infamous | r properly: correctly | n skill: talent | v decide: resolve, determine | v leave: depart
a fundamental: elementary | n model: mannequin | v improve: enhance | n career: profession | n number: quantity
n product: merchandise | r extremely: extraordinarily | a difficult: tough | a further: additional
a substantial: considerable | a bad: nasty | n thing: factor, issue | n problem: issue | a profitable: worthwhile
n year: yr | a entire: whole | a practical: sensible | n worth: value | n leadership: management
n maintenance: upkeep | n feature: function | a comfortable: snug | n risk: danger | n world: planet
n front: entrance | n price: worth | n adventure: journey | v help: assist | v build: construct | n people: folks
n experience: expertise | v happen: occur | v fix: repair | n approach: strategy | n fun: enjoyable
n point: purpose, level | v want: wish, need | v start: begin | v need: want | v miss: lack | v pass: hand
r literally: actually | a smart: good | a friendly: pleasant | a flexible: versatile | n opinion: view
"""


def seed_swaps() -> dict[tuple[str, str], list[str]]:
    """:data:`SEED_SWAPS` parsed: (lemma, pos) -> the replacements to put first."""
    swaps: dict[tuple[str, str], list[str]] = {}
    for item in SEED_SWAPS.replace("\n", "|").split("|"):
        if item.strip():
            head, _, targets = item.partition(":")
            pos, lemma = head.split()
            swaps[(lemma, pos)] = [target.strip() for target in targets.split(",")]
    return swaps


SWAPS = seed_swaps()


@dataclass
class WordNet:
    """The parts of WordNet the table needs, keyed for quick lookup."""

    senses: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (lemma, pos) -> synset offsets
    lemmas: set[tuple[str, str]] = field(default_factory=set)  # every (lemma, pos) in the index
    tags: dict[tuple[str, str], int] = field(default_factory=dict)  # (lemma, pos) -> SemCor tag count
    synsets: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (offset, pos) -> lemmas
    related: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # hypernyms and hyponyms
    sense_tags: dict[tuple[str, str, int], int] = field(default_factory=dict)  # (lemma, pos, sense no.)
    exceptions: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # pos -> lemma -> forms


def read_index(wordnet: WordNet, path: Path, pos: str) -> None:
    """index.POS: a lemma's synsets in sense order (most frequent first)."""
    for line in path.read_text(encoding="latin-1").splitlines():
        if line.startswith(" "):
            continue
        parts = line.split()
        lemma, synset_count, pointer_count = parts[0], int(parts[2]), int(parts[3])
        wordnet.senses[(lemma, pos)] = parts[6 + pointer_count : 6 + pointer_count + synset_count]
        wordnet.lemmas.add((lemma, pos))


def read_data(wordnet: WordNet, path: Path, pos: str) -> None:
    """data.POS: each synset's lemmas (adjective markers like ``(a)`` dropped), hypernyms and hyponyms."""
    for line in path.read_text(encoding="latin-1").splitlines():
        if line.startswith(" "):
            continue
        head, _, gloss = line.partition(" | ")
        parts = head.split()
        offset, word_count = parts[0], int(parts[3], 16)
        if SEXUAL.search(gloss):
            continue  # a blog post spun into a sexual sense would be a giveaway, not a test
        lemmas = [re.sub(r"\(.*\)$", "", parts[4 + 2 * i]).lower() for i in range(word_count)]
        at = 4 + 2 * word_count
        pointer_count = int(parts[at])
        pointers = [parts[at + 1 + 4 * i : at + 5 + 4 * i] for i in range(pointer_count)]
        wordnet.synsets[(offset, pos)] = lemmas
        wordnet.related[(offset, pos)] = [
            p[1] for p in pointers if p[0] in RELATED[pos] and p[2].replace("s", "a") == pos
        ]


def read_counts(wordnet: WordNet, path: Path) -> None:
    """cntlist.rev: how often each (lemma, sense number) was tagged in the SemCor corpus."""
    for line in path.read_text(encoding="latin-1").splitlines():
        key, sense_number, count = line.split()
        lemma, _, rest = key.partition("%")
        pos = SS_TYPE_POS[rest[0]]
        wordnet.sense_tags[(lemma.lower(), pos, int(sense_number))] = int(count)
        wordnet.tags[(lemma.lower(), pos)] = wordnet.tags.get((lemma.lower(), pos), 0) + int(count)


def read_exceptions(wordnet: WordNet, path: Path, pos: str) -> None:
    """POS.exc: irregular inflected forms, mapped here from the lemma to its forms."""
    forms: dict[str, list[str]] = defaultdict(list)
    for line in path.read_text(encoding="latin-1").splitlines():
        form, *lemmas = line.split()
        for lemma in lemmas:
            forms[lemma].append(form)
    wordnet.exceptions[pos] = dict(forms)


def load(folder: Path) -> WordNet:
    """Read the WordNet 3.0 database in ``folder`` (Debian: /usr/share/wordnet)."""
    wordnet = WordNet()
    for pos, name in POS_FILES.items():
        read_index(wordnet, folder / f"index.{name}", pos)
        read_data(wordnet, folder / f"data.{name}", pos)
        read_exceptions(wordnet, folder / f"{name}.exc", pos)
    read_counts(wordnet, folder / "cntlist.rev")
    return wordnet


def _too_close(source: str, target: str) -> bool:
    """A "synonym" that is the word itself with another ending is no swap at all."""
    stem = min(len(source), len(target), 5)
    if source[:stem] == target[:stem] and stem >= 4:
        return True
    return target.startswith(source) or source.startswith(target) or source in target.split()


def _candidates(wordnet: WordNet, lemma: str, pos: str) -> list[tuple[str, float]]:
    """(word, sense weight) pairs: lemmas of the first senses, then words one step broader or narrower."""
    pairs: list[tuple[str, float]] = []
    offsets = wordnet.senses.get((lemma, pos), [])
    for rank, offset in enumerate(offsets[:MAX_SENSES]):
        weight = 1.0 / (rank + 1) ** 2 * (1 + wordnet.sense_tags.get((lemma, pos, rank + 1), 0))
        pairs.extend((name, weight) for name in wordnet.synsets.get((offset, pos), []))
    for offset in wordnet.related.get((offsets[0], pos), []) if offsets else []:
        for name in wordnet.synsets.get((offset, pos), []):
            if wordnet.tags.get((name, pos), 0) >= MIN_RELATED_COUNT:
                pairs.append((name, RELATED_WEIGHT))
    return pairs


def synonyms(wordnet: WordNet, lemma: str, pos: str) -> list[str]:
    """The best few synonyms of ``lemma`` as ``pos``: first senses first, then the commonly used lemmas."""
    inflected = {form for forms in wordnet.exceptions[pos].values() for form in forms}
    scores: dict[str, float] = {}
    for candidate, weight in _candidates(wordnet, lemma, pos):
        name = candidate.replace("_", " ")
        if name == lemma or name in inflected or name in BLOCKED or not REPLACEMENT.match(name):
            continue
        if _too_close(lemma, name):
            continue
        if " " not in name and wordnet.tags.get((name, pos), 0) < MIN_TARGET_COUNT:
            continue
        usage = 1 + wordnet.tags.get((name, pos), 0) if " " not in name else 0.5
        scores[name] = scores.get(name, 0.0) + weight * usage**0.5
    ranked = [name for name, _ in sorted(scores.items(), key=lambda item: (-item[1], item[0]))]
    preferred = SWAPS.get((lemma, pos), [])
    return (preferred + [name for name in ranked if name not in preferred])[:MAX_SYNONYMS]


def _regular_s(word: str) -> str:
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    return word + "s"


def _regular_ed(word: str) -> str:
    if word.endswith("e"):
        return word + "d"
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ied"
    return word + "ed"


def _regular_ing(word: str) -> str:
    if word.endswith("ie"):
        return word[:-2] + "ying"
    if re.search(r"[^aeioy]e$", word):
        return word[:-1] + "ing"
    return word + "ing"


def inflect(wordnet: WordNet, lemma: str, pos: str, slot: str) -> str | None:
    """``lemma`` in one inflection slot (base, s, ed, en, ing), irregular forms from the .exc files.

    Multi-word verbs inflect their first word ("keep away from" -> "keeps away
    from"), multi-word nouns their head ("lines of work", "trial runs"). Returns None when the form is unclear.
    """
    if slot == "base":
        return lemma
    words = lemma.split(" ")
    index = 0 if pos != "n" else words.index("of") - 1 if "of" in words[1:] else -1
    form = _inflect_word(wordnet, words[index], pos, slot)
    if form is None:
        return None
    words[index] = form
    return " ".join(words)


def _inflect_word(wordnet: WordNet, word: str, pos: str, slot: str) -> str | None:
    """One word in one slot; nouns only have a plural, and a noun already plural gets None."""
    irregular = wordnet.exceptions[pos].get(word, [])
    if pos == "n":
        if irregular:
            return irregular[0]
        return None if re.search(r"[^s]s$", word) else _regular_s(word)
    if word in AUXILIARY:
        return AUXILIARY[word][("s", "ed", "en", "ing").index(slot)]
    if slot == "s":
        return word + "es" if re.search(r"[^aeiou]o$", word) else _regular_s(word)
    if slot == "ing":
        return next((f for f in irregular if f.endswith("ing")), _regular_ing(word))
    return _past(word, irregular, slot)


def _past(word: str, irregular: list[str], slot: str) -> str | None:
    """Past tense ("ed") or participle ("en"); None when WordNet's forms leave it unclear."""
    if word in INVARIANT_VERBS:
        return word
    past = [f for f in irregular if not f.endswith("ing") and not f.endswith("s")]
    if not past:
        return _regular_ed(word)
    if len(past) == 1:
        return past[0]
    participles = [f for f in past if f.endswith(("n", "ne"))]
    plain = [f for f in past if not f.endswith(("n", "ne"))]
    chosen = participles if slot == "en" else plain
    return chosen[0] if chosen else None


SLOTS = {"n": ("base", "s"), "v": ("base", "s", "ed", "en", "ing"), "a": ("base",), "r": ("base",)}


def _source_forms(wordnet: WordNet, lemma: str, pos: str, slot: str) -> list[str]:
    """How ``lemma`` may appear in a text in one slot: irregular verbs often have a regular past too."""
    forms = [inflect(wordnet, lemma, pos, slot)]
    if pos == "v" and slot == "ed":
        forms.append(_regular_ed(lemma))
    if slot == "en" and forms[0] == inflect(wordnet, lemma, pos, "ed"):
        return []  # one form for past and participle: the past tense of each synonym stands in
    return [form for form in dict.fromkeys(forms) if form and WORD.match(form)]


def entries_for(wordnet: WordNet, lemma: str, pos: str) -> dict[str, list[str]]:
    """Every surface form of ``lemma`` mapped to the same form of each of its synonyms."""
    found = synonyms(wordnet, lemma, pos)
    table: dict[str, list[str]] = {}
    for slot in SLOTS[pos]:
        targets = [t for t in (inflect(wordnet, s, pos, slot) for s in found) if t]
        for source in _source_forms(wordnet, lemma, pos, slot):
            kept = table.setdefault(source, [])
            kept.extend(t for t in targets if t != source and t not in kept)
    if pos == "a":
        table.update(adverbs_from(wordnet, lemma, found))
    return {source: targets for source, targets in table.items() if targets}


def adverbs_from(wordnet: WordNet, lemma: str, found: list[str]) -> dict[str, list[str]]:
    """-ly adverbs of an adjective and of its synonyms, when WordNet knows both as adverbs."""
    source = lemma[:-1] + "ily" if lemma.endswith("y") else lemma + "ly"
    if (source, "r") not in wordnet.lemmas:
        return {}
    targets = []
    for synonym in found:
        adverb = synonym[:-1] + "ily" if synonym.endswith("y") else synonym + "ly"
        if " " not in synonym and (adverb, "r") in wordnet.lemmas:
            targets.append(adverb)
    return {source: targets} if targets else {}


def build(wordnet: WordNet) -> dict[str, list[str]]:
    """The whole table: for each surface form, the entry of its most common part of speech."""
    best: dict[str, tuple[int, list[str]]] = {}
    for lemma, pos in sorted(wordnet.lemmas):
        count = wordnet.tags.get((lemma, pos), 0)
        if count < MIN_SOURCE_COUNT or not WORD.match(lemma) or lemma in FUNCTION_WORDS:
            continue
        for form, targets in entries_for(wordnet, lemma, pos).items():
            if form in FUNCTION_WORDS:
                continue
            if form not in best or count > best[form][0]:
                best[form] = (count, targets[:MAX_SYNONYMS])
    return {form: best[form][1] for form in sorted(best)}


def main(argv: list[str] | None = None) -> int:
    """Write the gzipped JSON table and print its size."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"))
    parser.add_argument("--out", type=Path, default=ROOT / "detector" / "synth" / "synonyms.json.gz")
    args = parser.parse_args(argv)
    table = build(load(args.wordnet))
    payload = {
        "source": "WordNet 3.0 (Princeton University), see NOTICE-wordnet.txt",
        "synonyms": table,
    }
    raw = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    args.out.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    print(f"{len(table)} forms, {args.out.stat().st_size} bytes -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
