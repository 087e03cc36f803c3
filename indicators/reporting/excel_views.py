"""Download a report as a pre-filled Excel workbook, and upload it back.

GET gives the workbook to anyone who may view the report; POST (`file`, `version`, optional
`action=submit`) is for those who may edit it. An upload never ends in a server error and a refused
file writes nothing. A file refused for its content answers post/redirect/get: the problems are kept in
the session for the next view of the report page (``report_detail`` shows them under the upload form) and
the browser is sent there, so a refresh shows the page again instead of posting the file a second time.
Someone who may not edit the report gets the page with a 403, as the report form answers.
"""

import logging
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from indicators import selectors

from . import permissions
from .services import excel
from .views import EXCEL_ERRORS, _report_context

logger = logging.getLogger(__name__)

MAX_MESSAGES = 50


@login_required
def report_excel(request, pk: int):
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    if request.method in ("GET", "HEAD"):
        return _download(report)
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    if not permissions.can_edit(request.user, report):
        return _refused(request, report, [excel.row_error(excel.edit_refusal(request.user, report))], status=403)

    upload = request.FILES.get("file")
    if upload is None:
        return _refused(request, report, [excel.row_error(_("请选择要上传的Excel文件（.xlsx）。"))])
    try:
        version = int(request.POST.get("version", ""))
    except (TypeError, ValueError):
        return _refused(request, report, [excel.row_error(_("页面已过期，请刷新页面后重新上传。"))])
    submit = request.POST.get("action") == "submit"

    try:
        content = excel.upload_content(upload)
        result = excel.report_import(report=report, user=request.user, content=content, version=version, submit=submit)
    except excel.ExcelImportError as error:
        return _refused(request, report, error.errors, summary=error.message)
    except Exception:
        logger.exception("Excel upload for report %s failed", report.pk)
        return _refused(
            request,
            report,
            [excel.row_error(_("文件处理失败，没有写入任何数据。请检查文件后重试，如仍有问题请联系州开发区办。"))],
        )
    if result.submitted:
        messages.success(
            request, _("已从Excel导入并提交，等待审核（更新%(count)s项指标数据）。") % {"count": result.changed}
        )
    else:
        messages.success(
            request, _("已从Excel导入，草稿已保存（更新%(count)s项指标数据）。") % {"count": result.changed}
        )
    return redirect(report.get_absolute_url())


def _download(report) -> HttpResponse:
    response = HttpResponse(excel.report_workbook(report), content_type=excel.XLSX_CONTENT_TYPE)
    name = excel.workbook_filename(report)
    response["Content-Disposition"] = (
        f"attachment; filename=\"report-{report.pk}.xlsx\"; filename*=UTF-8''{quote(name, safe='')}"
    )
    response["Cache-Control"] = "no-store"
    return response


def _refused(request, report, errors: list[dict], *, summary: str | None = None, status: int = 400):
    messages.error(request, summary or _("上传未成功，没有写入任何数据。"))
    kept = {
        "lines": [excel.error_text(error) for error in errors[:MAX_MESSAGES]],
        "more": max(len(errors) - MAX_MESSAGES, 0),
    }
    if status == 400:
        request.session[EXCEL_ERRORS % report.pk] = kept
        return redirect(report.get_absolute_url())
    for line in kept["lines"]:  # no upload form on the page of someone who may not edit: said in the banner
        messages.error(request, line)
    return render(request, "indicators/report_detail.html", _report_context(request, report), status=status)
