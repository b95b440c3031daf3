"""Reading what a MOOC says a learner did: the items of an export, a credential or a URL list.

Three formats, told apart by their content (`detect`), each read into `Item`s:

- LinkedIn Learning's data export, `Learning.csv`, a row per content item: its title, the day
  it was completed, else the day it was last watched, else only saved. The export gives no
  start date, so a course watched but not completed is in progress from the day it was last
  watched: the best date known, and the item says so.
- Open Badges credentials as JSON: a 2.0 Assertion (`badge`, a BadgeClass with its `name` and
  `issuer`; `issuedOn`), or a 3.0 Verifiable Credential (`type` including
  `OpenBadgeCredential`, `credentialSubject.achievement.name`, `validFrom` or
  `issuanceDate`, `issuer`). One credential, or a JSON array of them. Each is a completion
  on the day it was issued.
- Coursera certificate URLs, one a line (`COURSERA_URL_FORMAT`). Nothing is fetched, so a
  URL alone names no course: a title after it on the same line does.

A file is read whole within `MAX_BYTES` and at most `MAX_ITEMS` items; a file that breaks
its format is refused with the line (or the credential) where it breaks, and nothing is read.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from diymasters.errors import Category, DiyMastersError, InvalidInputError
from diymasters.files import decode
from diymasters.model import Status
from diymasters.serialise import OMIT_WHEN_NONE

if TYPE_CHECKING:
    from collections.abc import Iterator

#: The most bytes of a file read: LinkedIn's export is a few kilobytes a hundred courses, a
#: credential a few kilobytes with its image, so 5 MiB is room for thousands.
MAX_BYTES = 5 << 20
#: The most items (rows, credentials or URLs) read from one file.
MAX_ITEMS = 5_000


class Format(enum.StrEnum):
    """The formats a file of MOOC progress can be in."""

    LINKEDIN = "linkedin"
    OPENBADGES = "openbadges"
    COURSERA_URLS = "coursera-urls"


#: What each format is, as an error names it.
_FORMAT_NAMES = {
    Format.LINKEDIN: "a LinkedIn Learning export (Learning.csv)",
    Format.OPENBADGES: "Open Badges JSON",
    Format.COURSERA_URLS: "a list of Coursera certificate URLs",
}


class ProgressFileError(InvalidInputError):
    """A file of MOOC progress breaks its format, at a line or a credential."""

    def __init__(self, source: str, why: str, where: str | None = None) -> None:
        """Name the file, where it breaks, and why; nothing is imported."""
        at = f", {where}" if where else ""
        super().__init__(f"{source}{at}: {why}; nothing was imported")


class ProgressFileTooLargeError(DiyMastersError):
    """A file of MOOC progress is beyond one of the limits it is read within."""

    category = Category.LIMIT_EXCEEDED

    def __init__(self, source: str, why: str) -> None:
        """Name the file and the limit it reached."""
        super().__init__(f"{source}: {why}; nothing was imported")


@dataclass(frozen=True)
class Item:
    """One thing a MOOC says the learner did with a course: finished it, began it, saved it."""

    #: Where it is in the file: "line 3", or "credential 2" of a JSON file.
    where: str
    #: The course's title; None when the file does not name it (`untitled` says why).
    title: str | None
    #: Who offers or issued it, which helps to tell courses of one title apart.
    provider: str | None
    #: Done, in progress, or None for an item only saved for later.
    status: Status | None
    #: The day it was completed, or begun; None when the file gives no day.
    on: dt.date | None
    #: What `on` is, in words ("completed", "last watched: ...").
    date_is: str | None
    #: The certificate's or credential's address, when the file gives one.
    url: str | None = field(default=None, metadata=OMIT_WHEN_NONE)
    #: Why the item names no course, when it does not.
    untitled: str | None = field(default=None, metadata=OMIT_WHEN_NONE)


@dataclass(frozen=True)
class ItemsRead:
    """The items of a file, in the order the file gives them, and the format it is in."""

    format: Format
    items: tuple[Item, ...]


def read_items(data: bytes, source: str, forced: Format | None = None) -> ItemsRead:
    """Read a file's items, in the format its content shows (or the one `forced`)."""
    if len(data) > MAX_BYTES:
        raise ProgressFileTooLargeError(
            source, f"{len(data):,} bytes is more than {MAX_BYTES:,}, the most read"
        )
    text, _ = decode(data, source)
    found = forced or detect(text, source)
    items = tuple(_READERS[found](text, source))
    return ItemsRead(found, items)


