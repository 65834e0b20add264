"""The extractor end to end on small articles, with a stub geoparser of hand-made toponyms."""

from __future__ import annotations

import re
from datetime import date

import pytest

from gazetteer.model import Toponym
from incidents.event_site import (NEVER_A_SITE, SiteCandidate, choose_site, rank_sites,
                                   site_location)
from incidents.extract import EXTRACTOR_VERSION, Extractor
from incidents.model import Article, Incident

#: name -> (place_id, lat, lon, country, admin1_code, feature, geo_precision, radius_km)
PLACES = {
    "Anbar Province": ("ne:IQ-AN", 33.4, 42.0, "IQ", "IQ-AN", "admin1", 3, 200.0),
    "Anbar": ("ne:IQ-AN", 33.4, 42.0, "IQ", "IQ-AN", "admin1", 3, 200.0),
    "Nukhayb desert": ("sup:nukhayb-desert", 32.04, 42.26, "IQ", "IQ-AN", "desert", 2, 70.0),
    "Najaf": ("gn:98182", 32.0, 44.3, "IQ", "IQ-NA", "city", 1, 0.0),
    "Rutba": ("gn:388349", 33.04, 40.29, "IQ", "IQ-AN", "town", 1, 0.0),
    "Baghouz": ("gns:1", 34.46, 40.94, "SY", "SY-DY", "village", 1, 0.0),
    "Syria": ("cc:SY", 35.0, 38.5, "SY", None, "country", 3, 400.0),
    "Kirkuk": ("gn:94787", 35.47, 44.39, "IQ", "IQ-KI", "city", 1, 0.0),
    "Albu Nimr": ("gn:1", 33.49, 43.06, "IQ", "IQ-AN", "village", 1, 0.0),
}
_NAMES = re.compile("|".join(sorted(map(re.escape, PLACES), key=len, reverse=True)))


def stub_geoparse(text: str) -> list[Toponym]:
    found = []
    for m in _NAMES.finditer(text):
        pid, lat, lon, cc, a1, feature, precision, radius = PLACES[m.group(0)]
        organisation = text[m.end():m.end() + 8] == " Police "
        found.append(Toponym(m.start(), m.end(), m.group(0), pid, m.group(0), lat, lon, cc, a1, feature,
                             precision, radius, 0.9, in_organisation=organisation))
    return found


@pytest.fixture(scope="module")
def extractor():
    return Extractor(geoparser=stub_geoparse)


def article(text: str, published: date | None = date(2019, 5, 15)) -> Article:
    return Article.from_text(text, ref="test.txt", published=published)


def test_empty_text_gives_no_incidents(extractor):
    assert extractor.extract(article("")) == []
    assert extractor.extract(article("   \n\n ")) == []


def test_text_without_events_gives_no_incidents(extractor):
    assert extractor.extract(article("The weather in Anbar was mild. Markets were busy.")) == []


def test_event_site_is_where_it_happened_not_the_home_town(extractor):
    text = ("Earlier this year, the militant group ISIS kidnapped and killed a group of men from Najaf "
            "hunting for truffles in the Nukhayb desert in Anbar.")
    (incident,) = extractor.extract(article(text))
    assert incident.location.name == "Nukhayb desert"
    assert incident.event_type == "Violence against civilians"
    assert incident.actor1 == "ISIS"
    assert (incident.date_start, incident.date_end, incident.time_precision) == (date(2019, 1, 1), date(2019, 5, 15), "year")
    assert incident.date_text == "Earlier this year"


def test_counts_roles_and_relative_date(extractor):
    text = ("Last week, Iraqi forces killed at least three ISIS militants and arrested two more "
            "near a hideout in Anbar Province.")
    (incident,) = extractor.extract(article(text))
    assert incident.event_type == "Battles"
    assert (incident.killed.low, incident.killed.best, incident.killed.high) == (3, 3, 3)
    assert incident.arrested.best == 2
    assert (incident.actor1, incident.actor2) == ("Iraqi Security Forces", "ISIS")
    assert (incident.date_start, incident.date_end) == (date(2019, 5, 6), date(2019, 5, 12))
    assert incident.location.admin1_code == "IQ-AN" and incident.location.geo_precision == 3


def test_headline_figure_widens_the_body_figure(extractor):
    text = ("Forces kill 13 ISIS militants in Anbar\n\n"
            "Iraqi forces have launched an operation in Anbar Province. The operation was successful "
            "in eliminating at least 14 ISIS militants, including one of the group's leaders.")
    (incident,) = extractor.extract(article(text, date(2019, 5, 10)))
    assert (incident.killed.low, incident.killed.high) == (13, 14)
    assert incident.event_type == "Battles"


