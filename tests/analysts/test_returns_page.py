"""The analysts' returns page through Django's test client, persona by persona: check files
against the DfE's rules, download the report, download the returns made from the dataset."""

from __future__ import annotations

import csv
import html
import io
import tempfile
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def analyst(client, make_staff, small_dataset):
    client.force_login(make_staff("performance_analyst"))
    return client


def _files(folder: Path) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(p.name, p.read_bytes(), content_type="text/csv")
            for p in sorted(folder.glob("*.csv"))]


def _leftovers() -> list[str]:
    return [p.name for p in Path(tempfile.gettempdir()).glob("childrenmatter-upload-*")]


def test_the_page_offers_the_upload_and_the_downloads(analyst):
    response = analyst.get("/returns/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Check and download returns" in text
    assert 'enctype="multipart/form-data"' in text
    # The small dataset ends on 21 December 2018: the year ending 31 March 2018 is offered
    # first for the 903; the CIN census's first year we hold a schema for, 2024.
    assert '<option value="2018" selected>2017 to 2018</option>' in text
    assert '<option value="2024" selected>2023 to 2024</option>' in text
    assert '<a class="govuk-service-navigation__link" href="/returns/"' in text


def test_a_broken_903_shows_the_rule_the_row_and_the_child(analyst, broken_903):
    before = _leftovers()
    response = analyst.post("/returns/", {"kind": "903", "year": "2023",
                                          "files": _files(broken_903)})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Validation report" in text
    table = text[text.index("<table"):text.index("</table>")]
    row = [r for r in table.split("<tr") if ">146<" in r]
    assert len(row) == 1
    for cell in (">Episodes<", ">2<", ">C1<", ">PLACE<"):
        assert cell in row[0]
    # Nothing of the upload is kept once the page is made.
    assert _leftovers() == before

    # The report as CSV: the page hands back what it showed, signed.
    report = text.split('name="report" value="')[1].split('"')[0]
    download = analyst.post("/returns/report.csv", {"report": report})
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="validation-report.csv"'
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    assert {"rule": "146", "table": "Episodes", "row": "2", "child_id": "C1",
            "field": "PLACE"}.items() <= next(r for r in rows if r["rule"] == "146").items()
    # A report that was not made here is refused.
    assert analyst.post("/returns/report.csv", {"report": report[:-2] + "xx"}).status_code == 400


def test_a_clean_903_and_a_clean_census_have_no_problems(analyst, good_903, good_cin):
    response = analyst.post("/returns/", {"kind": "903", "year": "2023",
                                          "files": _files(good_903)})
    assert "No problems found" in response.content.decode()
    with good_cin.open("rb") as handle:
        response = analyst.post("/returns/", {"kind": "cin", "files": [handle]})
    text = response.content.decode()
    assert response.status_code == 200
    assert "CIN census: the XML file" in text and "2024 to 2025" in text


def test_a_file_that_cannot_be_read_gets_an_error_summary(analyst, good_903):
    bad = SimpleUploadedFile("Episodes.csv", b"CHILD,WHAT\nC1,x\n", content_type="text/csv")
    response = analyst.post("/returns/", {"kind": "903", "files": [bad]})
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text
    assert "The files cannot be read: Episodes.csv: line 1: the columns (CHILD, WHAT)" in text
    assert "childrenmatter-upload-" not in text


def test_a_hostile_census_is_refused(analyst):
    bomb = (b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Message>&b;</Message>')
    response = analyst.post("/returns/", {
        "kind": "cin", "files": [SimpleUploadedFile("census.xml", bomb)]})
    assert response.status_code == 400
    assert "The files cannot be read: census.xml" in response.content.decode()


@pytest.mark.parametrize(("data", "message"), [
    ({"kind": "903"}, "Select the files to check"),
    ({}, "Select which return the files are"),
    ({"kind": "903", "files": [SimpleUploadedFile("census.xml", b"<x/>")]},
     "census.xml is not a CSV file"),
    ({"kind": "cin", "files": [SimpleUploadedFile("a.xml", b"<x/>"),
                               SimpleUploadedFile("b.xml", b"<x/>")]},
     "Select one file: the CIN census is a single XML file"),
])
def test_what_is_missing_or_wrong_is_named(analyst, data, message):
    response = analyst.post("/returns/", data)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_an_upload_over_the_limit_is_stopped(analyst, settings):
    settings.CHILDRENMATTER_RETURNS_UPLOAD_LIMIT = 4096
    before = _leftovers()
    big = SimpleUploadedFile("Episodes.csv", b"CHILD\n" + b"C1\n" * 10_000)
    response = analyst.post("/returns/", {"kind": "903", "files": [big]})
    assert response.status_code == 400
    assert "The files must be smaller than 4 KB in all" in response.content.decode()
    assert _leftovers() == before


@pytest.mark.parametrize("role", ["performance_analyst", "team_manager", "head_of_service",
                                  "auditor"])
def test_who_may_download_the_returns_gets_their_authority_s(client, make_staff, small_dataset,
                                                             role):
    client.force_login(make_staff(role))
    response = client.get("/returns/903.zip", {"year": "2018"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="SSDA903-806-2017-18.zip"')
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = set(archive.namelist())
        episodes = archive.read("Episodes.csv").decode()
    assert {"Header.csv", "Episodes.csv"} <= names
    # Middlesbrough's children looked after in 2017-18 (B, from May 2017); not Hartlepool's.
    assert [line.split(",")[0] for line in episodes.splitlines()[1:]] == ["B"]

    response = client.get("/returns/cin.xml", {"year": "2025"})
    assert response.status_code == 200
    assert response.content.startswith(b"<?xml")
    assert b"<LEA>806</LEA>" in response.content


@pytest.mark.parametrize("role", ["social_worker", "front_door_practitioner", "partner",
                                  "system_administrator"])
def test_others_are_refused(client, make_staff, small_dataset, role):
    from childrenmatter.accounts.models import PartnerOrganisation

    extra = {}
    if role == "partner":
        extra["partner_organisation"] = PartnerOrganisation.objects.create(
            name="Acklam Primary", kind="school", la_code="806")
    client.force_login(make_staff(role, **extra))
    for path in ("/returns/", "/returns/903.zip", "/returns/cin.xml", "/returns/annex-a.xlsx"):
        assert client.get(path).status_code == 403, path
    assert client.post("/returns/report.csv", {}).status_code == 403
    assert 'href="/returns/"' not in client.get("/people/").content.decode()


def test_an_analyst_gets_only_their_own_authority(client, make_staff, small_dataset):
    client.force_login(make_staff("performance_analyst", la_code="805"))
    assert client.get("/returns/903.zip", {"authority": "806"}).status_code == 404
    response = client.get("/returns/903.zip", {"year": "2018"})
    assert response["Content-Disposition"] == 'attachment; filename="SSDA903-805-2017-18.zip"'
    assert client.get("/returns/cin.xml", {"year": "2023"}).status_code == 404


def test_an_annex_a_workbook_is_checked(analyst, good_annex_a):
    response = analyst.post("/returns/", {"kind": "annex-a", "files": [
        SimpleUploadedFile("annex-a.xlsx", good_annex_a)]})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Ofsted Annex A: the workbook" in text and "Not for a collection year" in text
    assert "No problems found" in text

    response = analyst.post("/returns/", {"kind": "annex-a", "files": [
        SimpleUploadedFile("annex-a.xlsx", b"not a workbook at all")]})
    assert response.status_code == 400
    assert "The files cannot be read: annex-a.xlsx" in response.content.decode()


def test_annex_a_downloads_for_the_day_chosen_and_every_download_is_in_the_access_log(
    client, make_staff, small_dataset
):
    import openpyxl

    from childrenmatter.accounts.models import AccessLog

    analyst = make_staff("performance_analyst")
    client.force_login(analyst)
    response = client.get("/returns/annex-a.xlsx", {"at": "2025-03-31"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="Annex-A-806-2025-03-31.xlsx"')
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames[0] == "List 1" and "List 11" in workbook.sheetnames
    client.get("/returns/903.zip", {"year": "2018"})
    client.get("/returns/cin.xml", {"year": "2025"})
    logged = {entry.what: entry for entry in AccessLog.objects.filter(user=analyst)}
    assert set(logged) == {"return downloaded: Annex-A-806-2025-03-31.xlsx",
                           "return downloaded: SSDA903-806-2017-18.zip",
                           "return downloaded: CIN-806-2024-25.xml"}
    assert logged["return downloaded: SSDA903-806-2017-18.zip"].children == 1  # child B
    assert all(entry.la_code == "806" and entry.person is None for entry in logged.values())
    assert all(entry.children >= 1 for entry in logged.values())
    # the access log page and its CSV show them, with how many children each file names
    auditor = make_staff("auditor")
    client.force_login(auditor)
    assert "Download naming 1 children (806)" in client.get("/access-log/").content.decode()
    rows = list(csv.DictReader(io.StringIO(b"".join(
        client.get("/access-log.csv").streaming_content).decode())))
    assert {row["children"] for row in rows if row["what"].startswith("return downloaded")} >= {"1"}


def test_annex_a_at_a_day_that_is_not_a_date_is_refused_naming_it(client, make_staff,
                                                                 small_dataset):
    from childrenmatter.accounts.models import AccessLog

    client.force_login(make_staff("performance_analyst"))
    response = client.get("/returns/annex-a.xlsx", {"at": "31/03/2025"})
    assert response.status_code == 400
    assert "at: '31/03/2025' is not a date written as YYYY-MM-DD" in html.unescape(
        response.content.decode())
    assert not AccessLog.objects.exists()  # nothing left the service
