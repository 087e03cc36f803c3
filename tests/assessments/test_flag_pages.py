"""The flag pages: listing, handling by the office, acknowledgement by the zone's leader only."""

import pytest

from assessments.models import Evaluation, Flag, Ranking
from assessments.services import flags_recompute


def test_it_lists_flags_with_their_reason_and_responsible_party(client_for, olga, flag):
    page = client_for(olga).get("/flags/?zone=lufeng&year=2023").content.decode()
    assert "排名全省后5位" in page
    assert "禄丰市人民政府" in page
    assert "2023年排名第58位（共60个），位列后五位" in page


def test_the_office_resolves_a_flag_with_a_note(client_for, olga, flag):
    client = client_for(olga)
    response = client.post(f"/flags/{flag.pk}/handle/", {"state": "resolved", "note": "已约谈禄丰市政府主要领导"})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.state == "resolved" and flag.handled_by == olga
    assert "已约谈禄丰市政府主要领导" in client.get(f"/flags/{flag.pk}/").content.decode()


def test_resolving_without_a_note_is_refused(client_for, olga, flag):
    client = client_for(olga)
    response = client.post(f"/flags/{flag.pk}/handle/", {"state": "resolved", "note": ""}, follow=True)
    assert "必须填写处理说明" in response.content.decode()
    flag.refresh_from_db()
    assert flag.state == "open"


def test_a_zone_leader_acknowledges_but_cannot_resolve(client_for, leo, flag):
    client = client_for(leo)
    assert client.post(f"/flags/{flag.pk}/handle/", {"state": "resolved", "note": "x"}).status_code == 403
    flag.refresh_from_db()
    assert flag.state == "open"
    client.post(f"/flags/{flag.pk}/handle/", {"state": "acknowledged", "note": "已知悉"})
    flag.refresh_from_db()
    assert flag.state == "acknowledged"


def test_other_zones_and_staff_cannot_handle(client_for, alice, plan, flag):
    assert client_for(alice).post(f"/flags/{flag.pk}/handle/", {"state": "acknowledged"}).status_code == 403
    flag.refresh_from_db()
    assert flag.state == "open"


def test_a_zone_leader_sees_only_their_zone(client_for, plan, flag):
    from chuxiong_portal.roles import Role
    from chuxiong_portal.services import user_create

    other = user_create(username="wu", password="x-Pass-123", role=Role.ZONE_LEADER, zone=plan["wuding"])
    client = client_for(other)
    assert "禄丰产业园区" not in client.get("/flags/").content.decode()
    assert client.get(f"/flags/{flag.pk}/").status_code == 404


def test_it_labels_the_handling_in_chinese_and_starts_the_dropdown_at_the_flags_state(client_for, olga, flag):
    page = client_for(olga).get(f"/flags/{flag.pk}/").content.decode()
    assert "State:" not in page and "处理状态" in page
    assert f'<option value="{flag.state}" selected>' in page


def test_a_refused_handling_note_is_named_with_what_is_wrong(client_for, olga, flag):
    client = client_for(olga)
    response = client.post(f"/flags/{flag.pk}/handle/", {"state": "resolved", "note": "约" * 2001}, follow=True)
    page = response.content.decode()
    assert "处理说明：" in page and "2001" in page and "请选择有效的处理状态" not in page
    flag.refresh_from_db()
    assert flag.state == "open"
    response = client.post(f"/flags/{flag.pk}/handle/", {"state": "gone", "note": "x"}, follow=True)
    assert "请选择有效的处理状态" in response.content.decode()


def test_a_refused_handling_note_is_named_in_english_for_an_english_reader(client_for, olga, flag):
    client = client_for(olga)
    client.cookies["django_language"] = "en"
    response = client.post(f"/flags/{flag.pk}/handle/", {"state": "resolved", "note": "约" * 2001}, follow=True)
    page = response.content.decode()
    assert "has 2001" in page and ": Ensure this value has at most 2000 characters" in page and "：Ensure" not in page


def test_a_flag_page_left_open_does_not_move_a_flag_handled_since(client_for, olga, flag):
    """The handling form carries the handling its page showed (`flag_token`): drawn while the flag was acknowledged,
    it does not reopen a flag someone resolved since; it is refused in words naming the state now stored and the
    resolution stays; drawn again, it is taken."""
    import re

    from assessments.services import flag_transition

    client = client_for(olga)

    def shown() -> str:
        return re.search(r'name="seen" value="([^"]*)"', client.get(f"/flags/{flag.pk}/").content.decode()).group(1)

    flag_transition(flag=flag, user=olga, state="acknowledged", note="已知悉")
    stale = shown()
    flag_transition(flag=Flag.objects.get(pk=flag.pk), user=olga, state="resolved", note="已约谈主要领导")
    data = {"state": "open", "note": "重新跟踪", "seen": stale}
    refused = client.post(f"/flags/{flag.pk}/handle/", data, follow=True)
    assert "该问责提示已被他人处理，当前状态为“已办结”" in refused.content.decode()
    flag.refresh_from_db()
    assert (flag.state, flag.note) == ("resolved", "已约谈主要领导")

    data = {"state": "open", "note": "重新跟踪", "seen": shown()}
    assert client.post(f"/flags/{flag.pk}/handle/", data).status_code == 302
    flag.refresh_from_db()
    assert (flag.state, flag.note) == ("open", "重新跟踪")


