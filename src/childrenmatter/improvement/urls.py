from django.urls import path, re_path

from childrenmatter.improvement import views

app_name = "improvement"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new_plan, name="new"),
    path("plans/<int:plan_id>/", views.plan_page, name="plan"),
    path("plans/<int:plan_id>/themes/new/", views.add_theme, name="add-theme"),
    path("plans/<int:plan_id>/actions/new/", views.add_action, name="add-action"),
    path("plans/<int:plan_id>/actions/<int:action_id>/", views.action_page, name="action"),
    path("plans/<int:plan_id>/actions/<int:action_id>/review/", views.change_action,
         name="change-action"),
    path("plans/<int:plan_id>/actions/<int:action_id>/evidence/", views.add_evidence,
         name="add-evidence"),
    path("plans/<int:plan_id>/actions/<int:action_id>/evidence/<int:evidence_id>/",
         views.evidence_file, name="evidence-file"),
    path("plans/<int:plan_id>/milestones/new/", views.add_milestone, name="add-milestone"),
    path("plans/<int:plan_id>/milestones/<int:milestone_id>/", views.change_milestone,
         name="change-milestone"),
    path("plans/<int:plan_id>/risks/new/", views.add_risk, name="add-risk"),
    path("plans/<int:plan_id>/risks/<int:risk_id>/", views.change_risk, name="change-risk"),
    path("plans/<int:plan_id>/updates/new/", views.add_update, name="add-update"),
    path("plans/<int:plan_id>/compare/", views.compare_page, name="compare"),
    path("plans/<int:plan_id>/board/", views.board_page, name="board"),
    re_path(r"^plans/(?P<plan_id>[0-9]+)/board\.(?P<format>pdf|xlsx)$", views.board_export,
            name="board-export"),
    path("plans/<int:plan_id>/board/date/", views.board_date, name="board-date"),
    path("questions/", views.questions, name="questions"),
    path("questions/new/", views.new_question, name="new-question"),
    path("questions/<int:question_id>/", views.question_page, name="question"),
    path("questions.pdf", views.questions_export, {"format": "pdf"}, name="questions-pdf"),
    path("questions.xlsx", views.questions_export, {"format": "xlsx"}, name="questions-xlsx"),
]
