"""The returns page: check a return's files against the DfE's rules, download the returns.

Uploaded files live in a temporary folder for the one request that checks them and are
gone when it ends; nothing of an upload is stored. An upload larger than the limit
(``CHILDRENMATTER_RETURNS_UPLOAD_LIMIT`` bytes, 200 MB unless set) is stopped as it
arrives: what came before the limit is dropped, the rest is read and thrown away (the
form's CSRF token and return kind come before the files, so the refusal can be shown).
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from datetime import date
from pathlib import Path

import polars as pl
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.files.uploadhandler import (
    FileUploadHandler,
    StopUpload,
    TemporaryFileUploadHandler,
)
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from childrenmatter.accounts.permissions import Permission, authorities_where
from childrenmatter.analysts.forms import CheckReturnForm
from childrenmatter.dataset.io import DatasetError, read_dataset
from childrenmatter.errors import UserError
from childrenmatter.people.access import log_download
from childrenmatter.returns import cin, ssda903
from childrenmatter.returns.findings import FIELDS, Finding
from childrenmatter.returns.findings import render as render_findings

UPLOAD_LIMIT = 200 * 1024 ** 2
# The page shows this many problems; the CSV download has every one.
SHOWN = 500
_REPORT_SALT = "childrenmatter.analysts.report"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")


def _limit() -> int:
    return int(getattr(settings, "CHILDRENMATTER_RETURNS_UPLOAD_LIMIT", UPLOAD_LIMIT))


class _LimitedUpload(FileUploadHandler):
    """Stops reading an upload once its files pass the limit, and says so on the request."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.upload_over_limit = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


def _authority(request: HttpRequest) -> str:
    """The authority the page is about: the one asked for, or the user's first."""
    codes = authorities_where(request.user, Permission.CHECK_RETURNS)
    asked = request.GET.get("authority") or request.POST.get("authority")
    if not codes:
        raise _Refused
    if asked:
        if asked not in codes:
            raise Http404("You do not check returns for that authority")
        return asked
    return codes[0]


class _Refused(Exception):
    pass


def _refused(request: HttpRequest) -> HttpResponse:
    return render(request, "analysts/refused.html", status=403)


@csrf_exempt
@login_required
@require_http_methods(["GET", "POST"])
def returns_page(request: HttpRequest) -> HttpResponse:
    # The upload's size is watched while it arrives, so the handlers are set before
    # anything reads the body, CSRF's check included (Django's documented pattern).
    if request.method == "POST":
        request.upload_over_limit = False
        request.upload_handlers = [_LimitedUpload(request, _limit()),
                                   TemporaryFileUploadHandler(request)]
    return _returns_page(request)


@csrf_protect
def _returns_page(request: HttpRequest) -> HttpResponse:
    try:
        la_code = _authority(request)
    except _Refused:
        return _refused(request)
    context = {"la_code": la_code, "authorities": authorities_where(
        request.user, Permission.CHECK_RETURNS), "limit": _limit()}
    years = _download_years(la_code)
    context.update(items_903=_year_items(years["years_903"], years["default_903"]),
                   items_cin=_year_items(years["years_cin"], years["default_cin"]))
    if request.method != "POST":
        context["form"] = CheckReturnForm(limit=_limit())
        context["upload_years"] = _upload_years(context["form"])
        return render(request, "analysts/returns.html", context)

    over = getattr(request, "upload_over_limit", False)
    form = CheckReturnForm(request.POST if not over else {"kind": request.POST.get("kind")},
                           request.FILES if not over else None, limit=_limit(),
                           over_limit=over)
    context["form"] = form
    context["upload_years"] = _upload_years(form)
    if not form.is_valid():
        return render(request, "analysts/returns.html", context, status=400)
    kind, year = form.cleaned_data["kind"], form.cleaned_data["year"]
    try:
        checked_year, findings = _check(kind, year, form.cleaned_data["uploads"])
    except UserError as error:
        form.add_error("files", f"The files cannot be read: {error}")
        return render(request, "analysts/returns.html", context, status=400)
    rows = sorted(findings, key=lambda f: (f.table, f.row or 0, f.rule, f.field or ""))
    context.update(
        checked={"kind": dict(form.fields["kind"].choices)[kind], "year": checked_year,
                 "count": len(rows), "files": [u.name for u in form.cleaned_data["uploads"]]},
        table=_findings_table(rows[:SHOWN]),
        shown=min(SHOWN, len(rows)),
        report=signing.dumps([[getattr(f, name) for name in FIELDS] for f in rows],
                             salt=_REPORT_SALT, compress=True),
    )
    return render(request, "analysts/returns.html", context)


