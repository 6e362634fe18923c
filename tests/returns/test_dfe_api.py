"""The DfE children's social care data API payloads: shape, batching and the DfE's schema.

Every payload is checked against the DfE's own schema (tests/returns/external/
dfe_csc_api_openapi.json, vendored from DFE-Digital/children-in-social-care-schemas).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import jsonschema
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from childrenmatter.config.cli import main
from childrenmatter.dataset.io import conform, read_dataset, write_dataset
from childrenmatter.errors import UserError
from childrenmatter.returns.dfeapi import (
    BATCH_SIZE,
    DFE_API_TABLES,
    dfe_api_payloads,
)

OPENAPI = Path(__file__).parent / "external" / "dfe_csc_api_openapi.json"


@pytest.fixture(scope="module")
def dfe_schema() -> jsonschema.Draft4Validator:
    # OpenAPI 3.0's schema objects are a subset of JSON Schema draft 4 (plus "example",
    # which validators ignore); "date" formats are checked too.
    schema = json.loads(OPENAPI.read_text())["components"]["schemas"]["CSC"]
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


def _problems(validator: jsonschema.Draft4Validator, payload) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(payload)]


def _tables(rows: dict[str, list[dict]]) -> dict[str, pl.DataFrame]:
    return {name: conform(name, pl.DataFrame(rows.get(name, []))) for name in
            ("authorities", *DFE_API_TABLES)}


LA = "806"


def _one_child_dataset() -> dict[str, list[dict]]:
    """Child C1: a referral with an assessment, a section 47 and a CP plan, then care, an
    adoption decision, a worker; later a care-leaver contact. Child C2: looked after with
    no referral. Child C3: nothing but their details."""
    child = {"la_code": LA, "sex": "F", "ethnicity": "WBRI", "uasc": False}
    return {
        "authorities": [{"la_code": LA, "la_name": "Middlesbrough"}],
        "children": [
            {**child, "child_id": "C1", "upn": "A123456789012", "date_of_birth": date(2012, 3, 4),
             "disabilities": ["HAND", "VIS", "HAND"]},
            {**child, "child_id": "C2", "date_of_birth": date(2015, 1, 1), "uasc": True,
             "uasc_ceased_date": date(2020, 2, 2), "disabilities": []},
            {**child, "child_id": "C3", "sex": "U", "expected_date_of_birth": date(2026, 1, 1),
             "disabilities": []},
        ],
        "referrals": [{"la_code": LA, "referral_id": "R1", "child_id": "C1",
                       "referral_date": date(2020, 1, 6), "referral_source": "5A",
                       "referral_nfa": False, "closure_date": date(2022, 5, 1),
                       "closure_reason": "RC1"}],
        "assessments": [{"la_code": LA, "assessment_id": "A1", "referral_id": "R1",
                         "child_id": "C1", "start_date": date(2020, 1, 7),
                         "authorised_date": date(2020, 2, 1), "factors": ["2B", "3A"]}],
        "section_47_enquiries": [{"la_code": LA, "s47_id": "S1", "referral_id": "R1",
                                  "strategy_discussion_id": "D1", "child_id": "C1",
                                  "start_date": date(2020, 1, 8), "end_date": date(2020, 1, 20),
                                  "icpc_required": True, "icpc_date": date(2020, 1, 30)}],
        "cp_plans": [{"la_code": LA, "cp_plan_id": "P1", "referral_id": "R1", "child_id": "C1",
                      "start_date": date(2020, 1, 30), "end_date": date(2020, 6, 1),
                      "initial_category": "NEG", "latest_category": "NEG", "previous_plans": 0}],
        "episodes": [
            {"la_code": LA, "child_id": "C1", "period_of_care_id": "POC1",
             "decom": date(2020, 6, 1), "rne": "S", "ls": "C2", "cin": "N1", "place": "U1",
             "home_post": "TS1 1", "pl_post": "TS5 7", "dec": date(2021, 1, 1), "rec": "E11"},
            {"la_code": LA, "child_id": "C2", "period_of_care_id": "POC/2",
             "decom": date(2019, 4, 1), "rne": "S", "ls": "V2", "cin": "N1", "place": "K3"},
        ],
        "adoption": [{"la_code": LA, "child_id": "C1", "date_decision": date(2020, 9, 1),
                      "date_match": date(2020, 11, 1), "date_placed": date(2020, 12, 1)}],
        "care_leaver_contacts": [{"la_code": LA, "child_id": "C1", "contact_date": date(2021, 3, 4),
                                  "in_touch": "YES", "activity": "F2", "accommodation": "D1"}],
        "allocations": [{"la_code": LA, "child_id": "C1", "worker_id": "SW001",
                         "start_date": date(2020, 1, 6), "end_date": date(2021, 1, 1)}],
    }


def test_a_child_record_carries_what_the_dataset_holds(dfe_schema):
    [(la_code, [batch])] = list(dfe_api_payloads(_tables(_one_child_dataset())))
    assert la_code == LA
    assert _problems(dfe_schema, batch) == []
    assert [r["la_child_id"] for r in batch] == ["C1", "C2", "C3"]
    c1, c2, c3 = batch
    assert c1["child_details"] == {
        "unique_pupil_number": "A123456789012", "date_of_birth": "2012-03-04", "sex": "F",
        "ethnicity": "WBRI", "disabilities": ["HAND", "VIS"], "postcode": "TS1 1",
        "uasc_flag": False,
    }
    assert c1["social_care_episodes"] == [{
        "social_care_episode_id": "R1", "referral_date": "2020-01-06", "referral_source": "5A",
        "referral_no_further_action_flag": False, "closure_date": "2022-05-01",
        "closure_reason": "RC1",
        "child_and_family_assessments": [{
            "child_and_family_assessment_id": "A1", "start_date": "2020-01-07",
            "authorisation_date": "2020-02-01", "factors": ["2B", "3A"]}],
        "section_47_assessments": [{
            "section_47_assessment_id": "S1", "start_date": "2020-01-08",
            "icpc_required_flag": True, "icpc_date": "2020-01-30", "end_date": "2020-01-20"}],
        "child_protection_plans": [{
            "child_protection_plan_id": "P1", "start_date": "2020-01-30",
            "end_date": "2020-06-01"}],
        "child_looked_after_placements": [{
            "child_looked_after_placement_id": "C1-20200601", "start_date": "2020-06-01",
            "start_reason": "S", "placement_type": "U1", "postcode": "TS5 7",
            "end_date": "2021-01-01", "end_reason": "E11"}],
        "adoption": {"initial_decision_date": "2020-09-01", "matched_date": "2020-11-01",
                     "placed_date": "2020-12-01"},
        "care_leavers": {"contact_date": "2021-03-04", "activity": "F2", "accommodation": "D"},
        "care_worker_details": [{"worker_id": "SW001", "start_date": "2020-01-06",
                                 "end_date": "2021-01-01"}],
    }]
    # Looked after with no referral open: an episode of its own, named after the period.
    assert c2["child_details"]["uasc_flag"] is True
    assert c2["child_details"]["uasc_end_date"] == "2020-02-02"
    assert [e["social_care_episode_id"] for e in c2["social_care_episodes"]] == ["CLA-POC-2"]
    assert c3 == {"la_child_id": "C3", "child_details": {
        "expected_date_of_birth": "2026-01-01", "sex": "U", "ethnicity": "WBRI",
        "uasc_flag": False}}


def test_the_schema_check_can_fail(dfe_schema):
    [(_, [batch])] = list(dfe_api_payloads(_tables(_one_child_dataset())))
    batch[0]["child_details"]["date_of_birth"] = "04/03/2012"
    batch[1]["social_care_episodes"][0]["unknown"] = 1
    assert len(_problems(dfe_schema, batch)) == 2
    assert _problems(dfe_schema, batch * 40)  # 120 children: more than one request takes


def _many_children(count: int) -> dict[str, list[dict]]:
    return {
        "authorities": [{"la_code": la, "la_name": la} for la in ("806", "805")],
        "children": [{"la_code": "806" if n % 3 else "805", "child_id": f"K{n:05d}",
                      "sex": "M", "ethnicity": "WBRI", "uasc": False, "disabilities": []}
                     for n in range(count)],
    }


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=450))
def test_batches_hold_every_child_once_and_at_most_a_hundred(count):
    tables = _tables(_many_children(count))
    payloads = dict(dfe_api_payloads(tables))
    for la_code, batches in payloads.items():
        assert all(0 < len(b) <= BATCH_SIZE for b in batches)
        assert all(len(b) == BATCH_SIZE for b in batches[:-1])
        ids = [r["la_child_id"] for b in batches for r in b]
        expected = tables["children"].filter(pl.col("la_code") == la_code)
        assert ids == sorted(expected.get_column("child_id").to_list())


def test_an_identifier_the_api_refuses_is_named():
    rows = _one_child_dataset()
    rows["children"][1]["child_id"] = "C-2"
    rows["episodes"][1]["child_id"] = "C-2"
    with pytest.raises(UserError, match=r"children: child C-2: child_id 'C-2'"):
        list(dfe_api_payloads(_tables(rows)))


def test_the_command_writes_whole_or_not_at_all(tmp_path, capsys, dfe_schema):
    dataset = write_dataset(_tables(_many_children(250)), tmp_path / "dataset")
    out = tmp_path / "api"
    assert main(["returns", "write", "dfe-api", "--dataset", str(dataset),
                 "--out", str(out)]) == 0
    assert "806: 166 children in 2 batches" in capsys.readouterr().out
    assert sorted(p.name for p in (out / "806").iterdir()) == ["batch-00001.json",
                                                             "batch-00002.json"]
    assert [len(json.loads(p.read_text())) for p in sorted((out / "805").iterdir())] == [84]
    before = sorted(p.relative_to(out) for p in out.rglob("*"))

    assert main(["returns", "write", "dfe-api", "--dataset", str(dataset), "--authority",
                 "999", "--out", str(out)]) == 2
    assert "--authority 999: not in the dataset, which holds 805, 806" in \
        capsys.readouterr().err
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []

    assert main(["returns", "write", "dfe-api", "--dataset", str(dataset), "--authority",
                 "805", "--out", str(out)]) == 0
    assert [p.name for p in out.iterdir()] == ["805"]


@pytest.mark.slow
def test_every_payload_for_middlesbrough_meets_the_dfe_schema(middlesbrough, tmp_path,
                                                              dfe_schema):
    out = tmp_path / "api"
    assert main(["returns", "write", "dfe-api", "--dataset", str(middlesbrough),
                 "--out", str(out)]) == 0
    children = read_dataset(middlesbrough, tables=["children"])["children"]
    seen = 0
    for path in sorted(out.rglob("*.json")):
        batch = json.loads(path.read_text())
        assert len(batch) <= BATCH_SIZE
        assert _problems(dfe_schema, batch) == [], path
        seen += len(batch)
    assert seen == children.height


# --- Any dataset: every code of every list, dates in any order the dataset allows ----------

def _codes(name: str) -> st.SearchStrategy[str]:
    from childrenmatter.dataset.codes import CODE_LISTS

    return st.sampled_from(sorted(c.code for c in CODE_LISTS[name].codes))


_days = st.dates(min_value=date(2015, 1, 1), max_value=date(2025, 3, 31))


@st.composite
def _any_dataset(draw) -> dict[str, list[dict]]:
    """Children with referrals (each with an assessment and plans), periods of care,
    adoption decisions, care-leaver contacts and allocations, dated at random."""
    rows: dict[str, list[dict]] = {name: [] for name in DFE_API_TABLES}
    rows["authorities"] = [{"la_code": LA, "la_name": "Middlesbrough"}]
    for c in range(draw(st.integers(1, 4))):
        child = f"C{c}"
        rows["children"].append({
            "la_code": LA, "child_id": child, "sex": draw(_codes("sex")),
            "ethnicity": draw(_codes("ethnicity")), "uasc": draw(st.booleans()),
            "upn": draw(st.none() | st.just(f"A{c:012d}")),
            "disabilities": draw(st.lists(_codes("disability"), max_size=4)),
        })
        for r in range(draw(st.integers(0, 3))):
            start = draw(_days)
            end = draw(st.none() | st.dates(min_value=start, max_value=date(2025, 3, 31)))
            ref = f"R{c}x{r}"
            rows["referrals"].append({
                "la_code": LA, "referral_id": ref, "child_id": child, "referral_date": start,
                "referral_source": draw(_codes("referral_source")),
                "referral_nfa": draw(st.booleans()), "closure_date": end,
                "closure_reason": draw(_codes("closure_reason")) if end else None})
            rows["assessments"].append({
                "la_code": LA, "assessment_id": f"A{c}x{r}", "referral_id": ref,
                "child_id": child, "start_date": start,
                "factors": draw(st.lists(_codes("assessment_factor"), max_size=6))})
            rows["cin_plans"].append({"la_code": LA, "cin_plan_id": f"N{c}x{r}",
                                      "referral_id": ref, "child_id": child,
                                      "start_date": start})
        decom = draw(_days)
        for p in range(draw(st.integers(0, 3))):
            dec = draw(st.none() | st.dates(min_value=decom, max_value=date(2025, 3, 31)))
            rows["episodes"].append({
                "la_code": LA, "child_id": child, "period_of_care_id": f"P{c}/{p}",
                "decom": decom, "rne": draw(_codes("rne")), "ls": draw(_codes("legal_status")),
                "cin": draw(_codes("primary_need")), "place": draw(_codes("placement_type")),
                "dec": dec, "rec": draw(_codes("reason_episode_ceased")) if dec else None,
                "reason_place_change": draw(st.none() | _codes("reason_place_change"))})
            if dec is None:
                break
            decom = dec + timedelta(days=1)
        for day in draw(st.lists(_days, max_size=2, unique=True)):
            rows["adoption"].append({"la_code": LA, "child_id": child, "date_decision": day})
        for day in draw(st.lists(_days, max_size=2, unique=True)):
            rows["care_leaver_contacts"].append({
                "la_code": LA, "child_id": child, "contact_date": day,
                "in_touch": draw(_codes("in_touch")),
                "activity": draw(_codes("care_leaver_activity")),
                "accommodation": draw(_codes("care_leaver_accommodation"))})
        for day in draw(st.lists(_days, max_size=2, unique=True)):
            rows["allocations"].append({"la_code": LA, "child_id": child, "worker_id": "SW1",
                                        "start_date": day})
    return rows


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_any_dataset())
def test_any_dataset_gives_payloads_the_dfe_schema_accepts(dfe_schema, rows):
    [(_, batches)] = list(dfe_api_payloads(_tables(rows)))
    [batch] = batches
    assert _problems(dfe_schema, batch) == []
    episodes = [e for record in batch for e in record.get("social_care_episodes", [])]
    # Every referral is an episode; every looked-after episode is sent exactly once.
    assert sorted(e["social_care_episode_id"] for e in episodes
                  if not e["social_care_episode_id"].startswith("CLA-")) == \
        sorted(r["referral_id"] for r in rows["referrals"])
    placements = [p["child_looked_after_placement_id"] for e in episodes
                  for p in e.get("child_looked_after_placements", [])]
    assert sorted(placements) == sorted(f"{r['child_id']}-{r['decom']:%Y%m%d}"
                                        for r in rows["episodes"])
    # Each assessment sits in the episode of its own referral.
    for e in episodes:
        for a in e.get("child_and_family_assessments", []):
            assert a["child_and_family_assessment_id"][1:] == e["social_care_episode_id"][1:]