def test_sentences_about_the_same_operation_are_one_incident(extractor):
    text = ("Last month, Iraqi forces and American troops conducted an operation in Anbar province. "
            "Among those killed was a senior ISIS commander. The joint raid resulted in the deaths of 14 "
            "ISIS operatives. Officials reported that at least 15 people were killed and seven American "
            "troops were injured.")
    (incident,) = extractor.extract(article(text, date(2024, 9, 15)))
    assert (incident.killed.low, incident.killed.high) == (14, 15)
    assert incident.injured.best == 7
    assert incident.time_precision == "month" and incident.date_start == date(2024, 8, 1)


def test_background_is_not_an_incident(extractor):
    text = ("The group rose to power in 2014. Since their defeat in Baghouz in Syria, ISIS cells have "
            "continued to launch attacks. Iraqi forces will attack ISIS pockets in the desert.")
    assert extractor.extract(article(text)) == []


def test_historical_incident_with_its_own_date_and_place(extractor):
    text = "In March 2015, ISIS fighters attacked Kirkuk and killed 20 police officers."
    (incident,) = extractor.extract(article(text))
    assert incident.historical
    assert incident.date_start == date(2015, 3, 1)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("His uncle was killed in Kirkuk in the 1990s by the army.", date(1990, 1, 1), date(1999, 12, 31)),
        ("The 2003 invasion killed thousands in Anbar Province.", date(2003, 1, 1), date(2003, 12, 31)),
    ],
)
def test_a_decade_or_a_year_before_the_event_dates_it(extractor, text, start, end):
    (incident,) = extractor.extract(article(text, date(2019, 3, 1)))
    assert incident.historical
    assert (incident.date_start, incident.date_end, incident.time_precision) == (start, end, "year")


def test_named_past_event_with_its_own_date_is_historical(extractor):
    text = ("Earlier this week, police arrested 20 ISIS members in Anbar Province. They took part in many "
            "massacres, including the Albu Nimr Massacre in October 2014.")
    arrest, massacre = extractor.extract(article(text, date(2019, 3, 1)))
    assert not arrest.historical and arrest.arrested.best == 20
    assert massacre.historical and massacre.event_type == "Violence against civilians"
    assert massacre.location.name == "Albu Nimr" and massacre.date_start == date(2014, 10, 1)


def test_history_told_in_passing_is_dropped(extractor):
    text = "An ISIS cell, which was discovered and arrested by the ISF last year, financed the group."
    assert extractor.extract(article(text, date(2019, 3, 1))) == []


def test_unresolved_relative_date_without_publication_date(extractor):
    text = "Last week, gunmen killed three civilians in Rutba."
    (incident,) = extractor.extract(article(text, None))
    assert incident.date_start is None and incident.date_text == "Last week"
    assert "unresolved_date" in incident.flags


def test_future_and_impossible_dates_are_flagged(extractor):
    future = extractor.extract(article("On 3 June 2019, gunmen killed three civilians in Rutba."))
    assert "future_date" in future[0].flags
    impossible = extractor.extract(article("On 31 February 2019, gunmen killed three civilians in Rutba."))
    assert "impossible_date" in impossible[0].flags


def test_two_places_two_incidents(extractor):
    text = ("Last week, Iraqi forces killed five ISIS militants in Anbar Province.\n\n"
            "On Tuesday, a car bomb exploded in Kirkuk, killing two civilians.")
    incidents = extractor.extract(article(text))
    assert [i.location.name for i in incidents] == ["Anbar Province", "Kirkuk"]
    assert incidents[1].event_type == "Explosions/Remote violence"
    assert incidents[1].date_start == date(2019, 5, 14)


def test_evidence_indexes_the_text_and_covers_every_field(extractor):
    text = "Last week, Iraqi forces killed at least three ISIS militants near Rutba."
    (incident,) = extractor.extract(article(text))
    roles = {e.role for e in incident.evidence}
    assert roles == {"trigger", "place", "date", "count", "actor"}
    for e in incident.evidence:
        assert 0 <= e.start < e.end <= len(text)
    place = next(e for e in incident.evidence if e.role == "place")
    assert text[place.start:place.end] == "Rutba"


def test_ids_are_stable_and_records_round_trip(extractor):
    text = "Last week, Iraqi forces killed at least three ISIS militants near Rutba."
    first = extractor.extract(article(text))
    again = extractor.extract(article(text))
    assert [i.incident_id for i in first] == [i.incident_id for i in again]
    incident = first[0]
    assert incident.extractor_version == EXTRACTOR_VERSION
    assert incident.summary
    assert Incident.from_dict(incident.to_dict()) == incident


