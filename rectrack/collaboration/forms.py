from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from rectrack.collaboration.files import accepted_extensions
from rectrack.collaboration.services import COMMENT_MAX_LENGTH


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    is_public = forms.BooleanField(
        label=_("Show on the public portal"),
        required=False,
        help_text=_("Only when the activity itself is published."),
    )

    def __init__(self, *args, can_publish: bool = False, max_bytes: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("At most %(limit)s. Accepted types: %(types)s.") % {
            "limit": filesizeformat(max_bytes),
            "types": accepted_extensions(),
        }
        self.fields["file"].widget.attrs["accept"] = ",".join(f".{ext}" for ext in accepted_extensions().split(", "))
        if not can_publish:
            del self.fields["is_public"]


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Write @ and a user name to notify someone, for example @maria.novak."),
    )


class DigestPreferenceForm(forms.Form):
    digest_emails = forms.BooleanField(
        label=_("Send me a daily e-mail of reminders"),
        required=False,
        help_text=_(
            "At most one e-mail a day: deadlines of your institutions' activities and information requests "
            "coming up or passed, and your unread notifications."
        ),
    )
