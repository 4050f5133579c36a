from django.core.management.base import BaseCommand

from rectrack.accounts.models import Role
from rectrack.demo.users import create_demo_users


class Command(BaseCommand):
    help = "Create one demonstration user per role and print their logins."

    def handle(self, *args, **options):
        users = create_demo_users()
        self.stdout.write(self.style.SUCCESS("Demo logins (user name / password):"))
        for demo, password in users:
            where = f"  ({demo.institution})" if demo.institution else ""
            self.stdout.write(f"  {Role(demo.role).label:<14} {demo.username:<12} {password}{where}")
