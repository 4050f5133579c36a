"""sync_uhri against a real HTTP server on 127.0.0.1 serving exports in the real UHRI shapes."""

import functools
import http.server
import itertools
import threading

import pytest
from django.core.management import CommandError, call_command

from rectrack.imports.models import ImportRun, ImportState
from rectrack.imports.samples import synthetic_uhri_records, write_uhri_json, write_uhri_xlsx
from rectrack.imports.services import imports_dir
from rectrack.recommendations.models import Recommendation, Source


@pytest.fixture
def export_server(tmp_path):
    """Serves tmp_path over HTTP; yields the base URL."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _records(n, countries=("Slovenia", "Chile")):
    return list(itertools.islice(synthetic_uhri_records(n, seed=3, countries=countries), n))


@pytest.mark.django_db
def test_sync_fetches_and_imports_a_json_export_then_a_newer_one(export_server, tmp_path, settings):
    records = _records(60)
    write_uhri_json(tmp_path / "export.json", records)
    settings.RECTRACK_UHRI_EXPORT_URL = f"{export_server}/export.json"
    call_command("sync_uhri", "--all-countries", verbosity=0)
    first = ImportRun.objects.get()
    assert first.state == ImportState.SUCCEEDED and first.created == 60 and first.format == "uhri-json"
    # A newer export: one annotation reworded, one gone.
    records[0]["Text"] += " Revised."
    write_uhri_json(tmp_path / "export.json", records[:-1])
    call_command("sync_uhri", "--all-countries", verbosity=0)
    second = ImportRun.objects.order_by("-id").first()
    assert (second.created, second.updated, second.unchanged, second.flagged) == (0, 1, 58, 1)
    assert Recommendation.objects.filter(source=Source.UHRI, missing_from_source_since__isnull=False).count() == 1
    assert not any(imports_dir().glob("sync-*"))  # the download is not kept


@pytest.mark.django_db
def test_sync_reads_an_xlsx_export_for_the_instance_country_only(export_server, tmp_path, settings):
    write_uhri_xlsx(tmp_path / "export.xlsx", _records(40))
    settings.RECTRACK_COUNTRY = "Slovenia"
    call_command("sync_uhri", "--url", f"{export_server}/export.xlsx", verbosity=0)
    run = ImportRun.objects.get()
    assert run.format == "uhri-xlsx" and run.state == ImportState.SUCCEEDED
    assert run.created > 0 and run.out_of_scope > 0 and run.created + run.out_of_scope == 40
    assert all(
        document.country.name == "Slovenia"
        for rec in Recommendation.objects.filter(source=Source.UHRI).select_related("document__country")
        for document in [rec.document]
    )


@pytest.mark.django_db
def test_sync_says_what_went_wrong_and_imports_nothing(export_server, tmp_path, settings):
    with pytest.raises(CommandError, match="404"):
        call_command("sync_uhri", "--url", f"{export_server}/missing.json", verbosity=0)
    (tmp_path / "cut.json").write_text('[{"AnnotationId": "1", "Text": "121.1 Rat')
    with pytest.raises(CommandError):
        call_command("sync_uhri", "--url", f"{export_server}/cut.json", "--all-countries", verbosity=0)
    settings.RECTRACK_IMPORT_MAX_BYTES = 10
    write_uhri_json(tmp_path / "export.json", _records(3))
    with pytest.raises(CommandError, match="limit"):
        call_command("sync_uhri", "--url", f"{export_server}/export.json", verbosity=0)
    with pytest.raises(CommandError, match="Only http"):
        call_command("sync_uhri", "--url", "file:///etc/passwd", verbosity=0)
    assert not Recommendation.objects.filter(source=Source.UHRI).exists()
