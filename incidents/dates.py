"""Dates in news text, absolute and relative to the publication date.

:func:`find_dates` finds the phrases ("October 2014", "on Tuesday", "last week", "two weeks
ago", "in August last year", "recently") and resolves each into a range ``date_start`` ..
``date_end`` with a ``precision`` (day, week, month, year), keeping the phrase itself.

Rules, with ``p`` the publication date:

- weeks run Monday to Sunday; "last week" is the whole previous week, "earlier this week" the
  current week up to ``p``;
- a weekday ("on Tuesday") is the latest such day on or before ``p``; "last Tuesday" the latest
  strictly before ``p``;
- a month or day without a year ("in August", "on 3 March") is the latest one not after ``p``
  (a week of slack for a day);
- "recently" and "in recent weeks" span the 30 days before ``p``; "in recent days" 7 days;
  "in recent months" 180 days;
- with no publication date a relative phrase stays unresolved (no dates, flag
  ``unresolved_date``); a date after ``p`` gets the flag ``future_date``; an impossible date
  ("31 February 2019") gets ``impossible_date`` and no range.

Pure regular expressions, run only around the words a date phrase needs (month and day names,
"ago", "last", "recently", four-digit numbers): ``fast`` extraction never calls ``dateparser``.
"""

from __future__ import annotations

import bisect
import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import ahocorasick

from incidents.counts import parse_number
from incidents.sentences import match_text, sentence_start_before

PRECISIONS: tuple[str, ...] = ("day", "week", "month", "year")

FLAG_UNRESOLVED = "unresolved_date"
FLAG_FUTURE = "future_date"
FLAG_IMPOSSIBLE = "impossible_date"

#: Years outside this range are not read as dates.
MIN_YEAR = 1900
MAX_YEAR = 2100

#: Nouns after a four-digit number that make it a count, not a year ("the 2000 people").
COUNTED_NOUNS: tuple[str, ...] = (
    "people", "persons", "civilians", "soldiers", "troops", "fighters", "militants", "men",
    "women", "children", "residents", "families", "refugees", "members", "prisoners",
    "detainees", "migrants", "police", "policemen", "officers", "rebels", "insurgents",
    "jihadists", "workers", "students", "victims", "bodies", "dead", "killed", "casualties",
)

MONTHS: dict[str, int] = {}
for _number, _name in enumerate(calendar.month_name):
    if _name:
        MONTHS[_name.lower()] = _number
        MONTHS[_name[:3].lower()] = _number
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}

