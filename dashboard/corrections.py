"""An analyst's correction of one incident: what the form changed, and saving it.

The dashboard reads the store through one shared read-only connection (``data.open_store``).
A correction opens its own writable connection for the one save and closes it again: the
store is SQLite in WAL mode, so readers keep reading while the write's short transaction
(:meth:`incidents.store.IncidentStore.update_incident`) runs. The store checks every value
before it writes anything, logs each changed field (who, when, old, new) and marks the
incident ``edited``; *Mark reviewed* sends ``status="reviewed"`` alone.

Only the fields the analyst changed are sent, plus what follows from them: a moved point gets
its country and province from the spatial join again (``incidents.review_command.area_of``)
unless the province was changed by hand, and a new best count widens the count's low/high
range to hold it. No Streamlit here: the form is drawn by ``dashboard/correction_form.py``.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dashboard.errors import CorrectionError
from incidents.linking import haversine_km
from incidents.model import Incident
from incidents.review_command import area_of
from incidents.store import IncidentStore

#: Fields of the correction form, with the store's flat column names, in form order.
FORM_FIELDS: tuple[str, ...] = (
    "event_type", "sub_event_type", "actor1", "actor2", "location", "latitude", "longitude",
    "admin1_code", "geo_precision", "date_start", "date_end", "killed_best", "injured_best",
    "arrested_best", "summary", "notes",
)
#: Text fields; an empty or blank value clears the field (sent as None).
TEXT_FIELDS: frozenset[str] = frozenset(
    ("sub_event_type", "actor1", "actor2", "location", "summary", "notes"))
#: How the panel names the store's fields (form fields and those following from them).
FIELD_LABELS: dict[str, str] = {
    "event_type": "Event type", "sub_event_type": "Sub-event type", "actor1": "Actor 1",
    "actor2": "Actor 2", "location": "Place name", "latitude": "Latitude",
    "longitude": "Longitude", "country": "Country", "admin1": "Province",
    "admin1_code": "Province code", "geo_precision": "Place precision",
    "date_start": "Start date", "date_end": "End date", "summary": "Summary", "notes": "Notes",
    "status": "Status", "flags": "Flags", "assoc_actors": "Associated actors",
    **{f"{count}_{part}": f"{count.capitalize()} ({part})"
       for count in ("killed", "injured", "arrested") for part in ("low", "best", "high")},
}
#: How long a save waits for another writer (an ingest) before giving up (seconds).
SAVE_TIMEOUT_S = 5.0


@dataclass(frozen=True, slots=True)
class Correction:
    """What to send to the store: ``changes`` (flat field -> new value), the fields the
    analyst changed by hand (``edited``, in form order) and whether the province was found
    again from moved coordinates (``rejoined``)."""

    changes: Mapping[str, Any] = field(default_factory=dict)
    edited: tuple[str, ...] = ()
    rejoined: bool = False


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """One audit-log row as the panel shows it (plain text, not yet escaped)."""

    when: str
    who: str
    field: str
    old: str
    new: str


def form_values(incident: Incident) -> dict[str, Any]:
    """The incident's values for :data:`FORM_FIELDS` (None where unknown; text stripped,
    empty text as None), as the form starts from them."""
    loc = incident.location
    counts = {f"{name}_best": (getattr(incident, name).best
                               if getattr(incident, name) is not None else None)
              for name in ("killed", "injured", "arrested")}
    values: dict[str, Any] = {
        "event_type": incident.event_type,
        "sub_event_type": incident.sub_event_type,
        "actor1": incident.actor1,
        "actor2": incident.actor2,
        "location": loc.name if loc else None,
        "latitude": loc.lat if loc else None,
        "longitude": loc.lon if loc else None,
        "admin1_code": loc.admin1_code if loc else None,
        "geo_precision": loc.geo_precision if loc else None,
        "date_start": incident.date_start,
        "date_end": incident.date_end,
        **counts,
        "summary": incident.summary,
        "notes": incident.notes,
    }
    return normalised(values)


def normalised(values: Mapping[str, Any]) -> dict[str, Any]:
    """Form values made comparable: text stripped and empty text as None, NaN as None,
    whole-number floats of count and precision fields as int."""
    out: dict[str, Any] = {}
    for name in FORM_FIELDS:
        value = values.get(name)
        if isinstance(value, float) and math.isnan(value):
            value = None
        if isinstance(value, str):
            value = value.strip() or None
        if (name.endswith("_best") or name == "geo_precision") and isinstance(value, float) \
                and value.is_integer():
            value = int(value)
        out[name] = value
    return out


def plan(incident: Incident, submitted: Mapping[str, Any], *,
         provinces: Mapping[str, tuple[str, str]]) -> Correction:
    """The changes a submitted form makes to ``incident``.

    Parameters
    ----------
    incident
        The incident as the form was drawn from it.
    submitted
        :data:`FORM_FIELDS` -> the form's values (``latitude``/``longitude`` in degrees,
        dates as :class:`datetime.date`, ``admin1_code`` "" or None for no province).
    provinces
        Admin-1 code -> (English name, country code) of the provinces the form offered.

    Returns
    -------
    Correction
        Empty ``changes`` when nothing was changed.

    Raises
    ------
    CorrectionError
        One coordinate given without the other, or an end date before the start.
    StoreError
        Moved coordinates outside -90..90 / -180..180 (from the spatial join's check).
    """
    before = form_values(incident)
    after = normalised(submitted)
    edited = tuple(f for f in FORM_FIELDS if after[f] != before[f])
    if not edited:
        return Correction()
    lat, lon = after["latitude"], after["longitude"]
    if (lat is None) != (lon is None) and {"latitude", "longitude"} & set(edited):
        raise CorrectionError(
            f"latitude {lat!r} / longitude {lon!r}: give both coordinates (decimal degrees) "
            "or clear both")
    start, end = after["date_start"], after["date_end"]
    if isinstance(start, date) and isinstance(end, date) and end < start:
        raise CorrectionError(
            f"end date {end.isoformat()!r} is before the start date {start.isoformat()!r}; "
            "set the end on or after the start (or clear it)")

    changes: dict[str, Any] = {f: after[f] for f in edited}
    rejoined = False
    if "admin1_code" in changes:
        code = changes["admin1_code"]
        name, country = provinces.get(code, (None, None)) if code else (None, None)
        changes["admin1"] = name
        if country:
            changes["country"] = country
    elif {"latitude", "longitude"} & set(edited) and lat is not None:
        changes.update(area_of(lat, lon))
        rejoined = True
    for name in ("killed", "injured", "arrested"):
        best_field = f"{name}_best"
        if best_field not in changes:
            continue
        best = changes[best_field]
        count = getattr(incident, name)
        if best is None:
            changes[f"{name}_low"] = changes[f"{name}_high"] = None
        else:
            changes[f"{name}_low"] = min(count.low, best) if count else best
            changes[f"{name}_high"] = max(count.high, best) if count else best
    return Correction(changes=changes, edited=edited, rejoined=rejoined)


def write_problem(path: str | Path) -> str | None:
    """Why corrections cannot be saved to the store at ``path``, or None when they can.

    SQLite writes the store file and, beside it, its write-ahead log and shared-memory
    files; all must be writable by this process.
    """
    target = Path(path)
    if not target.is_file():
        return f"There is no store file at {str(target)!r} to save corrections to."
    if not os.access(target, os.W_OK):
        return (f"The store {str(target)!r} is read-only on disk, so corrections cannot be "
                "saved here. Make the file writable (or run the dashboard as its owner) to "
                "correct incidents.")
    blocked = [p for p in (target.with_name(target.name + "-wal"),
                           target.with_name(target.name + "-shm"))
               if p.exists() and not os.access(p, os.W_OK)]
    if blocked or not os.access(target.parent, os.W_OK) and not all(
            target.with_name(target.name + s).exists() for s in ("-wal", "-shm")):
        return (f"The folder of the store {str(target)!r} (or its -wal/-shm files) is "
                "read-only, and SQLite writes its log there, so corrections cannot be saved "
                "here. Make them writable to correct incidents.")
    return None


def save_correction(path: str | Path, incident_id: str, correction: Correction, *, who: str,
                    expected: Mapping[str, Any], timeout_s: float = SAVE_TIMEOUT_S
                    ) -> Incident:
    """Write ``correction`` to the store in one short transaction and return the incident
    as stored after it.

    Parameters
    ----------
    path
        The store file; a writable connection is opened for this save only.
    incident_id
        The incident corrected.
    correction
        From :func:`plan` (or ``Correction({"status": "reviewed"})``).
    who : keyword-only
        The analyst's name, kept in the audit log; required.
    expected : keyword-only
        :func:`form_values` (and ``status``) of the incident as the form showed it: a
        field the analyst changed that someone else changed meanwhile is refused, not
        overwritten.
    timeout_s : keyword-only
        How long to wait for another writer (seconds).

    Raises
    ------
    CorrectionError
        No name, a read-only store, or a field changed meanwhile; nothing is written.
    IncidentNotFound, InvalidEdit, StoreError
        From the store; nothing is written.
    """
    who = _writer(path, who, "every change", "saved")
    with IncidentStore(path, timeout_s=timeout_s) as store:
        stored = store.get_incident(incident_id)
        current = {**form_values(stored), "status": stored.status}
        moved = [f for f in correction.edited if current[f] != expected.get(f)]
        if moved:
            raise CorrectionError(
                f"{', '.join(FIELD_LABELS[f] for f in moved)} changed in the store since the "
                f"form was opened (now {', '.join(repr(current[f]) for f in moved)}); nothing "
                "was saved. Look at the record again and redo the correction.")
        return store.update_incident(incident_id, dict(correction.changes), who=who)


def shown(value: Any) -> str:
    """A field value as plain text for the panel: dates ISO, coordinates to 5 decimals."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.5f}".rstrip("0").rstrip(".")
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value) or "(empty)"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def change_lines(before: Mapping[str, Any], correction: Correction) -> list[str]:
    """``"Killed (best): 3 → 5"`` for each field the analyst changed (plain text)."""
    return [f"{FIELD_LABELS[f]}: {shown(before.get(f))} → {shown(correction.changes[f])}"
            for f in correction.edited]


