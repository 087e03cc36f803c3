"""The Word bulletin names the evaluation each accountability flag rests on, as the page and the workbook do: the
national high-tech zone's national ranking raises flags of its own, and without the scheme 楚雄国家高新区 read
「考核结果好」 and 「未实现每年有提升」 for the same year."""

import io

from django.urls import reverse
from docx import Document

from assessments.models import Evaluation, Ranking, Scheme
from assessments.services import flags_recompute


def _flag_rows(document):
    for table in document.tables:
        header = [cell.text for cell in table.rows[0].cells]
        if "规则" in header and "处理状态" in header:
            return header, [[cell.text for cell in row.cells] for row in table.rows[1:]]
    return None, []


def test_it_names_each_flags_evaluation_in_the_word_bulletin(client_for, olga, data):
    national = Evaluation.objects.create(scheme=Scheme.NATIONAL, year=2024, total_zones=178, is_demo=True)
    Ranking.objects.create(evaluation=national, zone=data["zones"]["chuxiong-hitech"], rank=149)  # 2023: 146th
    flags_recompute()

    response = client_for(olga).get(reverse("bulletin-docx", args=[data["period"].pk]))
    header, rows = _flag_rows(Document(io.BytesIO(response.content)))

    assert header == ["开发区", "评价体系", "年度", "规则", "处理状态"]
    assert ["楚雄国家高新区", "国家高新区综合评价", "2024", "未实现每年有提升", "待处理"] in rows
    assert any(row[0] == "武定产业园区" and row[1] == "全省开发区高质量发展评价" for row in rows)
