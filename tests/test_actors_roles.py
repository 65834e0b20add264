"""Who acts and who is acted on when the victims are named first or an armed group is the object."""

from __future__ import annotations

from datetime import date

import pytest
from actor_roles import roles

from incidents.actors import ActorLexicon
from incidents.extract import Extractor
from incidents.model import Article


@pytest.fixture(scope="module")
def lexicon():
    return ActorLexicon.load()


@pytest.fixture(scope="module")
def extractor():
    return Extractor(geoparser=lambda text: [])


def incident_actors(extractor, sentence):
    article = Article.from_text(f"Headline\n\n{sentence}\n", ref="t.txt", published=date(2019, 6, 14))
    incidents = extractor.extract(article)
    assert len(incidents) == 1
    return incidents[0].actor1, incidents[0].actor2


def test_the_subject_of_a_passive_verb_before_the_trigger_is_the_target(lexicon):
    text = "A dozen ISIS fighters were killed in an airstrike on Hajin."
    assert roles(lexicon, text, "airstrike") == (None, "ISIS")


def test_the_object_of_a_verb_before_the_trigger_is_the_target(lexicon):
    text = "The Iraqi army said it killed 12 ISIS militants in airstrikes near Rawa."
    assert roles(lexicon, text, "airstrikes") == ("Iraqi Security Forces", "ISIS")
    text = "Iraqi F-16 jets struck an Islamic State hideout near Qaim, killing five militants."
    assert roles(lexicon, text, "killing") == ("Iraqi Air Force", "ISIS")


def test_civilians_are_never_the_initiator(lexicon):
    text = "Three civilians were killed when mortar shells hit a market in Baiji."
    assert roles(lexicon, text, "mortar shells") == (None, "Civilians")
    assert roles(lexicon, "Civilians died as shelling hit the town.", "shelling") == (None, "Civilians")


def test_an_armed_group_named_first_still_acts(lexicon):
    assert roles(lexicon, "ISIS militants killed two PMF fighters near Hawija.", "killed") == ("ISIS", "PMU")
    assert roles(lexicon, "ISIS fighters were killed by Turkish jets.", "killed") == ("Turkish forces", "ISIS")


def test_militants_do_not_stand_for_a_pro_government_militia(lexicon):
    found = [(m.text, m.actor.name) for m in lexicon.find("The PMF said militants killed two of its fighters.")]
    assert found == [("PMF", "PMU")]
    found = [(m.text, m.actor.name) for m in lexicon.find("ISIS attacked the PMF. The militants killed two.")]
    assert found[-1] == ("The militants", "ISIS")


@pytest.mark.parametrize(
    ("sentence", "actor1", "actor2"),
    [
        ("A dozen ISIS fighters were killed in an airstrike on Hajin on Sunday.", None, "ISIS"),
        ("The Iraqi army said it killed 12 ISIS militants in airstrikes near Rawa on Sunday.",
         "Iraqi Security Forces", "ISIS"),
        ("Three civilians were killed when mortar shells hit a market in Baiji on Sunday.", None, "Civilians"),
    ],
)
def test_incident_roles(extractor, sentence, actor1, actor2):
    assert incident_actors(extractor, sentence) == (actor1, actor2)


def test_an_actor_that_tells_the_news_after_the_event_is_a_source(lexicon):
    text = "ISIS militants killed two soldiers near Hawija, the PMF said."
    assert roles(lexicon, text, "killed") == ("ISIS", None)


def test_the_agent_after_by_a(lexicon):
    text = "At least 56 civilians were killed in strikes by a US-led coalition near Manbij."
    assert roles(lexicon, text, "killed") == ("U.S. forces", "Civilians")


def test_an_actor_after_said_and_before_the_event_is_its_subject(lexicon):
    text = "A farmer said ISIS militants attacked the village, killing two soldiers."
    assert roles(lexicon, text, "attacked") == ("ISIS", None)
    assert roles(lexicon, "Two soldiers were killed, according to the PMF.", "killed") == (None, None)


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        # a name that describes a place does not act and is not acted on
        ("Holmes was killed on 23 October when a suicide belt exploded in the former Isis stronghold of Raqqa.",
         "killed", (None, None)),
        ("Concerns mount over the coalition's campaign to reclaim Islamic State's de facto capital, with reports "
         "of airstrikes killing hundreds.", "airstrikes", ("U.S. forces", None)),
        # the holder of what is taken loses it
        ("The SDF said it had captured 41 positions held by Isis.", "captured", ("SDF", "ISIS")),
        # "against X" after another verb is that verb's
        ("A former British soldier arrested in Turkey after fighting against Isis in Syria.", "arrested", (None, None)),
    ],
)
def test_a_name_that_places_or_belongs_to_another_verb_is_no_party(lexicon, text, trigger, expected):
    assert roles(lexicon, text, trigger) == expected


def test_an_attack_on_a_stronghold_still_targets_its_holder(lexicon):
    text = "Iraqi forces attacked ISIS near Rawa."
    assert roles(lexicon, text, "attacked") == ("Iraqi Security Forces", "ISIS")
