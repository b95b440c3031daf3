"""Job postings read from the files people actually have.

That is pasted text, HTML, Markdown with front matter, CSV and JSON Lines with whatever column
names their scraper chose, JSON dumps, or a folder of all of these.

The text, title and date columns are found by their usual names when not given, and the
reader says which it used. Near-duplicates (the same ad scraped twice, or reposted in many
cities with different whitespace or HTML) collapse to one by a hash of their normalised text.
"""

from __future__ import annotations

import ast
import codecs
import csv
import datetime as dt
import functools
import hashlib
import html
import io
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, ClassVar

from diymasters import artefacts
from diymasters.errors import Category, DiyMastersError

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable, Iterator, Sequence

    import yaml

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
    #: The record's own id as its file gives it, or its number there when it has none; None
    #: for a posting that is a whole file or pasted text. Outputs give it back unchanged.
    record: str | int | None = None
    #: The content hash of the text as its file stored it, when reading it changed more than
    #: markup (a list of lines read as lines): a store made before knows the posting by it.
    digest: str | None = None

    @functools.cached_property
    def content_hash(self) -> str:
        """Equal for postings that differ only in case, spacing, punctuation or markup."""
        return self.digest or content_digest(self.text)


def content_digest(text: str) -> str:
    """The hash of a text's words: what `Posting.content_hash` is."""
    return hashlib.sha1(normalised_text(text).encode(), usedforsecurity=False).hexdigest()


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

# Tags are looked for at most 1,000 characters long: an unbounded `[^>]*` made a text of
# unclosed `<p ` tags quadratic, each one scanning to the end of the text (issue 13).
_BLOCK_TAGS = re.compile(
    r"<\s*(br|/p|p|/li|li|/div|div|/h\d|h\d|/tr|tr|/ul|ul|/ol|ol)\b[^>]{0,1000}>", re.IGNORECASE
)
_TAGS = re.compile(r"<[/!]?[A-Za-z][^>]{0,1000}>")
_SCRIPT_OPENING = re.compile(r"<(script|style)\b", re.IGNORECASE)
_SCRIPT_CLOSING = {
    kind: re.compile(rf"</{kind}\s*>", re.IGNORECASE) for kind in ("script", "style")
}


def strip_html(text: str) -> str:
    """Plain text from HTML: block tags become line breaks, entities are decoded."""
    if "<" not in text and "&" not in text:
        return text
    text = _without_scripts(text)
    text = _BLOCK_TAGS.sub("\n", text)
    text = _TAGS.sub(" ", text)
    return html.unescape(text)


def _listed_lines(text: str) -> str:
    """The lines of a posting stored as a Python list of them, or the text as it is.

    LinkedIn's postings in one shared corpus are such lists ("['Job Title: Data Analyst',
    'About TikTok', …]"): read as one line, their headings went unseen and their sentences ran
    into each other, so the company's were read as the role's.
    """
    stripped = text.strip()
    if not (stripped[:2] in {"['", '["'} and stripped[-2:] in {"']", '"]'}):
        return text
    try:
        items = ast.literal_eval(stripped)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return text
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        return text
    return "\n".join(item.strip() for item in items)


def _without_scripts(text: str) -> str:
    """The text with each `<script>` and `<style>` element replaced by a space.

    Each kind's closing tag is looked for at most once in vain: a lazy regex looked again from
    every opening tag, which made a text of unclosed `<script>` tags quadratic (issue 13).
    """
    kept, position, unclosed = [], 0, set()
    for opening in _SCRIPT_OPENING.finditer(text):
        kind = opening.group(1).lower()
        if opening.start() < position or kind in unclosed:
            continue
        closing = _SCRIPT_CLOSING[kind].search(text, opening.end())
        if closing is None:
            unclosed.add(kind)
            continue
        kept += [text[position : opening.start()], " "]
        position = closing.end()
    return "".join([*kept, text[position:]])


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\w)\+?\d[\d ().-]{7,}\d(?!\w)")


