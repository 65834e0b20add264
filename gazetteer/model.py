"""Records the gazetteer returns: places and the toponyms found in text."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

#: The small feature vocabulary of :attr:`Place.feature`, broadest first.
FEATURES: tuple[str, ...] = (
    "country",
    "admin1",
    "admin2",
    "region",
    "desert",
    "border",
    "city",
    "town",
    "village",
    "locality",
    "landmark",
)


@dataclass(frozen=True, slots=True)
class Place:
    """A place in the index.

    ``place_id`` is stable across builds: ``gn:<geonameid>``, ``gns:<ufi>``, ``ne:<iso3166-2>``,
    ``cc:<ISO alpha-2>`` or ``sup:<slug>``. ``country`` is ISO 3166-1 alpha-2; ``admin1_code``
    ISO 3166-2 where known. ``radius_km`` is the extent of the place (0 for a point town).
    ``score`` is the lookup's confidence in [0, 1]; ``match`` says how the query matched
    (``exact``, ``alternate``, ``folded``, ``fuzzy``).
    """

    place_id: str
    name: str
    lat: float
    lon: float
    country: str | None
    admin1_code: str | None
    feature: str
    population: int
    source: str
    score: float = 0.0
    radius_km: float = 0.0
    admin1: str | None = None
    match: str = "exact"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Toponym:
    """A place name found in text, ``text == document[start:end]``, and where it resolved.

    Unresolved toponyms have ``place_id`` None and no coordinates. ``geo_precision`` is ACLED's
    code (1 the town itself, 2 near a place / part of a region, 3 a province or larger).
    ``relation`` is set for derived locations ("south of", "30 km west of", "near", "border"),
    with ``anchor`` the place it is relative to, and is ``"demonym"`` for a nationality word
    reported as its country ("Iraqi", only when asked for: ``geoparse(..., demonyms=True)``). ``in_organisation`` marks names inside an
    organisation name ("Anbar Police Command"): context, not an event site.
    """

    start: int
    end: int
    text: str
    place_id: str | None
    name: str | None
    lat: float | None
    lon: float | None
    country: str | None
    admin1_code: str | None
    feature: str | None
    geo_precision: int
    radius_km: float
    score: float
    relation: str | None = None
    anchor: str | None = None
    in_organisation: bool = False

    @property
    def resolved(self) -> bool:
        return self.place_id is not None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
