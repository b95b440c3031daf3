"""How a command fails: the exit status for each kind of error, and the hints the CLI adds.

What the user typed ends with 2, everything else with 1; the hint names the command or the
option that gets past the error, which the core never does. The hints name error classes
from every part of the core, so this module is imported only once a command has failed.
"""

from __future__ import annotations

from diymasters.catalog import EntryNotFoundError
from diymasters.errors import Category, DiyMastersError
from diymasters.files import FileExistsAlreadyError
from diymasters.masters import (
    NoDemandError,
    NotFollowingError,
    ReadmeNotLinkedError,
    RemovalNeedsConfirmationError,
)
from diymasters.model import OldDateNeedsConfirmationError, UnlikelyEstimateNeedsConfirmationError
from diymasters.postings import LimitExceededError, NoTextColumnError
from diymasters.publish import WorkflowExistsError
from diymasters.readme.upstream import MergeConflictError
from diymasters.spark_engine import SparkMissingError
from diymasters.store import (
    CurriculumNotFoundError,
    PlanNotFoundError,
    StoreNotEmptyError,
    StudyUnderWayError,
    TargetNotFoundError,
)
from diymasters.study import NoStudySessionError, SessionTooLongError

#: The exit status for each kind of failure: 2 for what the user typed, 1 for the rest.
EXIT_STATUS = {
    Category.INVALID: 2,
    Category.NOT_FOUND: 2,
    Category.NOT_READY: 2,
    Category.NEEDS_CONFIRMATION: 2,
    Category.LIMIT_EXCEEDED: 2,
    Category.CONFLICT: 1,
    Category.FAILED: 1,
}

#: The option that raises each reading limit (a field of `postings.Limits`).
_LIMIT_OPTIONS = {"posting_bytes": "--max-posting-bytes", "postings": "--max-postings"}

#: What the command line adds to a core error: the command or option that gets past it.
_HINTS: dict[type[DiyMastersError], str] = {
    RemovalNeedsConfirmationError: "pass --yes",
    OldDateNeedsConfirmationError: "pass --force if it is right",
    UnlikelyEstimateNeedsConfirmationError: "pass --yes if it is right",
    ReadmeNotLinkedError: "run `diymasters import PATH` first",
    NotFollowingError: "run `diymasters follow PATH` first",
    NoDemandError: "give --posting FILE or --corpus PATH",
    MergeConflictError: (
        "choose with --take mine or --take upstream, or per conflict with --take LINE=mine"
    ),
    EntryNotFoundError: "try `diymasters catalog search`",
    NoTextColumnError: "name one with --column",
    StudyUnderWayError: "`diymasters study stop` logs it, `diymasters study discard` drops it",
    SessionTooLongError: (
        "give the hours you studied with `diymasters study stop --hours H`, "
        "or drop it with `diymasters study discard`"
    ),
    NoStudySessionError: "start one with `diymasters study RESOURCE`",
    WorkflowExistsError: "pass --force to replace it",
    FileExistsAlreadyError: "pass --force to replace it",
    StoreNotEmptyError: "give a new store with --db NEW.db",
    SparkMissingError: "pip install 'diymasters[spark]'",
}

#: The same, for errors that name what there is, when there is nothing yet.
_HINTS_WHEN_NONE: dict[
    type[CurriculumNotFoundError | PlanNotFoundError | TargetNotFoundError], str
] = {
    CurriculumNotFoundError: "run `diymasters init`",
    PlanNotFoundError: "make one with `diymasters plan`",
    TargetNotFoundError: "save one with `diymasters target save`",
}


def hint_for(error: DiyMastersError) -> str:
    """What the CLI adds to a core error's message, if anything."""
    if isinstance(error, LimitExceededError) and error.limit in _LIMIT_OPTIONS:
        return f"; pass {_LIMIT_OPTIONS[error.limit]} to raise it"
    if isinstance(error, CurriculumNotFoundError | PlanNotFoundError | TargetNotFoundError):
        return "" if error.known else f"; {_HINTS_WHEN_NONE[type(error)]}"
    hint = _HINTS.get(type(error))
    return f"; {hint}" if hint else ""
