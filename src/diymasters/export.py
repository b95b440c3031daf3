"""The learner's data carried out of the store: a JSON export to restore, a CSV log, a report.

The JSON export is the whole store but its postings (see `store.export` for why), as a
document that names its format and version, and the schema of the store it came from. It is
written in a fixed order with no time of its own, so the same store exports the same bytes
and two exports compare with `diff`. Reading one checks every field before anything is
stored, so a corrupt file is one line that says where, and a restore is all or nothing.

The CSV holds the time log, a row per entry (RFC 4180 quoting, as Python's `csv` writes
it); the Markdown report holds each curriculum's progress by domain and its resources'
status and hours, for GitHub to show.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import json
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from diymasters.errors import Category, InvalidInputError
from diymasters.model import Kind, LinkedItem, Parts, Resource, Status, TimeEntry
from diymasters.serialise import INLINE, plain
from diymasters.store import (
    SCHEMA_HEAD,
    ExportedCurriculum,
    ExportedDomain,
    ExportedEntry,
    ExportedReadme,
    ExportedResource,
    ExportedStudy,
    ExportedTarget,
    ExportedTargetSkill,
    FollowedUpstream,
    SavedPlan,
    StoreContents,
)
from diymasters.tracking import whole_percent

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence
    from pathlib import Path

    from diymasters.tracking import DomainReport, ProgressReport, ResourceReport

#: The name every export carries, so that no other JSON file is taken for one.
FORMAT = "diymasters-export"
#: The version of the export's layout this diymasters writes, and the newest it reads.
VERSION = 1
#: The largest export read (64 MiB): a curriculum of 2,000 resources with years of entries
#: exports to a few megabytes, and a file is parsed whole.
MAX_EXPORT_BYTES = 64 * 1024 * 1024
#: The time log's columns, in order.
CSV_COLUMNS = ("id", "curriculum", "domain", "resource", "date", "hours", "note")

_Choice = TypeVar("_Choice", bound=enum.Enum)
_Built = TypeVar("_Built")


class ExportFormat(enum.StrEnum):
    """What an export writes: the whole store, the time log, or a readable report."""

    JSON = "json"
    CSV = "csv"
    MD = "md"


@dataclass(frozen=True)
class ExportDocument:
    """The JSON export: its format and version, the schema it came from, and the contents."""

    format: str
    version: int
    schema: str
    contents: StoreContents = field(metadata=INLINE)


class ExportFileError(InvalidInputError):
    """A file given to restore is not an export this diymasters reads."""

    def __init__(self, source: str, why: str) -> None:
        """Name the file and what is wrong with it, and say that nothing was changed."""
        super().__init__(f"{source}: {why}; nothing was changed")


class ExportTooLargeError(ExportFileError):
    """A file is larger than the largest export read."""

    category = Category.LIMIT_EXCEEDED

    def __init__(self, source: str) -> None:
        """Name the limit."""
        limit = f"{MAX_EXPORT_BYTES // (1024 * 1024)} MiB"
        super().__init__(source, f"larger than {limit}, the largest export read")


# --- Writing ------------------------------------------------------------------------------


def export_json(contents: StoreContents) -> str:
    """The JSON export of a store's contents: the same contents give the same text."""
    document = ExportDocument(FORMAT, VERSION, SCHEMA_HEAD, contents)
    return json.dumps(plain(document), indent=2, ensure_ascii=False) + "\n"


def time_log_csv(contents: StoreContents) -> str:
    """Every logged entry, a row each, by curriculum then as `entries` lists them."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for curriculum in contents.curricula:
        rows = [
            (entry.date, entry.id, path, resource.title, entry)
            for path, resource in _resources_with_paths(curriculum)
            for entry in resource.time_entries
        ]
        for day, entry_id, path, title, entry in sorted(rows, key=lambda row: row[:2]):
            writer.writerow(
                (entry_id, curriculum.name, path, title, day.isoformat(), entry.hours, entry.note)
            )
    return out.getvalue()


def _resources_with_paths(
    curriculum: ExportedCurriculum,
) -> Iterator[tuple[str, ExportedResource]]:
    """Every resource with its domain's path ("Mathematics / Statistics"), in reading order."""

    def walk(domain: ExportedDomain, above: str) -> Iterator[tuple[str, ExportedResource]]:
        path = f"{above} / {domain.name}" if above else domain.name
        for top in domain.resources:
            for resource in top.walk():
                yield path, resource
        for sub in domain.domains:
            yield from walk(sub, path)

    for domain in curriculum.domains:
        yield from walk(domain, "")


