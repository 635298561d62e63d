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
)
