"""The permission matrix, generated over every URL pattern: every role and anonymous users, GET and POST.

Each named URL of the application must have an entry in MATRIX; a URL added
without one fails `test_every_url_is_in_the_matrix`. For each entry and each
role the test checks what a GET answers and whether a POST changes anything.
`docs/permissions.md` carries the same matrix, rendered by `render_matrix`
(`test_the_documented_matrix_is_the_tested_one` keeps them equal).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from rectrack.accounts import services
from rectrack.accounts.models import LoginFailure, Role, User
from rectrack.audit.models import AuditEvent
from rectrack.imports import services as imports
from rectrack.imports.models import ImportRun, ImportState
from rectrack.reporting import services as reporting
from tests.conftest import ROLES, pending_suggestion, plain_group, tiny_label_model, written_draft

from .test_permissions import _recommendation_form

ROOT_DOC = "docs/permissions.md"
SECRETARIAT = frozenset({Role.ADMINISTRATOR, Role.COORDINATOR})
WITH_FOCAL_POINT = SECRETARIAT | {Role.FOCAL_POINT}
EVERYONE = frozenset(ROLES)
NOBODY = frozenset()


@dataclass(frozen=True)
class Entry:
    """Who may read (GET answers 200) and who may act (POST changes something) at one URL."""

    args: Callable = lambda w: []
    readers: frozenset = EVERYONE  # GET 200; other signed-in roles get 404
    writers: frozenset = NOBODY  # POST changes something; others get 404 (or 405) and change nothing
    data: Callable = lambda w: {}
    post_only: bool = False  # GET answers 405 to everyone signed in
    public: bool = False  # anonymous users are served, not sent to the login page
    anonymous_writes: bool = False  # an anonymous POST acts too (a password reset, an invitation)
    note: str = ""
    query: str = ""
    extra_ok: dict = field(default_factory=dict)  # role -> status when not 200 by design (a redirect)
    # What a permitted POST changes, when it is not the history: a function of
    # the world whose value differs before and after.
    effect: Callable | None = None


def _run(world, **changes):
    values = {"file_name": "export.json", "format": "uhri-json", "state": ImportState.PREVIEWED, "created": 3}
    return ImportRun.objects.create(**{**values, **changes})


def _run_with_report(world):
    run = _run(world, rejected=1)
    imports.report_path(run).write_text("Row,Column,Reason\n2,Text,The recommendation has no text.\n")
    return run


def _invited(world) -> User:
    user = User.objects.create(username="invited@gov.example", email="invited@gov.example", is_active=False)
    user.set_unusable_password()
    user.save()
    return user


def _with_email(world) -> dict:
    viewer = world.user(Role.VIEWER)
    viewer.email = "vera@gov.example"
    viewer.save(update_fields=["email"])
    return {"email": viewer.email}


def _paused(world) -> int:
    for _ in range(5):
        LoginFailure.objects.create(username="viewer")
    return world.user(Role.VIEWER).pk


def _outbox(world) -> int:
    return len(mail.outbox)


def _decide_all(world) -> dict:
    pending_suggestion(world)
    return {"action": "accept", "apply_to": "all", "query": ""}


def _pending_count(world) -> int:
    from rectrack.suggestions.models import Suggestion

    return Suggestion.objects.filter(state="pending").count()


def _suggestion_count(world) -> int:
    from rectrack.suggestions.models import Suggestion

    return Suggestion.objects.count()


def _model_count(world) -> int:
    from rectrack.suggestions.models import LabelModel

    return LabelModel.objects.count()


def _index_count(world) -> int:
    from rectrack.suggestions.models import SimilarityIndex

    return SimilarityIndex.objects.count()


def _with_model(args):
    """URL arguments, with a trained label model in use first (so that asking for suggestions makes some)."""

    def with_model(world):
        tiny_label_model(world)
        return args(world)

    return with_model


ADMINISTRATOR = frozenset({Role.ADMINISTRATOR})
NOT_CONTRIBUTOR = EVERYONE - {Role.CONTRIBUTOR}
# Contributors read only what is published or shared with their institution (tests/test_sharing.py); the
# objects these entries use are neither.
SHARED = " (a contributor: only if published or shared with them)"
NEW_PASSWORD = {"new_password1": "Triglav and the Sava 2026", "new_password2": "Triglav and the Sava 2026"}


def _with_two_factor(world) -> int:
    from rectrack.accounts.models import TwoFactorDevice

    viewer = world.user(Role.VIEWER)
    TwoFactorDevice.objects.create(user=viewer, secret="JBSWY3DPEHPK3PXP", confirmed_at=timezone.now())
    return viewer.pk


def _logo() -> list:
    import base64

    from django.core.files.uploadedfile import SimpleUploadedFile

    from rectrack.instance import services as instance

    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
    )
    instance.settings_update(
        actor=None, name="", country="", default_currency="", languages=[],
        logo=SimpleUploadedFile("logo.png", png),
    )  # fmt: skip
    return []


def _published(obj) -> list:
    from rectrack.portal.services import publication_set

    publication_set(obj=obj, actor=None, publication="published")
    return [obj.pk]


def _run_states(world) -> list:
    return list(ImportRun.objects.order_by("pk").values_list("pk", "state", "dry_run"))


# Indicators: one the Ministry of Justice answers for (the focal point's institution), and a value of it.
def _indicator(world):
    from rectrack.indicators import services as indicators
    from rectrack.indicators.models import Indicator

    return Indicator.objects.first() or indicators.indicator_create(
        actor=world.admin, name="Judges trained on hate crime", kind="process", responsible_institution=world.justice
    )


def _measured(world) -> list:
    from datetime import date
    from decimal import Decimal

    from rectrack.indicators import services as indicators

    indicator = _indicator(world)
    value = indicators.measurement_add(
        indicator=indicator, actor=world.admin, measured_on=date(2024, 12, 31), value=Decimal("85")
    )
    return [indicator.pk, value.pk]


# Calendar: an event for the administration only (contributors do not read it), and one's feed address.
def _calendar_event(world):
    from datetime import date

    from rectrack.agenda import services as agenda
    from rectrack.agenda.models import Event

    return Event.objects.first() or agenda.event_create(
        actor=world.admin, title="NMIRF plenary meeting", kind="meeting", starts_on=date(2031, 3, 4)
    )


def _calendar_form(world) -> dict:
    return {"title": "Renamed meeting", "kind": "meeting", "starts_on": "2031-03-04", "audience": "administration",
            "version": _calendar_event(world).version}  # fmt: skip


def _feed_token(world) -> list:
    from rectrack.agenda import services as agenda

    return [agenda.feed_reset(user=world.user(Role.VIEWER))]


def _feed_digests(world) -> list:
    from rectrack.agenda.models import CalendarFeed

    return list(CalendarFeed.objects.order_by("user_id").values_list("user_id", "token_hash"))


def _session_user(client) -> str | None:
    return client.session.get("_auth_user_id")


def _attachment(world, **changes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rectrack.collaboration import services as collaboration

    upload = SimpleUploadedFile("report.pdf", b"%PDF-1.4 report")
    return collaboration.attachment_add(activity=world.activity, actor=world.admin, upload=upload, **changes)


def _public_attachment(world) -> list:
    attachment = _attachment(world, is_public=True)
    _published(world.activity)
    return [attachment.pk]


def _upload(world) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"file": SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes"), "description": "Minutes"}


def _notify_everyone(world) -> dict:
    from rectrack.collaboration.services import notify

    notify(recipients=world.users.values(), kind="mention", actor=world.admin, target_label="x", target_url="/")
    return {}


def _unread(world) -> int:
    from rectrack.collaboration.models import Notification

    return Notification.objects.filter(read_at__isnull=True).count()


def _info_request(world):
    from datetime import timedelta

    from rectrack.inquiries import services as inquiries
    from rectrack.inquiries.models import InformationRequest

    return InformationRequest.objects.first() or inquiries.request_send(
        actor=world.admin,
        title="Mid-term report",
        instructions="Progress since the review?",
        word_limit=100,
        deadline=timezone.localdate() + timedelta(days=10),
        recommendations=[world.education],
        institutions=[world.justice],
    )


def _request_form(world) -> dict:
    from datetime import timedelta

    return {
        "title": "Annual report",
        "instructions": "Progress?",
        "word_limit": "100",
        "deadline": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "recommendation_refs": f"#{world.education.pk}",
        "institutions": [world.justice.pk],
        "version": _info_request(world).version,
    }


def _shared_draft(world):
    """The written UPR draft, shared for comment with the Ministry of Justice and the ombudsman for two weeks."""
    draft = written_draft(world)
    if not draft.consultation_deadline:
        reporting.draft_share(
            actor=world.admin, draft=draft, institutions=[world.justice, world.nhri],
            deadline=timezone.localdate() + timedelta(days=14),
        )  # fmt: skip
    return draft


def _open_comment(world) -> list:
    draft = _shared_draft(world)
    comment = draft.comments.filter(resolved_at__isnull=True).first() or reporting.draft_comment_add(
        actor=world.users[Role.CONTRIBUTOR], draft=draft, section="", text="Say what the budget was.",
        institution=world.nhri,
    )  # fmt: skip
    return [comment.pk]


def _template_upload(world) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rectrack.reporting.templating import builtin_template

    return {"file": SimpleUploadedFile("mid-term.docx", builtin_template("upr_midterm"))}


def _uploaded_template(world) -> list:
    from rectrack.reporting.models import ReportTemplate
    from rectrack.reporting.templating import builtin_template

    if not ReportTemplate.objects.filter(kind="upr_midterm").exists():
        reporting.template_upload(
            actor=world.admin, kind="upr_midterm", name="mid-term.docx", content=builtin_template("upr_midterm")
        )
    return ["upr_midterm"]


def _handover_form(world) -> dict:
    from rectrack.institutions.models import Membership

    alternate = User.objects.create_user(username="alternate", role=Role.FOCAL_POINT, password="x" * 20)
    Membership.objects.create(user=alternate, institution=world.justice, kind="alternate")
    return {"leaving": world.user(Role.FOCAL_POINT).pk, "taking_over": alternate.pk, "end_membership": "on"}


MATRIX: dict[str, Entry] = {
    "accounts:password_reset": Entry(
        public=True, writers=EVERYONE, anonymous_writes=True, data=_with_email, effect=_outbox,
        note="ask for a password reset link (the same answer for any address)",
    ),
    "accounts:password_reset_done": Entry(public=True, note="password reset link sent"),
    "accounts:password_reset_confirm": Entry(
        args=lambda w: ["MQ", "not-a-token"], public=True, note="choose a new password (with a valid link)"
    ),
    "accounts:password_reset_complete": Entry(public=True, note="password changed"),
    "accounts:invitation": Entry(
        args=lambda w: [services.invitation_token(_invited(w))], public=True, writers=EVERYONE,
        anonymous_writes=True, data=lambda w: NEW_PASSWORD, note="accept an invitation (with its link)",
    ),
    "accounts:user_list": Entry(readers=ADMINISTRATOR, note="list users"),
    "accounts:user_invite": Entry(
        readers=ADMINISTRATOR, writers=ADMINISTRATOR,
        data=lambda w: {"email": "new@gov.example", "first_name": "New", "role": "viewer", "kind": "member"},
        note="invite a user",
    ),
    "accounts:user_edit": Entry(
        args=lambda w: [w.user(Role.VIEWER).pk], readers=ADMINISTRATOR, writers=ADMINISTRATOR,
        data=lambda w: {"role": "contributor", "kind": "member", "is_active": "on"},
        note="change a user's role, institutions, access",
    ),
    "accounts:user_resend": Entry(
        args=lambda w: [_invited(w).pk], post_only=True, writers=ADMINISTRATOR, effect=_outbox,
        note="send an invitation again",
    ),
    "accounts:user_unlock": Entry(
        args=lambda w: [_paused(w)], post_only=True, writers=ADMINISTRATOR,
        effect=lambda w: LoginFailure.objects.count(), note="lift a sign-in pause",
    ),
    "instance:edit": Entry(
        readers=ADMINISTRATOR, writers=ADMINISTRATOR, data=lambda w: {"name": "NRTD", "languages": ["en"]},
        note="the instance's name, country, logo, currency, languages",
    ),
    "instance:logo": Entry(args=lambda w: _logo(), public=True, note="the instance's logo (an image)"),
    "accounts:two_factor": Entry(note="one's own two-factor sign-in: turn it on (with a code)"),
    "accounts:two_factor_disable": Entry(post_only=True, note="turn one's own two-factor sign-in off (with a code)"),
    "accounts:two_factor_verify": Entry(
        extra_ok={role: 302 for role in ROLES}, note="the code step of a sign-in (after the password)"
    ),
    "accounts:user_reset_two_factor": Entry(
        args=lambda w: [_with_two_factor(w)], post_only=True, writers=ADMINISTRATOR,
        note="turn off another user's two-factor sign-in (lost phone)",
    ),
    "taxonomy:overview": Entry(
        readers=ADMINISTRATOR, writers=ADMINISTRATOR, data=lambda w: {"label": "Roma inclusion"},
        note="vocabularies; add a national cluster",
    ),
    "taxonomy:review": Entry(readers=ADMINISTRATOR, note="labels met in imports, to map"),
    "taxonomy:term_edit": Entry(
        args=lambda w: [w.education_theme.pk], readers=ADMINISTRATOR, writers=ADMINISTRATOR,
        data=lambda w: {"label": "x", "status": "reviewed", "label_fr": "Droit à l'éducation (revu)"},
        note="edit a term: translations, status (labels of national clusters)",
    ),
    "taxonomy:term_merge": Entry(
        args=lambda w: [w.torture_theme.pk], post_only=True, writers=ADMINISTRATOR,
        data=lambda w: {f"t{w.torture_theme.pk}-target": w.education_theme.pk},
        note="merge a term into another (its recommendations move)",
    ),
    "institutions:list": Entry(
        readers=ADMINISTRATOR, writers=ADMINISTRATOR,
        data=lambda w: {"name": "Office for Equal Opportunities", "kind": "agency", "level": "national"},
        note="list institutions; register one",
    ),
    "institutions:edit": Entry(
        args=lambda w: [w.justice.pk], readers=ADMINISTRATOR, writers=ADMINISTRATOR,
        data=lambda w: {"name": "Ministry of Justice", "acronym": "MP", "kind": "ministry", "level": "national",
                        "is_active": "on"},
        note="edit an institution; see its roster",
    ),
    "dashboard:home": Entry(note="dashboard"),
    "audit:feed": Entry(readers=NOT_CONTRIBUTOR, note="the feed of all updates (administrators also see settings)"),
    "reporting:index": Entry(
        note="reporting: UPR reports, guide, drafts (contributors: only the drafts shared with them)"
    ),
    "reporting:treaty_bodies": Entry(note="reporting: treaty-body reports, guide, drafts (likewise)"),
    "reporting:draft_create": Entry(
        readers=SECRETARIAT, writers=SECRETARIAT,
        data=lambda w: {"title": "Mid-term report", "report": "upr_midterm", "mechanism": w.upr.pk,
                        "period_start": "2020-01-01", "period_end": "2024-12-31", "group_by": "theme"},
        note="generate a report draft (written by a background task)",
    ),
    "reporting:draft_detail": Entry(
        args=lambda w: [_shared_draft(w).pk],
        note="a report draft: its state, scope, consultation, comments (contributors: a draft shared with them)",
    ),
    "reporting:draft_download": Entry(
        args=lambda w: [_shared_draft(w).pk], note="download a report draft (Word) (contributors: likewise)"
    ),
    "reporting:draft_delete": Entry(
        args=lambda w: [written_draft(w).pk], post_only=True, writers=SECRETARIAT,
        note="delete a report draft (its file and comments; the history keeps it)",
    ),
    "reporting:draft_share": Entry(
        args=lambda w: [_shared_draft(w).pk], readers=SECRETARIAT, writers=SECRETARIAT,
        data=lambda w: {"shared_with": [w.interior.pk], "consultation_deadline": "2099-12-31"},
        note="share a written draft for comment with institutions, until a deadline",
    ),
    "reporting:draft_comment": Entry(
        args=lambda w: [_shared_draft(w).pk], post_only=True,
        writers=SECRETARIAT | {Role.FOCAL_POINT, Role.CONTRIBUTOR},
        data=lambda w: {"section": "", "text": "Add the 2025 budget."},
        note="comment on a draft (focal points and contributors: of an institution it is shared with, until the "
        "deadline)",
    ),
    "reporting:comment_resolve": Entry(
        args=_open_comment, post_only=True, writers=SECRETARIAT, data=lambda w: {"resolution": "Added."},
        note="resolve a comment on a draft",
    ),
    "reporting:templates": Entry(readers=NOT_CONTRIBUTOR, note="report templates and their placeholders"),
    "reporting:template_download": Entry(
        args=lambda w: ["upr_midterm"], readers=NOT_CONTRIBUTOR, note="download a report template (Word)"
    ),
    "reporting:template_upload": Entry(
        args=lambda w: ["upr_midterm"], readers=ADMINISTRATOR, writers=ADMINISTRATOR, data=_template_upload,
        note="upload a report template (checked: placeholders, rendering)",
    ),
    "reporting:template_reset": Entry(
        args=_uploaded_template, post_only=True, writers=ADMINISTRATOR,
        note="go back to a report's built-in template",
    ),
    "statistics:progress": Entry(note="statistics: implementation progress (counted within what one reads)"),
    "statistics:themes": Entry(note="statistics: by theme, SDG goal and affected group"),
    "statistics:planning": Entry(note="statistics: follow-up planning coverage, overdue work by institution"),
    "statistics:over_time": Entry(note="statistics: implementation status over time"),
    "statistics:chart_svg": Entry(args=lambda w: ["overall"], note="download a statistics chart as SVG"),
    "recommendations:export": Entry(
        args=lambda w: ["csv"], note="export the filtered recommendations (CSV, XLSX, JSON) within what one reads"
    ),
    "recommendations:matrix": Entry(
        args=lambda w: ["xlsx"], note="the thematic matrix of the filtered recommendations (XLSX, DOCX)"
    ),
    "planning:activity_export": Entry(args=lambda w: ["csv"], note="export the filtered activities"),
    "indicators:export": Entry(args=lambda w: ["csv"], readers=NOT_CONTRIBUTOR, note="export the filtered indicators"),
    "dashboard:settings": Entry(note="settings"),
    "accounts:login": Entry(
        public=True, note="sign in", extra_ok={role: 302 for role in ROLES}  # signed-in users go to the dashboard
    ),
    "accounts:logout": Entry(post_only=True, writers=EVERYONE, effect=lambda w: None, note="sign out"),
    "accounts:language": Entry(
        post_only=True, public=True, writers=EVERYONE, data=lambda w: {"language": "fr"}, note="choose a language"
    ),
    "recommendations:list": Entry(note="list and search recommendations"),
    "recommendations:detail": Entry(
        args=lambda w: [w.education.pk], readers=NOT_CONTRIBUTOR, note=f"read a recommendation{SHARED}"
    ),
    "recommendations:create": Entry(readers=SECRETARIAT, writers=SECRETARIAT, data=_recommendation_form,
                                    note="add a recommendation"),
    "recommendations:edit": Entry(
        args=lambda w: [w.torture.pk],
        readers=SECRETARIAT,
        writers=SECRETARIAT,
        data=lambda w: {**_recommendation_form(w), "version": w.torture.version, "status": "fully_implemented"},
        note="edit or classify a recommendation",
    ),
    "recommendations:bulk": Entry(
        post_only=True, writers=SECRETARIAT,
        data=lambda w: {"action": "lead", "lead": w.interior.pk, "apply_to": "all", "query": ""},
        note="one change to many recommendations (ticked, or every match)",
    ),
    "recommendations:status": Entry(
        args=lambda w: [w.torture.pk], post_only=True, writers=SECRETARIAT,
        data=lambda w: {"status": "partially_implemented", "effective_on": w.torture.issued_on.isoformat(),
                        "justification": "A new law", "version": w.torture.version},
        note="record a dated status change with its justification",
    ),
    "recommendations:translations": Entry(
        args=lambda w: [w.education.pk],
        readers=SECRETARIAT,
        writers=SECRETARIAT,
        data=lambda w: {"language": "fr", "text": "Texte", "version": w.education.version},
        note="add a recommendation's text in another language",
    ),
    "recommendations:assign": Entry(
        args=lambda w: [w.torture.pk], post_only=True, writers=SECRETARIAT,
        data=lambda w: {"project": w.project.pk}, note="assign a recommendation to a project",
    ),
    "recommendations:unassign": Entry(
        args=lambda w: [w.education.pk, w.project.pk], post_only=True, writers=SECRETARIAT,
        note="remove a recommendation from a project",
    ),
    "imports:list": Entry(readers=SECRETARIAT, note="import history"),
    "imports:new": Entry(readers=SECRETARIAT, note="upload a file to import"),
    "imports:detail": Entry(args=lambda w: [_run(w).pk], readers=SECRETARIAT, note="an import's preview and result"),
    "imports:mapping": Entry(
        args=lambda w: [_run(w, format="spreadsheet", state=ImportState.QUEUED).pk],
        readers=SECRETARIAT,
        note="map a spreadsheet's columns",
        extra_ok={role: 302 for role in SECRETARIAT},  # its uploaded file is gone: back to the import page
    ),
    "imports:confirm": Entry(
        args=lambda w: [_run(w).pk], post_only=True, writers=SECRETARIAT, effect=_run_states, note="confirm an import"
    ),
    "imports:discard": Entry(
        args=lambda w: [_run(w).pk], post_only=True, writers=SECRETARIAT, effect=_run_states,
        note="discard a previewed import",
    ),
    "imports:report": Entry(
        args=lambda w: [_run_with_report(w).pk], readers=SECRETARIAT, note="an import's rejected rows (CSV)"
    ),
    "planning:project_list": Entry(note="list projects"),
    "planning:project_detail": Entry(
        args=lambda w: [w.project.pk], readers=NOT_CONTRIBUTOR, note=f"read a project{SHARED}"
    ),
    "planning:project_create": Entry(
        readers=SECRETARIAT, writers=SECRETARIAT, data=lambda w: {"name": "New project", "status": "active"},
        note="create a project",
    ),
    "planning:project_edit": Entry(
        args=lambda w: [w.project.pk], readers=SECRETARIAT, writers=SECRETARIAT,
        data=lambda w: {"name": "Renamed project", "status": "active", "version": w.project.version},
        note="edit a project",
    ),
    "planning:activity_list": Entry(note="list activities"),
    "planning:activity_detail": Entry(
        args=lambda w: [w.activity.pk], readers=NOT_CONTRIBUTOR, note=f"read an activity{SHARED}"
    ),
    "planning:activity_create": Entry(
        readers=WITH_FOCAL_POINT, writers=WITH_FOCAL_POINT,
        data=lambda w: {"title": "New activity", "status": "planned", "lead_institution": w.justice.pk},
        note="create an activity (focal point: led by their institution)",
    ),
    "planning:activity_bulk": Entry(
        post_only=True, writers=SECRETARIAT,
        data=lambda w: {"apply_to": "all", "action": "status", "status": "cancelled"},
        note="change many activities at once (ticked, or every match of the filters)",
    ),
    "planning:activity_note": Entry(
        args=lambda w: [w.activity.pk], post_only=True, writers=WITH_FOCAL_POINT,
        data=lambda w: {"body": "Forty teachers trained"},
        note="add a progress note to an activity (focal point: their institution's)",
    ),
    "planning:activity_edit": Entry(
        args=lambda w: [w.activity.pk], readers=WITH_FOCAL_POINT, writers=WITH_FOCAL_POINT,
        data=lambda w: {"title": "Renamed", "status": "completed", "lead_institution": w.justice.pk,
                        "version": w.activity.version},
        note="edit an activity (focal point: their institution's)",
    ),
    "portal:home": Entry(public=True, note="the public portal: what is published, and progress"),
    "portal:recommendations": Entry(public=True, note="search and filter published recommendations"),
    "portal:recommendation": Entry(
        args=lambda w: _published(w.education), public=True, note="a published recommendation"
    ),
    "portal:projects": Entry(public=True, note="published projects"),
    "portal:project": Entry(args=lambda w: _published(w.project), public=True, note="a published project"),
    "portal:open_data": Entry(public=True, note="the open-data downloads"),
    "portal:download": Entry(
        args=lambda w: ["recommendations", "csv"], public=True, note="download published data (CSV, JSON)"
    ),
    "portal:settings": Entry(
        readers=ADMINISTRATOR, writers=ADMINISTRATOR, data=lambda w: {"portal_enabled": "on", "publish_projects": "on"},
        note="open or close the portal; the default publication rules",
    ),
    "portal:publication": Entry(
        args=lambda w: ["recommendation", w.torture.pk], post_only=True, writers=ADMINISTRATOR,
        data=lambda w: {"publication": "published", "version": w.torture.version},
        note="publish or withhold a recommendation, project or activity",
    ),
    # Indicators (contributors: never; their figures may be unpublished)
    "indicators:list": Entry(readers=NOT_CONTRIBUTOR, note="list indicators"),
    "indicators:detail": Entry(
        args=lambda w: [_indicator(w).pk], readers=NOT_CONTRIBUTOR,
        note="read an indicator: its values, chart and updates",
    ),
    "indicators:create": Entry(
        readers=SECRETARIAT, writers=SECRETARIAT, data=lambda w: {"name": "New indicator", "kind": "outcome"},
        note="create an indicator",
    ),
    "indicators:edit": Entry(
        args=lambda w: [_indicator(w).pk], readers=SECRETARIAT, writers=SECRETARIAT,
        data=lambda w: {"name": "Renamed", "kind": "process", "version": _indicator(w).version},
        note="edit an indicator",
    ),
    "indicators:measurement_add": Entry(
        args=lambda w: [_indicator(w).pk], post_only=True, writers=WITH_FOCAL_POINT,
        data=lambda w: {"measured_on": "2024-06-30", "value": "12"},
        note="record a value of an indicator (focal point: of its responsible institution)",
    ),
    "indicators:measurement_remove": Entry(
        args=_measured, post_only=True, writers=SECRETARIAT, note="remove a recorded value of an indicator",
    ),
    # Calendar (contributors: the events for everyone and the deadlines of the activities they read)
    "agenda:month": Entry(note="the calendar: a month (contributors: events for everyone, deadlines they read)"),
    "agenda:list": Entry(note="the calendar: coming days as a list"),
    "agenda:event_detail": Entry(
        args=lambda w: [_calendar_event(w).pk], readers=NOT_CONTRIBUTOR,
        note="read a calendar event (a contributor: only the events for everyone)",
    ),
    "agenda:event_create": Entry(
        readers=SECRETARIAT, writers=SECRETARIAT, data=_calendar_form, note="add a calendar event",
    ),
    "agenda:event_edit": Entry(
        args=lambda w: [_calendar_event(w).pk], readers=SECRETARIAT, writers=SECRETARIAT, data=_calendar_form,
        note="edit a calendar event",
    ),
    "agenda:event_delete": Entry(
        args=lambda w: [_calendar_event(w).pk], post_only=True, writers=SECRETARIAT, note="delete a calendar event",
    ),
    "agenda:feed": Entry(
        writers=EVERYONE, effect=_feed_digests, note="one's own calendar address (iCal): make, reset or turn it off",
    ),
    "agenda:feed_ics": Entry(
        args=_feed_token, public=True, note="a personal calendar feed (iCal), by its secret address; unknown: 404",
    ),
    # Attachments, comments, notifications (contributors: public attachments of what they read; no comments)
    "collaboration:attachment_add": Entry(
        args=lambda w: [w.activity.pk], post_only=True, writers=WITH_FOCAL_POINT, data=_upload,
        note="attach a file to an activity (focal point: their institution's)",
    ),
    "collaboration:attachment_download": Entry(
        args=lambda w: [_attachment(w).pk], readers=NOT_CONTRIBUTOR,
        note="download an attachment" + " (a contributor: only public ones of what they read)",
    ),
    "collaboration:attachment_remove": Entry(
        args=lambda w: [_attachment(w).pk], post_only=True, writers=WITH_FOCAL_POINT,
        note="remove an attachment (focal point: of their institution's activity)",
    ),
    "collaboration:attachment_public": Entry(
        args=lambda w: [_attachment(w).pk], post_only=True, writers=ADMINISTRATOR, data=lambda w: {"is_public": "true"},
        note="show an attachment on the public portal, or stop",
    ),
    "collaboration:comment_add": Entry(
        args=lambda w: [w.activity.pk], post_only=True, writers=WITH_FOCAL_POINT,
        data=lambda w: {"body": "Any news on the training?"}, note="comment on an activity, @mentioning people",
    ),
    "collaboration:notifications": Entry(note="one's own notifications"),
    "collaboration:notifications_read": Entry(
        post_only=True, writers=EVERYONE, data=_notify_everyone, effect=_unread,
        note="mark one's own notifications read",
    ),
    "collaboration:preferences": Entry(
        writers=EVERYONE, data=lambda w: {}, note="one's own e-mail preferences (the daily digest on or off)",
    ),
    "portal:attachment": Entry(
        args=_public_attachment, public=True, note="a public attachment of a published activity (a download)"
    ),
    # Information requests and handovers (focal points: requests to their institutions)
    "inquiries:list": Entry(readers=NOT_CONTRIBUTOR, note="information requests (focal point: to their institutions)"),
    "inquiries:detail": Entry(
        args=lambda w: [_info_request(w).pk], readers=NOT_CONTRIBUTOR,
        note="a request: what is asked, answers, who answered and who is late",
    ),
    "inquiries:create": Entry(
        readers=SECRETARIAT, writers=SECRETARIAT, data=_request_form, note="send an information request",
    ),
    "inquiries:edit": Entry(
        args=lambda w: [_info_request(w).pk], readers=SECRETARIAT, writers=SECRETARIAT, data=_request_form,
        note="change a request's text, deadline or word limit",
    ),
    "inquiries:status": Entry(
        args=lambda w: [_info_request(w).pk], post_only=True, writers=SECRETARIAT,
        data=lambda w: {"status": "closed"}, note="close a request, or open it again",
    ),
    "inquiries:answer": Entry(
        args=lambda w: [_info_request(w).pk, w.justice.pk], readers=frozenset({Role.FOCAL_POINT}),
        writers=frozenset({Role.FOCAL_POINT}), data=lambda w: {f"recommendation-{w.education.pk}": "Done."},
        note="answer a request for an institution (its focal points)",
    ),
    # Suggestions and groups of similar recommendations (the secretariat decides; readers see similar ones)
    "suggestions:review": Entry(readers=SECRETARIAT, note="review the suggested labels"),
    "suggestions:decide": Entry(
        post_only=True, writers=SECRETARIAT, data=_decide_all,
        note="accept or reject suggested labels in bulk (ticked, or every one the filters show)",
    ),
    "suggestions:decide_one": Entry(
        args=lambda w: [pending_suggestion(w).pk, "accept"], post_only=True, writers=SECRETARIAT,
        note="accept or reject one suggested label (accepting adds it, recorded as a suggestion)",
    ),
    "suggestions:decide_all_for": Entry(
        args=lambda w: [pending_suggestion(w).recommendation_id, "reject"], post_only=True, writers=SECRETARIAT,
        effect=_pending_count, note="accept or reject every suggested label of one recommendation",
    ),
    "suggestions:suggest_for": Entry(
        args=_with_model(lambda w: [w.women.pk]), post_only=True, writers=SECRETARIAT, effect=_suggestion_count,
        note="suggest labels for one recommendation now",
    ),
    "suggestions:duplicates": Entry(readers=SECRETARIAT, note="sets of possible duplicates, to group"),
    "suggestions:settings": Entry(
        readers=SECRETARIAT, note="Settings › Suggestions: the label model, its figures, the similarity index"
    ),
    "suggestions:train": Entry(
        post_only=True, writers=SECRETARIAT, effect=_model_count, note="train the label model again (a task)"
    ),
    "suggestions:suggest_all": Entry(
        args=_with_model(lambda w: []), post_only=True, writers=SECRETARIAT, effect=_suggestion_count,
        note="suggest labels for every recommendation lacking them (a task)",
    ),
    "suggestions:reindex": Entry(
        post_only=True, writers=SECRETARIAT, effect=_index_count,
        note="rebuild the index of similar recommendations (a task)",
    ),
    "recommendations:group_list": Entry(note="groups of similar recommendations (a contributor: those it reads)"),
    "recommendations:group_detail": Entry(
        args=lambda w: [plain_group(w).pk], readers=NOT_CONTRIBUTOR,
        note=f"a group: its members and their follow-up plan{SHARED}",
    ),
    "recommendations:group_create": Entry(
        post_only=True, writers=SECRETARIAT,
        data=lambda w: {"ids": [w.education.pk, w.women.pk], "title": "Education and women"},
        note="group similar recommendations (they join each other's activities)",
    ),
    "recommendations:group_edit": Entry(
        args=lambda w: [plain_group(w).pk], post_only=True, writers=SECRETARIAT,
        data=lambda w: {"title": "Renamed", "description": "", "version": plain_group(w).version},
        note="rename a group, change its note",
    ),
    "recommendations:group_add": Entry(
        args=lambda w: [plain_group(w).pk], post_only=True, writers=SECRETARIAT,
        data=lambda w: {"references": f"#{w.women.pk}"}, note="add recommendations to a group",
    ),
    "recommendations:group_remove": Entry(
        args=lambda w: [plain_group(w).pk, w.education.pk], post_only=True, writers=SECRETARIAT,
        note="take a recommendation out of its group",
    ),
    "recommendations:group_link": Entry(
        args=lambda w: [plain_group(w).pk], post_only=True, writers=SECRETARIAT,
        note="link every member of a group to every activity of the group",
    ),
    "recommendations:group_delete": Entry(
        args=lambda w: [plain_group(w).pk], post_only=True, writers=SECRETARIAT,
        note="ungroup (the members keep their activities)",
    ),
    "institutions:handover": Entry(
        args=lambda w: [w.justice.pk], readers=SECRETARIAT, writers=SECRETARIAT, data=_handover_form,
        note="hand an institution's work to another focal point",
    ),
}  # fmt: skip


def _named_urls(patterns=None, namespace=None):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if inner == "admin":
                continue  # Django's administration site: staff accounts only, see docs/permissions.md
            yield from _named_urls(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_is_in_the_matrix():
    urls = set(_named_urls())
    assert urls - set(MATRIX) == set(), "add these URLs to MATRIX (and docs/permissions.md)"
    assert set(MATRIX) - urls == set(), "these MATRIX entries name URLs that no longer exist"


def _expected_get(entry: Entry, role) -> int:
    if role is None:
        return 405 if entry.post_only and entry.public else 200 if entry.public else 302
    if entry.post_only:
        return 405
    if role in entry.extra_ok:
        return entry.extra_ok[role]
    return 200 if role in entry.readers else 404


@pytest.mark.parametrize("role", [*ROLES, None], ids=[*(r.value for r in ROLES), "anonymous"])
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_the_matrix(world, client_for, name, role):
    entry = MATRIX[name]
    url = reverse(name, args=entry.args(world))
    client = client_for(world, role)
    response = client.get(url)
    assert response.status_code == _expected_get(entry, role), f"GET {url}"
    if role is None and not entry.public:
        assert response["Location"].startswith(reverse("accounts:login"))

    data = entry.data(world)
    before = (AuditEvent.objects.count(), entry.effect(world) if entry.effect else None)
    response = client.post(url, data)
    after = (AuditEvent.objects.count(), entry.effect(world) if entry.effect else None)
    if role in entry.writers or (role is None and entry.anonymous_writes):
        assert response.status_code in (200, 302), f"POST {url}"
        if name == "accounts:logout":
            assert _session_user(client) is None
        elif entry.effect:
            assert after[1] != before[1], f"POST {url} by {role} changed nothing"
        else:
            assert after[0] > before[0], f"POST {url} by {role} changed nothing"
    else:
        assert after == before, f"POST {url} by {role or 'anonymous'} changed something"
        if role is None and not entry.public:
            assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
        elif role is not None and (entry.writers or entry.post_only):
            assert response.status_code in (404, 405), f"POST {url} by {role}"


def _cell(entry: Entry, role) -> str:
    if role is None:
        return "yes" if entry.public else "no (sign-in page)"
    if entry.post_only and role not in entry.writers:
        return "no"
    if role in entry.writers:
        return "yes"
    if entry.post_only:
        return "no"
    if role in entry.readers:
        return "read" if entry.writers else "yes"
    return "no"


def render_matrix() -> str:
    columns = [*ROLES, None]
    header = "| URL | what | " + " | ".join(str(r.label).lower() if r else "anonymous" for r in columns) + " |"
    lines = [header, "|" + "---|" * (len(columns) + 2)]
    for name in sorted(MATRIX):
        entry = MATRIX[name]
        cells = " | ".join(_cell(entry, role) for role in columns)
        lines.append(f"| `{name}` | {entry.note} | {cells} |")
    return "\n".join(lines)


def test_the_documented_matrix_is_the_tested_one():
    from pathlib import Path

    doc = (Path(__file__).resolve().parent.parent / ROOT_DOC).read_text(encoding="utf-8")
    start, end = "<!-- matrix:start -->\n", "\n<!-- matrix:end -->"
    documented = doc[doc.index(start) + len(start) : doc.index(end)] if start in doc else ""
    assert documented == render_matrix(), f"Paste this between the matrix markers of {ROOT_DOC}:\n{render_matrix()}"
