"""Loading a child-level dataset into the operational store.

``load_dataset`` reads a dataset folder (``dataset.io.read_dataset``, which checks every
table first: a dataset with any problem loads nothing), then for each authority, in one
transaction, bulk-creates what the store holds of it:

- ``store.Authority`` and ``store.PopulationEstimate`` (``authorities``, ``population``);
- ``people.Person`` for every child (``local_id`` is the ``child_id``), with a synthetic
  name and NHS number, and the synthetic adults of each household
  (``store.identities``), their addresses and relationships;
- ``frontdoor.Contact`` (one per ``contact_id``) and a ``ContactChild`` per child named,
  with a ``RagRating`` where the contact was rated;
- ``casework.Referral`` and ``casework.EarlyHelpEpisode``;
- the child protection and child in need journey: ``casework.Assessment``,
  ``StrategyDiscussion``, ``Section47Enquiry``, ``ChildProtectionPlan``,
  ``ChildProtectionConference``, ``ChildInNeedPlan`` and ``Visit``. What the dataset does
  not hold (the child's views, who took part, goals) is left blank: those records were
  made elsewhere, and the page says so by showing nothing rather than inventing it.

It is a migration of records made elsewhere, not a change a person makes: rows are
created in bulk with no ``actor`` and no history version (the history starts with the
first change someone makes in the service).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
from django.db import connections, models, router, transaction

from childrenmatter.accounts.models import AccessLog
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
from childrenmatter.clocks.rules import due_date
from childrenmatter.dataset.io import read_dataset
from childrenmatter.errors import UserError
from childrenmatter.frontdoor.actions import information_due
from childrenmatter.frontdoor.models import Contact, ContactChild, ContactStatus, RagRating
from childrenmatter.people.keys import name_key, postcode_key
from childrenmatter.people.models import Address, Person, Relationship, RelationshipKind
from childrenmatter.store import identities
from childrenmatter.store.models import Authority, ParenthoodFact, PopulationEstimate

LONDON = ZoneInfo("Europe/London")
BATCH = 2_000
# The tables the store holds; the rest of the dataset is for later issues.
STORED_TABLES = (
    "authorities", "population", "children", "contacts", "early_help_episodes", "referrals",
    "assessments", "strategy_discussions", "section_47_enquiries", "cp_plans",
    "cp_conferences", "cin_plans", "visits",
)


@dataclass
class LoadReport:
    la_code: str
    skipped: bool = False
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    def describe(self) -> str:
        if self.skipped:
            return f"{self.la_code}: already loaded from this dataset, left as it is"
        counts = ", ".join(f"{name} {n:,}" for name, n in self.rows.items())
        rate = self.total / self.seconds if self.seconds else 0
        return (f"{self.la_code}: loaded {self.total:,} rows in {self.seconds:.1f} s "
                f"({rate:,.0f} rows/s): {counts}")


def dataset_digest(folder: Path) -> str:
    """A digest of the dataset's stored tables, to tell whether a load would change anything."""
    digest = hashlib.sha256()
    for name in STORED_TABLES:
        digest.update(name.encode())
        digest.update((folder / f"{name}.parquet").read_bytes())
    return digest.hexdigest()


