"""Incident tables -> map arrays: placement by precision, escaping, bounded aggregates."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from dashboard import map_data
from dashboard.basemap import ProvinceShapes, province_shapes
from dashboard.synthetic import synthetic_incidents
from incidents.model import ROW_COLUMNS, Count, Incident, Location


def frame_of(*incidents: Incident) -> pd.DataFrame:
    frame = pd.DataFrame([i.to_row() for i in incidents], columns=list(ROW_COLUMNS))
    for column in ("date_start", "date_end"):
        frame[column] = pd.to_datetime(frame[column])
    frame["geo_precision"] = frame["geo_precision"].astype("Int64")
    return frame


def incident(incident_id, *, precision=1, lat=33.43, lon=43.3, code="IQ-AN", radius=0.0,
             day=date(2019, 5, 10), killed=0, event_type="Battles", place="Ramadi"):
    return Incident(
        incident_id=incident_id, event_type=event_type,
        location=Location(place, lat, lon, country="IQ", admin1="Al-Anbar", admin1_code=code,
                          geo_precision=precision, radius_km=radius),
        date_start=day, date_end=day, time_precision="day",
        killed=Count(killed, killed, killed) if killed else None)


@pytest.fixture(scope="module")
def iraq() -> ProvinceShapes:
    return province_shapes(["IQ"])


def test_precision_decides_how_an_incident_is_drawn(iraq):
    frame = frame_of(
        incident("exact", precision=1),
        incident("near", precision=2, radius=25),
        incident("province", precision=3, lat=33.0, lon=42.0),
        incident("region", precision=3, code="XX-00", lat=30.0, lon=40.0, radius=100),
        incident("nowhere", precision=3, code=None, lat=None, lon=None),
    )
    placed = map_data.place_incidents(frame, iraq)
    assert placed.kind.tolist() == [map_data.POINT, map_data.APPROXIMATE, map_data.PROVINCE,
                                    map_data.APPROXIMATE, map_data.UNMAPPED]
    # the province-level incident is drawn at the province, not at its own (label) point
    assert (placed.lat[2], placed.lon[2]) == iraq.label["IQ-AN"]
    payload = map_data.marker_payload(frame, placed)
    assert [p[3] for p in payload.points] == [1, 2, 2]
    assert payload.circles == [[33.43, 43.3, 25000, 0], [30.0, 40.0, 100000, 0]]
    badges = map_data.province_badges(frame, placed, iraq)
    assert len(badges.badges) == 1 and badges.badges[0][2] == 1
    assert "#province" in badges.badges[0][3]
    assert badges.outlines == [iraq.geometry["IQ-AN"]]


def test_tooltips_escape_text_and_carry_the_id():
    frame = frame_of(incident("a<b>", place='<img src=x onerror="alert(1)">'))
    tip = map_data.incident_tooltips(frame)[0]
    assert "<img" not in tip and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in tip
    assert "#a&lt;b&gt;" in tip


def test_clicked_ids_are_read_from_tooltip_text_and_checked():
    known = pd.Index(["ucdp:1", "test:ab12", "x"])
    text = "Battles 2019-05-10 ... #ucdp:1\nStrategic · #test:ab12 #unknown"
    assert map_data.clicked_incident_ids(text, known) == ["ucdp:1", "test:ab12"]
    assert map_data.clicked_incident_ids(None, known) == []
    assert map_data.clicked_incident_ids("Al-Anbar (IQ-AN): 3 incidents", known) == []


def test_grid_levels_stay_bounded_and_keep_every_incident():
    frame = synthetic_incidents(20_000, seed=1)
    lat, lon = frame["latitude"].to_numpy(float), frame["longitude"].to_numpy(float)
    deaths = frame["fatalities"].to_numpy(float)
    levels = map_data.grid_levels(lat, lon, deaths, map_data.type_index(frame["event_type"]),
                                  max_cells=500)
    assert levels[0]["min_zoom"] == 0 and levels[-1]["max_zoom"] == 19
    for level in levels:
        assert sum(cell[2] for cell in level["cells"]) == 20_000
        assert sum(cell[3] for cell in level["cells"]) == int(deaths.sum())
    assert all(len(level["cells"]) <= 500 for level in levels[:-1])
    assert len(levels) < len(map_data.GRID_LEVELS)  # the finest levels were too many cells


def test_clusters_carry_the_bounds_of_their_incidents_and_a_click_names_them():
    frame = synthetic_incidents(3000, seed=2)
    lat, lon = frame["latitude"].to_numpy(float), frame["longitude"].to_numpy(float)
    levels = map_data.grid_levels(lat, lon, np.zeros(3000), map_data.type_index(
        frame["event_type"]))
    for level in levels:
        for cell in level["cells"]:
            south, west, north, east = cell[4]
            inside = (lat >= south) & (lat <= north) & (lon >= west) & (lon <= east)
            assert inside.sum() >= cell[2]  # every incident of the cell, maybe neighbours
            assert south <= cell[0] <= north and west <= cell[1] <= east
            assert isinstance(cell[5], list) and len(cell[5]) == 2  # then [type, count]
    coarse = levels[0]["cells"]
    assert sum(c[2] for c in coarse) == 3000
    bounds = coarse[0][4]
    text = ("120 incidents in this cell Click to zoom in and show these incidents."
            + map_data.area_token(*bounds))
    assert map_data.clicked_area(text) == tuple(bounds)


@pytest.mark.parametrize("text", [None, "", "#ucdp:1 Battles", "@area:33.1,43.2,33.4",
                                  "@area:95.0,43.0,96.0,44.0", "@area:34.0,43.0,33.0,44.0"])
def test_a_click_elsewhere_names_no_area(text):
    assert map_data.clicked_area(text) is None


def test_heat_points_aggregate_beyond_the_limit_and_keep_the_total_weight():
    rng = np.random.default_rng(0)
    lat, lon = rng.uniform(33, 34, 5000), rng.uniform(43, 44, 5000)
    weights = rng.uniform(0, 3, 5000)
    raw, _ = map_data.heat_points(lat, lon, weights, max_points=10_000)
    assert len(raw) == int((weights > 0).sum())
    summed, hot = map_data.heat_points(lat, lon, weights, max_points=300)
    assert len(summed) <= 300
    assert sum(p[2] for p in summed) == pytest.approx(weights.sum(), rel=1e-3)
    assert hot >= 1.0


def test_approximate_places_weigh_less_in_the_heat():
    frame = frame_of(incident("a", precision=1, killed=4), incident("b", precision=2, killed=4),
                     incident("c", precision=3, killed=4))
    assert map_data.heat_weights(frame, weight="count").tolist() == [1.0, 0.5, 0.25]
    assert map_data.heat_weights(frame, weight="fatalities").tolist() == [4.0, 2.0, 1.0]
    with pytest.raises(ValueError, match="'deaths'"):
        map_data.heat_weights(frame, weight="deaths")


def test_choropleth_classes_cover_every_province(iraq):
    frame = frame_of(*[incident(f"a{i}", code="IQ-AN") for i in range(5)],
                     incident("b", code="IQ-NI", killed=7), incident("c", code="XX-00"))
    totals = map_data.province_totals(frame)
    assert totals.loc["IQ-AN", "incidents"] == 5 and totals.loc["IQ-NI", "fatalities"] == 7
    shapes = map_data.choropleth(totals, iraq, metric="count")
    assert shapes.missing == 1  # XX-00 has no shape
    assert [p[0] for p in shapes.props] == [5, 1]
    assert shapes.breaks[-1] == 5 and len(shapes.colors) == len(shapes.breaks)
    # the province reads as in the store and the filters (Natural Earth's English name)
    assert shapes.props[0][1].startswith("<b>Al Anbar</b> (IQ-AN)<br>5 incidents")


def test_class_breaks_are_whole_numbers_covering_the_maximum():
    assert map_data.class_breaks([1, 9]) == [5.0, 9.0]
    assert map_data.class_breaks([3, 3, 3]) == [3.0]
    breaks = map_data.class_breaks(np.arange(1, 101))
    assert len(breaks) == 5 and breaks[-1] == 100 and breaks == sorted(breaks)


def test_timeline_buckets_by_week_and_month(iraq):
    frame = frame_of(incident("a", day=date(2019, 5, 15)), incident("b", day=date(2019, 6, 3)))
    placed = map_data.place_incidents(frame, iraq)
    weekly = map_data.timeline_payload(frame, placed, unit="week")
    starts = [pd.Timestamp(item[4], unit="ms").date() for item in weekly["items"]]
    assert starts == [date(2019, 5, 13), date(2019, 6, 3)]  # Mondays
    assert weekly["items"][0][5] - weekly["items"][0][4] == 7 * 86_400_000
    monthly = map_data.timeline_payload(frame, placed, unit="month")
    assert [pd.Timestamp(i[4], unit="ms").date() for i in monthly["items"]] == [
        date(2019, 5, 1), date(2019, 6, 1)]
    assert monthly["steps"] == 2


def test_timeline_aggregates_beyond_the_limit(iraq):
    frame = synthetic_incidents(3000, seed=2)
    placed = map_data.place_incidents(frame, province_shapes(["IQ", "SY"]))
    spec = map_data.timeline_payload(frame, placed, unit="month", max_items=400)
    assert len(spec["items"]) <= 400
    assert sum(item[6] for item in spec["items"]) == 3000


def test_time_series_fills_empty_periods():
    frame = frame_of(incident("a", day=date(2019, 1, 5), killed=2),
                     incident("b", day=date(2019, 3, 9)), incident("c", day=date(2019, 3, 20)))
    series = map_data.time_series(frame, unit="month")
    assert series["incidents"].tolist() == [1, 0, 2]
    assert series["fatalities"].tolist() == [2, 0, 0]
    assert series.attrs["unit"] == "month"


def test_time_series_leaves_out_year_totals_and_starts_at_the_filter():
    # UCDP dates a year's country-wide total 2016-01-01..2016-12-31: at its first day it
    # would be a spike in January that never happened
    from dataclasses import replace
    year = replace(incident("year", day=date(2016, 1, 1), killed=8179), date_end=date(2016, 12, 31),
                   time_precision="year")
    week = replace(incident("week", day=date(2016, 5, 28), killed=3), date_end=date(2016, 6, 3),
                   time_precision="week")
    frame = frame_of(year, week, incident("june", day=date(2016, 6, 20), killed=1))
    series = map_data.time_series(frame, unit="month", since=pd.Timestamp("2016-06-01"))
    assert series["period"].tolist() == [pd.Timestamp("2016-06-01")]
    assert (series["incidents"].tolist(), series["fatalities"].tolist()) == ([2], [4])
    assert series.attrs["left_out"] == (1, 8179)


def test_incidents_sharing_an_area_draw_one_circle_and_one_symbol_each(iraq):
    # UCDP's country-wide events share one point and a 500 km radius
    frame = frame_of(*(incident(f"syria-{k}", precision=3, code=None, lat=35.0, lon=38.0, radius=500)
                       for k in range(3)))
    payload = map_data.marker_payload(frame, map_data.place_incidents(frame, iraq))
    assert len(payload.points) == 3 and payload.circles == [[35.0, 38.0, 500000, 0]]
