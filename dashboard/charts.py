"""The small chart of incidents and deaths over time for the current filter.

Drawn on the server as an SVG picture: bars of incidents per week or month on the left axis,
a line of people killed on the right one. ``st.html`` shows it as an image, with one
transparent column per period laid over it whose ``title`` is that period's tooltip
(Streamlit's HTML sanitiser keeps only HTML, so inline SVG would be removed). Vega
(``st.vega_lite_chart``) drew the same chart before, but its 0.8 MB of JavaScript had to be
loaded and run by every visitor before the page was complete, and re-laid out on every
filter change; this is a few kilobytes of text and needs no script.

Everything in the chart is made from numbers and dates; its text is escaped anyway.
"""

from __future__ import annotations

import base64
import html
import math

import pandas as pd

from dashboard.map_data import next_period

BAR_COLOR = "#6b7b8c"
LINE_COLOR = "#b3202a"
AXIS_COLOR = "#8a8f98"
TEXT_COLOR = "#4a4f57"

#: The drawing's coordinate box (it scales to the page's width, keeping its proportions).
WIDTH, HEIGHT = 1000, 190
#: Room for the left axis, right axis, legend (top) and dates (bottom), in box units.
LEFT, RIGHT, TOP, BOTTOM = 60, 60, 26, 28
FONT = 13
#: Up to this many periods, each point of the line of deaths is marked with a dot.
MARKED_POINTS = 60


def nice_ticks(maximum: float, *, count: int = 4) -> list[float]:
    """Round tick values from 0 to at least ``maximum``: steps of 1, 2 or 5 times a power
    of ten, about ``count`` of them (0 and 1 when ``maximum`` is 0)."""
    if maximum <= 0:
        return [0.0, 1.0]
    raw = maximum / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(step, 1.0)  # counts are whole numbers
    top = math.ceil(maximum / step) * step
    return [i * step for i in range(int(round(top / step)) + 1)]


def date_ticks(start: pd.Timestamp, end: pd.Timestamp, *, count: int = 8
               ) -> tuple[list[pd.Timestamp], str]:
    """About ``count`` round dates between ``start`` and ``end`` (first days of years, of
    months, or Mondays) and the strftime format to label them with."""
    days = max((end - start).days, 1)
    if days > 3 * 365:
        years = max(1, math.ceil(days / 365.25 / count))
        ticks = pd.date_range(f"{start.year}-01-01", end, freq=f"{years}YS")
        fmt = "%Y"
    elif days > 120:
        months = max(1, math.ceil(days / 30.44 / count))
        ticks = pd.date_range(start.to_period("M").to_timestamp(), end, freq=f"{months}MS")
        fmt = "%b %Y"
    else:
        weeks = max(1, math.ceil(days / 7 / count))
        ticks = pd.date_range(start - pd.Timedelta(days=start.day_of_week), end,
                              freq=f"{weeks}W-MON")
        fmt = "%d %b"
    return [t for t in ticks if start <= t <= end], fmt


def _fmt(value: float) -> str:
    return f"{int(value):,}"


