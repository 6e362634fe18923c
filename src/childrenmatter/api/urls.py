"""The partner API (/api/) and the partner professionals' pages (/partners/)."""

from django.urls import path

from childrenmatter.api import views
from childrenmatter.api.endpoints import api

app_name = "partners"

urlpatterns = [
    path("api/", api.urls),
    path("partners/refer/", views.refer, name="refer"),
    path("partners/referrals/", views.referrals, name="referrals"),
    path("partners/referrals/<str:reference>/", views.referral, name="referral"),
    path("partners/referrals/<str:reference>/sent/", views.referral_sent, name="referral-sent"),
]