def redact(text: str) -> str:
    """Hide e-mail addresses and phone numbers, which some postings contain, from reports."""
    return _PHONE.sub("[phone]", _EMAIL.sub("[email]", text))


# --- Limits ---------------------------------------------------------------------------------
#
# Postings come from files and pipes the learner did not write: `yes | diymasters skills
# extract -` never ends, /dev/zero is endless NUL bytes, and a 342-byte front matter of YAML
# aliases expands to hundreds of megabytes (issue 13). Everything is read within these limits,
# a chunk or a line at a time, so that memory stays bounded whatever the input.

#: The most one posting may hold: a pasted text, a text, HTML or Markdown file, or one record
#: of a CSV, JSON Lines or JSON file. 1 MiB is seventy times the longest of the 13,754 real
#: postings in ../shared/corpus/jobs; a posting at the limit takes 1.3 to 3 times the memory
#: of a normal one, where 5 MB took 2.3 to 4 times (benchmarks/hostile_input.py).
MAX_POSTING_BYTES = 1 << 20
#: The most postings one command reads. Each costs about 1 KB beyond its text however short
#: it is, so a file of ten million one-word records would need gigabytes; 100,000 is seven
#: times the shared corpus.
MAX_POSTINGS = 100_000
#: The most read of a JSON document, which is parsed whole (JSON Lines are read a line at a
#: time): 16 MiB of the smallest JSON values (`[{},{},...]`) parse into about 360 MB.
MAX_JSON_BYTES = 16 << 20
#: Records are a level or two deep; deeper JSON is refused before it is parsed, as Python's
#: parser and everything after it recurse once a level.
MAX_JSON_DEPTH = 100
#: Front matter gives a title and a date: it needs neither depth nor many values.
MAX_FRONT_MATTER_DEPTH = 20
MAX_FRONT_MATTER_VALUES = 1_000
#: How much of an input is looked at to tell text from binary data, and the read size.
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Limits:
    """How much one command reads; the CLI lets the learner raise the first two."""

    #: The most bytes of one posting (or of one record of a CSV, JSON Lines or JSON file).
    posting_bytes: int = MAX_POSTING_BYTES
    #: The most postings read from all the files one command is given.
    postings: int = MAX_POSTINGS
    #: The most bytes of a JSON document, which is parsed whole.
    json_bytes: int = MAX_JSON_BYTES


#: The limits a command reads within unless it is told otherwise.
DEFAULT_LIMITS = Limits()


class NotTextError(PostingsError):
    """A file or stream given as a posting holds binary data."""

    def __init__(self, source: str, why: str) -> None:
        """Name the input and what gave it away."""
        DiyMastersError.__init__(self, f"{source} is not text: {why}")


class NoTextColumnError(PostingsError):
    """A table of postings has no column known to hold their text."""

    category = Category.INVALID

    def __init__(self, source: str, names: Sequence[str]) -> None:
        """List the columns there are, so the learner can name the right one."""
        super().__init__(source, f"no text column among {', '.join(names)}")


class LimitExceededError(PostingsError):
    """Reading stopped at one of the limits in `Limits`."""

    category = Category.LIMIT_EXCEEDED

    _WHY: ClassVar[dict[str, str]] = {
        "posting_bytes": "the posting is larger than {}, the most one posting may hold",
        "postings": "holds more than {} postings, the most one command reads",
        "json_bytes": (
            "the JSON document is larger than {}, the most diymasters parses whole; "
            "JSON Lines (one record a line) are read a line at a time"
        ),
    }

    def __init__(self, source: str, limit: str, value: int) -> None:
        """Name the input and the limit it reached: `limit` is a field of `Limits`."""
        amount = f"{value:,}" if limit == "postings" else size_text(value)
        super().__init__(source, self._WHY[limit].format(amount))
        #: The field of `Limits` that was reached, for a frontend to say how to raise it.
        self.limit = limit


def size_text(size: int) -> str:
    """A byte count as people read it: "1 MiB (1,048,576 bytes)", or "1,000 bytes"."""
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if size >= 1 << shift and size % (1 << shift) == 0:
            return f"{size >> shift} {unit} ({size:,} bytes)"
    return f"{size:,} bytes"


