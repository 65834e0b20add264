"""World regions and datelines (issue 3), on tiny inline sentences with the real place index.

"North Africa" was read as Africa (2,000 km south of it), "Central America" as the United
States, "South Asia" as Asia; lower-case regions ("the middle east" in a post) were missed; and
a dateline's spaced dash joined the city to the story's first word ("ALEPPO – A car bomb"),
which lost the city.
"""

from __future__ import annotations

import pytest

from gazetteer.geoparse import geoparse


def names(text):
    return [(t.text, t.name) for t in geoparse(text)]


@pytest.mark.parametrize(
    "region, lat, lon",
    [
        ("North Africa", 27.33, 14.00),
        ("Central America", 13.37, -86.20),
        ("South Asia", 21.84, 79.06),
        ("East Asia", 36.28, 120.88),
        ("Eastern Europe", 48.38, 23.72),
        ("Horn of Africa", 10.12, 42.00),
    ],
)
def test_a_macro_region_is_itself_not_its_continent_or_a_country(region, lat, lon):
    found = [t for t in geoparse(f"Food prices rose across {region} this year.") if t.text == region]
    assert len(found) == 1
    t = found[0]
    assert t.feature == "region" and t.country is None
    assert (round(t.lat, 2), round(t.lon, 2)) == (lat, lon)


@pytest.mark.parametrize(
    "text, span, name",
    [
        ("The whole of the middle east is on fire", "middle east", "Middle East"),
        ("malaria infested west africa", "west africa", "West Africa"),
        ("floods across south east asia", "south east asia", "Southeast Asia"),
        ("no aid reached north africa", "north africa", "North Africa"),  # no capital in the text
    ],
)
def test_a_region_written_in_lower_case_is_found(text, span, name):
    assert (span, name) in names(text)


@pytest.mark.parametrize(
    "text",
    ["the middle eastern markets", "they drove east through the desert", "the west bank of the river"],
)
def test_lower_case_compass_words_alone_are_no_region(text):
    assert names(text) == []


@pytest.mark.parametrize(
    "text, city",
    [
        ("ALEPPO – A car bomb killed five people.", "Aleppo"),
        ("BAGHDAD – Three people died in a blast.", "Baghdad"),
        ("Baghdad - The city was quiet on Friday.", "Baghdad"),
        ("BAGHDAD — Three people died in a blast.", "Baghdad"),
    ],
)
def test_a_dateline_dash_parts_the_city_from_the_story(text, city):
    found = geoparse(text)
    assert [t.name for t in found] == [city]
    assert found[0].text.lower() == city.lower()


def test_an_unspaced_hyphen_still_joins_a_name():
    assert ("Deir ez-Zor", "Deir ez-Zor") in names("Clashes in Deir ez-Zor on Monday.")


def test_a_place_listed_between_countries_without_commas_is_kept():
    # a post's list: Gaza was dropped as if "Iraq Gaza" were a person's name
    assert [n for _, n in names("The region is on fire Syria Iraq Gaza Libya")] == ["Syria", "Iraq", "Gaza", "Libya"]


def test_a_town_before_its_country_without_a_comma_is_kept():
    assert ("Morioka", "Morioka") in names("An earthquake is likely in the Aomori and Morioka Japan area")


@pytest.mark.parametrize("text, dropped", [("Jordan Henderson scored for Liverpool", "Henderson"), ("The Only Peru Guide", "Guide")])
def test_a_country_beside_a_word_does_not_make_the_word_a_place(text, dropped):
    assert dropped not in [t for t, _ in names(text)]


@pytest.mark.parametrize(
    "text, span",
    [
        ("Peshmerga forces in Iraqi Kurdistan repelled an attack.", "Iraqi Kurdistan"),
        ("ISIS attacked a checkpoint in the Kurdistan Region on Tuesday.", "Kurdistan Region"),
        ("A roadside bomb struck a convoy in Kurdistan, Iraq.", "Kurdistan"),  # was Iran's Kordestan
    ],
)
def test_kurdistan_in_iraq_is_the_kurdistan_region_not_the_country_or_iran(text, span):
    t = next(t for t in geoparse(text) if t.text == span)
    assert (t.name, t.country, t.feature, t.admin1_code) == ("Kurdistan Region", "IQ", "region", None)


