"""The SSDA903 return (children looked after): its tables, and writing them from the dataset.

The tables, columns and codes are written out here from the DfE's specification as
published in machine-readable form (``specs/README.md`` in the project's shared folder):
``SSDA903_schema_2017.yml`` for the 2016-17 return (the column order of each table is the
order there) and the yearly ``SSDA903_schema_20NN.diff.yml`` files for each later change:

- 2018-19 (2019 diff): REC E43/E44 replaced by E45-E48; REASON_PLACE_CHANGE adds CUSTOD;
- 2021-22 (2022 diff): OC3 ACTIV F3/P3 replaced by F4/P4 and F5/P5;
- 2023-24 (2024 diff): a new table, SWEpisodes (``social_worker`` in the spec);
- 2024-25 (2025 diff): SEX in Header and UASC becomes M/F/U (was 1 male, 2 female);
  PLACE drops H5 and P2 and adds K3;
- 2025-26 (2026 diff): PLACE adds Z11-Z14.

Every date is written DD/MM/YYYY, as the specification's ``date: "%d/%m/%Y"`` says.
The code lists themselves live in ``dataset.codes`` with the years they apply.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from childrenmatter.errors import UserError

DATE_FORMAT = "%d/%m/%Y"
FIRST_YEAR = 2017  # the earliest specification we hold: SSDA903_schema_2017.yml
LAST_YEAR = 2026  # the latest diff we hold: SSDA903_schema_2026.diff.yml
SW_EPISODES_FROM = 2024  # SSDA903_schema_2024.diff.yml adds the social_worker table
SEX_LETTERS_FROM = 2025  # SSDA903_schema_2025.diff.yml: SEX becomes M/F/U

# Placement types of a child placed for adoption with their current foster carer(s): a
# child adopted from one of these was adopted by them (AD1 FOSTER_CARE 1; rule 335).
PLACED_WITH_FOSTER_CARER = ("A3", "A5")
ADOPTED = ("E11", "E12")
FIRST_ALLOCATION = "FCONTA"  # SW_REASON "First contact or re-referral"


@dataclass(frozen=True)
class Table903:
    name: str  # as the DfE and the validators name the table; also the file name
    spec_name: str  # the table's key in the specification files
    columns: tuple[str, ...]
    dates: tuple[str, ...]
    first_year: int = FIRST_YEAR

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"


TABLES_903: tuple[Table903, ...] = (
    Table903("Header", "header",
             ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"), ("DOB", "MC_DOB")),
    Table903("Episodes", "episodes",
             ("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
              "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"), ("DECOM", "DEC")),
    Table903("Reviews", "reviews", ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"), ("DOB", "REVIEW")),
    Table903("UASC", "uasc", ("CHILD", "DOB", "SEX", "DUC"), ("DOB", "DUC")),
    Table903("OC2", "oc2",
             ("CHILD", "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK",
              "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE",
              "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"), ("DOB",)),
    Table903("OC3", "oc3", ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"), ("DOB",)),
    Table903("AD1", "ad1",
             ("CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR",
              "SEX_ADOPTR", "LS_ADOPTR"), ("DOB", "DATE_INT", "DATE_MATCH")),
    Table903("PlacedAdoption", "placed_adoption",
             ("CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
             ("DOB", "DATE_PLACED", "DATE_PLACED_CEASED")),
    Table903("PrevPerm", "prev_perm", ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"),
             ("DOB", "DATE_PERM")),
    Table903("Missing", "missing", ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
             ("DOB", "MIS_START", "MIS_END")),
    Table903("SWEpisodes", "social_worker",
             ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
             ("DOB", "SW_DECOM", "SW_DEC"), first_year=SW_EPISODES_FROM),
)
TABLE_903 = {t.name: t for t in TABLES_903}


def tables_for(year: int) -> tuple[Table903, ...]:
    """The tables of the return for collection ``year``."""
    check_year(year)
    return tuple(t for t in TABLES_903 if t.first_year <= year)


def check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise UserError(
            f"--year {year}: SSDA903 specifications are held for {FIRST_YEAR} to {LAST_YEAR} "
            "(the year the collection ends, 31 March)"
        )


def year_bounds(year: int) -> tuple[date, date]:
    """First and last day of collection ``year``: 1 April of the year before to 31 March."""
    return date(year - 1, 4, 1), date(year, 3, 31)


def _month_day(day: pl.Expr) -> pl.Expr:
    # Polars gives month and day as Int8: widen before multiplying, or 12 * 100 wraps.
    return day.dt.month().cast(pl.Int32) * 100 + day.dt.day().cast(pl.Int32)


def age_at(dob: pl.Expr, at: date) -> pl.Expr:
    """Whole years of age on ``at`` (a birthday counts on the day itself)."""
    before_birthday = _month_day(dob) > (at.month * 100 + at.day)
    return (pl.lit(at.year) - dob.dt.year() - before_birthday.cast(pl.Int32)).cast(pl.Int32)


def birthday_in_year(dob: pl.Expr, year: int) -> pl.Expr:
    """The child's birthday that falls in collection ``year`` (29 February -> 28th)."""
    _, end = year_bounds(year)
    return dob.dt.offset_by(pl.format("{}y", age_at(dob, end)))


