"""The event site: which of the places a text names is where the incident happened.

An article names many places: the victims' home town ("men from Najaf"), the organisation
("Anbar Police Command"), the country of a statement ("officials in Baghdad said"), history
("since their defeat in Baghouz"). :func:`rank_sites` scores every toponym of a sentence for
being the site of its event:

- a locative word before it ("in", "at", "near", "outside", "south of", "the desert of") adds;
- "from" (origin), "to" (destination), "-based", "said in" take away;
- a toponym inside an organisation name is never a site;
- nearness to the trigger word adds, with a smooth decay over characters;
- a town counts a little more than a province, a province more than a country.

:func:`choose_site` picks one place for a group of sentences, preferring a finer place that
lies inside the best one ("the Nukhayb desert in Anbar" gives Nukhayb) and falling back up the
hierarchy (place, province, country) when the best name did not resolve.
:func:`site_location` turns the chosen toponym into a :class:`~incidents.model.Location`,
moving "eastern Syria" towards the east of Syria.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Sequence

from gazetteer.model import Toponym
from incidents.model import Location

#: Feature words of :class:`gazetteer.model.Place`, from finer to coarser, with a small
#: preference for the finer.
FEATURE_BONUS: dict[str | None, float] = {
    "landmark": 0.4, "locality": 0.4, "village": 0.4, "town": 0.4, "city": 0.35, "desert": 0.35,
    "border": 0.3, "region": 0.2, "admin2": 0.2, "admin1": 0.0, "country": -0.6, None: 0.0,
}
_COARSE = frozenset({"admin1", "country"})

#: Character scale of the nearness bonus (the bonus halves about every 55 characters).
DISTANCE_SCALE = 80.0

_LOCATIVE_RE = re.compile(
    r"(?:\b(?:in|at|near|nearby|outside|around|inside|within|across|throughout|on|over|along|off|"
    r"towards?|into|between|of|(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)"
    r"(?:ern)?\s+of|outskirts\s+of|vicinity\s+of|countryside\s+of|city\s+of|town\s+of|village\s+of|"
    r"province\s+of|governorate\s+of|district\s+of|desert\s+of|area\s+of|region\s+of|suburbs?\s+of)"
    r"(?:\s+(?:the|a|an))?(?:\s+(?:[a-z\-]+ern|central|rural|remote|western|eastern|northern|southern|"
    r"desert|town|city|village|area|province|governorate|district|region|countryside|outskirts|capital))?"
    r"(?:\s+(?:of|the))?\s*|[\w’']+[’']s\s+(?:\w+\s+)?)$",
    re.IGNORECASE,
)
_STRONG_LOCATIVE_RE = re.compile(
    r"\b(?:in|at|near|outside|around|inside|(?:north|south|east|west)(?:ern)?\s+of|desert\s+of|outskirts\s+of|"
    r"town\s+of|city\s+of|village\s+of|area\s+of)\b",
    re.IGNORECASE,
)
_ORIGIN_RE = re.compile(
    r"\b(?:from|native\s+of|natives\s+of|hailing\s+from|resident\s+of|residents\s+of|citizens?\s+of|nationals?\s+of|born\s+in)\s+(?:the\s+)?(?:\w+\s+)?$",
    re.IGNORECASE,
)
_DESTINATION_RE = re.compile(r"\b(?:to|towards|toward|into|fled\s+to|retreat(?:ing|ed)?\s+to)\s+(?:the\s+)?$", re.IGNORECASE)
_SOURCE_RE = re.compile(
    r"\b(?:said|told|says|announced|statement|reported|reporters|spokesman|spokesperson|officials?|ministry|"
    r"embassy|press\s+conference|news\s+agency)\b[^.;]{0,25}\b(?:in|from)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_BASED_RE = re.compile(r"^\s*[-\u2010\u2011]?\s*based\b", re.IGNORECASE)
_DIRECTION_RE = re.compile(
    r"\b(?P<dir>north(?:-|\s)?east|north(?:-|\s)?west|south(?:-|\s)?east|south(?:-|\s)?west|north|south|east|west|central)(?:ern)?"
    r"\s+(?:parts?\s+of\s+)?(?:the\s+)?$",
    re.IGNORECASE,
)
_DATELINE_RE = re.compile(r"^\s*(?:\(\w+\)|,\s*\w+\s*\(\w+\)|\s*[-\u2013\u2014])")

#: Unit vectors (east, north) of direction words.
DIRECTIONS: dict[str, tuple[float, float]] = {
    "north": (0.0, 1.0), "south": (0.0, -1.0), "east": (1.0, 0.0), "west": (-1.0, 0.0),
    "northeast": (0.707, 0.707), "northwest": (-0.707, 0.707),
    "southeast": (0.707, -0.707), "southwest": (-0.707, -0.707), "central": (0.0, 0.0),
}
KM_PER_DEGREE = 111.32


@dataclass(frozen=True, slots=True)
class SiteCandidate:
    """A toponym scored as the event site, with the reasons for its score."""

    toponym: Toponym
    score: float
    reasons: tuple[str, ...] = field(default=())

    @property
    def locative(self) -> bool:
        return "locative" in self.reasons

    @property
    def strong(self) -> bool:
        """Named with "in", "at", "near", "south of", "the desert of" and the like."""
        return "strong" in self.reasons

    def adjusted(self, delta: float, reason: str) -> "SiteCandidate":
        return SiteCandidate(self.toponym, self.score + delta, self.reasons + (reason,))


def score_site(
    text: str,
    toponym: Toponym,
    *,
    triggers: Sequence[tuple[int, int]],
    sentence_start: int,
    sentence_end: int,
) -> SiteCandidate | None:
    """Score one toponym of a sentence as the site of the sentence's event.

    Parameters
    ----------
    text
        The article text; ``toponym.start``/``end`` and ``triggers`` index it.
    toponym
        A place name found in the sentence.
    triggers
        ``(start, end)`` of the event words of the sentence (may be empty).
    sentence_start, sentence_end
        The sentence.

    Returns
    -------
    SiteCandidate or None
        None for a name inside an organisation ("Anbar Police Command"): never a site.
    """
    if toponym.in_organisation:
        return None
    score = 0.0
    reasons: list[str] = []
    lead = text[max(sentence_start, toponym.start - 60):toponym.start]
    tail = text[toponym.end:min(sentence_end, toponym.end + 20)]
    if _ORIGIN_RE.search(lead):
        score -= 2.5
        reasons.append("origin")
    elif _DESTINATION_RE.search(lead) and not _STRONG_LOCATIVE_RE.search(lead[-12:]):
        score -= 1.0
        reasons.append("destination")
    elif _LOCATIVE_RE.search(lead):
        score += 2.0
        reasons.append("locative")
        if _STRONG_LOCATIVE_RE.search(lead[-40:]):
            reasons.append("strong")
    if toponym.relation:
        score += 0.5
        reasons.append("relation")
    if _SOURCE_RE.search(lead):
        score -= 1.5
        reasons.append("source")
    if _BASED_RE.match(tail):
        score -= 2.5
        reasons.append("based")
    if toponym.start == sentence_start and _DATELINE_RE.match(tail) and toponym.text.isupper():
        score -= 1.5
        reasons.append("dateline")
    if triggers:
        distance = min(
            0 if t_start <= toponym.start < t_end else min(abs(toponym.start - t_end), abs(t_start - toponym.end))
            for t_start, t_end in triggers
        )
        score += 1.5 * math.exp(-distance / DISTANCE_SCALE)
        if any(t_end <= toponym.start for _, t_end in triggers):
            score += 0.3  # news puts the place after the verb: "killed ... in Nukhayb"
    score += FEATURE_BONUS.get(toponym.feature, 0.0)
    if not toponym.resolved:
        score -= 0.7
        reasons.append("unresolved")
    return SiteCandidate(toponym, score, tuple(reasons))


def rank_sites(
    text: str,
    toponyms: Sequence[Toponym],
    *,
    triggers: Sequence[tuple[int, int]] = (),
    sentence_start: int = 0,
    sentence_end: int | None = None,
) -> list[SiteCandidate]:
    """Score the toponyms lying in one sentence, best first (organisation names left out)."""
    end = len(text) if sentence_end is None else sentence_end
    ranked = [
        c
        for t in toponyms
        if sentence_start <= t.start < end
        for c in [score_site(text, t, triggers=triggers, sentence_start=sentence_start, sentence_end=end)]
        if c is not None
    ]
    ranked.sort(key=lambda c: (-c.score, c.toponym.start))
    return ranked


def contains(outer: Toponym, inner: Toponym) -> bool:
    """True when ``inner`` is a finer place inside ``outer`` (same province or country)."""
    if not outer.resolved or not inner.resolved or outer.place_id == inner.place_id:
        return False
    if outer.feature == "country":
        return inner.country == outer.country and inner.feature != "country"
    if outer.feature == "admin1":
        return bool(outer.admin1_code) and inner.admin1_code == outer.admin1_code and inner.feature not in _COARSE
    if outer.feature in ("region", "desert") and outer.radius_km and inner.lat is not None and outer.lat is not None:
        return inner.feature not in _COARSE and _distance_km(outer, inner) <= outer.radius_km and inner.radius_km < outer.radius_km
    return False


def _distance_km(a: Toponym, b: Toponym) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))  # type: ignore[arg-type]
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


#: How far below the best a finer place inside it may score and still be chosen.
REFINE_MARGIN = 2.5


def choose_site(candidates: Sequence[SiteCandidate]) -> SiteCandidate | None:
    """The event site among scored candidates of one incident.

    Takes the best score, then a finer place lying inside it when that place is named with a
    strong locative word and scores within :data:`REFINE_MARGIN` ("in the Nukhayb desert in
    Anbar"),
    then, if the choice did not resolve, the best resolved candidate (up the hierarchy).
    """
    if not candidates:
        return None
    ranked = sorted(candidates, key=lambda c: (-c.score, c.toponym.start))
    best = ranked[0]
    improved = True
    while improved:
        improved = False
        for candidate in ranked:
            if (
                candidate.strong
                and candidate.score >= best.score - REFINE_MARGIN
                and contains(best.toponym, candidate.toponym)
            ):
                best = candidate
                improved = True
                break
    if not best.toponym.resolved:
        resolved = [c for c in ranked if c.toponym.resolved and c.score > -2.0]
        if resolved:
            fallback = resolved[0]
            return SiteCandidate(fallback.toponym, fallback.score, fallback.reasons + ("fallback",))
    return best


def direction_before(text: str, toponym: Toponym, *, sentence_start: int = 0) -> str | None:
    """The direction word right before a toponym ("eastern Syria" -> "east"), or None."""
    m = _DIRECTION_RE.search(text, max(sentence_start, toponym.start - 30), toponym.start)
    if not m:
        return None
    return re.sub(r"[\s-]", "", m.group("dir").lower())


def site_location(
    toponym: Toponym,
    *,
    direction: str | None = None,
    geo_precision: int | None = None,
) -> Location:
    """The :class:`~incidents.model.Location` of an event site.

    A direction on a province or country ("eastern Syria") moves the point half its radius
    that way and halves the radius; the admin-1 code of a country is then left for the
    spatial join.
    """
    lat, lon, radius = toponym.lat, toponym.lon, toponym.radius_km
    admin1_code = toponym.admin1_code
    if direction and lat is not None and lon is not None and radius and toponym.feature in ("country", "admin1", "region", "desert"):
        east, north = DIRECTIONS.get(direction, (0.0, 0.0))
        shift = radius / 2
        lat = lat + north * shift / KM_PER_DEGREE
        lon = lon + east * shift / (KM_PER_DEGREE * max(math.cos(math.radians(lat)), 0.1))
        radius = radius / 2
        if toponym.feature == "country":
            admin1_code = None
    precision = geo_precision if geo_precision is not None else toponym.geo_precision
    return Location(
        name=toponym.text,
        lat=lat,
        lon=lon,
        country=toponym.country,
        admin1=None,
        admin1_code=admin1_code,
        place_id=toponym.place_id,
        feature=toponym.feature,
        geo_precision=max(1, min(3, int(precision))),
        radius_km=float(radius or 0.0),
    )
