"""What can go wrong, by kind: the categories every expected failure belongs to.

The core raises `DiyMastersError` subclasses whose messages say what happened in the
learner's words, never in a frontend's: no exit codes, no command-line options, no HTTP.
Each class names its `Category`; the command line maps a category to an exit status and adds
its own hint ("pass --yes"), and the web maps it to a response status, each in one place.
"""

from __future__ import annotations

import enum


class Category(enum.Enum):
    """The kind of an expected failure, which decides how a frontend reports it."""

    #: A value the learner gave is malformed, out of range or contradictory.
    INVALID = "invalid"
    #: What the learner named does not exist.
    NOT_FOUND = "not found"
    #: The operation needs something done first: a README linked, postings stored.
    NOT_READY = "not ready"
    #: The operation would lose the learner's data unless they confirm it.
    NEEDS_CONFIRMATION = "needs confirmation"
    #: Input beyond one of the documented limits.
    LIMIT_EXCEEDED = "limit exceeded"
    #: Something changed meanwhile, or two sides disagree: nothing was written.
    CONFLICT = "conflict"
    #: The environment failed: a store, a file, a shipped data file, an address.
    FAILED = "failed"


class DiyMastersError(Exception):
    """Base of every expected failure; its message is shown to the learner on one line."""

    category = Category.FAILED


class InvalidInputError(DiyMastersError):
    """Base of failures caused by what the learner gave."""

    category = Category.INVALID


class NotFoundError(DiyMastersError):
    """Base of failures where what the learner named does not exist."""

    category = Category.NOT_FOUND


class NotReadyError(DiyMastersError):
    """Base of failures where something must be set up first."""

    category = Category.NOT_READY


class ConflictError(DiyMastersError):
    """Base of failures where state changed meanwhile or two sides disagree."""

    category = Category.CONFLICT
