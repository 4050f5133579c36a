"""What an attachment may be: the types accepted, checked by extension and by content.

A file is accepted only when its extension is one of TYPES and its first
bytes match that type; it is then always served as a download, with the
type recorded here (never the type the browser declared), so that no upload
is ever rendered inline as HTML or run as a script.
"""

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)


@dataclass(frozen=True)
class FileType:
    content_type: str
    signatures: tuple[bytes, ...] = ()  # accepted starts of the file; () = text


TYPES = {
    "pdf": FileType("application/pdf", (b"%PDF-",)),
    "png": FileType("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": FileType("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": FileType("image/jpeg", (b"\xff\xd8\xff",)),
    "docx": FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    "xlsx": FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    "pptx": FileType("application/vnd.openxmlformats-officedocument.presentationml.presentation", _ZIP),
    "odt": FileType("application/vnd.oasis.opendocument.text", _ZIP),
    "ods": FileType("application/vnd.oasis.opendocument.spreadsheet", _ZIP),
    "doc": FileType("application/msword", _OLE),
    "xls": FileType("application/vnd.ms-excel", _OLE),
    "csv": FileType("text/csv"),
    "txt": FileType("text/plain"),
}


def accepted_extensions() -> str:
    return ", ".join(sorted(TYPES))


@dataclass(frozen=True)
class CheckedFile:
    name: str
    extension: str
    content_type: str
    size: int
    sha256: str
    storage_name: str


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is still text.
        if error.start < len(head) - 3:
            return False
    lowered = head.lstrip().lower()
    return not lowered.startswith((b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml"))


def check_upload(upload: UploadedFile) -> CheckedFile:
    """The checked facts of an upload, or ValidationError with a message saying what is wrong."""
    name = PurePath(upload.name or "").name.strip()[:200]
    extension = PurePath(name).suffix.lower().lstrip(".")
    if not name or extension not in TYPES:
        raise ValidationError(
            _("Files of this type cannot be attached. Accepted types: %(types)s.") % {"types": accepted_extensions()}
        )
    limit = settings.RECTRACK_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; attachments may be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    kind = TYPES[extension]
    upload.seek(0)
    head = upload.read(4096)
    matches = head.startswith(kind.signatures) if kind.signatures else _looks_like_text(head)
    if not matches:
        raise ValidationError(
            _("The file's content is not a %(extension)s file. Save it again in that format, or rename it.")
            % {"extension": extension.upper()}
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(
        name=name,
        extension=extension,
        content_type=kind.content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        storage_name=f"{secrets.token_hex(16)}.{extension}",
    )