# --- Reading --------------------------------------------------------------------------------


def read_text(text: str, source: str = "pasted text", limits: Limits = DEFAULT_LIMITS) -> Posting:
    """A single pasted posting, such as the web form's, held to the posting limit."""
    if len(text) > limits.posting_bytes or len(text.encode()) > limits.posting_bytes:
        raise LimitExceededError(source, "posting_bytes", limits.posting_bytes)
    return Posting(text=strip_html(text), id=source, source=source)


def read_stream(
    stream: BinaryIO, source: str = "stdin", limits: Limits = DEFAULT_LIMITS
) -> Posting:
    """One posting from a stream such as standard input, which may never end.

    Reading stops one byte past `limits.posting_bytes`; binary data is refused from its first
    chunk, before the rest is read.
    """
    return _read_document(_read_whole(stream, source, limits.posting_bytes), source)


def read_posting(path: Path, limits: Limits = DEFAULT_LIMITS) -> Posting:
    """One posting from a text, HTML or Markdown file, whatever its name."""
    try:
        with path.open("rb") as stream:
            return read_stream(stream, str(path), limits)
    except OSError as error:
        raise PostingsError(str(path), error.strerror or str(error)) from None


def read_path(
    path: Path,
    *,
    column: str | None = None,
    title_column: str | None = None,
    date_column: str | None = None,
    report: ReadReport | None = None,
    limits: Limits = DEFAULT_LIMITS,
    passing: PassedOver | None = None,
) -> Iterator[Posting]:
    """Postings from a file or, recursively, a folder of files, read within `limits`.

    A binary file in a folder is skipped (and listed in the report); one named on its own is
    refused. With `passing`, a file unchanged since its index entry whose postings are all
    known is not read: its postings' hashes are added to `passing.hashes` instead, and count
    towards the limit all the same.
    """
    report = report if report is not None else ReadReport()
    found = _read_tree(path, (column, title_column, date_column), report, limits, passing)
    passed = passing.hashes if passing is not None else []
    read = 0
    for read, posting in enumerate(found, 1):
        _within_limit(read + len(passed), path, limits)
        yield posting
    _within_limit(read + len(passed), path, limits)


def _within_limit(count: int, path: Path, limits: Limits) -> None:
    if count > limits.postings:
        raise LimitExceededError(str(path), "postings", limits.postings)


_Columns = tuple[str | None, str | None, str | None]


def _read_tree(
    path: Path, columns: _Columns, report: ReadReport, limits: Limits, passed: PassedOver | None
) -> Iterator[Posting]:
    if not path.is_dir():
        yield from _read_unless_passed(path, columns, report, limits, passed)
        return
    for child in sorted(p for p in path.rglob("*") if p.is_file()):
        if child.suffix.lower() not in _SUFFIXES or child.name.startswith((".", "_")):
            report.skipped.append(str(child))
            continue
        try:
            yield from _read_unless_passed(child, columns, report, limits, passed)
        except NotTextError:
            report.skipped.append(str(child))


def _read_unless_passed(
    path: Path, columns: _Columns, report: ReadReport, limits: Limits, passed: PassedOver | None
) -> Iterator[Posting]:
    """A file's postings, unless it is unchanged since it was read and they are all known."""
    if passed is None:
        yield from _read_file(path, columns, report, limits)
        return
    source = str(path)
    try:
        stat = path.stat()
    except OSError as error:
        raise PostingsError(source, error.strerror or str(error)) from None
    before = passed.index.files.get(source)
    if before is not None and passed.passes(before, (stat.st_size, stat.st_mtime_ns)):
        passed.hashes.extend(before.hashes)
        if before.columns is not None:
            report.columns[source] = before.columns
        return
    passed.forget(source)
    hashes: list[str] | None = []
    for posting in _read_file(path, columns, report, limits):
        if hashes is not None:
            hashes.append(posting.content_hash)
            hashes = hashes if passed.room_for(len(hashes)) else None
        yield posting
    if hashes is not None and time.time() - stat.st_mtime > SETTLED_SECONDS:
        read = FileRead((stat.st_size, stat.st_mtime_ns), tuple(hashes), report.columns.get(source))
        passed.remember(source, read)


