"""Children and adults: identifiers, names, addresses, relationships and flags.

Every person belongs to one authority (``la_code``). A person is never deleted: a merged
duplicate points at the record it was merged into, and a merge can be undone. Changes go
through ``people.actions`` (which check the rules, bump ``version`` and say why); the
history of every earlier version is kept by django-simple-history.

The ``*_key`` columns are search keys, filled by the actions from the names so that
finding a person is an indexed lookup (see ``people.search``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from childrenmatter.accounts.models import la_code_validator


class Sex(models.TextChoices):
    # DfE codes (903 SEX / CIN Sex, dataset codes.py "sex")
    MALE = "M", "Male"
    FEMALE = "F", "Female"
    UNKNOWN = "U", "Unknown, not recorded or unborn"


class PersonQuerySet(models.QuerySet):
    def in_authorities(self, la_codes) -> PersonQuerySet:
        return self.filter(la_code__in=list(la_codes))

    def current(self) -> PersonQuerySet:
        """People who have not been merged into another record."""
        return self.filter(merged_into__isnull=True)

    def children(self) -> PersonQuerySet:
        return self.filter(is_child=True)


class Person(models.Model):
    la_code = models.CharField("LA code", max_length=3, validators=[la_code_validator])
    # The authority's own identifier: the dataset's child_id for a child.
    local_id = models.CharField("local identifier", max_length=40)
    is_child = models.BooleanField(default=True)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_birth = models.DateField(
        null=True, blank=True, help_text="For an unborn child."
    )
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    # DfE ethnicity code (dataset codes.py "ethnicity"); blank when not yet known.
    ethnicity = models.CharField(max_length=4, blank=True)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    upn = models.CharField("unique pupil number", max_length=13, blank=True)
    date_of_death = models.DateField(null=True, blank=True)
    # Characteristics the dataset carries for children (round trip with extract/load).
    disabilities = models.JSONField(default=list, blank=True)
    uasc = models.BooleanField("unaccompanied asylum-seeking child", default=False)
    uasc_ceased_date = models.DateField(null=True, blank=True)

    # Restricted: visible only to the people granted access (RestrictionGrant).
    restricted = models.BooleanField(default=False)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )

    # Search keys (normalised and phonetic), kept in step by people.actions.
    given_key = models.CharField(max_length=20, blank=True)
    family_key = models.CharField(max_length=20, blank=True)
    postcode_key = models.CharField(max_length=8, blank=True)

    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["given_key", "family_key", "postcode_key"])
    objects = PersonQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["la_code", "local_id"], name="person_local_id_unique"),
            models.CheckConstraint(
                condition=models.Q(la_code__regex=r"^[0-9]{3}$"), name="person_la_code_3_digits"
            ),
            models.CheckConstraint(
                condition=models.Q(sex__in=Sex.values), name="person_sex_is_known"
            ),
            models.CheckConstraint(
                condition=models.Q(date_of_death__isnull=True)
                | models.Q(date_of_birth__isnull=True)
                | models.Q(date_of_death__gte=models.F("date_of_birth")),
                name="person_dies_after_birth",
            ),
        ]
        indexes = [
            models.Index(fields=["la_code", "family_key"], name="person_family_key"),
            models.Index(fields=["la_code", "given_key"], name="person_given_key"),
            models.Index(fields=["la_code", "date_of_birth"], name="person_dob"),
            models.Index(fields=["la_code", "postcode_key"], name="person_postcode"),
            models.Index(fields=["nhs_number"], name="person_nhs_number"),
            # Search blocks (people.search): both name keys, or one with a date range.
            models.Index(fields=["la_code", "family_key", "given_key"], name="person_names"),
            models.Index(
                fields=["la_code", "family_key", "date_of_birth"], name="person_family_dob"
            ),
            models.Index(
                fields=["la_code", "given_key", "date_of_birth"], name="person_given_dob"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class NameKind(models.TextChoices):
    ALIAS = "alias", "Also known as"
    PREVIOUS = "previous", "Previous name"
    NICKNAME = "nickname", "Nickname"


class PersonName(models.Model):
    """A name a person is or was also known by; found by search like the current name."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="other_names")
    kind = models.CharField(max_length=16, choices=NameKind.choices, default=NameKind.ALIAS)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    given_key = models.CharField(max_length=20, blank=True)
    family_key = models.CharField(max_length=20, blank=True)
    # Copied from the person so that the search key index is per authority.
    la_code = models.CharField("LA code", max_length=3)

    class Meta:
        indexes = [
            models.Index(fields=["la_code", "family_key"], name="othername_family_key"),
            models.Index(fields=["la_code", "given_key"], name="othername_given_key"),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class Address(models.Model):
    """Where a person lived, from and to; the current address has no end date."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="addresses")
    line_1 = models.CharField(max_length=200)
    line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="address_ends_after_it_starts",
            ),
        ]
        # Screening finds the household by the current address: an index lookup by
        # postcode (stored formatted by people.actions), not a scan of every address.
        indexes = [models.Index(fields=["postcode"], name="address_postcode")]

    def __str__(self) -> str:
        return ", ".join(part for part in (self.line_1, self.town, self.postcode) if part)


class RelationshipKind(models.TextChoices):
    # Read as "<person> is the <kind> of <other>".
    PARENT = "parent", "Parent"
    SIBLING = "sibling", "Sibling"
    CARER = "carer", "Carer"
    HOUSEHOLD_MEMBER = "household_member", "Household member"


class Relationship(models.Model):
    """``person`` is the ``kind`` of ``other`` (a parent of a child, say), from a date."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="relationships")
    other = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="relationships_to")
    kind = models.CharField(max_length=20, choices=RelationshipKind.choices)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(person=models.F("other")), name="relationship_not_to_self"
            ),
            models.UniqueConstraint(
                fields=["person", "other", "kind"], name="relationship_once_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} is the {self.get_kind_display().lower()} of {self.other}"


class FlagKind(models.TextChoices):
    RISK_TO_STAFF = "risk_to_staff", "Risk to staff"
    RISK_TO_CHILDREN = "risk_to_children", "Risk to children"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    MARAC = "marac", "MARAC case"
    INTERPRETER = "interpreter", "Needs an interpreter"
    OTHER = "other", "Other"


class Flag(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="flags")
    kind = models.CharField(max_length=20, choices=FlagKind.choices)
    note = models.TextField(blank=True)
    start_date = models.DateField(default=timezone.localdate)
    end_date = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person}"


