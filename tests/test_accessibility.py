"""WCAG 2.1 AA with axe-core on every main page, for every role; Arabic renders right to left.

axe-core comes from npm (package-lock.json; `make test` runs `npm ci`) and
runs inside Debian's Chromium. Screenshots go to test-artifacts/.
"""

import functools
from pathlib import Path

import pytest
from django.urls import reverse

from rectrack.accounts.models import Role
from rectrack.imports.models import ImportRun, ImportState

from .conftest import IN_CI, ROLES, plain_group, tiny_label_model, written_draft
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


@functools.cache
def _axe_source(path: str) -> str:
    return Path(path).read_text(encoding="utf-8") + "\n;true"


def _log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill("a-long-test-password")
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    page.wait_for_url(f"{base}/")


def _indicator(world) -> int:
    """An indicator with a baseline, a target and values (with a breakdown), for its list and page."""
    from datetime import date
    from decimal import Decimal

    from rectrack.indicators import services as indicators
    from rectrack.indicators.models import Indicator

    found = Indicator.objects.filter(name="Roma children completing primary school").first()
    if found:
        return found.pk
    indicator = indicators.indicator_create(
        actor=world.admin, name="Roma children completing primary school", kind="outcome", unit="%",
        baseline_value=Decimal("50"), baseline_date=date(2019, 6, 30), target_value=Decimal("80"),
        target_date=date(2030, 6, 30), responsible_institution=world.justice, recommendations=[world.education],
    )  # fmt: skip
    for day, value, breakdown in ((date(2020, 6, 30), "52", ""), (date(2024, 6, 30), "61.5", ""),
                                  (date(2024, 6, 30), "63", "Girls")):  # fmt: skip
        indicators.measurement_add(
            indicator=indicator, actor=world.admin, measured_on=day, value=Decimal(value), breakdown=breakdown
        )
    return indicator.pk


def _calendar_event(world) -> int:
    """An event for everyone over three days of this month (the month, the list and its own page show it)."""
    from datetime import time, timedelta

    from django.utils import timezone

    from rectrack.agenda import services as agenda
    from rectrack.agenda.models import Event

    found = Event.objects.filter(title="Visit of the Special Rapporteur on the human rights of migrants").first()
    if found:
        return found.pk
    today = timezone.localdate()
    first = today.replace(day=1) + timedelta(days=9)
    agenda.event_create(
        actor=world.admin, title="NMIRF plenary meeting", kind="meeting", starts_on=today, start_time=time(10),
        end_time=time(12), location="Ljubljana",
    )  # fmt: skip
    return agenda.event_create(
        actor=world.admin, title="Visit of the Special Rapporteur on the human rights of migrants", kind="visit",
        starts_on=first, ends_on=first + timedelta(days=2), audience="everyone", institutions=[world.interior],
        description="Meetings with the authorities, civil society and migrants in reception centres.",
    ).pk  # fmt: skip


def _collaboration(world) -> int:
    """An attachment, a comment with a mention, a notification for everyone, and an answered request."""
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from rectrack.collaboration import services as collaboration
    from rectrack.inquiries import services as inquiries
    from rectrack.inquiries.models import InformationRequest, Recipient

    found = InformationRequest.objects.first()
    if found:
        return found.pk
    collaboration.attachment_add(
        activity=world.activity, actor=world.admin, upload=SimpleUploadedFile("report.pdf", b"%PDF-1.4 x"),
        description="Training report", is_public=True,
    )  # fmt: skip
    collaboration.comment_add(activity=world.activity, actor=world.admin, body="@coordinator the report is in.")
    collaboration.notify(
        recipients=world.users.values(), kind="mention", actor=world.admin, target_label=world.activity.title,
        target_url=reverse("planning:activity_detail", args=[world.activity.pk]), excerpt="The report is in.",
    )  # fmt: skip
    request = inquiries.request_send(
        actor=world.admin, title="Mid-term report", instructions="Progress since the review?", word_limit=100,
        deadline=timezone.localdate() + timedelta(days=10), recommendations=[world.education],
        activities=[world.activity], institutions=[world.justice, world.interior],
    )  # fmt: skip
    inquiries.answers_save(
        recipient=Recipient.objects.get(request=request, institution=world.justice),
        actor=world.user(Role.FOCAL_POINT), texts={world.education: "Roma assistants in 46 schools."},
    )  # fmt: skip
    return request.pk


