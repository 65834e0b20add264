"""Every export format parsed back: GeoJSON (lon, lat), CSV (ACLED columns), GeoPackage,
GeoParquet (geopandas) and KML (xml.etree); atomic writes; the export command."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from geo.errors import ExportError
from geo.export import (
    ACLED_CSV_COLUMNS,
    FORMATS,
    KML_NAMESPACE,
    export_bytes,
    to_csv,
    to_geojson,
    to_geoparquet,
    to_gpkg,
    to_kml,
    write_export,
)
from incidents import cli
from incidents.model import Article, Count, Evidence, Incident, Location
from incidents.store import IncidentStore

TEXT = "Gunmen attacked a checkpoint near Kirkuk on Monday. Two soldiers were killed."
SUMMARY = 'Attack <b>"near"</b> Kirkuk & =HYPERLINK("x")'


@pytest.fixture
def store(tmp_path: Path):
    article = Article.from_text(TEXT, ref="kirkuk.txt", published=date(2017, 6, 5))
    kirkuk = Incident(
        incident_id="inc-kirkuk", event_type="Battles", sub_event_type="Armed clash",
        actor1="Gunmen", actor2="Iraqi Army", assoc_actors=("Police",),
        location=Location("Kirkuk", 35.4681, 44.3922, country="IQ", admin1="Kirkuk",
                          admin1_code="IQ-KI", geo_precision=2, radius_km=10.0),
        date_start=date(2017, 6, 5), date_end=date(2017, 6, 6), time_precision="day",
        killed=Count(2, 2, 3, "Two soldiers"), summary=SUMMARY,
        article_ids=(article.article_id,), notes="checked",
        evidence=(Evidence(7, 15, "trigger"), Evidence(66, 72, "count")),
    )
    nowhere = Incident(incident_id="inc-nowhere", event_type="Protests",
                       date_start=date(2017, 7, 1), date_end=date(2017, 7, 1),
                       time_precision="month", article_ids=(article.article_id,))
    with IncidentStore(tmp_path / "atlas.sqlite") as opened:
        opened.add_article(article, [kirkuk, nowhere])
        yield opened


def test_geojson_is_rfc7946_with_the_whole_record(store):
    frame = store.incidents_frame()
    data = to_geojson(frame, records=store.get_incidents(frame["incident_id"]),
                      evidence=store.evidence_frame(frame["incident_id"]))
    collection = json.loads(data)
    assert collection["type"] == "FeatureCollection"
    features = {f["id"]: f for f in collection["features"]}
    kirkuk = features["inc-kirkuk"]
    assert kirkuk["geometry"] == {"type": "Point", "coordinates": [44.3922, 35.4681]}
    props = kirkuk["properties"]
    assert (props["geo_precision"], props["radius_km"]) == (2, 10.0)
    assert (props["date_start"], props["date_end"]) == ("2017-06-05", "2017-06-06")
    assert (props["killed_low"], props["killed_best"], props["killed_high"]) == (2, 2, 3)
    assert (props["actor1"], props["actor2"], props["assoc_actors"]) == (
        "Gunmen", "Iraqi Army", "Police")
    assert props["admin1_code"] == "IQ-KI" and props["notes"] == "checked"
    assert props["killed_text"] == "Two soldiers"
    trigger = next(e for e in props["evidence"] if e["role"] == "trigger")
    assert trigger["quote"] == "attacked"
    assert trigger["sentence"] == "Gunmen attacked a checkpoint near Kirkuk on Monday."
    assert features["inc-nowhere"]["geometry"] is None


def test_csv_has_acled_columns_then_ours(store):
    frame = pd.read_csv(io.BytesIO(to_csv(store.incidents_frame())))
    assert tuple(frame.columns[: len(ACLED_CSV_COLUMNS)]) == ACLED_CSV_COLUMNS
    row = frame.set_index("incident_id").loc["inc-kirkuk"]
    assert row["event_date"] == "2017-06-05" and row["time_precision"] == 1
    assert (row["latitude"], row["longitude"]) == (35.4681, 44.3922)
    assert row["country"] == "Iraq" and row["country_code"] == "IQ"
    assert row["fatalities"] == 2 and row["assoc_actor_1"] == "Police"
    assert row["notes"] == SUMMARY  # no formula start: kept as written
    nowhere = frame.set_index("incident_id").loc["inc-nowhere"]
    assert nowhere["time_precision"] == 3 and pd.isna(nowhere["latitude"])
    # no count known: ACLED's fatalities says 0, killed_best says unknown
    assert row["killed_best"] == 2 and nowhere["fatalities"] == 0 and pd.isna(nowhere["killed_best"])


def test_csv_defuses_spreadsheet_formulas(store, tmp_path):
    frame = store.incidents_frame()
    frame.loc[frame["incident_id"] == "inc-kirkuk", "summary"] = "=cmd|' /C calc'!A0"
    out = pd.read_csv(io.BytesIO(to_csv(frame)))
    assert out.loc[out["incident_id"] == "inc-kirkuk", "notes"].iat[0] == "'=cmd|' /C calc'!A0"


@pytest.mark.filterwarnings("ignore:.*non conformant file extension")
@pytest.mark.parametrize("writer, reader", [
    (to_gpkg, lambda data: gpd.read_file(io.BytesIO(data), layer="incidents")),
    (to_geoparquet, lambda data: gpd.read_parquet(io.BytesIO(data))),
])
def test_gpkg_and_geoparquet_read_back_with_geopandas(store, writer, reader):
    back = reader(writer(store.incidents_frame())).set_index("incident_id")
    assert back.crs.to_epsg() == 4326
    point = back.loc["inc-kirkuk", "geometry"]
    assert (point.x, point.y) == (44.3922, 35.4681)
    assert back.loc["inc-nowhere", "geometry"] is None
    assert back.loc["inc-kirkuk", "admin1_code"] == "IQ-KI"
    assert pd.Timestamp(back.loc["inc-kirkuk", "date_end"]) == pd.Timestamp("2017-06-06")


def test_kml_parses_and_escapes_the_summary(store):
    root = ET.fromstring(to_kml(store.incidents_frame()))
    ns = {"k": KML_NAMESPACE}
    assert root.tag == f"{{{KML_NAMESPACE}}}kml"
    placemarks = root.findall("k:Document/k:Placemark", ns)
    assert len(placemarks) == 1  # the incident without coordinates has no place
    placemark = placemarks[0]
    assert placemark.findtext("k:Point/k:coordinates", namespaces=ns) == "44.3922000,35.4681000"
    assert placemark.findtext("k:TimeSpan/k:begin", namespaces=ns) == "2017-06-05"
    description = placemark.findtext("k:description", namespaces=ns)
    # the balloon is HTML: the article's markup arrives as text, not as tags
    assert "&lt;b&gt;&quot;near&quot;&lt;/b&gt; Kirkuk &amp;" in description
    assert "<b>" not in description
    data = {d.get("name"): d.findtext("k:value", namespaces=ns)
            for d in placemark.findall("k:ExtendedData/k:Data", ns)}
    assert data["summary"] == SUMMARY and data["admin1_code"] == "IQ-KI"


def test_command_offers_every_format():
    from geo.commands import EXPORT_FORMATS

    assert sorted(EXPORT_FORMATS) == sorted(FORMATS)


def test_every_format_handles_an_empty_frame(store):
    empty = store.incidents_frame(countries=["FR"])
    assert json.loads(to_geojson(empty))["features"] == []
    assert ET.fromstring(to_kml(empty)).tag.endswith("kml")
    for fmt in FORMATS:
        assert export_bytes(empty, fmt)


def test_bad_frames_and_formats_are_refused(store):
    with pytest.raises(ExportError, match="lacks column"):
        to_csv(pd.DataFrame({"incident_id": ["x"]}))
    with pytest.raises(ExportError, match="unknown export format 'shp'"):
        export_bytes(store.incidents_frame(), "shp")


def test_write_export_is_atomic(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")

    with pytest.raises(TypeError):
        write_export(object(), target)  # type: ignore[arg-type]
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
    write_export(b"new", target)
    assert target.read_bytes() == b"new"
    with pytest.raises(ExportError, match="does not exist"):
        write_export(b"x", tmp_path / "missing" / "out.csv")


def test_export_command_filters_and_writes(store, tmp_path, capsys):
    out = tmp_path / "kirkuk.geojson"
    code = cli.main(["export", "--format", "geojson", "--db", str(store.path), "--from",
                     "2017-06-01", "--to", "2017-06-30", "--type", "battles", "--admin1",
                     "iq-ki", "-o", str(out)])
    assert code == 0
    features = json.loads(out.read_bytes())["features"]
    assert [f["id"] for f in features] == ["inc-kirkuk"]
    assert "wrote 1 incident " in capsys.readouterr().out


def test_export_command_bad_input_is_one_line(store, tmp_path, capsys):
    code = cli.main(["export", "--format", "csv", "--db", str(store.path), "--type", "Picnic",
                     "-o", str(tmp_path / "x.csv")])
    assert code == cli.EXIT_USAGE
    assert "unknown event type(s) ['Picnic']" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()
