"""YAML data files validated against a schema, every problem located to its file and line.

Templates and the catalog are both written by hand, so a problem must point at the line to
fix, and all problems are reported at once rather than one per run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import pydantic
import yaml

from diymasters.errors import DiyMastersError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pydantic_core import ErrorDetails

Model = TypeVar("Model", bound=pydantic.BaseModel)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a data file, located to its line."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        """Render as `file:line: field: message`, the shape editors can jump to."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class DataFileError(DiyMastersError):
    """A data file did not validate: the first problem, and how many more there are."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        """Keep every problem; show the first on one line."""
        self.problems = tuple(problems)
        more = len(problems) - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else ""
        super().__init__(f"{problems[0]}{suffix}")


class Locator:
    """Maps a path inside the YAML document (as pydantic reports it) to its line."""

    def __init__(self, node: yaml.Node | None) -> None:
        """Index every value's path."""
        self.lines: dict[tuple[Any, ...], int] = {}
        if node is not None:
            self._index(node, ())

    def _index(self, node: yaml.Node, path: tuple[Any, ...]) -> None:
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                child = (*path, key.value)
                self._index(value, child)
                self.lines[child] = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self._index(item, (*path, index))

    def line(self, path: tuple[Any, ...]) -> int | None:
        """The line of a path, or of its nearest ancestor in the file."""
        for size in range(len(path), -1, -1):
            if path[:size] in self.lines:
                return self.lines[path[:size]]
        return None


def field_name(path: tuple[Any, ...]) -> str:
    """`("entries", 3, "url")` as `entries[3].url`."""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def load(
    text: str, filename: str, schema: type[Model]
) -> tuple[Model | None, Locator, list[Problem]]:
    """Parse and validate YAML text; return the model or every problem, located."""
    try:
        node, data = _read(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        # A reader's error (a control character) has no `problem` and spans two lines.
        reason = " ".join((getattr(error, "problem", None) or str(error)).split())
        return None, Locator(None), [Problem(filename, line, "", f"not valid YAML: {reason}")]
    locator = Locator(node)
    try:
        return schema.model_validate(data), locator, []
    except pydantic.ValidationError as error:
        problems = [_problem(filename, locator, e) for e in error.errors()]
        # A misspelt key also makes the real one "required": show the typo first.
        problems.sort(key=lambda p: (p.line or 0, not p.message.startswith("unknown field")))
        return None, locator, problems


#: libyaml's loader where PyYAML was built with it: the catalog loads in a tenth of the time,
#: which every command that matches resources to the catalog pays.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(text: str) -> tuple[yaml.Node | None, Any]:
    """The document's node tree, for the lines of problems, and its data, in one parse."""
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


#: Pydantic's messages that name its own classes, said as a person would.
_MESSAGES = {
    "extra_forbidden": "unknown field (a typo?)",
    "model_type": "expected a mapping of fields here (is this the right file?)",
    "model_attributes_type": "expected a mapping of fields here (is this the right file?)",
}


def _problem(filename: str, locator: Locator, error: ErrorDetails) -> Problem:
    path = tuple(error["loc"])
    message = _MESSAGES.get(error["type"], error["msg"])
    return Problem(filename, locator.line(path), field_name(path), message)
