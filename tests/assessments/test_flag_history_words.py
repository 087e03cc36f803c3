"""A flag's 处理记录 says why each change was made in the reader's language: what the services write is kept in the
portal's language and worded where shown; a note is shown as typed."""

from assessments.models import Evaluation
from assessments.services import flags_recompute


def _history_rows(page: str) -> str:
    return page[page.index("处理记录") :]


def test_it_words_the_withdrawal_of_a_flag_whose_evaluation_was_deleted(client_for, olga, flag):
    Evaluation.objects.filter(year=2023).delete()
    flags_recompute()
    flag.refresh_from_db()
    assert flag.state == "withdrawn"
    page = client_for(olga).get(f"/flags/{flag.pk}/").content.decode()
    assert "evaluation removed" not in page
    assert "所依据的评价排名已删除或不在方案年度内" in _history_rows(page)


def test_it_keeps_a_handling_without_a_note_in_the_portals_language(client_for, olga, flag):
    client = client_for(olga)
    client.cookies["django_language"] = "en"
    client.post(f"/flags/{flag.pk}/handle/", {"state": "acknowledged", "note": ""})
    client.cookies["django_language"] = "zh-hans"
    history = _history_rows(client.get(f"/flags/{flag.pk}/").content.decode())
    assert "Acknowledged" not in history
    assert history.count("已知悉") == 2  # the state column and the reason column
    client.cookies["django_language"] = "en"
    english = client.get(f"/flags/{flag.pk}/").content.decode()
    assert "已知悉" not in english
