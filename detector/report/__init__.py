"""detector/report: takedown evidence (HTML, Markdown, JSON) and a DMCA notice draft, from stored matches only.

The rooms, in order: :mod:`.build` picks the matches and cuts them into one
report per host (at most 250 URLs); :mod:`.evidence` gathers each copy's
facts from the store; :mod:`.sidebyside`, :mod:`.timeline` and
:mod:`.notice` turn them into the view, the dates and the notice; the
``render_*`` modules draw a :class:`Report`; :mod:`.write` saves the folder.
Nothing here fetches anything or runs scraped content.
"""

from .build import Built, Selection, build_reports
from .errors import NothingToReport, OutputNotWritable, UnknownMatch
from .forms import CLOUDFLARE_MAX_URLS
from .model import Report
from .render_html import render_html
from .render_json import load_json, render_json
from .render_md import render_md
from .write import FORMATS, write_reports

__all__ = [
    "Built", "Selection", "build_reports", "write_reports", "render_html", "render_md", "render_json", "load_json",
    "Report", "FORMATS", "CLOUDFLARE_MAX_URLS", "NothingToReport", "OutputNotWritable", "UnknownMatch",
]
