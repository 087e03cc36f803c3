"""The handling form sent twice (a double click, a resend after a slow answer) is done once and answered as done; a
handling by someone else in between is still refused."""

from assessments.services import flag_token


def _messages(response):
    return [str(m) for m in response.context["messages"]]


def test_it_takes_the_same_handling_sent_twice_once(client_for, olga, flag):
    client = client_for(olga)
    form = {"state": "acknowledged", "note": "已安排约谈", "seen": flag_token(flag)}
    first = client.post(f"/flags/{flag.pk}/handle/", form, follow=True)
    second = client.post(f"/flags/{flag.pk}/handle/", form, follow=True)
    assert first.status_code == second.status_code == 200
    assert _messages(second) == ["处理状态已更新。"]
    assert "已被他人处理" not in second.content.decode()
    flag.refresh_from_db()
    assert (flag.state, flag.note, flag.handled_by) == ("acknowledged", "已安排约谈", olga)
    assert [h.state for h in flag.history.order_by("history_date")] == ["open", "acknowledged"]


def test_it_still_refuses_a_page_drawn_before_someone_elses_handling(client_for, olga, leo, flag):
    seen = flag_token(flag)
    client_for(leo).post(f"/flags/{flag.pk}/handle/", {"state": "acknowledged", "note": "已知悉", "seen": seen})
    response = client_for(olga).post(
        f"/flags/{flag.pk}/handle/", {"state": "acknowledged", "note": "已知悉", "seen": seen}
    )
    assert response.status_code == 400
    assert "已被他人处理" in response.content.decode()
    flag.refresh_from_db()
    assert flag.handled_by == leo
