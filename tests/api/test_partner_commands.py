"""``childrenmatter partners``: register an organisation, issue and revoke its tokens."""

from __future__ import annotations

import pytest

from childrenmatter.accounts.models import PartnerOrganisation
from childrenmatter.api.models import PartnerToken, hash_token
from childrenmatter.config.cli import main

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_administrator_registers_a_school_and_issues_it_a_token(capsys):
    assert main(["partners", "add-organisation", "--name", "Linthorpe Primary School",
                 "--kind", "school", "--authority", "806"]) == 0
    school = PartnerOrganisation.objects.get()
    assert (school.kind, school.la_code) == ("school", "806")
    assert f"id {school.pk}" in capsys.readouterr().out

    assert main(["partners", "issue-token", "--organisation", str(school.pk),
                 "--name", "Safeguarding system"]) == 0
    plaintext = capsys.readouterr().out.strip().splitlines()[-1]
    token = PartnerToken.objects.get()
    assert token.token_hash == hash_token(plaintext)
    assert token.partner_organisation == school

    assert main(["partners", "list"]) == 0
    listing = capsys.readouterr().out
    assert "Linthorpe Primary School" in listing and token.prefix in listing
    assert plaintext not in listing

    assert main(["partners", "revoke-token", "--token", str(token.pk)]) == 0
    assert PartnerToken.objects.get().revoked_at is not None


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["add-organisation", "--name", "X", "--kind", "school", "--authority", "80"],
         "three digits"),
        (["add-organisation", "--name", " ", "--kind", "school", "--authority", "806"],
         "Enter the organisation's name"),
        (["issue-token", "--organisation", "999", "--name", "X"], "no partner organisation"),
        (["revoke-token", "--token", "999"], "no token has that id"),
    ],
)
def test_bad_input_is_one_line_and_exit_status_2(capsys, argv, says):
    assert main(["partners", *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and says in err
    assert not PartnerOrganisation.objects.exists()


def test_the_same_name_twice_in_one_authority_is_refused(capsys):
    argv = ["partners", "add-organisation", "--name", "Cleveland Police", "--kind", "police",
            "--authority", "806"]
    assert main(argv) == 0
    assert main(argv) == 2
    assert "already has a partner organisation called Cleveland Police" in capsys.readouterr().err
