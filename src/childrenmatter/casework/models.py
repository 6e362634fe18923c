"""Involvements after the front door. For now the two a threshold decision opens: an early
help episode and a referral to children's social care (the CIN episode it starts, with its
45-working-day assessment clock). Assessments, plans and care build on these.

Columns follow the dataset's ``referrals`` and ``early_help_episodes`` tables.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from childrenmatter.accounts.models import la_code_validator
from childrenmatter.people.models import Person


class Referral(models.Model):
    la_code = models.CharField("LA code", max_length=3, validators=[la_code_validator])
    reference = models.CharField(max_length=40)  # the dataset's referral_id
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    contact = models.ForeignKey(
        "frontdoor.Contact", null=True, blank=True, on_delete=models.PROTECT,
        related_name="referrals",
    )
    referral_date = models.DateField()
    referral_source = models.CharField(max_length=3)  # DfE ReferralSource
    primary_need = models.CharField(max_length=2, blank=True)  # N0-N9
    referral_nfa = models.BooleanField(default=False)
    # Due date of the child and family assessment (`assessment` clock, 45 working days).
    assessment_due = models.DateField(null=True, blank=True)
    closure_date = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=3, blank=True)  # RC1-RC9

    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["la_code", "reference"], name="referral_reference_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(closure_date__isnull=True)
                | models.Q(closure_date__gte=models.F("referral_date")),
                name="referral_closes_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["la_code", "referral_date"], name="referral_date")]

    def __str__(self) -> str:
        return f"Referral {self.reference}"


class EarlyHelpEpisode(models.Model):
    la_code = models.CharField("LA code", max_length=3, validators=[la_code_validator])
    reference = models.CharField(max_length=40)  # the dataset's early_help_id
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="early_help")
    contact = models.ForeignKey(
        "frontdoor.Contact", null=True, blank=True, on_delete=models.PROTECT,
        related_name="early_help_episodes",
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=16, blank=True)  # codes.py early_help_end_reason
    lead_agency = models.CharField(max_length=100, blank=True)

    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["la_code", "reference"], name="early_help_reference_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="early_help_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"Early help {self.reference}"


# --- The child protection and child in need journey ---------------------------------------
#
# Each model's columns follow the dataset table named in its docstring, so `store.load` and
# `store.extract` can carry them both ways; the extra fields (the child's views, who took
# part, reasons, goals) are the operational record the dataset does not hold. Changes go
# through `casework.actions`, which checks the rules; the database holds the orderings the
# dataset's checks also hold, so nothing loaded or saved can break them.


class _Versioned(models.Model):
    """Who made the record and when; a version for `versions.lock_at_version`."""

    la_code = models.CharField("LA code", max_length=3, validators=[la_code_validator])
    reference = models.CharField(max_length=40)  # the dataset's identifier
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True


def _unique_reference(name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(fields=["la_code", "reference"], name=name)


def _in_order(earlier: str, later: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{later}__isnull": True})
        | models.Q(**{f"{later}__gte": models.F(earlier)}),
        name=name,
    )


class Assessment(_Versioned):
    """A child and family (single) assessment (dataset ``assessments``).

    Started by a worker, completed with the child's views, the factors (DfE codes) and the
    outcome, then authorised by a manager; the ``assessment`` clock stops at authorisation,
    45 working days from the referral, and a late one carries the reason.
    """

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="assessments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="assessments")
    start_date = models.DateField()
    completed_date = models.DateField(null=True, blank=True)
    authorised_date = models.DateField(null=True, blank=True)
    childs_views = models.TextField(blank=True)
    # DfE assessment factor codes; None is "not recorded" (the dataset's null list).
    factors = models.JSONField(null=True, blank=True)
    outcome = models.CharField(max_length=24, blank=True)  # codes.ASSESSMENT_OUTCOME
    late_reason = models.TextField(blank=True)
    worker_reference = models.CharField(max_length=40, blank=True)  # the dataset's worker_id
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [
            _unique_reference("assessment_reference_unique"),
            _in_order("start_date", "authorised_date", "assessment_authorised_after_start"),
            _in_order("start_date", "completed_date", "assessment_completed_after_start"),
        ]

    def __str__(self) -> str:
        return f"Assessment {self.reference}"


class StrategyDiscussion(_Versioned):
    """A strategy discussion when significant harm is suspected (``strategy_discussions``)."""

    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="strategy_discussions"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="strategy_discussions"
    )
    discussion_date = models.DateField()
    section_47 = models.BooleanField(default=False)
    # Who took part. Loaded records do not say (the dataset has no such column): None.
    police = models.BooleanField(null=True, blank=True)
    health = models.BooleanField(null=True, blank=True)
    social_care = models.BooleanField(null=True, blank=True)
    others = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [_unique_reference("strategy_discussion_reference_unique")]

    def __str__(self) -> str:
        return f"Strategy discussion {self.reference}"


class Section47Outcome(models.TextChoices):
    NFA = "nfa", "No further action"
    CHILD_IN_NEED = "cin", "Child in need"
    ICPC = "icpc", "Initial child protection conference"


class Section47Enquiry(_Versioned):
    """A section 47 enquiry, starting on the date of its strategy discussion
    (``section_47_enquiries``)."""

    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="section_47_enquiries"
    )
    strategy_discussion = models.ForeignKey(
        StrategyDiscussion, on_delete=models.PROTECT, related_name="section_47_enquiries"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="section_47_enquiries"
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=8, blank=True, choices=Section47Outcome.choices)
    icpc_required = models.BooleanField(default=False)
    icpc_date = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "section 47 enquiries"
        constraints = [
            _unique_reference("section_47_reference_unique"),
            _in_order("start_date", "end_date", "section_47_ends_after_it_starts"),
            _in_order("start_date", "icpc_date", "section_47_icpc_after_start"),
        ]

    def __str__(self) -> str:
        return f"Section 47 enquiry {self.reference}"


class ChildProtectionPlan(_Versioned):
    """A child protection plan (``cp_plans``), started by an initial conference."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="cp_plans")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cp_plans")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    initial_category = models.CharField(max_length=3)  # codes.CATEGORY_OF_ABUSE
    latest_category = models.CharField(max_length=3)
    previous_plans = models.PositiveIntegerField(default=0)
    end_reason = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            _unique_reference("cp_plan_reference_unique"),
            _in_order("start_date", "end_date", "cp_plan_ends_after_it_starts"),
        ]

    def __str__(self) -> str:
        return f"Child protection plan {self.reference}"


