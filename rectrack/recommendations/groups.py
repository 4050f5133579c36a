"""The pages of groups of similar recommendations: one follow-up plan for recommendations that ask the same
thing. Thin views over recommendations.services.group_*."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from rectrack.accounts import permissions
from rectrack.audit.selectors import history_for
from rectrack.lib.forms import submit
from rectrack.recommendations import services
from rectrack.recommendations.forms import GroupAddForm, GroupForm
from rectrack.recommendations.models import Recommendation, RecommendationGroup
from rectrack.recommendations.selectors import (
    group_activities,
    group_members,
    groups_list,
    parse_recommendation_references,
)


def _readable(request: HttpRequest, ids: list[int]) -> list[Recommendation]:
    scope = permissions.recommendation_scope(request.user)
    return list(permissions.scoped(Recommendation.objects.filter(pk__in=ids), scope).select_related("document"))


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def group_list(request: HttpRequest) -> HttpResponse:
    scope = permissions.recommendation_scope(request.user)
    return render(
        request,
        "recommendations/groups.html",
        {"groups": groups_list(within=scope), "can_group": permissions.can_group_recommendations(request.user)},
    )


def group_detail(request: HttpRequest, pk: int, *, edit_form=None, add_form=None) -> HttpResponse:
    user = request.user
    group = permissions.get_group_for_user(user, pk)
    members = group_members(group, within=permissions.recommendation_scope(user))
    activities, gaps = group_activities(group, members, within=permissions.activity_scope(user))
    can_group = permissions.can_group_recommendations(user)
    return render(
        request,
        "recommendations/group_detail.html",
        {
            "group": group,
            "members": members,
            "activities": activities,
            "gaps": gaps,
            "can_group": can_group,
            "can_create_activity": permissions.can_create_activities(user),
            "edit_form": edit_form
            or (GroupForm(instance=group, initial={"version": group.version}) if can_group else None),
            "add_form": add_form or (GroupAddForm() if can_group else None),
            "history": history_for(group) if permissions.can_read_history(user) else None,
        },
    )


@require_POST
def group_create(request: HttpRequest) -> HttpResponse:
    """Group the ticked recommendations (from the possible duplicates, or a recommendation's similar ones)."""
    if not permissions.can_group_recommendations(request.user):
        raise Http404
    recommendations = _readable(request, [int(value) for value in request.POST.getlist("ids") if value.isdigit()])
    title = request.POST.get("title", "").strip() or (recommendations[0].body[:80] if recommendations else "")
    try:
        group = services.group_create(title=title[:300], recommendations=recommendations, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_back(request, "suggestions:duplicates"))
    messages.success(
        request,
        ngettext(
            "%(count)s recommendation grouped as “%(title)s”.",
            "%(count)s recommendations grouped as “%(title)s”; they share the group's activities.",
            len(recommendations),
        )
        % {"count": len(recommendations), "title": group.title},
    )
    return redirect(group)


@require_POST
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = permissions.get_group_for_user(request.user, pk, write=True)
    form = GroupForm(request.POST, instance=RecommendationGroup.objects.get(pk=pk))
    if form.is_valid():
        data = form.cleaned_data
        outcome = submit(
            form,
            lambda: services.group_update(
                group=group, actor=request.user, expected_version=data["version"],
                title=data["title"], description=data["description"],
            ),
        )  # fmt: skip
        if outcome.ok:
            messages.success(request, _("The group was saved."))
            return redirect(group)
    return group_detail(request, pk, edit_form=form)


@require_POST
def group_add(request: HttpRequest, pk: int) -> HttpResponse:
    group = permissions.get_group_for_user(request.user, pk, write=True)
    form = GroupAddForm(request.POST)
    ids = [int(value) for value in request.POST.getlist("ids") if value.isdigit()]
    found, unknown = [], []
    if ids:
        found = _readable(request, ids)
    elif form.is_valid():
        found, unknown = parse_recommendation_references(form.cleaned_data["references"])
        found = _readable(request, [rec.pk for rec in found])
    if unknown:
        form.add_error("references", _("No recommendation was found for: %(lines)s.") % {"lines": "; ".join(unknown)})
    if not found or unknown:
        if form.is_bound and not form.errors and not ids:
            form.add_error("references", _("Name at least one recommendation."))
        if ids:
            messages.error(request, _("Tick at least one recommendation."))
            return redirect(_back(request, group.get_absolute_url()))
        return group_detail(request, pk, add_form=form)
    joined = services.group_add(group=group, recommendations=found, actor=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)s recommendation joined the group and its activities.",
            "%(count)s recommendations joined the group and its activities.",
            joined,
        )
        % {"count": joined},
    )
    return redirect(_back(request, group.get_absolute_url()))


@require_POST
def group_remove(request: HttpRequest, pk: int, recommendation_pk: int) -> HttpResponse:
    group = permissions.get_group_for_user(request.user, pk, write=True)
    recommendation = permissions.get_recommendation_for_user(request.user, recommendation_pk, write=True)
    services.group_remove(group=group, recommendation=recommendation, actor=request.user)
    if RecommendationGroup.objects.filter(pk=pk).exists():
        messages.success(
            request,
            _("%(reference)s left the group; it keeps its activities.") % {"reference": recommendation.reference},
        )
        return redirect(group)
    messages.success(request, _("The group had one member left, so it was ungrouped."))
    return redirect("recommendations:group_list")


@require_POST
def group_delete(request: HttpRequest, pk: int) -> HttpResponse:
    group = permissions.get_group_for_user(request.user, pk, write=True)
    services.group_delete(group=group, actor=request.user)
    messages.success(request, _("The recommendations were ungrouped; each keeps its activities."))
    return redirect("recommendations:group_list")


@require_POST
def group_link(request: HttpRequest, pk: int) -> HttpResponse:
    group = permissions.get_group_for_user(request.user, pk, write=True)
    count = services.group_link_activities(group=group, actor=request.user)
    messages.success(
        request,
        ngettext("%(count)s link added.", "%(count)s links added: every member now has every activity.", count)
        % {"count": count},
    )
    return redirect(group)
