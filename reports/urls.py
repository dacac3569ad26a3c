from django.urls import URLPattern, URLResolver, path

from reports.views import dashboards, suggestions

urlpatterns: list[URLPattern | URLResolver] = [
    path("petugas/kota/", dashboards.city_dashboard, name="city-dashboard"),
    path("petugas/unit/<str:code>/", dashboards.unit_dashboard, name="unit-dashboard"),
    path("petugas/unit/<str:code>/populasi/", dashboards.unit_population, name="unit-population"),
    path("petugas/unit/<str:code>/saran/", suggestions.unit_suggestions, name="unit-suggestions"),
    path("petugas/unit/<str:code>/saran/<int:pk>/spam/", suggestions.suggestion_mark_spam, name="suggestion-mark-spam"),
    path(
        "petugas/unit/<str:code>/saran/<int:pk>/bukan-spam/",
        suggestions.suggestion_unmark_spam,
        name="suggestion-unmark-spam",
    ),
]