def _check(kind: str, year: int | None, uploads: list
           ) -> tuple[int | None, list[Finding]]:
    """Validate the uploaded files in a temporary folder that is gone when this returns."""
    from childrenmatter.returns.annexa_read import validate_annex_a
    from childrenmatter.returns.validate903 import validate_903
    from childrenmatter.returns.validatecin import validate_cin

    with tempfile.TemporaryDirectory(prefix="childrenmatter-upload-") as folder:
        root = Path(folder)
        saved = []
        for upload in uploads:
            name = _SAFE_NAME.sub("_", Path(upload.name).name) or "upload"
            target = root / name
            if target.exists():
                raise UserError(f"{upload.name}: two files have this name")
            with target.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            saved.append(target)
        try:
            if kind == "903":
                return validate_903(root, year)
            if kind == "annex-a":
                # Annex A has no collection year: it lists the months before a day.
                return None, validate_annex_a(saved[0])
            return validate_cin(saved[0], year)
        except UserError as error:
            # Name the user's file, not the temporary folder it was checked in.
            raise UserError(str(error).replace(f"{root}/", "")) from None


def _year_items(years: list[int], chosen: int) -> list[dict]:
    return [{"value": str(y), "text": f"{y - 1} to {y}", "selected": y == chosen}
            for y in years]


def _upload_years(form: CheckReturnForm) -> list[dict]:
    chosen = str(form["year"].value() or "")
    return [{"value": value, "text": text, "selected": value == chosen}
            for value, text in form.fields["year"].choices]


def _findings_table(rows: list[Finding]) -> dict:
    headings = ("Rule", "Table", "Row", "Child", "Field", "Message")
    return {
        "caption": "Problems found",
        "captionClasses": "govuk-table__caption--m",
        "firstCellIsHeader": False,
        "head": [{"text": h} for h in headings],
        "rows": [[{"text": f.rule}, {"text": f.table},
                  {"text": "" if f.row is None else str(f.row), "format": "numeric"},
                  {"text": f.child_id or ""}, {"text": f.field or ""}, {"text": f.message}]
                 for f in rows],
    }


@login_required
@require_POST
def report_csv(request: HttpRequest) -> HttpResponse:
    """The report just shown, as CSV: it comes back signed from the page, so nothing of
    the upload had to be kept to offer it."""
    try:
        _authority(request)
    except _Refused:
        return _refused(request)
    try:
        rows = signing.loads(request.POST.get("report", ""), salt=_REPORT_SALT,
                             max_age=60 * 60)
    except signing.BadSignature:
        return HttpResponse("That report has expired: check the files again.", status=400,
                            content_type="text/plain; charset=utf-8")
    findings = [Finding(*row) for row in rows]
    body = render_findings(findings, "csv") + "\n"
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="validation-report.csv"'
    return response


def _download_years(la_code: str) -> dict:
    """The years each return can be downloaded for, and the one offered first: the latest
    collection year that has ended by the last day the dataset covers."""
    end = _dataset_end(la_code)
    ended = end.year if end is not None and end >= date(end.year, 3, 31) else (
        end.year - 1 if end is not None else ssda903.LAST_YEAR)

    def clip(first: int, last: int) -> int:
        return min(max(ended, first), last)

    return {
        "years_903": list(range(ssda903.LAST_YEAR, ssda903.FIRST_YEAR - 1, -1)),
        "years_cin": list(range(cin.LAST_YEAR, cin.FIRST_YEAR - 1, -1)),
        "default_903": clip(ssda903.FIRST_YEAR, ssda903.LAST_YEAR),
        "default_cin": clip(cin.FIRST_YEAR, cin.LAST_YEAR),
    }


def _dataset_end(la_code: str) -> date | None:
    try:
        authorities = read_dataset(settings.CHILDRENMATTER_DATASET, tables=["authorities"],
                                   validate=False)["authorities"]
    except (DatasetError, OSError):
        return None
    rows = authorities.filter(pl.col("la_code") == la_code)
    return rows["period_end"][0] if rows.height else None


def _year(request: HttpRequest, first: int, last: int, default: int) -> int:
    text = request.GET.get("year") or str(default)
    if not (text.isdigit() and first <= int(text) <= last):
        raise Http404(f"Returns can be downloaded for the years ending {first} to {last}")
    return int(text)


