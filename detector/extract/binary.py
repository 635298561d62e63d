"""Whether bytes given as HTML are markup at all.

The HTML parser makes a page of anything, so an image, an archive or a
program saved (or served) under an HTML name would be read as a page of
garbage and quietly match nothing. Only bytes that are thick with control
characters *and* do not open with a tag count as binary: a real page with a
stray NUL, or one that opens with ``<!doctype>`` or ``<html>`` and carries
padding after it, is still a page, and UTF-16 pages start with a byte-order
mark.
"""

from __future__ import annotations

from .limits import UTF16_BOMS

__all__ = ["looks_binary"]

#: Bytes that text and markup never hold, beside the odd stray: C0 controls other than tab, line feed, form feed and
#: carriage return. Random or compressed data has about one in eleven.
_CONTROLS = bytes([*range(0, 9), 11, *range(14, 32)])


def looks_binary(data: bytes) -> bool:
    head = data[:65536]
    if head.startswith(UTF16_BOMS) or head.lstrip(b"\xef\xbb\xbf \t\r\n\f").startswith(b"<"):
        return False
    controls = len(head) - len(head.translate(None, _CONTROLS))
    return controls > max(8, len(head) // 100)
