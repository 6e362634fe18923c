"""Comparisons: England and statistical neighbours beside an authority's figure, published
figures, targets and RAG, and the service areas."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest
from insight_builders import assessment, referral, tables

from childrenmatter.clocks.calendar import working_days_between
from childrenmatter.dataset.io import read_dataset
from childrenmatter.errors import UserError
from childrenmatter.insight.areas import AREA_BY_KEY, AREAS
from childrenmatter.insight.compare import (
    COLUMNS,
    comparison,
    comparisons_by_authority,
    read_published,
)
from childrenmatter.insight.figures import INDICATOR_TABLES, indicators_by_month
from childrenmatter.insight.indicators import INDICATORS, REGISTRY
from childrenmatter.insight.targets import (
    DEFAULT_TARGETS,
    Target,
    load_targets,
    rag,
)

JULY = date(2024, 7, 15)


def referred_before(authorised: date, working_days: int) -> date:
    """A referral date ``working_days`` working days before ``authorised``."""
    day = authorised
    while working_days_between(day, authorised) < working_days:
        day -= timedelta(days=1)
    assert working_days_between(day, authorised) == working_days
    return day


def three_authorities():
    """806 with neighbours 805 and 807; population 10,000 each."""
    assessed = (("x0", "806", 30), ("y0", "805", 40), ("z0", "807", 50), ("z1", "807", 60))
    rows = {
        "referrals": ([referral(f"a{n}", JULY, "806") for n in range(2)]
                      + [referral("b0", JULY, "805")]
                      + [referral(f"c{n}", JULY, "807") for n in range(5)]
                      # Referred before July, assessed on 15 July.
                      + [referral(child, referred_before(JULY, days), la)
                         for child, la, days in assessed]),
        "assessments": [assessment(child, referred_before(JULY, days), JULY, la=la)
                        for child, la, days in assessed],
    }
    data = tables(las=("806", "805", "807"), **rows)
    return data


def row(frame: pl.DataFrame, indicator: str) -> dict:
    return frame.filter(pl.col("indicator") == indicator).row(0, named=True)


def test_england_is_every_authority_together_and_neighbours_the_given_ones_together():
    result = comparison(three_authorities(), authority="806", months=["2024-07"],
                        neighbours=["805", "807"])
    assert tuple(result.columns) == COLUMNS
    assert result.height == len(INDICATORS)
    referrals = row(result, "referrals")
    # 806: 2 in 10,000; neighbours 6 in 20,000; England 8 in 30,000 = 2.67 -> 2.7.
    assert (referrals["value"], referrals["count"]) == (2.0, 2)
    assert (referrals["neighbours"], referrals["england"]) == (3.0, 2.7)
    assert referrals["numerator"] is None and referrals["rag"] is None
    # Medians are of the records together, not of the authorities' medians: neighbours
    # 40, 50, 60 -> 50 (the mean of their medians would be 47.5); England 30 to 60 -> 45.
    median = row(result, "assessment_median_working_days")
    assert (median["value"], median["count"]) == (30.0, 1)
    assert (median["neighbours"], median["england"]) == (50.0, 45.0)
    assert (median["target"], median["rag"]) == (33.0, "green")


def test_neighbours_default_to_the_authorities_table():
    data = three_authorities()
    data["authorities"] = data["authorities"].with_columns(
        pl.when(pl.col("la_code") == "806").then(pl.lit(["807"])).otherwise(pl.lit([]))
        .alias("statistical_neighbours"))
    result = comparison(data, authority="806", months=["2024-07"])
    assert row(result, "referrals")["neighbours"] == 5.0


def test_a_single_authority_without_published_figures_has_null_comparisons():
    data = tables(referrals=[referral("a", JULY)])
    result = comparison(data, authority="806", months=["2024-06", "2024-07"])
    assert result.height == 2 * len(INDICATORS)
    assert result["england"].null_count() == result.height
    assert result["neighbours"].null_count() == result.height
    assert row(result.filter(pl.col("period") == "2024-07"), "referrals")["count"] == 1


def test_published_figures_fill_england_and_neighbours_not_in_the_dataset(tmp_path):
    published = tmp_path / "published.csv"
    published.write_text(
        "period,indicator,area,value\n"
        "2024-07,referrals,england,50.5\n"
        "2024-07,referrals,805,40\n"
        "2024-07,referrals,807,60\n"
        "2024-07,looked_after,807,\n",  # suppressed: no figure
        encoding="utf-8")
    data = tables(referrals=[referral("a", JULY)])
    result = comparison(data, authority="806", months=["2024-07"], neighbours=["805", "807"],
                        published=read_published(published))
    referrals = row(result, "referrals")
    # The mean of the neighbours' published figures, as the DfE's neighbour average.
    assert (referrals["england"], referrals["neighbours"]) == (50.5, 50.0)
    assert row(result, "looked_after")["neighbours"] is None


@pytest.mark.parametrize(("text", "message"), [
    ("period,indicator,value\n", "header lacks area"),
    ("period,indicator,area,value\n2024-13x,referrals,england,1\n", "line 2: period"),
    ("period,indicator,area,value\n2024-07,nonsense,england,1\n", "line 2: indicator"),
    ("period,indicator,area,value\n2024-07,referrals,wales,1\n", "line 2: area"),
    ("period,indicator,area,value\n2024-07,referrals,england,lots\n", "line 2: value"),
])
def test_bad_published_figures_are_refused_naming_the_line(tmp_path, text, message):
    path = tmp_path / "published.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError, match=message):
        read_published(path)


def test_the_example_published_file_reads():
    figures = read_published("docs/examples/published-figures.csv")
    assert figures.height == 6
    assert set(figures["indicator"]) <= set(REGISTRY)


def test_comparison_figures_are_the_indicators_own_and_england_is_all_together(
        small_dataset_folder):
    data = read_dataset(small_dataset_folder, tables=INDICATOR_TABLES)
    months = ["2018-01", "2018-02"]
    result = comparisons_by_authority(data, months)
    for code in ("806", "805"):
        figures = indicators_by_month(data, date(2018, 1, 1), date(2018, 2, 1), code)
        together = indicators_by_month(data, date(2018, 1, 1), date(2018, 2, 1))
        for record in result.filter(pl.col("la_code") == code).iter_rows(named=True):
            unit = record["unit"]
            expected = figures[record["period"]][record["indicator"]]
            everyone = together[record["period"]][record["indicator"]]
            assert record["value"] == expected.get(unit, expected.get("count")), record
            assert record["england"] == everyone.get(unit, everyone.get("count")), record
    # Each is the other's only neighbour.
    neighbours = result.filter(pl.col("la_code") == "806").select(
        "period", "indicator", "neighbours")
    own_805 = result.filter(pl.col("la_code") == "805").select("period", "indicator", "value")
    joined = neighbours.join(own_805, on=["period", "indicator"])
    assert joined.filter(pl.col("neighbours").ne_missing(pl.col("value"))).height == 0


# --- Targets and RAG ----------------------------------------------------------------------


def test_rag_bands_at_their_edges():
    targets = {"a": Target("a", 90.0, "higher_is_better", 10.0),
               "b": Target("b", 20.0, "lower_is_better", 2.5),
               "c": Target("c", None, "neither")}
    assert [rag("a", v, targets) for v in (90.0, 89.9, 80.0, 79.9)] == [
        "green", "amber", "amber", "red"]
    assert [rag("b", v, targets) for v in (20.0, 20.1, 22.5, 22.6)] == [
        "green", "amber", "amber", "red"]
    assert rag("c", 5.0, targets) is None
    assert rag("a", None, targets) is None
    assert rag("unknown", 5.0, targets) is None


def test_every_indicator_has_a_default_target_and_every_area_names_registry_indicators():
    assert set(DEFAULT_TARGETS) == set(REGISTRY)
    assert [a.key for a in AREAS] == ["front_door", "assessment", "child_protection",
                                      "children_in_need", "children_in_care",
                                      "care_leavers", "workforce"]
    shown = [name for area in AREAS for name in area.indicators]
    assert sorted(shown) == sorted(REGISTRY)  # each exactly once
    for area in AREAS:
        assert area.headline and set(area.headline) <= set(area.indicators)
    assert AREA_BY_KEY["workforce"].title == "Workforce"


def test_a_targets_file_overrides_the_defaults(tmp_path, monkeypatch):
    path = tmp_path / "targets.yml"
    path.write_text("re_referrals_within_12_months:\n  target: 18\n  amber_margin: 1\n"
                    "looked_after: {target: 60, direction: lower_is_better}\n"
                    "contacts_decided_in_1_working_day: 99\n", encoding="utf-8")
    targets = load_targets(path)
    assert targets["re_referrals_within_12_months"] == Target(
        "re_referrals_within_12_months", 18.0, "lower_is_better", 1.0)
    assert targets["looked_after"].direction == "lower_is_better"
    assert targets["contacts_decided_in_1_working_day"].target == 99.0
    assert targets["agency_workers"] == DEFAULT_TARGETS["agency_workers"]
    monkeypatch.setenv("CHILDRENMATTER_TARGETS", str(path))
    assert load_targets()["looked_after"].target == 60.0
    result = comparison(tables(referrals=[referral("a", JULY)]), authority="806",
                        months=["2024-07"])
    assert row(result, "re_referrals_within_12_months")["target"] == 18.0


@pytest.mark.parametrize(("text", "message"), [
    ("nonsense: 5\n", "'nonsense' is not an indicator"),
    ("looked_after: {direction: upwards}\n", "direction"),
    ("looked_after: {target: lots}\n", "looked_after.target"),
    ("looked_after: {goal: 5}\n", "unknown field"),
    ("- a list\n", "expected a mapping"),
    ("looked_after: [\n", "not valid YAML"),
])
def test_a_bad_targets_file_is_refused(tmp_path, text, message):
    path = tmp_path / "targets.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError, match=message):
        load_targets(path)
