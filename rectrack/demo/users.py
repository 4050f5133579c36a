"""One demonstration user per role, with passwords kept outside the code."""

import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from rectrack.accounts.models import Role, User
from rectrack.inquiries.models import Recipient
from rectrack.institutions.models import Institution, Membership, MembershipKind


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    institution: str | None
    membership: str = MembershipKind.MAIN_FOCAL_POINT


DEMO_USERS = (
    DemoUser("admin", "Ana", "Novak", Role.ADMINISTRATOR, None),
    DemoUser("coordinator", "Barry", "Kovač", Role.COORDINATOR, "Ministry of Foreign and European Affairs",
             MembershipKind.MEMBER),
    DemoUser("focalpoint", "Alex", "Thomas", Role.FOCAL_POINT, "Ministry of Justice"),
    DemoUser("contributor", "Oscar", "Zupan", Role.CONTRIBUTOR, "Human Rights Ombudsman of the Republic of Slovenia",
             MembershipKind.MEMBER),
    DemoUser("viewer", "Vera", "Horvat", Role.VIEWER, "National Assembly", MembershipKind.MEMBER),
)  # fmt: skip


def _passwords_file() -> Path:
    return Path(settings.DATA_DIR) / "demo_passwords.txt"


def _stored_passwords() -> dict[str, str]:
    path = _passwords_file()
    if not path.exists():
        return {}
    pairs = (line.split(" ", 1) for line in path.read_text().splitlines() if " " in line)
    return {name: password for name, password in pairs}


@transaction.atomic
def create_demo_users() -> list[tuple[DemoUser, str]]:
    """Create or refresh the demo users; returns each with its password.

    Passwords are random, made once per instance and kept in DATA_DIR so the
    printed logins stay valid across restarts. Nothing here runs in production
    unless someone runs this command there.
    """
    stored = _stored_passwords()
    result = []
    for demo in DEMO_USERS:
        password = stored.get(demo.username) or f"{demo.username}-{secrets.token_urlsafe(6)}"
        user, _created = User.objects.update_or_create(
            username=demo.username,
            defaults={
                "first_name": demo.first_name,
                "last_name": demo.last_name,
                "email": f"{demo.username}@demo.rectrack.invalid",
                "role": demo.role,
                "is_staff": demo.role == Role.ADMINISTRATOR,
                "is_superuser": demo.role == Role.ADMINISTRATOR,
                "is_active": True,
            },
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        if demo.institution:
            institution = Institution.objects.filter(name=demo.institution).first()
            if institution:
                Membership.objects.get_or_create(user=user, institution=institution, defaults={"kind": demo.membership})
                if demo.role == Role.FOCAL_POINT:
                    # Requests sent before the demo users existed go to them.
                    Recipient.objects.filter(institution=institution, assignee__isnull=True).update(assignee=user)
        result.append((demo, password))
    path = _passwords_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{demo.username} {password}\n" for demo, password in result))
    path.chmod(0o600)
    return result
