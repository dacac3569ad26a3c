"""The shared test cast: a city tree, the official instrument, an open period, four kinds of user.

pemkot (16.71)
├── Dinas Kesehatan (opd-dinkes) ── Puskesmas Dempo (pkm-dempo, area: Ilir Barat I)
├── Kecamatan Ilir Barat I (16.71.04) ── Kelurahan 24 Ilir (16.71.04.1001)
└── Kecamatan Sukarami (16.71.07) ── Kelurahan Sukarami (16.71.07.1005)
"""

from __future__ import annotations

import os
from typing import Any

import hypothesis
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from surveys import lookup_cache
from surveys.models import Instrument, Period, ServiceUnit, StaffProfile, StaffRole
from tests import builders

PASSWORD = "sandi-uji-yang-panjang-123"

# Property tests share machines with other work: their time is not what they test. The "skm"
# profile drops the per-example deadline and the too-slow health check (which failed about one
# run in seven at -n 2); HYPOTHESIS_PROFILE=thorough runs ten times the examples.
hypothesis.settings.register_profile(
    "skm", deadline=None, suppress_health_check=[hypothesis.HealthCheck.too_slow], print_blob=True
)
hypothesis.settings.register_profile("thorough", parent=hypothesis.settings.get_profile("skm"), max_examples=1000)
hypothesis.settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "skm"))


class City:
    def __init__(self) -> None:
        self.root = builders.make_unit("16.71", name="Pemerintah Kota Palembang", kind="pemkot")
        self.dinkes = builders.make_unit("opd-dinkes", name="Dinas Kesehatan", kind="opd", parent=self.root)
        self.kecamatan = builders.make_unit("16.71.04", name="Ilir Barat I", kind="kecamatan", parent=self.root)
        self.kelurahan = builders.make_unit(
            "16.71.04.1001", name="24 Ilir", kind="kelurahan", parent=self.kecamatan, area=self.kecamatan
        )
        self.puskesmas = builders.make_unit(
            "pkm-dempo", name="Puskesmas Dempo", kind="puskesmas", parent=self.dinkes, area=self.kecamatan
        )
        self.other_kecamatan = builders.make_unit("16.71.07", name="Sukarami", kind="kecamatan", parent=self.root)
        self.other_kelurahan = builders.make_unit(
            "16.71.07.1005",
            name="Sukarami",
            kind="kelurahan",
            parent=self.other_kecamatan,
            area=self.other_kecamatan,
        )
        self.service = builders.make_service(self.kelurahan, "Surat keterangan domisili")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """Close connections after each request in tests, so the live server's threads hold none
    when the test database is dropped (production keeps them for 60 s)."""
    from django.conf import settings

    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0


@pytest.fixture(scope="session", autouse=True)
def _empty_static_root(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests serve static files from the app folders. A `collectstatic` for the demo or the bench
    fills STATIC_ROOT, and WhiteNoise would index every file in it again for each test client."""
    from django.conf import settings

    settings.STATIC_ROOT = tmp_path_factory.mktemp("static-root")


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()
    lookup_cache.clear()


@pytest.fixture(autouse=True)
def _in_bahasa_indonesia() -> Any:
    """Every test starts in the site's language: a request in English leaves English active in its
    thread (the language middleware activates one per request), which must not leak into the next test."""
    translation.activate("id")
    yield
    translation.activate("id")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Test users log in with a fast hasher; production keeps Django's PBKDF2."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def city(db: Any) -> City:
    return City()


@pytest.fixture
def instrument(db: Any) -> Instrument:
    return builders.make_instrument()


@pytest.fixture
def period(db: Any) -> Period:
    return builders.make_period("Triwulan Uji")


def _staff(username: str, role: str, units: list[ServiceUnit]) -> AbstractUser:
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    profile = StaffProfile.objects.create(user=user, role=role)
    profile.units.set(units)
    return user  # type: ignore[return-value]


@pytest.fixture
def secretariat(city: City) -> AbstractUser:
    """An analyst at the city secretariat: sees every unit."""
    return _staff("analis", StaffRole.SECRETARIAT, [])


@pytest.fixture
def kecamatan_admin(city: City) -> AbstractUser:
    """The admin of Kecamatan Ilir Barat I: sees it and its kelurahan."""
    return _staff("admin-ib1", StaffRole.UNIT_ADMIN, [city.kecamatan])


@pytest.fixture
def other_admin(city: City) -> AbstractUser:
    """The admin of a kelurahan in another kecamatan (Sukarami)."""
    return _staff("admin-sukarami", StaffRole.UNIT_ADMIN, [city.other_kelurahan])


@pytest.fixture
def puskesmas_admin(city: City) -> AbstractUser:
    return _staff("admin-dempo", StaffRole.UNIT_ADMIN, [city.puskesmas])


def logged_in(user: AbstractUser) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world(
    city: City,
    instrument: Instrument,
    secretariat: AbstractUser,
    kecamatan_admin: AbstractUser,
    other_admin: AbstractUser,
) -> Any:
    """The cast with every kind of object a staff URL can name (`tests.world`), for both admins."""
    from tests.world import build_world

    return build_world(city, instrument, secretariat, admins=(kecamatan_admin, other_admin))


@pytest.fixture
def browser_page(live_server: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A Playwright page in Debian's Chromium at a 360x740 phone viewport."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    executable = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not os.path.exists(executable):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"Chromium is required (REQUIRE_BROWSER is set) but missing at {executable}")
        pytest.skip(f"Chromium not found at {executable}")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
        page = context.new_page()
        page.set_default_timeout(15000)
        yield page
        context.close()
        browser.close()
