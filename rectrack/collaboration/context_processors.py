from functools import partial

from django.http import HttpRequest

from rectrack.collaboration.selectors import unread_count


def notifications(request: HttpRequest) -> dict:
    """The number of unread notifications, counted only if a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": partial(unread_count, user)}
