"""The office's Excel route for a year's provincial results: the template out, filled, back in; all or nothing."""

from decimal import Decimal as D
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from evaluations.models import EvaluationResult
from evaluations.services import SubIndicatorSpec, scheme_define


def upload(client, book):
    out = BytesIO()
    book.save(out)
    return client.post(
        "/evaluations/provincial/2024/upload/", {"file": SimpleUploadedFile("r.xlsx", out.getvalue())}, follow=True
    )


def test_the_office_fills_the_template_and_uploads_it(client_for, olga, plan):
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
    book = load_workbook(BytesIO(client.get("/evaluations/provincial/2024/upload/").content))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == [
        "zone",
        "zone_name",
        "total",
        "rank",
        "funding_awarded",
        "innovation",
        "green",
    ]
    sheet.append(["lufeng", None, None, 2, "是", 50, 75])
    sheet.append(["yn-a", "省内甲开发区", "90", None, None, 90, 90])
    page = upload(client, book).content.decode()
    assert "新增2个" in page
    lufeng = EvaluationResult.objects.get(zone_code="lufeng")
    assert (lufeng.total, lufeng.rank, lufeng.funding_awarded) == (D("60.00"), 2, True)  # 30 + 30

    sheet.append(["yn-b", None, None, None, None, 10, 10])  # outside the prefecture without a name
    sheet.append(["yn-c", "丙", None, None, None, 120, 10])
    refused = upload(client, book).content.decode()
    assert "第5行·zone_name" in refused and "第6行·innovation" in refused  # the column, as row 1 names it
    assert EvaluationResult.objects.count() == 2


def test_a_file_that_is_not_a_workbook_is_refused_with_a_message(client_for, olga, plan):
    scheme_define(
        kind="provincial",
        year=2024,
        title="2024",
        sub_indicators=[SubIndicatorSpec(group="创新能力", code="innovation", name="研发", weight=D(100))],
    )
    page = (
        client_for(olga)
        .post(
            "/evaluations/provincial/2024/upload/",
            {"file": SimpleUploadedFile("r.xlsx", b"not a workbook")},
            follow=True,
        )
        .content.decode()
    )
    assert "不是有效的Excel工作簿" in page
    assert not EvaluationResult.objects.exists()


def test_a_file_over_the_limit_is_refused_by_its_size_before_it_is_read(client_for, olga, plan, monkeypatch):
    """The upload was read whole into memory before the 5 MB check; it is refused by its size first, as the dispatch
    reports' and the projects' uploads are, and nothing reaches the import."""
    from evaluations import views
    from indicators.reporting.services.excel import MAX_UPLOAD_BYTES

    scheme_define(
        kind="provincial",
        year=2024,
        title="2024",
        sub_indicators=[SubIndicatorSpec(group="创新能力", code="innovation", name="研发", weight=D(100))],
    )
    imported = []
    monkeypatch.setattr(views, "results_upload", lambda **kwargs: imported.append(len(kwargs["content"])))
    big = SimpleUploadedFile("r.xlsx", b"PK" + b"\0" * (MAX_UPLOAD_BYTES + 1024 * 1024))

    page = client_for(olga).post("/evaluations/provincial/2024/upload/", {"file": big}, follow=True).content.decode()

    assert "文件过大（6.0 MB），不能超过5 MB" in page
    assert imported == []
    assert not EvaluationResult.objects.exists()


