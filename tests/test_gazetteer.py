"""The offline gazetteer: transliteration variants, ambiguity, bad input, cache rebuild, CLI."""

from __future__ import annotations

import json
import shutil

import pytest

from gazetteer import lookup
from gazetteer.errors import BadQueryError
from gazetteer.normalize import fold, skeleton
from incidents.cli import main


@pytest.mark.parametrize(
    "variants, key",
    [
        (["Husayniyat", "Husseiniyat", "Al-Husayniyah"], "husayniya"),
        (["Rutba", "Rutbah", "Ar Rutbah", "Ar Ruţbah"], "rutba"),
        (["Nukhayb", "Nukhaib", "An Nukhayb"], "nukhayb"),
        (["Baghouz", "Baghuz"], "baghuz"),
        (["Salahuddin", "Salah ad-Din", "Saladin", "Salaheddin"], "saladin"),
        (["Fallujah", "Falluja", "Al Fallujah", "Al-Fallūjah"], "faluja"),
        (["Tal Afar", "Tall 'Afar", "Tall ‘Afar"], "talafar"),
        (["Albu Kamal", "Abu Kamal", "Al Bu Kamal", "Ālbū Kamāl"], "abukamal"),
        (["Haditha", "Hadithah", "Ḩadīthah"], "haditha"),
    ],
)
def test_fold_meets_transliteration_variants(variants, key):
    assert {fold(v) for v in variants} == {key}


def test_skeleton_meets_vowel_variants():
    assert {skeleton(fold(v)) for v in ["Deir ez-Zor", "Dayr az Zawr", "Deir al-Zour"]} == {"drzr"}
    assert skeleton(fold("Telafer")) == skeleton(fold("Tal Afar"))
    assert skeleton(fold("Al Bukamal")) == skeleton(fold("Abu Kamal"))


def _top(name, **kwargs):
    places = lookup(name, **kwargs)
    assert places, f"no place for {name!r}"
    return places[0]


@pytest.mark.parametrize("name", ["Husayniyat", "Husseiniyat", "Al-Husayniyah"])
def test_husayniyat_is_the_anbar_desert(name):
    top = _top(name, country="IQ")
    assert (top.country, top.admin1_code, top.feature) == ("IQ", "IQ-AN", "desert")
    # South of Rutba.
    assert 32.0 < top.lat < 33.04 and 39.8 < top.lon < 40.8


@pytest.mark.parametrize("name", ["Rutba", "Rutbah", "Ar Rutbah", "الرطبة"])
def test_rutba(name):
    top = _top(name)
    assert (top.country, top.admin1_code) == ("IQ", "IQ-AN")
    assert abs(top.lat - 33.04) < 0.1 and abs(top.lon - 40.29) < 0.1


@pytest.mark.parametrize("name", ["Nukhayb", "Nukhaib", "An Nukhayb", "النخيب"])
def test_nukhayb(name):
    top = _top(name)
    assert (top.country, top.admin1_code) == ("IQ", "IQ-AN")
    assert abs(top.lat - 32.04) < 0.1 and abs(top.lon - 42.26) < 0.1


@pytest.mark.parametrize("name", ["Baghouz", "Al-Baghuz Fawqani", "الباغوز"])
def test_baghouz_is_baghuz_fawqani_on_the_euphrates(name):
    top = _top(name)
    assert (top.country, top.admin1_code) == ("SY", "SY-DY")
    assert abs(top.lat - 34.46) < 0.05 and abs(top.lon - 40.94) < 0.05


def test_baghuz_with_country_finds_a_syrian_baghuz():
    assert _top("Baghuz", country="SY").country == "SY"


@pytest.mark.parametrize(
    "name, code",
    [
        ("Salahuddin", "IQ-SD"),
        ("Salah ad-Din", "IQ-SD"),
        ("Saladin", "IQ-SD"),
        ("Nineveh", "IQ-NI"),
        ("Ninawa", "IQ-NI"),
        ("Anbar", "IQ-AN"),
        ("Al-Anbar", "IQ-AN"),
    ],
)
def test_province_names_alone_are_the_province(name, code):
    top = _top(name)
    assert top.feature == "admin1" and top.admin1_code == code


