"""Staff and the authorities they work for.

Every record in Children Matter belongs to one authority (its DfE three-digit LA code).
A member of staff works for one authority or several (a front door shared by two
councils), in a role; what they may see follows from these memberships.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

la_code_validator = RegexValidator(r"^\d{3}$", "An LA code is three digits, as in 806")


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    SERVICE_MANAGER = "service_manager", "Service manager"
    PERFORMANCE_ANALYST = "performance_analyst", "Performance analyst"


class StaffMembershipQuerySet(models.QuerySet):
    def for_user(self, user) -> StaffMembershipQuerySet:
        return self.filter(user=user).order_by("la_code")


class StaffMembership(models.Model):
    """One member of staff working for one authority, in one role."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    la_code = models.CharField("LA code", max_length=3, validators=[la_code_validator])
    role = models.CharField(max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StaffMembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "la_code"], name="one_membership_per_authority"
            ),
            models.CheckConstraint(
                condition=models.Q(la_code__regex=r"^[0-9]{3}$"), name="la_code_is_three_digits"
            ),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="role_is_known"),
        ]

    def __str__(self) -> str:
        return f"{self.user} works for {self.la_code} as {self.get_role_display()}"