def detect(text: str, source: str) -> Format:
    """The format a file's content is in: JSON, a CSV with LinkedIn's header, or URL lines."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if first.startswith(("{", "[")):
        return Format.OPENBADGES
    if _TITLE_COLUMN in first:
        return Format.LINKEDIN
    if first.lower().startswith(("http://", "https://", "#")) or _is_url_header(first):
        return Format.COURSERA_URLS
    known = ", ".join(_FORMAT_NAMES.values())
    raise ProgressFileError(source, f"is in none of the formats read ({known})")


def _counted(items: Iterator[Item], source: str) -> Iterator[Item]:
    for count, item in enumerate(items, start=1):
        if count > MAX_ITEMS:
            raise ProgressFileTooLargeError(
                source, f"holds more than {MAX_ITEMS:,} items, the most read from one file"
            )
        yield item


# --- LinkedIn Learning -----------------------------------------------------------------------

_TITLE_COLUMN = "Content Title"
_WATCHED_COLUMN = "Content Last Watched Date (if viewed)"
_COMPLETED_COLUMN = "Content Completed At (if completed)"
#: The columns read; the others (description, type, saved, notes) say nothing of progress.
_LINKEDIN_COLUMNS = (_TITLE_COLUMN, _WATCHED_COLUMN, _COMPLETED_COLUMN)
#: LinkedIn's dates: "2024-03-05 18:22 UTC".
_LINKEDIN_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?: \d{2}:\d{2}(?::\d{2})?)?(?: UTC)?")
LINKEDIN = "LinkedIn Learning"
#: What the day of a course watched but not completed is.
LAST_WATCHED = "last watched: the export gives no start date, so the best date known"


def _linkedin(text: str, source: str) -> Iterator[Item]:
    return _counted(_linkedin_rows(text, source), source)


def _linkedin_rows(text: str, source: str) -> Iterator[Item]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [name.strip() for name in next(reader, [])]
        missing = [name for name in _LINKEDIN_COLUMNS if name not in header]
        if missing:
            why = f"the header has no column {', '.join(repr(name) for name in missing)}"
            raise ProgressFileError(source, why, "line 1")
        columns = {name: header.index(name) for name in _LINKEDIN_COLUMNS}
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            yield _linkedin_item(row, columns, len(header), source, f"line {reader.line_num}")
    except csv.Error as error:
        raise ProgressFileError(source, f"not CSV ({error})", f"line {reader.line_num}") from None


def _linkedin_item(
    row: list[str], columns: dict[str, int], width: int, source: str, where: str
) -> Item:
    if len(row) != width:
        raise ProgressFileError(source, f"{len(row)} fields where the header has {width}", where)
    title = row[columns[_TITLE_COLUMN]].strip()
    if not title:
        raise ProgressFileError(source, f"no {_TITLE_COLUMN!r}", where)
    completed = _linkedin_date(row[columns[_COMPLETED_COLUMN]], _COMPLETED_COLUMN, source, where)
    watched = _linkedin_date(row[columns[_WATCHED_COLUMN]], _WATCHED_COLUMN, source, where)
    if completed is not None:
        return Item(where, title, LINKEDIN, Status.DONE, completed, "completed")
    if watched is not None:
        return Item(where, title, LINKEDIN, Status.IN_PROGRESS, watched, LAST_WATCHED)
    return Item(where, title, LINKEDIN, None, None, None)


def _linkedin_date(cell: str, column: str, source: str, where: str) -> dt.date | None:
    cell = cell.strip()
    if not cell:
        return None
    found = _LINKEDIN_DATE.fullmatch(cell)
    try:
        if found is None:
            raise ValueError  # noqa: TRY301 (one message for both kinds of bad date)
        return dt.date.fromisoformat(found.group(1))
    except ValueError:
        why = f"{column!r} is {cell!r}, not a date such as 2024-03-05 18:22 UTC"
        raise ProgressFileError(source, why, where) from None


# --- Open Badges -----------------------------------------------------------------------------

#: The types that make a credential an Open Badges 3.0 one (`AchievementCredential` is the
#: name the 3.0 context keeps as an alias of `OpenBadgeCredential`).
_OB3_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential"})
ISSUED = "issued"
#: Why a credential that names its badge or achievement by address alone names no course.
NAMED_BY_ADDRESS = (
    "the credential names its {} only by its address ({}), and nothing is fetched: "
    "a file with the {} written out names the course"
)


def _open_badges(text: str, source: str) -> Iterator[Item]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ProgressFileError(source, f"not JSON ({error.msg})", f"line {error.lineno}") from None
    except RecursionError:
        raise ProgressFileError(source, "JSON nested too deep to be a credential") from None
    credentials = document if isinstance(document, list) else [document]
    if len(credentials) > MAX_ITEMS:
        raise ProgressFileTooLargeError(
            source, f"holds more than {MAX_ITEMS:,} credentials, the most read from one file"
        )
    for index, credential in enumerate(credentials, start=1):
        where = f"credential {index}" if isinstance(document, list) else "the credential"
        if not isinstance(credential, dict):
            raise ProgressFileError(source, "not a JSON object", where)
        yield _credential(credential, source, where)


def _credential(credential: dict[str, object], source: str, where: str) -> Item:
    kinds = credential.get("type")
    types = {kinds} if isinstance(kinds, str) else set(kinds) if isinstance(kinds, list) else set()
    if types & _OB3_TYPES or "credentialSubject" in credential:
        return _ob3(credential, source, where)
    if "Assertion" in types or "badge" in credential:
        return _ob2(credential, source, where)
    why = "neither an Open Badges 2.0 Assertion nor an Open Badges 3.0 credential"
    raise ProgressFileError(source, why, where)


def _ob2(assertion: dict[str, object], source: str, where: str) -> Item:
    """An Open Badges 2.0 Assertion: its BadgeClass (`badge`) names the course."""
    on = _issued(assertion, "issuedOn", source, where)
    badge = assertion.get("badge")
    url = _text(assertion.get("id"))
    if isinstance(badge, str):
        untitled = NAMED_BY_ADDRESS.format("badge", badge, "BadgeClass")
        return Item(where, None, None, Status.DONE, on, ISSUED, url, untitled)
    if not isinstance(badge, dict) or not _text(badge.get("name")):
        raise ProgressFileError(source, "its badge has no name", where)
    provider = _profile_name(badge.get("issuer"))
    return Item(where, _text(badge.get("name")), provider, Status.DONE, on, ISSUED, url)


def _ob3(credential: dict[str, object], source: str, where: str) -> Item:
    """An Open Badges 3.0 credential: its subject's achievement names the course."""
    key = "validFrom" if "validFrom" in credential else "issuanceDate"
    on = _issued(credential, key, source, where)
    subject = credential.get("credentialSubject")
    if isinstance(subject, list):
        subject = next((each for each in subject if isinstance(each, dict)), None)
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    url = _text(credential.get("id"))
    provider = _profile_name(credential.get("issuer"))
    if isinstance(achievement, str):
        untitled = NAMED_BY_ADDRESS.format("achievement", achievement, "Achievement")
        return Item(where, None, provider, Status.DONE, on, ISSUED, url, untitled)
    if not isinstance(achievement, dict) or not _text(achievement.get("name")):
        raise ProgressFileError(source, "its credentialSubject has no achievement name", where)
    return Item(where, _text(achievement.get("name")), provider, Status.DONE, on, ISSUED, url)


