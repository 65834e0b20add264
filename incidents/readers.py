"""Reading articles: files, folders and stdin in the formats analysts have, into :class:`Article`.

Formats, by file extension (sniffed from the content for stdin and files without one):

==================  ==========================================================================
``.txt .text``      plain text; the first non-empty line is the title
``.md .markdown``   Markdown, with optional YAML front matter (title, published, url, source)
``.html .htm``      a saved web page: main text and metadata (trafilatura); scripts dropped
``.jsonl .ndjson``  one article per line (``text``, optional ``id``, ``title``, ``date``...)
``.rss .atom .xml`` an RSS or Atom feed file: each entry is an article (feedparser)
==================  ==========================================================================

``Article.text`` is the text the article is read as, and every evidence offset indexes it:

- plain text and Markdown: the file's text (after the front matter) with only blank and
  boilerplate lines ("Share.", "Exit mobile version") removed from its start and end, and the
  white space at both ends; everything in between is the file, byte for byte (as decoded).
- JSON Lines: the ``text`` field exactly as it is.
- HTML and feeds: the plain text taken out of the markup, cleaned at the edges the same way.

``article_id`` is a hash of that text, so the same article read twice (or from two files) is
the same article; nothing is de-duplicated here. ``published`` comes from the article's
metadata; the ``published`` argument (the CLI's ``--published``) is the fallback for articles
whose metadata gives none.

Bad input never raises: each input that cannot be read, and each line or entry of it, becomes
a :class:`~incidents.model.ReadProblem` naming the file (and line) and saying what to do;
inputs read with a caveat (invalid UTF-8, a date in the future) give a
:class:`~incidents.readers_meta.ReadWarning` and keep the caveat in ``Article.warnings``.
"""

from __future__ import annotations

import logging
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO

from incidents.errors import ReadError
from incidents.model import Article, ReadProblem, ReadResult
from incidents.readers_bytes import (
    HEAD_BYTES,
    binary_reason,
    decode,
    format_size,
    looks_like_feed,
    sniff_format,
)
from incidents.readers_feed import read_feed
from incidents.readers_html import read_html
from incidents.readers_jsonl import read_jsonl
from incidents.readers_meta import Origin, ReadWarning
from incidents.readers_text import article_from_text, read_plain

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FORMAT_BY_SUFFIX",
    "ReadWarning",
    "STDIN",
    "SUPPORTED_SUFFIXES",
    "iter_articles",
    "read_paths",
    "read_text",
]

#: Largest article (or JSON Lines line) read, in bytes; bigger inputs are refused unread.
DEFAULT_MAX_BYTES = 20_000_000

#: The path that means "read standard input".
STDIN = "-"

#: Reader for each file extension (lower case).
FORMAT_BY_SUFFIX: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
}

SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(sorted(FORMAT_BY_SUFFIX))
#: File stems (upper case) skipped when a folder is read: the folder's own notes about the
#: articles ("README.md" beside the sample articles), not articles.
FOLDER_NOTES: frozenset[str] = frozenset({"README", "LICENSE", "LICENCE", "SOURCE", "SOURCES",
                                         "CHANGELOG", "NOTICE"})

ProblemHandler = Callable[[ReadProblem], None]

#: Articles between progress-bar redraws inside one file.
_PROGRESS_EVERY = 50

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _Input:
    """One thing to read: a file (``path``) or stdin (``path`` None)."""

    path: Path | None
    shown: str
    ref: str
    explicit: bool


