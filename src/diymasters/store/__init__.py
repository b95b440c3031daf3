"""The store: the only package that speaks SQL.

SQLite by default (a file under the user's data directory), any SQLAlchemy URL by choice.
The schema is owned by the Alembic scripts in `diymasters/migrations`, applied on open, so
an installed wheel upgrades its own database. WAL mode and a busy timeout let the CLI and
the web UI share one file.

The modules, from the bottom: `engine` (opening a database and migrating it), `tables` (the
tables the queries use), `curricula` (a curriculum inserted and built back whole),
`changes` (applying a command's changes), `postings`, `plans` and `study` (what is kept of
postings, targets, plans and study sessions under way), `export` (everything read out as
typed records, and put back into an empty store), and `facade` (the `Store` every other
module calls).
"""

from __future__ import annotations

from diymasters.store.changes import (
    MoveIntoItselfError,
    ReadmeSyncedMeanwhileError,
    ResourceGoneError,
)
from diymasters.store.curricula import (
    CurriculumExistsError,
    CurriculumNotFoundError,
    FollowedUpstream,
)
from diymasters.store.engine import (
    BUSY_TIMEOUT_MS,
    SCHEMA_HEAD,
    StoreError,
    alembic_config,
    database_url,
    default_url,
    make_engine,
    migrate,
)
from diymasters.store.export import (
    ExportedCurriculum,
    ExportedDomain,
    ExportedEntry,
    ExportedReadme,
    ExportedResource,
    ExportedStudy,
    ExportedTarget,
    ExportedTargetSkill,
    StoreContents,
    StoreNotEmptyError,
)
from diymasters.store.facade import BackupNotSupportedError, Store
from diymasters.store.plans import PlanNotFoundError, SavedPlan
from diymasters.store.postings import (
    SavedPostings,
    SavedTarget,
    StoredPosting,
    TargetNotFoundError,
)
from diymasters.store.study import StudyEndedError, StudySession, StudyUnderWayError
from diymasters.store.tables import metadata

__all__ = [
    "BUSY_TIMEOUT_MS",
    "SCHEMA_HEAD",
    "BackupNotSupportedError",
    "CurriculumExistsError",
    "CurriculumNotFoundError",
    "ExportedCurriculum",
    "ExportedDomain",
    "ExportedEntry",
    "ExportedReadme",
    "ExportedResource",
    "ExportedStudy",
    "ExportedTarget",
    "ExportedTargetSkill",
    "FollowedUpstream",
    "MoveIntoItselfError",
    "PlanNotFoundError",
    "ReadmeSyncedMeanwhileError",
    "ResourceGoneError",
    "SavedPlan",
    "SavedPostings",
    "SavedTarget",
    "Store",
    "StoreContents",
    "StoreError",
    "StoreNotEmptyError",
    "StoredPosting",
    "StudyEndedError",
    "StudySession",
    "StudyUnderWayError",
    "TargetNotFoundError",
    "alembic_config",
    "database_url",
    "default_url",
    "make_engine",
    "metadata",
    "migrate",
]