def _read_file(
    path: Path, columns: _Columns, report: ReadReport, limits: Limits
) -> Iterator[Posting]:
    source, suffix = str(path), path.suffix.lower()
    try:
        # A buffer of a chunk, so that `_Lines` can look at a whole chunk before reading it.
        with io.BufferedReader(path.open("rb", buffering=0), _CHUNK) as stream:
            if suffix in {".csv", ".jsonl", ".json"}:
                records = _records(stream, suffix, source, limits)
                yield from _read_records(records, source, columns, report, limits)
            else:
                yield _read_document(_read_whole(stream, source, limits.posting_bytes), source)
    except OSError as error:
        raise PostingsError(source, error.strerror or str(error)) from None


def _records(
    stream: io.BufferedReader[io.FileIO], suffix: str, source: str, limits: Limits
) -> Iterator[dict[str, Any]]:
    """The records of a CSV or JSON Lines file, streamed, or of a JSON document."""
    if suffix == ".json":
        return _json_records(stream, source, limits)
    lines = _Lines(stream, source, limits.posting_bytes)
    return _csv_rows(lines) if suffix == ".csv" else _json_lines(lines, source)


def _read_whole(stream: BinaryIO, source: str, limit: int, name: str = "posting_bytes") -> str:
    """An input read whole, but never further than one byte past its limit."""
    data = _read_at_most(stream, min(_CHUNK, limit + 1))
    _refuse_binary(data, source)
    data += _read_at_most(stream, limit + 1 - len(data))
    if len(data) > limit:
        raise LimitExceededError(source, name, limit)
    return data.decode("utf-8-sig", errors="replace")


def _read_at_most(stream: BinaryIO, size: int) -> bytes:
    """Up to `size` bytes, a chunk at a time: `read(size)` would allocate `size` at once."""
    data = bytearray()
    while len(data) < size:
        chunk = stream.read(min(_CHUNK, size - len(data)))
        if not chunk:
            break
        data += chunk
    return bytes(data)


def _refuse_binary(first: bytes, source: str) -> None:
    """Refuse an input whose first chunk holds NUL bytes or is mostly control bytes.

    Text holds neither; executables, images and /dev/zero do. Text that is not UTF-8 (a
    posting saved as Latin-1 or Windows-1252) is still text: its stray bytes are replaced.
    """
    if b"\0" in first:
        raise NotTextError(source, f"it holds a NUL byte at offset {first.index(0)}")
    control = sum(1 for byte in first if byte < 0x20 and byte not in b"\t\n\r\f")  # noqa: PLR2004
    if first and control > len(first) * _MAX_CONTROL_SHARE:
        raise NotTextError(source, f"{control} of its first {len(first)} bytes are control bytes")


#: Text has almost no control bytes besides tabs and line breaks; binary data has many.
_MAX_CONTROL_SHARE = 0.1


class _Lines:
    """A record file's lines, decoded one at a time, with records held to the posting limit.

    The CSV reader pulls lines from here; `next_record` marks where a record ends, so that a
    record whose quoted field spans many lines is held to the same limit as one line.
    """

    def __init__(self, stream: io.BufferedReader[io.FileIO], source: str, limit: int) -> None:
        _refuse_binary(stream.peek(_CHUNK)[:_CHUNK], source)
        if stream.peek(3).startswith(codecs.BOM_UTF8):
            stream.read(3)
        self._stream, self._source, self._limit = stream, source, limit
        #: Lines read so far, and the first line of the record being read.
        self.number, self.record = 0, 1
        self._record_bytes = 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        raw = self._stream.readline(self._limit + 1 - self._record_bytes)
        if not raw:
            raise StopIteration
        self.number += 1
        self._record_bytes += len(raw)
        if self._record_bytes > self._limit:
            raise LimitExceededError(f"{self._source}:{self.record}", "posting_bytes", self._limit)
        return raw.decode("utf-8", errors="replace")

    def next_record(self) -> None:
        """The record read so far is complete; the next one starts on the next line."""
        self.record, self._record_bytes = self.number + 1, 0


