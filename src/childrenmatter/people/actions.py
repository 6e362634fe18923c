"""Changes to people: each one a keyword-only function taking ``actor=``, in one transaction.

Each checks the actor may make the change in the person's authority, checks the rules
(raising ``ValidationError`` naming the field and the rule, with nothing saved), keeps the
search keys in step (``people.keys``), and saves a new version with who and why
(``versions``) so the earlier one is kept.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from childrenmatter.accounts.permissions import Permission, require
from childrenmatter.dataset import codes
from childrenmatter.people.keys import (
    format_postcode,
    is_postcode,
    is_valid_nhs_number,
    name_key,
    nhs_number_digits,
    postcode_key,
)
from childrenmatter.people.models import (
    Address,
    DuplicateStatus,
    Flag,
    FlagKind,
    Merge,
    NameKind,
    Person,
    PersonName,
    PossibleDuplicate,
    Relationship,
    RelationshipKind,
    RestrictionGrant,
    Sex,
)
from childrenmatter.people.search import find_people
from childrenmatter.versions import lock_at_version, save_new_version

# The details a person's record holds that ``update_person`` may correct.
EDITABLE = (
    "given_name", "family_name", "date_of_birth", "expected_date_of_birth", "sex",
    "ethnicity", "nhs_number", "upn", "date_of_death", "is_child",
)


def _clean_details(details: dict) -> dict:
    """The details tidied and checked; every broken rule reported at once."""
    errors: dict[str, list[str]] = {}
    cleaned = dict(details)
    for name in ("given_name", "family_name"):
        if name in cleaned:
            cleaned[name] = " ".join((cleaned[name] or "").split())
    if "family_name" in cleaned and not cleaned["family_name"]:
        errors["family_name"] = ["Enter the family name (last name)"]
    if "given_name" in cleaned and not cleaned["given_name"] and not cleaned.get(
        "expected_date_of_birth"
    ):
        errors["given_name"] = ["Enter the given name (first name), unless the child is unborn"]
    if cleaned.get("nhs_number"):
        digits = nhs_number_digits(cleaned["nhs_number"])
        if not is_valid_nhs_number(digits):
            errors["nhs_number"] = [
                "NHS number must be 10 digits with a valid check digit (modulus 11)"
            ]
        cleaned["nhs_number"] = digits
    if "sex" in cleaned and cleaned["sex"] not in Sex.values:
        errors["sex"] = ["Sex must be one of the DfE codes M, F or U"]
    if cleaned.get("ethnicity") and cleaned["ethnicity"] not in codes.ETHNICITY.all_codes:
        errors["ethnicity"] = ["Ethnicity must be one of the DfE ethnicity codes"]
    today = timezone.localdate()
    dob = cleaned.get("date_of_birth")
    if dob and dob > today:
        errors["date_of_birth"] = ["Date of birth must be today or in the past"]
    if cleaned.get("date_of_death") and dob and cleaned["date_of_death"] < dob:
        errors["date_of_death"] = ["Date of death must be on or after the date of birth"]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _fill_name_keys(record) -> None:
    record.given_key = name_key(record.given_name)
    record.family_key = name_key(record.family_name)


@transaction.atomic
def create_person(
    *, actor, la_code: str, given_name: str, family_name: str,
    date_of_birth: date | None = None, expected_date_of_birth: date | None = None,
    sex: str = Sex.UNKNOWN, ethnicity: str = "", nhs_number: str = "", upn: str = "",
    is_child: bool = True, local_id: str = "", address_line_1: str = "", town: str = "",
    postcode: str = "", confirm_possible_match: bool = False,
) -> Person:
    """A new person, found by search first: a strong match needs ``confirm_possible_match``."""
    require(actor, Permission.EDIT_PERSON, la_code)
    details = _clean_details({
        "given_name": given_name, "family_name": family_name, "date_of_birth": date_of_birth,
        "expected_date_of_birth": expected_date_of_birth, "sex": sex, "ethnicity": ethnicity,
        "nhs_number": nhs_number, "upn": upn.strip(), "is_child": is_child,
    })
    if postcode and not is_postcode(postcode):
        raise ValidationError({"postcode": ["Enter a real postcode, like TS1 2AB"]})
    if postcode and not address_line_1.strip():
        raise ValidationError({"address_line_1": ["Enter the first line of the address"]})
    if not confirm_possible_match:
        strong = [
            c for c in find_people(
                la_codes=[la_code], given_name=details["given_name"],
                family_name=details["family_name"], date_of_birth=date_of_birth,
                nhs_number=details["nhs_number"], postcode=postcode, limit=5,
            ) if c.is_strong
        ]
        if strong:
            raise ValidationError({"confirm_possible_match": [
                f"{len(strong)} record{'s' if len(strong) > 1 else ''} may already be this "
                "person: check the possible matches, and confirm this is a different person "
                "to create a new record"
            ]})
    person = Person(la_code=la_code, local_id=local_id or f"P{uuid.uuid4().hex[:12].upper()}",
                    created_by=actor, **details)
    _fill_name_keys(person)
    person._history_user = actor
    person._change_reason = "Created"
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        raise ValidationError(
            {"local_id": [f"Local identifier {local_id} is already used in {la_code}"]}
        ) from None
    if postcode:
        _add_address(person, line_1=address_line_1.strip(), town=town.strip(),
                     postcode=postcode, start_date=None)
    return person


@transaction.atomic
def update_person(*, actor, person: Person, expected_version: int | None, reason: str,
                  **changes) -> Person:
    """Correct a person's details; refused if someone else saved since ``expected_version``."""
    require(actor, Permission.EDIT_PERSON, person.la_code)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"update_person cannot change {sorted(unknown)}")
    if not (reason or "").strip():
        raise ValidationError({"reason": ["Enter the reason for the correction"]})
    locked = lock_at_version(person, expected_version)
    cleaned = _clean_details({**{k: getattr(locked, k) for k in EDITABLE}, **changes})
    for name, value in cleaned.items():
        setattr(locked, name, value)
    _fill_name_keys(locked)
    save_new_version(locked, actor=actor, reason=reason.strip())
    return locked


