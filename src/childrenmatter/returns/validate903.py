"""Checking a year's SSDA903 files against the DfE's validation rules.

Each rule's code and message are the DfE's, as listed in ``903_2025_26_rule_info.csv``
(``specs/README.md``); the checks are written here from that text, each one Polars
expression or join over a whole table. Rules that compare with last year's return
(``_last`` tables) run when last year's folder is given too (``LAST_YEAR_RULES``: 202-204,
208, 502, 503A-J, 562, 576); those that need the postcode lookup or Ofsted's provider list
are not implemented (see docs/returns.md for the list).

A file that cannot be read as a 903 table (not CSV, not text, unknown columns) is not a
finding but a ``UserError``: the command exits 2.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from childrenmatter.dataset.codes import codes_for, collection_year
from childrenmatter.errors import UserError
from childrenmatter.returns.files import read_csv_text
from childrenmatter.returns.findings import Finding, findings_from
from childrenmatter.returns.read903 import _year_in_name, csv_files, identify
from childrenmatter.returns.ssda903 import (
    DATE_FORMAT,
    FIRST_YEAR,
    LAST_YEAR,
    SEX_LETTERS_FROM,
    TABLE_903,
    TABLES_903,
    check_year,
    year_bounds,
)

LINE = "__line"
UPN = r"^[A-Za-z]\d{11}[A-Za-z0-9]$"  # a letter, 11 digits and a check character
UPN_UNKNOWN = ("UN1", "UN2", "UN3", "UN4", "UN5")
TEMPORARY = ("T0", "T1", "T2", "T3", "T4")
# What describes a placement, for telling whether an episode changed it (rules 434-436).
PLACEMENT_FIELDS = ("PLACE", "PLACE_PROVIDER", "PL_POST", "URN")


def d(column: str) -> pl.Expr:
    """A DD/MM/YYYY text column as a date (null when blank or not a date)."""
    return pl.col(column).str.strptime(pl.Date, DATE_FORMAT, strict=False)


def bad_date(column: str) -> pl.Expr:
    return pl.col(column).is_not_null() & d(column).is_null()


def age(dob: pl.Expr, at: pl.Expr | date) -> pl.Expr:
    at_expr = pl.lit(at) if isinstance(at, date) else at
    month_day = (at_expr.dt.month().cast(pl.Int32) * 100 + at_expr.dt.day().cast(pl.Int32))
    born = dob.dt.month().cast(pl.Int32) * 100 + dob.dt.day().cast(pl.Int32)
    return at_expr.dt.year() - dob.dt.year() - (born > month_day).cast(pl.Int32)


@dataclass(frozen=True)
class Year903:
    year: int
    tables: dict[str, pl.DataFrame]  # every table, all text, with the file line in LINE

    @property
    def start(self) -> date:
        return year_bounds(self.year)[0]

    @property
    def end(self) -> date:
        return year_bounds(self.year)[1]

    def __getitem__(self, name: str) -> pl.DataFrame:
        return self.tables[name]


def load_year(path: str | Path, year: int | None = None) -> Year903:
    """One year's 903 files (a folder), each table as text; absent tables are empty."""
    groups = csv_files([path])
    if len(groups) != 1:
        raise UserError(f"{path}: give one year's folder of 903 files")
    tables: dict[str, pl.DataFrame] = {}
    for file in groups[0]:
        raw = read_csv_text(file)
        table = identify(file, raw.columns)
        if table.name in tables:
            raise UserError(f"{file}: a second {table.name} table in the same folder")
        tables[table.name] = raw.with_row_index(LINE, offset=2)
    for table in TABLES_903:
        if table.name not in tables:
            tables[table.name] = pl.DataFrame(
                schema={**{c: pl.String for c in table.columns}, LINE: pl.UInt32})
    if year is None:
        year = _year_in_name(Path(path)) or _latest_year(tables)
    check_year(year)
    return Year903(year, tables)


def _latest_year(tables: dict[str, pl.DataFrame]) -> int:
    latest = [tables[t.name].select(pl.max_horizontal([d(c) for c in t.dates
                                                       if c not in ("DOB", "MC_DOB", "DUC")]))
              .to_series().max() for t in TABLES_903 if tables[t.name].height]
    found = [x for x in latest if isinstance(x, date)]
    if not found:
        raise UserError("the year of the return cannot be told: give --year")
    return collection_year(max(found))


@dataclass(frozen=True)
class Rule:
    code: str
    table: str
    field: str | None
    message: str
    check: Callable[[Year903], pl.DataFrame]  # the rows that break the rule


RULES: list[Rule] = []


def rule(code: str, table: str, field: str | None, message: str):
    def register(check: Callable[[Year903], pl.DataFrame]) -> Callable[[Year903], pl.DataFrame]:
        RULES.append(Rule(code, table, field, message, check))
        return check
    return register


def _invalid_date(code: str, table: str, field: str, message: str, required: bool) -> None:
    def check(y: Year903) -> pl.DataFrame:
        bad = bad_date(field) | (pl.col(field).is_null() if required else pl.lit(False))
        return y[table].filter(bad)
    RULES.append(Rule(code, table, field, message, check))


def _invalid_code(code: str, table: str, field: str, message: str,
                  codes: Callable[[int], frozenset[str]], required: bool,
                  by: str | None = None) -> None:
    """A code not valid in the year; with ``by``, the collection year of that date column
    (an episode keeps the placement type it started with, as the dataset's own checks do:
    an H5 episode begun in 2023-24 and ending on 1 April 2024 appears in 2024-25's file)."""
    def check(y: Year903) -> pl.DataFrame:
        years = range(FIRST_YEAR, LAST_YEAR + 1)
        valid = pl.DataFrame(
            [(year, c) for year in years for c in sorted(codes(year))],
            schema={"__year": pl.Int32, field: pl.String}, orient="row")
        frame = y[table].with_columns(__year=_year_of(by, y.year))
        bad = frame.filter(pl.col(field).is_not_null()).join(
            valid, on=["__year", field], how="anti")
        if required:
            bad = pl.concat([bad, frame.filter(pl.col(field).is_null())])
        return bad
    RULES.append(Rule(code, table, field, message, check))