def _read_document(text: str, source: str) -> Posting:
    """HTML, Markdown or text; YAML front matter gives the title and date."""
    meta: dict[Any, Any] = {}
    if text.startswith("---"):
        end = text.find("\n---", 3)
        if end > 0:
            loaded = _front_matter(text[3:end], source)
            if isinstance(loaded, dict):
                meta, text = loaded, text[end + 4 :]
    key = "created" if meta.get("created") else "date"
    return Posting(
        text=strip_html(text),
        id=source,
        source=source,
        title=_str(meta.get("title")),
        posted=_date(meta.get(key), source, f"front matter {key}"),
    )


def _front_matter(text: str, source: str) -> object:
    """The front matter's YAML, or None where the `---` lines are Markdown rules instead."""
    import yaml  # noqa: PLC0415 (see `_front_matter_reading`)

    loader_type, refused = _front_matter_reading()
    loader = loader_type(text)
    try:
        return loader.get_single_data()
    except refused as error:
        raise PostingsError(source, f"front matter {error}") from None
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()


@functools.cache
def _front_matter_reading() -> tuple[type[yaml.SafeLoader], type[yaml.YAMLError]]:
    """The loader front matter is read with, and the error it refuses YAML with.

    Made, and YAML imported, the first time a posting has front matter: most have none, and
    `skills extract` of a pasted paragraph need not load a YAML parser (issue 18).
    """
    import yaml  # noqa: PLC0415 (see above)

    class RefusedYamlError(yaml.YAMLError):
        """YAML that front matter has no need for and that could exhaust memory or the stack."""

    class FrontMatterLoader(yaml.SafeLoader):
        """Safe YAML without aliases, within a depth and a number of values.

        An alias bomb (`a: &a [x, x]`, `b: &b [*a, *a]`, ...) is a few hundred bytes that grow
        nine-fold a level once their values are used (issue 13), and PyYAML composes a level
        of nesting with a level of recursion. Front matter needs none of that.
        """

        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self._depth, self._values = 0, 0

        def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
            if self.check_event(yaml.AliasEvent):
                msg = "uses a YAML alias (*name), which postings may not use"
                raise RefusedYamlError(msg)
            self._depth += 1
            self._values += 1
            try:
                if self._depth > MAX_FRONT_MATTER_DEPTH:
                    msg = f"is nested deeper than {MAX_FRONT_MATTER_DEPTH} levels"
                    raise RefusedYamlError(msg)
                if self._values > MAX_FRONT_MATTER_VALUES:
                    msg = f"holds more than {MAX_FRONT_MATTER_VALUES:,} values"
                    raise RefusedYamlError(msg)
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1

    return FrontMatterLoader, RefusedYamlError


def _csv_rows(lines: _Lines) -> Iterator[dict[str, Any]]:
    csv.field_size_limit(sys.maxsize)  # `lines` limits the bytes of each record instead
    reader = csv.DictReader(lines)
    if reader.fieldnames:  # reads the header, a record of its own
        lines.next_record()
    for row in reader:
        lines.next_record()
        yield row


def _json_lines(lines: _Lines, source: str) -> Iterator[dict[str, Any]]:
    for line in lines:
        number = lines.number
        lines.next_record()
        if not line.strip():
            continue
        record = _loads(line.strip(" \t\r\n"), f"{source}:{number}")
        if isinstance(record, dict):
            yield record


def _json_records(stream: BinaryIO, source: str, limits: Limits) -> Iterator[dict[str, Any]]:
    """A JSON list of records, or an object holding one (such as {"jobs": [...]})."""
    text = _read_whole(stream, source, limits.json_bytes, "json_bytes")
    data = _loads(text, source)
    if isinstance(data, dict):
        data = next((v for v in data.values() if isinstance(v, list)), [data])
    if not isinstance(data, list):
        why = f"holds {_json_kind(data)}, not postings; expected a list of records or an object"
        raise PostingsError(source, why)
    yield from (record for record in data if isinstance(record, dict))


