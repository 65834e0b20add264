"""Find every place name in a text and resolve it: recognise → candidates → rank → select.

Recognition is gazetteer-driven: capitalised word sequences (with the Arabic article and a few
connectors inside, and a trailing geographic noun such as "desert" or "border") are folded with
:func:`gazetteer.normalize.fold` and looked up in the index all at once, so transliteration
variants are found even where a statistical model has never seen them. US state abbreviations
after a comma ("Paris, Tenn.", "Springfield, IL") are names too.

A name found in the index is not yet a toponym: most capitalised words are a place somewhere.
Each mention is kept on evidence, weighed after resolution:

- *strong* on its own: a country, province or named region; a town of some size (GeoNames
  prominence); a name of several words; a name qualified by a suffix ("Anbar province") or by
  a following province/state ("Ramadi, Anbar");
- *supported* by its context: a locative word before it ("in", "near", "north of"), or a place in
  the same province as, or within 150 km of, a strong mention of the same document.

Weak names need both: a stop word, a word the document also writes in lower case ("Hit" the
town vs "hit"), a place only GDELT knows. Person names are dropped: a name after a personal
title, a name the document uses as a person's surname elsewhere ("Jim Hightower ... Hightower
said"), a name followed by "said". Names inside organisation names ("Anbar Police Command") are
kept and marked ``in_organisation``; an all-capital acronym is kept only when it names a country.

Resolution weighs evidence from the whole document, vectorised over every candidate of every
distinct name at once: how the name matched, the place's prominence, the countries and
provinces the document names (a soft prior, never a filter), "X, Y" pairs, a province/city
suffix, and the distance to the other places resolved. One name keeps one sense per document.
Relative phrases ("30 km west of Ramadi", "south of Rutba", "near X", "eastern Syria", "the border
area of Anbar, Nineveh and Salahuddin") give a derived point with a wider radius and
``relation`` set.
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from gazetteer import settings
from gazetteer.errors import BadQueryError
from gazetteer.index import MATCH_WEIGHTS, GazetteerIndex, get_index
from gazetteer.model import Toponym
from gazetteer.normalize import MAX_NAME_CHARS, fold, has_arabic

#: Texts longer than this (characters) are parsed in windows of this size, so memory stays
#: bounded.
WINDOW_CHARS = 200_000
#: Longest name in words.
MAX_NGRAM = 6
#: Candidates kept per name (most prominent first) before context is weighed.
MAX_CANDIDATES = 40
#: Names whose lookups are remembered between documents (a few MB).
CACHE_NAMES = 200_000
#: A place this close (km) to a strongly attested place of the document supports a weak name.
SUPPORT_KM = 150.0
#: GeoNames prominence of a town of about 15,000 people: above it a name stands on its own.
STRONG_PROMINENCE = 0.6

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

_BEARINGS = {
    "north": 0.0, "northern": 0.0, "northeast": 45.0, "north-east": 45.0, "northeastern": 45.0,
    "north-eastern": 45.0, "east": 90.0, "eastern": 90.0, "southeast": 135.0, "south-east": 135.0,
    "southeastern": 135.0, "south-eastern": 135.0, "south": 180.0, "southern": 180.0,
    "southwest": 225.0, "south-west": 225.0, "southwestern": 225.0, "south-western": 225.0,
    "west": 270.0, "western": 270.0, "northwest": 315.0, "north-west": 315.0, "northwestern": 315.0,
    "north-western": 315.0,
}
_DIRECTION = r"(north|south|east|west|north-?east|north-?west|south-?east|south-?west)"
_OFFSET_RE = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(?:-\s*)?(km|kms|kilometers|kilometres|kilometer|kilometre|miles|mile|mi)\s+"
    + _DIRECTION + r"\s+of\s+(?:the\s+(?:town|city|village|area)\s+of\s+|the\s+)?$",
    re.IGNORECASE,
)
_DIRECTION_OF_RE = re.compile(
    _DIRECTION + r"(?:ern)?\s+of\s+(?:the\s+(?:town|city|village|area)\s+of\s+|the\s+)?$", re.IGNORECASE
)
_DIRECTIONAL_ADJ_RE = re.compile(
    r"\b(northern|southern|eastern|western|north-?eastern|north-?western|south-?eastern|south-?western)\s+$",
    re.IGNORECASE,
)
_NEAR_RE = re.compile(
    r"\b(near|nearby|outside|outskirts\s+of|close\s+to|around|vicinity\s+of|surroundings\s+of|edge\s+of)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_DESERT_OF_RE = re.compile(r"\b(desert|deserts|area|areas|region)\s+of\s+(?:the\s+)?$", re.IGNORECASE)
_SHARED_RE = re.compile(
    r"\b(?:shares?\s+borders?\s+with|shared\s+by|between|borders?\s+of|bordering|meet(?:ing)?\s+of)\s+"
    r"(?:the\s+)?(?:(?:two|three|four)\s+)?(?:provinces?\s+of\s+|governorates?\s+of\s+)?$",
    re.IGNORECASE,
)


_LOCATIVE = frozenset(
    "in near at from outside into across around toward towards via through inside outskirts".split()
)
_OF_PLACE = frozenset(
    """north south east west northeast northwest southeast southwest town city village province
    governorate district county state outskirts suburbs countryside desert region area capital
    residents native""".split()
)
_PERSON_AFTER = frozenset("said says told added wrote explained noted asked replied testified".split())
_STRONG_FEATURES = frozenset(("country", "admin1", "region", "desert", "border"))
_CITY_FEATURES = frozenset(("city", "town", "village"))
_CONTRACTION_RE = re.compile(r"['’](?:m|re|ve|ll|d|t)$")
_STATE_AP_RE = re.compile(r"(?<![\w.])((?:[A-Z][a-z]{1,4}\.)|(?:[A-Z]\.\s?[A-Z][a-z]?\.))(?![\w])")
_STATE_POSTAL_RE = re.compile(r"(?<=, )([A-Z]{2})(?![\w])")
_HYPHEN_SPLIT_RE = re.compile(r"(?<=[^\W\d_])-(?=[A-Z])")
_PAIR_GAP_RE = re.compile(r"\s*,\s*|\s+in\s+(?:the\s+)?")


@dataclass(slots=True)
class _Mention:
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
class _Candidates:
    """Every place one name may denote (index rows) and how well the name matched each."""

    places: np.ndarray
    weights: np.ndarray
    kinds: tuple[str, ...]


_NO_CANDIDATES = _Candidates(np.empty(0, dtype=np.int64), np.empty(0), ())


class _Lookups:
    """Name lookups against one index, remembered between documents (names repeat a lot)."""

    def __init__(self, index: GazetteerIndex) -> None:
        self.index = index
        self.key_ids: dict[str, int] = {}
        self.candidates: dict[str, _Candidates] = {}
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

    def of(self, surface: str, *, fuzzy: bool = False) -> _Candidates:
        """The candidates of a name, the most prominent :data:`MAX_CANDIDATES` first."""
        key = f"~{surface}" if fuzzy else surface
        hit = self.candidates.get(key)
        if hit is not None:
            return hit
        if len(self.candidates) > CACHE_NAMES:
            self.candidates.clear()
        found = self.index.candidates(surface[:MAX_NAME_CHARS], fuzzy=fuzzy)
        if not found:
            result = _NO_CANDIDATES
        else:
            places = np.fromiter((c.place for c in found), dtype=np.int64, count=len(found))
            weights = np.fromiter((MATCH_WEIGHTS[c.match] for c in found), dtype=float, count=len(found))
            kinds = tuple(c.match for c in found)
            if len(found) > MAX_CANDIDATES:
                keep = np.argsort(-(self.index.prominence[places] + weights), kind="stable")[:MAX_CANDIDATES]
                places, weights, kinds = places[keep], weights[keep], tuple(kinds[k] for k in keep)
            result = _Candidates(places, weights, kinds)
        self.candidates[key] = result
        return result

    def forced(self, place: int) -> _Candidates:
        return _Candidates(np.asarray([place], dtype=np.int64), np.asarray([1.0]), ("exact",))


_LOOKUPS: _Lookups | None = None


def _lookups(index: GazetteerIndex) -> _Lookups:
    global _LOOKUPS
    if _LOOKUPS is None or _LOOKUPS.index is not index:
        _LOOKUPS = _Lookups(index)
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


def _special_spans(text: str, index: GazetteerIndex, lookups: _Lookups) -> list[_Mention]:
    """State abbreviations after a place ("Paris, Tenn.", "Fargo, ND") and dotted acronyms ("U.S.")."""
    states = state_abbreviations()
    out: list[_Mention] = []
    for m in _STATE_AP_RE.finditer(text):
        word = m.group(1)
        entry = states.get(word) or states.get(word.replace(" ", ""))
        after_comma = text[max(0, m.start() - 2) : m.start()] == ", "
        if entry is None:
            if word.count(".") >= 2 and len(word) <= 5:
                out.append(_Mention(m.start(), m.end(), word, 1, acronym=True))
            continue
        dotted = word.count(".") >= 2
        if not (after_comma or dotted):
            continue
        place = index.index_of(f"ne:{entry[0]}")
        if place is not None:
            out.append(_Mention(m.start(), m.end(), word, 1, forced=place, locative=True))
    for m in _STATE_POSTAL_RE.finditer(text):
        entry = states.get(m.group(1))
        before = text[max(0, m.start() - 30) : m.start() - 2]
        if entry is None or not re.search(r"[A-Z][a-z]+\.?$", before):
            continue
        place = index.index_of(f"ne:{entry[0]}")
        if place is not None:
            out.append(_Mention(m.start(), m.end(), m.group(1), 1, forced=place, locative=True))
    out.sort(key=lambda m: m.start)
    return out


def recognise(text: str, index: GazetteerIndex) -> list[_Mention]:
    """Spans of ``text`` that name places in the index (longest match, left to right).

    Every span found is returned with the flags the evidence rules of :func:`_keep` read.
    """
    lookups = _lookups(index)
    tokens = _tokens(text)
    if not tokens:
        return []
    special = _special_spans(text, index, lookups)
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
    mentions: list[_Mention] = []
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
        mention = _Mention(first.start, last.end, text[first.start : last.end], j - i, sentence_initial)
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


def _haversine_km(lat1: float, lon1: float, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    p1, p2 = math.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dl = np.radians(lon2) - math.radians(lon1)
    a = np.sin(dphi / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(np.minimum(1.0, a)))


def _offset(lat: float, lon: float, distance_km: float, bearing_deg: float) -> tuple[float, float]:
    """Point ``distance_km`` from (lat, lon) along ``bearing_deg`` (great circle)."""
    r = distance_km / 6371.0088
    b = math.radians(bearing_deg)
    p1, l1 = math.radians(lat), math.radians(lon)
    p2 = math.asin(math.sin(p1) * math.cos(r) + math.cos(p1) * math.sin(r) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(r) * math.cos(p1), math.cos(r) - math.sin(p1) * math.sin(p2))
    return math.degrees(p2), (math.degrees(l2) + 540.0) % 360.0 - 180.0


def _context_hints(context: Mapping[str, Any] | None) -> tuple[Counter[str], Counter[str]]:
    countries: Counter[str] = Counter()
    admin1s: Counter[str] = Counter()
    if not context:
        return countries, admin1s
    for key in ("country", "countries"):
        value = context.get(key)
        for cc in [value] if isinstance(value, str) else (value or []):
            countries[str(cc).upper()] += 2
    for key in ("admin1", "admin1_codes"):
        value = context.get(key)
        for code in [value] if isinstance(value, str) else (value or []):
            admin1s[str(code).upper()] += 2
    return countries, admin1s


@dataclass(slots=True)
class _Group:
    """The mentions of one name in a document: they share one sense."""

    text: str
    members: list[int]
    candidates: _Candidates
    scores: np.ndarray
    choice: int = -1


def _group_mentions(
    mentions: list[_Mention], lookups: _Lookups, *, fuzzy: bool = False, demonym_countries: bool = False
) -> list[_Group]:
    groups: dict[str, _Group] = {}
    demonym = demonyms()
    for k, m in enumerate(mentions):
        label = f"{m.text}\x00{m.forced}"
        group = groups.get(label)
        if group is None:
            if m.forced >= 0:
                cands = lookups.forced(m.forced)
            else:
                cands = lookups.of(m.text)
                country = demonym.get(m.text) if demonym_countries else None
                if country and country in lookups.country_place:
                    cands = lookups.forced(lookups.country_place[country])
                elif fuzzy and not len(cands.places):
                    cands = lookups.of(m.text, fuzzy=True)
            group = groups[label] = _Group(m.text, [], cands, np.empty(0))
        group.members.append(k)
    ordered = list(groups.values())
    for g, group in enumerate(ordered):
        for k in group.members:
            mentions[k].group = g
    return ordered


def resolve(
    text: str,
    mentions: list[_Mention],
    index: GazetteerIndex,
    *,
    context: Mapping[str, Any] | None = None,
    fuzzy: bool = False,
    demonym_countries: bool = False,
) -> list[_Group]:
    """Choose one place for every distinct name of the document, weighing the whole document.

    Returns the groups of mentions sharing a name; ``mentions[k].group`` points into them.
    """
    lookups = _lookups(index)
    hint_countries, hint_admin1 = _context_hints(context)
    demonym = demonyms()
    for word in set(re.findall(r"[A-Z][a-z]+", text)):
        cc = demonym.get(word)
        if cc:
            hint_countries[cc] += 1
    groups = _group_mentions(mentions, lookups, fuzzy=fuzzy, demonym_countries=demonym_countries)
    sizes = np.asarray([len(g.candidates.places) for g in groups], dtype=np.int64)
    if not sizes.sum():
        return groups
    owner = np.repeat(np.arange(len(groups)), sizes)
    places = np.concatenate([g.candidates.places for g in groups])
    weights = np.concatenate([g.candidates.weights for g in groups])
    feature = index.feature[places]
    country = index.country[places]
    admin1 = index.admin1_code[places]
    lat, lon = index.lat[places], index.lon[places]
    is_country = feature == "country"
    is_admin1 = feature == "admin1"
    is_city = np.isin(feature, list(_CITY_FEATURES))
    admin_hint = np.asarray([any(mentions[k].admin_hint for k in g.members) for g in groups])[owner]
    city_hint = np.asarray([any(mentions[k].city_hint for k in g.members) for g in groups])[owner]
    in_org = np.asarray([any(mentions[k].in_organisation for k in g.members) for g in groups])[owner]
    base = 0.45 * weights + 0.55 * index.prominence[places]
    base += 0.3 * (admin_hint & is_admin1) + 0.1 * (city_hint & is_city) + 0.05 * (in_org & is_admin1)
    # A country named outright is the country ("Iraq" is not the Iranian city Arak).
    base += 0.2 * (is_country & (weights >= MATCH_WEIGHTS["alternate"]))
    if hint_countries:
        base += 0.15 * np.isin(country, list(hint_countries))
    if hint_admin1:
        base += 0.1 * np.isin(admin1, list(hint_admin1))
    base += _pair_bonus(text, mentions, groups, owner, places, index)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    scores = base
    choice = _segment_argmax(scores, starts, sizes)
    # Which groups are trusted to shape the document's context: not weak, not a person.
    trusted = np.asarray(
        [not all(mentions[k].weak or mentions[k].person or mentions[k].name_neighbour for k in g.members) for g in groups]
    )
    for _ in range(2):
        chosen = choice[choice >= 0]
        chosen_groups = np.flatnonzero(choice >= 0)
        keep = trusted[chosen_groups]
        chosen, chosen_groups = chosen[keep], chosen_groups[keep]
        c_feat = feature[chosen]
        cc_weight = np.where(np.isin(c_feat, ["country", "admin1"]), 2.0, 1.0)
        a1_weight = np.where(c_feat == "admin1", 2.0, 1.0)
        share_cc = _share(country, country[chosen], cc_weight, owner, chosen_groups, hint_countries)
        share_a1 = _share(admin1, admin1[chosen], a1_weight, owner, chosen_groups, hint_admin1)
        scores = base + 0.3 * np.minimum(1.0, 2 * share_cc) + 0.35 * np.minimum(1.0, 2 * share_a1)
        points = chosen[~np.isin(c_feat, ["country", "admin1"])]
        point_groups = chosen_groups[~np.isin(c_feat, ["country", "admin1"])]
        points, first = np.unique(points, return_index=True)
        point_groups = point_groups[first]
        if len(points):
            dist = _haversine_matrix(lat, lon, index.lat[points], index.lon[points])
            dist[owner[:, None] == point_groups[None, :]] = np.inf
            near = np.exp(-dist.min(axis=1) / 250.0)
            scores = scores + 0.15 * np.where(is_country, 0.0, near)
        choice = _segment_argmax(scores, starts, sizes)
    for g, group in enumerate(groups):
        group.scores = scores[starts[g] : starts[g] + sizes[g]]
        group.choice = int(choice[g] - starts[g]) if choice[g] >= 0 else -1
    return groups


def _segment_argmax(scores: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    out = np.full(len(sizes), -1, dtype=np.int64)
    for g in np.flatnonzero(sizes):
        out[g] = int(np.argmax(scores[starts[g] : starts[g] + sizes[g]]))
    return _absolute(out, starts)


def _absolute(local: np.ndarray, starts: np.ndarray) -> np.ndarray:
    return np.where(local >= 0, local + starts, -1)


def _share(
    values: np.ndarray,
    chosen_values: np.ndarray,
    chosen_weights: np.ndarray,
    owner: np.ndarray,
    chosen_groups: np.ndarray,
    hints: Counter[str],
) -> np.ndarray:
    """Share of the document's weight (chosen places of the OTHER names + caller hints) on each value."""
    valid = np.asarray([isinstance(v, str) for v in chosen_values], dtype=bool)
    totals: Counter[str] = Counter(hints)
    for v, w in zip(chosen_values[valid], chosen_weights[valid]):
        totals[v] += float(w)
    total = sum(totals.values())
    if not total:
        return np.zeros(len(values))
    doc = np.asarray([totals.get(v, 0.0) if isinstance(v, str) else 0.0 for v in values])
    own = np.zeros(len(values))
    if len(chosen_groups):
        by_group = np.full(owner.max() + 1, None, dtype=object)
        weight_by_group = np.zeros(owner.max() + 1)
        by_group[chosen_groups] = chosen_values
        weight_by_group[chosen_groups] = np.where(valid, chosen_weights, 0.0)
        own = np.where(values == by_group[owner], weight_by_group[owner], 0.0)
    return (doc - own) / total


