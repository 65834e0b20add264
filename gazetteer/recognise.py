"""Recognition: the spans of a text that name places in the gazetteer, with their evidence flags.

Capitalised word sequences (with the Arabic article and a few connectors inside, and a trailing
geographic noun such as "desert" or "border") are folded with :func:`gazetteer.normalize.fold`
and looked up in the index all at once, so transliteration variants are found even where a
statistical model has never seen them. US state abbreviations after a comma ("Paris, Tenn.",
"Springfield, IL") are names too.

A name found in the index is not yet a toponym: each :class:`Mention` carries the flags
(person, organisation, locative, weak, ...) that :func:`gazetteer.resolve.keep_on_evidence` weighs after
resolution.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import numpy as np

from gazetteer import settings
from gazetteer.index import MATCH_WEIGHTS, GazetteerIndex
from gazetteer.normalize import MAX_NAME_CHARS, fold, has_arabic

#: Longest name in words.
MAX_NGRAM = 6
#: Candidates kept per name (most prominent first) before context is weighed.
MAX_CANDIDATES = 40
#: Names whose lookups are remembered between documents (a few MB).
CACHE_NAMES = 200_000

_TOKEN_RE = re.compile(r"[^\W\d_](?:[\w'’‘`ʿ\-]*[^\W_])?")
_SENTENCE_END_RE = re.compile(r"[.!?]\s*[\"'”’)]*\s*$|\n\s*$|^\s*$")
_CONNECTORS = frozenset(
    "of de del della di da du la le les al el ad as an ar at az ash adh bin ibn abu bu upon on sur am im"
    .split()
)
_GEO_NOUNS = frozenset("desert border borders area region countryside mountains governorate province".split())
_ORG_WORDS = frozenset(
    """police command operations council university college school airport hospital brigade brigades
    division army forces force times post tribune news herald journal press company corporation corp inc
    bank club church department ministry office committee party front movement guard guards regiment
    battalion unit cell directorate agency authority court prison refinery university's stadium museum
    institute center centre foundation association network observatory commission fc sheriff sheriff's
    county's fire rescue library hall street avenue road boulevard high middle elementary academy""".split()
)
_FACILITY_WORDS = frozenset("dam bridge airport base airbase refinery prison camp stadium".split())
_TITLES = frozenset(
    """mr mrs ms miss dr president gen general sen senator rep governor mayor judge lt lieutenant col colonel
    capt captain sgt sergeant officer minister king prince princess sheikh shaykh imam pope sir lord lady
    brother sister father saint st commander chief spokesman professor prof coach""".split()
)
_CALENDAR = frozenset(
    """january february march april may june july august september october november december monday tuesday
    wednesday thursday friday saturday sunday""".split()
)
_PREPOSITIONS = frozenset("in near at from to outside of into across around toward towards via through".split())
_ADMIN_SUFFIX = frozenset(("province", "governorate", "state", "region", "county", "district"))
_CITY_SUFFIX = frozenset(("city", "town", "village"))

_LOCATIVE = frozenset(
    "in near at from outside into across around toward towards via through inside outskirts".split()
)
_OF_PLACE = frozenset(
    """north south east west northeast northwest southeast southwest town city village province
    governorate district county state outskirts suburbs countryside desert region area capital
    residents native""".split()
)
_PERSON_AFTER = frozenset("said says told added wrote explained noted asked replied testified".split())
_CONTRACTION_RE = re.compile(r"['’](?:m|re|ve|ll|d|t)$")
_STATE_AP_RE = re.compile(r"(?<![\w.])((?:[A-Z][a-z]{1,4}\.)|(?:[A-Z]\.\s?[A-Z][a-z]?\.))(?![\w])")
_STATE_POSTAL_RE = re.compile(r"(?<=, )([A-Z]{2})(?![\w])")
_HYPHEN_SPLIT_RE = re.compile(r"(?<=[^\W\d_])-(?=[A-Z])")


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    text: str
    ntokens: int
    sentence_initial: bool = False
    weak: bool = False
    in_organisation: bool = False
    admin_hint: bool = False
    city_hint: bool = False
    name_neighbour: bool = False
    person: bool = False
    locative: bool = False
    acronym: bool = False
    paired: bool = False
    forced: int = -1
    group: int = -1


@dataclass(frozen=True, slots=True)
class _Token:
    start: int
    end: int
    text: str

    @property
    def lower(self) -> str:
        return self.text.lower()


@dataclass(frozen=True, slots=True)
class Candidates:
    """Every place one name may denote (index rows) and how well the name matched each."""

    places: np.ndarray
    weights: np.ndarray
    kinds: tuple[str, ...]


