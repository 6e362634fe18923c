"""A small hand-built dataset for the returns, and what the SSDA903 carries of a dataset.

``carried_903`` says, year by year and independently of the writer, which rows and columns
of a dataset come back from reading the 903 written for a run of years: the round trip
``read(write(x)) == carried_903(x)`` is the property the tests check.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from childrenmatter.dataset.io import conform
from childrenmatter.dataset.schema import TABLES

LA = "999"
OTHER_LA = "888"


def frame(name: str, rows: list[dict[str, Any]]) -> pl.DataFrame:
    schema = TABLES[name].polars_schema
    full = [{c: row.get(c) for c in schema} for row in rows]
    return conform(name, pl.DataFrame(full, schema=schema))


def _episode(child: str, poc: str, decom: date, rne: str, ls: str, place: str,
             dec: date | None = None, rec: str | None = None, rpc: str | None = None,
             la: str = LA) -> dict[str, Any]:
    return {"la_code": la, "child_id": child, "period_of_care_id": poc, "decom": decom,
            "rne": rne, "ls": ls, "cin": "N1", "place": place, "place_provider": "PR1",
            "dec": dec, "rec": rec, "reason_place_change": rpc, "home_post": "TS1 2",
            "pl_post": "TS3 4", "urn": "SC123456", "pl_la": LA, "pl_location": "IN",
            "pl_distance": 2.5, "cost_per_week": 800.0}


def hand_built() -> dict[str, pl.DataFrame]:
    rows: dict[str, list[dict[str, Any]]] = {
        "authorities": [
            {"la_code": LA, "la_name": "Seatown", "statistical_neighbours": []},
            {"la_code": OTHER_LA, "la_name": "Hilltown", "statistical_neighbours": []},
        ],
        "children": [
            {"la_code": LA, "child_id": "C1", "upn": "A123456789012", "sex": "F",
             "date_of_birth": date(2010, 5, 1), "ethnicity": "WBRI", "disabilities": [],
             "uasc": False, "mother": False},
            {"la_code": LA, "child_id": "C2", "upn": "B123456789012", "sex": "M",
             "date_of_birth": date(2007, 1, 9), "ethnicity": "BAFR", "disabilities": ["AUT"],
             "uasc": True, "uasc_ceased_date": date(2025, 1, 9)},
            {"la_code": LA, "child_id": "C3", "sex": "U", "date_of_birth": date(2021, 3, 3),
             "ethnicity": "NOBT", "disabilities": [], "uasc": False},
            {"la_code": LA, "child_id": "C4", "sex": "M", "date_of_birth": date(2006, 6, 15),
             "ethnicity": "MWBC", "disabilities": [], "uasc": False},
            {"la_code": LA, "child_id": "C5", "sex": "F", "date_of_birth": date(2012, 2, 29),
             "ethnicity": "WBRI", "disabilities": [], "uasc": False},
            {"la_code": LA, "child_id": "C6", "sex": "M", "date_of_birth": date(2004, 2, 2),
             "ethnicity": "WBRI", "disabilities": [], "uasc": False},
            {"la_code": LA, "child_id": "C7", "sex": "F", "date_of_birth": date(2013, 9, 9),
             "ethnicity": "AIND", "disabilities": [], "uasc": False},
            {"la_code": LA, "child_id": "C8", "sex": "U",
             "expected_date_of_birth": date(2025, 6, 1), "ethnicity": "NOBT",
             "disabilities": [], "uasc": False},
            {"la_code": OTHER_LA, "child_id": "C1", "sex": "M",
             "date_of_birth": date(2015, 2, 2), "ethnicity": "WOTH", "uasc": False},
        ],
        "referrals": [
            {"la_code": LA, "referral_id": "R1", "child_id": "C1",
             "referral_date": date(2023, 5, 1), "referral_source": "2A", "primary_need": "N1",
             "referral_nfa": False},
            {"la_code": LA, "referral_id": "R2", "child_id": "C5",
             "referral_date": date(2024, 1, 10), "referral_source": "6", "primary_need": "N4",
             "referral_nfa": False, "closure_date": date(2024, 6, 1), "closure_reason": "RC7"},
            {"la_code": LA, "referral_id": "R3", "child_id": "C5",
             "referral_date": date(2022, 1, 1), "referral_source": "1A",
             "referral_nfa": True, "closure_date": date(2022, 1, 2), "closure_reason": "RC8"},
            {"la_code": LA, "referral_id": "R4", "child_id": "C8",
             "referral_date": date(2025, 2, 1), "referral_source": "3B", "primary_need": "N1",
             "referral_nfa": True},
            {"la_code": OTHER_LA, "referral_id": "R1", "child_id": "C1",
             "referral_date": date(2024, 6, 1), "referral_source": "1A",
             "referral_nfa": False},
        ],
        "assessments": [
            {"la_code": LA, "assessment_id": "A1", "referral_id": "R1", "child_id": "C1",
             "start_date": date(2023, 5, 2), "authorised_date": date(2023, 6, 10),
             "factors": ["3A", "4B"]},
            {"la_code": LA, "assessment_id": "A2", "referral_id": "R2", "child_id": "C5",
             "start_date": date(2024, 1, 11), "authorised_date": date(2024, 4, 20),
             "factors": ["21"]},
        ],
        "cin_plans": [
            {"la_code": LA, "cin_plan_id": "N1", "referral_id": "R2", "child_id": "C5",
             "start_date": date(2024, 4, 21), "end_date": date(2024, 6, 1)},
        ],
        "strategy_discussions": [
            {"la_code": LA, "strategy_discussion_id": "D1", "referral_id": "R1",
             "child_id": "C1", "discussion_date": date(2023, 5, 20), "section_47": True},
        ],
        "section_47_enquiries": [
            {"la_code": LA, "s47_id": "S1", "referral_id": "R1", "strategy_discussion_id": "D1",
             "child_id": "C1", "start_date": date(2023, 5, 20), "end_date": date(2023, 6, 5),
             "icpc_required": True, "icpc_date": date(2023, 6, 5)},
        ],
        "cp_plans": [
            {"la_code": LA, "cp_plan_id": "P1", "referral_id": "R1", "child_id": "C1",
             "start_date": date(2023, 6, 5), "end_date": date(2024, 9, 1),
             "initial_category": "NEG", "latest_category": "EMO", "previous_plans": 0},
        ],
        "cp_conferences": [
            {"la_code": LA, "conference_id": "F1", "child_id": "C1",
             "conference_type": "initial", "conference_date": date(2023, 6, 5),
             "s47_id": "S1", "cp_plan_id": "P1"},
        ] + [
            {"la_code": LA, "conference_id": f"F{n}", "child_id": "C1",
             "conference_type": "review", "conference_date": held, "cp_plan_id": "P1"}
            for n, held in enumerate([date(2023, 9, 1), date(2024, 3, 1), date(2024, 8, 20)],
                                     start=2)
        ],
        "episodes": [
            _episode("C1", "P1", date(2023, 1, 10), "S", "C1", "U4", date(2023, 6, 1), "X1",
                     "CARPL"),
            _episode("C1", "P1", date(2023, 6, 1), "B", "C2", "U6"),
            _episode("C2", "P2", date(2022, 5, 1), "S", "V2", "K2", date(2025, 1, 9), "E17"),
            _episode("C3", "P3", date(2023, 5, 5), "S", "C1", "U6", date(2023, 12, 1), "X1",
                     "CARPL"),
            _episode("C3", "P3", date(2023, 12, 1), "U", "E1", "A5", date(2024, 10, 1), "E12"),
            _episode("C4", "P4", date(2020, 1, 1), "S", "C2", "U4", date(2023, 6, 15), "E5"),
            _episode("C6", "P6", date(2019, 1, 1), "S", "V2", "U4", date(2021, 1, 1), "E4A"),
            _episode("C7", "P7", date(2023, 4, 10), "S", "V2", "U3", date(2023, 7, 1), "E4A"),
            _episode("C7", "P8", date(2024, 5, 1), "S", "C1", "U3"),
            _episode("C1", "PX", date(2024, 1, 1), "S", "V2", "U4", la=OTHER_LA),
        ],
        "cla_reviews": [
            {"la_code": LA, "child_id": "C1", "review_date": date(2023, 2, 5),
             "participation": "PN1"},
            {"la_code": LA, "child_id": "C1", "review_date": date(2023, 5, 1),
             "participation": "PN1"},
            {"la_code": LA, "child_id": "C1", "review_date": date(2024, 5, 1),
             "participation": "PN7"},
            {"la_code": LA, "child_id": "C3", "review_date": date(2023, 6, 1),
             "participation": "PN0"},
        ],
        "missing_episodes": [
            {"la_code": LA, "child_id": "C1", "missing": "M", "start_date": date(2024, 3, 20),
             "end_date": date(2024, 4, 2), "return_interview_offered_date": date(2024, 4, 3),
             "return_interview_accepted": True},
            {"la_code": LA, "child_id": "C1", "missing": "A", "start_date": date(2024, 7, 1),
             "end_date": date(2024, 7, 2)},
        ],
        "adoption": [
            {"la_code": LA, "child_id": "C3", "date_decision": date(2023, 8, 1),
             "date_match": date(2023, 11, 1), "date_placed": date(2023, 12, 1),
             "date_adopted": date(2024, 10, 1), "number_of_adopters": 2,
             "sex_of_adopters": "FF", "legal_status_of_adopters": "L12"},
        ],
        "care_leaver_contacts": [
            {"la_code": LA, "child_id": "C4", "contact_date": date(2023, 6, 20),
             "in_touch": "YES", "activity": "F2", "accommodation": "Z1"},
            {"la_code": LA, "child_id": "C4", "contact_date": date(2024, 5, 30),
             "in_touch": "NO", "activity": "0", "accommodation": "0"},
        ],
        "teams": [{"la_code": LA, "team_id": "T1", "team_name": "Children in care",
                   "service": "looked_after"}],
        "workers": [
            {"la_code": LA, "worker_id": w, "team_id": "T1", "role": "social_worker",
             "start_date": date(2020, 1, 1), "agency": False} for w in ("SW001", "SW002")
        ],
        "allocations": [
            {"la_code": LA, "child_id": "C1", "worker_id": "SW001",
             "start_date": date(2023, 1, 10), "end_date": date(2024, 4, 15),
             "reason_ended": "LEFTRL"},
            {"la_code": LA, "child_id": "C1", "worker_id": "SW002",
             "start_date": date(2024, 4, 15)},
            {"la_code": LA, "child_id": "C5", "worker_id": "SW001",
             "start_date": date(2024, 1, 1)},
        ],
    }
    return {name: frame(name, r) for name, r in rows.items()}


# --- what the 903 carries ------------------------------------------------------------------


def bounds(year: int) -> tuple[date, date]:
    return date(year - 1, 4, 1), date(year, 3, 31)


def _birthday(dob: date, age: int) -> date:
    try:
        return dob.replace(year=dob.year + age)
    except ValueError:  # 29 February
        return date(dob.year + age, 2, 28)


def carried_903(tables: dict[str, pl.DataFrame], years: list[int],
                la: str = LA) -> dict[str, list[dict[str, Any]]]:
    """Rows (as sorted lists of dicts) of each table that the 903s for ``years`` carry."""
    def rows(name: str) -> list[dict[str, Any]]:
        return tables[name].filter(pl.col("la_code") == la).to_dicts()

    children = {c["child_id"]: c for c in rows("children")}
    episodes, reviews, missing, placed, leavers, allocations = {}, {}, {}, {}, {}, {}
    looked_after_in: dict[int, set[str]] = {}
    uasc_children: set[str] = set()
    for year in sorted(years):
        start, end = bounds(year)
        open_eps = [e for e in rows("episodes")
                    if e["decom"] <= end and (e["dec"] is None or e["dec"] >= start)]
        lac = {e["child_id"] for e in open_eps}
        looked_after_in[year] = lac
        uasc_children |= {c for c in lac if children[c]["uasc"]}
        for e in open_eps:
            ended = e["dec"] is not None and e["dec"] <= end
            episodes[(e["child_id"], e["decom"])] = {
                "child_id": e["child_id"], "decom": e["decom"], "rne": e["rne"],
                "ls": e["ls"], "cin": e["cin"], "place": e["place"],
                "place_provider": e["place_provider"],
                "dec": e["dec"] if ended else None, "rec": e["rec"] if ended else None,
                "reason_place_change": e["reason_place_change"] if ended else None,
                "home_post": e["home_post"], "pl_post": e["pl_post"], "urn": e["urn"]}
        for r in rows("cla_reviews"):
            if r["child_id"] in lac and start <= r["review_date"] <= end:
                reviews[(r["child_id"], r["review_date"])] = {
                    "child_id": r["child_id"], "review_date": r["review_date"],
                    "participation": r["participation"]}
        for m in rows("missing_episodes"):
            still_open = m["start_date"] < start and (m["end_date"] is None
                                                      or m["end_date"] >= start)
            if m["child_id"] in lac and (start <= m["start_date"] <= end or still_open):
                ok = m["end_date"] is not None and m["end_date"] <= end
                missing[(m["child_id"], m["start_date"])] = {
                    "child_id": m["child_id"], "missing": m["missing"],
                    "start_date": m["start_date"], "end_date": m["end_date"] if ok else None}
        for a in rows("adoption"):
            ceased = a["date_decision_ceased"]
            adopted = a.get("date_adopted")
            # A decision ended by an adoption order before the year is not this year's.
            if (a["child_id"] in lac and a["date_decision"] <= end
                    and (ceased is None or ceased >= start)
                    and (adopted is None or adopted >= start)):
                ok = ceased is not None and ceased <= end
                placed[(a["child_id"], a["date_decision"])] = {
                    "child_id": a["child_id"], "date_decision": a["date_decision"],
                    "date_decision_ceased": ceased if ok else None,
                    "reason_decision_ceased": a["reason_decision_ceased"] if ok else None}
        for c in rows("care_leaver_contacts"):
            dob = children[c["child_id"]]["date_of_birth"]
            ages = [k for k in range(17, 22) if start <= _birthday(dob, k) <= end]
            if not ages:
                continue
            birthday = _birthday(dob, ages[0])
            # The contact is for the birthday nearest to it.
            nearest = min(range(0, 30), key=lambda k, d=c["contact_date"], b=dob:
                          abs((_birthday(b, k) - d).days))
            if nearest == ages[0]:
                leavers[(c["child_id"], birthday)] = {
                    "child_id": c["child_id"], "contact_date": birthday,
                    "in_touch": c["in_touch"], "activity": c["activity"],
                    "accommodation": c["accommodation"]}
        if year >= 2024:
            # Only the social work of the child looked after: allocations begun by the end
            # of care and still open when it began.
            began = {c: min(e["decom"] for e in open_eps if e["child_id"] == c) for c in lac}
            ended = {c: max(e["dec"] for e in open_eps if e["child_id"] == c)
                     for c in lac if all(e["dec"] is not None and e["dec"] <= end
                                         for e in open_eps if e["child_id"] == c)}
            for s in rows("allocations"):
                if (s["child_id"] in lac and s["start_date"] <= end
                        and (s["end_date"] is None or s["end_date"] >= start)
                        and (s["end_date"] is None or s["end_date"] > began[s["child_id"]])
                        and (s["child_id"] not in ended
                             or s["start_date"] <= ended[s["child_id"]])):
                    ok = s["end_date"] is not None and s["end_date"] <= end
                    allocations[(s["child_id"], s["start_date"])] = {
                        "child_id": s["child_id"], "worker_id": s["worker_id"],
                        "start_date": s["start_date"],
                        "end_date": s["end_date"] if ok else None,
                        "reason_ended": s["reason_ended"]}
    # The 903 gives the reason an allocation ended as SW_REASON of the one begun that day
    # (the writer picks the latest begun of those ending then): it comes back only when
    # that next allocation is in the files too, on every allocation that ended that day.
    everything = rows("allocations")
    for key, alloc in allocations.items():
        ending = alloc["end_date"]
        successors = [a for a in everything if a["child_id"] == key[0]
                      and a["start_date"] == ending and (key[0], ending) in allocations]
        if ending is None or not successors:
            alloc["reason_ended"] = None
            continue
        same_day = sorted((a for a in everything if a["child_id"] == key[0]
                           and a["end_date"] == ending),
                          key=lambda a: (a["start_date"], a["worker_id"]))
        alloc["reason_ended"] = same_day[-1]["reason_ended"]
    # PrevPerm: the permanence before each period begun in a year, on its first episode.
    for e in episodes.values():
        e.update(prev_perm=None, prev_perm_la=None, prev_perm_date=None)
    for year in years:
        start, end = bounds(year)
        latest = {}
        for e in sorted(rows("episodes"), key=lambda e: e["decom"]):
            if (e["rne"] == "S" and start <= e["decom"] <= end
                    and e.get("prev_perm") is not None):
                latest[e["child_id"]] = e
        for e in latest.values():
            episodes[(e["child_id"], e["decom"])].update(
                prev_perm=e["prev_perm"], prev_perm_la=e["prev_perm_la"],
                prev_perm_date=e["prev_perm_date"])
    in_header = set().union(*looked_after_in.values()) | {c for c, _ in leavers}
    # The Header read back is the latest year's: MOTHER as at that year's end.
    last_end = {}
    for year in sorted(years):
        for child_id in looked_after_in[year] | {c for c, b in leavers
                                                 if bounds(year)[0] <= b <= bounds(year)[1]}:
            last_end[child_id] = bounds(year)[1]
    kids = []
    for child_id in in_header:
        c = children[child_id]
        mother, mc_dob = None, None
        looked_after_last = any(child_id in looked_after_in[y]
                                and bounds(y)[1] == last_end[child_id] for y in years)
        if c["sex"] == "F" and c.get("mother") is not None and looked_after_last:
            born = c.get("mother_child_dob")
            mother = c["mother"] and (born is None or born <= last_end[child_id])
            mc_dob = born if mother else None
        kids.append({"child_id": child_id, "upn": c["upn"], "sex": c["sex"],
                     "date_of_birth": c["date_of_birth"], "ethnicity": c["ethnicity"],
                     "uasc": child_id in uasc_children,
                     "uasc_ceased_date": c["uasc_ceased_date"] if child_id in uasc_children
                     else None, "mother": mother, "mother_child_dob": mc_dob})

    def ordered(values: dict[Any, dict[str, Any]] | list[dict[str, Any]]) -> list[dict[str, Any]]:
        items = list(values.values()) if isinstance(values, dict) else values
        return sorted(items, key=lambda r: tuple(str(v) for v in r.values()))

    return {"children": ordered(kids), "episodes": ordered(episodes),
            "cla_reviews": ordered(reviews), "missing_episodes": ordered(missing),
            "adoption": ordered(placed), "care_leaver_contacts": ordered(leavers),
            "allocations": ordered(allocations)}


def as_carried(read: dict[str, pl.DataFrame]) -> dict[str, list[dict[str, Any]]]:
    """The tables read back, cut to the columns ``carried_903`` compares."""
    example = carried_903(hand_built(), [2024, 2025])
    out = {}
    for name, rows in example.items():
        columns = list(rows[0]) if rows else []
        picked = read[name].select(columns).to_dicts()
        out[name] = sorted(picked, key=lambda r: tuple(str(v) for v in r.values()))
    return out