def test_place_in_an_organisation_name_is_not_the_site():
    text = "The Anbar Police Command said gunmen killed two shepherds near Rutba."
    ranked = rank_sites(text, stub_geoparse(text), triggers=[(text.index("killed"), text.index("killed") + 6)])
    assert [c.toponym.text for c in ranked] == ["Rutba"]


def test_direction_moves_the_point_inside_the_country():
    (syria,) = stub_geoparse("Syria")
    location = site_location(syria, direction="east")
    assert location.lon > syria.lon + 1.5 and location.radius_km == syria.radius_km / 2


def test_fallback_up_the_hierarchy_when_the_site_is_unresolved():
    text = "Gunmen attacked the village of Albu Hayat in Anbar."
    unresolved = Toponym(text.index("Albu"), text.index("Albu") + 10, "Albu Hayat", None, None, None, None,
                         None, None, None, 3, 0.0, 0.2)
    (anbar,) = stub_geoparse(text)
    site = choose_site([SiteCandidate(unresolved, 3.0, ("locative",)), SiteCandidate(anbar, 1.0, ("locative",))])
    assert site.toponym.text == "Anbar" and "fallback" in site.reasons


# --- the command line -------------------------------------------------------------------------


@pytest.fixture
def cli(monkeypatch):
    import incidents.extract

    monkeypatch.setattr(incidents.extract, "_default_geoparser", lambda: stub_geoparse)
    from incidents.cli import main

    return main


def test_cli_extract_json(cli, tmp_path, capsys):
    import json

    path = tmp_path / "a.txt"
    path.write_text("Gunmen kill three in Rutba\n\nLast week, gunmen killed three civilians near Rutba.\n", encoding="utf-8")
    assert cli(["extract", str(path), "--published", "2019-05-15", "--json"]) == 0
    (incident,) = json.loads(capsys.readouterr().out)
    for key in ("article_id", "article_ref", "title", "event_type", "sub_event_type", "actor1", "actor2",
                "location", "date_start", "date_end", "time_precision", "killed", "injured", "arrested",
                "historical", "evidence", "summary"):
        assert key in incident
    assert set(incident["location"]) >= {"name", "lat", "lon", "country", "admin1_code", "geo_precision", "radius_km"}
    assert incident["article_ref"] == "a.txt" and incident["date_start"] == "2019-05-06"
    text = path.read_text(encoding="utf-8").strip()
    place = next(e for e in incident["evidence"] if e["role"] == "place")
    assert text[place["start"]:place["end"]] == "Rutba"


def test_cli_extract_table_and_bad_input(cli, tmp_path, capsys):
    path = tmp_path / "a.txt"
    path.write_text("Last week, gunmen killed three civilians near Rutba.\n", encoding="utf-8")
    assert cli(["extract", str(path), "--published", "2019-05-15"]) == 0
    assert "Rutba" in capsys.readouterr().out
    assert cli(["extract", str(path), "--published", "2019-13-45"]) == 2
    assert "2019-13-45" in capsys.readouterr().err
    assert cli(["extract", str(tmp_path / "missing.txt")]) == 2


# --- event site rules ---------------------------------------------------------------------------


def _site(text: str, verb: str, places: dict[str, tuple]) -> str | None:
    toponyms = []
    for name, (feature, lat, lon, admin1) in places.items():
        start = text.index(name)
        toponyms.append(Toponym(start, start + len(name), name, f"t:{name}", name, lat, lon, "XX", admin1,
                                feature, 1 if feature not in ("admin1", "country") else 3, 0.0, 0.9))
    start = text.index(verb)
    site = choose_site(rank_sites(text, toponyms, triggers=[(start, start + len(verb))]))
    return site.toponym.text if site else None


def test_possessor_gives_way_to_the_place_it_owns():
    text = "A soldier was killed by a roadside bomb in Iraq's northern Nineveh province."
    places = {"Iraq": ("country", 33.0, 44.0, None), "Nineveh": ("admin1", 36.0, 42.5, "IQ-NI")}
    assert _site(text, "killed", places) == "Nineveh"


def test_anchor_of_a_relative_phrase_is_not_the_site():
    text = "A bomber struck at the Sharon junction near Netanya, killing 18 people."
    places = {"Sharon": ("town", 32.3, 34.9, None), "Netanya": ("city", 32.33, 34.86, None)}
    assert _site(text, "struck", places) == "Sharon"


def test_object_of_a_place_verb_is_the_site():
    text = "In Borno State, gunmen attacked Bama town early on Wednesday."
    places = {"Borno State": ("admin1", 11.8, 13.1, "NG-BO"), "Bama": ("town", 11.5, 13.7, "NG-BO")}
    assert _site(text, "attacked", places) == "Bama"