NO_CANDIDATES = Candidates(np.empty(0, dtype=np.int64), np.empty(0), ())


class Lookups:
    """Name lookups against one index, remembered between documents (names repeat a lot)."""

    def __init__(self, index: GazetteerIndex) -> None:
        self.index = index
        self.key_ids: dict[str, int] = {}
        self.candidates: dict[str, Candidates] = {}
        self.country_place = {
            str(index.country[i]): int(i) for i in np.flatnonzero(index.feature == "country")
        }

    def found(self, surfaces: Sequence[str]) -> list[bool]:
        """Whether each surface form folds to a key of the index (vectorised for new ones)."""
        missing = list(dict.fromkeys(s for s in surfaces if s not in self.key_ids))
        if missing:
            if len(self.key_ids) > CACHE_NAMES:
                self.key_ids.clear()
            ids = self.index.key_ids([fold(s) for s in missing])
            self.key_ids.update(zip(missing, ids.tolist()))
        return [self.key_ids[s] >= 0 for s in surfaces]

    def of(self, surface: str, *, fuzzy: bool = False) -> Candidates:
        """The candidates of a name, the most prominent :data:`MAX_CANDIDATES` first."""
        key = f"~{surface}" if fuzzy else surface
        hit = self.candidates.get(key)
        if hit is not None:
            return hit
        if len(self.candidates) > CACHE_NAMES:
            self.candidates.clear()
        found = self.index.candidates(surface[:MAX_NAME_CHARS], fuzzy=fuzzy)
        if not found:
            result = NO_CANDIDATES
        else:
            places = np.fromiter((c.place for c in found), dtype=np.int64, count=len(found))
            weights = np.fromiter((MATCH_WEIGHTS[c.match] for c in found), dtype=float, count=len(found))
            kinds = tuple(c.match for c in found)
            if len(found) > MAX_CANDIDATES:
                keep = np.argsort(-(self.index.prominence[places] + weights), kind="stable")[:MAX_CANDIDATES]
                places, weights, kinds = places[keep], weights[keep], tuple(kinds[k] for k in keep)
            result = Candidates(places, weights, kinds)
        self.candidates[key] = result
        return result

    def forced(self, place: int) -> Candidates:
        return Candidates(np.asarray([place], dtype=np.int64), np.asarray([1.0]), ("exact",))


_LOOKUPS: Lookups | None = None


def lookups_for(index: GazetteerIndex) -> Lookups:
    global _LOOKUPS
    if _LOOKUPS is None or _LOOKUPS.index is not index:
        _LOOKUPS = Lookups(index)
    return _LOOKUPS


def _read_words(name: str) -> frozenset[str]:
    path = settings.data_dir() / "gazetteer" / name
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip().lower()
        if line and not line.startswith("#"):
            words.add(line)
    return frozenset(words)


@lru_cache(maxsize=1)
def stoplist() -> frozenset[str]:
    """Words rarely meant as a place when alone (``data/gazetteer/stoplist.txt``)."""
    return _read_words("stoplist.txt")


@lru_cache(maxsize=1)
def demonyms() -> dict[str, str | None]:
    """Demonyms ("Iraqi", "Syrian") and the country they point to (``data/gazetteer/demonyms.csv``).

    A demonym is never recognised as a toponym; it is a soft hint about the document's
    countries, and a gold span that is a demonym resolves to its country.
    """
    path = settings.data_dir() / "gazetteer" / "demonyms.csv"
    with path.open(encoding="utf-8") as fh:
        return {row["demonym"]: (row["country"] or None) for row in csv.DictReader(fh)}


@lru_cache(maxsize=1)
def state_abbreviations() -> dict[str, tuple[str, str]]:
    """US state abbreviations, AP style ("Tenn.") and postal ("TN"), to (ISO 3166-2, style)."""
    path = settings.data_dir() / "gazetteer" / "us_state_abbreviations.csv"
    with path.open(encoding="utf-8") as fh:
        return {row["abbreviation"]: (row["admin1_code"], row["style"]) for row in csv.DictReader(fh)}


def _tokens(text: str) -> list[_Token]:
    out = []
    for m in _TOKEN_RE.finditer(text):
        start, end = m.span()
        word = m.group()
        if word.endswith(("'s", "’s")) and len(word) > 3:
            end -= 2
            word = word[:-2]
        if "-" in word and word[0].isupper():
            # "Fargo-Moorhead", "DFL-Minneapolis": two names; n-grams rejoin "Abu-Kamal".
            offset = start
            for part in _HYPHEN_SPLIT_RE.split(word):
                out.append(_Token(offset, offset + len(part), part))
                offset += len(part) + 1
            continue
        out.append(_Token(start, end, word))
    return out


