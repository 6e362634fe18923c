"""Errors a user can act on. The command line prints them on one line and exits 2."""

from __future__ import annotations


class UserError(Exception):
    """Bad input: an unknown option value, a missing folder, a date outside the data.

    The message names what is wrong and the rule it broke, in words a user can act on.
    """
