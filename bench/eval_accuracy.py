"""Accuracy of matching on labelled copies built from ../shared/corpus, run by hand.

    .venv/bin/python bench/eval_accuracy.py --split train --per-kind 40
    .venv/bin/python bench/eval_accuracy.py --split holdout --per-kind 40   # final evaluation only

Prints recall per kind of copy, extent accuracy, false matches and wrong takedowns.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from detector.config import Config
from detector.evaluation import evaluate
from detector.synth.copies import make_set, work_url

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--split", choices=("train", "holdout"), default="train")
    parser.add_argument("--per-kind", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    works, examples = make_set(Path(args.corpus), args.split, args.per_kind, args.seed)
    built = time.perf_counter()
    scores = evaluate([(w.path, work_url(w)) for w in works], examples, Config())
    print(f"split={args.split} seed={args.seed} works={len(works)} pages={len(examples)} "
          f"(built in {built - started:.1f}s, evaluated in {time.perf_counter() - built:.1f}s)")
    print(scores.table())


if __name__ == "__main__":
    main()
