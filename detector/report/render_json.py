"""The JSON report: the whole :class:`Report`, enough to redraw the HTML and Markdown without the store.

The notice also appears as the fields of Cloudflare's ``abuse_dmca`` report
and Google's copyright removal form, ready to paste or submit.
"""

from __future__ import annotations

import json

from .model import Report

__all__ = ["render_json", "load_json"]


def render_json(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


def load_json(text: str) -> Report:
    """A report read back from :func:`render_json` output."""
    return Report.from_dict(json.loads(text))