def _is_capitalised(word: str) -> bool:
    first = word[0]
    if first.isupper():
        return not _CONTRACTION_RE.search(word)
    if has_arabic(first):
        return True
    # "al-Anbar", "el-Fasher", "ad-Din": a lower-case article fused to a capitalised name.
    head, sep, tail = word.partition("-")
    return bool(sep) and head in _CONNECTORS and bool(tail) and tail[0].isupper()


def _gap_ok(text: str, left: _Token, right: _Token) -> bool:
    gap = text[left.end : right.start]
    return len(gap) <= 3 and gap.strip(" -‐–'’") == ""


def special_spans(text: str, index: GazetteerIndex, lookups: Lookups) -> list[Mention]:
    """State abbreviations after a place ("Paris, Tenn.", "Fargo, ND") and dotted acronyms ("U.S.")."""
    states = state_abbreviations()
    out: list[Mention] = []
    for m in _STATE_AP_RE.finditer(text):
        word = m.group(1)
        entry = states.get(word) or states.get(word.replace(" ", ""))
        after_comma = text[max(0, m.start() - 2) : m.start()] == ", "
        if entry is None:
            if word.count(".") >= 2 and len(word) <= 5:
                out.append(Mention(m.start(), m.end(), word, 1, acronym=True))
            continue
        dotted = word.count(".") >= 2
        if not (after_comma or dotted):
            continue
        place = index.index_of(f"ne:{entry[0]}")
        if place is not None:
            out.append(Mention(m.start(), m.end(), word, 1, forced=place, locative=True))
    for m in _STATE_POSTAL_RE.finditer(text):
        entry = states.get(m.group(1))
        before = text[max(0, m.start() - 30) : m.start() - 2]
        if entry is None or not re.search(r"[A-Z][a-z]+\.?$", before):
            continue
        place = index.index_of(f"ne:{entry[0]}")
        if place is not None:
            out.append(Mention(m.start(), m.end(), m.group(1), 1, forced=place, locative=True))
    out.sort(key=lambda m: m.start)
    return out


def recognise(text: str, index: GazetteerIndex) -> list[Mention]:
    """Spans of ``text`` that name places in the index (longest match, left to right).

    Every span found is returned with the flags the evidence rules of :func:`_keep` read.
    """
    lookups = lookups_for(index)
    tokens = _tokens(text)
    if not tokens:
        return []
    special = special_spans(text, index, lookups)
    covered = np.zeros(len(text) + 1, dtype=bool)
    for s in special:
        covered[s.start : s.end] = True
    lowercase_words = {t.text for t in tokens if t.text.islower()}
    capital = [_is_capitalised(t.text) and not covered[t.start] for t in tokens]
    spans: list[tuple[int, int]] = []
    texts: list[str] = []
    for i, tok in enumerate(tokens):
        if not capital[i]:
            continue
        for j in range(i + 1, min(i + 1 + MAX_NGRAM, len(tokens) + 1)):
            last = tokens[j - 1]
            if j - 1 > i:
                if covered[last.start] or not _gap_ok(text, tokens[j - 2], last):
                    break
                if not (capital[j - 1] or last.lower in _CONNECTORS or last.lower in _GEO_NOUNS):
                    break
                if last.lower in _CONNECTORS:
                    continue
            spans.append((i, j))
            texts.append(text[tok.start : last.end])
    found = lookups.found(texts) if texts else []
    best_at: dict[int, int] = {}
    for (i, j), ok in zip(spans, found):
        if ok and j > best_at.get(i, 0):
            best_at[i] = j
    person_words = _person_words(text, tokens, capital)
    mentions: list[Mention] = []
    stop = stoplist()
    demonym = demonyms()
    i = 0
    while i < len(tokens):
        if i not in best_at:
            i += 1
            continue
        j = best_at[i]
        first, last = tokens[i], tokens[j - 1]
        prev = tokens[i - 1] if i > 0 else None
        nxt = tokens[j] if j < len(tokens) else None
        sentence_initial = prev is None or bool(_SENTENCE_END_RE.search(text[max(0, first.start - 4) : first.start]))
        mention = Mention(first.start, last.end, text[first.start : last.end], j - i, sentence_initial)
        i = j
        single = mention.ntokens == 1
        low = mention.text.lower()
        if mention.text in demonym or low in _CALENDAR or len(mention.text) == 1:
            continue
        if prev is not None and prev.lower.rstrip(".") in _TITLES and text[prev.end : first.start].strip(". ") == "":
            continue  # "President Jackson", "Gen. Austin": a person.
        if single and sentence_initial and low in stop:
            continue
        if single and len(mention.text) <= 2 and not mention.text.isupper():
            continue
        mention.acronym = mention.text.isupper() and len(mention.text) <= 5
        # A capitalised word right beside the name that is not part of it ("Abu Bakr
        # al-Baghdadi", "Tareq al-Asal"): the name is likely part of a person's name.
        for other, adjacent in (
            (prev if not sentence_initial else None, prev is not None and _gap_ok(text, prev, first)),
            (nxt, nxt is not None and _gap_ok(text, last, nxt)),
        ):
            if other is not None and adjacent and _is_capitalised(other.text) and not _is_context_word(other, stop):
                mention.name_neighbour = True
        if single and (low in person_words or mention.text in person_words):
            mention.person = True
        if nxt is not None and _gap_ok(text, last, nxt):
            if nxt.lower in _ORG_WORDS or (nxt.text[:1].isupper() and nxt.lower in _FACILITY_WORDS):
                mention.in_organisation = True
            if nxt.lower in _ADMIN_SUFFIX:
                mention.admin_hint = True
            if nxt.lower in _CITY_SUFFIX:
                mention.city_hint = True
            if (
                single
                and nxt.text[:1].isupper()
                and not mention.in_organisation
                and nxt.lower not in _ADMIN_SUFFIX
                and nxt.lower not in _CITY_SUFFIX
                and nxt.lower not in _CONNECTORS
                and (nxt.lower in stop or low in stop)
            ):
                mention.weak = True  # "Victoria Beckham"-like pairs of a stop word and a name.
        if nxt is not None and single and nxt.lower in _PERSON_AFTER and text[last.end : nxt.start] == " ":
            mention.person = True
        if mention.ntokens > 1 and last.lower in _ORG_WORDS and last.lower not in _GEO_NOUNS:
            mention.in_organisation = True
        if single and (low in stop or mention.text.lower() in lowercase_words or low in lowercase_words):
            mention.weak = True
        mention.locative = _locative_before(tokens, i - mention.ntokens, text)
        mentions.append(mention)
    if special:
        mentions = sorted(mentions + special, key=lambda m: m.start)
    return mentions


