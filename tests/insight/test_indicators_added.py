"""Known answers for the indicators added with the comparisons: front-door RAG mix and
time to decision, assessment outcomes, CP reviews and categories, CIN seen alone,
looked-after legal status, placement mix, reviews, visits and cost, and the workforce."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from insight_builders import (
    allocation,
    assessment,
    cla_review,
    contact,
    cp_plan,
    episode,
    review_conference,
    tables,
    visit,
    worker,
)

from childrenmatter.clocks.calendar import add_working_days
from childrenmatter.insight.figures import indicators_at, indicators_by_month

YEAR_END = date(2025, 3, 31)


def at(data, when: date = YEAR_END) -> dict:
    return indicators_at(data, when, "806")


def month(data, which: str) -> dict:
    first = date.fromisoformat(f"{which}-01")
    return indicators_by_month(data, first, first, "806")[which]


def share(numerator: int, denominator: int, percent: float | None) -> dict:
    return {"percent": percent, "numerator": numerator, "denominator": denominator}


def test_rag_mix_is_of_the_contacts_with_a_rating():
    may = datetime(2024, 5, 2, 9)
    rows = [contact(child, may, may + timedelta(hours=1), rag=rag)
            for child, rag in (("a", "red"), ("b", "amber"), ("c", "green"), ("d", None),
                               ("e", "red"))]
    figures = month(tables(contacts=rows), "2024-05")
    assert figures["contacts_rag_red"] == share(2, 4, 50.0)
    assert figures["contacts_rag_amber"] == share(1, 4, 25.0)
    assert figures["contacts_rag_green"] == share(1, 4, 25.0)


def test_time_to_decision_is_the_median_of_clock_hours_of_decided_contacts():
    def received(day: int) -> datetime:
        return datetime(2024, 5, day, 9)

    rows = [
        contact("a", received(1), received(1) + timedelta(hours=2)),
        contact("b", received(2), received(2) + timedelta(hours=24)),  # over a night
        contact("c", received(3), received(3) + timedelta(minutes=30)),
        contact("d", received(6), None),  # undecided: not in the median
    ]
    figures = month(tables(contacts=rows), "2024-05")
    assert figures["contact_median_hours_to_decision"] == {"hours": 2.0, "count": 3}
    # An even number of contacts: the mean of the middle two (2 and 10 hours).
    rows.append(contact("e", received(7), received(7) + timedelta(hours=10)))
    figures = month(tables(contacts=rows), "2024-05")
    assert figures["contact_median_hours_to_decision"] == {"hours": 6.0, "count": 4}


def test_assessment_outcomes_are_shares_of_assessments_authorised():
    referred = date(2024, 4, 2)
    rows = [assessment(child, referred, date(2024, 5, 10), n, outcome=outcome)
            for n, (child, outcome) in enumerate(
                (("a", "cin_plan"), ("b", "cin_plan"), ("c", "nfa"), ("d", None)))]
    rows.append(assessment("e", referred, date(2024, 6, 3), 9, outcome="nfa"))  # June
    figures = month(tables(assessments=rows), "2024-05")
    assert figures["assessments_leading_to_cin_plan"] == share(2, 4, 50.0)
    assert figures["assessments_no_further_action"] == share(1, 4, 25.0)
    assert figures["assessments_leading_to_strategy_discussion"] == share(0, 4, 0.0)


def test_cp_reviews_are_in_time_until_3_months_after_the_start_then_6_after_a_review():
    plans = {
        "a": date(2025, 1, 10),  # no review, due 10 April: in time
        "b": date(2024, 11, 1),  # no review, was due 1 February: late
        "c": date(2024, 6, 1),  # reviewed 1 Sep, next due 1 March: late
        "d": date(2024, 6, 1),  # reviewed 1 Sep and 1 Feb, next due 1 August: in time
        "e": date(2024, 12, 31),  # due 31 March, the day itself: not yet overdue
        "f": date(2024, 10, 1),  # its review after the day does not count: late
    }
    reviews = [review_conference("c", plans["c"], date(2024, 9, 1)),
               review_conference("d", plans["d"], date(2024, 9, 1)),
               review_conference("d", plans["d"], date(2025, 2, 1)),
               review_conference("f", plans["f"], date(2025, 4, 15))]
    data = tables(cp_plans=[cp_plan(child, start) for child, start in plans.items()],
                  cp_conferences=reviews)
    assert at(data)["cp_reviews_in_time"] == share(3, 6, 50.0)


def test_categories_of_abuse_are_shares_of_plans_open_on_the_day():
    start = date(2024, 10, 1)
    plans = [cp_plan("a", start, category="NEG"), cp_plan("b", start, category="NEG"),
             cp_plan("c", start, category="EMO"), cp_plan("d", start, category="MUL"),
             cp_plan("e", start, YEAR_END, category="PHY")]  # ends on the day: not open
    figures = at(tables(cp_plans=plans))
    assert figures["cp_category_neglect"] == share(2, 4, 50.0)
    assert figures["cp_category_emotional"] == share(1, 4, 25.0)
    assert figures["cp_category_physical"] == share(0, 4, 0.0)
    assert figures["cp_category_sexual"] == share(0, 4, 0.0)
    assert figures["cp_category_multiple"] == share(1, 4, 25.0)


def test_cin_seen_alone_is_of_cin_visits_where_the_child_was_seen():
    on = date(2024, 5, 14)
    visits = [visit("a", on, "cin", alone=True), visit("b", on, "cin", alone=False),
              visit("c", on, "cin", seen=False), visit("d", on, "cp", alone=True)]
    assert month(tables(visits=visits), "2024-05")["cin_seen_alone"] == share(1, 2, 50.0)


def test_legal_status_placement_mix_and_cost_of_children_looked_after_on_the_day():
    start = date(2024, 1, 1)
    episodes = [
        episode("a", start, ls="C2", place="U4", cost=1000.4),
        episode("b", start, ls="V2", place="K2", cost=3000.6),
        episode("c", start, ls="E1", place="U1"),
        episode("d", start, ls="C1", place="R1", cost=2000.0),
        episode("e", start, ls="V3", place="U1", cost=500.0),  # short breaks: not counted
        episode("f", start, YEAR_END, ls="C2", place="U4"),  # ends on the day
    ]
    figures = at(tables(episodes=episodes))
    assert figures["looked_after_on_care_orders"] == share(2, 4, 50.0)
    assert figures["looked_after_on_section_20"] == share(1, 4, 25.0)
    assert figures["looked_after_placement_orders"] == share(1, 4, 25.0)
    assert figures["looked_after_in_foster_care"] == share(2, 4, 50.0)
    assert figures["looked_after_in_residential_care"] == share(2, 4, 50.0)
    # Whole pounds: 1000 + 3001 + 2000 = 6001 over 3 placements with a cost.
    assert figures["placement_cost_per_week"] == {"average": 2000.3, "numerator": 6001,
                                                  "denominator": 3}


def test_looked_after_reviews_first_within_20_working_days_then_3_then_6_months():
    began = {"a": date(2025, 3, 10), "b": date(2025, 2, 3), "c": date(2024, 10, 1),
             "d": date(2024, 6, 3), "e": date(2024, 12, 2), "f": date(2024, 12, 2),
             "g": date(2025, 1, 6)}
    # a: no review yet, due 20 working days after 10 March (in April): in time.
    assert add_working_days(began["a"], 20) > YEAR_END
    # b: no review, due 20 working days after 3 February (3 March): late.
    assert add_working_days(began["b"], 20) < YEAR_END
    reviews = [
        cla_review("c", date(2024, 10, 20)),  # one review: next due 20 January: late
        cla_review("d", date(2024, 6, 20)), cla_review("d", date(2024, 9, 15)),
        cla_review("d", date(2025, 1, 10)),  # due 10 July: in time
        cla_review("e", date(2024, 12, 20)),  # second due 20 March: late
        cla_review("f", date(2024, 12, 31)),  # second due 31 March, the day: in time
        cla_review("g", date(2024, 11, 1)),  # before care began: not this period's
    ]
    data = tables(episodes=[episode(child, on) for child, on in began.items()],
                  cla_reviews=reviews)
    assert at(data)["cla_reviews_in_time"] == share(3, 7, 42.9)


def test_looked_after_visits_within_6_weeks_for_children_placed_over_a_week_before():
    placed = date(2024, 1, 1)
    episodes = [episode("a", date(2025, 3, 28)),  # placed 3 days before: not counted
                episode("b", placed), episode("c", placed), episode("d", placed),
                episode("e", placed)]
    visits = [
        visit("b", date(2025, 2, 17), "cla"),  # 42 days before: in time
        visit("c", date(2025, 2, 16), "cla"),  # 43 days before: late
        visit("d", date(2025, 1, 1), "cla"), visit("d", date(2025, 3, 1), "cla", seen=False),
        visit("e", date(2025, 3, 20), "cp"),  # not a looked-after visit
    ]
    figures = at(tables(episodes=episodes, visits=visits))
    assert figures["cla_visits_in_time"] == share(1, 4, 25.0)


def test_caseload_per_team_counts_a_child_once_in_each_team():
    workers = [worker("W1", team="T1"), worker("W2", team="T1"), worker("W3", team="T2"),
               worker("W4", team="T3")]  # T3 holds nobody: not a case-holding team
    start = date(2024, 6, 1)
    allocations = [allocation("a", "W1", start), allocation("b", "W1", start),
                   allocation("c", "W2", start), allocation("d", "W3", start),
                   {**allocation("a", "W2", date(2024, 7, 1))}]  # a again, same team
    figures = at(tables(workers=workers, allocations=allocations))
    assert figures["caseload_per_team"] == {"average": 2.0, "numerator": 4,
                                            "denominator": 2}


def test_newly_qualified_workers_hold_15_children_or_fewer():
    workers = [
        worker("W1", qualified=date(2024, 6, 1)),  # 16 children: not protected
        worker("W2", qualified=date(2024, 9, 1)),  # 2 children
        worker("W3", qualified=date(2024, 3, 31)),  # a year ago exactly: not newly
        worker("W4", qualified=date(2025, 1, 1), role="team_manager"),  # not a social worker
        worker("W5", qualified=date(2024, 12, 1)),  # no children
    ]
    start = date(2024, 10, 1)
    allocations = ([allocation(f"c{n}", "W1", start) for n in range(16)]
                   + [allocation(f"d{n}", "W2", start) for n in range(2)]
                   + [allocation(f"e{n}", "W3", start) for n in range(20)])
    figures = at(tables(workers=workers, allocations=allocations))
    assert figures["newly_qualified_protected_caseloads"] == share(2, 3, 66.7)
