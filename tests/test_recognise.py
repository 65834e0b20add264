"""Behaviour of recognition (gazetteer.recognise): which spans are place names, with which flags.

These use the real place index (built once and cached; see gazetteer.index.get_index).
"""

from __future__ import annotations

import pytest

from gazetteer.geoparse import geoparse
from gazetteer.index import MATCH_KINDS, get_index
from gazetteer.normalize import fold
from gazetteer.recognise import _tokens, recognise


@pytest.fixture(scope="module")
def index():
    return get_index()


def mentions(text, index, **kwargs):
    found = recognise(text, index, **kwargs)
    assert all(text[m.start : m.end] == m.text for m in found)
    return {m.text: m for m in found}


def test_tokens_cut_possessives_and_split_hyphenated_names():
    toks = _tokens("Anbar's fighters left Fargo-Moorhead for a Texas-based firm in Port-au-Prince.")
    assert toks.words == [
        "Anbar", "fighters", "left", "Fargo", "Moorhead", "for", "a", "Texas", "based", "firm", "in",
        "Port-au", "Prince",
    ]
    assert [toks.words[k] for k in toks.caps] == ["Anbar", "Fargo", "Moorhead", "Texas", "Port-au", "Prince"]
    text = "Anbar's fighters left Fargo-Moorhead"
    toks = _tokens(text)
    assert all(text[s:e] == w for s, e, w in zip(toks.starts, toks.ends, toks.words))


def test_hyphenated_names_are_rejoined_and_suffixes_dropped(index):
    found = mentions("Police in Port-au-Prince and the Texas-based company said so.", index)
    assert "Port-au-Prince" in found
    assert "Texas" in found and "Texas-based" not in found


def test_the_place_an_organisation_or_office_is_named_after(index):
    found = mentions("Laurel County Clerk Dean Johnson spoke to the Oxford Police Department.", index)
    assert found["Laurel County"].in_organisation and found["Laurel County"].admin_hint
    assert found["Oxford"].in_organisation and not found["Oxford"].name_neighbour
    assert "Johnson" not in found or found["Johnson"].person


def test_a_site_named_after_its_place_is_not_an_organisation(index):
    found = mentions("Rebels shelled the Aleppo Technical College on Monday.", index)
    assert not found["Aleppo"].in_organisation
    assert not found["Aleppo"].name_neighbour


def test_given_names_titles_and_initials_mark_people(index):
    text = "Mary Wheeler met Miss Cordiner. Ashley L. Evans, 26, of Paris, was held. It was said by Robley."
    found = mentions(text, index)
    assert "Mary" not in found and "Miss" not in found
    if "Evans" in found:
        assert found["Evans"].person and not found["Evans"].sentence_initial


def test_said_before_a_name_makes_it_a_person_throughout():
    text = "The roads are closed, said Meredith. Meredith asked drivers to stay home."
    assert "Meredith" not in {t.text for t in geoparse(text)}


def test_a_full_title_before_a_full_stop_ends_the_sentence(index):
    found = mentions("Hyles unseats Turner for Municipal Court Judge. Columbus attorney Stephen Hyles won.", index)
    assert "Columbus" in found and found["Columbus"].sentence_initial


def test_a_common_word_inside_a_longer_name_is_not_a_place(index):
    found = mentions("Fargo City Commissioner Tim Mahoney met veterans of World War II in New York.", index)
    assert "City" not in found
    assert not any(text.startswith("War") for text in found)
    assert "New York" in found


def test_sentence_initial_function_words_start_no_name(index):
    found = mentions("And I think it works. But I doubt it.", index)
    assert not any(text.split()[0] in ("And", "But") for text in found)


def test_abbreviated_saint_and_locative_modifiers(index):
    found = mentions("Flights to St. Petersburg resumed. A storm hit in downtown Pineville.", index)
    assert "St. Petersburg" in found
    assert found["Pineville"].locative


def test_compass_word_before_a_name_keeps_it_locative(index):
    found = mentions("Fighting resumed in the East Ghouta region of rural Damascus.", index)
    assert found["East Ghouta"].locative
    found = mentions("Fighting resumed in the North Ghouta region of rural Damascus.", index)
    assert found["Ghouta"].locative


def test_demonyms_are_toponyms_only_when_asked():
    text = "Iraqi officials said Syrian troops left Ramadi. The Jewish community met."
    assert {t.text for t in geoparse(text)} == {"Ramadi"}
    marked = {t.text: t for t in geoparse(text, demonyms=True)}
    assert (marked["Iraqi"].country, marked["Iraqi"].relation) == ("IQ", "demonym")
    assert marked["Syrian"].feature == "country" and marked["Syrian"].anchor == marked["Syrian"].name
    assert "Jewish" not in marked
    assert marked["Ramadi"].relation is None


