"""The incident store: articles, incidents, evidence spans and the analysts' audit log.

:class:`IncidentStore` is the only place in Incident Atlas that speaks SQL. Callers (the CLI,
the importers, the dashboard) see frozen dataclasses and DataFrames, so a PostgreSQL/PostGIS
store can be added later as a second class with the same methods, chosen by
:func:`open_store` from the target it is given.

The embedded default is one SQLite file in WAL mode: the dashboard reads while the CLI writes,
and writers wait up to ``timeout_s`` seconds for each other. Every write is one transaction:
an article with its incidents, evidence and links is stored whole or not at all, and a batch
import is stored whole or not at all. The schema is versioned (table ``schema_version``);
:data:`MIGRATIONS` are applied in order when a store is opened for writing, each in its own
transaction.

Dates
-----
Dates are stored as ISO ``YYYY-MM-DD`` text. :meth:`IncidentStore.incidents_frame` returns
``date_start`` and ``date_end`` as ``datetime64[ns]`` (NaT when unknown);
:meth:`IncidentStore.get_incident` returns :class:`datetime.date` values.
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import json
import shlex
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Self

import numpy as np
import pandas as pd

from gazetteer import settings
from incidents.errors import StoreError
from incidents.model import (
    EVENT_TYPES,
    REJECTED,
    ROW_COLUMNS,
    STATUSES,
    TIME_PRECISIONS,
    Article,
    Count,
    Evidence,
    Incident,
    Location,
    location_columns,
)

__all__ = [
    "ARTICLE_METADATA",
    "LATEST_VERSION",
    "LINK_WHO",
    "MIGRATIONS",
    "REDATED_FLAG",
    "REPLACING_METADATA",
    "AddIncidentsResult",
    "AddResult",
    "IncidentNotFound",
    "IncidentStore",
    "InvalidEdit",
    "LinkNotFound",
    "Migration",
    "NeedsMigration",
    "open_store",
]


class IncidentNotFound(StoreError, LookupError):
    """No incident with the id asked for."""


class InvalidEdit(StoreError, ValueError):
    """An analyst edit naming an unknown field or carrying a value the field cannot hold."""


class LinkNotFound(StoreError, LookupError):
    """An article that is not stored, or does not report the incident named."""


class NeedsMigration(StoreError):
    """A store opened read-only has an older schema: it must be opened once for writing."""


# -- schema ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Migration:
    """One step of the schema: applied once, in order of ``version``, in one transaction."""

    version: int
    description: str
    sql: str


_SCHEMA_1 = """
CREATE TABLE articles (
    article_id TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    ref TEXT NOT NULL,
    title TEXT,
    published TEXT,
    published_approximate INTEGER NOT NULL DEFAULT 0,
    url TEXT,
    source TEXT,
    path TEXT,
    warnings TEXT NOT NULL DEFAULT '',
    added_at TEXT NOT NULL
);
CREATE TABLE incidents (
    incident_id TEXT PRIMARY KEY,
    event_type TEXT NOT NULL,
    sub_event_type TEXT,
    actor1 TEXT,
    actor2 TEXT,
    assoc_actors TEXT NOT NULL DEFAULT '',
    has_location INTEGER NOT NULL DEFAULT 0,
    location TEXT,
    place_id TEXT,
    feature TEXT,
    latitude REAL,
    longitude REAL,
    geo_precision INTEGER,
    where_prec INTEGER,
    radius_km REAL,
    country TEXT,
    admin1 TEXT,
    admin1_code TEXT,
    join_flag TEXT,
    date_start TEXT,
    date_end TEXT,
    time_precision TEXT,
    date_anchor TEXT,
    date_text TEXT,
    killed_low INTEGER, killed_best INTEGER, killed_high INTEGER, killed_text TEXT,
    injured_low INTEGER, injured_best INTEGER, injured_high INTEGER, injured_text TEXT,
    arrested_low INTEGER, arrested_best INTEGER, arrested_high INTEGER, arrested_text TEXT,
    historical INTEGER NOT NULL DEFAULT 0,
    summary TEXT NOT NULL DEFAULT '',
    article_ref TEXT,
    title TEXT,
    status TEXT NOT NULL DEFAULT 'machine',
    source TEXT,
    notes TEXT,
    flags TEXT NOT NULL DEFAULT '',
    extractor_version TEXT,
    score REAL,
    added_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE evidence (
    incident_id TEXT NOT NULL REFERENCES incidents(incident_id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    article_id TEXT,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    role TEXT NOT NULL,
    PRIMARY KEY (incident_id, seq)
);
CREATE TABLE incident_articles (
    incident_id TEXT NOT NULL REFERENCES incidents(incident_id) ON DELETE CASCADE,
    article_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (incident_id, article_id)
);
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    incident_id TEXT NOT NULL,
    field TEXT NOT NULL,
    old TEXT,
    new TEXT
);
"""

_SCHEMA_2 = """
CREATE INDEX incidents_date_start ON incidents(date_start);
CREATE INDEX incidents_admin1_code ON incidents(admin1_code);
CREATE INDEX incidents_event_type ON incidents(event_type);
CREATE INDEX incidents_country ON incidents(country);
CREATE INDEX incident_articles_article ON incident_articles(article_id);
CREATE INDEX evidence_article ON evidence(article_id);
CREATE INDEX audit_log_incident ON audit_log(incident_id);
"""

_SCHEMA_3 = """
CREATE INDEX incidents_type_dates ON incidents(event_type, date_start, date_end);
CREATE TABLE incident_reports (
    incident_id TEXT NOT NULL REFERENCES incidents(incident_id) ON DELETE CASCADE,
    article_id TEXT NOT NULL,
    report_id TEXT NOT NULL,
    record TEXT NOT NULL,
    score REAL,
    reasons TEXT NOT NULL DEFAULT '',
    linked_at TEXT NOT NULL,
    PRIMARY KEY (incident_id, article_id)
);
"""

_REPORT_COUNT_COLUMNS = tuple(f"{c}_{part}" for c in ("killed", "injured", "arrested")
                              for part in ("low", "best", "high", "text"))

_SCHEMA_4 = "".join(
    f"ALTER TABLE incident_reports ADD COLUMN {column} "
    f"{'TEXT' if column.endswith('_text') else 'INTEGER'};\n"
    for column in _REPORT_COUNT_COLUMNS
) + "UPDATE incident_reports SET " + ", ".join(
    f"{column} = json_extract(record, '$.{column.rsplit('_', 1)[0]}.{column.rsplit('_', 1)[1]}')"
    for column in _REPORT_COUNT_COLUMNS
) + ";\n"

#: The schema, step by step. Append new steps; never edit a released one.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "articles, incidents, evidence, incident_articles, audit_log", _SCHEMA_1),
    Migration(2, "indexes for the dashboard filters and article lookups", _SCHEMA_2),
    Migration(3, "incident_reports: each article's own report of a linked incident; "
                 "index on event type and date for the linker's candidates", _SCHEMA_3),
    Migration(4, "each report's counts as columns of incident_reports (merged in SQL)",
              _SCHEMA_4),
)

#: Schema version this code writes.
LATEST_VERSION = MIGRATIONS[-1].version

#: Columns of the ``incidents`` table, in order.
INCIDENT_COLUMNS: tuple[str, ...] = (
    "incident_id", "event_type", "sub_event_type", "actor1", "actor2", "assoc_actors",
    "has_location", "location", "place_id", "feature", "latitude", "longitude",
    "geo_precision", "where_prec", "radius_km", "country", "admin1", "admin1_code",
    "join_flag", "date_start", "date_end", "time_precision", "date_anchor", "date_text",
    "killed_low", "killed_best", "killed_high", "killed_text",
    "injured_low", "injured_best", "injured_high", "injured_text",
    "arrested_low", "arrested_best", "arrested_high", "arrested_text",
    "historical", "summary", "article_ref", "title", "status", "source", "notes", "flags",
    "extractor_version", "score", "added_at", "updated_at",
)

_ARTICLE_COLUMNS: tuple[str, ...] = (
    "article_id", "text", "ref", "title", "published", "published_approximate", "url",
    "source", "path", "warnings", "added_at",
)

#: Who the audit log names for links made at ingest (:meth:`IncidentStore.add_article`).
LINK_WHO = "ingest:link"

#: Flag of an incident an analyst reviewed, edited or rejected whose article was re-ingested
#: with another publication date or other metadata (:meth:`IncidentStore.replace_article`):
#: kept as the analyst left it, its dates may need a look.
REDATED_FLAG = "source_redated"

#: Article metadata :meth:`IncidentStore.replace_article` replaces (the text, hence the id,
#: stays the same).
ARTICLE_METADATA: tuple[str, ...] = ("published", "published_approximate", "title", "url",
                                     "source", "ref", "path", "warnings")

#: Article metadata whose change makes ``ingest --replace`` replace a stored article: the
#: rest (the file's name or folder, reader warnings) changes with where a copy was read.
REPLACING_METADATA: tuple[str, ...] = ("published", "published_approximate", "title", "url",
                                       "source")

#: Separator of list values (assoc_actors, flags, warnings) inside one text column.
_LIST_SEP = "\x1f"

#: Joins a report to its article's link position (``l``): reports in link order.
_REPORT_ORDER_JOIN = ("LEFT JOIN incident_articles l ON l.incident_id = r.incident_id "
                      "AND l.article_id = r.article_id")

_LOCATION_COLUMNS = ("location", "place_id", "feature", "latitude", "longitude",
                     "geo_precision", "where_prec", "radius_km", "country", "admin1",
                     "admin1_code", "join_flag")
_COUNTS = ("killed", "injured", "arrested")
_INT_COLUMNS = ("geo_precision", "where_prec") + tuple(
    f"{c}_{part}" for c in _COUNTS for part in ("low", "best", "high")
)
_FLOAT_COLUMNS = ("latitude", "longitude", "radius_km", "score")
_DATE_COLUMNS = ("date_start", "date_end", "date_anchor")
_LIST_COLUMNS = ("assoc_actors", "flags")
_TEXT_ROW_COLUMNS = ("incident_id", "event_type", "sub_event_type", "actor1", "actor2",
                     "location", "place_id", "country", "admin1", "admin1_code", "join_flag",
                     "time_precision", "date_text", "summary", "status", "source")

#: Fields :meth:`IncidentStore.update_incident` accepts (the flat names of the table).
EDITABLE_FIELDS: frozenset[str] = frozenset(INCIDENT_COLUMNS) - {
    "incident_id", "has_location", "added_at", "updated_at",
}


# -- results ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AddResult:
    """What :meth:`IncidentStore.add_article` did with one article.

    ``status`` is ``"added"``, ``"duplicate"`` (the article id was already stored; nothing
    was written) or ``"replaced"`` (:meth:`IncidentStore.replace_article`). ``incidents_added``
    counts new incident rows; ``incidents_linked`` counts incidents already stored that this
    article now also reports. A replacement also tells the incidents it ``removed`` (machine
    incidents only this article reported), those it ``detached`` this article's report from
    (machine incidents other articles report too), the ids of those it ``kept`` as an analyst
    left them (reviewed, edited or rejected: flagged :data:`REDATED_FLAG`), and the
    publication date the article had before (``previous_published``).
    """

    article_id: str
    ref: str
    status: str
    incidents_added: int = 0
    incidents_linked: int = 0
    incidents_removed: int = 0
    incidents_detached: int = 0
    kept: tuple[str, ...] = ()
    previous_published: date | None = None


@dataclass(frozen=True, slots=True)
class AddIncidentsResult:
    """What :meth:`IncidentStore.add_incidents` did: rows given, new, already stored."""

    received: int
    added: int
    already_present: int


# -- helpers ---------------------------------------------------------------------------------


def _require_who(who: str | None, action: str) -> None:
    """An analyst's name is required for the audit log."""
    if not who or not str(who).strip():
        raise InvalidEdit(f"{action} needs who= (the analyst's name) for the audit log")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _join_list(values: Sequence[str]) -> str:
    return _LIST_SEP.join(values)


def _split_list(value: str | None) -> tuple[str, ...]:
    return tuple(value.split(_LIST_SEP)) if value else ()


def _stored_list(value: Any) -> str:
    """A list column as stored: lists/tuples, or ``;``-joined text as ``to_row`` writes."""
    if isinstance(value, (list, tuple)):
        return _join_list([str(v) for v in value])
    if isinstance(value, str) and value.strip():
        return _join_list([part.strip() for part in value.split(";") if part.strip()])
    return ""


def _incident_record(incident: Incident, now: str) -> tuple[Any, ...]:
    """One ``incidents`` row (in :data:`INCIDENT_COLUMNS` order) for ``incident``."""
    loc = incident.location
    record: dict[str, Any] = {
        "incident_id": incident.incident_id,
        "event_type": incident.event_type,
        "sub_event_type": incident.sub_event_type,
        "actor1": incident.actor1,
        "actor2": incident.actor2,
        "assoc_actors": _join_list(incident.assoc_actors),
        "has_location": int(loc is not None),
        "date_start": _iso(incident.date_start),
        "date_end": _iso(incident.date_end),
        "time_precision": incident.time_precision,
        "date_anchor": _iso(incident.date_anchor),
        "date_text": incident.date_text,
        "historical": int(incident.historical),
        "summary": incident.summary,
        "article_ref": incident.article_ref,
        "title": incident.title,
        "status": incident.status,
        "source": incident.source,
        "notes": incident.notes,
        "flags": _join_list(incident.flags),
        "extractor_version": incident.extractor_version,
        "score": incident.score,
        "added_at": now,
        "updated_at": now,
    }
    record.update(location_columns(loc))
    for name in _COUNTS:
        c: Count | None = getattr(incident, name)
        record[f"{name}_low"] = c.low if c else None
        record[f"{name}_best"] = c.best if c else None
        record[f"{name}_high"] = c.high if c else None
        record[f"{name}_text"] = c.text if c else None
    return tuple(record[c] for c in INCIDENT_COLUMNS)


def _incident_from_record(row: Mapping[str, Any], evidence: tuple[Evidence, ...],
                          article_ids: tuple[str, ...]) -> Incident:
    location = None
    if row["has_location"]:
        location = Location(
            name=row["location"] if row["location"] is not None else "",
            lat=row["latitude"],
            lon=row["longitude"],
            country=row["country"],
            admin1=row["admin1"],
            admin1_code=row["admin1_code"],
            place_id=row["place_id"],
            feature=row["feature"],
            geo_precision=row["geo_precision"] if row["geo_precision"] is not None else 3,
            radius_km=row["radius_km"] if row["radius_km"] is not None else 0.0,
            where_prec=row["where_prec"],
            join_flag=row["join_flag"],
        )
    counts: dict[str, Count | None] = {}
    for name in _COUNTS:
        best = row[f"{name}_best"]
        counts[name] = None if best is None else Count(
            low=row[f"{name}_low"] if row[f"{name}_low"] is not None else best,
            best=best,
            high=row[f"{name}_high"] if row[f"{name}_high"] is not None else best,
            text=row[f"{name}_text"] or "",
        )
    return Incident(
        incident_id=row["incident_id"],
        event_type=row["event_type"],
        sub_event_type=row["sub_event_type"],
        actor1=row["actor1"],
        actor2=row["actor2"],
        assoc_actors=_split_list(row["assoc_actors"]),
        location=location,
        date_start=_day(row["date_start"]),
        date_end=_day(row["date_end"]),
        time_precision=row["time_precision"],
        date_anchor=_day(row["date_anchor"]),
        date_text=row["date_text"],
        historical=bool(row["historical"]),
        summary=row["summary"] or "",
        article_ids=article_ids,
        article_ref=row["article_ref"],
        title=row["title"],
        evidence=evidence,
        status=row["status"],
        source=row["source"],
        notes=row["notes"],
        flags=_split_list(row["flags"]),
        extractor_version=row["extractor_version"],
        score=row["score"],
        **counts,
    )


def _records_from_frame(frame: pd.DataFrame, *, source: str, now: str) -> list[tuple[Any, ...]]:
    """``incidents`` rows from a frame with :data:`ROW_COLUMNS` names (vectorised).

    Extra columns named like the table (``notes``, ``feature``, ``killed_text``,
    ``date_anchor``, ...) are stored too; missing ones are NULL. ``assoc_actors`` and
    ``flags`` may be lists/tuples or ``;``-joined text (as :meth:`Incident.to_row` writes).
    """
    n = len(frame)
    out: dict[str, pd.Series] = {}
    for column in INCIDENT_COLUMNS:
        if column in frame.columns:
            out[column] = frame[column].reset_index(drop=True)
        else:
            out[column] = pd.Series([None] * n, dtype=object)
    for column in _DATE_COLUMNS:
        values = out[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            days = values.to_numpy(dtype="datetime64[D]")
            text = np.datetime_as_string(days, unit="D").astype(object)
            text[np.isnat(days)] = None
            out[column] = pd.Series(text, dtype=object)
        else:
            out[column] = values.map(lambda v: v.isoformat()[:10] if isinstance(v, date) else v)
    for column in _LIST_COLUMNS:
        values = out[column]
        if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
            out[column] = (values.astype(object).where(values.notna(), "").astype(str)
                           .str.replace(r"\s*;\s*", _LIST_SEP, regex=True).str.strip()
                           .str.strip(_LIST_SEP))
        else:
            out[column] = values.map(_stored_list)
    has_location = pd.Series(False, index=range(n))
    for column in ("location", "latitude", "longitude"):
        has_location |= out[column].notna()
    out["has_location"] = has_location.astype(int)
    out["source"] = out["source"].where(out["source"].notna(), source)
    out["status"] = out["status"].where(out["status"].notna(), "machine")
    out["summary"] = out["summary"].where(out["summary"].notna(), "")
    historical = out["historical"].astype(object)
    out["historical"] = historical.where(historical.notna(), False).astype(bool).astype(int)
    out["geo_precision"] = out["geo_precision"].where(
        out["geo_precision"].notna() | ~has_location, 3)
    out["radius_km"] = out["radius_km"].where(out["radius_km"].notna() | ~has_location, 0.0)
    out["location"] = out["location"].where(out["location"].notna() | ~has_location, "")
    out["added_at"] = pd.Series([now] * n, dtype=object)
    out["updated_at"] = out["added_at"]
    missing_type = out["event_type"].isna()
    if missing_type.any():
        first = int(np.flatnonzero(missing_type.to_numpy())[0])
        raise InvalidEdit(
            f"incident {out['incident_id'].iloc[first]!r} has no event_type; give one of "
            f"{list(EVENT_TYPES)!r}"
        )
    for column in _INT_COLUMNS:
        out[column] = pd.to_numeric(out[column], errors="coerce").astype("Int64")
    columns = []
    for column in INCIDENT_COLUMNS:
        values = out[column].astype(object)
        columns.append(values.where(values.notna(), None).tolist())
    return list(zip(*columns))


def _statements(script: str) -> list[str]:
    """The SQL statements of a migration script, split where SQLite sees a statement end
    (:func:`sqlite3.complete_statement`: a ``;`` inside a string or a trigger body is no end).
    """
    statements: list[str] = []
    pending = ""
    for piece in script.split(";")[:-1]:
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    pending += script.split(";")[-1]
    if pending.strip():
        raise StoreError(f"migration SQL ends inside a statement: {pending.strip()[:80]!r}; "
                         "end it with ';'")
    return statements


# -- the store -------------------------------------------------------------------------------


def _describe(exc: sqlite3.Error, path: Path, timeout_s: float) -> str:
    text = str(exc)
    lowered = text.lower()
    if "locked" in lowered or "busy" in lowered:
        return (f"the store {str(path)!r} is locked by another writer (waited {timeout_s:g} s); "
                "wait for the other ingest/import to finish and run the command again")
    if "disk is full" in lowered or "disk i/o" in lowered:
        return (f"could not write the store {str(path)!r} ({text}); the unfinished transaction "
                "was rolled back, free some disk space and run the command again")
    if "not a database" in lowered or "malformed" in lowered:
        return (f"{str(path)!r} is not an Incident Atlas store (SQLite says: {text}); pass "
                "another --db path or move this file away")
    if "readonly" in lowered or "read-only" in lowered:
        return (f"the store {str(path)!r} is read-only ({text}); open it for writing or "
                "check the file's permissions")
    if "unable to open" in lowered:
        return (f"cannot open the store {str(path)!r} ({text}); check that the folder exists "
                "and is writable, or pass another --db path")
    return f"store {str(path)!r}: {text}"


class IncidentStore:
    """Articles, incidents, evidence and the audit log in one SQLite file (WAL mode).

    Parameters
    ----------
    path : str or Path
        The SQLite file; created (with its folder) when missing unless ``readonly``.
    readonly : bool, keyword-only
        Open for reading only (the dashboard): the file must exist and be at the schema
        version this code writes (else :class:`NeedsMigration`, naming the command that
        migrates it).
    timeout_s : float, keyword-only
        How long a write waits for another writer before :class:`StoreError` (seconds).

    Use it as a context manager (``with IncidentStore(path) as store:``) or call
    :meth:`close`. One store object may be shared between threads; calls are serialised.

    Raises
    ------
    StoreError
        The file is not a SQLite database, has a newer schema than this code knows, is
        locked past ``timeout_s``, or cannot be created.
    """

    def __init__(self, path: str | Path, *, readonly: bool = False, timeout_s: float = 10.0
                 ) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self.timeout_s = float(timeout_s)
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        if readonly and not self.path.is_file():
            raise StoreError(
                f"no store at {str(self.path)!r}; run 'incident-atlas ingest' or "
                "'incident-atlas import' first, or pass the right --db path"
            )
        if not readonly:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"cannot create the folder of the store {str(self.path)!r} ({exc}); pass "
                    "another --db path"
                ) from exc
        with self._errors():
            self._conn = self._connect()
            try:
                self._prepare()
            except BaseException:
                self._conn.close()
                self._conn = None
                raise

    # -- connection --------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        if self.readonly:
            uri = f"{self.path.resolve().as_uri()}?mode=ro"
            conn = sqlite3.connect(uri, uri=True, timeout=self.timeout_s,
                                   isolation_level=None, check_same_thread=False)
        else:
            conn = sqlite3.connect(self.path, timeout=self.timeout_s, isolation_level=None,
                                   check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {int(self.timeout_s * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA temp_store = MEMORY")  # the id lists of IN (...) queries
        return conn

    def _prepare(self) -> None:
        conn = self._connection
        # reading the schema first makes "file is not a database" surface here
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if tables and "schema_version" not in tables:
            raise StoreError(
                f"{str(self.path)!r} is a SQLite database but not an Incident Atlas store "
                f"(tables {sorted(tables)!r}); pass another --db path"
            )
        version = self._version() if tables else 0
        if version > LATEST_VERSION:
            raise StoreError(
                f"the store {str(self.path)!r} has schema version {version!r}, newer than "
                f"this Incident Atlas knows ({LATEST_VERSION!r}); upgrade incident-atlas"
            )
        if self.readonly:
            if version < LATEST_VERSION:
                raise NeedsMigration(
                    f"the store {str(self.path)!r} has schema version {version!r} and needs "
                    f"migrating to {LATEST_VERSION!r}; run "
                    f"'incident-atlas list --db {shlex.quote(str(self.path))}' once (it "
                    "migrates a store it may write), then open it again"
                )
            return
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise StoreError(
                f"the store {str(self.path)!r} could not switch to WAL mode (got {mode!r}); "
                "put it on a local disk, not a network share"
            )
        conn.execute("PRAGMA synchronous = NORMAL")
        if version < LATEST_VERSION:  # an up-to-date store opens without the write lock
            self._migrate(LATEST_VERSION)

    def _version(self) -> int:
        row = self._connection.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0] or 0)

    def _migrate(self, target: int) -> None:
        """Apply the migrations above the stored version up to ``target``, each atomically."""
        conn = self._connection
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
            "description TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        for migration in MIGRATIONS:
            if migration.version > target:
                break
            with self._transaction() as tx:
                # re-read under the write lock: another process may have migrated meanwhile
                if self._version() >= migration.version:
                    continue
                for statement in _statements(migration.sql):
                    tx.execute(statement)
                tx.execute(
                    "INSERT INTO schema_version (version, description, applied_at) "
                    "VALUES (?, ?, ?)",
                    (migration.version, migration.description, _now()),
                )

    @property
    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"the store {str(self.path)!r} is closed; open it again")
        return self._conn

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        """Turn SQLite errors into :class:`StoreError` with a message saying what to do."""
        try:
            yield
        except sqlite3.Error as exc:
            raise StoreError(_describe(exc, self.path, self.timeout_s)) from exc

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed whole on success, rolled back on any exception."""
        if self.readonly:
            raise StoreError(
                f"the store {str(self.path)!r} was opened read-only; open it without "
                "readonly=True to write"
            )
        conn = self._connection
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            # SQLite may already have rolled back (a full disk does): roll back only if open
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        """Close the connection (idempotent)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = "readonly" if self.readonly else "read-write"
        return f"IncidentStore({str(self.path)!r}, {mode})"

    @property
    def schema_version(self) -> int:
        """The schema version of the open file."""
        with self._lock, self._errors():
            return self._version()

    # -- writing -----------------------------------------------------------------------

    def has_article(self, article_id: str) -> bool:
        """True when an article with this id is stored (ingest skips extracting it)."""
        with self._lock, self._errors():
            row = self._connection.execute(
                "SELECT 1 FROM articles WHERE article_id = ?", (article_id,)).fetchone()
            return row is not None

    def add_article(self, article: Article, incidents: Sequence[Incident], *,
                    links: Mapping[str, Any] | None = None,
                    who: str = LINK_WHO) -> AddResult:
        """Store one article with the incidents extracted from it, in one transaction.

        The article, its incidents, their evidence spans and the incident-article links are
        written together or not at all. An article whose ``article_id`` is already stored
        is a no-op (``status="duplicate"``). An incident whose id is already stored (another
        article reported it) is not overwritten: it gets a link to this article and this
        article's evidence spans.

        Parameters
        ----------
        article : Article
        incidents : sequence of Incident
            The article's incidents.
        links : mapping, keyword-only
            Incoming incident id -> :class:`incidents.linking.Link` (``target_id``,
            ``score``, ``reasons``): that incident reports the stored incident
            ``target_id``. The stored incident keeps its id and record and gains the
            article, the evidence and the report itself (kept so that
            :meth:`unlink` can split it off again); when its ``status`` is ``"machine"``
            its counts become those of :func:`incidents.linking.merge_reports` over all its
            reports (union range, flag ``reports_disagree:<count>``); a reviewed or edited
            incident is only linked, never changed. A target that is gone, or already
            reports this article through another of its incidents, is not linked: the
            incident is stored as its own.
        who : str, keyword-only
            Who made the links, for the audit log (default ``"ingest:link"``): each link
            writes ``article_ids`` (old and new lists) and every column the merge changed
            (counts, flags) on the stored incident, in the same transaction, so
            :meth:`audit_log` tells when a report was added. An incident stored again under
            its own id (another article of it) logs ``article_ids`` too.

        Raises
        ------
        StoreError
            The store is locked, the disk is full, or an incident cannot be stored (for
            example it has no ``event_type``); nothing of the article is written.
        """
        now = _now()
        links = links or {}
        with self._lock, self._errors(), self._transaction() as tx:
            cursor = tx.execute(
                f"INSERT OR IGNORE INTO articles ({', '.join(_ARTICLE_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(_ARTICLE_COLUMNS))})",
                (article.article_id, article.text, article.ref, article.title,
                 _iso(article.published), int(article.published_approximate), article.url,
                 article.source, article.path, _join_list(article.warnings), now),
            )
            if cursor.rowcount == 0:
                return AddResult(article.article_id, article.ref, "duplicate")
            added, linked = self._store_incidents(tx, article, incidents, links, now, who)
            return AddResult(article.article_id, article.ref, "added", len(added), len(linked))

    def _store_incidents(self, tx: sqlite3.Connection, article: Article,
                         incidents: Sequence[Incident], links: Mapping[str, Any], now: str,
                         who: str) -> tuple[list[str], list[str]]:
        """Store an article's incidents (new ones, or reports linked to stored ones).

        Returns the ids of the incidents added and of the stored incidents linked to.
        """
        added: list[str] = []
        linked: list[str] = []
        for incident in incidents:
            evidence = tuple(e if e.article_id else replace(e, article_id=article.article_id)
                             for e in incident.evidence)
            link = links.get(incident.incident_id)
            if link is not None and self._can_link(tx, link.target_id, article.article_id):
                self._add_report(tx, link, replace(incident, evidence=evidence),
                                 article.article_id, now, who=who)
                linked.append(link.target_id)
                continue
            new = self._insert_incident(tx, incident, now)
            (added if new else linked).append(incident.incident_id)
            ids = incident.article_ids if article.article_id in incident.article_ids else (
                *incident.article_ids, article.article_id)
            old_ids = [] if new else self._article_ids(tx, incident.incident_id)
            self._link(tx, incident.incident_id, ids)
            if not new:
                self._audit(tx, now, who, [(incident.incident_id, "article_ids",
                                            json.dumps(old_ids), json.dumps(
                                                self._article_ids(tx, incident.incident_id)))])
            self._insert_evidence(tx, incident.incident_id,
                                  incident.evidence if new else evidence)
        return added, linked

    def replace_article(self, article: Article, incidents: Sequence[Incident], *, who: str,
                        find_links: Callable[[Sequence[Incident]], Sequence[Any]] | None = None
                        ) -> AddResult:
        """Replace a stored article's metadata and incidents (a re-dated article), in one
        transaction.

        The article (same text, so same id) gets ``article``'s publication date and the
        rest of :data:`ARTICLE_METADATA`; ``incidents`` are its incidents extracted again
        (against the new date). What the article reported before:

        - a machine incident only this article reports is removed (its last record stays in
          the audit log);
        - a machine incident other articles (or an imported event's own record) report too
          loses this article's report, evidence and link, and is rebuilt from the reports
          left, as :meth:`unlink` does; the article's new incidents are then linked as
          linking decides (back to it, or elsewhere, or not at all);
        - an incident an analyst reviewed, edited or rejected is kept as it is, with this
          article's report: it gains the flag :data:`REDATED_FLAG` and a line in its notes,
          and the new incident extracted for it (the same extracted id) is not stored, so an
          analyst's work is never overwritten (a rejected incident stays rejected).

        A new incident whose id is still taken (by an incident this article was detached
        from) gets a fresh id, so that linking, not the id, decides whether it is that
        incident again.

        Parameters
        ----------
        article : Article
            The article as read again (its ``article_id`` must be stored).
        incidents : sequence of Incident
            Its incidents, extracted and spatially joined.
        who : str, keyword-only
            The analyst, for the audit log.
        find_links : callable, keyword-only
            New incidents -> links (:func:`incidents.linking.find_links` over this store),
            called inside the transaction, after the old incidents are gone; None stores
            every new incident as its own.

        Returns
        -------
        AddResult
            ``status="replaced"`` with the incidents added, linked, removed, detached and
            kept, and the previous publication date.

        The audit log gets, all with ``who``: on ``article:<article_id>`` the metadata
        that changed (``field`` ``article``, old and new as JSON objects); on every incident
        touched a ``reingest`` row (new: the article, its old and new date and what
        happened: ``removed``, ``detached``, ``kept``, ``added``, ``linked``), plus the
        removed incident's last ``record``, the ``article_ids`` and values a detachment
        changed, and the ``flags`` and ``notes`` of a kept incident.

        Raises
        ------
        InvalidEdit
            ``who`` is empty.
        LinkNotFound
            The article is not stored (ingest it without replacing).
        StoreError
            The store is locked, the disk is full, an incident cannot be stored, or
            ``find_links`` fails: nothing is written, the store is as it was.
        """
        _require_who(who, "replace_article")
        now = _now()
        aid = article.article_id
        with self._lock, self._errors(), self._transaction() as tx:
            stored = tx.execute("SELECT * FROM articles WHERE article_id = ?", (aid,)).fetchone()
            if stored is None:
                raise LinkNotFound(f"article {aid!r} ({article.ref!r}) is not stored in "
                                   f"{str(self.path)!r}; ingest it without --replace")
            new_meta = {"published": _iso(article.published),
                        "published_approximate": int(article.published_approximate),
                        "title": article.title, "url": article.url, "source": article.source,
                        "ref": article.ref, "path": article.path,
                        "warnings": _join_list(article.warnings)}
            old_meta = {c: stored[c] for c in ARTICLE_METADATA}
            changed_meta = [c for c in ARTICLE_METADATA if old_meta[c] != new_meta[c]]
            action = {"article_id": aid, "published": new_meta["published"],
                      "was": old_meta["published"]}

            reported = sorted({r[0] for r in tx.execute(
                "SELECT incident_id FROM incident_articles WHERE article_id = ? UNION "
                "SELECT incident_id FROM incident_reports WHERE article_id = ?", (aid, aid))})
            audit: list[tuple[str, str, str | None, str | None]] = []
            removed: list[str] = []
            detached: list[str] = []
            kept: list[str] = []
            stands_for: set[str] = set()  # extracted ids whose incident an analyst kept
            for incident_id in reported:
                row = tx.execute("SELECT * FROM incidents WHERE incident_id = ?",
                                 (incident_id,)).fetchone()
                articles = self._article_ids(tx, incident_id)
                sources = list(dict.fromkeys([*self._report_articles(tx, incident_id),
                                              *articles]))
                if row["status"] != "machine":
                    kept.append(incident_id)
                    report = self._report(tx, incident_id, aid)
                    stands_for.update([incident_id] + ([report.incident_id] if report else []))
                    audit.extend(self._flag_redated(tx, row, article, old_meta["published"],
                                                    who, now))
                    audit.append((incident_id, "reingest", None,
                                  json.dumps({**action, "action": "kept"})))
                elif sources == [aid]:
                    removed.append(incident_id)
                    record = self._get(incident_id)
                    tx.execute("DELETE FROM incidents WHERE incident_id = ?", (incident_id,))
                    audit += [(incident_id, "record",
                               json.dumps(record.to_dict(), ensure_ascii=False), None),
                              (incident_id, "article_ids", json.dumps(articles), None),
                              (incident_id, "reingest", None,
                               json.dumps({**action, "action": "removed"}))]
                else:
                    detached.append(incident_id)
                    remaining, _, changed = self._detach_report(tx, incident_id, aid, now)
                    audit.append((incident_id, "article_ids", json.dumps(articles),
                                  json.dumps(remaining)))
                    audit.extend((incident_id, c, _audit_text(c, old), _audit_text(c, new))
                                 for c, (old, new) in changed.items() if c != "has_location")
                    audit.append((incident_id, "reingest", None,
                                  json.dumps({**action, "action": "detached"})))

            fresh = [self._free_id(tx, i, article)
                     for i in incidents if i.incident_id not in stands_for]
            links = {lk.incident_id: lk for lk in (find_links(fresh) if find_links and fresh
                                                    else ())}
            added, linked = self._store_incidents(tx, article, fresh, links, now, who)
            audit.extend((i, "reingest", None, json.dumps({**action, "action": "added"}))
                         for i in added)
            audit.extend((i, "reingest", None, json.dumps({**action, "action": "linked"}))
                         for i in linked)

            tx.execute(f"UPDATE articles SET {', '.join(f'{c} = ?' for c in ARTICLE_METADATA)} "
                       "WHERE article_id = ?", (*(new_meta[c] for c in ARTICLE_METADATA), aid))
            shown = changed_meta or ["published"]
            audit.insert(0, (f"article:{aid}", "article",
                             json.dumps({c: old_meta[c] for c in shown}, ensure_ascii=False),
                             json.dumps({c: new_meta[c] for c in shown}, ensure_ascii=False)))
            self._audit(tx, now, who, audit)
            return AddResult(aid, article.ref, "replaced", len(added), len(linked),
                             incidents_removed=len(removed), incidents_detached=len(detached),
                             kept=tuple(kept), previous_published=_day(old_meta["published"]))

    def _flag_redated(self, tx: sqlite3.Connection, row: sqlite3.Row, article: Article,
                      was: str | None, who: str, now: str
                      ) -> list[tuple[str, str, str | None, str | None]]:
        """Flag an analyst's incident whose article was re-dated, and note it (its status
        and values stay); returns the audit rows."""
        incident_id = row["incident_id"]
        flags = list(_split_list(row["flags"]))
        note = (f"Article {article.ref} ({article.article_id}) re-ingested by {who} on "
                f"{now[:10]} with publication date {_iso(article.published) or 'none'} (was "
                f"{was or 'none'}); this incident was kept as the analyst left it: check its "
                "dates")
        notes = f"{row['notes']}\n{note}" if row["notes"] else note
        new_flags = _join_list([*flags, REDATED_FLAG]) if REDATED_FLAG not in flags else row["flags"]
        tx.execute("UPDATE incidents SET flags = ?, notes = ?, updated_at = ? "
                   "WHERE incident_id = ?", (new_flags, notes, now, incident_id))
        audit = [(incident_id, "notes", _audit_text("notes", row["notes"]),
                  _audit_text("notes", notes))]
        if new_flags != row["flags"]:
            audit.append((incident_id, "flags", _audit_text("flags", row["flags"]),
                          _audit_text("flags", new_flags)))
        return audit

    @staticmethod
    def _free_id(tx: sqlite3.Connection, incident: Incident, article: Article) -> Incident:
        """``incident``, with a fresh id when its id is taken by a stored incident."""
        incident_id, n = incident.incident_id, 0
        while tx.execute("SELECT 1 FROM incidents WHERE incident_id = ?",
                         (incident_id,)).fetchone():
            n += 1
            incident_id = hashlib.sha1(
                f"{incident.incident_id}:{article.published}:{n}".encode()).hexdigest()[:16]
        return incident if n == 0 else replace(incident, incident_id=incident_id)

    @staticmethod
    def _can_link(tx: sqlite3.Connection, target_id: str, article_id: str) -> bool:
        """The target exists and no other incident of this article reports it already."""
        row = tx.execute(
            "SELECT EXISTS (SELECT 1 FROM incidents WHERE incident_id = ?), "
            "EXISTS (SELECT 1 FROM incident_articles WHERE incident_id = ? AND article_id = ?)",
            (target_id, target_id, article_id)).fetchone()
        return bool(row[0]) and not row[1]

    def _add_report(self, tx: sqlite3.Connection, link: Any, incident: Incident,
                    article_id: str, now: str, *, who: str) -> None:
        """Link ``incident`` (this article's report) to the stored ``link.target_id``, and
        log the new article list and every value the merge changed under ``who``."""
        target = link.target_id
        old_ids = self._article_ids(tx, target)
        has_reports = tx.execute("SELECT EXISTS (SELECT 1 FROM incident_reports "
                                 "WHERE incident_id = ?)", (target,)).fetchone()[0]
        if not has_reports:
            # the stored record is the first report: keep it, so the merge and an unlink
            # can always start again from the reports themselves
            stored = self._get(target)
            first = stored.article_ids[0] if stored.article_ids else ""
            self._insert_report(tx, target, first, stored, None, (), now)
        own = replace(incident, article_ids=(article_id,))
        self._insert_report(tx, target, article_id, own, link.score, tuple(link.reasons), now)
        self._link(tx, target, (article_id,))
        self._insert_evidence(tx, target, incident.evidence)
        changed = self._rewrite_from_reports(tx, target, now)
        audit = [(target, "article_ids", json.dumps(old_ids), json.dumps([*old_ids, article_id]))]
        audit.extend((target, c, _audit_text(c, old), _audit_text(c, new))
                     for c, (old, new) in changed.items() if c != "has_location")
        self._audit(tx, now, who, audit)

    @staticmethod
    def _article_ids(tx: sqlite3.Connection, incident_id: str) -> list[str]:
        return [r[0] for r in tx.execute("SELECT article_id FROM incident_articles WHERE "
                                         "incident_id = ? ORDER BY position", (incident_id,))]

    @staticmethod
    def _audit(tx: sqlite3.Connection, now: str, who: str,
               entries: Sequence[tuple[str, str, str | None, str | None]]) -> None:
        """Audit rows ``(incident_id, field, old, new)`` (JSON text) by ``who`` at ``now``."""
        tx.executemany(
            "INSERT INTO audit_log (at, who, incident_id, field, old, new) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(now, str(who), *entry) for entry in entries],
        )

    @staticmethod
    def _insert_report(tx: sqlite3.Connection, incident_id: str, article_id: str,
                       report: Incident, score: float | None, reasons: Sequence[str],
                       now: str) -> None:
        counts = [getattr(getattr(report, c.rsplit("_", 1)[0]), c.rsplit("_", 1)[1], None)
                  for c in _REPORT_COUNT_COLUMNS]
        tx.execute(
            "INSERT OR REPLACE INTO incident_reports (incident_id, article_id, report_id, "
            f"record, score, reasons, linked_at, {', '.join(_REPORT_COUNT_COLUMNS)}) VALUES "
            f"({', '.join('?' * (7 + len(_REPORT_COUNT_COLUMNS)))})",
            (incident_id, article_id, report.incident_id,
             json.dumps(report.to_dict(), ensure_ascii=False), score, _join_list(reasons), now,
             *counts),
        )

    @staticmethod
    def _report_articles(tx: sqlite3.Connection, incident_id: str) -> list[str]:
        """The article ids of an incident's reports, in the order they were linked."""
        return [r[0] for r in tx.execute(
            f"SELECT r.article_id FROM incident_reports r {_REPORT_ORDER_JOIN} "
            "WHERE r.incident_id = ? ORDER BY coalesce(l.position, -1), r.article_id",
            (incident_id,))]

    @staticmethod
    def _report(tx: sqlite3.Connection, incident_id: str, article_id: str) -> Incident | None:
        """One report of an incident (None when it has none for that article)."""
        row = tx.execute("SELECT record FROM incident_reports WHERE incident_id = ? AND "
                         "article_id = ?", (incident_id, article_id)).fetchone()
        return None if row is None else Incident.from_dict(json.loads(row[0]))

    @staticmethod
    def _merged_counts(tx: sqlite3.Connection, incident_id: str
                       ) -> dict[str, tuple[Count | None, bool]]:
        """:func:`incidents.linking.merge_counts` of every report, in SQL: per count the
        lowest low, the highest high, the lower median best (the first report in link order
        giving it lends its text) and whether the bests differ. Two indexed queries per
        count, whatever the number of reports: no report record is read."""
        out: dict[str, tuple[Count | None, bool]] = {}
        for name in _COUNTS:
            n, low, high, distinct = tx.execute(
                f"SELECT count({name}_best), min(min(coalesce({name}_low, {name}_best), "
                f"{name}_best)), max(max(coalesce({name}_high, {name}_best), {name}_best)), "
                f"count(DISTINCT {name}_best) FROM incident_reports WHERE incident_id = ? "
                f"AND {name}_best IS NOT NULL", (incident_id,)).fetchone()
            if not n:
                out[name] = (None, False)
                continue
            # the lower median, and the text of the first report (link order) giving it
            best, text = tx.execute(
                f"SELECT r.{name}_best, r.{name}_text FROM incident_reports r "
                f"{_REPORT_ORDER_JOIN} WHERE r.incident_id = ? AND r.{name}_best = ("
                f"SELECT {name}_best FROM incident_reports WHERE incident_id = ? AND "
                f"{name}_best IS NOT NULL ORDER BY {name}_best LIMIT 1 OFFSET ?) "
                "ORDER BY coalesce(l.position, -1), r.article_id LIMIT 1",
                (incident_id, incident_id, (n - 1) // 2)).fetchone()
            out[name] = (Count(low=low, best=best, high=high, text=text or ""), distinct > 1)
        return out

    def _rewrite_from_reports(self, tx: sqlite3.Connection, incident_id: str, now: str
                              ) -> dict[str, tuple[Any, Any]]:
        """Set a machine incident's record to the merge of its reports.

        Returns the changed columns as ``{column: (old, new)}``; a reviewed or edited
        incident (or one without reports) is left as it is.
        """
        from incidents.linking import with_merged_counts

        row = tx.execute("SELECT * FROM incidents WHERE incident_id = ?",
                         (incident_id,)).fetchone()
        if row is None or row["status"] != "machine":
            return {}
        first = tx.execute(
            f"SELECT r.record FROM incident_reports r {_REPORT_ORDER_JOIN} "
            "WHERE r.incident_id = ? ORDER BY coalesce(l.position, -1), r.article_id LIMIT 1",
            (incident_id,)).fetchone()
        if first is None:
            return {}
        merged = with_merged_counts(Incident.from_dict(json.loads(first[0])),
                                    self._merged_counts(tx, incident_id))
        record = dict(zip(INCIDENT_COLUMNS, _incident_record(
            replace(merged, incident_id=incident_id, status=row["status"]), now)))
        keep = {"incident_id", "added_at", "updated_at", "status"}
        changed = {c: (row[c], record[c]) for c in INCIDENT_COLUMNS
                   if c not in keep and row[c] != record[c]}
        if changed:
            assignments = ", ".join(f'"{c}" = ?' for c in changed)
            tx.execute(f"UPDATE incidents SET {assignments}, updated_at = ? WHERE incident_id = ?",
                       (*(new for _, new in changed.values()), now, incident_id))
        return changed

    def _stored_row(self, tx: sqlite3.Connection, incident_id: str, list_hint: str) -> sqlite3.Row:
        """The stored row of ``incident_id``; :class:`IncidentNotFound` naming it otherwise."""
        row = tx.execute("SELECT * FROM incidents WHERE incident_id = ?", (incident_id,)).fetchone()
        if row is None:
            raise IncidentNotFound(
                f"no incident {incident_id!r} in {str(self.path)!r}; list ids with {list_hint}"
            )
        return row

    def unlink(self, incident_id: str, article_id: str, *, who: str) -> tuple[Incident, Incident]:
        """Undo a wrong link: split one article's report off an incident, in one transaction.

        The article's own report (as extracted, kept when it was linked) becomes an incident
        again, with its original id (a new one if that id is taken), the article's evidence
        spans and the status its report was stored with (``"machine"`` for an extracted
        report; an incident's own record, kept as its first report when it was linked or
        merged, keeps the status it had then). The incident keeps its id and its other articles; a
        machine incident is rebuilt from its remaining reports (so its counts and
        ``reports_disagree`` flags are those of the reports left), a reviewed or edited one
        keeps its values. The audit log records the split on both incidents (``field``
        ``article_ids`` and ``split_from``), with ``who``, plus every value that changed.
        An imported event linked to an article (``link_imported=True``) keeps its own record
        as its first report, so the article can be split off it and the event gets its
        own values back: the "only report" check counts reports, not articles.

        Parameters
        ----------
        incident_id : str
            The incident the article was linked to.
        article_id : str
            The article whose report is split off.
        who : str, keyword-only
            The analyst, recorded in the audit log.

        Returns
        -------
        (Incident, Incident)
            The incident as it is now, and the incident split off.

        Raises
        ------
        IncidentNotFound
            No incident has this id.
        LinkNotFound
            The article is not stored or does not report this incident.
        InvalidEdit
            ``who`` is empty, or the article is the incident's only report; nothing is
            written.
        """
        _require_who(who, "unlink")
        now = _now()
        with self._lock, self._errors(), self._transaction() as tx:
            self._stored_row(tx, incident_id, "'incident-atlas list'")
            articles = [r[0] for r in tx.execute(
                "SELECT article_id FROM incident_articles WHERE incident_id = ? "
                "ORDER BY position", (incident_id,))]
            if article_id not in articles:
                stored = tx.execute("SELECT 1 FROM articles WHERE article_id = ?",
                                    (article_id,)).fetchone()
                where = ("is not a report of" if stored
                         else f"is not stored in {str(self.path)!r}, so it cannot be unlinked from")
                raise LinkNotFound(
                    f"article {article_id!r} {where} incident {incident_id!r}; its articles are "
                    f"{articles!r} ('incident-atlas show {incident_id}' lists them)"
                )
            # the incident's reports: those kept (an imported event's own record has no
            # article: key ""), and articles linked before reports were kept
            sources = list(dict.fromkeys([*self._report_articles(tx, incident_id), *articles]))
            if len(sources) == 1:
                raise InvalidEdit(
                    f"article {article_id!r} is the only report of incident {incident_id!r}; "
                    "there is nothing to split it from"
                )
            current = self._get(incident_id)
            # a report linked before reports were kept: split off a copy of the record
            own = self._report(tx, incident_id, article_id) or replace(current, status="machine")
            new_id = own.incident_id
            taken = tx.execute("SELECT 1 FROM incidents WHERE incident_id = ?",
                               (new_id,)).fetchone()
            if taken:
                new_id = hashlib.sha1(f"{incident_id}:{article_id}".encode()).hexdigest()[:16]
            remaining, moving, changed = self._detach_report(tx, incident_id, article_id, now)
            split = replace(own, incident_id=new_id, article_ids=(article_id,),
                            evidence=tuple(replace(e, article_id=article_id) for e in moving))
            self._insert_incident(tx, split, now)
            self._link(tx, new_id, (article_id,))
            self._insert_evidence(tx, new_id, split.evidence)
            audit = [(incident_id, "article_ids", json.dumps(articles), json.dumps(remaining)),
                     (new_id, "split_from", None, json.dumps(incident_id)),
                     (new_id, "article_ids", None, json.dumps([article_id]))]
            audit.extend((incident_id, c, _audit_text(c, old), _audit_text(c, new))
                         for c, (old, new) in changed.items() if c != "has_location")
            self._audit(tx, now, who, audit)
            return self._get(incident_id), self._get(new_id)

    def _detach_report(self, tx: sqlite3.Connection, incident_id: str, article_id: str,
                       now: str) -> tuple[list[str], list[Evidence], dict[str, tuple[Any, Any]]]:
        """Take one article's report off an incident that other reports keep (for
        :meth:`unlink` and :meth:`replace_article`): its link, evidence and report row go; a
        machine incident is rebuilt from the reports left, and one report left is no link
        any more (its report rows go too).

        Returns the articles left (in order), the evidence spans that were the article's,
        and the columns the rebuild changed (``{column: (old, new)}``).
        """
        articles = self._article_ids(tx, incident_id)
        sources = list(dict.fromkeys([*self._report_articles(tx, incident_id), *articles]))
        evidence = [Evidence(r[0], r[1], r[2], r[3]) for r in tx.execute(
            'SELECT start, "end", role, article_id FROM evidence WHERE incident_id = ? '
            "ORDER BY seq", (incident_id,))]
        first = sources[0] or None  # the first report's article (None: imported)
        moving = [e for e in evidence
                  if e.article_id == article_id or (e.article_id is None and article_id == first)]
        staying = [e for e in evidence if e not in moving]
        tx.execute("DELETE FROM evidence WHERE incident_id = ?", (incident_id,))
        self._insert_evidence(tx, incident_id, [
            e if e.article_id else replace(e, article_id=first) for e in staying])
        tx.execute("DELETE FROM incident_articles WHERE incident_id = ? AND article_id = ?",
                   (incident_id, article_id))
        remaining = [a for a in articles if a != article_id]
        tx.executemany("UPDATE incident_articles SET position = ? WHERE incident_id = ? "
                       "AND article_id = ?",
                       [(i, incident_id, a) for i, a in enumerate(remaining)])
        tx.execute("DELETE FROM incident_reports WHERE incident_id = ? AND article_id = ?",
                   (incident_id, article_id))
        changed = self._rewrite_from_reports(tx, incident_id, now)
        if len(sources) == 2:  # one report left: the incident is unlinked again
            tx.execute("DELETE FROM incident_reports WHERE incident_id = ?", (incident_id,))
        return remaining, moving, changed

    def merge(self, keep_id: str, other_id: str, *, who: str, note: str | None = None
              ) -> Incident:
        """Join two incidents that are one event (a link missed at ingest), in one transaction.

        ``other``'s articles (after ``keep``'s, in their order), evidence spans and reports
        move to ``keep``; ``other``'s row is deleted. An incident without report rows (one
        article, or an imported event) first gets its own record stored as its report (an
        imported event's under the article key ``""``), so that :meth:`unlink` of any
        article afterwards gives that article's incident back as it was (its id when free,
        its values, evidence and status). A machine ``keep`` is then rebuilt from all its
        reports as linking does (its first report's record, union count ranges, the lower
        median best, ``reports_disagree:<count>`` flags); a reviewed or edited ``keep``
        keeps its values, and ``other``'s values are only recorded in its reports.

        The audit log gets, all with ``who``: on ``keep`` ``merged_from`` (new: other's
        id), ``article_ids`` (old and new lists), every value that changed and ``note``;
        on ``other`` ``merged_into`` (new: keep's id), ``article_ids`` (old list), its last
        ``record`` (old: :meth:`Incident.to_dict` JSON) and ``note``.

        Parameters
        ----------
        keep_id : str
            The incident that stays (its id, and its values unless it is a machine one).
        other_id : str
            The incident merged into it and deleted. It must have an article: an imported
            dataset event (``source`` ``ucdp:…``/``acled:…``) would come back at the next
            import of its file, so it can only be the one kept.
        who : str, keyword-only
            The analyst, recorded in the audit log.
        note : str, keyword-only
            Why, for the audit log (and the merged report's reasons).

        Returns
        -------
        Incident
            ``keep`` as it is now.

        Raises
        ------
        IncidentNotFound
            No incident has one of the ids.
        InvalidEdit
            ``who`` is empty, the ids are the same, ``other`` is an imported event or has no
            article, or an article reports both incidents (an article's incidents stay
            apart, as in linking: unlink could not split them again); nothing is written.
        """
        _require_who(who, "merge")
        if keep_id == other_id:
            raise InvalidEdit(f"cannot merge incident {keep_id!r} into itself; give the id of "
                              "the incident to keep, then the id of the one to merge into it")
        now = _now()
        with self._lock, self._errors(), self._transaction() as tx:
            keep_row = self._stored_row(tx, keep_id, "'incident-atlas list'")
            other_row = self._stored_row(tx, other_id, "'incident-atlas list'")
            keep_articles = self._article_ids(tx, keep_id)
            other_articles = self._article_ids(tx, other_id)
            keep_reports = self._report_articles(tx, keep_id)
            other_reports = self._report_articles(tx, other_id)
            self._check_merge(keep_row, other_row, {*keep_articles, *keep_reports},
                              other_articles, other_reports)
            keep = self._get(keep_id)
            other = self._get(other_id)
            reason = f"merged from incident {other_id!r} by {who}" + (f": {note}" if note else "")
            if not keep_reports:
                self._insert_report(tx, keep_id, keep_articles[0] if keep_articles else "",
                                    keep, None, (), now)
            if other_reports:
                # other's first report is its own record: it now tells how it came here
                tx.execute("UPDATE incident_reports SET reasons = ?, linked_at = ? "
                           "WHERE incident_id = ? AND article_id = ?",
                           (_join_list([reason]), now, other_id, other_reports[0]))
                tx.execute("UPDATE incident_reports SET incident_id = ? WHERE incident_id = ?",
                           (keep_id, other_id))
            else:
                self._insert_report(tx, keep_id, other_articles[0], other, None, (reason,), now)
            self._link(tx, keep_id, other_articles)
            self._insert_evidence(tx, keep_id, [e if e.article_id else replace(
                e, article_id=other_articles[0]) for e in other.evidence])
            tx.execute("DELETE FROM incidents WHERE incident_id = ?", (other_id,))
            changed = self._rewrite_from_reports(tx, keep_id, now)
            tx.execute("UPDATE incidents SET updated_at = ? WHERE incident_id = ?",
                       (now, keep_id))
            noted = [] if note is None else [(i, "note", None, json.dumps(note, ensure_ascii=False))
                                             for i in (keep_id, other_id)]
            audit = [(keep_id, "merged_from", None, json.dumps(other_id)),
                     (keep_id, "article_ids", json.dumps(keep_articles),
                      json.dumps([*keep_articles, *other_articles])),
                     *((keep_id, c, _audit_text(c, old), _audit_text(c, new))
                       for c, (old, new) in changed.items() if c != "has_location"),
                     (other_id, "merged_into", None, json.dumps(keep_id)),
                     (other_id, "article_ids", json.dumps(other_articles), None),
                     (other_id, "record", json.dumps(other.to_dict(), ensure_ascii=False), None),
                     *noted]
            self._audit(tx, now, who, audit)
            return self._get(keep_id)

    @staticmethod
    def _check_merge(keep: sqlite3.Row, other: sqlite3.Row, keep_keys: set[str],
                     other_articles: Sequence[str], other_reports: Sequence[str]) -> None:
        """Refuse a merge the store could not undo article by article (InvalidEdit).

        ``keep_keys``: the article keys of keep's links and reports (``""`` for a record
        of its own that no article reports)."""
        keep_id, other_id = keep["incident_id"], other["incident_id"]
        swap = f"'incident-atlas merge {other_id} {keep_id} --who NAME'"
        both = (" (two such records stay two incidents: note the duplicate with "
                "'incident-atlas edit ID notes=...')")
        keep_own = "" in keep_keys or not keep_keys or _is_imported(keep["source"])
        if _is_imported(other["source"]):
            raise InvalidEdit(
                f"incident {other_id!r} is an imported event (source {other['source']!r}): "
                "merged away it would come back at the next import of its file; keep it "
                f"instead: {swap}" + (both if keep_own else "")
            )
        if not other_articles or "" in other_reports:
            raise InvalidEdit(
                f"incident {other_id!r} has a record of its own that no article reports (an "
                f"event added without an article); keep it instead: {swap}"
                + (both if keep_own else "")
            )
        shared = sorted(keep_keys & {*other_articles, *other_reports})
        if shared:
            raise InvalidEdit(
                f"incidents {keep_id!r} and {other_id!r} are both reported by article "
                f"{shared[0]!r}: an article's incidents stay apart (linking never joins them, "
                "and unlink could not split them again); if that article was linked to one of "
                f"them by mistake, 'incident-atlas unlink' it there first, else correct "
                f"{keep_id!r} with 'incident-atlas edit'"
            )

    def link_candidates(self, windows: Sequence[Any], *, include_imported: bool = False
                        ) -> pd.DataFrame:
        """Stored incidents that an incoming incident could report again (for
        :mod:`incidents.linking`).

        Parameters
        ----------
        windows : sequence of incidents.linking.CandidateWindow
            One per incoming incident: keep incidents of its ``event_type`` starting in
            ``[date_from, date_to]`` and ending on or after ``date_from`` (the
            ``(event_type, date_start, date_end)`` index), with a point in ``bbox``
            (lat_min, lat_max, lon_min, lon_max, degrees) or in the province
            ``admin1_code`` (only those of ``geo_precision`` 3 or a radius over ``wide_km``
            unless ``any_in_province``).
        include_imported : bool, keyword-only
            Also imported dataset events (``source`` ``ucdp:…``/``acled:…``).

        Returns
        -------
        pandas.DataFrame
            The columns of :data:`incidents.linking.CANDIDATE_COLUMNS`, each incident once,
            ordered by id; ``article_ids`` ``;``-joined in link order; ``assoc_actors`` and
            ``flags`` joined with U+001F as stored.
        """
        from incidents.linking import CANDIDATE_COLUMNS

        columns = [c for c in CANDIDATE_COLUMNS if c != "article_ids"]
        imported = "" if include_imported else (
            " AND NOT (coalesce(source, '') LIKE 'ucdp:%' OR coalesce(source, '') LIKE 'acled:%')")
        parts: list[str] = []
        params: list[Any] = []
        for window in windows:
            place: list[str] = []
            values: list[Any] = [window.event_type, _as_iso_day(window.date_from, "date_from"),
                                 _as_iso_day(window.date_to, "date_to"),
                                 _as_iso_day(window.date_from, "date_from")]
            if window.bbox is not None:
                place.append("(latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ?)")
                values.extend(float(v) for v in window.bbox)
            if window.admin1_code:
                # a precise place meets only province-level or wide places by province
                if window.any_in_province:
                    place.append("(admin1_code = ?)")
                    values.append(window.admin1_code)
                else:
                    place.append("(admin1_code = ? AND (geo_precision >= 3 OR radius_km > ?))")
                    values.extend((window.admin1_code, float(window.wide_km)))
            if not place:
                continue
            parts.append(
                f"SELECT {', '.join(columns)} FROM incidents WHERE event_type = ? "
                "AND date_start BETWEEN ? AND ? AND coalesce(date_end, date_start) >= ? "
                f"AND has_location = 1 AND status != '{REJECTED}' AND ({' OR '.join(place)}){imported}")
            params.extend(values)
        if not parts:
            return pd.DataFrame(columns=list(CANDIDATE_COLUMNS))
        sql = (f"SELECT c.*, (SELECT group_concat(article_id, ';') FROM (SELECT article_id "
               "FROM incident_articles l WHERE l.incident_id = c.incident_id ORDER BY position)) "
               f"FROM ({' UNION '.join(parts)}) c ORDER BY c.incident_id")
        with self._lock, self._errors():
            cursor = self._connection.cursor()
            cursor.row_factory = None
            rows = cursor.execute(sql, params).fetchall()
        # object columns as SQLite gave them: the linker converts what it reads
        return pd.DataFrame(rows, columns=list(CANDIDATE_COLUMNS), dtype=object)

    def _insert_incident(self, tx: sqlite3.Connection, incident: Incident, now: str) -> bool:
        if not incident.event_type:
            raise InvalidEdit(
                f"incident {incident.incident_id!r} has no event_type; give one of "
                f"{list(EVENT_TYPES)!r}"
            )
        cursor = tx.execute(
            f"INSERT OR IGNORE INTO incidents ({', '.join(INCIDENT_COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(INCIDENT_COLUMNS))})",
            _incident_record(incident, now),
        )
        return cursor.rowcount == 1

    @staticmethod
    def _link(tx: sqlite3.Connection, incident_id: str, article_ids: Sequence[str]) -> None:
        start = tx.execute(
            "SELECT coalesce(max(position) + 1, 0) FROM incident_articles WHERE incident_id = ?",
            (incident_id,)).fetchone()[0]
        tx.executemany(
            "INSERT OR IGNORE INTO incident_articles (incident_id, article_id, position) "
            "VALUES (?, ?, ?)",
            [(incident_id, a, start + i) for i, a in enumerate(article_ids)],
        )

    @staticmethod
    def _insert_evidence(tx: sqlite3.Connection, incident_id: str,
                         evidence: Sequence[Evidence]) -> None:
        if not evidence:
            return
        start = tx.execute("SELECT coalesce(max(seq) + 1, 0) FROM evidence WHERE incident_id = ?",
                           (incident_id,)).fetchone()[0]
        tx.executemany(
            'INSERT INTO evidence (incident_id, seq, article_id, start, "end", role) '
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(incident_id, start + i, e.article_id, e.start, e.end, e.role)
             for i, e in enumerate(evidence)],
        )

    def add_incidents(self, incidents: Iterable[Incident] | pd.DataFrame, *, source: str
                      ) -> AddIncidentsResult:
        """Store incidents that come without an article (dataset imports), idempotently.

        Parameters
        ----------
        incidents : iterable of Incident, or DataFrame
            Incidents, or a frame with the columns of :data:`incidents.model.ROW_COLUMNS`
            (plus any of ``notes``, ``feature``, ``date_anchor``, ``killed_text``, ... named
            as in the table). Ids must be stable (``ucdp:<id>``) so a second import of the
            same file adds nothing.
        source : str, keyword-only
            Where the batch comes from (``"ucdp"``, ``"acled"``); fills a missing ``source``.

        Returns
        -------
        AddIncidentsResult
            How many rows were given, how many were new and how many were already stored
            (those are left as they are, analyst edits included).

        Raises
        ------
        StoreError
            The store is locked, the disk is full, or a row cannot be stored; the whole
            batch is rolled back.
        """
        now = _now()
        links: list[tuple[str, str, int]] = []
        evidence: list[tuple[str, int, str | None, int, int, str]] = []
        received: int | None = None
        if isinstance(incidents, pd.DataFrame):
            if "incident_id" not in incidents.columns:
                raise InvalidEdit("the incidents frame has no 'incident_id' column; give each "
                                  "row a stable id such as 'ucdp:<id>'")
            received = len(incidents)
            # rows already stored are left as they are: skip converting them (a re-import)
            with self._lock, self._errors():
                self._fill_temp("wanted_ids", "incident_id",
                                incidents["incident_id"].astype(str).tolist())
                stored = {r[0] for r in self._connection.execute(
                    "SELECT incident_id FROM incidents WHERE incident_id IN "
                    "(SELECT incident_id FROM wanted_ids)")}
            if stored:
                new = np.fromiter((i not in stored for i in incidents["incident_id"].tolist()),
                                  dtype=bool, count=len(incidents))
                incidents = incidents.loc[new]
            records = _records_from_frame(incidents, source=source, now=now)
            if "article_ids" in incidents.columns:
                linked = incidents.loc[incidents["article_ids"].fillna("").astype(str) != ""]
                for incident_id, ids in zip(linked["incident_id"].tolist(),
                                            linked["article_ids"].tolist()):
                    links.extend((incident_id, a, i) for i, a in enumerate(ids.split(";")))
        else:
            records = []
            for incident in incidents:
                if incident.source is None:
                    incident = replace(incident, source=source)
                if not incident.event_type:
                    raise InvalidEdit(
                        f"incident {incident.incident_id!r} has no event_type; give one of "
                        f"{list(EVENT_TYPES)!r}"
                    )
                records.append(_incident_record(incident, now))
                links.extend((incident.incident_id, a, i)
                             for i, a in enumerate(incident.article_ids))
                evidence.extend((incident.incident_id, i, e.article_id, e.start, e.end, e.role)
                                for i, e in enumerate(incident.evidence))
        with self._lock, self._errors(), self._transaction() as tx:
            before = tx.total_changes
            tx.executemany(
                f"INSERT OR IGNORE INTO incidents ({', '.join(INCIDENT_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(INCIDENT_COLUMNS))})",
                records,
            )
            added = tx.total_changes - before
            tx.executemany("INSERT OR IGNORE INTO incident_articles (incident_id, article_id, "
                           "position) VALUES (?, ?, ?)", links)
            tx.executemany('INSERT OR IGNORE INTO evidence (incident_id, seq, article_id, start, '
                           '"end", role) VALUES (?, ?, ?, ?, ?, ?)', evidence)
        received = len(records) if received is None else received
        return AddIncidentsResult(received, added, received - added)

    def update_incident(self, incident_id: str, changes: Mapping[str, Any], *, who: str
                        ) -> Incident:
        """Apply an analyst's edit, log every changed field, and mark the incident edited.

        Parameters
        ----------
        incident_id : str
            The incident to change.
        changes : mapping
            Field name -> new value, with the flat names of :data:`EDITABLE_FIELDS`
            (``event_type``, ``latitude``, ``admin1_code``, ``date_start``, ``killed_best``,
            ``flags``...). Dates may be :class:`datetime.date` or ISO text; ``assoc_actors``
            and ``flags`` a list. The store does not re-run the spatial join: pass
            ``admin1``/``admin1_code`` with moved coordinates.
        who : str, keyword-only
            The analyst, recorded in the audit log.

        Returns
        -------
        Incident
            The incident as stored after the edit. Its ``status`` becomes ``"edited"``
            unless ``changes`` sets ``status`` itself (``"reviewed"`` after a review).

        Raises
        ------
        IncidentNotFound
            No incident has this id.
        InvalidEdit
            A field is unknown or a value does not fit it; nothing is written.
        """
        _require_who(who, "update_incident")
        values = {field: _edit_value(field, value) for field, value in changes.items()}
        now = _now()
        with self._lock, self._errors(), self._transaction() as tx:
            row = self._stored_row(tx, incident_id, "incidents_frame()")
            _check_consistent(dict(row), values)
            if "status" not in values:
                values["status"] = "edited"
            changed = {f: v for f, v in values.items() if row[f] != v}
            if not changed or set(changed) == {"status"} and "status" not in changes:
                return self._get(incident_id)
            if set(changed) & set(_LOCATION_COLUMNS) and not row["has_location"]:
                changed["has_location"] = 1
                if row["location"] is None and "location" not in changed:
                    changed["location"] = ""
            assignments = ", ".join(f'"{f}" = ?' for f in changed)
            tx.execute(f"UPDATE incidents SET {assignments}, updated_at = ? WHERE incident_id = ?",
                       (*changed.values(), now, incident_id))
            tx.executemany(
                "INSERT INTO audit_log (at, who, incident_id, field, old, new) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(now, str(who), incident_id, f, _audit_text(f, row[f]), _audit_text(f, v))
                 for f, v in changed.items() if f != "has_location"],
            )
        return self.get_incident(incident_id)

    # -- reading -----------------------------------------------------------------------

    def get_incident(self, incident_id: str) -> Incident:
        """The full incident record (evidence, article ids) with this id.

        Raises
        ------
        IncidentNotFound
            No incident has this id.
        """
        with self._lock, self._errors():
            return self._get(incident_id)

    def _get(self, incident_id: str) -> Incident:
        conn = self._connection
        row = conn.execute("SELECT * FROM incidents WHERE incident_id = ?",
                           (incident_id,)).fetchone()
        if row is None:
            raise IncidentNotFound(
                f"no incident {incident_id!r} in {str(self.path)!r}; list ids with "
                "incidents_frame()"
            )
        evidence = tuple(
            Evidence(r["start"], r["end"], r["role"], r["article_id"])
            for r in conn.execute('SELECT start, "end", role, article_id FROM evidence '
                                  "WHERE incident_id = ? ORDER BY seq", (incident_id,))
        )
        article_ids = tuple(
            r[0] for r in conn.execute("SELECT article_id FROM incident_articles WHERE "
                                       "incident_id = ? ORDER BY position", (incident_id,))
        )
        return _incident_from_record(row, evidence, article_ids)

    def get_incidents(self, incident_ids: Iterable[str]) -> list[Incident]:
        """Full incident records for many ids at once, in the order given (unknown ids are
        left out). Three queries whatever the number of ids: use it for exports."""
        wanted = list(dict.fromkeys(incident_ids))
        with self._lock, self._errors():
            conn = self._fill_temp("wanted_ids", "incident_id", wanted)
            inside = "incident_id IN (SELECT incident_id FROM wanted_ids)"
            rows = {r["incident_id"]: r for r in conn.execute(
                f"SELECT * FROM incidents WHERE {inside}")}
            evidence: dict[str, list[Evidence]] = {}
            for r in conn.execute('SELECT incident_id, start, "end", role, article_id FROM '
                                  f"evidence WHERE {inside} ORDER BY incident_id, seq"):
                evidence.setdefault(r[0], []).append(Evidence(r[1], r[2], r[3], r[4]))
            links: dict[str, list[str]] = {}
            for r in conn.execute("SELECT incident_id, article_id FROM incident_articles "
                                  f"WHERE {inside} ORDER BY incident_id, position"):
                links.setdefault(r[0], []).append(r[1])
        return [_incident_from_record(rows[i], tuple(evidence.get(i, ())), tuple(links.get(i, ())))
                for i in wanted if i in rows]

    def _fill_temp(self, table: str, column: str, values: Sequence[str]) -> sqlite3.Connection:
        """A connection-local temporary table holding ``values`` (for ``IN`` sub-queries)."""
        conn = self._connection
        conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} ({column} TEXT PRIMARY KEY)")
        conn.execute(f"DELETE FROM {table}")
        conn.executemany(f"INSERT OR IGNORE INTO {table} VALUES (?)", [(v,) for v in values])
        return conn

    def articles_for(self, incident_id: str) -> list[Article]:
        """The stored articles reporting an incident, in the order they were linked."""
        with self._lock, self._errors():
            rows = self._connection.execute(
                "SELECT a.* FROM incident_articles l JOIN articles a USING (article_id) "
                "WHERE l.incident_id = ? ORDER BY l.position", (incident_id,)).fetchall()
        return [_article_from_record(r) for r in rows]

    def reports_frame(self, incident_ids: Iterable[str], *, latest: int | None = None
                      ) -> pd.DataFrame:
        """The reports of linked incidents: each article's own report, its score and reasons.

        Parameters
        ----------
        incident_ids : iterable of str
            The incidents asked for (ids without reports give no rows).
        latest : int, keyword-only
            Only the ``latest`` reports stored last of each incident (default: all).

        Returns
        -------
        pandas.DataFrame
            Columns ``incident_id``, ``article_id`` (``""`` for an imported event's own
            record), ``report_id`` (the report's id as extracted), ``score`` (0-1; NaN for
            the first report, the stored record itself), ``reasons`` (tuple of str),
            ``linked_at`` (ISO text, UTC) and ``report`` (the report as an
            :class:`~incidents.model.Incident`), one row per report, in link order.
        """
        wanted = list(dict.fromkeys(incident_ids))
        if latest is not None and int(latest) < 1:
            raise StoreError(f"latest must be 1 or more reports, got {latest!r}")
        # the rowid grows with each report stored: the last rows are the latest reports
        recent = ("" if latest is None else
                  "AND r.rowid IN (SELECT rowid FROM (SELECT rowid, row_number() OVER "
                  "(PARTITION BY incident_id ORDER BY rowid DESC) AS k FROM incident_reports "
                  "WHERE incident_id IN (SELECT incident_id FROM wanted_ids)) WHERE k <= ?) ")
        with self._lock, self._errors():
            conn = self._fill_temp("wanted_ids", "incident_id", wanted)
            rows = conn.execute(
                "SELECT r.incident_id, r.article_id, r.report_id, r.score, r.reasons, "
                "r.linked_at, r.record FROM incident_reports r LEFT JOIN incident_articles l "
                "ON l.incident_id = r.incident_id AND l.article_id = r.article_id "
                f"WHERE r.incident_id IN (SELECT incident_id FROM wanted_ids) {recent}"
                "ORDER BY r.incident_id, coalesce(l.position, -1), r.article_id",
                () if latest is None else (int(latest),)).fetchall()
        columns = ["incident_id", "article_id", "report_id", "score", "reasons", "linked_at",
                   "report"]
        return pd.DataFrame(
            [(r[0], r[1], r[2], np.nan if r[3] is None else float(r[3]), _split_list(r[4]),
              r[5], Incident.from_dict(json.loads(r[6]))) for r in rows],
            columns=columns, dtype=object)

    def get_article(self, article_id: str) -> Article:
        """One stored article by id.

        Raises
        ------
        StoreError
            No article has this id.
        """
        with self._lock, self._errors():
            row = self._connection.execute("SELECT * FROM articles WHERE article_id = ?",
                                           (article_id,)).fetchone()
        if row is None:
            raise StoreError(f"no article {article_id!r} in {str(self.path)!r}")
        return _article_from_record(row)

    def article_published(self, article_id: str) -> date | None:
        """The stored publication date of an article (None when it has none), without reading
        its text.

        Raises
        ------
        StoreError
            No article has this id.
        """
        with self._lock, self._errors():
            row = self._connection.execute("SELECT published FROM articles WHERE article_id = ?",
                                           (article_id,)).fetchone()
        if row is None:
            raise StoreError(f"no article {article_id!r} in {str(self.path)!r}")
        return _day(row["published"])

    def evidence_for(self, incident_id: str) -> list[Evidence]:
        """The evidence spans of an incident, in the order they were stored."""
        with self._lock, self._errors():
            rows = self._connection.execute(
                'SELECT start, "end", role, article_id FROM evidence WHERE incident_id = ? '
                "ORDER BY seq", (incident_id,)).fetchall()
        return [Evidence(r["start"], r["end"], r["role"], r["article_id"]) for r in rows]

    def evidence_frame(self, incident_ids: Iterable[str] | None = None) -> pd.DataFrame:
        """Evidence spans with their words and the sentence around them.

        Returns
        -------
        pandas.DataFrame
            Columns ``incident_id``, ``article_id`` (the span's article; the incident's
            first article when the span names none), ``start``, ``end``, ``role``,
            ``quote`` (``text[start:end]``) and ``sentence`` (the whole sentence or
            sentences holding the span). ``quote`` and ``sentence`` are None when the
            article is not stored.
        """
        from incidents.sentences import split_sentences

        wanted = None if incident_ids is None else list(dict.fromkeys(incident_ids))
        with self._lock, self._errors():
            conn = self._fill_temp("wanted_ids", "incident_id", wanted or [])
            where = ("" if wanted is None
                     else "WHERE e.incident_id IN (SELECT incident_id FROM wanted_ids)")
            frame = pd.read_sql_query(
                'SELECT e.incident_id, coalesce(e.article_id, first.article_id) AS article_id, '
                'e.start, e."end" AS "end", e.role FROM evidence e LEFT JOIN '
                "(SELECT incident_id, article_id FROM incident_articles WHERE position = 0) first "
                f"USING (incident_id) {where} ORDER BY e.incident_id, e.seq",
                conn,
            )
            ids = frame["article_id"].dropna().unique().tolist()
            self._fill_temp("wanted_articles", "article_id", ids)
            texts = dict(conn.execute(
                "SELECT article_id, text FROM articles WHERE article_id IN "
                "(SELECT article_id FROM wanted_articles)").fetchall())
        bounds = {}
        for aid, text in texts.items():
            found = split_sentences(text)
            bounds[aid] = ([s.start for s in found], [s.end for s in found])
        quotes: list[str | None] = []
        around: list[str | None] = []
        for aid, start, end in zip(frame["article_id"].tolist(), frame["start"].tolist(),
                                   frame["end"].tolist()):
            text = texts.get(aid)
            if text is None:
                quotes.append(None)
                around.append(None)
                continue
            quotes.append(text[start:end])
            starts, ends = bounds[aid]
            if not starts:
                around.append(text[start:end])
                continue
            # the sentences from the one the span starts in to the one it ends in
            first = max(bisect.bisect_right(starts, start) - 1, 0)
            last = max(bisect.bisect_left(starts, end) - 1, first)
            around.append(text[min(starts[first], start):max(ends[last], end)])
        return frame.assign(quote=pd.Series(quotes, index=frame.index, dtype=object),
                            sentence=pd.Series(around, index=frame.index, dtype=object))

    def incident_ids_citing(self, text: str) -> frozenset[str]:
        """Incidents reported by a stored article whose text holds ``text``.

        Parameters
        ----------
        text : str
            Searched as written, case-insensitively for ASCII letters (SQLite ``LIKE``), in
            the whole article text ("sleeper cell", "Husayniyat"). Empty finds nothing.

        Returns
        -------
        frozenset of str
            Incident ids (imported events, which have no article, are never among them).
        """
        if not text:
            return frozenset()
        with self._lock, self._errors():
            rows = self._connection.execute(_CITING_SQL, (_like_pattern(text),)).fetchall()
        return frozenset(row[0] for row in rows)

    def incidents_frame(
        self,
        *,
        date_from: date | str | None = None,
        date_to: date | str | None = None,
        event_types: Sequence[str] | None = None,
        admin1_codes: Sequence[str] | None = None,
        countries: Sequence[str] | None = None,
        actors: Sequence[str] | None = None,
        precisions: Sequence[int] | None = None,
        text: str | None = None,
        limit: int | None = None,
        columns: Sequence[str] | None = None,
        include_rejected: bool = False,
    ) -> pd.DataFrame:
        """Incidents as one flat table, filtered in SQL.

        Parameters
        ----------
        date_from, date_to : date or ISO text, keyword-only
            Keep incidents whose date range ``[date_start, date_end]`` overlaps
            ``[date_from, date_to]`` (both inclusive). Incidents without a date are dropped
            when either bound is given.
        event_types, admin1_codes, countries : sequence of str, keyword-only
            Keep rows whose ``event_type`` / ``admin1_code`` (ISO 3166-2) / ``country``
            (ISO alpha-2) is one of these.
        actors : sequence of str, keyword-only
            Keep rows with one of these as ``actor1`` or ``actor2`` (exact names).
        precisions : sequence of int, keyword-only
            Keep rows whose ``geo_precision`` (ACLED 1-3) is one of these.
        text : str, keyword-only
            Case-insensitive substring of the summary, location, actors, admin1 or notes,
            or of the text of an article that reports the incident (:meth:`incident_ids_citing`).
        limit : int, keyword-only
            At most this many rows (newest first is not implied: rows come by date, id).
        columns : sequence of str, keyword-only
            Only these columns of :data:`incidents.model.ROW_COLUMNS`, in the order given
            (default: all of them). Reading fewer columns is faster: a map needs a third of
            them, and leaving out ``article_ids`` skips the article links altogether.
        include_rejected : bool, keyword-only
            Also the incidents an analyst rejected (``status="rejected"``), left out by default.

        Returns
        -------
        pandas.DataFrame
            The columns of :data:`incidents.model.ROW_COLUMNS` in order, or ``columns``.
            Rows are ordered by ``date_start`` (undated first), then ``incident_id``.
            Text columns have pandas' ``str`` dtype (NaN when missing);
            ``date_start``/``date_end`` are ``datetime64[ns]`` (NaT when unknown); counts,
            ``geo_precision`` and ``where_prec`` are nullable ``Int64``; ``fatalities`` is
            ``killed_best`` with 0 for unknown; ``historical`` is bool; ``assoc_actors``
            is ``"; "``-joined and ``article_ids``/``flags`` ``";"``-joined, as
            :meth:`Incident.to_row` writes them.
        """
        wanted = _frame_columns(columns)
        where, params = _filters(date_from=date_from, date_to=date_to, event_types=event_types,
                                 admin1_codes=admin1_codes, countries=countries, actors=actors,
                                 precisions=precisions, text=text,
                                 include_rejected=include_rejected)
        if limit is not None and int(limit) < 0:
            raise InvalidEdit(f"limit must be >= 0, got {limit!r}")
        # the ordering keys are always read; the derived columns come from stored ones
        stored = list(dict.fromkeys(
            ["date_start", "incident_id"]
            + ["killed_best" if c == "fatalities" else c for c in wanted if c != "article_ids"]))
        sql = f"SELECT {', '.join(stored)} FROM incidents {where}"
        if limit is not None:
            sql += f" ORDER BY date_start, incident_id LIMIT {int(limit)}"
        with self._lock, self._errors():
            # plain tuples, not sqlite3.Row objects: a 200,000-row read is seconds faster
            cursor = self._connection.cursor()
            cursor.row_factory = None
            frame = pd.DataFrame.from_records(cursor.execute(sql, params).fetchall(),
                                              columns=stored)
            links = None
            if "article_ids" in wanted:
                links = pd.read_sql_query(
                    "SELECT incident_id, article_id FROM incident_articles WHERE incident_id "
                    f"IN (SELECT incident_id FROM incidents {where}) "
                    "ORDER BY incident_id, position", self._connection, params=params)
        if limit is None:
            # a scan in table order sorted here beats SQLite walking the date index
            # (ISO text sorts as SQLite sorts it; NULL dates first, as in SQL)
            frame = frame.sort_values(["date_start", "incident_id"], na_position="first",
                                      kind="stable", ignore_index=True)
        return _assemble_frame(frame, links, wanted)

    def audit_log(self, incident_id: str | None = None) -> pd.DataFrame:
        """Every analyst change, oldest first, optionally for one incident.

        Returns
        -------
        pandas.DataFrame
            Columns ``id``, ``at`` (UTC, ``datetime64``), ``who``, ``incident_id``,
            ``field``, ``old``, ``new`` (values as JSON text).
        """
        sql = "SELECT id, at, who, incident_id, field, old, new FROM audit_log"
        params: tuple[Any, ...] = ()
        if incident_id is not None:
            sql += " WHERE incident_id = ?"
            params = (incident_id,)
        with self._lock, self._errors():
            frame = pd.read_sql_query(sql + " ORDER BY id", self._connection, params=params)
        frame["at"] = pd.to_datetime(frame["at"], utc=True, format="ISO8601")
        return frame

    def stats(self) -> dict[str, Any]:
        """Counts for a status line: articles, incidents (by status and origin), date span.

        Returns
        -------
        dict
            ``path``, ``schema_version``, ``articles``, ``incidents``, ``evidence``,
            ``audit_entries``, ``by_status`` (status -> n), ``by_origin`` (-> n:
            ``"articles"`` for incidents linked to stored articles, else the dataset prefix
            of ``source`` such as ``"ucdp"`` or ``"acled"``, else ``"other"``),
            ``date_min`` and ``date_max`` (ISO text or None).
        """
        with self._lock, self._errors():
            conn = self._connection

            def one(sql: str) -> Any:
                return conn.execute(sql).fetchone()[0]

            by_status = dict(conn.execute(
                "SELECT status, count(*) FROM incidents GROUP BY status").fetchall())
            by_origin = dict(conn.execute(
                "SELECT CASE WHEN EXISTS (SELECT 1 FROM incident_articles l "
                "WHERE l.incident_id = i.incident_id) THEN 'articles' "
                "WHEN instr(coalesce(source, ''), ':') > 0 "
                "THEN substr(source, 1, instr(source, ':') - 1) ELSE 'other' END AS origin, "
                "count(*) FROM incidents i GROUP BY origin").fetchall())
            return {
                "path": str(self.path),
                "schema_version": self._version(),
                "articles": one("SELECT count(*) FROM articles"),
                "incidents": one("SELECT count(*) FROM incidents"),
                "evidence": one("SELECT count(*) FROM evidence"),
                "audit_entries": one("SELECT count(*) FROM audit_log"),
                "by_status": by_status,
                "by_origin": by_origin,
                "date_min": one("SELECT min(date_start) FROM incidents"),
                "date_max": one("SELECT max(coalesce(date_end, date_start)) FROM incidents"),
            }


