"""``childrenmatter users add``, ``users list`` and ``users unlock``: staff accounts."""

from __future__ import annotations

import argparse
import sys

from childrenmatter.errors import UserError


def register(subparsers: argparse._SubParsersAction) -> None:
    users = subparsers.add_parser(
        "users", help="add and list staff accounts",
        description="Staff accounts: who may sign in, for which authority, in which role.",
    )
    commands = users.add_subparsers(dest="users_command", metavar="COMMAND")
    commands.required = True

    add = commands.add_parser(
        "add", help="give someone a role in an authority (making the account if new)",
        description="Give USERNAME a role in an authority, making the account if it is new. "
        "A new account gets a password printed once, unless --password-from-stdin.",
    )
    add.add_argument("--username", required=True)
    add.add_argument("--authority", required=True, metavar="CODE", help="LA code, as in 806")
    add.add_argument("--role", required=True, help="one of the roles in docs/security.md")
    add.add_argument("--partner-organisation", type=int, metavar="ID",
                     help="for the partner role: the partner organisation's id")
    add.add_argument("--password-from-stdin", action="store_true",
                     help="read the password from the first line of standard input")
    add.set_defaults(handler=run_add)

    listing = commands.add_parser("list", help="list staff accounts and their roles")
    listing.add_argument("--authority", metavar="CODE", help="only those working for CODE")
    listing.set_defaults(handler=run_list)

    unlock = commands.add_parser(
        "unlock", help="unlock an account locked after wrong passwords",
        description="Clear the failed sign-ins that locked USERNAME, so they can sign in now.",
    )
    unlock.add_argument("--username", required=True)
    unlock.set_defaults(handler=run_unlock)

    reset = commands.add_parser(
        "reset-two-factor",
        help="remove someone's authenticator app and recovery codes (a lost phone)",
        description="Remove someone's authenticator app and recovery codes, for a person "
        "who has lost both: they set two-factor sign-in up again when they next sign in "
        "(if it is required) or from their account page.",
    )
    reset.add_argument("--username", required=True)
    reset.set_defaults(handler=run_reset_two_factor)


def _setup_django() -> None:
    from childrenmatter.config.webcommands import _setup_django as setup

    setup()


def run_add(args: argparse.Namespace) -> int:
    password = None
    if args.password_from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise UserError("--password-from-stdin: standard input had no password")
    _setup_django()
    from django.core.exceptions import ValidationError

    from childrenmatter.accounts.actions import add_staff_member

    try:
        user, made = add_staff_member(
            username=args.username, la_code=args.authority, role=args.role,
            partner_organisation_id=args.partner_organisation, password=password,
        )
    except ValidationError as error:
        problems = "; ".join(
            f"--{field.replace('_', '-')}: {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        )
        raise UserError(problems) from None
    print(f"{user.username} works for {args.authority} as {args.role}")
    if made:
        print(f"Their password (shown once): {made}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    _setup_django()
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from childrenmatter.accounts.models import StaffMembership

    memberships = StaffMembership.objects.select_related("user", "partner_organisation")
    if args.authority:
        memberships = memberships.filter(la_code=args.authority)
    two_factor = set(
        TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True)
    )
    print("username\tauthority\trole\tpartner_organisation\ttwo_factor\tactive")
    for membership in memberships.order_by("user__username", "la_code"):
        user = membership.user
        print("\t".join([
            user.username, membership.la_code, membership.role,
            str(membership.partner_organisation or ""),
            "yes" if user.pk in two_factor else "no",
            "yes" if user.is_active else "no",
        ]))
    return 0


def run_unlock(args: argparse.Namespace) -> int:
    _setup_django()
    from axes.utils import reset

    cleared = reset(username=args.username)
    print(f"{args.username}: {cleared} failed sign-in record(s) cleared")
    return 0


def run_reset_two_factor(args: argparse.Namespace) -> int:
    _setup_django()
    from django.core.exceptions import ValidationError

    from childrenmatter.accounts.actions import reset_two_factor

    try:
        had = reset_two_factor(username=args.username)
    except ValidationError as error:
        raise UserError(f"--username: {' '.join(error.messages)}") from None
    print(f"{args.username}: two-factor sign-in "
          + ("removed; they set it up again at their next sign-in" if had else "was not set up"))
    return 0
