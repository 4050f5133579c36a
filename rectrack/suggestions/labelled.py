"""Labelled recommendations for training and evaluating the suggestion models, read from UPR Info exports.

UPR Info's exports (the format of ../shared/data/upr-info-s01-17/) give each
recommendation, once per recommending State, with UPR Info's issue labels
(54, one to six per recommendation) and action category (1 to 5). The raw
exports are Mac Roman with CR line ends; the normalised copy is UTF-8: both
are read.
"""

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from rectrack.imports.formats.upr_info import csv_rows
from rectrack.imports.normalize import plain_text, read_text_file

REQUIRED = ("Text", "Issue", "Action", "Session")
OPTIONAL = ("Response", "From", "To")


class LabelledFileError(ValueError):
    """The file cannot give labelled recommendations; the message says why."""


@dataclass(frozen=True)
class Labelled:
    text: str
    issues: tuple[str, ...]
    action: str  # "1" to "5"
    session: int
    recommending_state: str = ""
    state_under_review: str = ""


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
    at = {name: header.index(name.casefold()) for name in (*REQUIRED, *OPTIONAL) if name.casefold() in header}
    at.update({name: -1 for name in OPTIONAL if name not in at})
    found = []
    for number, cells in enumerate(rows, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        cell = {name: cells[index].strip() if 0 <= index < len(cells) else "" for name, index in at.items()}
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
                state_under_review=cell["To"],
            )
        )
    if not found:
        raise LabelledFileError(f"{path} holds no labelled recommendation for the sessions asked.")
    return found


# OHCHR thematic lists: UHRI labels across the vocabulary's generations -------------------------------------

THEMATIC_TASKS = {"themes": "theme", "affected": "affected_persons", "sdg": "sdg"}
CROSSWALK = Path(__file__).parent / "data" / "uhri-crosswalk.yaml"
_CODE = re.compile(r"^(?:[A-Z]\d{0,2}|\d{1,2}(?:\.\d{1,2})*)(?:\s*-\s+|\.?\s+)(?=[^\d\s])")
_GOAL = re.compile(r"^\s*(?:S\d{1,2}\s+)?(?:SDG|Goal)?\s*(\d{1,2})\b", re.IGNORECASE)


@functools.cache
def _current_labels(kind: str) -> dict[str, str]:
    """{label key: current label} from the shipped vocabulary, and from the crosswalk of older labels."""
    from rectrack.taxonomy.models import label_key

    filename = {"theme": "themes-current.txt", "affected_persons": "affected-persons-current.txt"}[kind]
    folder = Path(__file__).resolve().parent.parent / "taxonomy" / "data" / "uhri"
    current = [line.strip() for line in (folder / filename).read_text(encoding="utf-8").splitlines() if line.strip()]
    found = {label_key(label): label for label in current}
    section = {"theme": "themes", "affected_persons": "affected_persons"}[kind]
    for old, new in (yaml.safe_load(CROSSWALK.read_text(encoding="utf-8")).get(section) or {}).items():
        found[label_key(old)] = new  # None: no current label
    return found


def current_label(kind: str, label: str) -> str | None:
    """The current UHRI label an older or current one stands for ("A12 Acceptance of international norms" →
    "Ratification of & accession to international instruments"); None when there is none, or for SDGs the goal
    number ("16 - PEACE, JUSTICE…", "S16 SDG 16 - …", "16.2 …" → "16")."""
    from rectrack.taxonomy.models import label_key

    if kind == "sdg":
        match = _GOAL.match(label)
        return str(int(match.group(1))) if match and 1 <= int(match.group(1)) <= 17 else None
    bare = _CODE.sub("", label.strip(), count=1)
    known = _current_labels(kind)
    for key in (label_key(bare), label_key(label)):
        if key in known:
            return known[key]
    return None


def read_thematic_lists(paths: list[Path], task: str) -> list[Labelled]:
    """The recommendations of OHCHR thematic lists (.docx) with their labels of one kind mapped to the current
    vocabulary (`task`: themes, affected, sdg); those left with no label are left out."""
    from rectrack.imports.formats.thematic_docx import ThematicListReader
    from rectrack.imports.records import FileRejected, SourceRecord

    kind = THEMATIC_TASKS[task]
    found = []
    for path in paths:
        try:
            records = list(ThematicListReader().records(path))
        except (FileRejected, OSError) as error:
            raise LabelledFileError(f"{path}: {error}") from None
        for record in records:
            if not isinstance(record, SourceRecord):
                continue
            raw = {"theme": record.themes, "affected_persons": record.affected_persons, "sdg": record.sdgs}[kind]
            labels = tuple(sorted({label for label in (current_label(kind, value) for value in raw) if label}))
            if labels:
                found.append(Labelled(text=record.text, issues=labels, action="", session=record.session or 0))
    if not found:
        raise LabelledFileError(f"{', '.join(map(str, paths))}: no recommendation with {task} labels.")
    return found
