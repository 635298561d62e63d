"""Time classification per matched page (run by hand): the issue's budget is 2 ms.

Registers the works of a labelled non-holdout set, matches every page once,
then times ``detector.classify.classify`` alone on each verified copy, and,
separately, the chrome counts that extraction takes for an HTML page
(``page_features``), since classification reads them.

    .venv/bin/python bench/bench_classify.py --per-kind 20
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from pathlib import Path

from detector.api import Detector
from detector.classify import classify, load_models
from detector.config import load_config
from detector.extract import extract_html
from detector.extract.features import page_features
from detector.extract.html import parse_html
from detector.extract.metadata import read_links
from detector.synth.copies import make_set, work_url
from detector.works import Overrides

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--per-kind", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    works, examples = make_set(Path(args.corpus), "train", args.per_kind, seed=4)
    models = load_models()
    with tempfile.TemporaryDirectory() as folder, Detector(load_config(db=f"{folder}/b.db")) as detector:
        for post in works:
            detector.register([str(post.path)], Overrides(url=work_url(post)))
        cases = []
        for example in examples:
            page = extract_html(example.html)
            for found in detector.matcher.match(page.text):
                cases.append((found, page, detector.store.work(found.work_id), example.html))
        timings, feature_timings = [], []
        for found, page, work, html in cases:
            start = time.process_time()
            for _ in range(args.repeat):
                classify(found, page, None, work, detector.config, models)
            timings.append((time.process_time() - start) / args.repeat * 1000)
            tree = parse_html(html)
            links = read_links(tree, None)
            start = time.process_time()
            page_features(tree, links)
            feature_timings.append((time.process_time() - start) * 1000)
    print(f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print(f"matched pages: {len(cases)} (from {len(examples)} labelled pages)")
    for name, values in (("classify()", timings), ("page_features() at extraction", feature_timings)):
        values = sorted(values)
        print(f"{name:32} mean {statistics.mean(values):.2f} ms  median {statistics.median(values):.2f} ms  "
              f"p95 {values[int(0.95 * (len(values) - 1))]:.2f} ms  max {values[-1]:.2f} ms")


if __name__ == "__main__":
    main()