def _consulted_draft(world):
    from datetime import timedelta

    from django.utils import timezone

    from rectrack.reporting import services as reporting

    draft = written_draft(world)
    if not draft.consultation_deadline:
        reporting.draft_share(
            actor=world.admin, draft=draft, institutions=[world.nhri], deadline=timezone.localdate() + timedelta(7)
        )
        draft.refresh_from_db()
        for text in ("Cite the Ombudsman's annual report.", "Add the 2025 budget."):
            comment = reporting.draft_comment_add(
                actor=world.user(Role.CONTRIBUTOR), draft=draft, section=draft.outline[0], text=text,
                institution=world.nhri,
            )  # fmt: skip
        reporting.draft_comment_resolve(actor=world.admin, comment=comment, resolution="Added.")
    return draft


def _pages(world, role) -> list[str]:
    pages = [
        reverse("dashboard:home"),
        reverse("planning:project_list"),
        reverse("planning:project_detail", args=[world.project.pk]),
        reverse("recommendations:list") + "?q=education",
        reverse("recommendations:detail", args=[world.education.pk]),
        reverse("planning:activity_list"),
        reverse("planning:activity_detail", args=[world.activity.pk]),
        reverse("statistics:progress"),
        reverse("statistics:themes"),
        reverse("statistics:planning"),
        reverse("statistics:over_time"),
        reverse("dashboard:settings"),
        reverse("accounts:two_factor"),
    ]
    if role != Role.CONTRIBUTOR:
        pages.append(reverse("audit:feed"))
    pages += [  # calendar
        reverse("agenda:month"),
        reverse("agenda:list"),
        reverse("agenda:event_detail", args=[_calendar_event(world)]),
        reverse("agenda:feed"),
    ]
    if role in SECRETARIAT:
        pages.append(reverse("agenda:event_create"))
    # Reporting: a draft shared for comment with the ombudsman, with a resolved and an open comment.
    draft = _consulted_draft(world)
    pages += [reverse("reporting:index"), reverse("reporting:draft_detail", args=[draft.pk])]
    if role != Role.CONTRIBUTOR:
        pages += [reverse("reporting:treaty_bodies"), reverse("reporting:templates")]
    if role in SECRETARIAT:
        pages += [reverse("reporting:draft_create"), reverse("reporting:draft_share", args=[draft.pk])]
    if role == Role.ADMINISTRATOR:
        pages.append(reverse("reporting:template_upload", args=["upr_national"]))
    if role != Role.CONTRIBUTOR:  # indicators
        pages += [reverse("indicators:list"), reverse("indicators:detail", args=[_indicator(world)])]
        if role in SECRETARIAT:
            pages += [reverse("indicators:create"), reverse("indicators:edit", args=[_indicator(world)])]
    if role in SECRETARIAT:
        run = ImportRun.objects.get_or_create(
            file_name="export.json",
            defaults={"format": "uhri-json", "state": ImportState.PREVIEWED, "created": 12, "unchanged": 3},
        )[0]
        pages += [
            reverse("recommendations:create"),
            reverse("recommendations:edit", args=[world.education.pk]),
            reverse("recommendations:translations", args=[world.education.pk]),
            reverse("planning:project_create"),
            reverse("imports:list"),
            reverse("imports:new"),
            reverse("imports:detail", args=[run.pk]),
        ]
    if role == Role.ADMINISTRATOR:
        pages += [
            reverse("accounts:user_list"),
            reverse("accounts:user_invite"),
            reverse("accounts:user_edit", args=[world.user(Role.VIEWER).pk]),
            reverse("instance:edit"),
            reverse("taxonomy:overview"),
            reverse("institutions:list"),
            reverse("institutions:edit", args=[world.justice.pk]),
            reverse("taxonomy:review"),
            reverse("taxonomy:term_edit", args=[world.education_theme.pk]),
            reverse("portal:settings"),
        ]
    if role in SECRETARIAT | {Role.FOCAL_POINT}:
        pages += [reverse("planning:activity_create"), reverse("planning:activity_edit", args=[world.activity.pk])]
    request = _collaboration(world)  # notifications, information requests, handover
    pages += [reverse("collaboration:notifications"), reverse("collaboration:preferences")]
    if role != Role.CONTRIBUTOR:
        pages += [reverse("inquiries:list"), reverse("inquiries:detail", args=[request])]
    if role in SECRETARIAT:
        pages += [
            reverse("inquiries:create"),
            reverse("inquiries:edit", args=[request]),
            reverse("institutions:handover", args=[world.justice.pk]),
        ]
    if role == Role.FOCAL_POINT:
        pages.append(reverse("inquiries:answer", args=[request, world.justice.pk]))
    # Suggestions and similar recommendations: a suggestion to review, the index built, a group.
    group = _suggestions_and_groups(world)
    pages.append(reverse("recommendations:group_list"))
    if role != Role.CONTRIBUTOR:
        pages += [reverse("recommendations:group_detail", args=[group.pk]),
                  reverse("recommendations:detail", args=[world.women.pk])]  # fmt: skip
    if role in SECRETARIAT:
        pages += [reverse("suggestions:review"), reverse("suggestions:settings"), reverse("suggestions:duplicates"),
                  reverse("recommendations:list") + "?q=violence&mode=meaning"]  # fmt: skip
    return pages


