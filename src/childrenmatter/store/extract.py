"""Extracting the child-level dataset from the operational store.

One function per table the store holds (``authorities``, ``population``, ``children``,
``contacts``, ``early_help_episodes``, ``referrals``, and the journey after a referral:
``assessments``, ``strategy_discussions``, ``section_47_enquiries``, ``cp_plans``,
``cp_conferences``, ``cin_plans``, ``visits``), each giving a Polars frame with
exactly the schema's columns and types (``dataset.io.conform``); the other tables are
written empty until the store holds what they describe. What ``load`` put in comes back
out unchanged (tests/store).

Only children are extracted (adults are not in the dataset), and a record merged into
another is extracted as the record it was merged into.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from childrenmatter.casework.models import (
    Assessment,
    ChildInNeedPlan,
    ChildProtectionConference,
    ChildProtectionPlan,
    EarlyHelpEpisode,
    Referral,
    Section47Enquiry,
    StrategyDiscussion,
    Visit,
)
from childrenmatter.dataset.io import conform, write_dataset
from childrenmatter.dataset.schema import TABLES
from childrenmatter.dataset.validate import DatasetError, validate_dataset
from childrenmatter.errors import UserError
from childrenmatter.frontdoor.models import ContactChild
from childrenmatter.people.models import Person
from childrenmatter.store.models import Authority, ParenthoodFact, PopulationEstimate

LONDON = "Europe/London"
NOT_YET_OBTAINED = "NOBT"  # DfE ethnicity code


def extract_tables(authorities: Sequence[str] | None = None) -> dict[str, pl.DataFrame]:
    """Every table of the dataset, for the authorities named (or every one in the store)."""
    held = list(Authority.objects.order_by("la_code").values_list("la_code", flat=True))
    codes = list(dict.fromkeys(authorities)) if authorities else held
    unknown = [code for code in codes if code not in held]
    if unknown:
        raise UserError(f"--authority {', '.join(unknown)}: the store does not hold it "
                        f"(it holds {', '.join(held) or 'no authority'}; load one first)")
    children = _ChildIds(codes)
    tables = {
        "authorities": _authorities(codes),
        "population": _population(codes),
        "children": _children(codes),
        "contacts": _contacts(codes, children),
        "early_help_episodes": _early_help(codes, children),
        "referrals": _referrals(codes, children),
        **_journey(codes, children),
    }
    tables = {name: conform(name, frame) for name, frame in tables.items()}
    for name, table in TABLES.items():
        tables.setdefault(name, table.empty())
    return tables


def extract_dataset(out: str | Path, authorities: Sequence[str] | None = None
                    ) -> dict[str, pl.DataFrame]:
    """Write the dataset extracted from the store to ``out``, whole or not at all.

    The tables are checked against the schema first: a store whose records would make an
    invalid dataset writes nothing and says what is wrong.
    """
    tables = extract_tables(authorities)
    problems = validate_dataset(tables)
    if problems:
        raise DatasetError(f"the store's records do not make a valid dataset: "
                           f"{problems.summary()}", problems)
    write_dataset(tables, out)
    return tables


class _ChildIds:
    """The dataset's child_id for a person's id: their own local id, or that of the record
    they were merged into; None for an adult."""

    def __init__(self, codes: Sequence[str]) -> None:
        people = Person.objects.filter(la_code__in=codes).values_list(
            "id", "local_id", "is_child", "merged_into_id")
        self._rows = {pk: (local_id, is_child, merged) for pk, local_id, is_child, merged in people}

    def __call__(self, person_id: int) -> str | None:
        seen = set()
        while True:
            local_id, is_child, merged_into = self._rows[person_id]
            if merged_into is None or merged_into in seen or merged_into not in self._rows:
                return local_id if is_child else None
            seen.add(person_id)
            person_id = merged_into


def _frame(rows: list[tuple], columns: Sequence[str], name: str) -> pl.DataFrame:
    schema = TABLES[name].polars_schema
    return pl.DataFrame(rows, schema={c: schema.get(c, pl.Int64) for c in columns},
                        orient="row")


def _local(frame: pl.DataFrame, *columns: str) -> pl.DataFrame:
    """Aware moments (as the database gives them, in UTC) as Europe/London wall-clock times."""
    return frame.with_columns(
        pl.col(c).dt.replace_time_zone("UTC").dt.convert_time_zone(LONDON)
        .dt.replace_time_zone(None) for c in columns
    )


def _blank_to_null(*columns: str) -> list[pl.Expr]:
    return [pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c) for c in columns]


def _authorities(codes: Sequence[str]) -> pl.DataFrame:
    columns = ("la_code", "la_name", "region", "statistical_neighbours", "period_start",
               "period_end")
    rows = list(Authority.objects.filter(la_code__in=codes).values_list(*columns))
    return _frame(rows, columns, "authorities").with_columns(_blank_to_null("region"))


def _population(codes: Sequence[str]) -> pl.DataFrame:
    columns = ("la_code", "year", "population_0_17")
    rows = list(PopulationEstimate.objects.filter(la_code__in=codes).values_list(*columns))
    return _frame(rows, columns, "population")


def _children(codes: Sequence[str]) -> pl.DataFrame:
    columns = ("la_code", "local_id", "upn", "sex", "date_of_birth", "expected_date_of_birth",
               "ethnicity", "disabilities", "uasc", "uasc_ceased_date", "date_of_death")
    rows = list(
        Person.objects.filter(la_code__in=codes, is_child=True, merged_into__isnull=True)
        .values_list(*columns)
    )
    schema = {**TABLES["children"].polars_schema, "local_id": pl.String}
    frame = pl.DataFrame(rows, schema={c: schema[c] for c in columns}, orient="row")
    parenthood = pl.DataFrame(
        list(ParenthoodFact.objects.filter(person__la_code__in=codes,
                                           person__merged_into__isnull=True)
             .values_list("person__la_code", "person__local_id", "mother",
                          "mother_child_dob")),
        schema={"la_code": pl.String, "local_id": pl.String, "mother": pl.Boolean,
                "mother_child_dob": pl.Date}, orient="row")
    frame = frame.join(parenthood, on=["la_code", "local_id"], how="left",
                       maintain_order="left")
    # A child recorded at the front door before their ethnicity was asked: "not yet obtained".
    return frame.rename({"local_id": "child_id"}).with_columns(
        *_blank_to_null("upn"),
        pl.when(pl.col("ethnicity") == "").then(pl.lit(NOT_YET_OBTAINED))
        .otherwise(pl.col("ethnicity")).alias("ethnicity"),
    )


def _contacts(codes: Sequence[str], child_id: _ChildIds) -> pl.DataFrame:
    links = ContactChild.objects.filter(
        contact__la_code__in=codes, person__isnull=False
    ).values_list(
        "contact__la_code", "contact__reference", "person_id", "contact__received_at",
        "contact__source", "contact__is_domestic_abuse", "contact__rag",
        "contact__decided_at", "contact__decision",
    )
    rows = []
    for la_code, reference, person, received, source, abuse, rag, decided, decision in links:
        child = child_id(person)
        if child is None:  # an adult linked to a contact: not a row of the dataset
            continue
        rows.append((la_code, reference, child, _naive_utc(received), source, abuse,
                     rag or None, _naive_utc(decided), decision or None))
    columns = ("la_code", "contact_id", "child_id", "contact_datetime", "source",
               "domestic_abuse", "rag", "decision_datetime", "outcome")
    frame = _frame(rows, columns, "contacts")
    # A child linked twice (a duplicate merged into them): one row, as the dataset keys it.
    frame = frame.unique(subset=["la_code", "contact_id", "child_id"], keep="first",
                         maintain_order=True)
    return _local(frame, "contact_datetime", "decision_datetime")


def _naive_utc(moment):
    return None if moment is None else moment.astimezone(dt.UTC).replace(tzinfo=None)


def _early_help(codes: Sequence[str], child_id: _ChildIds) -> pl.DataFrame:
    columns = ("la_code", "early_help_id", "child_id", "start_date", "end_date", "end_reason",
               "lead_agency", "contact_id")
    rows = [
        (la_code, reference, child_id(person), start, end, reason or None, agency or None,
         contact)
        for la_code, reference, person, start, end, reason, agency, contact
        in EarlyHelpEpisode.objects.filter(la_code__in=codes).values_list(
            "la_code", "reference", "person_id", "start_date", "end_date", "end_reason",
            "lead_agency", "contact__reference")
    ]
    return _frame(rows, columns, "early_help_episodes")


def _referrals(codes: Sequence[str], child_id: _ChildIds) -> pl.DataFrame:
    columns = ("la_code", "referral_id", "child_id", "referral_date", "referral_source",
               "primary_need", "referral_nfa", "closure_date", "closure_reason", "contact_id")
    rows = [
        (la_code, reference, child_id(person), date, source, need or None, nfa, closed,
         reason or None, contact)
        for la_code, reference, person, date, source, need, nfa, closed, reason, contact
        in Referral.objects.filter(la_code__in=codes).values_list(
            "la_code", "reference", "person_id", "referral_date", "referral_source",
            "primary_need", "referral_nfa", "closure_date", "closure_reason",
            "contact__reference")
    ]
    return _frame(rows, columns, "referrals")



def _rows(model, codes: Sequence[str], child_id: _ChildIds, columns: Sequence[str],
          fields: Sequence[str], blank_to_none: Sequence[str] = ()) -> list[tuple]:
    """``fields`` of ``model``'s rows, ``person_id`` as the dataset's child_id and the
    named text fields' blanks as nulls, in the order of ``columns``."""
    out = []
    for values in model.objects.filter(la_code__in=codes).values_list(*fields):
        row = dict(zip(columns, values, strict=True))
        row["child_id"] = child_id(row["child_id"])
        for column in blank_to_none:
            row[column] = row[column] or None
        out.append(tuple(row.values()))
    return out


