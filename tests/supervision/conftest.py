"""Fixtures of the responsibility cycle: sample files of each kind (and bad ones), a list with work items,
a supervision item."""

import io
import zipfile
from datetime import date

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200 + b"This program cannot be run in DOS mode"


def xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "佐证"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return out.getvalue()


def bomb_bytes(unzipped: int) -> bytes:
    """An .xlsx-shaped zip whose one member unzips to `unzipped` bytes of zeros (a few KB zipped)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
        archive.writestr("xl/media/padding.bin", b"\0" * unzipped)
    return out.getvalue()


@pytest.fixture
def upload():
    def make(name: str, data: bytes) -> SimpleUploadedFile:
        return SimpleUploadedFile(name, data, content_type="application/octet-stream")

    return make


@pytest.fixture
def samples():
    return {"pdf": PDF, "png": PNG, "exe": EXE, "xlsx": xlsx_bytes(), "docx": docx_bytes(), "bomb": bomb_bytes}


@pytest.fixture
def work_list(plan, olga):
    """An adopted 2026 list: one item for 禄丰's committee, one for 武定县人民政府, one for ndrc (commerce helps)."""
    from parks.models import County
    from supervision.models import TaskList, WorkItem
    from tasks.models import Department, Task

    task_list = TaskList.objects.create(year=2026, state=TaskList.State.ADOPTED, adopted_on=date(2026, 1, 10))
    tasks = {t.number: t for t in Task.objects.filter(number__in=[6, 15, 7])}
    items = {
        "lufeng": WorkItem.objects.create(
            task_list=task_list,
            task=tasks[6],
            title="成立专业化运营公司",
            zone=plan["lufeng"],
            due_date=date(2026, 9, 30),
            evidence_required="营业执照",
        ),
        "wuding": WorkItem.objects.create(
            task_list=task_list,
            task=tasks[15],
            title="设立综合服务专窗",
            county=County.objects.get(code="wuding"),
            due_date=date(2026, 12, 10),
            evidence_required="专窗设立文件",
        ),
        "ndrc": WorkItem.objects.create(
            task_list=task_list,
            task=tasks[7],
            title="制定飞地经济实施意见",
            department=plan["ndrc"],
            due_date=date(2026, 6, 30),
            evidence_required="实施意见文件",
        ),
    }
    items["ndrc"].co_departments.set([Department.objects.get(slug="commerce")])
    return task_list, items


@pytest.fixture
def issued(plan, olga):
    """A supervision item issued to 禄丰 on 2026-12-01, due on 2026-12-10."""
    from supervision import services

    return services.supervision_issue(
        user=olga,
        body=plan["lufeng"],
        source="instruction",
        requirement="报进展",
        deadline=date(2026, 12, 10),
        today=date(2026, 12, 1),
    )
