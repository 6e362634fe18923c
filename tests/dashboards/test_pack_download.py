"""The monthly briefing pack from the dashboards: a month, a format and commentary typed
in the page, and the same pack as ``childrenmatter pack`` comes back as a download."""

from __future__ import annotations

import io
import re

import pytest
from dashboard_builders import MONTHS

PACK = "/dashboards/pack/"
LATEST = MONTHS[-1]  # 2018-11: the small dataset runs to 21 December 2018


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def analyst(client, make_staff):
    client.force_login(make_staff("performance_analyst"))
    return client


def test_the_form_offers_the_months_of_the_figures_and_a_box_per_area(hand_snapshot,
                                                                        analyst) -> None:
    page = text(analyst.get(PACK))
    assert "Monthly briefing pack" in page
    assert f'<option value="{LATEST}" selected>' in page  # the latest month first, chosen
    assert page.count("<option ") == len(MONTHS)
    for key in ("front_door", "children_in_care", "workforce"):
        assert f'<textarea class="govuk-textarea" id="commentary_{key}"' in page
    assert page.count("<textarea") == 7


def test_the_index_links_to_the_pack(hand_snapshot, analyst) -> None:
    assert 'href="/dashboards/pack/?authority=806"' in text(analyst.get("/dashboards/"))


def test_the_commentary_typed_is_in_the_pack_downloaded(hand_snapshot, analyst) -> None:
    response = analyst.post(PACK, {
        "month": LATEST, "format": "html",
        "commentary_front_door": "Contacts rose after the <school> holidays.\n\n- one\n- two",
        "commentary_workforce": "",
    })
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="briefing-pack-806-{LATEST}.html"')
    page = response.content.decode()
    assert "<p>Contacts rose after the &lt;school&gt; holidays.</p>" in page
    assert "<ul><li>one</li><li>two</li></ul>" in page
    assert "Middlesbrough" in page


def test_the_pdf_and_the_workbook_download(hand_snapshot, analyst) -> None:
    pdf = analyst.post(PACK, {"month": LATEST, "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    book = analyst.post(PACK, {"month": LATEST, "format": "xlsx"})
    assert book.content.startswith(b"PK")  # a zip: the workbook
    from openpyxl import load_workbook  # noqa: PLC0415 (only this test needs it)

    sheets = load_workbook(io.BytesIO(book.content)).sheetnames
    assert sheets[0] == "Summary" and "Front door" in sheets


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"month": "2030-01", "format": "pdf"}, "month",
     "Choose one of the months the figures cover"),
    ({"month": LATEST, "format": "doc"}, "format",
     "Choose a format for the pack: PDF, XLSX or HTML"),
    ({"month": LATEST, "format": "pdf", "commentary_assessment": "x" * 5001},
     "commentary_assessment", "Commentary for assessment must be 5,000 characters or fewer"),
])
def test_a_mistake_is_named_and_what_was_typed_is_kept(hand_snapshot, analyst, data, field,
                                                       message) -> None:
    data = {**data, "commentary_front_door": "Kept as typed"}
    response = analyst.post(PACK, data)
    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page and message in page
    assert f'href="#{field}"' in page
    assert "Kept as typed</textarea>" in page


def test_anyone_who_sees_the_figures_may_have_the_pack(hand_snapshot, client,
                                                     make_staff) -> None:
    # The pack names no child: an auditor (figures, no changes) may have it too. Who is
    # refused (partners, system administrators) is in tests/test_roles_and_pages.py.
    client.force_login(make_staff("auditor"))
    assert client.get(PACK).status_code == 200


def test_without_figures_the_page_says_so(no_snapshot, analyst) -> None:
    page = text(analyst.get(PACK))
    assert "No figures have been taken for the dashboards yet" in page
    assert "<form method=\"post\" action=\"/dashboards/pack/" not in page
