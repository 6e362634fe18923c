"""Every indicator of the monthly pack, defined once (DOMAIN.md, "Indicators").

Each definition follows the DfE's published statistics where the DfE publishes the figure
(Children in need, Children looked after in England, Children's social work workforce), and
DOMAIN.md's local standards where it does not. Where the DfE's rule needs data the dataset
does not hold, or is ambiguous, the choice made is written in the indicator's fields, which
``docs/indicators.md`` shows.
"""

from __future__ import annotations

from datetime import timedelta

import polars as pl

from childrenmatter.clocks.calendar import (
    add_working_days_expr,
    working_days_between,
    working_days_between_expr,
)
from childrenmatter.clocks.rules import RULES
from childrenmatter.dataset.codes import (
    CONNECTED_PERSON_PLACEMENTS,
    FOSTER_PLACEMENTS,
    RESIDENTIAL_PLACEMENTS,
    SUITABLE_ACCOMMODATION,
    TEMPORARY_PLACEMENTS,
)
from childrenmatter.insight.registry import (
    Compute,
    Indicator,
    Tables,
    Unit,
    Window,
    count_rows,
    count_share,
    events_in,
    memo,
    open_on_end,
)
from childrenmatter.insight.stock import SHORT_BREAKS

KEY = ["la_code", "child_id"]

CIN_STATISTICS = "DfE, Children in need statistics (CIN census)"
CLA_STATISTICS = "DfE, Children looked after in England statistics (SSDA903)"
WORKFORCE_STATISTICS = "DfE, Children's social work workforce statistics"

# Timescales: the statutory and local defaults of clocks.rules, which also sets the due
# dates of individual records, so a case's clock and the indicator cannot disagree.
ASSESSMENT_WORKING_DAYS = RULES["assessment"].amount  # 45
ICPC_WORKING_DAYS = RULES["icpc"].amount  # 15
CONTACT_DECISION_WORKING_DAYS = RULES["contact_decision"].amount  # 1
# 72 hours; the dataset holds the dates of return and offer, not times, so 3 calendar days.
RETURN_INTERVIEW_DAYS = RULES["return_interview"].amount // 24
PLACEMENT_DISTANCE_MILES = 20

# Episodes that start a new placement (903 RNE): a child starting to be looked after, or a
# change of placement with or without a change of legal status. L is legal status only.
NEW_PLACEMENT_REASONS = ("S", "P", "T", "U", "B")
# Care leavers' activities that are education, employment or training: every code of the
# OC3 ACTIV list except G4-G6 (NEET) and 0 (not known).
NOT_EET_ACTIVITIES = ("G4", "G5", "G6", "0")


def _looked_after(tables: Tables) -> pl.DataFrame:
    """Episodes that count as being looked after: not short breaks (V3, V4)."""
    return tables["episodes"].filter(~pl.col("ls").is_in(SHORT_BREAKS))