def test_kirkuk_uses_the_current_iso_code():
    places = lookup("Kirkuk", limit=10)
    codes = {p.admin1_code for p in places if p.country == "IQ"}
    assert "IQ-KI" in codes and "IQ-TS" not in codes


@pytest.mark.parametrize(
    "names, lat, lon",
    [
        (["Fallujah", "Falluja", "Al Fallujah"], 33.35, 43.78),
        (["Tal Afar", "Tall 'Afar", "Telafer"], 36.38, 42.45),
        (["Albu Kamal", "Abu Kamal", "Al Bukamal"], 34.45, 40.92),
        (["Haditha", "Hadithah"], 34.14, 42.38),
    ],
)
def test_town_variants(names, lat, lon):
    for name in names:
        top = _top(name)
        assert abs(top.lat - lat) < 0.15 and abs(top.lon - lon) < 0.15, (name, top)


@pytest.mark.parametrize("name", ["Deir ez-Zor", "Dayr az Zawr", "Deir al-Zour"])
def test_deir_ez_zor(name):
    top = _top(name)
    assert top.country == "SY" and top.admin1_code == "SY-DY"


def test_sinjar_follows_the_country_hint():
    assert _top("Sinjar", country="IQ").country == "IQ"
    assert _top("Sinjar", country="SY").country == "SY"
    # Without a hint the Iraqi town (the larger place) comes first.
    assert _top("Sinjar").country == "IQ"


def test_several_husayniyah_are_all_offered():
    places = lookup("Husayniyah", limit=10)
    countries = {p.country for p in places}
    assert {"IQ", "SY"} <= countries
    assert len({p.place_id for p in places}) == len(places)


def test_hawija_is_the_kirkuk_town():
    top = _top("Hawija", country="IQ")
    assert top.admin1_code == "IQ-KI"


def test_places_carry_their_fields_and_scores_are_ordered():
    places = lookup("Ramadi", limit=5)
    top = places[0]
    assert top.place_id.startswith(("gn:", "gns:", "gd:"))
    assert top.source in {"geonames", "gdelt"} and top.population > 100_000
    assert top.feature == "city" and top.admin1_code == "IQ-AN"
    assert [p.score for p in places] == sorted((p.score for p in places), reverse=True)
    assert all(0.0 <= p.score <= 1.0 for p in places)


@pytest.mark.parametrize(
    "name", ["", "   ", "\x00\x01\x02", "a" * 10_000, "\u202e\u202d", "Rutba\x00"]
)
def test_bad_names_give_empty_or_results_never_crash(name):
    result = lookup(name)
    assert isinstance(result, list)


def test_control_characters_are_spaces():
    assert lookup("Ar\tRutbah")[0].admin1_code == "IQ-AN"


def test_mixed_scripts_do_not_crash():
    assert isinstance(lookup("Rutba الرطبة"), list)


def test_non_string_name_is_a_clear_error():
    with pytest.raises(BadQueryError, match="must be text"):
        lookup(42)  # type: ignore[arg-type]


