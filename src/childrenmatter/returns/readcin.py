"""Reading a CIN census XML file into the dataset.

The file comes from another system, so it is parsed with defusedxml: a document type
declaration, entity expansion or an external entity is refused, never resolved. Either
coding of sex is read (GenderCurrent 1/2/0/9 before 2024-25, Sex M/F/U after), and
yes/no items as 0/1 or true/false.

The census has no identifiers for episodes, plans or enquiries: they are made from the
child's identifier and the order the file lists them in.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import polars as pl
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from childrenmatter.dataset.codes import codes_for, collection_year
from childrenmatter.dataset.io import conform
from childrenmatter.dataset.schema import TABLES
from childrenmatter.errors import UserError

SEX = {"M": "M", "F": "F", "U": "U", "1": "M", "2": "F", "0": "U", "9": "U"}
YES_NO = {"1": True, "0": False, "true": True, "false": False}


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, element: Element | None, message: str) -> UserError:
        # ElementTree keeps no line numbers; the child's identifier says where instead.
        return UserError(f"{self.path}: {message}")

    def text(self, parent: Element, tag: str, where: str, required: bool = False) -> str | None:
        found = parent.find(tag)
        if found is None or found.text is None or not found.text.strip():
            if required:
                raise self.fail(parent, f"{where}: {tag} is missing; it is required")
            return None
        return found.text.strip()

    def date(self, parent: Element, tag: str, where: str, required: bool = False) -> date | None:
        value = self.text(parent, tag, where, required)
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self.fail(parent, f"{where}: {tag} {value!r} is not a date YYYY-MM-DD") from None

    def code(self, parent: Element, tag: str, where: str, codes: frozenset[str] | dict[str, Any],
             required: bool = False) -> str | None:
        value = self.text(parent, tag, where, required)
        if value is not None and value not in codes:
            raise self.fail(parent, f"{where}: {tag} {value!r} is not a code of the census "
                                    f"(expected one of {', '.join(sorted(codes))})")
        return value

    def yes_no(self, parent: Element, tag: str, where: str) -> bool:
        value = self.code(parent, tag, where, YES_NO, required=True)
        return YES_NO[str(value)]


def read_cin(path: str | Path, *, la_name: str | None = None) -> dict[str, pl.DataFrame]:
    """A child-level dataset from one CIN census file."""
    path = Path(path)
    root = parse_census(path)
    r = _Reader(path)
    la = r.text(root, "Header/Source/LEA", "Header", required=True)
    reference = r.date(root, "Header/CollectionDetails/ReferenceDate", "Header")
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in (
        "children", "referrals", "assessments", "strategy_discussions",
        "section_47_enquiries", "cp_plans", "cp_conferences", "cin_plans")}
    dates: list[date] = []
    for n, child in enumerate(root.iterfind("Children/Child"), start=1):
        _child(r, child, n, la, rows, dates)
    latest = reference or max(dates, default=None)
    if latest is None:
        raise UserError(f"{path}: no ReferenceDate and no referral: the year cannot be told")
    year = collection_year(latest)
    authorities = pl.DataFrame({
        "la_code": [la], "la_name": [la_name or f"Authority {la}"],
        "period_start": [date(year - 1, 4, 1)], "period_end": [date(year, 3, 31)],
    })
    tables = {"authorities": conform("authorities", authorities)}
    for name, table_rows in rows.items():
        schema = TABLES[name].polars_schema
        tables[name] = conform(name, pl.DataFrame(
            [{c: row.get(c) for c in schema} for row in table_rows], schema=schema))
    return tables


def _child(r: _Reader, child: Element, n: int, la: str, rows: dict[str, list[dict[str, Any]]],
           dates: list[date]) -> None:
    ids = child.find("ChildIdentifiers")
    where = f"Child {n}"
    if ids is None:
        raise r.fail(child, f"{where}: ChildIdentifiers is missing")
    child_id = r.text(ids, "LAchildID", where, required=True)
    where = f"Child {n} ({child_id})"
    sex_tag = "Sex" if ids.find("Sex") is not None else "GenderCurrent"
    characteristics = child.find("ChildCharacteristics")
    if characteristics is None:
        raise r.fail(child, f"{where}: ChildCharacteristics is missing")
    disabilities = [d.text.strip() for d in characteristics.iterfind("Disabilities/Disability")
                    if d.text and d.text.strip()]
    known_disabilities = codes_for("disability") | {"NONE"}
    for d in disabilities:
        if d not in known_disabilities:
            raise r.fail(child, f"{where}: Disability {d!r} is not a code of the census")
    rows["children"].append({
        "la_code": la, "child_id": child_id,
        "upn": r.text(ids, "UPN", where),
        "sex": SEX[str(r.code(ids, sex_tag, where, SEX, required=True))],
        "date_of_birth": r.date(ids, "PersonBirthDate", where),
        "expected_date_of_birth": r.date(ids, "ExpectedPersonBirthDate", where),
        "ethnicity": r.code(characteristics, "Ethnicity", where, codes_for("ethnicity"),
                            required=True),
        "disabilities": [d for d in disabilities if d != "NONE"],
        "uasc": False,
        "date_of_death": r.date(ids, "PersonDeathDate", where),
    })
    for e, details in enumerate(child.iterfind("CINdetails"), start=1):
        _episode(r, details, f"{where} CINdetails {e}", la, str(child_id), f"{child_id}/{e}",
                 rows, dates)


def _episode(r: _Reader, el: Element, where: str, la: str, child_id: str, referral_id: str,
             rows: dict[str, list[dict[str, Any]]], dates: list[date]) -> None:
    referral_date = r.date(el, "CINreferralDate", where, required=True)
    assert referral_date is not None
    dates.append(referral_date)
    rows["referrals"].append({
        "la_code": la, "referral_id": referral_id, "child_id": child_id,
        "referral_date": referral_date,
        "referral_source": r.code(el, "ReferralSource", where, codes_for("referral_source"),
                                  required=True),
        "primary_need": r.code(el, "PrimaryNeedCode", where, codes_for("primary_need")),
        "referral_nfa": r.yes_no(el, "ReferralNFA", where),
        "closure_date": r.date(el, "CINclosureDate", where),
        "closure_reason": r.code(el, "ReasonForClosure", where, codes_for("closure_reason")),
    })
    base = {"la_code": la, "child_id": child_id, "referral_id": referral_id}
    for n, a in enumerate(el.iterfind("Assessments"), start=1):
        factors = [f.text.strip() for f in a.iterfind("FactorsIdentifiedAtAssessment/"
                                                       "AssessmentFactors") if f.text]
        for f in factors:
            if f not in codes_for("assessment_factor"):
                raise r.fail(a, f"{where} Assessments {n}: AssessmentFactors {f!r} is not a "
                                "code of the census")
        rows["assessments"].append({
            **base, "assessment_id": f"{referral_id}/A{n}",
            "start_date": r.date(a, "AssessmentActualStartDate", where, required=True),
            "authorised_date": r.date(a, "AssessmentAuthorisationDate", where),
            "factors": factors})
    for n, p in enumerate(el.iterfind("CINPlanDates"), start=1):
        rows["cin_plans"].append({
            **base, "cin_plan_id": f"{referral_id}/N{n}",
            "start_date": r.date(p, "CINPlanStartDate", where, required=True),
            "end_date": r.date(p, "CINPlanEndDate", where)})
    plans = []
    for n, p in enumerate(el.iterfind("ChildProtectionPlans"), start=1):
        plan_id = f"{referral_id}/P{n}"
        previous = r.text(p, "NumberOfPreviousCPP", where, required=True)
        if previous is None or not previous.isdigit():
            raise r.fail(p, f"{where}: NumberOfPreviousCPP {previous!r} is not a number")
        plan = {
            **base, "cp_plan_id": plan_id,
            "start_date": r.date(p, "CPPstartDate", where, required=True),
            "end_date": r.date(p, "CPPendDate", where),
            "initial_category": r.code(p, "InitialCategoryOfAbuse", where,
                                       codes_for("category_of_abuse"), required=True),
            "latest_category": r.code(p, "LatestCategoryOfAbuse", where,
                                      codes_for("category_of_abuse"), required=True),
            "previous_plans": int(previous)}
        plans.append(plan)
        rows["cp_plans"].append(plan)
        for k, review in enumerate(p.iterfind("Reviews/CPPreviewDate"), start=1):
            try:
                held = date.fromisoformat((review.text or "").strip())
            except ValueError:
                raise r.fail(review, f"{where}: CPPreviewDate {review.text!r} is not a date "
                                     "YYYY-MM-DD") from None
            rows["cp_conferences"].append({
                "la_code": la, "conference_id": f"{plan_id}/R{k}", "child_id": child_id,
                "conference_type": "review", "conference_date": held, "cp_plan_id": plan_id})

    def plan_starting(day: date | None) -> str | None:
        return next((p["cp_plan_id"] for p in plans if p["start_date"] == day), None)

    for n, s in enumerate(el.iterfind("Section47"), start=1):
        s47_id = f"{referral_id}/S{n}"
        started = r.date(s, "S47ActualStartDate", where, required=True)
        icpc = r.date(s, "DateOfInitialCPC", where)
        # The census has no strategy discussion: the enquiry starts on the day of the one
        # that led to it (DOMAIN.md), so that day stands for it.
        rows["strategy_discussions"].append({
            **base, "strategy_discussion_id": f"{s47_id}/D", "discussion_date": started,
            "section_47": True})
        rows["section_47_enquiries"].append({
            **base, "s47_id": s47_id, "strategy_discussion_id": f"{s47_id}/D",
            "start_date": started,
            "icpc_required": not r.yes_no(s, "ICPCnotRequired", where), "icpc_date": icpc})
        if icpc is not None:
            rows["cp_conferences"].append({
                "la_code": la, "conference_id": f"{s47_id}/C", "child_id": child_id,
                "conference_type": "initial", "conference_date": icpc, "s47_id": s47_id,
                "cp_plan_id": plan_starting(icpc)})
    icpc = r.date(el, "DateOfInitialCPC", where)
    if icpc is not None:
        rows["cp_conferences"].append({
            "la_code": la, "conference_id": f"{referral_id}/C", "child_id": child_id,
            "conference_type": "initial", "conference_date": icpc,
            "cp_plan_id": plan_starting(icpc)})


def parse_census(path: Path) -> Element:
    """The census file's root element, parsed safely: a DTD or entities are refused, never
    resolved (defusedxml), and a file that is not the census is refused by name."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UserError(f"{path}: cannot be read: {error.strerror}") from None
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise UserError(f"{path}: refused: the file declares a DTD or entities "
                        f"({type(error).__name__}); a census file has none") from None
    except ParseError as error:
        raise UserError(f"{path}: not well-formed XML: {error}") from None
    if root.tag != "Message" or root.find("Children") is None:
        raise UserError(f"{path}: not a CIN census file (no Message/Children element)")
    return root
