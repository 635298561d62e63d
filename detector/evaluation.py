"""Accuracy on labelled copies: the figures the README quotes and the tests hold.

The labelled sets come from :mod:`detector.synth` (verbatim copies in real and
content-farm chrome, spun copies, partial copies, quotations, syndicated
copies, same-field unrelated posts). Each set is registered into a fresh
store and every page is run through the same path ``check`` uses.
"""

from __future__ import annotations

import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .api import Detector
from .config import Config
from .extract import extract_html
from .store import MatchRecord
from .synth.copies import Example, work_url
from .synth.corpus import CorpusPost
from .works import Overrides

__all__ = ["Outcome", "Scores", "evaluate"]


@dataclass(frozen=True)
class Outcome:
    """What detector said about one labelled page."""

    example: Example
    found: MatchRecord | None  # the match with the labelled work, if any
    others: int  # matches with any other work


@dataclass
class Scores:
    """Per-kind recall, extent accuracy and the mistakes that must never happen."""

    outcomes: list[Outcome] = field(default_factory=list)

    def by_kind(self) -> dict[str, list[Outcome]]:
        groups: dict[str, list[Outcome]] = defaultdict(list)
        for outcome in self.outcomes:
            groups[outcome.example.kind].append(outcome)
        return dict(groups)

    def recall(self, kind: str) -> float:
        group = self.by_kind().get(kind, [])
        return sum(o.found is not None for o in group) / len(group) if group else float("nan")

    def extent_accuracy(self) -> float:
        matched = [o for o in self.outcomes if o.found is not None and o.example.label.get("extent")]
        return sum(o.found.extent == o.example.label["extent"] for o in matched if o.found) / len(matched) if matched else float("nan")

    def extent_confusion(self) -> Counter[tuple[str, str]]:
        return Counter((str(o.example.label["extent"]), o.found.extent if o.found else "missed")
                       for o in self.outcomes if o.example.label.get("extent"))

    def false_matches(self) -> int:
        """Matches on pages labelled unrelated, plus matches with works a page does not copy."""
        return sum((o.found is not None) + o.others for o in self.outcomes if o.example.label.get("extent") is None) + \
            sum(o.others for o in self.outcomes if o.example.label.get("extent") is not None)

    def wrong_takedowns(self) -> int:
        """Takedowns recommended on quotations, authorized copies or unrelated pages."""
        return sum(bool(o.found and o.found.takedown) for o in self.outcomes if not o.example.label.get("takedown"))

    def table(self) -> str:
        lines = [f"{'kind':22} {'pages':>5} {'found':>6} {'recall':>7}"]
        for kind, group in sorted(self.by_kind().items()):
            found = sum(o.found is not None for o in group)
            lines.append(f"{kind:22} {len(group):5d} {found:6d} {found / len(group):7.3f}")
        lines.append(f"extent accuracy (matched copies): {self.extent_accuracy():.3f}")
        lines.append(f"false matches: {self.false_matches()}   wrong takedowns: {self.wrong_takedowns()}")
        confusion = self.extent_confusion()
        lines.append("extent confusion (label -> said): " + ", ".join(
            f"{a}->{b}: {n}" for (a, b), n in sorted(confusion.items())))
        return "\n".join(lines)


def evaluate(works: list[CorpusPost], examples: list[Example], config: Config,
             progress: Callable[[], None] | None = None) -> Scores:
    """Register ``works`` in a temporary store and check every example page."""
    scores = Scores()
    with tempfile.TemporaryDirectory() as folder:
        from dataclasses import replace

        config = replace(config, store=replace(config.store, path=str(Path(folder) / "eval.db")))
        with Detector(config) as detector:
            ids: dict[Path, int] = {}
            for post in works:
                detector.register([str(post.path)], Overrides(url=work_url(post)))
            by_url = {w.url: w.id for w in detector.store.works()}
            ids = {post.path: by_url[work_url(post)] for post in works if work_url(post) in by_url}
            for number, example in enumerate(examples):
                page = extract_html(example.html, url=str(example.label.get("page_url") or "") or None)
                _, matches = detector.check_page(f"example:{number}", page, url=None)
                target = ids.get(example.work_path)
                found = next((m for m in matches if m.work_id == target), None)
                scores.outcomes.append(Outcome(example, found, sum(m.work_id != target for m in matches)))
                if progress:
                    progress()
    return scores
