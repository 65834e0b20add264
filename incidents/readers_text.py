"""Plain text and Markdown articles: boilerplate, titles and YAML front matter.

The text kept is the file's text with only its edges cleaned: leading and trailing lines that
are blank or boilerplate (``data/lexicon/boilerplate.txt``: "Share.", "Exit mobile version",
...) are removed, and so is the white space around what is left. Everything in between,
line breaks included, is kept exactly as written, so the article is still the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from gazetteer import settings
from incidents.errors import ReadError
from incidents.model import Article, ReadProblem
from incidents.readers_meta import Origin, ReadWarning, assemble_article, metadata_text

#: A first line longer than this (characters) is a paragraph, not a headline.
MAX_TITLE_CHARS = 200

#: A line longer than this (characters) is never boilerplate.
MAX_BOILERPLATE_CHARS = 120

_FRONT_MATTER_RE = re.compile(
    r"\A---[ \t]*\r?\n(.*?)(?:\r?\n)?^(?:---|\.\.\.)[ \t]*$\r?\n?", re.DOTALL | re.MULTILINE
)
_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s+|\s+#+\s*$")
_BOILERPLATE_TRAILING = ".:!|·•-–—"


class _FrontMatterLoader(yaml.SafeLoader):
    """Safe YAML without implicit timestamps: dates stay text so a bad one is reported
    with the file's name instead of crashing the YAML parser."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def boilerplate_path() -> Path:
    """The boilerplate lexicon shipped in ``data/lexicon/boilerplate.txt``."""
    return settings.data_dir() / "lexicon" / "boilerplate.txt"


def boilerplate_lines() -> frozenset[str]:
    """Boilerplate lines, normalised as :func:`normalise_line` does."""
    return _load_boilerplate(boilerplate_path())


@lru_cache(maxsize=4)
def _load_boilerplate(path: Path) -> frozenset[str]:
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReadError(
            f"boilerplate lexicon {str(path)!r} not found; set INCIDENT_ATLAS_DATA to the "
            "project's data/ folder"
        ) from None
    return frozenset(
        normalise_line(line)
        for line in raw.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    )


def normalise_line(line: str) -> str:
    """Lower-case, one space between words, no trailing ". : ! |": how boilerplate is compared."""
    return " ".join(line.split()).lower().rstrip(_BOILERPLATE_TRAILING + " ")


def trim_boilerplate(text: str, lines: frozenset[str] | None = None) -> str:
    """Remove leading and trailing blank or boilerplate lines, and white space at both ends.

    Lines in the middle are never touched, so the result is a slice of ``text``. Lines end
    at ``\n`` (a ``\r`` before it is white space).
    """
    lines = boilerplate_lines() if lines is None else lines
    start, end = 0, len(text)
    while start < end:
        newline = text.find("\n", start, end)
        line_end = end if newline < 0 else newline + 1
        if not _is_edge_line(text, start, line_end, lines):
            break
        start = line_end
    while end > start:
        # the newline ending the previous line; a newline at end - 1 ends this one
        newline = text.rfind("\n", start, end - 1)
        line_start = start if newline < 0 else newline + 1
        if not _is_edge_line(text, line_start, end, lines):
            break
        end = line_start
    return text[start:end].strip()


def _is_edge_line(text: str, start: int, end: int, lines: frozenset[str]) -> bool:
    """Is ``text[start:end]`` blank or boilerplate? Long lines are ruled out cheaply."""
    if end - start > MAX_BOILERPLATE_CHARS:
        return text[start:end].isspace()
    normal = normalise_line(text[start:end])
    return not normal or normal in lines


def first_line_title(text: str, *, markdown: bool = False) -> str | None:
    """The first non-empty line as a title, or None when it is too long to be a headline.

    A Markdown heading's ``#`` marks are dropped from the title (not from the text).
    """
    for line in text.splitlines():
        if line.strip():
            title = _HEADING_RE.sub("", line) if markdown else line
            title = " ".join(title.split())
            return title if 0 < len(title) <= MAX_TITLE_CHARS else None
    return None


def split_front_matter(text: str) -> tuple[dict[str, Any], str, str | None]:
    """Split YAML front matter (between ``---`` lines at the very start) from the body.

    Returns
    -------
    metadata, body, problem
        ``metadata`` is empty when there is no front matter or it is not a YAML mapping;
        ``problem`` then says why (None when all is well or there was none).
    """
    match = _FRONT_MATTER_RE.match(text)
    if not match:
        return {}, text, None
    body = text[match.end() :]
    try:
        data = yaml.load(match.group(1), Loader=_FrontMatterLoader)  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or type(exc).__name__
        reason = f"{problem} at line {mark.line + 2}" if mark is not None else problem
        return {}, body, f"front matter is not valid YAML ({reason}); its metadata is ignored"
    if data is None:
        return {}, body, None
    if not isinstance(data, dict):
        kind = type(data).__name__
        return (
            {},
            body,
            f"front matter is a YAML {kind}, expected key: value lines; its metadata is ignored",
        )
    return {str(key).lower(): value for key, value in data.items()}, body, None


def read_plain(
    text: str, origin: Origin, *, markdown: bool = False, warnings: tuple[str, ...] = ()
) -> Iterator[Article | ReadProblem]:
    """Read one plain-text or Markdown article (front matter is honoured in both).

    Front matter keys: ``title``, ``published`` (or ``date``), ``published_approximate``,
    ``url`` (or ``link``), ``source``, ``id``. Without a title there, the first non-empty
    line is the title (and stays in the text). ``warnings`` met before (decoding) are kept.
    """
    meta, body, problem = split_front_matter(text)
    warnings = (*warnings, problem) if problem else warnings
    article_text = trim_boilerplate(body)
    if not article_text:
        what = "front matter and boilerplate" if meta else "boilerplate"
        yield ReadProblem(origin.path, f"no article text (only blank lines or {what}); skipped")
        return
    url = metadata_text(meta.get("url") or meta.get("link"))
    article, article_warnings = assemble_article(
        article_text,
        origin,
        ref=metadata_text(meta.get("id")) or url,
        title=metadata_text(meta.get("title")) or first_line_title(article_text, markdown=markdown),
        date_value=_first_present(meta, "published", "date"),
        approximate=meta.get("published_approximate"),
        url=url,
        source=metadata_text(meta.get("source")),
        warnings=warnings,
    )
    yield from article_warnings
    yield article


def _first_present(meta: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        if meta.get(key) not in (None, ""):
            return meta[key]
    return None


def article_from_text(
    text: str, origin: Origin, *, title: str | None
) -> tuple[Article, list[ReadWarning]]:
    """The article for text given directly (no front matter): trimmed, titled, dated."""
    article_text = trim_boilerplate(text)
    if not article_text:
        raise ReadError(f"{origin.path}: empty text, nothing to read")
    return assemble_article(
        article_text, origin, ref=origin.ref, title=title or first_line_title(article_text)
    )
