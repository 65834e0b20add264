"""Relative locations: "30 km west of Ramadi", "south of Rutba", "near X", "eastern Syria",
"the desert of Husayniyat", "the border area of Anbar, Nineveh and Salahuddin".

Each gives a derived point with a wider radius and ``relation`` / ``anchor`` set on the toponym.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from gazetteer import settings
from gazetteer.index import GazetteerIndex, get_index
from gazetteer.model import Toponym
from gazetteer.normalize import fold

_BEARINGS = {
    "north": 0.0, "northern": 0.0, "northeast": 45.0, "north-east": 45.0, "northeastern": 45.0,
    "north-eastern": 45.0, "east": 90.0, "eastern": 90.0, "southeast": 135.0, "south-east": 135.0,
    "southeastern": 135.0, "south-eastern": 135.0, "south": 180.0, "southern": 180.0,
    "southwest": 225.0, "south-west": 225.0, "southwestern": 225.0, "south-western": 225.0,
    "west": 270.0, "western": 270.0, "northwest": 315.0, "north-west": 315.0, "northwestern": 315.0,
    "north-western": 315.0,
}
_DIRECTION = r"(north|south|east|west|north-?east|north-?west|south-?east|south-?west)"
#: One of these is in every match of the direction patterns (after ``str.casefold``, which folds
#: every letter the case-insensitive patterns take for these).
_DIRECTION_WORDS = ("north", "south", "east", "west")
_DIRECTION_WORD_RE = re.compile("|".join(_DIRECTION_WORDS))
#: Distances written out ("Ten kilometres west of Ramadi", "twenty-five miles north of").
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a hundred": 100,
}
_NUMBER_WORD = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine))?"
                r"|a\s+hundred|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
                r"|fifteen|sixteen|seventeen|eighteen|nineteen|hundred)")
_OFFSET_RE = re.compile(
    r"(\d+(?:[.,]\d+)?|\b" + _NUMBER_WORD + r")\s*(?:-\s*)?(km|kms|kilometers|kilometres|kilometer|kilometre|miles|mile|mi)\s+"
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
_DESERT_OF_RE = re.compile(r"\b(desert|deserts|area|areas|region|countryside)\s+of\s+(?:the\s+)?$", re.IGNORECASE)
#: "the Hawija district", "the Hit area", "Deir ez-Zor countryside": the land around a town, not
#: its point; the radius (km) each noun adds to the town's.
_AREA_AFTER_KM = {"district": 25.0, "subdistrict": 15.0, "sub-district": 15.0, "area": 15.0, "areas": 15.0,
                  "countryside": 30.0, "region": 30.0, "environs": 15.0}
_AREA_AFTER_RE = re.compile(r"\s+(" + "|".join(_AREA_AFTER_KM) + r")\b", re.IGNORECASE)
_TOWN_FEATURES = frozenset(("city", "town", "village", "locality"))
_SHARED_RE = re.compile(
    r"\b(?:shares?\s+borders?\s+with|shared\s+by|between|borders?\s+of|bordering|meet(?:ing)?\s+of)\s+"
    r"(?:the\s+)?(?:(?:two|three|four)\s+)?(?:provinces?\s+of\s+|governorates?\s+of\s+)?$",
    re.IGNORECASE,
)


#: The most words (runs of characters other than white space) a match of these phrase patterns
#: spans: a direction, "of" and "the town of"; a directional adjective; "outskirts of the". Each
#: phrase ends where the name starts (``$``), so a match starts no earlier than that many words
#: before the name.
_PHRASE_WORDS = {_DIRECTION_OF_RE: 5, _DIRECTIONAL_ADJ_RE: 1, _NEAR_RE: 3}


def _phrase_before(pattern: re.Pattern[str], before: str) -> re.Match[str] | None:
    """``pattern.search(before)`` for a phrase pattern of :data:`_PHRASE_WORDS`, searched from
    where the phrase's most words before the end begin: the engine tries every position of
    the text it is given (its case-insensitive alternatives have no first character to skip
    to), and no match starts before there. The match is the one a search of all of
    ``before`` finds (``\\b`` still sees the character before the starting position)."""
    words = _PHRASE_WORDS[pattern]
    rest = before.rsplit(None, words)
    return pattern.search(before, len(rest[0]) if len(rest) > words else 0)


#: The last word (lower case) of every match of each phrase pattern, before the white space the
#: name follows: the direction phrases end in "of" or "the" ("west of", "south of the town of"),
#: the directional adjectives in "ern", the nearness phrases in their own words.
_OF_ENDINGS = ("of", "the")
_ADJECTIVE_ENDINGS = ("ern",)
_NEAR_ENDINGS = ("near", "nearby", "outside", "of", "to", "around", "the")
#: The words every phrase of :func:`relation_around` ends with.
_RELATION_ENDINGS = tuple(dict.fromkeys(_OF_ENDINGS + _ADJECTIVE_ENDINGS + _NEAR_ENDINGS))


def _last_word(before: str) -> str:
    """The end of the text before a name that the phrase endings are tested on: its last eight
    characters before the white space the name follows, case-folded ("" when no white space
    precedes the name: then no phrase ends there)."""
    return before.rstrip()[-8:].casefold() if before[-1:].isspace() else ""


def _may_relate(before: str) -> bool:
    """Whether the text before a name could end in a relative phrase: a quick test that spares
    most names the regular expressions of :func:`relation_around` and :func:`desert_of` (it
    never says no where one of them matches)."""
    return _last_word(before).endswith(_RELATION_ENDINGS)


def offset_point(lat: float, lon: float, distance_km: float, bearing_deg: float) -> tuple[float, float]:
    """Point ``distance_km`` from (lat, lon) along ``bearing_deg`` (great circle)."""
    r = distance_km / 6371.0088
    b = math.radians(bearing_deg)
    p1, l1 = math.radians(lat), math.radians(lon)
    p2 = math.asin(math.sin(p1) * math.cos(r) + math.cos(p1) * math.sin(r) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(r) * math.cos(p1), math.cos(r) - math.sin(p1) * math.sin(p2))
    return math.degrees(p2), (math.degrees(l2) + 540.0) % 360.0 - 180.0


@dataclass(frozen=True, slots=True)
class Relation:
    """Where a phrase around a name puts its toponym, relative to the place the name resolved to.

    ``relation`` is the phrase (:attr:`Toponym.relation`: "30 km west of", "near", "eastern",
    "district"); ``lat`` and ``lon`` the derived point (degrees, 5 decimals); ``geo_precision``
    ACLED's code; ``radius_km`` the derived uncertainty (km, 1 decimal).
    """

    relation: str
    lat: float
    lon: float
    geo_precision: int
    radius_km: float


def relation_around(
    text: str,
    start: int,
    end: int,
    *,
    index: GazetteerIndex,
    row: int,
    lat: float,
    lon: float,
    feature: str,
    geo_precision: int,
    radius_km: float,
) -> Relation | None:
    """The derived location of the name ``text[start:end]`` resolved to a place, from the phrase
    around it: "30 km west of X", "south of X", "near X", "eastern X" before it, "X district"
    after it; None when no phrase relates it.

    Parameters
    ----------
    text
        The document.
    start, end
        The name's span in ``text`` (characters).
    index, row
        The index and the place's row in it.
    lat, lon, feature, geo_precision, radius_km
        The place's fields as the toponym carries them (degrees rounded to 5 decimals, km).

    Returns
    -------
    Relation or None
        The derived point, precision and radius, and the phrase.
    """
    before = text[max(0, start - 60) : start]
    ending = _last_word(before)
    if not ending.endswith(_RELATION_ENDINGS):
        return _area_after(text, end, lat, lon, feature, radius_km)
    # The first three phrases name a direction; most text before a name has none. Each phrase
    # is tried only where the text ends in one of its last words.
    folded = before.casefold()
    directed = _DIRECTION_WORD_RE.search(folded) is not None
    directed_of = directed and ending.endswith(_OF_ENDINGS)
    m = _OFFSET_RE.search(before) if directed_of else None
    if m:
        value = _distance_value(m.group(1))
        km = value * 1.609 if m.group(2).lower().startswith("mi") else value
        to_lat, to_lon = offset_point(lat, lon, km, _BEARINGS[m.group(3).lower()])
        return Relation(m.group(0).strip(), round(to_lat, 5), round(to_lon, 5), 2,
                        round(max(radius_km, 0.25 * km + 5.0), 1))
    m = _phrase_before(_DIRECTION_OF_RE, before) if directed_of else None
    if m and feature not in ("country", "admin1"):
        km = max(25.0, radius_km * 1.5)
        to_lat, to_lon = offset_point(lat, lon, km, _BEARINGS[m.group(1).lower()])
        return Relation(m.group(0).strip(), round(to_lat, 5), round(to_lon, 5), 2, round(max(radius_km, km), 1))
    m = _phrase_before(_DIRECTIONAL_ADJ_RE, before) if directed and ending.endswith(_ADJECTIVE_ENDINGS) else None
    if m and feature in ("country", "admin1", "region", "desert"):
        bearing = _BEARINGS[m.group(1).lower().replace("-", "")]
        part = index.directional_part(row, bearing)
        if part is not None:
            to_lat, to_lon, radius = part
        else:
            radius = max(10.0, radius_km * 0.6)
            to_lat, to_lon = offset_point(lat, lon, radius_km * 0.5, bearing)
        return Relation(m.group(1).lower(), round(to_lat, 5), round(to_lon, 5), geo_precision, round(radius, 1))
    m = _phrase_before(_NEAR_RE, before) if ending.endswith(_NEAR_ENDINGS) else None
    if m:
        return Relation("near", lat, lon, max(2, geo_precision) if geo_precision < 3 else 3, round(radius_km + 15.0, 1))
    return _area_after(text, end, lat, lon, feature, radius_km)


def relative_location(t: Toponym, text: str) -> Toponym:
    """Derived location for "30 km west of X", "south of X", "near X", "eastern X", "X district":
    ``t`` with the point, precision, radius and ``relation`` of :func:`relation_around`, and
    its place's name as ``anchor``; ``t`` itself when no phrase relates it."""
    if t.lat is None or t.lon is None:
        return t
    index = get_index()
    row = index.index_of(t.place_id) if t.place_id else None
    found = relation_around(text, t.start, t.end, index=index, row=-1 if row is None else row, lat=t.lat, lon=t.lon,
                            feature=t.feature or "", geo_precision=t.geo_precision, radius_km=t.radius_km)
    if found is None:
        return t
    return replace(t, lat=found.lat, lon=found.lon, relation=found.relation, anchor=t.name,
                   geo_precision=found.geo_precision, radius_km=found.radius_km)