def load_dataset(
    folder: str | Path,
    *,
    authorities: Sequence[str] | None = None,
    replace: bool = False,
    skip_unchanged: bool = False,
    say: Callable[[str], None] = lambda message: None,
) -> list[LoadReport]:
    """Load the dataset in ``folder`` (the authorities named, or all) into the store.

    An authority the store already holds is refused unless ``replace``; with
    ``skip_unchanged`` too, one loaded from identical files is left alone.
    """
    folder = Path(folder)
    tables = read_dataset(folder, STORED_TABLES)
    in_dataset = tables["authorities"]["la_code"].to_list()
    codes = list(dict.fromkeys(authorities)) if authorities else in_dataset
    unknown = [code for code in codes if code not in in_dataset]
    if unknown:
        raise UserError(f"--authority {', '.join(unknown)}: not in the dataset at {folder} "
                        f"(it holds {', '.join(in_dataset) or 'no authority'})")
    _check_one_contact_per_contact_id(tables["contacts"])
    _check_times_happened(tables["contacts"])
    digest = dataset_digest(folder)

    # Check every authority before loading any, so a refusal leaves the store as it was.
    held = [code for code in codes if _held(code)]
    if held and not replace:
        raise UserError(
            f"the store already holds authority {', '.join(held)}: give --replace to "
            "replace its records with the dataset's (or --authority for the others)")
    unchanged = set()
    if skip_unchanged:
        unchanged = set(Authority.objects.filter(la_code__in=codes, dataset_digest=digest)
                        .values_list("la_code", flat=True))
    for code in held:
        if code in unchanged:
            continue
        reads = AccessLog.objects.filter(person__la_code=code).count()
        if reads:
            raise UserError(
                f"authority {code} cannot be replaced: the access log records {reads:,} "
                "reads of its people's records, and the access log is never deleted. "
                "Load into a fresh store instead (make clean-var, then make demo)")

    reports = []
    for code in codes:
        if code in unchanged:
            report = LoadReport(code, skipped=True)
        else:
            frames = {name: frame.filter(pl.col("la_code") == code)
                      for name, frame in tables.items()}
            started = time.perf_counter()
            with transaction.atomic():
                if code in held:
                    delete_authority(code)
                rows = _load_authority(code, frames, folder=folder, digest=digest)
            report = LoadReport(code, rows=rows, seconds=time.perf_counter() - started)
        say(report.describe())
        reports.append(report)
    return reports


CONTACT_COLUMNS = ("contact_datetime", "source", "domestic_abuse", "rag", "decision_datetime",
                   "outcome")


def _check_one_contact_per_contact_id(contacts: pl.DataFrame) -> None:
    """Refuse contacts whose rows (one per child) disagree about the contact itself.

    The store holds one contact per ``contact_id``, received, rated and decided once, about
    one or more children; rows that disagree cannot be held without losing one of them.
    """
    disagree = (
        contacts.group_by("la_code", "contact_id")
        .agg(pl.col(c).n_unique().alias(c) for c in CONTACT_COLUMNS)
        .unpivot(index=["la_code", "contact_id"], variable_name="column", value_name="values")
        .filter(pl.col("values") > 1)
        .sort("la_code", "contact_id", "column")
    )
    if disagree.height:
        examples = "; ".join(f"{r['la_code']} {r['contact_id']} ({r['column']})"
                             for r in disagree.head(3).iter_rows(named=True))
        raise UserError(
            f"contacts: {disagree['contact_id'].n_unique():,} contacts name several children "
            f"with different details of the contact itself, as in {examples}. A contact is "
            "received, rated and decided once for all its children: give its rows the same "
            f"{', '.join(CONTACT_COLUMNS)} (a dataset simulated before this rule: simulate "
            "it again)")


def _check_times_happened(contacts: pl.DataFrame) -> None:
    """Refuse a wall-clock time that never happened in England (the hour skipped when the
    clocks go forward): the store keeps moments, and no moment has that local time."""
    for column in ("contact_datetime", "decision_datetime"):
        local = pl.col(column).dt.replace_time_zone(LONDON.key, non_existent="null",
                                                    ambiguous="earliest")
        missing = contacts.filter(pl.col(column).is_not_null() & local.is_null())
        if missing.height:
            first = missing.row(0, named=True)
            raise UserError(
                f"contacts: {missing.height:,} rows have a {column} that never happened in "
                f"England (the hour the clocks go forward), as in {first['la_code']} "
                f"{first['contact_id']} at {first[column]:%Y-%m-%d %H:%M}: give the time "
                "the clock on the wall showed")


def _held(la_code: str) -> bool:
    return (Authority.objects.filter(la_code=la_code).exists()
            or Person.objects.filter(la_code=la_code).exists()
            or Contact.objects.filter(la_code=la_code).exists())


# --- Replacing ---------------------------------------------------------------------------


def delete_authority(la_code: str) -> None:
    """Delete everything the store holds for ``la_code``, the rows that point at it first."""
    for model in (Referral, EarlyHelpEpisode, Contact, Person, PopulationEstimate, Authority):
        _delete(model.objects.filter(la_code=la_code))


