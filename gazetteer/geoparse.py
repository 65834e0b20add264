"""Find every place name in a text and resolve it: recognise → candidates → rank → select.

Recognition is gazetteer-driven: capitalised word sequences (with the Arabic article and a few
connectors inside, and a trailing geographic noun such as "desert" or "border") are folded with
:func:`gazetteer.normalize.fold` and looked up in the index all at once, so transliteration
variants are found even where a statistical model has never seen them. Rules keep precision up:
a stop list for words that are rarely places, words the same document also writes in lower
case ("Hit" the town vs "hit"), names after a personal title, and names inside organisation
names ("Anbar Police Command": kept, marked ``in_organisation``).

Resolution weighs evidence from the whole document: how the name matched, the place's
prominence, the countries and provinces the document names, "X, Y" pairs, a province/city
suffix, and the distance to the other places resolved. A place never filters by country: the
document's countries are a soft prior. Relative phrases ("30 km west of Ramadi", "south of
Rutba", "near X", "eastern Syria", "the border area of Anbar, Nineveh and Salahuddin") give a
derived point with a wider radius and ``relation`` set.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from gazetteer import settings
from gazetteer.errors import BadQueryError
from gazetteer.index import MATCH_WEIGHTS, Candidate, GazetteerIndex, get_index
from gazetteer.model import Toponym
from gazetteer.normalize import fold, has_arabic

#: Texts longer than this (characters) are parsed in the first MAX_TEXT_CHARS only? No:
#: they are parsed in windows of this size, so memory stays bounded.
WINDOW_CHARS = 200_000
#: Longest name in words.
MAX_NGRAM = 6
#: Candidates kept per mention (most prominent first) before context is weighed.
MAX_CANDIDATES = 40

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
    candidates: list[Candidate] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    choice: int = -1


@dataclass(frozen=True, slots=True)
class _Token:
    start: int
    end: int
    text: str

    @property
    def lower(self) -> str:
        return self.text.lower()


@lru_cache(maxsize=1)
def stoplist() -> frozenset[str]:
    """Words rarely meant as a place when alone (``data/gazetteer/stoplist.txt``)."""
    path = settings.data_dir() / "gazetteer" / "stoplist.txt"
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip().lower()
        if line and not line.startswith("#"):
            words.add(line)
    return frozenset(words)


@lru_cache(maxsize=1)
def demonyms() -> dict[str, str | None]:
    """Demonyms ("Iraqi", "Syrian") and the country they point to (``data/gazetteer/demonyms.csv``).

    A demonym is never a toponym; it is a soft hint about the document's countries.
    """
    import csv

    path = settings.data_dir() / "gazetteer" / "demonyms.csv"
    with path.open(encoding="utf-8") as fh:
        return {row["demonym"]: (row["country"] or None) for row in csv.DictReader(fh)}


def low_first(word: str) -> str:
    return word.lower()


def _tokens(text: str) -> list[_Token]:
    out = []
    for m in _TOKEN_RE.finditer(text):
        start, end = m.span()
        word = m.group()
        if word.endswith(("'s", "’s")) and len(word) > 3:
            end -= 2
            word = word[:-2]
        out.append(_Token(start, end, word))
    return out


def _is_capitalised(word: str) -> bool:
    if word[0].isupper():
        return True
    if has_arabic(word[0]):
        return True
    # "al-Anbar", "el-Fasher", "ad-Din": a lower-case article fused to a capitalised name.
    head, sep, tail = word.partition("-")
    return bool(sep) and head in _CONNECTORS and bool(tail) and tail[0].isupper()


def _gap_ok(text: str, left: _Token, right: _Token) -> bool:
    gap = text[left.end : right.start]
    return len(gap) <= 3 and gap.strip(" -‐–'’") == ""


def recognise(text: str, index: GazetteerIndex) -> list[_Mention]:
    """Spans of ``text`` that name places in the index (longest match, left to right)."""
    tokens = _tokens(text)
    if not tokens:
        return []
    lowercase_words = {t.text for t in tokens if t.text.islower()}
    spans: list[tuple[int, int, int]] = []  # token i, token j (exclusive), candidate index
    texts: list[str] = []
    for i, tok in enumerate(tokens):
        if not _is_capitalised(tok.text):
            continue
        for j in range(i + 1, min(i + 1 + MAX_NGRAM, len(tokens) + 1)):
            last = tokens[j - 1]
            if j - 1 > i:
                if not _gap_ok(text, tokens[j - 2], last):
                    break
                if not (_is_capitalised(last.text) or last.lower in _CONNECTORS or last.lower in _GEO_NOUNS):
                    break
            if j - 1 > i and last.lower in _CONNECTORS:
                continue
            spans.append((i, j, len(texts)))
            texts.append(text[tok.start : last.end])
    if not spans:
        return []
    keys = [fold(t) for t in texts]
    found = index.key_ids(keys)
    best_at: dict[int, tuple[int, int]] = {}
    for i, j, k in spans:
        if found[k] >= 0 and (i not in best_at or j > best_at[i][0]):
            best_at[i] = (j, k)
    mentions: list[_Mention] = []
    stop = stoplist()
    demonym = demonyms()
    i = 0
    while i < len(tokens):
        if i not in best_at:
            i += 1
            continue
        j, _ = best_at[i]
        first, last = tokens[i], tokens[j - 1]
        prev = tokens[i - 1] if i > 0 else None
        nxt = tokens[j] if j < len(tokens) else None
        sentence_initial = prev is None or bool(_SENTENCE_END_RE.search(text[max(0, first.start - 4) : first.start]))
        mention = _Mention(first.start, last.end, text[first.start : last.end], j - i, sentence_initial)
        words = mention.text.split()
        single = len(words) == 1
        if mention.text in demonym or low_first(mention.text) in _CALENDAR:
            i = j
            continue
        if len(mention.text) == 1:
            i = j
            continue
        # A capitalised word right beside the name that is not part of it ("Abu Bakr
        # al-Baghdadi", "Tareq al-Asal"): the name is likely part of a person's name.
        for other in (prev if not sentence_initial else None, nxt):
            if (
                other is not None
                and _is_capitalised(other.text)
                and (other is nxt and _gap_ok(text, last, other) or other is prev and _gap_ok(text, other, first))
                and other.lower not in stop
                and other.lower not in _CONNECTORS
                and other.lower not in _ORG_WORDS
                and other.lower not in _FACILITY_WORDS
                and other.lower not in _ADMIN_SUFFIX
                and other.lower not in _CITY_SUFFIX
                and other.lower not in _GEO_NOUNS
                and other.text not in demonym
            ):
                mention.name_neighbour = True
        if prev is not None and prev.lower.rstrip(".") in _TITLES and _gap_ok(text, prev, first) is not None:
            # "President Jackson", "Gen. Austin": a person.
            if text[prev.end : first.start].strip(". ") == "":
                i = j
                continue
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
                and (nxt.lower in stop or mention.text.lower() in stop)
            ):
                # "Victoria Beckham"-like pairs of a stop word and a capitalised word.
                mention.weak = True
        low = mention.text.lower()
        if single and (low in stop or mention.text.lower() in lowercase_words or low.lower() in lowercase_words):
            mention.weak = True
        if single and sentence_initial and low in stop:
            i = j
            continue
        if single and len(mention.text) <= 2 and not mention.text.isupper():
            i = j
            continue
        mentions.append(mention)
        i = j
    return mentions


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


def _prune(index: GazetteerIndex, candidates: list[Candidate]) -> list[Candidate]:
    if len(candidates) <= MAX_CANDIDATES:
        return candidates
    places = np.fromiter((c.place for c in candidates), dtype=np.int64, count=len(candidates))
    weight = index.prominence[places] + np.fromiter((MATCH_WEIGHTS[c.match] for c in candidates), float, len(candidates))
    keep = np.argsort(-weight, kind="stable")[:MAX_CANDIDATES]
    return [candidates[k] for k in keep]


def resolve(
    text: str,
    mentions: list[_Mention],
    index: GazetteerIndex,
    *,
    context: Mapping[str, Any] | None = None,
) -> None:
    """Choose a place for every mention in place (``mention.choice``), using the document."""
    hint_countries, hint_admin1 = _context_hints(context)
    demonym = demonyms()
    for word in re.findall(r"[A-Z][a-z]+", text):
        cc = demonym.get(word)
        if cc:
            hint_countries[cc] += 1
    for m in mentions:
        m.candidates = _prune(index, index.candidates(m.text, fuzzy=False))
    # Pass 1: each mention alone (match + prominence + caller hints + suffix hints).
    for m in mentions:
        m.scores = [_base_score(index, m, c, hint_countries, hint_admin1) for c in m.candidates]
        m.choice = int(np.argmax(m.scores)) if m.scores else -1
    # Document context: countries and provinces named outright, weighted by mentions.
    doc_countries: Counter[str] = Counter(hint_countries)
    doc_admin1: Counter[str] = Counter(hint_admin1)
    for m in mentions:
        if m.choice < 0:
            continue
        i = m.candidates[m.choice].place
        cc, a1 = index.country[i], index.admin1_code[i]
        if isinstance(cc, str):
            doc_countries[cc] += 2 if index.feature[i] in ("country", "admin1") else 1
        if isinstance(a1, str):
            doc_admin1[a1] += 2 if index.feature[i] == "admin1" else 1
    total_cc = sum(doc_countries.values()) or 1
    total_a1 = sum(doc_admin1.values()) or 1
    # Pass 2: with document context, "X, Y" pairs and distance to the other choices.
    points = [
        (index.lat[m.candidates[m.choice].place], index.lon[m.candidates[m.choice].place], k)
        for k, m in enumerate(mentions)
        if m.choice >= 0 and index.feature[m.candidates[m.choice].place] not in ("country",)
    ]
    for k, m in enumerate(mentions):
        if not m.candidates:
            continue
        places = np.fromiter((c.place for c in m.candidates), dtype=np.int64, count=len(m.candidates))
        scores = np.asarray(m.scores, dtype=float)
        own_cc = Counter()
        own_a1 = Counter()
        if m.choice >= 0:
            own = m.candidates[m.choice].place
            if isinstance(index.country[own], str):
                own_cc[index.country[own]] += 2 if index.feature[own] in ("country", "admin1") else 1
            if isinstance(index.admin1_code[own], str):
                own_a1[index.admin1_code[own]] += 2 if index.feature[own] == "admin1" else 1
        for n, p in enumerate(places):
            cc, a1 = index.country[p], index.admin1_code[p]
            share_cc = (doc_countries.get(cc, 0) - own_cc.get(cc, 0)) / total_cc if isinstance(cc, str) else 0.0
            share_a1 = (doc_admin1.get(a1, 0) - own_a1.get(a1, 0)) / total_a1 if isinstance(a1, str) else 0.0
            scores[n] += 0.3 * min(1.0, 2 * share_cc) + 0.2 * min(1.0, 2 * share_a1)
        # "Ramadi, Anbar" / "Springfield, Illinois": the next mention qualifies this one.
        if k + 1 < len(mentions):
            nxt = mentions[k + 1]
            between = text[m.end : nxt.start]
            if between.strip() == "," and nxt.choice >= 0:
                q = nxt.candidates[nxt.choice].place
                if index.feature[q] == "country":
                    scores += 0.35 * (index.country[places] == index.country[q])
                elif index.feature[q] == "admin1":
                    scores += 0.45 * (index.admin1_code[places] == index.admin1_code[q])
        others = [(la, lo) for la, lo, kk in points if kk != k]
        if others:
            lat_o = np.fromiter((o[0] for o in others), float, len(others))
            lon_o = np.fromiter((o[1] for o in others), float, len(others))
            for n, p in enumerate(places):
                if index.feature[p] == "country":
                    continue
                d = float(np.min(_haversine_km(float(index.lat[p]), float(index.lon[p]), lat_o, lon_o)))
                scores[n] += 0.15 * math.exp(-d / 250.0)
        m.scores = scores.tolist()
        m.choice = int(np.argmax(scores))


def _base_score(
    index: GazetteerIndex,
    m: _Mention,
    c: Candidate,
    hint_countries: Counter[str],
    hint_admin1: Counter[str],
) -> float:
    i = c.place
    score = 0.45 * MATCH_WEIGHTS[c.match] + 0.55 * float(index.prominence[i])
    feature = index.feature[i]
    if m.admin_hint and feature == "admin1":
        score += 0.3
    if m.city_hint and feature in ("city", "town", "village"):
        score += 0.1
    if m.in_organisation and feature == "admin1":
        score += 0.05
    if hint_countries and index.country[i] in hint_countries:
        score += 0.15
    if hint_admin1 and index.admin1_code[i] in hint_admin1:
        score += 0.1
    return score


_PRECISION = {"country": 3, "admin1": 3, "admin2": 3, "region": 2, "desert": 2, "border": 2}


def _toponym(index: GazetteerIndex, m: _Mention, text: str) -> Toponym:
    if m.choice < 0:
        return Toponym(m.start, m.end, m.text, None, None, None, None, None, None, None, 3, 0.0, 0.0,
                       in_organisation=m.in_organisation)
    i = m.candidates[m.choice].place
    feature = str(index.feature[i])
    scores = sorted(m.scores, reverse=True)
    margin = scores[0] - scores[1] if len(scores) > 1 else 0.5
    confidence = max(0.0, min(1.0, 0.5 * scores[0] + margin))

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
        km = t.radius_km * 0.5
        lat, lon = _offset(t.lat, t.lon, km, _BEARINGS[m.group(1).lower().replace("-", "")])
        return replace(t, lat=round(lat, 5), lon=round(lon, 5), relation=m.group(1).lower(), anchor=t.name,
                       radius_km=round(max(10.0, t.radius_km * 0.6), 1))
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
        The document. Any length: long texts are parsed in windows, binary junk gives ``[]``.
    context
        Optional soft hints: ``{"country": "IQ"}``, ``{"countries": [...]}``,
        ``{"admin1": "IQ-AN"}``.
    spans
        If given, skip recognition and resolve exactly these ``(start, end)`` spans, one
        toponym per span in the same order (unresolved ones have ``place_id`` None).

    Returns
    -------
    list of Toponym
        Sorted by ``start``; ``text[t.start:t.end] == t.text`` for every toponym.
    """
    if not isinstance(text, str):
        raise BadQueryError(f"geoparse needs text (str), got {type(text).__name__}")
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
    resolve(text, mentions, index, context=context)
    toponyms = [_toponym(index, m, text) for m in mentions]
    # Weak mentions (stop words, words also written in lower case) must fit the document.
    countries = Counter(t.country for t, m in zip(toponyms, mentions) if not m.weak and t.country)
    kept = []
    for t, m in zip(toponyms, mentions):
        if m.weak and not (t.country and countries.get(t.country, 0) >= 1 and t.feature != "locality"):
            continue
        if m.name_neighbour and not (t.feature in ("country", "admin1") and m.candidates[m.choice].match in ("exact", "alternate")):
            continue
        kept.append(t)
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
    work = [m for m in mentions]
    resolve(text, work, index, context=context)
    # Spans whose name is not indexed: try skeleton and fuzzy spellings.
    for m in work:
        if not m.candidates:
            m.candidates = _prune(index, index.candidates(m.text, fuzzy=True))
            m.scores = [_base_score(index, m, c, Counter(), Counter()) for c in m.candidates]
            m.choice = int(np.argmax(m.scores)) if m.scores else -1
    return [_toponym(index, m, text) for m in work]


def toponyms_to_json(toponyms: Iterable[Toponym]) -> list[dict[str, Any]]:
    """The JSON records of ``incident-atlas geoparse --json``."""
    keys = ("start", "end", "text", "place_id", "name", "lat", "lon", "country", "admin1_code", "feature",
            "geo_precision", "radius_km", "score", "relation", "anchor", "in_organisation")
    return [{k: getattr(t, k) for k in keys} for t in toponyms]