@transaction.atomic
def add_other_name(*, actor, person: Person, given_name: str = "", family_name: str = "",
                   kind: str = NameKind.ALIAS) -> PersonName:
    require(actor, Permission.EDIT_PERSON, person.la_code)
    given_name, family_name = " ".join(given_name.split()), " ".join(family_name.split())
    if not given_name and not family_name:
        raise ValidationError({"given_name": ["Enter a given name or a family name"]})
    if kind not in NameKind.values:
        raise ValidationError({"kind": ["Choose the kind of name"]})
    name = PersonName(person=person, la_code=person.la_code, kind=kind,
                      given_name=given_name, family_name=family_name)
    _fill_name_keys(name)
    name.save()
    return name


def _current_postcode(person: Person) -> str:
    current = person.addresses.filter(end_date__isnull=True).order_by("-start_date", "-id")
    address = current.first()
    return postcode_key(address.postcode) if address else ""


def _add_address(person: Person, *, line_1: str, town: str, postcode: str,
                 start_date: date | None, line_2: str = "") -> Address:
    address = Address.objects.create(
        person=person, line_1=line_1, line_2=line_2, town=town,
        postcode=format_postcode(postcode), start_date=start_date,
    )
    Person.objects.filter(pk=person.pk).update(postcode_key=_current_postcode(person))
    person.postcode_key = _current_postcode(person)
    return address


