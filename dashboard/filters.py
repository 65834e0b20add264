"""What the analyst narrows the incidents down to, and applying it to the incident table.

The dashboard loads the whole store's incident table once per store version and filters it
here in memory (vectorised pandas masks), which is faster than a SQL query per widget
change; the semantics match ``IncidentStore.incidents_frame`` so the two agree.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from incidents.model import EVENT_TYPES

#: ``geo_precision`` codes (ACLED) and how the dashboard names them.
PRECISION_LABELS: dict[int, str] = {
    1: "exact place",
    2: "near a place or part of a region",
    3: "province or larger region",
}

#: Columns searched by the free-text filter (as the store's ``text`` filter).
SEARCH_COLUMNS: tuple[str, ...] = ("summary", "location", "actor1", "actor2", "admin1")

#: Derived columns added by :func:`prepare_frame` (never shown or exported).
SEARCH_COLUMN = "_search"
DATE_END_COLUMN = "_date_last"


@dataclass(frozen=True, slots=True)
class IncidentFilter:
    """A set of filters; an empty tuple means "any".

    ``date_from``/``date_to`` keep incidents whose ``[date_start, date_end]`` overlaps the
    range (both inclusive); when either is given, incidents without a date are dropped.
    ``text`` is a case-insensitive substring of the summary, place, actors or province, or of
    the text of an article that reports the incident (the store finds those:
    ``IncidentStore.incident_ids_citing``).
    ``area`` (south, west, north, east; degrees, inclusive) keeps the incidents drawn as
    symbols whose point lies in it (not those known only to their province, drawn as the
    province): the incidents of a cluster clicked on the map. It is not a filter of the store.
    """

    date_from: date | None = None
    date_to: date | None = None
    event_types: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    admin1_codes: tuple[str, ...] = ()
    precisions: tuple[int, ...] = ()
    text: str = ""
    area: tuple[float, float, float, float] | None = None

    def is_empty(self) -> bool:
        """True when nothing is filtered out."""
        return self == IncidentFilter()

    def store_options(self) -> dict[str, Any]:
        """The same filter as keyword arguments of ``IncidentStore.incidents_frame``
        (all but ``area``, which the store does not filter by)."""
        return {
            "date_from": self.date_from,
            "date_to": self.date_to,
            "event_types": list(self.event_types) or None,
            "actors": list(self.actors) or None,
            "countries": list(self.countries) or None,
            "admin1_codes": list(self.admin1_codes) or None,
            "precisions": list(self.precisions) or None,
            "text": self.text or None,
        }


@dataclass(frozen=True, slots=True)
class FilterOptions:
    """The choices the sidebar offers, read from the whole (unfiltered) table.

    ``provinces`` maps an admin-1 code to ``"Name (CODE)"``; ``province_country`` maps it
    to its country; ``countries`` maps a country code to ``"Name (CODE)"`` (a name an
    analyst can type); ``actors`` are ordered by how many incidents name them.
    """

    date_min: date | None
    date_max: date | None
    undated: int
    event_types: tuple[str, ...]
    actors: tuple[str, ...]
    countries: dict[str, str]
    provinces: dict[str, str]
    province_country: dict[str, str]
    precisions: tuple[int, ...]


def prepare_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of an incident table with the columns filtering needs precomputed.

    Adds a lower-case search text and the last day of each incident (``date_end``, else
    ``date_start``). Done once per store version; :func:`apply_filter` then only compares.
    """
    out = frame.copy()
    parts = [out[c].fillna("").astype(str).str.lower() for c in SEARCH_COLUMNS if c in out]
    search = parts[0]
    for part in parts[1:]:
        search = search + "\n" + part
    out[SEARCH_COLUMN] = search
    out[DATE_END_COLUMN] = out["date_end"].fillna(out["date_start"])
    return out


