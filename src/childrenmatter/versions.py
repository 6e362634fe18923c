"""Versioned changes to a record: never saved over someone else's change, never lost.

Every changeable record has a ``version``. A form carries the version the user opened;
an action locks the row, refuses the change if the version moved on (someone else saved
first), and otherwise saves a new version with who and why, while django-simple-history
keeps the earlier one.
"""

from __future__ import annotations

from typing import TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


class StaleVersion(Exception):
    """Someone else changed the record after the user opened it."""

    def __init__(self, record: models.Model, expected: int, current: int) -> None:
        self.record = record
        self.expected = expected
        self.current = current
        super().__init__(
            f"{record} was changed by someone else after you opened it (you had version "
            f"{expected}, it is now version {current}). Nothing you entered was saved over "
            "their change: look at what changed and make your change again."
        )


def lock_at_version(record: M, expected_version: int | None) -> M:
    """The record's row, locked for this transaction, if still at ``expected_version``.

    Call inside ``transaction.atomic``. ``expected_version=None`` skips the check (for a
    change the system makes itself, not one a person typed over a page they had open).
    """
    locked = type(record).objects.select_for_update().get(pk=record.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion(locked, expected_version, locked.version)
    return locked


def save_new_version(record: models.Model, *, actor, reason: str = "") -> None:
    """Save ``record`` as its next version, recording who changed it and why."""
    record.version += 1
    record._history_user = actor if getattr(actor, "is_authenticated", False) else None
    record._change_reason = reason
    record.save()
