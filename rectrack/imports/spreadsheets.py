"""Column mappings of "any spreadsheet" imports, remembered per shape of file."""

from pathlib import Path

from rectrack.imports.models import ColumnMapping


def remembered_mapping(path: Path, sheet: str | None = None) -> dict | None:
    """The reader options saved for files with these columns, or None."""
    from rectrack.imports.formats.spreadsheet import inspect

    preview = inspect(path, sheet=sheet)
    saved = ColumnMapping.objects.filter(signature=preview.signature).first()
    if saved is None:
        return None
    return {"mapping": saved.mapping, **saved.options}


def remember_mapping(*, signature: str, headers: list[str], mapping: dict, options: dict, actor) -> ColumnMapping:
    saved, _created = ColumnMapping.objects.update_or_create(
        signature=signature,
        defaults={"headers": headers, "mapping": mapping, "options": options, "updated_by": actor},
    )
    return saved