def _json_kind(value: object) -> str:
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    return "a number"


#: A string (an unterminated one runs to the end, once: retrying it from every escaped
#: quote made the scan quadratic) or a bracket.
_JSON_NESTING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]')


def _loads(text: str, source: str) -> object:
    """JSON, refused before parsing when nested deeper than `MAX_JSON_DEPTH`."""
    depth = 0
    for token in _JSON_NESTING.finditer(text):
        bracket = text[token.start()]
        if bracket in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                why = f"the JSON is nested deeper than {MAX_JSON_DEPTH} levels"
                raise PostingsError(source, why)
        elif bracket in "]}":
            depth -= 1
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        where = f" at line {error.lineno}" if error.lineno > 1 else ""
        raise PostingsError(source, f"not JSON: {error.msg}{where}") from None


def _read_records(
    records: Iterable[dict[str, Any]],
    source: str,
    columns: _Columns,
    report: ReadReport,
    limits: Limits,
) -> Iterator[Posting]:
    chosen: tuple[list[str], str | None, str | None] | None = None
    for number, record in enumerate(records, 1):
        if chosen is None:
            # A CSV row longer than its header keeps the rest under None.
            names = [name for name in record if isinstance(name, str)]
            chosen = _choose_columns(names, columns, source)
            report.columns[source] = {
                "text": " + ".join(chosen[0]),
                "title": chosen[1],
                "date": chosen[2],
            }
        text_columns, title, date = chosen
        text = _joined_text(record, text_columns)
        if not text.strip():
            continue
        own = _record_id(record, number)
        where = f"{source}#{own}"
        if len(text.encode()) > limits.posting_bytes:
            raise LimitExceededError(where, "posting_bytes", limits.posting_bytes)
        lines = _listed_lines(text)
        plain = strip_html(lines)
        yield Posting(
            text=plain,
            id=where,
            source=source,
            title=_str(record.get(title)) if title else _first_line(plain),
            posted=_date(record.get(date), where, date) if date else None,
            record=own,
            digest=None if lines is text else content_digest(text),
        )


def _record_id(record: dict[str, Any], number: int) -> str | int:
    """The record's own id (its `id` field), else its number in the file.

    A CSV's unnamed first column is a data frame's index, not an id: in
    ../shared/corpus/jobs/linpingyu_linkedin_2019 it runs 0 to 4 and starts again, so that
    1,000 postings shared five ids.
    """
    value = record.get("id")
    if isinstance(value, str | int) and not isinstance(value, bool) and value != "":
        return value
    return number


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
            raise NoTextColumnError(source, names)
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


def _date(value: object, source: str, name: str) -> dt.date | None:
    """A posting's date from a date, an ISO string or a Unix time; None if it is none of them.

    A number too large for a Unix time is an error rather than no date: it says the date
    column holds something else (issue 13).
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and value > 1e8:  # noqa: PLR2004 (a Unix time)
        try:
            return dt.datetime.fromtimestamp(value, tz=dt.UTC).date()
        except (OverflowError, OSError, ValueError):
            why = f"{name} {value!r} is not a date: as a Unix time it falls after the year 9999"
            raise PostingsError(source, why) from None
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


# --- Files read before ----------------------------------------------------------------------

#: A file modified this recently may change again within its clock's resolution without its
#: size or time changing: it is read again next time rather than trusted (git's "racily
#: clean" files).
SETTLED_SECONDS = 2.0
#: The most postings a corpus's index lists (by hash). Files beyond are read again each time
#: (their stored postings are still not extracted again), so that the index, held in memory
#: while a corpus is read, stays small however large the corpus (issue 20).
INDEXED_POSTINGS = 100_000


@dataclass(frozen=True)
class FileRead:
    """What reading a file gave: its size and modification time then, and what it held."""

    stamp: tuple[int, int]
    #: The content hash of each posting, in the file's order.
    hashes: tuple[str, ...]
    #: The columns read (None for a document).
    columns: dict[str, str | None] | None


@dataclass
class ReadIndex:
    """The files of a corpus as they were last read, by path.

    Reading and hashing 10,000 postings again was 8 of the 9 seconds of a second
    `skills corpus` over postings the store already held (issue 18). The index is kept in the
    user's cache for each corpus and way of reading it (`for_corpus`, `keep`).
    """

    files: dict[str, FileRead] = field(default_factory=dict)

    @classmethod
    def for_corpus(cls, path: Path, how: object) -> ReadIndex:
        """The index kept for the corpus at `path` read this way (`how`), or an empty one."""
        found = artefacts.load(*_index_key(path, how))
        return found if isinstance(found, ReadIndex) else cls()

    def keep(self, path: Path, how: object) -> None:
        """Keep the index for the next reading of the corpus at `path` this way."""
        artefacts.keep(*_index_key(path, how), self)

    def hashes(self) -> list[str]:
        """The content hash of every posting the index lists."""
        return [posting for read in self.files.values() for posting in read.hashes]


def _index_key(path: Path, how: object) -> tuple[str, list[bytes]]:
    """The index's name (one per corpus) and what a version depends on, this code included."""
    where = str(path.resolve())
    name = "read-index-" + hashlib.sha256(where.encode()).hexdigest()[:12]
    return name, [where.encode(), repr(how).encode(), Path(__file__).read_bytes()]


