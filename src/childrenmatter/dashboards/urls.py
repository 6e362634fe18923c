from django.urls import path

from childrenmatter.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.index, name="index"),
    path("refresh/", views.refresh, name="refresh"),
    path("pack/", views.pack, name="pack"),
    path("<slug:area>/", views.area, name="area"),
    path("<slug:area>/<slug:indicator>/children/", views.children, name="children"),
]