def _year_of(column: str | None, default: int) -> pl.Expr:
    if column is None:
        return pl.lit(default, pl.Int32)
    day = d(column)
    year = (day.dt.year() + (day.dt.month() >= 4).cast(pl.Int32)).cast(pl.Int32)
    # Years outside the specifications we hold are judged by the nearest one held.
    return year.clip(FIRST_YEAR, LAST_YEAR).fill_null(default)


def _listed(name: str) -> Callable[[int], frozenset[str]]:
    return lambda year: codes_for(name, year)


def _fixed(*codes: str) -> Callable[[int], frozenset[str]]:
    return lambda year: frozenset(codes)


def _sex_codes(year: int) -> frozenset[str]:
    # SSDA903_schema_2025.diff.yml: M/F/U from 2024-25; 1/2 before.
    return frozenset({"M", "F", "U"} if year >= SEX_LETTERS_FROM else {"1", "2"})


# --- codes and dates (the rule list's "not a valid code / date" rules) ---------------------

_invalid_code("101", "Header", "SEX", "The child or young person’s reported sex is not valid.",
              _sex_codes, True)
_invalid_date("102", "Header", "DOB", "Date of birth is not a valid date.", True)
_invalid_code("103", "Header", "ETHNIC",
              "The ethnicity code is either not valid or has not been entered.",
              _listed("ethnicity"), True)
_invalid_date("104", "UASC", "DUC", "Date for Unaccompanied Asylum-Seeking Children (UASC) "
              "status ceased is not a valid date.", False)
_invalid_date("112", "AD1", "DATE_INT", "Date should be placed for adoption is not a valid date.",
              False)
_invalid_date("113", "AD1", "DATE_MATCH",
              "Date matching child and adopter(s) is not a valid date.", False)
_invalid_code("114", "AD1", "FOSTER_CARE", "Data entry to record the status of former carer(s) "
              "of an adopted child is invalid.", _fixed("0", "1"), False)
_invalid_date("115", "PlacedAdoption", "DATE_PLACED", "Date of Local Authority's (LA) decision "
              "that a child should be placed for adoption is not a valid date.", True)
_invalid_date("116", "PlacedAdoption", "DATE_PLACED_CEASED", "Date of Local Authority's (LA) "
              "decision that a child should no longer be placed for adoption is not a valid date.",
              False)
_invalid_code("120", "PlacedAdoption", "REASON_PLACED_CEASED", "The reason for the reversal of "
              "the decision that the child should be placed for adoption code is not valid.",
              _listed("reason_placed_ceased"), False)
_invalid_code("131", "OC3", "IN_TOUCH", "Data entry for being in touch after leaving care is "
              "invalid.", _listed("in_touch"), True)
_invalid_code("132", "OC3", "ACTIV", "Data entry for activity after leaving care is invalid.",
              _listed("care_leaver_activity"), False)
_invalid_code("133", "OC3", "ACCOM", "Data entry for accommodation after leaving care is "
              "invalid. If reporting on a childs accommodation after leaving care the data entry "
              "must be valid", _listed("care_leaver_accommodation"), False)
_invalid_date("141", "Episodes", "DECOM", "Date episode began is not a valid date.", True)
_invalid_code("143", "Episodes", "RNE", "The reason for new episode code is not a valid code.",
              _listed("rne"), True)
_invalid_code("144", "Episodes", "LS", "The legal status code is not a valid code.",
              _listed("legal_status"), True)
# SSDA903_schema_2017.yml: the 903's category of need is N1-N8 of the CIN primary needs.
_invalid_code("145", "Episodes", "CIN", "Category of need code is not a valid code.",
              _fixed(*(f"N{n}" for n in range(1, 9))), True)
_invalid_code("146", "Episodes", "PLACE", "Placement type code is not a valid code.",
              _listed("placement_type"), True, by="DECOM")
_invalid_date("147", "Episodes", "DEC", "Date episode ceased is not a valid date.", False)
_invalid_code("149", "Episodes", "REC", "Reason episode ceased code is not valid. ",
              _listed("reason_episode_ceased"), False, by="DEC")
_invalid_date("166", "Reviews", "REVIEW", "Date of review is invalid or blank.", True)
_invalid_code("167", "Reviews", "REVIEW_CODE", "Data entry for participation is invalid or "
              "blank.", _listed("review_participation"), True)
_invalid_date("171", "Header", "MC_DOB", "Date of birth of mother's child is not a valid date.",
              False)
_invalid_code("175", "AD1", "NB_ADOPTR", "The number of adopter(s) code is not a valid code.",
              _fixed("1", "2"), False)
_invalid_code("176", "AD1", "SEX_ADOPTR", "The gender of adopter(s) at the date of adoption code "
              "is not a valid code.", _fixed("M1", "F1", "MM", "FF", "MF"), False)
_invalid_code("177", "AD1", "LS_ADOPTR", "The legal status of adopter(s) code is not a valid "
              "code.", _fixed("L0", "L11", "L12", "L2", "L3", "L4"), False)
_invalid_code("178", "Episodes", "PLACE_PROVIDER", "Placement provider code is not a valid code.",
              _listed("placement_provider"), False)
_invalid_code("1009", "Episodes", "REASON_PLACE_CHANGE", "Reason for placement change is not a "
              "valid code.", _listed("reason_place_change"), False)
