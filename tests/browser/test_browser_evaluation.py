"""The office opens a closed plan's final evaluation in a real browser and downloads the Word and Excel files."""

from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.dashboards.data import build_small


def test_the_office_opens_the_final_evaluation_and_downloads_both_files(page, login, screenshot, olga, plan, tmp_path):
    build_small()
    login(page, olga)
    page.get_by_role("link", name="查看终期评估").click()
    expect(page.locator("h1")).to_contain_text("终期评估")
    expect(page.locator("section[data-section]")).to_have_count(9)
    goals = page.locator("section#goals tbody tr")
    assert goals.count() > 50
    expect(page.locator("section#flags tbody tr", has_text="禄丰产业园区").first).to_be_visible()
    screenshot(page, "evaluation")

    with page.expect_download() as got:
        page.get_by_role("link", name="下载 Word（.docx）").click()
    word = tmp_path / got.value.suggested_filename
    got.value.save_as(word)
    assert word.suffix == ".docx"
    document = Document(str(word))
    assert "终期评估" in document.paragraphs[0].text
    assert len(document.tables) == 9 and len(document.tables[1].rows) == goals.count() + 1

    with page.expect_download() as got:
        page.get_by_role("link", name="下载 Excel（.xlsx）").click()
    sheet = tmp_path / got.value.suggested_filename
    got.value.save_as(sheet)
    assert sheet.suffix == ".xlsx"
    assert load_workbook(sheet).sheetnames[1] == "目标完成情况"
