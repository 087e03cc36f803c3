"""The results template uploaded damaged, with formulas, a zone twice or unreadable 是/否: refused in the words of the
workbook (its rows and columns), nothing written, never a 500."""

from decimal import Decimal as D
from io import BytesIO

import pytest
from openpyxl import load_workbook

from evaluations.models import EvaluationResult
from evaluations.services import SubIndicatorSpec, scheme_define
from tests.evaluations.test_results_excel import upload
from tests.projects.test_upload_project_report_files import damaged_sheet


@pytest.fixture
def template(client_for, olga, plan):
    scheme_define(
        kind="provincial",
        year=2024,
        title="2024",
        sub_indicators=[
            SubIndicatorSpec(group="创新能力", code="innovation", name="研发", weight=D(60)),
            SubIndicatorSpec(group="绿色发展", code="green", name="亩均", weight=D(40)),
        ],
    )
    client = client_for(olga)
    content = client.get("/evaluations/provincial/2024/upload/").content
    return client, lambda: load_workbook(BytesIO(content))


def _send(client, content: bytes) -> str:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/evaluations/provincial/2024/upload/", {"file": SimpleUploadedFile("r.xlsx", content)}, follow=True
    )
    assert response.status_code == 200
    return response.content.decode()


def test_it_refuses_a_workbook_with_a_damaged_sheet_in_words(template):
    client, book = template
    filled = book()
    filled.worksheets[0].append(["lufeng", None, None, None, "是", 50, 75])
    out = BytesIO()
    filled.save(out)
    assert "文件已损坏或格式不受支持" in _send(client, damaged_sheet(out.getvalue()))
    assert not EvaluationResult.objects.exists()


def test_it_refuses_a_formula_naming_its_cell(template):
    client, book = template
    filled = book()
    filled.worksheets[0].append(["lufeng", None, None, None, "是", "=40+10", 75])
    page = upload(client, filled).content.decode()
    assert "单元格 F3 是公式，系统不读取公式" in page
    assert not EvaluationResult.objects.exists()


def test_it_names_a_zone_given_twice_by_its_excel_rows(template):
    client, book = template
    filled = book()
    filled.worksheets[0].append(["lufeng", None, None, None, "是", 50, 75])
    filled.worksheets[0].append(["LuFeng", None, None, None, "否", 60, 75])
    page = upload(client, filled).content.decode()
    assert "第4行“zone”：与第3行是同一开发区“LuFeng”，每个开发区只能填写一行。" in page
    assert "从0起计" not in page
    assert not EvaluationResult.objects.exists()


def test_it_asks_for_yes_or_no_in_the_templates_words(template):
    client, book = template
    filled = book()
    filled.worksheets[0].append(["lufeng", None, None, None, "Y", 50, 75])
    page = upload(client, filled).content.decode()
    assert "第3行“funding_awarded”：是否获省级资金补助请填写“是”或“否”。" in page
    assert "true" not in page
    assert not EvaluationResult.objects.exists()


def test_it_takes_a_template_filled_in_english_words(template):
    client, book = template
    filled = book()
    filled.worksheets[0].append(["lufeng", None, None, None, "Yes", 50, 75])
    filled.worksheets[0].append(["wuding", None, None, None, "no", 50, 75])
    assert "已导入：新增2个" in upload(client, filled).content.decode()
    assert EvaluationResult.objects.get(zone_code="lufeng").funding_awarded is True
    assert EvaluationResult.objects.get(zone_code="wuding").funding_awarded is False


def test_it_names_a_bad_score_by_its_column_key_not_the_import_field(template):
    client, book = template
    filled = book()
    filled.worksheets[0].append(["lufeng", None, None, None, "是", 50, "七十五"])
    page = upload(client, filled).content.decode()
    assert "第3行·green：得分必须是有效数字。" in page
    assert "sub_scores" not in page
    assert not EvaluationResult.objects.exists()
