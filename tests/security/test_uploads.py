"""Uploaded files: a size limit, the type judged by content and not by name, nothing stored, nothing echoed.

The only upload of the portal is a dispatch report's Excel workbook (POST /reports/<pk>/excel/, read in memory
by indicators/reporting/services/excel/). Each hostile file below must be refused with a Chinese message (or handled
within the limits), write nothing under MEDIA_ROOT or the upload temp folder, finish quickly, and never come
back in the response as markup.
"""

import io
import struct
import time
import zipfile

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.models import DispatchReport, IndicatorValue, ReportingPeriod
from indicators.reporting.services.excel import MAX_UNZIPPED_BYTES, VALUE_COLUMNS, XLSX_CONTENT_TYPE

pytestmark = pytest.mark.django_db

VALUES_SHEET_XML = "xl/worksheets/sheet2.xml"  # “指标数据”, the second sheet of the template
REFUSED = "上传未成功，没有写入任何数据"


@pytest.fixture
def report(plan):
    return DispatchReport.objects.create(
        zone=plan["lufeng"], period=ReportingPeriod.objects.get(cadence="monthly", year=2024, index=3)
    )


@pytest.fixture
def folders(settings, tmp_path):
    """MEDIA_ROOT and the upload temp folder, both empty: nothing may appear in them."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "upload-tmp")
    (tmp_path / "upload-tmp").mkdir()
    yield tmp_path
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*"))
    assert not any((tmp_path / "upload-tmp").iterdir())


@pytest.fixture
def sam_client(sam, client_for):
    return client_for(sam)


def template(client, report) -> bytes:
    response = client.get(reverse("report-excel", args=[report.pk]))
    assert response.status_code == 200
    return response.content


def upload(client, report, content: bytes, *, name="调度报告.xlsx", content_type=XLSX_CONTENT_TYPE):
    report.refresh_from_db()
    started = time.monotonic()
    # Followed: a refused file sends the browser back to the report page (post/redirect/get), which says why.
    response = client.post(
        reverse("report-excel", args=[report.pk]),
        {"file": SimpleUploadedFile(name, content, content_type=content_type), "version": report.version},
        follow=True,
    )
    response.elapsed = time.monotonic() - started
    return response


def rezip(content: bytes, replace: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(
                info.filename,
                replace.get(info.filename, src.read(info.filename)),
                compress_type=zipfile.ZIP_DEFLATED,
                compresslevel=9,
            )
    return out.getvalue()


def sheet_with_rows(row: str, count: int) -> bytes:
    """A “指标数据” sheet: the template's header row, then `row` `count` times."""
    header = "".join(f'<c t="inlineStr"><is><t>{name}</t></is></c>' for name in VALUE_COLUMNS)
    head = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        f"<row>{header}</row>"
    )
    return (head + row * count + "</sheetData></worksheet>").encode()


def assert_refused(response, message: str, *, never: tuple[bytes, ...] = ()):
    assert [code for _url, code in response.redirect_chain] == [302], response.redirect_chain
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert REFUSED in html and message in html, html[:3000]
    for marker in never:
        assert marker not in response.content, marker
    assert response.elapsed < 45
    assert not IndicatorValue.objects.exists()


# --------------------------------------------------------------------------- type by content, not by name


def test_an_html_page_named_xlsx_is_refused_and_not_echoed(report, sam_client, folders):
    page = b"<!DOCTYPE html><html><body><script>alert('UPLOAD-MARKER-1')</script></body></html>"
    for content_type in (XLSX_CONTENT_TYPE, "text/html"):
        response = upload(sam_client, report, page, name="报表.xlsx", content_type=content_type)
        assert_refused(response, "该文件不是有效的Excel工作簿（.xlsx）", never=(b"UPLOAD-MARKER-1", b"<script>alert"))


def test_a_zip_that_is_not_a_workbook_is_refused(report, sam_client, folders):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("index.html", "<script>alert('UPLOAD-MARKER-2')</script>")
    assert_refused(
        upload(sam_client, report, out.getvalue()), "该文件不是有效的Excel工作簿", never=(b"UPLOAD-MARKER-2",)
    )


def test_markup_inside_a_cell_comes_back_escaped_as_text(report, sam_client, folders):
    wb = openpyxl.load_workbook(io.BytesIO(template(sam_client, report)))
    sheet = wb["指标数据"]
    columns = [cell.value for cell in sheet[1]]
    row = {"指标代码": "<img src=x onerror=alert('CELL-MARKER')>", "范围": "lufeng", "计量单位": "亿元", "本期值": 1}
    sheet.append([row.get(name) for name in columns])
    out = io.BytesIO()
    wb.save(out)
    response = upload(sam_client, report, out.getvalue())
    assert_refused(response, "本报告不包含指标", never=(b"<img src=x onerror",))
    assert "&lt;img src=x onerror=alert(&#x27;CELL-MARKER&#x27;)&gt;" in response.content.decode()


# --------------------------------------------------------------------------- size


