from __future__ import annotations

from pathlib import Path

import pytest

from survey_site.env import Env, EnvError, parse_cache_url, parse_database_url, trusted_proxy_count

BASE = Path("/srv/skm")


def env(**values: str) -> Env:
    return Env(values)


@pytest.mark.parametrize("word,expected", [("1", True), ("yes", True), ("ON", True), ("0", False), ("off", False)])
def test_a_yes_no_value_is_read_in_any_usual_spelling(word: str, expected: bool) -> None:
    assert env(DEBUG=word).boolean("DEBUG", default=not expected) is expected


def test_an_unset_or_blank_value_falls_back_to_the_default() -> None:
    assert env().boolean("DEBUG", default=True) is True
    assert env(DEBUG="  ").boolean("DEBUG", default=False) is False


@pytest.mark.parametrize("word", ["maybe", "2", "tru"])
def test_a_yes_no_value_that_is_neither_is_refused_with_its_name(word: str) -> None:
    with pytest.raises(EnvError, match="DEBUG"):
        env(DEBUG=word).boolean("DEBUG", default=False)


def test_a_number_must_be_a_whole_number_above_its_minimum() -> None:
    assert env(N="42").integer("N", default=1) == 42
    with pytest.raises(EnvError, match="not a whole number"):
        env(N="4.2").integer("N", default=1)
    with pytest.raises(EnvError, match="below the minimum"):
        env(N="0").integer("N", default=1, minimum=1)
    with pytest.raises(EnvError, match="above the maximum"):
        env(N="31").integer("N", default=1, maximum=30)


def test_a_list_is_split_on_commas_and_an_empty_list_is_refused() -> None:
    assert env(HOSTS="a.go.id, b.go.id").items("HOSTS", default=[]) == ["a.go.id", "b.go.id"]
    with pytest.raises(EnvError, match="no items"):
        env(HOSTS=" , ").items("HOSTS", default=[])


def test_the_secret_key_is_required_and_strong_when_debug_is_off() -> None:
    assert env().secret_key("SECRET_KEY", debug=True).startswith("django-insecure")
    with pytest.raises(EnvError, match="required when DEBUG is off"):
        env().secret_key("SECRET_KEY", debug=False)
    with pytest.raises(EnvError, match="too weak"):
        env(SECRET_KEY="short").secret_key("SECRET_KEY", debug=False)
    strong = "x7" * 30
    assert env(SECRET_KEY=strong).secret_key("SECRET_KEY", debug=False) == strong


def test_no_database_url_means_sqlite_beside_manage_py() -> None:
    assert parse_database_url(None, base_dir=BASE) == {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE / "db.sqlite3",
    }


def test_sqlite_urls_take_relative_and_absolute_paths() -> None:
    assert parse_database_url("sqlite:///var/skm.db", base_dir=BASE)["NAME"] == BASE / "var/skm.db"
    assert parse_database_url("sqlite:////srv/data/skm.db", base_dir=BASE)["NAME"] == Path("/srv/data/skm.db")


def test_a_postgres_url_becomes_a_postgresql_database() -> None:
    database = parse_database_url("postgres://skm:p%40ss@db.local:5433/skm?sslmode=require", base_dir=BASE)
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["USER"], database["PASSWORD"], database["HOST"], database["PORT"], database["NAME"]) == (
        "skm",
        "p@ss",
        "db.local",
        "5433",
        "skm",
    )
    assert database["OPTIONS"] == {"sslmode": "require"}


@pytest.mark.parametrize(
    "url,message",
    [
        ("mysql://root@localhost/skm", "only sqlite"),
        ("postgres://localhost", "names no database"),
        ("postgres://localhost:port/skm", "port that is not a number"),
        ("sqlite://", "sqlite:///path"),
    ],
)
def test_a_bad_database_url_is_refused_with_a_clear_message(url: str, message: str) -> None:
    with pytest.raises(EnvError, match=message):
        parse_database_url(url, base_dir=BASE)


def test_the_cache_is_local_memory_by_default_and_redis_when_asked() -> None:
    assert parse_cache_url(None)["BACKEND"].endswith("LocMemCache")
    assert parse_cache_url("redis://127.0.0.1:6379/1")["BACKEND"].endswith("RedisCache")
    with pytest.raises(EnvError, match="CACHE_URL"):
        parse_cache_url("memcached://x")


@pytest.mark.parametrize(
    ("values", "expected"),
    [({}, 0), ({"BEHIND_PROXY": "1"}, 1), ({"BEHIND_PROXY": "0"}, 0), ({"TRUSTED_PROXY_COUNT": "2"}, 2)],
)
def test_the_trusted_proxy_count_is_set_alone_or_by_its_older_spelling(values: dict[str, str], expected: int) -> None:
    assert trusted_proxy_count(env(**values)) == expected


def test_a_proxy_count_that_contradicts_behind_proxy_is_refused() -> None:
    assert trusted_proxy_count(env(BEHIND_PROXY="1", TRUSTED_PROXY_COUNT="2")) == 2
    with pytest.raises(EnvError, match="contradicts"):
        trusted_proxy_count(env(BEHIND_PROXY="1", TRUSTED_PROXY_COUNT="0"))
    with pytest.raises(EnvError, match="not a whole number"):
        trusted_proxy_count(env(TRUSTED_PROXY_COUNT="one"))
