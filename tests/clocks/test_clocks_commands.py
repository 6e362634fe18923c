import pytest

from childrenmatter.clocks.rules import OVERRIDES_VARIABLE, RULES
from childrenmatter.config import cli


@pytest.fixture(autouse=True)
def only_the_clocks_commands(monkeypatch):
    # The real main() and its error handling, without depending on other parts' commands.
    monkeypatch.setattr(cli, "COMMAND_MODULES", ("childrenmatter.clocks.commands",))
    monkeypatch.delenv(OVERRIDES_VARIABLE, raising=False)


def run(capsys, *argv):
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_clocks_due_prints_only_the_due_date(capsys):
    status, out, err = run(
        capsys, "clocks", "due", "--rule", "referral_decision", "--from", "2020-12-24"
    )
    assert (status, out, err) == (0, "2020-12-29\n", "")


def test_clocks_due_uses_the_authority_s_own_amounts_from_the_environment(capsys, monkeypatch):
    monkeypatch.setenv(OVERRIDES_VARIABLE, "cin_visit=15")
    status, out, _ = run(capsys, "clocks", "due", "--rule", "cin_visit", "--from", "2021-06-04")
    assert (status, out) == (0, "2021-06-25\n")


def test_an_unknown_rule_exits_2_with_a_one_line_message_naming_the_rules(capsys):
    status, out, err = run(capsys, "clocks", "due", "--rule", "cin_vist", "--from", "2020-12-24")
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("childrenmatter: error: unknown clock rule 'cin_vist'")
    assert all(name in err for name in RULES)


@pytest.mark.parametrize("text", ["2020-13-01", "24/12/2020", "20201224", "tomorrow"])
def test_a_bad_from_date_exits_2_with_a_one_line_message(capsys, text):
    status, out, err = run(capsys, "clocks", "due", "--rule", "icpc", "--from", text)
    assert (status, out) == (2, "")
    assert err == f"childrenmatter: error: --from: {text!r} is not a date in the form YYYY-MM-DD\n"


def test_a_bad_override_in_the_environment_exits_2_naming_the_variable(capsys, monkeypatch):
    monkeypatch.setenv(OVERRIDES_VARIABLE, "cin_visit=soon")
    status, _, err = run(capsys, "clocks", "due", "--rule", "icpc", "--from", "2020-12-24")
    assert status == 2
    assert OVERRIDES_VARIABLE in err


def test_clocks_rules_lists_every_rule_with_its_amount(capsys, monkeypatch):
    monkeypatch.setenv(OVERRIDES_VARIABLE, "cin_visit=15")
    status, out, _ = run(capsys, "clocks", "rules")
    lines = out.splitlines()
    assert status == 0
    assert [line.split()[0] for line in lines] == list(RULES)
    assert "45 working days" in lines[list(RULES).index("assessment")]
    assert "15 working days (local setting)" in lines[list(RULES).index("cin_visit")]


@pytest.mark.parametrize("argv", [["clocks"], ["clocks", "due"], ["clocks", "rules"]])
def test_every_clocks_command_has_help(capsys, argv):
    with pytest.raises(SystemExit) as exited:
        cli.main([*argv, "--help"])
    assert exited.value.code == 0
    assert OVERRIDES_VARIABLE in capsys.readouterr().out


def test_clocks_without_a_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(["clocks"])
    assert exited.value.code == 2
    assert "CLOCKS_COMMAND" in capsys.readouterr().err