def test_cli_lookup_json(capsys):
    assert main(["gazetteer", "lookup", "Rutbah", "--country", "IQ", "--json", "--limit", "3"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["country"] == "IQ" and rows[0]["admin1_code"] == "IQ-AN"
    assert {"place_id", "name", "lat", "lon", "country", "admin1_code", "feature", "population", "source", "score"} <= set(rows[0])


def test_cli_lookup_unknown_name_exits_non_zero(capsys):
    assert main(["gazetteer", "lookup", "Qqqqxzzyv"]) == 1
    assert "no place found" in capsys.readouterr().err


def test_cli_bad_limit_is_one_line(capsys):
    assert main(["gazetteer", "lookup", "Rutba", "--limit", "0"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("incident-atlas: error:") and err.count("\n") == 1


@pytest.mark.parametrize("country", ["Iraq", "XX"])
def test_cli_an_unknown_country_code_is_refused_with_the_form(capsys, country):
    assert main(["gazetteer", "lookup", "Rutba", "--country", country]) == 2
    err = capsys.readouterr().err
    assert repr(country) in err and "IQ for Iraq" in err
    assert main(["gazetteer", "lookup", "Rutba", "--country", "iq", "--json", "--limit", "1"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["country"] == "IQ"


def test_cli_stats(capsys):
    assert main(["gazetteer", "stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["places"] > 1_000_000
    assert {"geonames", "gdelt", "naturalearth", "supplement"} <= set(stats["by_source"])
    assert stats["iraq_syria"]["IQ"] > 1000 and stats["iraq_syria"]["SY"] > 1000


def test_corrupt_cache_is_rebuilt(tmp_path, monkeypatch, capsys):
    from gazetteer import build, index

    original = build.default_index_dir()
    monkeypatch.setenv("INCIDENT_ATLAS_CACHE", str(tmp_path))
    copy = build.default_index_dir()
    shutil.copytree(original, copy)
    (copy / "keys.npy").write_bytes(b"not an array")
    monkeypatch.setattr(index, "_INDEX", None)
    try:
        rebuilt = index.get_index()
        assert len(rebuilt) > 1_000_000
        assert "corrupt" in capsys.readouterr().err
        assert index.lookup("Rutba")[0].admin1_code == "IQ-AN"
    finally:
        monkeypatch.setattr(index, "_INDEX", None)


def test_missing_cache_is_built_with_a_message(tmp_path, monkeypatch, capsys):
    from gazetteer import build, index

    original = build.default_index_dir()
    monkeypatch.setenv("INCIDENT_ATLAS_CACHE", str(tmp_path))
    # A stale copy (fingerprint changed) counts as missing.
    target = build.default_index_dir()
    shutil.copytree(original, target)
    meta = json.loads((target / "meta.json").read_text())
    meta["fingerprint"]["format"] = -1
    (target / "meta.json").write_text(json.dumps(meta))
    monkeypatch.setattr(index, "_INDEX", None)
    monkeypatch.setattr(index, "build_index", lambda folder, progress=False: shutil.copytree(original, folder, dirs_exist_ok=True))
    try:
        index.get_index()
        assert "building the gazetteer index" in capsys.readouterr().err
    finally:
        monkeypatch.setattr(index, "_INDEX", None)


def test_build_lock_serialises_builders_across_processes(tmp_path):
    """A second builder waits for the first to finish (then finds the index current)."""
    import subprocess
    import sys
    import textwrap
    import time
    from pathlib import Path

    from gazetteer.build import build_lock

    target = tmp_path / "gazetteer-vX"
    log = tmp_path / "log.txt"
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import time
            from pathlib import Path
            from gazetteer.build import build_lock
            log = Path({str(log)!r})
            with build_lock(Path({str(target)!r})):
                log.write_text("first-start\\n")
                time.sleep(1.0)
                with log.open("a") as fh:
                    fh.write("first-end\\n")
        """)],
        cwd=str(Path(__file__).resolve().parent.parent),
    )
    try:
        while not log.exists() and holder.poll() is None:
            time.sleep(0.01)
        with build_lock(target):
            with log.open("a") as fh:
                fh.write("second\n")
    finally:
        holder.wait(timeout=30)
    assert log.read_text().split() == ["first-start", "first-end", "second"]


def test_lookup_of_letters_that_fold_to_almost_nothing_finds_nothing():
    # "zzzqqq" folds to "zq" (doubled letters collapse): Wetzlar and Cheung Sha Wan have
    # alternate names in other scripts that fold so too; they are no answer
    assert lookup("zzzqqq") == []
    assert lookup("Baghdaad")[0].country == "IQ"  # folding that keeps the name still works
