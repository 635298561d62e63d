"""Extraction: the only room that parses HTML. Bytes or text in, a :class:`Page` out."""

from .page import Link, Page

__all__ = ["Link", "Page"]
