"""The DfE's children's social care data API: one JSON record per child, sent in batches.

The DfE is moving the CIN census and the SSDA903 to a daily collection: case systems POST
each child's record to ``/children_social_care_data/{la_code}/children``. The request body
is defined by the OpenAPI document in DFE-Digital/children-in-social-care-schemas
(``openapi.json``, version 1.0.1, MIT licence; components.schemas.CSC): an array of at most
100 children (``maxItems: 100``; the API answers 413 "Too many records" beyond that), each
with ``la_child_id``, ``child_details``, ``health_and_wellbeing`` and ``social_care_episodes``.
A social care episode is a referral (a CIN episode) with its assessments, plans, section 47
enquiries, looked-after placements, adoption and care-leaver details nested inside it.

This module builds those records from the child-level dataset and writes one JSON file per
batch, one folder per authority (the API takes the authority in its path). Which dataset
column goes to which API field, and what the API has no field for, is in docs/returns.md
("DfE API"). Plain Python: no Django.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import polars as pl

from childrenmatter.errors import UserError

# components.schemas.CSC.maxItems in the DfE's openapi.json.
BATCH_SIZE = 100

DFE_API_TABLES = (
    "children", "referrals", "assessments", "section_47_enquiries", "cp_plans", "cin_plans",
    "episodes", "adoption", "care_leaver_contacts", "allocations",
)

# Identifier rules from the DfE's schema: la_child_id is letters and digits, at most 20;
# the other identifiers letters, digits, "_" and "-", at most 36 (a worker's, 12).
_CHILD_ID = re.compile(r"^[A-Za-z0-9]{1,20}$")
_RECORD_ID = re.compile(r"^[A-Za-z0-9_-]{1,36}$")
_WORKER_ID = re.compile(r"^[A-Za-z0-9_-]{1,12}$")
_NOT_ID = re.compile(r"[^A-Za-z0-9_-]")


def dfe_api_payloads(
    tables: dict[str, pl.DataFrame], authority: str | None = None
) -> Iterator[tuple[str, list[list[dict]]]]:
    """For each authority (or the one asked for): its code and its batches of child records.

    Children are in order of ``child_id``; each batch holds at most ``BATCH_SIZE``. One
    authority is built at a time, so a national dataset never sits in memory as JSON whole.
    Raises ``UserError`` for an authority the dataset does not hold, or for an identifier
    the DfE's schema would refuse (naming the table, child and value).
    """
    codes = sorted(tables["children"].get_column("la_code").unique().to_list())
    if authority is not None:
        if authority not in codes:
            held = ", ".join(codes) or "none"
            raise UserError(f"--authority {authority}: the dataset holds no children of "
                            f"that authority (it holds: {held})")
        codes = [authority]
    for la_code in codes:
        mine = {name: frame.filter(pl.col("la_code") == la_code)
                for name, frame in tables.items() if name in DFE_API_TABLES}
        records = child_records(mine)
        yield la_code, [records[i:i + BATCH_SIZE] for i in range(0, len(records), BATCH_SIZE)]


def child_records(tables: dict[str, pl.DataFrame]) -> list[dict]:
    """One API record per child of one authority's tables, in order of ``child_id``."""
    by_child = {name: _rows_by_child(tables[name]) for name in DFE_API_TABLES
                if name != "children"}
    records = []
    for child in tables["children"].sort("child_id").iter_rows(named=True):
        child_id = child["child_id"]
        _check_id(_CHILD_ID, child_id, "children", child_id, "child_id")
        record: dict = {"la_child_id": child_id}
        details = _child_details(child, by_child["episodes"].get(child_id, []))
        if details:
            record["child_details"] = details
        episodes = _social_care_episodes(child_id, {name: rows.get(child_id, [])
                                                    for name, rows in by_child.items()})
        if episodes:
            record["social_care_episodes"] = episodes
        records.append(record)
    return records


def write_dfe_api_files(batches: list[list[dict]], folder: Path) -> list[Path]:
    """Write each batch as ``batch-00001.json`` … in ``folder`` (which must exist)."""
    paths = []
    for number, batch in enumerate(batches, start=1):
        path = folder / f"batch-{number:05d}.json"
        path.write_text(json.dumps(batch, ensure_ascii=False, separators=(",", ":")),
                        encoding="utf-8")
        paths.append(path)
    return paths


def _rows_by_child(frame: pl.DataFrame) -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = defaultdict(list)
    for row in frame.iter_rows(named=True):
        rows[row["child_id"]].append(row)
    return rows


