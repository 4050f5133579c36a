"""Backup and restore: one archive holding the database (portable between SQLite and PostgreSQL) and the files.

An archive is a zip file:

- `manifest.json`: the archive format, when and from which database it was
  made, the migrations applied, the row count of every model and the size
  and SHA-256 of every file;
- `data.jsonl`: every row, one JSON object per line (Django's serializer,
  streamed both ways, so 260,000 recommendations never sit in memory),
  with natural keys for content types and permissions, which differ between
  databases;
- `files/...`: the uploaded files (MEDIA_ROOT) and import reports.

`restore` rebuilds an empty instance: it migrates, loads every row in one
transaction, checks the counts against the manifest, then puts the files in
place. It refuses an instance that already holds data, an archive from newer
code (migrations this code does not have), and a damaged archive.
"""

import datetime
import hashlib
import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

FORMAT = 1
DATA = "data.jsonl"
MANIFEST = "manifest.json"
# Rebuilt by migrate (content types, permissions), worth nothing elsewhere
# (sessions, sign-in failures, queued tasks), or derived from the texts and
# rebuilt by `index_recommendations` (similar pairs, possible duplicates; the
# label model and index files are not in the archive either).
EXCLUDED = [
    "suggestions.similarpair",
    "suggestions.possibleduplicate",
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "accounts.loginfailure",
    "django_tasks_database",
]


class BackupError(Exception):
    """The archive cannot be made or restored; the message says why."""


@dataclass
class Summary:
    path: Path
    rows: int
    files: int
    bytes: int


def file_roots() -> dict[str, Path]:
    """The folders whose files an instance cannot do without, by their name in the archive."""
    return {
        "media": Path(settings.MEDIA_ROOT),
        "private": Path(settings.PRIVATE_FILES_ROOT),
        "imports": Path(settings.DATA_DIR) / "imports",
    }


def _models():
    excluded = {label for label in EXCLUDED if "." in label}
    excluded_apps = {label for label in EXCLUDED if "." not in label}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in excluded_apps or label in excluded or model._meta.proxy:
            continue
        if not model._meta.managed:
            continue
        yield model


class _Encoder(DjangoJSONEncoder):
    """Django's encoder keeps milliseconds only; a backup keeps every microsecond."""

    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            return o.isoformat()
        return super().default(o)


def _dump(path: Path) -> None:
    """Every row, models in dependency order, one JSON object a line, read in chunks."""
    models = set(_models())
    ordered = serializers.sort_dependencies([(config, None) for config in apps.get_app_configs()], allow_cycles=True)
    with open(path, "w", encoding="utf-8") as out:
        for model in ordered:
            if model not in models:
                continue
            serializers.serialize(
                "jsonl",
                model._default_manager.order_by(model._meta.pk.name).iterator(chunk_size=2000),
                stream=out,
                use_natural_foreign_keys=True,
                cls=_Encoder,
            )


def row_counts() -> dict[str, int]:
    return {model._meta.label_lower: model._default_manager.count() for model in _models()}


def _applied_migrations() -> dict[str, list[str]]:
    loader = MigrationLoader(connection)
    applied: dict[str, list[str]] = {}
    for app_label, name in sorted(loader.applied_migrations):
        applied.setdefault(app_label, []).append(name)
    return applied


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _walk_files():
    for name, root in file_roots().items():
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.name.endswith(".upload") and ".upload." not in path.name:
                yield f"files/{name}/{path.relative_to(root).as_posix()}", path