def read_paths(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    published: date | str | None = None,
    progress: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ReadResult:
    """Read every article in files, folders and stdin.

    Parameters
    ----------
    paths
        Files, folders (read recursively in sorted order; hidden files and folders and files
        of other types skipped) and ``"-"`` for standard input. One path alone is accepted.
    published
        Publication date for articles whose metadata gives none (a ``date`` or
        ``"YYYY-MM-DD"``). Metadata always wins.
    progress
        Show a progress bar (files read) on stderr.
    max_bytes
        Largest article accepted, in bytes (for JSON Lines: the longest line). Larger inputs
        are refused with a problem, without being read into memory.

    Returns
    -------
    ReadResult
        The articles in input order, and every problem and warning met
        (:class:`ReadWarning` for articles kept with a caveat).

    Raises
    ------
    ReadError
        Only for bad options (a ``published`` that is not a date, ``max_bytes`` < 1);
        bad input is reported in ``problems``.
    """
    result = ReadResult()
    result.articles.extend(
        iter_articles(
            paths,
            published=published,
            progress=progress,
            max_bytes=max_bytes,
            on_problem=result.problems.append,
        )
    )
    return result


def iter_articles(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    published: date | str | None = None,
    progress: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_problem: ProblemHandler | None = None,
) -> Iterator[Article]:
    """Stream the articles of files, folders and stdin, one at a time.

    The same as :func:`read_paths` without holding the articles: memory stays bounded by
    one article (and the list of file names), however many are read. Problems go to
    ``on_problem`` as they are met (default: logged as warnings by the
    ``incidents.readers`` logger).

    Raises
    ------
    ReadError
        At once (not on first iteration) for bad options, as :func:`read_paths`.
    """
    fallback = _check_published(published)
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
        raise ReadError(f"max_bytes must be a positive number of bytes, got {max_bytes!r}")
    items = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    return _iter_articles(items, fallback, progress, max_bytes, on_problem or _log_problem)


def read_text(
    text: str,
    *,
    ref: str = STDIN,
    published: date | str | None = None,
    title: str | None = None,
) -> Article:
    """Read an article given as text, with the plain-text rules.

    Boilerplate lines and white space at the start and end are removed (offsets index the
    returned ``Article.text``); without ``title`` the first non-empty line, if short
    enough to be a headline, is the title. ``published`` is the publication date.

    Raises
    ------
    ReadError
        When ``text`` is not a string or holds nothing but white space and boilerplate.
    """
    if not isinstance(text, str):
        raise ReadError(f"read_text needs a str, got {type(text).__name__}; decode bytes first")
    origin = Origin(ref, ref, _check_published(published), DEFAULT_MAX_BYTES, date.today())
    article, _ = article_from_text(text, origin, title=title)
    return article


def _check_published(published: date | str | None) -> date | None:
    if published is None:
        return None
    if isinstance(published, datetime):
        return published.date()
    if isinstance(published, date):
        return published
    if isinstance(published, str):
        try:
            return date.fromisoformat(published.strip())
        except ValueError:
            raise ReadError(
                f"publication date {published!r} is not in the form YYYY-MM-DD; write it as "
                "YYYY-MM-DD (2019-05-10)"
            ) from None
    raise ReadError(f"published must be a date or 'YYYY-MM-DD', got {published!r}")


def _log_problem(problem: ReadProblem) -> None:
    _log.warning("%s", problem)


def _iter_articles(
    paths: list[str | os.PathLike[str]],
    published: date | None,
    progress: bool,
    max_bytes: int,
    report: ProblemHandler,
) -> Iterator[Article]:
    today = date.today()
    inputs: list[_Input] = []
    for item in _expand(paths):
        if isinstance(item, ReadProblem):
            report(item)
        else:
            inputs.append(item)
    bar = _progress_bar(len(inputs)) if progress else None
    count = 0
    try:
        for item in inputs:
            origin = Origin(item.shown, item.ref, published, max_bytes, today)
            for result in _read_input(item, origin):
                if not isinstance(result, Article):
                    report(result)
                    continue
                count += 1
                if bar is not None and count % _PROGRESS_EVERY == 0:
                    bar.set_postfix(articles=count, refresh=False)
                    bar.update(0)  # redraws when due: one big JSON Lines file still shows progress
                yield result
            if bar is not None:
                bar.set_postfix(articles=count, refresh=False)
                bar.update()
    finally:
        if bar is not None:
            bar.close()


def _progress_bar(total: int):  # -> tqdm.tqdm; its import is deferred until a bar is asked for
    from tqdm import tqdm

    return tqdm(total=total, unit="file", desc="reading", file=sys.stderr, dynamic_ncols=True)


def _expand(paths: list[str | os.PathLike[str]]) -> Iterator[_Input | ReadProblem]:
    for raw in paths:
        shown = os.fspath(raw)
        if shown == STDIN:
            yield _Input(None, STDIN, STDIN, explicit=True)
            continue
        path = Path(shown)
        if path.is_dir():
            found = False
            for item in _walk(path):
                found = found or isinstance(item, _Input)
                yield item
            if not found:
                yield ReadProblem(
                    shown,
                    f"no article files in this folder (supported: {', '.join(SUPPORTED_SUFFIXES)})",
                )
        elif path.exists():
            yield _Input(path, shown, path.name, explicit=True)
        else:
            yield ReadProblem(shown, "no such file or folder; check the path")


def _walk(root: Path) -> Iterator[_Input | ReadProblem]:
    errors: list[OSError] = []
    for folder, dirs, files in os.walk(root, onerror=errors.append):
        yield from _listing_problems(errors, root)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or Path(name).suffix.lower() not in FORMAT_BY_SUFFIX:
                continue
            if Path(name).stem.upper() in FOLDER_NOTES:
                continue  # a folder's own notes, not an article (a file named on its own is read)
            path = Path(folder, name)
            # Regular files only: a FIFO, socket or device in a folder would block or never end.
            if path.is_file():
                yield _Input(path, str(path), path.relative_to(root).as_posix(), explicit=False)
            elif path.is_symlink() and not path.exists():
                yield ReadProblem(str(path), "broken symbolic link; skipped")
    yield from _listing_problems(errors, root)


def _listing_problems(errors: list[OSError], root: Path) -> Iterator[ReadProblem]:
    while errors:
        error = errors.pop(0)
        reason = error.strerror or str(error)
        yield ReadProblem(str(error.filename or root), f"cannot list folder ({reason}); skipped")


def _read_input(item: _Input, origin: Origin) -> Iterator[Article | ReadProblem]:
    if item.path is None:
        stdin = getattr(sys.stdin, "buffer", None)
        if stdin is None:
            yield ReadProblem(STDIN, "no standard input to read (stdin is closed or not binary)")
            return
        yield from _read_stream(stdin, origin, fmt=None, size=None, what="input")
        return
    suffix = item.path.suffix.lower()
    fmt = FORMAT_BY_SUFFIX.get(suffix)
    if fmt is None and suffix:
        yield ReadProblem(
            origin.path,
            f"unsupported file type {suffix}; supported: {', '.join(SUPPORTED_SUFFIXES)} "
            "(rename or convert the file)",
        )
        return
    try:
        with item.path.open("rb") as stream:
            info = os.fstat(stream.fileno())
            size = info.st_size if stat.S_ISREG(info.st_mode) else None
            yield from _read_stream(
                stream,
                origin,
                fmt=fmt,
                size=size,
                what="file",
                xml=suffix == ".xml",
                explicit=item.explicit,
            )
    except OSError as exc:
        yield ReadProblem(
            origin.path,
            f"cannot read the file ({exc.strerror or exc}); check the path and permissions",
        )


def _read_stream(
    stream: IO[bytes],
    origin: Origin,
    *,
    fmt: str | None,
    size: int | None,
    what: str,
    xml: bool = False,
    explicit: bool = True,
) -> Iterator[Article | ReadProblem]:
    """Check, then read one input: empty, binary, oversize, then the format's reader."""
    head = stream.read(HEAD_BYTES)
    if not head.strip() and len(head) < HEAD_BYTES:
        yield ReadProblem(origin.path, f"empty {what}, nothing to read")
        return
    reason = binary_reason(head)
    if reason:
        yield ReadProblem(origin.path, reason)
        return
    head_text = head.decode("utf-8", errors="replace")
    fmt = fmt or sniff_format(head_text)
    if xml and not looks_like_feed(head_text):
        if explicit:
            yield ReadProblem(
                origin.path,
                "XML file is not an RSS or Atom feed (no <rss>, <feed> or <rdf:RDF>); skipped",
            )
        return
    if fmt == "jsonl":
        yield from read_jsonl(_PrefixedStream(head, stream), origin)
        return
    limit = origin.max_bytes
    if size is not None and size > limit:
        yield ReadProblem(origin.path, _too_big(what, size, limit))
        return
    data = head + stream.read(limit + 1 - len(head))
    if len(data) > limit:
        yield ReadProblem(origin.path, _too_big(what, None, limit))
        return
    if not data.strip():
        yield ReadProblem(origin.path, f"empty {what}, nothing to read")
        return
    yield from _read_document(data, fmt, origin)


def _too_big(what: str, size: int | None, limit: int) -> str:
    actual = f"is {format_size(size)}" if size is not None else "is bigger than that"
    return (
        f"{what} {actual}, over the {format_size(limit)} limit for one article; skipped "
        "(split it into articles, or raise max_bytes if it really is one)"
    )


def _read_document(data: bytes, fmt: str, origin: Origin) -> Iterator[Article | ReadProblem]:
    if fmt == "feed":
        yield from read_feed(data, origin)
        return
    text, encoding_warning = decode(data)
    warnings = (encoding_warning,) if encoding_warning else ()
    if fmt == "html":
        yield from read_html(text, origin, warnings=warnings)
    else:
        yield from read_plain(text, origin, markdown=fmt == "markdown", warnings=warnings)


class _PrefixedStream:
    """``head`` (bytes already read) followed by the rest of ``stream``, line by line."""

    def __init__(self, head: bytes, stream: IO[bytes]) -> None:
        self._head = head
        self._stream = stream

    def readline(self, size: int = -1, /) -> bytes:
        if not self._head:
            return self._stream.readline(size)
        cut = self._head.find(b"\n") + 1 or len(self._head)
        if 0 <= size < cut:
            cut = size
        line, self._head = self._head[:cut], self._head[cut:]
        if line.endswith(b"\n") or (0 <= size <= len(line)) or self._head:
            return line
        return line + self._stream.readline(-1 if size < 0 else size - len(line))