_invalid_date("1004", "Missing", "MIS_START", "The start date of the missing episode or episode "
              "that the child was away from placement without authorisation is not a valid date.",
              False)
_invalid_date("1005", "Missing", "MIS_END", "The end date of the missing episode or episode that "
              "the child was away from placement without authorisation is not a valid date.",
              False)
_invalid_code("1006", "Missing", "MISSING", "Missing type invalid.", _listed("missing_type"),
              False)
_invalid_date("SW04STG1", "SWEpisodes", "SW_DECOM",
              "Date social worker episode began is not a valid date..", True)
_invalid_date("SW05STG1", "SWEpisodes", "SW_DEC",
              "Date social worker episode began is not a valid date.", False)


# --- the Header ---------------------------------------------------------------------------


@rule("168", "Header", "UPN", "Unique Pupil Number (UPN) is not valid. If unknown, default "
      "codes should be UN1, UN2, UN3, UN4 or UN5.")
def _upn_valid(y: Year903) -> pl.DataFrame:
    return y["Header"].filter(pl.col("UPN").is_not_null() & ~pl.col("UPN").str.contains(UPN)
                              & ~pl.col("UPN").is_in(UPN_UNKNOWN))


@rule("442", "Header", "UPN", "Unique Pupil Number (UPN) field is not completed.")
def _upn_blank(y: Year903) -> pl.DataFrame:
    return y["Header"].filter(pl.col("UPN").is_null())


@rule("444", "Header", "UPN", "Duplicate UPN has been reported")
def _upn_duplicate(y: Year903) -> pl.DataFrame:
    known = y["Header"].filter(pl.col("UPN").is_not_null() & ~pl.col("UPN").is_in(UPN_UNKNOWN))
    return known.filter(pl.col("UPN").is_duplicated())


@rule("301", "Header", "DOB", "Date of birth falls after the year ended.")
def _born_after_year(y: Year903) -> pl.DataFrame:
    return y["Header"].filter(d("DOB") > y.end)


@rule("351", "Header", "DOB", "Child was over 25 at the start of the current collection year.")
def _over_25(y: Year903) -> pl.DataFrame:
    return y["Header"].filter(age(d("DOB"), y.start) > 25)


@rule("174", "Header", "MC_DOB",
      "Mother's child date of birth is recorded but sex shows that the child is a male.")
def _male_mother(y: Year903) -> pl.DataFrame:
    return y["Header"].filter(pl.col("MC_DOB").is_not_null() & pl.col("SEX").is_in(["1", "M"]))


@rule("INT32", "Header", "CHILD", "Internal Check: Child should only exist once in Header.")
def _header_once(y: Year903) -> pl.DataFrame:
    return y["Header"].filter(pl.col("CHILD").is_duplicated())


def _not_in_header(code: str, table: str) -> None:
    def check(y: Year903) -> pl.DataFrame:
        return y[table].join(y["Header"].select("CHILD"), on="CHILD", how="anti")
    RULES.append(Rule(code, table, "CHILD",
                      f"Internal Check: Child in {table} does not exist in Header.", check))


def _dob_differs(code: str, table: str) -> None:
    def check(y: Year903) -> pl.DataFrame:
        header = y["Header"].select("CHILD", HEADER_DOB=d("DOB")).unique("CHILD")
        return y[table].join(header, on="CHILD", how="inner").filter(
            d("DOB").ne_missing(pl.col("HEADER_DOB")))
    RULES.append(Rule(code, table, "DOB",
                      f"Internal Check: DOB in {table} is different to DOB in Header.", check))


def _once(code: str, table: str) -> None:
    def check(y: Year903) -> pl.DataFrame:
        return y[table].filter(pl.col("CHILD").is_duplicated())
    RULES.append(Rule(code, table, "CHILD",
                      f"Internal Check: Child should only exist once in {table}.", check))


for _code, _table in (("INT01", "AD1"), ("INT02", "PlacedAdoption"), ("INT03", "Episodes"),
                      ("INT04", "Missing"), ("INT05", "OC2"), ("INT06", "OC3"),
                      ("INT07", "PrevPerm"), ("INT08", "Reviews"), ("INT09", "UASC")):
    _not_in_header(_code, _table)
for _code, _table in (("INT11", "AD1"), ("INT12", "PlacedAdoption"), ("INT13", "Missing"),
                      ("INT14", "OC2"), ("INT15", "OC3"), ("INT16", "PrevPerm"),
                      ("INT17", "Reviews"), ("INT18", "UASC")):
    _dob_differs(_code, _table)
for _code, _table in (("INT31", "AD1"), ("INT33", "OC2"), ("INT34", "OC3"),
                      ("INT35", "PrevPerm"), ("INT36", "UASC")):
    _once(_code, _table)


@rule("INT21", "UASC", "SEX", "Internal Check: SEX in UASC is different to SEX in Header.")
def _uasc_sex(y: Year903) -> pl.DataFrame:
    header = y["Header"].select("CHILD", HEADER_SEX="SEX").unique("CHILD")
    return y["UASC"].join(header, on="CHILD").filter(pl.col("SEX").ne_missing(pl.col("HEADER_SEX")))


@rule("304", "UASC", "DUC", "Date unaccompanied asylum-seeking child (UASC) status ceased must be "
      "on or before the 18th birthday of a child.")
def _duc_after_18(y: Year903) -> pl.DataFrame:
    return y["UASC"].filter(d("DUC") > d("DOB").dt.offset_by("18y"))


# --- episodes -------------------------------------------------------------------------------