def _delete(queryset: models.QuerySet) -> None:
    """Delete ``queryset`` after every row that refers to it (however it is protected), and
    the history of each, so that no history row is left to attach to a reused id."""
    model = queryset.model
    for relation in model._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete
                and (relation.one_to_many or relation.one_to_one)):
            continue
        if relation.on_delete is models.DO_NOTHING:  # history rows: handled below
            continue
        related = relation.related_model
        name = relation.field.name
        if related is model:  # a record merged into another of the same authority
            related.objects.filter(**{f"{name}__in": queryset}).update(**{name: None})
            continue
        _delete(related._default_manager.filter(**{f"{name}__in": queryset}))
    history = getattr(model, "history", None)
    if history is not None:
        history.model.objects.filter(id__in=queryset.values("pk"))._raw_delete(queryset.db)
    # One DELETE statement, without loading each row to send it signals: simple_history's
    # signal would otherwise write a "deleted" history row for every one.
    queryset._raw_delete(queryset.db)


# --- Loading -------------------------------------------------------------------------------


def _insert(model: type[models.Model], rows: list[dict]) -> int:
    """Insert ``rows`` (field attribute names to values) into ``model``'s table in batches.

    ``bulk_create`` spends most of a big load compiling SQL value by value (over 100 s of
    Middlesbrough's); this builds each row's parameters once, converting only the dates,
    times and JSON the database driver cannot take as they are, with every other column at
    its field's default. The database's constraints still check every row.
    """
    if not rows:
        return 0
    connection = connections[router.db_for_write(model)]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    converters = [_converter(f, connection) for f in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    # A JSON column that cannot be NULL holds "unknown" as JSON null (a child's disabilities
    # not recorded, which the dataset tells apart from an empty list of none).
    json_null = [isinstance(f, models.JSONField) and not f.null for f in fields]

    def values(row: dict) -> list:
        out = []
        for f, convert, null_as_json in zip(fields, converters, json_null, strict=True):
            value = row.get(f.attname, defaults[f.attname])
            if convert is not None and (value is not None or null_as_json):
                value = convert(value)
            out.append(value)
        return out

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams the rows in one command: executemany's statement per row spends
            # most of its time waiting on the server (128 s for Middlesbrough against 36 s).
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(values(row))
            return len(rows)
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, [values(row) for row in rows[start:start + BATCH]])
    return len(rows)


def _converter(field: models.Field, connection) -> Callable | None:
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    if isinstance(field, models.JSONField):
        return lambda value: connection.ops.adapt_json_value(value, field.encoder)
    return None


def _load_authority(code: str, frames: dict[str, pl.DataFrame], *, folder: Path, digest: str
                    ) -> dict[str, int]:
    rows: dict[str, int] = {}
    authority = frames["authorities"].row(0, named=True)
    Authority.objects.create(
        la_code=code,
        la_name=authority["la_name"],
        region=authority["region"] or "",
        statistical_neighbours=authority["statistical_neighbours"],
        period_start=authority["period_start"],
        period_end=authority["period_end"],
        loaded_from=str(folder.resolve())[:500],
        dataset_digest=digest,
    )
    rows["authorities"] = 1
    rows["population"] = _insert(PopulationEstimate, [
        dict(la_code=code, year=r["year"], population_0_17=r["population_0_17"])
        for r in frames["population"].iter_rows(named=True)])
    rows.update(_load_people(code, authority["la_name"], frames))
    person_ids = dict(Person.objects.filter(la_code=code).values_list("local_id", "id"))
    rows.update(_load_contacts(code, frames["contacts"], person_ids))
    contact_ids = dict(Contact.objects.filter(la_code=code).values_list("reference", "id"))
    rows.update(_load_casework(code, frames, person_ids, contact_ids))
    return rows