def test_kurdistan_in_iran_stays_irans_province():
    t = next(t for t in geoparse("Protests in Sanandaj, the capital of Kurdistan province in Iran.") if t.text == "Kurdistan")
    assert t.admin1_code == "IR-12"


@pytest.mark.parametrize("name", ["Democratic Republic of the Congo", "Democratic Republic of Congo"])
def test_the_drc_spelled_out_is_the_drc_not_its_neighbour(name):
    # the run stopped at "the", and "Congo" alone is the Republic of the Congo
    t = next(t for t in geoparse(f"Ebola spread in the {name} last year.") if "Congo" in t.text)
    assert (t.text, t.country) == (name, "CD")


def test_the_republic_of_the_congo_spelled_out_stays_itself():
    assert ("Republic of the Congo", "Republic of the Congo") in names("Troops in the Republic of the Congo")


def test_a_bare_congo_after_the_drc_is_the_drc():
    text = "Plague killed 61 people in the Democratic Republic of the Congo. Cases were found in northern Congo."
    assert [t.country for t in geoparse(text)] == ["CD", "CD"]


@pytest.mark.parametrize(
    "text", ["Troops from Congo entered the Central African Republic.", "The Republic of Congo and the DRC met in Congo."]
)
def test_a_bare_congo_is_the_republic_unless_the_text_names_only_the_drc(text):
    assert [t.country for t in geoparse(text) if t.text == "Congo"] == ["CG"]


@pytest.mark.parametrize(
    "text", ["US troops arrived on Monday.", "Three themes dominated Egyptian-US relations.", "The US-led coalition struck."]
)
def test_us_in_capitals_is_the_country_not_the_pronoun(text):
    assert ("US", "United States") in names(text)


@pytest.mark.parametrize("text", ["LET US PRAY FOR PEACE", "Give us a break.", "Us and them."])
def test_the_pronoun_us_is_no_place(text):
    assert names(text) == []


def test_darfur_is_the_sudanese_region_not_a_minnesota_town():
    t = next(t for t in geoparse("Fighting in Darfur displaced thousands.") if t.text == "Darfur")
    assert (t.country, t.feature) == ("SD", "region")


def test_a_title_case_headline_keeps_its_place():
    # every word capitalised: "Near" beside "Mosul" said nothing, yet made it part of a name
    text = "Fighting Rages Near Mosul\n\nFighting raged near Mosul as troops advanced."
    assert [t.start for t in geoparse(text) if t.name == "Mosul"] == [20, 47]


def test_outside_title_case_a_capitalised_neighbour_still_makes_a_name():
    # "Metz Fresh LLC" is a company even though the text writes "fresh" in lower case
    assert "Metz" not in [t.text for t in geoparse("Metz Fresh LLC recalled spinach. The fresh spinach was sold.")]


@pytest.mark.parametrize("text, name", [("The strike violated the Geneva Conventions, the UN said.", "Geneva"),
                                        ("The Oslo Accords were signed long ago.", "Oslo")])
def test_a_place_naming_a_treaty_is_context_not_a_site(text, name):
    t = next(t for t in geoparse(text) if t.text == name)
    assert t.in_organisation


def test_a_world_city_beats_a_small_namesake_the_text_does_not_place():
    # one US state named elsewhere made London a Californian village of 1,800 people
    found = geoparse("Officials in Massachusetts said a meteorite expert at a museum in London agreed.")
    assert next(t.country for t in found if t.text == "London") == "GB"


@pytest.mark.parametrize(
    "text", ["The fair in London, Ky., drew crowds.", "Laurel County officials in London said the road near Corbin is closed."]
)
def test_a_small_namesake_the_text_places_stays(text):
    assert next(t.admin1_code for t in geoparse(text) if t.text == "London") == "US-KY"