def _episodes(y: Year903) -> pl.DataFrame:
    """Episodes in order within each child, with the neighbouring episodes' dates."""
    return (y["Episodes"].with_columns(_DECOM=d("DECOM"), _DEC=d("DEC"))
            .filter(pl.col("_DECOM").is_not_null())
            .sort("CHILD", "_DECOM")
            .with_columns(
                _PREV_DEC=pl.col("_DEC").shift(1).over("CHILD"),
                _PREV_REC=pl.col("REC").shift(1).over("CHILD"),
                _HAS_PREV=pl.int_range(pl.len()).over("CHILD") > 0,
                _NEXT_DECOM=pl.col("_DECOM").shift(-1).over("CHILD"),
                _NEXT_RNE=pl.col("RNE").shift(-1).over("CHILD"),
                _SAME_LS=pl.col("LS").eq_missing(pl.col("LS").shift(1)).over("CHILD"),
                _SAME_PLACEMENT=pl.all_horizontal(
                    pl.col(c).eq_missing(pl.col(c).shift(1)).over("CHILD")
                    for c in PLACEMENT_FIELDS),
                _NEXT_PLACE=pl.col("PLACE").shift(-1).over("CHILD"),
                _IS_LAST=pl.int_range(pl.len()).over("CHILD") == pl.len().over("CHILD") - 1))


@rule("148", "Episodes", "REC",
      "Date episode ceased and reason episode ceased must both be coded, or both left blank.")
def _dec_rec_together(y: Year903) -> pl.DataFrame:
    return y["Episodes"].filter(pl.col("DEC").is_null() != pl.col("REC").is_null())


@rule("142", "Episodes", "DEC",
      "A new episode has started, but the previous episode has not ended.")
def _previous_open(y: Year903) -> pl.DataFrame:
    # Found on the earlier episode: the one left without an end.
    return _episodes(y).filter(~pl.col("_IS_LAST") & pl.col("DEC").is_null())


@rule("501", "Episodes", "DECOM",
      "A new episode has started before the end date of the previous episode.")
def _overlap(y: Year903) -> pl.DataFrame:
    return _episodes(y).filter(pl.col("_DECOM") < pl.col("_PREV_DEC"))


@rule("356", "Episodes", "DEC",
      "The date the episode ceased is before the date the same episode started.")
def _ends_before_start(y: Year903) -> pl.DataFrame:
    return y["Episodes"].filter(d("DEC") < d("DECOM"))


@rule("354", "Episodes", "DECOM",
      "Date episode ceased must be on or before the end of the current collection year.")
def _starts_after_year(y: Year903) -> pl.DataFrame:
    return y["Episodes"].filter(d("DECOM") > y.end)


@rule("385", "Episodes", "DEC",
      "Date episode ceased must be on or before the end of the current collection year.")
def _ends_after_year(y: Year903) -> pl.DataFrame:
    return y["Episodes"].filter(d("DEC") > y.end)


@rule("353", "Episodes", "DECOM", "No episode submitted can start before 14 October 1991.")
def _before_children_act(y: Year903) -> pl.DataFrame:
    return y["Episodes"].filter(d("DECOM") < date(1991, 10, 14))


@rule("302", "Episodes", "DECOM", "First episode starts before child was born.")
def _before_birth(y: Year903) -> pl.DataFrame:
    dob = y["Header"].select("CHILD", _DOB=d("DOB")).unique("CHILD")
    first = _episodes(y).filter(~pl.col("_HAS_PREV"))
    return first.join(dob, on="CHILD").filter(pl.col("_DECOM") < pl.col("_DOB"))


@rule("388", "Episodes", "REC",
      "Reason episode ceased is coded new episode begins, but there is no continuation episode.")
def _x1_without_next(y: Year903) -> pl.DataFrame:
    return _episodes(y).filter((pl.col("REC") == "X1")
                               & pl.col("_NEXT_DECOM").ne_missing(pl.col("_DEC")))


@rule("433", "Episodes", "DECOM", "The reason for new episode suggests that this is a "
      "continuation episode, but the episode does not start on the same day as the last "
      "episode finished.")
def _continuation_gap(y: Year903) -> pl.DataFrame:
    return _episodes(y).filter(pl.col("_HAS_PREV") & pl.col("RNE").is_in(["L", "P", "T", "U", "B"])
                               & pl.col("_DECOM").ne_missing(pl.col("_PREV_DEC")))


@rule("432", "Episodes", "RNE", "The child ceased to be looked after at the end of the previous "
      "episode but the reason for the new episode is not started to be looked after.")
def _restart_not_s(y: Year903) -> pl.DataFrame:
    return _episodes(y).filter(pl.col("_HAS_PREV") & pl.col("_PREV_REC").is_not_null()
                               & (pl.col("_PREV_REC") != "X1") & (pl.col("RNE") != "S"))


@rule("225", "Episodes", "REASON_PLACE_CHANGE", "Reason for placement change must be recorded.")
def _placement_change_without_reason(y: Year903) -> pl.DataFrame:
    # The episode that ends with a move (the next one's RNE says the placement changed)
    # records why, unless a temporary placement is involved at either end.
    moved = pl.col("_NEXT_RNE").is_in(["P", "B", "T", "U"])
    temporary = pl.col("PLACE").is_in(TEMPORARY) | pl.col("_NEXT_PLACE").is_in(TEMPORARY)
    return _episodes(y).filter((pl.col("REC") == "X1") & moved & ~temporary
                               & pl.col("REASON_PLACE_CHANGE").is_null())


@rule("434", "Episodes", "RNE", "Reason for new episode is that child's legal status has "
      "changed but not the placement, but this is not reflected in the episode data.")
def _rne_l(y: Year903) -> pl.DataFrame:
    return _episodes(y).filter(pl.col("_HAS_PREV") & (pl.col("RNE") == "L")
                               & (pl.col("_SAME_LS") | ~pl.col("_SAME_PLACEMENT")))


