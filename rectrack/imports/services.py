"""The import engine: a stream of source records into the database, all or nothing.

`import_file` reads a file with a format reader, matches each record to what
the database holds (by source and external id), and creates, updates or
leaves it, in batches, inside one transaction:

- a preview (dry run) does all of it and rolls back, so its counts are exact;
- rejected rows make the import fail with nothing imported, unless the user
  chose to skip them;
- a newer export updates the UN-side fields only; national fields
  (assignments, status, clusters, institutions) are never touched;
- a record the previous export held and this one does not is flagged
  (`missing_from_source_since`), never deleted;
- every created or changed recommendation gets a history entry.
"""

import csv
import hashlib
import json
import secrets
import time
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rectrack.audit.models import Action
from rectrack.audit.services import _labels, diff, record_events
from rectrack.imports.formats import reader_for
from rectrack.imports.mapping import Resolver, issued_on_for, recommendation_kind, upr_position
from rectrack.imports.models import ImportRun, ImportState
from rectrack.imports.records import FileRejected, Reader, RowProblem, SourceRecord
from rectrack.lib.tabular import spreadsheet_safe
from rectrack.recommendations.models import (
    Country,
    Recommendation,
    Source,
    paragraph_sort_key,
)

BATCH = 1000
# Rejected rows kept in memory for the report; past this, only counted.
MAX_PROBLEMS = 10_000
# The many-to-many relations an import owns (UN-side); clusters and institutions are national.
SOURCE_RELATIONS = {
    "themes": (Recommendation.themes.through, "term_id"),
    "affected_persons": (Recommendation.affected_persons.through, "term_id"),
    "sdgs": (Recommendation.sdgs.through, "term_id"),
    "recommending_states": (Recommendation.recommending_states.through, "country_id"),
}
SOURCE_FIELDS = [
    "mechanism",
    "document",
    "paragraph",
    "text",
    "language",
    "translations",
    "kind",
    "upr_position",
    "position_source",
    "issued_on",
]


@dataclass
class ImportOptions:
    countries: list[str] | None = None  # keep records concerning these States (names or ISO3); None: all
    dry_run: bool = True
    skip_rejected: bool = False
    # A language code when the file holds translations of recommendations
    # already imported from the same source (UHRI in French, say): their texts
    # are added in that language and nothing else changes.
    translation_of: str = ""


@dataclass
class ImportResult:
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    out_of_scope: int = 0
    flagged: int = 0
    new_terms: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    failed: bool = False
    message: str = ""
    seconds: float = 0.0

    def reject(self, problem: RowProblem) -> None:
        self.rejected += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def counts(self) -> dict[str, int]:
        return {
            name: getattr(self, name)
            for name in (
                "rows_read",
                "created",
                "updated",
                "unchanged",
                "rejected",
                "out_of_scope",
                "flagged",
                "new_terms",
            )
        }


class _RollBack(Exception):
    """Leaves the transaction without keeping anything: a preview, or rejected rows."""


def source_hash(record: SourceRecord) -> str:
    """A digest of everything the source says about a record, to skip unchanged ones."""
    values = [
        record.text,
        record.paragraph,
        record.document_symbol,
        record.mechanism,
        record.countries,
        record.issued_on.isoformat() if record.issued_on else "",
        record.session,
        record.upr_cycle,
        sorted(record.themes),
        sorted(record.affected_persons),
        sorted(record.sdgs),
        record.recommending_states,
        record.position,
        record.position_source,
        record.kind,
        record.language,
        sorted(record.translations.items()),
    ]
    return hashlib.sha1(json.dumps(values, ensure_ascii=False).encode(), usedforsecurity=False).hexdigest()


def _fallback_external_id(record: SourceRecord) -> str:
    """A stable id for a source that has none: its document and paragraph, or its text."""
    if record.document_symbol and record.paragraph:
        return f"{record.document_symbol}:{record.paragraph}"[:100]
    digest = hashlib.sha1(" ".join(record.text.split()).casefold().encode(), usedforsecurity=False).hexdigest()
    return f"{record.document_symbol or ','.join(record.countries)}:{digest[:20]}"[:100]


