"""Main-text extraction quality and speed, ours against trafilatura.

Runs over the non-holdout pages of ``corpus/html`` (the article-extraction
benchmark and the wcxb ``dev`` split) and scores each extraction against the
ground truth with bag-of-words token precision, recall and F1 (lowercased
``\\w+`` tokens, multiset overlap), averaged per page. Anything listed in
``corpus/HOLDOUT`` is skipped before it is even read.

    python bench/extract_quality.py [--corpus DIR] [--only ours|trafilatura]
                                    [--limit N] [--worst N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from detector.extract import extract_html, parse_html, read_links, read_metadata  # noqa: E402
from detector.extract.html import main_blocks  # noqa: E402  (both need the path above)
from detector.extract.text import join_blocks  # noqa: E402

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
TOKEN_RE = re.compile(r"\w+")


@dataclass(frozen=True)
class Sample:
    """One benchmark page: where it came from, its raw bytes and its true text."""

    source: str
    name: str
    html: bytes
    truth: str
    without: tuple[str, ...] = ()


def holdout_paths(corpus: Path) -> list[str]:
    """The HOLDOUT entries, as paths relative to the corpus folder."""
    lines = (corpus / "HOLDOUT").read_text(encoding="utf-8").splitlines()
    return [ln.strip().rstrip("/") for ln in lines if ln.strip() and not ln.startswith("#")]


def is_held_out(rel: str, holdout: list[str]) -> bool:
    """True when ``rel`` is a holdout file or sits under a holdout folder."""
    return any(rel == h or rel.startswith(h + "/") for h in holdout)


def load_samples(corpus: Path) -> Iterator[Sample]:
    """Yield every non-holdout page with its ground truth, AEB first, then wcxb dev."""
    holdout = holdout_paths(corpus)
    aeb = corpus / "html" / "article-extraction-benchmark"
    truth = json.loads((aeb / "ground-truth.json").read_text(encoding="utf-8"))
    for path in sorted((aeb / "html").glob("*.html.gz")):
        if is_held_out(str(path.relative_to(corpus)), holdout):
            continue
        key = path.name.removesuffix(".html.gz")
        yield Sample("aeb", key, gzip.decompress(path.read_bytes()), truth[key]["articleBody"])
    wcxb = corpus / "html" / "wcxb"
    for path in sorted((wcxb / "dev" / "html").glob("*.html.gz")):
        if is_held_out(str(path.relative_to(corpus)), holdout):
            continue
        key = path.name.removesuffix(".html.gz")
        gt = json.loads((wcxb / "dev" / "ground-truth" / f"{key}.json").read_text("utf-8"))
        g = gt["ground_truth"]
        if not g.get("main_content"):
            continue
        yield Sample("wcxb", key, gzip.decompress(path.read_bytes()), g["main_content"],
                     tuple(g.get("without") or ()))


def token_prf(truth: str, pred: str) -> tuple[float, float, float]:
    """Bag-of-words precision, recall and F1 over lowercased word tokens."""
    t = Counter(TOKEN_RE.findall(truth.lower()))
    p = Counter(TOKEN_RE.findall(pred.lower()))
    overlap = sum((t & p).values())
    n_t, n_p = sum(t.values()), sum(p.values())
    if n_t == 0 and n_p == 0:
        return 1.0, 1.0, 1.0
    prec = overlap / n_p if n_p else 0.0
    rec = overlap / n_t if n_t else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1


def ours(html: bytes) -> str:
    """Our extractor as the product calls it (text, metadata, links and chrome features)."""
    return extract_html(html).text


def ours_core(html: bytes) -> str:
    """Our extractor without the chrome feature counts: parse, metadata, links, main text."""
    tree = parse_html(html)
    read_metadata(tree)
    read_links(tree)
    return join_blocks(main_blocks(tree.body)) if tree.body is not None else ""


def trafilatura_text(html: bytes) -> str:
    """trafilatura with the settings the brief names."""
    import trafilatura

    out = trafilatura.extract(html, output_format="txt", include_comments=False)
    return out or ""


EXTRACTORS: dict[str, Callable[[bytes], str]] = {
    "ours": ours, "ours-core": ours_core, "trafilatura": trafilatura_text}


def run(name: str, samples: list[Sample]) -> tuple[list[tuple[float, float, float]], float]:
    """Extract every sample with one extractor; per-page scores and pages/s (CPU time)."""
    fn = EXTRACTORS[name]
    texts: list[str] = []
    start = time.process_time()
    for s in samples:
        texts.append(fn(s.html))
    elapsed = time.process_time() - start
    scores = [token_prf(s.truth, t) for s, t in zip(samples, texts, strict=True)]
    return scores, len(samples) / elapsed if elapsed else float("inf")


def summary_rows(name: str, samples: list[Sample], scores: list[tuple[float, float, float]],
                 rate: float) -> list[str]:
    """Table rows per source and overall for one extractor."""
    rows = []
    for source in ("aeb", "wcxb", "all"):
        picked = [sc for s, sc in zip(samples, scores, strict=True)
                  if source == "all" or s.source == source]
        if not picked:
            continue
        p, r, f = (statistics.mean(x[i] for x in picked) for i in range(3))
        speed = f"{rate:8.1f}" if source == "all" else " " * 8
        rows.append(f"{name:<12} {source:<5} {len(picked):>5} {f:6.3f} {p:6.3f} {r:6.3f} {speed}")
    return rows


def size_rows(name: str, samples: list[Sample], reps: int = 3) -> str:
    """Best-of-``reps`` CPU ms per page for pages of about 50, 100 and 250 KB."""
    fn, cells = EXTRACTORS[name], []
    for low, high in ((30_000, 70_000), (80_000, 120_000), (200_000, 300_000)):
        picked = [s.html for s in samples if low <= len(s.html) < high]
        times = []
        for _ in range(reps):
            start = time.process_time()
            for html in picked:
                fn(html)
            times.append(time.process_time() - start)
        cells.append(f"{(low + high) // 2000} KB: {1000 * min(times) / max(len(picked), 1):.2f} ms")
    return f"  {name} CPU per page, " + ", ".join(cells)


def main() -> None:
    """Parse arguments, run the extractors, print the table (and worst pages if asked)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--only", choices=sorted(EXTRACTORS))
    ap.add_argument("--sizes", action="store_true", help="also print ms/page by page size")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--worst", type=int, default=0, help="list the N worst pages for ours")
    args = ap.parse_args()
    samples = list(load_samples(args.corpus))
    if args.limit:
        samples = samples[: args.limit]
    names = [args.only] if args.only else ["ours", "ours-core", "trafilatura"]
    print(f"{'extractor':<12} {'src':<5} {'pages':>5} {'F1':>6} {'P':>6} {'R':>6} {'pages/s':>8}")
    for name in names:
        scores, rate = run(name, samples)
        print("\n".join(summary_rows(name, samples, scores, rate)))
        if args.sizes and name != "trafilatura":
            print(size_rows(name, samples))
        if name == "ours" and args.worst:
            ranked = sorted(zip(scores, samples, strict=True), key=lambda x: x[0][2])
            for (p, r, f), s in ranked[: args.worst]:
                print(f"  {s.source}/{s.name[:16]} F1={f:.3f} P={p:.3f} R={r:.3f}")


if __name__ == "__main__":
    main()
