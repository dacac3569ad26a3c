from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from surveys.params import whole_number

logger = logging.getLogger(__name__)


class PermissionsPolicyMiddleware:
    """Adds the Permissions-Policy header: the survey needs no camera, microphone or location."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class CookieLanguageMiddleware:
    """Bahasa Indonesia for everyone unless English was chosen with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, but many Indonesian
    phones and office PCs are set to English; the site's language is the switch's cookie alone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response


class MalformedInputMiddleware:
    """Answers 400 with a clear page when the URL path, a query string or a form body is not
    clean text.

    Undecodable UTF-8 (which Django silently turns into U+FFFD, or back into %XX in a path) and
    NUL bytes (which PostgreSQL refuses in a query, turning a lookup into a server error) in the
    path or in any parameter name or value are refused before any view runs, so nothing is
    stored and nothing breaks. Uploaded files are not inspected here; their readers validate them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Reading a body over DATA_UPLOAD_MAX_MEMORY_SIZE raises RequestDataTooBig: Django's 400 page.
        if not _clean_path(request):
            return render(request, "400.html", {"malformed": True}, status=400)
        parameters = [request.GET, request.POST] if request.method == "POST" else [request.GET]
        raw_form = request.method == "POST" and request.content_type == "application/x-www-form-urlencoded"
        if (raw_form and not _utf8(request.body)) or any(not _clean(parameter.lists()) for parameter in parameters):
            return render(request, "400.html", {"malformed": True}, status=400)
        return self.get_response(request)


BROKEN = ("\x00", "\ufffd")


def _utf8(body: bytes) -> bool:
    """Django decodes a form body that is not UTF-8 as Latin-1 instead of refusing it; we refuse it."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _clean_path(request: HttpRequest) -> bool:
    """True when the URL path is clean text. Django turns bytes that are not UTF-8 back into
    %XX in `request.path`, so a percent sign left there means an undecodable (or percent-encoded
    percent) path; no URL of this site holds one."""
    return not any(mark in request.path for mark in (*BROKEN, "%"))


def _clean(items: Iterable[tuple[str, list[str]]]) -> bool:
    """True when no name or value holds a NUL byte or a character that was not valid UTF-8."""
    return not any(mark in text for name, values in items for text in (name, *values) for mark in BROKEN)


class DatabaseUnavailableMiddleware:
    """A lost database connection (a restart, a failover) anywhere in a view becomes a 503 page
    that asks to try again shortly, instead of a bare server error. A citizen's form resubmitted
    with the same one-time key is stored exactly once."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.exception("database unavailable; answered 503", exc_info=exception)
        response = render(request, "503.html", status=503)
        response["Retry-After"] = "5"
        return response


class RequestBodyLimitMiddleware:
    """Refuses a request body larger than its sender may send with a clear 413 page, before
    anything reads or spools it (Django would otherwise write a large multipart upload to disk
    before any check ran).

    Visitors (citizens, kiosks, the login form) may send `REQUEST_BODY_MAX_BYTES`; logged-in
    staff `STAFF_REQUEST_BODY_MAX_BYTES` (an uploaded spreadsheet). A body sent in chunks without
    a Content-Length is refused with 411: its size cannot be known before reading it.
    Runs after the authentication middleware, which reads only the session, never the body.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or ""
        if not declared and "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            return self._refused(request, status=411)
        length = whole_number(declared or "0", max_digits=18)
        if length is None:
            return render(request, "400.html", {"malformed": True}, status=400)
        if length and length > self.limit_for(request):  # a request without a body touches no session
            return self._refused(request, status=413)
        return self.get_response(request)

    @staticmethod
    def limit_for(request: HttpRequest) -> int:
        user = getattr(request, "user", None)
        staff = user is not None and user.is_authenticated
        return int(settings.STAFF_REQUEST_BODY_MAX_BYTES if staff else settings.REQUEST_BODY_MAX_BYTES)

    def _refused(self, request: HttpRequest, *, status: int) -> HttpResponse:
        limit = self.limit_for(request)
        return render(request, "413.html", {"limit_kb": limit // 1024, "status": status}, status=status)


class PrivatePagesMiddleware:
    """`Cache-Control: no-store, private` (Django's never-cache headers) on every page served to
    a logged-in user and on every download, so no browser or shared cache keeps a copy of staff
    pages, exports, templates or posters."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        download = response.get("Content-Disposition", "").startswith("attachment")
        if download or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)
        return response


class FriendlyNotFoundMiddleware:
    """With DEBUG on (the demo, a developer's machine), a page that is not there, or not for this
    user, still shows the friendly 404 page rather than Django's debug page, which lists every URL
    of the site. A developer who wants the debug page sets DEBUG_PAGES=1. With DEBUG off Django
    shows the friendly page itself, and this middleware does nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def _active(self) -> bool:
        return bool(settings.DEBUG) and not settings.DEBUG_PAGES

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._active():
            try:
                resolve(request.path_info, getattr(request, "urlconf", None))
            except Resolver404:
                return self._not_found(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if self._active() and isinstance(exception, Http404):
            return self._not_found(request)
        return None

    @staticmethod
    def _not_found(request: HttpRequest) -> HttpResponse:
        return render(request, "404.html", status=404)  # Django's handler logs the 404, once
