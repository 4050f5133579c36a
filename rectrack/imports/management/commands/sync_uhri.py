"""Fetch the UHRI export from a URL (RECTRACK_UHRI_EXPORT_URL or --url) and import it.

Run it after each review, or from cron: a re-import of an unchanged export
changes nothing; a newer one updates what the UN changed and flags what it
removed.
"""

import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

from rectrack.imports.management.commands.import_recommendations import Command as ImportCommand
from rectrack.imports.services import imports_dir

TIMEOUT_SECONDS = 120


class Command(ImportCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--url", help="Default: the RECTRACK_UHRI_EXPORT_URL setting.")
        self.add_import_options(parser)

    def handle(self, *args, url: str | None = None, **options):
        url = url or settings.RECTRACK_UHRI_EXPORT_URL
        if not url:
            raise CommandError("No URL: set RECTRACK_UHRI_EXPORT_URL or pass --url.")
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise CommandError(f"Only http and https URLs are fetched, not {url!r}.")
        path = self.download(url)
        try:
            self.import_file(path, options)
        finally:
            path.unlink(missing_ok=True)

    def download(self, url: str) -> Path:
        """Stream the file to private storage, refusing it past the size limit."""
        name = Path(urllib.parse.urlsplit(url).path).name or "uhri-export"
        target = imports_dir() / f"sync-{name}"
        limit = settings.RECTRACK_IMPORT_MAX_BYTES
        try:
            with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (scheme checked)
                declared = int(response.headers.get("Content-Length") or 0)
                if declared > limit:
                    raise CommandError(f"The export is {declared:,} bytes, over the {limit:,}-byte limit.")
                with open(target, "wb") as out:
                    copied = 0
                    while chunk := response.read(1024 * 1024):
                        copied += len(chunk)
                        if copied > limit:
                            raise CommandError(f"The export is over the {limit:,}-byte limit; stopped.")
                        out.write(chunk)
        except urllib.error.HTTPError as error:
            target.unlink(missing_ok=True)
            raise CommandError(f"The server answered {error.code} {error.reason} for {url}.") from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            target.unlink(missing_ok=True)
            raise CommandError(f"Could not fetch {url}: {getattr(error, 'reason', error)}.") from error
        except CommandError:
            target.unlink(missing_ok=True)
            raise
        self.stdout.write(f"Fetched {url} ({target.stat().st_size:,} bytes).")
        return target
