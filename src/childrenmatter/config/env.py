"""Typed readers of environment variables for ``settings.py``.

Each one fails loudly: a value that cannot be read raises ``ImproperlyConfigured`` naming
the variable and what it should look like, so a typo stops the start rather than running
with a default nobody asked for.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: expected one of 1/0, true/false, yes/no, on/off")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r}: expected a whole number") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name}={number}: must be at least {minimum}")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list; blanks between commas are dropped."""
    value = os.environ.get(name, "").strip()
    if not value:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_path(name: str, default: str | Path) -> Path:
    """A path, relative ones taken from the current directory."""
    return Path(env_str(name, str(default))).expanduser().resolve()


_ENGINES = {
    "postgres": "django.db.backends.postgresql",
    "postgresql": "django.db.backends.postgresql",
    "sqlite": "django.db.backends.sqlite3",
}


def database_from_url(name: str, default_sqlite: Path) -> dict[str, object]:
    """Django's DATABASES["default"] from a URL in ``name``, else SQLite at ``default_sqlite``.

    Accepted: ``postgres://USER:PASSWORD@HOST:PORT/NAME?sslmode=require`` (query parameters
    become connection options) and ``sqlite:///relative/path`` or ``sqlite:////absolute/path``.
    """
    url = os.environ.get(name, "").strip()
    if not url:
        return {"ENGINE": _ENGINES["sqlite"], "NAME": str(default_sqlite)}
    parts = urlsplit(url)
    engine = _ENGINES.get(parts.scheme)
    if engine is None:
        raise ImproperlyConfigured(
            f"{name}: scheme {parts.scheme!r} is not supported; "
            "use postgres://user:password@host:port/name or sqlite:///path"
        )
    path = unquote(parts.path)
    if engine == _ENGINES["sqlite"]:
        if parts.netloc or not path.startswith("/") or path == "/":
            raise ImproperlyConfigured(
                f"{name}: a SQLite URL is sqlite:///relative/path or sqlite:////absolute/path"
            )
        return {"ENGINE": engine, "NAME": str(Path(path[1:]).resolve())}
    database = path.lstrip("/")
    if not database or "/" in database:
        raise ImproperlyConfigured(
            f"{name}: name the database after the host, as in .../childrenmatter"
        )
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured(f"{name}: the port is not a number") from None
    return {
        "ENGINE": engine,
        "NAME": database,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(port or ""),
        "OPTIONS": dict(parse_qsl(parts.query)),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


def secret_key(name: str, key_file: Path) -> str:
    """The key from ``name``, else the one kept in ``key_file``, made there on first use.

    The file is created whole or not at all (written beside it, then hard-linked into
    place), so processes starting together agree on one key.
    """
    value = os.environ.get(name, "").strip()
    if value:
        if len(value) < 32:
            raise ImproperlyConfigured(f"{name}: use at least 32 characters")
        return value
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        draft = key_file.with_name(f".{key_file.name}.{os.getpid()}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
        try:
            os.link(draft, key_file)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            draft.unlink()
    value = key_file.read_text().strip()
    if len(value) < 32:
        raise ImproperlyConfigured(
            f"{key_file}: the secret key there is too short; delete the file"
        )
    return value
