from django.contrib.auth import views as auth_views
from django.urls import path

from surveys.views import (
    accounts,
    audit,
    catalogue,
    citizen,
    city_settings,
    instruments,
    kiosk,
    paper,
    posters,
    registry,
    review,
    staff,
)

urlpatterns = [
    path("petugas/", staff.staff_home, name="staff-home"),
    path("akun/masuk/", auth_views.LoginView.as_view(), name="login"),
    path("akun/keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "akun/ganti-sandi/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "akun/ganti-sandi/selesai/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # The citizen survey (issue 4): short, stable URLs printed on posters.
    path("s/", citizen.unit_finder, name="survey-units"),
    path("s/<str:code>/", citizen.survey_form, name="survey-form"),
    path("s/<str:code>/terima-kasih/", citizen.survey_thanks, name="survey-thanks"),
    path("s/<str:code>/qr.svg", citizen.survey_qr, {"kind": "svg"}, name="survey-qr-svg"),
    path("s/<str:code>/qr.png", citizen.survey_qr, {"kind": "png"}, name="survey-qr-png"),
    path("kios/<str:signed>/", kiosk.kiosk_form, name="kiosk-form"),
    path("kios/<str:signed>/terima-kasih/", kiosk.kiosk_thanks, name="kiosk-thanks"),
    path("kios/<str:signed>/antrean/", kiosk.kiosk_queue, name="kiosk-queue"),
    path("kios/<str:signed>/manifest.webmanifest", kiosk.kiosk_manifest, name="kiosk-manifest"),
    path("kios/<str:signed>/sw.js", kiosk.kiosk_worker, name="kiosk-worker"),
    path("petugas/kios/", kiosk.kiosk_list, name="kiosk-list"),
    path("petugas/kios/<int:pk>/cabut/", kiosk.kiosk_revoke, name="kiosk-revoke"),
    path("petugas/poster/", posters.poster_all, name="poster-all"),
    path("petugas/poster/<str:code>/", posters.poster_one, name="poster-one"),
    # Paper questionnaires (issue 7).
    path("petugas/unit/<str:code>/kertas/", paper.paper_entry, name="paper-entry"),
    path("petugas/unit/<str:code>/impor/", paper.paper_import, name="paper-import"),
    path("petugas/unit/<str:code>/impor/<uuid:job_id>/", paper.paper_import_job, name="paper-import-job"),
    path(
        "petugas/unit/<str:code>/impor/templat/<int:period_id>/",
        paper.paper_import_template,
        name="paper-import-template",
    ),
]

# The audit log of staff actions (issue 9): secretariat only, read only.
urlpatterns += [path("petugas/audit/", audit.audit_log, name="audit-log")]

# Review of what would move a unit's number (issue 14): secretariat only.
urlpatterns += [
    path("petugas/tinjauan/", review.review_list, name="review-list"),
    path("petugas/tinjauan/ditahan/", review.review_held, name="review-held"),
    path("petugas/tinjauan/usulan/<int:pk>/", review.review_proposal, name="review-proposal"),
]

# Staff accounts (issue 16): the secretariat manages them; a one-time e-mailed link sets a password,
# for a new account and for "Lupa kata sandi?" alike (Django's password-reset views).
urlpatterns += [
    path("petugas/akun/", accounts.account_list, name="account-list"),
    path("petugas/akun/baru/", accounts.account_create, name="account-create"),
    path("petugas/akun/<int:pk>/", accounts.account_edit, name="account-edit"),
    path("petugas/akun/<int:pk>/nonaktifkan/", accounts.account_deactivate, name="account-deactivate"),
    path("petugas/akun/<int:pk>/aktifkan/", accounts.account_reactivate, name="account-reactivate"),
    path("petugas/akun/<int:pk>/kirim-tautan/", accounts.account_link, name="account-link"),
    path("akun/lupa-sandi/", accounts.StaffPasswordResetView.as_view(), name="password_reset"),
    path("akun/lupa-sandi/terkirim/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("akun/atur-sandi/<uidb64>/<token>/", accounts.PasswordSetView.as_view(), name="password_reset_confirm"),
    path("akun/atur-sandi/selesai/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

# Running the city without a developer (issue 16): the registry and the questionnaires
# (secretariat only), the services of each unit (the secretariat and the unit's admins).
urlpatterns += [
    path("petugas/registri/", registry.registry_list, name="registry-list"),
    path("petugas/registri/unit-baru/", registry.registry_unit_add, name="registry-unit-add"),
    path("petugas/registri/unggah/", registry.registry_upload, name="registry-upload"),
    path("petugas/registri/unggah/terapkan/", registry.registry_upload_apply, name="registry-upload-apply"),
    path("petugas/registri/unit/<str:code>/", registry.registry_unit, name="registry-unit"),
    path("petugas/registri/unit/<str:code>/status/", registry.registry_unit_active, name="registry-unit-active"),
    path(
        "petugas/registri/unit/<str:code>/populasi/",
        registry.registry_unit_population,
        name="registry-unit-population",
    ),
    path("petugas/layanan/", catalogue.service_units, name="service-units"),
    path("petugas/unit/<str:code>/layanan/", catalogue.service_list, name="service-list"),
    path("petugas/unit/<str:code>/layanan/<int:pk>/nama/", catalogue.service_rename, name="service-rename"),
    path("petugas/unit/<str:code>/layanan/<int:pk>/status/", catalogue.service_active, name="service-active"),
    path("petugas/instrumen/", instruments.instrument_list, name="instrument-list"),
    path("petugas/instrumen/mulai/", instruments.instrument_start, name="instrument-start"),
    path("petugas/instrumen/<int:pk>/", instruments.instrument_edit, name="instrument-edit"),
    path("petugas/instrumen/<int:pk>/pratinjau/", instruments.instrument_preview, name="instrument-preview"),
    path("petugas/instrumen/<int:pk>/versi-baru/", instruments.instrument_new_version, name="instrument-new-version"),
    path("petugas/instrumen/<int:pk>/terbitkan/", instruments.instrument_publish, name="instrument-publish"),
]

# The city's survey settings (issue 19: the kiosk queue's grace): secretariat only.
urlpatterns += [path("petugas/pengaturan/", city_settings.survey_settings, name="survey-settings")]