def _load_people(code: str, la_name: str, frames: dict[str, pl.DataFrame]) -> dict[str, int]:
    children = frames["children"]
    facts = [identities.ChildFacts(*r) for r in children.select(
        "child_id", "sex", "date_of_birth", "expected_date_of_birth").iter_rows()]
    named_together = (
        frames["contacts"].group_by("contact_id").agg(pl.col("child_id"))
        .filter(pl.col("child_id").list.len() > 1)["child_id"].to_list()
    )
    names, households = identities.make_identities(code, la_name, facts, named_together)
    postcodes = {h.key: h.postcode for h in households}

    people = []
    for r in children.iter_rows(named=True):
        name = names[r["child_id"]]
        people.append(dict(
            la_code=code,
            local_id=r["child_id"],
            is_child=True,
            given_name=name.given_name,
            family_name=name.family_name,
            date_of_birth=r["date_of_birth"],
            expected_date_of_birth=r["expected_date_of_birth"],
            sex=r["sex"],
            ethnicity=r["ethnicity"],
            nhs_number=name.nhs_number,
            upn=r["upn"] or "",
            date_of_death=r["date_of_death"],
            disabilities=r["disabilities"],
            uasc=r["uasc"],
            uasc_ceased_date=r["uasc_ceased_date"],
            **search_keys(name.given_name, name.family_name, postcodes[name.household]),
        ))
    for household in households:
        for adult in household.adults:
            people.append(dict(
                la_code=code,
                local_id=adult.local_id,
                is_child=False,
                given_name=adult.given_name,
                family_name=adult.family_name,
                date_of_birth=adult.date_of_birth,
                sex=adult.sex,
                nhs_number=adult.nhs_number,
                **search_keys(adult.given_name, adult.family_name, household.postcode),
            ))
    _insert(Person, people)
    ids = dict(Person.objects.filter(la_code=code).values_list("local_id", "id"))

    addresses = []
    relationships = []
    for household in households:
        members = household.child_ids + [a.local_id for a in household.adults]
        for local_id in members:
            addresses.append(dict(
                person_id=ids[local_id], line_1=household.line_1, town=household.town,
                postcode=household.postcode, start_date=household.moved_in,
            ))
        for adult in household.adults:
            for child_id in household.child_ids:
                relationships.append(dict(
                    person_id=ids[adult.local_id], other_id=ids[child_id], kind=adult.kind,
                    start_date=None if adult.kind == RelationshipKind.PARENT
                    else household.moved_in,
                ))
        for child_id in household.child_ids:
            for sibling in household.child_ids:
                if sibling != child_id:
                    relationships.append(dict(
                        person_id=ids[child_id], other_id=ids[sibling],
                        kind=RelationshipKind.SIBLING,
                    ))
    _insert(Address, addresses)
    _insert(Relationship, relationships)
    parenthood = [
        dict(person_id=ids[r["child_id"]], mother=r["mother"],
             mother_child_dob=r["mother_child_dob"])
        for r in children.select("child_id", "mother", "mother_child_dob").iter_rows(named=True)
        if r["mother"] is not None or r["mother_child_dob"] is not None
    ]
    _insert(ParenthoodFact, parenthood)
    return {"children": children.height, "adults": len(people) - children.height,
            "addresses": len(addresses), "relationships": len(relationships)}


def search_keys(given_name: str, family_name: str, postcode: str) -> dict[str, str]:
    """The search keys ``people.actions`` keeps on a person, from ``people.keys``."""
    return {"given_key": name_key(given_name), "family_key": name_key(family_name),
            "postcode_key": postcode_key(postcode)}


def aware(moment: dt.datetime | None) -> dt.datetime | None:
    """A dataset's local (Europe/London) wall-clock time as an aware datetime."""
    return None if moment is None else moment.replace(tzinfo=LONDON)


_SUMMARIES = {
    "1": "A relative got in touch, worried about the care the {who} {are} getting at home.",
    "2": "The school raised concerns about the {who}'s attendance and presentation.",
    "3": "A health professional reported concerns about the {who}'s health and care.",
    "4": "Housing reported concerns about the conditions the {who} {are} living in.",
    "5": "Another council service shared concerns about the {who}.",
    "6": "Police shared concerns about the {who} after attending the family home.",
    "7": "A legal agency shared information about the {who}'s family.",
    "8": "A voluntary organisation shared concerns about the {who}.",
    "9": "An anonymous caller reported concerns about the {who}.",
    "10": "Concerns were reported about the {who}.",
}


def summary(source: str, domestic_abuse: bool, children: int) -> str:
    """A short synthetic sentence in place of what the referrer said (the dataset has none)."""
    who, are = ("children", "are") if children > 1 else ("child", "is")
    if domestic_abuse:
        return (f"Police notification of a domestic abuse incident at the home; the {who} "
                f"{are} said to live there.")
    group = source if source in ("9", "10") else source[0]
    return _SUMMARIES.get(group, _SUMMARIES["10"]).format(who=who, are=are)


