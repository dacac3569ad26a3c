from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest

from surveys import access


def site(request: HttpRequest) -> dict[str, str | Callable[[], bool]]:
    """The site's names, and whether the menus show the secretariat's pages (asked only when a
    signed-in menu is drawn; the profile is usually cached on the user by the view already)."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "CITY_NAME": settings.CITY_NAME,
        "nav_is_secretariat": lambda: access.is_secretariat(request.user),
    }