def _audit_value(text: Any) -> str:
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return "(empty)"
    try:
        return shown(json.loads(text))
    except (TypeError, ValueError):
        return str(text)


def history_rows(log: pd.DataFrame) -> list[HistoryRow]:
    """An incident's audit log (``IncidentStore.audit_log``) as rows to show, newest first."""
    rows = []
    for record in log.iloc[::-1].to_dict(orient="records"):
        at = record["at"]
        when = at.strftime("%Y-%m-%d %H:%M UTC") if pd.notna(at) else "?"
        rows.append(HistoryRow(when=when, who=str(record["who"]),
                               field=FIELD_LABELS.get(record["field"], str(record["field"])),
                               old=_audit_value(record["old"]), new=_audit_value(record["new"])))
    return rows


#: How far apart (km) and how many days apart two incidents may be to be offered as the
#: same event in the panel's merge form.
DUPLICATE_KM = 50.0
DUPLICATE_DAYS = 7


def likely_duplicates(table: pd.DataFrame, incident: Incident, *, km: float = DUPLICATE_KM,
                      days: int = DUPLICATE_DAYS, limit: int = 8) -> pd.DataFrame:
    """Incidents of ``table`` that may report the same event as ``incident``: the same event
    type, dates within ``days`` of each other's range, points within ``km``; nearest first.

    Parameters
    ----------
    table
        The dashboard's incident table (``incident_id``, ``event_type``, ``latitude``,
        ``longitude``, ``date_start``, ``date_end``, ...).
    incident
        The incident open in the panel (left out of the result).

    Returns
    -------
    pandas.DataFrame
        At most ``limit`` rows of ``table`` with a ``distance_km`` column; empty when the
        incident has no point or no date.
    """
    loc = incident.location
    if loc is None or loc.lat is None or loc.lon is None or incident.date_start is None:
        return table.iloc[0:0].assign(distance_km=pd.Series(dtype=float))
    start = pd.Timestamp(incident.date_start) - pd.Timedelta(days=days)
    end = pd.Timestamp(incident.date_end or incident.date_start) + pd.Timedelta(days=days)
    last = table["date_end"].fillna(table["date_start"])
    near_in_time = (table["event_type"] == incident.event_type) & (
        table["date_start"] <= end) & (last >= start) & (table["incident_id"] != incident.incident_id)
    rows = table.loc[near_in_time & table["latitude"].notna() & table["longitude"].notna()]
    distance = haversine_km(np.asarray([loc.lat]), np.asarray([loc.lon]),
                            rows["latitude"].to_numpy(float), rows["longitude"].to_numpy(float))[0]
    rows = rows.assign(distance_km=distance).loc[distance <= km]
    return rows.sort_values(["distance_km", "date_start"], kind="stable").head(limit)


