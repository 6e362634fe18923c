from django.urls import path

from childrenmatter.frontdoor import views

app_name = "frontdoor"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.new_contact, name="new"),
    path("contacts/<int:contact_id>/", views.contact_page, name="contact"),
    path("contacts/<int:contact_id>/rate/", views.rate, name="rate"),
    path("contacts/<int:contact_id>/checks/", views.request_check, name="check"),
    path("contacts/<int:contact_id>/checks/<int:check_id>/reply/", views.check_reply,
         name="check-reply"),
    path("contacts/<int:contact_id>/children/<int:link_id>/match/", views.match, name="match"),
    path("contacts/<int:contact_id>/decide/", views.decide, name="decide"),
    path("contacts/<int:contact_id>/authorise/", views.authorise, name="authorise"),
    path("contacts/<int:contact_id>/triage/", views.triage, name="triage"),
    path("contacts/<int:contact_id>/triage/school-told/", views.school_told,
         name="school-told"),
]
