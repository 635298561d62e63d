"""The failures a user can cause or fix. Each becomes one line at the CLI edge, never a traceback."""

from __future__ import annotations

__all__ = [
    "DetectorError", "ConfigError", "InputError", "FetchError", "BlockedAddress",
    "FetchTimeout", "BodyTooLarge", "TooManyRedirects", "UnacceptableContent", "FetchInterrupted",
    "SourceError", "SchedulerLocked", "CrawlBusy", "UsageError", "UnknownMatch",
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

    #: Short label a crawl summary counts failures by.
    reason = "fetch error"


class BlockedAddress(FetchError):
    """A URL resolves to a private, loopback, link-local or metadata address and the config forbids those."""

    reason = "blocked address"


class FetchTimeout(FetchError):
    """The server did not connect, answer or finish the body within the configured timeouts."""

    reason = "timeout"


class BodyTooLarge(FetchError):
    """The body (decoded, so a gzip bomb counts at its inflated size) went past the configured cap."""

    reason = "too large"


class TooManyRedirects(FetchError):
    """More redirects than ``[fetch] max_redirects``, or a redirect loop."""

    reason = "too many redirects"


class UnacceptableContent(FetchError):
    """The response is not HTML, XHTML or plain text (or, for a source, not XML or text)."""

    reason = "content type"

    def __init__(self, message: str, content_type: str = "") -> None:
        super().__init__(message)
        #: The type the server declared, for a caller that can say what to do with it.
        self.content_type = content_type


class FetchInterrupted(FetchError):
    """A stop was requested while the fetch waited to retry; the page stays in the frontier."""

    reason = "interrupted"


class SourceError(DetectorError):
    """A sitemap, feed or URL list cannot be read or parsed."""


class SchedulerLocked(DetectorError):
    """Another ``detector schedule`` already runs on this job store."""

    hint = "only one scheduler may use a job store; stop the other one or set [schedule] jobstore"


class CrawlBusy(DetectorError):
    """Another process is crawling the same sources into the same store right now."""

    hint = "its pages are stored as they are fetched; wait for it to finish, or stop it and crawl again to resume"


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


class UsageError(DetectorError):
    """A command-line argument is malformed (for example a URL that is not http or https)."""

    exit_code = 2


class UnknownMatch(DetectorError):
    """A match id given on the command line is not in the store."""

    hint = "see 'detector matches' for the ids"
