"""Each fetch keeps its evidence: raw bytes (compressed), final URL, status, kept headers, fetch time, sha256."""

from __future__ import annotations

import hashlib
import json

from detector.store import Store
from detector.store.frontier import Frontier

from .crawl_site import config_file, serve

PAGE = "<html><body><article><p>Evidence of a copied paragraph, word for word.</p></article></body></html>"


def test_a_snapshot_records_the_raw_answer_after_redirects(run, tmp_path):
    with serve() as site:
        site.redirect("/old", "/new", status=301)
        site.page("/new", PAGE, headers={"ETag": '"e1"', "X-Powered-By": "farm/1.0", "Set-Cookie": "id=1"})
        result = run("--config", config_file(tmp_path / "cfg.toml"), "crawl", "--url", site.url("/old"),
                     db_path=None)
    assert "1 fetched" in result.out
    with Store.open(tmp_path / "store.db") as store, store.transaction() as db:
        row = db.execute("SELECT s.id, s.url, s.final_url, s.status, s.headers, s.redirects, s.sha256, s.fetched_at,"
                         " p.url FROM snapshots s JOIN pages p ON p.id = s.page_id").fetchone()
        body = Frontier(store).snapshot_body(row[0])
    snapshot_id, url, final, status, headers, redirects, digest, fetched_at, page_url = row
    assert (url, final, status, page_url) == (site.url("/old"), site.url("/new"), 200, site.url("/new"))
    assert body == PAGE.encode() and digest == hashlib.sha256(body).hexdigest() and fetched_at
    kept = json.loads(headers)
    assert kept["etag"] == '"e1"' and kept["x-powered-by"] == "farm/1.0" and "set-cookie" not in kept
    assert json.loads(redirects) == [site.url("/old")]
