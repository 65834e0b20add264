"""Dates: absolute and relative phrases, resolved against the publication date."""

from __future__ import annotations

from datetime import date

import pytest

from incidents.dates import FLAG_FUTURE, FLAG_IMPOSSIBLE, FLAG_UNRESOLVED, find_dates

PUBLISHED = date(2019, 5, 15)  # a Wednesday


def one(text: str, published: date | None = PUBLISHED):
    found = find_dates(text, published=published)
    assert len(found) == 1, found
    mention = found[0]
    assert text[mention.start:mention.end] == mention.text
    return mention


@pytest.mark.parametrize(
    ("phrase", "start", "end", "precision"),
    [
        ("October 2014", date(2014, 10, 1), date(2014, 10, 31), "month"),
        ("3 March 2019", date(2019, 3, 3), date(2019, 3, 3), "day"),
        ("March 3, 2019", date(2019, 3, 3), date(2019, 3, 3), "day"),
        ("2019-03-04", date(2019, 3, 4), date(2019, 3, 4), "day"),
        ("late October 2014", date(2014, 10, 21), date(2014, 10, 31), "month"),
    ],
)
def test_absolute_dates(phrase, start, end, precision):
    mention = one(f"It happened {phrase}.")
    assert (mention.date_start, mention.date_end, mention.precision) == (start, end, precision)
    assert not mention.relative


@pytest.mark.parametrize(
    ("text", "phrase", "start", "end", "precision"),
    [
        ("Last week, forces killed three.", "Last week", date(2019, 5, 6), date(2019, 5, 12), "week"),
        ("earlier this week they struck", "earlier this week", date(2019, 5, 13), date(2019, 5, 15), "week"),
        ("last month they struck", "last month", date(2019, 4, 1), date(2019, 4, 30), "month"),
        ("Earlier this year, it struck", "Earlier this year", date(2019, 1, 1), date(2019, 5, 15), "year"),
        ("news emerged two weeks ago", "two weeks ago", date(2019, 4, 29), date(2019, 5, 5), "week"),
        ("In August last year, talks began", "August last year", date(2018, 8, 1), date(2018, 8, 31), "month"),
        ("on Tuesday gunmen attacked", "on Tuesday", date(2019, 5, 14), date(2019, 5, 14), "day"),
        ("in March 2019 they lost", "March 2019", date(2019, 3, 1), date(2019, 3, 31), "month"),
        ("in August the town fell", "August", date(2018, 8, 1), date(2018, 8, 31), "month"),
        ("it was recently found", "recently", date(2019, 4, 15), date(2019, 5, 15), "month"),
        ("yesterday a bomb went off", "yesterday", date(2019, 5, 14), date(2019, 5, 14), "day"),
        ("militants attacked overnight", "overnight", date(2019, 5, 14), date(2019, 5, 15), "day"),
        ("the bomb went off on the 5th", "the 5th", date(2019, 5, 5), date(2019, 5, 5), "day"),
        ("the raid on the 20th", "the 20th", date(2019, 4, 20), date(2019, 4, 20), "day"),
    ],
)
def test_relative_dates(text, phrase, start, end, precision):
    mention = one(text)
    assert mention.text == phrase
    assert (mention.date_start, mention.date_end, mention.precision) == (start, end, precision)


def test_relative_dates_stay_unresolved_without_a_publication_date():
    mention = one("Last week, forces killed three.", published=None)
    assert mention.text == "Last week"
    assert mention.date_start is None and mention.date_end is None
    assert FLAG_UNRESOLVED in mention.flags


def test_absolute_dates_resolve_without_a_publication_date():
    assert one("in October 2014", published=None).date_start == date(2014, 10, 1)


def test_impossible_date_is_flagged_not_raised():
    mention = one("On 31 February 2019 nothing happened.")
    assert mention.date_start is None
    assert FLAG_IMPOSSIBLE in mention.flags


def test_future_date_is_flagged():
    mention = one("They will meet on 3 June 2019.")
    assert FLAG_FUTURE in mention.flags


def test_since_makes_a_bound_not_an_event_date():
    mention = one("Since the defeat of ISIS in December 2017, cells regrouped.")
    assert mention.text == "December 2017"
    assert mention.bound


def test_a_date_owning_an_event_after_since_is_that_events_date():
    mention = one("Since last April’s chemical attack on Khan Sheikhun, chlorine was used again.")
    assert mention.text == "last April" and not mention.bound
    assert (mention.date_start, mention.date_end) == (date(2019, 4, 1), date(2019, 4, 30))


def test_a_span_of_activity_is_a_bound():
    mention = one("intelligence they have collected over the past few months")
    assert mention.bound


def test_numbers_that_are_not_years_are_ignored():
    assert find_dates("There are approximately 2,500 troops, 15th person, in 5-years.", published=PUBLISHED) == []


def test_empty_text():
    assert find_dates("", published=PUBLISHED) == []


@pytest.mark.parametrize(
    ("text", "phrase", "start", "end"),
    [
        ("killed in Turkey in the 1990s as a guerrilla", "the 1990s", date(1990, 1, 1), date(1999, 12, 31)),
        ("jailed during the late 1980s by the regime", "the late 1980s", date(1986, 1, 1), date(1989, 12, 31)),
        ("in the early 2000s the group", "the early 2000s", date(2000, 1, 1), date(2003, 12, 31)),
        ("regarding NATO's 1999 bombing campaign", "1999", date(1999, 1, 1), date(1999, 12, 31)),
        ("The 2003 invasion of Iraq", "2003", date(2003, 1, 1), date(2003, 12, 31)),
    ],
)
def test_decades_and_years_before_an_event_noun(text, phrase, start, end):
    mention = one(text)
    assert (mention.text, mention.date_start, mention.date_end, mention.precision) == (phrase, start, end, "year")
    assert not mention.bound and not mention.relative


@pytest.mark.parametrize("text", ["the 2000 people who fled", "its 1500 fighters", "the 2018 soldiers deployed"])
def test_a_number_before_people_is_a_count_not_a_year(text):
    assert find_dates(text, published=PUBLISHED) == []


@pytest.mark.parametrize("text", ["on the 21st century", "on the 3rd floor", "on the 2nd day of talks"])
def test_an_ordinal_that_is_no_day_of_the_month(text):
    assert find_dates(text, published=PUBLISHED) == []


def test_since_in_the_previous_sentence_does_not_make_a_date_a_bound():
    text = ("He is the second to die since the liberation of Raqqa. On 23 October, Jac Holmes died "
            "when a mine blew up.")
    (mention,) = [m for m in find_dates(text, published=PUBLISHED) if m.text == "23 October"]
    assert not mention.bound
    text = "Fighting has raged since the U.S. invasion in 2003, officials said."
    (mention,) = find_dates(text, published=PUBLISHED)
    assert mention.bound  # an abbreviation's full stop ends no sentence
