"""Sentences, words and lexicon phrases of an article, with exact character offsets.

:func:`split_sentences` is a rule-based splitter tuned for English news: it breaks at line
breaks and at ``.``, ``!``, ``?`` (with any closing quotes or brackets) followed by white
space and a capital, digit or opening quote, except after the abbreviations news writes with
a full stop ("U.S.", "Lt.", "Gen.", "Jan.", single initials).
``text[s.start:s.end] == s.text`` always holds.

:class:`PhraseMatcher` finds many lexicon phrases at once (Aho-Corasick) on word boundaries,
ignoring case, hyphens and curly apostrophes, and returns spans of the original text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

import ahocorasick

T = TypeVar("T")

#: Abbreviations (lower case, without the final full stop) that never end a sentence.
ABBREVIATIONS = frozenset((
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cpt", "sgt", "cpl", "pvt", "adm",
    "brig", "cmdr", "cdr", "gov", "sen", "rep", "rev", "st", "mt", "ft", "no", "nos", "vol", "fig", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "inc", "ltd", "co", "corp",
    "jr", "sr", "vs", "etc", "approx", "est", "dept", "univ", "assn", "bros", "u.s", "u.k", "u.n", "e.g",
    "i.e", "a.m", "p.m", "al",
))

_BREAK_RE = re.compile(
    r"""[.!?]+["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9\u0600-\u06ff])"""
    r"""|\n\s*"""
)
_WORD_BEFORE_RE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: ``text`` is ``article_text[start:end]``; ``paragraph`` counts blocks."""

    start: int
    end: int
    text: str
    index: int
    paragraph: int


def _is_abbreviation(text: str, stop: int) -> bool:
    """True when the full stop at ``text[stop]`` closes an abbreviation or an initial."""
    if text[stop] != ".":
        return False
    match = _WORD_BEFORE_RE.search(text, max(0, stop - 12), stop)
    if not match:
        return False
    word = match.group(1)
    if len(word) == 1 and word.isupper():
        return True  # an initial: "George W. Bush"
    return word.lower().rstrip(".") in ABBREVIATIONS


def sentence_start_before(text: str, pos: int, *, reach: int) -> int:
    """Where the sentence holding ``text[pos]`` starts, looking back at most ``reach``
    characters (``pos - reach`` when no sentence end lies between): just after the last full
    stop, question or exclamation mark followed by white space that closes no abbreviation, or
    after the last line break."""
    low = max(0, pos - reach)
    for i in range(pos - 1, low - 1, -1):
        ch = text[i]
        if ch == "\n":
            return i + 1
        if ch in ".!?" and i + 1 < len(text) and text[i + 1].isspace() and not _is_abbreviation(text, i):
            return i + 1
    return low


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences with exact offsets.

    Parameters
    ----------
    text
        The article text as read (any length; empty gives an empty list).

    Returns
    -------
    list of Sentence
        In text order, stripped of surrounding white space, never empty.
    """
    sentences: list[Sentence] = []
    paragraph = 0
    begin = 0
    pending_paragraph = False

    def emit(start: int, end: int) -> None:
        nonlocal pending_paragraph, paragraph
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end:
            return
        if pending_paragraph and sentences:
            paragraph += 1
        pending_paragraph = False
        sentences.append(Sentence(start, end, text[start:end], len(sentences), paragraph))

    for match in _BREAK_RE.finditer(text):
        if match.group(0).startswith("\n") or match.group(0).isspace():
            emit(begin, match.start())
            begin = match.end()
            pending_paragraph = True
            continue
        if _is_abbreviation(text, match.start()) and match.end() - match.start() == 1:
            continue
        emit(begin, match.end())
        begin = match.end()
    emit(begin, len(text))
    return sentences


#: Characters folded before matching; each maps to one character so offsets do not move.
_FOLD_PAIRS: tuple[tuple[str, str], ...] = (
    ("-", " "), ("\u2010", " "), ("\u2011", " "), ("\u2013", " "), ("\n", " "), ("\t", " "), ("\r", " "),
    ("\u2019", "'"), ("\u2018", "'"), ("\u02bc", "'"),
)
_MATCH_FOLD = str.maketrans(dict(_FOLD_PAIRS))


