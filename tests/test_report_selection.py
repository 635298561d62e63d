"""What goes into a report, and the one-line errors when nothing can: on the sample pages, checked as files."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from detector.store import Store, sha256_text
from detector.store.evidence import evidence_rows

SAMPLES = Path(__file__).resolve().parent.parent / "detector" / "samples"
PAGES = SAMPLES / "pages"


@pytest.fixture
def checked(run, tmp_path: Path) -> dict[str, int]:
    """Every sample page checked from its file; returns match ids by page file name."""
    (tmp_path / "config.toml").write_text('[store]\npath = "store.db"\n[author]\nname = "Maren Holt"\n'
                                          'email = "maren@marenholt.example"\naddress = "1 Harbour Lane, Whitby"\n'
                                          'signature = "/Maren Holt/"\n', encoding="utf-8")
    assert run("register", str(SAMPLES / "posts"), str(SAMPLES / "others")).code == 0
    pages = sorted(PAGES.glob("*.html"))
    result = run("check", "--json", *map(str, pages))
    assert result.code == 0, result.err
    return {Path(p["page"]).name: m["id"] for p in json.loads(result.out) for m in p["matches"]}


def _report(run, *args: str) -> tuple[dict, str]:
    result = run("report", "--format", "json", "--format", "html", "--out", "out", *args)
    assert result.code == 0, result.err
    out = Path("out")
    return json.loads((out / "report-local-files.json").read_text(encoding="utf-8")), result.err


def _pages(data: dict) -> set[str]:
    return {Path(c["copy"]["key"]).name for c in data["copies"]}


def test_quotations_and_authorized_copies_are_left_out_by_default(run, checked):
    data, err = _report(run)
    assert _pages(data) == {"farm-mirror.html", "spun-copy.html", "partial-copy.html", "hostile.html"}
    assert "left out 2 quotation(s) or authorized copies" in err
    assert all(c["recommended"] for c in data["copies"])


def test_a_quotation_named_by_id_is_reported_as_not_recommended(run, checked):
    data, _ = _report(run, str(checked["quote.html"]))
    assert _pages(data) == {"quote.html"} and data["copies"][0]["recommended"] is False
    assert data["notice"] is None
    html = Path("out/report-local-files.html").read_text(encoding="utf-8")
    assert "Not recommended for takedown" in html and "no notice is drafted" in html


def test_an_authorized_copy_named_with_a_copy_stays_out_of_the_notice(run, checked):
    data, _ = _report(run, str(checked["syndicated.html"]), str(checked["farm-mirror.html"]))
    recommended = {Path(c["copy"]["key"]).name: c["recommended"] for c in data["copies"]}
    assert recommended == {"syndicated.html": False, "farm-mirror.html": True}
    # a file path is no URL: the forms' URL fields stay empty and a note says how to fill them
    assert data["notice"]["urls"] == [] and data["notice"]["cloudflare"]["urls"] == ""
    assert any("1 copy checked from local files has no URL" in n for n in data["notice"]["form_notes"])
    assert "None" not in data["notice"]["cloudflare"]["justification"]


def test_dismissed_matches_are_never_reported(run, checked):
    assert run("dismiss", str(checked["hostile.html"]), "--reason", "handled").code == 0
    data, err = _report(run)
    assert "hostile.html" not in _pages(data) and "dismissed" in err
    result = run("report", "--out", "out", str(checked["hostile.html"]))
    assert result.code == 1 and result.err.count("\n") == 1 and "dismissed" in result.err


def test_an_unknown_match_id_is_a_one_line_error(run, checked):
    result = run("report", "999", str(checked["quote.html"]))
    assert result.code == 1 and result.err.count("\n") == 1
    assert "no match with id 999" in result.err and "detector matches" in result.err
    assert not Path("reports").exists()


def test_an_empty_store_is_a_one_line_error(run, tmp_path):
    assert run("register", str(SAMPLES / "posts")).code == 0
    result = run("report")
    assert result.code == 1 and result.err.count("\n") == 1 and "no matches stored yet" in result.err


def test_a_missing_store_is_reported_not_created(run, tmp_path):
    result = run("report", db_path=tmp_path / "nothing.db")
    assert result.code == 4 and result.err.count("\n") == 1 and "no store at" in result.err
    assert not (tmp_path / "nothing.db").exists()


def test_an_unwritable_out_folder_is_a_one_line_error(run, checked, tmp_path):
    (tmp_path / "taken").write_text("a file, not a folder", encoding="utf-8")
    result = run("report", "--out", str(tmp_path / "taken" / "reports"))
    assert result.code == 1 and result.err.count("\n") == 1 and "cannot write reports to" in result.err


def test_an_unknown_host_names_the_hosts_with_copies(run, checked):
    result = run("report", "--host", "https://nowhere.example/x")
    assert result.code == 1 and result.err.count("\n") == 1
    assert "nowhere.example" in result.err and "local files" in result.err


def test_a_copy_checked_from_a_file_has_no_snapshot_but_the_text_hash(run, checked, tmp_path):
    data, _ = _report(run, str(checked["spun-copy.html"]))
    copy = data["copies"][0]["copy"]
    assert copy["snapshot"] is None
    with Store.open(tmp_path / "store.db") as store:
        (row,) = evidence_rows(store, [checked["spun-copy.html"]])
    assert copy["text_sha256"] == sha256_text(row.page["text"])
    html = Path("out/report-local-files.html").read_text(encoding="utf-8")
    assert "None exists" in html and "checked from a local file" in html and copy["text_sha256"] in html
    assert not Path("out/snapshots").exists()


def test_report_leaves_the_store_unchanged(run, checked, tmp_path):
    before = hashlib.sha256((tmp_path / "store.db").read_bytes()).hexdigest()
    assert run("report", "--format", "md").code == 0
    assert hashlib.sha256((tmp_path / "store.db").read_bytes()).hexdigest() == before


def test_ids_all_and_host_are_one_choice(run, checked):
    result = run("report", "--all", "--host", "farm.example")
    assert result.code == 2 and result.err.count("\n") == 1 and "not more than one" in result.err


def test_a_copy_checked_from_a_file_is_marked_missing_in_the_notice_not_none(run, checked):
    data, _ = _report(run, str(checked["farm-mirror.html"]))
    notice = data["notice"]["text"]
    section = notice.split("2. The infringing material", 1)[1].split("3. My contact information", 1)[0]
    assert "- [MISSING: the copy's URL; check the page by its address ('detector check URL') to record it]" in section
    assert "None" not in notice


def test_the_markdown_report_says_when_the_page_changed_and_which_match_it_is(run, checked, tmp_path):
    page = tmp_path / "mirror.html"
    page.write_text((PAGES / "farm-mirror.html").read_text(encoding="utf-8"), encoding="utf-8")
    first = json.loads(run("check", "--json", str(page)).out)[0]["matches"][0]["id"]
    page.write_text(page.read_text(encoding="utf-8").replace("seventy percent", "sixty percent"), encoding="utf-8")
    run("check", str(page))
    assert run("report", "--format", "md", "--out", "out", str(first)).code == 0
    markdown = Path("out/report-local-files.md").read_text(encoding="utf-8")
    assert "The page has changed since detector first found this copy" in markdown
    assert f"Match id {first} (new)." in markdown


def test_a_confirmed_copy_that_carries_the_originals_canonical_link_goes_into_the_notice(run, checked):
    """A page copied with its head carries the original's canonical link and so looks syndicated: the author,
    who knows whom they syndicate to, confirms it, and the notice then includes it."""
    syndicated = checked["syndicated.html"]
    (match,) = [m for m in json.loads(run("matches", "--json").out) if m["id"] == syndicated]
    assert match["authorized"] and not match["takedown"]
    assert any("'detector confirm ID' puts it in the next notice" in r for r in match["reasons"])
    assert run("confirm", str(syndicated)).code == 0
    (listed,) = [m for m in json.loads(run("matches", "--json").out) if m["id"] == syndicated]
    assert listed["takedown"] is True and listed["authorized"] is False  # 'matches' says what the report does
    assert json.loads(run("status", "--json").out)["takedowns_open"] == 5  # the 4 recommended copies, and this one
    data, _ = _report(run)
    copies = {Path(c["copy"]["key"]).name: c for c in data["copies"]}
    assert copies["syndicated.html"]["recommended"] is True
    assert any("not a permission you gave" in r for r in copies["syndicated.html"]["flags"]["reasons"])
    quote = checked["quote.html"]  # a quotation stays a quotation, confirmed or not
    assert run("confirm", str(quote)).code == 0
    data, _ = _report(run)
    assert "quote.html" not in _pages(data)
