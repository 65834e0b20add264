"""The dashboard's in-memory filter agrees with the store's SQL filter."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.filters import IncidentFilter, apply_filter, filter_options, prepare_frame
from dashboard.synthetic import write_test_store
from incidents.store import IncidentStore

FILTERS = [
    IncidentFilter(),
    IncidentFilter(date_from=date(2017, 3, 1), date_to=date(2017, 9, 30)),
    IncidentFilter(date_to=date(2016, 2, 1)),
    IncidentFilter(event_types=("Battles", "Protests")),
    IncidentFilter(actors=("ISIS",)),
    IncidentFilter(countries=("SY",), precisions=(2, 3)),
    IncidentFilter(admin1_codes=("IQ-AN", "SY-DY"), date_from=date(2018, 1, 1)),
    IncidentFilter(text="rutba"),
    IncidentFilter(text="RAMADI", event_types=("Explosions/Remote violence",)),
    IncidentFilter(event_types=()),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = write_test_store(tmp_path_factory.mktemp("store") / "atlas.sqlite", synthetic=3000)
    with IncidentStore(path, readonly=True) as opened:
        yield opened


@pytest.mark.parametrize("flt", FILTERS, ids=range(len(FILTERS)))
def test_memory_filter_matches_the_store(store, flt):
    table = prepare_frame(store.incidents_frame())
    ours = set(apply_filter(table, flt, cited=store.incident_ids_citing(flt.text))["incident_id"])
    theirs = set(store.incidents_frame(**flt.store_options())["incident_id"])
    assert ours == theirs
    assert flt.is_empty() or len(ours) < len(table)


def test_search_finds_incidents_by_their_articles_words(store):
    # "police said" is in a test article's text, never in a summary, place or actor
    table = prepare_frame(store.incidents_frame())
    flt = IncidentFilter(text="Police said")
    assert not apply_filter(table, flt).shape[0]
    cited = store.incident_ids_citing("Police said")
    found = apply_filter(table, flt, cited=cited)
    assert len(cited) == 1 and list(found["summary"]) == ["Car bombs in Anbar's capital"]
    assert set(store.incidents_frame(**flt.store_options())["incident_id"]) == cited


def test_options_list_what_the_table_holds(store):
    opts = filter_options(prepare_frame(store.incidents_frame()), {"IQ-AN": "Al-Anbar"})
    assert opts.date_min == date(2016, 1, 1) and opts.date_max >= date(2019, 1, 1)
    assert opts.event_types[0] == "Battles"  # ACLED order first
    assert opts.actors[0] in ("ISIS", "Iraqi Security Forces", "SDF", "Civilians")
    assert opts.provinces["IQ-AN"] == "Al-Anbar (IQ-AN)"
    assert opts.province_country["SY-DY"] == "SY"
    assert opts.precisions == (1, 2, 3)
    assert set(opts.countries) == {"IQ", "SY"}
    # names an analyst can type in the filter, when the boundaries give them
    named = filter_options(prepare_frame(store.incidents_frame()), country_names={"SY": "Syria"})
    assert named.countries == {"IQ": "IQ", "SY": "Syria (SY)"}


def test_area_keeps_the_incidents_with_a_point_inside(store):
    table = prepare_frame(store.incidents_frame())
    area = (33.0, 42.0, 34.0, 44.0)
    kept = apply_filter(table, IncidentFilter(area=area))
    lat, lon = table["latitude"], table["longitude"]
    inside = (lat >= 33.0) & (lat <= 34.0) & (lon >= 42.0) & (lon <= 44.0)
    # what a cluster there counts: not the incidents known only to their province (drawn as
    # the province, whatever their stored point)
    province_level = (table["geo_precision"] == 3) & table["admin1_code"].notna()
    assert province_level[inside.fillna(False)].any()  # the case is in the data
    assert set(kept["incident_id"]) == set(table.loc[inside.fillna(False) & ~province_level,
                                                     "incident_id"])
    assert 0 < len(kept) < len(table)
    both = apply_filter(table, IncidentFilter(area=area, event_types=("Battles",)))
    assert set(both["event_type"]) == {"Battles"} and len(both) < len(kept)