# -- reading helpers -------------------------------------------------------------------------


def _is_imported(source: str | None) -> bool:
    """An imported dataset event: ids are stable, so a new import would add it again."""
    return str(source or "").startswith(("ucdp:", "acled:"))


def _article_from_record(row: Mapping[str, Any]) -> Article:
    return Article(
        article_id=row["article_id"],
        text=row["text"],
        ref=row["ref"],
        title=row["title"],
        published=_day(row["published"]),
        published_approximate=bool(row["published_approximate"]),
        url=row["url"],
        source=row["source"],
        path=row["path"],
        warnings=_split_list(row["warnings"]),
    )


def _as_iso_day(value: date | str, name: str) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError as exc:
        raise InvalidEdit(f"{name} must be a date like '2017-06-01', got {value!r}") from exc


def _check_consistent(row: Mapping[str, Any], values: dict[str, Any]) -> None:
    """Keep an edit consistent with the stored row, in ``values`` (changed in place).

    A count's best given alone outside its stored range widens the range to hold it (an
    analyst's "10 killed" over reports of 6: low 6, best 10, high 10); a date bound given alone
    past the other moves the other to it (a new start after the stored end: a one-day event
    on that day). Bounds given together that contradict each other are refused.

    Raises
    ------
    InvalidEdit
        The values given are out of order themselves; nothing is written.
    """
    for name in ("killed", "injured", "arrested"):
        keys = [f"{name}_{part}" for part in ("low", "best", "high")]
        given = [k for k in keys if k in values]
        if not given:
            continue
        stated = [values[k] for k in keys if k in values and values[k] is not None]
        if stated != sorted(stated):
            raise InvalidEdit(
                f"{name} given as {', '.join(f'{k}={values[k]!r}' for k in given)}, not low <= "
                f"best <= high; give them in order")
        low, best, high = (values[k] if k in values else row.get(k) for k in keys)
        if best is not None:
            if low is not None and best < low and keys[0] not in values:
                values[keys[0]] = best
            if high is not None and best > high and keys[2] not in values:
                values[keys[2]] = best
        low, best, high = (values[k] if k in values else row.get(k) for k in keys)
        present = [v for v in (low, best, high) if v is not None]
        if present != sorted(present):
            raise InvalidEdit(
                f"{name} would be low={low!r}, best={best!r}, high={high!r}, not low <= best <= "
                f"high; give the others too ({name}_low=N {name}_best=N {name}_high=N) or clear "
                f"them ({name}_low= {name}_high=)")
    start = values["date_start"] if "date_start" in values else row.get("date_start")
    end = values["date_end"] if "date_end" in values else row.get("date_end")
    if start and end and str(start) > str(end):
        if "date_start" in values and "date_end" in values:
            raise InvalidEdit(f"date_start {str(start)!r} is after date_end {str(end)!r}; "
                              "give them in order")
        if "date_start" in values:
            values["date_end"] = start
        else:
            values["date_start"] = end


