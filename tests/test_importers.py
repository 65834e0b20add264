"""UCDP GED and ACLED import: mappings, both UCDP layouts, bad rows by line, idempotence."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geo.errors import ImportFormatError
from geo.importers import (
    FLAG_SWAPPED,
    FLAG_UNKNOWN_GEO_PREC,
    FLAG_UNKNOWN_TIME_PREC,
    read_acled,
    read_events,
    read_ucdp,
)
from incidents.model import ROW_COLUMNS
from incidents.store import IncidentStore

FIXTURES = Path(__file__).parent / "fixtures" / "acled"

UCDP_HEADER = ("id,type_of_violence,side_a,side_b,where_prec,where_coordinates,adm_1,latitude,"
               "longitude,country,date_prec,date_start,date_end,low,best,high,source_headline,"
               "source_article,source_original\n")


def ucdp_file(tmp_path: Path, *rows: str, name: str = "ged.csv") -> Path:
    path = tmp_path / name
    path.write_text(UCDP_HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def by_id(frame: pd.DataFrame) -> dict[str, dict]:
    return {row["incident_id"]: row for row in frame.to_dict("records")}


def test_ucdp_codes_are_mapped(tmp_path):
    path = ucdp_file(
        tmp_path,
        '1,1,Government of Iraq,IS,1,Kirkuk town,Kirkuk governorate,35.4681,44.3922,Iraq,1,'
        '2017-06-05,2017-06-05,2,3,4,"Clashes in Kirkuk",Reuters 2017-06-05,Police',
        "2,3,IS,Civilians,4,Anbar province,Anbar governorate,33.4,42.0,Iraq,5,2017-01-01,"
        "2017-12-31,10,12,20,,,",
        "3,2,SDF,YPG,7,,,35.0,38.5,Syria,3,2017-03-01,2017-03-31,0,0,0,,,",
    )
    result = read_ucdp(path)
    rows = by_id(result.frame)
    assert list(result.frame.columns) == [*ROW_COLUMNS, "notes", "line"]
    assert result.rows_read == 3 and not result.errors

    first = rows["ucdp:1"]
    assert (first["event_type"], first["sub_event_type"]) == ("Battles", "Armed clash")
    assert (first["actor1"], first["actor2"]) == ("Government of Iraq", "IS")
    assert (first["geo_precision"], first["where_prec"], first["radius_km"]) == (1, 1, 0.0)
    assert first["time_precision"] == "day"
    assert (first["killed_low"], first["killed_best"], first["killed_high"]) == (2, 3, 4)
    assert first["fatalities"] == 3
    assert (first["country"], first["admin1_code"]) == ("IQ", "IQ-KI")
    assert first["source"] == "ucdp:1" and first["location"] == "Kirkuk town"
    assert "Clashes in Kirkuk" in first["summary"]
    assert "Reuters 2017-06-05" in first["notes"] and "Police" in first["notes"]

    second = rows["ucdp:2"]
    assert second["event_type"] == "Violence against civilians"
    assert (second["geo_precision"], second["where_prec"], second["radius_km"]) == (3, 4, 150.0)
    assert second["time_precision"] == "year"
    assert second["date_end"] == pd.Timestamp("2017-12-31")

    third = rows["ucdp:3"]
    assert (third["event_type"], third["geo_precision"], third["where_prec"]) == ("Battles", 3, 7)
    assert third["time_precision"] == "month"


def test_ucdp_country_wide_events_join_no_province(tmp_path):
    # UCDP's point for "Syria" (where_prec 6) lies in Hama: a country-wide event is not Hama's
    path = ucdp_file(
        tmp_path,
        "1,1,Government of Syria,IS,6,Syria,,35.0,38.0,Syria,4,2016-01-01,2016-12-31,8000,8179,9000,,,",
        "2,1,Government of Syria,IS,1,Hama town,Hama governorate,35.1318,36.7578,Syria,1,"
        "2016-06-05,2016-06-05,2,3,4,,,",
    )
    rows = by_id(read_ucdp(path).frame)
    wide, town = rows["ucdp:1"], rows["ucdp:2"]
    assert wide["country"] == "SY" and pd.isna(wide["admin1_code"]) and pd.isna(wide["admin1"])
    assert wide["join_flag"] == "wider_than_admin1"
    assert (town["admin1_code"], town["join_flag"]) == ("SY-HM", None)


def test_ucdp_full_schema(shared_path):
    result = read_ucdp(shared_path("datasets/ucdpged_sample_2023_1000.csv"))
    frame = result.frame
    assert result.rows_read == 1000 and not result.errors and len(frame) == 1000
    row = by_id(frame)["ucdp:300380"]
    assert row["admin1_code"] == "SY-ID" and row["country"] == "SY"
    assert row["location"] == "Rami village" and row["date_start"] == pd.Timestamp("2013-01-03")
    assert frame["geo_precision"].isin([1, 2, 3]).all()
    assert set(frame["time_precision"]) <= {"day", "week", "month", "year"}
    assert frame["incident_id"].str.startswith("ucdp:").all()


def test_ucdp_syria_file_without_where_description(shared_path):
    path = shared_path("datasets/ucdp_ged_syria_2016_2019.csv")
    assert "where_description" not in path.open(encoding="utf-8").readline()
    result = read_ucdp(path)
    frame = result.frame
    assert result.rows_read == 16_566 and len(frame) == 16_566 and not result.errors
    assert (frame["country"] == "SY").mean() > 0.99
    assert frame["admin1_code"].str.startswith("SY-").mean() > 0.99
    assert frame["line"].iloc[-1] >= 16_567


def test_acled_fixture_is_mapped():
    result = read_acled(FIXTURES / "acled_iraq_syria_2019.csv")
    rows = by_id(result.frame)
    assert result.rows_read == 5 and not result.problems
    hawija = rows["acled:IRQ1001"]
    assert hawija["event_type"] == "Explosions/Remote violence"
    assert hawija["sub_event_type"] == "Remote explosive/landmine/IED"
    assert (hawija["admin1_code"], hawija["fatalities"], hawija["killed_best"]) == ("IQ-KI", 2, 2)
    assert hawija["summary"].startswith("On 15 March 2019, an IED")
    rutba = rows["acled:IRQ1002"]
    assert rutba["date_start"] == pd.Timestamp("2019-03-16")  # "16 March 2019"
    assert (rutba["time_precision"], rutba["geo_precision"]) == ("week", 2)
    assert rutba["assoc_actors"] == "Popular Mobilization Forces"
    assert rows["acled:IRQ1003"]["time_precision"] == "month"
    assert rows["acled:SYR2001"]["admin1_code"] == "SY-DY"
    incident = next(i for i in result.incidents if i.incident_id == "acled:IRQ1002")
    assert incident.location.lat == 33.0381 and incident.killed.best == 5
    assert "Rudaw" in incident.notes


def test_bad_rows_are_reported_by_line_and_good_rows_kept():
    result = read_acled(FIXTURES / "acled_bad_rows.csv")
    errors = {p.line: p.message for p in result.errors}
    assert result.rows_read == 10
    assert set(errors) == {3, 4, 5, 7, 9, 10}
    assert "'2019-13-45'" in errors[3]
    assert "'many'" in errors[4]
    assert "out of range" in errors[5] and "out of range" in errors[7]
    assert "repeats the row on line 2" in errors[9]
    assert "no coordinates" in errors[10]
    assert sorted(result.frame["incident_id"]) == [
        "acled:IRQ1001", "acled:IRQ1013", "acled:IRQ1015", "acled:IRQ1017"]
    assert result.bad_lines == [3, 4, 5, 7, 9, 10]


def test_swapped_coordinates_are_flagged_not_moved():
    result = read_acled(FIXTURES / "acled_bad_rows.csv")
    row = by_id(result.frame)["acled:IRQ1013"]
    assert FLAG_SWAPPED in row["flags"].split(";")
    assert (row["latitude"], row["longitude"]) == (44.3661, 33.3152)
    assert any(p.line == 6 and p.severity == "warning" for p in result.problems)


def test_latitude_beyond_90_is_flagged_as_swapped(tmp_path):
    path = ucdp_file(
        tmp_path,
        "7,1,A,B,1,Manila,,121.0,14.6,Philippines,1,2017-06-05,2017-06-05,1,1,1,,,",
        "8,1,A,B,1,Raqqa,,38.5,35.0,Syria,1,2017-06-05,2017-06-05,1,1,1,,,",
    )
    rows = by_id(read_ucdp(path).frame)
    manila, raqqa = rows["ucdp:7"], rows["ucdp:8"]
    assert manila["flags"] == FLAG_SWAPPED and (manila["latitude"], manila["longitude"]) == (
        121.0, 14.6)
    assert manila["join_flag"] == "invalid_coordinates"
    assert raqqa["flags"] == FLAG_SWAPPED and (raqqa["latitude"], raqqa["longitude"]) == (
        38.5, 35.0)


def test_unknown_precision_codes_are_flagged_with_defaults():
    result = read_acled(FIXTURES / "acled_bad_rows.csv")
    row = by_id(result.frame)["acled:IRQ1015"]
    assert set(row["flags"].split(";")) == {FLAG_UNKNOWN_GEO_PREC, FLAG_UNKNOWN_TIME_PREC}
    assert (row["geo_precision"], row["time_precision"]) == (3, "month")


def test_unknown_ucdp_date_prec_falls_back_to_the_date_span(tmp_path):
    path = ucdp_file(tmp_path, "8,1,A,B,9,X,,35.0,38.5,Syria,0,2017-03-01,2017-03-04,0,0,0,,,")
    row = read_ucdp(path).frame.iloc[0]
    assert row["time_precision"] == "week" and row["geo_precision"] == 3
    assert set(row["flags"].split(";")) == {FLAG_UNKNOWN_GEO_PREC, FLAG_UNKNOWN_TIME_PREC}


def test_wrong_types_reject_the_row(tmp_path):
    path = ucdp_file(
        tmp_path,
        "9,1,A,B,1,X,,35.0,38.5,Syria,1,2017-03-01,2017-03-01,1,two,3,,,",
        "10,9,A,B,1,X,,35.0,38.5,Syria,1,2017-03-01,2017-03-01,1,1,1,,,",
        "11,1,A,B,1,X,,north,38.5,Syria,1,2017-03-01,2017-03-01,1,1,1,,,",
        "12,1,A,B,1,X,,35.0,38.5,Syria,1,2017-03-01,2017-03-01,1,1,1,,,",
    )
    result = read_ucdp(path)
    errors = {p.line: p.message for p in result.errors}
    assert "best 'two'" in errors[2]
    assert "type_of_violence '9'" in errors[3]
    assert "'north'" in errors[4]
    assert result.frame["incident_id"].tolist() == ["ucdp:12"]


def test_line_numbers_count_multiline_fields_and_short_rows(tmp_path):
    path = ucdp_file(
        tmp_path,
        '13,1,A,B,1,X,,35.0,38.5,Syria,1,2017-03-01,2017-03-01,1,1,1,"two\nlines",,',
        "14,1,A,B,1,X,,35.0,38.5,Syria,1,2017-03-01,2017-03-01,1,1,1,,,,,extra,fields",
        "",
        "15,1,A,B,1,X,,35.0,38.5,Syria,1,bad-date,2017-03-01,1,1,1,,,",
    )
    result = read_ucdp(path)
    lines = {p.line: p.message for p in result.errors}
    assert set(lines) == {4, 6}
    assert "bad-date" in lines[6] and "fields" in lines[4]
    assert by_id(result.frame)["ucdp:13"]["line"] == 2


def test_missing_columns_are_named_with_the_expected_format():
    with pytest.raises(ImportFormatError) as info:
        read_acled(FIXTURES / "acled_missing_columns.csv")
    message = str(info.value)
    assert "['event_date', 'latitude', 'longitude']" in message
    assert "ACLED CSV export" in message and "event_id_cnty" in message


def test_wrong_format_suggests_the_other_one():
    with pytest.raises(ImportFormatError, match="use --format acled"):
        read_ucdp(FIXTURES / "acled_iraq_syria_2019.csv")
    with pytest.raises(ImportFormatError, match="unknown dataset format 'gdelt'"):
        read_events(FIXTURES / "acled_iraq_syria_2019.csv", format="gdelt")


def test_empty_and_header_only_files(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(ImportFormatError, match="is empty"):
        read_ucdp(empty)
    header = ucdp_file(tmp_path, name="header.csv")
    result = read_ucdp(header)
    assert result.rows_read == 0 and result.frame.empty


def test_non_utf8_bytes_are_replaced_with_a_warning():
    result = read_acled(FIXTURES / "acled_not_utf8.csv")
    assert len(result.frame) == 3
    warning = result.warnings[0]
    assert "not valid UTF-8" in warning.message and "line(s) 2" in warning.message
    assert "Haw\ufffdja" in by_id(result.frame)["acled:IRQ1001"]["summary"]


def test_fake_join_is_used(tmp_path):
    def join(frame):
        return frame.assign(country="XX", admin1="Fake", admin1_code="XX-1", join_flag=None)

    result = read_acled(FIXTURES / "acled_iraq_syria_2019.csv", join=join)
    assert set(result.frame["admin1_code"]) == {"XX-1"}


def test_importing_the_same_file_twice_changes_nothing(tmp_path):
    result = read_acled(FIXTURES / "acled_iraq_syria_2019.csv")
    with IncidentStore(tmp_path / "atlas.sqlite") as store:
        first = store.add_incidents(result.frame, source="acled")
        frame_before = store.incidents_frame()
        second = store.add_incidents(read_acled(FIXTURES / "acled_iraq_syria_2019.csv").frame,
                                     source="acled")
        frame_after = store.incidents_frame()
        stored = store.get_incident("acled:IRQ1002")
    assert (first.added, second.added, second.already_present) == (5, 0, 5)
    pd.testing.assert_frame_equal(frame_before, frame_after)
    assert stored.location.admin1_code == "IQ-AN" and stored.assoc_actors == (
        "Popular Mobilization Forces",)
    assert stored.status == "reviewed" and stored.notes.startswith("Sources: Rudaw")


def test_import_command_prints_a_summary_and_is_idempotent(tmp_path, capsys):
    from incidents import cli

    db = tmp_path / "atlas.sqlite"
    fixture = str(FIXTURES / "acled_bad_rows.csv")
    assert cli.main(["import", fixture, "--format", "acled", "--db", str(db), "--show", "2"]) == 0
    out = capsys.readouterr().out
    assert "rows read                10" in out and "imported                4" in out
    assert "bad rows skipped        6" in out
    assert "line 3: error: event_date '2019-13-45'" in out and "... and 7 more" in out
    assert cli.main(["import", fixture, "--format", "acled", "--db", str(db)]) == 0
    assert "already present         4" in capsys.readouterr().out


def test_import_command_bad_file_is_one_line(tmp_path, capsys):
    from incidents import cli

    code = cli.main(["import", str(FIXTURES / "acled_missing_columns.csv"), "--format", "acled",
                     "--db", str(tmp_path / "atlas.sqlite")])
    assert code == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "lacks column(s)" in err


def test_a_point_across_the_border_keeps_the_dataset_country(tmp_path):
    # Baghuz at-Tahtani as UCDP gives it: its point falls just inside Natural Earth's Iraq;
    # a point 150 km inside Iraq with "Syria" keeps the country but gets no Iraqi province
    path = ucdp_file(
        tmp_path,
        "1,1,SDF,IS,1,Baghuz at-Tahtani village,Deir ez Zor Governorate,34.43221,40.99226,Syria,1,"
        "2019-03-10,2019-03-10,5,6,7,,,",
        "2,1,SDF,IS,1,Somewhere,,33.4,42.5,Syria,1,2019-03-10,2019-03-10,1,1,1,,,",
        "3,1,Government of Iraq,IS,1,Qaim town,Anbar governorate,34.37,41.09,Iraq,1,2019-03-10,"
        "2019-03-10,1,1,1,,,",
    )
    rows = by_id(read_ucdp(path).frame)
    baghuz, far, qaim = rows["ucdp:1"], rows["ucdp:2"], rows["ucdp:3"]
    assert (baghuz["country"], baghuz["admin1_code"]) == ("SY", "SY-DY")
    assert baghuz["join_flag"] == "dataset_country_nearest_province"
    assert (baghuz["latitude"], baghuz["longitude"]) == (34.43221, 40.99226)  # never moved
    assert (far["country"], far["admin1_code"], far["join_flag"]) == ("SY", None, "dataset_country_differs")
    assert (qaim["country"], qaim["admin1_code"], qaim["join_flag"]) == ("IQ", "IQ-AN", None)


def test_a_missing_file_a_folder_binary_bytes_and_semicolons_are_named(tmp_path, capsys):
    from incidents.cli import main

    db = str(tmp_path / "a.sqlite")
    semicolons = tmp_path / "semi.csv"
    semicolons.write_text("event_id_cnty;event_date;event_type\nX1;2019-01-01;Battles\n", encoding="utf-8")
    binary = tmp_path / "data.csv"
    binary.write_bytes(b"\x7fELF\x00\x01\x02" * 20)
    cases = [(tmp_path / "nope.csv", "does not exist"), (tmp_path, "is a folder"),
             (binary, "binary file"), (semicolons, "separated by semicolons")]
    for path, message in cases:
        assert main(["import", str(path), "--format", "acled", "--db", db]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and message in err[0] and str(path.name) in err[0]
    header = ucdp_file(tmp_path, name="header.csv")
    assert main(["import", str(header), "--format", "ucdp", "--db", db]) == 1
    assert "header and nothing else" in capsys.readouterr().out
