"""Small typed readers for deployment settings taken from the environment.

Each reader fails loudly with a message that names the variable and the value it
could not use, so a typo in a deployment never turns into a silent default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


class EnvError(ValueError):
    """A deployment setting holds a value the app cannot use."""


@dataclass(frozen=True)
class Env:
    values: Mapping[str, str]

    def raw(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None or value.strip() == "":
            return None
        return value.strip()

    def boolean(self, name: str, default: bool) -> bool:
        value = self.raw(name)
        if value is None:
            return default
        if value.lower() in TRUE_WORDS:
            return True
        if value.lower() in FALSE_WORDS:
            return False
        raise EnvError(f"{name}={value!r} is not a yes/no value; use one of 1/0, true/false, yes/no, on/off.")

    def integer(self, name: str, default: int, *, minimum: int = 0, maximum: int | None = None) -> int:
        value = self.raw(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise EnvError(f"{name}={value!r} is not a whole number.") from None
        if number < minimum:
            raise EnvError(f"{name}={number} is below the minimum of {minimum}.")
        if maximum is not None and number > maximum:
            raise EnvError(f"{name}={number} is above the maximum of {maximum}.")
        return number

    def text(self, name: str, default: str) -> str:
        value = self.raw(name)
        return default if value is None else value

    def items(self, name: str, default: list[str]) -> list[str]:
        value = self.raw(name)
        if value is None:
            return default
        items = [item.strip() for item in value.split(",") if item.strip()]
        if not items:
            raise EnvError(f"{name}={value!r} holds no items; give a comma-separated list.")
        return items

    def file(self, name: str) -> Path | None:
        """A path to an existing file, or None when unset."""
        value = self.raw(name)
        if value is None:
            return None
        path = Path(value)
        if not path.is_file():
            raise EnvError(f"{name}={value!r} is not a readable file.")
        return path

    def span(self, name: str, default: tuple[int, int], *, low: int, high: int) -> tuple[int, int]:
        """A range of whole numbers written "FROM-TO" (e.g. service hours "07-17"), low <= FROM < TO <= high."""
        value = self.raw(name)
        if value is None:
            return default
        first, _dash, last = value.partition("-")
        try:
            start, end = int(first), int(last)
        except ValueError:
            raise EnvError(
                f"{name}={value!r} is not a range; write it as FROM-TO, e.g. {default[0]}-{default[1]}."
            ) from None
        if not low <= start <= end <= high:
            raise EnvError(f"{name}={value!r} must run forwards within {low}-{high}.")
        return start, end

    def secret_key(self, name: str, *, debug: bool) -> str:
        value = self.raw(name)
        if value is None:
            if debug:
                return "django-insecure-development-only-key-never-use-in-production"
            raise EnvError(f"{name} is required when DEBUG is off; set it to a long random string.")
        if not debug and (len(value) < 50 or value.startswith("django-insecure")):
            raise EnvError(f"{name} is too weak for production: use at least 50 random characters.")
        return value


def environment() -> Env:
    return Env(dict(os.environ))


def parse_database_url(url: str | None, *, base_dir: Path) -> dict[str, Any]:
    """Turn DATABASE_URL into Django's DATABASES['default'].

    Empty means the SQLite file `db.sqlite3` beside manage.py. Supported:
    `sqlite:///relative/or/absolute.db` and `postgres://user:password@host:port/name`.
    """
    if url is None:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": base_dir / "db.sqlite3"}
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        if parts.netloc or not path or path == "/":
            raise EnvError(f"DATABASE_URL={url!r}: write a SQLite URL as sqlite:///path/to/file.db.")
        file = Path(path[1:])
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": file if file.is_absolute() else base_dir / file}
    if parts.scheme in {"postgres", "postgresql"}:
        database = unquote(parts.path.lstrip("/"))
        if not database:
            raise EnvError(f"DATABASE_URL={url!r} names no database; end it with /database_name.")
        try:
            port = parts.port
        except ValueError:
            raise EnvError(f"DATABASE_URL={url!r} has a port that is not a number.") from None
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": database,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "OPTIONS": options,
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    raise EnvError(f"DATABASE_URL={url!r}: only sqlite:/// and postgres:// URLs are supported.")


def parse_cache_url(url: str | None) -> dict[str, Any]:
    """Turn CACHE_URL into Django's CACHES['default']; empty means a per-process memory cache."""
    if url is None:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "skm"}
    scheme = urlsplit(url).scheme
    if scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": "skm"}
    if scheme == "db":
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "skm_cache"}
    raise EnvError(f"CACHE_URL={url!r}: use redis://host:port/db, or db:// for the database cache.")


def trusted_proxy_count(env: Env) -> int:
    """How many reverse proxies in front of the app append to X-Forwarded-For.

    `TRUSTED_PROXY_COUNT` (0 = none, the default); `BEHIND_PROXY=1` is accepted as the older
    spelling of one proxy. Both set and disagreeing is refused rather than guessed.
    """
    behind = env.boolean("BEHIND_PROXY", default=False)
    if env.raw("TRUSTED_PROXY_COUNT") is None:
        return 1 if behind else 0
    count = env.integer("TRUSTED_PROXY_COUNT", default=0, minimum=0)
    if env.raw("BEHIND_PROXY") is not None and behind != (count > 0):
        raise EnvError(
            f"BEHIND_PROXY={env.raw('BEHIND_PROXY')!r} contradicts TRUSTED_PROXY_COUNT={count}; "
            "set TRUSTED_PROXY_COUNT alone."
        )
    return count