@rule("435", "Episodes", "RNE", "Reason for new episode is that child’s placement has changed "
      "but not the legal status, but this is not reflected in the episode data recorded.")
def _rne_p_t(y: Year903) -> pl.DataFrame:
    # Only a change of legal status shows: a move between two carers of the same type and
    # provider in the same postcode sector leaves every placement field as it was.
    return _episodes(y).filter(pl.col("_HAS_PREV") & pl.col("RNE").is_in(["P", "T"])
                               & ~pl.col("_SAME_LS"))


@rule("436", "Episodes", "RNE", "Reason for new episode is that both child’s placement and "
      "legal status have changed, but this is not reflected in the episode data.")
def _rne_b_u(y: Year903) -> pl.DataFrame:
    # As for 435, an unchanged placement cannot be told from the fields: the legal status can.
    return _episodes(y).filter(pl.col("_HAS_PREV") & pl.col("RNE").is_in(["B", "U"])
                               & pl.col("_SAME_LS"))


@rule("217", "Episodes", "RNE", "Children who are placed for adoption with current foster "
      "carers (placement types A3 or A5) must have a reason for new episode of S, T or U.")
def _adopted_by_carers_rne(y: Year903) -> pl.DataFrame:
    return y["Episodes"].filter(pl.col("PLACE").is_in(["A3", "A5"])
                                & ~pl.col("RNE").is_in(["S", "T", "U"]))


@rule("378", "Episodes", "LS", "A child who is placed with parent(s) cannot be looked after "
      "under a single period of accommodation under Section 20 of the Children Act 1989.")
def _with_parents_under_s20(y: Year903) -> pl.DataFrame:
    return y["Episodes"].filter((pl.col("PLACE") == "P1") & (pl.col("LS") == "V2"))


@rule("460", "Episodes", "REC", "Reason episode ceased is that child stayed with current "
      "carers at age 18 (or above), but child is aged under 18.")
def _staying_put_under_18(y: Year903) -> pl.DataFrame:
    dob = y["Header"].select("CHILD", _DOB=d("DOB")).unique("CHILD")
    return y["Episodes"].join(dob, on="CHILD").filter(
        (pl.col("REC") == "E17") & (age(pl.col("_DOB"), d("DEC")) < 18))


@rule("380", "Episodes", "PLACE", "A period of care cannot start with a temporary placement.")
def _starts_temporary(y: Year903) -> pl.DataFrame:
    return y["Episodes"].filter((pl.col("RNE") == "S") & pl.col("PLACE").is_in(TEMPORARY))


@rule("381", "Episodes", "PLACE", "A period of care cannot end with a temporary placement.")
def _ends_temporary(y: Year903) -> pl.DataFrame:
    return y["Episodes"].filter(pl.col("REC").is_not_null() & (pl.col("REC") != "X1")
                                & pl.col("PLACE").is_in(TEMPORARY))


@rule("233", "Episodes", "REASON_PLACE_CHANGE",
      "Reason for placement change is not required when the episode has not ceased.")
def _reason_without_end(y: Year903) -> pl.DataFrame:
    return y["Episodes"].filter(pl.col("DEC").is_null()
                                & pl.col("REASON_PLACE_CHANGE").is_not_null())


# --- reviews, missing, adoption, care leavers, social workers --------------------------------


@rule("440", "Reviews", "REVIEW_CODE", "Participation method indicates child was under 4 years "
      "old at the time of the review, but date of birth and review date indicates the child "
      "was 4 years old or over.")
def _pn0_but_four(y: Year903) -> pl.DataFrame:
    return y["Reviews"].filter((pl.col("REVIEW_CODE") == "PN0")
                               & (age(d("DOB"), d("REVIEW")) >= 4))


@rule("441", "Reviews", "REVIEW_CODE", "Participation method indicates child was 4 years old or "
      "over at the time of the review, but the date of birth and review date indicates the "
      "child was under 4 years old.")
def _not_pn0_but_under_four(y: Year903) -> pl.DataFrame:
    return y["Reviews"].filter(pl.col("REVIEW_CODE").is_not_null()
                               & (pl.col("REVIEW_CODE") != "PN0")
                               & (age(d("DOB"), d("REVIEW")) < 4))


@rule("567", "Missing", "MIS_END", "The date that the missing episode or episode that the child "
      "was away from placement without authorisation ended is before the date that it started.")
def _missing_ends_first(y: Year903) -> pl.DataFrame:
    return y["Missing"].filter(d("MIS_END") < d("MIS_START"))


@rule("570", "Missing", "MIS_START", "The date that the child started to be missing or away from "
      "placement without authorisation is after the end of the collection year.")
def _missing_after_year(y: Year903) -> pl.DataFrame:
    return y["Missing"].filter(d("MIS_START") > y.end)


@rule("564", "Missing", "MIS_START", "Child was missing or away from placement without "
      "authorisation and the date started is blank.")
def _missing_no_start(y: Year903) -> pl.DataFrame:
    return y["Missing"].filter(pl.col("MISSING").is_not_null() & pl.col("MIS_START").is_null())


@rule("586", "Missing", "MIS_START", "Dates of missing periods are before child’s date of birth.")
def _missing_before_birth(y: Year903) -> pl.DataFrame:
    return y["Missing"].filter(d("MIS_START") < d("DOB"))


@rule("577", "Missing", "MIS_END", "Child ceased to be looked after but there is a "
      "missing/away from placement without authorisation period without an end date.")
def _missing_open_after_care(y: Year903) -> pl.DataFrame:
    left_care = _episodes(y).filter(pl.col("_IS_LAST") & pl.col("REC").is_not_null()
                                    & (pl.col("REC") != "X1")).select("CHILD")
    return y["Missing"].filter(pl.col("MIS_END").is_null()).join(left_care, on="CHILD")


