from django.urls import include, path

urlpatterns = [
    path("", include("childrenmatter.web.urls")),
    path("", include("childrenmatter.accounts.urls")),
]
