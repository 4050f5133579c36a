"""The feed of every update: who changed what, and when, filtered."""

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from rectrack.accounts import permissions
from rectrack.accounts.models import User
from rectrack.audit import selectors
from rectrack.lib.filters import clean_leniently

FEED_PAGE_SIZE = 50

# Where each kind of object is read, by model name (URL name, whether it takes the id).
OBJECT_PAGES = {
    "recommendation": ("recommendations:detail", True),
    "project": ("planning:project_detail", True),
    "activity": ("planning:activity_detail", True),
    "indicator": ("indicators:detail", True),
    "event": ("agenda:event_detail", True),
    "informationrequest": ("inquiries:detail", True),
    "institution": ("institutions:edit", True),
    "term": ("taxonomy:term_edit", True),
    "user": ("accounts:user_edit", True),
    "instancesettings": ("instance:edit", False),
    "reportdraft": ("reporting:draft_detail", True),
    "reporttemplate": ("reporting:templates", False),
}


class FeedFilterForm(forms.Form):
    q = forms.CharField(label=_("Object name contains"), required=False, max_length=200)
    kind = forms.MultipleChoiceField(label=_("Kind of object"), required=False)
    actor = forms.TypedMultipleChoiceField(label=_("Changed by"), coerce=int, required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (model._meta.model_name, capfirst(model._meta.verbose_name_plural)) for model in kinds
        ]
        self.fields["actor"].choices = [
            (user.pk, user.get_full_name() or user.username)
            for user in User.objects.order_by("first_name", "last_name", "username").only(
                "pk", "first_name", "last_name", "username"
            )
        ]


def feed(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.can_read_history(user):
        raise Http404
    kinds = permissions.history_kinds(user)
    form = FeedFilterForm(request.GET, kinds=kinds)
    cleaned, notes = clean_leniently(form, request.GET)
    events = selectors.feed(
        selectors.FeedFilters(
            kinds=cleaned["kind"],
            actors=cleaned["actor"],
            search=cleaned["q"].strip(),
            date_from=cleaned["date_from"],
            date_to=cleaned["date_to"],
        ),
        kinds=kinds,
    )
    page = Paginator(events, FEED_PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page.object_list:
        url_name, with_id = OBJECT_PAGES.get(event.content_type.model, (None, False))
        event.url = reverse(url_name, args=[event.object_id] if with_id else []) if url_name else ""
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "audit/feed.html", {"form": form, "page": page, "notes": notes, "query_string": query.urlencode()}
    )