def test_facility_stands_for_its_place_but_an_embassy_does_not():
    text = "Serb gunmen shot at Sarajevo airport on Monday."
    start = text.index("Sarajevo")
    airport = Toponym(start, start + 8, "Sarajevo", "t:s", "Sarajevo", 43.8, 18.4, "BA", None, "city", 1, 0.0, 0.9,
                      in_organisation=True)
    assert choose_site(rank_sites(text, [airport], triggers=[(12, 16)])).toponym.text == "Sarajevo"
    text = "About 1,000 people protested outside the United States Consulate in Sao Paulo."
    places = {"United States": ("country", 39.0, -98.0, None), "Sao Paulo": ("city", -23.5, -46.6, None)}
    assert _site(text, "protested", places) == "Sao Paulo"


def test_a_country_used_as_an_adjective_is_not_the_site():
    text = "He died with his sons in a US air strike on a house near Raqqa."
    places = {"US": ("country", 39.0, -98.0, None), "Raqqa": ("city", 35.95, 39.0, "SY-RA")}
    assert _site(text, "air strike", places) == "Raqqa"


def test_abbreviations_are_not_sites():
    text = "Gunmen attacked the UN convoy near Kidal."
    places = {"UN": ("town", 0.0, 0.0, None), "Kidal": ("town", 18.4, 1.4, None)}
    assert _site(text, "attacked", places) == "Kidal"


def test_a_country_that_acts_is_not_where_it_acts():
    text = "Turkey launched a military offensive into Afrin on Saturday."
    places = {"Turkey": ("country", 39.0, 35.0, None), "Afrin": ("town", 36.5, 36.87, "SY-HL")}
    assert _site(text, "offensive", places) == "Afrin"
    # a passive leaves the country the place it happened
    text = "Syria was hit by air strikes on Monday."
    assert _site(text, "air strikes", {"Syria": ("country", 35.0, 38.5, None)}) == "Syria"


def test_into_is_a_destination_only_after_a_verb_of_going():
    places = {"Kilis": ("town", 36.72, 37.12, "TR-79"), "Syria": ("country", 35.0, 38.5, None)}
    text = "Rockets fired from Syria crashed into Kilis, killing two people."
    assert _site(text, "killing", places) == "Kilis"
    text = "Hundreds of families fled into Kilis after shelling killed two people in Syria."
    assert _site(text, "killed", places) == "Syria"


def test_a_wars_running_toll_is_not_an_incident(extractor):
    text = (
        "Gunmen killed three shepherds near Rutba on Monday. The conflict, which has killed more "
        "than 280,000 people, shows no sign of ending. More than 300,000 people have been killed "
        "in Syria since the conflict began in March 2011."
    )
    incidents = extractor.extract(article(text))
    assert [(i.location.name, i.fatalities) for i in incidents] == [("Rutba", 3)]


def test_a_based_country_is_never_the_site(extractor):
    text = "The Syria-based monitor said gunmen killed four soldiers on Monday."
    (incident,) = extractor.extract(article(text))
    assert incident.location is None and "no_location" in incident.flags


def test_an_event_without_a_place_stands_in_the_province_the_article_names(extractor):
    text = (
        "Gunmen killed two shepherds near Rutba on Sunday. On Monday a roadside bomb exploded, "
        "wounding three soldiers, the Syria-based monitor said."
    )
    first, second = extractor.extract(article(text))
    assert first.location.name == "Rutba" and first.location.geo_precision == 1
    assert second.location.admin1_code == "IQ-AN" and second.location.geo_precision == 3
    assert "site_from_article" in second.flags


def test_a_distance_from_a_place_is_near_it_not_an_origin():
    places = {"Manbij": ("city", 36.53, 37.95, "SY-HL")}
    assert _site("IS fighters attacked villages about 15 km away from Manbij city.", "attacked", places) == "Manbij"


def test_tolls_counted_over_a_war_or_years_are_not_incident_counts(extractor):
    for toll in (
        "It is estimated that more than 500,000 people have been killed in Syria as a result of the war.",
        "More than 500,000 people have been killed as the war enters its eighth year.",
        "The coalition has killed more than 60,000 fighters in the past three years.",
    ):
        text = "Gunmen killed three shepherds near Rutba on Monday. " + toll
        assert [i.fatalities for i in extractor.extract(article(text))] == [3], toll