def _haversine_matrix(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Great-circle distances (km) between every point of set 1 (rows) and set 2 (columns)."""
    p1, p2 = np.radians(lat1)[:, None], np.radians(lat2)[None, :]
    dl = np.radians(lon2)[None, :] - np.radians(lon1)[:, None]
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(np.minimum(1.0, a)))


def _pair_bonus(
    text: str,
    mentions: list[_Mention],
    groups: list[_Group],
    owner: np.ndarray,
    places: np.ndarray,
    index: GazetteerIndex,
) -> np.ndarray:
    """ "Ramadi, Anbar" / "Paris, Tenn." / "Baghouz in Syria": the next name qualifies this one."""
    pairs: set[tuple[int, int]] = set()
    for k in range(len(mentions) - 1):
        m, nxt = mentions[k], mentions[k + 1]
        if m.group != nxt.group and _PAIR_GAP_RE.fullmatch(text[m.end : nxt.start]):
            pairs.add((m.group, nxt.group))
    bonus = np.zeros(len(places))
    for group, qualifier in pairs:
        q_places = groups[qualifier].candidates.places
        if not len(q_places):
            continue
        q_feat = index.feature[q_places]
        mine = owner == group
        for feat, column, value in (("admin1", index.admin1_code, 0.6), ("country", index.country, 0.4)):
            qualifiers = [v for v in column[q_places[q_feat == feat]] if isinstance(v, str)]
            if qualifiers:
                bonus += value * (mine & np.isin(column[places], qualifiers))
                for k in groups[group].members:
                    mentions[k].paired = True
                break
    return bonus


def _keep(mentions: list[_Mention], groups: list[_Group], index: GazetteerIndex) -> list[bool]:
    """Which mentions are toponyms, on the evidence described in the module docstring."""
    chosen = [int(g.candidates.places[g.choice]) if g.choice >= 0 else -1 for g in groups]
    kinds = [g.candidates.kinds[g.choice] if g.choice >= 0 else "" for g in groups]
    strong = [False] * len(mentions)
    for k, m in enumerate(mentions):
        place = chosen[m.group]
        if place < 0:
            continue
        feature = index.feature[place]
        exactish = kinds[m.group] in ("exact", "alternate")
        strong[k] = m.forced >= 0 or (
            not (m.weak or m.person or m.name_neighbour or m.acronym)
            and (
                (feature in _STRONG_FEATURES and exactish)
                or (index.prominence[place] >= STRONG_PROMINENCE and exactish and len(m.text) > 3)
                or (m.ntokens > 1 and index.prominence[place] >= 0.45)
                or m.paired
                or m.admin_hint
                or m.city_hint
            )
        )
    anchors = [chosen[m.group] for k, m in enumerate(mentions) if strong[k]]
    anchor_admin1 = {index.admin1_code[p] for p in anchors if isinstance(index.admin1_code[p], str)}
    anchor_points = np.unique(
        np.asarray([p for p in anchors if index.feature[p] not in ("country", "admin1")], dtype=np.int64)
    )
    near_by_group: dict[int, bool] = {}
    keep = []
    for k, m in enumerate(mentions):
        place = chosen[m.group]
        if place < 0:
            keep.append(m.forced >= 0 or not (m.weak or m.person or m.acronym))
            continue
        feature = index.feature[place]
        big = feature in _STRONG_FEATURES and kinds[m.group] in ("exact", "alternate")
        if m.acronym:
            keep.append(feature == "country" or m.paired)
            continue
        if m.person or m.name_neighbour:
            keep.append(big and not m.person or (m.person and feature == "country"))
            continue
        near = near_by_group.get(m.group)
        if near is None:
            others = anchor_points[anchor_points != place]
            near = bool(len(others)) and bool(
                _haversine_matrix(index.lat[[place]], index.lon[[place]], index.lat[others], index.lon[others]).min()
                <= SUPPORT_KM
            )
            near_by_group[m.group] = near
        same_admin1 = index.admin1_code[place] in anchor_admin1 and feature != "admin1"
        supported = m.locative or m.paired or near or same_admin1
        gdelt_only = index.prominence[place] < 0.3
        if m.weak:
            keep.append(strong[k] or (supported and not gdelt_only and (near or same_admin1 or m.paired)))
        elif gdelt_only and m.ntokens == 1:
            keep.append(m.paired or (m.locative and (near or same_admin1)) or (near and same_admin1))
        else:
            keep.append(strong[k] or supported)
    return keep


_PRECISION = {"country": 3, "admin1": 3, "admin2": 3, "region": 2, "desert": 2, "border": 2}


def _toponym(index: GazetteerIndex, m: _Mention, group: _Group | None, text: str) -> Toponym:
    if group is None or group.choice < 0:
        return Toponym(m.start, m.end, m.text, None, None, None, None, None, None, None, 3, 0.0, 0.0,
                       in_organisation=m.in_organisation)
    i = int(group.candidates.places[group.choice])
    feature = str(index.feature[i])
    scores = np.sort(group.scores)[::-1]
    margin = float(scores[0] - scores[1]) if len(scores) > 1 else 0.5
    confidence = max(0.0, min(1.0, 0.5 * float(scores[0]) + margin))

    def text_or_none(v: object) -> str | None:
        return v if isinstance(v, str) and v else None

    base = Toponym(
        start=m.start,
        end=m.end,
        text=m.text,
        place_id=str(index.place_id[i]),
        name=str(index.name[i]),
        lat=round(float(index.lat[i]), 5),
        lon=round(float(index.lon[i]), 5),
        country=text_or_none(index.country[i]),
        admin1_code=text_or_none(index.admin1_code[i]),
        feature=feature,
        geo_precision=_PRECISION.get(feature, 1),
        radius_km=round(float(index.radius_km[i]), 1),
        score=round(confidence, 3),
        in_organisation=m.in_organisation,
    )
    return _relative(base, text)


def _relative(t: Toponym, text: str) -> Toponym:
    """Derived location for "30 km west of X", "south of X", "near X", "eastern X"."""
    before = text[max(0, t.start - 60) : t.start]
    if t.lat is None or t.lon is None:
        return t
    m = _OFFSET_RE.search(before)
    if m:
        value = float(m.group(1).replace(",", "."))
        km = value * 1.609 if m.group(2).lower().startswith("mi") else value
        lat, lon = _offset(t.lat, t.lon, km, _BEARINGS[m.group(3).lower()])
        return replace(t, lat=round(lat, 5), lon=round(lon, 5), relation=f"{m.group(0).strip()}",
                       anchor=t.name, geo_precision=2, radius_km=round(max(t.radius_km, 0.25 * km + 5.0), 1))
    m = _DIRECTION_OF_RE.search(before)
    if m and t.feature not in ("country", "admin1"):
        km = max(25.0, t.radius_km * 1.5)
        lat, lon = _offset(t.lat, t.lon, km, _BEARINGS[m.group(1).lower()])
        return replace(t, lat=round(lat, 5), lon=round(lon, 5), relation=m.group(0).strip(), anchor=t.name,
                       geo_precision=2, radius_km=round(max(t.radius_km, km), 1))
    m = _DIRECTIONAL_ADJ_RE.search(before)
    if m and t.feature in ("country", "admin1", "region", "desert"):
        bearing = _BEARINGS[m.group(1).lower().replace("-", "")]
        part = _directional_part(t.place_id or "", bearing)
        if part is not None:
            lat, lon, radius = part
        else:
            radius = max(10.0, t.radius_km * 0.6)
            lat, lon = _offset(t.lat, t.lon, t.radius_km * 0.5, bearing)
        return replace(t, lat=round(lat, 5), lon=round(lon, 5), relation=m.group(1).lower(), anchor=t.name,
                       radius_km=round(radius, 1))
    m = _NEAR_RE.search(before)
    if m:
        return replace(t, relation="near", anchor=t.name, geo_precision=max(2, t.geo_precision) if t.geo_precision < 3 else 3,
                       radius_km=round(t.radius_km + 15.0, 1))
    return t


def _desert_of(toponyms: list[Toponym], text: str, index: GazetteerIndex) -> list[Toponym]:
    """"the desert of Husayniyat" → the "Husayniyat desert" place when the index has one."""
    out = []
    for t in toponyms:
        before = text[max(0, t.start - 30) : t.start]
        m = _DESERT_OF_RE.search(before)
        if m and t.feature not in ("desert", "region"):
            noun = m.group(1).lower().rstrip("s")
            for key in (fold(f"{t.text} {noun}"), fold(f"{t.text} desert")):
                kid = int(index.key_ids([key])[0])
                if kid >= 0:
                    places = index.places_for_key_id(kid)
                    best = int(places[np.argmax(index.prominence[places])])
                    t = replace(
                        t,
                        place_id=str(index.place_id[best]),
                        name=str(index.name[best]),
                        lat=round(float(index.lat[best]), 5),
                        lon=round(float(index.lon[best]), 5),
                        country=index.country[best] if isinstance(index.country[best], str) else None,
                        admin1_code=index.admin1_code[best] if isinstance(index.admin1_code[best], str) else None,
                        feature=str(index.feature[best]),
                        geo_precision=2,
                        radius_km=round(float(index.radius_km[best]), 1),
                        relation=f"{noun} of",
                        anchor=t.text,
                    )
                    break
            else:
                t = replace(t, geo_precision=max(2, t.geo_precision), radius_km=round(t.radius_km + 30.0, 1),
                            relation=f"{noun} of", anchor=t.text)
        out.append(t)
    return out


def _shared_border(toponyms: list[Toponym], text: str) -> list[Toponym]:
    """"an area that shares borders with Anbar, Nineveh and Salahuddin" → the area where they meet."""
    extra: list[Toponym] = []
    i = 0
    while i < len(toponyms):
        t = toponyms[i]
        if t.feature != "admin1" or not _SHARED_RE.search(text[max(0, t.start - 80) : t.start]):
            i += 1
            continue
        group = [t]
        j = i + 1
        while j < len(toponyms):
            gap = text[group[-1].end : toponyms[j].start]
            if toponyms[j].feature == "admin1" and re.fullmatch(r"\s*(,|and|&|,\s*and)\s*", gap):
                group.append(toponyms[j])
                j += 1
            else:
                break
        if len(group) >= 2:
            codes = tuple(sorted({g.admin1_code for g in group if g.admin1_code}))
            point = _meeting_point(codes)
            if point is not None:
                lat, lon, radius = point
                names = [g.name or g.text for g in group]
                extra.append(
                    Toponym(
                        start=group[0].start,
                        end=group[-1].end,
                        text=text[group[0].start : group[-1].end],
                        place_id="border:" + "+".join(codes),
                        name="border area of " + ", ".join(names),
                        lat=round(lat, 5),
                        lon=round(lon, 5),
                        country=group[0].country,
                        admin1_code=group[0].admin1_code,
                        feature="border",
                        geo_precision=3,
                        radius_km=round(radius, 1),
                        score=round(min(g.score for g in group), 3),
                        relation="shared border",
                        anchor="+".join(codes),
                    )
                )
        i = j
    return extra


@lru_cache(maxsize=256)
def _directional_part(place_id: str, bearing: float) -> tuple[float, float, float] | None:
    """The "eastern" (etc.) half of a country or province polygon: a point inside it and a radius (km).

    ``place_id`` is ``cc:<ISO>`` or ``ne:<ISO 3166-2>``; None for other places.
    """
    import pyarrow.parquet as pq
    import shapely

    kind, _, code = place_id.partition(":")
    if kind == "cc":
        path, column = settings.data_dir() / "boundaries" / "admin0.parquet", "country"
    elif kind == "ne":
        path, column = settings.data_dir() / "boundaries" / "admin1.parquet", "admin1_code"
    else:
        return None
    frame = pq.read_table(path, columns=[column, "geometry"]).to_pandas()
    rows = frame[frame[column] == code]
    if rows.empty:
        return None
    geom = shapely.from_wkb(rows["geometry"].iloc[0])
    minx, miny, maxx, maxy = geom.bounds
    dx, dy = math.sin(math.radians(bearing)), math.cos(math.radians(bearing))
    # Keep the half of the bounding box on the named side (both halves for a diagonal).
    x0 = minx + (maxx - minx) / 2 if dx > 0.3 else minx
    x1 = minx + (maxx - minx) / 2 if dx < -0.3 else maxx
    y0 = miny + (maxy - miny) / 2 if dy > 0.3 else miny
    y1 = miny + (maxy - miny) / 2 if dy < -0.3 else maxy
    part = shapely.intersection(geom, shapely.box(x0, y0, x1, y1))
    if part.is_empty:
        return None
    point = part.point_on_surface()
    lat_scale = 111.32 * math.cos(math.radians(point.y))
    area_km2 = part.area * 111.32 * lat_scale
    return float(point.y), float(point.x), max(10.0, math.sqrt(area_km2 / math.pi))


@lru_cache(maxsize=256)
def _meeting_point(codes: tuple[str, ...]) -> tuple[float, float, float] | None:
    """Where the given admin-1 areas meet (degrees, degrees, radius km), from the boundaries."""
    import pyarrow.parquet as pq
    import shapely

    table = pq.read_table(settings.data_dir() / "boundaries" / "admin1.parquet", columns=["admin1_code", "geometry"])
    frame = table.to_pandas()
    rows = frame[frame["admin1_code"].isin(codes)]
    if len(rows) < 2:
        return None
    geoms = shapely.from_wkb(rows["geometry"].to_numpy())
    zones = shapely.buffer(shapely.boundary(geoms), 0.1)
    meet = shapely.intersection_all(zones)
    if meet.is_empty:
        return None
    c = shapely.centroid(meet)
    minx, miny, maxx, maxy = meet.bounds
    radius = max(50.0, 111.0 * max(maxx - minx, maxy - miny) / 2)
    return float(c.y), float(c.x), min(radius, 250.0)


def geoparse(
    text: str,
    *,
    context: Mapping[str, Any] | None = None,
    spans: Sequence[tuple[int, int]] | None = None,
) -> list[Toponym]:
    """Find and resolve every place name in ``text``.

    Parameters
    ----------
    text
        The document. Any length: long texts are parsed in windows of :data:`WINDOW_CHARS`
        characters; text without letters (binary junk) gives ``[]``.
    context
        Optional soft hints: ``{"country": "IQ"}``, ``{"countries": [...]}``,
        ``{"admin1": "IQ-AN"}``.
    spans
        If given, skip recognition and resolve exactly these ``(start, end)`` spans, one
        toponym per span in the same order (unresolved ones have ``place_id`` None). A span
        that is a demonym ("Iraqi") resolves to its country.

    Returns
    -------
    list of Toponym
        Sorted by ``start``; ``text[t.start:t.end] == t.text`` for every toponym.

    Raises
    ------
    BadQueryError
        If ``text`` is not a string or a span lies outside it.
    """
    if not isinstance(text, str):
        raise BadQueryError(f"geoparse needs text (str), got {type(text).__name__}; decode bytes first")
    index = get_index()
    if spans is not None:
        return _resolve_spans(text, spans, index, context)
    if len(text) > WINDOW_CHARS:
        out: list[Toponym] = []
        for offset in range(0, len(text), WINDOW_CHARS):
            window = text[offset : offset + WINDOW_CHARS]
            out.extend(replace(t, start=t.start + offset, end=t.end + offset) for t in _parse(window, index, context))
        return out
    return _parse(text, index, context)


def _parse(text: str, index: GazetteerIndex, context: Mapping[str, Any] | None) -> list[Toponym]:
    mentions = recognise(text, index)
    if not mentions:
        return []
    groups = resolve(text, mentions, index, context=context)
    keep = _keep(mentions, groups, index)
    kept = [_toponym(index, m, groups[m.group], text) for m, ok in zip(mentions, keep) if ok]
    kept = _desert_of(kept, text, index)
    kept.extend(_shared_border(kept, text))
    kept.sort(key=lambda t: (t.start, -t.end))
    return kept


def _resolve_spans(
    text: str, spans: Sequence[tuple[int, int]], index: GazetteerIndex, context: Mapping[str, Any] | None
) -> list[Toponym]:
    mentions = []
    for start, end in spans:
        if not (0 <= start < end <= len(text)):
            raise BadQueryError(f"span ({start}, {end}) is outside the text of {len(text)} characters")
        mentions.append(_Mention(start, end, text[start:end], len(text[start:end].split())))
    special = {(m.start, m.end): m for m in _special_spans(text, index, _lookups(index)) if m.forced >= 0}
    for k, m in enumerate(mentions):
        hit = special.get((m.start, m.end))
        if hit is not None:
            mentions[k] = hit
    states = state_abbreviations()
    for m in mentions:
        entry = states.get(m.text)
        if m.forced < 0 and entry is not None and entry[1] == "ap":
            place = index.index_of(f"ne:{entry[0]}")
            m.forced = -1 if place is None else place
    # The other places the document names are context too ("Dama is a village in the
    # As-Suwayda Governorate"): recognise them, keep those the evidence rules keep.
    found = recognise(text, index) if len(text) <= WINDOW_CHARS else []
    if found:
        found_groups = resolve(text, found, index, context=context)
        taken = np.zeros(len(text) + 1, dtype=bool)
        for m in mentions:
            taken[m.start : m.end] = True
        found = [
            replace(m, group=-1)
            for m, ok in zip(found, _keep(found, found_groups, index))
            if ok and not taken[m.start : m.end].any()
        ]
    ordered = sorted(range(len(mentions)), key=lambda k: mentions[k].start)
    work = sorted([mentions[k] for k in ordered] + found, key=lambda m: m.start)
    groups = resolve(text, work, index, context=context, fuzzy=True, demonym_countries=True)
    out: list[Toponym | None] = [None] * len(mentions)
    for k in ordered:
        m = mentions[k]
        out[k] = _toponym(index, m, groups[m.group] if m.group >= 0 else None, text)
    return [t for t in out if t is not None]


def toponyms_to_json(toponyms: Iterable[Toponym]) -> list[dict[str, Any]]:
    """The JSON records of ``incident-atlas geoparse --json``."""
    keys = ("start", "end", "text", "place_id", "name", "lat", "lon", "country", "admin1_code", "feature",
            "geo_precision", "radius_km", "score", "relation", "anchor", "in_organisation")
    return [{k: getattr(t, k) for k in keys} for t in toponyms]