# --- Writing -------------------------------------------------------------------------------


def write_903(
    tables: dict[str, pl.DataFrame], year: int, *, authority: str | None = None
) -> dict[str, pl.DataFrame]:
    """The return for collection ``year``: each table's rows as text, in the file's columns.

    Which rows belong follows the DfE's guidance for the 903: every episode open at any
    point in the year (one ending after 31 March is reported open: DEC and REC blank), a
    Header row for every child in any table, the year's reviews and missing episodes of
    those children, OC3 for care leavers whose 17th to 21st birthday falls in the year,
    AD1 for children adopted in the year.
    """
    check_year(year)
    la = one_authority(tables, authority)
    start, end = year_bounds(year)

    def of_la(name: str) -> pl.DataFrame:
        return tables[name].filter(pl.col("la_code") == la)

    children = of_la("children")
    # Frames made before the dataset held motherhood have no such columns: not recorded.
    children = children.with_columns(
        pl.lit(None, dtype).alias(name)
        for name, dtype in (("mother", pl.Boolean), ("mother_child_dob", pl.Date))
        if name not in children.columns
    ).select("child_id", "sex", "date_of_birth", "ethnicity", "upn", "uasc",
             "uasc_ceased_date", "mother", "mother_child_dob")
    episodes = of_la("episodes").filter(
        (pl.col("decom") <= end) & (pl.col("dec").is_null() | (pl.col("dec") >= start))
    )
    looked_after = episodes.select("child_id").unique()
    dob = children.select("child_id", pl.col("date_of_birth").alias("DOB"))

    out: dict[str, pl.DataFrame] = {}
    out["Episodes"] = _episodes(episodes, end)
    out["Reviews"] = (
        of_la("cla_reviews")
        .join(looked_after, on="child_id", how="semi")
        .filter(pl.col("review_date").is_between(start, end))
        .join(dob, on="child_id", how="left")
        .select(CHILD=pl.col("child_id"), DOB="DOB", REVIEW="review_date",
                REVIEW_CODE="participation")
    )
    out["OC3"] = _oc3(of_la("care_leaver_contacts"), children, year)
    out["AD1"] = _ad1(of_la("adoption"), episodes, dob, start, end)
    out["PlacedAdoption"] = (
        of_la("adoption")
        .join(looked_after, on="child_id", how="semi")
        # A decision ends with the adoption order as well as by ceasing: one that ended
        # before the year is not this year's (a child adopted and later back in care would
        # otherwise show a decision from before the new period began: rule 1003).
        .filter((pl.col("date_decision") <= end)
                & (pl.col("date_decision_ceased").is_null()
                   | (pl.col("date_decision_ceased") >= start))
                & (pl.col("date_adopted").is_null() | (pl.col("date_adopted") >= start)))
        .join(dob, on="child_id", how="left")
        .select(CHILD=pl.col("child_id"), DOB="DOB", DATE_PLACED="date_decision",
                DATE_PLACED_CEASED=_until(pl.col("date_decision_ceased"), end),
                REASON_PLACED_CEASED=pl.when(pl.col("date_decision_ceased") <= end)
                .then(pl.col("reason_decision_ceased")))
    )
    out["PrevPerm"] = _prev_perm(episodes, dob, start)
    out["Missing"] = (
        of_la("missing_episodes")
        .join(looked_after, on="child_id", how="semi")
        # The year's periods, and one begun before it still open on 1 April: last year's
        # file left its end blank, so this year's must give it (rule 576).
        .filter(pl.col("start_date").is_between(start, end)
                | ((pl.col("start_date") < start)
                   & (pl.col("end_date").is_null() | (pl.col("end_date") >= start))))
        .join(dob, on="child_id", how="left")
        .select(CHILD=pl.col("child_id"), DOB="DOB", MISSING="missing",
                MIS_START="start_date", MIS_END=_until(pl.col("end_date"), end))
    )
    if year >= SW_EPISODES_FROM:
        # SW_REASON says why a worker was assigned: it belongs to the episode that starts,
        # while the dataset records the reason on the allocation that ended (the DfE
        # validator's SW13STG1 wants a reason on every episode begun from April 2023). The
        # allocation an episode follows is the one that ended the day it started (the
        # latest begun, if several did); with none, the child was newly referred (FCONTA).
        ended = (
            of_la("allocations").filter(pl.col("end_date").is_not_null())
            .sort("child_id", "end_date", "start_date", "worker_id")
            .unique(["child_id", "end_date"], keep="last")
            .select("child_id", start_date="end_date", sw_reason="reason_ended")
        )
        allocations = (
            of_la("allocations").join(ended, on=["child_id", "start_date"], how="left")
            .with_columns(pl.col("sw_reason").fill_null(pl.lit(FIRST_ALLOCATION)))
        )
        # The 903's social worker episodes are those of the child looked after: a worker
        # allocated after care ended (a leaving care worker, say: rule SW12STG2) or whose
        # allocation ended by the day care began (from an earlier referral: SW10STG2,
        # SW11aSTG2 read the gap as missing episodes) is not reported.
        care = episodes.group_by("child_id").agg(
            _BEGAN=pl.col("decom").min(),
            _ENDED=pl.when((pl.col("dec").is_null() | (pl.col("dec") > end)).any())
            .then(pl.lit(None, pl.Date)).otherwise(pl.col("dec").max()))
        out["SWEpisodes"] = (
            allocations
            .join(care, on="child_id", how="inner")
            .filter(pl.col("_ENDED").is_null() | (pl.col("start_date") <= pl.col("_ENDED")))
            .filter(pl.col("end_date").is_null() | (pl.col("end_date") > pl.col("_BEGAN")))
            .filter((pl.col("start_date") <= end)
                    & (pl.col("end_date").is_null() | (pl.col("end_date") >= start)))
            .join(dob, on="child_id", how="left")
            .select(CHILD=pl.col("child_id"), DOB="DOB", SW_ID="worker_id",
                    SW_DECOM="start_date", SW_DEC=_until(pl.col("end_date"), end),
                    SW_REASON="sw_reason")
        )

    in_return = pl.concat(
        [looked_after, out["OC3"].select(child_id=pl.col("CHILD"))]
    ).unique()
    header_children = children.join(in_return, on="child_id", how="semi").join(
        looked_after.with_columns(_LOOKED_AFTER=pl.lit(True)), on="child_id", how="left")
    # Motherhood only for children looked after in the year, not for care leavers only
    # in OC3 (rule 628).
    looked_after_only = pl.col("_LOOKED_AFTER").fill_null(False)
    out["Header"] = header_children.select(
        CHILD=pl.col("child_id"),
        SEX=_sex(year),
        DOB=pl.col("date_of_birth"),
        ETHNIC=pl.col("ethnicity"),
        UPN=_upn(end),
        MOTHER=pl.when(looked_after_only).then(_mother(end)),
        MC_DOB=pl.when(looked_after_only & (_mother(end) == "1")).then(pl.col("mother_child_dob")),
    )
    out["UASC"] = (
        header_children.join(looked_after, on="child_id", how="semi")
        .filter(pl.col("uasc"))
        .select(CHILD=pl.col("child_id"), DOB=pl.col("date_of_birth"), SEX=_sex(year),
                DUC=pl.col("uasc_ceased_date"))
    )

    result: dict[str, pl.DataFrame] = {}
    for table in tables_for(year):
        frame = out.get(table.name)
        if frame is None:  # OC2: the dataset holds none of its facts
            frame = pl.DataFrame(schema={c: pl.String for c in table.columns})
        result[table.name] = _as_text(frame, table)
    return result


