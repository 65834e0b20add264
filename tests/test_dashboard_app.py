"""Every page of the dashboard through Streamlit's AppTest (no browser)."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import data, exports, map_data, panels, selection
from dashboard.filters import IncidentFilter, apply_filter, prepare_frame
from dashboard.synthetic import articles_with_incidents, synthetic_incidents, write_test_store
from incidents.store import IncidentStore

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
TIMEOUT = 120


@pytest.fixture(autouse=True)
def private_snapshots(tmp_path, monkeypatch):
    """Snapshots of test stores go to a temporary folder, not the user's cache."""
    from dashboard import data

    monkeypatch.setattr(data, "snapshot_dir", lambda: tmp_path / "snapshots")


@pytest.fixture
def store_path(tmp_path, monkeypatch):
    path = write_test_store(tmp_path / "atlas.sqlite", synthetic=400)
    monkeypatch.setenv("INCIDENT_ATLAS_DB", str(path))
    monkeypatch.setenv("INCIDENT_ATLAS_TILES", "none")
    return path


def run_app(*, first_visit: bool = False, **session) -> AppTest:
    """The map page after its first run (the table waits for the map on that one),
    or the first run itself."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if not first_visit:
        at.session_state[panels.PAGE_DRAWN] = True
    for key, value in session.items():
        at.session_state[key] = value
    return at.run()


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def map_args(at: AppTest) -> dict:
    """The arguments the map component was given (what the browser receives)."""
    component = next(e for e in at.get("component_instance")
                     if "st_folium" in e.proto.component_name)
    return json.loads(component.proto.json_args)


def test_map_page_shows_every_incident(store_path):
    at = run_app()
    assert not at.exception, at.exception
    assert metric(at, "Incidents") == "403"
    args = map_args(at)
    assert all(link.startswith("../../app/static/") for link in args["js_links"] +
               args["css_links"])
    assert "IncidentAtlas.markers(" in args["feature_group"]
    assert "IncidentAtlas.provinces(" in args["feature_group"]
    assert "IncidentAtlas.base(" in args["script"]
    assert at.dataframe[0].value.shape[0] == 403
    assert [b.label for b in at.download_button] == ["GeoJSON", "CSV", "GeoPackage"]


def test_filters_change_the_counts(store_path):
    at = run_app()
    at.multiselect(key="f_types").set_value(["Battles"]).run()
    battles = int(metric(at, "Incidents").replace(",", ""))
    expected = apply_filter(prepare_frame(IncidentStore(store_path, readonly=True)
                                          .incidents_frame()),
                            IncidentFilter(event_types=("Battles",)))
    assert battles == len(expected) < 403
    assert set(at.dataframe[0].value["event_type"]) == {"Battles"}
    at.text_input(key="f_text").input("TRIBAL").run()
    assert metric(at, "Incidents") == "1"
    at.slider(key="f_dates").set_value((date(2016, 1, 1), date(2016, 6, 30))).run()
    assert metric(at, "Incidents") == "0"
    assert not at.exception


def test_many_incidents_switch_the_map_to_clusters(tmp_path, monkeypatch):
    path = write_test_store(tmp_path / "big.sqlite", synthetic=4000)
    monkeypatch.setenv("INCIDENT_ATLAS_DB", str(path))
    monkeypatch.setenv("INCIDENT_ATLAS_TILES", "none")
    at = run_app()
    args = map_args(at)
    assert "IncidentAtlas.gridClusters(" in args["feature_group"]
    assert "IncidentAtlas.markers(" not in args["feature_group"]
    assert any("clusters counted on the server" in c.value for c in at.caption)
    at.multiselect(key="f_provinces").set_value(["IQ-AN"]).run()
    assert "IncidentAtlas.markers(" in map_args(at)["feature_group"]


def test_clicking_a_server_cluster_narrows_the_page_to_its_area(tmp_path, monkeypatch):
    """What a click on a cluster reports (its tooltip's area) narrows every part of the
    page to that area; the click itself is driven in Chromium (tests/test_browser.py)."""
    path = write_test_store(tmp_path / "big.sqlite", synthetic=4000)
    monkeypatch.setenv("INCIDENT_ATLAS_DB", str(path))
    monkeypatch.setenv("INCIDENT_ATLAS_TILES", "none")
    at = run_app()
    group = map_args(at)["feature_group"]
    levels = json.loads(re.search(r"IncidentAtlas\.gridClusters\((.*?), \[\[", group).group(1))
    cell = max(levels[1]["cells"], key=lambda c: c[2])  # the biggest 1-degree cluster
    area = map_data.clicked_area("1 incidents " + map_data.area_token(*cell[4]))

    at.session_state[selection.AREA] = area
    at.run()
    assert not at.exception
    table = prepare_frame(IncidentStore(path, readonly=True).incidents_frame())
    expected = apply_filter(table, IncidentFilter(area=area))
    assert int(metric(at, "Incidents").replace(",", "")) == len(expected) >= cell[2]
    assert "IncidentAtlas.markers(" in map_args(at)["feature_group"]  # few enough now
    assert any("cluster clicked on the map" in c.value for c in at.caption)
    assert len(at.dataframe[0].value) == min(len(expected), 1000)

    at.button(key="map_area_clear").click().run()
    assert metric(at, "Incidents") == "4,003"
    assert "IncidentAtlas.gridClusters(" in map_args(at)["feature_group"]


def chart(at: AppTest) -> str:
    """The HTML of the chart over time."""
    return next(h.proto.body for h in at.html if 'class="atlas-activity"' in h.proto.body)


def test_the_first_run_draws_the_map_and_chart_before_the_filters_and_table(store_path):
    at = run_app(first_visit=True)
    assert map_args(at)["feature_group"] and not at.dataframe and not at.multiselect
    assert metric(at, "Incidents") == "403"
    assert "<img src=\"data:image/svg+xml;base64," in chart(at)
    assert any("follow once the map is drawn" in c.value for c in at.caption)
    first_layers = map_args(at)["feature_group"]
    at.run()  # the map's first report reruns the page
    assert at.dataframe[0].value.shape[0] == 403
    assert at.multiselect(key="f_types").value == []
    assert map_args(at)["feature_group"] == first_layers  # the defaults drew the same map


def test_map_options_pick_the_layers(store_path):
    at = run_app()
    at.button_group(key="m_layers").set_value(["heat"]).run()
    group = map_args(at)["feature_group"]
    assert "IncidentAtlas.heat(" in group and "IncidentAtlas.provinces(" not in group
    at.radio(key="m_animate").set_value("week").run()
    assert "IncidentAtlas.timeline(" in map_args(at)["feature_group"]
    assert not at.exception


def test_source_panel_shows_the_article_with_highlights(store_path):
    article, (incident,) = articles_with_incidents()[0]
    at = run_app(incident_id=incident.incident_id)
    html = "".join(h.proto.body for h in at.html)
    assert 'class="atlas-ev atlas-ev-trigger"' in html and ">exploded</mark>" in html
    assert 'data-roles="place" title="where">Ramadi</mark>' in html
    assert "Two car bombs" in html


def test_markup_in_an_article_is_shown_as_text(store_path):
    article, (incident,) = articles_with_incidents()[1]
    at = run_app(incident_id=incident.incident_id)
    html = "".join(h.proto.body for h in at.html if 'class="atlas-activity"' not in h.proto.body)
    assert "&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script" not in html and "<img" not in html
    assert "Clashes near Rutba &lt;b&gt;update&lt;/b&gt;" in html


def test_unknown_incident_in_the_link_is_reported(store_path):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["incident"] = "no-such-id"
    at.run()
    assert any("no-such-id" in w.value for w in at.warning)


def test_export_buttons_produce_valid_files(store_path, tmp_path):
    """The buttons make their files on click (deferred); AppTest tears its runtime down
    after each run, so the same functions are called here on the same filter (the real
    click and download are in tests/test_browser.py)."""
    at = run_app()
    at.multiselect(key="f_countries").set_value(["IQ"]).run()
    shown = int(metric(at, "Incidents").replace(",", ""))
    assert 0 < shown < 403
    assert all(b.proto.deferred_file_id for b in at.download_button)

    store = IncidentStore(store_path, readonly=True)
    frame = apply_filter(prepare_frame(store.incidents_frame()),
                         IncidentFilter(countries=("IQ",)))
    files = {fmt.name: exports.deferred(frame, fmt, store=store)()
             for fmt in exports.EXPORT_FORMATS}
    assert [exports.file_name(f, IncidentFilter()) for f in exports.EXPORT_FORMATS] == [
        "incident-atlas.geojson", "incident-atlas.csv", "incident-atlas.gpkg"]
    geojson = json.loads(files["geojson"])
    assert len(geojson["features"]) == shown
    assert {f["properties"]["country"] for f in geojson["features"]} == {"IQ"}
    rutba = next(f for f in geojson["features"] if f["properties"]["location"] == "Rutba"
                 and f["properties"]["source"] == "test")
    assert rutba["geometry"]["coordinates"] == [40.284, 33.038]
    assert {e["role"] for e in rutba["properties"]["evidence"]} >= {"trigger", "place"}
    assert files["csv"].decode().count("\n") == shown + 1
    gpkg = tmp_path / "out.gpkg"
    gpkg.write_bytes(files["gpkg"])
    with sqlite3.connect(gpkg) as db:
        assert db.execute("SELECT count(*) FROM incidents").fetchone()[0] == shown


def test_a_restarted_server_reads_the_snapshot(store_path, tmp_path):
    from dashboard import data

    at = run_app()
    stamp = data.store_stamp(store_path)
    snapshot = data.snapshot_path(str(store_path), stamp)
    assert snapshot.is_file() and snapshot.is_relative_to(tmp_path / "snapshots")
    data._table.clear()
    again = run_app()
    assert metric(again, "Incidents") == metric(at, "Incidents") == "403"
    with IncidentStore(store_path) as store:  # a write changes the version: no stale table
        store.add_incidents(synthetic_incidents(5, seed=99).assign(
            incident_id=lambda f: "new:" + f["incident_id"]), source="synthetic")
    assert metric(run_app(), "Incidents") == "408"
    assert not snapshot.exists()  # replaced by the new version's snapshot


def test_missing_store_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("INCIDENT_ATLAS_DB", str(tmp_path / "none.sqlite"))
    at = run_app()
    assert any("no store at" in e.value for e in at.error)
    assert any("incident-atlas demo" in i.value for i in at.info)


@pytest.fixture(scope="module")
def extractor_ready():
    """Extract once outside AppTest: on a fresh machine the first extraction builds the
    gazetteer index, which must not count against a page run's timeout."""
    from incidents.extract import extract_incidents
    from incidents.readers import read_text

    extract_incidents(read_text("Gunmen attacked a checkpoint in Ramadi.", ref="warm.txt"))


def test_ingest_page_previews_then_saves(store_path, extractor_ready):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.switch_page("views/ingest.py").run()
    assert not at.exception
    text = ("Gunmen attacked a checkpoint in Ramadi on Monday, killing 4 soldiers, police "
            "said.\n").encode()
    at.file_uploader(key="ingest_files").set_value([
        ("ramadi.txt", text, "text/plain"),
        ("picture.png", b"\x89PNG\r\n\x1a\n" + bytes(100), "image/png"),
    ])
    at.date_input(key="ingest_published").set_value(date(2019, 5, 15))
    at.run()
    at.button(key="ingest_preview_button").click().run()
    assert any("'picture.png'" in e.value for e in at.error)
    assert any("ramadi.txt" in e.label for e in at.expander)
    before = IncidentStore(store_path, readonly=True).stats()["articles"]
    save = at.button(key="ingest_save")
    save.click().run()
    assert any("Saved 1 articles" in s.value for s in at.success)
    assert IncidentStore(store_path, readonly=True).stats()["articles"] == before + 1


def test_the_chart_follows_the_filter(store_path):
    at = run_app()
    everything = chart(at)
    assert "403 incidents" in everything  # the screen reader's summary counts them all
    at.multiselect(key="f_types").set_value(["Battles"]).run()
    battles = int(metric(at, "Incidents").replace(",", ""))
    assert 0 < battles < 403
    assert f"{battles:,} incidents" in chart(at) and chart(at) != everything


def test_long_summaries_are_cut_at_a_word_in_the_table_only():
    texts = pd.Series(["short one", "word " * 50, "x" * 300, ""])
    cut = data.shorten(texts, 40)
    assert cut[0] == "short one" and cut[3] == ""
    assert cut[1].endswith("word…") and len(cut[1]) <= 40 and "  " not in cut[1]
    assert cut[2] == "x" * 39 + "…"


def test_year_long_totals_are_named_under_the_figures(store_path):
    # UCDP dates a year's country-wide total 2016-01-01..2016-12-31: the figures count it for
    # any date range it overlaps, the chart leaves it out, and the page says so
    from incidents.model import Article, Count, Incident

    article = Article.from_text("A year's toll.", ref="year.txt", published=date(2017, 1, 5))
    total = Incident(incident_id="year-total", event_type="Battles", date_start=date(2016, 1, 1),
                     date_end=date(2016, 12, 31), time_precision="year",
                     killed=Count(8179, 8179, 8179), article_ids=(article.article_id,))
    with IncidentStore(store_path) as store:
        store.add_article(article, [total])
    at = run_app()
    notes = [c.value for c in at.caption if "span longer than a month" in c.value]
    assert notes and "(8,179 killed)" in notes[0]
