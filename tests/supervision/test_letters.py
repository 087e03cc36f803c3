"""Responsibility letters: targets from the plan, the letter's own values with the difference shown, signing with a
scan, and the zone page showing the letter and how each target stands."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from indicators.models import ProgressResult, ReportingPeriod, Target
from supervision import services
from supervision.models import EvidenceFile, ResponsibilityLetter


@pytest.fixture
def letter(plan):
    return services.letter_create(zone=plan["lufeng"], year=2025)


def _sign_with_scan(letter, office, scan) -> None:
    """`office` records `letter` signed by 甲 and 乙 on 2025-02-20, with `scan`."""
    services.letter_sign(
        letter=letter,
        user=office,
        prefecture_signatory="甲",
        zone_signatory="乙",
        signed_on=date(2025, 2, 20),
        scan=scan,
    )


def test_the_letter_takes_the_plans_targets_of_the_zone_and_year(letter, plan):
    plan_targets = Target.objects.filter(zone=plan["lufeng"], year=2025, scope="zone")
    assert plan_targets.exists()
    assert {t.target_id for t in letter.targets.all()} == set(plan_targets.values_list("pk", flat=True))
    assert all(not t.differs for t in letter.targets.all())
    assert services.letter_create(zone=plan["lufeng"], year=2025).targets.count() == plan_targets.count()


def test_a_different_value_needs_a_reason_and_is_shown(letter, olga, client_for, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    target = letter.targets.filter(target__committed_value__isnull=False).first()
    higher = target.target.committed_value + Decimal("100")
    with pytest.raises(services.SupervisionError):
        services.letter_target_set(
            letter_target=target, user=olga, committed_value=higher, stretch_value=target.stretch_value, note=""
        )
    target.refresh_from_db()
    assert not target.differs
    services.letter_target_set(
        letter_target=target, user=olga, committed_value=higher, stretch_value=target.stretch_value, note="责任书加压"
    )
    page = client_for(olga).get(letter.get_absolute_url()).content.decode()
    assert "与方案不同" in page and "责任书加压" in page


@time_machine.travel(date(2026, 12, 1), tick=False)
def test_signing_records_the_scan_and_refuses_a_spreadsheet_or_a_future_date(
    letter, olga, upload, samples, private_storage
):
    with pytest.raises(services.SupervisionError):
        services.letter_sign(
            letter=letter,
            user=olga,
            prefecture_signatory="甲",
            zone_signatory="乙",
            signed_on=date(2025, 2, 20),
            scan=upload("scan.xlsx", samples["xlsx"]),
        )
    with pytest.raises(services.SupervisionError):
        services.letter_sign(
            letter=letter, user=olga, prefecture_signatory="甲", zone_signatory="乙", signed_on=date(2026, 12, 2)
        )
    assert not EvidenceFile.objects.exists()
    _sign_with_scan(letter, olga, upload("scan.pdf", samples["pdf"]))
    letter.refresh_from_db()
    assert letter.signed_on == date(2025, 2, 20) and letter.scan.original_name == "scan.pdf"


@time_machine.travel(date(2026, 12, 1), tick=False)
@pytest.mark.parametrize("name,sample", [("scan.xlsx", "xlsx"), ("scan.docx", "docx"), ("scan.pdf", "exe")])
def test_a_scan_that_is_no_pdf_or_image_is_refused_in_the_words_of_the_scan_field(
    letter, olga, client_for, upload, samples, private_storage, name, sample
):
    """The field takes a PDF or an image: its refusal says so beside the field, not 「PDF、图片、Word 或 Excel」."""
    response = client_for(olga).post(
        letter.get_absolute_url(),
        {
            "prefecture_signatory": "甲",
            "zone_signatory": "乙",
            "signed_on": "2025-02-20",
            "scan": upload(name, samples[sample]),
        },
    )
    assert response.status_code == 400
    words = f"文件“{name}”不是 PDF 或图片文件，签字扫描件只接受 PDF 或图片。"
    assert response.context["form"].errors["scan"] == [words]
    assert "Word 或 Excel" not in response.content.decode()
    letter.refresh_from_db()
    assert letter.signed_on is None and not EvidenceFile.objects.exists()


@pytest.mark.parametrize("today,year", [(date(2025, 6, 1), 2025), (date(2026, 12, 1), 2025), (date(2024, 3, 1), 2024)])
def test_the_zone_page_shows_the_years_letter_and_each_targets_status(plan, leo, client_for, settings, today, year):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    for y in (2024, 2025):
        services.letter_create(zone=plan["lufeng"], year=y)
    shown = ResponsibilityLetter.objects.get(zone=plan["lufeng"], year=year)
    target = shown.targets.first().target
    ProgressResult.objects.create(
        target=target, period=ReportingPeriod.objects.filter(year=year).first(), status="red", attainment=Decimal("0.8")
    )
    with time_machine.travel(today, tick=False):
        page = client_for(leo).get("/zones/lufeng/").content.decode()
    block = page.split('id="letter"', 1)[1].split("</section>", 1)[0]
    assert f"{year}年度目标任务责任书" in block
    row = next(part for part in block.split("<tr>") if target.indicator.name in part)
    assert 'class="status red"' in row and "80%" in row


def test_the_office_makes_a_new_years_letter_from_the_letters_list(client_for, olga, plan):
    client = client_for(olga)
    assert 'href="/letters/"' in client.get("/work-items/").content.decode()
    assert 'href="/letters/new/"' in client.get("/letters/").content.decode()
    response = client.post("/letters/new/", {"zone": plan["lufeng"].pk, "year": "2025"})
    letter = ResponsibilityLetter.objects.get(zone=plan["lufeng"], year=2025)
    assert response.status_code == 302 and response["Location"] == letter.get_absolute_url()
    plan_targets = Target.objects.filter(zone=plan["lufeng"], year=2025, scope="zone")
    assert plan_targets.exists() and letter.targets.count() == plan_targets.count()
    assert letter.get_absolute_url() in client.get("/letters/").content.decode()


@pytest.mark.parametrize(
    ("today", "year"),
    [
        (date(2022, 11, 1), 2023),  # before the plan: its first year
        (date(2023, 1, 1), 2023),
        (date(2024, 12, 31), 2024),
        (date(2025, 12, 31), 2025),
        # After the plan's last year there are no targets for the year itself: its last year is offered.
        (date(2026, 1, 1), 2025),
        (date(2026, 12, 5), 2025),
        (date(2031, 1, 1), 2025),
    ],
)
def test_the_new_letter_form_offers_a_year_the_plan_has_targets_for(client_for, olga, plan, today, year):
    with time_machine.travel(today, tick=False):
        client = client_for(olga)  # signed in that day: a session opened years before has expired
        form = client.get("/letters/new/").content.decode()
        assert f'name="year" value="{year}"' in form
        response = client.post("/letters/new/", {"zone": plan["lufeng"].pk, "year": str(year)})  # as offered
    assert response.status_code == 302
    assert ResponsibilityLetter.objects.get(zone=plan["lufeng"], year=year).targets.exists()


def test_the_admin_adds_no_letter_and_points_to_the_page_that_fills_its_targets(client_for, olga, plan):
    """A letter added in the admin would have no targets: the admin offers the page instead, and still changes a
    letter made there."""
    client = client_for(olga)
    add = reverse("admin:supervision_responsibilityletter_add")
    assert client.get(add).status_code == 403
    assert client.post(add, {"zone": plan["lufeng"].pk, "year": "2025"}).status_code == 403
    assert not ResponsibilityLetter.objects.exists()
    listing = client.get(reverse("admin:supervision_responsibilityletter_changelist")).content.decode()
    assert 'href="/letters/new/"' in listing and f'href="{add}"' not in listing
    letter = services.letter_create(zone=plan["lufeng"], year=2025)
    change = reverse("admin:supervision_responsibilityletter_change", args=[letter.pk])
    assert client.get(change).status_code == 200


@pytest.mark.parametrize(
    "year,message",
    [("2025", "禄丰产业园区 2025年度的责任书已存在"), ("2031", "方案未对禄丰产业园区设定2031年的目标")],
)
def test_a_duplicate_letter_or_a_year_without_targets_is_refused_with_the_reason(client_for, olga, plan, year, message):
    services.letter_create(zone=plan["lufeng"], year=2025)
    response = client_for(olga).post("/letters/new/", {"zone": plan["lufeng"].pk, "year": year})
    assert response.status_code == 400
    field = response.content.decode().split('id="id_year"', 1)[1].split("</p>", 1)[0]
    assert message in field
    assert list(ResponsibilityLetter.objects.values_list("year", flat=True)) == [2025]


def test_only_the_office_makes_letters_and_a_zone_lists_only_its_own(client_for, leo, zack, plan):
    services.letter_create(zone=plan["lufeng"], year=2025)
    services.letter_create(zone=plan["wuding"], year=2025)
    assert client_for(zack).get("/letters/new/").status_code == 403
    assert client_for(zack).post("/letters/new/", {"zone": plan["lufeng"].pk, "year": "2024"}).status_code == 403
    assert not ResponsibilityLetter.objects.filter(year=2024).exists()
    page = client_for(leo).get("/letters/").content.decode()
    assert "禄丰产业园区" in page and plan["wuding"].name not in page and "/letters/new/" not in page


def test_the_letter_page_names_the_letter_once_and_its_targets_with_their_units(letter, olga, client_for):
    page = client_for(olga).get(letter.get_absolute_url()).content.decode()
    body = page.split("<main", 1)[1]
    assert body.count(str(letter)) == 1
    target = letter.targets.exclude(target__indicator__unit="").filter(target__committed_value__isnull=False).first()
    row = next(part for part in body.split("<tr>") if target.target.indicator.name in part)
    assert f" {target.target.indicator.unit}" in row


def _admin_change_form(letter, **signing) -> dict:
    """What the admin's change form of `letter` posts: the letter's fields and its targets inline, unchanged."""
    targets = list(letter.targets.all())
    form = {
        "zone": letter.zone_id,
        "year": letter.year,
        "prefecture_signatory": "",
        "zone_signatory": "",
        "signed_on": "",
        "note": "",
        "targets-TOTAL_FORMS": str(len(targets)),
        "targets-INITIAL_FORMS": str(len(targets)),
    }
    for i, target in enumerate(targets):
        form |= {
            f"targets-{i}-id": target.pk,
            f"targets-{i}-letter": letter.pk,
            f"targets-{i}-target": target.target_id,
            f"targets-{i}-committed_value": "" if target.committed_value is None else target.committed_value,
            f"targets-{i}-stretch_value": "" if target.stretch_value is None else target.stretch_value,
            f"targets-{i}-note": target.note,
        }
    return form | signing


@time_machine.travel(date(2026, 12, 1), tick=False)
@pytest.mark.parametrize(
    "signing,field,words",
    [
        ({"signed_on": "2026-12-02"}, "signed_on", "签订日期不能晚于今天。"),
        ({"zone_signatory": ""}, "zone_signatory", "请填写双方签署人。"),
        ({"signed_on": ""}, "signed_on", "请填写签订日期。"),
    ],
)
def test_the_admin_records_a_signing_by_the_letter_pages_rule(letter, olga, client_for, signing, field, words):
    """The admin refuses a future signing date or a signing half filled beside the field, as the letter page does,
    and writes nothing (the targets inline included); a signing by the rule is saved, and a letter not yet signed
    still has its note changed."""
    client = client_for(olga)
    change = reverse("admin:supervision_responsibilityletter_change", args=[letter.pk])
    signed = {"prefecture_signatory": "甲", "zone_signatory": "乙", "signed_on": "2025-02-20"}
    response = client.post(
        change, _admin_change_form(letter, **signed | signing, note="改了", **{"targets-0-note": "x"})
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [words]
    letter.refresh_from_db()
    assert (letter.signed_on, letter.prefecture_signatory, letter.note) == (None, "", "")
    assert not letter.targets.exclude(note="").exists()
    assert client.post(change, _admin_change_form(letter, note="待签")).status_code == 302
    assert client.post(change, _admin_change_form(letter, **signed)).status_code == 302
    letter.refresh_from_db()
    assert (letter.signed_on, letter.prefecture_signatory, letter.zone_signatory) == (date(2025, 2, 20), "甲", "乙")


def test_the_admin_shows_the_scan_and_points_to_the_letter_page_to_upload_it(
    letter, olga, client_for, upload, samples, private_storage
):
    """The scan is checked by content where it is uploaded (the letter page): the admin shows it without a field
    that could point the letter at any stored file, and a change there leaves it as it is."""
    _sign_with_scan(letter, olga, upload("scan.pdf", samples["pdf"]))
    letter.refresh_from_db()
    scan = letter.scan
    other = EvidenceFile.objects.create(original_name="other.xlsx", kind="excel", size=1, sha256="0" * 64)
    client = client_for(olga)
    change = reverse("admin:supervision_responsibilityletter_change", args=[letter.pk])
    page = client.get(change).content.decode()
    assert 'name="scan"' not in page
    assert "scan.pdf" in page and f'href="{letter.get_absolute_url()}"' in page and "在责任书页面上传" in page
    signed = {"prefecture_signatory": "甲", "zone_signatory": "乙", "signed_on": "2025-02-20", "scan": other.pk}
    assert client.post(change, _admin_change_form(letter, **signed)).status_code == 302
    letter.refresh_from_db()
    assert letter.scan == scan


def test_the_admin_keeps_a_letters_zone_and_year(olga, client_for, plan):
    """A letter is the zone's of a year, its targets the plan's of that zone and year: the admin took year
    99999999999 for a 2023 letter (read 「99999999999年度」 with 2023's targets). It shows both, and a posted change of
    either leaves the letter as it was."""
    letter = services.letter_create(zone=plan["lufeng"], year=2024)
    change = f"/admin/supervision/responsibilityletter/{letter.pk}/change/"
    client = client_for(olga)
    page = client.get(change).content.decode()
    assert 'name="year"' not in page and 'name="zone"' not in page
    form = _admin_change_form(letter, note="改") | {"year": "99999999999", "zone": plan["wuding"].pk}
    assert client.post(change, form).status_code == 302
    letter.refresh_from_db()
    assert (letter.year, letter.zone_id, letter.note) == (2024, plan["lufeng"].pk, "改")


@time_machine.travel(date(2026, 12, 1), tick=False)
def test_a_signing_page_left_open_does_not_replace_a_signing_recorded_since(
    letter, olga, client_for, upload, samples, private_storage
):
    """The signing form carries the signing its page showed (`signing_token`): drawn before someone else recorded the
    signing, it is refused in words and the first signing, scan and all, stays; drawn again, it corrects it."""
    import re

    client = client_for(olga)

    def shown_token() -> str:
        page = client.get(letter.get_absolute_url()).content.decode()
        return re.search(r'name="seen" value="([^"]*)"', page).group(1)

    def post(token: str, signed_on: str):
        data = {"prefecture_signatory": "丙", "zone_signatory": "丁", "signed_on": signed_on, "seen": token}
        return client.post(letter.get_absolute_url(), data)

    stale = shown_token()
    _sign_with_scan(letter, olga, upload("scan.pdf", samples["pdf"]))
    refused = post(stale, "2025-03-01")
    assert refused.status_code == 400 and "刚被他人登记" in refused.content.decode()
    letter.refresh_from_db()
    assert (letter.prefecture_signatory, letter.signed_on) == ("甲", date(2025, 2, 20))
    assert letter.scan.original_name == "scan.pdf"

    assert post(shown_token(), "2025-03-01").status_code == 302
    letter.refresh_from_db()
    assert (letter.prefecture_signatory, letter.zone_signatory, letter.signed_on) == ("丙", "丁", date(2025, 3, 1))


@time_machine.travel(date(2026, 12, 1), tick=False)
def test_a_corrected_signing_keeps_the_earlier_one_and_its_scan_for_the_letters_readers(
    letter, olga, leo, plan, client_for, upload, samples, private_storage
):
    """Signed again (a correction), the letter page lists both signings, who recorded each and when, the latest marked
    现行; the earlier scan stays downloadable by the letter's readers (禄丰's leader) and by no one else (another zone's
    leader: 404). A save that leaves the signing as it was (the note) adds no entry."""
    import re

    from chuxiong_portal.roles import Role
    from chuxiong_portal.services import user_create

    _sign_with_scan(letter, olga, upload("first.pdf", samples["pdf"]))
    letter.refresh_from_db()
    first_scan = letter.scan
    client = client_for(olga)
    page = client.get(letter.get_absolute_url()).content.decode()
    assert 'id="signings"' not in page  # one signing: nothing corrected yet
    token = re.search(r'name="seen" value="([^"]*)"', page).group(1)
    corrected = client.post(
        letter.get_absolute_url(),
        {
            "prefecture_signatory": "丙",
            "zone_signatory": "丁",
            "signed_on": "2025-03-01",
            "scan": upload("second.png", samples["png"]),
            "seen": token,
        },
    )
    assert corrected.status_code == 302
    letter.refresh_from_db()
    letter.note = "补充说明"
    letter.save()

    page = client.get(letter.get_absolute_url()).content.decode()
    record = page[page.index('id="signings"') :]
    rows = re.findall(r"<tr><td>.*?</tr>", record)
    assert len(rows) == 2
    assert "现行" in rows[0] and "丙" in rows[0] and "2025年3月1日" in rows[0] and "second.png" in rows[0]
    assert "甲" in rows[1] and "2025年2月20日" in rows[1] and "first.pdf" in rows[1] and "olga" in rows[1]
    assert rows[0].startswith("<tr><td>2026年12月1日 08:00") and rows[1].startswith("<tr><td>2026年12月1日 08:00")

    download = reverse("evidence-download", args=[first_scan.pk])
    assert f'href="{download}"' in record
    assert client_for(leo).get(download).status_code == 200
    other = user_create(
        username="other-leader", password=None, role=Role.ZONE_LEADER, zone=plan["wuding"], full_name="other"
    )
    assert client_for(other).get(download).status_code == 404


@time_machine.travel(date(2026, 12, 1), tick=False)
def test_a_refused_signing_comes_back_with_what_was_typed_and_the_signing_now_stored_to_send_again(
    letter, olga, client_for, upload, samples, private_storage
):
    """Refused for a signing recorded since, the signing form comes back with the signatories and date typed and the
    current signing's token: pressed again, it corrects the signing (the scan chosen before is chosen again: a
    browser does not fill a file box)."""
    from tests.resend import form_data

    stale = services.signing_token(letter)
    _sign_with_scan(letter, olga, upload("scan.pdf", samples["pdf"]))
    client = client_for(olga)
    typed = {"prefecture_signatory": "丙", "zone_signatory": "丁", "signed_on": "2025-03-01"}
    refused = client.post(letter.get_absolute_url(), {**typed, "seen": stale})
    page = refused.content.decode()
    assert refused.status_code == 400 and "刚被他人登记" in page and "您填写的内容已保留" in page
    letter.refresh_from_db()
    assert (letter.prefecture_signatory, letter.signed_on) == ("甲", date(2025, 2, 20))

    again = form_data(page, '//form[@id="letter-form"]')
    assert again == {**typed, "seen": services.signing_token(letter)}
    assert client.post(letter.get_absolute_url(), again).status_code == 302
    letter.refresh_from_db()
    assert (letter.prefecture_signatory, letter.zone_signatory, letter.signed_on) == ("丙", "丁", date(2025, 3, 1))
    assert letter.scan.original_name == "scan.pdf"  # sent without a scan, the signing keeps the one stored


@time_machine.travel(date(2026, 12, 1), tick=False)
@pytest.mark.parametrize("signed_on", [date(1900, 1, 1), date(2024, 12, 31)])
def test_a_signing_date_before_the_letters_year_is_refused(letter, olga, client_for, signed_on):
    """1900-01-01 was saved as the signing date of the 2025 letter; on the page and in the admin it is refused beside
    the field, and 1 January of the letter's year is accepted."""
    words = "签订日期不能早于责任书年度（2025年）。"
    with pytest.raises(services.SupervisionError) as error:
        services.letter_sign(
            letter=letter, user=olga, prefecture_signatory="甲", zone_signatory="乙", signed_on=signed_on
        )
    assert (error.value.message, error.value.field) == (words, "signed_on")
    client = client_for(olga)
    typed = {"prefecture_signatory": "甲", "zone_signatory": "乙", "signed_on": signed_on.isoformat()}
    response = client.post(letter.get_absolute_url(), typed)
    assert response.status_code == 400 and response.context["form"].errors["signed_on"] == [words]
    change = reverse("admin:supervision_responsibilityletter_change", args=[letter.pk])
    response = client.post(change, _admin_change_form(letter, **typed))
    assert response.status_code == 200 and response.context["adminform"].form.errors["signed_on"] == [words]
    letter.refresh_from_db()
    assert letter.signed_on is None
    services.letter_sign(
        letter=letter, user=olga, prefecture_signatory="甲", zone_signatory="乙", signed_on=date(2025, 1, 1)
    )
    letter.refresh_from_db()
    assert letter.signed_on == date(2025, 1, 1)
