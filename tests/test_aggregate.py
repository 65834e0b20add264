"""Counts and casualty totals per admin-1 area and grid cell."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from geo.aggregate import aggregate_admin1, aggregate_grid, period_start


@pytest.fixture
def incidents():
    return pd.DataFrame({
        "admin1_code": ["IQ-AN", "IQ-AN", "IQ-NI", None, "IQ-AN", "IQ-NI"],
        "date_start": pd.to_datetime(
            ["2024-01-03", "2024-01-30", "2024-01-05", "2024-01-01", "2024-02-02", None]
        ),
        "killed_best": [1, 2, np.nan, 5, 3, 7],
        "injured_best": [0, 1, 2, 0, 0, 0],
        "arrested_best": [0, 0, 0, 0, 4, 0],
        "latitude": [33.421, 33.421, 36.340, 33.0, 34.38, np.nan],
        "longitude": [43.305, 43.305, 43.130, 44.0, 41.02, 43.0],
    })


def test_monthly_totals_per_province(incidents):
    result = aggregate_admin1(incidents, freq="month")
    table = result.drop(columns="geometry").set_index(["period", "admin1_code"])
    jan, feb = pd.Timestamp("2024-01-01"), pd.Timestamp("2024-02-01")
    assert table.loc[(jan, "IQ-AN"), ["incidents", "killed_best", "injured_best"]].tolist() \
        == [2, 3, 1]
    assert table.loc[(jan, "IQ-NI"), ["incidents", "killed_best", "injured_best"]].tolist() \
        == [1, 0, 2]
    assert table.loc[(feb, "IQ-AN"), ["incidents", "arrested_best"]].tolist() == [1, 4]
    # no code, or no date, leaves the row out
    assert table["incidents"].sum() == 4
    assert result.crs.to_epsg() == 4326
    assert result.loc[0, "admin1"] == "Al Anbar"
    assert shapely.contains_xy(result.geometry.iloc[0], 43.305, 33.421)


def test_totals_over_all_dates(incidents):
    result = aggregate_admin1(incidents, freq=None).set_index("admin1_code")
    assert "period" not in result.columns
    assert result.loc["IQ-NI", "incidents"] == 2
    assert result.loc["IQ-NI", "killed_best"] == 7
    assert result.loc["IQ-AN", "killed_best"] == 6


def test_unknown_code_is_kept_without_geometry(incidents):
    frame = incidents.assign(admin1_code=["IQ-AN", "ZZ-99", "IQ-NI", None, "IQ-AN", None])
    result = aggregate_admin1(frame, freq=None).set_index("admin1_code")
    assert result.loc["ZZ-99", "incidents"] == 1
    assert result.loc["ZZ-99", "geometry"] is None
    assert result.loc["ZZ-99", "admin1"] is None


def test_weeks_start_on_monday():
    starts = period_start(pd.Series(["2024-01-03", "2024-01-07", "2024-01-08", None]), "week")
    assert list(pd.to_datetime(starts[:3]).strftime("%Y-%m-%d")) == \
        ["2024-01-01", "2024-01-01", "2024-01-08"]
    assert np.isnat(starts[3])


def test_bad_arguments_are_errors(incidents):
    with pytest.raises(ValueError, match="'year'"):
        aggregate_admin1(incidents, freq="year")
    with pytest.raises(ValueError, match="admin1_code"):
        aggregate_admin1(incidents.drop(columns="admin1_code"))
    with pytest.raises(ValueError, match="0-15"):
        aggregate_grid(incidents, resolution=16)
    with pytest.raises(ValueError, match="'hex'"):
        aggregate_grid(incidents, method="hex")


def test_h3_cells_count_incidents_and_fatalities(incidents):
    from h3.api import basic_str as h3

    result = aggregate_grid(incidents, resolution=5).set_index("cell")
    ramadi = h3.latlng_to_cell(33.421, 43.305, 5)
    assert result.loc[ramadi, "incidents"] == 2
    assert result.loc[ramadi, "killed_best"] == 3
    assert result["incidents"].sum() == 5  # the row without latitude is left out
    assert shapely.contains_xy(result.loc[ramadi, "geometry"], 43.305, 33.421)
    assert result.crs.to_epsg() == 4326


def test_h3_cells_per_month(incidents):
    result = aggregate_grid(incidents, resolution=4, freq="month")
    assert set(result["period"].dt.strftime("%Y-%m")) == {"2024-01", "2024-02"}
    assert result["incidents"].sum() == 5


def test_square_grid_cells(incidents):
    result = aggregate_grid(incidents, resolution=1.0, method="square").set_index("cell")
    cell = result.loc[result["incidents"] == 2]
    assert len(cell) == 1
    assert cell.geometry.iloc[0].bounds == (43.0, 33.0, 44.0, 34.0)
    assert cell["killed_best"].iloc[0] == 3
    assert result["incidents"].sum() == 5


def test_empty_frame_gives_empty_results(incidents):
    empty = incidents.iloc[0:0]
    assert len(aggregate_admin1(empty)) == 0
    assert len(aggregate_grid(empty)) == 0
