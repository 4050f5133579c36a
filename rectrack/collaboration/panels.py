"""The attachments and comments panels of an activity's page."""

from rectrack.accounts import permissions
from rectrack.collaboration import selectors
from rectrack.collaboration.forms import CommentForm


def collaboration_panels(user, activity, attachment_form=None, comment_form=None) -> dict:
    from rectrack.collaboration.views import attachment_form as new_attachment_form

    can_attach = permissions.can_attach(user, activity)
    reads_all = permissions.reads_everything(user)
    can_comment = permissions.can_comment(user)
    return {
        "attachments": selectors.attachments_for(activity, public_only=not reads_all),
        "can_attach": can_attach,
        "can_publish_attachments": permissions.can_publish(user),
        "attachment_form": attachment_form or (new_attachment_form(user) if can_attach else None),
        "comments": selectors.comments_for(activity) if permissions.can_read_comments(user) else None,
        "comment_form": comment_form or (CommentForm() if can_comment else None),
        "can_ask": permissions.can_manage_requests(user),
    }