def one_authority(tables: dict[str, pl.DataFrame], authority: str | None) -> str:
    """The authority whose return to write: the one asked for, or the dataset's only one."""
    codes = tables["authorities"]["la_code"].to_list()
    if authority is not None:
        if authority not in codes:
            raise UserError(f"--authority {authority}: not an authority of the dataset "
                            f"(it holds {', '.join(sorted(codes)) or 'none'})")
        return authority
    if len(codes) != 1:
        raise UserError("the dataset holds several authorities "
                        f"({', '.join(sorted(codes))}): choose one with --authority")
    return str(codes[0])


def _until(column: pl.Expr, end: date) -> pl.Expr:
    """A date as the return for a year ending on ``end`` knows it: blank if still to come."""
    return pl.when(column <= end).then(column)


def _episodes(episodes: pl.DataFrame, end: date) -> pl.DataFrame:
    ended = pl.col("dec") <= end
    return episodes.sort("child_id", "decom").select(
        CHILD=pl.col("child_id"), DECOM="decom", RNE="rne", LS="ls", CIN="cin", PLACE="place",
        PLACE_PROVIDER="place_provider",
        DEC=pl.when(ended).then(pl.col("dec")),
        REC=pl.when(ended).then(pl.col("rec")),
        REASON_PLACE_CHANGE=pl.when(ended).then(pl.col("reason_place_change")),
        HOME_POST="home_post", PL_POST="pl_post", URN="urn",
    )