@transaction.atomic
def add_address(*, actor, person: Person, line_1: str, postcode: str, town: str = "",
                line_2: str = "", start_date: date | None = None,
                end_previous: bool = True) -> Address:
    """A new address; the current one ends the day the new one starts (a move)."""
    require(actor, Permission.EDIT_PERSON, person.la_code)
    errors = {}
    if not line_1.strip():
        errors["line_1"] = ["Enter the first line of the address"]
    if not is_postcode(postcode):
        errors["postcode"] = ["Enter a real postcode, like TS1 2AB"]
    if errors:
        raise ValidationError(errors)
    if end_previous:
        for previous in person.addresses.filter(end_date__isnull=True):
            if start_date and previous.start_date and previous.start_date > start_date:
                raise ValidationError({"start_date": [
                    "The new address must start on or after the current one started"
                ]})
            previous.end_date = start_date or timezone.localdate()
            previous.save()
    return _add_address(person, line_1=line_1.strip(), line_2=line_2.strip(),
                        town=town.strip(), postcode=postcode, start_date=start_date)


@transaction.atomic
def end_address(*, actor, address: Address, end_date: date) -> Address:
    require(actor, Permission.EDIT_PERSON, address.person.la_code)
    if address.start_date and end_date < address.start_date:
        raise ValidationError({"end_date": ["The address must end on or after it started"]})
    address.end_date = end_date
    address.save()
    person = address.person
    Person.objects.filter(pk=person.pk).update(postcode_key=_current_postcode(person))
    return address


@transaction.atomic
def add_relationship(*, actor, person: Person, other: Person, kind: str,
                     start_date: date | None = None) -> Relationship:
    """``person`` is the ``kind`` of ``other`` (a parent of a child)."""
    require(actor, Permission.EDIT_PERSON, person.la_code)
    if kind not in RelationshipKind.values:
        raise ValidationError({"kind": ["Choose parent, sibling, carer or household member"]})
    if person.pk == other.pk:
        raise ValidationError({"other": ["A person cannot be related to themselves"]})
    if person.la_code != other.la_code:
        raise ValidationError({"other": ["Both people must belong to the same authority"]})
    if Relationship.objects.filter(person=person, other=other, kind=kind).exists():
        raise ValidationError({"other": ["That relationship is already recorded"]})
    return Relationship.objects.create(person=person, other=other, kind=kind,
                                       start_date=start_date)


# How a relationship reads from the person whose page it is added on: "<other> is their
# <word>". Each word is stored as "<person> is the <kind> of <other>", one way round.
RELATIONSHIP_FROM_PAGE = {
    "parent": ("other_is", RelationshipKind.PARENT),
    "child": ("person_is", RelationshipKind.PARENT),
    "sibling": ("other_is", RelationshipKind.SIBLING),
    "carer": ("other_is", RelationshipKind.CARER),
    "cared_for": ("person_is", RelationshipKind.CARER),
    "household_member": ("other_is", RelationshipKind.HOUSEHOLD_MEMBER),
}


def add_relationship_from_page(*, actor, person: Person, other: Person, word: str,
                               start_date: date | None = None) -> Relationship:
    """Record that ``other`` is ``person``'s ``word`` (parent, child, sibling, carer, cared
    for, household member), stored the one way round the model reads."""
    if word not in RELATIONSHIP_FROM_PAGE:
        raise ValidationError({"word": ["Choose how they are related"]})
    way, kind = RELATIONSHIP_FROM_PAGE[word]
    if way == "other_is":
        return add_relationship(actor=actor, person=other, other=person, kind=kind,
                                start_date=start_date)
    return add_relationship(actor=actor, person=person, other=other, kind=kind,
                            start_date=start_date)


@transaction.atomic
def end_relationship(*, actor, relationship: Relationship, end_date: date) -> Relationship:
    """The relationship ended on ``end_date`` (a carer no longer caring, a household member
    who moved out). Kept, with its dates, in the record and its history."""
    relationship = Relationship.objects.select_for_update().get(pk=relationship.pk)
    require(actor, Permission.EDIT_PERSON, relationship.person.la_code)
    if relationship.end_date is not None:
        raise ValidationError({"end_date": [
            f"This relationship already ended on {relationship.end_date:%-d %B %Y}"]})
    if end_date > timezone.localdate():
        raise ValidationError({"end_date": ["The end date must be today or in the past"]})
    if relationship.start_date and end_date < relationship.start_date:
        raise ValidationError({"end_date": [
            f"The end date must be on or after it started, {relationship.start_date:%-d %B %Y}"]})
    relationship.end_date = end_date
    relationship.save(update_fields=["end_date"])
    return relationship


