"""The app's URLs plus `/bench/baseline/`: the least a Django view can do to take a submission.

GET renders a tiny form with a CSRF token; POST inserts one row into `bench_baseline` (created by
bench/run_submissions.py) and redirects. Same middleware, same server settings as the real app,
so the ratio between the two is the cost of the survey itself.
"""

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.urls import URLPattern, URLResolver, path

from survey_site.urls import urlpatterns as app_urlpatterns

PAGE = (
    '<!doctype html><html lang="id"><title>baseline</title><form method="post">'
    '<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
    '<input name="payload"><button>Kirim</button></form></html>'
)


def baseline(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO bench_baseline (payload) VALUES (%s)", [request.POST.get("payload", "")[:2000]])
        return HttpResponseRedirect("/bench/baseline/")
    return HttpResponse(PAGE.format(token=get_token(request)))


urlpatterns: list[URLPattern | URLResolver] = [path("bench/baseline/", baseline), *app_urlpatterns]
