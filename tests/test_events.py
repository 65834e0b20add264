"""Event triggers: ACLED types, and reported incidents told apart from background."""

from __future__ import annotations

import pytest

from incidents.events import EventLexicon, find_triggers, noun_forms, verb_forms


@pytest.fixture(scope="module")
def lexicon():
    return EventLexicon.load()


def statuses(lexicon, text, *, headline=False):
    return [(t.text, t.spec.event_type, t.status) for t in find_triggers(text, lexicon, headline_end=len(text) if headline else 0)]


def test_inflection():
    assert verb_forms("kill") == {"kill": "base", "kills": "third", "killing": "gerund", "killed": "past"}
    assert verb_forms("kidnap/kidnapped/kidnapping")["kidnapped"] == "past"
    assert noun_forms("airstrike") == {"airstrike": "noun", "airstrikes": "plural"}


@pytest.mark.parametrize(
    ("text", "event_type"),
    [
        ("A drone strike hit the convoy.", "Explosions/Remote violence"),
        ("A car bomb exploded in the market.", "Explosions/Remote violence"),
        ("Gunmen kidnapped two engineers.", "Violence against civilians"),
        ("Police arrested five suspects.", "Strategic developments"),
        ("Clashes erupted near the border.", "Battles"),
        ("Hundreds protested in the square.", "Protests"),
        ("Rioters torched a police station.", "Riots"),
    ],
)
def test_types(lexicon, text, event_type):
    found = [s for s in statuses(lexicon, text) if s[2] == "reported"]
    assert found and found[0][1] == event_type


@pytest.mark.parametrize(
    ("text", "trigger", "status"),
    [
        ("The ISF have continued to launch operations to rid the country of militants.", "operations", "irrealis"),
        ("Cells regrouped to launch attacks on civilians.", "attacks", "irrealis"),
        ("The forces will attack ISIS pockets in the desert.", "attack", "irrealis"),
        ("They took part in many massacres and operations.", "massacres", "history"),
        ("Members participated in the public execution of a soldier.", "public execution", "history"),
        ("The ISF are continuing their operations in the desert.", "operations", "generic"),
        ("They have carried out multiple operations.", "operations", "generic"),
        ("The operation also involved the air force.", "operation", "mention"),
        ("The ISF has launched operations in the desert.", "operations", "reported"),
        ("Iraqi forces conducted an operation in Anbar.", "operation", "reported"),
        ("The joint raid targeting militants resulted in the deaths of 14.", "raid", "reported"),
        ("Those arrested were interrogated.", "arrested", "mention"),
        ("It was a planned attack against the coalition.", "attack", "irrealis"),
        ("They oppose sending citizens to countries that carry out executions.", "executions", "irrealis"),
    ],
)
def test_reported_or_background(lexicon, text, trigger, status):
    found = {t: s for t, _, s in statuses(lexicon, text)}
    assert found[trigger] == status


def test_headline_present_tense_is_reported(lexicon):
    assert statuses(lexicon, "Forces kill 13 ISIS militants", headline=True)[0][2] == "reported"
    assert statuses(lexicon, "Forces kill 13 ISIS militants")[0][2] == "irrealis"


def test_weapons_seized_are_not_explosions(lexicon):
    text = "The operation resulted in the destruction of 10 ISIS sites and three car-bombs."
    found = {t: (e, s) for t, e, s in statuses(lexicon, text)}
    assert found["car-bombs"][1] == "object"
    assert found["destruction"] == ("Strategic developments", "reported")


def test_eliminate_needs_people_to_be_a_killing(lexicon):
    kill = statuses(lexicon, "Forces succeeded in eliminating at least 14 ISIS militants.")
    sites = statuses(lexicon, "This led to the elimination of these sites.")
    assert kill[0][1] == "Battles"
    assert sites[0][1] == "Strategic developments"


def test_trigger_inside_a_unit_name_is_blocked(lexicon):
    text = "The Jazira Operations Command announced it."
    start = text.index("Jazira")
    assert find_triggers(text, lexicon, blocked=[(start, start + len("Jazira Operations Command"))]) == []


