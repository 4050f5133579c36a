from django.core.management.base import BaseCommand

from rectrack.demo.loaders import load_demo


class Command(BaseCommand):
    help = "Load the demonstration instance (Slovenia's three UPR cycles). Idempotent."

    def handle(self, *args, **options):
        for name, count in load_demo().items():
            self.stdout.write(f"{name}: {count}")