@dataclass
class PassedOver:
    """Files not read again: unchanged since `index` says, their postings all in `known`."""

    index: ReadIndex
    known: Collection[str]
    #: The content hashes of the postings in the files passed over.
    hashes: list[str] = field(default_factory=list)
    #: How many postings the index lists.
    indexed: int = field(init=False)

    def __post_init__(self) -> None:
        """Count what the index lists already."""
        self.indexed = sum(len(read.hashes) for read in self.index.files.values())

    def passes(self, before: FileRead, stamp: tuple[int, int]) -> bool:
        """Whether a file read `before` is as it was then, its postings all known."""
        return before.stamp == stamp and all(known in self.known for known in before.hashes)

    def room_for(self, postings: int) -> bool:
        """Whether the index may list a file of this many postings more."""
        return self.indexed + postings <= INDEXED_POSTINGS

    def remember(self, source: str, read: FileRead) -> None:
        """List a file read now."""
        self.index.files[source] = read
        self.indexed += len(read.hashes)

    def forget(self, source: str) -> None:
        """Drop a file about to be read again: what it held may have changed."""
        before = self.index.files.pop(source, None)
        self.indexed -= len(before.hashes) if before else 0


# --- De-duplication -------------------------------------------------------------------------


class SeenHashes:
    """The content hashes met so far in one reading of a corpus, to collapse duplicates.

    Kept in a private temporary SQLite file, deleted when closed, rather than a set: a
    million postings' hashes are about 150 MB in a set, and a corpus of any size must be read
    in bounded memory (issue 20). This is scratch space, not the store.
    """

    def __init__(self) -> None:
        """Open an empty one."""
        import sqlite3  # noqa: PLC0415 (only to read a corpus, not at every command's start)

        self._db = sqlite3.connect("", isolation_level=None)
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("CREATE TABLE seen (hash TEXT PRIMARY KEY) WITHOUT ROWID")
        #: How many distinct hashes it holds.
        self.count = 0

    def first_sight(self, hashes: Iterable[str]) -> list[bool]:
        """For each hash, in order, whether it is met for the first time; all are kept."""
        marks = [
            self._db.execute("INSERT OR IGNORE INTO seen VALUES (?)", (posting,)).rowcount == 1
            for posting in hashes
        ]
        self.count += sum(marks)
        return marks

    def close(self) -> None:
        """Delete the file."""
        self._db.close()


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
    """A posting's title normalised into a role such as "data scientist".

    Only the start of a title is read: the patterns backtrack over what follows each cue, so
    a title column holding a megabyte took hours (issue 13).
    """
    if not title:
        return "unknown"
    title = title[:_TITLE_LINE_MAX]
    return next((role for role, pattern in _ROLES if pattern.search(title)), "other")
