"""``make demo``: the whole product on its own sample data, in one command.

Registers the sample originals that ship with detector, checks the sample
copy pages (a content-farm mirror, a spun copy, a partial copy, a quotation,
a syndicated copy, an unrelated post and a hostile page) and prints what it
found. The store is written to a fresh folder, so a demo never touches a real
store.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from importlib import resources
from pathlib import Path

from .cli import main as cli_main


def run(out: Path) -> int:
    samples = Path(str(resources.files("detector") / "samples"))
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    db = str(out / "demo.db")
    print(f"== registering the sample originals ({samples / 'posts'}, {samples / 'others'})")
    code = cli_main(["--db", db, "register", "--quiet", str(samples / "posts"), str(samples / "others")])
    if code:
        return code
    pages = sorted(str(p) for p in (samples / "pages").glob("*.html"))
    print(f"\n== checking {len(pages)} sample pages")
    code = cli_main(["--db", db, "check", "--quiet", *pages])
    if code:
        return code
    print("\n== every stored match")
    code = cli_main(["--db", db, "matches"])
    print(f"\nstore: {db}\nnext: detector --db {db} matches --json")
    return code


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m detector.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="demo-out", help="folder for the demo store (recreated)")
    return run(Path(parser.parse_args().out))


if __name__ == "__main__":
    sys.exit(main())
