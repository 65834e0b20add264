"""Raw input before any format is parsed: binary detection, decoding and format sniffing.

Pure functions on bytes and text; the file handling is in :mod:`incidents.readers`.
"""

from __future__ import annotations

import codecs
import re

#: Bytes looked at to tell text from binary and one format from another.
HEAD_BYTES = 8192

#: Share of control bytes in the head above which a file is taken for binary.
MAX_CONTROL_SHARE = 0.10

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document; convert it to text first"),
    (b"PK\x03\x04", "a zip archive (or .docx/.xlsx); unpack or convert it first"),
    (b"\x1f\x8b", "gzip-compressed data; decompress it first"),
    (b"BZh", "bzip2-compressed data; decompress it first"),
    (b"\xfd7zXZ", "xz-compressed data; decompress it first"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"SQLite format 3\x00", "an SQLite database"),
)

# Control bytes that do not occur in text (tab, LF, VT, FF, CR and ESC do).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27)) + b"\x7f"

_FEED_RE = re.compile(r"<(?:rss|feed|rdf:rdf)[\s>]", re.IGNORECASE)
_MARKUP_RE = re.compile(
    r"<(?:!doctype html|html|head|body|article|div|p|h[1-6]|title)[\s>/]", re.IGNORECASE
)


def binary_reason(head: bytes) -> str | None:
    """Why ``head`` (the first bytes of an input) is not text, or None when it is text."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return f"binary file ({what}), not text; skipped"
    if b"\x00" in head:
        return "binary file (contains NUL bytes), not text; skipped"
    if head:
        controls = len(head) - len(head.translate(None, _CONTROL))
        if controls / len(head) > MAX_CONTROL_SHARE:
            share = 100 * controls / len(head)
            return f"binary file ({share:.0f}% control characters), not text; skipped"
    return None


def decode(data: bytes) -> tuple[str, str | None]:
    """Decode ``data`` as UTF-8 (or UTF-16 with a byte-order mark) and say what went wrong.

    Returns
    -------
    text, warning
        The text without a byte-order mark; bytes that are not valid UTF-8 become U+FFFD
        and ``warning`` says where the first one was (None when the input was clean).
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
        return text, (
            "invalid UTF-16; bad bytes replaced with U+FFFD" if "\ufffd" in text else None
        )
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8-sig", errors="replace")
        bad = text.count("\ufffd") - data.count("\ufffd".encode())
        return text, (
            f"invalid UTF-8 (first bad byte at offset {exc.start}, {bad} character(s) "
            "replaced with U+FFFD); article kept, re-save the file as UTF-8 to fix"
        )


def looks_like_feed(head: str) -> bool:
    """True when the start of a document is an RSS, RDF or Atom feed."""
    return bool(_FEED_RE.search(head[:HEAD_BYTES]))


def sniff_format(head: str) -> str:
    """Guess the format of text with no telling file extension (stdin, files without one).

    Returns one of ``"markdown"`` (YAML front matter), ``"feed"``, ``"html"``, ``"jsonl"``
    (starts with a JSON object) or ``"text"``.
    """
    start = head.lstrip("\ufeff \t\r\n")
    if start.startswith("---"):
        return "markdown"
    if start.startswith("<"):
        if looks_like_feed(start):
            return "feed"
        if _MARKUP_RE.search(start[:HEAD_BYTES]):
            return "html"
    if start.startswith("{"):
        return "jsonl"
    return "text"


def format_size(n_bytes: int) -> str:
    """A byte count for people: ``52.4 MB``, ``812 kB``, ``96 bytes``."""
    if n_bytes >= 1_000_000:
        return f"{n_bytes / 1_000_000:.1f} MB"
    if n_bytes >= 1_000:
        return f"{n_bytes / 1_000:.0f} kB"
    return f"{n_bytes} bytes"
