"""RSS and Atom feeds saved to a file: each entry is an article (feedparser).

An entry's text is its full content when the feed carries it, else its summary, turned from
HTML into plain text (scripts dropped). Its reference is the entry's id (RSS ``guid``,
Atom ``id``), else its link; its source is the feed's title. Nothing is fetched: the file's
bytes are parsed as they are.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from incidents.model import Article, ReadProblem
from incidents.readers_html import html_to_text
from incidents.readers_meta import Origin, ReadWarning, assemble_article, metadata_text
from incidents.readers_text import trim_boilerplate


def read_feed(data: bytes, origin: Origin) -> Iterator[Article | ReadProblem]:
    """Read the entries of an RSS/Atom document (see the module docstring)."""
    import feedparser

    # A BytesIO, never a str: feedparser would fetch a str that looks like a url.
    try:
        parsed = feedparser.parse(io.BytesIO(data))
    # feedparser on untrusted XML can fail in ways it does not wrap; report, don't crash.
    except Exception as exc:  # noqa: BLE001
        yield ReadProblem(
            origin.path, f"not a readable RSS/Atom feed ({type(exc).__name__}: {exc}); skipped"
        )
        return
    entries = parsed.get("entries") or []
    if parsed.get("bozo") and not entries:
        reason = parsed.get("bozo_exception")
        yield ReadProblem(origin.path, f"not a readable RSS/Atom feed ({reason}); skipped")
        return
    if not entries:
        yield ReadProblem(origin.path, "the feed has no entries; nothing to read")
        return
    if parsed.get("bozo"):
        yield ReadWarning(
            origin.path,
            f"the feed is not well-formed ({parsed.get('bozo_exception')}); "
            "read what could be read",
        )
    source = metadata_text(parsed.get("feed", {}).get("title"))
    for number, entry in enumerate(entries, start=1):
        yield from _read_entry(entry, number, source, origin)


def _read_entry(
    entry: Any, number: int, source: str | None, origin: Origin
) -> Iterator[Article | ReadProblem]:
    title = metadata_text(entry.get("title"))
    label = f"entry {number}" + (f" ({title!r})" if title else "")
    text = trim_boilerplate(html_to_text(_entry_markup(entry)))
    if not text:
        yield ReadProblem(origin.path, f"{label} has no text (no content or summary); skipped")
        return
    link = metadata_text(entry.get("link"))
    article, warnings = assemble_article(
        text,
        origin,
        ref=metadata_text(entry.get("id")) or link or f"{origin.ref}#{number}",
        title=title,
        date_value=entry.get("published") or entry.get("updated") or entry.get("created"),
        url=link,
        source=source,
        label=label,
    )
    yield from warnings
    yield article


def _entry_markup(entry: Any) -> str:
    contents = entry.get("content") or []
    values = [c.get("value", "") for c in contents if isinstance(c, dict) and c.get("value")]
    if values:
        return "\n".join(values)
    return entry.get("summary") or entry.get("description") or ""
