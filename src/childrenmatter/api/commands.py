"""``childrenmatter partners ...``: register partner organisations and issue their tokens.

Run on the server by whoever administers it; a token's plaintext is printed once, here,
and only its hash is kept.
"""

from __future__ import annotations

import argparse
import re

from childrenmatter.errors import UserError

KINDS = ("police", "school", "health", "other")


def register(subparsers: argparse._SubParsersAction) -> None:
    partners = subparsers.add_parser(
        "partners",
        help="partner organisations and their API tokens",
        description="Register partner organisations (police, schools, health) and issue "
        "or revoke the tokens their systems send referrals with.",
    )
    commands = partners.add_subparsers(dest="partners_command", metavar="COMMAND")
    commands.required = True

    add = commands.add_parser(
        "add-organisation",
        help="register a partner organisation",
        description="Register a partner organisation whose referrals go to one authority's "
        "front door; prints its id.",
    )
    add.add_argument("--name", required=True, help="as in 'Acklam Primary School'")
    add.add_argument("--kind", required=True, choices=KINDS, help="the kind of agency")
    add.add_argument("--authority", required=True, metavar="CODE",
                     help="LA code of the front door it refers to, as in 806")
    add.set_defaults(handler=run_add_organisation)

    issue = commands.add_parser(
        "issue-token",
        help="issue an API token to a partner organisation",
        description="Issue an API token to a partner organisation and print it, once: "
        "only its hash is kept, so a lost token is revoked and a new one issued.",
    )
    issue.add_argument("--organisation", required=True, type=int, metavar="ID",
                       help="the organisation's id (from add-organisation or list)")
    issue.add_argument("--name", required=True, help="what the token is for, as in 'Case system'")
    issue.set_defaults(handler=run_issue_token)

    revoke = commands.add_parser(
        "revoke-token",
        help="stop an API token working",
        description="Revoke an API token by its id; it stops working at once.",
    )
    revoke.add_argument("--token", required=True, type=int, metavar="ID", help="the token's id")
    revoke.set_defaults(handler=run_revoke_token)

    listing = commands.add_parser(
        "list",
        help="list partner organisations and their tokens",
        description="List partner organisations, with each token's id, prefix and state.",
    )
    listing.add_argument("--authority", metavar="CODE", help="only this authority's partners")
    listing.set_defaults(handler=run_list)


def _setup_django() -> None:
    from childrenmatter.config.webcommands import _setup_django as setup

    setup()


def _one_line(error) -> str:
    messages = getattr(error, "message_dict", None)
    if messages:
        return "; ".join(f"{field}: {' '.join(m)}" for field, m in messages.items())
    return " ".join(getattr(error, "messages", [str(error)]))


def run_add_organisation(args: argparse.Namespace) -> int:
    if not re.fullmatch(r"\d{3}", args.authority):
        raise UserError(f"--authority {args.authority}: an LA code is three digits, as in 806")
    _setup_django()
    from django.core.exceptions import ValidationError

    from childrenmatter.api.actions import add_partner_organisation

    try:
        organisation = add_partner_organisation(
            actor=None, name=args.name, kind=args.kind, la_code=args.authority
        )
    except ValidationError as error:
        raise UserError(_one_line(error)) from None
    print(f"Added {organisation.name} ({organisation.kind}, referring to {organisation.la_code}) "
          f"with id {organisation.pk}")
    return 0


def run_issue_token(args: argparse.Namespace) -> int:
    _setup_django()
    from django.core.exceptions import ValidationError

    from childrenmatter.accounts.models import PartnerOrganisation
    from childrenmatter.api.actions import issue_token

    organisation = PartnerOrganisation.objects.filter(pk=args.organisation).first()
    if organisation is None:
        raise UserError(f"--organisation {args.organisation}: no partner organisation has that id")
    try:
        token, plaintext = issue_token(
            actor=None, partner_organisation=organisation, name=args.name
        )
    except ValidationError as error:
        raise UserError(_one_line(error)) from None
    print(f"Token {token.pk} ({token.name}) for {organisation.name}. Keep it secret; it is "
          "shown only this once:")
    print(plaintext)
    return 0


def run_revoke_token(args: argparse.Namespace) -> int:
    _setup_django()
    from django.core.exceptions import ValidationError

    from childrenmatter.api.actions import revoke_token
    from childrenmatter.api.models import PartnerToken

    token = PartnerToken.objects.select_related("partner_organisation").filter(pk=args.token)
    token = token.first()
    if token is None:
        raise UserError(f"--token {args.token}: no token has that id")
    try:
        revoke_token(actor=None, token=token)
    except ValidationError as error:
        raise UserError(_one_line(error)) from None
    print(f"Revoked token {token.pk} ({token.prefix}…) of {token.partner_organisation}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    _setup_django()
    from childrenmatter.accounts.models import PartnerOrganisation

    organisations = PartnerOrganisation.objects.prefetch_related("api_tokens").order_by(
        "la_code", "name"
    )
    if args.authority:
        organisations = organisations.filter(la_code=args.authority)
    for organisation in organisations:
        print(f"{organisation.pk}\t{organisation.la_code}\t{organisation.kind}\t{organisation.name}")
        for token in organisation.api_tokens.all():
            state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "live"
            used = "never used"
            if token.last_used_at:
                used = f"last used {token.last_used_at:%Y-%m-%d}"
            print(f"\ttoken {token.pk}\t{token.prefix}…\t{token.name}\t{state}, {used}")
    return 0