def _filters(**options: Any) -> tuple[str, list[Any]]:
    """SQL ``WHERE`` clause and parameters for :meth:`IncidentStore.incidents_frame`."""
    clauses: list[str] = []
    params: list[Any] = []
    if not options.get("include_rejected"):
        clauses.append("status != ?")
        params.append(REJECTED)
    if options["date_from"] is not None:
        clauses.append("coalesce(date_end, date_start) >= ?")
        params.append(_as_iso_day(options["date_from"], "date_from"))
    if options["date_to"] is not None:
        clauses.append("date_start <= ?")
        params.append(_as_iso_day(options["date_to"], "date_to"))
    for option, column in (("event_types", "event_type"), ("admin1_codes", "admin1_code"),
                           ("countries", "country"), ("precisions", "geo_precision")):
        values = options[option]
        if values is None:
            continue
        values = [values] if isinstance(values, (str, int)) else list(values)
        if not values:
            clauses.append("0")
            continue
        clauses.append(f"{column} IN ({', '.join('?' * len(values))})")
        params.extend(int(v) if option == "precisions" else v for v in values)
    actors = options["actors"]
    if actors is not None:
        actors = [actors] if isinstance(actors, str) else list(actors)
        marks = ", ".join("?" * len(actors))
        clauses.append(f"(actor1 IN ({marks}) OR actor2 IN ({marks}))" if actors else "0")
        params.extend(actors + actors)
    text = options["text"]
    if text:
        pattern = _like_pattern(text)
        fields = ("summary", "location", "actor1", "actor2", "admin1", "notes")
        clauses.append("(" + " OR ".join(f"{f} LIKE ? ESCAPE '\\'" for f in fields)
                       + f" OR incident_id IN ({_CITING_SQL}))")
        params.extend([pattern] * (len(fields) + 1))
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