def test_a_refused_handling_comes_back_with_what_was_typed_and_the_handling_now_stored_to_send_again(
    client_for, olga, flag
):
    """Refused for a flag handled since, the flag's page comes back (not a redirect) with the state and note typed
    and the current handling's token: pressed again, after the message naming the state now stored, it is taken."""
    from assessments.services import flag_token, flag_transition
    from tests.resend import form_data

    client = client_for(olga)
    stale = flag_token(flag)
    flag_transition(flag=flag, user=olga, state="resolved", note="已约谈主要领导")
    typed = {"state": "open", "note": "重新跟踪"}
    refused = client.post(f"/flags/{flag.pk}/handle/", {**typed, "seen": stale})
    page = refused.content.decode()
    assert refused.status_code == 400 and "该问责提示已被他人处理，当前状态为“已办结”" in page
    assert "您填写的内容已保留" in page
    flag.refresh_from_db()
    assert (flag.state, flag.note) == ("resolved", "已约谈主要领导")

    again = form_data(page, '//form[@id="flag-form"]')
    assert again == {**typed, "seen": flag_token(flag)}
    assert client.post(f"/flags/{flag.pk}/handle/", again).status_code == 302
    flag.refresh_from_db()
    assert (flag.state, flag.note) == ("open", "重新跟踪")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_flags_evidence_is_shown_in_words_not_as_the_rules_keys(client_for, olga, plan, language):
    """判定依据 listed the stored evidence as it is kept (rule, funding_priority, current_rank, True): code to a reader.
    Each line now names what it is, in the reader's language, with the formula's verdict in words."""
    for year, rank, funding in ((2022, 30, False), (2023, 58, True)):
        evaluation = Evaluation.objects.create(year=year, total_zones=60)
        Ranking.objects.create(evaluation=evaluation, zone=plan["lufeng"], rank=rank, funding_awarded=funding)
    flags_recompute()
    client = client_for(olga)
    client.cookies["django_language"] = language
    pages = {
        rule: client.get(f"/flags/{Flag.objects.get(zone=plan['lufeng'], year=2023, rule=rule).pk}/").content.decode()
        for rule in ("bottom_five", "drop_over_ten", "funding_priority")
    }
    for rule, page in pages.items():
        evidence = page.split("<details>")[1].split("</details>")[0]
        for code in ("rule", "scheme", "current_rank", "total_zones", "comparison", "True", "False", "funding_"):
            assert code not in evidence, (rule, code)
    if language == "zh-hans":
        assert "本年排名" in pages["bottom_five"] and "2023年第58位（共60个）" in pages["bottom_five"]
        assert "58 &gt; 60 − 5 = 55：是" in pages["bottom_five"]
        assert "上年排名" in pages["drop_over_ten"] and "2022年第30位（共60个）" in pages["drop_over_ten"]
        assert "名次变化" in pages["drop_over_ten"] and "下降28位" in pages["drop_over_ten"]
        assert "获省级资金补助" in pages["funding_priority"].split("<details>")[1]
    else:
        assert "Rank this year" in pages["bottom_five"] and ": Yes" in pages["bottom_five"]


def test_the_good_result_evidence_reads_with_the_signs_of_arithmetic():
    from assessments import rules
    from assessments.reasons import evidence_rows

    rankings = {2023: rules.RankingInput(2023, 6, 64), 2024: rules.RankingInput(2024, 5, 66)}
    result = rules.evaluate_good_result(year=2024, rankings=rankings)
    rows = dict(evidence_rows(result.evidence))
    assert rows["前四分之一"] == "前16位" and rows["名次变化"] == "上升1位"
    formulas = [value for label, value in evidence_rows(result.evidence) if label == "判定算式"]
    assert formulas == ["5 ≤ ⌊66 ÷ 4⌋ = 16：是", "6 − 5 = 1 > 10：否"]


def test_in_english_a_zones_flags_and_a_flags_way_back_are_named_as_the_list(client_for, olga, flag):
    """The zone page's heading over its flags and a flag page's link back to the list read Accountability flags, as
    the menu does, not one Accountability flag over six."""
    client = client_for(olga)
    client.cookies["django_language"] = "en"
    zone = client.get("/zones/lufeng/").content.decode()
    assert '<h2 id="flags-title">Accountability flags <span class="count">' in zone
    detail = client.get(f"/flags/{flag.pk}/").content.decode()
    assert '<a href="/flags/">Accountability flags</a>' in detail
    assert "Accountability flag<" not in zone + detail
