from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from surveys import naming, selectors

HOME_SEARCH_MAX_LENGTH = 100
HOME_MATCHES_SHOWN = 20


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """`/`: a citizen first finds their unit's survey by name (or is told to scan the counter's QR
    code), then the published results; staff come last. A plain GET form: no JavaScript needed."""
    search = request.GET.get("q", "").strip()[:HOME_SEARCH_MAX_LENGTH]
    matches = naming.by_name(selectors.survey_units(search)) if search else []
    return render(
        request,
        "home.html",
        {"search": search, "matches": matches[:HOME_MATCHES_SHOWN], "more": len(matches) > HOME_MATCHES_SHOWN},
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers a query, 503 otherwise (for load balancers and monitors)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """`/favicon.ico`, which browsers and feed readers ask for whatever a page links: the static icon."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))