@transaction.atomic
def add_flag(*, actor, person: Person, kind: str, note: str = "",
             start_date: date | None = None) -> Flag:
    require(actor, Permission.EDIT_PERSON, person.la_code)
    if kind not in FlagKind.values:
        raise ValidationError({"kind": ["Choose the kind of flag"]})
    if kind == FlagKind.OTHER and not note.strip():
        raise ValidationError({"note": ["Say what the flag is about"]})
    return Flag.objects.create(person=person, kind=kind, note=note.strip(),
                               start_date=start_date or timezone.localdate(), created_by=actor)


# --- Duplicates and merges ------------------------------------------------------------------

# What a merge moves from the merged record to the kept one: (label, model, field).
def _movable():
    from childrenmatter.casework.models import EarlyHelpEpisode, Referral
    from childrenmatter.frontdoor.models import ContactChild

    return [
        ("people.PersonName", PersonName, "person"),
        ("people.Address", Address, "person"),
        ("people.Flag", Flag, "person"),
        ("people.Relationship.person", Relationship, "person"),
        ("people.Relationship.other", Relationship, "other"),
        ("people.RestrictionGrant", RestrictionGrant, "person"),
        ("frontdoor.ContactChild", ContactChild, "person"),
        ("casework.Referral", Referral, "person"),
        ("casework.EarlyHelpEpisode", EarlyHelpEpisode, "person"),
    ]


# Details the kept record takes from the merged one when it has none of its own.
_FILLABLE = ("date_of_birth", "nhs_number", "upn", "ethnicity", "expected_date_of_birth")


def _would_clash(label: str, row, kept: Person) -> bool:
    """Rows that cannot move without breaking a rule (a relationship to oneself, a second
    link of the same contact to the same child): they stay with the merged record."""
    if label == "people.Relationship.person":
        return row.other_id == kept.pk or Relationship.objects.filter(
            person=kept, other_id=row.other_id, kind=row.kind).exists()
    if label == "people.Relationship.other":
        return row.person_id == kept.pk or Relationship.objects.filter(
            person_id=row.person_id, other=kept, kind=row.kind).exists()
    if label == "people.RestrictionGrant":
        return RestrictionGrant.objects.filter(person=kept, user_id=row.user_id).exists()
    if label == "frontdoor.ContactChild":
        return type(row).objects.filter(contact_id=row.contact_id, person=kept).exists()
    return False


@transaction.atomic
def merge_people(*, actor, kept: Person, merged: Person, reason: str) -> Merge:
    """Merge ``merged`` into ``kept``: everything attached moves, and the merge can be undone."""
    require(actor, Permission.MERGE_PEOPLE, kept.la_code)
    if not (reason or "").strip():
        raise ValidationError({"reason": ["Enter the reason for the merge"]})
    if kept.pk == merged.pk:
        raise ValidationError({"kept": ["Choose two different records"]})
    if kept.la_code != merged.la_code:
        raise ValidationError({"kept": ["Both records must belong to the same authority"]})
    kept, merged = lock_at_version(kept, None), lock_at_version(merged, None)
    if kept.merged_into_id or merged.merged_into_id:
        raise ValidationError({"kept": ["One of these records has already been merged"]})

    moved: dict[str, list[int]] = {}
    for label, model, field in _movable():
        ids = []
        for row in model.objects.filter(**{field: merged}):
            if not _would_clash(label, row, kept):
                ids.append(row.pk)
        model.objects.filter(pk__in=ids).update(**{field: kept})
        moved[label] = ids

    # The merged record's name becomes one of the kept record's other names, so a search
    # for it still finds the child.
    created = []
    if (merged.given_name, merged.family_name) != (kept.given_name, kept.family_name):
        alias = PersonName(person=kept, la_code=kept.la_code, kind=NameKind.ALIAS,
                           given_name=merged.given_name, family_name=merged.family_name)
        _fill_name_keys(alias)
        alias.save()
        created.append(alias.pk)
    moved["created.people.PersonName"] = created

    filled = {}
    for name in _FILLABLE:
        if not getattr(kept, name) and getattr(merged, name):
            filled[name] = getattr(merged, name)
            setattr(kept, name, filled[name])
    was_restricted = kept.restricted
    kept.restricted = kept.restricted or merged.restricted
    moved["filled"] = sorted(filled)
    moved["kept_was_restricted"] = was_restricted
    save_new_version(kept, actor=actor, reason=f"Merged with {merged.local_id}: {reason}")
    Person.objects.filter(pk=kept.pk).update(postcode_key=_current_postcode(kept))

    merged.merged_into = kept
    save_new_version(merged, actor=actor, reason=f"Merged into {kept.local_id}: {reason}")
    Person.objects.filter(pk=merged.pk).update(postcode_key=_current_postcode(merged))

    a, b = sorted((kept.pk, merged.pk))
    PossibleDuplicate.objects.filter(person_a_id=a, person_b_id=b).update(
        status=DuplicateStatus.MERGED, decided_by=actor, decided_at=timezone.now()
    )
    return Merge.objects.create(la_code=kept.la_code, kept=kept, merged=merged,
                                reason=reason.strip(), merged_by=actor, moved=moved)