def test_a_template_downloaded_before_a_change_does_not_overwrite_it(client_for, olga, plan):
    """The template carries, on a hidden sheet, each result it holds as it was downloaded (`result_seen`): uploaded
    after someone else changed one of them, or entered a zone it did not hold, it is refused in words and nothing
    is written; downloaded again, it is taken."""
    from evaluations.services import results_import

    scheme_define(
        kind="provincial",
        year=2024,
        title="2024",
        sub_indicators=[SubIndicatorSpec(group="创新能力", code="innovation", name="研发", weight=D(100))],
    )

    def entered(zone: str, score: int, **extra) -> None:
        row = {
            "scheme": "provincial",
            "year": 2024,
            "zone": zone,
            "sub_scores": [{"indicator": "innovation", "score": score}],
        }
        assert not results_import(rows=[{**row, **extra}], user=olga).errors

    def template():
        return load_workbook(BytesIO(client.get("/evaluations/provincial/2024/upload/").content))

    entered("lufeng", 50)
    client = client_for(olga)
    stale = template()
    assert stale["seen"].sheet_state == "hidden"
    entered("lufeng", 70)
    stale.worksheets[0]["F3"] = 55  # lufeng's score, as the stale template showed it 50
    page = upload(client, stale).content.decode()
    assert "上传未成功" in page
    stale_row = "第3行：禄丰产业园区的评价结果在模板下载后已被他人修改或录入，现存的分项“研发”与本行不同："
    assert stale_row + "请重新下载模板，在新模板中填写后再上传。" in page
    assert "请刷新页面" not in page  # the entry form's advice: a workbook is downloaded again
    assert EvaluationResult.objects.get(zone_code="lufeng").total == D("70.00")

    book = template()
    entered("wuding", 80)
    book.worksheets[0].append(["wuding", None, None, None, None, 60])
    page = upload(client, book).content.decode()
    assert "第4行：武定产业园区的评价结果在模板下载后已被他人修改或录入，现存的分项“研发”与本行不同" in page
    assert EvaluationResult.objects.get(zone_code="wuding").total == D("80.00")

    book = template()
    row = next(row for row in book.worksheets[0].iter_rows(min_row=3) if row[0].value == "lufeng")
    row[5].value = 55
    assert "已导入" in upload(client, book).content.decode()
    assert EvaluationResult.objects.get(zone_code="lufeng").total == D("55.00")


def test_a_stale_template_row_whose_scores_are_still_stored_names_its_zone_alone(client_for, olga, plan):
    """A result changed since the template was downloaded in its stated total only: its row, scores unchanged, is
    refused naming the zone and advising a new template, with no sub-indicator named."""
    from evaluations.services import results_import

    scheme_define(
        kind="provincial",
        year=2024,
        title="2024",
        sub_indicators=[SubIndicatorSpec(group="创新能力", code="innovation", name="研发", weight=D(100))],
    )
    row = {
        "scheme": "provincial",
        "year": 2024,
        "zone": "lufeng",
        "sub_scores": [{"indicator": "innovation", "score": 50}],
    }
    assert not results_import(rows=[row], user=olga).errors
    client = client_for(olga)
    stale = load_workbook(BytesIO(client.get("/evaluations/provincial/2024/upload/").content))
    assert not results_import(rows=[{**row, "total": "49"}], user=olga).errors

    page = upload(client, stale).content.decode()
    assert (
        "第3行：禄丰产业园区的评价结果在模板下载后已被他人修改或录入：请重新下载模板，在新模板中填写后再上传。" in page
    )
    assert EvaluationResult.objects.get(zone_code="lufeng").stated_total == D("49.00")


def test_an_upload_that_meets_another_write_of_the_results_is_answered_in_words(client_for, olga, plan, monkeypatch):
    """A write of the same results at the same moment (the import's ImportConflict, its transaction rolled back)
    is told, with nothing written, rather than a 500."""
    from chuxiong_portal.bulk_import import ImportConflict
    from evaluations import excel

    scheme_define(
        kind="provincial",
        year=2024,
        title="2024",
        sub_indicators=[SubIndicatorSpec(group="创新能力", code="innovation", name="研发", weight=D(100))],
    )
    client = client_for(olga)
    book = load_workbook(BytesIO(client.get("/evaluations/provincial/2024/upload/").content))
    book.worksheets[0].append(["lufeng", None, None, 12, "是", 50])

    def conflict(**kwargs):
        raise ImportConflict("duplicate key value violates unique constraint")

    monkeypatch.setattr(excel, "results_import", conflict)
    response = upload(client, book)
    assert response.status_code == 200
    assert "评价结果正被他人同时写入，本次上传未写入任何数据，请稍后重新上传。" in response.content.decode()
    assert not EvaluationResult.objects.exists()
