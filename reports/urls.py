from django.urls import URLPattern, path

from reports.views import exports

urlpatterns: list[URLPattern] = [
    # Exports (issue 7).
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
