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