def _decisions(y: Year903) -> pl.DataFrame:
    return (y["PlacedAdoption"].with_columns(_PLACED=d("DATE_PLACED"),
                                             _CEASED=d("DATE_PLACED_CEASED"))
            .sort("CHILD", "_PLACED")
            .with_columns(_PREV_CEASED=pl.col("_CEASED").shift(1).over("CHILD"),
                          _HAS_PREV=pl.int_range(pl.len()).over("CHILD") > 0,
                          _IS_LAST=pl.int_range(pl.len()).over("CHILD")
                          == pl.len().over("CHILD") - 1))


@rule("579", "PlacedAdoption", "DATE_PLACED", "A new decision that the child should be placed "
      "for adoption this year cannot start when the previous decision is still open.")
def _decision_while_open(y: Year903) -> pl.DataFrame:
    return _decisions(y).filter(pl.col("_HAS_PREV") & (
        pl.col("_PREV_CEASED").is_null() | (pl.col("_PLACED") < pl.col("_PREV_CEASED"))))


@rule("583", "PlacedAdoption", "DATE_PLACED_CEASED", "More than one date the child should be "
      "placed for adoption has been reported, but an earlier decision has not been revoked.")
def _earlier_decision_not_revoked(y: Year903) -> pl.DataFrame:
    return _decisions(y).filter(~pl.col("_IS_LAST") & pl.col("DATE_PLACED_CEASED").is_null())


@rule("119", "PlacedAdoption", "REASON_PLACED_CEASED", "If the decision is made that a child "
      "should no longer be placed for adoption, then the date of this decision and the reason "
      "why this decision was made must be completed.")
def _ceased_with_reason(y: Year903) -> pl.DataFrame:
    frame = y["PlacedAdoption"]
    return frame.filter(pl.col("DATE_PLACED_CEASED").is_null()
                        != pl.col("REASON_PLACED_CEASED").is_null())


@rule("522", "PlacedAdoption", "DATE_PLACED_CEASED", "Date of decision that the child should be "
      "placed for adoption must be on or before the date that a child should no longer be "
      "placed for adoption.")
def _ceased_before_decision(y: Year903) -> pl.DataFrame:
    return y["PlacedAdoption"].filter(d("DATE_PLACED_CEASED") < d("DATE_PLACED"))


@rule("523", "AD1", "DATE_INT", "Date of decision that the child should be placed for adoption "
      "should be the same date as the decision that adoption is in the best interest (date "
      "should be placed).")
def _decision_dates_differ(y: Year903) -> pl.DataFrame:
    decisions = y["PlacedAdoption"].select("CHILD", DATE_INT="DATE_PLACED")
    with_decision = y["AD1"].join(y["PlacedAdoption"].select("CHILD").unique(), on="CHILD")
    return with_decision.join(decisions, on=["CHILD", "DATE_INT"], how="anti")


@rule("151", "AD1", "NB_ADOPTR",
      "All data items relating to a childs adoption must be coded or left blank.")
def _ad1_all_or_none(y: Year903) -> pl.DataFrame:
    items = ["DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"]
    filled = pl.sum_horizontal(pl.col(c).is_not_null().cast(pl.Int32) for c in items)
    return y["AD1"].filter((filled > 0) & (filled < len(items)))


@rule("333", "AD1", "DATE_INT", "Date should be placed for adoption must be on or prior to the "
      "date of matching child with adopter(s).")
def _match_before_decision(y: Year903) -> pl.DataFrame:
    return y["AD1"].filter(d("DATE_INT") > d("DATE_MATCH"))


@rule("153", "OC3", "ACTIV", "All data items relating to a child's activity or accommodation "
      "after leaving care must be coded or left blank.")
def _oc3_all_or_none(y: Year903) -> pl.DataFrame:
    items = ["IN_TOUCH", "ACTIV", "ACCOM"]
    filled = pl.sum_horizontal(pl.col(c).is_not_null().cast(pl.Int32) for c in items)
    return y["OC3"].filter((filled > 0) & (filled < len(items)))


@rule("391", "OC3", "DOB",
      "Young person was not 17, 18, 19, 20 or 21 during the current collection year. ")
def _oc3_age(y: Year903) -> pl.DataFrame:
    # Aged 17-21 at some point in the year: 17 or more by its end, 21 or less at its start.
    return y["OC3"].filter((age(d("DOB"), y.end) < 17) | (age(d("DOB"), y.start) > 21))


@rule("SW13STG1", "SWEpisodes", "SW_REASON", "The reason for social worker change is not valid.")
def _sw_reason(y: Year903) -> pl.DataFrame:
    # Every episode begun since SWEpisodes was first collected (1 April 2023) says why its
    # worker was assigned: a blank reason is not valid either.
    reasons = sorted(codes_for("sw_change_reason"))
    blank_since = pl.col("SW_REASON").is_null() & (d("SW_DECOM") >= date(2023, 4, 1))
    return y["SWEpisodes"].filter(~pl.col("SW_REASON").is_in(reasons).fill_null(True)
                                  | blank_since)


@rule("SW18STG2", "SWEpisodes", "SW_DEC",
      "The end date of the social worker episode is before the start date")
def _sw_ends_first(y: Year903) -> pl.DataFrame:
    return y["SWEpisodes"].filter(d("SW_DEC") < d("SW_DECOM"))


@rule("SW19STG2", "SWEpisodes", "SW_DECOM",
      "There are 2 social worker episodes for the child starting on the same date.")
