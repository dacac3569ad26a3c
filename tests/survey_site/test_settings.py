"""The settings module under production environment values (run in a fresh interpreter)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "p" * 20 + "-production-secret-key-for-the-test-" + "q" * 20,
    "ALLOWED_HOSTS": "skm.palembang.go.id",
    "DATABASE_URL": "sqlite:///var/test-deploy.sqlite3",
}


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_reports_no_issues_under_production_values() -> None:
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_without_a_secret_key_refuses_to_start_with_a_clear_message() -> None:
    result = run_manage("check", DEBUG="0", ALLOWED_HOSTS="x")
    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr


def test_a_bad_value_names_the_variable() -> None:
    result = run_manage("check", DEBUG="perhaps")
    assert result.returncode != 0
    assert "DEBUG='perhaps' is not a yes/no value" in result.stderr


def test_the_site_speaks_indonesian_first_in_jakarta_time(settings) -> None:
    assert settings.LANGUAGE_CODE == "id"
    assert [code for code, _name in settings.LANGUAGES] == ["id", "en"]
    assert settings.TIME_ZONE == "Asia/Jakarta"


def _printed(setting_names: str, **env: str) -> str:
    code = f"from django.conf import settings as s; print(*[getattr(s, n) for n in {setting_names.split()!r}], sep='|')"
    result = run_manage("shell", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]  # after the shell's note on imported objects


def test_mail_goes_to_the_console_until_an_smtp_server_is_set() -> None:
    assert _printed("EMAIL_BACKEND") == "django.core.mail.backends.console.EmailBackend"
    smtp = _printed(
        "EMAIL_BACKEND EMAIL_HOST EMAIL_PORT EMAIL_USE_TLS EMAIL_USE_SSL DEFAULT_FROM_EMAIL",
        EMAIL_HOST="smtp.palembang.go.id",
        EMAIL_PORT="465",
        DEFAULT_FROM_EMAIL="SKM <skm@palembang.go.id>",
    )
    assert (
        smtp
        == "django.core.mail.backends.smtp.EmailBackend|smtp.palembang.go.id|465|False|True|SKM <skm@palembang.go.id>"
    )


def test_a_bad_mail_port_names_the_variable() -> None:
    result = run_manage("check", EMAIL_PORT="smtp")
    assert result.returncode != 0 and "EMAIL_PORT='smtp' is not a whole number" in result.stderr
