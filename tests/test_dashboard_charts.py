"""The chart over time as SVG: its scales, its bars and tooltips, and edge cases."""

import base64
import re

import pandas as pd
import pytest

from dashboard import charts
from dashboard.map_data import time_series


def series_of(dates, deaths):
    return time_series(pd.DataFrame({"date_start": pd.to_datetime(dates),
                                     "fatalities": deaths}))


@pytest.mark.parametrize(("maximum", "expected"), [
    (0, [0, 1]), (1, [0, 1]), (3, [0, 1, 2, 3]), (7, [0, 2, 4, 6, 8]),
    (130, [0, 50, 100, 150]), (1_234, [0, 500, 1_000, 1_500]),
])
def test_axis_ticks_are_round_and_cover_the_largest_value(maximum, expected):
    assert charts.nice_ticks(maximum) == expected


def test_date_ticks_pick_years_months_or_weeks_by_span():
    years, fmt = charts.date_ticks(pd.Timestamp("2011-03-01"), pd.Timestamp("2024-01-01"))
    assert fmt == "%Y" and all(t.month == 1 and t.day == 1 for t in years)
    assert 5 <= len(years) <= 13
    months, fmt = charts.date_ticks(pd.Timestamp("2019-01-01"), pd.Timestamp("2019-12-01"))
    assert fmt == "%b %Y" and all(t.day == 1 for t in months)
    weeks, fmt = charts.date_ticks(pd.Timestamp("2019-03-04"), pd.Timestamp("2019-04-29"))
    assert fmt == "%d %b" and all(t.day_of_week == 0 for t in weeks)


def test_one_bar_per_period_and_one_tooltip_column_over_each():
    series = series_of(["2019-03-04", "2019-03-05", "2019-03-20"], [2, 0, 7])
    svg = charts.activity_svg(series)
    bars = [float(h) for h in re.findall(r'<rect x="[^"]+" y="[^"]+" width="[^"]+" '
                                         r'height="([^"]+)"/>', svg)]
    assert len(bars) == len(series) == 3  # three weeks, the empty middle one included
    assert bars[1] == 0 and bars[0] == pytest.approx(2 * bars[2])
    assert svg.startswith("<svg ") and svg.endswith("</svg>")

    chart = charts.activity_html(series)
    columns = re.findall(r'<div title="([^"]+)" style="position:absolute;left:([\d.]+)%;'
                         r'top:[\d.]+%;width:([\d.]+)%', chart)
    assert [tip for tip, _, _ in columns] == [
        "week of 04 Mar 2019: 2 incidents, 2 killed",
        "week of 11 Mar 2019: 0 incidents, 0 killed",
        "week of 18 Mar 2019: 1 incident, 7 killed"]
    lefts = [float(left) for _, left, _ in columns]
    widths = [float(width) for _, _, width in columns]
    assert lefts[1] == pytest.approx(lefts[0] + widths[0], abs=0.01)  # side by side
    assert lefts[0] + sum(widths) == pytest.approx(
        (charts.WIDTH - charts.RIGHT) / charts.WIDTH * 100, abs=0.01)  # to the plot's end
    picture = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', chart).group(1)
    assert base64.b64decode(picture).decode() == svg
    assert 'alt="3 incidents and 9 people killed per week' in chart


def test_the_line_of_deaths_rises_with_the_count():
    svg = charts.activity_svg(series_of(["2015-01-10", "2015-06-10"], [0, 40]))
    points = re.search(r'<polyline points="([^"]+)"', svg).group(1).split()
    ys = [float(p.split(",")[1]) for p in points]
    assert ys[0] == max(ys) and ys[-1] == min(ys)  # SVG's y grows downwards


def test_a_single_period_still_draws():
    svg = charts.activity_svg(series_of(["2020-05-05"], [0]))
    assert svg.count("<rect x=") == 1 + 1  # the bar and the legend's swatch
    assert "<circle" in svg  # a one-point line is marked with a dot