def backup(output: Path) -> Summary:
    """Write the archive; the database is read in one transaction, so it is consistent."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        data = Path(work) / DATA
        with transaction.atomic():
            counts = row_counts()
            _dump(data)
            migrations = _applied_migrations()
        files = {arcname: {"size": path.stat().st_size, "sha256": _sha256(path)} for arcname, path in _walk_files()}
        manifest = {
            "format": FORMAT,
            "application": "RecTrack",
            "created_at": timezone.now().isoformat(),
            "database": connection.vendor,
            "migrations": migrations,
            "rows": counts,
            "data_sha256": _sha256(data),
            "files": files,
        }
        partial = output.with_name(output.name + ".part")
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            archive.writestr(MANIFEST, json.dumps(manifest, indent=2, sort_keys=True))
            archive.write(data, DATA)
            for arcname, path in _walk_files():
                if arcname in files:
                    archive.write(path, arcname)
        partial.replace(output)
    return Summary(output, sum(counts.values()), len(files), output.stat().st_size)


def read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError) as error:
        raise BackupError("This is not a RecTrack backup: it has no readable manifest.json.") from error
    if manifest.get("application") != "RecTrack" or "rows" not in manifest:
        raise BackupError("This is not a RecTrack backup.")
    if manifest.get("format") != FORMAT:
        raise BackupError(f"This backup has format {manifest.get('format')}; this version reads format {FORMAT}.")
    return manifest


def _check_migrations(manifest: dict) -> None:
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    unknown = [
        f"{app_label}.{name}"
        for app_label, names in manifest["migrations"].items()
        for name in names
        if (app_label, name) not in known
    ]
    if unknown:
        raise BackupError(
            "The backup comes from a newer version of RecTrack (migrations this code does not have: "
            + ", ".join(unknown[:5])
            + ("…" if len(unknown) > 5 else "")
            + "). Upgrade this installation first."
        )


def _check_empty() -> None:
    occupied = {label: count for label, count in row_counts().items() if count}
    if occupied:
        listed = ", ".join(f"{label} ({count})" for label, count in sorted(occupied.items())[:5])
        raise BackupError(f"This instance already holds data ({listed}); restore only into an empty one.")


def _check_files_empty() -> None:
    for name, root in file_roots().items():
        if root.is_dir() and any(path.is_file() for path in root.rglob("*")):
            raise BackupError(f"The {name} folder ({root}) is not empty; restore only into an empty instance.")


def restore(path: Path) -> Summary:
    """Rebuild an empty instance from an archive. Changes nothing when anything is wrong."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No such file: {path}")
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise BackupError(f"{path.name} is not a zip archive: it is damaged or not a RecTrack backup.") from error
    with archive, tempfile.TemporaryDirectory() as work:
        manifest = read_manifest(archive)
        _check_migrations(manifest)
        damaged = archive.testzip()
        if damaged:
            raise BackupError(f"The archive is damaged: {damaged} does not match its checksum.")
        call_command("migrate", interactive=False, verbosity=0)
        _check_empty()
        _check_files_empty()
        data = Path(work) / DATA
        with archive.open(DATA) as source, open(data, "wb") as target:
            shutil.copyfileobj(source, target)
        if _sha256(data) != manifest["data_sha256"]:
            raise BackupError("The archive's data does not match its manifest: the backup is damaged.")
        # Files are unpacked and checked before the database is touched.
        roots = file_roots()
        unpacked = []
        for arcname, meta in manifest["files"].items():
            parts = arcname.split("/", 2)
            if len(parts) != 3 or parts[0] != "files" or parts[1] not in roots or ".." in Path(parts[2]).parts:
                raise BackupError(f"The archive names a file outside the data folders: {arcname}")
            staged = Path(work) / "files" / parts[1] / parts[2]
            staged.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(arcname) as source, open(staged, "wb") as out:
                shutil.copyfileobj(source, out)
            if _sha256(staged) != meta["sha256"]:
                raise BackupError(f"{arcname} does not match its checksum: the backup is damaged.")
            unpacked.append((staged, roots[parts[1]] / parts[2]))
        with transaction.atomic():
            call_command("loaddata", str(data), verbosity=0)
            counts = row_counts()
            expected = {label: count for label, count in manifest["rows"].items() if label in counts}
            wrong = {label: (counts[label], count) for label, count in expected.items() if counts[label] != count}
            if wrong:
                raise BackupError(f"Restored row counts differ from the backup's: {wrong}; nothing was restored.")
        for staged, target in unpacked:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(staged, target)
    from rectrack.recommendations.search import ensure_search_schema

    ensure_search_schema()
    return Summary(path, sum(counts.values()), len(manifest["files"]), path.stat().st_size)
