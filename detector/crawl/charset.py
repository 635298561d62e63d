"""Decode a fetched body: byte-order mark, then the HTTP header, then ``<meta>``, then detection.

The order is the one browsers use (WHATWG "encoding sniffing"), so the text
we match is the text a reader of the copy saw. Labels are mapped the way
browsers map them too: a page declared ``iso-8859-1`` is really decoded as
windows-1252, and ``shift_jis`` as its superset cp932, or curly quotes and
NEC symbols would come out as garbage.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

__all__ = ["decode_body", "charset_from_content_type"]

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_SUPERSETS = {"latin-1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252", "shift_jis": "cp932",
              "euc_kr": "cp949", "gb2312": "gb18030", "gbk": "gb18030", "iso8859-9": "cp1254"}
_META = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
_HEADER = re.compile(r"""charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
_TYPOGRAPHY = set("\u201c\u201d\u2018\u2019\u2013\u2014\u2026\u20ac\u00ab\u00bb\u00b0\u00b7\u00a0\u00a9\u00ae\u2022")
#: Browsers only look this far for a <meta charset>.
_PRESCAN = 1024 * 4
#: Detection reads a sample, not a whole 5 MB page.
_DETECT = 200_000


def _codec(label: str | None) -> str | None:
    """Python's codec for a charset label, widened to the browser's superset; None if unknown."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    if name in ("utf-16-le", "utf-16-be", "utf-16"):
        return "utf-8"  # a <meta> or header claiming UTF-16 without a BOM is wrong by definition
    return _SUPERSETS.get(name, name)


def charset_from_content_type(content_type: str) -> str | None:
    """The codec named by a ``Content-Type`` header's charset parameter, if any and known."""
    found = _HEADER.search(content_type or "")
    return _codec(found.group(1)) if found else None


def _sniff(body: bytes, content_type: str, markup: bool) -> str | None:
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    declared = charset_from_content_type(content_type)
    if declared:
        return declared
    if markup:
        found = _META.search(body[:_PRESCAN])
        if found:
            return _codec(found.group(1).decode("ascii", "replace"))
    return None


def _western(sample: bytes) -> bool:
    """True when ``sample`` reads as windows-1252 text: a few accented letters and typography among ASCII."""
    try:
        text = sample.decode("cp1252")
    except UnicodeDecodeError:
        return False
    high = [c for c in text if ord(c) > 127]
    fitting = sum(1 for c in high if c.isalpha() or c in _TYPOGRAPHY)
    letters = sum(1 for c in text if c.isalpha())
    # Accents sit inside mostly-ASCII words; Cyrillic or Greek misread as 1252 is all high letters.
    return bool(high) and fitting >= 0.9 * len(high) and len(high) <= 0.4 * letters


def _detect(sample: bytes) -> str:
    """Guess an undeclared, non-UTF-8 charset.

    charset-normalizer handles multi-byte scripts well but mistakes short
    Western European text for Central European code pages, so a single-byte
    guess yields to windows-1252 whenever that reads as letters.
    """
    best = from_bytes(sample).best()
    guess = _codec(best.encoding) if best is not None else None
    multibyte = guess is not None and len(sample.decode(guess, errors="replace")) < len(sample) * 0.9
    if multibyte or not _western(sample):
        return guess or "cp1252"
    return "cp1252"


def decode_body(body: bytes, content_type: str = "", markup: bool = True) -> tuple[str, str]:
    """Return ``(text, codec)``; never raises: undecodable bytes become U+FFFD.

    ``markup`` enables the ``<meta charset>`` prescan (HTML and XHTML bodies).
    Without any declaration, valid UTF-8 wins, then charset-normalizer's guess,
    then windows-1252, which decodes every byte.
    """
    codec = _sniff(body, content_type, markup)
    if codec is None:
        try:
            return body.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            codec = _detect(body[:_DETECT])
    text = body.decode(codec, errors="replace")
    return (text[1:] if text.startswith("\ufeff") else text), codec
