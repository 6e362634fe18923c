from django.urls import path

from childrenmatter.analysts import views

app_name = "analysts"

urlpatterns = [
    path("", views.returns_page, name="returns"),
    path("report.csv", views.report_csv, name="report-csv"),
    path("903.zip", views.download_903, name="download-903"),
    path("cin.xml", views.download_cin, name="download-cin"),
    path("annex-a.xlsx", views.download_annex_a, name="download-annex-a"),
]
