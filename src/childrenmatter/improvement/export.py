"""The board pack and the member briefing response table, as PDF (WeasyPrint, as the
briefing pack does: ``insight/pack_render.py``) and Excel (XlsxWriter)."""

from __future__ import annotations

import datetime as dt
import io
import logging

from django.template.loader import render_to_string

from childrenmatter.improvement.models import Question
from childrenmatter.improvement.queries import Board
from childrenmatter.web.govuk import long_date

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
QUESTION_COLUMNS = ("Member", "Question", "Response", "Due date")


def _pdf(html: str) -> bytes:
    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    return weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)


def board_html(board: Board) -> str:
    return render_to_string("improvement/print_board.html", {
        "board": board, "plan": board.plan, "long_date": long_date,
    })


def board_pdf(board: Board) -> bytes:
    return _pdf(board_html(board))


def board_xlsx(board: Board) -> bytes:
    import xlsxwriter

    plan = board.plan
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({"title": f"{plan.title}: board view",
                         "comments": "Made by Children Matter"})
    bold = book.add_format({"bold": True})
    heading = book.add_format({"bold": True, "font_size": 14})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    day = book.add_format({"num_format": "d mmm yyyy", "valign": "top"})

    def sheet(name: str, title: str, header: tuple[str, ...], rows, widths):
        page = book.add_worksheet(name)
        page.write(0, 0, title, heading)
        page.write_row(2, 0, header, bold)
        for number, row in enumerate(rows, start=3):
            for column, value in enumerate(row):
                if isinstance(value, dt.date):
                    page.write_datetime(number, column,
                                        dt.datetime.combine(value, dt.time.min), day)
                else:
                    page.write(number, column, value, wrap)
        for column, width in enumerate(widths):
            page.set_column(column, column, width)
        page.freeze_panes(3, 0)

    actions = [("Red", a) for a in board.red_actions] + [("Amber", a) for a in board.amber_actions]
    sheet("Red and amber", f"{plan.title}: red and amber actions at {long_date(board.today)}",
          ("RAG", "Theme", "Action", "Owner", "Due date", "Reason for the rating"),
          [(rag, board.themes.get(a.theme_id, ""), a.title, a.owner, a.due_on, a.rag_reason)
           for rag, a in actions], (8, 28, 50, 24, 14, 60))
    sheet("Overdue milestones", f"{plan.title}: milestones overdue at {long_date(board.today)}",
          ("Milestone", "Action", "Due date", "Days overdue"),
          [(m.title, m.action.title if m.action else "", m.due_on, (board.today - m.due_on).days)
           for m in board.overdue_milestones], (50, 50, 14, 14))
    sheet("High risks", f"{plan.title}: risks scored 15 or more at {long_date(board.today)}",
          ("Risk", "Owner", "Likelihood", "Impact", "Score", "Mitigation"),
          [(r.title, r.owner, r.likelihood, r.impact, r.score, r.mitigation)
           for r in board.high_risks], (50, 24, 12, 12, 10, 60))
    sheet("Changes", f"{plan.title}: what changed since {long_date(board.since)}",
          ("Kind", "Theme", "Title", "What changed"),
          [(row.kind, board.themes.get(row.theme_id, ""), row.title, "; ".join(row.changes))
           for row in board.changes], (12, 28, 50, 70))
    sheet("Weekly updates", f"{plan.title}: weekly updates since {long_date(board.since)}",
          ("Week beginning", "Update"),
          [(update.week_of, update.summary) for update in board.updates], (16, 100))
    book.close()
    return buffer.getvalue()


def _response(question: Question, today: dt.date) -> str:
    if question.response:
        late = " (given late)" if question.answered_late else ""
        return f"{question.response}\n\nGiven {long_date(question.answered_on)}{late}"
    return "Overdue: no response yet" if question.overdue_on(today) else "Response awaited"


def questions_html(questions: list[Question], today: dt.date) -> str:
    return render_to_string("improvement/print_questions.html", {
        "questions": [(q, _response(q, today)) for q in questions], "today": today,
        "long_date": long_date, "columns": QUESTION_COLUMNS,
    })


def questions_pdf(questions: list[Question], today: dt.date) -> bytes:
    return _pdf(questions_html(questions, today))


def questions_xlsx(questions: list[Question], today: dt.date) -> bytes:
    """The member briefing response table: member, question, response, due date."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({"title": "Members' questions: responses",
                         "comments": "Made by Children Matter"})
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1})
    wrap = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
    day = book.add_format({"num_format": "d mmm yyyy", "valign": "top", "border": 1})
    page = book.add_worksheet("Member briefing")
    page.write(0, 0, f"Members' questions: responses at {long_date(today)}",
               book.add_format({"bold": True, "font_size": 14}))
    page.write_row(2, 0, QUESTION_COLUMNS, bold)
    for number, question in enumerate(questions, start=3):
        member = f"{question.member}\n{question.meeting}, {long_date(question.asked_on)}"
        page.write(number, 0, member, wrap)
        page.write(number, 1, question.question, wrap)
        page.write(number, 2, _response(question, today), wrap)
        page.write_datetime(number, 3, dt.datetime.combine(question.due_on, dt.time.min), day)
    page.set_column(0, 0, 28)
    page.set_column(1, 2, 60)
    page.set_column(3, 3, 14)
    page.freeze_panes(3, 0)
    book.close()
    return buffer.getvalue()
