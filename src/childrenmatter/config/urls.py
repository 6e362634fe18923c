from django.urls import include, path

urlpatterns = [
    path("", include("childrenmatter.web.urls")),
    path("", include("childrenmatter.accounts.urls")),
    path("people/", include("childrenmatter.people.urls")),
    path("front-door/", include("childrenmatter.frontdoor.urls")),
    path("casework/", include("childrenmatter.casework.urls")),
    path("", include("childrenmatter.api.urls")),
    path("returns/", include("childrenmatter.analysts.urls")),
    path("dashboards/", include("childrenmatter.dashboards.urls")),
    path("improvement/", include("childrenmatter.improvement.urls")),
]