class ChildProtectionConference(_Versioned):
    """An initial or review child protection conference (``cp_conferences``)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cp_conferences")
    conference_type = models.CharField(max_length=8)  # codes.CONFERENCE_TYPE
    conference_date = models.DateField()
    section_47_enquiry = models.ForeignKey(
        Section47Enquiry, null=True, blank=True, on_delete=models.PROTECT,
        related_name="conferences",
    )
    cp_plan = models.ForeignKey(
        ChildProtectionPlan, null=True, blank=True, on_delete=models.PROTECT,
        related_name="conferences",
    )
    # What the conference decided: a plan (initial), the plan to continue (review). None
    # for a loaded conference, whose decision the dataset does not record.
    plan_decided = models.BooleanField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    late_reason = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            _unique_reference("cp_conference_reference_unique"),
            models.CheckConstraint(
                condition=models.Q(conference_type__in=["initial", "review"]),
                name="cp_conference_type_is_known",
            ),
        ]

    def __str__(self) -> str:
        kind = "Initial" if self.conference_type == "initial" else "Review"
        return f"{kind} child protection conference {self.reference}"


class ChildInNeedPlan(_Versioned):
    """A child in need plan under section 17 (``cin_plans``), with goals."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="cin_plans")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cin_plans")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            _unique_reference("cin_plan_reference_unique"),
            _in_order("start_date", "end_date", "cin_plan_ends_after_it_starts"),
        ]

    def __str__(self) -> str:
        return f"Child in need plan {self.reference}"


class PlanGoal(models.Model):
    """One goal of a child in need plan: what, who is responsible, and by when."""

    plan = models.ForeignKey(ChildInNeedPlan, on_delete=models.PROTECT, related_name="goals")
    goal = models.CharField(max_length=500)
    owner = models.CharField(max_length=200)
    target_date = models.DateField()

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.goal} ({self.owner}, by {self.target_date:%-d %B %Y})"


class Visit(_Versioned):
    """A statutory visit (``visits``): whether the child was seen, and seen alone."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="visits")
    visit_date = models.DateField()
    visit_type = models.CharField(max_length=16)  # codes.VISIT_TYPE
    seen = models.BooleanField()
    seen_alone = models.BooleanField()
    worker_reference = models.CharField(max_length=40, blank=True)  # the dataset's worker_id
    note = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            _unique_reference("visit_reference_unique"),
            # Loaded visits keep what the dataset says; the actions refuse "alone, not seen".
        ]
        indexes = [models.Index(fields=["person", "visit_date"], name="visit_person_date")]

    def __str__(self) -> str:
        return f"Visit {self.reference}"


class ChronologyKind(models.TextChoices):
    CONTACT = "contact", "Contact"
    DECISION = "decision", "Front door decision"
    REFERRAL = "referral", "Referral"
    ASSESSMENT = "assessment", "Assessment"
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion"
    SECTION_47 = "section_47", "Section 47 enquiry"
    CONFERENCE = "conference", "Child protection conference"
    CP_PLAN = "cp_plan", "Child protection plan"
    CIN_PLAN = "cin_plan", "Child in need plan"
    VISIT = "visit", "Visit"
    NOTE = "note", "Note"


class ChronologyEntry(models.Model):
    """One event in a child's chronology: written by each casework action, or added by a
    worker. Never changed but for marking it significant (or not), which the history keeps."""

    la_code = models.CharField("LA code", max_length=3, validators=[la_code_validator])
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="chronology")
    kind = models.CharField(max_length=24, choices=ChronologyKind.choices)
    event_date = models.DateField()
    summary = models.TextField()
    significant = models.BooleanField(default=False)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "chronology entries"
        indexes = [models.Index(fields=["person", "event_date"], name="chronology_person_date")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ChronologyKind.values),
                name="chronology_kind_is_known",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_date}: {self.summary}"
