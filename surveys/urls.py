from django.contrib.auth import views as auth_views
from django.urls import path

from surveys.views import paper, staff

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
    # Paper questionnaires (issue 7).
    path("petugas/unit/<str:code>/kertas/", paper.paper_entry, name="paper-entry"),
    path("petugas/unit/<str:code>/impor/", paper.paper_import, name="paper-import"),
    path(
        "petugas/unit/<str:code>/impor/templat/<int:period_id>/",
        paper.paper_import_template,
        name="paper-import-template",
    ),
]