_MONTH = (
    r"(?P<{g}>January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_DAY = r"(?P<{g}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{g}>(?:19|20|21)\d\d)(?!\d|,\d)"
_NUM = (
    r"(?P<{g}>\d{{1,3}}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|a\s+few|a\s+couple\s+of|several|few)"
)
_WEEKDAY = r"(?P<{g}>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_PART = r"(?i:early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of)"


def _g(pattern: str, **groups: str) -> str:
    return pattern.format(**groups) if groups else pattern


_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b")),
    (
        "day_month_year",
        re.compile(
            r"\b" + _DAY.format(g="d") + r"\s+(?:of\s+)?" + _MONTH.format(g="m") + r",?\s+" + _YEAR.format(g="y")
        ),
    ),
    (
        "month_day_year",
        re.compile(
            r"\b" + _MONTH.format(g="m") + r"\s+" + _DAY.format(g="d") + r"(?!\d),?\s+" + _YEAR.format(g="y")
        ),
    ),
    (
        "month_year",
        re.compile(
            r"\b(?:(?P<part>" + _PART + r")[\s-]+(?:of\s+)?)?" + _MONTH.format(g="m") + r",?\s+(?:of\s+)?"
            + _YEAR.format(g="y"),
        ),
    ),
    (
        "month_rel_year",
        re.compile(
            r"\b(?:(?P<part>" + _PART + r")[\s-]+)?" + _MONTH.format(g="m") + r"\s+(?P<rel>last|this|next)\s+year\b",
        ),
    ),
    (
        "rel_month",
        re.compile(r"\b(?P<rel>(?i:last|this|next))\s+" + _MONTH.format(g="m") + r"\b"),
    ),
    (
        "day_month",
        re.compile(r"\b" + _DAY.format(g="d") + r"\s+(?:of\s+)?" + _MONTH.format(g="m") + r"(?![\w])"),
    ),
    (
        "month_day",
        re.compile(r"\b" + _MONTH.format(g="m") + r"\s+" + _DAY.format(g="d") + r"\b(?!\s*(?:,\s*)?\d)"),
    ),
    (
        "month",
        re.compile(
            r"\b(?P<prep>(?i:in|during|since|until|till|by|from|through|throughout|early|late|mid))[\s-]+"
            r"(?:(?P<part>" + _PART + r")\s+)?" + _MONTH.format(g="m") + r"\b(?!\s+\d)"
        ),
    ),
    (
        "year",
        re.compile(
            r"\b(?P<prep>in|during|since|until|till|by|from|of|early|late|mid|throughout|summer|spring|autumn|"
            r"fall|winter|end\s+of|beginning\s+of|start\s+of|middle\s+of)[\s-]+(?:the\s+year\s+)?"
            + _YEAR.format(g="y"),
            re.IGNORECASE,
        ),
    ),
    (
        # "in the 1990s", "during the late 1980s": a decade (the range it spans)
        "decade",
        re.compile(
            r"\b(?P<prep>in|during|throughout|since|until|till|by|from|of)\s+the\s+"
            r"(?:(?P<part>early|mid|late)[\s-]+)?(?P<y>(?:19|20)\d0)['’]?s\b",
            re.IGNORECASE,
        ),
    ),
    (
        # a year before an event noun: "NATO's 1999 bombing campaign", "the 2003 invasion"
        "year_modifier",
        re.compile(
            r"\b(?:(?i:the|its|their|his|her)|[A-Z][\w\-]*['’]s)\s+" + _YEAR.format(g="y")
            + r"(?=\s+[a-z])(?!\s+(?:" + "|".join(COUNTED_NOUNS) + r")\b)"
        ),
    ),
    (
        "ago",
        re.compile(
            r"\b" + _NUM.format(g="n") + r"\s+(?P<unit>days?|weeks?|months?|years?)\s+ago\b",
            re.IGNORECASE,
        ),
    ),
    (
        "rel_unit",
        re.compile(
            r"\b(?:(?P<early>earlier|later|early|late)\s+)?(?P<rel>last|this|past|previous|next|the\s+past|"
            r"the\s+previous)\s+(?P<unit>week|weekend|month|year)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "weekday",
        re.compile(
            r"\b(?:(?P<rel>last|this|next|on|early|late)\s+)?" + _WEEKDAY.format(g="w")
            + r"(?:\s+(?:morning|afternoon|evening|night))?\b"
        ),
    ),
    (
        "deictic",
        re.compile(
            r"\b(?P<word>yesterday|today|tonight|this\s+morning|this\s+afternoon|this\s+evening|last\s+night|"
            r"the\s+day\s+before\s+yesterday|tomorrow|overnight)\b",
            re.IGNORECASE,
        ),
    ),
    (
        # "on the 5th": a day of the publication's month, or of the month before
        "day_of_month",
        re.compile(r"\b(?P<prep>on|since|until|by)\s+the\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)\b(?!\s+(?:of\b|century|anniversary|floor|time|day\b|week|month|year))"),
    ),
    (
        "recent",
        re.compile(
            r"\b(?P<word>recently|in\s+recent\s+(?:days|weeks|months)|"
            r"(?:in|over|during)\s+the\s+(?:last|past)\s+(?:few\s+|couple\s+of\s+|several\s+|two\s+|three\s+)?(?:days|weeks|months)|"
            r"days\s+ago|weeks\s+ago|months\s+ago)\b",
            re.IGNORECASE,
        ),
    ),
]

#: Words before a date that make it a bound or a span, not the date of an event.
BOUND_PREPOSITIONS = frozenset({"since", "until", "till", "by", "from", "through", "throughout"})
#: How many words back a "since" makes a date a bound ("since the defeat of ISIS in 2017").
BOUND_WINDOW = 6


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date phrase: ``text == article_text[start:end]`` and the range it stands for.

    ``relative`` marks phrases resolved against the publication date. ``bound`` marks a
    phrase introduced by "since", "until", "by" and the like: a limit, not an event date.
    """

    start: int
    end: int
    text: str
    date_start: date | None
    date_end: date | None
    precision: str | None
    relative: bool
    flags: tuple[str, ...] = ()
    bound: bool = False

    @property
    def resolved(self) -> bool:
        return self.date_start is not None


def _month_number(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _month_range(year: int, month: int, part: str | None = None) -> tuple[date, date]:
    last = calendar.monthrange(year, month)[1]
    part = (part or "").lower()
    if part in ("early", "the beginning of", "the start of"):
        return date(year, month, 1), date(year, month, 10)
    if part in ("mid", "the middle of"):
        return date(year, month, 11), date(year, month, 20)
    if part in ("late", "the end of"):
        return date(year, month, 21), date(year, month, last)
    return date(year, month, 1), date(year, month, last)


def _week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _shift_months(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + (day.month - 1) + months
    return index // 12, index % 12 + 1


def _resolve(kind: str, m: re.Match[str], published: date | None) -> tuple[date | None, date | None, str | None, bool, tuple[str, ...]]:
    """(start, end, precision, relative, flags) of one matched phrase."""
    groups = m.groupdict()
    if kind in ("iso", "day_month_year", "month_day_year"):
        year = int(groups["y"])
        month = int(groups["m"]) if kind == "iso" else _month_number(groups["m"])
        day = int(groups["d"])
        try:
            value = date(year, month, day)
        except ValueError:
            return None, None, None, False, (FLAG_IMPOSSIBLE,)
        return value, value, "day", False, ()
    if kind == "month_year":
        start, end = _month_range(int(groups["y"]), _month_number(groups["m"]), groups.get("part"))
        return start, end, "month", False, ()
    if kind == "decade":
        year = int(groups["y"])
        first, last = {"early": (0, 3), "mid": (3, 6), "late": (6, 9)}.get((groups.get("part") or "").lower(), (0, 9))
        return date(year + first, 1, 1), date(year + last, 12, 31), "year", False, ()
    if kind == "year_modifier":
        year = int(groups["y"])
        return date(year, 1, 1), date(year, 12, 31), "year", False, ()
    if kind == "year":
        year = int(groups["y"])
        part = (groups.get("prep") or "").lower()
        if part == "early":
            return date(year, 1, 1), date(year, 4, 30), "year", False, ()
        if part == "late" or part.startswith("end"):
            return date(year, 9, 1), date(year, 12, 31), "year", False, ()
        return date(year, 1, 1), date(year, 12, 31), "year", False, ()
    if published is None:
        return None, None, None, True, (FLAG_UNRESOLVED,)
    p = published
    if kind == "month_rel_year":
        offset = {"last": -1, "this": 0, "next": 1}[groups["rel"].lower()]
        start, end = _month_range(p.year + offset, _month_number(groups["m"]), groups.get("part"))
        return start, end, "month", True, ()
    if kind in ("rel_month", "month"):
        month = _month_number(groups["m"])
        rel = (groups.get("rel") or "").lower()
        year = p.year if month <= p.month else p.year - 1
        if rel == "last" and month >= p.month:
            year = p.year - 1
        elif rel == "next":
            year = p.year if month > p.month else p.year + 1
        start, end = _month_range(year, month, groups.get("part"))
        return start, end, "month", True, ()
    if kind in ("day_month", "month_day"):
        month = _month_number(groups["m"])
        day = int(groups["d"])
        year = p.year
        try:
            value = date(year, month, day)
            if value > p + timedelta(days=7):
                value = date(year - 1, month, day)
        except ValueError:
            return None, None, None, True, (FLAG_IMPOSSIBLE,)
        return value, value, "day", True, ()
    if kind == "ago":
        count = parse_number(groups["n"])
        n = count.best if count else 1
        unit = groups["unit"].lower().rstrip("s")
        if count is None and groups["n"].lower() not in ("a", "an"):
            # "a few days ago", "several weeks ago": somewhere from 2 to 7 units back.
            lo, hi = {"day": (7, 2), "week": (49, 14), "month": (210, 60), "year": (2555, 730)}[unit]
            precision = {"day": "week", "week": "month", "month": "year", "year": "year"}[unit]
            return p - timedelta(days=lo), p - timedelta(days=hi), precision, True, ()
        if unit == "day":
            value = p - timedelta(days=n)
            return value, value, "day", True, ()
        if unit == "week":
            start, end = _week_of(p - timedelta(days=7 * n))
            return start, end, "week", True, ()
        if unit == "month":
            year, month = _shift_months(p, -n)
            start, end = _month_range(year, month)
            return start, end, "month", True, ()
        return date(p.year - n, 1, 1), date(p.year - n, 12, 31), "year", True, ()
    if kind == "rel_unit":
        rel = " ".join(groups["rel"].lower().split())
        unit = groups["unit"].lower()
        early = (groups.get("early") or "").lower()
        if rel in ("the past", "past") and unit in ("week", "weekend"):
            return p - timedelta(days=7), p, "week", True, ()
        if rel in ("the past", "past") and unit == "month":
            return p - timedelta(days=30), p, "month", True, ()
        if rel in ("the past", "past"):
            return p - timedelta(days=365), p, "year", True, ()
        if rel in ("previous", "the previous"):
            rel = "last"
        offset = {"last": -1, "this": 0, "next": 1}[rel]
        if unit in ("week", "weekend"):
            start, end = _week_of(p + timedelta(days=7 * offset))
            if unit == "weekend":
                start = end - timedelta(days=1)
            if offset == 0 and early == "earlier":
                end = min(end, p)
            return start, end, "week", True, ()
        if unit == "month":
            year, month = _shift_months(p, offset)
            start, end = _month_range(year, month)
            if offset == 0 and early == "earlier":
                end = p
            return start, end, "month", True, ()
        year = p.year + offset
        start, end = date(year, 1, 1), date(year, 12, 31)
        if offset == 0 and early == "earlier":
            end = p
        elif offset == 0 and early == "later":
            start = p
        return start, end, "year", True, ()
    if kind == "weekday":
        target = WEEKDAYS[groups["w"].lower()]
        rel = (groups.get("rel") or "").lower()
        back = (p.weekday() - target) % 7
        if rel == "last" and back == 0:
            back = 7
        if rel == "next":
            value = p + timedelta(days=(target - p.weekday()) % 7 or 7)
        else:
            value = p - timedelta(days=back)
        return value, value, "day", True, ()
    if kind == "deictic":
        word = " ".join(groups["word"].lower().split())
        if word == "overnight":  # the night before the report: the day before or the day itself
            return p - timedelta(days=1), p, "day", True, ()
        delta = {"yesterday": -1, "last night": -1, "the day before yesterday": -2, "tomorrow": 1}.get(word, 0)
        value = p + timedelta(days=delta)
        return value, value, "day", True, ()
    if kind == "day_of_month":
        day = int(groups["d"])
        year, month = (p.year, p.month) if day <= p.day else _shift_months(p, -1)
        try:
            value = date(year, month, day)
        except ValueError:
            return None, None, None, True, (FLAG_IMPOSSIBLE,)
        return value, value, "day", True, ()
    if kind == "recent":
        word = " ".join(groups["word"].lower().split())
        if "days" in word:
            return p - timedelta(days=7), p, "week", True, ()
        if "months" in word:
            return p - timedelta(days=180), p, "year", True, ()
        return p - timedelta(days=30), p, "month", True, ()
    return None, None, None, True, (FLAG_UNRESOLVED,)


#: Words the patterns need, by kind: only the text around them is searched, and only with
#: the patterns that need that kind of word.
ANCHOR_WORDS: dict[str, frozenset[str]] = {
    "month": frozenset(MONTHS),
    "weekday": frozenset(WEEKDAYS),
    "ago": frozenset({"ago"}),
    "rel": frozenset({"last", "this", "past", "previous", "next", "earlier", "later"}),
    "deictic": frozenset({"yesterday", "today", "tonight", "tomorrow", "this", "last", "overnight"}),
    "ordinal": frozenset({f"{n}{suffix}" for n in range(1, 32) for suffix in ("st", "nd", "rd", "th")}),
    "recent": frozenset({"recently", "recent", "past", "last", "ago"}),
}
#: The kind of anchor each pattern needs ("year": a four-digit number).
PATTERN_ANCHORS: dict[str, str] = {
    "iso": "year", "day_month_year": "month", "month_day_year": "month", "month_year": "month",
    "month_rel_year": "month", "rel_month": "month", "day_month": "month", "month_day": "month",
    "month": "month", "year": "year", "decade": "year", "year_modifier": "year", "ago": "ago", "rel_unit": "rel", "weekday": "weekday",
    "deictic": "deictic", "recent": "recent", "day_of_month": "ordinal",
}
#: Characters searched on each side of an anchor word (longer than any phrase's reach).
ANCHOR_REACH = 48
_YEAR_ANCHOR_RE = re.compile(r"[12][09]\d\d")


@lru_cache(maxsize=1)
def _anchor_automaton() -> ahocorasick.Automaton:
    kinds: dict[str, set[str]] = {}
    for kind, anchor_words in ANCHOR_WORDS.items():
        for word in anchor_words:
            kinds.setdefault(word, set()).add(kind)
    automaton = ahocorasick.Automaton()
    for word, word_kinds in kinds.items():
        automaton.add_word(word, (len(word), frozenset(word_kinds)))
    automaton.make_automaton()
    return automaton


def _windows(text: str, lowered: str, start: int, stop: int) -> list[tuple[int, int, set[str]]]:
    """Merged spans of ``text`` around anchor words and four-digit numbers, with the kinds of
    anchor each holds."""
    points: list[tuple[int, frozenset[str]]] = []
    for last, (length, kinds) in _anchor_automaton().iter(lowered):
        first = last - length + 1
        if first > 0 and lowered[first - 1].isalnum():
            continue
        if last + 1 < len(lowered) and lowered[last + 1].isalnum():
            continue
        points.append((start + first, kinds))
    year = frozenset({"year"})
    points.extend((start + m.start(), year) for m in _YEAR_ANCHOR_RE.finditer(lowered))
    points.sort(key=lambda p: p[0])
    windows: list[tuple[int, int, set[str]]] = []
    for point, kinds in points:
        w_start, w_end = max(start, point - ANCHOR_REACH), min(stop, point + ANCHOR_REACH)
        if windows and w_start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], w_end), windows[-1][2] | kinds)
        else:
            windows.append((w_start, w_end, set(kinds)))
    return windows


def _plausible_year(m: re.Match[str]) -> bool:
    year = m.groupdict().get("y")
    return year is None or MIN_YEAR <= int(year) <= MAX_YEAR


def find_dates(
    text: str,
    *,
    published: date | None = None,
    start: int = 0,
    end: int | None = None,
) -> list[DateMention]:
    """Find date phrases in ``text[start:end]`` and resolve them.

    Parameters
    ----------
    text
        The article text (offsets in the result index it).
    published
        The publication date relative phrases are resolved against; None leaves them
        unresolved with the flag ``unresolved_date``.
    start, end
        The part of ``text`` to search (default: all of it).

    Returns
    -------
    list of DateMention
        Non-overlapping, longest phrase first, in text order.
    """
    stop = len(text) if end is None else end
    if stop <= start:
        return []
    found: list[tuple[int, int, str, re.Match[str]]] = []
    seen: set[tuple[int, int, str]] = set()
    for w_start, w_end, anchors in _windows(text, match_text(text[start:stop]), start, stop):
        for kind, pattern in _PATTERNS:
            if PATTERN_ANCHORS[kind] not in anchors:
                continue
            for m in pattern.finditer(text, w_start, w_end):
                key = (m.start(), m.end(), kind)
                if key in seen or not _plausible_year(m):
                    continue
                seen.add(key)
                found.append((m.start(), m.end(), kind, m))
    # Longest phrase first: "in August" gives way to "August last year".
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    chosen: list[tuple[int, int, str, re.Match[str]]] = []
    chosen_starts: list[int] = []
    for item in found:
        i = bisect.bisect_left(chosen_starts, item[0])
        if i > 0 and chosen[i - 1][1] > item[0]:
            continue
        if i < len(chosen) and chosen[i][0] < item[1]:
            continue
        chosen.insert(i, item)
        chosen_starts.insert(i, item[0])
    mentions: list[DateMention] = []
    for m_start, m_end, kind, m in chosen:
        prep = (m.groupdict().get("prep") or "").lower()
        phrase_start = m_start
        if prep and prep in ("in", "during", "on", "of", "since", "until", "till", "by", "from", "through", "throughout"):
            phrase_start = m.start("prep") + len(m.group("prep"))
            while phrase_start < m_end and text[phrase_start].isspace():
                phrase_start += 1
        if kind == "year_modifier":
            phrase_start = m.start("y")
        # the words before it in its own sentence ("... since the liberation of Raqqa. On 23
        # October, ..." is no bound)
        lead_from = sentence_start_before(text, m_start, reach=60)
        lead = text[lead_from:m_start].lower().split()[-BOUND_WINDOW:]
        bound = prep in BOUND_PREPOSITIONS or bool(lead and lead[-1] in BOUND_PREPOSITIONS) or "since" in lead
        if kind == "recent" and m.group("word").lower().startswith(("over", "during")):
            bound = True  # "collected over the past few months": a span of activity
        if bound and text[m_end:m_end + 2] in ("'s", "’s"):
            bound = False  # "since last April's chemical attack": the date of the attack
        d_start, d_end, precision, relative, flags = _resolve(kind, m, published)
        if d_start is not None and published is not None and d_start > published:
            flags = flags + (FLAG_FUTURE,)
        mentions.append(
            DateMention(phrase_start, m_end, text[phrase_start:m_end], d_start, d_end, precision, relative, flags, bound)
        )
    return mentions
