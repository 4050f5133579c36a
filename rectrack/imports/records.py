"""What every file format is read into, before anything touches the database.

A format reader (rectrack.imports.formats.*) turns a file into a stream of
`SourceRecord`s and `RowProblem`s. It reports the labels exactly as the file
has them (themes, positions, mechanisms...): matching them to the database is
the importer's job (rectrack.imports.mapping), so every format is matched the
same way. A reader raises `FileRejected` when the file as a whole cannot be
read (wrong type, corrupt, missing columns...), with a message for the user.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol


class FileRejected(Exception):
    """The file cannot be imported at all. The message is shown to the user as is."""


@dataclass
class RowProblem:
    """A row that cannot be imported: where it is and why, for the report."""

    row: int  # the row number a user sees in the file (1 = first data row, or the spreadsheet row)
    column: str  # the column (header) or field the problem is in; "" for the whole row
    reason: str  # translated, for the user


@dataclass
class SourceRecord:
    """One recommendation as a file states it. Labels are raw; text is plain (no HTML)."""

    row: int
    text: str
    external_id: str = ""  # the source's stable id (UHRI annotation id); "" when it has none
    paragraph: str = ""  # "121.2"; "" when the text does not start with one
    document_symbol: str = ""  # "A/HRC/43/15", "CEDAW/C/SVN/CO/7"
    mechanism: str = ""  # as written: "UPR", "Universal Periodic Review", "CEDAW", "Committee against Torture"
    countries: list[str] = field(default_factory=list)  # States concerned (the State under review)
    issued_on: date | None = None  # the document's publication date
    session: int | None = None  # the UPR Working Group session, when the file says
    upr_cycle: int | None = None  # when the file says it and the session is unknown
    themes: list[str] = field(default_factory=list)
    affected_persons: list[str] = field(default_factory=list)
    sdgs: list[str] = field(default_factory=list)  # "16.2 - Protect children...", "S16 SDG 16 - ...", "16 - PEACE, ..."
    recommending_states: list[str] = field(default_factory=list)
    position: str = ""  # as written: "Supported", "Accepted", "Noted", "Supported/Noted"
    position_source: str = ""  # "A/HRC/43/15/Add.1 - Para.4"
    kind: str = ""  # as written: "Recommendations", "Concerns/Observations", "Voluntary Pledge"
    language: str = "en"
    translations: dict[str, str] = field(default_factory=dict)  # the text in other languages, by language code


Item = SourceRecord | RowProblem


class Reader(Protocol):
    """A file format. `records` streams the file; `progress` (0 to 1) follows it."""

    format: str  # the name used on the command line and in the form: "uhri-json"
    source: str  # rectrack.recommendations.models.Source value the records are kept under
    progress: float
    # What a file of this format covers, for flagging records a newer file no
    # longer holds: "documents" (only the documents it names; the default) or
    # "source" (everything of its source in the country scope: a full export).
    covers: str

    def records(self, path: Path) -> Iterator[Item]: ...
