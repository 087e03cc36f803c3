"""The admin shows flags but does not handle them: resolving there would skip the note the plan's follow-up needs,
overwrite a handling unseen and leave no reason in the flag's history. Handling is on the flag's own page."""

import json

from assessments.models import Flag


def test_the_office_reads_a_flag_in_the_admin_but_cannot_resolve_it_there(client_for, olga, flag):
    client = client_for(olga)
    url = f"/admin/assessments/flag/{flag.pk}/change/"
    assert client.get(url).status_code == 200
    form = {
        "zone": flag.zone_id,
        "scheme": flag.scheme,
        "year": flag.year,
        "rule": flag.rule,
        "outcome": flag.outcome,
        "evidence": json.dumps(flag.evidence),
        "reason": flag.reason,
        "reason_code": flag.reason_code,
        "reason_params": json.dumps(flag.reason_params),
        "consequence": flag.consequence,
        "responsible_party": flag.responsible_party,
        "state": "resolved",  # without the note resolving needs
        "note": "",
    }
    response = client.post(url, form)
    assert response.status_code == 403
    flag.refresh_from_db()
    assert (flag.state, flag.note) == ("open", "")


def test_the_admin_neither_adds_nor_deletes_flags(client_for, olga, flag):
    client = client_for(olga)
    assert client.get("/admin/assessments/flag/add/").status_code == 403
    assert client.post(f"/admin/assessments/flag/{flag.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Flag.objects.filter(pk=flag.pk).exists()
