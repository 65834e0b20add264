"""The article and incident records every part of Incident Atlas passes around.

Plain frozen dataclasses. Field names follow ACLED and UCDP where those have a word for the
thing (``event_type``, ``sub_event_type``, ``actor1``, ``geo_precision``, ``where_prec``,
``time_precision``). Coordinates are WGS84 degrees; ``radius_km`` is the radius of the area
the event could be in.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Mapping, Sequence

EVENT_TYPES: tuple[str, ...] = (
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Strategic developments",
    "Protests",
    "Riots",
)


def canonical_event_types(names: Sequence[str]) -> list[str]:
    """The :data:`EVENT_TYPES` spelled by ``names`` in any case ("battles" -> "Battles").

    Raises
    ------
    ValueError
        A name is no event type; the message lists them.
    """
    by_lower = {t.lower(): t for t in EVENT_TYPES}
    unknown = [n for n in names if str(n).strip().lower() not in by_lower]
    if unknown:
        raise ValueError(f"unknown event type(s) {unknown!r}; use one of {list(EVENT_TYPES)!r}")
    return [by_lower[str(n).strip().lower()] for n in names]

#: ``time_precision`` vocabulary, finest first.
TIME_PRECISIONS: tuple[str, ...] = ("day", "week", "month", "year")

#: Evidence roles the dashboard highlights.
EVIDENCE_ROLES: tuple[str, ...] = ("trigger", "place", "date", "count", "actor")

#: ``status`` vocabulary: as extracted, confirmed by an analyst, corrected by one, or rejected
#: as no incident (kept with its audit trail, left out of maps, lists and exports).
STATUSES: tuple[str, ...] = ("machine", "reviewed", "edited", "rejected")
REJECTED = "rejected"


def article_id_for(text: str) -> str:
    """Content hash of an article's verbatim text: the same text is the same article."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Article:
    """One article as read, with its verbatim text.

    ``ref`` is the input's own id or url, else the file name (with ``:line`` for JSON Lines).
    ``published`` is the date relative expressions are resolved against; ``None`` when no
    metadata gave one. ``published_approximate`` marks a date inferred, not stated.
    """

    article_id: str
    text: str
    ref: str
    title: str | None = None
    published: date | None = None
    published_approximate: bool = False
    url: str | None = None
    source: str | None = None
    path: str | None = None
    warnings: tuple[str, ...] = ()

    @classmethod
    def from_text(cls, text: str, *, ref: str, **kwargs: Any) -> "Article":
        return cls(article_id=article_id_for(text), text=text, ref=ref, **kwargs)


@dataclass(frozen=True, slots=True)
class Evidence:
    """A character span ``text[start:end]`` of an article supporting one field."""

    start: int
    end: int
    role: str
    article_id: str | None = None


@dataclass(frozen=True, slots=True)
class Count:
    """A number of people, ACLED style: a range with a best guess and the words it came from."""

    low: int
    best: int
    high: int
    text: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"low": self.low, "best": self.best, "high": self.high, "text": self.text}


@dataclass(frozen=True, slots=True)
class Location:
    """Where an incident happened, with how precisely we know it.

    ``geo_precision`` is ACLED's code: 1 the named town itself, 2 near a place or part of a
    region, 3 a province or larger region. ``where_prec`` is UCDP's 1-7 when known.
    """

    name: str
    lat: float | None
    lon: float | None
    country: str | None = None
    admin1: str | None = None
    admin1_code: str | None = None
    place_id: str | None = None
    feature: str | None = None
    geo_precision: int = 3
    radius_km: float = 0.0
    where_prec: int | None = None
    join_flag: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


#: Flat column name -> :class:`Location` attribute, as tables, the store and CSV name them.
LOCATION_COLUMNS: dict[str, str] = {
    "location": "name",
    "place_id": "place_id",
    "feature": "feature",
    "latitude": "lat",
    "longitude": "lon",
    "geo_precision": "geo_precision",
    "where_prec": "where_prec",
    "radius_km": "radius_km",
    "country": "country",
    "admin1": "admin1",
    "admin1_code": "admin1_code",
    "join_flag": "join_flag",
}


def location_columns(loc: Location | None) -> dict[str, Any]:
    """The flat location columns of an incident (all None without a location)."""
    return {column: getattr(loc, attr) if loc else None for column, attr in LOCATION_COLUMNS.items()}


