"""The main flow in a real browser (Debian's Chromium, headless, driven by Playwright).

Log in, search for a recommendation, open it, create an activity linked to it
and to a project, and see the project's progress change. Screenshots go to
test-artifacts/ for a person to look at.
"""

import os
from pathlib import Path

import pytest

from rectrack.recommendations.seed import seed_mechanisms
from rectrack.taxonomy.seed import seed_taxonomy

from .conftest import IN_CI, World

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is not installed (apt-get install chromium); browser tests need it."
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; Django refuses
    # database access from a thread with a loop unless told it is safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_world(transactional_db):
    # Transactional tests empty the tables afterwards, so seed here too.
    seed_taxonomy()
    seed_mechanisms()
    return World()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    yield page
    context.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_search_open_create_activity_and_see_project_progress(live_server, live_world, page):
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Username").fill("coordinator")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Welcome, Coordinator!").wait_for()

    # Search from the top bar.
    page.get_by_role("searchbox", name="Search recommendations").fill('"inclusive education" roma')
    page.keyboard.press("Enter")
    page.get_by_text("1 recommendation").first.wait_for()
    shot(page, "1-search-results")
    page.get_by_role("link", name="121.2 (A/HRC/43/15)").click()

    # The detail page, then "Create activity".
    page.get_by_role("heading", name="Recommendation 121.2 (A/HRC/43/15)").wait_for()
    assert page.get_by_text("Ensure inclusive education for Roma children").is_visible()
    shot(page, "2-recommendation")
    page.get_by_role("link", name="Create activity").first.click()

    page.get_by_role("heading", name="Create activity").wait_for()
    page.get_by_label("Title").fill("Roma teaching assistants in primary schools")
    page.get_by_label("Status").select_option(label="Completed")
    page.get_by_label("Lead institution").select_option(label="Ministry of Justice")
    page.get_by_label("Budget", exact=True).fill("310000")
    page.get_by_label("Currency").select_option("EUR")
    page.get_by_label("Education for all").check()
    linked = page.get_by_label("121.2 (A/HRC/43/15)", exact=False)
    assert linked.is_checked(), "the recommendation the activity was created from is linked"
    shot(page, "3-activity-form")
    page.get_by_role("button", name="Save").click()

    page.get_by_text("The activity was created.").wait_for()
    assert page.get_by_role("heading", name="Roma teaching assistants in primary schools").is_visible()
    assert page.get_by_role("link", name="121.2 (A/HRC/43/15)").is_visible()
    assert page.get_by_text("€310,000.00").is_visible()
    shot(page, "4-activity")

    # The project's progress now counts the completed activity.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Projects").click()
    card = page.locator(".card", has_text="Education for all")
    card.get_by_text("1 / 2 activities completed").wait_for()
    assert card.get_by_text("0 / 1 recommendations implemented").is_visible()
    shot(page, "5-projects")


def test_a_wrong_password_is_refused_in_the_browser(live_server, live_world, page):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("coordinator")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("alert").wait_for()
    assert "The user name or the password is not right" in page.get_by_role("alert").inner_text()


def test_import_a_thematic_list_preview_then_confirm(live_server, live_world, page):
    from .conftest import shared_data

    path = shared_data("ohchr-upr-thematic-lists/docx/UPR34_Slovenia_Thematic_list_of_Recommendations.docx")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("coordinator")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Welcome, Coordinator!").wait_for()

    page.get_by_role("link", name="Recommendations", exact=True).first.click()
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_role("link", name="Import a file").click()
    page.locator("input[type=file][name=file]").set_input_files(str(path))
    shot(page, "import-upload")
    page.get_by_role("button", name="Upload and preview").click()

    # The preview runs as a background task; the page refreshes itself until it is ready.
    page.get_by_role("heading", name="Preview: nothing has been imported yet").wait_for(timeout=30_000)
    assert page.locator(".stat").first.inner_text() == "215"
    shot(page, "import-preview")
    page.get_by_role("button", name="Import now").click()
    page.get_by_role("heading", name="Imported", exact=True).wait_for(timeout=30_000)
    shot(page, "import-done")

    page.get_by_role("link", name="Recommendations", exact=True).first.click()
    page.get_by_role("searchbox", name="Words in the text").fill('"enforced disappearance"')
    page.get_by_role("button", name="Apply").click()
    assert "121.2 (A/HRC/43/15)" in page.content()


def test_an_administrator_publishes_a_recommendation_and_the_public_finds_it(live_server, live_world, browser, page):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("administrator")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Welcome, Administrator!").wait_for()

    # Nothing is published yet: the public sees no recommendation.
    public = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    visitor = public.new_page()
    try:
        visitor.goto(f"{live_server.url}/public/recommendations/?q=torture")
        visitor.get_by_text("0 recommendations").wait_for()

        page.goto(f"{live_server.url}/recommendations/{live_world.torture.pk}/")
        panel = page.get_by_role("region", name="Public portal")
        assert panel.get_by_text("Not published").first.is_visible()
        panel.get_by_label("On the public portal").select_option(label="Published")
        panel.get_by_role("button", name="Save").click()
        page.get_by_text("It is on the public portal.").wait_for()
        shot(page, "portal-1-published")

        # The public finds it, opens it, and downloads the open data.
        visitor.goto(f"{live_server.url}/public/")
        visitor.get_by_label("Search the published recommendations").fill("torture")
        visitor.get_by_role("button", name="Search").click()
        visitor.get_by_text("1 recommendation").wait_for()
        visitor.get_by_role("link", name="121.10 (A/HRC/43/15)").click()
        visitor.get_by_role("heading", name="Recommendation 121.10 (A/HRC/43/15)").wait_for()
        assert visitor.get_by_text("Investigate all allegations of torture").is_visible()
        assert visitor.get_by_text("In progress").first.is_visible()
        assert visitor.get_by_role("link", name="Sign in").is_visible()
        shot(visitor, "portal-2-recommendation")
        visitor.get_by_role("link", name="Open data").click()
        with visitor.expect_download() as download:
            visitor.get_by_role("link", name="Recommendations, CSV").click()
        text = Path(download.value.path()).read_text(encoding="utf-8-sig")
        assert text.startswith("id,reference,text")
        assert "Investigate all allegations of torture" in text and "Roma children" not in text
    finally:
        public.close()
