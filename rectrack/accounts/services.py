"""Changes to user accounts."""

from django.db import transaction

from rectrack.accounts.models import User
from rectrack.audit.models import Action
from rectrack.audit.services import record_event


@transaction.atomic
def user_set_language(*, user: User, language: str) -> bool:
    """Save the user's interface language (one of settings.LANGUAGES); False when it was already that."""
    if user.language == language:
        return False
    old, user.language = user.language, language
    user.full_clean(validate_unique=False)
    user.save(update_fields=["language"])
    record_event(actor=user, instance=user, action=Action.UPDATED, changes={"language": {"old": old, "new": language}})
    return True
