"""The Word bulletin carries task 9's cluster figures as the page and the workbook do: the office edits and sends
the .docx, and a section the page prints must not drop out of it."""

import io

from django.urls import reverse
from docx import Document
from openpyxl import load_workbook


def _cluster_table(document):
    for table in document.tables:
        if table.rows[0].cells[0].text == "产业集群":
            return [[cell.text for cell in row.cells] for row in table.rows]
    return None


def test_it_prints_the_clusters_figures_in_the_word_bulletin_as_in_the_workbook(client_for, olga, data):
    client = client_for(olga)
    pk = data["period"].pk
    document = Document(io.BytesIO(client.get(reverse("bulletin-docx", args=[pk])).content))
    sheet = load_workbook(io.BytesIO(client.get(reverse("bulletin-xlsx", args=[pk])).content))["产业集群"]
    workbook_rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}

    assert any(p.text == "产业集群（任务9）" for p in document.paragraphs)
    rows = _cluster_table(document)
    assert rows is not None, "the Word bulletin has no cluster table"
    assert rows[0] == ["产业集群", "最新值", "预计2025年", "2025年目标", "状态"]
    (pv,) = [row for row in rows[1:] if row[0] == "绿色硅光伏"]
    _name, value, as_of, _projection, _goal, _stretch, _rate, status, _reason = workbook_rows["绿色硅光伏"]
    assert pv[1] == f"{value} {as_of}"
    assert pv[3] == "力争1,500.0亿元"  # task 9: 力争绿色硅光伏产业工业总产值达1500亿元以上
    assert pv[4] == status