def _issued(credential: dict[str, object], key: str, source: str, where: str) -> dt.date:
    value = credential.get(key)
    if value is None:
        raise ProgressFileError(source, f"no {key!r}", where)
    try:
        if isinstance(value, int) and not isinstance(value, bool):
            # Open Badges before 2.0 wrote a Unix timestamp, and 2.0 validators still accept it.
            return dt.datetime.fromtimestamp(value, dt.UTC).date()
        if isinstance(value, str):
            return _utc_day(dt.datetime.fromisoformat(value.strip()))
    except (ValueError, OverflowError, OSError):
        pass
    raise ProgressFileError(source, f"{key!r} is {value!r}, not a date and time", where)


def _utc_day(moment: dt.datetime) -> dt.date:
    """The day a moment falls on in UTC, as LinkedIn gives its days."""
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(dt.UTC).date()


def _profile_name(profile: object) -> str | None:
    """An issuer's name: a Profile object's `name` (one given only as an address has none)."""
    return _text(profile.get("name")) if isinstance(profile, dict) else None


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


# --- Coursera certificate URLs ---------------------------------------------------------------

#: The lines a list of Coursera certificates is made of, as the help and docs say it.
COURSERA_URL_FORMAT = (
    "one certificate a line: its URL "
    "(https://www.coursera.org/account/accomplishments/certificate/CODE, or .../verify/CODE, "
    ".../specialization/CODE, .../professional-cert/CODE; a query after ? is allowed), then, "
    "after a comma, a tab or "
    "spaces, the course's title; blank lines, lines beginning with # and a first line "
    "'url,title' are passed over"
)
_COURSERA_URL = re.compile(
    r"https?://(?:www\.)?coursera\.org/account/accomplishments/"
    r"(?:certificate|verify|specialization|professional-cert)/[A-Za-z0-9_-]+/?(?:\?\S*)?",
    re.IGNORECASE,
)
_URL_LINE = re.compile(r"(?P<url>[^\s,]+)(?:\s*,\s*|\s+)?(?P<title>.*)")
COURSERA = "Coursera"
#: The most of a refused line an error repeats.
_SHOWN = 80
#: Why a URL alone names no course.
URL_ALONE = (
    "a certificate URL alone names no course, and nothing is fetched: "
    "write the course's title after the URL"
)


def _is_url_header(line: str) -> bool:
    return "".join(line.lower().split()) == "url,title"


def _coursera_urls(text: str, source: str) -> Iterator[Item]:
    return _counted(_coursera_lines(text, source), source)


def _coursera_lines(text: str, source: str) -> Iterator[Item]:
    header_allowed = True
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if header_allowed and _is_url_header(line):
            header_allowed = False
            continue
        header_allowed = False
        yield _coursera_item(line, source, f"line {number}")


def _coursera_item(line: str, source: str, where: str) -> Item:
    found = _URL_LINE.fullmatch(line)
    assert found is not None  # noqa: S101 (any line of text matches)
    url = found["url"]
    if not _COURSERA_URL.fullmatch(url):
        shown = line if len(line) <= _SHOWN else f"{line[: _SHOWN - 3]}..."
        raise ProgressFileError(source, f"{shown!r} is not a Coursera certificate URL", where)
    title = found["title"].strip().strip('"').strip() or None
    untitled = None if title else URL_ALONE
    return Item(where, title, COURSERA, Status.DONE, None, None, url, untitled)


_READERS = {
    Format.LINKEDIN: _linkedin,
    Format.OPENBADGES: _open_badges,
    Format.COURSERA_URLS: _coursera_urls,
}
