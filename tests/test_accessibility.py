"""WCAG 2.1 AA with axe-core on every main page, for every role; Arabic renders right to left.

axe-core comes from npm (package-lock.json; `make test` runs `npm ci`) and
runs inside Debian's Chromium. Screenshots go to test-artifacts/.
"""

from pathlib import Path

import pytest
from django.urls import reverse

from rectrack.accounts.models import Role
from rectrack.imports.models import ImportRun, ImportState

from .conftest import IN_CI, ROLES
from .test_browser import browser, live_world, shot  # noqa: F401 (fixtures)

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SECRETARIAT = {Role.ADMINISTRATOR, Role.COORDINATOR}

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def axe_script() -> str:
    if not AXE.exists():
        message = f"{AXE} is missing: run `npm ci` (make test does)."
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return str(AXE)


def _log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill("a-long-test-password")
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    page.wait_for_url(f"{base}/")


def _pages(world, role) -> list[str]:
    pages = [
        reverse("dashboard:home"),
        reverse("planning:project_list"),
        reverse("planning:project_detail", args=[world.project.pk]),
        reverse("recommendations:list") + "?q=education",
        reverse("recommendations:detail", args=[world.education.pk]),
        reverse("planning:activity_list"),
        reverse("planning:activity_detail", args=[world.activity.pk]),
        reverse("dashboard:reporting"),
        reverse("dashboard:statistics"),
        reverse("dashboard:settings"),
    ]
    if role in SECRETARIAT:
        run = ImportRun.objects.get_or_create(
            file_name="export.json",
            defaults={"format": "uhri-json", "state": ImportState.PREVIEWED, "created": 12, "unchanged": 3},
        )[0]
        pages += [
            reverse("recommendations:create"),
            reverse("recommendations:edit", args=[world.education.pk]),
            reverse("planning:project_create"),
            reverse("imports:list"),
            reverse("imports:new"),
            reverse("imports:detail", args=[run.pk]),
        ]
    if role in SECRETARIAT | {Role.FOCAL_POINT}:
        pages += [reverse("planning:activity_create"), reverse("planning:activity_edit", args=[world.activity.pk])]
    return pages


def _violations(page, axe_script: str) -> list[str]:
    page.add_script_tag(path=axe_script)
    found = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations"
        ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))",
        WCAG_AA,
    )
    return found


@pytest.mark.parametrize("role", ROLES)
def test_every_main_page_passes_axe_for_every_role(live_server, live_world, browser, axe_script, role):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    problems = {}
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        if found := _violations(page, axe_script):
            problems["login"] = found
        _log_in(page, live_server.url, role.value)
        for url in _pages(live_world, role):
            page.goto(f"{live_server.url}{url}")
            if found := _violations(page, axe_script):
                problems[url] = found
    finally:
        context.close()
    assert problems == {}


def test_arabic_renders_right_to_left_on_the_main_pages(live_server, live_world, browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar")
    page = context.new_page()
    try:
        _log_in(page, live_server.url, "coordinator")
        for name, url in [
            ("dashboard", reverse("dashboard:home")),
            ("recommendations", reverse("recommendations:list")),
            ("recommendation", reverse("recommendations:detail", args=[live_world.education.pk])),
            ("projects", reverse("planning:project_list")),
            ("activities", reverse("planning:activity_list")),
        ]:
            page.goto(f"{live_server.url}{url}")
            assert page.locator("html").get_attribute("dir") == "rtl", url
            assert page.locator("html").get_attribute("lang") == "ar", url
            assert page.evaluate("getComputedStyle(document.body).direction") == "rtl", url
            # Mirrored layout: the navigation sits to the right of the content.
            nav = page.locator("nav.sidebar").bounding_box()
            main = page.locator("main").bounding_box()
            assert nav["x"] > main["x"], url
            shot(page, f"rtl-{name}")
    finally:
        context.close()
