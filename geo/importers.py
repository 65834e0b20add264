"""Read structured event datasets (UCDP GED, ACLED CSV exports) into incident rows.

Each reader checks the file (encoding, columns), maps the dataset's codes onto the incident
record with vectorised pandas operations, puts every point in its admin-1 area with
:func:`geo.spatial_join.join_incidents`, and returns an :class:`ImportResult`: a frame with
the columns of :data:`incidents.model.ROW_COLUMNS` (plus ``notes`` and ``line``) that
:meth:`incidents.store.IncidentStore.add_incidents` stores, and the problems met, by line.

Rows that cannot become an incident (no id, no date, coordinates missing or out of range,
counts that are not numbers) are left out and reported as errors. Rows that can, but with
doubts, are imported with a flag and reported as warnings: coordinates that look swapped
(never moved), unknown precision codes (replaced by the coarsest meaning).

Mappings
--------
UCDP ``where_prec`` -> ACLED ``geo_precision``: 1 -> 1, 2 -> 2, 3-7 -> 3 (``where_prec`` is
kept), with ``radius_km`` from :data:`UCDP_RADIUS_KM`; 6 (the country) and 7 (sea or air space)
are joined to no province (flag ``wider_than_admin1``). UCDP ``date_prec`` -> ``time_precision``:
1 day, 2 week, 3 month, 4 year, 5 (longer) year. ``type_of_violence`` 1 (state-based) and 2
(non-state) -> Battles / Armed clash, 3 (one-sided) -> Violence against civilians / Attack;
``actor1`` = ``side_a``, ``actor2`` = ``side_b``. ACLED ``time_precision`` 1 day, 2 week,
3 month; ``geo_precision`` is kept, with ``radius_km`` from :data:`ACLED_RADIUS_KM`.
"""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from geo.errors import ImportFormatError
from incidents.model import EVENT_TYPES, ROW_COLUMNS, Count, Incident, Location

#: Columns a UCDP GED file must have (both the 49-column global and 41-column country files).
UCDP_REQUIRED: tuple[str, ...] = (
    "id", "type_of_violence", "side_a", "side_b", "where_prec", "latitude", "longitude",
    "country", "date_prec", "date_start", "date_end", "low", "best", "high",
)
#: Columns read from a UCDP GED file when present.
UCDP_OPTIONAL: tuple[str, ...] = (
    "adm_1", "where_coordinates", "where_description", "source_headline", "source_article",
    "source_original", "dyad_name",
)
#: ACLED's published columns an export must have (others are ignored).
ACLED_REQUIRED: tuple[str, ...] = (
    "event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type",
    "actor1", "actor2", "admin1", "location", "latitude", "longitude", "geo_precision",
    "source", "notes", "fatalities", "country",
)
ACLED_OPTIONAL: tuple[str, ...] = ("assoc_actor_1", "assoc_actor_2", "admin2", "admin3", "iso")

#: Radius (km) of the area a UCDP event could be in, by ``where_prec``: 1 exact place,
#: 2 within about 25 km of it, 3 an admin-2 area, 4 an admin-1 area, 5 a stretch more than
#: 25 km long (road, front line), 6 the country, 7 sea or air space.
UCDP_RADIUS_KM: dict[int, float] = {1: 0.0, 2: 25.0, 3: 50.0, 4: 150.0, 5: 75.0, 6: 500.0,
                                    7: 500.0}
#: Radius (km) by ACLED ``geo_precision``: 1 the town, 2 near it, 3 the province.
ACLED_RADIUS_KM: dict[int, float] = {1: 0.0, 2: 25.0, 3: 150.0}

#: The kind of area a UCDP event known only to more than a province is in (``where_prec`` 6
#: the country, 7 sea or air space): such an event is joined to no province (flag
#: ``wider_than_admin1``, as an article's "eastern Syria" is), not to the province its
#: reference point happens to fall in (UCDP's country-wide Syria point lies in Hama).
_UCDP_WIDE_FEATURE = {6: "country", 7: "region"}
_UCDP_TIME = {1: "day", 2: "week", 3: "month", 4: "year", 5: "year"}
_ACLED_TIME = {1: "day", 2: "week", 3: "month"}
_UCDP_EVENT = {1: ("Battles", "Armed clash"), 2: ("Battles", "Armed clash"),
               3: ("Violence against civilians", "Attack")}

#: Flags written on imported rows.
FLAG_SWAPPED = "swapped_coordinates"
FLAG_UNKNOWN_GEO_PREC = "unknown_geo_precision"
FLAG_UNKNOWN_TIME_PREC = "unknown_time_precision"
FLAG_COUNTS_ORDER = "counts_out_of_order"