def markdown_report(reports: Sequence[ProgressReport]) -> str:
    """Each curriculum's progress by domain, then its resources with status and hours."""
    lines = ["# Progress", ""]
    for report in reports:
        lines += _curriculum_markdown(report)
    return "\n".join(lines).rstrip("\n") + "\n"


#: How the report says each status.
_STATUS_WORDS = {
    Status.TODO: "to do",
    Status.IN_PROGRESS: "in progress",
    Status.DONE: "done",
    Status.DROPPED: "dropped",
}
_MARKDOWN_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>|#"})


def _md(text: str) -> str:
    """Text shown as itself in Markdown, on one line."""
    return " ".join(text.split()).translate(_MARKDOWN_SPECIAL)


def _hours(value: float | None) -> str:
    return "?" if value is None else f"{value:g}"


def _estimate(estimated: float | None, known: float) -> str:
    """An estimate, or "≥" the part of it known when some resource under it has none.

    As `status` says it: the export wrote "?" for a domain that `status` showed as "≥62 h".
    """
    if estimated is not None:
        return _hours(estimated)
    return f"≥{known:g}" if known else "?"


def _curriculum_markdown(report: ProgressReport) -> list[str]:
    overall = report.overall
    lines = [f"## {_md(report.curriculum)}", ""]
    if report.description:
        lines += [_md(report.description), ""]
    lines += [
        (
            f"**{whole_percent(overall.progress)}%** done: {overall.items_done} of "
            f"{overall.items} resources, {_hours(overall.hours_logged)} h logged of "
            f"{'' if overall.estimate_complete else '≥'}{_hours(overall.hours_estimated)} h "
            "estimated."
        ),
        "",
        "| Domain | Progress | Resources done | Hours logged | Hours estimated |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for path, domain in _domains_with_paths(report.domains):
        lines.append(
            f"| {_md(path)} | {whole_percent(domain.progress)}% | {domain.items_done} of "
            f"{domain.items} | {_hours(domain.hours_logged)} | "
            f"{_estimate(domain.hours_estimated, domain.hours_known)} |"
        )
    if any(domain.domains for domain in report.domains):
        lines += ["", "A domain's row includes the domains under it (named after it with /)."]
    lines.append("")
    for path, domain in _domains_with_paths(report.domains):
        if domain.resources:
            lines += [f"### {_md(path)}", ""]
            lines += [line for r in domain.resources for line in _resource_markdown(r, 0)]
            lines.append("")
    if report.archived:
        lines += ["### No longer in the curriculum", ""]
        lines += [
            f"- {_md(a.title)}: {_STATUS_WORDS[a.status]}, {_hours(a.hours_logged)} h logged"
            for a in report.archived
        ]
        lines.append("")
    return lines


def _domains_with_paths(
    domains: Sequence[DomainReport], above: str = ""
) -> Iterator[tuple[str, DomainReport]]:
    for domain in domains:
        path = f"{above} / {domain.name}" if above else domain.name
        yield path, domain
        yield from _domains_with_paths(domain.domains, path)


def _resource_markdown(resource: ResourceReport, depth: int) -> list[str]:
    box = "x" if resource.status is Status.DONE else " "
    title = _md(resource.title)
    if resource.url and resource.url.startswith(("https://", "http://")):
        title = f"[{title}](<{resource.url.replace('>', '%3E')}>)"
    line = (
        f"{'  ' * depth}- [{box}] {title}: {_STATUS_WORDS[resource.status]}, "
        f"{whole_percent(resource.progress)}%, {_hours(resource.hours_logged)} h logged"
    )
    if resource.hours_estimated is not None:
        line += f" of {_hours(resource.hours_estimated)} h"
    return [line, *(c for child in resource.children for c in _resource_markdown(child, depth + 1))]


# --- Reading ------------------------------------------------------------------------------


def read_export_file(path: Path) -> StoreContents:
    """The contents of an export file, checked whole, within `MAX_EXPORT_BYTES`."""
    source = str(path)
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_EXPORT_BYTES + 1)
    except OSError as error:
        raise ExportFileError(source, error.strerror or str(error)) from None
    if len(data) > MAX_EXPORT_BYTES:
        raise ExportTooLargeError(source)
    return read_export(data, source)


