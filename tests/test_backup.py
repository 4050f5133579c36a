"""Backup and restore: a populated instance round-trips through one archive, row for row and file for file."""

import io
import json
import os
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import dj_database_url
import pytest
from django.core import serializers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from rectrack.collaboration import services as collaboration
from rectrack.imports.models import ImportRun, ImportState
from rectrack.lib import backup as backups
from rectrack.lib.search_query import parse_search_query
from rectrack.recommendations import services as recs
from rectrack.recommendations.models import Recommendation
from rectrack.recommendations.selectors import RecommendationFilters, search_recommendations
from tests.conftest import IN_CI, World

ROOT = Path(__file__).resolve().parent.parent


def snapshot() -> dict[str, list]:
    """Every row of every backed-up model, as the serializer writes it."""
    return {
        model._meta.label_lower: serializers.serialize(
            "python", model._default_manager.order_by("pk"), use_natural_foreign_keys=True
        )
        for model in backups._models()
    }


def files() -> dict[str, bytes]:
    return {arcname: path.read_bytes() for arcname, path in backups._walk_files()}


@pytest.fixture
def data_dirs(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path / "data"
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    return tmp_path


@pytest.fixture
def populated(transactional_db, data_dirs):
    from rectrack.recommendations.seed import seed_mechanisms
    from rectrack.taxonomy.seed import seed_taxonomy

    seed_taxonomy()
    seed_mechanisms()
    world = World()
    recs.recommendation_set_translation(
        recommendation=world.education, language="fr", text="121.2 Garantir une éducation inclusive", actor=world.admin
    )
    run = ImportRun.objects.create(file_name="export.json", format="uhri-json", state=ImportState.SUCCEEDED, created=3)
    report = Path(data_dirs / "data" / "imports" / f"{run.pk}-report.csv")
    report.parent.mkdir(parents=True)
    report.write_text("Row,Column,Reason\n")
    attachment = data_dirs / "media" / "attachments" / "2026" / "plan d'action.pdf"
    attachment.parent.mkdir(parents=True)
    attachment.write_bytes(b"%PDF-1.7 " + os.urandom(2048))
    # An activity's attachment, in private storage.
    collaboration.attachment_add(
        activity=world.activity, actor=world.admin, upload=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes")
    )
    return world


def _empty_instance():
    call_command("flush", interactive=False, verbosity=0)
    for _arcname, path in list(backups._walk_files()):
        path.unlink()


def test_a_populated_instance_round_trips_row_for_row_and_file_for_file(populated, data_dirs):
    rows, stored = snapshot(), files()
    assert rows["recommendations.recommendation"] and rows["audit.auditevent"] and len(stored) == 3
    archive = data_dirs / "backup.zip"
    out = io.StringIO()
    call_command("backup", "--output", str(archive), stdout=out)
    assert "Backed up" in out.getvalue()
    manifest = json.loads(zipfile.ZipFile(archive).read("manifest.json"))
    assert manifest["rows"]["recommendations.recommendation"] == 3

    _empty_instance()
    assert not Recommendation.objects.exists() and files() == {}
    call_command("restore", str(archive), stdout=io.StringIO())

    assert snapshot() == rows
    assert files() == stored
    # The full-text index is rebuilt with the rows.
    found = search_recommendations(RecommendationFilters(search=parse_search_query("inclusive education")))
    assert [rec.pk for rec in found[0:10]] == [populated.education.pk]


def test_restore_refuses_an_instance_that_holds_data(populated, data_dirs):
    archive = data_dirs / "backup.zip"
    call_command("backup", "--output", str(archive), stdout=io.StringIO())
    before = snapshot()
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert snapshot() == before


def _rewrite(archive: Path, target: Path, change) -> None:
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(target, "w") as out:
        for item in source.infolist():
            out.writestr(item.filename, change(item.filename, source.read(item.filename)))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda name, data: data.replace(b"Ministry of Justice", b"Ministry of Jostice") if name == "data.jsonl"
         else data, "does not match its manifest"),
        (lambda name, data: data + b"x" if name.endswith(".pdf") else data, "does not match its checksum"),
        (lambda name, data: json.dumps({**json.loads(data), "migrations": {"recommendations": ["9999_future"]}})
         .encode() if name == "manifest.json" else data, "newer version of RecTrack"),
        (lambda name, data: b"{}" if name == "manifest.json" else data, "not a RecTrack backup"),
    ],
    ids=["data", "file", "newer", "foreign"],
)  # fmt: skip
def test_a_damaged_or_foreign_archive_restores_nothing(populated, data_dirs, damage, message):
    archive = data_dirs / "backup.zip"
    call_command("backup", "--output", str(archive), stdout=io.StringIO())
    broken = data_dirs / "broken.zip"
    _rewrite(archive, broken, damage)
    _empty_instance()
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(broken), stdout=io.StringIO())
    assert not Recommendation.objects.exists() and files() == {}


