"""Dates as front matter, feeds and pages write them become one form, and an unreadable one is said to be."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from detector.dates import iso_date

from .test_register_store import POST


@pytest.mark.parametrize(("written", "read"), [
    ("2024-03-02", "2024-03-02"), ("December 20, 2019", "2019-12-20"), ("20 Dec 2019", "2019-12-20"),
    ("Dec 3rd, 2019", "2019-12-03"), ("2020-11-22 19:00:00 +0530", "2020-11-22T19:00:00+05:30"),
    ("Fri, 20 Dec 2019 10:00:00 GMT", "2019-12-20T10:00:00+00:00"), ("28/02/2019", "2019-02-28"),
    ("24.12.2019", "2019-12-24"), ("2019/12/20", "2019-12-20"),
])
def test_dates_people_write_are_read(written, read):
    assert iso_date(written) == read


@pytest.mark.parametrize("unsure", ["03/04/2019", "2019-02-30", "not a date", "0099-01-01"])
def test_a_date_that_cannot_be_read_for_certain_is_kept_as_written(unsure):
    assert iso_date(unsure) == unsure


def test_a_long_form_date_is_stored_as_iso_and_an_unreadable_one_is_named_in_the_report(run, tmp_path: Path):
    post = tmp_path / "post.md"
    post.write_text(POST.replace("date: 2024-03-02", "date: March 2, 2024"), encoding="utf-8")
    run("register", str(post))
    with sqlite3.connect(tmp_path / "store.db") as db:
        assert db.execute("SELECT published FROM works").fetchone()[0] == "2024-03-02"

    post.write_text(POST.replace("date: 2024-03-02", "date: spring 2024").replace("cold-sourdough", "x"))
    run("register", str(post))
    copy = tmp_path / "copy.txt"
    copy.write_text(POST.split("---\n", 2)[2], encoding="utf-8")
    (match,) = json.loads(run("check", "--json", str(copy)).out)[0]["matches"]
    assert run("report", "--format", "md", "--out", "out", str(match["id"])).code == 0
    report = Path("out/report-local-files.md").read_text(encoding="utf-8")
    assert "publication date ('spring 2024') could not be read as a date" in report


def test_a_published_flag_that_is_not_a_date_is_a_usage_error(run, tmp_path: Path):
    post = tmp_path / "post.md"
    post.write_text(POST, encoding="utf-8")
    result = run("register", "--published", "2019-02-30", str(post))
    assert result.code == 2 and result.err.strip() == (
        "detector: --published '2019-02-30' is not a date; give it as YYYY-MM-DD")
