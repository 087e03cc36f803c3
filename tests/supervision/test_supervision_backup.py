"""The backup export holds the responsibility cycle's rows and its files, and the import gives both back."""

from datetime import date

import pytest
from django.core.management import call_command

from chuxiong_portal.backup import data_export, data_import
from supervision import services
from supervision.models import (
    EvidenceFile,
    LetterTarget,
    ResponsibilityLetter,
    SupervisionItem,
    SupervisionStep,
    TaskList,
    WorkItem,
    WorkReport,
)

pytestmark = pytest.mark.django_db(transaction=True)
MODELS = [
    TaskList,
    WorkItem,
    WorkReport,
    SupervisionItem,
    SupervisionStep,
    EvidenceFile,
    ResponsibilityLetter,
    LetterTarget,
]


def _rows():
    rows = {model._meta.label: sorted(model.objects.values_list()) for model in MODELS}
    # Many-to-many links are exported with their rows, not as rows of their own: compared as links.
    rows["co_departments"] = sorted(WorkItem.co_departments.through.objects.values_list("workitem_id", "department_id"))
    return rows


def test_the_round_trip_keeps_every_new_row_and_file(
    plan, olga, zack, work_list, issued, upload, samples, private_storage, tmp_path
):
    item = issued
    services.supervision_answer(
        item=item, user=zack, text="见附件", files=[upload("a.pdf", samples["pdf"])], today=date(2026, 12, 2)
    )
    services.work_report_file(
        work_item=work_list[1]["lufeng"],
        user=zack,
        progress="done",
        text="完成",
        files=[upload("b.xlsx", samples["xlsx"])],
    )
    letter = services.letter_create(zone=plan["lufeng"], year=2025)
    services.letter_sign(
        letter=letter,
        user=olga,
        prefecture_signatory="甲",
        zone_signatory="乙",
        signed_on=date(2025, 2, 20),
        scan=upload("scan.png", samples["png"]),
    )
    before = _rows()
    contents = {e.file.name: e.file.read() for e in EvidenceFile.objects.all()}
    assert len(contents) == 3 and all(before.values())

    path = tmp_path / "export.json.gz"
    counts = data_export(path=path)
    assert counts["files"] == 3 and counts["supervision.supervisionitem"] == 1
    call_command("flush", interactive=False, verbosity=0)
    for name in contents:
        (private_storage / name).unlink()
    data_import(path=path)

    assert _rows() == before
    for evidence in EvidenceFile.objects.all():
        assert evidence.file.read() == contents[evidence.file.name]
