"""Improvement plans and councillors' questions.

A plan (an immediate assurance plan after an inspection, or the longer improvement plan)
belongs to one authority. It has themes; each theme has actions with an owner, a due date
and a RAG rating with the reason for it; milestones with dates; risks scored by likelihood
and impact; evidence (notes, files and links to indicators); and weekly updates.

Changes go through ``improvement.actions``: they check the rules, bump ``version`` (a
save over someone else's change is refused, ``versions.lock_at_version``) and
django-simple-history keeps every earlier version with who and why. The comparison of
the plan between two dates (``improvement.compare``) is read from those history tables.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from childrenmatter.accounts.models import la_code_validator


class PlanKind(models.TextChoices):
    IMMEDIATE_ASSURANCE = "immediate_assurance", "Immediate assurance plan"
    IMPROVEMENT = "improvement", "Improvement plan"


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class QuestionStatus(models.TextChoices):
    OPEN = "open", "Awaiting a response"
    ANSWERED = "answered", "Answered"


def _who(related_name: str = "+"):
    return models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.PROTECT, related_name=related_name)


class Plan(models.Model):
    la_code = models.CharField("LA code", max_length=3, validators=[la_code_validator])
    kind = models.CharField(max_length=24, choices=PlanKind.choices)
    title = models.CharField(max_length=200)
    # The last improvement board the plan went to: the board view shows what changed since.
    last_board_on = models.DateField("date of the last board", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = _who()

    history = HistoricalRecords()

    class Meta:
        ordering = ["la_code", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=PlanKind.values),
                                   name="plan_kind_is_known"),
            models.CheckConstraint(condition=models.Q(la_code__regex=r"^[0-9]{3}$"),
                                   name="plan_la_code_is_three_digits"),
        ]

    def __str__(self) -> str:
        return self.title


class Theme(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="themes")
    title = models.CharField(max_length=200)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "title"], name="theme_title_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class Action(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="actions")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="actions")
    title = models.CharField(max_length=300)
    owner = models.CharField(max_length=200, help_text="The person or post answerable for it")
    status = models.CharField(max_length=8, choices=ActionStatus.choices,
                              default=ActionStatus.OPEN)
    rag = models.CharField("RAG rating", max_length=5, choices=Rag.choices)
    rag_reason = models.TextField("reason for the RAG rating")
    due_on = models.DateField("due date")
    completed_on = models.DateField(null=True, blank=True)
    # An indicator (insight registry name) the action is meant to move; its trend is shown.
    indicator = models.CharField(max_length=80, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "theme", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(rag__in=Rag.values),
                                   name="action_rag_is_known"),
            models.CheckConstraint(condition=models.Q(status__in=ActionStatus.values),
                                   name="action_status_is_known"),
            models.CheckConstraint(
                condition=models.Q(status="open", completed_on__isnull=True)
                | (~models.Q(status="open") & models.Q(completed_on__isnull=False)),
                name="action_completed_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="milestones")
    action = models.ForeignKey(Action, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="milestones")
    title = models.CharField(max_length=300)
    due_on = models.DateField("due date")
    met_on = models.DateField("date met", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "due_on", "id"]

    def __str__(self) -> str:
        return self.title


class Risk(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="risks")
    title = models.CharField(max_length=300)
    likelihood = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)])
    impact = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)])
    mitigation = models.TextField(blank=True)
    owner = models.CharField(max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(likelihood__gte=1, likelihood__lte=5),
                                   name="risk_likelihood_1_to_5"),
            models.CheckConstraint(condition=models.Q(impact__gte=1, impact__lte=5),
                                   name="risk_impact_1_to_5"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def score(self) -> int:
        """Likelihood times impact, 1 to 25, as a risk register scores it."""
        return self.likelihood * self.impact


def evidence_path(evidence: Evidence, filename: str) -> str:
    # The stored name is ours, not the uploader's: no path from outside reaches the disk.
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"improvement/{evidence.action.plan.la_code}/{evidence.action_id}/{stamp}.{suffix}"


class Evidence(models.Model):
    """A note, a file or both, kept against an action; never changed, never deleted."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="evidence")
    note = models.TextField(blank=True)
    file = models.FileField(upload_to=evidence_path, blank=True, max_length=300)
    file_name = models.CharField(max_length=200, blank=True)  # as the uploader named it
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    added_by = _who()
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["action", "-added_at", "-id"]

    def __str__(self) -> str:
        return self.file_name or self.note[:40]


class WeeklyUpdate(models.Model):
    """The week's update on a plan: what moved, what is stuck. Append-only."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="updates")
    week_of = models.DateField("week beginning")
    summary = models.TextField()
    written_by = _who()
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "-week_of", "-id"]

    def __str__(self) -> str:
        return f"Update for the week of {self.week_of}"


class Question(models.Model):
    """A councillor's question, at a briefing or meeting, and the service's response."""

    la_code = models.CharField("LA code", max_length=3, validators=[la_code_validator])
    member = models.CharField("councillor", max_length=200)
    asked_on = models.DateField("date asked")
    meeting = models.CharField("briefing or meeting", max_length=200)
    question = models.TextField()
    answerer = models.CharField("who must answer", max_length=200)
    due_on = models.DateField("response due")
    response = models.TextField(blank=True)
    answered_on = models.DateField(null=True, blank=True)
    answered_by = _who()
    status = models.CharField(max_length=8, choices=QuestionStatus.choices,
                              default=QuestionStatus.OPEN)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = _who()

    history = HistoricalRecords()

    class Meta:
        ordering = ["la_code", "due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=QuestionStatus.values),
                                   name="question_status_is_known"),
            models.CheckConstraint(
                condition=models.Q(status="open", answered_on__isnull=True)
                | models.Q(status="answered", answered_on__isnull=False),
                name="question_answered_with_a_date",
            ),
            models.CheckConstraint(condition=models.Q(due_on__gte=models.F("asked_on")),
                                   name="question_due_after_asked"),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.question[:40]}"

    @property
    def answered_late(self) -> bool:
        return self.answered_on is not None and self.answered_on > self.due_on

    def overdue_on(self, today) -> bool:
        return self.status == QuestionStatus.OPEN and self.due_on < today
