"""Report templates and consultation in a real browser: an administrator downloads a report's template, uploads a
misspelt one (refused, named) and then a good one; a draft is written into it; the draft is shared with the
ombudsman, whose contributor comments on a section; the secretariat resolves the comment."""

import re
from io import BytesIO

import docx
import pytest

from .test_browser import browser, live_world, page, shot  # noqa: F401 - fixtures shared with the main flow

pytestmark = pytest.mark.browser


def _log_in(page, url: str, username: str, name: str) -> None:  # noqa: F811
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name=f"Welcome, {name}!").wait_for()


def _log_out(page) -> None:  # noqa: F811
    page.get_by_role("button", name="Log out").click()
    page.get_by_label("Username").wait_for()


def _with_paragraph(template: bytes, text: str) -> bytes:
    document = docx.Document(BytesIO(template))
    document.paragraphs[2].insert_paragraph_before(text)
    output = BytesIO()
    document.save(output)
    return output.getvalue()


def test_a_template_is_uploaded_a_draft_written_into_it_and_consulted_on(live_server, live_world, page, tmp_path):  # noqa: F811
    url = live_server.url
    _log_in(page, url, "administrator", "Administrator")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reporting").click()
    page.get_by_role("link", name="Report templates").click()
    page.get_by_role("heading", name="Placeholders").wait_for()
    row = page.get_by_role("row", name="UPR mid-term report").first
    with page.expect_download() as download:
        row.get_by_role("link", name="Download").click()
    template = open(download.value.path(), "rb").read()  # noqa: PTH123

    # A misspelt placeholder is refused, named, with the nearest known one.
    row.get_by_role("link", name="Upload").click()
    misspelt = tmp_path / "misspelt.docx"
    misspelt.write_bytes(_with_paragraph(template, "Prepared for the {{ mechansim }}."))
    page.get_by_label("Word template (.docx)").set_input_files(str(misspelt))
    page.get_by_role("button", name="Check and upload").click()
    page.get_by_text("“mechansim” (did you mean “mechanism”?)").wait_for()
    shot(page, "reporting-2-template-refused")

    ours = tmp_path / "mid-term, ours.docx"
    ours.write_bytes(_with_paragraph(template, "Prepared by the Permanent Commission for the {{ mechanism }}."))
    page.get_by_label("Word template (.docx)").set_input_files(str(ours))
    page.get_by_role("button", name="Check and upload").click()
    page.get_by_text("The template is saved").wait_for()
    assert "mid-term, ours.docx, uploaded" in page.get_by_role("row", name="UPR mid-term report").first.inner_text()

    # "Draft it" on the report's entry asks for a draft of that report.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reporting").click()
    page.get_by_role("link", name=re.compile(r"^Draft it\s?: UPR mid-term report$")).click()  # a hidden name
    assert page.get_by_label("Report").input_value() == "upr_midterm"
    page.get_by_label("Title").fill("UPR mid-term report, fourth cycle")
    page.get_by_label("Period from").fill("2020-01-01")
    page.get_by_label("Period to").fill("2024-12-31")
    page.get_by_label("Grouping").select_option("theme")
    page.get_by_role("button", name="Generate").click()
    download_link = page.get_by_role("link", name="Download the draft (Word)")
    download_link.wait_for(timeout=20_000)
    with page.expect_download() as download:
        download_link.click()
    text = "\n".join(paragraph.text for paragraph in docx.Document(download.value.path()).paragraphs)
    assert "Prepared by the Permanent Commission for the Universal Periodic Review." in text
    assert "Recommendation 121.2 (A/HRC/43/15)." in text

    # Share it with the ombudsman for comment.
    page.get_by_role("link", name="Share for comment").click()
    page.get_by_label("Ombudsman").check()
    page.get_by_role("button", name="Share").click()
    page.get_by_text("Open for comment until").wait_for()
    draft_url = page.url
    _log_out(page)

    # The ombudsman's contributor finds it on Reporting and comments on a section.
    _log_in(page, url, "contributor", "Contributor")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reporting").click()
    page.get_by_role("heading", name="Drafts shared with you for comment").wait_for()
    page.get_by_role("link", name="UPR mid-term report, fourth cycle").click()
    page.get_by_label("About").select_option("Right to education")
    page.get_by_role("textbox", name="Comment", exact=True).fill("Add the number of Roma assistants hired in 2024.")
    page.get_by_role("button", name="Comment", exact=True).click()
    page.get_by_text("Your comment is recorded.").wait_for()
    shot(page, "reporting-3-commented")
    _log_out(page)

    # The secretariat resolves it; the history says who did what.
    _log_in(page, url, "administrator", "Administrator")
    page.goto(draft_url)
    page.get_by_text("1 comment to resolve.").wait_for()
    page.get_by_label("How it was taken into account").fill("Added to the education section.")
    page.get_by_role("button", name="Resolve").click()
    page.get_by_text("The comment is resolved.").wait_for()
    page.get_by_text("0 comments to resolve.").wait_for()
    updates = page.get_by_role("region", name="Updates").inner_text()
    assert "Right to education: Add the number of Roma assistants hired in 2024. → Added to the education" in updates
    shot(page, "reporting-4-resolved")