def test_candidate_arrays_agree_with_candidates(index):
    for name in ("Ramadi", "Springfield", "Deir al-Zour", "Xyzzyqwv"):
        places, kinds = index.candidate_arrays(name)
        listed = index.candidates(name)
        assert [c.place for c in listed] == places.tolist()
        assert [c.match for c in listed] == [MATCH_KINDS[k] for k in kinds.tolist()]


def test_index_of_finds_provinces_and_towns(index):
    anbar = index.index_of("ne:IQ-AN")
    assert anbar is not None and index.feature[anbar] == "admin1"
    town = index.place_id[index.candidate_arrays("Ramadi")[0][0]]
    assert index.place_id[index.index_of(str(town))] == town
    assert index.index_of("gn:does-not-exist") is None


def test_folding_one_word_at_a_time_keeps_the_keys():
    assert fold("Al Bu Kamal") == fold("Albu Kamal") == "abukamal"
    assert fold("Salahuddin") == fold("Salah ad-Din")
    assert fold("Tell Abyad") == fold("Tal Abyad")
    assert fold("Al-Husayniyah") == fold("Husseiniyat")


def test_the_pronoun_i_does_not_extend_a_name(index):
    found = mentions("As a soldier in Iraq I saw what the war did.", index)
    assert "Iraq" in found and "Iraq I" not in found
    assert not found["Iraq"].weak  # "I" is no name beside it
    from gazetteer import geoparse

    assert [(t.text, t.country) for t in geoparse("As a soldier in Iraq I saw what the war did.")] == [
        ("Iraq", "IQ")]


def test_a_list_of_countries_is_not_town_and_country():
    from gazetteer import geoparse

    text = "Officials named Armenia, Azerbaijan, Georgia, Iraq, Iran, and Syria. He lives in Jordan, Minn."
    places = {(t.text, t.country) for t in geoparse(text)}
    assert ("Iraq", "IQ") in places and ("Iran", "IR") in places
    assert ("Jordan", "US") in places  # a town qualified by its state still is


def test_a_place_as_the_subject_after_said_or_before_said_is_no_person(index):
    found = mentions("The governor of Nineveh said Mosul was calm.", index)
    assert not found["Nineveh"].person and not found["Mosul"].person
    found = mentions("The road is closed, said Robley. Hightower said it twice.", index)
    assert found["Robley"].person and found["Hightower"].person


def test_a_party_label_before_a_name_gives_a_legislators_home_town(index):
    text = "State Sen. Ann Carter, R-Marietta, voted no; Rep. Joe Diaz (D-Pleasanton) voted yes."
    found = mentions(text, index)
    for name in ("Marietta", "Pleasanton"):
        assert found[name].locative and not found[name].name_neighbour and not found[name].person
    assert {"Marietta", "Pleasanton"} <= {t.text for t in geoparse(text)}
    # A hyphenated person's name is no party label.
    found = mentions("Midfielder Ali Abdel-Salam scored twice.", index)
    assert "Salam" not in found or not found["Salam"].locative


def test_a_place_before_its_police_or_officials_is_no_person(index):
    found = mentions("Two homes were burgled, according to Hopkinton police.", index)
    assert not found["Hopkinton"].person
    found = mentions("The road was shut, according to Taylor.", index)
    assert found["Taylor"].person


def test_the_kind_of_place_before_of_hints_the_feature(index):
    found = mentions("Clinics in the province of Ontario and the city of Mosul were full.", index)
    assert found["Ontario"].admin_hint and not found["Ontario"].city_hint
    assert found["Mosul"].city_hint and not found["Mosul"].admin_hint
    found = mentions("A friend of Ontario officials came.", index)
    assert "Ontario" not in found or not found["Ontario"].admin_hint


def test_the_atlantic_is_the_ocean_and_zaire_the_congo():
    places = {t.text: t for t in geoparse("Storms over the Atlantic delayed aid flights to Zaire.")}
    assert places["Atlantic"].name == "Atlantic Ocean"
    assert places["Zaire"].country == "CD" and places["Zaire"].feature == "country"


def test_two_towns_joined_by_a_hyphen_are_two_places(index):
    text = "Floods closed roads in Fargo-Moorhead. Fargo schools stayed shut."
    found = mentions(text, index)
    assert not found["Fargo"].name_neighbour and not found["Moorhead"].name_neighbour
    # A brand or a double-barrelled surname whose halves the text never names alone.
    found = mentions("He sold Coca-Cola in Moorhead.", index)
    assert "Cola" not in found or found["Cola"].name_neighbour


def test_the_golan_is_the_syrian_plateau():
    places = {t.text: t for t in geoparse("Rebels shelled positions in the Golan on Friday.")}
    assert (places["Golan"].name, places["Golan"].country, places["Golan"].feature) == ("Golan Heights", "SY", "region")