def _fold(text: str) -> str:
    # A chain of str.replace runs in C and is much faster than str.translate on long texts.
    for old, new in _FOLD_PAIRS:
        if old in text:
            text = text.replace(old, new)
    return text
_SPACES_RE = re.compile(r"\s+")
WORD_RE = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")


def match_key(phrase: str) -> str:
    """The form a lexicon phrase is stored and matched in (lower case, hyphens as spaces)."""
    return _SPACES_RE.sub(" ", phrase.translate(_MATCH_FOLD).lower()).strip()


def match_text(text: str, *, ignore_case: bool = True) -> str:
    """``text`` folded like :func:`match_key`, character for character (same offsets)."""
    folded = _fold(text)
    if not ignore_case:
        return folded
    lowered = folded.lower()
    if len(lowered) == len(folded):
        return lowered
    # A few characters ("İ") lower to two; keep those as they are so offsets hold.
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)


def words(text: str) -> list[str]:
    """Lower-case words of ``text`` in order (letters and digits, inner apostrophes kept)."""
    return [w.lower().replace("\u2019", "'") for w in WORD_RE.findall(text)]


@dataclass(frozen=True, slots=True)
class PhraseMatch(Generic[T]):
    """One phrase found: ``text[start:end]`` and the value the lexicon gave it."""

    start: int
    end: int
    key: str
    value: T


class PhraseMatcher(Generic[T]):
    """Find many phrases at once, longest first, never overlapping.

    Parameters
    ----------
    phrases
        ``(phrase, value)`` pairs; a phrase seen twice keeps its first value.
    ignore_case
        Match without regard to case (acronyms are matched with ``ignore_case=False``).
    """

    def __init__(self, phrases: Iterable[tuple[str, T]], *, ignore_case: bool = True) -> None:
        self.ignore_case = ignore_case
        self._automaton = ahocorasick.Automaton()
        self._values: dict[str, T] = {}
        for phrase, value in phrases:
            key = match_key(phrase) if ignore_case else _SPACES_RE.sub(" ", phrase.translate(_MATCH_FOLD)).strip()
            if key and key not in self._values:
                self._values[key] = value
                self._automaton.add_word(key, key)
        self._empty = not self._values
        if not self._empty:
            self._automaton.make_automaton()

    def __len__(self) -> int:
        return len(self._values)

    def find(self, text: str, *, folded: str | None = None) -> list[PhraseMatch[T]]:
        """Phrases in ``text`` on word boundaries, longest match first, in text order.

        ``folded`` is ``match_text(text)`` when the caller has it already.
        """
        if self._empty or not text:
            return []
        haystack = folded if folded is not None else match_text(text, ignore_case=self.ignore_case)
        n = len(haystack)
        found: list[tuple[int, int, str]] = []
        for last, key in self._automaton.iter(haystack):
            start = last - len(key) + 1
            end = last + 1
            if start > 0 and (haystack[start - 1].isalnum() or haystack[start - 1] == "_"):
                continue
            if end < n and (haystack[end].isalnum() or haystack[end] == "_"):
                continue
            found.append((start, end, key))
        return [PhraseMatch(start, end, key, self._values[key]) for start, end, key in _longest_first(found)]


def _longest_first(found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Drop matches overlapping a longer one, keeping text order."""
    by_length = sorted(found, key=lambda m: (-(m[1] - m[0]), m[0]))
    taken: list[tuple[int, int, str]] = []
    starts: list[int] = []
    for item in by_length:
        i = bisect.bisect_left(starts, item[0])
        if i > 0 and taken[i - 1][1] > item[0]:
            continue
        if i < len(taken) and taken[i][0] < item[1]:
            continue
        taken.insert(i, item)
        starts.insert(i, item[0])
    return taken
