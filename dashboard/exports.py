"""The files behind the download buttons: the filtered incidents as GeoJSON, CSV, GeoPackage.

The bytes come from ``geo.export`` (the same functions as ``incident-atlas export``) and are
made only when a button is clicked (Streamlit's deferred downloads), so a page showing
200,000 incidents does not build three files on every rerun.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pandas as pd

from dashboard.filters import IncidentFilter
from geo import export as geo_export
from incidents.model import ROW_COLUMNS
from incidents.store import IncidentStore


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """A download: button label, ``geo.export`` format name, file extension, media type."""

    label: str
    name: str
    extension: str
    mime: str


EXPORT_FORMATS: tuple[ExportFormat, ...] = tuple(
    ExportFormat(label, name, *geo_export.FORMATS[name])
    for label, name in (("GeoJSON", "geojson"), ("CSV", "csv"), ("GeoPackage", "gpkg"))
)

#: Evidence sentences are added to GeoJSON exports of at most this many incidents.
EVIDENCE_LIMIT = 20_000


def file_name(fmt: ExportFormat, flt: IncidentFilter) -> str:
    """``incident-atlas[-<from>_<to>].<ext>``: the date range when the dates are filtered."""
    stem = "incident-atlas"
    if flt.date_from or flt.date_to:
        low = flt.date_from.isoformat() if flt.date_from else "start"
        high = flt.date_to.isoformat() if flt.date_to else "end"
        stem += f"-{low}_{high}"
    return stem + fmt.extension


def export_bytes(frame: pd.DataFrame, fmt: ExportFormat, *,
                 store: IncidentStore | None = None) -> bytes:
    """The incidents of ``frame`` (store columns) as a file in ``fmt``.

    Parameters
    ----------
    frame
        Incidents with the columns of :data:`incidents.model.ROW_COLUMNS` (others ignored).
    fmt
        One of :data:`EXPORT_FORMATS`.
    store
        When given, GeoJSON features carry their evidence sentences (up to
        :data:`EVIDENCE_LIMIT` incidents).
    """
    rows = frame[list(ROW_COLUMNS)]
    if fmt.name == "geojson":
        evidence = None
        if store is not None and 0 < len(rows) <= EVIDENCE_LIMIT:
            evidence = store.evidence_frame(rows["incident_id"].tolist())
        return geo_export.to_geojson(rows, evidence=evidence)
    if fmt.name == "csv":
        return geo_export.to_csv(rows)
    if fmt.name == "gpkg":
        return geo_export.to_gpkg(rows)
    raise ValueError(f"export format {fmt.name!r} is not one of "
                     f"{[f.name for f in EXPORT_FORMATS]!r}")


def deferred(rows: pd.DataFrame | Callable[[], pd.DataFrame], fmt: ExportFormat, *,
             store: IncidentStore | None = None) -> Callable[[], bytes]:
    """A no-argument function making the file when called (for ``st.download_button``).

    ``rows`` is the frame to export, or a function returning it (called only then: the
    dashboard reads every column from the store only when a download is asked for).
    """

    def make() -> bytes:
        return export_bytes(rows() if callable(rows) else rows, fmt, store=store)

    return make