def test_offsets_index_the_text(lexicon):
    text = "Yesterday militants killed 3 people.\nThen police arrested 2."
    for trigger in find_triggers(text, lexicon):
        assert text[trigger.start:trigger.end] == trigger.text


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("The YPG, backed by US airstrikes, flushed Isis from the north.", "airstrikes"),
        ("Isis has resurfaced in Anbar, conducting car bombings in rural villages.", "car bombings"),
        ("British fighters are a legitimate target for drone strikes, the minister said.", "drone strikes"),
        ("German jets were engaged in attacking Islamic State forces.", "attacking"),
        ("Kurdish forces advanced under the cover of airstrikes.", "airstrikes"),
    ],
)
def test_a_means_or_an_activity_is_no_incident(lexicon, text, trigger):
    found = {t.text: t.status for t in find_triggers(text, lexicon)}
    assert found[trigger] == "generic"


@pytest.mark.parametrize(
    "text",
    [
        "Border guards have shot dead scores of smugglers this year alone.",
        "More than 40 journalists have been killed in Iraq so far this year.",
    ],
)
def test_a_total_over_a_period_is_no_incident(lexicon, text):
    assert all(status != "reported" for _, _, status in statuses(lexicon, text))


def test_a_plain_total_of_one_event_is_still_reported(lexicon):
    assert ("killed", "Battles", "reported") in statuses(lexicon, "A total of 14 people were killed in the blast on Sunday.")


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("Three soldiers died in an explosion near Rutba.", "explosion"),
        ("Five others were wounded in the roadside bomb blast in Manbij.", "roadside bomb"),
        ("He was killed in a suicide bombing in 2004.", "suicide bombing"),
    ],
)
def test_the_means_of_harm_reports_the_event(lexicon, text, trigger):
    found = {t.text: (t.spec.event_type, t.status) for t in find_triggers(text, lexicon)}
    assert found[trigger] == ("Explosions/Remote violence", "reported")


def test_an_attack_that_harmed_people_is_not_made_an_explosion(lexicon):
    found = {t.text: t.status for t in find_triggers("Eleven civilians were injured in terrorist attacks.", lexicon)}
    assert found.get("attacks") != "reported"


@pytest.mark.parametrize(
    "text", ["Kurdish leaders called for airstrikes on the militants.", "The senator urged airstrikes on Raqqa."]
)
def test_urging_or_calling_for_an_event_is_no_incident(lexicon, text):
    assert [status for _, _, status in statuses(lexicon, text)] == ["irrealis"]


@pytest.mark.parametrize(
    ("text", "trigger", "status"),
    [
        ("US airstrikes would be more effective in Syria.", "airstrikes", "irrealis"),
        ("Mostly it was a normal life in Raqqa, every now and then bombing and stuff.", "bombing", "generic"),
        ("Rumours of unrest within the group have swirled in recent months.", "unrest", "irrealis"),
        ("Trump has this week alone tweeted about clashing with Russia.", "clashing", "generic"),
    ],
)
def test_hypothetical_habitual_and_rumoured_events(lexicon, text, trigger, status):
    found = {t.text: t.status for t in find_triggers(text, lexicon)}
    assert found[trigger] == status


def test_a_gerund_after_a_habit_word_is_a_habit(lexicon):
    assert [status for _, _, status in statuses(lexicon, "They faced daily bombing.")] == ["generic"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Four American soldiers have been killed in total, according to the Pentagon.", "generic"),
        ("Police have arrested a total of 30 suspects across the province.", "generic"),
        ("A total of 14 people were killed in the blast on Sunday.", "reported"),
        ("Police have arrested 12 suspects in Kirkuk.", "reported"),
    ],
)
def test_a_running_total_is_no_incident(lexicon, text, expected):
    assert statuses(lexicon, text)[0][2] == expected


def test_a_participle_opening_a_sentence_before_people_is_an_adjective(lexicon):
    text = "Captured opposition fighters and sympathisers have been tortured and murdered."
    assert statuses(lexicon, text)[0][:1] == ("Captured",)
    assert statuses(lexicon, text)[0][2] == "mention"


def test_a_bomb_alone_is_an_explosive_weapon(lexicon):
    found = {t.text: t.spec.event_type for t in find_triggers("A bomb in Ramadi killed two people.", lexicon)}
    assert found["bomb"] == "Explosions/Remote violence"


