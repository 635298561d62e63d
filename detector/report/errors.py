"""The failures of ``detector report`` a user can cause; the CLI prints each as one line."""

from __future__ import annotations

from ..errors import DetectorError, UnknownMatch

__all__ = ["UnknownMatch", "NothingToReport", "OutputNotWritable", "SelectionConflict"]


class NothingToReport(DetectorError):
    """The selection holds no match that can be reported (none stored, all dismissed, or none on the host)."""


class OutputNotWritable(DetectorError):
    """The ``--out`` folder cannot be created or written."""


class SelectionConflict(DetectorError):
    """More than one of MATCH_ID, ``--all`` and ``--host`` was given; they pick the matches in different ways."""

    exit_code = 2
