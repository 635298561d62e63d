"""Extraction: the only room that parses HTML. Bytes or text in, a :class:`Page` out."""

from .html import extract_html, parse_html
from .metadata import Metadata, read_links, read_metadata
from .page import Link, Page
from .text import extract_text

__all__ = [
    "Link",
    "Metadata",
    "Page",
    "extract_html",
    "extract_text",
    "parse_html",
    "read_links",
    "read_metadata",
]
