"""Accuracy on labelled copies: the figures the README quotes and the tests hold.

A labelled set is a list of works (files with the URL they are registered
under) and of pages, each with the right answer: which work it copies, the
extent, and the chrome, spun, authorized and takedown flags. Sets come from
:mod:`detector.synth` directly, or from a folder written by ``detector
dataset`` and read back with :func:`read_labels`. Each set is registered into a
fresh store and every page is run through the same path ``check`` uses.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from .api import Detector
from .config import Config
from .errors import InputError
from .extract import extract_html
from .store import MatchRecord
from .synth.copies import Example
from .works import Overrides

__all__ = ["Outcome", "Scores", "evaluate", "scratch_detector", "read_labels", "write_labels", "FLAGS"]

FLAGS = ("chrome", "spun", "authorized", "takedown")


@dataclass(frozen=True)
class Outcome:
    """What detector said about one labelled page."""

    example: Example
    found: MatchRecord | None  # the match with the labelled work, if any
    others: int  # matches with any other work


@dataclass
class Scores:
    """Per-kind recall, extent accuracy, flag precision/recall, and the mistakes that must never happen."""

    outcomes: list[Outcome] = field(default_factory=list)

    def by_kind(self) -> dict[str, list[Outcome]]:
        groups: dict[str, list[Outcome]] = defaultdict(list)
        for outcome in self.outcomes:
            groups[outcome.example.kind].append(outcome)
        return dict(groups)

    def recall(self, kind: str) -> float:
        group = self.by_kind().get(kind, [])
        return sum(o.found is not None for o in group) / len(group) if group else float("nan")

    def _labelled_extent(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.example.label.get("extent")]

    def extent_accuracy(self) -> float:
        matched = [o for o in self._labelled_extent() if o.found is not None]
        return sum(o.found.extent == o.example.label["extent"] for o in matched if o.found) / len(matched) \
            if matched else float("nan")

    def extent_confusion(self) -> Counter[tuple[str, str]]:
        return Counter((str(o.example.label["extent"]), o.found.extent if o.found else "missed")
                       for o in self._labelled_extent())

    def flag_scores(self, flag: str) -> tuple[float, float, float, int]:
        """Precision, recall and F1 of one flag over matched pages, and how many pages were judged."""
        judged = [o for o in self.outcomes if o.found is not None and flag in o.example.label
                  and not (flag == "takedown" and o.example.label.get("extent_unlabelled"))]
        tp = sum(bool(getattr(o.found, flag)) and bool(o.example.label[flag]) for o in judged)
        fp = sum(bool(getattr(o.found, flag)) and not o.example.label[flag] for o in judged)
        fn = sum(not getattr(o.found, flag) and bool(o.example.label[flag]) for o in judged)
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1, len(judged)

    def verbatim_flagged_spun(self) -> float:
        verbatim = [o for o in self.outcomes if o.found and o.example.kind.startswith("verbatim")]
        return sum(bool(o.found and o.found.spun) for o in verbatim) / len(verbatim) if verbatim else 0.0

    def false_matches(self) -> int:
        """Matches on pages that copy nothing, plus matches with works a page does not copy."""
        unlabelled = [o for o in self.outcomes if o.example.label.get("extent") is None
                      and not o.example.label.get("extent_unlabelled")]
        return sum(o.found is not None for o in unlabelled) + sum(o.others for o in self.outcomes)

    def wrong_takedowns(self) -> int:
        """Takedowns recommended on quotations, authorized copies or unrelated pages."""
        return sum(bool(o.found and o.found.takedown) for o in self.outcomes
                   if not o.example.label.get("takedown") and not o.example.label.get("extent_unlabelled"))

    def table(self) -> str:
        lines = [f"{'kind':22} {'pages':>5} {'found':>6} {'recall':>7}"]
        for kind, group in sorted(self.by_kind().items()):
            found = sum(o.found is not None for o in group)
            lines.append(f"{kind:22} {len(group):5d} {found:6d} {found / len(group):7.3f}")
        lines.append("")
        lines.append(f"{'flag':12} {'precision':>9} {'recall':>7} {'F1':>6} {'judged':>7}")
        for flag in FLAGS:
            p, r, f1, n = self.flag_scores(flag)
            lines.append(f"{flag:12} {p:9.3f} {r:7.3f} {f1:6.3f} {n:7d}")
        lines.append("")
        lines.append(f"extent accuracy (matched copies): {self.extent_accuracy():.3f}")
        lines.append(f"verbatim copies flagged spun: {self.verbatim_flagged_spun():.1%}")
        lines.append(f"false matches: {self.false_matches()}   wrong takedowns: {self.wrong_takedowns()}")
        lines.append("extent confusion (rows: label, columns: detector):")
        confusion = self.extent_confusion()
        columns = ("full", "partial", "quote", "missed")
        lines.append(f"{'':10}" + "".join(f"{c:>9}" for c in columns))
        for row in ("full", "partial", "quote"):
            lines.append(f"{row:10}" + "".join(f"{confusion.get((row, c), 0):9d}" for c in columns))
        return "\n".join(lines)


@contextmanager
def scratch_detector(works: Iterable[tuple[Path, str]], config: Config) -> Iterator[Detector]:
    """A Detector on a temporary store holding ``works`` (path, URL); the store is gone afterwards."""
    with tempfile.TemporaryDirectory() as folder:
        config = replace(config, store=replace(config.store, path=str(Path(folder) / "scratch.db")))
        with Detector(config) as detector:
            for path, url in works:
                detector.register([str(path)], Overrides(url=url))
            yield detector


def evaluate(works: Iterable[tuple[Path, str]], examples: list[Example], config: Config,
             progress: Callable[[], None] | None = None) -> Scores:
    """Register ``works`` (path, URL) in a temporary store and check every example page."""
    scores = Scores()
    urls = {Path(path): url for path, url in works}
    with scratch_detector(urls.items(), config) as detector:
        by_url = {w.url: w.id for w in detector.store.works()}
        for number, example in enumerate(examples):
            page = extract_html(example.html, url=str(example.label.get("page_url") or "") or None)
            _, matches = detector.check_page(f"example:{number}", page, url=None)
            target = by_url.get(urls.get(Path(example.work_path), ""))
            found = next((m for m in matches if m.work_id == target), None)
            scores.outcomes.append(Outcome(example, found, sum(m.work_id != target for m in matches)))
            if progress:
                progress()
    return scores


def write_labels(folder: Path, works: Iterable[tuple[Path, str]], examples: list[Example]) -> Path:
    """Write a labelled set as files plus ``labels.jsonl``; returns the labels file."""
    (folder / "works").mkdir(parents=True, exist_ok=True)
    (folder / "pages").mkdir(exist_ok=True)
    names: dict[Path, str] = {}
    for number, (path, url) in enumerate(works):
        name = f"works/{number:04d}{Path(path).suffix}"
        (folder / name).write_bytes(Path(path).read_bytes())
        names[Path(path)] = name
        names[Path(name)] = url
    labels = folder / "labels.jsonl"
    with labels.open("w", encoding="utf-8") as out:
        for number, example in enumerate(examples):
            page = f"pages/{number:05d}.html"
            (folder / page).write_bytes(example.html)
            work = names[Path(example.work_path)]
            label = {k: v for k, v in example.label.items() if isinstance(v, (str, int, float, bool, type(None)))}
            out.write(json.dumps({"page": page, "kind": example.kind, "work": work, "work_url": names[Path(work)],
                                  "label": label}) + "\n")
    return labels


def read_labels(labels: Path) -> tuple[list[tuple[Path, str]], list[Example]]:
    """Read a ``labels.jsonl`` (paths relative to its folder) back into works and examples."""
    folder = labels.parent
    works: dict[Path, str] = {}
    examples: list[Example] = []
    try:
        lines = labels.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            work = folder / row["work"]
            works[work] = row["work_url"]
            examples.append(Example(row["kind"], (folder / row["page"]).read_bytes(), work, row["label"]))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise InputError(f"{labels}: not a readable labels file ({type(error).__name__}: {error})") from None
    return list(works.items()), examples
