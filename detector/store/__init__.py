"""detector/store: SQLite persistence for works, signatures, pages and matches."""

from .db import Store, sha256_text, utcnow
from .records import MatchRecord, PageRecord, RegisterOutcome, SignatureRecord, StoredWork, WorkRecord

__all__ = [
    "Store", "sha256_text", "utcnow", "MatchRecord", "PageRecord", "RegisterOutcome", "SignatureRecord",
    "StoredWork", "WorkRecord",
]
