"""The improvement pages through the test client: errors on the fields they name, a stale
review refused with what was typed kept, evidence uploaded and downloaded, the exports."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from childrenmatter.improvement import actions
from childrenmatter.improvement.models import Action
from improvement.improvement_builders import make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(make_staff):
    return make_staff("team_manager")


def _review_data(action, **changes) -> dict:
    data = {"version": action.version, "owner": action.owner, "status": action.status,
            "rag": action.rag, "rag_reason": action.rag_reason,
            "due_on_day": action.due_on.day, "due_on_month": action.due_on.month,
            "due_on_year": action.due_on.year, "indicator": "", "why": ""}
    data.update(changes)
    return data


def test_a_red_rating_without_a_new_reason_is_shown_on_the_reason(client, manager):
    plan, _, action, _ = make_plan(manager)
    client.force_login(manager)
    url = f"/improvement/plans/{plan.pk}/actions/{action.pk}/review/"
    response = client.post(url, _review_data(action, rag="red"))
    text = response.content.decode()
    assert response.status_code == 200
    assert 'href="#rag_reason"' in text and "a new rating needs a new reason" in text
    assert Action.objects.get(pk=action.pk).rag == "green"


def test_a_stale_review_is_refused_and_what_was_typed_is_kept(client, manager):
    plan, _, action, _ = make_plan(manager)
    opened_version = action.version
    actions.change_action(actor=manager, action=action, expected_version=action.version,
                          owner=action.owner, status="open", rag="amber",
                          rag_reason="Someone else's view", due_on=action.due_on)
    client.force_login(manager)
    response = client.post(
        f"/improvement/plans/{plan.pk}/actions/{action.pk}/review/",
        _review_data(action, version=opened_version, rag="red",
                     rag_reason="My typed reason"))
    text = response.content.decode()
    assert "changed by someone else" in text
    assert "My typed reason" in text
    assert Action.objects.get(pk=action.pk).rag == "amber"


def test_evidence_is_uploaded_and_downloaded_by_those_who_may_see_the_plan(
    client, manager, make_staff, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    plan, _, action, _ = make_plan(manager)
    client.force_login(manager)
    upload = SimpleUploadedFile("contacts audit.csv", b"contact,decided\nK1,yes\n")
    response = client.post(f"/improvement/plans/{plan.pk}/actions/{action.pk}/evidence/",
                           {"note": "Dip sample of 20 contacts", "file": upload})
    assert response.status_code == 302
    page = client.get(f"/improvement/plans/{plan.pk}/actions/{action.pk}/").content.decode()
    assert "Dip sample of 20 contacts" in page and "contacts audit.csv" in page
    evidence = action.evidence.get()
    download = client.get(
        f"/improvement/plans/{plan.pk}/actions/{action.pk}/evidence/{evidence.pk}/")
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == b"contact,decided\nK1,yes\n"
    client.force_login(make_staff("team_manager", la_code="805"))
    assert client.get(
        f"/improvement/plans/{plan.pk}/actions/{action.pk}/evidence/{evidence.pk}/"
    ).status_code == 404


def _board_plan(manager):
    plan, _, action, _ = make_plan(manager)  # its milestone was due on 15 January 2026
    actions.add_risk(actor=manager, plan=plan, title="Agency staff leave", likelihood=4,
                     impact=4, mitigation="Retention payment")
    actions.add_risk(actor=manager, plan=plan, title="A low risk", likelihood=2, impact=2)
    actions.change_action(actor=manager, action=action, expected_version=action.version,
                          owner=action.owner, status="open", rag="red",
                          rag_reason="Agency staff left", due_on=action.due_on)
    return plan


def test_the_board_shows_overdue_milestones_red_actions_and_what_changed(client, manager):
    plan = _board_plan(manager)
    client.force_login(manager)
    text = client.get(f"/improvement/plans/{plan.pk}/board/").content.decode()
    overdue = text.split('id="overdue-milestones"')[1].split("</table>")[0]
    assert "Rota agreed" in overdue
    red = text.split('id="red-actions"')[1].split("</table>")[0]
    assert "Decide every contact within a day" in red and "Agency staff left" in red
    assert "RAG green to red" in text.split('id="changes"')[1]
    risks = text.split('id="high-risks"')[1].split("</table>")[0]
    assert "Agency staff leave" in risks and "A low risk" not in risks


def test_the_board_exports_as_excel_and_pdf(client, manager):
    plan = _board_plan(manager)
    client.force_login(manager)
    book = openpyxl.load_workbook(io.BytesIO(
        client.get(f"/improvement/plans/{plan.pk}/board.xlsx").content))
    red = [row for row in book["Red and amber"].iter_rows(min_row=4, values_only=True)]
    assert red[0][:3] == ("Red", "The front door", "Decide every contact within a day")
    overdue = list(book["Overdue milestones"].iter_rows(min_row=4, values_only=True))
    assert overdue[0][0] == "Rota agreed"
    risks = list(book["High risks"].iter_rows(min_row=4, values_only=True))
    assert [(row[0], row[4]) for row in risks] == [("Agency staff leave", 16)]
    assert book.sheetnames == ["Red and amber", "Overdue milestones", "High risks", "Changes",
                               "Weekly updates"]
    pdf = client.get(f"/improvement/plans/{plan.pk}/board.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    words = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Agency staff left" in words and "Rota agreed" in words


def test_the_questions_export_is_the_member_briefing_table(client, manager):
    today = timezone.localdate()
    asked = today - dt.timedelta(days=20)
    for member, due, answer in (("Councillor A Jones", today - dt.timedelta(days=5), None),
                                ("Councillor B Khan", today + dt.timedelta(days=5),
                                 "Eleven children")):
        question = actions.record_question(
            actor=manager, la_code="806", member=member, asked_on=asked,
            meeting="Lead member briefing", question=f"A question from {member}",
            answerer="Head of service", due_on=due)
        if answer:
            actions.answer_question(actor=manager, question=question,
                                    expected_version=question.version, response=answer,
                                    answered_on=today)
    client.force_login(manager)
    book = openpyxl.load_workbook(io.BytesIO(client.get("/improvement/questions.xlsx").content))
    sheet = book["Member briefing"]
    assert [cell.value for cell in sheet[3]] == ["Member", "Question", "Response", "Due date"]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert rows[0][0].startswith("Councillor A Jones")
    assert rows[0][2] == "Overdue: no response yet"
    assert rows[1][2].startswith("Eleven children")
    pdf = client.get("/improvement/questions.pdf").content
    words = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Councillor B Khan" in words and "Overdue: no response yet" in words


def test_an_auditor_reads_a_question_but_may_not_answer_it(client, manager, make_staff):
    question = actions.record_question(
        actor=manager, la_code="806", member="Councillor A", asked_on=timezone.localdate(),
        meeting="Scrutiny", question="Why?", answerer="DCS", due_on=timezone.localdate())
    client.force_login(make_staff("auditor"))
    page = client.get(f"/improvement/questions/{question.pk}/")
    assert page.status_code == 200 and "Save the response" not in page.content.decode()
    assert client.post(f"/improvement/questions/{question.pk}/",
                       {"response": "x"}).status_code == 403


def _days_ago(plan, days: int):
    from django.db.models import F

    from childrenmatter.improvement.models import Milestone, Plan

    back = dt.timedelta(days=days)
    Plan.objects.filter(pk=plan.pk).update(created_at=F("created_at") - back)
    for model in (Action, Milestone):
        model.history.filter(plan_id=plan.pk).update(history_date=F("history_date") - back)
    return Plan.objects.get(pk=plan.pk)


def test_the_board_shows_only_what_changed_since_the_board_date_recorded(client, manager):
    plan, _, action, _ = make_plan(manager)
    plan = _days_ago(plan, 5)
    action = actions.change_action(actor=manager, action=action,
                                   expected_version=action.version, owner=action.owner,
                                   status="open", rag="red", rag_reason="Before the board",
                                   due_on=action.due_on)
    plan = _days_ago(plan, 3)  # the red rating: three days ago; the plan: eight
    client.force_login(manager)
    board_on = timezone.localdate() - dt.timedelta(days=2)
    response = client.post(f"/improvement/plans/{plan.pk}/board/date/", {
        "version": plan.version, "board_on_day": board_on.day,
        "board_on_month": board_on.month, "board_on_year": board_on.year})
    assert response.status_code == 302
    action = Action.objects.get(pk=action.pk)
    actions.change_action(actor=manager, action=action, expected_version=action.version,
                          owner=action.owner, status="open", rag="red",
                          rag_reason="After the board", due_on=dt.date(2027, 4, 30),
                          why="Recruitment")
    text = client.get(f"/improvement/plans/{plan.pk}/board/").content.decode()
    changes = text.split('id="changes"')[1]
    assert "Slipped from 31 March 2027 to 30 April 2027" in changes
    assert "RAG green to red" not in changes
    future = timezone.localdate() + dt.timedelta(days=1)
    refused = client.post(f"/improvement/plans/{plan.pk}/board/date/", {
        "version": plan.version + 1, "board_on_day": future.day,
        "board_on_month": future.month, "board_on_year": future.year})
    assert "must be today or in the past" in refused.content.decode()


def test_another_authority_s_staff_see_none_of_its_plans_or_questions(client, manager,
                                                                      make_staff):
    make_plan(manager)
    actions.record_question(actor=manager, la_code="806", member="Councillor A Jones",
                            asked_on=timezone.localdate(), meeting="Scrutiny",
                            question="Why?", answerer="DCS", due_on=timezone.localdate())
    client.force_login(make_staff("head_of_service", la_code="805"))
    assert "Immediate assurance plan" not in client.get("/improvement/").content.decode()
    assert "Councillor A Jones" not in client.get("/improvement/questions/").content.decode()
    book = openpyxl.load_workbook(io.BytesIO(client.get("/improvement/questions.xlsx").content))
    assert list(book["Member briefing"].iter_rows(min_row=4, values_only=True)) == []