def _area_after(text: str, end: int, lat: float, lon: float, feature: str, radius_km: float) -> Relation | None:
    """ "the Hawija district", "the Hit area": a town's surroundings (ACLED precision 2, the
    town's radius plus :data:`_AREA_AFTER_KM` of the noun) around its point; ``end`` is where
    the town's name ends in ``text``."""
    if feature not in _TOWN_FEATURES:
        return None
    m = _AREA_AFTER_RE.match(text, end)
    if m is None:
        return None
    noun = m.group(1).lower()
    return Relation(noun, lat, lon, 2, round(radius_km + _AREA_AFTER_KM[noun], 1))


def _distance_value(number: str) -> float:
    """The number of "10", "2.5", "ten", "twenty-five" or "a hundred"."""
    low = " ".join(number.casefold().replace("-", " ").split())
    if low in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[low])
    tens, _, unit = low.partition(" ")
    if tens in _NUMBER_WORDS and unit in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[tens] + _NUMBER_WORDS[unit])
    return float(number.replace(",", "."))


def desert_of(toponyms: list[Toponym], text: str, index: GazetteerIndex) -> list[Toponym]:
    """"the desert of Husayniyat" → the "Husayniyat desert" place when the index has one."""
    out = []
    for t in toponyms:
        before = text[max(0, t.start - 30) : t.start]
        m = _DESERT_OF_RE.search(before) if _may_relate(before) else None
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


