"""JSON Lines articles: one JSON object per line, streamed.

Each line is an object with a non-empty ``text`` and optionally ``id``, ``title``,
``published`` (or ``date``), ``published_approximate``, ``url`` (or ``link``) and ``source``;
other keys are ignored. The article text is the ``text`` field exactly, so evidence offsets
index it as it stands in the file. A line that cannot be read is reported with its number
and skipped; the lines after it are still read. Memory stays bounded by one line (at most
``max_bytes``), whatever the size of the file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Protocol

from incidents.model import Article, ReadProblem
from incidents.readers_bytes import decode, format_size
from incidents.readers_meta import Origin, assemble_article, metadata_text

_SKIP_CHUNK = 1 << 20


class LineSource(Protocol):
    """Anything with a binary ``readline(size)``: an open file, ``sys.stdin.buffer``."""

    def readline(self, size: int = -1, /) -> bytes: ...


def read_jsonl(stream: LineSource, origin: Origin) -> Iterator[Article | ReadProblem]:
    """Read the articles of a JSON Lines stream, one per line (see the module docstring)."""
    limit = origin.max_bytes
    line_no = 0
    while raw := stream.readline(limit + 1):
        line_no += 1
        if len(raw) > limit and not raw.endswith(b"\n"):
            _skip_rest_of_line(stream)
            yield ReadProblem(
                origin.path,
                f"line is over the {format_size(limit)} limit for one article; skipped "
                "(raise max_bytes to read it)",
                line_no,
            )
            continue
        if not raw.strip():
            continue
        yield from _read_line(raw, line_no, origin)


def _skip_rest_of_line(stream: LineSource) -> None:
    while chunk := stream.readline(_SKIP_CHUNK):
        if chunk.endswith(b"\n"):
            return


def _read_line(raw: bytes, line_no: int, origin: Origin) -> Iterator[Article | ReadProblem]:
    line, encoding_warning = decode(raw)
    try:
        record = json.loads(line.rstrip("\r\n"))
    except json.JSONDecodeError as exc:
        yield ReadProblem(
            origin.path,
            f"not valid JSON ({exc.msg.removesuffix(' at')} at column {exc.colno}); line skipped",
            line_no,
        )
        return
    if not isinstance(record, dict):
        kind = type(record).__name__
        yield ReadProblem(
            origin.path,
            f'expected a JSON object like {{"text": "..."}}, got a {kind}; line skipped',
            line_no,
        )
        return
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        found = "missing" if text is None else f"{type(text).__name__} {str(text)[:40]!r}"
        yield ReadProblem(
            origin.path, f"no non-empty 'text' field (found: {found}); line skipped", line_no
        )
        return
    url = metadata_text(record.get("url") or record.get("link"))
    date_value = record.get("published")
    if date_value in (None, ""):
        date_value = record.get("date")
    article, warnings = assemble_article(
        text,
        origin,
        line=line_no,
        ref=metadata_text(record.get("id")) or url,
        title=metadata_text(record.get("title")),
        date_value=date_value,
        approximate=record.get("published_approximate"),
        url=url,
        source=metadata_text(record.get("source")),
        warnings=(encoding_warning,) if encoding_warning else (),
    )
    yield from warnings
    yield article