def _is_context_word(token: _Token, stop: frozenset[str]) -> bool:
    low = token.lower
    return (
        low in stop
        or low in _CONNECTORS
        or low in _ORG_WORDS
        or low in _FACILITY_WORDS
        or low in _ADMIN_SUFFIX
        or low in _CITY_SUFFIX
        or low in _GEO_NOUNS
        or low in _CALENDAR
        or token.text in demonyms()
    )


def _person_words(text: str, tokens: list[_Token], capital: list[bool]) -> set[str]:
    """Words the document uses as a person's name: after a title, or as the surname in "Jim Hightower"."""
    stop = stoplist()
    out: set[str] = set()
    n = len(tokens)
    for k, tok in enumerate(tokens[:-1]):
        nxt = tokens[k + 1]
        if not capital[k + 1] or not _gap_ok(text, tok, nxt) and text[tok.end : nxt.start] not in (". ", "."):
            continue
        if tok.lower.rstrip(".") in _TITLES and tok.text[:1].isupper():
            # "Sen. John Smith", "Officer Smith": every following capitalised word.
            m = k + 1
            while m < n and capital[m] and m - k <= 3:
                out.add(tokens[m].text)
                if m + 1 < n and not _gap_ok(text, tokens[m], tokens[m + 1]):
                    break
                m += 1
        elif (
            capital[k]
            and tok.lower in first_names()
            and not (k > 0 and capital[k - 1] and _gap_ok(text, tokens[k - 1], tok))
            and nxt.lower not in stop
            and nxt.lower not in _ORG_WORDS
            and nxt.lower not in _GEO_NOUNS
            and nxt.lower not in _ADMIN_SUFFIX
            and nxt.lower not in _CITY_SUFFIX
        ):
            out.add(nxt.text)
    return out


def _locative_before(tokens: list[_Token], i: int, text: str) -> bool:
    """A locative word right before token ``i``: "in X", "near X", "north of X", "town of X"."""
    if i <= 0:
        return False
    prev = tokens[i - 1]
    if text[prev.end : tokens[i].start].strip() not in ("", "the"):
        return False
    low = prev.lower
    if low in _LOCATIVE:
        return True
    if low == "of" and i >= 2:
        return tokens[i - 2].lower in _OF_PLACE
    if low == "the" and i >= 2:
        return tokens[i - 2].lower in _LOCATIVE
    return False


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Common given names (``data/gazetteer/first_names.txt``), lower case."""
    return _read_words("first_names.txt")