def _one_per_child(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.unique(subset=[*KEY, "period"], keep="first", maintain_order=True)


# --- Stock figures (stock.py): the four keys of `indicators --at` -------------------------


def _open_children(tables: Tables, periods: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """(la_code, child_id, period) of records open on each period's last day, by table,
    by stock.py's rules (``stock_counts``); a child may appear more than once."""
    def make() -> dict[str, pl.DataFrame]:
        def open_records(frame: pl.DataFrame, start: str, end: str) -> pl.DataFrame:
            return open_on_end(frame.select(*KEY, start, end), start, end, periods).select(
                *KEY, "period")

        return {
            "looked_after": open_records(_looked_after(tables), "decom", "dec"),
            "cp_plans": open_records(tables["cp_plans"], "start_date", "end_date"),
            "open_cin": open_records(tables["referrals"], "referral_date", "closure_date"),
        }
    return memo(tables, ("stock",), periods, make)


def count_children(frame: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
    """Distinct children per area and period. Counting within each authority and then
    adding is right because a child is (la_code, child_id), and much faster than making
    the rows unique first."""
    per_authority = frame.group_by("la_code", "period").agg(
        pl.col("child_id").n_unique().alias("count"))
    return per_authority.group_by(area.alias("area"), "period").agg(pl.col("count").sum())


def _stock(name: str) -> Compute:
    def compute(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
        records = _open_children(tables, periods)
        looked_after, cp_plans = records["looked_after"], records["cp_plans"]
        if name in ("looked_after", "cp_plans"):
            return count_children(records[name], area)
        everyone = count_children(pl.concat([records["open_cin"], cp_plans, looked_after]),
                                  area)
        if name == "cin_dfe":
            return everyone
        # Those in need who are neither on a plan nor looked after: everyone in need
        # less those on a plan or looked after (who are all among everyone).
        either = count_children(pl.concat([cp_plans, looked_after]), area)
        return everyone.join(either, on=["area", "period"], how="left", suffix="_either"
                             ).select("area", "period", (pl.col("count") - pl.col(
                                 "count_either").fill_null(0)).alias("count"))
    return compute


# --- Front door ---------------------------------------------------------------------------


def _contacts(tables: Tables, periods: pl.DataFrame) -> pl.DataFrame:
    def make() -> pl.DataFrame:
        contacts = tables["contacts"].with_columns(
            pl.col("contact_datetime").dt.date().alias("contact_date"))
        return events_in(contacts, "contact_date", periods)
    return memo(tables, ("contacts",), periods, make)


def contacts(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
    return count_rows(_contacts(tables, periods), area)


def contacts_decided_in_time(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
    due = add_working_days_expr("contact_date", CONTACT_DECISION_WORKING_DAYS)
    in_time = pl.col("decision_datetime").dt.date() <= due
    return count_share(_contacts(tables, periods), area, in_time)


def contacts_to_referral(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
    referred = pl.col("outcome").is_in(["referral", "strategy_discussion"])
    return count_share(_contacts(tables, periods), area, referred)


def repeat_contacts(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
    history = tables["contacts"].select(
        *KEY, pl.col("contact_datetime").dt.date().alias("contact_date"))
    received = _with_previous_day(_contacts(tables, periods), history, "contact_date")
    return count_share(received, area, _within_12_months("contact_date"))


# --- Referrals ----------------------------------------------------------------------------


def referrals(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
    return count_rows(events_in(tables["referrals"], "referral_date", periods), area)


def _with_previous_day(received: pl.DataFrame, history: pl.DataFrame,
                       column: str) -> pl.DataFrame:
    """``received`` with ``previous``: the child's latest ``column`` date in ``history``
    on an earlier day within the 12 months before (two events of one child on one day are
    one event, not a repeat). An earlier event further back is not looked for: it could
    not make this one a repeat within 12 months, and leaving out years of history is what
    keeps this fast."""
    if received.height == 0:
        return received.with_columns(pl.lit(None, dtype=pl.Date).alias("previous"))
    first, last = received[column].min(), received[column].max()
    earlier = history.filter(pl.col(column).is_between(
        pl.lit(first).dt.offset_by("-12mo"), pl.lit(last))
    ).select(*KEY, pl.col(column).alias("previous")).sort("previous")
    # For each event, the child's latest event on an earlier day: an as-of join by child
    # needs no sort by child, which over millions of string keys is the slow part.
    return received.sort(column).join_asof(
        earlier, left_on=column, right_on="previous", by=KEY, strategy="backward",
        allow_exact_matches=False, check_sortedness=False)  # both sorted by date above


def _within_12_months(column: str) -> pl.Expr:
    """On or before the anniversary of the previous event: exactly 12 months counts.
    (Null, so not within, when there was no event in the 12 months before.)"""
    return pl.col(column) <= pl.col("previous").dt.offset_by("12mo")


def re_referrals(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
    received = events_in(tables["referrals"], "referral_date", periods)
    received = _with_previous_day(received, tables["referrals"], "referral_date")
    return count_share(received, area, _within_12_months("referral_date"))


# --- Assessments --------------------------------------------------------------------------


def _authorised_assessments(tables: Tables, periods: pl.DataFrame) -> pl.DataFrame:
    def make() -> pl.DataFrame:
        authorised = events_in(tables["assessments"], "authorised_date", periods)
        referral_dates = tables["referrals"].select("la_code", "referral_id", "referral_date")
        return authorised.join(referral_dates, on=["la_code", "referral_id"], how="left"
                               ).with_columns(working_days_between_expr(
                                   "referral_date", "authorised_date").alias("working_days"))
    return memo(tables, ("assessments",), periods, make)


def assessments_completed(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
    return count_rows(events_in(tables["assessments"], "authorised_date", periods), area)


def assessments_in_time(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
    in_time = pl.col("working_days") <= ASSESSMENT_WORKING_DAYS
    return count_share(_authorised_assessments(tables, periods), area, in_time)


def assessment_median_days(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
    rows = _authorised_assessments(tables, periods)
    return rows.group_by(area.alias("area"), "period").agg(
        pl.col("working_days").median().alias("days"), pl.len().alias("count"))


# --- Section 47 ---------------------------------------------------------------------------


def section_47(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
    return count_rows(events_in(tables["section_47_enquiries"], "start_date", periods), area)


def section_47_to_icpc(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
    started = events_in(tables["section_47_enquiries"], "start_date", periods)
    return count_share(started, area, pl.col("icpc_date").is_not_null())


def icpc_in_time(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
    held = events_in(tables["section_47_enquiries"], "icpc_date", periods)
    in_time = working_days_between_expr("start_date", "icpc_date") <= ICPC_WORKING_DAYS
    return count_share(held, area, in_time)


# --- Child protection ---------------------------------------------------------------------


def cp_plan_starts(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
    return count_rows(events_in(tables["cp_plans"], "start_date", periods), area)


def cp_second_plans(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
    # NumberOfPreviousCPP comes from the case record, which may hold plans from before the
    # dataset's history; an earlier plan in the dataset counts even if that field is 0.
    plans = tables["cp_plans"].with_columns(
        (pl.col("start_date").rank("min").over(KEY) > 1).alias("_earlier_plan"))
    second = (pl.col("previous_plans").fill_null(0) > 0) | pl.col("_earlier_plan")
    return count_share(events_in(plans, "start_date", periods), area, second)


def cp_ended_two_years(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
    ended = events_in(tables["cp_plans"], "end_date", periods)
    lasted = pl.col("end_date") >= pl.col("start_date").dt.offset_by("2y")
    return count_share(ended, area, lasted)


def working_days_cutoff(periods: pl.DataFrame, days: int) -> pl.DataFrame:
    """``periods`` with ``cutoff``: the earliest date ``d`` with at most ``days`` working
    days after it up to the window's last day, so that for any date
    ``working_days_between(d, window_end) <= days`` is ``d >= cutoff``. One date per
    period, worked out with the calendar once, in place of counting working days on
    millions of rows."""
    cutoffs = []
    for end in periods["window_end"].to_list():
        day = end
        while working_days_between(day - timedelta(days=1), end) <= days:
            day -= timedelta(days=1)
        cutoffs.append(day)
    return periods.with_columns(pl.Series("cutoff", cutoffs, dtype=pl.Date))


def _seen_on_visits(tables: Tables, visit_type: str) -> pl.DataFrame:
    """(la_code, child_id, visit_date) of visits of a type at which the child was seen,
    sorted by date: shared by the indicators of that type in one evaluation."""
    def make() -> pl.DataFrame:
        return tables["visits"].filter(
            (pl.col("visit_type") == visit_type) & pl.col("seen")
        ).select(*KEY, "visit_date", "seen_alone").sort("visit_date")
    return memo(tables, ("seen", visit_type), pl.DataFrame(
        schema={"period": pl.UInt32, "window_start": pl.Date, "window_end": pl.Date}), make)


def _visited_in_time(plans: str, visit_type: str, rule: str) -> Compute:
    """Children on a plan on the period's last day, already on it for longer than the
    visiting interval, who were seen on a visit within that many working days."""
    interval = RULES[rule].amount

    def compute(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
        windows = working_days_cutoff(periods, interval)
        on_plan = open_on_end(tables[plans].select(*KEY, "start_date", "end_date"),
                              "start_date", "end_date", windows)
        # On the plan for more than the interval: started before the cutoff.
        on_plan = on_plan.join(windows.select("period", "cutoff"), on="period").filter(
            pl.col("start_date") < pl.col("cutoff")).group_by(
            *KEY, "period", "window_end", "cutoff").agg(pl.col("start_date").min())
        # A visit can only be in time if it falls after the earliest cutoff: leaving out
        # older ones keeps the join smaller.
        seen = _seen_on_visits(tables, visit_type).filter(pl.col("visit_date").is_between(
            windows["cutoff"].min(), windows["window_end"].max())).select(
            *KEY, pl.col("visit_date").alias("last_seen"))
        rows = on_plan.sort("window_end").join_asof(
            seen, left_on="window_end", right_on="last_seen", by=KEY, strategy="backward",
            check_sortedness=False)  # both sorted by date above
        return count_share(rows, area, pl.col("last_seen") >= pl.col("cutoff"))
    return compute


# --- Looked after -------------------------------------------------------------------------


def looked_after_starts(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
    starts = _looked_after(tables).filter(pl.col("rne") == "S")
    return count_rows(events_in(starts, "decom", periods), area)


def looked_after_ceased(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
    # X1: the episode ended and another began the same day, so the child is still in care.
    ceased = _looked_after(tables).filter(pl.col("rec").is_not_null() & (pl.col("rec") != "X1"))
    return count_rows(events_in(ceased, "dec", periods), area)


def _in_care_at_end(tables: Tables, periods: pl.DataFrame) -> pl.DataFrame:
    # Only the last day matters, so the month and the 12 months ending on it share one.
    ends = periods.with_columns(pl.col("window_end").alias("window_start"))
    return memo(tables, ("in_care",), ends, lambda: _one_per_child(
        open_on_end(_looked_after(tables), "decom", "dec", ends)))


def connected_person_placements(
    tables: Tables, periods: pl.DataFrame, area: pl.Expr
) -> pl.DataFrame:
    in_care = _in_care_at_end(tables, periods)
    return count_share(in_care, area, pl.col("place").is_in(CONNECTED_PERSON_PLACEMENTS))


def placed_outside(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
    in_care = _in_care_at_end(tables, periods).filter(pl.col("pl_location").is_not_null())
    return count_share(in_care, area, pl.col("pl_location") == "OUT")


def placed_over_20_miles(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
    in_care = _in_care_at_end(tables, periods).filter(pl.col("pl_distance").is_not_null())
    return count_share(in_care, area, pl.col("pl_distance") > PLACEMENT_DISTANCE_MILES)


def three_or_more_placements(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
    # `periods` here are the 12 months ending on each period's last day (Window.YEAR_TO_END).
    episodes = _looked_after(tables)
    in_care = _in_care_at_end(tables, periods).select(*KEY, "period").join(
        periods.select("period", "window_start", "window_end"), on="period").with_columns(
        pl.col("window_start").dt.offset_by("-1d").alias("day_before"))
    # The placement the child was in when the year began: open on the day before it, so
    # one that ended on the year's first day (and was held that day) counts. Episodes of
    # a child do not overlap, so the one that started last by then is the one to look at.
    started = episodes.select(*KEY, "decom", "dec").sort("decom")
    rows = in_care.sort("day_before").join_asof(
        started, left_on="day_before", right_on="decom", by=KEY, strategy="backward",
        check_sortedness=False)  # both sorted by date above
    held = (pl.col("decom").is_not_null()
            & (pl.col("dec").is_null() | (pl.col("dec") > pl.col("day_before"))))
    rows = rows.with_columns(held.cast(pl.UInt32).alias("held")).drop("decom", "dec")
    # ...and each new placement that started in the year, temporary moves apart: the
    # child's running count of new placements on the year's last day, less that on the
    # day before it began (a running count looked up twice, where expanding each
    # placement into every year it falls in would make a row per placement and month).
    new = (episodes.filter(pl.col("rne").is_in(NEW_PLACEMENT_REASONS)
                           & ~pl.col("place").is_in(TEMPORARY_PLACEMENTS))
           .group_by(*KEY, "decom").len("on_day")
           .sort(*KEY, "decom")
           .with_columns(pl.col("on_day").cum_sum().over(KEY).alias("so_far"))
           .select(*KEY, "decom", "so_far").sort("decom"))
    for day, name in (("window_end", "by_end"), ("day_before", "by_start")):
        rows = rows.sort(day).join_asof(
            new.rename({"so_far": name}), left_on=day, right_on="decom", by=KEY,
            strategy="backward", check_sortedness=False).drop("decom")
    placements = (pl.col("held") + pl.col("by_end").fill_null(0)
                  - pl.col("by_start").fill_null(0))
    return count_share(rows, area, placements >= 3)


def long_term_stability(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
    in_care = _in_care_at_end(tables, periods).select(
        *KEY, "period", "period_of_care_id", "window_end")
    births = tables["children"].select(*KEY, "date_of_birth")
    episodes = _looked_after(tables)
    care_began = episodes.group_by(*KEY, "period_of_care_id").agg(
        pl.col("decom").min().alias("care_began"))
    placed = (episodes.filter(pl.col("rne").is_in(NEW_PLACEMENT_REASONS)
                              & ~pl.col("place").is_in(TEMPORARY_PLACEMENTS))
              .select(*KEY, pl.col("decom").alias("placed_on")).unique().sort("placed_on"))
    # The current placement began on the latest placement start on or before the day.
    rows = (
        in_care.join(births, on=KEY, how="left")
        .join(care_began, on=[*KEY, "period_of_care_id"], how="left")
        .sort("window_end")
        .join_asof(placed, left_on="window_end", right_on="placed_on", by=KEY,
                   strategy="backward", check_sortedness=False)  # sorted by the day above
        .filter(pl.col("date_of_birth").dt.offset_by("16y") > pl.col("window_end"))
        .filter(pl.col("care_began") <= pl.col("window_end").dt.offset_by("-30mo"))
    )
    stable = pl.col("placed_on") <= pl.col("window_end").dt.offset_by("-2y")
    return count_share(rows, area, stable)


def missing_episodes(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
    missing = tables["missing_episodes"].filter(pl.col("missing") == "M")
    return count_rows(events_in(missing, "start_date", periods), area)


def return_interviews_in_time(
    tables: Tables, periods: pl.DataFrame, area: pl.Expr
) -> pl.DataFrame:
    ended = events_in(tables["missing_episodes"].filter(pl.col("missing") == "M"),
                      "end_date", periods)
    offered = pl.col("return_interview_offered_date")
    in_time = offered.is_not_null() & (
        offered <= pl.col("end_date").dt.offset_by(f"{RETURN_INTERVIEW_DAYS}d"))
    return count_share(ended, area, in_time)


# --- Care leavers -------------------------------------------------------------------------


def _latest_care_leaver_contact(tables: Tables, periods: pl.DataFrame) -> pl.DataFrame:
    contacts = events_in(tables["care_leaver_contacts"], "contact_date", periods)
    return contacts.sort("contact_date").group_by(*KEY, "period").last()


def care_leavers_in_touch(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
    latest = _latest_care_leaver_contact(tables, periods)
    return count_share(latest, area, pl.col("in_touch") == "YES")


def care_leavers_suitable_accommodation(
    tables: Tables, periods: pl.DataFrame, area: pl.Expr
) -> pl.DataFrame:
    latest = _latest_care_leaver_contact(tables, periods)
    return count_share(latest, area, pl.col("accommodation").is_in(SUITABLE_ACCOMMODATION))


def care_leavers_eet(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
    latest = _latest_care_leaver_contact(tables, periods)
    eet = pl.col("activity").is_not_null() & ~pl.col("activity").is_in(NOT_EET_ACTIVITIES)
    return count_share(latest, area, eet)


# --- Workforce ----------------------------------------------------------------------------


def caseload_per_worker(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
    allocated = _allocated_at_end(tables, periods)
    per_authority = allocated.group_by("la_code", "period").agg(
        pl.col("child_id").n_unique().alias("numerator"),
        pl.col("worker_id").n_unique().alias("denominator"),
    )
    return per_authority.group_by(area.alias("area"), "period").agg(
        pl.col("numerator", "denominator").sum())


def agency_workers(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
    in_post = open_on_end(tables["workers"].filter(pl.col("role") != "early_help_worker"),
                          "start_date", "end_date", periods)
    return count_share(in_post, area, pl.col("agency"))


# --- Added measures: front door RAG and timing, assessment outcomes, CP reviews and
# categories, CIN seen alone, looked-after mix, reviews, visits and cost, workforce -------

# Legal statuses (903 LS): care orders (interim C1, full C2); accommodated under section 20
# (V2); placement orders and freeing orders (E1, D1), as grouped in the DfE's tables.
CARE_ORDERS = ("C1", "C2")
SECTION_20 = ("V2",)
PLACEMENT_ORDERS = ("E1", "D1")
# Newly qualified: qualified within the 12 months before the day (the ASYE year). A
# protected caseload: reasoned local standard of at most 15 children in that year (the
# ASYE framework asks for a protected caseload without fixing a number).
NEWLY_QUALIFIED_MONTHS = 12
PROTECTED_CASELOAD = 15
# Looked-after visits (Care Planning Regulations 2010, reg. 28): within a week of a
# placement starting, then at intervals of at most 6 weeks in its first year. Measured
# here as: seen within the last 6 weeks, for children placed more than a week before.
CLA_VISIT_FIRST_DAYS = RULES["cla_visit_first"].amount  # 7
CLA_VISIT_INTERVAL_DAYS = RULES["cla_visit_next"].amount * 7  # 6 weeks
FIRST_CLA_REVIEW_WORKING_DAYS = RULES["first_cla_review"].amount  # 20
SECOND_CLA_REVIEW_MONTHS = RULES["second_cla_review"].amount  # 3
NEXT_CLA_REVIEW_MONTHS = RULES["next_cla_review"].amount  # 6
FIRST_RCPC_MONTHS = RULES["first_rcpc"].amount  # 3
NEXT_RCPC_MONTHS = RULES["next_rcpc"].amount  # 6


def _contacts_rag(colour: str) -> Compute:
    def compute(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
        rated = _contacts(tables, periods).filter(pl.col("rag").is_not_null())
        return count_share(rated, area, pl.col("rag") == colour)
    return compute


def contact_hours_to_decision(tables: Tables, periods: pl.DataFrame,
                              area: pl.Expr) -> pl.DataFrame:
    decided = _contacts(tables, periods).filter(pl.col("decision_datetime").is_not_null())
    hours = ((pl.col("decision_datetime") - pl.col("contact_datetime")).dt.total_minutes()
             / 60).alias("hours_to_decision")
    return decided.with_columns(hours).group_by(area.alias("area"), "period").agg(
        pl.col("hours_to_decision").median().alias("hours"), pl.len().alias("count"))


def _assessment_outcome(outcome: str) -> Compute:
    def compute(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
        return count_share(_authorised_assessments(tables, periods), area,
                           pl.col("outcome") == outcome)
    return compute


def _plans_open_at_end(tables: Tables, periods: pl.DataFrame) -> pl.DataFrame:
    plans = tables["cp_plans"].select(*KEY, "cp_plan_id", "start_date", "end_date",
                                      "latest_category")
    return memo(tables, ("plans_open",), periods,
                lambda: open_on_end(plans, "start_date", "end_date", periods))


def cp_reviews_in_time(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
    on_plan = _plans_open_at_end(tables, periods)
    reviews = tables["cp_conferences"].filter(
        (pl.col("conference_type") == "review") & pl.col("cp_plan_id").is_not_null()
    ).select("la_code", "cp_plan_id", pl.col("conference_date").alias("reviewed"))
    # The plan's latest review on or before the day.
    rows = on_plan.sort("window_end").join_asof(
        reviews.rename({"reviewed": "last_review"}).sort("last_review"),
        left_on="window_end", right_on="last_review", by=["la_code", "cp_plan_id"],
        strategy="backward", check_sortedness=False)  # both sorted by date above
    due = (pl.when(pl.col("last_review").is_null())
           .then(pl.col("start_date").dt.offset_by(f"{FIRST_RCPC_MONTHS}mo"))
           .otherwise(pl.col("last_review").dt.offset_by(f"{NEXT_RCPC_MONTHS}mo")))
    return count_share(rows, area, due >= pl.col("window_end"))


def _cp_category(code: str) -> Compute:
    def compute(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
        return count_share(_plans_open_at_end(tables, periods), area,
                           pl.col("latest_category") == code)
    return compute


def cin_seen_alone(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
    visits = _seen_on_visits(tables, "cin")
    return count_share(events_in(visits, "visit_date", periods), area, pl.col("seen_alone"))


def _in_care_share(predicate: pl.Expr) -> Compute:
    def compute(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
        return count_share(_in_care_at_end(tables, periods), area, predicate)
    return compute


def _care_began(tables: Tables) -> pl.DataFrame:
    return _looked_after(tables).group_by(*KEY, "period_of_care_id").agg(
        pl.col("decom").min().alias("care_began"))


def cla_reviews_in_time(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
    in_care = _in_care_at_end(tables, periods).select(
        *KEY, "period", "period_of_care_id", "window_end").join(
        _care_began(tables), on=[*KEY, "period_of_care_id"], how="left")
    # Each review with the child's review before it: the latest review on or before the
    # day then says, with the one before, whether the period of care has had none, one
    # or more reviews, without joining every review to every month.
    reviews = (tables["cla_reviews"].select(*KEY, pl.col("review_date").alias("last_review"))
               .sort(*KEY, "last_review")
               .with_columns(pl.col("last_review").shift(1).over(KEY).alias("before_last"))
               .sort("last_review"))
    rows = in_care.sort("window_end").join_asof(
        reviews, left_on="window_end", right_on="last_review", by=KEY, strategy="backward",
        check_sortedness=False)  # both sorted by date above
    began = pl.col("care_began")
    reviews_in_care = (pl.when(pl.col("last_review").is_null() | (pl.col("last_review") < began))
                       .then(0)
                       .when(pl.col("before_last").is_null() | (pl.col("before_last") < began))
                       .then(1).otherwise(2))
    due = (pl.when(reviews_in_care == 0)
           .then(add_working_days_expr("care_began", FIRST_CLA_REVIEW_WORKING_DAYS))
           .when(reviews_in_care == 1)
           .then(pl.col("last_review").dt.offset_by(f"{SECOND_CLA_REVIEW_MONTHS}mo"))
           .otherwise(pl.col("last_review").dt.offset_by(f"{NEXT_CLA_REVIEW_MONTHS}mo")))
    return count_share(rows, area, due >= pl.col("window_end"))


def cla_visits_in_time(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
    in_care = _in_care_at_end(tables, periods).select(*KEY, "period", "window_end")
    placed = (_looked_after(tables).filter(pl.col("rne").is_in(NEW_PLACEMENT_REASONS))
              .select(*KEY, pl.col("decom").alias("placed_on")).unique().sort("placed_on"))
    rows = in_care.sort("window_end").join_asof(
        placed, left_on="window_end", right_on="placed_on", by=KEY, strategy="backward",
        check_sortedness=False).filter(  # both sorted by date above
        pl.col("placed_on") < pl.col("window_end").dt.offset_by(f"-{CLA_VISIT_FIRST_DAYS}d"))
    earliest = periods["window_end"].min() - timedelta(days=CLA_VISIT_INTERVAL_DAYS)
    seen = _seen_on_visits(tables, "cla").filter(
        pl.col("visit_date").is_between(earliest, periods["window_end"].max())
    ).select(*KEY, pl.col("visit_date").alias("last_seen"))
    rows = rows.sort("window_end").join_asof(
        seen, left_on="window_end", right_on="last_seen", by=KEY, strategy="backward",
        check_sortedness=False)  # both sorted by date above
    in_time = pl.col("last_seen") >= pl.col("window_end").dt.offset_by(
        f"-{CLA_VISIT_INTERVAL_DAYS}d")
    return count_share(rows, area, in_time)


def placement_cost(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
    costed = _in_care_at_end(tables, periods).filter(pl.col("cost_per_week").is_not_null())
    return costed.group_by(area.alias("area"), "period").agg(
        pl.col("cost_per_week").round(0).cast(pl.Int64).sum().alias("numerator"),
        pl.len().alias("denominator"))


def _allocated_at_end(tables: Tables, periods: pl.DataFrame) -> pl.DataFrame:
    """Allocations open on each period's last day: shared by the three caseload figures."""
    allocations = tables["allocations"].select(*KEY, "worker_id", "start_date", "end_date")
    return memo(tables, ("allocated",), periods,
                lambda: open_on_end(allocations, "start_date", "end_date", periods))


def caseload_per_team(tables: Tables, periods: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
    teams = tables["workers"].select("la_code", "worker_id", "team_id")
    allocated = _allocated_at_end(tables, periods).join(
        teams, on=["la_code", "worker_id"], how="inner")
    per_authority = allocated.group_by("la_code", "period").agg(
        pl.struct("team_id", "child_id").n_unique().alias("numerator"),
        pl.col("team_id").n_unique().alias("denominator"))
    return per_authority.group_by(area.alias("area"), "period").agg(
        pl.col("numerator", "denominator").sum())


def newly_qualified_protected(tables: Tables, periods: pl.DataFrame,
                              area: pl.Expr) -> pl.DataFrame:
    workers = tables["workers"].filter(
        (pl.col("role") == "social_worker") & pl.col("qualified_date").is_not_null())
    in_post = open_on_end(workers.select("la_code", "worker_id", "qualified_date",
                                         "start_date", "end_date"),
                          "start_date", "end_date", periods).filter(
        (pl.col("qualified_date") <= pl.col("window_end"))
        & (pl.col("qualified_date") > pl.col("window_end").dt.offset_by(
            f"-{NEWLY_QUALIFIED_MONTHS}mo")))
    caseloads = _allocated_at_end(tables, periods).group_by(
        "la_code", "worker_id", "period").agg(pl.col("child_id").n_unique().alias("children"))
    rows = in_post.join(caseloads, on=["la_code", "worker_id", "period"], how="left")
    return count_share(rows, area, pl.col("children").fill_null(0) <= PROTECTED_CASELOAD)


# --- The registry -------------------------------------------------------------------------

_STOCK_DATES = ("Open on the last day of the period: started on or before it and not ended "
                "by it (a record ending on that day is not counted).")
_IN_CARE_AT_END = ("Children looked after on the last day of the period (not on short "
                   "breaks, V3/V4), their placement that day")

def _cp_category_indicator(code: str, key: str, label: str) -> Indicator:
    """The share of open plans whose latest category of abuse is ``code``: five indicators
    that differ only in the category."""
    return Indicator(
        f"cp_category_{key}", f"Child protection plans: {label}",
        "Child protection", Unit.PERCENT, Window.AT_END,
        f"Plans open on the day whose latest category of abuse is {code}",
        f"Plans with latest category {code}",
        "Child protection plans open on the period's last day",
        _STOCK_DATES, f"{CIN_STATISTICS} (LatestCategoryOfAbuse)",
        ("cp_plans",), _cp_category(code),
    )


INDICATORS: tuple[Indicator, ...] = (
    # Front door
    Indicator(
        "contacts", "Contacts", "Front door", Unit.COUNT, Window.PERIOD,
        "Contacts received, one per child per contact", "Contacts received", "",
        "Date the contact was received falls in the period.",
        "DOMAIN.md (front door); Ofsted Annex A list 1",
        ("contacts",), contacts,
    ),
    Indicator(
        "contacts_decided_in_1_working_day", "Contacts decided within 1 working day",
        "Front door", Unit.PERCENT, Window.PERIOD,
        "Contacts received in the period whose threshold decision was made by the end of the "
        "first working day after the day received",
        "Contacts decided on or before the 1st working day after receipt",
        "Contacts received in the period (undecided ones count as not in time)",
        "Received in the period; working days per the clocks calendar (day 1 is the first "
        "working day after the day received).",
        "DOMAIN.md local standard (contact decision within 1 working day)",
        ("contacts",), contacts_decided_in_time,
    ),
    Indicator(
        "contacts_to_referral", "Contacts leading to a referral", "Front door", Unit.PERCENT,
        Window.PERIOD,
        "Contacts whose decision was a referral or a strategy discussion",
        "Contacts with outcome referral or strategy_discussion",
        "Contacts received in the period", "Received in the period.",
        "DOMAIN.md (front door: conversion to referral)",
        ("contacts",), contacts_to_referral,
    ),
    Indicator(
        "repeat_contacts_within_12_months", "Repeat contacts within 12 months", "Front door",
        Unit.PERCENT, Window.PERIOD,
        "Contacts about a child who had a contact (on an earlier day) at most 12 months before",
        "Contacts on or before the anniversary of the child's previous contact",
        "Contacts received in the period",
        "Received in the period; the previous contact may be at any earlier date.",
        "DOMAIN.md (front door: repeat contacts in 12 months)",
        ("contacts",), repeat_contacts,
    ),
    *(Indicator(
        f"contacts_rag_{colour}", f"Contacts rated {colour}", "Front door", Unit.PERCENT,
        Window.PERIOD,
        f"Contacts received in the period rated {colour} at screening",
        f"Contacts rated {colour}",
        "Contacts received in the period with a RAG rating recorded",
        "Received in the period.",
        "DOMAIN.md (front door: RAG mix; local RAG standards)",
        ("contacts",), _contacts_rag(colour),
    ) for colour in ("red", "amber", "green")),
    Indicator(
        "contact_median_hours_to_decision", "Median hours from contact to decision",
        "Front door", Unit.HOURS, Window.PERIOD,
        "Hours from receiving a contact to its threshold decision",
        "The median of those hours (minutes ÷ 60)",
        "Contacts received in the period that have a decision",
        "Received in the period; clock hours, not working hours.",
        "DOMAIN.md (front door: time to decision)",
        ("contacts",), contact_hours_to_decision,
    ),
    # Referrals
    Indicator(
        "referrals", "Referrals", "Referrals", Unit.RATE, Window.PERIOD,
        "Referrals to children's social care", "Referrals received",
        "Population aged 0-17 (rate per 10,000)",
        "Referral date falls in the period; population estimate in force on its last day.",
        CIN_STATISTICS, ("referrals",), referrals,
    ),
    Indicator(
        "re_referrals_within_12_months", "Re-referrals within 12 months", "Referrals",
        Unit.PERCENT, Window.PERIOD,
        "Referrals of a child whose previous referral (on an earlier day) was at most 12 "
        "months before",
        "Referrals on or before the anniversary of the child's previous referral (a child "
        "referred again exactly 12 months later is counted)",
        "Referrals received in the period",
        "Referral date falls in the period; the previous referral may be at any earlier date.",
        CIN_STATISTICS, ("referrals",), re_referrals,
    ),
    # Assessments
    Indicator(
        "assessments_completed", "Assessments completed", "Assessment", Unit.COUNT,
        Window.PERIOD,
        "Child and family assessments authorised", "Assessments authorised", "",
        "Authorisation date falls in the period.", CIN_STATISTICS,
        ("assessments",), assessments_completed,
    ),
    Indicator(
        "assessments_within_45_working_days", "Assessments authorised within 45 working days",
        "Assessment", Unit.PERCENT, Window.PERIOD,
        "Assessments authorised within 45 working days of the referral",
        "Assessments authorised on or before the 45th working day after the referral date "
        "(day 45 is in time, day 46 late)",
        "Assessments authorised in the period",
        "Authorisation date falls in the period; working days per the clocks calendar "
        "(England and Wales bank holidays).",
        f"{CIN_STATISTICS}; Working Together to Safeguard Children 2023",
        ("assessments", "referrals"), assessments_in_time,
    ),
    Indicator(
        "assessment_median_working_days", "Median working days from referral to assessment",
        "Assessment", Unit.DAYS, Window.PERIOD,
        "Working days from the referral to the assessment's authorisation",
        "The median of those working days",
        "Assessments authorised in the period",
        "Authorisation date falls in the period; working days per the clocks calendar.",
        CIN_STATISTICS, ("assessments", "referrals"), assessment_median_days,
    ),
    Indicator(
        "assessments_leading_to_cin_plan", "Assessments leading to a child in need plan",
        "Assessment", Unit.PERCENT, Window.PERIOD,
        "Assessments authorised in the period whose outcome was a child in need plan",
        "Assessments with outcome cin_plan",
        "Assessments authorised in the period (an outcome not recorded counts as not)",
        "Authorisation date falls in the period.",
        "DOMAIN.md (assessments: outcomes); outcome codes after SSD",
        ("assessments", "referrals"), _assessment_outcome("cin_plan"),
    ),
    Indicator(
        "assessments_leading_to_strategy_discussion",
        "Assessments leading to a strategy discussion", "Assessment", Unit.PERCENT, Window.PERIOD,
        "Assessments authorised in the period whose outcome was a strategy discussion",
        "Assessments with outcome strategy_discussion",
        "Assessments authorised in the period (an outcome not recorded counts as not)",
        "Authorisation date falls in the period.",
        "DOMAIN.md (assessments: outcomes); outcome codes after SSD",
        ("assessments", "referrals"), _assessment_outcome("strategy_discussion"),
    ),
    Indicator(
        "assessments_no_further_action", "Assessments with no further action", "Assessment",
        Unit.PERCENT, Window.PERIOD,
        "Assessments authorised in the period whose outcome was no further action",
        "Assessments with outcome nfa",
        "Assessments authorised in the period (an outcome not recorded counts as not)",
        "Authorisation date falls in the period.",
        "DOMAIN.md (assessments: outcomes); outcome codes after SSD",
        ("assessments", "referrals"), _assessment_outcome("nfa"),
    ),
    # Section 47
    Indicator(
        "section_47_enquiries", "Section 47 enquiries", "Child protection", Unit.RATE,
        Window.PERIOD,
        "Section 47 enquiries started", "Enquiries started",
        "Population aged 0-17 (rate per 10,000)",
        "Start date (the date of the strategy discussion) falls in the period.",
        CIN_STATISTICS, ("section_47_enquiries",), section_47,
    ),
    Indicator(
        "section_47_leading_to_icpc", "Section 47 enquiries leading to an ICPC",
        "Child protection", Unit.PERCENT, Window.PERIOD,
        "Section 47 enquiries after which an initial child protection conference was held",
        "Enquiries with an ICPC date", "Enquiries started in the period",
        "Enquiry started in the period; the conference may be held after it.",
        CIN_STATISTICS, ("section_47_enquiries",), section_47_to_icpc,
    ),
    Indicator(
        "icpc_within_15_working_days", "ICPCs within 15 working days", "Child protection",
        Unit.PERCENT, Window.PERIOD,
        "Initial child protection conferences held within 15 working days of the strategy "
        "discussion that started the section 47 enquiry",
        "Conferences on or before the 15th working day after the enquiry's start",
        "Initial conferences held in the period",
        "Conference date falls in the period; working days per the clocks calendar.",
        f"{CIN_STATISTICS}; Working Together to Safeguard Children 2023",
        ("section_47_enquiries",), icpc_in_time,
    ),
    # Child protection
    Indicator(
        "cp_plans", "Children on child protection plans", "Child protection", Unit.RATE,
        Window.AT_END,
        "Children with a child protection plan open", "Children on a plan",
        "Population aged 0-17 (rate per 10,000)", _STOCK_DATES,
        CIN_STATISTICS, ("cp_plans", "referrals", "episodes"), _stock("cp_plans"),
    ),
    Indicator(
        "cp_plan_starts", "Child protection plans started", "Child protection", Unit.RATE,
        Window.PERIOD,
        "Child protection plans that started", "Plans started",
        "Population aged 0-17 (rate per 10,000)", "Plan start date falls in the period.",
        CIN_STATISTICS, ("cp_plans",), cp_plan_starts,
    ),
    Indicator(
        "cp_second_or_subsequent_plans", "Second or subsequent child protection plans",
        "Child protection", Unit.PERCENT, Window.PERIOD,
        "Plans started for a child who had had a plan before, at any time",
        "Plans with NumberOfPreviousCPP above 0, or an earlier plan for the child in the data",
        "Plans started in the period", "Plan start date falls in the period.",
        CIN_STATISTICS, ("cp_plans",), cp_second_plans,
    ),
    Indicator(
        "cp_plans_ended_lasting_2_years", "Plans ended that lasted 2 years or more",
        "Child protection", Unit.PERCENT, Window.PERIOD,
        "Plans that ended having lasted two years or more",
        "Plans whose end date is on or after the second anniversary of their start",
        "Plans that ended in the period",
        "Plan end date falls in the period (a plan ending on the period's last day is "
        "counted here, and not among the plans open that day).",
        CIN_STATISTICS, ("cp_plans",), cp_ended_two_years,
    ),
    Indicator(
        "cp_visits_in_time", "Children on CP plans visited in time", "Child protection",
        Unit.PERCENT, Window.AT_END,
        "Children on a child protection plan seen on a visit within the last 10 working days",
        "Of the denominator, those whose latest CP visit at which they were seen was at most "
        "10 working days before the day",
        "Children on a CP plan on the period's last day who had been on it for more than 10 "
        "working days",
        f"{_STOCK_DATES} Working days per the clocks calendar.",
        "DOMAIN.md local standard (CP visits every 10 working days; clocks rule cp_visit)",
        ("cp_plans", "visits"), _visited_in_time("cp_plans", "cp", "cp_visit"),
    ),
    Indicator(
        "cp_reviews_in_time", "Child protection plans reviewed in time", "Child protection",
        Unit.PERCENT, Window.AT_END,
        "Plans open on the day whose review conference is not overdue",
        "Plans whose next review was not yet due on the day: 3 months after the plan "
        "started when there has been no review, 6 months after the latest review otherwise",
        "Child protection plans open on the period's last day",
        f"{_STOCK_DATES} Reviews are review conferences (RCPC) of the plan held on or "
        "before the day.",
        f"{CIN_STATISTICS} (CPPreviewDate); Working Together to Safeguard Children 2023",
        ("cp_plans", "cp_conferences"), cp_reviews_in_time,
    ),
    *(
        _cp_category_indicator(code, key, label)
        for code, key, label in (
            ("NEG", "neglect", "neglect"),
            ("EMO", "emotional", "emotional abuse"),
            ("PHY", "physical", "physical abuse"),
            ("SAB", "sexual", "sexual abuse"),
            ("MUL", "multiple", "multiple categories"),
        )
    ),
    # Child in need
    Indicator(
        "cin_local", "Children in need (local definition)", "Child in need", Unit.RATE,
        Window.AT_END,
        "Children with an open CIN episode who are neither on a CP plan nor looked after",
        "Those children", "Population aged 0-17 (rate per 10,000)", _STOCK_DATES,
        "DOMAIN.md (the seed council's definition)", ("cp_plans", "referrals", "episodes"),
        _stock("cin_local"),
    ),
    Indicator(
        "cin_dfe", "Children in need (DfE definition)", "Child in need", Unit.RATE,
        Window.AT_END,
        "Children with an open CIN episode, a CP plan or looked after", "Those children",
        "Population aged 0-17 (rate per 10,000)", _STOCK_DATES,
        CIN_STATISTICS, ("cp_plans", "referrals", "episodes"), _stock("cin_dfe"),
    ),
    Indicator(
        "cin_visits_in_time", "Children on CIN plans visited in time", "Child in need",
        Unit.PERCENT, Window.AT_END,
        "Children on a child in need plan seen on a visit within the last 20 working days",
        "Of the denominator, those whose latest CIN visit at which they were seen was at "
        "most 20 working days before the day",
        "Children on a CIN plan on the period's last day who had been on it for more than 20 "
        "working days",
        f"{_STOCK_DATES} Working days per the clocks calendar.",
        "DOMAIN.md local standard (CIN visits every 20 working days; clocks rule cin_visit)",
        ("cin_plans", "visits"), _visited_in_time("cin_plans", "cin", "cin_visit"),
    ),
    Indicator(
        "cin_seen_alone", "CIN visits where the child was seen alone", "Child in need",
        Unit.PERCENT, Window.PERIOD,
        "Child in need visits in the period at which the child was seen alone",
        "Visits with the child seen alone",
        "CIN visits in the period at which the child was seen",
        "Visit date falls in the period.",
        "DOMAIN.md (child in need: seen alone); Ofsted Annex A",
        ("visits",), cin_seen_alone,
    ),
    # Looked after
    Indicator(
        "looked_after", "Children looked after", "Children in care", Unit.RATE, Window.AT_END,
        "Children looked after, not counting those on an agreed series of short breaks "
        "(V3, V4)", "Children looked after", "Population aged 0-17 (rate per 10,000)",
        _STOCK_DATES, CLA_STATISTICS, ("cp_plans", "referrals", "episodes"),
        _stock("looked_after"),
    ),
    Indicator(
        "looked_after_starts", "Children starting to be looked after", "Children in care",
        Unit.RATE, Window.PERIOD,
        "Episodes that start a period of care (RNE S), short breaks apart",
        "Periods of care started", "Population aged 0-17 (rate per 10,000)",
        "Episode start date (DECOM) falls in the period.", CLA_STATISTICS,
        ("episodes",), looked_after_starts,
    ),
    Indicator(
        "looked_after_ceased", "Children ceasing to be looked after", "Children in care",
        Unit.RATE, Window.PERIOD,
        "Episodes that end a period of care: a reason episode ceased other than X1, short "
        "breaks apart", "Periods of care ended", "Population aged 0-17 (rate per 10,000)",
        "Episode end date (DEC) falls in the period.", CLA_STATISTICS,
        ("episodes",), looked_after_ceased,
    ),
    Indicator(
        "connected_person_placements", "Looked after in connected-person placements",
        "Children in care", Unit.PERCENT, Window.AT_END,
        "Children placed with a relative or friend approved as a foster carer",
        "Of the denominator, those in placement types U1-U3", _IN_CARE_AT_END,
        _STOCK_DATES, f"{CLA_STATISTICS}; DOMAIN.md (seed 29% vs 13% nationally)",
        ("episodes",), connected_person_placements,
    ),
    Indicator(
        "placed_outside_authority", "Looked after placed outside the authority",
        "Children in care", Unit.PERCENT, Window.AT_END,
        "Children placed outside the authority's boundary",
        "Of the denominator, those with PL_LOCATION OUT",
        f"{_IN_CARE_AT_END}, where the placement's location is known", _STOCK_DATES,
        CLA_STATISTICS, ("episodes",), placed_outside,
    ),
    Indicator(
        "placed_over_20_miles", "Looked after placed more than 20 miles from home",
        "Children in care", Unit.PERCENT, Window.AT_END,
        "Children placed more than 20 miles from the home they were removed from",
        "Of the denominator, those with PL_DISTANCE over 20",
        f"{_IN_CARE_AT_END}, where the distance is known", _STOCK_DATES,
        CLA_STATISTICS, ("episodes",), placed_over_20_miles,
    ),
    Indicator(
        "three_or_more_placements", "Looked after with 3 or more placements in the year",
        "Children in care", Unit.PERCENT, Window.YEAR_TO_END,
        "Children looked after on the last day who had 3 or more placements in the 12 months "
        "to then",
        "Of the denominator, those with 3 or more placements: the one held on the first day "
        "of the 12 months, plus each episode starting in them with RNE S, P, T, U or B and a "
        "placement type other than temporary (T0-T4)",
        "Children looked after on the period's last day (not on short breaks)",
        "The 12 months ending on the period's last day, whatever the period; a move on that "
        "day (such as 31 March) counts.",
        CLA_STATISTICS, ("episodes",), three_or_more_placements,
    ),
    Indicator(
        "long_term_stability", "Long-term placement stability", "Children in care",
        Unit.PERCENT, Window.AT_END,
        "Children under 16 looked after for 2.5 years or more who have lived in the same "
        "placement for 2 years or more",
        "Of the denominator, those whose current placement (the latest episode starting with "
        "RNE S, P, T, U or B, temporary placements apart) began 2 years or more before",
        "Children looked after on the period's last day (not on short breaks), under 16 "
        "then, whose current period of care began 2.5 years or more before it",
        f"{_STOCK_DATES} The DfE also counts a child placed for adoption whose adoptive and "
        "previous placement together last 2 years; this measure does not yet.",
        CLA_STATISTICS, ("episodes", "children"), long_term_stability,
    ),
    Indicator(
        "looked_after_on_care_orders", "Looked after on care orders", "Children in care",
        Unit.PERCENT, Window.AT_END,
        "Children looked after under an interim or full care order", "Legal status C1 or C2",
        _IN_CARE_AT_END, _STOCK_DATES,
        CLA_STATISTICS, ("episodes",), _in_care_share(pl.col("ls").is_in(CARE_ORDERS)),
    ),
    Indicator(
        "looked_after_on_section_20", "Looked after under section 20", "Children in care",
        Unit.PERCENT, Window.AT_END,
        "Children accommodated under section 20 (single placements)", "Legal status V2",
        _IN_CARE_AT_END, _STOCK_DATES,
        CLA_STATISTICS, ("episodes",), _in_care_share(pl.col("ls").is_in(SECTION_20)),
    ),
    Indicator(
        "looked_after_placement_orders", "Looked after on placement orders", "Children in care",
        Unit.PERCENT, Window.AT_END,
        "Children looked after under a placement or freeing order", "Legal status E1 or D1",
        _IN_CARE_AT_END, _STOCK_DATES,
        CLA_STATISTICS, ("episodes",), _in_care_share(pl.col("ls").is_in(PLACEMENT_ORDERS)),
    ),
    Indicator(
        "looked_after_in_foster_care", "Looked after in foster care", "Children in care",
        Unit.PERCENT, Window.AT_END,
        "Children looked after in foster placements", "Placement U1-U6",
        _IN_CARE_AT_END, _STOCK_DATES,
        CLA_STATISTICS, ("episodes",), _in_care_share(pl.col("place").is_in(FOSTER_PLACEMENTS)),
    ),
    Indicator(
        "looked_after_in_residential_care", "Looked after in residential care", "Children in care",
        Unit.PERCENT, Window.AT_END,
        "Children looked after in children's homes, secure units, residential care or schools",
        "Placement K1, K2, R1, R2, R3 or S1", _IN_CARE_AT_END, _STOCK_DATES,
        CLA_STATISTICS, ("episodes",),
        _in_care_share(pl.col("place").is_in(RESIDENTIAL_PLACEMENTS)),
    ),
    Indicator(
        "cla_reviews_in_time", "Looked-after reviews in time", "Children in care",
        Unit.PERCENT, Window.AT_END,
        "Children looked after whose review is not overdue on the day",
        "Children whose next review was not yet due: 20 working days after care began "
        "with no review yet, 3 months after the first review, 6 months after the latest",
        "Children looked after on the period's last day (not on short breaks)",
        f"{_STOCK_DATES} Reviews since the current period of care began, on or before "
        "the day; working days per the clocks calendar.",
        f"{CLA_STATISTICS} (SSDA903 Reviews); Care Planning, Placement and Case Review "
        "(England) Regulations 2010, regulation 33",
        ("episodes", "cla_reviews"), cla_reviews_in_time,
    ),
    Indicator(
        "cla_visits_in_time", "Looked-after children visited in time", "Children in care",
        Unit.PERCENT, Window.AT_END,
        "Children looked after seen on a visit within the last 6 weeks",
        "Children whose latest looked-after visit at which they were seen was at most 42 "
        "days before the day",
        "Children looked after on the period's last day whose current placement began "
        "more than 7 days before it",
        f"{_STOCK_DATES} Simplified from regulation 28 (a visit within a week of a "
        "placement, then every 6 weeks in its first year; every 3 months after that is "
        "allowed by the regulation but held to 6 weeks here).",
        "Care Planning, Placement and Case Review (England) Regulations 2010, regulation 28",
        ("episodes", "visits"), cla_visits_in_time,
    ),
    Indicator(
        "placement_cost_per_week", "Average placement cost per week", "Children in care",
        Unit.AVERAGE, Window.AT_END,
        "Weekly cost of the placements of children looked after on the day",
        "Sum of the weekly costs, each rounded to the whole pound",
        "Children looked after on the period's last day whose placement has a cost recorded",
        _STOCK_DATES, "DOMAIN.md (looked after: placement cost); episodes.cost_per_week",
        ("episodes",), placement_cost,
    ),
    Indicator(
        "missing_episodes", "Missing episodes", "Children in care", Unit.COUNT, Window.PERIOD,
        "Episodes of a looked-after child missing (not 'away without authorisation')",
        "Missing episodes started", "", "Start date falls in the period.",
        f"{CLA_STATISTICS} (SSDA903 Missing)", ("missing_episodes",), missing_episodes,
    ),
    Indicator(
        "return_interviews_within_72_hours", "Return interviews offered within 72 hours",
        "Children in care", Unit.PERCENT, Window.PERIOD,
        "Missing episodes after which a return interview was offered within 72 hours",
        "Episodes with a return interview offered at most 3 calendar days after the end date "
        "(the dataset holds dates, not times)",
        "Missing episodes that ended in the period", "End date falls in the period.",
        "DOMAIN.md; statutory guidance on children who run away or go missing (2014)",
        ("missing_episodes",), return_interviews_in_time,
    ),
    # Care leavers
    Indicator(
        "care_leavers_in_touch", "Care leavers in touch", "Care leavers", Unit.PERCENT,
        Window.YEAR_TO_END,
        "Care leavers the authority was in touch with at their latest contact",
        "Latest contact in the 12 months has IN_TOUCH YES",
        "Care leavers with a contact recorded in the 12 months ending on the period's last day",
        "The 12 months ending on the period's last day (contacts are made around each "
        "birthday); the latest contact of each young person.",
        f"{CLA_STATISTICS} (SSDA903 OC3)", ("care_leaver_contacts",), care_leavers_in_touch,
    ),
    Indicator(
        "care_leavers_suitable_accommodation", "Care leavers in suitable accommodation",
        "Care leavers", Unit.PERCENT, Window.YEAR_TO_END,
        "Care leavers whose accommodation at their latest contact was suitable",
        "Latest contact's ACCOM ends in 1 (suitable)",
        "Care leavers with a contact recorded in the 12 months ending on the period's last day",
        "As care_leavers_in_touch.", f"{CLA_STATISTICS} (SSDA903 OC3)",
        ("care_leaver_contacts",), care_leavers_suitable_accommodation,
    ),
    Indicator(
        "care_leavers_in_education_employment_training",
        "Care leavers in education, employment or training", "Care leavers", Unit.PERCENT,
        Window.YEAR_TO_END,
        "Care leavers in education, employment or training at their latest contact",
        "Latest contact's ACTIV is an F or P code (not G4-G6, not 0)",
        "Care leavers with a contact recorded in the 12 months ending on the period's last day",
        "As care_leavers_in_touch.", f"{CLA_STATISTICS} (SSDA903 OC3)",
        ("care_leaver_contacts",), care_leavers_eet,
    ),
    # Workforce
    Indicator(
        "caseload_per_worker", "Children per allocated worker", "Workforce", Unit.AVERAGE,
        Window.AT_END,
        "Children allocated to a worker, per worker holding at least one child",
        "Children with an allocation open", "Workers with at least one allocation open",
        _STOCK_DATES, f"{WORKFORCE_STATISTICS} (caseload per case-holding worker)",
        ("allocations",), caseload_per_worker,
    ),
    Indicator(
        "caseload_per_team", "Children per team", "Workforce", Unit.AVERAGE, Window.AT_END,
        "Children allocated to a team's workers, per team with at least one child",
        "Children with an allocation open, counted once per team",
        "Teams whose workers hold at least one allocation", _STOCK_DATES,
        "DOMAIN.md (workforce: caseload per team)", ("allocations", "workers"),
        caseload_per_team,
    ),
    Indicator(
        "newly_qualified_protected_caseloads", "Newly qualified workers with protected "
        "caseloads", "Workforce", Unit.PERCENT, Window.AT_END,
        "Newly qualified social workers holding 15 children or fewer",
        "Of the denominator, those with at most 15 children allocated on the day",
        "Social workers in post on the day who qualified in the 12 months before it",
        f"{_STOCK_DATES} The limit of 15 is a reasoned local standard (the ASYE framework "
        "asks for a protected caseload without fixing a number).",
        "DOMAIN.md (workforce: newly qualified workers' protected caseloads)",
        ("workers", "allocations"), newly_qualified_protected,
    ),
    Indicator(
        "agency_workers", "Agency workers", "Workforce", Unit.PERCENT, Window.AT_END,
        "Workers in post who are agency workers",
        "Of the denominator, agency workers",
        "Social workers, senior practitioners, team managers and personal advisers in post "
        "(early help workers apart)",
        "In post on the last day of the period: started on or before it, not left by it.",
        f"{WORKFORCE_STATISTICS} (agency worker rate); DOMAIN.md (agency share)",
        ("workers",), agency_workers,
    ),
)

REGISTRY: dict[str, Indicator] = {indicator.name: indicator for indicator in INDICATORS}