def _sw_same_start(y: Year903) -> pl.DataFrame:
    return y["SWEpisodes"].filter(pl.struct("CHILD", "SW_DECOM").is_duplicated())


def _sw_episodes(y: Year903) -> pl.DataFrame:
    return (y["SWEpisodes"].with_columns(_START=d("SW_DECOM"), _END=d("SW_DEC"))
            .sort("CHILD", "_START")
            .with_columns(_PREV_END=pl.col("_END").shift(1).over("CHILD"),
                          _IS_LAST=pl.int_range(pl.len()).over("CHILD")
                          == pl.len().over("CHILD") - 1))


@rule("SW08STG2", "SWEpisodes", "SW_DEC",
      "A new social worker episode has started, but the previous episode has not ended.")
def _sw_left_open(y: Year903) -> pl.DataFrame:
    return _sw_episodes(y).filter(~pl.col("_IS_LAST") & pl.col("SW_DEC").is_null())


@rule("SW10STG2", "SWEpisodes", "SW_DECOM", "A new social worker episode has started before "
      "the end date of the previous social worker episode.")
def _sw_overlap(y: Year903) -> pl.DataFrame:
    return _sw_episodes(y).filter(pl.col("_START") < pl.col("_PREV_END"))


@rule("SW02STG1", "SWEpisodes", "SW_ID",
      "Social worker ID does not begin with the characters ‘SW’ or ‘XX’.")
def _sw_id(y: Year903) -> pl.DataFrame:
    return y["SWEpisodes"].filter(~pl.col("SW_ID").str.contains(r"^(SW|XX)"))


# --- last year's return (the rule list's ``_last`` tables) -----------------------------------
#
# These compare this year's files with last year's (``returns validate 903 THIS --previous
# LAST``). "Already recorded" means recorded for the same CHILD in last year's file; a
# child absent from either year is not compared.


@dataclass(frozen=True)
class LastYearRule:
    code: str
    table: str
    field: str | None
    message: str
    check: Callable[[Year903, Year903], pl.DataFrame]  # (this year, last year) -> rows


LAST_YEAR_RULES: list[LastYearRule] = []


def last_year_rule(code: str, table: str, field: str | None, message: str):
    def register(check: Callable[[Year903, Year903], pl.DataFrame]):
        LAST_YEAR_RULES.append(LastYearRule(code, table, field, message, check))
        return check
    return register


def _header_changed(column: str, value: Callable[[str], pl.Expr]):
    """Header rows whose ``value`` differs from last year's for the same child; both blank
    is no change, one blank is."""
    def check(this: Year903, last: Year903) -> pl.DataFrame:
        before = last["Header"].select("CHILD", value(column).alias("__last")).unique("CHILD")
        return (this["Header"].with_columns(__now=value(column))
                .join(before, on="CHILD", how="inner")
                .filter(~pl.col("__now").eq_missing(pl.col("__last"))))
    return check


def _sex_letter(column: str) -> pl.Expr:
    # 2024-25 recodes SEX from 1/2 to M/F (SSDA903_schema_2025.diff.yml): the same child
    # recorded as 1 last year and M this year has not changed.
    return pl.col(column).replace({"1": "M", "2": "F"})


LAST_YEAR_RULES.append(LastYearRule(
    "202", "Header", "SEX",
    "The gender code conflicts with the gender already recorded for this child.",
    _header_changed("SEX", _sex_letter)))
LAST_YEAR_RULES.append(LastYearRule(
    "203", "Header", "DOB",
    "Date of birth disagrees with the date of birth already recorded for this child.",
    _header_changed("DOB", d)))
LAST_YEAR_RULES.append(LastYearRule(
    "204", "Header", "ETHNIC",
    "Ethnic origin code disagrees with the ethnic origin already recorded for this child.",
    _header_changed("ETHNIC", pl.col)))


@last_year_rule("208", "Header", "UPN", "Unique Pupil Number (UPN) for the current year "
                "disagrees with the Unique Pupil Number (UPN) already recorded for this child.")
def _upn_changed(this: Year903, last: Year903) -> pl.DataFrame:
    before = last["Header"].select("CHILD", __last=pl.col("UPN").str.to_uppercase()).unique("CHILD")
    now, was = pl.col("__now"), pl.col("__last")
    unknown_now = now.is_null() | now.is_in(UPN_UNKNOWN)
    unknown_before = was.is_null() | was.is_in(UPN_UNKNOWN)
    # Allowed changes: a UPN found for a child unknown before (blank or UN1-UN5), and an
    # unknown becoming a more specific unknown (blank or UN1 -> UN2-UN5; blank -> UN1).
    found = unknown_before & ~unknown_now
    more_specific = ((was.is_null() | (was == "UN1")) & now.is_in(UPN_UNKNOWN[1:])) | (
        was.is_null() & (now == "UN1"))
    return (this["Header"].with_columns(__now=pl.col("UPN").str.to_uppercase())
            .join(before, on="CHILD", how="inner")
            .filter(~now.eq_missing(was) & ~found.fill_null(False)
                    & ~more_specific.fill_null(False)))


def _first_and_last_open(this: Year903, last: Year903) -> pl.DataFrame:
    """Each child's first episode this year beside its latest episode last year, where that
    one was still open at 31 March (columns of last year's end in ``__LAST_<name>``)."""
    first = (this["Episodes"].with_columns(_DECOM=d("DECOM"))
             .filter(pl.col("_DECOM").is_not_null())
             .sort("_DECOM", LINE).group_by("CHILD", maintain_order=True).first())
    latest = (last["Episodes"].with_columns(_DECOM=d("DECOM"))
              .filter(pl.col("_DECOM").is_not_null())
              .sort("_DECOM", LINE).group_by("CHILD", maintain_order=True).last()
              .filter(pl.col("DEC").is_null())
              .drop(LINE))
    latest = latest.rename({c: f"__LAST_{c}" for c in latest.columns if c != "CHILD"})
    return first.join(latest, on="CHILD", how="inner")


