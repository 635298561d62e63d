"""The Spark engine (``local[2]``) agrees record for record with the single-machine scan; import loads its output.

Skipped when pyspark is not installed (``pip install -e '.[spark]'``; Spark also needs Java 17), except under
``make test``, which installs the extra and sets ``DETECTOR_REQUIRE_SPARK=1`` so that CI never skips it silently.
"""

from __future__ import annotations

import importlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT
from .test_scan_matches_check import SAMPLES, sample_archives


def evidence(db: Path) -> list[tuple]:
    """Every stored match with its page, figures and the WARC record it came from, in a stable order."""
    with sqlite3.connect(db) as con:
        rows = con.execute(
            "SELECT p.key, p.text, w.sha256, m.extent, m.coverage, m.similarity, m.copied_words, m.chrome,"
            " m.chrome_score, m.spun, m.spun_score, m.authorized, m.takedown, m.reasons, m.passages, s.headers,"
            " s.sha256 FROM matches m JOIN pages p ON p.id = m.page_id JOIN works w ON w.id = m.work_id"
            " JOIN snapshots s ON s.page_id = p.id ORDER BY p.key, w.sha256").fetchall()
    return [(*row[:15], json.loads(row[15])["warc-record-id"], row[16]) for row in rows]


def test_spark_local_agrees_with_the_local_scan_record_for_record(run, tmp_path: Path):
    for module in ("pyspark", "pyarrow"):
        if os.environ.get("DETECTOR_REQUIRE_SPARK") == "1":
            importlib.import_module(module)  # make test installed it: a missing module is a failure
        else:
            pytest.importorskip(module)
    sample_archives(tmp_path)
    archives = [str(tmp_path / name) for name in ("copies.warc.gz", "more.warc", "text.wet.gz")]
    local_db, spark_db, imported_db = tmp_path / "local.db", tmp_path / "spark.db", tmp_path / "imported.db"
    for db in (local_db, spark_db, imported_db):
        assert run("register", str(SAMPLES / "posts"), db_path=db).code == 0
    assert run("scan", "--workers", "2", *archives, db_path=local_db).code == 0
    list_file = tmp_path / "archives.txt"
    list_file.write_text("\n".join(Path(a).name for a in archives) + "\n", encoding="utf-8")
    spark = run("scan", "--engine", "spark", "--master", "local[2]", "--out", str(tmp_path / "out"),
                str(list_file), db_path=spark_db)
    assert spark.code == 0, spark.err
    assert "8 records" in spark.out and "7 new matches" in spark.out and "1 corrupt records skipped" in spark.out

    expected = evidence(local_db)
    assert len(expected) == 7
    assert evidence(spark_db) == expected

    loaded = run("import", str(tmp_path / "out"), db_path=imported_db)
    assert loaded.code == 0, loaded.err
    assert evidence(imported_db) == expected


def test_spark_is_never_imported_by_the_local_scan(tmp_path: Path):
    sample_archives(tmp_path)
    code = (
        "import sys\nfrom detector.cli import main\n"
        f"main(['--db', {str(tmp_path / 's.db')!r}, 'register', {str(SAMPLES / 'posts')!r}])\n"
        f"main(['--db', {str(tmp_path / 's.db')!r}, 'scan', '--workers', '1', {str(tmp_path)!r}])\n"
        "assert not [m for m in sys.modules if m.startswith(('pyspark', 'py4j', 'pyarrow'))], 'spark was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def test_the_spark_engine_without_pyspark_is_a_one_line_error(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)  # what a machine without the [spark] extra sees
    sample_archives(tmp_path)
    result = run("scan", "--engine", "spark", str(tmp_path / "more.warc"))
    assert result.code == 1
    assert result.err.strip().count("\n") == 0
    assert "needs pyspark" in result.err and "detector[spark]" in result.err
