"""One way from a typed result to JSON, shared by `--json` and every page's JSON twin.

The core returns frozen dataclasses; scripts read plain JSON. Keeping the conversion in one
place keeps the two frontends' JSON identical and lets a result say, per field, how it is
written: a field whose metadata is `OMIT_WHEN_NONE` is left out rather than written as null
(a key that only some results carry), and one marked `INLINE` writes its own fields in its
place, or nothing when it is None (a result that extends another, such as a corpus's import
figures and its demand). A field whose metadata comes from `written_as` is written by its own
function (a value whose JSON was fixed before it was typed).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
from collections.abc import Mapping
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from _typeshed import DataclassInstance

#: Field metadata for a key written only when it has a value.
OMIT_WHEN_NONE: Mapping[str, bool] = {"omit_when_none": True}
#: Field metadata for a dataclass whose fields are written in the field's place.
INLINE: Mapping[str, bool] = {"inline": True}


def written_as(writer: Callable[[Any], object]) -> Mapping[str, object]:
    """Field metadata for a value with a JSON form of its own: `writer` gives it (None stays null).

    For a value whose JSON was fixed before it was typed, such as a saved plan's calendar.
    """
    return {"written_as": writer}


#: What `plain` returns: the JSON data model.
Json = dict[str, Any] | list[Any] | str | int | float | bool | None


def plain(value: object) -> Json:
    """The JSON-ready form of a result.

    Dataclasses become objects in field order, enums their values, dates ISO 8601 and paths
    strings; mappings and sequences are converted item by item.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _plain_fields(value)
    return _plain_value(value)


def naming(data: Json, curriculum: str | None) -> Json:
    """An object's JSON with the curriculum it is about first, unless it names one already.

    Every report of a command or a page says which curriculum it read (issue 15); most
    results are about one resource or one plan and do not carry it themselves.
    """
    if curriculum is None or not isinstance(data, dict) or "curriculum" in data:
        return data
    return {"curriculum": curriculum, **data}


def fields_of(result: DataclassInstance, kind: type[DataclassInstance]) -> dict[str, Any]:
    """A result's values for the fields of `kind` (a class it is or extends), by name.

    For building a result that extends another one: `Extended(**fields_of(base, Base), ...)`.
    """
    return {field.name: getattr(result, field.name) for field in dataclasses.fields(kind)}


def fingerprint(result: object) -> str:
    """A short digest of a result's JSON, so a form drawn from it can tell it went stale."""
    encoded = json.dumps(plain(result), sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()[:16]


def _plain_fields(value: DataclassInstance) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for field in dataclasses.fields(value):
        item = getattr(value, field.name)
        if item is None and field.metadata.get("omit_when_none"):
            continue
        if field.metadata.get("inline"):
            data.update(_plain_fields(item) if item is not None else {})
        elif item is not None and (writer := field.metadata.get("written_as")) is not None:
            data[field.name] = plain(writer(item))
        else:
            data[field.name] = plain(item)
    return data


def _plain_value(value: object) -> Json:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, enum.Enum):
        return plain(value.value)
    if isinstance(value, dt.date):  # a datetime is a date too
        return value.isoformat()
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    msg = f"{type(value).__name__} has no JSON form"
    raise TypeError(msg)
