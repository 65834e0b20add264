"""Article metadata as read: publication dates, flags, and the assembly of an :class:`Article`.

Every reader (plain text, Markdown, HTML, JSON Lines, feeds) ends here, so the rules for
dates and references are the same whatever the format:

- ``published`` comes from the article's own metadata; the caller's ``published`` (the CLI's
  ``--published``) is only a fallback for articles whose metadata gives no usable date.
- A date that is not a real calendar day ("2019-02-30") is reported and the article is kept
  without it (or with the fallback). A date after today is kept as given and flagged.
- Dates are read as written: "2019-05-10T23:30:00-05:00" is 10 May, the local date of the
  publication, not the UTC day.
"""

from __future__ import annotations

import email.utils
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from incidents.model import Article, ReadProblem, article_id_for


@dataclass(frozen=True, slots=True)
class ReadWarning(ReadProblem):
    """A problem met while reading an article that was kept anyway.

    Also written into the article's ``warnings``; a plain :class:`ReadProblem` means the
    input (or one line or entry of it) was skipped.
    """


@dataclass(frozen=True, slots=True)
class Origin:
    """Where articles come from and the options they are read with.

    ``path`` is the input as shown in messages (``"-"`` for stdin); ``ref`` is the name used
    as the article reference when the input has no id or url of its own; ``published`` is
    the fallback publication date; ``max_bytes`` the largest article accepted, in bytes.
    """

    path: str
    ref: str
    published: date | None
    max_bytes: int
    today: date


_ISO_DATE_RE = re.compile(
    r"\s*([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
    r"(?:[T ][0-9:.,]+(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?\s*\Z"
)
_NUMERIC_DATE_RE = re.compile(r"\s*([0-9]{1,2})[./-]([0-9]{1,2})[./-]([0-9]{2,4})\s*\Z")
_NON_ASCII_LETTER_RE = re.compile(r"[^\x00-\x7f]")

#: dateparser settings: whole dates only, never a part filled from today, no "yesterday".
_DATEPARSER_SETTINGS: dict[str, Any] = {
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PARSERS": ["timestamp", "absolute-time"],
    "STRICT_PARSING": True,
    "DATE_ORDER": "DMY",
    "RETURN_AS_TIMEZONE_AWARE": False,
}


def parse_published(value: Any) -> date:
    """Read a publication date from metadata.

    Parameters
    ----------
    value
        A ``date``/``datetime``, or text: ISO 8601 (``2019-05-10``, ``2019-05-10T10:00Z``),
        RFC 2822 as in RSS (``Fri, 10 May 2019 10:00:00 +0000``) or a written date
        (``10 May 2019``, ``May 10, 2019``). All-numeric dates other than ISO are read
        day first (``10.05.2019`` is 10 May).

    Returns
    -------
    date
        The calendar day as written (no time-zone conversion).

    Raises
    ------
    ValueError
        With the reason, when the value is not a whole, real calendar date. Missing parts are
        never filled in from today's date.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(f"expected a date or text, got {type(value).__name__}")
    text = str(value).strip()
    if not text:
        raise ValueError("the date is empty")
    iso = _ISO_DATE_RE.match(text)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
        return date(year, month, day)  # ValueError names the bad part ("day is out of range")
    numeric = _NUMERIC_DATE_RE.match(text)
    if numeric:
        day, month, year = (int(part) for part in numeric.groups())
        if year < 100:
            raise ValueError("two-digit year; write the year in full")
        return date(year, month, day)
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    return _parse_written_date(text)


def _parse_written_date(text: str) -> date:
    import dateparser  # slow to import; only needed for dates that are not ISO or RFC 2822

    # English first: asking dateparser to detect the language costs seconds per value.
    parsed = dateparser.parse(text, languages=["en"], settings=_DATEPARSER_SETTINGS)
    if parsed is None and _NON_ASCII_LETTER_RE.search(text):
        parsed = dateparser.parse(text, settings=_DATEPARSER_SETTINGS)
    if parsed is None:
        raise ValueError("not a whole calendar date (day, month and year)")
    return parsed.date()


def is_ambiguous_numeric(value: Any) -> bool:
    """True for all-numeric dates such as ``05.04.2019`` where day and month could swap."""
    if not isinstance(value, str):
        return False
    numeric = _NUMERIC_DATE_RE.match(value)
    if not numeric:
        return False
    first, second = int(numeric.group(1)), int(numeric.group(2))
    return first != second and first <= 12 and second <= 12


def parse_flag(value: Any) -> bool:
    """Read a yes/no metadata field (``true``, ``yes``, ``1``; anything else is False)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value == 1
    return isinstance(value, str) and value.strip().lower() in {"true", "yes", "y", "1"}


def metadata_text(value: Any) -> str | None:
    """A metadata field as one line of text, or None when missing or empty."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (str, int, float)):
        text = " ".join(str(value).split())
        return text or None
    return None


def assemble_article(
    text: str,
    origin: Origin,
    *,
    line: int | None = None,
    ref: str | None = None,
    title: str | None = None,
    date_value: Any = None,
    approximate: Any = None,
    url: str | None = None,
    source: str | None = None,
    warnings: tuple[str, ...] = (),
    label: str | None = None,
) -> tuple[Article, list[ReadWarning]]:
    """Build the article for ``text`` (its exact, final text) and the warnings met.

    ``date_value`` is the raw metadata date; see the module docstring for the rules.
    Every warning is returned as a :class:`ReadWarning` naming ``origin.path`` (and
    ``line``; ``label`` such as ``"entry 3"`` starts the message where there is no line)
    and is also kept in ``Article.warnings``.
    """
    messages = list(warnings)
    published: date | None = None
    from_metadata = False
    if date_value is not None and not (isinstance(date_value, str) and not date_value.strip()):
        try:
            published = parse_published(date_value)
            from_metadata = True
        except ValueError as exc:
            fallback = (
                f"using the fallback date {origin.published.isoformat()}"
                if origin.published
                else "article kept without a date"
            )
            messages.append(
                f"publication date {str(date_value)!r} is not a valid date ({exc}); {fallback}"
            )
    if published is not None and is_ambiguous_numeric(date_value):
        messages.append(
            f"publication date {date_value!r} could be day-month or month-day; read as "
            f"{published.isoformat()} (day first); write dates as YYYY-MM-DD to be sure"
        )
    if published is not None and published > origin.today:
        messages.append(
            f"publication date {published.isoformat()} is in the future (today is "
            f"{origin.today.isoformat()}); kept as given, check the source"
        )
    if published is None:
        published = origin.published
    article = Article(
        article_id=article_id_for(text),
        text=text,
        ref=ref or (f"{origin.ref}:{line}" if line is not None else origin.ref),
        title=title,
        published=published,
        published_approximate=from_metadata and parse_flag(approximate),
        url=url,
        source=source,
        path=origin.path,
        warnings=tuple(messages),
    )
    prefix = f"{label}: " if label else ""
    return article, [ReadWarning(origin.path, prefix + message, line) for message in messages]
