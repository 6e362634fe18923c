from django.urls import path

from childrenmatter.casework import views

app_name = "casework"

urlpatterns = [
    path("children/<int:person_id>/", views.child, name="child"),
    path("children/<int:person_id>/visit/", views.visit, name="visit"),
    path("children/<int:person_id>/chronology/", views.add_entry, name="add-entry"),
    path("chronology/<int:entry_id>/significant/", views.mark_significant, name="significant"),
    path("referrals/<int:referral_id>/assessment/", views.start_assessment,
         name="start-assessment"),
    path("referrals/<int:referral_id>/strategy-discussion/", views.strategy_discussion,
         name="strategy-discussion"),
    path("referrals/<int:referral_id>/cin-plan/", views.start_cin_plan, name="start-cin-plan"),
    path("referrals/<int:referral_id>/close/", views.close_referral, name="close-referral"),
    path("assessments/<int:assessment_id>/complete/", views.complete_assessment,
         name="complete-assessment"),
    path("assessments/<int:assessment_id>/authorise/", views.authorise_assessment,
         name="authorise-assessment"),
    path("enquiries/<int:enquiry_id>/outcome/", views.section_47_outcome, name="s47-outcome"),
    path("enquiries/<int:enquiry_id>/conference/", views.initial_conference, name="icpc"),
    path("cp-plans/<int:plan_id>/review/", views.review_conference, name="review"),
    path("cp-plans/<int:plan_id>/end/", views.end_cp_plan, name="end-cp-plan"),
    path("cin-plans/<int:plan_id>/end/", views.end_cin_plan, name="end-cin-plan"),
]
