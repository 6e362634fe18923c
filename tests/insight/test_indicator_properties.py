"""Invariants of every indicator over random small datasets (Hypothesis)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from insight_builders import (
    LA,
    allocation,
    assessment,
    care_leaver_contact,
    contact,
    cp_plan,
    episode,
    missing,
    referral,
    section_47,
    tables,
)

from childrenmatter.insight.figures import indicators_at, indicators_by_month
from childrenmatter.insight.indicators import INDICATORS
from childrenmatter.insight.registry import Unit, Window

FIRST = date(2023, 4, 1)  # a year of history before the year measured
YEAR_START, YEAR_END = date(2024, 4, 1), date(2025, 3, 31)
DAYS = (YEAR_END - FIRST).days

day = st.integers(0, DAYS).map(lambda n: FIRST + timedelta(days=n))
length = st.one_of(st.none(), st.integers(0, 800))
children = st.sampled_from([f"C{n}" for n in range(8)])


def _end(start: date, days: int | None) -> date | None:
    return None if days is None else start + timedelta(days=days)


@st.composite
def datasets(draw) -> dict[str, list[dict]]:
    referrals, assessments = [], []
    for n, (child, on, took) in enumerate(draw(st.lists(st.tuples(children, day, length),
                                                        max_size=12))):
        referrals.append(referral(child, on, rid=f"R{n}"))
        if took is not None:
            row = assessment(child, on, on + timedelta(days=took % 120), n)
            assessments.append({**row, "referral_id": f"R{n}"})
    enquiries = [section_47(child, on, _end(on, None if took is None else took % 40), n)
                 for n, (child, on, took) in enumerate(
                     draw(st.lists(st.tuples(children, day, length), max_size=6)))]
    plans = [cp_plan(child, on, _end(on, took), previous)
             for child, on, took, previous in draw(st.lists(
                 st.tuples(children, day, length, st.integers(0, 2)), max_size=6,
                 unique_by=lambda t: (t[0], t[1])))]
    episodes = []
    for child in draw(st.lists(children, unique=True, max_size=5)):
        start = draw(day)
        for step in range(draw(st.integers(1, 4))):
            gap = draw(length)
            end = _end(start, gap)
            episodes.append(episode(
                child, start, end, rne="S" if step == 0 else draw(st.sampled_from("LPTUB")),
                place=draw(st.sampled_from(["U1", "U4", "K2", "T4"])),
                ls=draw(st.sampled_from(["C2", "V2", "V3"])),
                rec=None if end is None else "X1",
                location=draw(st.sampled_from(["IN", "OUT", None])),
                distance=draw(st.sampled_from([1.0, 20.0, 35.0, None]))))
            if end is None:
                break
            start = end
    missed = [missing(child, on, on + timedelta(days=2), _end(on, took))
              for child, on, took in draw(st.lists(st.tuples(children, day, st.one_of(
                  st.none(), st.integers(2, 9))), max_size=5, unique_by=lambda t: t[:2]))]
    contacts = [contact(child, datetime.combine(on, datetime.min.time()),
                        None if took is None else datetime.combine(on, datetime.min.time())
                        + timedelta(hours=took % 100), "referral", n)
                for n, (child, on, took) in enumerate(
                    draw(st.lists(st.tuples(children, day, length), max_size=8)))]
    leavers = [care_leaver_contact(child, on, draw(st.sampled_from(["YES", "NO"])),
                                   draw(st.sampled_from(["F1", "G5"])),
                                   draw(st.sampled_from(["U1", "S2"])))
               for child, on in draw(st.lists(st.tuples(children, day), max_size=5,
                                              unique=True))]
    allocations = [allocation(child, worker, on, _end(on, took))
                   for child, worker, on, took in draw(st.lists(st.tuples(
                       children, st.sampled_from(["W1", "W2"]), day, length), max_size=6,
                       unique_by=lambda t: (t[0], t[2])))]
    return {"referrals": referrals, "assessments": assessments,
            "section_47_enquiries": enquiries, "cp_plans": plans, "episodes": episodes,
            "missing_episodes": missed, "contacts": contacts,
            "care_leaver_contacts": leavers, "allocations": allocations}


FAST = settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow], deadline=None)


@FAST
@given(datasets())
def test_monthly_counts_of_events_add_up_to_the_years(rows):
    data = tables(**rows)
    year = indicators_at(data, YEAR_END, LA)
    months = indicators_by_month(data, YEAR_START, date(2025, 3, 1), LA)
    assert len(months) == 12
    for indicator in INDICATORS:
        if indicator.window is not Window.PERIOD:
            continue
        for key in ("count", "numerator", "denominator"):
            if key in year[indicator.name] and indicator.unit is not Unit.DAYS:
                total = sum(month[indicator.name][key] for month in months.values())
                assert total == year[indicator.name][key], (indicator.name, key)


@FAST
@given(datasets(), st.sampled_from([date(2024, 9, 30), YEAR_END, date(2024, 12, 25)]))
def test_percentages_are_between_0_and_100_and_numerators_within_denominators(rows, when):
    figures = indicators_at(tables(**rows), when, LA)
    for name, value in figures.items():
        if "percent" in value:
            assert 0 <= value["numerator"] <= value["denominator"], name
            assert (value["percent"] is None) == (value["denominator"] == 0), name
            if value["percent"] is not None:
                assert 0.0 <= value["percent"] <= 100.0, name
        if "count" in value:
            assert value["count"] >= 0, name


def _copies(rows: dict[str, list[dict]], k: int) -> dict[str, list[dict]]:
    """Every record ``k`` times, each copy a different child with its own identifiers."""
    ids = ("child_id", "referral_id", "assessment_id", "s47_id", "cp_plan_id",
           "contact_id", "strategy_discussion_id", "period_of_care_id")
    out: dict[str, list[dict]] = {}
    for name, table in rows.items():
        out[name] = [{key: (f"{value}~{copy}" if key in ids and value is not None else value)
                      for key, value in row.items()}
                     for copy in range(k) for row in table]
    return out


@FAST
@given(datasets(), st.integers(2, 4))
def test_rates_and_percentages_are_unchanged_when_population_and_records_scale(rows, k):
    one = indicators_at(tables(**rows), YEAR_END, LA)
    many = indicators_at(tables(population=10_000 * k, **_copies(rows, k)), YEAR_END, LA)
    for name, value in one.items():
        for key in ("rate_per_10k", "percent"):
            if key in value:
                assert many[name][key] == value[key], (name, key)
        if "count" in value and "days" not in value:
            assert many[name]["count"] == k * value["count"], name

