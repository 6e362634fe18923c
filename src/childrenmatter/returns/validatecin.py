"""Checking a CIN census file against the DfE's validation rules.

Codes and messages are the DfE's, from ``cin_rules_cin2025_26.txt`` (``specs/README.md``);
the checks are written here from that text. The file is read safely (defusedxml) into one
Polars frame per level of the census (child, disability, CIN episode, assessment, factor,
CIN plan, section 47, CP plan, CP review), every value as text, and each rule is an
expression over a frame. Only the rules marked ERROR that need nothing but the file are
implemented; queries, and rules that need the list of LA codes or other reference data,
are not (docs/returns.md).

A finding's ``row`` is the child's place in the file (the 1st, 2nd ... Child element).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import polars as pl

from childrenmatter.dataset.codes import codes_for, collection_year
from childrenmatter.errors import UserError
from childrenmatter.returns.cin import SEX_FROM, check_year
from childrenmatter.returns.findings import Finding, findings_from
from childrenmatter.returns.readcin import parse_census
from childrenmatter.returns.ssda903 import year_bounds

ROW = "__row"
CHILD = "LAchildID"
EPISODE = "__episode"
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # DfE UPN check letters (no I, O, S)

LEVELS: dict[str, tuple[str, ...]] = {
    "Child": ("LAchildID", "UPN", "UPNunknown", "PersonBirthDate", "ExpectedPersonBirthDate",
              "Sex", "GenderCurrent", "PersonDeathDate", "Ethnicity"),
    "Disability": ("Disability",),
    "CINdetails": ("CINreferralDate", "ReferralSource", "PrimaryNeedCode", "CINclosureDate",
                   "ReasonForClosure", "DateOfInitialCPC", "ReferralNFA"),
    "Assessments": ("AssessmentActualStartDate", "AssessmentAuthorisationDate"),
    "AssessmentFactors": ("AssessmentFactors",),
    "CINPlanDates": ("CINPlanStartDate", "CINPlanEndDate"),
    "Section47": ("S47ActualStartDate", "DateOfInitialCPC", "ICPCnotRequired"),
    "ChildProtectionPlans": ("CPPstartDate", "CPPendDate", "InitialCategoryOfAbuse",
                             "LatestCategoryOfAbuse", "NumberOfPreviousCPP"),
    "CPPreviewDate": ("CPPreviewDate",),
}


KEY_TYPES: dict[str, Any] = {ROW: pl.Int64, CHILD: pl.String, EPISODE: pl.Int64,
                             "__assessment": pl.Int64, "__plan": pl.Int64,
                             "_has_disabilities": pl.Boolean}
_EP = (ROW, CHILD, EPISODE)
KEYS: dict[str, tuple[str, ...]] = {
    "Child": (ROW, "_has_disabilities"), "Disability": (ROW, CHILD), "CINdetails": _EP,
    "Assessments": (*_EP, "__assessment"), "AssessmentFactors": (*_EP, "__assessment"),
    "CINPlanDates": _EP, "Section47": _EP, "ChildProtectionPlans": (*_EP, "__plan"),
    "CPPreviewDate": (*_EP, "__plan"),
}


@dataclass(frozen=True)
class Census:
    year: int
    reference_date: str | None
    levels: dict[str, pl.DataFrame]

    def __getitem__(self, name: str) -> pl.DataFrame:
        return self.levels[name]

    @property
    def start(self) -> date:
        return year_bounds(self.year)[0]

    @property
    def end(self) -> date:
        return year_bounds(self.year)[1]


def _text(el: Element, tag: str) -> str | None:
    found = el.find(tag)
    if found is None or found.text is None or not found.text.strip():
        return None
    return found.text.strip()


def load_census(path: str | Path, year: int | None = None) -> Census:
    path = Path(path)
    root = parse_census(path)
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in LEVELS}
    for n, child in enumerate(root.iterfind("Children/Child"), start=1):
        ids = child.find("ChildIdentifiers")
        chars = child.find("ChildCharacteristics")
        base = {ROW: n, CHILD: _text(ids, "LAchildID") if ids is not None else None}
        record = {tag: _text(ids, tag) for tag in LEVELS["Child"] if ids is not None}
        record["Ethnicity"] = _text(chars, "Ethnicity") if chars is not None else None
        record["_has_disabilities"] = chars is not None and chars.find("Disabilities") is not None
        rows["Child"].append({**record, **base})
        for dis in child.iterfind("ChildCharacteristics/Disabilities/Disability"):
            rows["Disability"].append({**base, "Disability": (dis.text or "").strip() or None})
        for e, details in enumerate(child.iterfind("CINdetails"), start=1):
            ep = {**base, EPISODE: e}
            rows["CINdetails"].append({**ep, **{t: _text(details, t)
                                                for t in LEVELS["CINdetails"]}})
            for a, assessment in enumerate(details.iterfind("Assessments"), start=1):
                rows["Assessments"].append({**ep, "__assessment": a, **{
                    t: _text(assessment, t) for t in LEVELS["Assessments"]}})
                for factor in assessment.iterfind("FactorsIdentifiedAtAssessment/"
                                                  "AssessmentFactors"):
                    rows["AssessmentFactors"].append({**ep, "__assessment": a,
                                                      "AssessmentFactors": (factor.text or "")
                                                      .strip() or None})
            for plan in details.iterfind("CINPlanDates"):
                rows["CINPlanDates"].append({**ep, **{t: _text(plan, t)
                                                      for t in LEVELS["CINPlanDates"]}})
            for s47 in details.iterfind("Section47"):
                rows["Section47"].append({**ep, **{t: _text(s47, t)
                                                   for t in LEVELS["Section47"]}})
            for p, plan in enumerate(details.iterfind("ChildProtectionPlans"), start=1):
                record = {t: _text(plan, t) for t in LEVELS["ChildProtectionPlans"]}
                rows["ChildProtectionPlans"].append({**ep, "__plan": p, **record})
                for review in plan.iterfind("Reviews/CPPreviewDate"):
                    rows["CPPreviewDate"].append({
                        **ep, "__plan": p, "CPPstartDate": record["CPPstartDate"],
                        "CPPreviewDate": (review.text or "").strip() or None})
    reference = root.findtext("Header/CollectionDetails/ReferenceDate")
    if year is None:
        try:
            year = collection_year(date.fromisoformat((reference or "").strip()))
        except ValueError:
            raise UserError(f"{path}: no valid ReferenceDate in the header: give --year") from None
    check_year(year)
    levels = {}
    for name, table_rows in rows.items():
        full = {**{k: KEY_TYPES[k] for k in KEYS[name]}, **{c: pl.String for c in LEVELS[name]}}
        if name == "CPPreviewDate":
            full["CPPstartDate"] = pl.String
        levels[name] = pl.DataFrame([{c: r.get(c) for c in full} for r in table_rows],
                                    schema=full)
    return Census(year, reference, levels)


def d(column: str) -> pl.Expr:
    return pl.col(column).str.strptime(pl.Date, "%Y-%m-%d", strict=False)


def invalid_date(column: str) -> pl.Expr:
    return pl.col(column).is_not_null() & d(column).is_null()


@dataclass(frozen=True)
class Rule:
    code: str
    level: str
    field: str | None
    message: str
    check: Callable[[Census], pl.DataFrame]


RULES: list[Rule] = []


def rule(code: str, level: str, field: str | None, message: str):
    def register(check: Callable[[Census], pl.DataFrame]) -> Callable[[Census], pl.DataFrame]:
        RULES.append(Rule(code, level, field, message, check))
        return check
    return register


def _code(code: str, level: str, field: str, message: str, codes: frozenset[str],
          required: bool) -> None:
    def check(c: Census) -> pl.DataFrame:
        bad = pl.col(field).is_not_null() & ~pl.col(field).is_in(sorted(codes))
        return c[level].filter(bad | pl.col(field).is_null() if required else bad)
    RULES.append(Rule(code, level, field, message, check))


def _episodes(c: Census) -> pl.DataFrame:
    return c["CINdetails"].with_columns(_ref=d("CINreferralDate"), _close=d("CINclosureDate"))


def _with_referral(c: Census, level: str) -> pl.DataFrame:
    return c[level].join(_episodes(c).select(ROW, EPISODE, "_ref", "ReferralNFA"),
                         on=[ROW, EPISODE], how="left")


# --- the child --------------------------------------------------------------------------------


@rule("8500", "Child", "LAchildID", "LA Child ID missing (ERROR)")
def _no_id(c: Census) -> pl.DataFrame:
    return c["Child"].filter(pl.col(CHILD).is_null())


@rule("8510", "Child", "LAchildID", "More than one child record with the same LA Child ID (ERROR)")
def _same_id(c: Census) -> pl.DataFrame:
    return c["Child"].filter(pl.col(CHILD).is_not_null() & pl.col(CHILD).is_duplicated())


@rule("1570", "Child", "LAchildID", "LA Child ID must not be longer than 20 characters (ERROR)")
def _long_id(c: Census) -> pl.DataFrame:
    return c["Child"].filter(pl.col(CHILD).str.len_chars() > 20)


@rule("1580", "Child", "LAchildID",
      "LA Child ID must not contain any non-alphanumeric characters (ERROR)")
def _odd_id(c: Census) -> pl.DataFrame:
    return c["Child"].filter(pl.col(CHILD).str.contains(r"[^A-Za-z0-9]"))


@rule("4180", "Child", "Sex", "Sex must be provided and equal M, F, or U (ERROR)")
def _sex(c: Census) -> pl.DataFrame:
    if c.year >= SEX_FROM:
        return c["Child"].filter(~pl.col("Sex").is_in(["M", "F", "U"]).fill_null(False)
                                 | pl.col("Sex").is_null())
    # Before 2024-25 the census coded GenderCurrent 1, 2, 0 or 9 (CIN_schema_2024.xsd).
    return c["Child"].filter(~pl.col("GenderCurrent").is_in(["1", "2", "0", "9"])
                             .fill_null(False) | pl.col("GenderCurrent").is_null())


@rule("8750", "Child", "Sex", "Sex must equal U for an unborn child (ERROR)")
def _unborn_sex(c: Census) -> pl.DataFrame:
    unknown = pl.col("Sex") == "U" if c.year >= SEX_FROM else pl.col("GenderCurrent") == "0"
    unborn = pl.col("PersonBirthDate").is_null() & pl.col("ExpectedPersonBirthDate").is_not_null()
    return c["Child"].filter(unborn & ~unknown.fill_null(False))


@rule("8520", "Child", "PersonBirthDate", "Date of Birth is after data collection period (must "
      "be on or before the end of the census period) (ERROR)")
def _born_late(c: Census) -> pl.DataFrame:
    return c["Child"].filter(d("PersonBirthDate") > c.end)


_code("4220", "Child", "Ethnicity", "Ethnicity is missing or invalid (see Ethnicity table) "
      "(ERROR)", codes_for("ethnicity"), True)


@rule("8540", "Disability", "Disability",
      "Child’s disability is missing or invalid (see Disability table) (ERROR)")
def _disability(c: Census) -> pl.DataFrame:
    allowed = sorted(codes_for("disability") | {"NONE"})
    bad = c["Disability"].filter(~pl.col("Disability").is_in(allowed).fill_null(False))
    missing = c["Child"].filter(~pl.col("_has_disabilities")).select(ROW, CHILD)
    return pl.concat([bad.select(ROW, CHILD), missing])


@rule("8790", "Disability", "Disability",
      "Disability information includes both None and other values (ERROR)")
def _none_and_more(c: Census) -> pl.DataFrame:
    per_child = c["Disability"].group_by(ROW, CHILD).agg(
        none=(pl.col("Disability") == "NONE").any(), n=pl.len())
    return per_child.filter(pl.col("none") & (pl.col("n") > 1))


@rule("8794", "Disability", "Disability",
      "Child has two or more disabilities with the same code (ERROR)")
def _repeated_disability(c: Census) -> pl.DataFrame:
    return c["Disability"].filter(pl.struct(ROW, "Disability").is_duplicated()).unique(ROW)


@rule("1540", "Child", "UPN", "UPN invalid (characters 5-12 not all numeric) (ERROR)")
def _upn_digits(c: Census) -> pl.DataFrame:
    return c["Child"].filter(~pl.col("UPN").str.slice(4, 8).str.contains(r"^\d{8}$"))


@rule("1550", "Child", "UPN", "UPN invalid (character 13 not a recognised value) (ERROR)")
def _upn_last(c: Census) -> pl.DataFrame:
    return c["Child"].filter(~pl.col("UPN").str.slice(12, 1).str.contains(
        f"^[0-9{UPN_LETTERS}]$"))


@rule("1510", "Child", "UPN", "UPN invalid (wrong check letter at character 1) (ERROR)")
def _upn_check(c: Census) -> pl.DataFrame:
    # The check letter: characters 2-13 weighted 2 to 13, summed, remainder on division by
    # 23 indexing the DfE's letters (a letter as character 13 counts as its index there).
    upn = pl.col("UPN")
    weighted = pl.sum_horizontal(
        _upn_value(upn.str.slice(k - 1, 1)) * k for k in range(2, 14))
    expected = pl.lit(UPN_LETTERS).str.slice((weighted % 23).cast(pl.Int64), 1)
    full = upn.str.contains(r"^[A-Z]\d{11}[0-9A-Z]$").fill_null(False)
    return c["Child"].filter(full & (upn.str.slice(0, 1) != expected))


def _upn_value(ch: pl.Expr) -> pl.Expr:
    digit = ch.cast(pl.Int64, strict=False)
    letter = ch.replace_strict({L: i for i, L in enumerate(UPN_LETTERS)}, default=None,
                               return_dtype=pl.Int64)
    return pl.coalesce(digit, letter, pl.lit(0))


@rule("1520", "Child", "UPN", "More than one record with the same UPN. (ERROR)")
def _same_upn(c: Census) -> pl.DataFrame:
    return c["Child"].filter(pl.col("UPN").is_not_null() & pl.col("UPN").is_duplicated())


@rule("8772", "Child", "UPNunknown", "UPN unknown reason is UN7 (Referral with no further action) "
      "but at least one CIN details is a referral going on to further action (ERROR)")
def _un7(c: Census) -> pl.DataFrame:
    further = c["CINdetails"].filter(pl.col("ReferralNFA").is_in(["0", "false"])).select(ROW)
    return c["Child"].filter(pl.col("UPNunknown") == "UN7").join(further.unique(), on=ROW)


@rule("8590", "Child", "CINdetails", "Child does not have a recorded CIN episode. (ERROR)")
def _no_episode(c: Census) -> pl.DataFrame:
    return c["Child"].join(c["CINdetails"].select(ROW).unique(), on=ROW, how="anti")


# --- CIN episodes -------------------------------------------------------------------------------


@rule("8600", "CINdetails", "CINreferralDate",
      "Child referral date missing or after data collection period (ERROR)")
def _referral_date(c: Census) -> pl.DataFrame:
    return _episodes(c).filter(pl.col("_ref").is_null() | (pl.col("_ref") > c.end))


@rule("8630", "CINdetails", "CINclosureDate",
      "CIN Closure Date is before CIN Referral Date for the same CIN episode (ERROR)")
def _closed_first(c: Census) -> pl.DataFrame:
    return _episodes(c).filter(pl.col("_close") < pl.col("_ref"))


@rule("8620", "CINdetails", "CINclosureDate",
      "CIN Closure Date present and does not fall within the Census year (ERROR)")
def _closure_in_year(c: Census) -> pl.DataFrame:
    return _episodes(c).filter(pl.col("CINclosureDate").is_not_null()
                               & ~pl.col("_close").is_between(c.start, c.end).fill_null(False))


@rule("8810", "CINdetails", "ReasonForClosure",
      "A CIN case cannot have a Reason for Closure without a CIN Closure Date (ERROR)")
def _reason_without_date(c: Census) -> pl.DataFrame:
    return c["CINdetails"].filter(pl.col("ReasonForClosure").is_not_null()
                                  & pl.col("CINclosureDate").is_null())


@rule("8805", "CINdetails", "ReasonForClosure",
      "A CIN case cannot have a CIN closure date without a Reason for Closure (ERROR)")
def _date_without_reason(c: Census) -> pl.DataFrame:
    return c["CINdetails"].filter(pl.col("ReasonForClosure").is_null()
                                  & pl.col("CINclosureDate").is_not_null())


_code("8640", "CINdetails", "ReasonForClosure", "CIN Reason for closure code invalid (see Reason "
      "for Closure table in CIN Census code set) (ERROR)", codes_for("closure_reason"), False)
_code("8650", "CINdetails", "PrimaryNeedCode", "Primary Need Code invalid (see Primary Need table "
      "in CIN census code set) (ERROR)", codes_for("primary_need"), False)
_code("8866", "CINdetails", "ReferralSource", "Source of Referral is missing or an invalid code "
      "(ERROR)", codes_for("referral_source"), True)
_code("8568", "CINdetails", "ReferralNFA", "RNFA flag is missing or invalid (ERROR)",
      frozenset({"0", "1", "true", "false"}), True)


@rule("8610", "CINdetails", "PrimaryNeedCode",
      "Primary Need code is missing for a referral which led to further action. (ERROR)")
def _need_missing(c: Census) -> pl.DataFrame:
    return c["CINdetails"].filter(pl.col("ReferralNFA").is_in(["0", "false"])
                                  & pl.col("PrimaryNeedCode").is_null())


@rule("2884", "CINdetails", "DateOfInitialCPC", "An initial child protection conference is "
      "recorded at both the S47 and CIN Details level and it should only be recorded in one "
      "(ERROR)")
def _icpc_twice(c: Census) -> pl.DataFrame:
    at_s47 = c["Section47"].filter(pl.col("DateOfInitialCPC").is_not_null()).select(
        ROW, EPISODE).unique()
    return c["CINdetails"].filter(pl.col("DateOfInitialCPC").is_not_null()).join(
        at_s47, on=[ROW, EPISODE])


def _any_of(c: Census, *levels: str) -> pl.DataFrame:
    """The episodes (row, episode) with at least one record at any of ``levels``."""
    return pl.concat([c[level].select(ROW, EPISODE) for level in levels]).unique()


@rule("2990", "CINdetails", "ReasonForClosure", "Activity is recorded against a case marked as "
      "‘Case closed after assessment, no further action’ or 'case closed after assessment, "
      "referred to early help'. (ERROR)")
def _closed_after_assessment_with_activity(c: Census) -> pl.DataFrame:
    active = _any_of(c, "CINPlanDates", "Section47", "ChildProtectionPlans")
    closed = c["CINdetails"].filter(pl.col("ReasonForClosure").is_in(["RC8", "RC9"]))
    with_icpc = closed.filter(pl.col("DateOfInitialCPC").is_not_null())
    return pl.concat([closed.join(active, on=[ROW, EPISODE]), with_icpc]).unique([ROW, EPISODE])


@rule("8867", "CINdetails", "CINclosureDate", "CIN episode is shown as closed, however "
      "Assessment is not shown as completed (ERROR)")
def _closed_with_open_assessment(c: Census) -> pl.DataFrame:
    open_assessments = c["Assessments"].filter(
        pl.col("AssessmentAuthorisationDate").is_null()).select(ROW, EPISODE).unique()
    return c["CINdetails"].filter(pl.col("CINclosureDate").is_not_null()).join(
        open_assessments, on=[ROW, EPISODE])


@rule("8565", "CINdetails", "CINclosureDate", "Activity shown after a case has been closed (ERROR)")
def _activity_after_closure(c: Census) -> pl.DataFrame:
    dated = [("Assessments", "AssessmentActualStartDate"),
             ("Assessments", "AssessmentAuthorisationDate"),
             ("CINPlanDates", "CINPlanStartDate"), ("CINPlanDates", "CINPlanEndDate"),
             ("Section47", "S47ActualStartDate"), ("Section47", "DateOfInitialCPC"),
             ("ChildProtectionPlans", "CPPstartDate"), ("ChildProtectionPlans", "CPPendDate"),
             ("CPPreviewDate", "CPPreviewDate")]
    activity = pl.concat([c[level].select(ROW, EPISODE, _when=d(column))
                          for level, column in dated])
    latest = activity.group_by(ROW, EPISODE).agg(pl.col("_when").max())
    return _episodes(c).join(latest, on=[ROW, EPISODE]).filter(
        pl.col("_when") > pl.col("_close"))


# --- assessments, plans, enquiries -------------------------------------------------------------


@rule("8608", "Assessments", "AssessmentAuthorisationDate",
      "Assessment Start Date cannot be later than its End Date (ERROR)")
def _assessment_order(c: Census) -> pl.DataFrame:
    return c["Assessments"].filter(d("AssessmentActualStartDate")
                                   > d("AssessmentAuthorisationDate"))


@rule("1103", "Assessments", "AssessmentActualStartDate",
      "The assessment start date cannot be before the referral date (ERROR)")
def _assessment_before_referral(c: Census) -> pl.DataFrame:
    return _with_referral(c, "Assessments").filter(d("AssessmentActualStartDate") < pl.col("_ref"))


@rule("8696", "Assessments", "AssessmentAuthorisationDate",
      "Assessment end date must fall within the census year (ERROR)")
def _assessment_end_in_year(c: Census) -> pl.DataFrame:
    return c["Assessments"].filter(
        pl.col("AssessmentAuthorisationDate").is_not_null()
        & ~d("AssessmentAuthorisationDate").is_between(c.start, c.end).fill_null(False))


@rule("8869", "AssessmentFactors", "AssessmentFactors", "The assessment factors code “21” cannot "
      "be used in conjunction with any other assessment factors. (ERROR)")
def _factor_21(c: Census) -> pl.DataFrame:
    per = c["AssessmentFactors"].group_by(ROW, CHILD, EPISODE, "__assessment").agg(
        has21=(pl.col("AssessmentFactors") == "21").any(), n=pl.len())
    return per.filter(pl.col("has21") & (pl.col("n") > 1))


@rule("8898", "AssessmentFactors", "AssessmentFactors",
      "The assessment has more than one parental or child factors with the same code (ERROR)")
def _factor_twice(c: Census) -> pl.DataFrame:
    key = pl.struct(ROW, EPISODE, "__assessment", "AssessmentFactors")
    return c["AssessmentFactors"].filter(key.is_duplicated()).unique(
        [ROW, EPISODE, "__assessment"])


@rule("4011", "CINPlanDates", "CINPlanEndDate", "CIN Plan End Date earlier than Start Date (ERROR)")
def _cin_plan_order(c: Census) -> pl.DataFrame:
    return c["CINPlanDates"].filter(d("CINPlanEndDate") < d("CINPlanStartDate"))


@rule("4015", "CINPlanDates", "CINPlanStartDate",
      "The CIN Plan start date cannot be before the referral date (ERROR)")
def _cin_plan_before_referral(c: Census) -> pl.DataFrame:
    return _with_referral(c, "CINPlanDates").filter(d("CINPlanStartDate") < pl.col("_ref"))


@rule("4013", "CINPlanDates", "CINPlanEndDate",
      "CIN Plan end date must fall within the census year (ERROR)")
def _cin_plan_end_in_year(c: Census) -> pl.DataFrame:
    return c["CINPlanDates"].filter(pl.col("CINPlanEndDate").is_not_null()
                                    & ~d("CINPlanEndDate").is_between(c.start, c.end)
                                    .fill_null(False))


@rule("4000", "CINPlanDates", "CINPlanStartDate",
      "CIN Plan details provided for a referral with no further action (ERROR)")
def _cin_plan_nfa(c: Census) -> pl.DataFrame:
    return _with_referral(c, "CINPlanDates").filter(pl.col("ReferralNFA").is_in(["1", "true"]))


@rule("8615", "Section47", "S47ActualStartDate", "Section 47 Enquiry Start Date must be present "
      "and cannot be later than the date of the initial Child Protection Conference (ERROR)")
def _s47_order(c: Census) -> pl.DataFrame:
    return c["Section47"].filter(pl.col("S47ActualStartDate").is_null()
                                 | (d("S47ActualStartDate") > d("DateOfInitialCPC")))


@rule("2889", "Section47", "S47ActualStartDate",
      "The S47 start date cannot be before the referral date. (ERROR)")
def _s47_before_referral(c: Census) -> pl.DataFrame:
    return _with_referral(c, "Section47").filter(d("S47ActualStartDate") < pl.col("_ref"))


@rule("8840", "ChildProtectionPlans", "CPPendDate",
      "Child Protection Plan cannot start and end on the same day (ERROR)")
def _cpp_one_day(c: Census) -> pl.DataFrame:
    return c["ChildProtectionPlans"].filter(d("CPPstartDate") == d("CPPendDate"))


@rule("8925", "ChildProtectionPlans", "CPPendDate",
      "Child Protection Plan End Date earlier than Start Date (ERROR)")
def _cpp_order(c: Census) -> pl.DataFrame:
    return c["ChildProtectionPlans"].filter(d("CPPendDate") < d("CPPstartDate"))


@rule("8930", "ChildProtectionPlans", "CPPendDate",
      "Child Protection Plan End Date must fall within the census year (ERROR)")
def _cpp_end_in_year(c: Census) -> pl.DataFrame:
    return c["ChildProtectionPlans"].filter(pl.col("CPPendDate").is_not_null()
                                            & ~d("CPPendDate").is_between(c.start, c.end)
                                            .fill_null(False))


@rule("1105", "ChildProtectionPlans", "CPPstartDate",
      "The child protection plan start date cannot be before the referral date (ERROR)")
def _cpp_before_referral(c: Census) -> pl.DataFrame:
    return _with_referral(c, "ChildProtectionPlans").filter(d("CPPstartDate") < pl.col("_ref"))


@rule("8832", "ChildProtectionPlans", "CPPstartDate",
      "Child Protection details provided for a referral with no further action. (ERROR)")
def _cpp_nfa(c: Census) -> pl.DataFrame:
    return _with_referral(c, "ChildProtectionPlans").filter(
        pl.col("ReferralNFA").is_in(["1", "true"]))


_code("8905", "ChildProtectionPlans", "InitialCategoryOfAbuse", "Initial Category of Abuse code "
      "missing or invalid (see Category of Abuse table in CIN Census code set) (ERROR)",
      codes_for("category_of_abuse"), True)
_code("8910", "ChildProtectionPlans", "LatestCategoryOfAbuse", "Latest Category of Abuse code "
      "missing or invalid (see Category of Abuse table in CIN Census code set) (ERROR)",
      codes_for("category_of_abuse"), True)


@rule("8730", "ChildProtectionPlans", "NumberOfPreviousCPP",
      "Total Number of previous Child Protection Plans missing (ERROR)")
def _previous_missing(c: Census) -> pl.DataFrame:
    return c["ChildProtectionPlans"].filter(pl.col("NumberOfPreviousCPP").is_null())


@rule("8841", "CPPreviewDate", "CPPreviewDate", "The review date cannot be on the same day or "
      "before the Child protection Plan start date. (ERROR)")
def _review_too_early(c: Census) -> pl.DataFrame:
    return c["CPPreviewDate"].filter(d("CPPreviewDate") <= d("CPPstartDate"))


def validate_cin(path: str | Path, year: int | None = None) -> tuple[int, list[Finding]]:
    census = load_census(path, year)
    findings: list[Finding] = []
    for r in RULES:
        findings.extend(findings_from(r.check(census), rule=r.code, table=r.level,
                                      field=r.field, message=r.message, row=ROW, child=CHILD))
    return census.year, findings


def rule_codes() -> list[str]:
    return [r.code for r in RULES]


assert len(set(rule_codes())) == len(RULES), "a rule code is registered twice"
