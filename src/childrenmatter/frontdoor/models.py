"""Contacts at the front door: who got in touch about which children, screening, RAG
rating, checks with partners, domestic abuse triage and the threshold decision.

A contact belongs to one authority. Changes go through ``frontdoor.actions``: they check
the rules, bump ``version`` (a save over a version someone else changed is refused) and
keep every earlier version (django-simple-history). RAG ratings are append-only rows, so
their history is the table itself.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from childrenmatter.accounts.models import PartnerOrganisation, la_code_validator
from childrenmatter.people.models import Person


class Rag(models.TextChoices):
    # dataset codes.py "rag"
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class Decision(models.TextChoices):
    # dataset codes.py "contact_outcome": the threshold decisions of DOMAIN.md
    NFA = "nfa", "No further action"
    ADVICE_SIGNPOSTING = "advice_signposting", "Advice and signposting"
    EARLY_HELP = "early_help", "Early help"
    REFERRAL = "referral", "Referral to children's social care"
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion"


class ContactStatus(models.TextChoices):
    AWAITING_SCREENING = "awaiting_screening", "Awaiting screening"
    SCREENING = "screening", "Screening"
    AWAITING_AUTHORISATION = "awaiting_authorisation", "Awaiting manager's authorisation"
    DECIDED = "decided", "Decided"


class Consent(models.TextChoices):
    GIVEN = "given", "Given"
    NOT_GIVEN = "not_given", "Not given"
    NOT_SOUGHT = "not_sought", "Not sought: seeking it would put a child at risk"
    UNKNOWN = "unknown", "Not known"


class ContactQuerySet(models.QuerySet):
    def in_authorities(self, la_codes) -> ContactQuerySet:
        return self.filter(la_code__in=list(la_codes))

    def open(self) -> ContactQuerySet:
        return self.exclude(status=ContactStatus.DECIDED)


class Contact(models.Model):
    la_code = models.CharField("LA code", max_length=3, validators=[la_code_validator])
    # The authority's contact identifier (the dataset's contact_id).
    reference = models.CharField(max_length=40)
    received_at = models.DateTimeField()
    # DfE referral source code (dataset codes.py "referral_source").
    source = models.CharField(max_length=3)
    referrer_name = models.CharField(max_length=200, blank=True)
    referrer_organisation = models.CharField(max_length=200, blank=True)
    referrer_phone = models.CharField(max_length=40, blank=True)
    referrer_email = models.EmailField(blank=True)
    partner_organisation = models.ForeignKey(
        PartnerOrganisation, null=True, blank=True, on_delete=models.PROTECT,
        related_name="contacts",
    )
    summary = models.TextField("what was said")
    consent = models.CharField(max_length=16, choices=Consent.choices, default=Consent.UNKNOWN)
    consent_note = models.TextField(blank=True)
    is_domestic_abuse = models.BooleanField("domestic abuse notification", default=False)

    status = models.CharField(
        max_length=24, choices=ContactStatus.choices, default=ContactStatus.AWAITING_SCREENING
    )
    rag = models.CharField(max_length=5, choices=Rag.choices, blank=True)
    information_due_at = models.DateTimeField(null=True, blank=True)

    decision = models.CharField(max_length=24, choices=Decision.choices, blank=True)
    decision_rationale = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    late_reason = models.TextField(blank=True)
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    authorised_at = models.DateTimeField(null=True, blank=True)

    children = models.ManyToManyField(Person, through="ContactChild", related_name="contacts")

    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = ContactQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["la_code", "reference"], name="contact_reference_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(decided_at__isnull=True)
                | models.Q(decided_at__gte=models.F("received_at")),
                name="contact_decided_after_received",
            ),
            models.CheckConstraint(
                condition=models.Q(decision="") | models.Q(decision__in=Decision.values),
                name="contact_decision_is_known",
            ),
            models.CheckConstraint(
                condition=models.Q(rag="") | models.Q(rag__in=Rag.values),
                name="contact_rag_is_known",
            ),
        ]
        indexes = [
            models.Index(fields=["la_code", "status", "received_at"], name="contact_queue"),
            models.Index(fields=["la_code", "received_at"], name="contact_received"),
        ]

    def __str__(self) -> str:
        return f"Contact {self.reference}"


class ContactChild(models.Model):
    """One child a contact is about (a sibling group is one contact about several).

    The child as the person getting in touch described them (``reported_*``), and the
    record the front door matched them to (``person``): a partner's referral arrives
    unmatched, and screening links it to the child's record, found by search first.
    A decision needs every child matched.
    """

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="child_links")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="contact_links"
    )
    reported_given_name = models.CharField(max_length=100, blank=True)
    reported_family_name = models.CharField(max_length=100, blank=True)
    reported_date_of_birth = models.DateField(null=True, blank=True)
    reported_address = models.CharField(max_length=300, blank=True)
    reported_postcode = models.CharField(max_length=8, blank=True)
    reported_school = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contact", "person"], name="contact_child_once"),
        ]

    def __str__(self) -> str:
        return f"{self.reported_given_name} {self.reported_family_name}".strip() or "A child"


class RagRating(models.Model):
    """One RAG rating of a contact (append-only: re-rating adds a row)."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="ratings")
    rag = models.CharField(max_length=5, choices=Rag.choices)
    reason = models.TextField()
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    rated_at = models.DateTimeField(default=timezone.now)
    information_due_at = models.DateTimeField()

    class Meta:
        ordering = ["rated_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_rag_display()} at {self.rated_at:%Y-%m-%d %H:%M}"


class Agency(models.TextChoices):
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education (school)"
    PROBATION = "probation", "Probation"
    HOUSING = "housing", "Housing"
    ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
    OTHER = "other", "Other"


class PartnerCheck(models.Model):
    """Information asked of a partner agency during screening, and its reply."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="checks")
    agency = models.CharField(max_length=20, choices=Agency.choices)
    question = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    reply = models.TextField(blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["requested_at", "id"]

    def __str__(self) -> str:
        return f"Check with {self.get_agency_display()}"


class RiskLevel(models.TextChoices):
    # DASH risk levels
    STANDARD = "standard", "Standard"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class DomesticAbuseTriage(models.Model):
    """The domestic abuse notification's own triage: risk, children present, the school to
    tell (Operation Encompass) before the next school day."""

    contact = models.OneToOneField(Contact, on_delete=models.PROTECT, related_name="triage")
    incident_at = models.DateTimeField(null=True, blank=True)
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices)
    children_present = models.BooleanField()
    school_name = models.CharField(max_length=200, blank=True)
    school_notify_by = models.DateTimeField(null=True, blank=True)
    school_notified_at = models.DateTimeField(null=True, blank=True)
    school_notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    triaged_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Domestic abuse triage: {self.get_risk_level_display()} risk"
