"""``detector train``, ``detector dataset`` and ``detector evaluate``: the classifier's lifecycle."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..api import Detector
from ..classify import MODEL_PATH, load_models
from ..errors import InputError
from ..evaluation import evaluate, read_labels, write_labels
from .output import Progress


def _corpus(value: str) -> Path:
    corpus = Path(value)
    if not (corpus / "originals").is_dir():
        raise InputError(f"{corpus}: not a corpus folder (it needs originals/ and html/, e.g. ../shared/corpus)")
    return corpus


def run_train(args: argparse.Namespace, detector: Detector) -> int:
    from ..classify.train import train  # scikit-learn: only training needs it, and it takes most of a second to import

    progress = Progress(9 * args.per_kind, "train", args.quiet, unit="page")
    summary = train(_corpus(args.corpus), Path(args.out), args.per_kind, args.seed, detector.config, progress)
    progress.close()
    load_models.cache_clear()
    print(f"trained on {summary['pages']} pages ({summary['matched']} matched) from the corpus's training split")
    print(f"cross-validated F1: chrome {summary['chrome_cv_f1']}, spun {summary['spun_cv_f1']}")
    print(f"model written to {args.out}")
    return 0


def run_dataset(args: argparse.Namespace, detector: Detector) -> int:
    from ..classify.train import training_set
    from ..synth.copies import work_url

    works, examples = training_set(_corpus(args.corpus), args.split, args.per_kind, args.seed)
    labels = write_labels(Path(args.out), [(w.path, work_url(w)) for w in works], examples)
    print(f"wrote {len(examples)} labelled pages and {len(works)} works; evaluate with: detector evaluate {labels}")
    return 0


def run_evaluate(args: argparse.Namespace, detector: Detector) -> int:
    works, examples = read_labels(Path(args.labels))
    progress = Progress(len(examples), "evaluate", args.quiet, unit="page")
    scores = evaluate(works, examples, detector.config, progress)
    progress.close()
    print(scores.table())
    return 0


def add(command) -> None:
    p = command("train", run_train, "train the chrome and spin models on copies generated from the corpus",
                "detector train --corpus ../shared/corpus")
    p.add_argument("--corpus", default="../shared/corpus", help="corpus folder (its HOLDOUT files are never used)")
    p.add_argument("--per-kind", type=int, default=40, help="labelled pages of each kind")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--out", default=str(MODEL_PATH), help="where the model JSON goes (default: the shipped model)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")

    p = command("dataset", run_dataset, "write a labelled set of copies (pages + labels.jsonl) from the corpus",
                "detector dataset --split holdout --per-kind 40 --out eval-set")
    p.add_argument("--corpus", default="../shared/corpus")
    p.add_argument("--split", choices=("train", "holdout"), default="train")
    p.add_argument("--per-kind", type=int, default=40)
    p.add_argument("--seed", type=int, default=11)
    p.add_argument("--out", required=True, help="folder to write (works/, pages/, labels.jsonl)")

    p = command("evaluate", run_evaluate, "print precision, recall and F1 per flag and the extent confusion matrix",
                "detector evaluate eval-set/labels.jsonl")
    p.add_argument("labels", help="a labels.jsonl written by 'detector dataset' (or by hand, same format)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
