"""Labelled recommendations for training and evaluating the suggestion models, read from UPR Info exports.

UPR Info's exports (the format of ../shared/data/upr-info-s01-17/) give each
recommendation, once per recommending State, with UPR Info's issue labels
(54, one to six per recommendation) and action category (1 to 5). The raw
exports are Mac Roman with CR line ends; the normalised copy is UTF-8: both
are read.
"""

from dataclasses import dataclass
from pathlib import Path

from rectrack.imports.formats.upr_info import csv_rows
from rectrack.imports.normalize import plain_text, read_text_file

REQUIRED = ("Text", "Issue", "Action", "Session")


class LabelledFileError(ValueError):
    """The file cannot give labelled recommendations; the message says why."""


@dataclass(frozen=True)
class Labelled:
    text: str
    issues: tuple[str, ...]
    action: str  # "1" to "5"
    session: int
    recommending_state: str = ""


def read_upr_info(path: Path, *, sessions: range | None = None) -> list[Labelled]:
    """The recommendations of a UPR Info export with their labels (voluntary pledges left out), optionally only
    those of some UPR sessions."""
    try:
        text, _encoding = read_text_file(path)
    except OSError as error:
        raise LabelledFileError(f"{path}: {error.strerror or error}") from None
    rows = csv_rows(text)
    header = [name.strip().casefold() for name in next(rows, [])]
    missing = [name for name in REQUIRED if name.casefold() not in header]
    if missing:
        raise LabelledFileError(f"{path} is not a UPR Info export with labels: no column {', '.join(missing)}.")
    at = {name: header.index(name.casefold()) for name in (*REQUIRED, "Response", "From")}
    found = []
    for number, cells in enumerate(rows, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        cell = {name: cells[index].strip() if index < len(cells) else "" for name, index in at.items()}
        if cell["Response"].casefold() == "voluntary pledge":
            continue
        try:
            session = int(cell["Session"])
        except ValueError:
            raise LabelledFileError(
                f"{path}, line {number}: the session “{cell['Session']}” is not a number."
            ) from None
        if sessions is not None and session not in sessions:
            continue
        issues = tuple(sorted({issue.strip() for issue in cell["Issue"].split(",") if issue.strip()}))
        found.append(
            Labelled(
                text=plain_text(cell["Text"]),
                issues=issues,
                action=cell["Action"],
                session=session,
                recommending_state=cell["From"],
            )
        )
    if not found:
        raise LabelledFileError(f"{path} holds no labelled recommendation for the sessions asked.")
    return found