def _child_details(child: dict, episodes: list[dict]) -> dict:
    details: dict = {}
    upn = child.get("upn")
    if upn:
        # The DfE's schema takes a UPN of exactly 13 characters (the DfE's UPN format).
        if len(upn) != 13:
            raise UserError(f"children: child {child['child_id']}: upn {upn!r} is not 13 "
                            "characters, which the DfE API requires")
        details["unique_pupil_number"] = upn
    _put_date(details, "date_of_birth", child.get("date_of_birth"))
    _put_date(details, "expected_date_of_birth", child.get("expected_date_of_birth"))
    _put(details, "sex", child.get("sex"))
    _put(details, "ethnicity", child.get("ethnicity"))
    disabilities = child.get("disabilities")
    if disabilities:
        # uniqueItems in the schema: a code listed twice is sent once, first order kept.
        details["disabilities"] = list(dict.fromkeys(disabilities))
    # The API's "home postcode" is the 903's HOME_POST of the child's latest episode: the
    # dataset keeps the partial postcode the 903 carries, not a full address.
    homes = [e for e in sorted(episodes, key=lambda e: e["decom"]) if e.get("home_post")]
    if homes:
        details["postcode"] = homes[-1]["home_post"]
    if child.get("uasc") is not None:
        details["uasc_flag"] = bool(child["uasc"])
    _put_date(details, "uasc_end_date", child.get("uasc_ceased_date"))
    return details