def _suggestions_and_groups(world):
    from rectrack.suggestions import services as suggestions

    if suggestions.active_model() is None:
        tiny_label_model(world)
        suggestions.suggest()
        suggestions.index_run(rebuild=True)
    return plain_group(world)


def _public_pages(world) -> list[str]:
    """The public portal's pages, with the world published."""
    from rectrack.instance.services import portal_rules_update

    portal_rules_update(actor=None, publish_recommendations=True, publish_projects=True, publish_activities=True)
    return [
        reverse("portal:home"),
        reverse("portal:recommendations") + "?q=education",
        reverse("portal:recommendation", args=[world.education.pk]),
        reverse("portal:projects"),
        reverse("portal:project", args=[world.project.pk]),
        reverse("portal:open_data"),
    ]


def _violations(page, axe_script: str) -> list[str]:
    # Evaluated through the DevTools protocol: a <script> tag would be refused
    # by the content security policy, as it should be.
    page.evaluate(_axe_source(axe_script))
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
    # The content security policy forbids inline script and style: a page that
    # relied on either would log a refusal here.
    refused = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    try:
        for url in [reverse("accounts:login"), reverse("accounts:password_reset"), *_public_pages(live_world)]:
            assert page.goto(f"{live_server.url}{url}").status == 200, url
            if found := _violations(page, axe_script):
                problems[url] = found
        _log_in(page, live_server.url, role.value)
        for url in _pages(live_world, role):
            page.goto(f"{live_server.url}{url}")
            if found := _violations(page, axe_script):
                problems[url] = found
        if role == Role.ADMINISTRATOR:
            # The administration site runs under the same policy.
            for url in (reverse("admin:index"), reverse("admin:recommendations_recommendation_changelist")):
                page.goto(f"{live_server.url}{url}")
    finally:
        context.close()
    assert problems == {}
    assert refused == []


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


# ---------------------------------------------------------------- small screens


@pytest.mark.parametrize("locale", ["en-GB", "ar"])
def test_every_main_page_fits_a_360_pixel_screen(live_server, live_world, browser, locale):  # noqa: F811
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale=locale)
    page = context.new_page()
    too_wide = {}
    try:
        for url in ["/accounts/login/", *_public_pages(live_world)]:
            page.goto(f"{live_server.url}{url}")
            if (width := page.evaluate("document.documentElement.scrollWidth")) > 360:
                too_wide[url] = width
        _log_in(page, live_server.url, "coordinator")
        for url in _pages(live_world, Role.COORDINATOR):
            page.goto(f"{live_server.url}{url}")
            # Nothing sticks out sideways: no page needs a horizontal scroll.
            if (width := page.evaluate("document.documentElement.scrollWidth")) > 360:
                too_wide[url] = width
        page.goto(f"{live_server.url}{reverse('recommendations:detail', args=[live_world.education.pk])}")
        shot(page, f"360-{locale}-recommendation")
    finally:
        context.close()
    assert too_wide == {}