def shared_border(toponyms: list[Toponym], text: str) -> list[Toponym]:
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


@lru_cache(maxsize=4)
def _boundaries(path: str, column: str) -> dict[str, bytes]:
    """Polygons (WKB) of a bundled boundary layer by code, read once per file."""
    import pyarrow.parquet as pq

    # On one thread: the files are small, and decoding them on several costs more CPU time than
    # it saves (about 40 against 65 ms for both layers).
    table = pq.read_table(path, columns=[column, "geometry"], use_threads=False)
    return dict(zip(table.column(column).to_pylist(), table.column("geometry").to_pylist()))


@lru_cache(maxsize=256)
def _meeting_point(codes: tuple[str, ...]) -> tuple[float, float, float] | None:
    """Where the given admin-1 areas meet (degrees, degrees, radius km), from the boundaries."""
    import shapely

    layer = _boundaries(str(settings.data_dir() / "boundaries" / "admin1.parquet"), "admin1_code")
    found = [layer[c] for c in dict.fromkeys(codes) if c in layer]
    if len(found) < 2:
        return None
    geoms = shapely.from_wkb(np.asarray(found, dtype=object))
    zones = shapely.buffer(shapely.boundary(geoms), 0.1)
    meet = shapely.intersection_all(zones)
    if meet.is_empty:
        return None
    c = shapely.centroid(meet)
    minx, miny, maxx, maxy = meet.bounds
    radius = max(50.0, 111.0 * max(maxx - minx, maxy - miny) / 2)
    return float(c.y), float(c.x), min(radius, 250.0)

