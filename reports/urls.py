from django.urls import URLPattern, URLResolver, path

from reports.views import dashboards, exports, followups, glossary, laporan, periods, public, quality, suggestions

urlpatterns: list[URLPattern | URLResolver] = [path("istilah/", glossary.glossary, name="glossary")]

# Periods, frozen results, public results and follow-up plans (issue 6).
urlpatterns += [
    path("hasil/", public.results_index, name="results-index"),
    path("hasil/<slug:slug>/", public.results_period, name="results-period"),
    path("hasil/<slug:slug>/<str:code>/", public.results_unit, name="results-unit"),
    path("hasil/<slug:slug>/<str:code>/poster/", public.results_poster, name="results-poster"),
    path("petugas/periode/", periods.period_list, name="period-list"),
    path("petugas/periode/<int:pk>/", periods.period_detail, name="period-detail"),
    path("petugas/periode/<int:pk>/tutup/", periods.period_close, name="period-close"),
    path("petugas/periode/<int:pk>/buka-kembali/", periods.period_reopen, name="period-reopen"),
    path("petugas/periode/<int:pk>/publikasikan/", periods.period_publish, name="period-publish"),
    path("petugas/periode/<int:pk>/hitung-ulang/", periods.period_recompute, name="period-recompute"),
    path("petugas/periode/<int:pk>/rtl/", periods.period_followups, name="period-followups"),
    path("petugas/periode/<int:pk>/hasil/", periods.period_results, name="period-results"),
    path("petugas/unit/<str:code>/rtl/", followups.followup_periods, name="followup-periods"),
    path("petugas/unit/<str:code>/rtl/<int:period_pk>/", followups.followup_plan, name="followup-plan"),
    path("petugas/unit/<str:code>/rtl/aksi/<int:pk>/", followups.followup_edit, name="followup-edit"),
    path("petugas/unit/<str:code>/rtl/aksi/<int:pk>/hapus/", followups.followup_delete, name="followup-delete"),
]

# Exports (issue 7).
urlpatterns += [
    path("laporan/ekspor/", exports.export_start, name="export-start"),
    path("laporan/ekspor/<uuid:job_id>/", exports.export_job, name="export-job"),
    path("laporan/ekspor/<uuid:job_id>/unduh/", exports.export_job_download, name="export-job-download"),
    path(
        "laporan/unit/<str:code>/periode/<int:period_id>/workbook.xlsx",
        exports.unit_workbook_download,
        name="export-unit-workbook",
    ),
    path("laporan/kota/periode/<int:period_id>/rekap.xlsx", exports.city_recap_download, name="export-city-recap"),
]

# Staff dashboards: unit and city dashboards, suggestions (issue 5).
urlpatterns += [
    path("petugas/kota/", dashboards.city_dashboard, name="city-dashboard"),
    path("petugas/unit/<str:code>/", dashboards.unit_dashboard, name="unit-dashboard"),
    path("petugas/unit/<str:code>/populasi/", dashboards.unit_population, name="unit-population"),
    path("petugas/unit/<str:code>/saran/", suggestions.unit_suggestions, name="unit-suggestions"),
    path(
        "petugas/unit/<str:code>/saran/<int:pk>/keluarkan/", suggestions.response_exclusion, name="response-exclusion"
    ),
    path(
        "petugas/unit/<str:code>/saran/<int:pk>/hitung-lagi/", suggestions.response_reinstate, name="response-reinstate"
    ),
]

# The Laporan Hasil SKM, Word and PDF (issue 17): texts and signatory kept per unit (or the city).
urlpatterns += [
    path("laporan/unit/<str:code>/dokumen/", laporan.unit_report, name="report-unit"),
    path("laporan/unit/<str:code>/dokumen/penandatangan/", laporan.unit_report_signatory, name="report-unit-signatory"),
    path("laporan/unit/<str:code>/dokumen/buat/", laporan.unit_report_generate, name="report-unit-generate"),
    path("laporan/kota/dokumen/", laporan.city_report, name="report-city"),
    path("laporan/kota/dokumen/penandatangan/", laporan.city_report_signatory, name="report-city-signatory"),
    path("laporan/kota/dokumen/buat/", laporan.city_report_generate, name="report-city-generate"),
]

# Data-quality signals (issue 14): secretariat only.
urlpatterns += [path("petugas/kualitas-data/", quality.quality_signals, name="quality-signals")]
