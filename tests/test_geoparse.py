"""Behaviour of the geoparser (gazetteer.geoparse) on small inline texts.

These use the real place index (built once and cached; see gazetteer.index.get_index).
"""

from __future__ import annotations

import pytest

from gazetteer.errors import BadQueryError
from gazetteer.geoparse import geoparse, toponyms_to_json


def by_text(toponyms, text):
    return [t for t in toponyms if t.text == text]


def test_every_toponym_quotes_its_span_and_is_sorted():
    text = "Clashes were reported in Ramadi and Fallujah, west of Baghdad."
    toponyms = geoparse(text)
    assert [t.start for t in toponyms] == sorted(t.start for t in toponyms)
    assert all(text[t.start : t.end] == t.text for t in toponyms)
    assert {"Ramadi", "Fallujah", "Baghdad"} <= {t.text for t in toponyms}
    assert all(t.country == "IQ" for t in toponyms)


def test_hit_the_town_versus_hit_the_verb():
    town = geoparse("Militants attacked a checkpoint in Hit, in Anbar province, on Monday.")
    assert [t.admin1_code for t in by_text(town, "Hit")] == ["IQ-AN"]
    verb = geoparse("Storms hit the coast. Hit by the floods, farmers left. The ban was lifted.")
    assert by_text(verb, "Hit") == []


def test_mosul_in_mosul_dam_names_a_facility_not_the_city():
    dam = [t for t in geoparse("Engineers inspected the Mosul Dam on the Tigris.") if t.text.startswith("Mosul")]
    assert len(dam) == 1
    assert dam[0].text == "Mosul Dam" or dam[0].in_organisation
    city = by_text(geoparse("Engineers returned to Mosul on Monday."), "Mosul")
    assert len(city) == 1 and not city[0].in_organisation


def test_province_inside_an_organisation_is_marked():
    toponyms = geoparse("A spokesman for the Anbar Police Command said two people were arrested.")
    anbar = by_text(toponyms, "Anbar")
    assert len(anbar) == 1
    assert anbar[0].in_organisation
    assert anbar[0].feature == "admin1"


def test_direction_of_a_town_is_a_derived_point():
    text = "The convoy was ambushed south of Rutba, in the western desert of Anbar."
    rutba = by_text(geoparse(text), "Rutba")[0]
    assert rutba.relation and rutba.relation.startswith("south of")
    assert rutba.geo_precision == 2
    plain = by_text(geoparse("The convoy was ambushed in Rutba."), "Rutba")[0]
    assert rutba.lat < plain.lat
    assert rutba.radius_km > plain.radius_km


def test_distance_and_direction_offset_the_point():
    text = "A roadside bomb exploded 30 km west of Ramadi on Tuesday."
    ramadi = by_text(geoparse(text), "Ramadi")[0]
    alone = by_text(geoparse("A roadside bomb exploded in Ramadi on Tuesday."), "Ramadi")[0]
    assert ramadi.relation == "30 km west of"
    assert ramadi.lon < alone.lon
    assert abs(ramadi.lat - alone.lat) < 0.1


def test_shared_border_of_three_provinces():
    text = "The operation covered the desert regions shared by Anbar, Nineveh and Salahuddin."
    toponyms = geoparse(text)
    border = [t for t in toponyms if t.relation == "shared border"]
    assert len(border) == 1
    assert border[0].feature == "border"
    assert set(border[0].anchor.split("+")) == {"IQ-AN", "IQ-NI", "IQ-SD"}


def test_state_abbreviation_qualifies_the_town():
    toponyms = geoparse("The fire started in Paris, Tenn., late on Friday.")
    paris = by_text(toponyms, "Paris")[0]
    assert (paris.country, paris.admin1_code) == ("US", "US-TN")
    assert by_text(toponyms, "Tenn.")[0].feature == "admin1"


def test_person_names_are_not_places():
    text = (
        "Sheriff Jim Hightower said the road was closed. Hightower said deputies found the car "
        "near Gainesville, Ga."
    )
    names = {t.text for t in geoparse(text)}
    assert "Hightower" not in names
    assert "Gainesville" in names


