"""Counts of people killed, injured and arrested, ACLED style.

A count is a :class:`~incidents.model.Count` ``(low, best, high, text)``:

- a figure or number words: "14", "2,500", "three", "twenty-five", "a dozen" (12),
  "two more" (2), "an ISIS commander" (1 after a casualty verb);
- qualified: "at least 14" and "more than 14" give ``low`` 14 (15 for "more than"), "up to
  20" gives ``low`` 1 and ``high`` 20, "between 10 and 15" / "10-15" a range;
- vague words ("dozens", "hundreds", "several") take the values in ``events.yaml`` and are
  marked ``vague``: they only count when no figure is given for the same event.

:func:`find_counts` finds counts of people in a sentence and gives each the category
(killed, injured, arrested) of the casualty word next to it ("14 militants were killed",
"killed at least three militants", "the deaths of 14"). Counts inside "including ..." and
"with five wounded" after a total are marked ``subset`` and do not add up.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from incidents.events import (
    EventLexicon,
    PhraseSet,
    WordSpan,
    clause_start,
    ends_with_phrase,
    word_spans,
)
from incidents.model import Count

CATEGORIES: tuple[str, ...] = ("killed", "injured", "arrested")

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000}
_NUMBER_WORD = "|".join(sorted([*_UNITS, *_TENS], key=len, reverse=True))

_FIGURE = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?![\d.,]\d)"
_WORDS = (
    rf"(?:{_NUMBER_WORD})(?:[\s-]+(?:and[\s-]+)?(?:{_NUMBER_WORD}|hundred|thousand))*"
    r"|(?:a|one)\s+(?:hundred|thousand)(?:\s+(?:and\s+)?(?:" + _NUMBER_WORD + "))?"
)
_EXACT = rf"(?:{_FIGURE}|{_WORDS}|half\s+a\s+dozen|a\s+dozen|a\s+couple\s+of)"
_VAGUE = (
    r"dozens(?:\s+of)?|scores(?:\s+of)?|hundreds(?:\s+of)?|thousands(?:\s+of)?|several|many|numerous|multiple"
    r"|a\s+number\s+of|a\s+handful\s+of|a\s+few"
)
_QUALIFIER = (
    r"at\s+least|more\s+than|over|nearly|almost|about|around|approximately|roughly|some|up\s+to"
    r"|as\s+many\s+as|at\s+most|less\s+than|fewer\s+than|an\s+estimated|estimated|another|a\s+further|an\s+additional"
)
COUNT_RE = re.compile(
    rf"(?<![\w$£€#.,])(?:(?P<qual>{_QUALIFIER})\s+)?"
    rf"(?:between\s+(?P<lo>{_EXACT})\s+and\s+(?P<hi>{_EXACT})"
    rf"|(?P<a>{_EXACT})(?:\s*(?:-|–|to|or)\s*(?P<b>{_EXACT}))?"
    rf"|(?P<vague>{_VAGUE})"
    rf"|(?P<article>an?)(?=\s))"
    r"(?P<more>\s+(?:more|others?|additional|further))?"
    r"(?![\w%])",
    re.IGNORECASE,
)

#: Words after a number that make it something other than people.
_NOT_PEOPLE = frozenset(
    ["percent", "per", "km", "kilometres", "kilometers", "miles", "metres", "meters", "years", "year", "months", "month", "weeks", "week", "days", "day", "hours", "hour", "minutes", "am", "pm", "million", "billion", "dollars", "usd", "times", "pounds", "euros", "tonnes", "tons", "kg", "degrees"]
)
#: Words skipped between a number of people and its casualty word ("were reportedly killed").
_AUXILIARY = frozenset(
    ["were", "was", "have", "has", "had", "been", "are", "is", "be", "being", "reportedly", "also", "all", "later", "allegedly", "later", "reported", "confirmed", "said", "believed", "thought", "feared"]
)
#: Words before a count that make it part of a total told just before.
_SUBSET_CUES = PhraseSet([("including",), ("included",), ("among",), ("such", "as"), ("of", "whom"), ("of", "them"), ("among", "them")])
_PUNCT_RE = re.compile(r"[,;:.()\[\]]")
_LIST_GAP_RE = re.compile(r"\s*(?:,|and|,\s*and)\s*")
#: Words a number of people may have before its noun ("14 ISIS militants").
NP_WINDOW = 5


@dataclass(frozen=True, slots=True)
class CountMention:
    """A number of people in text: ``text == article_text[start:end]`` (number to noun)."""

    start: int
    end: int
    text: str
    count: Count
    category: str | None
    vague: bool = False
    subset: bool = False
    after_with: int | None = None
    listed: bool = False


def _words_value(phrase: str) -> int | None:
    total = 0
    current = 0
    seen = False
    for word in re.split(r"[\s-]+", phrase.lower()):
        if word in ("and", ""):
            continue
        if word in ("a", "one") and not seen:
            current = 1
            seen = True
        elif word in _UNITS:
            current += _UNITS[word]
            seen = True
        elif word in _TENS:
            current += _TENS[word]
            seen = True
        elif word == "hundred":
            current = (current or 1) * 100
            seen = True
        elif word == "thousand":
            total += (current or 1) * 1000
            current = 0
            seen = True
        else:
            return None
    return total + current if seen else None


def exact_value(phrase: str) -> int | None:
    """The value of an exact number phrase ("14", "2,500", "twenty-five", "a dozen")."""
    text = " ".join(phrase.lower().split())
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", text):
        return int(text.replace(",", ""))
    if text == "a dozen":
        return 12
    if text == "half a dozen":
        return 6
    if text == "a couple of":
        return 2
    return _words_value(text)


def parse_number(phrase: str) -> Count | None:
    """The count a number phrase stands for, or None when it is not an exact number.

    >>> parse_number("at least 14")
    Count(low=14, best=14, high=14, text='at least 14')
    """
    m = COUNT_RE.fullmatch(phrase.strip())
    if not m or m.group("vague") or m.group("article"):
        return None
    return _count_from_match(m, phrase.strip(), vague_values={})


def _count_from_match(m: re.Match[str], text: str, *, vague_values: dict[str, int]) -> Count | None:
    qualifier = " ".join((m.group("qual") or "").lower().split())
    if m.group("vague"):
        value = vague_values.get(" ".join(m.group("vague").lower().split()))
        if value is None:
            return None
        low = best = high = value
    elif m.group("article"):
        low = best = high = 1
    else:
        first = exact_value(m.group("lo") or m.group("a"))
        second_text = m.group("hi") or m.group("b")
        second = exact_value(second_text) if second_text else None
        if first is None:
            return None
        low, best, high = first, first, first
        if second is not None and second > first:
            high = second
    if qualifier in ("more than", "over"):
        low = best = high = best + 1 if best < 100 else best
    elif qualifier == "up to" or qualifier == "as many as" or qualifier == "at most":
        low = min(1, best)
    elif qualifier in ("less than", "fewer than"):
        high = max(best - 1, 0)
        low = min(1, high)
        best = high
    return Count(low=low, best=best, high=high, text=text)


def find_counts(
    text: str,
    lexicon: EventLexicon,
    *,
    start: int = 0,
    end: int | None = None,
    blocked: Sequence[tuple[int, int]] = (),
    vague_values: dict[str, int] | None = None,
    words: Sequence[WordSpan] | None = None,
) -> list[CountMention]:
    """Numbers of people in one sentence ``text[start:end]``, with their category.

    Parameters
    ----------
    text
        The article text (offsets index it).
    lexicon
        Casualty words and person nouns.
    start, end
        The sentence.
    blocked
        Spans no number may start in (dates: "3 March 2019").
    vague_values
        Values of vague words (default: ``vague_numbers`` of ``events.yaml``).
    words
        ``word_spans(text)`` of the whole text when the caller has it.

    Returns
    -------
    list of CountMention
        In text order; ``category`` None for people not killed, injured or arrested.
    """
    stop = len(text) if end is None else end
    values = lexicon.vague_numbers if vague_values is None else vague_values
    mentions: list[CountMention] = []
    sentence_lower = text[start:stop].lower()
    arrest_context = any(stem in sentence_lower for stem in ("dismantl", "arrest", "detain", "captur", "bust", "broke up", "neutralis", "neutraliz", "round"))
    previous: CountMention | None = None
    if words is None:
        spans = word_spans(text, start, stop)
    else:
        spans = list(words[bisect.bisect_left(words, (start,)):bisect.bisect_left(words, (stop,))])
    starts = [w.start for w in spans]
    lowered = [w.word for w in spans]
    for m in COUNT_RE.finditer(text, start, stop):
        if any(b_start <= m.start() < b_end for b_start, b_end in blocked):
            continue
        c_start = clause_start(text, start, m.start())
        before = lowered[bisect.bisect_left(starts, c_start):bisect.bisect_left(starts, m.start())]
        if m.group("article") and _category_before(lexicon, before) is None:
            continue  # "a", "an" count only right after a casualty verb: "killed an ISIS commander"
        stop_at = _PUNCT_RE.search(text, m.end(), min(stop, m.end() + 80))
        limit = stop_at.start() if stop_at else stop
        first_after = bisect.bisect_left(starts, m.end())
        following = [w for w in spans[first_after:first_after + NP_WINDOW + 1] if w.start < limit]
        if following and following[0].word in _NOT_PEOPLE:
            continue
        if text[m.end():m.end() + 9].lower().startswith(("-year", " year-old", "-strong")):
            continue
        noun_end = _person_noun_end(lexicon, following, m.end())
        after_number = lowered[first_after:first_after + 8]
        if noun_end is None and _category_after(lexicon, after_number):
            noun_end = m.end()  # "14 were killed", "two sustaining injuries"
        if noun_end is None and (m.group("more") or not following) and _category_before(lexicon, before):
            noun_end = m.end()  # "arrested two more", "wounding about 20,"
        if noun_end is None:
            continue
        count = _count_from_match(m, text[m.start():m.end()].strip(), vague_values=values)
        if count is None:
            continue
        after_noun = lowered[bisect.bisect_left(starts, noun_end):bisect.bisect_left(starts, noun_end) + 8]
        category = _category_after(lexicon, after_noun) or _category_before(lexicon, before)
        if category is None and arrest_context and ends_with_phrase(before[-4:], lexicon.arrested_cells, within=1):
            category = "arrested"
        listed = False
        if (
            category is None
            and not m.group("article")
            and previous is not None
            and previous.category is not None
            and _LIST_GAP_RE.fullmatch(text, previous.end, m.start())
        ):
            category = previous.category  # "killed 3 soldiers and 5 civilians"
            listed = True
        if m.group("article") and category is None:
            continue
        subset = _SUBSET_CUES.find_in(before) is not None
        with_at = None
        for span in reversed(spans[bisect.bisect_left(starts, c_start):bisect.bisect_left(starts, m.start())]):
            if span.word == "with":
                with_at = span.start
                break
        mention = CountMention(
            m.start(),
            noun_end,
            text[m.start():noun_end],
            Count(count.low, count.best, count.high, text[m.start():noun_end]),
            category,
            vague=bool(m.group("vague")),
            subset=subset,
            after_with=with_at,
            listed=listed,
        )
        mentions.append(mention)
        previous = mention
    return mentions


def _person_noun_end(lexicon: EventLexicon, following: list, number_end: int) -> int | None:
    """End offset of the person noun a number counts, or None when it counts no people.

    "15 dead" and "14 killed" count people without a noun: the number's own end is returned.
    """
    for i, span in enumerate(following[:NP_WINDOW]):
        if i == 0 and span.word in _CASUALTY_HEADS:
            return number_end
        if span.word in lexicon.person_nouns:
            return span.end
        if span.word in ("of", "in", "at", "on", "from", "were", "was", "and", "with", "who", "which"):
            if span.word == "of" and i == 0:
                continue  # "dozens of people", "one of the"
            return None
    return None


_CASUALTY_HEADS = frozenset({"killed", "dead", "wounded", "injured", "arrested", "detained", "died"})


def _category_after(lexicon: EventLexicon, after: list[str]) -> str | None:
    i = 0
    while i < len(after) and after[i] in _AUXILIARY:
        i += 1
    rest = after[i:i + 4]
    for category, phrases in lexicon.casualty_after.items():
        if phrases.starts(rest):
            return category
    return None


def _category_before(lexicon: EventLexicon, before: list[str]) -> str | None:
    window = list(before[-5:])
    while window and window[-1] in ("the", "a", "an", "some", "another", "at", "least", "more", "than", "over", "about", "around", "nearly", "almost", "up", "to", "as", "many", "of"):
        if window[-1] == "of" and len(window) > 1 and window[-2] in ("deaths", "death", "arrest", "detention", "capture", "killing", "bodies", "massacre", "execution", "wounding", "injuries", "toll"):
            break
        window.pop()
    for category, phrases in lexicon.casualty_before.items():
        if ends_with_phrase(window, phrases, within=1):
            return category
    return None


def sentence_totals(mentions: Sequence[CountMention]) -> dict[str, CountMention]:
    """One count per category for a sentence: the first total, plus list items ("3 soldiers and
    5 civilians"), never the parts of a total ("including two", "with five wounded").

    Vague counts are kept only when the sentence gives no figure for the category.
    """
    totals: dict[str, CountMention] = {}
    for mention in mentions:
        if mention.category is None or mention.subset:
            continue
        current = totals.get(mention.category)
        if current is None:
            totals[mention.category] = mention
            continue
        if current.after_with is None and mention.after_with is not None and mention.after_with >= current.end:
            continue  # "seven injured, with five wounded during the raid"
        if mention.after_with is not None and current.end <= mention.after_with:
            continue
        if current.count.text and mention.vague:
            continue
        if current.vague and not mention.vague:
            totals[mention.category] = mention
            continue
        if mention.listed:
            merged = Count(
                current.count.low + mention.count.low,
                current.count.best + mention.count.best,
                current.count.high + mention.count.high,
                f"{current.count.text} … {mention.count.text}",
            )
            totals[mention.category] = CountMention(
                current.start, mention.end, current.text, merged, current.category, current.vague and mention.vague
            )
    return totals
