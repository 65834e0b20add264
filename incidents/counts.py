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

Phrasings handled beyond "N people were killed":

- one victim: "a police officer was killed", "killed a farmer" (a singular of a person noun);
- the agent is no victim: "two gunmen killed five people" counts five;
- an aside before the verb: "Seven civilians, including three children, were killed" is 7;
- lists in either voice add up: "3 soldiers and 5 civilians were killed" is 8, unless the items
  break down the first ("Three civilians, two women and a man, were killed" is 3);
- more people in a later clause add up: "four were killed ... and six others were killed", "four
  soldiers were killed and six militants were killed" (10);
- a bare number after a casualty verb: "wounded 5 near Baiji", "Bomb kills two".
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

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
#: One number word ("seventeen", "forty"), longest first, as a regular-expression alternation.
NUMBER_WORD = "|".join(sorted([*_UNITS, *_TENS], key=len, reverse=True))

_FIGURE = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?![\d.,]\d)"
_WORDS = (
    rf"(?:{NUMBER_WORD})(?:[\s-]+(?:and[\s-]+)?(?:{NUMBER_WORD}|hundred|thousand))*"
    r"|(?:a|one)\s+(?:hundred|thousand)(?:\s+(?:and\s+)?(?:" + NUMBER_WORD + "))?"
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
_PUNCT_RE = re.compile(r"[,;:.()\[\]\u2013\u2014]")
_LIST_GAP_RE = re.compile(r"\s*(?:,|and|,\s*and)\s*")
#: An aside after a total that tells its parts: "Seven civilians, including three children, were
#: killed"; the casualty word comes after it.
_ASIDE_RE = re.compile(
    r"\s*(?:,|\(|\u2013|\u2014|--)\s*(?:including|among\s+(?:them|whom)|mostly|most\s+of\s+them|all\s+of\s+them"
    r"|many\s+of\s+them|[\w-]+\s+of\s+(?:them|whom))\b[^,;:.()\u2013\u2014]*(?:,|\)|\u2013|\u2014|--)",
    re.IGNORECASE,
)
#: Forms of "be" that make a casualty word after a number passive ("were killed"): without one,
#: "two gunmen killed five people" is active and the gunmen are no victims.
_BE_FORMS = frozenset(["were", "was", "been", "are", "is", "be", "being"])
#: Words a bare number may stand before right after a casualty verb ("wounded 5 near Baiji").
_AFTER_BARE_NUMBER = frozenset(
    ["in", "near", "at", "on", "and", "as", "when", "while", "during", "after", "across", "around", "outside",
     "inside", "including", "among", "overnight", "yesterday", "today", "earlier", "last", "this"]
)
#: Words that begin the object of an active casualty verb ("killed the mayor", "killed his wife").
_OBJECT_DETERMINERS = frozenset(["the", "his", "her", "their", "its", "a", "an"])
#: Words after which a list of people can be the subject of a casualty word told after it.
_SUBJECT_LEADS = frozenset(
    ["said", "says", "that", "leaving", "left", "when", "where", "while", "as", "and", "but", "after", "yesterday",
     "today", "overnight", "meanwhile", "also"]
)
#: Marks that end a clause for good: no count after them adds to one before.
_STOP_RE = re.compile(r"[;:]")
#: A second clause of the same sentence joined by "and": its own people, its own verb.
_AND_CLAUSE_RE = re.compile(r"\w\s*,?\s+and\s+(?:the\s+)?$", re.IGNORECASE)
#: Qualifiers that make a count an addition to one told before ("another six were killed").
_ADDITIVE_QUALIFIERS = frozenset(["another", "a further", "an additional"])
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
    people = people_words(lexicon.person_nouns, lexicon.civilian_nouns)
    mentions: list[CountMention] = []
    # per mention: its category came from a word after it ("were killed"), it is "a"/"an"
    shared: list[bool] = []
    articles: list[bool] = []
    sentence_lower = text[start:stop].lower()
    arrest_context = any(stem in sentence_lower for stem in ("dismantl", "arrest", "detain", "captur", "bust", "broke up", "neutralis", "neutraliz", "round"))
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
        category_before = _category_before(lexicon, before)
        stop_at = _PUNCT_RE.search(text, m.end(), min(stop, m.end() + 80))
        limit = stop_at.start() if stop_at else stop
        first_after = bisect.bisect_left(starts, m.end())
        following = [w for w in spans[first_after:first_after + NP_WINDOW + 1] if w.start < limit]
        if following and following[0].word in _NOT_PEOPLE:
            continue
        if text[m.end():m.end() + 9].lower().startswith(("-year", " year-old", "-strong")):
            continue
        noun_end = _person_noun_end(people, text, following, m.end(), article=bool(m.group("article")))
        if noun_end is not None and noun_end > m.end():
            noun_end = _coordinated_end(people, text, spans, starts, noun_end, limit)
        after_number = lowered[first_after:first_after + 8]
        if m.group("article") and noun_end is None:
            continue  # "a", "an" count only before a person: "killed an ISIS commander", "a soldier was killed"
        if noun_end is None and _category_after(lexicon, after_number):
            noun_end = m.end()  # "14 were killed", "two sustaining injuries"
        if noun_end is None and category_before and (
                m.group("more") or not following or following[0].word in _AFTER_BARE_NUMBER):
            noun_end = m.end()  # "arrested two more", "wounding about 20,", "wounded 5 near Baiji"
        if noun_end is None:
            continue
        count = _count_from_match(m, text[m.start():m.end()].strip(), vague_values=values)
        if count is None:
            continue
        aside = _ASIDE_RE.match(text, noun_end, stop)
        after_at = bisect.bisect_left(starts, noun_end)
        # a bare number is no agent: "seven wounded civilians", "two killed three wounded"
        agent_possible = noun_end > m.end()
        category = _category_after_noun(lexicon, text, spans[after_at:after_at + 8], people, agent_possible=agent_possible)
        if category is None and aside is not None:
            after_at = bisect.bisect_left(starts, aside.end())
            category = _category_after_noun(lexicon, text, spans[after_at:after_at + 8], people, agent_possible=agent_possible)
        if category is None and agent_possible and not m.group("article"):
            category = _head_category(lexicon, text, following, noun_end)  # "one Iraqi dead"
        from_after = category is not None
        category = category or category_before
        if category is None and arrest_context and ends_with_phrase(before[-4:], lexicon.arrested_cells, within=1):
            category = "arrested"
        previous = next((p for p in reversed(mentions) if not p.subset), None)
        listed = False
        if (
            category is None
            and not m.group("article")
            and mentions
            and mentions[-1].category is not None
            and _LIST_GAP_RE.fullmatch(text, mentions[-1].end, m.start())
        ):
            category = mentions[-1].category  # "killed 3 soldiers and 5 civilians"
            listed = True
        qualifier = " ".join((m.group("qual") or "").lower().split())
        if (
            category is not None
            and (m.group("more") or qualifier in _ADDITIVE_QUALIFIERS)
            and previous is not None
            and previous.category == category
        ):
            listed = True  # "four were killed ... and six others were killed": more people
        elif (
            category is not None
            and from_after
            and mentions
            and mentions[-1] is previous
            and previous.category == category
            and not previous.vague
            and not m.group("vague")
            and shared[-1]
            and _AND_CLAUSE_RE.search(text, previous.end, m.start())
            and not _STOP_RE.search(text, previous.end, m.start())
            and _SUBSET_CUES.find_in(lowered[bisect.bisect_left(starts, previous.end):bisect.bisect_left(starts, m.start())]) is None
        ):
            listed = True  # "four soldiers were killed and six militants were killed": other people
        subset = _SUBSET_CUES.find_in(before) is not None
        with_at = None
        for span in reversed(spans[bisect.bisect_left(starts, c_start):bisect.bisect_left(starts, m.start())]):
            if span.word == "with":
                with_at = span.start
                break
        mentions.append(CountMention(
            m.start(),
            noun_end,
            text[m.start():noun_end],
            Count(count.low, count.best, count.high, text[m.start():noun_end]),
            category,
            vague=bool(m.group("vague")),
            subset=subset,
            after_with=with_at,
            listed=listed,
        ))
        shared.append(from_after)
        articles.append(bool(m.group("article")))
    _share_categories(text, start, mentions, shared)
    _total_before_parts(text, mentions)
    _subject_of_late_verb(lexicon, text, start, stop, spans, starts, mentions, articles)
    return [m for m, article in zip(mentions, articles) if m.category is not None or not article]


#: Words an added group of people may have before its noun ("and allied militiamen").
_COORDINATED_RE = re.compile(r"\s+(?:and|or)\s+", re.IGNORECASE)


def _coordinated_end(
    people: frozenset[str], text: str, spans: Sequence[WordSpan], starts: list[int], noun_end: int, limit: int
) -> int:
    """End of a number's noun phrase with a second noun joined by "and"/"or" and no number of
    its own: "21 Syrian soldiers and allied militiamen were killed" counts 21 people killed."""
    joint = _COORDINATED_RE.match(text, noun_end)
    if joint is None:
        return noun_end
    first = bisect.bisect_left(starts, joint.end())
    for span in spans[first:first + 3]:
        if span.start >= limit or COUNT_RE.fullmatch(span.word) or span.word in ("a", "an", "the"):
            return noun_end
        if span.word in people:
            return span.end
    return noun_end


#: The words between a total and its parts told with no comma: "14 civilians including three children".
_PARTS_GAP_RE = re.compile(r"\s+(?:including|among\s+them)\s+", re.IGNORECASE)


def _total_before_parts(text: str, mentions: list[CountMention]) -> None:
    """Give a total the casualty word its parts take, in place: "At least 14 civilians including
    three children were killed" kills 14 (the three children are a part of them)."""
    for i in range(len(mentions) - 1):
        total, part = mentions[i], mentions[i + 1]
        if (
            total.category is None
            and part.category is not None
            and part.subset
            and _PARTS_GAP_RE.fullmatch(text, total.end, part.start)
        ):
            mentions[i] = replace(total, category=part.category)


#: Verbs that report speech: a casualty verb after them has a subject of its own.
_SPEECH = frozenset(["said", "says", "told", "reported", "claimed", "announced", "added", "stated", "that"])
#: Auxiliaries that make a casualty word after the subject's modifiers its finite verb.
_FINITE_AUX = frozenset(["was", "were", "has", "have", "had"])
#: How many words a subject's modifiers may run before its verb ("A British woman fighting
#: alongside Kurdish forces in Afrin, northern Syria, has been killed").
_LATE_VERB_WINDOW = 16


def _subject_of_late_verb(
    lexicon: EventLexicon, text: str, start: int, stop: int, spans: Sequence[WordSpan], starts: list[int],
    mentions: list[CountMention], articles: list[bool],
) -> None:
    """Give the number that opens a sentence the casualty verb its modifiers put far after it,
    in place: "A British woman fighting alongside Kurdish forces in Afrin, northern Syria, has
    been killed" kills one. The verb must be finite ("has been killed", "was killed", "died")
    and no other number, quote or reported speech may stand between."""
    if not mentions or mentions[0].category is not None or mentions[0].subset:
        return
    first = mentions[0]
    if text[start:first.start].strip():
        return
    limit = mentions[1].start if len(mentions) > 1 else stop
    at = bisect.bisect_left(starts, first.end)
    window = [w for w in spans[at:at + _LATE_VERB_WINDOW] if w.end <= limit]
    if any(c in text[first.end:window[-1].end] for c in "\u201c\u201d\";:(") if window else True:
        return
    words = [w.word for w in window]
    for i, word in enumerate(words):
        if word in _SPEECH:
            return
        if word in _FINITE_AUX or word == "died":
            j = i
            while j < len(words) and words[j] in _AUXILIARY:
                j += 1
            rest = words[j:j + 4] if word != "died" else ["died"]
            category = next(
                (c for c, phrases in lexicon.casualty_after.items() if phrases.starts(rest)), None
            )
            if category is not None and rest[0] not in _NOT_VERBS:
                mentions[0] = replace(first, category=category)
            return


def _head_category(lexicon: EventLexicon, text: str, following: Sequence[WordSpan], noun_end: int) -> str | None:
    """The category of a casualty word that ends a number's phrase ("one Iraqi dead", "two
    minors dead"); None for "five of the dead", "shot dead", or a phrase holding another number."""
    inside = [w for w in following if w.end <= noun_end]
    if len(inside) < 2 or inside[-1].word not in _CASUALTY_HEADS or inside[-2].word in ("the", "shot", "now"):
        return None
    if any(w.word[0].isdigit() for w in inside):
        return None
    return _category_after(lexicon, [inside[-1].word])


def _share_categories(text: str, sentence_start: int, mentions: list[CountMention], shared: list[bool]) -> None:
    """Give the items of a list the casualty word told after its last item, in place: "3 soldiers
    and 5 civilians were killed" kills both groups; the later items are marked ``listed``.

    The list must open its clause or follow a comma or a word that leads a subject ("said 30
    soldiers and 39 rebels had been killed"): "the YPG lost four of its fighters and several
    others were injured" injures the others only.
    """
    for i in range(len(mentions) - 2, -1, -1):
        current, following = mentions[i], mentions[i + 1]
        lead = text[clause_start(text, sentence_start, current.start):current.start].rstrip()
        lead_word = lead.rsplit(None, 1)[-1].lower() if lead else ""
        if (
            current.category is None
            and not current.subset
            and following.category is not None
            and shared[i + 1]
            and _LIST_GAP_RE.fullmatch(text, current.end, following.start)
            and (not lead or lead.endswith(",") or lead_word in _SUBJECT_LEADS)
            and current.text.split()[-1].lower() not in _OWN_CASUALTY
        ):
            mentions[i] = replace(current, category=following.category)
            mentions[i + 1] = replace(following, listed=True)
            shared[i] = True
    _mark_breakdowns(text, mentions)


def _mark_breakdowns(text: str, mentions: list[CountMention]) -> None:
    """Mark as parts, in place, the items that break down the total before them: "Three
    civilians, two women and a man, were killed" is three people, not six."""
    for i, first in enumerate(mentions):
        if first.listed or first.category is None:
            continue
        j = i + 1
        while j < len(mentions) and mentions[j].listed and mentions[j].category == first.category:
            j += 1
        parts = mentions[i + 1:j]
        if (
            len(parts) >= 2
            and text[first.end:parts[0].start].strip() == ","
            and sum(p.count.best for p in parts) == first.count.best
        ):
            for k in range(i + 1, j):
                mentions[k] = replace(mentions[k], subset=True, listed=False)


@lru_cache(maxsize=8)
def people_words(person_nouns: frozenset[str], civilian_nouns: frozenset[str]) -> frozenset[str]:
    """Words that name people: the person nouns, the plural civilian nouns ("teachers"), and the
    singular of each plural ("farmer", "teacher", "policewoman")."""
    plurals = person_nouns | {w for w in civilian_nouns if w.endswith("s") and " " not in w}
    singulars = set()
    for word in plurals:
        if word.endswith("men"):
            singulars.add(word[:-3] + "man")
        elif word.endswith("ies"):
            singulars.add(word[:-3] + "y")
        elif word.endswith("s") and not word.endswith("ss"):
            singulars.add(word[:-1])
    return frozenset(plurals | singulars) - _NOT_PEOPLE - {"family"}


def _person_noun_end(
    people: frozenset[str], text: str, following: list, number_end: int, *, article: bool = False
) -> int | None:
    """End offset of the person noun a number counts, or None when it counts no people.

    "15 dead" and "14 killed" count people without a noun: the number's own end is returned.
    After "a"/"an" the noun must come before any word that ends the phrase or makes it a group
    ("a wedding said many people", "a small number of troops", "a family").
    """
    for i, span in enumerate(following[:NP_WINDOW]):
        if i == 0 and span.word in _CASUALTY_HEADS and not article:
            return number_end
        if span.word in people:
            end = span.end
            for later in following[i + 1:NP_WINDOW]:  # a compound: "rebel fighters", "police officers"
                if later.word not in people:
                    break
                end = later.end
            return end
        if article and (span.word in _ARTICLE_STOPS or span.word in _NUMBER_WORDS or (
                span.word.isdigit() and not text.startswith("-", span.end))):
            return None  # "a wedding said many people", not "a 26-year-old man"
        if span.word in ("of", "in", "at", "on", "from", "were", "was", "and", "with", "who", "which"):
            if span.word == "of" and i == 0 and not article:
                continue  # "dozens of people", "one of the"
            break
    if following and _NATIONALITY_RE.fullmatch(text, following[0].start, following[0].end):
        return following[0].end
    return None


#: People named by nationality: "32 Iraqis", "five Syrians", "two Americans".
_NATIONALITY_RE = re.compile(r"[A-Z][a-z]{2,}(?:ians|ans|is)")
#: Words that end the noun phrase after "a"/"an" before any person noun, or make it a group.
_ARTICLE_STOPS = frozenset(
    ["said", "says", "told", "many", "several", "some", "the", "a", "an", "his", "her", "their", "its", "that",
     "number", "group", "total", "family", "handful", "couple", "crowd", "by", "to", "for", "as", "had", "has",
     "have", "is", "are", "after", "when", "while", "where"]
)
_NUMBER_WORDS = frozenset([*_UNITS, *_TENS, *_SCALES, "dozen", "dozens", "hundreds", "thousands", "scores"])


_CASUALTY_HEADS = frozenset({"killed", "dead", "wounded", "injured", "arrested", "detained", "died"})
#: Casualty words after a number that are no verbs, so take no object ("12 civilians dead a source said").
_NOT_VERBS = frozenset({"dead", "deaths", "fatalities", "bodies", "casualties", "in", "lost"})
#: Nouns that tell a casualty of their own: no list shares another item's casualty word with them.
_OWN_CASUALTY = frozenset({"casualties", "victims", "dead", "bodies", "deaths", "fatalities"})


def _category_after(lexicon: EventLexicon, after: list[str]) -> str | None:
    i = 0
    while i < len(after) and after[i] in _AUXILIARY:
        i += 1
    rest = after[i:i + 4]
    for category, phrases in lexicon.casualty_after.items():
        if phrases.starts(rest):
            return category
    return None


def _category_after_noun(
    lexicon: EventLexicon, text: str, after: Sequence[WordSpan], people: frozenset[str], *, agent_possible: bool
) -> str | None:
    """The category of the casualty word after a number of people, or None when there is none or
    the people are its agent: "two gunmen killed five people" (an active verb with an object)."""
    words = [w.word for w in after]
    i = 0
    while i < len(words) and words[i] in _AUXILIARY:
        i += 1
    found = next(
        ((category, phrase) for category, phrases in lexicon.casualty_after.items()
         if (phrase := phrases.starts(words[i:i + 4])) is not None),
        None,
    )
    if found is None:
        return None
    category, phrase = found
    j = i + len(phrase)
    if (
        not agent_possible
        or phrase[0] in _NOT_VERBS
        or any(w in _BE_FORMS for w in words[:i])
        or j >= len(after)
        or text[after[j - 1].end:after[j].start].strip()  # "five killed, three wounded"
    ):
        return category
    following = after[j]
    count = COUNT_RE.match(text, following.start)
    if count is not None:
        rest = [w.word for w in after[j:] if w.start >= count.end()][:2]
        if rest and (rest[0] in _NOT_PEOPLE or rest[0] in _CASUALTY_HEADS or rest[-1] in _CASUALTY_HEADS):
            return category  # "captured two years ago", "two killed three wounded"
        return None
    if following.word in _OBJECT_DETERMINERS or following.word in people:
        if any(w.word in _CASUALTY_HEADS for w in after[j + 1:j + 3]):
            return category  # "eight civilians killed, others injured"
        return None
    return category


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
