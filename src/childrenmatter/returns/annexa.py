"""Writing Ofsted's Annex A workbook from the child-level dataset.

``annex_a_lists(tables, at)`` makes the eleven lists as they stood on the day ``at``, each
a frame whose columns are the template's headers (``annexa_spec.LISTS``) and whose cells
hold the dataset's codes; ``workbook_bytes`` turns them into an .xlsx file with the
template's labels. What happened after ``at`` is not shown: a plan that ended later is
open on the list, its end date blank.

The periods follow Ofsted's Annex A guidance: six months before ``at`` for contacts,
early help, referrals, assessments and section 47 enquiries, and for children in need, on
plans and looked after at any time in those six months; twelve months for the care
leavers' latest contact (the DfE's contact around each birthday falls once a year) and for
adoption (children with a decision, match, placement or order in the year, or still
waiting). Counts "in the last 12 months" count back twelve months from ``at``.

Columns the dataset has nothing for are left blank (see ``BLANK_COLUMNS`` and
docs/returns.md). Plain Python over Polars: no Django import.
"""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import polars as pl

from childrenmatter.dataset.schema import TABLES
from childrenmatter.errors import UserError
from childrenmatter.returns.annexa_spec import LABELS, LISTS

ANNEX_A_TABLES = ("authorities", "children", "contacts", "early_help_episodes", "referrals",
                  "assessments", "section_47_enquiries", "cp_plans", "cp_conferences",
                  "cin_plans", "visits", "episodes", "cla_reviews", "missing_episodes",
                  "adoption", "care_leaver_contacts", "teams", "workers", "allocations")

# Columns the dataset has no field for: written blank.
BLANK_COLUMNS: dict[str, tuple[str, ...]] = {
    "List 4": ("Child Seen During Continuous Assessment",),
    "List 8": ("What is the permanence plan for this child?",
               "Date of Last IRO Visit / Contact to the Child",
               "Date of Last Health Assessment", "Date of Last Dental Check"),
    "List 9": ("Allocated Personal Advisor", "Eligibility Category",
               "Latest Pathway Plan Review Date"),
    "List 10": ("Family identifier",),
    "List 11": tuple(c.header for c in LISTS["List 11"]),
}