def _load_contacts(code: str, contacts: pl.DataFrame, person_ids: dict[str, int]
                   ) -> dict[str, int]:
    grouped = contacts.sort("contact_id", "child_id").group_by("contact_id", maintain_order=True)
    made = []
    for (reference,), rows in grouped:
        first = rows.row(0, named=True)
        received = aware(first["contact_datetime"])
        decided = aware(first["decision_datetime"])
        rag = first["rag"] or ""
        outcome = first["outcome"] or ""
        if outcome:
            status = ContactStatus.DECIDED
        elif rag:
            status = ContactStatus.SCREENING
        else:
            status = ContactStatus.AWAITING_SCREENING
        made.append(dict(
            la_code=code,
            reference=reference,
            received_at=received,
            source=first["source"],
            summary=summary(first["source"], first["domestic_abuse"], rows.height),
            is_domestic_abuse=first["domestic_abuse"],
            status=status,
            rag=rag,
            information_due_at=information_due(rag, received) if rag else None,
            decision=outcome,
            decided_at=decided,
            created_at=received,
        ))
    _insert(Contact, made)
    contact_ids = dict(Contact.objects.filter(la_code=code).values_list("reference", "id"))

    links = [
        dict(contact_id=contact_ids[reference], person_id=person_ids[child_id])
        for reference, child_id in contacts.select("contact_id", "child_id").iter_rows()
    ]
    _insert(ContactChild, links)
    ratings = [
        dict(contact_id=contact_ids[c["reference"]], rag=c["rag"],
             reason="Rated at screening (loaded from the dataset).",
             rated_at=c["received_at"], information_due_at=c["information_due_at"])
        for c in made if c["rag"]
    ]
    _insert(RagRating, ratings)
    return {"contacts": len(made), "contact_children": len(links), "rag_ratings": len(ratings)}


def _load_casework(code: str, frames: dict[str, pl.DataFrame], person_ids: dict[str, int],
                   contact_ids: dict[str, int]) -> dict[str, int]:
    def contact(reference: str | None) -> int | None:
        return None if reference is None else contact_ids[reference]

    referrals = [
        dict(
            la_code=code,
            reference=r["referral_id"],
            person_id=person_ids[r["child_id"]],
            contact_id=contact(r["contact_id"]),
            referral_date=r["referral_date"],
            referral_source=r["referral_source"],
            primary_need=r["primary_need"] or "",
            referral_nfa=r["referral_nfa"],
            assessment_due=_assessment_due(r["referral_date"]),
            closure_date=r["closure_date"],
            closure_reason=r["closure_reason"] or "",
        )
        for r in frames["referrals"].iter_rows(named=True)
    ]
    _insert(Referral, referrals)
    episodes = [
        dict(
            la_code=code,
            reference=r["early_help_id"],
            person_id=person_ids[r["child_id"]],
            contact_id=contact(r["contact_id"]),
            start_date=r["start_date"],
            end_date=r["end_date"],
            end_reason=r["end_reason"] or "",
            lead_agency=r["lead_agency"] or "",
        )
        for r in frames["early_help_episodes"].iter_rows(named=True)
    ]
    _insert(EarlyHelpEpisode, episodes)
    rows = {"referrals": len(referrals), "early_help_episodes": len(episodes)}
    rows.update(_load_journey(code, frames, person_ids))
    return rows


def _ids(model: type[models.Model], code: str) -> dict[str, int]:
    return dict(model.objects.filter(la_code=code).values_list("reference", "id"))


def _pointer(ids: dict[str, int], reference: str | None, table: str, column: str,
             target: str) -> int | None:
    """The store's id for ``reference``; a reference to a record the dataset does not hold
    loads nothing (it would come back out as nothing, and the round trip would lose it)."""
    if reference is None:
        return None
    if reference not in ids:
        raise UserError(f"{table}: {column} {reference} is not in {target} for the same "
                        "authority, so it cannot be linked: give the row that record or no "
                        f"{column}")
    return ids[reference]


