"""Putting points in their admin-1 area."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo.boundaries import load_admin1
from geo.spatial_join import (
    FLAG_OUTLYING_ISLANDS,
    FLAG_UN_BUFFER_ZONE,
    PLACEHOLDER_AREAS_KEPT,
    PLACEHOLDER_PROVINCES,
    admin1_for_points,
    check_points,
    join_incidents,
    nearest_admin1_in_country,
)

PLACES = {  # (lon, lat) of city centres
    "Ramadi": ((43.305, 33.421), "IQ-AN"),
    "Mosul": ((43.130, 36.340), "IQ-NI"),
    "Deir ez-Zor": ((40.141, 35.336), "SY-DY"),
    "Raqqa": ((39.012, 35.950), "SY-RA"),
    "Kirkuk": ((44.392, 35.468), "IQ-KI"),
    "Tikrit": ((43.679, 34.607), "IQ-SD"),
}


def test_cities_fall_in_their_provinces():
    lon = [p[0][0] for p in PLACES.values()]
    lat = [p[0][1] for p in PLACES.values()]
    result = admin1_for_points(lon, lat)
    assert list(result.columns) == ["country", "admin1", "admin1_code", "join_flag"]
    assert list(result["admin1_code"]) == [p[1] for p in PLACES.values()]
    assert list(result["country"]) == [p[1][:2] for p in PLACES.values()]
    assert result["join_flag"].isna().all()
    assert result["join_flag"].tolist() == [None] * len(PLACES)
    assert result.loc[0, "admin1"] == "Al Anbar"


def test_a_point_offshore_takes_the_nearest_province_flagged():
    # about 3 km off the coast of Latakia, in the Mediterranean
    result = admin1_for_points([35.74], [35.52])
    assert result.loc[0, "admin1_code"] == "SY-LA"
    assert result.loc[0, "join_flag"] == "nearest"
    assert admin1_for_points([35.74], [35.52], max_distance_km=0.5).loc[0, "join_flag"] == \
        "outside"


def test_the_open_ocean_is_outside():
    result = admin1_for_points([-30.0, 65.0], [30.0, -10.0])
    assert result["join_flag"].tolist() == ["outside", "outside"]
    assert result["admin1_code"].tolist() == [None, None]


def test_missing_and_out_of_range_coordinates_are_flagged_not_moved():
    lon = [43.305, np.nan, 43.305, 200.0, 43.305, np.inf, None]
    lat = [33.421, 33.421, np.nan, 33.421, -95.0, 33.421, 33.421]
    result = admin1_for_points(lon, lat)
    assert result["join_flag"].tolist() == [
        None, "no_coordinates", "no_coordinates", "invalid_coordinates",
        "invalid_coordinates", "invalid_coordinates", "no_coordinates",
    ]
    assert result["admin1_code"].tolist() == ["IQ-AN"] + [None] * 6
    check = check_points(lon, lat)
    assert check.lon[3] == 200.0 and check.lat[4] == -95.0


def test_rows_keep_input_order_and_length():
    lon = np.array([40.141, 43.305, 40.141])
    lat = np.array([35.336, 33.421, 35.336])
    assert admin1_for_points(lon, lat)["admin1_code"].tolist() == ["SY-DY", "IQ-AN", "SY-DY"]
    assert len(admin1_for_points([], [])) == 0


def test_mismatched_or_non_numeric_input_is_an_error():
    with pytest.raises(ValueError, match="differ in length"):
        admin1_for_points([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="numbers in degrees"):
        admin1_for_points(["east"], [1.0])
    with pytest.raises(ValueError, match="max_distance_km"):
        admin1_for_points([1.0], [1.0], max_distance_km=-1)


def test_agrees_with_a_direct_polygon_test_on_dense_and_sparse_points():
    # dense points (cells get classified) and a second call (cells come from the cache)
    rng = np.random.default_rng(7)
    lon = np.r_[rng.uniform(38.0, 46.0, 4000), rng.uniform(-170, 170, 300)]
    lat = np.r_[rng.uniform(30.0, 37.0, 4000), rng.uniform(-60, 70, 300)]
    admin1 = load_admin1()
    tree = shapely.STRtree(admin1.geometry.values)
    point_i, poly_i = tree.query(shapely.points(lon, lat), predicate="intersects")
    expected = np.full(len(lon), None, dtype=object)
    expected[point_i] = admin1["admin1_code"].to_numpy()[poly_i]
    inside = pd.notna(expected)
    for _ in range(2):
        result = admin1_for_points(lon, lat)
        assert (result["admin1_code"].to_numpy()[inside] == expected[inside]).all()
        assert result["join_flag"][inside].isna().all()
        assert result["join_flag"][~inside].isin(["nearest", "outside"]).all()


def test_join_incidents_fills_columns_without_touching_the_input():
    frame = pd.DataFrame({
        "incident_id": ["a", "b", "c", "d"],
        "latitude": [33.421, np.nan, np.nan, 33.30],
        "longitude": [43.305, np.nan, np.nan, 44.40],
        "geo_precision": [1, 3, 3, 3],
        "admin1_code": [None, "SY-DY", None, "IQ-AN"],
        "admin1": [None, None, None, "Anbar (as written)"],
    })
    before = frame.copy()
    joined = join_incidents(frame)
    pd.testing.assert_frame_equal(frame, before)
    assert joined["admin1_code"].tolist() == ["IQ-AN", "SY-DY", None, "IQ-AN"]
    # incidents resolved to a whole province keep it, with no flag, under the boundaries'
    # name (one name per province, whatever the article wrote)
    assert joined.loc[1, "admin1"] == "Deir ez-Zor"
    assert joined.loc[1, "country"] == "SY"
    assert joined.loc[3, "admin1"] == "Al Anbar"
    assert joined["join_flag"].tolist() == [None, None, "no_coordinates", None]


def test_join_incidents_reads_point_geometry_and_refuses_other_crs():
    frame = gpd.GeoDataFrame({"n": [1]}, geometry=gpd.points_from_xy([43.13], [36.34]),
                             crs="EPSG:4326")
    assert join_incidents(frame).loc[0, "admin1_code"] == "IQ-NI"
    with pytest.raises(ValueError, match="EPSG:4326"):
        join_incidents(frame.to_crs(3857))
    with pytest.raises(ValueError, match="latitude"):
        join_incidents(pd.DataFrame({"x": [1]}))


def test_an_incident_known_only_to_a_country_is_not_put_in_a_province():
    frame = pd.DataFrame({
        # Syria's reference point lies in Hama; "the Anbar desert" with no province code;
        # a town; a country given at town precision (a bad row: joined as a point)
        "latitude": [35.0, 33.0, 33.421, 35.0],
        "longitude": [38.0, 41.5, 43.305, 38.0],
        "geo_precision": [3, 3, 1, 1],
        "feature": ["country", "desert", "town", "country"],
        "admin1_code": [None, None, None, None],
        "country": ["SY", None, None, None],
    })
    joined = join_incidents(frame)
    assert joined["admin1_code"].tolist() == [None, None, "IQ-AN", "SY-HM"]
    assert joined["admin1"].isna().tolist() == [True, True, False, False]
    assert joined["country"].tolist() == ["SY", "IQ", "IQ", "SY"]
    assert joined["join_flag"].tolist() == ["wider_than_admin1", "wider_than_admin1", None, None]
    # without a feature column (imported event data) every point is joined as before
    assert join_incidents(frame.drop(columns="feature"))["admin1_code"].tolist() == [
        "SY-HM", "IQ-AN", "IQ-AN", "SY-HM"]


# -- Natural Earth placeholder areas (codes ending in "~") -------------------------------------

#: (lon, lat) of places UCDP puts in the UNDOF zone on the Golan (SY-X01~): As Samdaniyah
#: al Gharbiyah, Madinat al-Baath, Jebata al-Khashab, and the ruins of Quneitra town.
UNDOF_VILLAGES = [(35.86284, 33.14518), (35.87311, 33.17204), (35.831667, 33.225556),
                  (35.8217, 33.1263)]


def test_a_point_in_the_undof_zone_is_in_quneitra_flagged():
    lon, lat = zip(*UNDOF_VILLAGES)
    # each village alone (tested against the polygons) and many at once (the cell table)
    for result in (admin1_for_points(lon, lat),
                   admin1_for_points(np.repeat(lon, 20), np.repeat(lat, 20))):
        assert set(result["admin1_code"]) == {"SY-QU"}
        assert set(result["admin1"]) == {"Quneitra"} and set(result["country"]) == {"SY"}
        assert set(result["join_flag"]) == {FLAG_UN_BUFFER_ZONE}


def test_a_point_just_outside_the_zone_is_not_flagged():
    result = admin1_for_points([35.89158], [33.18378])  # Khan Arnabah, east of the zone
    assert result.loc[0, "admin1_code"] == "SY-QU"
    assert result.loc[0, "join_flag"] is None


def test_the_nearest_province_of_a_country_is_never_a_placeholder_zone():
    # UCDP's "Quneitra Governorate" point lies in Natural Earth's Israeli Golan polygon: the
    # nearest Syrian province was the UNDOF zone
    near = nearest_admin1_in_country([35.78333], [33.03333], ["SY"], max_distance_km=25.0)
    assert near.loc[0, "admin1_code"] == "SY-QU"


def test_an_outlying_island_goes_to_the_province_that_administers_it():
    result = admin1_for_points([-81.5928], [3.97794])  # Malpelo Island, CO-X01~
    assert result.loc[0, "admin1_code"] == "CO-VAC"
    assert result.loc[0, "join_flag"] == FLAG_OUTLYING_ISLANDS


def test_a_placeholder_kept_as_an_area_of_its_own_is_not_moved():
    admin1 = load_admin1()
    ennedi = admin1.loc[admin1["admin1_code"] == "TD-X01~"].iloc[0]
    result = admin1_for_points([ennedi["label_lon"]], [ennedi["label_lat"]])
    assert result.loc[0, "admin1_code"] == "TD-X01~" and result.loc[0, "join_flag"] is None


def test_every_placeholder_of_a_country_with_provinces_is_decided():
    admin1 = load_admin1()
    placeholder = admin1["admin1_code"].str.endswith("~")
    # a country without ISO subdivisions: its placeholders are its areas (Kosovo's districts)
    with_provinces = set(admin1.loc[admin1["iso_current"], "country"].dropna())
    undecided = admin1.loc[placeholder & admin1["country"].isin(with_provinces), "admin1_code"]
    decided = set(PLACEHOLDER_PROVINCES) | PLACEHOLDER_AREAS_KEPT
    assert sorted(set(undecided) - decided) == []  # a new one: decide it in spatial_join
    assert sorted(decided - set(undecided)) == []  # a rule for a code the layer lacks
    real = admin1.loc[~placeholder]
    for code, rule in PLACEHOLDER_PROVINCES.items():
        if rule.target is not None:
            assert rule.target in set(real.loc[real["country"] == code[:2], "admin1_code"])


def test_many_points_in_the_zone_and_around_it_agree_with_the_polygons():
    # the cell table and the exact test give the same answer; only zone points move
    rng = np.random.default_rng(3)
    lon, lat = rng.uniform(35.70, 36.05, 3000), rng.uniform(32.75, 33.35, 3000)
    admin1 = load_admin1()
    zone = admin1.loc[admin1["admin1_code"] == "SY-X01~"].geometry.iloc[0]
    inside = shapely.contains_xy(zone, lon, lat)
    result = admin1_for_points(lon, lat)
    assert inside.sum() > 20
    assert (result["join_flag"][inside] == FLAG_UN_BUFFER_ZONE).all()
    assert set(result["admin1_code"][inside]) <= {"SY-QU", "SY-DR", "SY-RD"}
    assert "SY-X01~" not in set(result["admin1_code"])
    assert not (result["join_flag"][~inside] == FLAG_UN_BUFFER_ZONE).any()