# Reasons for a new episode (903 RNE) that start a legal status, and that start a placement.
LEGAL_STATUS_STARTS = ("S", "L", "U", "B")
PLACEMENT_STARTS = ("S", "P", "T", "U", "B")
# Police protection (L1) and an emergency protection order (L2): 903 LS.
EMERGENCY_LEGAL_STATUSES = ("L1", "L2")
# Fostering for adoption or concurrent planning placements: 903 PLACE U2 and U5.
FFA_PLACEMENTS = ("U2", "U5")


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (the month's last day if shorter)."""
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _yes_no(expr: pl.Expr) -> pl.Expr:
    return pl.when(expr.is_null()).then(None).when(expr).then(pl.lit("Y")).otherwise(pl.lit("N"))


def _by(at: date, column: str) -> pl.Expr:
    """The date in ``column`` if it had happened by ``at``; null if later."""
    return pl.when(pl.col(column) <= at).then(pl.col(column)).otherwise(None)


class _Builder:
    def __init__(self, tables: dict[str, pl.DataFrame], at: date) -> None:
        self.t = tables
        self.at = at
        self.since = months_before(at, 6) + timedelta(days=1)
        self.year_ago = months_before(at, 12) + timedelta(days=1)
        children = tables["children"]
        born = pl.col("date_of_birth")
        # Completed years: one fewer if this year's birthday is still to come.
        age = (at.year - born.dt.year().cast(pl.Int64)
               - ((at.month * 100 + at.day) < (born.dt.month().cast(pl.Int64) * 100
                                               + born.dt.day().cast(pl.Int64))).cast(pl.Int64))
        self.people = children.select(
            "child_id",
            pl.col("sex").alias("Gender"),
            pl.col("ethnicity").alias("Ethnicity"),
            pl.col("date_of_birth").alias("Date of Birth"),
            pl.when(pl.col("date_of_birth") <= at).then(age).otherwise(None)
            .alias("Age of Child (Years)"),
            pl.when(pl.col("disabilities").is_null()).then(pl.lit("U"))
            .when(pl.col("disabilities").list.len() > 0).then(pl.lit("Y"))
            .otherwise(pl.lit("N")).alias("Does the Child have a Disability"),
            pl.when(pl.col("uasc") & (pl.col("uasc_ceased_date").is_null()
                                      | (pl.col("uasc_ceased_date") >= self.year_ago)))
            .then(pl.lit("Y")).otherwise(pl.lit("N")).alias("uasc_recent"),
            pl.when(pl.col("uasc")).then(pl.lit("Y")).otherwise(pl.lit("N")).alias("uasc_ever"),
        )
        self.allocated = self._allocated()

    def _allocated(self) -> pl.DataFrame:
        """The worker each child was allocated to on ``at`` and that worker's team."""
        at = self.at
        allocations = self.t["allocations"].filter(
            (pl.col("start_date") <= at)
            & (pl.col("end_date").is_null() | (pl.col("end_date") >= at)))
        latest = allocations.sort("start_date").group_by("child_id").agg(
            pl.col("worker_id").last())
        teams = self.t["workers"].select("worker_id", "team_id").join(
            self.t["teams"].select("team_id", "team_name"), on="team_id", how="left")
        return latest.join(teams, on="worker_id", how="left").select(
            "child_id", pl.col("team_name").alias("Allocated Team"),
            pl.col("worker_id").alias("Allocated Worker"))

    def finish(self, name: str, frame: pl.DataFrame) -> pl.DataFrame:
        """The list's columns in the template's order; blanks for what the dataset lacks."""
        frame = frame.join(self.people, on="child_id", how="left")
        if "Allocated Team" in {c.header for c in LISTS[name]}:
            frame = frame.join(self.allocated, on="child_id", how="left")
        frame = frame.with_columns(pl.col("child_id").alias("Child Unique ID"))
        columns = []
        for col in LISTS[name]:
            dtype = {"date": pl.Date, "int": pl.Int64}.get(col.kind, pl.String)
            if col.header in frame.columns:
                columns.append(pl.col(col.header).cast(dtype))
            else:
                columns.append(pl.lit(None, dtype).alias(col.header))
        return frame.select(columns)

    def in_window(self, column: str) -> pl.Expr:
        return pl.col(column).is_between(self.since, self.at)

    def open_in_window(self, start: str, end: str) -> pl.Expr:
        return (pl.col(start) <= self.at) & (pl.col(end).is_null() | (pl.col(end) >= self.since))


def annex_a_lists(tables: dict[str, pl.DataFrame], at: date,
                  authority: str | None = None) -> dict[str, pl.DataFrame]:
    """The eleven lists for one authority on the day ``at``, cells holding the codes."""
    codes = tables["authorities"]["la_code"].to_list()
    if authority is None:
        if len(codes) != 1:
            raise UserError(f"the dataset holds {len(codes)} authorities "
                            f"({', '.join(sorted(codes)[:5])}{', ...' if len(codes) > 5 else ''})"
                            ": say which with --authority CODE")
        authority = codes[0]
    elif authority not in codes:
        raise UserError(f"the dataset has no authority {authority!r}")
    # A table the dataset does not have is empty: its lists are empty, not an error.
    mine = {name: tables[name].filter(pl.col("la_code") == authority) if name in tables
            else TABLES[name].empty() for name in ANNEX_A_TABLES}
    b = _Builder(mine, at)
    return {
        "List 1": b.finish("List 1", _contacts(b)),
        "List 2": b.finish("List 2", _early_help(b)),
        "List 3": b.finish("List 3", _referrals(b)),
        "List 4": b.finish("List 4", _assessments(b)),
        "List 5": b.finish("List 5", _section_47(b)),
        "List 6": b.finish("List 6", _children_in_need(b)),
        "List 7": b.finish("List 7", _cp_plans(b)),
        "List 8": b.finish("List 8", _looked_after(b)),
        "List 9": b.finish("List 9", _care_leavers(b)),
        "List 10": b.finish("List 10", _adoption(b)),
        "List 11": b.finish("List 11", pl.DataFrame(schema={"child_id": pl.String})),
    }


def _contacts(b: _Builder) -> pl.DataFrame:
    return (b.t["contacts"]
            .with_columns(pl.col("contact_datetime").dt.date().alias("Date of Contact"))
            .filter(b.in_window("Date of Contact"))
            .sort("Date of Contact", "child_id", "contact_id")
            .select("child_id", "Date of Contact", pl.col("source").alias("Contact Source")))


def _early_help(b: _Builder) -> pl.DataFrame:
    return (b.t["early_help_episodes"].filter(b.in_window("start_date"))
            .sort("start_date", "child_id", "early_help_id")
            .select("child_id", pl.col("start_date").alias("Assessment start date"),
                    _by(b.at, "end_date").alias("Assessment completion date"),
                    pl.col("lead_agency").alias("Organisation completing assessment")))


def _referrals(b: _Builder) -> pl.DataFrame:
    referrals = b.t["referrals"]
    listed = referrals.filter(b.in_window("referral_date"))
    # Referrals of the same child in the twelve months before this one.
    earlier = (listed.select("referral_id", "child_id", "referral_date")
               .join(referrals.select("child_id", pl.col("referral_date").alias("other")),
                     on="child_id")
               .filter((pl.col("other") < pl.col("referral_date"))
                       & (pl.col("other") >= pl.col("referral_date").dt.offset_by("-12mo")))
               .group_by("referral_id").agg(pl.len().alias("n")))
    return (listed.join(earlier, on="referral_id", how="left")
            .sort("referral_date", "child_id", "referral_id")
            .select("child_id", pl.col("referral_date").alias("Date of referral"),
                    pl.col("referral_source").alias("Referral Source"),
                    _yes_no(pl.col("referral_nfa")).alias("Referral NFA?"),
                    pl.col("n").fill_null(0).alias("Number of Referrals in Last 12 Months")))


def _assessments(b: _Builder) -> pl.DataFrame:
    a = b.t["assessments"].with_columns(_by(b.at, "authorised_date").alias("authorised"))
    # What followed the assessment, where recorded: anything but no further action or a
    # step down to early help is continued social care support.
    support = (pl.when(pl.col("authorised").is_null() | pl.col("outcome").is_null()).then(None)
               .when(pl.col("outcome").is_in(["nfa", "early_help"])).then(pl.lit("N"))
               .otherwise(pl.lit("Y")))
    return (a.filter(b.open_in_window("start_date", "authorised"))
            .sort("start_date", "child_id", "assessment_id")
            .select("child_id", pl.col("start_date").alias("Continuous Assessment Start Date"),
                    pl.col("authorised").alias("Continuous Assessment Date of Authorisation"),
                    support.alias("Was the child assessed as requiring LA children's social "
                                  "care support?")))


def _section_47(b: _Builder) -> pl.DataFrame:
    s47 = b.t["section_47_enquiries"].with_columns(_by(b.at, "icpc_date").alias("icpc"))
    plans = b.t["cp_plans"].filter(pl.col("start_date") <= b.at).select(
        "child_id", pl.col("start_date").alias("icpc"), pl.lit(True).alias("planned")).unique()
    counts = (s47.group_by("child_id").agg(
        pl.col("start_date").is_between(b.year_ago, b.at).sum().alias("n_s47"),
        pl.col("icpc").is_between(b.year_ago, b.at).sum().alias("n_icpc")))
    return (s47.filter(b.in_window("start_date"))
            .join(plans, on=["child_id", "icpc"], how="left")
            .join(counts, on="child_id", how="left")
            .sort("start_date", "child_id", "s47_id")
            .select("child_id",
                    pl.col("start_date").alias(
                        "Strategy discussion initiating Section 47 Enquiry Start Date"),
                    _yes_no(~pl.col("icpc_required")).alias(
                        "Was an Initial Child Protection Conference deemed unnecessary?"),
                    pl.col("icpc").alias("Date of Initial Child Protection Conference"),
                    pl.when(pl.col("icpc").is_null()).then(None)
                    .when(pl.col("planned").fill_null(False)).then(pl.lit("Y"))
                    .otherwise(pl.lit("N")).alias(
                        "Did the Initial Child Protection Conference Result in a Child "
                        "Protection Plan"),
                    pl.col("n_s47").cast(pl.Int64).alias(
                        "Number of Section 47 Enquiries in the last 12 months"),
                    pl.col("n_icpc").cast(pl.Int64).alias(
                        "Number of ICPCs in the last 12 months")))


def _open_on(frame: pl.DataFrame, at: date, start: str, end: str) -> pl.DataFrame:
    return frame.filter((pl.col(start) <= at) & (pl.col(end).is_null() | (pl.col(end) > at)))


def _children_in_need(b: _Builder) -> pl.DataFrame:
    at = b.at
    episodes = (b.t["referrals"].filter(~pl.col("referral_nfa"))
                .with_columns(_by(at, "closure_date").alias("closed"))
                .filter(b.open_in_window("referral_date", "closed")))
    looked_after = set(_open_on(b.t["episodes"], at, "decom", "dec")["child_id"].to_list())
    on_cp = set(_open_on(b.t["cp_plans"], at, "start_date", "end_date")["child_id"].to_list())
    on_cin = set(_open_on(b.t["cin_plans"], at, "start_date", "end_date")["child_id"].to_list())
    assessed = set(_open_on(b.t["assessments"], at, "start_date", "authorised_date")
                   ["child_id"].to_list())
    status = (pl.when(pl.col("closed").is_not_null()).then(pl.lit("closed"))
              .when(pl.col("child_id").is_in(list(looked_after))).then(pl.lit("cla"))
              .when(pl.col("child_id").is_in(list(on_cp))).then(pl.lit("cp"))
              .when(pl.col("child_id").is_in(list(on_cin))).then(pl.lit("cin"))
              .when(pl.col("child_id").is_in(list(assessed))).then(pl.lit("assessment"))
              .otherwise(pl.lit("cin")))
    seen = (episodes.select("referral_id", "child_id", "referral_date", "closed")
            .join(b.t["visits"].filter(pl.col("seen") & (pl.col("visit_date") <= at))
                  .select("child_id", "visit_date"), on="child_id")
            .filter((pl.col("visit_date") >= pl.col("referral_date"))
                    & (pl.col("closed").is_null() | (pl.col("visit_date") <= pl.col("closed"))))
            .group_by("referral_id").agg(pl.col("visit_date").max().alias("last_seen")))
    return (episodes.join(seen, on="referral_id", how="left")
            .sort("referral_date", "child_id", "referral_id")
            .select("child_id", pl.col("referral_date").alias("CIN Start Date"),
                    pl.col("primary_need").fill_null("N0").alias("Primary Need Code"),
                    pl.col("last_seen").alias("Date Child Was Last Seen"),
                    pl.col("closed").alias("CIN Closure Date"),
                    pl.when(pl.col("closed").is_not_null()).then(pl.col("closure_reason"))
                    .alias("Reason for Closure"),
                    status.alias("Case Status")))


def _cp_plans(b: _Builder) -> pl.DataFrame:
    at = b.at
    plans = (b.t["cp_plans"].with_columns(_by(at, "end_date").alias("ended"))
             .filter(b.open_in_window("start_date", "ended")))
    visits = (plans.select("cp_plan_id", "child_id", "start_date", "ended")
              .join(b.t["visits"].filter((pl.col("visit_type") == "cp")
                                         & (pl.col("visit_date") <= at))
                    .select("child_id", "visit_date", "seen_alone"), on="child_id")
              .filter((pl.col("visit_date") >= pl.col("start_date"))
                      & (pl.col("ended").is_null() | (pl.col("visit_date") <= pl.col("ended"))))
              .sort("visit_date")
              .group_by("cp_plan_id").agg(pl.col("visit_date").last().alias("last_visit"),
                                          pl.col("seen_alone").last().alias("alone")))
    reviews = (b.t["cp_conferences"]
               .filter((pl.col("conference_type") == "review")
                       & (pl.col("conference_date") <= at))
               .group_by("cp_plan_id").agg(pl.col("conference_date").max().alias("review")))
    emergency = set(
        b.t["episodes"].filter(pl.col("ls").is_in(EMERGENCY_LEGAL_STATUSES)
                               & (pl.col("decom") <= at)
                               & (pl.col("dec").is_null() | (pl.col("dec") >= b.since)))
        ["child_id"].to_list())
    return (plans.join(visits, on="cp_plan_id", how="left")
            .join(reviews, on="cp_plan_id", how="left")
            .sort("start_date", "child_id", "cp_plan_id")
            .select("child_id", pl.col("start_date").alias("Child Protection Plan Start Date"),
                    pl.col("initial_category").alias("Initial Category of Abuse"),
                    pl.col("latest_category").alias("Latest Category of Abuse"),
                    pl.col("last_visit").alias("Date of the Last Statutory Visit"),
                    pl.when(pl.col("last_visit").is_null()).then(None)
                    .otherwise(_yes_no(pl.col("alone"))).alias("Was the Child Seen Alone?"),
                    pl.col("review").alias("Date of latest review conference"),
                    pl.col("ended").alias("Child Protection Plan End Date"),
                    pl.when(pl.col("child_id").is_in(list(emergency))).then(pl.lit("Y"))
                    .otherwise(pl.lit("N")).alias(
                        "Subject to Emergency Protection Order or Protected Under Police "
                        "Powers in Last Six Months (Y/N)"),
                    pl.col("previous_plans").alias("Number of Previous Child Protection Plans")))


def _looked_after(b: _Builder) -> pl.DataFrame:
    at = b.at
    episodes = (b.t["episodes"].filter(pl.col("decom") <= at)
                .with_columns(_by(at, "dec").alias("ended"))
                .with_columns(pl.when(pl.col("ended").is_not_null()).then(pl.col("rec"))
                              .alias("reason"))
                .sort("child_id", "decom"))
    latest = episodes.group_by("child_id", maintain_order=True).last().filter(
        pl.col("ended").is_null() | (pl.col("ended") >= b.since))
    period = episodes.join(latest.select("child_id", "period_of_care_id"),
                           on=["child_id", "period_of_care_id"])
    starts = period.group_by("child_id").agg(
        pl.col("decom").min().alias("Date Started to be Looked After"),
        pl.col("decom").filter(pl.col("rne").is_in(LEGAL_STATUS_STARTS)).max()
        .alias("Start date of current legal status"),
        pl.col("decom").filter(pl.col("rne").is_in(PLACEMENT_STARTS)).max()
        .alias("Start Date of Most Recent Placement"))
    # An earlier period of care that was still going in the twelve months before ``at``.
    earlier = (episodes.join(latest.select("child_id", pl.col("period_of_care_id").alias("now")),
                             on="child_id")
               .filter((pl.col("period_of_care_id") != pl.col("now"))
                       & pl.col("ended").is_not_null() & (pl.col("ended") >= b.year_ago))
               .select("child_id").unique().with_columns(pl.lit(True).alias("again")))
    # Placements in the twelve months: each episode that began a placement, and the one the
    # child was already in when the twelve months began.
    year = episodes.filter(pl.col("ended").is_null() | (pl.col("ended") >= b.year_ago))
    placements = year.group_by("child_id", maintain_order=True).agg(
        (pl.col("rne").is_in(PLACEMENT_STARTS) & (pl.col("decom") >= b.year_ago)).sum()
        + (~(pl.col("rne").first().is_in(PLACEMENT_STARTS)
             & (pl.col("decom").first() >= b.year_ago))).cast(pl.UInt32)
    ).rename({"rne": "placements"})
    reviews = (b.t["cla_reviews"].filter(pl.col("review_date") <= at)
               .group_by("child_id").agg(pl.col("review_date").max().alias("review")))
    visits = (b.t["visits"].filter((pl.col("visit_type") == "cla") & (pl.col("visit_date") <= at))
              .group_by("child_id").agg(pl.col("visit_date").max().alias("visit")))
    missing = b.t["missing_episodes"].filter(pl.col("start_date") <= at)
    counts = missing.filter(pl.col("start_date") >= b.year_ago).group_by("child_id").agg(
        (pl.col("missing") == "M").sum().alias("n_missing"),
        (pl.col("missing") == "A").sum().alias("n_absent"))
    last_missing = (missing.filter(pl.col("missing") == "M").sort("start_date")
                    .group_by("child_id").agg(
                        pl.col("return_interview_offered_date").last().alias("offered"),
                        pl.col("return_interview_accepted").last().alias("accepted")))
    return (latest.join(starts, on="child_id").join(earlier, on="child_id", how="left")
            .join(placements, on="child_id", how="left").join(reviews, on="child_id", how="left")
            .join(visits, on="child_id", how="left").join(counts, on="child_id", how="left")
            .join(last_missing, on="child_id", how="left")
            .join(b.people.select("child_id", "uasc_recent"), on="child_id", how="left")
            .sort("Date Started to be Looked After", "child_id")
            .select(
                "child_id",
                pl.col("uasc_recent").alias("Unaccompanied Asylum Seeking Child (UASC) within "
                                            "the Last 12 Months (Y/N)"),
                "Date Started to be Looked After",
                pl.col("cin").alias("Child's Category of Need"),
                pl.when(pl.col("again").fill_null(False)).then(pl.lit("Y")).otherwise(pl.lit("N"))
                .alias("Is this a second or subsequent period of being a Looked After Child "
                       "within the last 12 months (Y/N)"),
                "Start date of current legal status",
                pl.col("ls").alias("Child's Legal Status"),
                pl.col("review").alias("Date of Latest Statutory Review"),
                pl.col("visit").alias("Date of Last Social Work Visit"),
                pl.col("placements").cast(pl.Int64).alias(
                    "Number of Placements in the Last 12 months"),
                pl.col("ended").alias("Date Ceased to be Looked After"),
                pl.col("reason").alias("Reason Ceased to be Looked After"),
                "Start Date of Most Recent Placement",
                pl.col("place").alias("Placement Type"),
                pl.col("place_provider").alias("Placement Provider"),
                pl.col("pl_post").alias("Placement postcode"),
                pl.col("urn").alias("URN of Placement"),
                pl.col("pl_location").alias("Placement Location"),
                pl.col("pl_la").alias("LA of Placement"),
                pl.col("n_missing").fill_null(0).cast(pl.Int64).alias(
                    "Number of Episodes the Child has been 'Missing' from their Placement in "
                    "the last 12 months"),
                pl.col("n_absent").fill_null(0).cast(pl.Int64).alias(
                    "Number of Episodes the Child has been 'Absent' from their Placement in "
                    "the last 12 months"),
                pl.when(pl.col("n_missing").fill_null(0) == 0).then(None)
                .when(pl.col("offered").is_not_null() & (pl.col("offered") <= at))
                .then(pl.lit("Y")).otherwise(pl.lit("N"))
                .alias("Was the child offered a Return Interview after their last missing "
                       "episode (Y/N)?"),
                pl.when(pl.col("n_missing").fill_null(0) == 0).then(None)
                .otherwise(_yes_no(pl.col("accepted")))
                .alias("Did the child accept a Return Interview after their last missing "
                       "episode (Y/N)?"),
            ))


def _care_leavers(b: _Builder) -> pl.DataFrame:
    contacts = (b.t["care_leaver_contacts"].filter(pl.col("contact_date")
                                                   .is_between(b.year_ago, b.at))
                .sort("contact_date").group_by("child_id", maintain_order=True).last())
    accommodation = pl.col("accommodation")
    return (contacts.join(b.people.select("child_id", "uasc_ever"), on="child_id", how="left")
            .sort("child_id")
            .select("child_id",
                    pl.col("uasc_ever").alias("Unaccompanied Asylum Seeking Child (UASC), or "
                                              "formerly UASC if 18 or over (Y/N)"),
                    pl.col("in_touch").alias("LA in Touch"),
                    pl.col("contact_date").alias("Latest Date of Contact"),
                    pl.when(accommodation != "0").then(accommodation.str.slice(0, 1))
                    .alias("Type of Accommodation"),
                    pl.when(accommodation == "0").then(pl.lit("0"))
                    .otherwise(accommodation.str.slice(1, 1)).alias("Suitability of Accommodation"),
                    pl.when(pl.col("activity") != "0").then(pl.col("activity"))
                    .alias("Activity Status")))


def _adoption(b: _Builder) -> pl.DataFrame:
    at = b.at
    adoption = (b.t["adoption"].filter(pl.col("date_decision") <= at)
                .with_columns(_by(at, c).alias(c) for c in
                              ("date_match", "date_placed", "date_adopted", "date_decision_ceased"))
                .with_columns(pl.when(pl.col("date_decision_ceased").is_not_null())
                              .then(pl.col("reason_decision_ceased"))
                              .alias("reason_decision_ceased"))
                .sort("date_decision").group_by("child_id", maintain_order=True).last()
                .filter((pl.col("date_adopted").is_null() | (pl.col("date_adopted") >= b.year_ago))
                        & (pl.col("date_decision_ceased").is_null()
                           | (pl.col("date_decision_ceased") >= b.year_ago))))
    episodes = b.t["episodes"].filter(pl.col("decom") <= at)
    # The period of care the decision was made in began with its latest "S" episode before.
    entered = (adoption.select("child_id", "date_decision")
               .join(episodes.filter(pl.col("rne") == "S").select("child_id", "decom"),
                     on="child_id")
               .filter(pl.col("decom") <= pl.col("date_decision"))
               .group_by("child_id").agg(pl.col("decom").max().alias("entered")))
    after = (entered.join(episodes.select("child_id", "decom", "ls", "place"), on="child_id")
             .filter(pl.col("decom") >= pl.col("entered")))
    order = after.filter(pl.col("ls") == "E1").group_by("child_id").agg(
        pl.col("decom").min().alias("placement_order"))
    ffa = after.filter(pl.col("place").is_in(FFA_PLACEMENTS)).group_by("child_id").agg(
        pl.col("decom").min().alias("ffa"))
    return (adoption.join(entered, on="child_id", how="left")
            .join(order, on="child_id", how="left").join(ffa, on="child_id", how="left")
            .sort("date_decision", "child_id")
            .select("child_id",
                    pl.col("entered").alias("Date the Child Entered Care"),
                    pl.col("date_decision").alias(
                        "Date of Decision that Child Should be Placed for Adoption"),
                    pl.col("placement_order").alias("Date of Placement Order"),
                    pl.col("date_match").alias("Date of Matching Child and Prospective Adopters"),
                    pl.col("date_placed").alias("Date Placed for Adoption"),
                    pl.col("date_adopted").alias("Date of Adoption Order"),
                    pl.col("date_decision_ceased").alias(
                        "Date of Decision that Child Should No Longer be Placed for Adoption"),
                    pl.col("reason_decision_ceased").alias(
                        "Reason Why Child No Longer Placed for Adoption"),
                    pl.col("ffa").alias("Date the child was placed for fostering in FFA or "
                                        "concurrent planning placement")))


# --- The workbook --------------------------------------------------------------------------

def labelled(name: str, frame: pl.DataFrame) -> pl.DataFrame:
    """The list with each code replaced by the template's label for it."""
    swaps = []
    for col in LISTS[name]:
        if col.kind == "label" and col.labels:
            labels = LABELS[col.labels]
            swaps.append(pl.col(col.header).replace_strict(labels, default=None,
                                                           return_dtype=pl.String))
    return frame.with_columns(swaps) if swaps else frame


def unlabelled_codes(name: str, frame: pl.DataFrame) -> list[str]:
    """Codes in the list that have no label (a dataset that failed its checks)."""
    problems = []
    for col in LISTS[name]:
        if col.kind == "label" and col.labels:
            values = set(frame[col.header].drop_nulls().unique().to_list())
            for value in sorted(values - set(LABELS[col.labels])):
                problems.append(f"{name} {col.header}: {value!r} has no Annex A label")
    return problems


def workbook_bytes(lists: dict[str, pl.DataFrame]) -> bytes:
    """The .xlsx file: a sheet per list, the headers in row 1, dates as dates."""
    import xlsxwriter

    problems = [p for name, frame in lists.items() for p in unlabelled_codes(name, frame)]
    if problems:
        raise UserError("cannot write Annex A: " + "; ".join(problems[:5]))
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False,
                                     "strings_to_numbers": False, "strings_to_urls": False})
    header = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    for name, columns in LISTS.items():
        sheet = book.add_worksheet(name)
        frame = labelled(name, lists[name])
        for c, col in enumerate(columns):
            sheet.write_string(0, c, col.header, header)
            sheet.set_column(c, c, 14 if col.kind in ("date", "int") else 22,
                             day if col.kind == "date" else None)
        for c, col in enumerate(columns):
            values = frame[col.header].to_list()
            for r, value in enumerate(values, start=1):
                if value is None:
                    continue
                if col.kind == "date":
                    sheet.write_datetime(r, c, datetime(value.year, value.month, value.day), day)
                elif col.kind == "int":
                    sheet.write_number(r, c, value)
                else:
                    sheet.write_string(r, c, str(value))
        sheet.freeze_panes(1, 0)
    book.close()
    return out.getvalue()
