"""The DMCA notice: every missing [author] field is named, the report still renders, the form fields fit."""

from __future__ import annotations

import json
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "detector" / "samples"


def _setup(run, tmp_path: Path, author: str) -> None:
    (tmp_path / "config.toml").write_text(f'[store]\npath = "store.db"\n[author]\n{author}', encoding="utf-8")
    assert run("register", str(SAMPLES / "posts")).code == 0
    assert run("check", str(SAMPLES / "pages" / "spun-copy.html")).code == 0


def test_missing_author_fields_are_named_and_the_report_still_renders(run, tmp_path):
    _setup(run, tmp_path, 'name = "Maren Holt"\n')
    result = run("report", "--format", "html", "--format", "json", "--out", "out")
    assert result.code == 0
    assert "the notice lacks [author] email, address, signature" in result.err
    data = json.loads(Path("out/report-local-files.json").read_text(encoding="utf-8"))
    notice = data["notice"]
    assert notice["missing"] == ["email", "address", "signature"]
    by_clause = {e["clause"]: e for e in notice["elements"]}
    assert by_clause["(i)"]["missing"] == ["signature"] and not by_clause["(i)"]["present"]
    assert by_clause["(iv)"]["missing"] == ["email", "address"]
    assert by_clause["(v)"]["present"] and by_clause["(vi)"]["present"]
    assert "[MISSING: set [author] signature in config.toml]" in notice["text"]
    html = Path("out/report-local-files.html").read_text(encoding="utf-8")
    assert "The notice is not ready to send yet" in html and "<code>signature</code>" in html
    assert '<table class="sbs">' in html, "the evidence renders even though the notice is incomplete"


def test_a_notice_about_local_files_says_it_lacks_the_copies_urls(run, tmp_path):
    _setup(run, tmp_path, 'name = "Maren Holt"\nemail = "m@marenholt.example"\naddress = "1 Harbour Lane"\n'
                          'signature = "/Maren Holt/"\n')
    result = run("report", "--format", "json", "--out", "out")
    assert result.code == 0 and "lacks" not in result.err
    notice = json.loads(Path("out/report-local-files.json").read_text(encoding="utf-8"))["notice"]
    assert notice["missing"] == []
    by_clause = {e["clause"]: e for e in notice["elements"]}
    assert not by_clause["(iii)"]["present"] and "URL of each copy" in by_clause["(iii)"]["missing"][0]
    assert all(by_clause[c]["present"] for c in ("(i)", "(ii)", "(iv)", "(v)", "(vi)"))


def test_cloudflare_fields_are_cut_to_its_limits_with_a_note(run, tmp_path):
    long_name = "Maren " + "Holt-" * 20
    _setup(run, tmp_path, f'name = "{long_name}"\nemail = "m@marenholt.example"\naddress = "1 Harbour Lane"\n'
                          'signature = "/Maren Holt/"\nphone = "+44 1947 000 000 ext. 1234"\n')
    assert run("report", "--format", "json", "--out", "out").code == 0
    notice = json.loads(Path("out/report-local-files.json").read_text(encoding="utf-8"))["notice"]
    cloudflare = notice["cloudflare"]
    assert len(cloudflare["agent_name"]) == 60 and len(cloudflare["tele"]) == 20
    assert any("agent_name" in note for note in notice["form_notes"])
    assert notice["google"]["first_name"]["value"] == long_name.strip().rpartition(" ")[0]


def test_a_work_registered_to_another_author_is_named_before_the_notice_is_sworn(run, tmp_path):
    """The notice swears the sender owns the copyright: a guest post by someone else must be pointed out."""
    _setup(run, tmp_path, 'name = "Ada Park"\nemail = "ada@park.example"\naddress = "2 Quay St"\nsignature = "/Ada/"\n')
    result = run("report", "--format", "html", "--format", "md", "--format", "json", "--out", "out")
    assert result.code == 0
    caution = ('"Truing a Wobbly Bicycle Wheel at Home" is registered as written by Maren Holt, not by Ada Park, who signs this'
               " notice: send it only if you own that copyright or act for its owner, and then say which in the notice")
    assert result.err.strip() == f"detector: check before you send: {caution}"
    notice = json.loads(Path("out/report-local-files.json").read_text(encoding="utf-8"))["notice"]
    assert notice["cautions"] == [caution]
    assert "Check before you send." in Path("out/report-local-files.html").read_text(encoding="utf-8")
    assert "**Check before you send:**" in Path("out/report-local-files.md").read_text(encoding="utf-8")

    _setup(run, tmp_path, 'name = "Maren Holt"\nemail = "m@h.example"\naddress = "1 Lane"\nsignature = "/MH/"\n')
    assert "check before you send" not in run("report", "--out", "out2").err
