"""Job postings read from the files people actually have.

That is pasted text, HTML, Markdown with front matter, CSV and JSON Lines with whatever column
names their scraper chose, JSON dumps, or a folder of all of these.

The text, title and date columns are found by their usual names when not given, and the
reader says which it used. Near-duplicates (the same ad scraped twice, or reposted in many
cities with different whitespace or HTML) collapse to one by a hash of their normalised text.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import html
import io
import json
import re
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml

from diymasters.model import DiyMastersError

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence
    from pathlib import Path

#: Usual names of the column holding a posting's text, most specific first.
TEXT_COLUMNS = (
    "description",
    "job description",
    "job_description",
    "jobdescription",
    "text",
    "body",
    "content",
    "posting",
)
#: Google's careers export splits the text into these, in this order.
SPLIT_TEXT_COLUMNS = ("responsibilities", "minimum qualifications", "preferred qualifications")
TITLE_COLUMNS = ("title", "job title", "job_title", "jobtitle", "position", "role", "name")
DATE_COLUMNS = (
    "date",
    "posted_at",
    "publishedat",
    "published_at",
    "date_posted",
    "posted",
    "created",
    "time",
)
_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".csv", ".jsonl", ".json", ""}


class PostingsError(DiyMastersError):
    """Postings could not be read."""

    def __init__(self, source: str, why: str) -> None:
        """Name the file and the reason."""
        super().__init__(f"{source}: {why}")


@dataclass(frozen=True)
class Posting:
    """One job posting's text, with what else is known about it."""

    text: str
    id: str
    source: str
    title: str | None = None
    posted: dt.date | None = None

    @functools.cached_property
    def content_hash(self) -> str:
        """Equal for postings that differ only in case, spacing, punctuation or markup."""
        return hashlib.sha1(normalised_text(self.text).encode(), usedforsecurity=False).hexdigest()


@dataclass
class ReadReport:
    """What reading found: which columns were used, and what was skipped."""

    columns: dict[str, dict[str, str | None]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


_NON_WORD = re.compile(r"[\W_]+")


def normalised_text(text: str) -> str:
    """Text reduced to its words, for spotting the same ad under different markup."""
    return _NON_WORD.sub(" ", strip_html(text).casefold()).strip()


# --- Text cleaning --------------------------------------------------------------------------

_BLOCK_TAGS = re.compile(
    r"<\s*(br|/p|p|/li|li|/div|div|/h\d|h\d|/tr|tr|/ul|ul|/ol|ol)\b[^>]*>", re.IGNORECASE
)
_TAGS = re.compile(r"<[/!]?[A-Za-z][^>]{0,1000}>")
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def strip_html(text: str) -> str:
    """Plain text from HTML: block tags become line breaks, entities are decoded."""
    if "<" not in text and "&" not in text:
        return text
    text = _SCRIPT.sub(" ", text)
    text = _BLOCK_TAGS.sub("\n", text)
    text = _TAGS.sub(" ", text)
    return html.unescape(text)


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\w)\+?\d[\d ().-]{7,}\d(?!\w)")


def redact(text: str) -> str:
    """Hide e-mail addresses and phone numbers, which some postings contain, from reports."""
    return _PHONE.sub("[phone]", _EMAIL.sub("[email]", text))


# --- Reading --------------------------------------------------------------------------------


def read_text(text: str, source: str = "-") -> Posting:
    """A single pasted posting."""
    return Posting(text=strip_html(text), id=source, source=source)


def read_path(
    path: Path,
    *,
    column: str | None = None,
    title_column: str | None = None,
    date_column: str | None = None,
    report: ReadReport | None = None,
) -> Iterator[Posting]:
    """Postings from a file or, recursively, a folder of files."""
    report = report if report is not None else ReadReport()
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            if child.suffix.lower() in _SUFFIXES and not child.name.startswith((".", "_")):
                yield from read_path(
                    child,
                    column=column,
                    title_column=title_column,
                    date_column=date_column,
                    report=report,
                )
            else:
                report.skipped.append(str(child))
        return
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise PostingsError(str(path), error.strerror or str(error)) from None
    text = raw.decode("utf-8-sig", errors="replace")
    suffix = path.suffix.lower()
    columns = (column, title_column, date_column)
    if suffix == ".csv":
        yield from _read_csv(text, str(path), columns, report)
    elif suffix == ".jsonl":
        yield from _read_records(_json_lines(text, str(path)), str(path), columns, report)
    elif suffix == ".json":
        yield from _read_records(_json_records(text, str(path)), str(path), columns, report)
    else:
        yield _read_document(text, str(path))


def _read_document(text: str, source: str) -> Posting:
    """HTML, Markdown or text; YAML front matter gives the title and date."""
    meta: dict[str, Any] = {}
    if text.startswith("---"):
        end = text.find("\n---", 3)
        if end > 0:
            try:
                loaded = yaml.safe_load(text[3:end])
            except yaml.YAMLError:
                loaded = None
            if isinstance(loaded, dict):
                meta, text = loaded, text[end + 4 :]
    return Posting(
        text=strip_html(text),
        id=source,
        source=source,
        title=_str(meta.get("title")),
        posted=_date(meta.get("created") or meta.get("date")),
    )


def _read_csv(
    text: str,
    source: str,
    columns: tuple[str | None, str | None, str | None],
    report: ReadReport,
) -> Iterator[Posting]:
    csv.field_size_limit(sys.maxsize)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    yield from _read_records(reader, source, columns, report, fieldnames=reader.fieldnames)


