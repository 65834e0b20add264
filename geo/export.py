"""Hand incidents on in the formats GIS people use: GeoJSON, CSV, GeoPackage, KML, GeoParquet.

Every function takes the incidents frame of the store
(:meth:`incidents.store.IncidentStore.incidents_frame`, the columns of
:data:`incidents.model.ROW_COLUMNS`) and returns the file as bytes, so the CLI writes them
and the dashboard's download buttons serve them. :func:`write_export` writes to a temporary
file beside the target and renames it: a target is never left half-written.

Coordinates are WGS84 degrees (EPSG:4326), longitude first wherever a format has an order
(GeoJSON per RFC 7946, KML, WKB). Incidents without valid coordinates keep their row in CSV,
get a null geometry in GeoJSON, GeoPackage and GeoParquet, and are left out of KML (a
placemark needs a place).
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geo.errors import ExportError
from incidents.model import ROW_COLUMNS, Incident

#: Export formats, their file extensions and media types.
FORMATS: dict[str, tuple[str, str]] = {
    "geojson": (".geojson", "application/geo+json"),
    "csv": (".csv", "text/csv"),
    "gpkg": (".gpkg", "application/geopackage+sqlite3"),
    "kml": (".kml", "application/vnd.google-earth.kml+xml"),
    "geoparquet": (".parquet", "application/vnd.apache.parquet"),
}

#: ACLED's column names for our columns, in ACLED's order; other columns follow as they are.
ACLED_CSV_COLUMNS: tuple[str, ...] = (
    "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "assoc_actor_1",
    "actor2", "country", "admin1", "location", "latitude", "longitude", "geo_precision",
    "source", "notes", "fatalities",
)
#: Our columns kept beside the ACLED ones in CSV (``time_precision_label`` is our
#: day/week/month/year; ``country_code`` the ISO alpha-2 code; ``killed_best`` empty where
#: no count is known, which ACLED's ``fatalities`` writes as 0).
EXTRA_CSV_COLUMNS: tuple[str, ...] = (
    "incident_id", "date_start", "date_end", "time_precision_label", "where_prec",
    "radius_km", "country_code", "admin1_code", "join_flag", "place_id", "date_text",
    "historical", "status", "article_ids", "flags", "score", "killed_low", "killed_best", "killed_high",
    "injured_low", "injured_best", "injured_high", "arrested_low", "arrested_best",
    "arrested_high",
)
#: ACLED ``time_precision``: 1 day, 2 week (or a few days), 3 month or longer.
ACLED_TIME_CODES: dict[str, int] = {"day": 1, "week": 2, "month": 3, "year": 3}

KML_NAMESPACE = "http://www.opengis.net/kml/2.2"

#: Cell starts a spreadsheet would run as a formula ("CSV injection"): prefixed with ``'``.
_FORMULA_STARTS = ("=", "+", "@", "\t", "\r")
_TEXT_CSV_COLUMNS = ("event_type", "sub_event_type", "actor1", "assoc_actor_1", "actor2",
                     "country", "admin1", "location", "source", "notes", "date_text", "flags")


# -- checks ----------------------------------------------------------------------------------


def _check(frame: pd.DataFrame) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise ExportError(
            f"export needs the store's incidents frame (a pandas DataFrame), got "
            f"{type(frame).__name__!r}; use IncidentStore.incidents_frame()"
        )
    missing = [c for c in ROW_COLUMNS if c not in frame.columns]
    if missing:
        raise ExportError(
            f"incidents frame lacks column(s) {missing!r}; pass the frame "
            "IncidentStore.incidents_frame() returns (columns of incidents.model.ROW_COLUMNS)"
        )


def _valid_points(frame: pd.DataFrame) -> np.ndarray:
    lat = pd.to_numeric(frame["latitude"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    lon = pd.to_numeric(frame["longitude"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        return np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)


def _iso_dates(values: pd.Series) -> pd.Series:
    """Dates (datetime64 or date objects) as ISO ``YYYY-MM-DD`` text, None when missing."""
    if pd.api.types.is_datetime64_any_dtype(values):
        text = values.dt.strftime("%Y-%m-%d")
    else:
        text = values.map(lambda v: v.isoformat()[:10] if isinstance(v, (date, datetime)) else v)
    return text.astype(object).where(text.notna(), None)


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Python scalars with None for missing values (JSON, XML), dates as ISO text."""
    out = frame.copy()
    for column in ("date_start", "date_end"):
        out[column] = _iso_dates(out[column])
    out = out.astype(object)
    return out.where(out.notna(), None)