def period_edges(series: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Each period's first day and its left and right edges in the drawing's box units (the
    periods' dates span the plot's width)."""
    starts = series["period"].reset_index(drop=True)
    ends = next_period(starts, series.attrs.get("unit", "month")).reset_index(drop=True)
    first, span = starts.iloc[0], ends.iloc[-1] - starts.iloc[0]
    plot_w = WIDTH - LEFT - RIGHT
    return (starts, LEFT + (starts - first) / span * plot_w,
            LEFT + (ends - first) / span * plot_w)


def activity_html(series: pd.DataFrame) -> str:
    """The chart for ``st.html``: the SVG picture, described for screen readers, under one
    transparent column per period whose ``title`` is its tooltip ("week of 04 Mar 2019: 2
    incidents, 3 killed").

    Parameters
    ----------
    series
        As for :func:`activity_svg`.
    """
    unit = series.attrs.get("unit", "month")
    starts, lefts, rights = period_edges(series)
    top, height = TOP / HEIGHT * 100, (HEIGHT - TOP - BOTTOM) / HEIGHT * 100
    label = "week of %d %b %Y" if unit == "week" else "%B %Y"
    columns = []
    for start, left, right, count, killed in zip(starts, lefts, rights, series["incidents"],
                                                 series["fatalities"]):
        tip = (f"{start.strftime(label)}: {int(count):,} "
               f"incident{'s' if count != 1 else ''}, {int(killed):,} killed")
        columns.append(f'<div title="{html.escape(tip)}" style="position:absolute;'
                       f'left:{left / WIDTH * 100:.3f}%;top:{top:.2f}%;'
                       f'width:{(right - left) / WIDTH * 100:.3f}%;height:{height:.2f}%"></div>')
    picture = base64.b64encode(activity_svg(series).encode()).decode()
    return (f'<div class="atlas-activity" style="position:relative;line-height:0">'
            f'<img src="data:image/svg+xml;base64,{picture}" style="width:100%;height:auto" '
            f'alt="{html.escape(_summary(series, unit))}">' + "".join(columns) + "</div>")


def activity_svg(series: pd.DataFrame) -> str:
    """The chart as SVG text: bars of ``incidents`` per ``period`` on the left axis and a line
    of ``fatalities`` through each period's middle on the right axis.

    Parameters
    ----------
    series
        :func:`dashboard.map_data.time_series` output: ``period`` (first day), ``incidents``,
        ``fatalities``, ``attrs["unit"]`` ("week" or "month"); at least one row.
    """
    unit = series.attrs.get("unit", "month")
    starts, lefts, rights = period_edges(series)
    t0, t1 = starts.iloc[0], next_period(starts.iloc[-1:], unit).iloc[0]
    plot_h = HEIGHT - TOP - BOTTOM
    base = TOP + plot_h

    left_ticks = nice_ticks(float(series["incidents"].max()))
    right_ticks = nice_ticks(float(series["fatalities"].max()))
    y_left = plot_h / left_ticks[-1]
    y_right = plot_h / right_ticks[-1]

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'font-family="sans-serif" font-size="{FONT}" fill="{TEXT_COLOR}">']
    # grid and axes
    for tick in left_ticks:
        y = base - tick * y_left
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="#e6e8eb" stroke-width="1"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" '
                     f'fill="{BAR_COLOR}">{_fmt(tick)}</text>')
    for tick in right_ticks:
        y = base - tick * y_right
        parts.append(f'<text x="{WIDTH - RIGHT + 6}" y="{y + 4:.1f}" '
                     f'fill="{LINE_COLOR}">{_fmt(tick)}</text>')
    ticks, fmt = date_ticks(t0, t1)
    for tick in ticks:
        tx = LEFT + (tick - t0) / (t1 - t0) * (WIDTH - LEFT - RIGHT)
        parts.append(f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{base}" y2="{base + 4}" '
                     f'stroke="{AXIS_COLOR}"/>')
        parts.append(f'<text x="{tx:.1f}" y="{base + 18}" text-anchor="middle">'
                     f'{html.escape(tick.strftime(fmt))}</text>')
    parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{base}" y2="{base}" '
                 f'stroke="{AXIS_COLOR}"/>')
    # bars
    parts.append(f'<g fill="{BAR_COLOR}" fill-opacity="0.8">')
    for left, right, count in zip(lefts, rights, series["incidents"]):
        bar_h = int(count) * y_left
        parts.append(f'<rect x="{left:.1f}" y="{base - bar_h:.1f}" '
                     f'width="{max(right - left - 1, 0.8):.1f}" height="{bar_h:.1f}"/>')
    parts.append("</g>")
    # the line of deaths through each period's middle
    mids = (lefts + rights) / 2
    points = " ".join(f"{mx:.1f},{base - int(k) * y_right:.1f}"
                      for mx, k in zip(mids, series["fatalities"]))
    parts.append(f'<polyline points="{points}" fill="none" stroke="{LINE_COLOR}" '
                 f'stroke-width="1.8" stroke-linejoin="round"/>')
    if len(series) <= MARKED_POINTS:  # a line of one or two points is hard to see alone
        parts.append(f'<g fill="{LINE_COLOR}">' + "".join(
            f'<circle cx="{mx:.1f}" cy="{base - int(k) * y_right:.1f}" r="2.5"/>'
            for mx, k in zip(mids, series["fatalities"])) + "</g>")
    # legend
    parts.append(f'<rect x="{LEFT}" y="6" width="10" height="10" fill="{BAR_COLOR}"/>'
                 f'<text x="{LEFT + 14}" y="15">Incidents per {unit} (left)</text>'
                 f'<line x1="{LEFT + 215}" x2="{LEFT + 231}" y1="11" y2="11" '
                 f'stroke="{LINE_COLOR}" stroke-width="2"/>'
                 f'<text x="{LEFT + 235}" y="15">People killed (right)</text>')
    parts.append("</svg>")
    return "".join(parts)


def _summary(series: pd.DataFrame, unit: str) -> str:
    """One sentence for screen readers."""
    first, last = series["period"].iloc[0], series["period"].iloc[-1]
    return (f"{int(series['incidents'].sum()):,} incidents and "
            f"{int(series['fatalities'].sum()):,} people killed per {unit}, "
            f"{first:%d %b %Y} to {last:%d %b %Y}")