#: The incidents reported by an article whose text is LIKE the one parameter.
_CITING_SQL = ("SELECT l.incident_id FROM incident_articles l JOIN articles a "
               "ON a.article_id = l.article_id WHERE a.text LIKE ? ESCAPE '\\'")


def _like_pattern(text: str) -> str:
    """A LIKE pattern (escape character backslash) matching ``text`` anywhere, as written."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _frame_columns(columns: Sequence[str] | None) -> list[str]:
    """The columns asked of :meth:`IncidentStore.incidents_frame`, checked."""
    if columns is None:
        return list(ROW_COLUMNS)
    if isinstance(columns, str):
        raise StoreError(f"columns must be a sequence of column names, got {columns!r}; "
                         f"write columns=[{columns!r}]")
    wanted = list(columns)
    unknown = [c for c in wanted if c not in ROW_COLUMNS]
    if unknown:
        raise StoreError(f"unknown incident column {unknown[0]!r} in columns; choose from "
                         f"{list(ROW_COLUMNS)!r}")
    if not wanted:
        raise StoreError("columns is empty; name at least one column, or leave it out for "
                         "all of them")
    if len(set(wanted)) != len(wanted):
        twice = next(c for c in wanted if wanted.count(c) > 1)
        raise StoreError(f"column {twice!r} is asked for twice in columns; name it once")
    return wanted


def _assemble_frame(frame: pd.DataFrame, links: pd.DataFrame | None,
                    columns: Sequence[str]) -> pd.DataFrame:
    """Stored columns -> the dtypes and joined lists of :data:`ROW_COLUMNS` (``columns``)."""
    present = set(frame.columns)
    for column in ("date_start", "date_end"):
        if column in present:
            frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d", errors="coerce"
                                           ).astype("datetime64[ns]")
    for column in _INT_COLUMNS:
        if column in present:
            frame[column] = pd.to_numeric(frame[column]).astype("Int64")
    for column in ("latitude", "longitude", "radius_km", "score"):
        if column in present:
            frame[column] = pd.to_numeric(frame[column]).astype(float)
    if "historical" in present:
        frame["historical"] = frame["historical"].astype(bool)
    for column in _TEXT_ROW_COLUMNS:
        if column in present:
            frame[column] = frame[column].astype("str")
    if "assoc_actors" in present:
        frame["assoc_actors"] = frame["assoc_actors"].fillna("").str.replace(
            _LIST_SEP, "; ", regex=False)
    if "flags" in present:
        frame["flags"] = frame["flags"].fillna("").str.replace(_LIST_SEP, ";", regex=False)
    if links is not None:
        if len(links):
            joined = links.groupby("incident_id", sort=False)["article_id"].agg(";".join)
            frame["article_ids"] = frame["incident_id"].map(joined).fillna("")
        else:
            frame["article_ids"] = ""
    if "fatalities" in columns:
        frame["fatalities"] = frame["killed_best"].fillna(0).astype("int64")
    return frame[list(columns)]


def _edit_value(field: str, value: Any) -> Any:
    """``value`` as stored in column ``field``, or :class:`InvalidEdit`."""
    if field not in EDITABLE_FIELDS:
        raise InvalidEdit(
            f"cannot edit field {field!r}; editable fields are {sorted(EDITABLE_FIELDS)!r}"
        )
    if value is None or (isinstance(value, float) and np.isnan(value)):
        if field in ("event_type", "status", "summary", "historical"):
            raise InvalidEdit(f"{field} cannot be empty")
        return "" if field in _LIST_COLUMNS else None
    if field == "event_type" and value not in EVENT_TYPES:
        raise InvalidEdit(f"event_type {value!r} is not one of {list(EVENT_TYPES)!r}")
    if field == "status" and value not in STATUSES:
        raise InvalidEdit(f"status {value!r} is not one of {list(STATUSES)!r}")
    if field == "time_precision" and value not in TIME_PRECISIONS:
        raise InvalidEdit(f"time_precision {value!r} is not one of {list(TIME_PRECISIONS)!r}")
    if field in _DATE_COLUMNS:
        return _as_iso_day(value, field)
    if field in _LIST_COLUMNS:
        items = [value] if isinstance(value, str) else list(value)
        return _join_list([str(v) for v in items])
    if field == "historical":
        return int(bool(value))
    if field in _INT_COLUMNS:
        try:
            number = int(value)
        except (TypeError, ValueError) as exc:
            raise InvalidEdit(f"{field} must be a whole number, got {value!r}") from exc
        if number != value and not isinstance(value, str):
            raise InvalidEdit(f"{field} must be a whole number, got {value!r}")
        if field == "geo_precision" and number not in (1, 2, 3):
            raise InvalidEdit(f"geo_precision must be 1, 2 or 3 (ACLED), got {value!r}")
        if field == "where_prec" and not 1 <= number <= 7:
            raise InvalidEdit(f"where_prec must be 1-7 (UCDP), got {value!r}")
        if number < 0 and not field.startswith(("geo", "where")):
            raise InvalidEdit(f"{field} cannot be negative, got {value!r}")
        return number
    if field in _FLOAT_COLUMNS:
        try:
            number = float(value)
        except (TypeError, ValueError) as exc:
            raise InvalidEdit(f"{field} must be a number, got {value!r}") from exc
        limit = {"latitude": 90.0, "longitude": 180.0}.get(field)
        if limit is not None and not -limit <= number <= limit:
            raise InvalidEdit(f"{field} must be within ±{limit:g} degrees, got {value!r}")
        if field == "radius_km" and number < 0:
            raise InvalidEdit(f"radius_km must be >= 0 km, got {value!r}")
        return number
    return str(value)


def _audit_text(field: str, value: Any) -> str | None:
    """A stored value as JSON text for the audit log (lists as JSON lists)."""
    if value is None:
        return None
    if field in _LIST_COLUMNS:
        return json.dumps(list(_split_list(value)), ensure_ascii=False)
    if field == "historical":
        return json.dumps(bool(value))
    return json.dumps(value, ensure_ascii=False)


def open_store(target: str | Path | None = None, *, readonly: bool = False,
               timeout_s: float = 10.0) -> IncidentStore:
    """Open the store at ``target`` (a path), else ``$INCIDENT_ATLAS_DB``, else the default.

    This is the one place that picks a backend: SQLite files today; a ``postgresql://`` URL
    is recognised and refused until a PostgreSQL store exists.

    Raises
    ------
    StoreError
        The target cannot be opened (see :class:`IncidentStore`).
    """
    if target is None:
        target = settings.default_db_path()
    if str(target).startswith(("postgresql://", "postgres://")):
        raise StoreError(
            f"PostgreSQL stores are not supported yet ({str(target)!r}); pass a SQLite file path"
        )
    return IncidentStore(target, readonly=readonly, timeout_s=timeout_s)
