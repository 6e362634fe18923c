"""API tokens for partner organisations' systems.

A partner's system (a police force's case system, a school's safeguarding software)
sends referrals with ``Authorization: Bearer <token>``. Only the SHA-256 hash of a token
is stored, so a copy of the database does not give anyone a working token; the first few
characters are kept in the clear so people can tell their tokens apart.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone

from childrenmatter.accounts.models import PartnerOrganisation

PREFIX_LENGTH = 8


def hash_token(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


class PartnerTokenQuerySet(models.QuerySet):
    def live(self) -> PartnerTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class PartnerToken(models.Model):
    """One API token of one partner organisation (plaintext shown once, when issued)."""

    partner_organisation = models.ForeignKey(
        PartnerOrganisation, on_delete=models.PROTECT, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for, as in 'Case system'.")
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=PREFIX_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text="Null when issued from the command line on the server.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    objects = PartnerTokenQuerySet.as_manager()

    class Meta:
        ordering = ["partner_organisation_id", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True)
                | models.Q(revoked_at__gte=models.F("created_at")),
                name="token_revoked_after_created",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner_organisation}: {self.name} ({self.prefix}…)"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None