@transaction.atomic
def undo_merge(*, actor, merge: Merge, reason: str) -> Merge:
    """Put back everything ``merge`` moved: both records as they were before it."""
    require(actor, Permission.MERGE_PEOPLE, merge.la_code)
    merge = Merge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at:
        raise ValidationError({"merge": ["This merge has already been undone"]})
    if not (reason or "").strip():
        raise ValidationError({"reason": ["Enter the reason for undoing the merge"]})
    kept = lock_at_version(merge.kept, None)
    merged = lock_at_version(merge.merged, None)
    if Person.objects.filter(merged_into=merged).exists() or kept.merged_into_id:
        raise ValidationError({"merge": [
            "A later merge involves one of these records: undo that one first"
        ]})
    for label, model, field in _movable():
        model.objects.filter(pk__in=merge.moved.get(label, [])).update(**{field: merged})
    PersonName.objects.filter(pk__in=merge.moved.get("created.people.PersonName", [])).delete()
    for name in merge.moved.get("filled", []):
        setattr(kept, name, None if name.endswith("date_of_birth") else "")
    kept.restricted = merge.moved.get("kept_was_restricted", kept.restricted)
    save_new_version(kept, actor=actor, reason=f"Merge with {merged.local_id} undone: {reason}")
    Person.objects.filter(pk=kept.pk).update(postcode_key=_current_postcode(kept))
    merged.merged_into = None
    save_new_version(merged, actor=actor, reason=f"Merge into {kept.local_id} undone: {reason}")
    Person.objects.filter(pk=merged.pk).update(postcode_key=_current_postcode(merged))

    a, b = sorted((kept.pk, merged.pk))
    PossibleDuplicate.objects.filter(person_a_id=a, person_b_id=b).update(
        status=DuplicateStatus.OPEN, decided_by=None, decided_at=None
    )
    merge.undone_by, merge.undone_at, merge.undo_reason = actor, timezone.now(), reason.strip()
    merge.save()
    return merge


@transaction.atomic
def set_aside_duplicate(*, actor, duplicate: PossibleDuplicate) -> PossibleDuplicate:
    """A manager decided the two records are not the same person."""
    require(actor, Permission.MERGE_PEOPLE, duplicate.la_code)
    duplicate = PossibleDuplicate.objects.select_for_update().get(pk=duplicate.pk)
    if duplicate.status != DuplicateStatus.OPEN:
        raise ValidationError({"duplicate": ["This pair has already been decided"]})
    duplicate.status = DuplicateStatus.NOT_DUPLICATE
    duplicate.decided_by, duplicate.decided_at = actor, timezone.now()
    duplicate.save()
    return duplicate
