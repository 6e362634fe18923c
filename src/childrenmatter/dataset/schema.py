"""The child-level dataset: one canonical set of tables.

Every table is a Polars frame; on disk a dataset is a folder with one Parquet file per
table (``<name>.parquet``). Column names follow the DfE/Ofsted field they come from
(SSDA903, CIN census, Annex A) in snake case, or Data to Insight's Standard Safeguarding
Dataset (ssd-data-model) where the DfE has no field. ``docs/dataset.md`` describes each
column and its source; it is generated from this module (``childrenmatter dataset docs``).

This module is plain Python: no Django import, so it runs over another system's files.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

# Dtypes used across the dataset.
STR = pl.String
DATE = pl.Date
DATETIME = pl.Datetime("us")
BOOL = pl.Boolean
INT = pl.Int64
FLOAT = pl.Float64
STR_LIST = pl.List(pl.String)


@dataclass(frozen=True)
class Column:
    name: str
    dtype: pl.DataType | type[pl.DataType]
    description: str
    source: str = ""
    required: bool = True
    codes: str | None = None  # name of a code list in dataset.codes


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    # (earlier, later): where both are present, earlier <= later.
    date_order: tuple[tuple[str, str], ...] = ()
    # column -> (table, column): every non-null value must exist there for the same la_code.
    references: dict[str, tuple[str, str]] = field(default_factory=dict)

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def polars_schema(self) -> dict[str, pl.DataType | type[pl.DataType]]:
        return {c.name: c.dtype for c in self.columns}

    def empty(self) -> pl.DataFrame:
        return pl.DataFrame(schema=self.polars_schema)


LA = Column(
    "la_code", STR, "The authority the record belongs to: DfE three-digit LA code.",
    "903 Header / CIN LEA",
)
CHILD = Column(
    "child_id", STR, "The authority's identifier for the child.", "903 CHILD; CIN LAchildID"
)


def _child_ref() -> dict[str, tuple[str, str]]:
    return {"child_id": ("children", "child_id")}


AUTHORITIES = Table(
    "authorities",
    "The authorities whose records the dataset holds.",
    (
        LA,
        Column("la_name", STR, "The authority's name."),
        Column("region", STR, "Region of England.", required=False),
        Column("statistical_neighbours", STR_LIST,
               "LA codes of its statistical neighbours (DfE children's services tool).",
               required=False),
        Column("period_start", DATE, "First day the records are complete for.", required=False),
        Column("period_end", DATE, "Last day the records cover (the extract or census date).",
               required=False),
    ),
    key=("la_code",),
    date_order=(("period_start", "period_end"),),
)

POPULATION = Table(
    "population",
    "Estimated population aged 0-17 by mid-year (ONS), the denominator of every rate.",
    (
        LA,
        Column("year", INT, "Mid-year of the estimate (30 June)."),
        Column("population_0_17", INT, "Children aged 0 to 17.", "ONS mid-year estimates"),
    ),
    key=("la_code", "year"),
)

CHILDREN = Table(
    "children",
    "One row per child known to the authority: identifiers and characteristics.",
    (
        LA,
        CHILD,
        Column("upn", STR, "Unique pupil number.", "CIN UPN", required=False),
        Column("sex", STR, "Sex.", "903 SEX; CIN Sex", codes="sex"),
        Column("date_of_birth", DATE, "Date of birth (null for an unborn child).",
               "903 DOB; CIN PersonBirthDate", required=False),
        Column("expected_date_of_birth", DATE, "Expected date of birth of an unborn child.",
               "CIN ExpectedPersonBirthDate", required=False),
        Column("ethnicity", STR, "Ethnic origin.", "903 ETHNIC; CIN Ethnicity", codes="ethnicity"),
        Column("disabilities", STR_LIST, "Disabilities (empty when none).",
               "CIN Disability", required=False, codes="disability"),
        Column("uasc", BOOL, "Ever an unaccompanied asylum-seeking child.", "903 UASC"),
        Column("uasc_ceased_date", DATE, "Date the child ceased to be UASC.",
               "903 UASC DUC", required=False),
        Column("date_of_death", DATE, "Date of death.", "CIN PersonDeathDate", required=False),
        Column("mother", BOOL, "A young woman who is a mother, as last recorded (null when "
               "not recorded; for boys, null).", "903 Header MOTHER", required=False),
        Column("mother_child_dob", DATE, "Date of birth of her first child.",
               "903 Header MC_DOB", required=False),
    ),
    key=("la_code", "child_id"),
    date_order=(("date_of_birth", "date_of_death"), ("date_of_birth", "uasc_ceased_date"),
                ("date_of_birth", "mother_child_dob")),
)

CONTACTS = Table(
    "contacts",
    "Contacts at the front door: one row per child per contact.",
    (
        LA,
        Column("contact_id", STR, "Contact identifier (shared by a sibling group's rows).",
               "Annex A list 1"),
        CHILD,
        Column("contact_datetime", DATETIME, "When the contact was received.",
               "Annex A list 1 Date of contact"),
        Column("source", STR, "Who got in touch.",
               "Annex A list 1 Contact source; CIN ReferralSource", codes="referral_source"),
        Column("domestic_abuse", BOOL, "A domestic abuse notification."),
        Column("rag", STR, "RAG rating at screening.", "SSD", required=False, codes="rag"),
        Column("decision_datetime", DATETIME, "When the threshold decision was made.",
               required=False),
        Column("outcome", STR, "Threshold decision.", "SSD contact outcome", required=False,
               codes="contact_outcome"),
    ),
    key=("la_code", "contact_id", "child_id"),
    date_order=(("contact_datetime", "decision_datetime"),),
    references=_child_ref(),
)

EARLY_HELP = Table(
    "early_help_episodes",
    "Early help episodes (a lead professional and a team around the family).",
    (
        LA,
        Column("early_help_id", STR, "Episode identifier.", "SSD early_help_episodes"),
        CHILD,
        Column("start_date", DATE, "Start of the episode.", "Annex A list 2"),
        Column("end_date", DATE, "End of the episode.", "Annex A list 2", required=False),
        Column("end_reason", STR, "Why it ended.", "SSD", required=False,
               codes="early_help_end_reason"),
        Column("lead_agency", STR, "Agency of the lead professional.", "SSD", required=False),
        Column("contact_id", STR, "The contact that led to it.", required=False),
    ),
    key=("la_code", "early_help_id"),
    date_order=(("start_date", "end_date"),),
    references=_child_ref(),
)

REFERRALS = Table(
    "referrals",
    "Referrals to children's social care and the CIN episodes they open.",
    (
        LA,
        Column("referral_id", STR, "Referral / CIN episode identifier.", "SSD cin_episodes"),
        CHILD,
        Column("referral_date", DATE, "Date of referral.", "CIN CINreferralDate"),
        Column("referral_source", STR, "Source of the referral.", "CIN ReferralSource",
               codes="referral_source"),
        Column("primary_need", STR, "Primary need code at assessment.", "CIN PrimaryNeedCode",
               required=False, codes="primary_need"),
        Column("referral_nfa", BOOL, "No further action on the referral.", "CIN ReferralNFA"),
        Column("closure_date", DATE, "Date the CIN episode closed.", "CIN CINclosureDate",
               required=False),
        Column("closure_reason", STR, "Reason the episode closed.", "CIN ReasonForClosure",
               required=False, codes="closure_reason"),
        Column("contact_id", STR, "The contact that led to the referral.", required=False),
    ),
    key=("la_code", "referral_id"),
    date_order=(("referral_date", "closure_date"),),
    references=_child_ref(),
)

ASSESSMENTS = Table(
    "assessments",
    "Child and family (single) assessments.",
    (
        LA,
        Column("assessment_id", STR, "Assessment identifier.", "SSD assessments"),
        Column("referral_id", STR, "The CIN episode it belongs to."),
        CHILD,
        Column("start_date", DATE, "Date the assessment started.", "CIN AssessmentActualStartDate"),
        Column("authorised_date", DATE, "Date a manager authorised it.",
               "CIN AssessmentAuthorisationDate", required=False),
        Column("factors", STR_LIST, "Factors identified at the end of the assessment.",
               "CIN AssessmentFactors", required=False, codes="assessment_factor"),
        Column("outcome", STR, "What followed.", "SSD", required=False,
               codes="assessment_outcome"),
        Column("worker_id", STR, "Social worker who completed it.", required=False),
    ),
    key=("la_code", "assessment_id"),
    date_order=(("start_date", "authorised_date"),),
    references={**_child_ref(), "referral_id": ("referrals", "referral_id")},
)

STRATEGY_DISCUSSIONS = Table(
    "strategy_discussions",
    "Strategy discussions held when significant harm is suspected.",
    (
        LA,
        Column("strategy_discussion_id", STR, "Identifier."),
        Column("referral_id", STR, "The CIN episode it belongs to."),
        CHILD,
        Column("discussion_date", DATE, "Date of the strategy discussion."),
        Column("section_47", BOOL, "A section 47 enquiry followed."),
    ),
    key=("la_code", "strategy_discussion_id"),
    references={**_child_ref(), "referral_id": ("referrals", "referral_id")},
)

SECTION_47 = Table(
    "section_47_enquiries",
    "Section 47 enquiries; one starts on the date of the strategy discussion that led to it.",
    (
        LA,
        Column("s47_id", STR, "Identifier.", "SSD s47_enquiry"),
        Column("referral_id", STR, "The CIN episode it belongs to."),
        Column("strategy_discussion_id", STR, "The strategy discussion that started it."),
        CHILD,
        Column("start_date", DATE, "Start of the enquiry.", "CIN S47ActualStartDate"),
        Column("end_date", DATE, "Date the enquiry concluded.", "Annex A list 5", required=False),
        Column("icpc_required", BOOL, "An initial child protection conference is required.",
               "CIN ICPCnotRequired (negated)"),
        Column("icpc_date", DATE, "Date of the initial child protection conference.",
               "CIN DateOfInitialCPC", required=False),
    ),
    key=("la_code", "s47_id"),
    date_order=(("start_date", "end_date"), ("start_date", "icpc_date")),
    references={
        **_child_ref(),
        "referral_id": ("referrals", "referral_id"),
        "strategy_discussion_id": ("strategy_discussions", "strategy_discussion_id"),
    },
)

CP_PLANS = Table(
    "cp_plans",
    "Child protection plans.",
    (
        LA,
        Column("cp_plan_id", STR, "Identifier.", "SSD cp_plans"),
        Column("referral_id", STR, "The CIN episode it belongs to."),
        CHILD,
        Column("start_date", DATE, "Plan start (the ICPC date).", "CIN CPPstartDate"),
        Column("end_date", DATE, "Plan end.", "CIN CPPendDate", required=False),
        Column("initial_category", STR, "Initial category of abuse.",
               "CIN InitialCategoryOfAbuse", codes="category_of_abuse"),
        Column("latest_category", STR, "Latest category of abuse.",
               "CIN LatestCategoryOfAbuse", codes="category_of_abuse"),
        Column("previous_plans", INT, "Number of earlier CP plans the child has had.",
               "CIN NumberOfPreviousCPP"),
    ),
    key=("la_code", "cp_plan_id"),
    date_order=(("start_date", "end_date"),),
    references={**_child_ref(), "referral_id": ("referrals", "referral_id")},
)

CP_CONFERENCES = Table(
    "cp_conferences",
    "Child protection conferences: initial (ICPC) and review (RCPC).",
    (
        LA,
        Column("conference_id", STR, "Identifier."),
        CHILD,
        Column("conference_type", STR, "Initial or review.", codes="conference_type"),
        Column("conference_date", DATE, "Date held.", "CIN DateOfInitialCPC; CPPreviewDate"),
        Column("s47_id", STR, "For an initial conference, the enquiry that led to it.",
               required=False),
        Column("cp_plan_id", STR, "The plan it started or reviewed.", required=False),
    ),
    key=("la_code", "conference_id"),
    references={**_child_ref(), "cp_plan_id": ("cp_plans", "cp_plan_id")},
)

CIN_PLANS = Table(
    "cin_plans",
    "Child in need plans (section 17).",
    (
        LA,
        Column("cin_plan_id", STR, "Identifier.", "SSD cin_plans"),
        Column("referral_id", STR, "The CIN episode it belongs to."),
        CHILD,
        Column("start_date", DATE, "Plan start.", "CIN CINPlanStartDate"),
        Column("end_date", DATE, "Plan end.", "CIN CINPlanEndDate", required=False),
    ),
    key=("la_code", "cin_plan_id"),
    date_order=(("start_date", "end_date"),),
    references={**_child_ref(), "referral_id": ("referrals", "referral_id")},
)

VISITS = Table(
    "visits",
    "Statutory visits to children in need, on CP plans and looked after.",
    (
        LA,
        Column("visit_id", STR, "Identifier.", "SSD cin_visits / cla_visits"),
        CHILD,
        Column("visit_date", DATE, "Date of the visit."),
        Column("visit_type", STR, "Under which plan.", codes="visit_type"),
        Column("seen", BOOL, "The child was seen.", "Annex A"),
        Column("seen_alone", BOOL, "The child was seen alone.", "Annex A"),
        Column("worker_id", STR, "Worker who visited.", required=False),
    ),
    key=("la_code", "visit_id"),
    references=_child_ref(),
)

EPISODES = Table(
    "episodes",
    "Looked-after episodes: a new one whenever legal status or placement changes.",
    (
        LA,
        CHILD,
        Column("period_of_care_id", STR, "The period of care the episode belongs to."),
        Column("decom", DATE, "Date episode commenced.", "903 DECOM"),
        Column("rne", STR, "Reason for new episode.", "903 RNE", codes="rne"),
        Column("ls", STR, "Legal status.", "903 LS", codes="legal_status"),
        Column("cin", STR, "Category of need.", "903 CIN", codes="primary_need"),
        Column("place", STR, "Placement type.", "903 PLACE", codes="placement_type"),
        Column("place_provider", STR, "Placement provider.", "903 PLACE_PROVIDER",
               required=False, codes="placement_provider"),
        Column("dec", DATE, "Date episode ceased.", "903 DEC", required=False),
        Column("rec", STR, "Reason episode ceased.", "903 REC", required=False,
               codes="reason_episode_ceased"),
        Column("reason_place_change", STR, "Reason for placement change.",
               "903 REASON_PLACE_CHANGE", required=False, codes="reason_place_change"),
        Column("home_post", STR, "Partial postcode of the child's home.", "903 HOME_POST",
               required=False),
        Column("pl_post", STR, "Partial postcode of the placement.", "903 PL_POST",
               required=False),
        Column("urn", STR, "Ofsted URN of the placement provider.", "903 URN", required=False),
        Column("pl_la", STR, "LA code of the area the child is placed in.", "903 PL_LA",
               required=False),
        Column("pl_location", STR, "Placed inside (IN) or outside (OUT) the authority.",
               "903 PL_LOCATION", required=False, codes="placement_location"),
        Column("pl_distance", FLOAT, "Distance from home to placement in miles.",
               "903 PL_DISTANCE", required=False),
        Column("cost_per_week", FLOAT, "Placement cost per week in pounds.", "SSD", required=False),
        Column("prev_perm", STR, "On a period of care's first episode: the permanence the "
               "child had before it (null on other episodes, or not recorded).",
               "903 PrevPerm PREV_PERM", required=False, codes="previous_permanence"),
        Column("prev_perm_la", STR, "LA code of the authority that arranged that permanence.",
               "903 PrevPerm LA_PERM", required=False),
        Column("prev_perm_date", DATE, "Date of that permanence order.",
               "903 PrevPerm DATE_PERM", required=False),
    ),
    key=("la_code", "child_id", "decom"),
    date_order=(("decom", "dec"),),
    references=_child_ref(),
)

CLA_REVIEWS = Table(
    "cla_reviews",
    "Reviews of looked-after children chaired by an IRO.",
    (
        LA,
        CHILD,
        Column("review_date", DATE, "Date of the review.", "903 REVIEW"),
        Column("participation", STR, "How the child participated.", "903 REVIEW_CODE",
               required=False, codes="review_participation"),
    ),
    key=("la_code", "child_id", "review_date"),
    references=_child_ref(),
)

MISSING = Table(
    "missing_episodes",
    "Episodes of a looked-after child missing or away from placement without authorisation.",
    (
        LA,
        CHILD,
        Column("missing", STR, "Missing (M) or away without authorisation (A).", "903 MISSING",
               codes="missing_type"),
        Column("start_date", DATE, "Start of the episode.", "903 MIS_START"),
        Column("end_date", DATE, "End of the episode.", "903 MIS_END", required=False),
        Column("return_interview_offered_date", DATE, "Date a return interview was offered.",
               "Annex A list 8", required=False),
        Column("return_interview_accepted", BOOL, "The child took up the interview.",
               "Annex A list 8", required=False),
    ),
    key=("la_code", "child_id", "start_date"),
    date_order=(("start_date", "end_date"), ("end_date", "return_interview_offered_date")),
    references=_child_ref(),
)

ADOPTION = Table(
    "adoption",
    "Adoption steps for looked-after children with a plan for adoption.",
    (
        LA,
        CHILD,
        Column("date_decision", DATE, "Decision that the child should be placed for adoption.",
               "903 PlacedAdoption DATE_PLACED"),
        Column("date_match", DATE, "Date matched with adopters.", "903 AD1 DATE_MATCH",
               required=False),
        Column("date_placed", DATE, "Date placed for adoption.", required=False),
        Column("date_adopted", DATE, "Date of the adoption order.", required=False),
        Column("date_decision_ceased", DATE, "Date the plan for adoption ceased.",
               "903 PlacedAdoption DATE_PLACED_CEASED", required=False),
        Column("reason_decision_ceased", STR, "Why the plan ceased.",
               "903 PlacedAdoption REASON_PLACED_CEASED", required=False,
               codes="reason_placed_ceased"),
        Column("number_of_adopters", INT, "How many adopted the child (1 or 2).",
               "903 AD1 NB_ADOPTR", required=False),
        Column("sex_of_adopters", STR, "The adopters' sex.", "903 AD1 SEX_ADOPTR",
               required=False, codes="sex_of_adopters"),
        Column("legal_status_of_adopters", STR, "The adopters' legal status.",
               "903 AD1 LS_ADOPTR", required=False, codes="legal_status_of_adopters"),
    ),
    key=("la_code", "child_id", "date_decision"),
    date_order=(("date_decision", "date_match"), ("date_match", "date_placed"),
                ("date_placed", "date_adopted")),
    references=_child_ref(),
)

CARE_LEAVER_CONTACTS = Table(
    "care_leaver_contacts",
    "Contacts with care leavers around each birthday from 17 to 21.",
    (
        LA,
        CHILD,
        Column("contact_date", DATE, "Date of the contact."),
        Column("in_touch", STR, "Whether the authority is in touch.", "903 OC3 IN_TOUCH",
               codes="in_touch"),
        Column("activity", STR, "Main activity.", "903 OC3 ACTIV", required=False,
               codes="care_leaver_activity"),
        Column("accommodation", STR, "Accommodation and its suitability.", "903 OC3 ACCOM",
               required=False, codes="care_leaver_accommodation"),
    ),
    key=("la_code", "child_id", "contact_date"),
    references=_child_ref(),
)

TEAMS = Table(
    "teams",
    "Teams of social workers.",
    (
        LA,
        Column("team_id", STR, "Identifier."),
        Column("team_name", STR, "Name."),
        Column("service", STR, "Part of the service.", codes="service_area"),
    ),
    key=("la_code", "team_id"),
)

WORKERS = Table(
    "workers",
    "Social workers and their employment.",
    (
        LA,
        Column("worker_id", STR, "Identifier.", "903 SW_ID; SSD professionals"),
        Column("team_id", STR, "Team."),
        Column("role", STR, "Role.", codes="worker_role"),
        Column("start_date", DATE, "Started in post."),
        Column("end_date", DATE, "Left.", required=False),
        Column("agency", BOOL, "An agency worker."),
        Column("qualified_date", DATE, "Date qualified as a social worker.", required=False),
    ),
    key=("la_code", "worker_id"),
    date_order=(("start_date", "end_date"),),
    references={"team_id": ("teams", "team_id")},
)

ALLOCATIONS = Table(
    "allocations",
    "Which worker a child was allocated to, and when.",
    (
        LA,
        CHILD,
        Column("worker_id", STR, "Allocated worker.", "903 SWEpisodes SW_ID"),
        Column("start_date", DATE, "Allocation start.", "903 SW_DECOM"),
        Column("end_date", DATE, "Allocation end.", "903 SW_DEC", required=False),
        Column("reason_ended", STR, "Reason for change of worker.", "903 SW_REASON",
               required=False, codes="sw_change_reason"),
    ),
    key=("la_code", "child_id", "start_date"),
    date_order=(("start_date", "end_date"),),
    references={**_child_ref(), "worker_id": ("workers", "worker_id")},
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        AUTHORITIES, POPULATION, CHILDREN, CONTACTS, EARLY_HELP, REFERRALS, ASSESSMENTS,
        STRATEGY_DISCUSSIONS, SECTION_47, CP_PLANS, CP_CONFERENCES, CIN_PLANS, VISITS,
        EPISODES, CLA_REVIEWS, MISSING, ADOPTION, CARE_LEAVER_CONTACTS, TEAMS, WORKERS,
        ALLOCATIONS,
    )
}
