"""The final evaluation page and its .docx and .xlsx downloads: the prefecture office only.

Other roles get a 403 page with the reason; before the plan's last year has ended the page says when the
evaluation opens and the downloads answer 404.
"""

from urllib.parse import quote

from django.http import Http404, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chuxiong_portal import pagecache
from chuxiong_portal.security import role_required
from chuxiong_portal.views import render_forbidden

from .documents import DOCX_TYPE, XLSX_TYPE, evaluation_docx, evaluation_xlsx, filename
from .plans import plan_for_evaluation, plan_has_ended
from .present import heading, sections
from .selectors import evaluation_build

# The downloads read in the plan's language, whatever the reader's UI language.
PLAN_LANGUAGE = "zh-hans"


def _forbidden(request):
    return render_forbidden(request, _("终期评估仅供州开发区办查阅。"))


@role_required
def evaluation_page(request, code: str):
    plan = plan_for_evaluation(code)
    if not request.user.is_office:
        return _forbidden(request)
    today = timezone.localdate()
    context = {"plan": plan, "open": plan_has_ended(plan, today=today)}
    body = b""
    if context["open"]:

        def build():
            ev = evaluation_build(plan=plan, today=today)
            return {"ev": ev, "head": heading(ev), "sections": sections(ev), "plan": plan}

        body = pagecache.cached_body("evaluation", (plan.code, today), "closeout/evaluation_body.html", build)
    return pagecache.render_page(request, "closeout/evaluation.html", context, body)


def _download(request, code: str, *, kind: str, draw, content_type: str, extension: str):
    plan = plan_for_evaluation(code)
    if not request.user.is_office:
        return _forbidden(request)
    today = timezone.localdate()
    if not plan_has_ended(plan, today=today):
        raise Http404("the plan has not ended")

    def build():
        with translation.override(PLAN_LANGUAGE):
            ev = evaluation_build(plan=plan, today=today)
            return draw(ev), filename(ev, extension)

    content, name = pagecache.cached(kind, (plan.code, today, PLAN_LANGUAGE), build)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f"attachment; filename=\"evaluation-{plan.code}.{extension}\"; filename*=UTF-8''{quote(name)}"
    )
    return response


@role_required
def evaluation_docx_view(request, code: str):
    return _download(
        request, code, kind="evaluation-docx", draw=evaluation_docx, content_type=DOCX_TYPE, extension="docx"
    )


@role_required
def evaluation_xlsx_view(request, code: str):
    return _download(
        request, code, kind="evaluation-xlsx", draw=evaluation_xlsx, content_type=XLSX_TYPE, extension="xlsx"
    )