def read_export(data: bytes, source: str) -> StoreContents:
    """An export's contents, every field checked; one line on the first thing wrong."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ExportFileError(source, "not a diymasters export (not JSON)") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ExportFileError(source, f'not a diymasters export (no "format": {FORMAT!r})')
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ExportFileError(source, "its export version is missing or malformed")
    if version > VERSION:
        raise ExportFileError(
            source,
            f"made by a newer diymasters (export version {version}; this one reads up to "
            f"{VERSION}); upgrade diymasters to restore it",
        )
    try:
        contents = _contents(_Fields(document, ""))
    except _MalformedError as error:
        raise ExportFileError(source, f"{error.where or 'the document'}: {error.why}") from None
    clash = _first_clash(contents)
    if clash is not None:
        raise ExportFileError(source, clash)
    return contents


def _first_clash(contents: StoreContents) -> str | None:
    """What would break the store's keys or references, checked before anything is stored."""
    resources = [r for c in contents.curricula for _, r in c.all_resources()]
    resource_ids = {r.id for r in resources}
    keyed: list[tuple[str, Sequence[object]]] = [
        ("curriculum id", [c.id for c in contents.curricula]),
        ("curriculum name", [c.name.lower() for c in contents.curricula]),
        ("domain id", [d.id for c in contents.curricula for t in c.domains for d in t.walk()]),
        ("resource id", [r.id for r in resources]),
        ("time entry id", [e.id for r in resources for e in r.time_entries]),
        ("target id", [t.id for t in contents.targets]),
        ("target name", [t.name for t in contents.targets]),
        ("study session id", [s.id for s in contents.study_sessions]),
        *((f"tag of resource {r.id}", list(r.skills)) for r in resources),
        *((f"plan name in {c.name!r}", [p.name for p in c.plans]) for c in contents.curricula),
        *((f"skill of target {t.name!r}", [s.skill for s in t.skills]) for t in contents.targets),
    ]
    for what, values in keyed:
        seen: set[object] = set()
        for value in values:
            if value in seen:
                return f"{what} {value!r} appears twice"
            seen.add(value)
    for session in contents.study_sessions:
        if session.resource_id not in resource_ids:
            resource = session.resource_id
            return f"study session {session.id} is of resource {resource}, which it does not hold"
    return None


class _MalformedError(Exception):
    """A field of the document is missing or wrong: where, and why."""

    def __init__(self, where: str, why: str) -> None:
        super().__init__(where, why)
        self.where = where
        self.why = why


