"""Upload a file, map its columns if need be, preview, import; and the history of imports."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rectrack.accounts import permissions
from rectrack.imports import services
from rectrack.imports.formats import FORMATS, detect_format
from rectrack.imports.forms import AUTO, MappingForm, UploadForm
from rectrack.imports.models import ImportRun, ImportState
from rectrack.imports.records import FileRejected
from rectrack.imports.spreadsheets import remember_mapping
from rectrack.imports.tasks import run_import
from rectrack.instance import selectors as instance


def _require_importer(request: HttpRequest) -> None:
    if not permissions.can_import(request.user):
        raise Http404


def _get_run(request: HttpRequest, pk: int) -> ImportRun:
    _require_importer(request)
    return get_object_or_404(ImportRun.objects.select_related("created_by"), pk=pk)


def _queue(run: ImportRun) -> None:
    """Start the run in the background once the request's changes are saved."""
    transaction.on_commit(lambda: run_import.enqueue(run.pk))


def import_list(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    runs = ImportRun.objects.select_related("created_by")
    page = Paginator(runs, settings.RECTRACK_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "imports/list.html", {"page": page, "formats": FORMATS})


def import_new(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        countries = None
        if instance.country() and not form.cleaned_data["all_countries"]:
            countries = [instance.country()]
        run = services.run_create(
            upload=upload,
            file_name=upload.name,
            format=form.cleaned_data["format"],
            options={
                "countries": countries,
                "skip_rejected": form.cleaned_data["skip_rejected"],
                "translation_of": form.cleaned_data["translation_of"],
                "language": translation.get_language(),
                "reader": {},
            },
            actor=request.user,
        )
        if run.format == AUTO:
            try:
                run.format = detect_format(services.imports_dir() / run.stored_file)
            except FileRejected as error:
                services.run_discard(run)
                form.add_error("file", str(error))
                return render(request, "imports/new.html", _new_context(form))
            run.save(update_fields=["format"])
        if run.format == "spreadsheet":
            return redirect("imports:mapping", pk=run.pk)
        _queue(run)
        return redirect("imports:detail", pk=run.pk)
    return render(request, "imports/new.html", _new_context(form))


def _new_context(form: UploadForm) -> dict:
    return {"form": form, "country": instance.country(), "limit": settings.RECTRACK_IMPORT_MAX_BYTES}


def import_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    """For a spreadsheet of any shape: which column holds which field, remembered for the next such file."""
    from rectrack.imports.formats.spreadsheet import FIELDS, inspect, suggest_mapping
    from rectrack.imports.models import ColumnMapping

    run = _get_run(request, pk)
    if run.format != "spreadsheet" or run.state != ImportState.QUEUED or not run.stored_file:
        return redirect("imports:detail", pk=run.pk)
    try:
        preview = inspect(services.imports_dir() / run.stored_file)
    except FileRejected as error:
        services.run_discard(run)
        messages.error(request, str(error))
        return redirect("imports:new")
    samples = {header: _sample(preview, index) for index, header in enumerate(preview.headers)}
    saved = ColumnMapping.objects.filter(signature=preview.signature).first()
    initial = {}
    if saved is not None:
        initial = {f"map_{key}": header for key, header in saved.mapping.items() if header in preview.headers}
        initial["separator"] = saved.options.get("multi_value_separator", ";")
        initial["date_order"] = saved.options.get("date_order", "dmy")
    else:
        initial = {f"map_{key}": header for key, header in suggest_mapping(preview.headers).items()}
    form = MappingForm(request.POST or None, fields=FIELDS, headers=preview.headers, samples=samples, initial=initial)
    if request.method == "POST" and form.is_valid():
        reader_options = {"mapping": form.mapping(), **form.reader_options()}
        remember_mapping(
            signature=preview.signature,
            headers=preview.headers,
            mapping=form.mapping(),
            options=form.reader_options(),
            actor=request.user,
        )
        run.options = {**run.options, "reader": reader_options}
        run.save(update_fields=["options"])
        _queue(run)
        return redirect("imports:detail", pk=run.pk)
    return render(
        request,
        "imports/mapping.html",
        {"run": run, "form": form, "preview": preview, "remembered": saved is not None},
    )


def _sample(preview, index: int) -> str:
    for row in preview.rows:
        if index < len(row) and str(row[index] or "").strip():
            value = " ".join(str(row[index]).split())
            return value if len(value) <= 60 else value[:59] + "…"
    return ""


def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = _get_run(request, pk)
    return render(
        request,
        "imports/detail.html",
        {
            "run": run,
            "format_label": FORMATS.get(run.format, run.format),
            "progress": services.run_progress(run) if not run.finished else None,
            "more_problems": max(run.rejected - len(run.problems), 0),
        },
    )


@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    run = _get_run(request, pk)
    if run.state != ImportState.PREVIEWED:
        messages.error(request, _("Only a previewed file can be imported."))
        return redirect("imports:detail", pk=run.pk)
    services.run_confirm(run)
    _queue(run)
    return redirect("imports:detail", pk=run.pk)


@require_POST
def import_discard(request: HttpRequest, pk: int) -> HttpResponse:
    run = _get_run(request, pk)
    if run.state in (ImportState.PREVIEWED, ImportState.QUEUED):
        services.run_discard(run)
        messages.info(request, _("The file was discarded; nothing was imported."))
    return redirect("imports:list")


def import_report(request: HttpRequest, pk: int) -> FileResponse:
    run = _get_run(request, pk)
    path = services.report_path(run)
    if not path.exists():
        raise Http404
    return FileResponse(
        open(path, "rb"),  # noqa: SIM115 (FileResponse closes it)
        as_attachment=True,
        filename=f"import-{run.pk}-rejected-rows.csv",
        content_type="text/csv; charset=utf-8",
    )