@dataclass(frozen=True, slots=True)
class Incident:
    """One incident: what, who, where, when, how many, and the words that say so."""

    incident_id: str
    event_type: str
    sub_event_type: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    assoc_actors: tuple[str, ...] = ()
    location: Location | None = None
    date_start: date | None = None
    date_end: date | None = None
    time_precision: str | None = None
    date_anchor: date | None = None
    date_text: str | None = None
    killed: Count | None = None
    injured: Count | None = None
    arrested: Count | None = None
    historical: bool = False
    summary: str = ""
    article_ids: tuple[str, ...] = ()
    article_ref: str | None = None
    title: str | None = None
    evidence: tuple[Evidence, ...] = ()
    status: str = "machine"
    source: str | None = None
    notes: str | None = None
    flags: tuple[str, ...] = ()
    extractor_version: str | None = None
    score: float | None = None

    @property
    def fatalities(self) -> int:
        """Best estimate of people killed (0 when unknown), as ACLED's ``fatalities``."""
        return self.killed.best if self.killed else 0

    def to_row(self) -> dict[str, Any]:
        """One flat row (the columns of :data:`ROW_COLUMNS`) for tables, maps and CSV."""
        loc = self.location
        row: dict[str, Any] = {
            "incident_id": self.incident_id,
            "event_type": self.event_type,
            "sub_event_type": self.sub_event_type,
            "actor1": self.actor1,
            "actor2": self.actor2,
            "assoc_actors": "; ".join(self.assoc_actors),
            **{k: v for k, v in location_columns(loc).items() if k != "feature"},
            "date_start": self.date_start,
            "date_end": self.date_end,
            "time_precision": self.time_precision,
            "date_text": self.date_text,
            "historical": self.historical,
            "summary": self.summary,
            "status": self.status,
            "source": self.source,
            "article_ids": ";".join(self.article_ids),
            "flags": ";".join(self.flags),
            "score": self.score,
        }
        for name in ("killed", "injured", "arrested"):
            c: Count | None = getattr(self, name)
            row[f"{name}_low"] = c.low if c else None
            row[f"{name}_best"] = c.best if c else None
            row[f"{name}_high"] = c.high if c else None
        row["fatalities"] = self.fatalities
        return row

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``incident-atlas extract --json`` (dates as ISO strings)."""

        def iso(d: date | None) -> str | None:
            return d.isoformat() if d else None

        def count(c: Count | None) -> dict[str, Any] | None:
            return c.to_dict() if c else None

        return {
            "incident_id": self.incident_id,
            "article_id": self.article_ids[0] if self.article_ids else None,
            "article_ids": list(self.article_ids),
            "article_ref": self.article_ref,
            "title": self.title,
            "event_type": self.event_type,
            "sub_event_type": self.sub_event_type,
            "actor1": self.actor1,
            "actor2": self.actor2,
            "assoc_actors": list(self.assoc_actors),
            "location": self.location.to_dict() if self.location else None,
            "date_start": iso(self.date_start),
            "date_end": iso(self.date_end),
            "time_precision": self.time_precision,
            "date_anchor": iso(self.date_anchor),
            "date_text": self.date_text,
            "killed": count(self.killed),
            "injured": count(self.injured),
            "arrested": count(self.arrested),
            "historical": self.historical,
            "evidence": [
                {"start": e.start, "end": e.end, "role": e.role, "article_id": e.article_id}
                for e in self.evidence
            ],
            "summary": self.summary,
            "status": self.status,
            "source": self.source,
            "notes": self.notes,
            "flags": list(self.flags),
            "extractor_version": self.extractor_version,
            "score": self.score,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Incident":
        """Inverse of :meth:`to_dict`."""

        def day(value: Any) -> date | None:
            return date.fromisoformat(value) if value else None

        def count(value: Any) -> Count | None:
            return Count(**value) if value else None

        loc = data.get("location")
        article_ids = tuple(data.get("article_ids") or ([data["article_id"]] if data.get("article_id") else []))
        return cls(
            incident_id=data["incident_id"],
            event_type=data["event_type"],
            sub_event_type=data.get("sub_event_type"),
            actor1=data.get("actor1"),
            actor2=data.get("actor2"),
            assoc_actors=tuple(data.get("assoc_actors") or ()),
            location=Location(**loc) if loc else None,
            date_start=day(data.get("date_start")),
            date_end=day(data.get("date_end")),
            time_precision=data.get("time_precision"),
            date_anchor=day(data.get("date_anchor")),
            date_text=data.get("date_text"),
            killed=count(data.get("killed")),
            injured=count(data.get("injured")),
            arrested=count(data.get("arrested")),
            historical=bool(data.get("historical", False)),
            summary=data.get("summary") or "",
            article_ids=article_ids,
            article_ref=data.get("article_ref"),
            title=data.get("title"),
            evidence=tuple(
                Evidence(e["start"], e["end"], e["role"], e.get("article_id"))
                for e in data.get("evidence") or ()
            ),
            status=data.get("status") or "machine",
            source=data.get("source"),
            notes=data.get("notes"),
            flags=tuple(data.get("flags") or ()),
            extractor_version=data.get("extractor_version"),
            score=data.get("score"),
        )


#: Columns of :meth:`Incident.to_row`, in order.
ROW_COLUMNS: tuple[str, ...] = (
    "incident_id", "event_type", "sub_event_type", "actor1", "actor2", "assoc_actors",
    "location", "place_id", "latitude", "longitude", "geo_precision", "where_prec",
    "radius_km", "country", "admin1", "admin1_code", "join_flag", "date_start", "date_end",
    "time_precision", "date_text", "historical", "summary", "status", "source", "article_ids",
    "flags", "score", "killed_low", "killed_best", "killed_high", "injured_low",
    "injured_best", "injured_high", "arrested_low", "arrested_best", "arrested_high",
    "fatalities",
)


@dataclass(frozen=True, slots=True)
class ReadProblem:
    """Something a reader could not read, with where and what to do."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.message}"


@dataclass(slots=True)
class ReadResult:
    """Articles read from some inputs, and the problems met on the way."""

    articles: list[Article] = field(default_factory=list)
    problems: list[ReadProblem] = field(default_factory=list)