def _sex(year: int) -> pl.Expr:
    if year >= SEX_LETTERS_FROM:
        return pl.col("sex")
    # Before 2024-25 the 903 had only 1 (male) and 2 (female): an unknown sex has no code
    # and is left blank, for the validator to report.
    return pl.col("sex").replace_strict({"M": "1", "F": "2"}, default=None, return_dtype=pl.String)


def _prev_perm(episodes: pl.DataFrame, dob: pl.DataFrame, start: date) -> pl.DataFrame:
    """For each child who started to be looked after in the year, the permanence before
    (recorded on the period's first episode; the latest period if several began)."""
    for name, dtype in (("prev_perm", pl.String), ("prev_perm_la", pl.String),
                        ("prev_perm_date", pl.Date)):
        if name not in episodes.columns:   # a frame made before the dataset held it
            episodes = episodes.with_columns(pl.lit(None, dtype).alias(name))
    return (
        episodes.filter((pl.col("rne") == "S") & (pl.col("decom") >= start)
                        & pl.col("prev_perm").is_not_null())
        .sort("child_id", "decom").unique("child_id", keep="last", maintain_order=True)
        .join(dob, on="child_id", how="left")
        .select(CHILD=pl.col("child_id"), DOB="DOB", PREV_PERM="prev_perm",
                LA_PERM="prev_perm_la", DATE_PERM="prev_perm_date")
    )


def _mother(end: date) -> pl.Expr:
    """MOTHER for a girl whose motherhood is recorded: 1 once her first child is born by
    the year's end, else 0; blank for boys (rule 165) and where it is not recorded."""
    born_by_then = pl.col("mother_child_dob").is_null() | (pl.col("mother_child_dob") <= end)
    return (pl.when((pl.col("sex") == "F") & pl.col("mother").is_not_null())
            .then(pl.when(pl.col("mother") & born_by_then).then(pl.lit("1")).otherwise(pl.lit("0")))
            .otherwise(pl.lit(None, pl.String)))


def _upn(end: date) -> pl.Expr:
    # A child without a UPN gets one of the DfE's "unknown" codes: UN1 for a child not of
    # school age, UN2 for a school-age child who has none (rule 209 forbids UN1 for them).
    too_young = age_at(pl.col("date_of_birth"), end) < 5
    return (pl.when(pl.col("upn").is_not_null()).then(pl.col("upn"))
            .when(too_young).then(pl.lit("UN1")).otherwise(pl.lit("UN2")))


