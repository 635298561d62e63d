"""Chrome evidence for one match: the page's furniture, measured against the copy.

The page counts come from :mod:`detector.extract.features`; here they are
combined with what only the match knows (how much of the page is the copy,
whether the byline is somebody else's) into the model's feature vector and
into reasons a person can check.
"""

from __future__ import annotations

import math
import re

from ..extract import Page
from ..extract.features import PageFeatures, text_features

__all__ = ["CHROME_FEATURES", "chrome_vector", "chrome_reasons", "byline_differs", "features_of"]

CHROME_FEATURES = ("copied_share", "link_density", "headline_links", "link_lists", "date_marks", "share_hosts",
                   "email_forms", "comment_forms", "ad_slots", "copyright", "category_links", "byline_differs")
_NAME = re.compile(r"[^\w]+")


def features_of(page: Page) -> PageFeatures:
    """The page's chrome counts; a page without them (plain text) is read line by line."""
    return page.features if page.features is not None else text_features(page.text)


def byline_differs(byline: str | None, author: str | None) -> float:
    """1 when the page names an author who is not the work's, 0.5 when only the page names one."""
    if not byline:
        return 0.0
    if not author:
        return 0.5
    theirs = {w for w in _NAME.split(byline.casefold()) if len(w) > 1}
    ours = {w for w in _NAME.split(author.casefold()) if len(w) > 1}
    return 0.0 if theirs & ours else 1.0


def chrome_vector(features: PageFeatures, copied_words: int, byline: float) -> list[float]:
    """The model's input, in :data:`CHROME_FEATURES` order; counts are log-scaled."""
    total = max(features.total_words, copied_words, 1)
    return [
        copied_words / total,
        features.link_density,
        math.log1p(features.headline_links),
        math.log1p(features.link_lists),
        math.log1p(features.date_marks),
        float(len(features.share_hosts)),
        float(features.email_forms > 0),
        float(features.comment_forms > 0),
        math.log1p(features.ad_slots),
        float(features.copyright),
        math.log1p(features.category_links),
        byline,
    ]


def chrome_reasons(features: PageFeatures, copied_words: int, byline: str | None, differs: float) -> list[str]:
    """Plain sentences naming the chrome found, each one checkable on the page."""
    reasons: list[str] = []
    if features.headline_links:
        titled = ", ".join(f"'{t}'" for t in features.list_titles[:4])
        where = f" in lists titled {titled}" if titled else f" in {features.link_lists} lists"
        reasons.append(f"{features.headline_links} links to other posts{where}.")
    total = max(features.total_words, copied_words, 1)
    if copied_words / total < 0.6:
        reasons.append(f"The copied text is {copied_words / total:.0%} of the page's words; the rest is other material.")
    if features.share_hosts:
        reasons.append(f"A share row ({', '.join(features.share_hosts[:6])}).")
    if features.email_forms:
        reasons.append(f"{features.email_forms} newsletter or subscribe form{'s' if features.email_forms > 1 else ''}.")
    if features.comment_forms:
        reasons.append("A comment form.")
    if features.ad_slots:
        reasons.append(f"{features.ad_slots} ad slot{'s' if features.ad_slots != 1 else ''} or embedded frame{'s' if features.ad_slots != 1 else ''}.")
    if features.date_marks >= 5:
        reasons.append(f"{features.date_marks} dates, as in lists of other posts.")
    if differs == 1.0 and byline:
        reasons.append(f"The byline names '{byline}', not the original's author.")
    if features.copyright:
        reasons.append("A copyright footer claims the page for the site.")
    return reasons
