from django.urls import path

from childrenmatter.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in", views.sign_in, name="sign-in"),
    path("sign-in/two-factor", views.two_factor, name="two-factor"),
    path("sign-out", views.sign_out, name="sign-out"),
    path("two-factor", views.two_factor_set_up, name="two-factor-set-up"),
    path("access-log/", views.access_log, name="access-log"),
    path("access-log.csv", views.access_log_csv, name="access-log-csv"),
    path("staff/", views.staff, name="staff"),
    path("staff/<int:user_id>/unlock/", views.unlock, name="unlock"),
    # Mounted at the site root, so the page sits beside the person's own pages.
    path("people/<int:person_id>/restriction/", views.restriction, name="restriction"),
]
