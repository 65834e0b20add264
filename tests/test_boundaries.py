"""The shipped admin-1/admin-0 boundary files and their loader."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from geo import boundaries
from geo.errors import BoundaryDataError


@pytest.fixture(scope="module")
def admin1():
    return boundaries.load_admin1()


@pytest.fixture(scope="module")
def admin0():
    return boundaries.load_admin0()


def _row(admin1, code):
    rows = admin1[admin1["admin1_code"] == code]
    assert len(rows) == 1, f"{code!r} should be one row, got {len(rows)}"
    return rows.iloc[0]


def test_kirkuk_has_its_current_code(admin1):
    assert "IQ-KI" in set(admin1["admin1_code"])
    assert "IQ-TS" not in set(admin1["admin1_code"])
    kirkuk = _row(admin1, "IQ-KI")
    assert kirkuk["ne_code"] == "IQ-TS"
    assert kirkuk["name_en"] == "Kirkuk"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("IQ-AN", "Anbar"),
        ("IQ-NI", "Nineveh"),
        ("IQ-SD", "Salah ad-Din"),
        ("SY-DY", "Deir ez Zor"),
    ],
)
def test_focus_provinces_carry_alternate_names(admin1, code, expected):
    row = _row(admin1, code)
    names = {row["name"], row["name_en"], *row["alt_names"].split("|")}
    assert expected in names
    assert row["country"] == code[:2]
    assert row["label_lat"] == pytest.approx(row["label_lat"])  # not NaN
    assert row["area_km2"] > 1000


def test_capital_cities_are_kept_apart_from_province_names(admin1):
    anbar, ninawa = _row(admin1, "IQ-AN"), _row(admin1, "IQ-NI")
    assert "Ramadi" not in anbar["alt_names"].split("|")
    assert "Ramadi" in anbar["city_alt_names"].split("|")
    assert "Mosul" not in ninawa["alt_names"].split("|")
    assert "Mosul" in ninawa["city_alt_names"].split("|")
    # a province named after its capital keeps the capital's spellings
    assert "Irbil" in _row(admin1, "IQ-AR")["alt_names"].split("|")


def test_arabic_names_and_columns_for_the_gazetteer(admin1):
    for column in ("admin1_code", "name", "name_en", "name_ar", "alt_names", "country",
                   "country_name", "label_lat", "label_lon", "area_km2", "type_en"):
        assert column in admin1.columns
    assert "الأنبار" in _row(admin1, "IQ-AN")["alt_names"].split("|")
    assert admin1.crs.to_epsg() == 4326


def test_renumbered_codes_follow_the_iso_history(admin1):
    by_name = admin1.set_index("name")
    assert by_name.loc["Alborz", "admin1_code"] == "IR-30"
    assert by_name.loc["Tehran", "admin1_code"] == "IR-23"
    assert by_name.loc["Odisha", "admin1_code"] == "IN-OD"


def test_admin0_is_the_union_of_its_admin1_areas(admin1, admin0):
    iraq = admin0.set_index("country").loc["IQ"]
    assert iraq["country_name"] == "Iraq"
    assert iraq["iso_a3"] == "IRQ"
    provinces = shapely.union_all(admin1.loc[admin1["country"] == "IQ"].geometry.values)
    assert shapely.equals(shapely.normalize(iraq.geometry), shapely.normalize(provinces)) or \
        shapely.symmetric_difference(iraq.geometry, provinces).area < 1e-9
    assert shapely.contains_xy(iraq.geometry, iraq["label_lon"], iraq["label_lat"])
    assert admin0["country"].dropna().is_unique


@pytest.mark.parametrize(
    ("left", "right"),
    [("IQ-AN", "IQ-NI"), ("IQ-AN", "SY-DY"), ("IQ-NI", "IQ-SD"), ("SY-DY", "SY-RA"),
     ("IQ-KI", "IQ-SD"), ("IQ-AN", "IQ-KA")],
)
def test_neighbouring_provinces_still_share_their_border(admin1, left, right):
    a, b = _row(admin1, left).geometry, _row(admin1, right).geometry
    border = shapely.line_merge(shapely.intersection(shapely.boundary(a), shapely.boundary(b)))
    pieces = [p for p in shapely.get_parts(border) if p.geom_type == "LineString"]
    assert sum(p.length for p in pieces) > 0.1, "the provinces no longer touch"
    assert shapely.area(shapely.intersection(a, b)) < 1e-9, "the provinces overlap"
    # small disks centred on the shared border are covered by the two provinces: no gap
    samples = [shapely.line_interpolate_point(p, np.linspace(0.05, 0.95, 10), normalized=True)
               for p in pieces if p.length > 0.05]
    disks = shapely.buffer(np.concatenate(samples), 1e-4)
    both = shapely.union(a, b)
    assert shapely.covers(both, disks).all()


def test_focus_layer_is_a_valid_coverage(admin1):
    focus = admin1[admin1["country"].isin(["IQ", "SY", "JO", "TR"])]
    assert shapely.coverage_is_valid(focus.geometry.values)
    assert shapely.is_valid(focus.geometry.values).all()


def test_admin1_by_code_accepts_old_and_new_codes():
    assert boundaries.admin1_by_code("iq-ki")["admin1_code"] == "IQ-KI"
    assert boundaries.admin1_by_code("IQ-TS")["admin1_code"] == "IQ-KI"
    with pytest.raises(KeyError, match="'ZZ-99'"):
        boundaries.admin1_by_code("ZZ-99")


def test_admin1_areas_has_one_row_per_code():
    areas = boundaries.admin1_areas()
    assert areas.index.is_unique
    assert "IE-D" in areas.index  # four Natural Earth rows dissolved into one


def test_loaded_frames_are_copies(admin1):
    frame = boundaries.load_admin1()
    frame.loc[:, "name"] = "changed"
    assert (boundaries.load_admin1()["name"] != "changed").any()


def test_missing_file_names_it_and_how_to_rebuild(tmp_path, monkeypatch):
    monkeypatch.setenv("INCIDENT_ATLAS_DATA", str(tmp_path))
    boundaries.clear_cache()
    try:
        with pytest.raises(BoundaryDataError, match="admin1.parquet.*build_boundaries"):
            boundaries.load_admin1()
    finally:
        monkeypatch.undo()
        boundaries.clear_cache()


def test_corrupt_file_is_reported(tmp_path, monkeypatch):
    (tmp_path / "boundaries").mkdir()
    (tmp_path / "boundaries" / "admin0.parquet").write_bytes(b"not parquet at all")
    monkeypatch.setenv("INCIDENT_ATLAS_DATA", str(tmp_path))
    boundaries.clear_cache()
    try:
        with pytest.raises(BoundaryDataError, match="admin0.parquet.*unreadable"):
            boundaries.load_admin0()
    finally:
        monkeypatch.undo()
        boundaries.clear_cache()


def test_every_row_has_a_polygon(admin1):
    types = set(admin1.geom_type)
    assert types <= {"Polygon", "MultiPolygon"}
    assert not np.any(shapely.is_empty(admin1.geometry.values))