def _records(plain: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of a :func:`_plain` frame as dicts of Python scalars (JSON-ready)."""
    columns = [[v.item() if isinstance(v, np.generic) else v for v in plain[c].tolist()]
               for c in plain.columns]
    names = list(plain.columns)
    return [dict(zip(names, values)) for values in zip(*columns)]


def _scalar(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return value


# -- GeoJSON ---------------------------------------------------------------------------------


def _evidence_by_incident(evidence: pd.DataFrame | None) -> dict[str, list[dict[str, Any]]]:
    if evidence is None or evidence.empty:
        return {}
    columns = [c for c in ("role", "quote", "sentence", "start", "end", "article_id")
               if c in evidence.columns]
    plain = evidence[["incident_id", *columns]].astype(object)
    plain = plain.where(plain.notna(), None)
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in plain.to_dict("records"):
        incident_id = row.pop("incident_id")
        grouped.setdefault(incident_id, []).append({k: _scalar(v) for k, v in row.items()})
    return grouped


def _record_extras(record: Incident) -> dict[str, Any]:
    """Fields of the full record that the flat row does not carry."""
    loc = record.location
    return {
        "notes": record.notes,
        "date_anchor": record.date_anchor.isoformat() if record.date_anchor else None,
        "article_ref": record.article_ref,
        "title": record.title,
        "extractor_version": record.extractor_version,
        "feature": loc.feature if loc else None,
        "killed_text": record.killed.text if record.killed else None,
        "injured_text": record.injured.text if record.injured else None,
        "arrested_text": record.arrested.text if record.arrested else None,
        "assoc_actors_list": list(record.assoc_actors),
        "flags_list": list(record.flags),
        "article_ids_list": list(record.article_ids),
    }


def to_geojson(frame: pd.DataFrame, *, records: Sequence[Incident] | None = None,
               evidence: pd.DataFrame | None = None) -> bytes:
    """A GeoJSON FeatureCollection (RFC 7946), one Point feature per incident.

    Parameters
    ----------
    frame : DataFrame
        The store's incidents frame (columns of :data:`ROW_COLUMNS`).
    records : sequence of Incident, keyword-only
        The full records of the same incidents (:meth:`IncidentStore.get_incidents`); adds
        notes, the date anchor, the article reference and the count phrases.
    evidence : DataFrame, keyword-only
        :meth:`IncidentStore.evidence_frame` of the same incidents; each feature gets an
        ``evidence`` list of ``{role, quote, sentence, start, end, article_id}``.

    Returns
    -------
    bytes
        UTF-8 JSON. Geometry is ``[longitude, latitude]`` in WGS84 degrees, null for an
        incident without valid coordinates. Properties hold every row column (dates as
        ISO text, missing values null), ``evidence`` and the record extras.
    """
    _check(frame)
    valid = _valid_points(frame)
    plain = _plain(frame[list(ROW_COLUMNS)])
    by_id = {r.incident_id: r for r in records} if records is not None else {}
    sentences = _evidence_by_incident(evidence)
    features = []
    for ok, props in zip(valid, _records(plain)):
        record = by_id.get(props["incident_id"])
        if record is not None:
            props.update(_record_extras(record))
        props["evidence"] = sentences.get(props["incident_id"], [])
        geometry = ({"type": "Point",
                     "coordinates": [round(float(props["longitude"]), 7),
                                     round(float(props["latitude"]), 7)]} if ok else None)
        features.append({"type": "Feature", "id": props["incident_id"],
                         "geometry": geometry, "properties": props})
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, allow_nan=False).encode("utf-8")


# -- CSV -------------------------------------------------------------------------------------


def _country_names(codes: pd.Series) -> pd.Series:
    from geo.boundaries import load_admin0

    admin0 = load_admin0()
    names = dict(zip(admin0["country"], admin0["country_name"]))
    return codes.map(names).astype(object).where(codes.map(names).notna(), codes)


def acled_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The incidents frame with ACLED's column names first, then our extra columns.

    ``event_date`` is ``date_start``; ``time_precision`` becomes ACLED's 1-3 (day 1, week 2,
    month and year 3; our word is kept as ``time_precision_label``); ``country`` is the
    country name (the ISO code moves to ``country_code``); ``notes`` is the summary;
    ``source`` the dataset row (``ucdp:123``) or, for incidents read from articles, their
    article ids; ``assoc_actor_1`` all associated actors, ``"; "``-joined.
    """
    _check(frame)
    out = pd.DataFrame(index=frame.index)
    out["event_date"] = _iso_dates(frame["date_start"])
    out["time_precision"] = frame["time_precision"].map(ACLED_TIME_CODES).astype("Int64")
    for column in ("event_type", "sub_event_type", "actor1"):
        out[column] = frame[column]
    out["assoc_actor_1"] = frame["assoc_actors"]
    out["actor2"] = frame["actor2"]
    out["country"] = _country_names(frame["country"])
    for column in ("admin1", "location", "latitude", "longitude", "geo_precision"):
        out[column] = frame[column]
    out["source"] = frame["source"].where(frame["source"].notna(), frame["article_ids"])
    out["notes"] = frame["summary"]
    out["fatalities"] = frame["fatalities"]
    out["incident_id"] = frame["incident_id"]
    out["date_start"] = _iso_dates(frame["date_start"])
    out["date_end"] = _iso_dates(frame["date_end"])
    out["time_precision_label"] = frame["time_precision"]
    out["country_code"] = frame["country"]
    for column in EXTRA_CSV_COLUMNS:
        if column not in out.columns:
            out[column] = frame[column]
    return out[list(ACLED_CSV_COLUMNS) + list(EXTRA_CSV_COLUMNS)].reset_index(drop=True)


def to_csv(frame: pd.DataFrame) -> bytes:
    """CSV (UTF-8, header row) with ACLED's column names, then our extra columns.

    See :func:`acled_frame` for the columns. Text cells that a spreadsheet would run as a
    formula (starting with ``=``, ``+``, ``@``, tab or carriage return) get a leading ``'``.
    """
    out = acled_frame(frame)
    for column in _TEXT_CSV_COLUMNS:
        text = out[column].astype(object)
        risky = text.map(lambda v: isinstance(v, str) and v.startswith(_FORMULA_STARTS))
        out[column] = text.where(~risky.astype(bool), "'" + text.astype(str))
    return out.to_csv(index=False, lineterminator="\n").encode("utf-8")


# -- GeoPackage and GeoParquet ---------------------------------------------------------------


def to_geodataframe(frame: pd.DataFrame) -> Any:
    """The incidents as a GeoDataFrame of points (EPSG:4326; None where coordinates are
    missing or out of range). Dates stay ``datetime64``; list columns stay joined text."""
    import geopandas as gpd
    import shapely

    _check(frame)
    valid = _valid_points(frame)
    lon = pd.to_numeric(frame["longitude"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    lat = pd.to_numeric(frame["latitude"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    points = shapely.points(np.where(valid, lon, np.nan), np.where(valid, lat, np.nan))
    points = np.where(valid, points, None)
    data = frame[list(ROW_COLUMNS)].reset_index(drop=True).copy()
    for column in ("date_start", "date_end"):
        if not pd.api.types.is_datetime64_any_dtype(data[column]):
            data[column] = pd.to_datetime(data[column], errors="coerce")
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(points, crs="EPSG:4326"))


def to_gpkg(frame: pd.DataFrame, *, layer: str = "incidents") -> bytes:
    """A GeoPackage with one point layer ``layer`` (EPSG:4326), written by pyogrio."""
    gdf = to_geodataframe(frame)
    with tempfile.TemporaryDirectory(prefix="atlas-gpkg-") as folder:
        path = Path(folder) / "incidents.gpkg"
        gdf.to_file(path, layer=layer, driver="GPKG", engine="pyogrio")
        return path.read_bytes()


def to_geoparquet(frame: pd.DataFrame) -> bytes:
    """GeoParquet (geometry as WKB, CRS EPSG:4326 in the ``geo`` metadata)."""
    gdf = to_geodataframe(frame)
    buffer = io.BytesIO()
    gdf.to_parquet(buffer, index=False)
    return buffer.getvalue()


# -- KML -------------------------------------------------------------------------------------


_XML_INVALID = r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"


def _xml_text(values: pd.Series) -> pd.Series:
    """Text escaped for an XML element (vectorised); characters XML forbids are dropped."""
    text = values.astype(object).where(values.notna(), "").astype(str)
    return (text.str.replace(_XML_INVALID, "", regex=True).str.replace("&", "&amp;", regex=False)
            .str.replace("<", "&lt;", regex=False).str.replace(">", "&gt;", regex=False))


def _html_text(values: pd.Series) -> pd.Series:
    """Untrusted text escaped for HTML (``html.escape`` rules, vectorised)."""
    text = values.astype(object).where(values.notna(), "").astype(str)
    return (text.str.replace("&", "&amp;", regex=False).str.replace("<", "&lt;", regex=False)
            .str.replace(">", "&gt;", regex=False).str.replace('"', "&quot;", regex=False)
            .str.replace("'", "&#x27;", regex=False))


def _joined(frame: pd.DataFrame, columns: Sequence[str], sep: str) -> pd.Series:
    """Non-empty values of ``columns`` joined by ``sep``, row by row."""
    parts = [frame[c].astype(object).where(frame[c].notna() & (frame[c] != ""), None)
             for c in columns]
    out = pd.Series([""] * len(frame), index=frame.index, dtype=object)
    for part in parts:
        text = part.astype(str)
        out = out.where(part.isna(), out.where(out == "", out + sep) + text)
    return out


def _kml_descriptions(rows: pd.DataFrame) -> pd.Series:
    """HTML for each placemark balloon; every value is escaped (article text is untrusted)."""
    dates = rows["date_start"].fillna("unknown date")
    later = rows["date_end"].notna() & (rows["date_end"] != rows["date_start"])
    dates = dates.where(~later, dates + " to " + rows["date_end"].astype(str))
    precision = rows["time_precision"].fillna("precision unknown")
    cells = {
        "Type": _joined(rows, ["event_type", "sub_event_type"], " / "),
        "Date": dates + " (" + precision + ")",
        "Where": _joined(rows, ["location", "admin1", "country"], ", "),
        "Precision": ("geo_precision " + rows["geo_precision"].astype(str) + ", radius "
                      + rows["radius_km"].astype(str) + " km"),
        "Actors": _joined(rows, ["actor1", "actor2"], " vs "),
        "Killed": rows["fatalities"].astype(str),
        "Source": rows["source"].where(rows["source"].notna(), rows["article_ids"]),
        "Incident": rows["incident_id"],
    }
    html_out = "<p>" + _html_text(rows["summary"]) + "</p><table>"
    for label, values in cells.items():
        present = values.notna() & (values.astype(str) != "")
        row = "<tr><th>" + label + "</th><td>" + _html_text(values) + "</td></tr>"
        html_out = html_out + row.where(present, "")
    return html_out + "</table>"


def to_kml(frame: pd.DataFrame, *, name: str = "Incident Atlas incidents") -> bytes:
    """KML 2.2 (opens in Google Earth): one Placemark per incident with coordinates.

    Each placemark has a name (event type, place, date), a ``TimeSpan`` from ``date_start``
    to ``date_end``, a description with the summary and key fields as escaped HTML, and
    every row column as ``ExtendedData``. Incidents without valid coordinates are left out.
    Built with vectorised string operations (no per-element XML tree).
    """
    _check(frame)
    valid = _valid_points(frame)
    rows = _plain(frame.loc[valid, list(ROW_COLUMNS)].reset_index(drop=True))
    head = (f'<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="{KML_NAMESPACE}"><Document>'
            f"<name>{_xml_text(pd.Series([name])).iat[0]}</name>")
    tail = "</Document></kml>\n"
    if rows.empty:
        return (head + tail).encode("utf-8")
    ids = rows["incident_id"].astype(str).str.replace(r"[^0-9A-Za-z_.-]", "_", regex=True)
    title = _joined(rows.assign(place=rows["location"].where(rows["location"].notna(),
                                                             rows["admin1"])),
                    ["event_type", "place", "date_start"], " - ")
    span = ("<TimeSpan><begin>" + rows["date_start"].astype(str) + "</begin><end>"
            + rows["date_end"].where(rows["date_end"].notna(), rows["date_start"]).astype(str)
            + "</end></TimeSpan>").where(rows["date_start"].notna(), "")
    extended = pd.Series([""] * len(rows), dtype=object)
    for column in ROW_COLUMNS:
        values = rows[column]
        data = f'<Data name="{column}"><value>' + _xml_text(values) + "</value></Data>"
        extended = extended + data.where(values.notna(), "")
    lon = pd.to_numeric(rows["longitude"]).map("{:.7f}".format)
    lat = pd.to_numeric(rows["latitude"]).map("{:.7f}".format)
    placemarks = ('<Placemark id="incident_' + ids + '"><name>' + _xml_text(title) + "</name>"
                  + "<description>" + _xml_text(_kml_descriptions(rows)) + "</description>"
                  + span + "<ExtendedData>" + extended + "</ExtendedData>"
                  + "<Point><coordinates>" + lon + "," + lat + "</coordinates></Point>"
                  + "</Placemark>")
    return (head + "".join(placemarks.tolist()) + tail).encode("utf-8")


# -- dispatch and atomic write ---------------------------------------------------------------


def export_bytes(frame: pd.DataFrame, format: str, *, records: Sequence[Incident] | None = None,
                 evidence: pd.DataFrame | None = None) -> bytes:
    """The incidents in ``format`` (one of :data:`FORMATS`) as bytes.

    ``records`` and ``evidence`` are used by GeoJSON only (see :func:`to_geojson`).

    Raises
    ------
    ExportError
        Unknown format or a frame without the store's columns.
    """
    writers: dict[str, Callable[[pd.DataFrame], bytes]] = {
        "csv": to_csv, "gpkg": to_gpkg, "kml": to_kml, "geoparquet": to_geoparquet,
    }
    if format == "geojson":
        return to_geojson(frame, records=records, evidence=evidence)
    if format not in writers:
        raise ExportError(f"unknown export format {format!r}; use one of {sorted(FORMATS)!r}")
    return writers[format](frame)


def check_output(path: str | Path) -> Path:
    """``path`` as a Path, checked before any work: its folder exists and it is no folder.

    Raises
    ------
    ExportError
        The folder is missing or ``path`` is a folder.
    """
    target = Path(path)
    if target.is_dir():
        raise ExportError(f"output {str(target)!r} is a folder; give a file name with -o")
    if not target.parent.is_dir():
        raise ExportError(f"folder {str(target.parent)!r} of the output {str(target)!r} does "
                          "not exist; create it or choose another -o path")
    return target


def write_export(data: bytes, path: str | Path) -> Path:
    """Write ``data`` to ``path`` atomically: a temporary file in the same folder, then a
    rename, so readers never see a half-written file and a failure leaves the old one.

    Raises
    ------
    ExportError
        The folder does not exist.
    OSError
        The file cannot be written (full disk, permissions).
    """
    target = check_output(path)
    folder = target.parent
    part: Path | None = None
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=f".{target.name}.", suffix=".part",
                                         delete=False) as handle:
            part = Path(handle.name)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        part.chmod(0o644)
        os.replace(part, target)
    except BaseException:
        if part is not None:
            part.unlink(missing_ok=True)
        raise
    return target