def test_the_place_inside_the_area_of_the_lede_is_the_same_incident(extractor):
    text = (
        "At least 18 jihadists were killed in overnight clashes in Anbar Province on Saturday. "
        "The monitor said the militants were killed in fighting near Rutba."
    )
    (incident,) = extractor.extract(article(text))
    assert incident.location.name == "Rutba" and incident.fatalities == 18
    # a place outside the lede's area is another incident
    text = (
        "At least 18 jihadists were killed in overnight clashes in Anbar Province on Saturday. "
        "Separately, two soldiers were killed in fighting near Kirkuk."
    )
    assert len(extractor.extract(article(text))) == 2


def _state_site(text: str, verb: str, places: dict[str, tuple]) -> str | None:
    """Like :func:`_site`, with real place ids so national capitals are known as such, and
    leaving out the uses that are never a site, as the extractor does."""
    toponyms = []
    for name, (place_id, feature, lat, lon) in places.items():
        start = text.index(name)
        toponyms.append(Toponym(start, start + len(name), name, place_id, name, lat, lon, "XX",
                                None, feature, 3 if feature == "country" else 1, 0.0, 0.9))
    start = text.index(verb)
    site = choose_site([c for c in rank_sites(text, toponyms, triggers=[(start, start + len(verb))])
                        if not NEVER_A_SITE.intersection(c.reasons)])
    return site.toponym.text if site else None


TURKEY = ("cc:TR", "country", 39.0, 35.0)
AFRIN = ("gn:170", "town", 36.5, 36.87)
TEHRAN = ("gn:112931", "city", 35.69, 51.42)  # a national capital
MOSUL = ("gn:99072", "city", 36.34, 43.13)


def test_a_state_owning_an_action_or_named_with_another_state_is_not_the_site():
    text = "The clashes that followed Turkey's incursion into the enclave have killed dozens."
    assert _state_site(text, "killed", {"Turkey": TURKEY}) is None
    assert _state_site(text.replace("the enclave", "Afrin"), "killed",
                       {"Turkey": TURKEY, "Afrin": AFRIN}) == "Afrin"
    text = ("The pair were captured by Kurdish fighters, prompting talks between the UK and "
            "the US governments.")
    places = {"UK": ("cc:GB", "country", 54.0, -2.0), "US": ("cc:US", "country", 39.8, -98.5)}
    assert _state_site(text, "captured", places) is None
    text = "France recently sent officials to collect children whose parents were killed."
    assert _state_site(text, "killed", {"France": ("cc:FR", "country", 46.0, 2.0)}) is None
    text = "Internecine fighting erupted in 1994 until the US brokered a truce."
    assert _state_site(text, "fighting", {"US": ("cc:US", "country", 39.8, -98.5)}) is None


@pytest.mark.parametrize("text, verb", [
    ("Abu Sayyaf was killed in a raid by US commandos near Deir ez-Zor.", "killed"),
    ("The Beatles were behind killings of US and UK citizens in Isis-held territory.", "killings"),
    ("Areas that came under US bombardment were the centres of protest.", "bombardment"),
    ("Fighters repelled Iraqi soldiers with only minimal US assistance.", "repelled"),
    ("More than 100 fighters were killed repelling an assault on a US-controlled base.", "killed"),
])
def test_a_country_named_for_its_forces_or_people_is_not_the_site(text, verb):
    assert _state_site(text, verb, {"US": ("cc:US", "country", 39.8, -98.5)}) is None


def test_a_capital_standing_for_its_government_is_not_the_site():
    text = "Agents killed his brother in 1985, and the party openly sided with Tehran."
    assert _state_site(text, "killed", {"Tehran": TEHRAN}) is None
    text = "Tehran's proxies attacked a convoy near Mosul."
    assert _state_site(text, "attacked", {"Tehran": TEHRAN, "Mosul": MOSUL}) == "Mosul"
    text = "Missile strikes by US forces, possibly supported by France and the UK, are expected."
    places = {"France": ("cc:FR", "country", 46.0, 2.0), "UK": ("cc:GB", "country", 54.0, -2.0)}
    assert _state_site(text, "strikes", places) is None
    text = "Missiles were fired at Israel, Washington's close ally."
    assert _state_site(text, "fired", {"Israel": ("cc:IL", "country", 31.5, 34.8), "Washington":
                                       ("gn:4140963", "city", 38.9, -77.0)}) == "Israel"
    text = "A Riyadh-led coalition has launched airstrikes that killed 20 civilians."
    assert _state_site(text, "airstrikes", {"Riyadh": ("gn:108410", "city", 24.69, 46.72)}) is None
    text = "Tehran-backed militias shelled the village of Albu Nimr."
    assert _state_site(text, "shelled", {"Tehran": TEHRAN, "Albu Nimr": ("gn:1", "village", 33.49, 43.06)}) == "Albu Nimr"
    text = "Moscow has acknowledged that dozens of its nationals were killed."
    assert _state_site(text, "killed", {"Moscow": ("gn:524901", "city", 55.75, 37.62)}) is None
    # a capital is still where things happen in it
    text = "A car bomb exploded in Tehran on Monday."
    assert _state_site(text, "exploded", {"Tehran": TEHRAN}) == "Tehran"
    text = "The Tehran bombing killed 12 people."
    assert _state_site(text, "bombing", {"Tehran": TEHRAN}) == "Tehran"
    # a town that is not a capital keeps its place however it is named
    text = "The party sided with Mosul's elders after gunmen killed two men."
    assert _state_site(text, "killed", {"Mosul": MOSUL}) == "Mosul"