def test_a_six_megabyte_file_is_refused_and_its_temporary_file_removed(report, sam_client, folders):
    content = b"PK\x03\x04" + b"\x00UPLOAD-MARKER-3" * (6 * 1024 * 1024 // 16)
    assert len(content) > 6 * 1024 * 1024 - 64
    assert len(content) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE  # goes through a temporary file on disk
    assert_refused(upload(sam_client, report, content), "文件过大（6.0 MB），不能超过5 MB", never=(b"UPLOAD-MARKER-3",))


def test_form_fields_are_capped_too(report, sam_client):
    response = sam_client.post(
        reverse("report-detail", args=[report.pk]),
        {"work_done": "长" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 2), "version": 1},
    )
    assert response.status_code == 400
    assert not IndicatorValue.objects.exists()


# --------------------------------------------------------------------------- zip and XML bombs


def test_a_workbook_that_inflates_past_the_cap_is_refused_before_parsing(report, sam_client, folders):
    row = '<row><c t="inlineStr"><is><t>BOMB-MARKER</t></is></c></row>'
    huge = sheet_with_rows(row, MAX_UNZIPPED_BYTES // len(row) + 1000)
    content = rezip(template(sam_client, report), {VALUES_SHEET_XML: huge})
    assert len(content) < 5 * 1024 * 1024 < MAX_UNZIPPED_BYTES < len(huge)
    assert_refused(upload(sam_client, report, content), "文件内容过大，无法处理", never=(b"BOMB-MARKER",))


def test_a_workbook_with_a_huge_sheet_just_under_the_cap_is_refused_within_the_worker_timeout(
    report, sam_client, folders
):
    row = '<row><c t="inlineStr"><is><t>BOMB-MARKER</t></is></c></row>'
    big = sheet_with_rows(row, (MAX_UNZIPPED_BYTES - 200_000) // len(row))
    content = rezip(template(sam_client, report), {VALUES_SHEET_XML: big})
    assert len(content) < 5 * 1024 * 1024 and len(big) < MAX_UNZIPPED_BYTES
    response = upload(sam_client, report, content)
    assert_refused(response, "行数过多（超过2000行）", never=(b"BOMB-MARKER",))
    # openpyxl's read-only mode scans the whole sheet XML for its dimensions before the row limit applies:
    # the cost grows with MAX_UNZIPPED_BYTES (about 15 s of CPU at 60 MB here). Bound: gunicorn's 60 s timeout.
    print(f"huge sheet refused in {response.elapsed:.1f} s")
    assert response.elapsed < 45


def _lie_about_size(content: bytes, member: str, size: int) -> bytes:
    """Patch the uncompressed size of `member` in its local header and in the central directory."""
    data = bytearray(content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        info = archive.getinfo(member)
    struct.pack_into("<I", data, info.header_offset + 22, size)
    name = member.encode()
    at = 0
    while (at := data.find(b"PK\x01\x02", at + 1)) != -1:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46 : at + 46 + name_length]) == name:
            struct.pack_into("<I", data, at + 24, size)
            break
    return bytes(data)


def test_a_workbook_that_lies_about_its_inflated_size_is_refused(report, sam_client, folders):
    row = '<row><c t="inlineStr"><is><t>BOMB-MARKER</t></is></c></row>'
    huge = sheet_with_rows(row, MAX_UNZIPPED_BYTES // len(row) + 1000)
    content = _lie_about_size(rezip(template(sam_client, report), {VALUES_SHEET_XML: huge}), VALUES_SHEET_XML, 4096)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert sum(i.file_size for i in archive.infolist()) < MAX_UNZIPPED_BYTES  # the size check is fooled
    response = upload(sam_client, report, content)
    # zipfile never inflates past the declared size (and then fails its CRC): the parser sees a truncated sheet
    assert_refused(response, "文件已损坏或格式不受支持", never=(b"BOMB-MARKER",))


def test_xml_entity_expansion_is_refused(report, sam_client, folders):
    lol = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lollollollollollollollollollol">'
        + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
        + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row><c t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
    )
    content = rezip(template(sam_client, report), {VALUES_SHEET_XML: lol.encode()})
    response = upload(sam_client, report, content)
    assert_refused(response, "文件已损坏或格式不受支持", never=(b"lollollol",))


def test_an_external_entity_is_never_resolved_into_the_answer(report, sam_client, folders):
    xxe = (
        '<?xml version="1.0"?><!DOCTYPE ws [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row><c t="inlineStr"><is><t>指标代码</t></is></c></row>'
        '<row><c t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>'
    )
    content = rezip(template(sam_client, report), {VALUES_SHEET_XML: xxe.encode()})
    response = upload(sam_client, report, content)
    assert [code for _url, code in response.redirect_chain] == [302]
    assert b"root:x:0:0" not in response.content
    assert REFUSED in response.content.decode()


# --------------------------------------------------------------------------- what is served back


def test_an_accepted_upload_stores_no_file_and_redirects(report, sam_client, folders):
    wb = openpyxl.load_workbook(io.BytesIO(template(sam_client, report)))
    sheet = wb["指标数据"]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("指标代码")].value == "industrial-output":
            row[header.index("本期值")].value = 123.4
    out = io.BytesIO()
    wb.save(out)
    response = upload(sam_client, report, out.getvalue())
    assert response.redirect_chain == [(report.get_absolute_url(), 302)]
    assert "已从Excel导入" in response.content.decode()
    assert IndicatorValue.objects.filter(report=report, indicator__code="industrial-output").exists()


def test_the_workbook_download_is_an_attachment_that_browsers_will_not_sniff(report, sam_client):
    response = sam_client.get(reverse("report-excel", args=[report.pk]))
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
