"""@mentions in comments: `@username`, or the part of an e-mail-like user name before its @.

`find_mentions` resolves every handle in a text to one person who may read
comments, or says which handle it cannot resolve; `mark_mentions` renders a
comment with its mentions emphasised (the text escaped first).
"""

import re

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from rectrack.accounts.models import Role, User

# A handle starts after a space, an opening bracket or the start of the text
# (so an e-mail address in the text is not a mention), and may itself be an
# e-mail-like user name; trailing punctuation is not part of it.
MENTION_RE = re.compile(r"(?<![\w@.])@([\w][\w.+-]*(?:@[\w-]+(?:\.[\w-]+)+)?)")


def _handles(text: str) -> list[str]:
    seen = {}
    for match in MENTION_RE.finditer(text):
        handle = match.group(1).rstrip(".-+")
        seen.setdefault(handle.lower(), handle)
    return list(seen.values())


def mentionable_users():
    """The people a comment can address: active users of every role that reads comments."""
    return User.objects.filter(is_active=True).exclude(role=Role.CONTRIBUTOR)


def find_mentions(text: str) -> list[User]:
    """The people mentioned in `text`; ValidationError naming any handle that is nobody, or several people."""
    people, unknown, ambiguous = [], [], []
    for handle in _handles(text):
        lowered = handle.lower()
        candidates = list(
            mentionable_users().filter(Q(username__iexact=lowered) | Q(username__istartswith=f"{lowered}@"))[:3]
        )
        exact = [user for user in candidates if user.username.lower() == lowered]
        if exact:
            people.append(exact[0])
        elif len(candidates) == 1:
            people.append(candidates[0])
        elif candidates:
            ambiguous.append(f"@{handle}")
        else:
            unknown.append(f"@{handle}")
    if unknown:
        raise ValidationError(
            _("No one who can read comments is called %(handles)s. Write @ and the person's user name.")
            % {"handles": ", ".join(unknown)}
        )
    if ambiguous:
        raise ValidationError(
            _("%(handles)s could be several people: write the whole user name.") % {"handles": ", ".join(ambiguous)}
        )
    return list({user.pk: user for user in people}.values())


def mark_mentions(text: str) -> SafeString:
    """The comment as HTML: escaped, each @mention emphasised, line breaks kept."""
    escaped = escape(text)
    marked = MENTION_RE.sub(lambda m: f'<strong class="mention">@{m.group(1)}</strong>', escaped)
    return mark_safe(marked.replace("\n", "<br>"))  # noqa: S308 (escaped above)