def test_an_event_with_no_place_time_or_toll_of_its_own_is_not_an_incident(extractor):
    text = ("Life in Anbar\n\nThe province of Anbar has changed. The boys were arrested and "
            "tortured. Markets in Anbar are busy again.")
    assert extractor.extract(article(text)) == []
    # the same sentence with a place, a time or a toll of its own is an incident
    for told in ("The boys were arrested in Rutba and tortured.",
                 "The boys were arrested on Monday and tortured.",
                 "Two boys were arrested and tortured."):
        incidents = extractor.extract(article(text.replace(
            "The boys were arrested and tortured.", told)))
        assert len(incidents) == 1, told


def test_a_date_in_a_side_clause_about_something_else_is_not_the_events(extractor):
    text = ("A British film-maker has been killed in Syria, his friends said. Aksoy, a Kurd who "
            "moved to Britain with his family 22 years ago, is the fifth Briton killed in Syria.")
    (incident,) = extractor.extract(article(text))
    assert incident.date_text is None and "date_from_publication" in incident.flags
    # a side clause that tells the event keeps its date
    text = "Holmes, who was killed in Syria on 23 October, had fought for two years."
    (incident,) = extractor.extract(article(text))
    assert (incident.date_text, incident.date_start) == ("23 October", date(2018, 10, 23))


def test_a_present_passive_or_a_war_of_words_is_no_incident(extractor):
    assert extractor.extract(article(
        "Life in Syria\n\nIn Syria, journalists are killed simply for recording the war.")) == []
    assert extractor.extract(article(
        "Summit in Anbar\n\nAt a summit in Anbar on Monday the two leaders clashed in public "
        "over a ceasefire.")) == []
    # the past passive and a real clash stay incidents
    assert len(extractor.extract(article(
        "Life in Syria\n\nIn Syria, two journalists were killed on Monday."))) == 1
    assert len(extractor.extract(article(
        "Fighting in Anbar\n\nTroops clashed with ISIS militants in Anbar on Monday."))) == 1


def test_a_persons_surname_alone_is_that_person_not_a_place():
    def geoparse(text: str) -> list[Toponym]:
        start = text.find("Bolton advocated")
        if start < 0:
            return stub_geoparse(text)
        bolton = Toponym(start, start + 6, "Bolton", "gn:2655237", "Bolton", 53.58, -2.43, "GB",
                         "GB-BOL", "city", 1, 0.0, 0.9)
        return sorted([*stub_geoparse(text), bolton], key=lambda t: t.start)

    extractor = Extractor(geoparser=geoparse)
    text = ("Strikes in Syria\n\nThe adviser John Bolton spoke on Monday about Syria. Before his "
            "post, Bolton advocated air strikes that killed 12 people on Monday.")
    (incident,) = extractor.extract(article(text))
    assert incident.location.name == "Syria" and "site_from_article" in incident.flags
    assert {"Bolton"} == __import__("incidents.extract", fromlist=["x"]).person_surnames(text)
    # without the full name, the same word is left to the geoparser
    (incident,) = extractor.extract(article(text.replace("John Bolton", "adviser")))
    assert incident.location.name == "Bolton"


def test_an_attack_by_a_named_actor_in_the_body_is_reported_under_a_headline(extractor):
    text = ("Army convoy hit near Rutba\n\nTwo soldiers died on Tuesday in an attack by Daesh "
            "militants on an army convoy east of Rutba.")
    (incident,) = extractor.extract(article(text, date(2019, 6, 12)))
    assert incident.killed.best == 2 and incident.date_start == date(2019, 6, 11)
    assert incident.location.name.startswith("Rutba")


def test_an_air_strike_on_civilians_is_not_put_on_a_rebel_group(extractor):
    text = ("Strikes on Kirkuk\n\nAt least 16 civilians were killed in airstrikes on Kirkuk on "
            "Monday, as ISIS fighters held the city.")
    (incident,) = extractor.extract(article(text, date(2017, 6, 12)))
    assert incident.actor2 == "Civilians" and incident.actor1 != "ISIS"


