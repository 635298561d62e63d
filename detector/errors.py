"""The failures a user can cause or fix. Each becomes one line at the CLI edge, never a traceback."""

from __future__ import annotations

__all__ = [
    "DetectorError", "ConfigError", "InputError", "FetchError", "BlockedAddress",
    "StoreError", "StoreLocked", "StoreCorrupt", "StoreTooNew", "StoreFull",
]


class DetectorError(Exception):
    """Base of every error the CLI reports as one line; ``hint`` says what to do next."""

    exit_code = 1
    hint = ""

    def __str__(self) -> str:
        message = super().__str__()
        return f"{message} ({self.hint})" if self.hint and self.hint not in message else message


class ConfigError(DetectorError):
    """The configuration file is missing, unreadable, or has an unknown key or a wrong type."""

    exit_code = 3


class InputError(DetectorError):
    """An input file or page cannot be used (empty, binary, too large, vanished, unparsable)."""


class FetchError(DetectorError):
    """A URL could not be fetched (dead host, timeout, too large, wrong content type, refused)."""


class BlockedAddress(FetchError):
    """A URL resolves to a private, loopback, link-local or metadata address and the config forbids those."""


class StoreError(DetectorError):
    """The SQLite store cannot be used."""

    exit_code = 4


class StoreLocked(StoreError):
    """Another process held the store's write lock for longer than the busy timeout."""

    hint = "another detector process is writing; wait for it to finish and retry"


class StoreCorrupt(StoreError):
    """The store file is not a readable SQLite database or fails its integrity check."""

    hint = "restore the file from a backup, or point --db at a new file; nothing was changed"


class StoreTooNew(StoreError):
    """The store was written by a newer detector whose schema this version does not know."""

    hint = "upgrade detector; this version will not touch the file"


class StoreFull(StoreError):
    """The disk (or the store's size limit) is full; the last write was rolled back."""

    hint = "free some disk space and run the command again; nothing stored was lost"