def _social_care_episodes(child_id: str, rows: dict[str, list[dict]]) -> list[dict]:
    """The child's referrals as social care episodes, with what hangs off each.

    Assessments, plans and enquiries carry the referral they belong to. Looked-after
    placements, adoption, care-leaver contacts and worker allocations do not: each period
    of care goes in the referral open on its first day (the latest referral on or before
    it, not closed before it), or, when no referral was open, in an episode of its own
    named ``CLA-<period of care>``; adoption and care-leaver details go with the child's
    period of care they follow; a worker allocation goes in the referral open when it began.
    """
    referrals = sorted(rows["referrals"], key=lambda r: (r["referral_date"], r["referral_id"]))
    episodes: dict[str, dict] = {}
    for referral in referrals:
        _check_id(_RECORD_ID, referral["referral_id"], "referrals", child_id, "referral_id")
        episode: dict = {"social_care_episode_id": referral["referral_id"]}
        _put_date(episode, "referral_date", referral["referral_date"])
        _put(episode, "referral_source", referral.get("referral_source"))
        if referral.get("referral_nfa") is not None:
            episode["referral_no_further_action_flag"] = bool(referral["referral_nfa"])
        _put_date(episode, "closure_date", referral.get("closure_date"))
        _put(episode, "closure_reason", referral.get("closure_reason"))
        episodes[referral["referral_id"]] = episode

    def open_on(day: date) -> str | None:
        starts = [r["referral_date"] for r in referrals]
        for referral in reversed(referrals[:bisect_right(starts, day)]):
            if referral.get("closure_date") is None or referral["closure_date"] >= day:
                return referral["referral_id"]
        return None

    for row in sorted(rows["assessments"], key=lambda r: (r["start_date"], r["assessment_id"])):
        item = {"child_and_family_assessment_id": row["assessment_id"]}
        _put_date(item, "start_date", row["start_date"])
        _put_date(item, "authorisation_date", row.get("authorised_date"))
        if row.get("factors"):
            item["factors"] = list(dict.fromkeys(row["factors"]))
        _nest(episodes, row, "assessments", child_id, "child_and_family_assessments", item)
    for row in sorted(rows["cin_plans"], key=lambda r: (r["start_date"], r["cin_plan_id"])):
        item = {"child_in_need_plan_id": row["cin_plan_id"]}
        _put_date(item, "start_date", row["start_date"])
        _put_date(item, "end_date", row.get("end_date"))
        _nest(episodes, row, "cin_plans", child_id, "child_in_need_plans", item)
    for row in sorted(rows["section_47_enquiries"], key=lambda r: (r["start_date"], r["s47_id"])):
        item = {"section_47_assessment_id": row["s47_id"]}
        _put_date(item, "start_date", row["start_date"])
        if row.get("icpc_required") is not None:
            item["icpc_required_flag"] = bool(row["icpc_required"])
        _put_date(item, "icpc_date", row.get("icpc_date"))
        _put_date(item, "end_date", row.get("end_date"))
        _nest(episodes, row, "section_47_enquiries", child_id, "section_47_assessments", item)
    for row in sorted(rows["cp_plans"], key=lambda r: (r["start_date"], r["cp_plan_id"])):
        item = {"child_protection_plan_id": row["cp_plan_id"]}
        _put_date(item, "start_date", row["start_date"])
        _put_date(item, "end_date", row.get("end_date"))
        _nest(episodes, row, "cp_plans", child_id, "child_protection_plans", item)

    # Looked-after placements, a period of care at a time.
    periods: dict[str, list[dict]] = defaultdict(list)
    for row in rows["episodes"]:
        periods[row["period_of_care_id"]].append(row)
    period_home: list[tuple[date, str]] = []  # (first day of the period, episode id)
    for period_id, placements in periods.items():
        placements.sort(key=lambda e: e["decom"])
        first_day = placements[0]["decom"]
        home = open_on(first_day)
        if home is None:
            home = "CLA-" + _NOT_ID.sub("-", period_id)
            _check_id(_RECORD_ID, home, "episodes", child_id, "period_of_care_id")
            episodes.setdefault(home, {"social_care_episode_id": home})
        period_home.append((first_day, home))
        for placement in placements:
            item = {"child_looked_after_placement_id":
                    f"{child_id}-{placement['decom']:%Y%m%d}"}
            _put_date(item, "start_date", placement["decom"])
            _put(item, "start_reason", placement.get("rne"))
            _put(item, "placement_type", placement.get("place"))
            _put(item, "postcode", placement.get("pl_post"))
            _put_date(item, "end_date", placement.get("dec"))
            _put(item, "end_reason", placement.get("rec"))
            _put(item, "change_reason", placement.get("reason_place_change"))
            _check_id(_RECORD_ID, item["child_looked_after_placement_id"], "episodes",
                      child_id, "child_id and decom")
            episodes[home].setdefault("child_looked_after_placements", []).append(item)
    period_home.sort()

    def period_before(day: date) -> str | None:
        """The episode holding the child's latest period of care begun on or before ``day``."""
        index = bisect_right(period_home, (day, "\uffff"))
        return period_home[index - 1][1] if index else None

    # The API holds one adoption and one care-leaver object per episode: the latest
    # decision for adoption, the latest contact for care leavers.
    for row in sorted(rows["adoption"], key=lambda r: r["date_decision"]):
        home = period_before(row["date_decision"])
        if home is None:
            continue
        adoption: dict = {}
        _put_date(adoption, "initial_decision_date", row["date_decision"])
        _put_date(adoption, "matched_date", row.get("date_match"))
        _put_date(adoption, "placed_date", row.get("date_placed"))
        episodes[home]["adoption"] = adoption
    for row in sorted(rows["care_leaver_contacts"], key=lambda r: r["contact_date"]):
        home = period_before(row["contact_date"])
        if home is None:
            continue
        leaver: dict = {}
        _put_date(leaver, "contact_date", row["contact_date"])
        _put(leaver, "activity", row.get("activity"))
        # The API takes one character: the 903's accommodation type without its
        # suitability digit (OC3 ACCOM "B1" -> "B"); see docs/returns.md.
        if row.get("accommodation"):
            leaver["accommodation"] = row["accommodation"][:1]
        episodes[home]["care_leavers"] = leaver

    for row in sorted(rows["allocations"], key=lambda r: r["start_date"]):
        home = open_on(row["start_date"])
        if home is None:
            continue
        _check_id(_WORKER_ID, row["worker_id"], "allocations", child_id, "worker_id")
        worker = {"worker_id": row["worker_id"]}
        _put_date(worker, "start_date", row["start_date"])
        _put_date(worker, "end_date", row.get("end_date"))
        episodes[home].setdefault("care_worker_details", []).append(worker)

    return sorted(episodes.values(),
                  key=lambda e: (e.get("referral_date") or _first_placement(e),
                                 e["social_care_episode_id"]))


def _first_placement(episode: dict) -> str:
    placements = episode.get("child_looked_after_placements") or [{}]
    return placements[0].get("start_date", "")


def _nest(episodes: dict[str, dict], row: dict, table: str, child_id: str, key: str,
          item: dict) -> None:
    id_field = next(iter(item))
    _check_id(_RECORD_ID, item[id_field], table, child_id, id_field)
    episode = episodes.get(row["referral_id"])
    if episode is None:
        raise UserError(f"{table}: child {child_id}: referral_id {row['referral_id']!r} is "
                        "not one of the child's referrals")
    episode.setdefault(key, []).append(item)


def _check_id(pattern: re.Pattern, value: str, table: str, child_id: str, field: str) -> None:
    if value is None or not pattern.match(value):
        raise UserError(f"{table}: child {child_id}: {field} {value!r} is not an identifier the "
                        f"DfE API accepts (pattern {pattern.pattern})")


def _put(target: dict, key: str, value: str | None) -> None:
    if value is not None and value != "":
        target[key] = value


def _put_date(target: dict, key: str, value: date | None) -> None:
    if value is not None:
        target[key] = value.isoformat()