def test_both_names_of_a_person_given_an_age_are_that_person():
    from incidents.extract import person_surnames

    text = "Oliver Hall, 24, from Portsmouth, died in Raqqa. The blast killed Oliver."
    assert {"Oliver", "Hall"} <= person_surnames(text)
    assert "Raqqa" not in person_surnames(text)


def test_a_nationality_word_the_geoparser_reports_is_never_the_site(extractor):
    # The geoparser reports "Syrian" in "the Syrian port of Latakia" as Syria (relation
    # "demonym"); the site is the port, not the country the adjective names.
    text = "Two sailors were killed in a blast at the Syrian port of Latakia on Monday."
    k, port = text.find("Syrian"), text.find("Latakia")
    demonym = Toponym(k, k + 6, "Syrian", "cc:SY", "Syria", 35.0, 38.5, "SY", None, "country", 3, 400.0,
                      0.9, relation="demonym", anchor="Syria")
    latakia = Toponym(port, port + 7, "Latakia", "gn:173576", "Latakia", 35.5, 35.8, "SY", "SY-LA", "city",
                      1, 0.0, 0.9)
    trigger = [(text.find("blast"), text.find("blast") + 5)]
    assert extractor.event_site(text, trigger, toponyms=[demonym]) is None
    assert extractor.event_site(text, trigger, toponyms=[demonym, latakia]).toponym.name == "Latakia"


def test_the_place_fighting_spread_to_is_the_site():
    text = "New fighting has also spread to Afrin, following an incursion by Turkish troops in Syria."
    places = {"Afrin": ("city", 36.5, 36.87, "SY-AL"), "Syria": ("country", 35.0, 38.0, None)}
    assert _site(text, "incursion", places) == "Afrin"


def test_an_undated_event_goes_on_with_the_date_of_the_story_told_before_it(extractor):
    text = ("Kurdish fighters returned home.\n\nHe crossed into Iraq before returning to Britain in November 2015. "
            "Upon landing in Kirkuk, he was arrested by police on suspicion of terrorism offences.")
    (incident,) = extractor.extract(article(text, published=date(2017, 8, 6)))
    assert (incident.date_start, incident.date_end) == (date(2015, 11, 1), date(2015, 11, 30))
    assert "date_from_previous_sentence" in incident.flags


def test_news_in_the_present_perfect_keeps_the_publication_week(extractor):
    text = ("Kurdish fighters returned home.\n\nHe crossed into Iraq before returning to Britain in November 2015. "
            "In Kirkuk, five men have been arrested by police on suspicion of terrorism offences.")
    (incident,) = extractor.extract(article(text, published=date(2017, 8, 6)))
    assert incident.date_end == date(2017, 8, 6)


def test_where_a_person_was_sent_afterwards_is_not_the_site(extractor):
    (incident,) = extractor.extract(article("A man was arrested on Monday and deported to Syria, where he is in prison."))
    # not the event's own site: only the article's stand-in, if any
    assert incident.location is None or "site_from_article" in incident.flags
    (incident,) = extractor.extract(article("A man was arrested in Kirkuk on Monday and deported to Syria."))
    assert incident.location.name == "Kirkuk"


def _stub_with(places: dict[str, tuple]):
    """A geoparser finding ``places``: name -> (feature, lat, lon, admin1_code), the country
    from the code ("SY-RA" is in SY) or the name's own for a country."""
    pattern = re.compile("|".join(sorted(map(re.escape, places), key=len, reverse=True)))

    def geoparse(text: str) -> list[Toponym]:
        found = []
        for m in pattern.finditer(text):
            feature, lat, lon, admin1 = places[m.group(0)]
            country = admin1.split("-")[0] if admin1 else m.group(0)[:2].upper()
            precision = 3 if feature in ("admin1", "country") else 1
            found.append(Toponym(m.start(), m.end(), m.group(0), f"t:{m.group(0)}", m.group(0), lat, lon,
                                 country, admin1, feature, precision, 0.0, 0.9))
        return found

    return geoparse


def test_an_article_split_between_countries_lends_no_place():
    places = {
        "Raqqa": ("city", 35.95, 39.01, "SY-RA"),
        "Tennessee": ("admin1", 35.75, -86.25, "US-TN"),
    }
    extractor = Extractor(geoparser=_stub_with(places))
    text = ("Senator speaks\n\nAn air strike hit Raqqa on Monday. A man from Tennessee was wounded there on "
            "Tuesday. Even after last week's air strikes, nothing has changed, he said.")
    incidents = extractor.extract(article(text))
    assert not any(i.location and i.location.name == "Tennessee" and "site_from_article" in i.flags
                   for i in incidents)


