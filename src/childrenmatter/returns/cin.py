"""The CIN census (children in need): writing its XML from the dataset.

Element names, order and codes follow the schema of the collection year, held as
``CIN_schema_2024.xsd``, ``_2025`` and ``_2026`` (``specs/README.md``); collection year
YYYY (ending 31 March YYYY) uses ``CIN_schema_YYYY.xsd``. The schemas differ in one
place: from 2024-25 (``CIN_schema_2025.xsd``) ``Sex`` (M, F, U) replaces
``GenderCurrent`` (1 male, 2 female, 0 not recorded or unborn, 9 indeterminate). All three
code yes/no items (ReferralNFA, ICPCnotRequired) as 0/1 and dates as xs:date (YYYY-MM-DD).

Which records belong to a year follows the DfE's census guide: every CIN episode
(referral) open at any point in the year, with its assessments not authorised before the
year, its CIN and CP plans open in the year, its section 47 enquiries started in the
year and the CP reviews held in it. Dates after 31 March are not yet known to the
census and are left out.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

import polars as pl
from lxml import etree

from childrenmatter.errors import UserError
from childrenmatter.returns.ssda903 import age_at, one_authority, year_bounds

FIRST_YEAR = 2024
LAST_YEAR = 2026
SEX_FROM = 2025  # CIN_schema_2025.xsd: Sex M/F/U replaces GenderCurrent
GENDER_CURRENT = {"M": "1", "F": "2", "U": "0"}  # CIN_schema_2024.xsd gendertype
SOFTWARE = "Children Matter"

CIN_TABLES = ("authorities", "children", "referrals", "assessments", "section_47_enquiries",
              "cp_plans", "cp_conferences", "cin_plans")


def check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise UserError(f"--year {year}: CIN census schemas are held for {FIRST_YEAR} to "
                        f"{LAST_YEAR} (the year the census ends, 31 March)")


def _open_in(start_col: str, end_col: str, start: date, end: date) -> pl.Expr:
    return (pl.col(start_col) <= end) & (
        pl.col(end_col).is_null() | (pl.col(end_col) >= start)
    )


def _known(column: str, end: date) -> pl.Expr:
    return pl.when(pl.col(column) <= end).then(pl.col(column)).alias(column)


def census_records(tables: dict[str, pl.DataFrame], year: int, la: str) -> dict[str, pl.DataFrame]:
    """The rows of each table the census for ``year`` reports, dates as the census knows them."""
    start, end = year_bounds(year)

    def of_la(name: str) -> pl.DataFrame:
        return tables[name].filter(pl.col("la_code") == la)

    referrals = of_la("referrals").filter(_open_in("referral_date", "closure_date", start, end))
    referrals = referrals.with_columns(
        _known("closure_date", end),
        pl.when(pl.col("closure_date") <= end).then(pl.col("closure_reason"))
        .alias("closure_reason"),
    )
    ids = referrals.select("referral_id")
    assessments = (
        of_la("assessments").join(ids, on="referral_id", how="semi")
        .filter(_open_in("start_date", "authorised_date", start, end))
        .with_columns(pl.when(pl.col("authorised_date") <= end).then(pl.col("factors"))
                      .alias("factors"), _known("authorised_date", end))
    )
    cin_plans = (of_la("cin_plans").join(ids, on="referral_id", how="semi")
                 .filter(_open_in("start_date", "end_date", start, end))
                 .with_columns(_known("end_date", end)))
    s47 = (of_la("section_47_enquiries").join(ids, on="referral_id", how="semi")
           .filter(pl.col("start_date").is_between(start, end))
           .with_columns(_known("icpc_date", end)))
    cp_plans = (of_la("cp_plans").join(ids, on="referral_id", how="semi")
                .filter(_open_in("start_date", "end_date", start, end))
                .with_columns(_known("end_date", end)))
    conferences = of_la("cp_conferences").filter(pl.col("conference_date").is_between(start, end))
    reviews = conferences.filter(pl.col("conference_type") == "review").join(
        cp_plans.select("cp_plan_id"), on="cp_plan_id", how="semi")
    # An initial conference in the year whose enquiry is not reported this year (it began
    # last year) is reported on the CIN episode instead (rule 2884: never both).
    initial = (
        conferences.filter(pl.col("conference_type") == "initial")
        .join(s47.select("s47_id"), on="s47_id", how="anti")
        .join(of_la("cp_plans").select("cp_plan_id", "referral_id"), on="cp_plan_id", how="inner")
        .join(ids, on="referral_id", how="semi")
        .sort("conference_date").unique("referral_id", keep="first")
    )
    children = of_la("children").join(referrals.select("child_id").unique(), on="child_id",
                                      how="semi")
    all_nfa = referrals.group_by("child_id").agg(all_nfa=pl.col("referral_nfa").all())
    children = children.join(all_nfa, on="child_id", how="left").with_columns(
        upn_unknown=pl.when(pl.col("upn").is_not_null()).then(None)
        # UN7: referral with no further action (rule 8772); UN1: not of school age.
        .when(pl.col("all_nfa")).then(pl.lit("UN7"))
        .when(pl.col("date_of_birth").is_null()
              | (age_at(pl.col("date_of_birth"), end) < 5)).then(pl.lit("UN1"))
        .otherwise(pl.lit("UN2")),
        date_of_death=_known("date_of_death", end).alias("date_of_death"),
    )
    # A child born after 31 March was unborn at the census: the census gives the expected
    # date of birth and, for an unborn child, sex U (rule 8750).
    unborn = pl.col("date_of_birth").is_null() | (pl.col("date_of_birth") > end)
    children = children.with_columns(
        expected_date_of_birth=pl.when(unborn).then(
            pl.coalesce("expected_date_of_birth", "date_of_birth")),
        date_of_birth=pl.when(~unborn).then(pl.col("date_of_birth")),
        sex=pl.when(unborn).then(pl.lit("U")).otherwise(pl.col("sex")),
    )
    return {"children": children, "referrals": referrals, "assessments": assessments,
            "cin_plans": cin_plans, "section_47_enquiries": s47, "cp_plans": cp_plans,
            "reviews": reviews, "initial": initial}


def write_cin(tables: dict[str, pl.DataFrame], year: int, *, authority: str | None = None,
              created: datetime | None = None) -> bytes:
    """The census XML for collection ``year`` of one authority, as bytes (UTF-8)."""
    check_year(year)
    la = one_authority(tables, authority)
    records = census_records(tables, year, la)
    by_referral = {name: _group(records[name], "referral_id")
                   for name in ("assessments", "cin_plans", "section_47_enquiries", "cp_plans")}
    initial = {r["referral_id"]: r["conference_date"] for r in records["initial"].to_dicts()}
    reviews = _group(records["reviews"].sort("conference_date"), "cp_plan_id")
    referrals = _group(records["referrals"].sort("referral_date", "referral_id"), "child_id")

    message = etree.Element("Message")
    header = etree.SubElement(message, "Header")
    details = etree.SubElement(header, "CollectionDetails")
    _text(details, "Collection", "CIN")
    _text(details, "Year", str(year))
    _text(details, "ReferenceDate", date(year, 3, 31))
    source = etree.SubElement(header, "Source")
    _text(source, "SourceLevel", "L")
    _text(source, "LEA", la)
    _text(source, "SoftwareCode", SOFTWARE)
    _text(source, "Release", "1")
    _text(source, "SerialNo", "001")
    _text(source, "DateTime", (created or datetime.now()).replace(microsecond=0).isoformat())

    children_el = etree.SubElement(message, "Children")
    for child in records["children"].sort("child_id").to_dicts():
        child_el = etree.SubElement(children_el, "Child")
        ids = etree.SubElement(child_el, "ChildIdentifiers")
        _text(ids, "LAchildID", child["child_id"])
        _text(ids, "UPN", child["upn"])
        _text(ids, "UPNunknown", child["upn_unknown"])
        _text(ids, "PersonBirthDate", child["date_of_birth"])
        if child["date_of_birth"] is None:
            _text(ids, "ExpectedPersonBirthDate", child["expected_date_of_birth"])
        if year >= SEX_FROM:
            _text(ids, "Sex", child["sex"])
        else:
            _text(ids, "GenderCurrent", GENDER_CURRENT[child["sex"]])
        _text(ids, "PersonDeathDate", child["date_of_death"])
        characteristics = etree.SubElement(child_el, "ChildCharacteristics")
        _text(characteristics, "Ethnicity", child["ethnicity"])
        disabilities = etree.SubElement(characteristics, "Disabilities")
        # The census says NONE where the dataset has an empty list.
        for code in child["disabilities"] or ["NONE"]:
            _text(disabilities, "Disability", code)
        for referral in referrals[child["child_id"]]:
            _cin_details(child_el, referral, by_referral, initial, reviews)
    return etree.tostring(message, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _cin_details(parent: etree._Element, referral: dict[str, Any],
                 by_referral: dict[str, dict[str, list[dict[str, Any]]]],
                 initial: dict[str, date], reviews: dict[str, list[dict[str, Any]]]) -> None:
    rid = referral["referral_id"]
    el = etree.SubElement(parent, "CINdetails")
    _text(el, "CINreferralDate", referral["referral_date"])
    _text(el, "ReferralSource", referral["referral_source"])
    _text(el, "PrimaryNeedCode", referral["primary_need"])
    _text(el, "CINclosureDate", referral["closure_date"])
    _text(el, "ReasonForClosure", referral["closure_reason"])
    _text(el, "DateOfInitialCPC", initial.get(rid))
    for a in sorted(by_referral["assessments"].get(rid, []), key=lambda r: r["start_date"]):
        a_el = etree.SubElement(el, "Assessments")
        _text(a_el, "AssessmentActualStartDate", a["start_date"])
        _text(a_el, "AssessmentAuthorisationDate", a["authorised_date"])
        if a["factors"]:
            factors = etree.SubElement(a_el, "FactorsIdentifiedAtAssessment")
            for code in a["factors"]:
                _text(factors, "AssessmentFactors", code)
    for p in sorted(by_referral["cin_plans"].get(rid, []), key=lambda r: r["start_date"]):
        p_el = etree.SubElement(el, "CINPlanDates")
        _text(p_el, "CINPlanStartDate", p["start_date"])
        _text(p_el, "CINPlanEndDate", p["end_date"])
    for s in sorted(by_referral["section_47_enquiries"].get(rid, []),
                    key=lambda r: r["start_date"]):
        s_el = etree.SubElement(el, "Section47")
        _text(s_el, "S47ActualStartDate", s["start_date"])
        _text(s_el, "DateOfInitialCPC", s["icpc_date"])
        _text(s_el, "ICPCnotRequired", "0" if s["icpc_required"] else "1")
    _text(el, "ReferralNFA", "1" if referral["referral_nfa"] else "0")
    for p in sorted(by_referral["cp_plans"].get(rid, []), key=lambda r: r["start_date"]):
        p_el = etree.SubElement(el, "ChildProtectionPlans")
        _text(p_el, "CPPstartDate", p["start_date"])
        _text(p_el, "CPPendDate", p["end_date"])
        _text(p_el, "InitialCategoryOfAbuse", p["initial_category"])
        _text(p_el, "LatestCategoryOfAbuse", p["latest_category"])
        _text(p_el, "NumberOfPreviousCPP", str(p["previous_plans"]))
        held = reviews.get(p["cp_plan_id"], [])
        if held:
            r_el = etree.SubElement(p_el, "Reviews")
            for r in held:
                _text(r_el, "CPPreviewDate", r["conference_date"])


def _group(frame: pl.DataFrame, key: str) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in frame.to_dicts():
        groups[row[key]].append(row)
    return groups


def _text(parent: etree._Element, tag: str, value: object) -> None:
    """A child element holding ``value``; none at all when the value is missing."""
    if value is None:
        return
    etree.SubElement(parent, tag).text = value.isoformat() if isinstance(value, date) else str(
        value)