#: Country names the datasets write differently from Natural Earth.
_COUNTRY_ALIASES = {
    "dr congo": "CD", "democratic republic of congo": "CD", "congo": "CG",
    "republic of congo": "CG", "ivory coast": "CI", "cote d'ivoire": "CI",
    "bosnia-herzegovina": "BA", "united states": "US", "united kingdom": "GB",
    "south sudan": "SS", "eswatini": "SZ", "kingdom of eswatini": "SZ",
    "north macedonia": "MK", "czech republic": "CZ", "palestine": "PS",
    "cambodia": "KH", "yemen": "YE", "serbia": "RS", "myanmar": "MM", "laos": "LA",
}

#: Problems shown by line in a summary before "and N more".
SHOW_PROBLEMS = 20

Join = Callable[[pd.DataFrame], pd.DataFrame]


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """One problem with an input row: ``error`` rows were skipped, ``warning`` rows kept."""

    line: int | None
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line is not None else "file"
        return f"{where}: {self.severity}: {self.message}"


@dataclass(frozen=True)
class ImportResult:
    """Incident rows read from one dataset file, and the problems met, by line.

    ``frame`` has the columns of :data:`incidents.model.ROW_COLUMNS` plus ``notes`` (source
    text) and ``line`` (the file line each row starts on); ``rows_read`` counts the data
    rows in the file, good and bad.
    """

    dataset: str
    path: str
    frame: pd.DataFrame
    rows_read: int
    problems: tuple[ImportProblem, ...] = field(default_factory=tuple)

    @property
    def bad_lines(self) -> list[int]:
        """Lines of the rows that were skipped."""
        return sorted({p.line for p in self.problems if p.severity == "error" and p.line})

    @property
    def errors(self) -> list[ImportProblem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[ImportProblem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def incidents(self) -> list[Incident]:
        """The rows as :class:`Incident` records (built on each call; frames are faster)."""
        return frame_to_incidents(self.frame)


# -- reading ---------------------------------------------------------------------------------


def _decode(raw: bytes, path: str) -> tuple[str, list[ImportProblem]]:
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        text = raw.decode("utf-8-sig", errors="replace")
        bad = [i + 1 for i, line in enumerate(text.split("\n")) if "\ufffd" in line]
        shown = ", ".join(map(str, bad[:10])) + (" ..." if len(bad) > 10 else "")
        return text, [ImportProblem(
            None,
            f"{path!r} is not valid UTF-8 ({exc.reason} at byte {exc.start}); bytes that are "
            f"not UTF-8 were replaced by U+FFFD on line(s) {shown}; re-export the file as "
            "UTF-8 to keep those characters",
            "warning",
        )]


def _record_lines(text: str, ncols: int) -> tuple[np.ndarray, int, list[ImportProblem]]:
    """Start line of every record pandas keeps, the number of records, and the long ones.

    pandas skips blank lines and (with ``on_bad_lines``) records with more fields than the
    header, and counts lines its own way around quoted line breaks, so the n-th row of the
    frame is not always on line n + 2: the lines are counted here with :mod:`csv`.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    starts: list[int] = []
    too_long: list[ImportProblem] = []
    last = 0
    total = 0
    header = True
    for record in reader:
        start, last = last + 1, reader.line_num
        if not record or (len(record) == 1 and not record[0].strip()):
            continue
        if header:
            header = False
            continue
        total += 1
        if len(record) <= ncols:
            starts.append(start)
        else:
            too_long.append(ImportProblem(
                start, f"row has {len(record)} fields but the header has {ncols}; check the "
                "quoting of text with commas"))
    return np.asarray(starts, dtype=np.int64), total, too_long


def _read_table(path: str | Path, dataset: str, required: tuple[str, ...],
                optional: tuple[str, ...], other: str) -> tuple[pd.DataFrame, int,
                                                                list[ImportProblem]]:
    """The file as a frame of text (all columns str), with a ``line`` column."""
    name = str(path)
    article = "an" if dataset == "acled" else "a"
    expected = (f"expected {article} {dataset.upper()} CSV export with a header row and columns "
                f"{', '.join(required)}")
    source = Path(path)
    if source.is_dir():
        raise ImportFormatError(f"{name!r} is a folder; give the CSV file inside it")
    if not source.exists():
        raise ImportFormatError(f"{name!r} does not exist; check the path")
    raw = source.read_bytes()
    if not raw.strip():
        raise ImportFormatError(f"{name!r} is empty; {expected}")
    if b"\0" in raw[:8192]:
        raise ImportFormatError(f"{name!r} is a binary file, not CSV text; {expected}")
    text, problems = _decode(raw, name)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                                na_filter=False, on_bad_lines="warn", skipinitialspace=False)
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise ImportFormatError(f"{name!r} cannot be read as CSV ({exc}); {expected}"
                                    ) from exc
    table.columns = [str(c).strip() for c in table.columns]
    missing = [c for c in required if c not in table.columns]
    if missing:
        hint = ""
        if {"event_id_cnty", "event_date"} <= set(table.columns) and dataset != "acled":
            hint = "; this looks like an ACLED export: use --format acled"
        elif {"where_prec", "date_prec"} <= set(table.columns) and dataset != "ucdp":
            hint = "; this looks like a UCDP GED file: use --format ucdp"
        header = text.split("\n", 1)[0]
        if not hint and len(table.columns) == 1:
            for separator, label in ((";", "semicolons"), ("\t", "tabs"), ("|", "bars")):
                if header.count(separator) >= 2:
                    hint = (f"; its columns are separated by {label}: save it with commas "
                            "(a spreadsheet's 'CSV (comma delimited)')")
                    break
        raise ImportFormatError(
            f"{name!r} lacks column(s) {missing!r}; {expected} (found "
            f"{list(table.columns)[:12]!r}){hint or f'; is it {other}?'}"
        )
    for column in optional:
        if column not in table.columns:
            table[column] = ""
    simple = (not caught and text.count("\n") - (not text.endswith("\n")) == len(table)
              and "\n\n" not in text.rstrip("\n"))
    if simple:
        lines = np.arange(2, len(table) + 2, dtype=np.int64)
        total = len(table)
    else:
        lines, total, too_long = _record_lines(text, len(table.columns))
        problems.extend(too_long)
        if len(lines) != len(table):  # quoting csv and pandas read differently: row numbers
            lines = np.arange(2, len(table) + 2, dtype=np.int64)
            total = len(table) + len(too_long)
    table["line"] = lines
    return table, total, problems


# -- vectorised checks -----------------------------------------------------------------------


@dataclass
class _Checks:
    """Rows to skip and rows to warn about, with one message per row."""

    lines: np.ndarray
    bad: np.ndarray = field(init=False)
    problems: list[ImportProblem] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.bad = np.zeros(len(self.lines), dtype=bool)

    def reject(self, mask: np.ndarray | pd.Series, describe: Callable[[int], str]) -> None:
        mask = np.asarray(mask, dtype=bool) & ~self.bad
        for i in np.flatnonzero(mask):
            self.problems.append(ImportProblem(int(self.lines[i]), describe(int(i))))
        self.bad |= mask

    def warn(self, mask: np.ndarray | pd.Series, describe: Callable[[int], str]) -> None:
        mask = np.asarray(mask, dtype=bool) & ~self.bad
        for i in np.flatnonzero(mask):
            self.problems.append(ImportProblem(int(self.lines[i]), describe(int(i)), "warning"))


def _numbers(text: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Numbers from text, and where a non-empty value is not a number."""
    stripped = text.str.strip()
    values = pd.to_numeric(stripped, errors="coerce")
    return values, (values.isna() & (stripped != "")).to_numpy()


def _whole(values: pd.Series) -> np.ndarray:
    """True where a number is missing or a whole number."""
    v = values.to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        return np.isnan(v) | (np.floor(v) == v)


def _dates(text: pd.Series, *formats: str) -> pd.Series:
    """Dates from text in any of ``formats`` (tried in order), NaT where none fits."""
    stripped = text.str.strip()
    result = pd.to_datetime(stripped, format=formats[0], errors="coerce")
    for fmt in formats[1:]:
        missing = result.isna() & (stripped != "")
        if not missing.any():
            break
        result = result.where(~missing, pd.to_datetime(stripped.where(missing), format=fmt,
                                                       errors="coerce"))
    return result.dt.normalize().astype("datetime64[ns]")


@lru_cache(maxsize=1)
def _country_table() -> tuple[dict[str, str], pd.DataFrame]:
    """Country name (lower case) -> ISO alpha-2, and each country's bounding box."""
    from geo.boundaries import load_admin0

    admin0 = load_admin0()
    admin0 = admin0[admin0["country"].notna()]
    names = {str(n).lower(): c for n, c in zip(admin0["country_name"], admin0["country"])}
    names.update(_COUNTRY_ALIASES)
    bounds = admin0.geometry.bounds.set_axis(["minx", "miny", "maxx", "maxy"], axis=1)
    bounds.index = admin0["country"].to_numpy()
    return names, bounds[~bounds.index.duplicated()]


def _country_codes(names: pd.Series) -> pd.Series:
    """ISO alpha-2 of country names as the datasets write them ("DR Congo (Zaire)")."""
    table, _ = _country_table()
    key = names.str.lower().str.replace(r"\s*\(.*\)\s*$", "", regex=True).str.strip()
    return key.map(table).astype(object)


def _swapped(lon: np.ndarray, lat: np.ndarray, country: pd.Series) -> np.ndarray:
    """Points whose coordinates look swapped: |lat| > 90 with |lon| <= 90, or a point outside
    its country's bounding box whose swapped pair is inside it."""
    with np.errstate(invalid="ignore"):
        out_of_range = (np.abs(lat) > 90) & (np.abs(lon) <= 90)
    _, bounds = _country_table()
    box = bounds.reindex(country.to_numpy())
    minx, miny = box["minx"].to_numpy(), box["miny"].to_numpy()
    maxx, maxy = box["maxx"].to_numpy(), box["maxy"].to_numpy()
    with np.errstate(invalid="ignore"):
        inside = (lon >= minx) & (lon <= maxx) & (lat >= miny) & (lat <= maxy)
        inside_swapped = (lat >= minx) & (lat <= maxx) & (lon >= miny) & (lon <= maxy)
    return out_of_range | (~inside & inside_swapped)


def _coordinates(table: pd.DataFrame, checks: _Checks, country: pd.Series
                 ) -> tuple[pd.Series, pd.Series, np.ndarray]:
    """Latitude, longitude, and where they look swapped; rejects missing and hopeless ones."""
    lat, lat_bad = _numbers(table["latitude"])
    lon, lon_bad = _numbers(table["longitude"])
    checks.reject(lat_bad | lon_bad, lambda i: (
        f"coordinates latitude={table['latitude'].iat[i]!r}, longitude="
        f"{table['longitude'].iat[i]!r} are not numbers; give decimal degrees (WGS84)"))
    checks.reject(lat.isna() | lon.isna(), lambda i: (
        "no coordinates (latitude/longitude empty); every event needs a point"))
    lat_a = lat.to_numpy(dtype=float, na_value=np.nan)
    lon_a = lon.to_numpy(dtype=float, na_value=np.nan)
    swapped = _swapped(lon_a, lat_a, country)
    with np.errstate(invalid="ignore"):
        in_range = (np.abs(lat_a) <= 90) & (np.abs(lon_a) <= 180)
    checks.reject(~in_range & ~swapped, lambda i: (
        f"coordinates latitude={float(lat_a[i])!r}, longitude={float(lon_a[i])!r} are out of range "
        "(latitude -90..90, longitude -180..180 degrees)"))
    checks.warn(swapped, lambda i: (
        f"latitude={float(lat_a[i])!r}, longitude={float(lon_a[i])!r} look swapped for country "
        f"{table['country'].iat[i]!r}; imported as given and flagged {FLAG_SWAPPED!r}: fix the "
        "file if they are"))
    return lat, lon, swapped


def _codes(table: pd.DataFrame, column: str, known: dict[int, object], checks: _Checks,
           flag_name: str, fallback: str) -> tuple[pd.Series, np.ndarray]:
    """Integer codes of ``column`` and where they are unknown (warned, not rejected)."""
    values, not_number = _numbers(table[column])
    unknown = not_number | values.isna().to_numpy() | ~values.isin(list(known)).to_numpy()
    checks.warn(unknown, lambda i: (
        f"{column} {table[column].iat[i]!r} is not one of {sorted(known)!r}; using {fallback} "
        f"and flagging {flag_name!r}"))
    return values.where(~unknown).astype("Int64"), unknown


def _flags(*pairs: tuple[str, np.ndarray]) -> pd.Series:
    """``;``-joined flags per row from (flag, mask) pairs."""
    n = len(pairs[0][1])
    out = pd.Series([""] * n, dtype=object)
    for name, mask in pairs:
        mask = np.asarray(mask, dtype=bool)
        if mask.any():
            out[mask] = np.where(out[mask] == "", name, out[mask] + ";" + name)
    return out


def _clean(text: pd.Series) -> pd.Series:
    """Stripped text with empty values as None."""
    stripped = text.astype(object).str.strip()
    return stripped.where(stripped != "", None)


def _duplicates(ids: pd.Series, checks: _Checks, column: str) -> None:
    repeated = ids.duplicated(keep="first").to_numpy() & (ids != "").to_numpy()
    if repeated.any():
        first_line = pd.Series(checks.lines).groupby(ids.to_numpy()).transform("first")
        checks.reject(repeated, lambda i: (
            f"{column} {ids.iat[i]!r} repeats the row on line {int(first_line.iat[i])}; "
            "each event must appear once"))


def _keep_stated_country(frame: pd.DataFrame, stated_country: pd.Series, stated_admin1: pd.Series,
                         joined: pd.DataFrame) -> None:
    """Rows whose point lies in another country's polygon than the dataset says keep the
    dataset's country (its filters and totals follow the source): the nearest province of
    that country within ``STATED_COUNTRY_KM`` (a border village such as Baghuz, drawn just
    across the Iraqi line), else no province; flagged either way. Changes ``frame`` in place.
    """
    from geo.spatial_join import (FLAG_COUNTRY_DIFFERS, FLAG_STATED_COUNTRY, STATED_COUNTRY_KM,
                                  nearest_admin1_in_country)

    stated = pd.Series(stated_country.to_numpy(), dtype=object)
    placed = pd.Series(joined["country"].to_numpy(), dtype=object)
    differs = (stated.notna() & placed.notna() & (stated != placed)).to_numpy()
    if not differs.any():
        return
    rows = np.flatnonzero(differs)
    near = nearest_admin1_in_country(frame["longitude"].to_numpy()[rows], frame["latitude"].to_numpy()[rows],
                                     stated.to_numpy()[rows], max_distance_km=STATED_COUNTRY_KM)
    found = near["admin1_code"].notna().to_numpy()
    given_admin1 = pd.Series(stated_admin1.to_numpy(), dtype=object).to_numpy()[rows]
    frame.loc[rows, "country"] = stated.to_numpy()[rows]
    frame.loc[rows, "admin1_code"] = np.where(found, near["admin1_code"].to_numpy(), None)
    frame.loc[rows, "admin1"] = np.where(found, near["admin1"].to_numpy(), given_admin1)
    frame.loc[rows, "join_flag"] = np.where(found, FLAG_STATED_COUNTRY, FLAG_COUNTRY_DIFFERS)
    for column in ("country", "admin1", "admin1_code", "join_flag"):
        values = frame[column].astype(object)
        frame[column] = values.where(values.notna(), None)


def _assemble(columns: dict[str, pd.Series | np.ndarray], checks: _Checks, join: Join | None
              ) -> pd.DataFrame:
    """The good rows as a frame of incident rows, placed in their admin-1 area."""
    frame = pd.DataFrame({k: (v.reset_index(drop=True) if isinstance(v, pd.Series) else v)
                          for k, v in columns.items()})
    frame = frame.loc[~checks.bad].reset_index(drop=True)
    default_join = join is None
    if join is None:
        from geo.spatial_join import join_incidents as join
    stated_country, stated_admin1 = frame["country"], frame["admin1"]
    joined = join(frame.drop(columns=["country", "admin1", "admin1_code", "join_flag"],
                             errors="ignore"))
    frame["admin1_code"] = joined["admin1_code"].to_numpy()
    frame["join_flag"] = joined["join_flag"].to_numpy()
    frame["country"] = pd.Series(joined["country"].to_numpy(), dtype=object).where(
        joined["country"].notna().to_numpy(), stated_country)
    # the polygon's name goes with its code; the dataset's own name is the fallback (and is
    # kept in the notes) so one province has one name whatever the source
    placed = pd.Series(joined["admin1"].to_numpy(), dtype=object)
    frame["admin1"] = placed.where(placed.notna(), stated_admin1)
    frame["join_flag"] = frame["join_flag"].astype(object).where(frame["join_flag"].notna(), None)
    if default_join:  # a caller's own join decides alone
        _keep_stated_country(frame, stated_country, stated_admin1, joined)
    killed = frame["killed_best"]
    frame["fatalities"] = killed.fillna(0).astype("int64")
    for name in ("injured", "arrested"):
        for part in ("low", "best", "high"):
            frame[f"{name}_{part}"] = pd.array([pd.NA] * len(frame), dtype="Int64")
    for column in ("place_id", "date_text", "article_ids", "score"):
        if column not in frame.columns:
            frame[column] = None if column != "article_ids" else ""
    frame["historical"] = False
    frame["status"] = "reviewed"
    return frame[list(ROW_COLUMNS) + ["notes", "line"]]


def _strip_admin_type(names: pd.Series) -> pd.Series:
    """'Aleppo Governorate' -> 'Aleppo': the admin-1 name without its type word."""
    return names.str.replace(
        r"\s+(governorate|province|state|region|district|department|prefecture|oblast|"
        r"county|division|municipality|muhafazah|wilayah)$", "", case=False, regex=True)


# -- UCDP ------------------------------------------------------------------------------------


def read_ucdp(path: str | Path, *, join: Join | None = None) -> ImportResult:
    """Read a UCDP GED CSV (global 49-column or country 41-column layout).

    Parameters
    ----------
    path : str or Path
        The CSV file.
    join : callable, keyword-only
        Spatial join taking a frame with ``latitude``/``longitude`` (degrees) and returning
        ``country``, ``admin1``, ``admin1_code``, ``join_flag`` per row; default
        :func:`geo.spatial_join.join_incidents`.

    Returns
    -------
    ImportResult
        Rows with ``incident_id`` and ``source`` ``"ucdp:<id>"``, and problems by line.

    Raises
    ------
    ImportFormatError
        The file is empty, not CSV, or lacks required columns (named in the message).
    OSError
        The file cannot be read.
    """
    table, total, problems = _read_table(path, "ucdp", UCDP_REQUIRED, UCDP_OPTIONAL,
                                         "an ACLED export (--format acled)")
    checks = _Checks(table["line"].to_numpy())
    ids = table["id"].str.strip()
    id_num, id_bad = _numbers(ids)
    checks.reject((ids == "") | id_bad, lambda i: (
        f"id {table['id'].iat[i]!r} is not a UCDP event id (a whole number)"))
    ids = id_num.astype("Int64").astype(str).where(~id_bad & (ids != ""), ids)
    _duplicates(ids, checks, "id")

    violence, violence_bad = _numbers(table["type_of_violence"])
    checks.reject(violence_bad | ~violence.isin(list(_UCDP_EVENT)).to_numpy(), lambda i: (
        f"type_of_violence {table['type_of_violence'].iat[i]!r} is not 1 (state-based), "
        "2 (non-state) or 3 (one-sided)"))
    event = violence.map({k: v[0] for k, v in _UCDP_EVENT.items()})
    sub_event = violence.map({k: v[1] for k, v in _UCDP_EVENT.items()})

    start = _dates(table["date_start"], "%Y-%m-%d", "ISO8601")
    end = _dates(table["date_end"], "%Y-%m-%d", "ISO8601")
    checks.reject(start.isna(), lambda i: (
        f"date_start {table['date_start'].iat[i]!r} is not a date like 2016-01-31"))
    end_empty = table["date_end"].str.strip() == ""
    checks.reject(end.isna() & ~end_empty, lambda i: (
        f"date_end {table['date_end'].iat[i]!r} is not a date like 2016-01-31"))
    end = end.where(~end_empty, start)
    checks.reject(end < start, lambda i: (
        f"date_end {table['date_end'].iat[i]!r} is before date_start "
        f"{table['date_start'].iat[i]!r}"))

    counts = {}
    for part in ("low", "best", "high"):
        values, bad = _numbers(table[part])
        checks.reject(bad | ~_whole(values) | (values < 0).fillna(False).to_numpy()
                      | values.isna().to_numpy(), lambda i, part=part: (
            f"{part} {table[part].iat[i]!r} is not a number of deaths (a whole number >= 0)"))
        counts[part] = values.astype("Float64").round().astype("Int64")
    order_bad = ((counts["low"] > counts["best"]) | (counts["best"] > counts["high"])
                 ).fillna(False).to_numpy()
    checks.warn(order_bad, lambda i: (
        f"deaths low={table['low'].iat[i]!r}, best={table['best'].iat[i]!r}, "
        f"high={table['high'].iat[i]!r} are not in order low <= best <= high; flagged "
        f"{FLAG_COUNTS_ORDER!r}"))

    where_prec, where_unknown = _codes(table, "where_prec", UCDP_RADIUS_KM, checks,
                                       FLAG_UNKNOWN_GEO_PREC, "geo_precision 3")
    date_prec, date_unknown = _codes(table, "date_prec", _UCDP_TIME, checks,
                                     FLAG_UNKNOWN_TIME_PREC, "the span of date_start..date_end")
    geo_precision = where_prec.clip(upper=3).fillna(3).astype("Int64")
    radius = where_prec.map(UCDP_RADIUS_KM).astype(float).fillna(UCDP_RADIUS_KM[6])
    span_days = (end - start).dt.days
    from_span = np.select([span_days <= 0, span_days <= 6, span_days <= 31],
                          ["day", "week", "month"], "year")
    time_precision = date_prec.map(_UCDP_TIME).astype(object).where(~date_unknown, from_span)

    country = _country_codes(table["country"])
    lat, lon, swapped = _coordinates(table, checks, country)

    headline, article = _clean(table["source_headline"]), _clean(table["source_article"])
    original = _clean(table["source_original"])
    description = _clean(table["where_description"])
    location = _clean(table["where_coordinates"])
    location = location.where(location.notna(), description)
    adm_1 = _clean(table["adm_1"])
    admin1 = _clean(_strip_admin_type(table["adm_1"].str.strip()))
    sides = _clean(table["side_a"]).fillna("?") + " vs " + _clean(table["side_b"]).fillna("?")
    summary = (sides + (" at " + location).fillna("") + ": "
               + counts["best"].astype(str).str.replace("<NA>", "unknown") + " killed (UCDP best)"
               + ("; headline: " + headline).fillna(""))
    notes = _join_text(("Sources: ", article), ("Original source: ", original),
                       ("Where: ", description), ("UCDP adm_1: ", adm_1))

    incident_id = "ucdp:" + ids
    frame = _assemble({
        "incident_id": incident_id, "event_type": event, "sub_event_type": sub_event,
        "actor1": _clean(table["side_a"]), "actor2": _clean(table["side_b"]),
        "assoc_actors": pd.Series([""] * len(table)), "location": location,
        "latitude": lat.astype(float), "longitude": lon.astype(float),
        "geo_precision": geo_precision, "where_prec": where_prec, "radius_km": radius,
        "feature": where_prec.map(_UCDP_WIDE_FEATURE).astype(object),
        "country": country, "admin1": admin1, "date_start": start, "date_end": end,
        "time_precision": time_precision, "summary": summary, "source": incident_id,
        "flags": _flags((FLAG_SWAPPED, swapped), (FLAG_UNKNOWN_GEO_PREC, where_unknown),
                        (FLAG_UNKNOWN_TIME_PREC, date_unknown), (FLAG_COUNTS_ORDER, order_bad)),
        "killed_low": counts["low"], "killed_best": counts["best"],
        "killed_high": counts["high"], "notes": notes, "line": table["line"],
    }, checks, join)
    return ImportResult("ucdp", str(path), frame, total,
                        tuple(problems) + tuple(sorted(checks.problems,
                                                       key=lambda p: p.line or 0)))


def _join_text(*parts: tuple[str, pd.Series]) -> pd.Series:
    """Labelled pieces of text joined by new lines, skipping empty pieces (None if none)."""
    out = pd.Series([None] * len(parts[0][1]), dtype=object)
    for label, values in parts:
        piece = (label + values.astype(object)).where(values.notna(), None).reset_index(drop=True)
        both = out.notna() & piece.notna()
        out = out.where(~both, out + "\n" + piece).where(out.notna(), piece)
    return out


# -- ACLED -----------------------------------------------------------------------------------


def read_acled(path: str | Path, *, join: Join | None = None) -> ImportResult:
    """Read an ACLED CSV export (ACLED's published column layout).

    Parameters
    ----------
    path : str or Path
        The CSV file.
    join : callable, keyword-only
        Spatial join as for :func:`read_ucdp`.

    Returns
    -------
    ImportResult
        Rows with ``incident_id`` and ``source`` ``"acled:<event_id_cnty>"``; ACLED's
        ``notes`` become the summary and its ``source`` text the notes.

    Raises
    ------
    ImportFormatError
        The file is empty, not CSV, or lacks required columns (named in the message).
    OSError
        The file cannot be read.
    """
    table, total, problems = _read_table(path, "acled", ACLED_REQUIRED, ACLED_OPTIONAL,
                                         "a UCDP GED file (--format ucdp)")
    checks = _Checks(table["line"].to_numpy())
    ids = table["event_id_cnty"].str.strip()
    checks.reject(ids == "", lambda i: "event_id_cnty is empty; every ACLED event has one")
    _duplicates(ids, checks, "event_id_cnty")

    day = _dates(table["event_date"], "%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d/%m/%Y")
    checks.reject(day.isna(), lambda i: (
        f"event_date {table['event_date'].iat[i]!r} is not a date like 2019-03-15 or "
        "15 March 2019"))
    event = _clean(table["event_type"])
    checks.reject(event.isna(), lambda i: f"event_type is empty; use one of {list(EVENT_TYPES)!r}")
    checks.warn(event.notna() & ~event.isin(EVENT_TYPES), lambda i: (
        f"event_type {event.iat[i]!r} is not one of ACLED's {list(EVENT_TYPES)!r}; kept as given"))

    fatalities, fat_bad = _numbers(table["fatalities"])
    checks.reject(fat_bad | ~_whole(fatalities) | (fatalities < 0).fillna(False).to_numpy(),
                  lambda i: (f"fatalities {table['fatalities'].iat[i]!r} is not a whole "
                             "number >= 0"))
    killed = fatalities.astype("Float64").round().astype("Int64")

    time_code, time_unknown = _codes(table, "time_precision", _ACLED_TIME, checks,
                                     FLAG_UNKNOWN_TIME_PREC, "month")
    geo_code, geo_unknown = _codes(table, "geo_precision", ACLED_RADIUS_KM, checks,
                                   FLAG_UNKNOWN_GEO_PREC, "3")
    time_precision = time_code.map(_ACLED_TIME).astype(object).where(~time_unknown, "month")
    geo_precision = geo_code.fillna(3).astype("Int64")
    radius = geo_precision.map(ACLED_RADIUS_KM).astype(float)

    country = _country_codes(table["country"])
    lat, lon, swapped = _coordinates(table, checks, country)

    assoc = (table["assoc_actor_1"].str.strip() + ";" + table["assoc_actor_2"].str.strip())
    assoc = assoc.str.split(";").map(lambda parts: "; ".join(p.strip() for p in parts
                                                             if p.strip()))
    incident_id = "acled:" + ids
    frame = _assemble({
        "incident_id": incident_id, "event_type": event,
        "sub_event_type": _clean(table["sub_event_type"]),
        "actor1": _clean(table["actor1"]), "actor2": _clean(table["actor2"]),
        "assoc_actors": assoc, "location": _clean(table["location"]),
        "latitude": lat.astype(float), "longitude": lon.astype(float),
        "geo_precision": geo_precision, "where_prec": pd.array([pd.NA] * len(table), "Int64"),
        "radius_km": radius, "country": country, "admin1": _clean(table["admin1"]),
        "date_start": day, "date_end": day, "time_precision": time_precision,
        "summary": _clean(table["notes"]).fillna(""), "source": incident_id,
        "flags": _flags((FLAG_SWAPPED, swapped), (FLAG_UNKNOWN_GEO_PREC, geo_unknown),
                        (FLAG_UNKNOWN_TIME_PREC, time_unknown)),
        "killed_low": killed, "killed_best": killed, "killed_high": killed,
        "notes": _join_text(("Sources: ", _clean(table["source"])),
                            ("ACLED admin1: ", _clean(table["admin1"]))),
        "line": table["line"],
    }, checks, join)
    return ImportResult("acled", str(path), frame, total,
                        tuple(problems) + tuple(sorted(checks.problems,
                                                       key=lambda p: p.line or 0)))


#: Readers by ``--format`` name.
READERS: dict[str, Callable[..., ImportResult]] = {"ucdp": read_ucdp, "acled": read_acled}


def read_events(path: str | Path, *, format: str, join: Join | None = None) -> ImportResult:
    """Read ``path`` with the reader for ``format`` (``"ucdp"`` or ``"acled"``)."""
    try:
        reader = READERS[format]
    except KeyError:
        raise ImportFormatError(
            f"unknown dataset format {format!r}; use one of {sorted(READERS)!r}") from None
    return reader(path, join=join)


def frame_to_incidents(frame: pd.DataFrame) -> list[Incident]:
    """Incident records from rows with :data:`ROW_COLUMNS` (and optionally ``notes``)."""
    def value(v: object) -> object:
        return None if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) else v

    out: list[Incident] = []
    for row in frame.to_dict("records"):
        row = {k: value(v) for k, v in row.items()}
        location = None
        if row.get("latitude") is not None or row.get("location") is not None:
            location = Location(
                name=row.get("location") or "", lat=row.get("latitude"),
                lon=row.get("longitude"), country=row.get("country"),
                admin1=row.get("admin1"), admin1_code=row.get("admin1_code"),
                place_id=row.get("place_id"),
                geo_precision=int(row["geo_precision"]) if row.get("geo_precision") else 3,
                radius_km=float(row.get("radius_km") or 0.0),
                where_prec=int(row["where_prec"]) if row.get("where_prec") else None,
                join_flag=row.get("join_flag"),
            )
        counts = {}
        for name in ("killed", "injured", "arrested"):
            best = row.get(f"{name}_best")
            counts[name] = None if best is None else Count(
                int(row.get(f"{name}_low", best) if row.get(f"{name}_low") is not None else best),
                int(best),
                int(row.get(f"{name}_high") if row.get(f"{name}_high") is not None else best))
        day = row.get("date_start")
        end = row.get("date_end")
        out.append(Incident(
            incident_id=row["incident_id"], event_type=row["event_type"],
            sub_event_type=row.get("sub_event_type"), actor1=row.get("actor1"),
            actor2=row.get("actor2"),
            assoc_actors=tuple(a.strip() for a in (row.get("assoc_actors") or "").split(";")
                               if a.strip()),
            location=location,
            date_start=day.date() if day is not None else None,
            date_end=end.date() if end is not None else None,
            time_precision=row.get("time_precision"), date_text=row.get("date_text"),
            historical=bool(row.get("historical")), summary=row.get("summary") or "",
            article_ids=tuple(a for a in (row.get("article_ids") or "").split(";") if a),
            status=row.get("status") or "machine", source=row.get("source"),
            notes=row.get("notes"),
            flags=tuple(f for f in (row.get("flags") or "").split(";") if f),
            score=row.get("score"), **counts,
        ))
    return out
