"""Settings come from the environment, and a value that cannot be read stops the start."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from childrenmatter.config.env import database_from_url, env_bool, env_int, env_list, secret_key


def test_no_database_url_means_sqlite_in_the_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert database_from_url("DATABASE_URL", tmp_path / "db.sqlite3") == {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(tmp_path / "db.sqlite3"),
    }


def test_a_postgres_url_gives_every_part_of_the_connection(monkeypatch, tmp_path):
    monkeypatch.setenv(
        "DATABASE_URL", "postgres://cm:p%40ss@db.internal:6543/records?sslmode=require"
    )
    config = database_from_url("DATABASE_URL", tmp_path / "unused")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == ("records", "cm", "p@ss")
    assert (config["HOST"], config["PORT"]) == ("db.internal", "6543")
    assert config["OPTIONS"] == {"sslmode": "require"}


def test_a_sqlite_url_names_the_file(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/other.sqlite3")
    config = database_from_url("DATABASE_URL", tmp_path / "unused")
    assert config["NAME"] == str(tmp_path / "other.sqlite3")


@pytest.mark.parametrize(
    "url",
    ["mysql://root@localhost/db", "postgres://localhost", "postgres://h:notaport/db", "sqlite://x"],
)
def test_a_malformed_database_url_is_refused_naming_the_variable(monkeypatch, tmp_path, url):
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(ImproperlyConfigured, match="^DATABASE_URL"):
        database_from_url("DATABASE_URL", tmp_path / "unused")


def test_a_yes_or_no_setting_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("CHILDRENMATTER_DEBUG", "yes")
    assert env_bool("CHILDRENMATTER_DEBUG", False) is True
    monkeypatch.setenv("CHILDRENMATTER_DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="CHILDRENMATTER_DEBUG='maybe'"):
        env_bool("CHILDRENMATTER_DEBUG", False)


def test_a_number_setting_refuses_words_and_numbers_too_small(monkeypatch):
    monkeypatch.setenv("CHILDRENMATTER_SESSION_HOURS", "eight")
    with pytest.raises(ImproperlyConfigured, match="CHILDRENMATTER_SESSION_HOURS"):
        env_int("CHILDRENMATTER_SESSION_HOURS", 8, minimum=1)
    monkeypatch.setenv("CHILDRENMATTER_SESSION_HOURS", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("CHILDRENMATTER_SESSION_HOURS", 8, minimum=1)


def test_a_list_setting_is_split_on_commas(monkeypatch):
    monkeypatch.setenv("CHILDRENMATTER_ALLOWED_HOSTS", "cm.example.gov.uk, ,localhost")
    assert env_list("CHILDRENMATTER_ALLOWED_HOSTS", []) == ["cm.example.gov.uk", "localhost"]


def test_the_secret_key_is_made_once_and_kept(monkeypatch, tmp_path: Path):
    monkeypatch.delenv("CHILDRENMATTER_SECRET_KEY", raising=False)
    key_file = tmp_path / "var" / "secret_key"
    first = secret_key("CHILDRENMATTER_SECRET_KEY", key_file)
    assert len(first) >= 50
    assert secret_key("CHILDRENMATTER_SECRET_KEY", key_file) == first
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert list(key_file.parent.iterdir()) == [key_file]  # no draft left behind


def test_a_secret_key_from_the_environment_wins_but_must_be_long(monkeypatch, tmp_path):
    monkeypatch.setenv("CHILDRENMATTER_SECRET_KEY", "x" * 40)
    assert secret_key("CHILDRENMATTER_SECRET_KEY", tmp_path / "unused") == "x" * 40
    monkeypatch.setenv("CHILDRENMATTER_SECRET_KEY", "short")
    with pytest.raises(ImproperlyConfigured, match="CHILDRENMATTER_SECRET_KEY"):
        secret_key("CHILDRENMATTER_SECRET_KEY", tmp_path / "unused")