@pytest.mark.parametrize("text", [
    "Trump signed an order to keep the Guantánamo Bay detention centre open.",
    "They were sent to the US detention camp at Guantánamo Bay.",
])
def test_an_event_noun_naming_a_place_is_no_event(lexicon, text):
    assert [s for _, _, s in statuses(lexicon, text)] == ["mention"]


@pytest.mark.parametrize("text", [
    "Iraqi F-16 jets struck an Islamic State hideout near Qaim.",
    "Russian warplanes pounded rebel positions in Idlib.",
])
def test_aircraft_striking_is_an_air_strike(lexicon, text):
    assert [(t.spec.sub_event_type, t.status) for t in find_triggers(text, lexicon)] == [
        ("Air/drone strike", "reported")]


def test_hit_without_aircraft_is_no_air_strike(lexicon):
    assert find_triggers("The economy was hit hard by the war.", lexicon) == []


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("More than 700 people have been killed in three months, according to local counts.", "generic"),
        ("Dozens were arrested over the past two years in Anbar.", "generic"),
        ("850 Britons who had travelled to Isis territory had not been killed.", "irrealis"),
        ("Such an outcome is next to impossible for women in detention.", "mention"),
        ("Masri, who is currently detained by Kurdish forces, married in Raqqa.", "generic"),
        ("We want everyone who has been to Syria detained.", "irrealis"),
        ("The pair were behind a series of high-profile killings of US citizens.", "history"),
        ("The militant earned a reputation for mock executions.", "history"),
    ],
)
def test_totals_negations_states_wishes_and_records_report_no_incident(lexicon, text, status):
    assert [s for _, _, s in statuses(lexicon, text)] == [status]


@pytest.mark.parametrize(
    "text",
    ["Two soldiers were killed in the past week in Hit.", "Police detained four men in Kirkuk on Monday."],
)
def test_one_incident_stays_reported(lexicon, text):
    assert [s for _, _, s in statuses(lexicon, text)] == ["reported"]


def test_a_present_progressive_in_the_body_is_a_habit(lexicon):
    text = "The regime has abolished the rule of law and is killing or imprisoning Kurds."
    assert [s for _, _, s in statuses(lexicon, text)][:1] == ["generic"]
    text = "They are trapped in a barrage of attacks that are deliberately killing them."
    assert "reported" not in [s for _, _, s in statuses(lexicon, text)]


def test_strikes_that_kill_are_air_strikes_and_a_hunger_strike_is_not(lexicon):
    text = "At least 14 civilians were killed in strikes on Sunday."
    assert ("strikes", "Explosions/Remote violence", "reported") in statuses(lexicon, text)
    assert not [t for t in statuses(lexicon, "The prisoners began a hunger strike on Monday.") if t[0] == "strike"]


@pytest.mark.parametrize(
    ("text", "trigger", "status"),
    [
        ("An announcement that airstrikes against Islamic State would cease in the next 60 days.", "airstrikes", "irrealis"),
        ("Airstrikes and shelling continue throughout the day.", "Airstrikes", "generic"),
        ("Airstrikes and shelling continue throughout the day and have killed many people.", "killed", "generic"),
        ("Its vicious urban bombing campaign in Afghanistan faces less resistance.", "bombing", "generic"),
        ("Russia has been warning of the possibility of a staged chemical attack by rebels.", "chemical attack", "generic"),
        ("Their patrons' focus on attacking Kurdish troops.", "attacking", "generic"),
        ("They fear the same sort of intensive bombardment seen elsewhere.", "bombardment", "generic"),
        ("Militiamen entered Afrin to assist Kurdish militias fighting against an incursion by Turkey.",
         "incursion", "generic"),
    ],
)
def test_a_noun_first_campaign_or_intention_is_no_incident(lexicon, text, trigger, status):
    found = {t: s for t, _, s in statuses(lexicon, text)}
    assert found[trigger] == status


@pytest.mark.parametrize(
    "text",
    [
        "An airstrike on the market may have killed 12 people.",
        "Clashes continued on Sunday near Baiji.",
        "An airstrike on the market killed 12 people.",
    ],
)
def test_a_hedged_or_past_event_stays_reported(lexicon, text):
    assert "reported" in {s for _, _, s in statuses(lexicon, text)}


def test_clashes_that_continue_in_a_headline_are_news(lexicon):
    assert statuses(lexicon, "Clashes continue around Teir Maaleh", headline=True)[0][2] == "reported"