class RestrictionGrant(models.Model):
    """A named person allowed to see a restricted record."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="restriction_grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "user"], name="restriction_grant_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} may see {self.person}"


class DuplicateStatus(models.TextChoices):
    OPEN = "open", "To review"
    MERGED = "merged", "Merged"
    NOT_DUPLICATE = "not_duplicate", "Not the same person"


class PossibleDuplicate(models.Model):
    """Two records that may be the same person, for a manager to merge or set aside."""

    la_code = models.CharField("LA code", max_length=3)
    person_a = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    score = models.FloatField()
    reasons = models.JSONField(default=list)
    status = models.CharField(
        max_length=16, choices=DuplicateStatus.choices, default=DuplicateStatus.OPEN
    )
    found_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="duplicate_pair_once"),
            models.CheckConstraint(
                condition=models.Q(person_a__lt=models.F("person_b")),
                name="duplicate_pair_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_a} and {self.person_b} may be the same person"


class Merge(models.Model):
    """One merge of ``merged`` into ``kept``: what moved, so that it can be undone."""

    la_code = models.CharField("LA code", max_length=3)
    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField(default=timezone.now)
    # What the merge moved from ``merged`` to ``kept``: {"model label": [ids]}.
    moved = models.JSONField(default=dict)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undo_reason = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.merged} merged into {self.kept}"