def test_acronyms_and_contractions_are_not_places():
    text = "I'm told the CDC and the WHO tracked HIV cases, AP reported. We're in Kenya."
    names = {t.text for t in geoparse(text)}
    assert names == {"Kenya"}


def test_spans_mode_answers_each_span_in_order():
    text = "Iraqi forces left Mosul for Xyzzyqwv and then Mosul again."
    spans = [(28, 36), (0, 5), (18, 23), (46, 51)]
    toponyms = geoparse(text, spans=spans)
    assert [(t.start, t.end) for t in toponyms] == spans
    # A span no gazetteer knows is placed near the closest place the text names, and says so.
    unknown = toponyms[0]
    assert (unknown.relation, unknown.anchor) == ("near", toponyms[2].name)
    assert (unknown.lat, unknown.lon) == (toponyms[2].lat, toponyms[2].lon)
    assert unknown.score <= 0.1 and unknown.geo_precision >= 2
    assert toponyms[1].country == "IQ"  # a demonym span resolves to its country
    assert toponyms[2].place_id == toponyms[3].place_id


def span_of(text, name):
    start = text.index(name)
    return (start, start + len(name))


def test_a_span_without_any_place_around_it_stays_unresolved():
    (toponym,) = geoparse("Xyzzyqwv", spans=[(0, 8)])
    assert toponym.place_id is None and toponym.lat is None


def test_a_facility_name_resolves_by_the_place_it_contains():
    text = "She studied at the University of Oxford for two years."
    (toponym,) = geoparse(text, spans=[span_of(text, "University of Oxford")])
    assert (toponym.name, toponym.country) == ("Oxford", "GB")
    assert toponym.relation == "near" and toponym.anchor == "Oxford"
    assert toponym.score <= 0.4


@pytest.mark.parametrize(
    ("demonym", "admin1_code"), [("Minnesotans", "US-MN"), ("Ontarians", "CA-ON"), ("Ohioans", "US-OH")]
)
def test_a_demonym_span_the_table_lacks_resolves_to_the_area_it_names(demonym, admin1_code):
    text = f"Many {demonym} voted early."
    (toponym,) = geoparse(text, spans=[span_of(text, demonym)])
    assert (toponym.feature, toponym.admin1_code) == ("admin1", admin1_code)


def test_a_headline_in_capitals_and_the_body_share_one_sense():
    from gazetteer.index import get_index
    from gazetteer.recognise import recognise
    from gazetteer.resolve import resolve

    text = "MANSFIELD POLICE ADD PATROLS. Mansfield officers patrol downtown Mansfield at night."
    index = get_index()
    mentions = recognise(text, index)
    groups = resolve(text, mentions, index)
    named = [m for m in mentions if m.text.casefold() == "mansfield"]
    assert len(named) >= 2 and len({m.group for m in named}) == 1
    assert len({g.text.casefold() for g in groups}) == len(groups)


def test_a_region_across_countries_is_supported_by_the_places_named_in_it():
    text = "The envoy flew to the Middle East, visiting Cairo, Jerusalem and Amman."
    spans = [span_of(text, name) for name in ("Middle East", "Cairo", "Jerusalem", "Amman")]
    toponyms = geoparse(text, spans=spans)
    middle_east = toponyms[0]
    assert middle_east.feature == "region" and middle_east.country is None


def test_nearby_places_decide_between_towns_of_one_name():
    # Three Springfields in reach; the one among Peoria and Decatur is Illinois's.
    text = "Flooding closed roads between Peoria, Decatur and Springfield on Tuesday."
    spans = [span_of(text, name) for name in ("Peoria", "Decatur", "Springfield")]
    toponyms = geoparse(text, spans=spans)
    assert [t.admin1_code for t in toponyms] == ["US-IL", "US-IL", "US-IL"]