def test_on_a_phone_the_results_come_before_the_long_filter_panel(live_server, live_world, browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-GB")
    page = context.new_page()
    try:
        _log_in(page, live_server.url, "coordinator")
        page.goto(f"{live_server.url}{reverse('recommendations:list')}")
        panel = page.locator("details.fold-narrow")
        assert panel.get_attribute("open") is None  # folded away
        assert page.locator(".result").first.bounding_box()["y"] < 2 * 740
        shot(page, "360-en-recommendations")
        panel.locator("summary").click()
        assert page.get_by_label("Mechanism").is_visible()
        # A filter in use keeps the panel open, so the user sees what narrows the list.
        page.goto(f"{live_server.url}{reverse('recommendations:list')}?position=supported")
        assert page.locator("details.fold-narrow").get_attribute("open") is not None
    finally:
        context.close()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    try:
        _log_in(page, live_server.url, "coordinator")
        page.goto(f"{live_server.url}{reverse('recommendations:list')}")
        assert page.get_by_label("Mechanism").is_visible()  # wide screens keep every filter in view
    finally:
        context.close()


# ---------------------------------------------------------------- keyboard


def _focus_ring(page) -> str:
    """How the focused element shows its focus: an outline or a shadow, or "" when it does not."""
    return page.evaluate(
        """() => {
          const el = document.activeElement, style = getComputedStyle(el);
          if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) return 'outline';
          if (style.boxShadow && style.boxShadow !== 'none') return 'shadow';
          return '';
        }"""
    )


def _describe_focus(page) -> str:
    return page.evaluate(
        "() => { const el = document.activeElement; "
        "return el.tagName + (el.id ? '#' + el.id : '') + ' ' "
        "+ (el.textContent || el.name || '').trim().slice(0, 40); }"
    )


def test_everything_works_by_keyboard_with_a_visible_focus(live_server, live_world, browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    try:
        # Log in without a mouse.
        page.goto(f"{live_server.url}/accounts/login/")
        assert page.evaluate("document.activeElement.name") == "username"  # focused on arrival
        page.keyboard.type("coordinator")
        page.keyboard.press("Tab")
        page.keyboard.type("a-long-test-password")
        page.keyboard.press("Enter")
        page.wait_for_url(f"{live_server.url}/")

        # The first stop is the skip link, visible when focused; it moves the focus to the content.
        page.goto(f"{live_server.url}{reverse('recommendations:list')}?q=education")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.classList.contains('skip-link')")
        assert page.locator(".skip-link").bounding_box()["y"] >= 0
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "content"

        # Every stop on the way shows where the focus is, and a result opens with Enter.
        unseen = []
        for _ in range(80):
            page.keyboard.press("Tab")
            if not _focus_ring(page):
                unseen.append(_describe_focus(page))
            if page.evaluate("document.activeElement.matches('.result h3 a')"):
                break
        else:
            pytest.fail("Tabbing through the list never reached a result")
        assert unseen == []
        page.keyboard.press("Enter")
        page.wait_for_url(f"{live_server.url}{reverse('recommendations:detail', args=[live_world.education.pk])}")

        # The language switcher works by keyboard too.
        page.locator("#language-choice").focus()
        assert _focus_ring(page)
        page.keyboard.press("ArrowDown")  # English, then French
        assert page.locator("#language-choice").input_value() == "fr"
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.type") == "submit" and _focus_ring(page)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.endswith(reverse("recommendations:detail", args=[live_world.education.pk]))
        assert page.locator("html").get_attribute("lang") == "fr"
    finally:
        context.close()