@last_year_rule("502", "Episodes", "DECOM", "Last year's record ended with an open episode. "
                "The date on which that episode started does not match the start date of the "
                "first episode on this year’s record.")
def _open_episode_restarted(this: Year903, last: Year903) -> pl.DataFrame:
    return _first_and_last_open(this, last).filter(
        ~pl.col("_DECOM").eq_missing(pl.col("__LAST__DECOM")))


def _carried_on(code: str, field: str, message: str) -> None:
    def check(this: Year903, last: Year903) -> pl.DataFrame:
        pairs = _first_and_last_open(this, last)
        if field not in this["Episodes"].columns or field not in last["Episodes"].columns:
            # PL_DISTANCE, PL_LA and PL_LOCATION are the DfE's, derived from postcodes:
            # files that leave them out have nothing to compare.
            return pairs.clear()
        now, was = pl.col(field), pl.col(f"__LAST_{field}")
        # 2024-25 ends placement type H5 and starts K3 (supported accommodation): an H5
        # placement open at 31 March 2024 goes on as K3.
        renamed = (now == "K3") & (was == "H5") if field == "PLACE" else pl.lit(False)
        return pairs.filter(~now.eq_missing(was) & ~renamed.fill_null(False))
    LAST_YEAR_RULES.append(LastYearRule(code, "Episodes", field, message, check))


_carried_on("503A", "RNE", "The reason for new episode in the first episode does not match "
            "open episode at end of last year.")
_carried_on("503B", "LS", "The legal status in the first episode does not match open episode "
            "at end of last year.")
_carried_on("503C", "CIN", "The category of need in the first episode does not match open "
            "episode at end of last year.")
_carried_on("503D", "PLACE", "The placement type in the first episode does not match open "
            "episode at end of last year")
_carried_on("503E", "PLACE_PROVIDER", "The placement provider in the first episode does not "
            "match open episode at end of last year.")
_carried_on("503F", "URN", "The Ofsted URN in the  first episode does not match open episode "
            "at end of last year.")
_carried_on("503G", "PL_DISTANCE", "The distance in first episode does not match open episode "
            "at end of last year.")
_carried_on("503H", "PL_LA", "The placement LA in first episode does not match open episode at "
            "end of last year.")
_carried_on("503J", "PL_LOCATION", "The placement location in first episode does not match "
            "open episode at end of last year.")


@last_year_rule("562", "Episodes", "DECOM", "Episode commenced before the start of the current "
                "collection year but there is a missing continuous episode in the previous year.")
def _begun_before_but_not_last_year(this: Year903, last: Year903) -> pl.DataFrame:
    # The child's first episode begun before 1 April must be last year's latest episode.
    first = (this["Episodes"].with_columns(_DECOM=d("DECOM"))
             .filter(pl.col("_DECOM") < this.start)
             .sort("_DECOM", LINE).group_by("CHILD", maintain_order=True).first())
    latest = (last["Episodes"].with_columns(_DECOM=d("DECOM"))
              .filter(pl.col("_DECOM").is_not_null())
              .group_by("CHILD").agg(pl.col("_DECOM").max()))
    return first.join(latest, on=["CHILD", "_DECOM"], how="anti")


@last_year_rule("576", "Missing", "CHILD", "There is an open missing/away from placement without "
                "authorisation period in last year’s return and there is no corresponding period "
                "recorded at the start of this year.")
def _missing_left_open(this: Year903, last: Year903) -> pl.DataFrame:
    open_last = (last["Missing"].filter(pl.col("MIS_END").is_null())
                 .select("CHILD", __LAST=d("MIS_START")).filter(pl.col("__LAST").is_not_null()))
    # The child's first period this year (an undated one counts as the latest) must be it.
    first = (this["Missing"].with_columns(_START=d("MIS_START").fill_null(date(2099, 1, 1)))
             .sort("_START", LINE).group_by("CHILD", maintain_order=True).first())
    return (first.join(open_last, on="CHILD", how="inner")
              .filter(pl.col("_START") != pl.col("__LAST"))
              .unique(LINE))


def validate_903(path: str | Path, year: int | None = None,
                 previous: str | Path | None = None) -> tuple[int, list[Finding]]:
    """Every finding of the implemented rules for one year's files; with ``previous`` (last
    year's folder) the rules comparing the two years too."""
    loaded = load_year(path, year)
    findings: list[Finding] = []
    for r in RULES:
        if r.table == "SWEpisodes" and "SWEpisodes" not in {
                t.name for t in TABLES_903 if t.first_year <= loaded.year}:
            continue
        bad = r.check(loaded)
        findings.extend(findings_from(bad, rule=r.code, table=r.table, field=r.field,
                                      message=r.message, row=LINE))
    if previous is not None:
        last = load_year(previous, loaded.year - 1)
        for lr in LAST_YEAR_RULES:
            bad = lr.check(loaded, last)
            findings.extend(findings_from(bad, rule=lr.code, table=lr.table, field=lr.field,
                                          message=lr.message, row=LINE))
    return loaded.year, findings


def rule_codes() -> list[str]:
    return [r.code for r in RULES]


def last_year_rule_codes() -> list[str]:
    return [r.code for r in LAST_YEAR_RULES]


assert len(set(rule_codes())) == len(RULES), "a rule code is registered twice"
assert not set(rule_codes()) & set(last_year_rule_codes())
assert len(set(last_year_rule_codes())) == len(LAST_YEAR_RULES)
assert all(r.table in TABLE_903 for r in [*RULES, *LAST_YEAR_RULES])