def _json_lines(text: str, source: str) -> Iterator[dict[str, Any]]:
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise PostingsError(f"{source}:{number}", f"not JSON: {error.msg}") from None
        if isinstance(record, dict):
            yield record


def _json_records(text: str, source: str) -> Iterator[dict[str, Any]]:
    """A JSON list of records, or an object holding one (such as {"jobs": [...]})."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise PostingsError(source, f"not JSON: {error.msg} at line {error.lineno}") from None
    if isinstance(data, dict):
        data = next((v for v in data.values() if isinstance(v, list)), [data])
    yield from (record for record in data if isinstance(record, dict))


def _read_records(
    records: Iterable[dict[str, Any]],
    source: str,
    columns: tuple[str | None, str | None, str | None],
    report: ReadReport,
    fieldnames: Sequence[str] | None = None,
) -> Iterator[Posting]:
    chosen: tuple[list[str], str | None, str | None] | None = None
    for number, record in enumerate(records, 1):
        if chosen is None:
            chosen = _choose_columns(list(fieldnames or record), columns, source)
            report.columns[source] = {
                "text": " + ".join(chosen[0]),
                "title": chosen[1],
                "date": chosen[2],
            }
        text_columns, title, date = chosen
        text = _joined_text(record, text_columns)
        if not text.strip():
            continue
        identifier = record.get("id") or record.get("") or number
        plain = strip_html(text)
        yield Posting(
            text=plain,
            id=f"{source}#{identifier}",
            source=source,
            title=_str(record.get(title)) if title else _first_line(plain),
            posted=_date(record.get(date)) if date else None,
        )


def _choose_columns(
    names: list[str], given: tuple[str | None, str | None, str | None], source: str
) -> tuple[list[str], str | None, str | None]:
    by_key = {name.strip().casefold(): name for name in names}
    column, title_column, date_column = given
    if column is not None:
        if column.casefold() not in by_key:
            raise PostingsError(source, f"no column {column!r}; columns: {', '.join(names)}")
        text = [by_key[column.casefold()]]
    elif all(c in by_key for c in SPLIT_TEXT_COLUMNS):
        text = [by_key[c] for c in SPLIT_TEXT_COLUMNS]
    else:
        found = next((by_key[c] for c in TEXT_COLUMNS if c in by_key), None)
        if found is None:
            msg = f"no text column among {', '.join(names)}; name one with --column"
            raise PostingsError(source, msg)
        text = [found]
    title = by_key.get(title_column.casefold()) if title_column else _first(by_key, TITLE_COLUMNS)
    date = by_key.get(date_column.casefold()) if date_column else _first(by_key, DATE_COLUMNS)
    return text, title, date


def _first(by_key: dict[str, str], candidates: Sequence[str]) -> str | None:
    return next((by_key[c] for c in candidates if c in by_key), None)


def _joined_text(record: dict[str, Any], columns: list[str]) -> str:
    if len(columns) == 1:
        return _str(record.get(columns[0])) or ""
    # Keep the column names as headings, so that sections are told apart.
    parts = [f"{name}:\n{_str(record.get(name)) or ''}" for name in columns]
    return "\n\n".join(parts)


def _first_line(text: str) -> str | None:
    """Without a title column, a short first line ("Acme | ML Engineer | Remote") is one."""
    line = text.strip().split("\n", 1)[0].strip()
    return line if 0 < len(line) <= _TITLE_LINE_MAX else None


_TITLE_LINE_MAX = 200


def _str(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and value > 1e8:  # noqa: PLR2004 (a Unix time)
        return dt.datetime.fromtimestamp(value, tz=dt.UTC).date()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


# --- De-duplication -------------------------------------------------------------------------


def collapse_duplicates(postings: Iterable[Posting]) -> tuple[list[Posting], int]:
    """Keep the first of each group of postings with the same normalised text."""
    seen: set[str] = set()
    kept: list[Posting] = []
    collapsed = 0
    for posting in postings:
        key = posting.content_hash
        if key in seen:
            collapsed += 1
            continue
        seen.add(key)
        kept.append(posting)
    return kept, collapsed


# --- Roles ----------------------------------------------------------------------------------

_ROLES = (
    (
        "ML engineer",
        re.compile(
            r"\b(machine learning|ml|ai|mlops|deep learning|computer vision|nlp)\b.*\b(engineer"
            r"|developer|architect)|\b(ml|ai) (engineer|developer)",
            re.IGNORECASE,
        ),
    ),
    (
        "research scientist",
        re.compile(r"\bresearch (scientist|engineer)|\bapplied scientist", re.IGNORECASE),
    ),
    ("data scientist", re.compile(r"\bdata scien", re.IGNORECASE)),
    (
        "data engineer",
        re.compile(r"\bdata (engineer|architect)|\betl\b|\bbig data\b", re.IGNORECASE),
    ),
    (
        "data analyst",
        re.compile(
            r"\b(data|business|bi|reporting|product|marketing|financial) analy|\banalytics\b"
            r"|\banalyst\b",
            re.IGNORECASE,
        ),
    ),
    (
        "software engineer",
        re.compile(
            r"\b(software|backend|back-end|python|full[- ]stack|frontend|front-end|platform"
            r"|devops|site reliability)\b.*\b(engineer|developer)|\bdeveloper\b|\bengineer\b",
            re.IGNORECASE,
        ),
    ),
)


def role_of(title: str | None) -> str:
    """A posting's title normalised into a role such as "data scientist"."""
    if not title:
        return "unknown"
    return next((role for role, pattern in _ROLES if pattern.search(title)), "other")
