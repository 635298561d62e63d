"""The detector CLI with every SQLite connection capped at ``MAX_PAGE_COUNT`` pages: a full disk, simulated.

``PRAGMA max_page_count`` belongs to a connection, not to the file, so it
must be set on the connection the CLI opens itself. This child-process
wrapper does that and nothing else; the test process is left untouched.
Usage: ``MAX_PAGE_COUNT=N python capped_cli.py [detector arguments]``.
"""

from __future__ import annotations

import os
import sqlite3
import sys

from detector.cli import main


def _capped(limit: int):  # noqa: ANN202 - wraps sqlite3.connect, whatever its signature
    connect = sqlite3.connect

    def capped_connect(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        connection = connect(*args, **kwargs)
        connection.execute(f"PRAGMA max_page_count = {limit}")
        return connection

    return capped_connect


if __name__ == "__main__":
    sqlite3.connect = _capped(int(os.environ["MAX_PAGE_COUNT"]))
    sys.exit(main(sys.argv[1:]))