def _reasons(text: str, name: str, verb: str, feature: str = "city") -> tuple[str, ...]:
    start = text.index(name)
    toponym = Toponym(start, start + len(name), name, f"t:{name}", name, 35.0, 38.0, "XX", None, feature,
                      1, 0.0, 0.9)
    trigger = text.index(verb)
    (candidate,) = rank_sites(text, [toponym], triggers=[(trigger, trigger + len(verb))])
    return candidate.reasons


@pytest.mark.parametrize(("text", "name", "verb", "reason"), [
    ("The president said during a televised speech in Ankara on Wednesday that the operation had begun.",
     "Ankara", "operation", "speech"),
    ("As in Bosnia, nobody protected the civilians when a regime offensive began there in December.",
     "Bosnia", "offensive", "comparison"),
    ("The Tennessee Republican has clashed repeatedly with Trump.", "Tennessee", "clashed", "constituency"),
    ("She was forced to leave the city after its capture by Isis and fled into exile in Kobani.",
     "Kobani", "capture", "sent_to"),
])
def test_places_of_words_comparisons_constituencies_and_exile_are_never_the_site(text, name, verb, reason):
    reasons = _reasons(text, name, verb)
    assert reason in reasons and NEVER_A_SITE.intersection(reasons)


def test_places_named_as_sites_keep_their_place():
    assert not NEVER_A_SITE.intersection(_reasons("A bomb exploded at a rally in Kabul, killing five.", "Kabul", "exploded"))
    assert not NEVER_A_SITE.intersection(
        _reasons("Rebels attacked towns such as in Idlib last week.", "Idlib", "attacked"))


def test_a_country_coordinated_with_its_backed_forces_is_an_adjective():
    text = "Russian nationals were killed last week in clashes with US and US-backed forces."
    assert "adjective" in _reasons(text, "US", "killed", feature="country")


def test_an_editors_insertion_does_not_hide_the_object_place():
    text = "They were the point of the spear in retaking [the Isis stronghold] Raqqa, Phillips, now at Columbia University, said."
    toponyms = [
        Toponym(text.index("Raqqa"), text.index("Raqqa") + 5, "Raqqa", "t:r", "Raqqa", 35.95, 39.01, "SY", "SY-RA",
                "city", 1, 0.0, 0.9),
        Toponym(text.index("Columbia"), text.index("Columbia") + 8, "Columbia", "t:c", "Columbia", 34.0, -81.0,
                "US", "US-SC", "city", 1, 0.0, 0.9, in_organisation=True),  # "Columbia University"
    ]
    trigger = text.index("retaking")
    site = choose_site(rank_sites(text, toponyms, triggers=[(trigger, trigger + 8)]))
    assert site.toponym.text == "Raqqa" and "object" in site.reasons


@pytest.mark.parametrize(("text", "name", "verb"), [
    ("In designating the two captured men as terrorists, the US state department said they were executioners.",
     "US", "captured"),
    ("Russia's defence ministry said it had hit a drone workshop, killing four.", "Russia", "killing"),
    ("Even so, the elimination of Isis remained an imperative for the US.", "US", "elimination"),
])
def test_a_country_named_for_its_ministries_or_interests_is_never_the_site(text, name, verb):
    assert NEVER_A_SITE.intersection(_reasons(text, name, verb, feature="country"))


def test_a_country_where_the_event_happened_stays_a_place():
    assert not NEVER_A_SITE.intersection(
        _reasons("Four soldiers were killed in Iraq, the interior ministry said.", "Iraq", "killed", feature="country"))


def test_a_country_before_other_named_forces_stays_a_place():
    text = "Fire broke out in the largest gas field in Syria and the Euphrates-crossed forces lost 20 members."
    assert not NEVER_A_SITE.intersection(_reasons(text, "Syria", "lost", feature="country"))


def test_a_preposition_after_in_makes_no_locative():
    text = "Russia's defence ministry confirmed it had hit Idlib in coordination with Turkey, killing ten."
    assert "locative" not in _reasons(text, "Turkey", "hit", feature="country")
    assert "strong" in _reasons("Ten were killed in the mountainous Vedeno region.", "Vedeno", "killed")


def test_where_a_person_moved_is_no_site_unless_the_event_happened_there():
    text = "I moved to Syria after the advance of the Shia militias."
    assert "sent_to" in _reasons(text, "Syria", "advance", feature="country")
    text = "The first attackers were dispatched by Isis to Europe in 2014, before the coalition began airstrikes."
    assert "sent_to" in _reasons(text, "Europe", "airstrikes", feature="region")
    text = "He moved to Raqqa, where he was killed in an air strike."
    assert "sent_to" not in _reasons(text, "Raqqa", "killed")
