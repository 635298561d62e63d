"""The store's schema as numbered migrations; ``PRAGMA user_version`` records how far a file got.

Append a migration to change the schema, never edit one that has shipped:
files in the field are at every version.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: works, their signatures, checked pages and matches.
    """
    CREATE TABLE works (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL,
        version INTEGER NOT NULL,
        title TEXT,
        author TEXT,
        published TEXT,
        url TEXT,
        source TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        text TEXT NOT NULL,
        words INTEGER NOT NULL,
        registered_at TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        UNIQUE (key, version)
    );
    CREATE INDEX works_sha256 ON works (sha256);
    CREATE INDEX works_active_key ON works (key) WHERE active = 1;

    CREATE TABLE signatures (
        work_id INTEGER NOT NULL REFERENCES works (id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        scheme TEXT NOT NULL,
        num_perm INTEGER NOT NULL,
        seed INTEGER NOT NULL,
        shingle INTEGER NOT NULL,
        blocks INTEGER NOT NULL,
        hashvalues BLOB NOT NULL,
        PRIMARY KEY (work_id, kind)
    );

    CREATE TABLE pages (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        url TEXT,
        final_url TEXT,
        title TEXT,
        byline TEXT,
        canonical TEXT,
        published TEXT,
        text TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        checked_at TEXT NOT NULL
    );

    CREATE TABLE matches (
        id INTEGER PRIMARY KEY,
        page_id INTEGER NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
        work_id INTEGER NOT NULL REFERENCES works (id),
        extent TEXT NOT NULL CHECK (extent IN ('full', 'partial', 'quote')),
        coverage REAL NOT NULL,
        similarity REAL NOT NULL,
        copied_words INTEGER NOT NULL,
        chrome INTEGER NOT NULL,
        chrome_score REAL NOT NULL,
        spun INTEGER NOT NULL,
        spun_score REAL NOT NULL,
        authorized INTEGER NOT NULL,
        takedown INTEGER NOT NULL,
        reasons TEXT NOT NULL,
        passages TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'confirmed', 'dismissed')),
        state_reason TEXT,
        page_sha256 TEXT NOT NULL,
        page_changed INTEGER NOT NULL DEFAULT 0,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        UNIQUE (page_id, work_id)
    );
    CREATE INDEX matches_work ON matches (work_id);
    """,
    # 2: the crawl: runs, their frontier, fetch snapshots (bodies stored once per sha256),
    # conditional-GET validators per URL, and robots.txt answers per origin.
    """
    CREATE TABLE crawl_runs (
        id INTEGER PRIMARY KEY,
        scope TEXT NOT NULL,
        started_at TEXT NOT NULL,
        discovered INTEGER NOT NULL DEFAULT 0,
        finished_at TEXT,
        summary TEXT
    );
    CREATE INDEX crawl_runs_open ON crawl_runs (scope) WHERE finished_at IS NULL;

    CREATE TABLE snapshot_bodies (
        sha256 TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        compression TEXT NOT NULL,
        body BLOB NOT NULL
    );

    CREATE TABLE snapshots (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL,
        final_url TEXT NOT NULL,
        status INTEGER NOT NULL,
        headers TEXT NOT NULL,
        redirects TEXT NOT NULL,
        content_type TEXT NOT NULL,
        encoding TEXT,
        sha256 TEXT NOT NULL REFERENCES snapshot_bodies (sha256),
        fetched_at TEXT NOT NULL,
        page_id INTEGER REFERENCES pages (id) ON DELETE SET NULL
    );
    CREATE INDEX snapshots_page ON snapshots (page_id);
    CREATE INDEX snapshots_final_url ON snapshots (final_url);

    CREATE TABLE frontier (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES crawl_runs (id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        source TEXT NOT NULL,
        host TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending'
            CHECK (state IN ('pending', 'fetched', 'unchanged', 'robots', 'failed', 'skipped')),
        reason TEXT,
        status INTEGER,
        page_id INTEGER REFERENCES pages (id) ON DELETE SET NULL,
        snapshot_id INTEGER REFERENCES snapshots (id) ON DELETE SET NULL,
        new_matches INTEGER NOT NULL DEFAULT 0,
        done_at TEXT,
        UNIQUE (run_id, url)
    );
    CREATE INDEX frontier_pending ON frontier (run_id) WHERE state = 'pending';

    CREATE TABLE url_state (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        sha256 TEXT,
        page_id INTEGER REFERENCES pages (id) ON DELETE SET NULL,
        checked_at TEXT NOT NULL
    );

    CREATE TABLE robots (
        origin TEXT PRIMARY KEY,
        status INTEGER NOT NULL,
        body TEXT NOT NULL,
        fetched_at TEXT NOT NULL
    );
    """,
    # 3: a match whose copy is no longer on its page is kept, with its id and triage state, and marked gone.
    """
    ALTER TABLE matches ADD COLUMN gone_since TEXT;
    """,
)
