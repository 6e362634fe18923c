"""``childrenmatter users add`` and ``users list``."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model

from childrenmatter.accounts.models import PartnerOrganisation, StaffMembership
from childrenmatter.config import cli

pytestmark = pytest.mark.django_db


def test_adding_someone_makes_the_account_and_prints_a_password_once(capsys, client):
    assert cli.main(["users", "add", "--username", "jo", "--authority", "806",
                     "--role", "social_worker"]) == 0
    out = capsys.readouterr().out
    password = out.split("(shown once): ")[1].strip()
    assert StaffMembership.objects.get(user__username="jo").role == "social_worker"
    assert client.login(username="jo", password=password)


def test_a_password_can_come_from_standard_input(monkeypatch, capsys, client):
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough passphrase\n"))
    assert cli.main(["users", "add", "--username", "jo", "--authority", "806",
                     "--role", "auditor", "--password-from-stdin"]) == 0
    assert "shown once" not in capsys.readouterr().out
    assert client.login(username="jo", password="a long enough passphrase")
    assert get_user_model().objects.get(username="jo").password.startswith("argon2")


def test_a_weak_password_is_refused_with_the_reason(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("password\n"))
    assert cli.main(["users", "add", "--username", "jo", "--authority", "806",
                     "--role", "auditor", "--password-from-stdin"]) == 2
    assert "--password: This password is too short" in capsys.readouterr().err
    assert not get_user_model().objects.filter(username="jo").exists()  # nothing half made


def test_someone_can_work_for_a_second_authority(capsys):
    for code in ("806", "805"):
        assert cli.main(["users", "add", "--username", "jo", "--authority", code,
                         "--role", "front_door_practitioner"]) == 0
    assert sorted(StaffMembership.objects.filter(user__username="jo")
                  .values_list("la_code", flat=True)) == ["805", "806"]


@pytest.mark.parametrize(("arguments", "message"), [
    (["--authority", "8O6", "--role", "auditor"], "--authority: An LA code is three digits"),
    (["--authority", "806", "--role", "director"], "--role: The role must be one of"),
    (["--authority", "806", "--role", "partner"], "--partner-organisation: A partner works for"),
    (["--authority", "806", "--role", "auditor", "--partner-organisation", "1"],
     "--partner-organisation: Only the partner role"),
])
def test_bad_input_is_one_line_naming_the_option(capsys, arguments, message):
    assert cli.main(["users", "add", "--username", "jo", *arguments]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_a_partner_works_for_a_partner_organisation_of_that_authority(capsys):
    school = PartnerOrganisation.objects.create(name="Acklam Primary", kind="school", la_code="806")
    assert cli.main(["users", "add", "--username", "teacher", "--authority", "805",
                     "--role", "partner", "--partner-organisation", str(school.pk)]) == 2
    assert "refers to authority 806" in capsys.readouterr().err
    assert cli.main(["users", "add", "--username", "teacher", "--authority", "806",
                     "--role", "partner", "--partner-organisation", str(school.pk)]) == 0


def test_the_list_shows_each_role_in_each_authority(capsys, make_staff):
    make_staff("auditor", username="aud", la_codes=["805", "806"])
    capsys.readouterr()
    assert cli.main(["users", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split("\t") == ["username", "authority", "role", "partner_organisation",
                                    "two_factor", "active"]
    assert lines[1:] == ["aud\t805\tauditor\t\tno\tyes", "aud\t806\tauditor\t\tno\tyes"]
    assert cli.main(["users", "list", "--authority", "805"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_the_demo_user_command_still_works(capsys, client):
    assert cli.main(["demo-user", "--username", "demo"]) == 0
    password = capsys.readouterr().out.split("with the password ")[1].strip()
    assert client.login(username="demo", password=password)


def test_resetting_two_factor_removes_the_app_and_the_recovery_codes(capsys, make_staff):
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from childrenmatter.accounts.actions import make_recovery_codes

    worker = make_staff("social_worker")
    TOTPDevice.objects.create(user=worker, name="Authenticator app", confirmed=True)
    make_recovery_codes(actor=worker)
    assert cli.main(["users", "reset-two-factor", "--username", worker.username]) == 0
    assert "removed" in capsys.readouterr().out
    assert not TOTPDevice.objects.filter(user=worker).exists()
    assert not StaticDevice.objects.filter(user=worker).exists()
    assert cli.main(["users", "reset-two-factor", "--username", worker.username]) == 0
    assert "was not set up" in capsys.readouterr().out


def test_resetting_two_factor_for_no_one_names_the_option(capsys):
    assert cli.main(["users", "reset-two-factor", "--username", "nobody.here"]) == 2
    assert "--username: No one has the username nobody.here" in capsys.readouterr().err
