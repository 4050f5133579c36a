"""Writing an iCalendar (RFC 5545) feed of calendar entries.

Small on purpose: the feed holds only VEVENTs with the properties calendar
programs show. Text values are escaped (backslash, semicolon, comma, line
breaks), lines end in CRLF and are folded at 75 octets without splitting a
UTF-8 character. Entries without a time are all-day events (DTSTART;VALUE=DATE,
DTEND the day after the last day); timed ones are written in UTC from the
instance's time zone, so no VTIMEZONE is needed.
"""

import re
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone

from rectrack.agenda.selectors import Entry

LINE_OCTETS = 75
UID_DOMAIN = "rectrack"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # not allowed in TEXT (tab is)


def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, every line break as \\n."""
    value = str(value).replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
    return _CONTROL.sub("", value)


def fold(line: str) -> str:
    """A content line folded into lines of at most 75 octets, each continuation starting with a space."""
    parts, current, size = [], [], 0
    limit = LINE_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1  # the leading space counts
        current.append(char)
        size += octets
    parts.append("".join(current))
    return "\r\n ".join(parts)


def _date(value: date) -> str:
    return value.strftime("%Y%m%d")


def _utc(day: date, moment: time) -> str:
    local = timezone.make_aware(datetime.combine(day, moment), timezone.get_default_timezone())
    return local.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _times(entry: Entry) -> list[str]:
    if entry.start_time is None:
        return [
            f"DTSTART;VALUE=DATE:{_date(entry.date)}",
            f"DTEND;VALUE=DATE:{_date(entry.last_day + timedelta(days=1))}",
        ]
    lines = [f"DTSTART:{_utc(entry.date, entry.start_time)}"]
    if entry.end_time is not None:
        lines.append(f"DTEND:{_utc(entry.last_day, entry.end_time)}")
    elif entry.spans_days:
        lines.append(f"DTEND:{_utc(entry.last_day + timedelta(days=1), time.min)}")
    # A single day with a start time only: no DTEND, the event ends when it starts (RFC 5545, 3.6.1).
    return lines


def _event(entry: Entry, absolute: Callable[[str], str], stamp: str) -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:{entry.uid}@{UID_DOMAIN}", f"DTSTAMP:{stamp}", *_times(entry)]
    summary = f"{entry.title} ({entry.note})" if entry.note else entry.title
    lines.append(f"SUMMARY:{escape_text(summary)}")
    if entry.description:
        lines.append(f"DESCRIPTION:{escape_text(entry.description)}")
    if entry.location:
        lines.append(f"LOCATION:{escape_text(entry.location)}")
    lines += [f"CATEGORIES:{escape_text(entry.kind_label)}", f"URL:{absolute(entry.url)}", "END:VEVENT"]
    return lines


def calendar(
    *, name: str, entries: Iterable[Entry], absolute: Callable[[str], str], now: datetime | None = None
) -> str:
    """The iCalendar text of `entries`; `absolute` turns an entry's path into a full address."""
    stamp = (now or timezone.now()).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//RecTrack//Calendar//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for entry in entries:
        lines += _event(entry, absolute, stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
