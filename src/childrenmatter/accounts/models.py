"""Staff and the authorities they work for.

Every record in Children Matter belongs to one authority (its DfE three-digit LA code).
A member of staff works for one authority or several (a front door shared by two
councils), in a role; what they may see follows from these memberships.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

la_code_validator = RegexValidator(r"^\d{3}$", "An LA code is three digits, as in 806")


class Role(models.TextChoices):
    """What a member of staff does; what each role may do is in ``permissions.py``."""

    FRONT_DOOR_PRACTITIONER = "front_door_practitioner", "Front door practitioner"
    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    HEAD_OF_SERVICE = "head_of_service", "Head of service"
    PERFORMANCE_ANALYST = "performance_analyst", "Performance analyst"
    PARTNER = "partner", "Partner professional"
    AUDITOR = "auditor", "Auditor"
    SYSTEM_ADMINISTRATOR = "system_administrator", "System administrator"
    # A councillor: the improvement plan, the board view, members' questions and the
    # figures; never a child's record.
    ELECTED_MEMBER = "elected_member", "Elected member"


class PartnerKind(models.TextChoices):
    """The kinds of partner agency, each with the DfE referral source code it refers as."""

    POLICE = "police", "Police"
    SCHOOL = "school", "School"
    HEALTH = "health", "Health"
    OTHER = "other", "Other agency"


# DfE CIN census ReferralSource for a referral from each kind of partner.
PARTNER_REFERRAL_SOURCE = {
    PartnerKind.POLICE: "6",
    PartnerKind.SCHOOL: "2A",
    PartnerKind.HEALTH: "3F",
    PartnerKind.OTHER: "8",
}


class PartnerOrganisation(models.Model):
    """A partner agency (police force, school, health trust) that refers children to us.

    Its staff sign in with the ``partner`` role and its systems use API tokens; either way
    they see the referrals their organisation made, and nothing else.
    """

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=PartnerKind.choices)
    la_code = models.CharField(
        "LA code", max_length=3, validators=[la_code_validator],
        help_text="The authority whose front door receives its referrals.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["la_code", "name"], name="partner_name_unique"),
            models.CheckConstraint(
                condition=models.Q(kind__in=PartnerKind.values), name="partner_kind_is_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def referral_source(self) -> str:
        return PARTNER_REFERRAL_SOURCE[PartnerKind(self.kind)]


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
    # Set for the partner role only: the organisation the partner professional works for.
    partner_organisation = models.ForeignKey(
        PartnerOrganisation, null=True, blank=True, on_delete=models.PROTECT,
        related_name="memberships",
    )
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
            models.CheckConstraint(
                condition=models.Q(role="partner", partner_organisation__isnull=False)
                | (~models.Q(role="partner") & models.Q(partner_organisation__isnull=True)),
                name="partner_role_has_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} works for {self.la_code} as {self.get_role_display()}"


class AccessLog(models.Model):
    """One read of a child's or adult's record by a person, allowed or refused; or one
    download of a file naming many children (a statutory return), with how many.

    Written by the access choke points (``people.access``), never by views directly, and
    never changed or deleted. ``what`` names the page or API endpoint that was read, or the
    file downloaded.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        null=True, blank=True, help_text="Null for a partner system using an API token.",
    )
    partner_organisation = models.ForeignKey(
        PartnerOrganisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    la_code = models.CharField("LA code", max_length=3)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="access_log", db_index=True,
        null=True, blank=True, help_text="Null for a download naming many children.",
    )
    # How many children a downloaded file names (a return); null for a read of one person.
    children = models.PositiveIntegerField(null=True, blank=True)
    what = models.CharField(max_length=100)
    allowed = models.BooleanField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        # The access log page: one authority's entries, newest first.
        indexes = [models.Index(fields=["la_code", "-at"], name="accesslog_authority_at")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, children__isnull=True)
                | models.Q(person__isnull=True, children__isnull=False),
                name="accesslog_one_person_or_a_download",
            ),
        ]

    def __str__(self) -> str:
        verb = "read" if self.allowed else "was refused"
        return f"{self.user or self.partner_organisation} {verb} {self.what} of {self.person_id}"