def _oc3(contacts: pl.DataFrame, children: pl.DataFrame, year: int) -> pl.DataFrame:
    """One row per care leaver whose 17th to 21st birthday falls in the year: the contact
    made around that birthday (the nearest birthday to the contact is the one it is for)."""
    start, end = year_bounds(year)
    nearest_age = (
        pl.col("contact_date").dt.offset_by("182d").pipe(_years_between, pl.col("date_of_birth"))
    )
    return (
        contacts.join(children.select("child_id", "date_of_birth"), on="child_id", how="inner")
        .with_columns(age=nearest_age)
        .with_columns(birthday=pl.col("date_of_birth").dt.offset_by(pl.format("{}y", "age")))
        .filter(pl.col("age").is_between(17, 21) & pl.col("birthday").is_between(start, end))
        .sort("child_id", "contact_date")
        .unique("child_id", keep="last", maintain_order=True)
        .select(CHILD=pl.col("child_id"), DOB="date_of_birth", IN_TOUCH="in_touch",
                ACTIV="activity", ACCOM="accommodation")
    )


def _years_between(later: pl.Expr, dob: pl.Expr) -> pl.Expr:
    before_birthday = _month_day(dob) > _month_day(later)
    return (later.dt.year() - dob.dt.year() - before_birthday.cast(pl.Int32)).cast(pl.Int32)


def _ad1(adoption: pl.DataFrame, episodes: pl.DataFrame, dob: pl.DataFrame,
         start: date, end: date) -> pl.DataFrame:
    """Children adopted in the year (an episode ceasing E11 or E12), with the decision and
    match of their adoption and the adopters' number, sex and legal status."""
    adopted = episodes.filter(
        pl.col("rec").is_in(ADOPTED) & pl.col("dec").is_between(start, end)
    ).select("child_id", adopted_on="dec", last_place="place")
    for name, dtype in (("number_of_adopters", pl.Int64), ("sex_of_adopters", pl.String),
                        ("legal_status_of_adopters", pl.String)):
        if name not in adoption.columns:   # a frame made before the dataset held adopters
            adoption = adoption.with_columns(pl.lit(None, dtype).alias(name))
    decisions = adoption.filter(pl.col("date_decision_ceased").is_null()).select(
        "child_id", "date_decision", "date_match", "number_of_adopters", "sex_of_adopters",
        "legal_status_of_adopters"
    )
    return (
        adopted.join(decisions, on="child_id", how="inner")
        .filter(pl.col("date_decision") <= pl.col("adopted_on"))
        .sort("child_id", "date_decision")
        .unique("child_id", keep="last", maintain_order=True)
        .join(dob, on="child_id", how="left")
        .select(CHILD=pl.col("child_id"), DOB="DOB", DATE_INT="date_decision",
                DATE_MATCH="date_match",
                FOSTER_CARE=pl.when(pl.col("last_place").is_in(PLACED_WITH_FOSTER_CARER))
                .then(pl.lit("1")).otherwise(pl.lit("0")),
                NB_ADOPTR=pl.col("number_of_adopters").cast(pl.String),
                SEX_ADOPTR="sex_of_adopters", LS_ADOPTR="legal_status_of_adopters")
    )


def _as_text(frame: pl.DataFrame, table: Table903) -> pl.DataFrame:
    """The table's columns in the specification's order, dates DD/MM/YYYY, all as text."""
    order = ["CHILD", *(d for d in table.dates if d != "DOB")]
    frame = frame.sort(order, nulls_last=True)
    columns = []
    for name in table.columns:
        column = pl.col(name)
        if frame.schema[name] == pl.Date:
            column = column.dt.strftime(DATE_FORMAT)
        columns.append(column.cast(pl.String).alias(name))
    return frame.select(columns)


def write_903_files(return_903: dict[str, pl.DataFrame], folder: Path) -> None:
    """Write each table of a return as ``<Table>.csv`` in ``folder``."""
    for name, frame in return_903.items():
        frame.write_csv(folder / TABLE_903[name].file_name, null_value="")