def save_merge(path: str | Path, keep_id: str, other_id: str, *, who: str,
               timeout_s: float = SAVE_TIMEOUT_S) -> Incident:
    """Merge incident ``other_id`` into ``keep_id`` (:meth:`IncidentStore.merge`, one
    transaction) and return the kept incident as stored after it.

    Raises
    ------
    CorrectionError
        No name or a read-only store; nothing is written.
    IncidentNotFound, InvalidEdit, StoreError
        From the store (an unknown id, the same id twice, an article reporting both, an
        imported event to merge away); nothing is written.
    """
    who = _writer(path, who, "the merge", "merged")
    with IncidentStore(path, timeout_s=timeout_s) as store:
        return store.merge(keep_id, other_id, who=who)


def _writer(path: str | Path, who: str, kept: str, done: str) -> str:
    """The analyst's name, stripped, once it is given and the store can be written.

    Raises
    ------
    CorrectionError
        No name (the message says ``kept`` is kept with it, and nothing was ``done``), or a
        store this process cannot write.
    """
    who = (who or "").strip()
    if not who:
        raise CorrectionError(f"Give your name (it is kept with {kept} in the edit history); "
                              f"nothing was {done}.")
    problem = write_problem(path)
    if problem:
        raise CorrectionError(problem)
    return who
