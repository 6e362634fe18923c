"""The authorities the store holds, and their child population: the dataset's
``authorities`` and ``population`` tables, kept so that extracting gives them back.

``load`` fills these from a dataset; an authority's row says the store holds it (a second
load is refused unless replacing) and remembers which dataset it came from, so that
``make demo`` can skip loading what is already there.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from childrenmatter.accounts.models import la_code_validator


class Authority(models.Model):
    la_code = models.CharField("LA code", max_length=3, unique=True, validators=[la_code_validator])
    la_name = models.CharField("name", max_length=100)
    region = models.CharField(max_length=100, blank=True)
    # LA codes of its statistical neighbours (DfE children's services tool).
    statistical_neighbours = models.JSONField(null=True, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)

    # Where the records came from: a digest of the dataset's files, so that loading the
    # same dataset again can be skipped (``load --skip-unchanged``).
    loaded_from = models.CharField(max_length=500, blank=True)
    dataset_digest = models.CharField(max_length=64, blank=True)
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "authorities"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(la_code__regex=r"^[0-9]{3}$"), name="authority_la_code_3_digits"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__isnull=True)
                | models.Q(period_start__isnull=True)
                | models.Q(period_end__gte=models.F("period_start")),
                name="authority_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.la_name} ({self.la_code})"


class PopulationEstimate(models.Model):
    """ONS mid-year estimate of the authority's children aged 0 to 17."""

    la_code = models.CharField("LA code", max_length=3, validators=[la_code_validator])
    year = models.PositiveIntegerField()
    population_0_17 = models.PositiveIntegerField("children aged 0 to 17")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["la_code", "year"], name="population_once_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.la_code} {self.year}: {self.population_0_17:,} children"


class ParenthoodFact(models.Model):
    """Whether a young woman the service knows is a mother, and when her first child was
    born (the dataset's ``children.mother`` and ``mother_child_dob``, the 903's MOTHER and
    MC_DOB), as loaded from a dataset.

    Kept beside the person, in the store, so that load and extract carry them whole; when
    the people app records a young person's own children, these belong there instead.
    """

    person = models.OneToOneField(
        "people.Person", on_delete=models.PROTECT, related_name="parenthood"
    )
    mother = models.BooleanField(null=True, blank=True)
    mother_child_dob = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Parenthood of {self.person_id}"
