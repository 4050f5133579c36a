"""Statistics and exports in a real browser: filter, read a chart, download it as PNG and SVG, print, export a list."""

import struct
from io import BytesIO

import docx
import pytest
from openpyxl import load_workbook

from .test_browser import browser, live_world, page, shot  # noqa: F401 - fixtures shared with the main flow

pytestmark = pytest.mark.browser


def _log_in(page, url: str) -> None:  # noqa: F811
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Username").fill("coordinator")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Welcome, Coordinator!").wait_for()


def test_statistics_charts_download_as_png_and_svg_and_print_without_controls(live_server, live_world, page):  # noqa: F811
    _log_in(page, live_server.url)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Statistics").click()
    page.get_by_role("heading", name="Progress by lead institution").wait_for()
    page.get_by_label("Mechanism", exact=True).select_option("UPR")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/statistics/?mechanism=UPR**")
    section = page.locator("section.stat-figure", has=page.get_by_role("heading", name="Progress by lead institution"))
    chart = section.get_by_role("img", name="Progress by lead institution")
    assert chart.is_visible()
    table = section.get_by_role("table", name="Progress by lead institution")
    assert table.get_by_role("row", name="Ministry of the Interior").is_visible()
    assert table.get_by_role("row", name="No lead institution").count() == 0  # CEDAW's is filtered out
    shot(page, "statistics-1-progress")

    # PNG, drawn from the inline SVG by the page's script, at twice the chart's size.
    with page.expect_download() as download:
        section.get_by_role("button", name="Download the chart (PNG)").click()
    png = open(download.value.path(), "rb").read()  # noqa: SIM115 - a temporary file Playwright removes
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert width == 1440 and height > 100
    assert download.value.suggested_filename == "by-institution.png"

    # SVG, from the server, with the filters applied.
    with page.expect_download() as download:
        section.get_by_role("link", name="Download the chart (SVG)").click()
    svg = open(download.value.path(), encoding="utf-8").read()  # noqa: SIM115
    assert svg.startswith('<?xml version="1.0"') and "Ministry of the Interior" in svg
    assert "No lead institution" not in svg

    # Printed: the charts and tables, not the filters, tabs or download buttons.
    page.emulate_media(media="print")
    assert chart.is_visible() and table.is_visible()
    assert not page.get_by_role("button", name="Apply").is_visible()
    assert not section.get_by_role("link", name="Download the chart (SVG)").is_visible()
    page.emulate_media(media="screen")

    page.get_by_role("link", name="Status over time").click()
    page.get_by_role("heading", name="Implementation status over time").wait_for()
    assert "mechanism=UPR" in page.url  # the tabs keep the filters
    shot(page, "statistics-2-over-time")


def test_export_the_filtered_recommendations_to_a_spreadsheet(live_server, live_world, page):  # noqa: F811
    _log_in(page, live_server.url)
    page.goto(f"{live_server.url}/recommendations/?mechanism=UPR")
    page.get_by_text("2 recommendations").wait_for()
    page.get_by_text("Export", exact=True).click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)").click()
    workbook = load_workbook(BytesIO(open(download.value.path(), "rb").read()))  # noqa: SIM115
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("id", "reference", "text")
    assert sorted(row[1] for row in rows[1:]) == ["121.10 (A/HRC/43/15)", "121.2 (A/HRC/43/15)"]
    assert sheet.freeze_panes == "A2"


def test_generate_a_report_draft_and_download_it(live_server, live_world, page):  # noqa: F811
    _log_in(page, live_server.url)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reporting").click()
    page.get_by_role("heading", name="How a report is prepared here").wait_for()
    page.get_by_role("link", name="Generate a draft").click()
    page.get_by_label("Title").fill("UPR mid-term report, third cycle")
    assert page.get_by_label("Mechanism").input_value() == str(live_world.upr.pk)  # the UPR tab's
    page.get_by_label("Period from").fill("2020-01-01")
    page.get_by_label("Period to").fill("2024-12-31")
    page.get_by_label("Grouping").select_option("theme")
    page.get_by_role("button", name="Generate").click()
    page.get_by_role("heading", name="UPR mid-term report, third cycle").wait_for()
    download_link = page.get_by_role("link", name="Download the draft (Word)")
    download_link.wait_for(timeout=20_000)  # the page refreshes itself until the task has written it
    shot(page, "reporting-1-draft")
    with page.expect_download() as download:
        download_link.click()
    document = docx.Document(download.value.path())
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert text.startswith("UPR mid-term report, third cycle\n") and "Right to education" in text
    assert "Recommendation 121.2 (A/HRC/43/15)." in text