def apply_filter(frame: pd.DataFrame, flt: IncidentFilter, *,
                 cited: Collection[str] = frozenset()) -> pd.DataFrame:
    """The rows of a :func:`prepare_frame` table that pass ``flt`` (a new frame, same order).

    ``cited``: the ids of the incidents whose articles hold ``flt.text``
    (``IncidentStore.incident_ids_citing``); they pass the text filter too.
    """
    if flt.is_empty():
        return frame
    keep = np.ones(len(frame), dtype=bool)
    if flt.date_from is not None:
        keep &= (frame[DATE_END_COLUMN] >= pd.Timestamp(flt.date_from)).to_numpy(bool)
    if flt.date_to is not None:
        keep &= (frame["date_start"] <= pd.Timestamp(flt.date_to)).to_numpy(bool)
    for values, column in ((flt.event_types, "event_type"), (flt.countries, "country"),
                           (flt.admin1_codes, "admin1_code")):
        if values:
            keep &= frame[column].isin(values).to_numpy(bool)
    if flt.actors:
        keep &= (frame["actor1"].isin(flt.actors) | frame["actor2"].isin(flt.actors)
                 ).to_numpy(bool)
    if flt.precisions:
        keep &= frame["geo_precision"].isin(list(flt.precisions)).fillna(False).to_numpy(bool)
    if flt.area is not None:
        south, west, north, east = flt.area
        lat = frame["latitude"].to_numpy(dtype=float, na_value=np.nan)
        lon = frame["longitude"].to_numpy(dtype=float, na_value=np.nan)
        keep &= (lat >= south) & (lat <= north) & (lon >= west) & (lon <= east)
        # a cluster counts the incidents drawn as symbols; those known only to their province
        # are drawn as the province (its badge), whatever their stored point
        province_level = (frame["geo_precision"] == 3).fillna(False) & frame["admin1_code"].notna()
        keep &= ~province_level.to_numpy(bool)
    needle = flt.text.strip().lower()
    if needle:
        found = frame[SEARCH_COLUMN].str.contains(needle, regex=False).fillna(False).to_numpy(bool)
        if cited:
            found = found | frame["incident_id"].isin(cited).to_numpy(bool)
        keep &= found
    return frame.loc[keep]


def filter_options(frame: pd.DataFrame, province_names: dict[str, str] | None = None,
                   *, country_names: dict[str, str] | None = None,
                   max_actors: int = 500) -> FilterOptions:
    """The values present in ``frame`` for each filter.

    Parameters
    ----------
    frame
        The whole incident table.
    province_names
        Admin-1 code to name (from the boundaries); codes without one use the stored
        ``admin1`` name.
    country_names
        Country code to name (from the boundaries); codes without one are shown alone.
    max_actors
        At most this many actors are offered, the most frequent first.
    """
    starts = frame["date_start"].dropna()
    ends = frame["date_end"].fillna(frame["date_start"]).dropna()
    present = set(frame["event_type"].dropna().unique())
    event_types = tuple(t for t in EVENT_TYPES if t in present) + tuple(
        sorted(present.difference(EVENT_TYPES)))
    actors = (pd.concat([frame["actor1"], frame["actor2"]]).dropna()
              .loc[lambda s: s.str.strip() != ""].value_counts())
    codes = frame.loc[frame["admin1_code"].notna(), ["admin1_code", "admin1", "country"]]
    codes = codes.drop_duplicates("admin1_code").sort_values(["country", "admin1_code"])
    names = province_names or {}
    provinces = {
        code: f"{names.get(code) or (stored if isinstance(stored, str) else code)} ({code})"
        for code, stored in zip(codes["admin1_code"], codes["admin1"])
    }
    precisions = tuple(sorted(int(p) for p in frame["geo_precision"].dropna().unique()))
    known = country_names or {}
    return FilterOptions(
        date_min=starts.min().date() if len(starts) else None,
        date_max=ends.max().date() if len(ends) else None,
        undated=int(frame["date_start"].isna().sum()),
        event_types=event_types,
        actors=tuple(actors.index[:max_actors]),
        countries={code: f"{known[code]} ({code})" if known.get(code) else code
                   for code in sorted(frame["country"].dropna().unique())},
        provinces=provinces,
        province_country=dict(zip(codes["admin1_code"], codes["country"].fillna(""))),
        precisions=precisions,
    )