def _journey(codes: Sequence[str], child_id: _ChildIds) -> dict[str, pl.DataFrame]:
    """The child protection and child in need journey's tables."""
    specs = {
        "assessments": (Assessment, {
            "la_code": "la_code", "assessment_id": "reference",
            "referral_id": "referral__reference", "child_id": "person_id",
            "start_date": "start_date", "authorised_date": "authorised_date",
            "factors": "factors", "outcome": "outcome", "worker_id": "worker_reference",
        }, ("outcome", "worker_id")),
        "strategy_discussions": (StrategyDiscussion, {
            "la_code": "la_code", "strategy_discussion_id": "reference",
            "referral_id": "referral__reference", "child_id": "person_id",
            "discussion_date": "discussion_date", "section_47": "section_47",
        }, ()),
        "section_47_enquiries": (Section47Enquiry, {
            "la_code": "la_code", "s47_id": "reference", "referral_id": "referral__reference",
            "strategy_discussion_id": "strategy_discussion__reference",
            "child_id": "person_id", "start_date": "start_date", "end_date": "end_date",
            "icpc_required": "icpc_required", "icpc_date": "icpc_date",
        }, ()),
        "cp_plans": (ChildProtectionPlan, {
            "la_code": "la_code", "cp_plan_id": "reference",
            "referral_id": "referral__reference", "child_id": "person_id",
            "start_date": "start_date", "end_date": "end_date",
            "initial_category": "initial_category", "latest_category": "latest_category",
            "previous_plans": "previous_plans",
        }, ()),
        "cp_conferences": (ChildProtectionConference, {
            "la_code": "la_code", "conference_id": "reference", "child_id": "person_id",
            "conference_type": "conference_type", "conference_date": "conference_date",
            "s47_id": "section_47_enquiry__reference", "cp_plan_id": "cp_plan__reference",
        }, ()),
        "cin_plans": (ChildInNeedPlan, {
            "la_code": "la_code", "cin_plan_id": "reference",
            "referral_id": "referral__reference", "child_id": "person_id",
            "start_date": "start_date", "end_date": "end_date",
        }, ()),
        "visits": (Visit, {
            "la_code": "la_code", "visit_id": "reference", "child_id": "person_id",
            "visit_date": "visit_date", "visit_type": "visit_type", "seen": "seen",
            "seen_alone": "seen_alone", "worker_id": "worker_reference",
        }, ("worker_id",)),
    }
    return {
        name: _frame(_rows(model, codes, child_id, list(columns), list(columns.values()),
                           blanks), list(columns), name)
        for name, (model, columns, blanks) in specs.items()
    }