def _tables(names, la_code: str) -> dict[str, pl.DataFrame]:
    """The tables the return needs, for one authority only (read and checked alone)."""
    try:
        return read_dataset(settings.CHILDRENMATTER_DATASET, tables=names,
                            authorities=[la_code])
    except DatasetError as error:
        raise _NoDataset(str(error)) from None


def _download(request, body: bytes, *, content_type: str, filename: str, la_code: str,
              what: str, children: int) -> HttpResponse:
    """The file, with its download in the access log (who, what, how many children)."""
    log_download(request.user, la_code=la_code, what=what, children=children)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class _NoDataset(Exception):
    pass


@login_required
@require_GET
def download_903(request: HttpRequest) -> HttpResponse:
    """One year's SSDA903 CSV files for the user's authority, as a zip."""
    from childrenmatter.returns.commands import RETURN_903_TABLES

    try:
        la_code = _authority(request)
    except _Refused:
        return _refused(request)
    year = _year(request, ssda903.FIRST_YEAR, ssda903.LAST_YEAR,
                 _download_years(la_code)["default_903"])
    try:
        return_903 = ssda903.write_903(_tables(RETURN_903_TABLES, la_code), year,
                                       authority=la_code)
    except (_NoDataset, UserError) as error:
        return _no_return(request, error)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, frame in return_903.items():
            archive.writestr(ssda903.TABLE_903[name].file_name,
                             frame.write_csv(null_value=""))
    children = set()
    for frame in return_903.values():
        if "CHILD" in frame.columns:
            children.update(frame["CHILD"].drop_nulls().to_list())
    name = f"SSDA903-{la_code}-{year - 1}-{year % 100:02d}.zip"
    return _download(request, buffer.getvalue(), content_type="application/zip",
                     filename=name, la_code=la_code, what=f"return downloaded: {name}",
                     children=len(children))


@login_required
@require_GET
def download_cin(request: HttpRequest) -> HttpResponse:
    """The CIN census XML for a year, for the user's authority."""
    try:
        la_code = _authority(request)
    except _Refused:
        return _refused(request)
    year = _year(request, cin.FIRST_YEAR, cin.LAST_YEAR, _download_years(la_code)["default_cin"])
    try:
        xml = cin.write_cin(_tables(cin.CIN_TABLES, la_code), year, authority=la_code)
    except (_NoDataset, UserError) as error:
        return _no_return(request, error)
    name = f"CIN-{la_code}-{year - 1}-{year % 100:02d}.xml"
    return _download(request, xml, content_type="application/xml", filename=name,
                     la_code=la_code, what=f"return downloaded: {name}",
                     children=xml.count(b"<Child>"))


@login_required
@require_GET
def download_annex_a(request: HttpRequest) -> HttpResponse:
    """Ofsted's Annex A workbook at a date (default: the last day of the data), for the
    user's authority: what inspectors ask for on the first day."""
    from childrenmatter.returns.annexa import ANNEX_A_TABLES, annex_a_lists, workbook_bytes

    try:
        la_code = _authority(request)
    except _Refused:
        return _refused(request)
    try:
        at = _annex_a_date(request, la_code)
    except UserError as error:
        return render(request, "analysts/no_return.html", {"problem": str(error)}, status=400)
    try:
        lists = annex_a_lists(_tables(ANNEX_A_TABLES, la_code), at, authority=la_code)
        body = workbook_bytes(lists)
    except (_NoDataset, UserError) as error:
        return _no_return(request, error)
    children = set()
    for frame in lists.values():
        if "Child Unique ID" in frame.columns:
            children.update(frame["Child Unique ID"].drop_nulls().cast(pl.String).to_list())
    name = f"Annex-A-{la_code}-{at:%Y-%m-%d}.xlsx"
    return _download(
        request, body, filename=name, la_code=la_code, what=f"return downloaded: {name}",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        children=len(children))


def _annex_a_date(request: HttpRequest, la_code: str) -> date:
    text = request.GET.get("at", "").strip()
    if not text:
        return _dataset_end(la_code) or timezone.localdate()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"at: {text!r} is not a date written as YYYY-MM-DD, "
                        "as in 2025-03-31") from None


def _no_return(request: HttpRequest, error: Exception) -> HttpResponse:
    return render(request, "analysts/no_return.html", {"problem": str(error)}, status=503)