def test_the_united_states_sits_at_the_geonames_reference_point():
    (us,) = [t for t in geoparse("Officials in the United States said so.") if t.feature == "country"]
    assert us.country == "US"
    assert abs(us.lat - 39.76) < 0.1 and abs(us.lon + 98.5) < 0.1


def test_spans_outside_the_text_are_a_clear_error():
    with pytest.raises(BadQueryError, match="outside the text"):
        geoparse("Mosul", spans=[(0, 50)])


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "x" * 50_000,
        "".join(chr(c) for c in range(0, 0x3000, 7)),
        "\x00\x01\ufffd\ufffe" * 1000,
        "قتل ثلاثة في الرمادي" + " Militants attacked Ramadi " + "غرب بغداد",
    ],
    ids=["empty", "blank", "no-spaces", "unicode-junk", "control-junk", "arabic-mixed"],
)
def test_bad_input_gives_a_result_not_a_crash(text):
    toponyms = geoparse(text)
    assert all(text[t.start : t.end] == t.text for t in toponyms)
    assert isinstance(toponyms_to_json(toponyms), list)


def test_arabic_mixed_with_english_finds_the_english_name():
    text = "قتل ثلاثة في الرمادي. Militants attacked Ramadi on Monday."
    assert "Ramadi" in {t.text for t in geoparse(text)}


def test_five_megabytes_are_parsed_in_windows():
    paragraph = "Fighting continued in Ramadi and Fallujah on Monday, officials said. " * 20 + "\n"
    text = paragraph * (5_000_000 // len(paragraph))
    toponyms = geoparse(text)
    assert len(toponyms) >= 2 * (len(text) // len(paragraph))
    assert all(text[t.start : t.end] == t.text for t in toponyms[-5:])


def test_bytes_are_refused_with_a_message():
    with pytest.raises(BadQueryError, match="decode"):
        geoparse(b"Ramadi")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "name", "feature"),
    [
        ("A car bomb exploded in Baghdad on Monday, killing five people.", "Baghdad", "city"),
        ("Clashes erupted in Aleppo and Idlib.", "Aleppo", "city"),
        ("Gunmen in Basra killed a lawyer.", "Basra", "city"),
        ("Police in Baghdad province arrested two suspects.", "Baghdad", "admin1"),
        ("Operations in Anbar continued.", "Anbar", "admin1"),
    ],
)
def test_a_city_named_like_its_province_is_the_city_unless_the_province_is_said(text, name, feature):
    (found,) = [t for t in geoparse(text) if t.text == name]
    assert found.feature == feature
    assert found.geo_precision == (1 if feature == "city" else 3)


def test_a_gold_span_keeps_what_recognition_read_around_it():
    # "a Washington state farm": the word after the name says it is the state, in the
    # gold-span mode as in the normal one
    text = "A cow from a Washington state farm tested positive; cases in Oregon and Idaho followed."
    start = text.index("Washington")
    (washington,) = geoparse(text, spans=[(start, start + len("Washington"))])
    assert washington.feature == "admin1" and washington.admin1_code == "US-WA"


def test_date_words_are_not_towns_without_support():
    text = "Date of publication 21 September 2016. Last updated at Jul 172015."
    assert geoparse(text) == []
    # with a place of its own country beside it, the town is still found
    text = "The town of Date in Fukushima was flooded."
    assert [t.text for t in geoparse(text)] == ["Date", "Fukushima"]


def test_a_name_dropped_in_its_minor_sense_falls_back_to_its_prominent_one():
    # Aleppo pulls "Ramadi" towards a Syrian locality of that name, which the evidence rules
    # then drop; the Anbar city must not vanish
    found = {t.text: t.country for t in geoparse("Fighting in Ramadi and Aleppo.")}
    assert found == {"Ramadi": "IQ", "Aleppo": "SY"}


def test_the_presidents_surname_is_not_a_village():
    text = "Rebels fighting to overthrow President Bashar al-Assad shelled Homs. Assad said nothing."
    assert [t.text for t in geoparse(text)] == ["Homs"]
