"""File names built from URLs a copier chose stay inside the report folder and work on every file system."""

from __future__ import annotations

import re

import pytest

from detector.report.names import LOCAL_HOST, host_of, report_name, snapshot_name

SHA = "9e04b9faf12d8906433859b06eef0e431fdedcdfe0ff3ae001039e9983aea5b6"
HOSTILE_URLS = [
    "http://evil.example/../../etc/passwd",
    "http://evil.example/..%2F..%2F..%2Fetc%2Fpasswd",
    "http://CON/aux/nul.txt",
    "http://evil.example/\u202egpj.exe",
    "http://evil.example/a\x00b/<script>alert(1)</script>",
    "http://evil.example/" + "very-long-" * 100,
    "http://[::1]:8080/%2e%2e/",
    "https://xn--bcher-kva.example/ä/ö/ü",
    "javascript:alert(1)",
    "not a url at all",
    ".hidden",
]


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_a_snapshot_name_is_plain_short_and_never_climbs_out(url):
    name = snapshot_name(url, SHA, "text/html")
    assert re.fullmatch(r"[a-z0-9][a-z0-9._-]*\.html\.txt", name), name
    assert ".." not in name and "/" not in name and len(name) <= 140
    assert name.split(".")[0].split("_")[0] not in {"con", "aux", "nul", "prn"}
    assert SHA[:16] in name


@pytest.mark.parametrize("host", ["evil.example", "CON", "..", "a/b\\c", "\u202eexample"])
def test_a_report_name_is_plain(host):
    for parts in (1, 3):
        name = report_name(host, 1, parts, "html")
        assert re.fullmatch(r"report-[a-z0-9][a-z0-9._-]*\.html", name) and ".." not in name, name


def test_pages_without_a_web_url_group_as_local_files():
    assert host_of(None) == host_of("/home/me/page.html") == host_of("javascript:alert(1)") == LOCAL_HOST
    assert report_name(LOCAL_HOST, 1, 1, "md") == "report-local-files.md"
    assert host_of("https://WWW.Example.com:8443/x") == "www.example.com"


def test_hosts_that_differ_only_in_letters_a_file_name_cannot_hold_get_different_reports():
    """One report would overwrite the other: bücher and bächer both slug to b-cher, every Cyrillic host to x."""
    hosts = ["bücher.example", "bächer.example", "пример.рф", "тест.рф", "例子.测试", "a" * 300 + ".example",
             "b" * 300 + ".example", "b-cher.example"]
    names = [report_name(h, 1, 1, "html") for h in hosts]
    assert len(set(names)) == len(hosts), names
    assert names[0] == "report-xn--bcher-kva.example.html"  # the IDNA form a registrar's abuse desk knows
