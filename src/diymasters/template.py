"""Curriculum templates: YAML files validated into a `Curriculum`, problems collected.

A template is what a new learner starts from. The ML Engineer masters ships in
`diymasters/data/templates/`; a learner may also pass a path to a YAML file of their own.
Every problem names the file, the line and the field, so a typo is fixed in one go.
"""

from __future__ import annotations

import datetime as dt  # noqa: TC003 (pydantic reads the annotations at run time)
from importlib import resources
from pathlib import Path
from typing import Annotated

import pydantic

from diymasters import yamlfile
from diymasters.errors import DiyMastersError, NotFoundError
from diymasters.model import Curriculum, Domain, Kind, Resource, Status
from diymasters.yamlfile import Problem

#: The template `init` loads when none is named.
DEFAULT_TEMPLATE = "ml-engineer"


#: A problem in a template, located to its line (kept as a name for callers).
TemplateProblem = Problem


class TemplateError(yamlfile.DataFileError):
    """A template could not be read or did not validate."""


class TemplateNotFoundError(NotFoundError):
    """Neither a shipped template nor a readable file goes by that name."""

    def __init__(self, name: str) -> None:
        """List the shipped templates."""
        known = ", ".join(template_names())
        super().__init__(f"no template {name!r}: give a YAML file or one of: {known}")


def _url(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        msg = "must be an http(s) URL"
        raise ValueError(msg)
    return value


class _Strict(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid", frozen=True, strict=False)


class _ResourceSpec(_Strict):
    title: Annotated[str, pydantic.StringConstraints(strip_whitespace=True, min_length=1)]
    url: Annotated[str, pydantic.AfterValidator(_url)] | None = None
    provider: str | None = None
    kind: Kind = Kind.OTHER
    status: Status = Status.TODO
    description: str | None = None
    hours: pydantic.PositiveFloat | None = None
    cost: pydantic.NonNegativeFloat | None = None
    started: dt.date | None = None
    finished: dt.date | None = None
    notes: str = ""
    source: str | None = None
    children: list[_ResourceSpec] = []

    def to_resource(self) -> Resource:
        return Resource(
            title=self.title,
            url=self.url,
            provider=self.provider,
            kind=self.kind,
            status=self.status,
            description=self.description,
            estimated_hours=self.hours,
            cost=self.cost,
            started=self.started,
            finished=self.finished,
            notes=self.notes,
            source=self.source,
            children=tuple(child.to_resource() for child in self.children),
        )


class _DomainSpec(_Strict):
    name: Annotated[str, pydantic.StringConstraints(strip_whitespace=True, min_length=1)]
    resources: list[_ResourceSpec] = []
    domains: list[_DomainSpec] = []

    def to_domain(self) -> Domain:
        return Domain(
            name=self.name,
            resources=tuple(r.to_resource() for r in self.resources),
            domains=tuple(d.to_domain() for d in self.domains),
        )


class _TemplateSpec(_Strict):
    name: Annotated[str, pydantic.StringConstraints(strip_whitespace=True, min_length=1)]
    description: str = ""
    domains: list[_DomainSpec]

    def to_curriculum(self) -> Curriculum:
        return Curriculum(
            name=self.name,
            description=self.description.strip(),
            domains=tuple(d.to_domain() for d in self.domains),
        )


def template_names() -> list[str]:
    """Names of the templates that ship with diymasters."""
    folder = resources.files("diymasters") / "data" / "templates"
    return sorted(
        p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")
    )


def load_template(name_or_path: str = DEFAULT_TEMPLATE) -> Curriculum:
    """Load a shipped template by name, or a YAML file by path; raise on any problem."""
    filename, text = _read_template(name_or_path)
    curriculum, problems = parse_template(text, filename)
    if curriculum is None:
        raise TemplateError(problems)
    return curriculum


def _read_template(name_or_path: str) -> tuple[str, str]:
    shipped = resources.files("diymasters") / "data" / "templates" / f"{name_or_path}.yaml"
    if shipped.is_file():
        return f"{name_or_path}.yaml", shipped.read_text(encoding="utf-8")
    path = Path(name_or_path)
    # A name that is no shipped template is a usage error; a path that cannot be read is a
    # missing file, which fails with 1 as it does everywhere else (issue 13).
    if not path.exists() and not _looks_like_path(name_or_path):
        raise TemplateNotFoundError(name_or_path)
    try:
        return str(path), path.read_text(encoding="utf-8")
    except OSError as error:
        why = error.strerror or str(error)
        raise TemplateError([TemplateProblem(str(path), None, "", why)]) from None
    except UnicodeDecodeError as error:
        byte = f"0x{error.object[error.start]:02x}"
        why = f"not a YAML template: byte {byte} at offset {error.start} is not UTF-8"
        raise TemplateError([TemplateProblem(str(path), None, "", why)]) from None


def _looks_like_path(name: str) -> bool:
    path = Path(name)
    return len(path.parts) > 1 or path.suffix.lower() in {".yaml", ".yml"}


def parse_template(text: str, filename: str) -> tuple[Curriculum | None, list[TemplateProblem]]:
    """Validate template text, returning the curriculum or every problem found."""
    spec, _, problems = yamlfile.load(text, filename, _TemplateSpec)
    if spec is None:
        return None, problems
    try:
        return spec.to_curriculum(), []
    except DiyMastersError as error:
        return None, [TemplateProblem(filename, None, "", str(error))]