def _load_journey(code: str, frames: dict[str, pl.DataFrame], person_ids: dict[str, int]
                  ) -> dict[str, int]:
    referral_ids = _ids(Referral, code)

    def referral(r: dict, table: str) -> int:
        return _pointer(referral_ids, r["referral_id"], table, "referral_id", "referrals")

    rows: dict[str, int] = {}
    rows["assessments"] = _insert(Assessment, [
        dict(la_code=code, reference=r["assessment_id"],
             referral_id=referral(r, "assessments"), person_id=person_ids[r["child_id"]],
             start_date=r["start_date"], authorised_date=r["authorised_date"],
             # Made elsewhere: completed, as far as we know, when it was authorised.
             completed_date=r["authorised_date"], factors=r["factors"],
             outcome=r["outcome"] or "", worker_reference=r["worker_id"] or "")
        for r in frames["assessments"].iter_rows(named=True)])
    rows["strategy_discussions"] = _insert(StrategyDiscussion, [
        dict(la_code=code, reference=r["strategy_discussion_id"],
             referral_id=referral(r, "strategy_discussions"),
             person_id=person_ids[r["child_id"]], discussion_date=r["discussion_date"],
             section_47=r["section_47"])
        for r in frames["strategy_discussions"].iter_rows(named=True)])
    discussion_ids = _ids(StrategyDiscussion, code)
    rows["section_47_enquiries"] = _insert(Section47Enquiry, [
        dict(la_code=code, reference=r["s47_id"], referral_id=referral(r, "section_47_enquiries"),
             strategy_discussion_id=_pointer(
                 discussion_ids, r["strategy_discussion_id"], "section_47_enquiries",
                 "strategy_discussion_id", "strategy_discussions"),
             person_id=person_ids[r["child_id"]], start_date=r["start_date"],
             end_date=r["end_date"], icpc_required=r["icpc_required"],
             outcome="icpc" if r["icpc_required"] else "", icpc_date=r["icpc_date"])
        for r in frames["section_47_enquiries"].iter_rows(named=True)])
    rows["cp_plans"] = _insert(ChildProtectionPlan, [
        dict(la_code=code, reference=r["cp_plan_id"], referral_id=referral(r, "cp_plans"),
             person_id=person_ids[r["child_id"]], start_date=r["start_date"],
             end_date=r["end_date"], initial_category=r["initial_category"],
             latest_category=r["latest_category"], previous_plans=r["previous_plans"])
        for r in frames["cp_plans"].iter_rows(named=True)])
    s47_ids, plan_ids = _ids(Section47Enquiry, code), _ids(ChildProtectionPlan, code)
    rows["cp_conferences"] = _insert(ChildProtectionConference, [
        dict(la_code=code, reference=r["conference_id"], person_id=person_ids[r["child_id"]],
             conference_type=r["conference_type"], conference_date=r["conference_date"],
             section_47_enquiry_id=_pointer(s47_ids, r["s47_id"], "cp_conferences", "s47_id",
                                            "section_47_enquiries"),
             cp_plan_id=_pointer(plan_ids, r["cp_plan_id"], "cp_conferences", "cp_plan_id",
                                 "cp_plans"))
        for r in frames["cp_conferences"].iter_rows(named=True)])
    rows["cin_plans"] = _insert(ChildInNeedPlan, [
        dict(la_code=code, reference=r["cin_plan_id"], referral_id=referral(r, "cin_plans"),
             person_id=person_ids[r["child_id"]], start_date=r["start_date"],
             end_date=r["end_date"])
        for r in frames["cin_plans"].iter_rows(named=True)])
    rows["visits"] = _insert(Visit, [
        dict(la_code=code, reference=r["visit_id"], person_id=person_ids[r["child_id"]],
             visit_date=r["visit_date"], visit_type=r["visit_type"], seen=r["seen"],
             seen_alone=r["seen_alone"], worker_reference=r["worker_id"] or "")
        for r in frames["visits"].iter_rows(named=True)])
    return rows


_due_cache: dict[dt.date, dt.date] = {}


def _assessment_due(referral_date: dt.date) -> dt.date:
    # Many referrals share a date; the working-day arithmetic need only run once for each.
    if referral_date not in _due_cache:
        _due_cache[referral_date] = due_date("assessment", referral_date)
    return _due_cache[referral_date]