def _write_fields(recs: list[Recommendation], names: list[str]) -> None:
    """UPDATE these columns of these rows, in one prepared statement run per row.

    Django's bulk_update builds a CASE expression per field and row, which
    costs seconds per thousand rows; an executemany costs milliseconds.
    """
    connection = connections[Recommendation.objects.db]
    fields = [Recommendation._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    # Identifiers come from the model, values are parameters.
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    sql = f"UPDATE {quote(Recommendation._meta.db_table)} SET {assignments} WHERE id = %s"  # noqa: S608
    rows = [
        [field.get_db_prep_save(getattr(rec, field.attname), connection) for field in fields] + [rec.pk] for rec in recs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


class _Importer:
    """Applies batches of records; one instance per import."""

    def __init__(self, *, source: str, actor, options: ImportOptions, result: ImportResult, label: str):
        self.source = source
        self.actor = actor if actor is not None and actor.pk else None
        self.result = result
        self.label = label  # how the history names this import
        self.resolver = Resolver(term_source=dict(Source.choices).get(source, source))
        self.translation_of = options.translation_of
        self.scope = self._scope(options.countries)
        self.seen: dict[str, int] = {}  # external id -> row, to refuse duplicates and flag the missing
        # (document, kind) pairs the file holds: a newer file flags only within them.
        self.covered: set[tuple[int, str]] = set()
        self.unchanged_ids: list[int] = []
        self.batch: list[tuple[SourceRecord, str, str]] = []

    def _scope(self, countries: list[str] | None) -> set[int] | None:
        if countries is None:
            return None
        scope = set()
        for name in countries:
            country = self.resolver.country(name)
            if country is not None:
                scope.add(country.pk)
        return scope

    # -- reading ---------------------------------------------------------

    def add(self, record: SourceRecord) -> None:
        if self.scope is not None and record.countries:
            concerned = {c.pk for c in self.resolver.countries(record.countries)}
            if not concerned & self.scope:
                self.result.out_of_scope += 1
                return
        external_id = (record.external_id or _fallback_external_id(record))[:100]
        if external_id in self.seen:
            self.result.reject(
                RowProblem(
                    record.row,
                    "",
                    _("The same record (id %(id)s) appears twice in this file, first in row %(row)s.")
                    % {"id": external_id, "row": self.seen[external_id]},
                )
            )
            return
        self.seen[external_id] = record.row
        self.batch.append((record, external_id, source_hash(record)))
        if len(self.batch) >= BATCH:
            self.flush()

    def flush(self) -> None:
        batch, self.batch = self.batch, []
        if not batch:
            return
        existing = {
            row[0]: row[1:]
            for row in Recommendation.objects.filter(
                source=self.source, external_id__in=[external_id for _, external_id, _ in batch]
            )
            # The condition of the partial unique index, so both databases use it.
            .exclude(external_id="")
            .order_by()
            .values_list("external_id", "pk", "source_hash", "missing_from_source_since")
        }
        if self.translation_of:
            self._translate(batch, {external_id: row[0] for external_id, row in existing.items()})
            return
        new, changed = [], []
        for record, external_id, digest in batch:
            if external_id not in existing:
                new.append((record, external_id, digest))
                continue
            pk, old_digest, missing_since = existing[external_id]
            if old_digest == digest and missing_since is None:
                self.result.unchanged += 1
                self.unchanged_ids.append(pk)
            else:
                changed.append((record, pk, digest))
        self._create(new)
        self._update(changed)

    # -- values ----------------------------------------------------------

    def _values(self, record: SourceRecord, digest: str) -> tuple[dict, dict[str, list[int]]]:
        """The UN-side field values and related ids of a record, matched to the database."""
        mechanism = self.resolver.mechanism(record.mechanism)
        countries = self.resolver.countries(record.countries)
        country: Country | None = countries[0] if countries else None
        session = record.session
        document = self.resolver.document(
            symbol=record.document_symbol,
            mechanism=mechanism,
            country=country,
            issued_on=record.issued_on,
            session=session,
        )
        kind = recommendation_kind(record.kind)
        if document is not None:
            self.covered.add((document.pk, kind))
            mechanism = document.mechanism
        issued_on = issued_on_for(record.issued_on, document, session)
        values = {
            "mechanism": mechanism,
            "document": document,
            "paragraph": record.paragraph[:32],
            "paragraph_key": paragraph_sort_key(record.paragraph),
            "text": record.text,
            "language": (record.language or "en")[:16],
            "translations": dict(record.translations),
            "kind": kind,
            "upr_position": upr_position(record.position),
            "position_source": record.position_source[:200],
            "issued_on": issued_on,
            "source_hash": digest,
            "missing_from_source_since": None,
        }
        related = {
            "themes": self.resolver.themes(record.themes),
            "affected_persons": self.resolver.affected_persons(record.affected_persons),
            "sdgs": self.resolver.sdgs(record.sdgs),
            "recommending_states": [c.pk for c in self.resolver.countries(record.recommending_states)],
        }
        return values, related

    def _check(self, record: SourceRecord, values: dict) -> bool:
        if not values["text"].strip():
            self.result.reject(RowProblem(record.row, "text", _("The recommendation has no text.")))
            return False
        if values["issued_on"] is None:
            self.result.reject(
                RowProblem(
                    record.row,
                    "date",
                    _("No date: the row has none, and neither has its document or UPR session."),
                )
            )
            return False
        return True

    # -- writing ---------------------------------------------------------

    def _create(self, items: list[tuple[SourceRecord, str, str]]) -> None:
        if not items:
            return
        rows, relations = [], []
        for record, external_id, digest in items:
            values, related = self._values(record, digest)
            if not self._check(record, values):
                continue
            rows.append(Recommendation(source=self.source, external_id=external_id, created_by=self.actor, **values))
            relations.append(related)
        created = Recommendation.objects.bulk_create(rows, batch_size=BATCH)
        for name, (through, column) in SOURCE_RELATIONS.items():
            through.objects.bulk_create(
                [
                    through(recommendation_id=rec.pk, **{column: related_id})
                    for rec, related in zip(created, relations, strict=True)
                    for related_id in related[name]
                ],
                batch_size=5000,
            )
        label = self.label
        record_events(
            actor=self.actor,
            instances=created,
            action=Action.CREATED,
            changes_for=lambda rec: {"import": {"old": None, "new": label}},
        )
        self.result.created += len(created)

    def _update(self, items: list[tuple[SourceRecord, int, str]]) -> None:
        if not items:
            return
        current = {
            rec.pk: rec
            for rec in Recommendation.objects.filter(pk__in=[pk for _, pk, _ in items])
            .select_related("mechanism", "document")
            .prefetch_related(*SOURCE_RELATIONS)
        }
        matched = []
        for record, pk, digest in items:
            values, related = self._values(record, digest)
            if self._check(record, values):
                matched.append((current[pk], values, related))
        names = self._names_of([related for _, _, related in matched])
        changed_recs, changes_by_pk, rehashed = [], {}, []
        now = timezone.now()
        for rec, values, related in matched:
            before = self._state(rec)
            # Texts the NMIRF added in other languages stay; the source's win for the languages it has.
            values["translations"] = {**rec.translations, **values["translations"]}
            for name, value in values.items():
                setattr(rec, name, value)
            rec.updated_at = now
            after = self._state(rec, {name: [names[name][i] for i in ids] for name, ids in related.items()})
            changes = diff(before, after)
            if not changes:
                # The source wrote the same thing differently (label spelling, order).
                rehashed.append(rec)
                continue
            rec.version += 1
            changed_recs.append((rec, related))
            changes_by_pk[rec.pk] = changes
        if rehashed:
            _write_fields(rehashed, ["source_hash"])
            self.result.unchanged += len(rehashed)
            self.unchanged_ids.extend(rec.pk for rec in rehashed)
        if not changed_recs:
            return
        _write_fields(
            [rec for rec, _ in changed_recs],
            [*SOURCE_FIELDS, "paragraph_key", "source_hash", "missing_from_source_since", "version", "updated_at"],
        )
        pks = [rec.pk for rec, _ in changed_recs]
        for name, (through, column) in SOURCE_RELATIONS.items():
            through.objects.filter(recommendation_id__in=pks).delete()
            through.objects.bulk_create(
                [
                    through(recommendation_id=rec.pk, **{column: related_id})
                    for rec, related in changed_recs
                    for related_id in related[name]
                ],
                batch_size=5000,
            )
        record_events(
            actor=self.actor,
            instances=[rec for rec, _ in changed_recs],
            action=Action.UPDATED,
            changes_for=lambda rec: changes_by_pk[rec.pk],
        )
        self.result.updated += len(changed_recs)

    @staticmethod
    def _names_of(relateds: list[dict[str, list[int]]]) -> dict[str, dict[int, str]]:
        """The names of every related object in a batch, in one query per relation."""
        names = {}
        for name in SOURCE_RELATIONS:
            ids = {pk for related in relateds for pk in related[name]}
            model = Recommendation._meta.get_field(name).related_model
            names[name] = {obj.pk: str(obj) for obj in model.objects.filter(pk__in=ids)} if ids else {}
        return names

    def _state(self, rec: Recommendation, related_names: dict[str, list[str]] | None = None) -> dict:
        """The UN-side values as history keeps them (names for related objects)."""
        state = {
            "mechanism": str(rec.mechanism),
            "document": str(rec.document) if rec.document_id else None,
            "paragraph": rec.paragraph,
            "text": rec.text,
            "language": rec.language,
            "translations": dict(rec.translations),
            "kind": rec.kind,
            "upr_position": rec.upr_position,
            "position_source": rec.position_source,
            "issued_on": rec.issued_on.isoformat() if rec.issued_on else None,
            "missing_from_source_since": (
                rec.missing_from_source_since.isoformat() if rec.missing_from_source_since else None
            ),
        }
        for name in SOURCE_RELATIONS:
            if related_names is None:
                state[name] = _labels(getattr(rec, name).all())
            else:
                state[name] = sorted(related_names[name])
        return state

    def _translate(self, batch: list[tuple[SourceRecord, str, str]], existing: dict[str, int]) -> None:
        """Add each record's text, in the file's language, to the recommendation it translates."""
        language = self.translation_of
        found = []
        for record, external_id, _digest in batch:
            if external_id not in existing:
                self.result.reject(
                    RowProblem(
                        record.row,
                        "id",
                        _("No recommendation imported from this source has the id %(id)s: import the original first.")
                        % {"id": external_id},
                    )
                )
            elif record.text.strip():
                found.append((record, existing[external_id]))
            else:
                self.result.reject(RowProblem(record.row, "text", _("The recommendation has no text.")))
        recs = {
            rec.pk: rec
            for rec in Recommendation.objects.filter(pk__in=[pk for _, pk in found])
            .select_related("document")
            .only("pk", "version", "paragraph", "language", "translations", "document__symbol")
        }
        changed, changes_by_pk = [], {}
        now = timezone.now()
        for record, pk in found:
            rec = recs[pk]
            old = rec.translations.get(language)
            if rec.language.lower() == language or old == record.text:
                self.result.unchanged += 1
                continue
            rec.translations = {**rec.translations, language: record.text}
            rec.version += 1
            rec.updated_at = now
            changed.append(rec)
            changes_by_pk[rec.pk] = {
                "translations": {"old": {language: old} if old else {}, "new": {language: record.text}}
            }
        if not changed:
            return
        _write_fields(changed, ["translations", "version", "updated_at"])
        record_events(
            actor=self.actor, instances=changed, action=Action.UPDATED, changes_for=lambda rec: changes_by_pk[rec.pk]
        )
        self.result.updated += len(changed)

    def cover_unchanged_documents(self) -> None:
        """The documents (and kinds) of unchanged records count as covered by the file too."""
        for start in range(0, len(self.unchanged_ids), BATCH):
            chunk = self.unchanged_ids[start : start + BATCH]
            self.covered.update(
                Recommendation.objects.filter(pk__in=chunk)
                .exclude(document=None)
                .values_list("document_id", "kind")
                .distinct()
            )

    # -- after the last row ----------------------------------------------

    def flag_missing(self, *, by_document: bool) -> None:
        """Flag this source's records in scope that the file no longer holds.

        A full export covers its whole source (in the country scope); another
        file covers the documents it names, and in them only the kinds it
        holds (UPR Info keeps a review's pledges in a file of their own).
        """
        candidates = Recommendation.objects.filter(source=self.source, missing_from_source_since__isnull=True)
        if by_document:
            candidates = candidates.filter(document__in={document for document, _kind in self.covered})
        elif self.scope is not None:
            candidates = candidates.filter(document__country__in=self.scope)
        gone = [
            pk
            for pk, external_id, document, kind in candidates.values_list("pk", "external_id", "document_id", "kind")
            if external_id not in self.seen and (not by_document or (document, kind) in self.covered)
        ]
        if not gone:
            return
        now = timezone.now()
        for start in range(0, len(gone), BATCH):
            chunk = gone[start : start + BATCH]
            Recommendation.objects.filter(pk__in=chunk).update(missing_from_source_since=now)
            flagged = list(
                Recommendation.objects.filter(pk__in=chunk)
                .select_related("document")
                .only("pk", "paragraph", "version", "document__symbol")
            )
            record_events(
                actor=self.actor,
                instances=flagged,
                action=Action.UPDATED,
                changes_for=lambda rec: {"missing_from_source_since": {"old": None, "new": now.isoformat()}},
            )
        self.result.flagged = len(gone)


def import_file(
    *,
    path: Path,
    reader: Reader,
    actor,
    options: ImportOptions,
    label: str = "",
    on_progress: Callable[[float, ImportResult], None] | None = None,
) -> ImportResult:
    """Import (or preview, with options.dry_run) one file. Never raises for bad input: see result.failed."""
    result = ImportResult()
    started = time.monotonic()
    last_report = 0.0
    try:
        with transaction.atomic():
            importer = _Importer(
                source=reader.source, actor=actor, options=options, result=result, label=label or path.name
            )
            for item in reader.records(path):
                result.rows_read += 1
                if isinstance(item, RowProblem):
                    result.reject(item)
                else:
                    importer.add(item)
                if on_progress and time.monotonic() - last_report > 0.5:
                    last_report = time.monotonic()
                    on_progress(min(reader.progress, 0.99), result)
            importer.flush()
            # A file of translations says nothing about which recommendations still exist.
            if not options.translation_of:
                by_document = getattr(reader, "covers", "documents") == "documents"
                if by_document:
                    importer.cover_unchanged_documents()
                importer.flag_missing(by_document=by_document)
            result.new_terms = importer.resolver.count_new_terms()
            result.rows_read = getattr(reader, "rows_read", result.rows_read)
            if result.rejected and not options.skip_rejected:
                raise _RollBack(
                    _("%(count)s rows were rejected, so nothing was imported. Correct them, or choose to skip them.")
                    % {"count": f"{result.rejected:,}"}
                )
            if options.dry_run:
                raise _RollBack("")
    except _RollBack as stop:
        result.failed = bool(str(stop))
        result.message = str(stop)
    except FileRejected as error:
        result.failed = True
        result.message = str(error)
    result.seconds = round(time.monotonic() - started, 2)
    if on_progress:
        on_progress(1.0, result)
    return result


def problems_as_rows(problems: Iterable[RowProblem]) -> list[dict]:
    return [{"row": p.row, "column": p.column, "reason": p.reason} for p in problems]


# ---------------------------------------------------------------- import runs

PROGRESS_SECONDS = 24 * 3600


def imports_dir() -> Path:
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def progress_key(run_id: int) -> str:
    return f"import-progress:{run_id}"


def run_create(*, upload, file_name: str, format: str, options: dict, actor) -> ImportRun:
    """Keep an uploaded file (a Django UploadedFile or an open binary file) and record a queued preview."""
    run = ImportRun.objects.create(
        created_by=actor if actor is not None and actor.pk else None,
        file_name=Path(file_name).name[:255],
        format=format,
        options=options,
        dry_run=True,
    )
    stored = f"{run.pk}-{secrets.token_hex(8)}.upload"
    digest = hashlib.sha256()
    size = 0
    with open(imports_dir() / stored, "wb") as out:
        chunks = upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(1024 * 1024), b"")
        for chunk in chunks:
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    if _is_workbook(imports_dir() / stored):
        # openpyxl opens a workbook only by an Excel file name, whatever the upload was called.
        (imports_dir() / stored).rename(imports_dir() / f"{stored}.xlsx")
        stored = f"{stored}.xlsx"
    run.stored_file = stored
    run.file_size = size
    run.file_sha256 = digest.hexdigest()
    run.save(update_fields=["stored_file", "file_size", "file_sha256"])
    return run


def _is_workbook(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def run_execute(run: ImportRun, *, on_progress: Callable[[float, ImportResult], None] | None = None) -> ImportRun:
    """Preview or import a recorded run now (from a background task or the command).

    Messages and the report are written in the language of whoever started
    the run, as the page they started it from was.
    """
    language = run.options.get("language") or getattr(run.created_by, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        return _execute(run, on_progress)


def _execute(run: ImportRun, on_progress: Callable[[float, ImportResult], None] | None) -> ImportRun:
    run.state = ImportState.RUNNING
    run.started_at = timezone.now()
    run.save(update_fields=["state", "started_at"])
    path = imports_dir() / run.stored_file

    def progress(fraction: float, result: ImportResult) -> None:
        caches["shared"].set(progress_key(run.pk), {"fraction": fraction, **result.counts()}, PROGRESS_SECONDS)
        if on_progress:
            on_progress(fraction, result)

    try:
        reader = reader_for(run.format, **run.options.get("reader", {}))
        result = import_file(
            path=path,
            reader=reader,
            actor=run.created_by,
            options=ImportOptions(
                countries=run.options.get("countries"),
                dry_run=run.dry_run,
                skip_rejected=bool(run.options.get("skip_rejected")),
                translation_of=run.options.get("translation_of", ""),
            ),
            label=_("%(file)s (import %(id)s)") % {"file": run.file_name, "id": run.pk},
            on_progress=progress,
        )
    except FileRejected as error:  # raised before reading started (a mapping that does not fit)
        result = ImportResult(failed=True, message=str(error))
    except FileNotFoundError:
        result = ImportResult(failed=True, message=_("The uploaded file is no longer available. Upload it again."))
    for name, value in result.counts().items():
        setattr(run, name, value)
    run.problems = problems_as_rows(result.problems[:PROBLEMS_SHOWN])
    run.message = result.message
    run.seconds = result.seconds
    run.finished_at = timezone.now()
    if result.failed:
        run.state = ImportState.FAILED
    elif run.dry_run:
        run.state = ImportState.PREVIEWED
    else:
        run.state = ImportState.SUCCEEDED
    _write_report(run, result.problems)
    if run.state != ImportState.PREVIEWED:
        _forget_upload(run)
    run.save()
    caches["shared"].delete(progress_key(run.pk))
    return run


PROBLEMS_SHOWN = 200


def report_path(run: ImportRun) -> Path:
    return imports_dir() / f"{run.pk}-report.csv"


def _write_report(run: ImportRun, problems: list[RowProblem]) -> None:
    """The per-row report: every rejected row with its column and reason (CSV, UTF-8 with BOM for Excel)."""
    with open(report_path(run), "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow([_("Row"), _("Column"), _("Reason")])
        for problem in problems:
            writer.writerow([problem.row, problem.column, spreadsheet_safe(problem.reason)])


def _forget_upload(run: ImportRun) -> None:
    if run.stored_file:
        (imports_dir() / run.stored_file).unlink(missing_ok=True)
        run.stored_file = ""


def run_confirm(run: ImportRun) -> ImportRun:
    """After a preview: queue the real import of the same file with the same options."""
    run.dry_run = False
    run.state = ImportState.QUEUED
    run.save(update_fields=["dry_run", "state"])
    return run


def run_discard(run: ImportRun) -> ImportRun:
    _forget_upload(run)
    run.state = ImportState.DISCARDED
    run.save(update_fields=["state", "stored_file"])
    return run


def run_progress(run: ImportRun) -> dict:
    return caches["shared"].get(progress_key(run.pk)) or {"fraction": 0.0}


def import_path(
    path: Path,
    *,
    format: str,
    actor,
    countries: list[str] | None,
    dry_run: bool,
    skip_rejected: bool = False,
    translation_of: str = "",
    reader_options: dict | None = None,
    on_progress: Callable[[float, ImportResult], None] | None = None,
) -> ImportRun:
    """Import a file on this machine now (the commands), recorded in the import history like an upload."""
    with open(path, "rb") as handle:
        run = run_create(
            upload=handle,
            file_name=path.name,
            format=format,
            options={
                "countries": countries,
                "skip_rejected": skip_rejected,
                "translation_of": translation_of,
                "reader": reader_options or {},
            },
            actor=actor,
        )
    run.dry_run = dry_run
    run.save(update_fields=["dry_run"])
    return run_execute(run, on_progress=on_progress)