class _Fields:
    """An object of the document, read field by field with its place for errors."""

    def __init__(self, data: object, where: str) -> None:
        if not isinstance(data, dict):
            raise _MalformedError(where, "is not an object")
        self.data: dict[str, Any] = data
        self.where = where

    def _at(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def fail(self, key: str, why: str) -> NoReturn:
        raise _MalformedError(self._at(key), why)

    def _get(self, key: str) -> object:
        if key not in self.data:
            self.fail(key, "is missing")
        return self.data[key]

    def text(self, key: str) -> str:
        value = self._get(key)
        if not isinstance(value, str):
            self.fail(key, "is not text")
        return value

    def optional_text(self, key: str) -> str | None:
        return None if self._get(key) is None else self.text(key)

    def integer(self, key: str) -> int:
        value = self._get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(key, "is not a whole number")
        return value

    def identifier(self, key: str) -> int:
        value = self.integer(key)
        if value < 1:
            self.fail(key, "is not a positive id")
        return value

    def number(self, key: str) -> float:
        value = self._get(key)
        if (
            not isinstance(value, int | float)
            or isinstance(value, bool)
            or not math.isfinite(value)
        ):
            self.fail(key, "is not a number")
        return float(value)

    def optional_number(self, key: str) -> float | None:
        return None if self._get(key) is None else self.number(key)

    def boolean(self, key: str) -> bool:
        value = self._get(key)
        if not isinstance(value, bool):
            self.fail(key, "is not true or false")
        return value

    def day(self, key: str) -> dt.date:
        try:
            return dt.date.fromisoformat(self.text(key))
        except ValueError:
            self.fail(key, "is not a date (YYYY-MM-DD)")

    def optional_day(self, key: str) -> dt.date | None:
        return None if self._get(key) is None else self.day(key)

    def moment(self, key: str) -> dt.datetime:
        try:
            return dt.datetime.fromisoformat(self.text(key))
        except ValueError:
            self.fail(key, "is not a date and time (ISO 8601)")

    def optional_moment(self, key: str) -> dt.datetime | None:
        return None if self._get(key) is None else self.moment(key)

    def choice(self, key: str, kind: type[_Choice]) -> _Choice:
        value = self._get(key)
        found = next((member for member in kind if member.value == value), None)
        if found is None:
            self.fail(key, f"is not one of {', '.join(str(m.value) for m in kind)}")
        return found

    def mapping(self, key: str) -> dict[str, Any]:
        value = self._get(key)
        if not isinstance(value, dict):
            self.fail(key, "is not an object")
        return value

    def objects(self, key: str) -> list[_Fields]:
        value = self._get(key)
        if not isinstance(value, list):
            self.fail(key, "is not a list")
        return [_Fields(each, f"{self._at(key)}[{index}]") for index, each in enumerate(value)]

    def optional_object(self, key: str) -> _Fields | None:
        value = self._get(key)
        return None if value is None else _Fields(value, self._at(key))

    def texts(self, key: str) -> tuple[str, ...]:
        value = self._get(key)
        if not isinstance(value, list) or not all(isinstance(each, str) for each in value):
            self.fail(key, "is not a list of text")
        return tuple(value)


def _checked(fields: _Fields, build: Callable[[], _Built]) -> _Built:
    """A model value built by `build`, its rules' complaint said at the object's place."""
    try:
        return build()
    except InvalidInputError as error:
        raise _MalformedError(fields.where, str(error)) from None


def _contents(doc: _Fields) -> StoreContents:
    return StoreContents(
        curricula=tuple(_curriculum(each) for each in doc.objects("curricula")),
        targets=tuple(_target(each) for each in doc.objects("targets")),
        study_sessions=tuple(
            ExportedStudy(s.identifier("id"), s.identifier("resource_id"), s.moment("started"))
            for s in doc.objects("study_sessions")
        ),
        last_entry_id=doc.integer("last_entry_id"),
    )


def _curriculum(c: _Fields) -> ExportedCurriculum:
    readme = c.optional_object("readme")
    upstream = c.optional_object("upstream")
    return ExportedCurriculum(
        id=c.identifier("id"),
        name=c.text("name"),
        description=c.text("description"),
        created_at=c.moment("created_at"),
        chosen_at=c.optional_moment("chosen_at"),
        domains=tuple(_domain(each) for each in c.objects("domains")),
        readme=None
        if readme is None
        else ExportedReadme(readme.text("path"), readme.text("sha256"), readme.boolean("autosync")),
        upstream=None
        if upstream is None
        else FollowedUpstream(
            upstream.text("location"),
            upstream.optional_text("ref"),
            upstream.text("base"),
            upstream.moment("updated"),
        ),
        plans=tuple(
            SavedPlan(p.text("name"), p.moment("created"), p.mapping("inputs"), p.mapping("report"))
            for p in c.objects("plans")
        ),
    )


def _domain(d: _Fields) -> ExportedDomain:
    return ExportedDomain(
        id=d.identifier("id"),
        position=d.integer("position"),
        name=d.text("name"),
        resources=tuple(_resource(each) for each in d.objects("resources")),
        domains=tuple(_domain(each) for each in d.objects("domains")),
    )


def _resource(r: _Fields) -> ExportedResource:
    parts = r.optional_object("parts")
    item = r.optional_object("readme_item")
    resource = ExportedResource(
        id=r.identifier("id"),
        position=r.integer("position"),
        title=r.text("title"),
        kind=r.choice("kind", Kind),
        status=r.choice("status", Status),
        url=r.optional_text("url"),
        provider=r.optional_text("provider"),
        description=r.optional_text("description"),
        estimated_hours=r.optional_number("estimated_hours"),
        cost=r.optional_number("cost"),
        started=r.optional_day("started"),
        finished=r.optional_day("finished"),
        notes=r.text("notes"),
        source=r.optional_text("source"),
        archived=r.optional_day("archived"),
        parts=None if parts is None else _parts(parts),
        skills=r.texts("skills"),
        readme_item=None if item is None else _item(item),
        time_entries=tuple(_entry(each) for each in r.objects("time_entries")),
        children=tuple(_resource(each) for each in r.objects("children")),
    )
    _checked(
        r,
        lambda: Resource(
            title=resource.title,
            estimated_hours=resource.estimated_hours,
            cost=resource.cost,
            started=resource.started,
            finished=resource.finished,
        ),
    )
    return resource


def _parts(parts: _Fields) -> Parts:
    done, total = parts.integer("done"), parts.integer("total")
    return _checked(parts, lambda: Parts(done, total))


def _item(item: _Fields) -> LinkedItem:
    base_parts = item.optional_object("base_parts")
    return LinkedItem(
        key=item.text("key"),
        base=item.choice("base", Status),
        base_parts=None if base_parts is None else _parts(base_parts),
    )


def _entry(e: _Fields) -> ExportedEntry:
    entry = ExportedEntry(e.identifier("id"), e.day("date"), e.number("hours"), e.text("note"))
    _checked(e, lambda: TimeEntry(entry.date, entry.hours))
    return entry


def _target(t: _Fields) -> ExportedTarget:
    return ExportedTarget(
        id=t.identifier("id"),
        name=t.text("name"),
        source=t.text("source"),
        skills=tuple(
            ExportedTargetSkill(s.text("skill"), s.number("weight"), s.optional_text("evidence"))
            for s in t.objects("skills")
        ),
    )