def test_not_a_zip_file_is_refused_clearly(db, data_dirs):
    bogus = data_dirs / "notes.zip"
    bogus.write_text("hello")
    with pytest.raises(CommandError, match="not a zip archive"):
        call_command("restore", str(bogus), stdout=io.StringIO())


# ---------------------------------------------------------------- across databases


def _postgres_url() -> str:
    return os.environ.get("RESTORE_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def _manage(env: dict, *args: str) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)  # noqa: S603
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _dump(env: dict) -> dict:
    """Every backed-up row of an instance, by model, in primary key order."""
    out = _manage(
        env, "dumpdata", "--format", "jsonl", "--natural-foreign", *[f"--exclude={e}" for e in backups.EXCLUDED]
    )
    rows: dict[str, list] = {}
    for line in out.splitlines():
        row = json.loads(line)
        rows.setdefault(row["model"], []).append(row)
    return {model: sorted(items, key=lambda row: str(row["pk"])) for model, items in rows.items()}


def test_a_sqlite_backup_restores_into_postgresql_and_back(tmp_path):
    import psycopg

    admin = dj_database_url.parse(_postgres_url())
    name = f"rectrack_restore_{uuid.uuid4().hex[:8]}"
    try:
        connection = psycopg.connect(
            host=admin["HOST"], port=admin["PORT"] or 5432, user=admin["USER"], dbname=admin["NAME"], autocommit=True
        )
    except psycopg.OperationalError as error:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI: {error}")
        pytest.skip(f"PostgreSQL is not reachable: {error}")
    base = {**os.environ, "SECRET_KEY": "tests-only", "DJANGO_SETTINGS_MODULE": "rectrack.settings"}
    base.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    sqlite = {
        **base,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'source.sqlite3'}",
        "RECTRACK_DATA_DIR": str(tmp_path / "a"),
    }
    postgres = {
        **base,
        "DATABASE_URL": f"postgres://{admin['USER']}@{admin['HOST']}:{admin['PORT'] or 5432}/{name}",
        "RECTRACK_DATA_DIR": str(tmp_path / "b"),
    }
    back = {**base, "DATABASE_URL": f"sqlite:///{tmp_path / 'back.sqlite3'}", "RECTRACK_DATA_DIR": str(tmp_path / "c")}
    with connection:
        connection.execute(f'CREATE DATABASE "{name}"')
        try:
            _manage(sqlite, "migrate", "--noinput", "-v0")
            _manage(sqlite, "load_demo")
            _manage(sqlite, "create_demo_users")
            _manage(sqlite, "backup", "--output", str(tmp_path / "from-sqlite.zip"))
            _manage(postgres, "restore", str(tmp_path / "from-sqlite.zip"))
            source = _dump(sqlite)
            assert sum(len(rows) for rows in source.values()) > 2000
            assert _dump(postgres) == source
            # The sequences moved past the restored ids: new rows can be added.
            _manage(
                postgres,
                "shell",
                "--no-imports",
                "-c",
                "from rectrack.institutions.models import Institution as I; I.objects.create(name='After restore')",
            )
            _manage(
                postgres,
                "shell",
                "--no-imports",
                "-c",
                "from rectrack.institutions.models import Institution as I; "
                "I.objects.filter(name='After restore').delete()",
            )
            _manage(postgres, "backup", "--output", str(tmp_path / "from-postgres.zip"))
            _manage(back, "restore", str(tmp_path / "from-postgres.zip"))
            assert _dump(back) == source
        finally:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
