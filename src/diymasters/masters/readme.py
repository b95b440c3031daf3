"""The README round trip: importing a learner's README, syncing it, and following its upstream.

A curriculum imported from a README stays linked to the file: a sync writes progress back in
the file's own style and takes in the learner's edits, and autosync (turned on here, run by
tracking after each change) does so after every change. A README copied from a curated list
can follow it: what the curators changed since, and a three-way merge that keeps every mark
and edit of the learner's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from diymasters import files, readme
from diymasters.errors import NotReadyError
from diymasters.masters.base import Part
from diymasters.masters.plans import DEFAULT_PLAN
from diymasters.model import Curriculum, ExpectReadme, LinkReadme, ReadmeLink, stored_id
from diymasters.readme import AutosyncReport, ImportReport, SyncReport, upstream
from diymasters.readme.block import (
    BlockEdit,
    Finish,
    block_outcome,
    block_span,
    edit_block,
    render_block,
)
from diymasters.store import FollowedUpstream, PlanNotFoundError
from diymasters.tracking import progress_report


class ReadmeNotLinkedError(NotReadyError):
    """The curriculum has no README to sync with."""

    def __init__(self, name: str) -> None:
        """Name the curriculum."""
        super().__init__(f"{name!r} has no linked README")


class NotFollowingError(NotReadyError):
    """The README follows no upstream yet."""

    def __init__(self) -> None:
        """Say what is missing."""
        super().__init__("the README follows no upstream")


class ReadmePart(Part):
    """The README linked to the curriculum, and the curated README it may follow."""

    def import_readme(self, path: Path, name: str | None = None) -> ImportReport:
        """Create a curriculum from a README, link it to the file, and use it from now on."""
        data = files.read_readme(path)
        document = readme.parse_readme(data, str(path))
        curriculum, keys = readme.to_curriculum(document, name)
        location = str(path.resolve())
        stored, previous = self._create(
            curriculum,
            path.name,
            readme=(location, files.sha256(data)),
            keys=keys,
            reads="resources are its list items; tables and prose are not read",
        )
        return ImportReport(
            curriculum=stored.name,
            path=location,
            domains=sum(1 for _ in stored.all_domains()),
            resources=len(keys),
            checkboxes=sum(1 for item in document.items() if item.marker is not None),
            conventions=dict(document.conventions),
            previous=previous,
        )

    def sync(self, *, dry_run: bool = False, add_checkboxes: bool = False) -> SyncReport:
        """Write progress to the linked README and take in the user's edits to it."""
        return self._sync("keep", dry_run=dry_run, add_checkboxes=add_checkboxes)

    def add_progress_block(self, *, dry_run: bool = False) -> SyncReport:
        """Sync, and put the progress block under the README's title; later syncs keep it."""
        return self._sync("add", dry_run=dry_run)

    def remove_progress_block(self, *, dry_run: bool = False) -> SyncReport:
        """Sync, and take the progress block out of the README."""
        return self._sync("remove", dry_run=dry_run)

    def _sync(
        self, block_edit: BlockEdit, *, dry_run: bool, add_checkboxes: bool = False
    ) -> SyncReport:
        """The sync; then the block, from the progress the sync has left in the store."""
        curriculum = self.curriculum()
        link = self._link(curriculum)
        path = Path(link.path)
        data = files.read_readme(path)
        digest = files.sha256(data)
        document = readme.parse_readme(data, link.path)
        readme.check_not_emptied(document, link)
        newline = document.style.newline
        edit_block(block_edit, document.text, "", link.path, newline)  # refused before any write
        plan = readme.plan_sync(
            document, curriculum, link, self.today(), add_checkboxes=add_checkboxes
        )
        if plan.conflicts:
            raise readme.ReadmeConflictError(plan.conflicts)
        text = document.edited(plan.statuses, plan.insertions, plan.parts)
        if dry_run:
            final = edit_block(
                block_edit, text, self._progress_block(curriculum, newline), link.path, newline
            )
            return SyncReport.of(
                plan,
                path=link.path,
                edited=digest != link.sha256,
                dry_run=True,
                diff=files.unified_diff(document.text, final, path.name),
                block=block_outcome(block_edit, text, final, link.path),
            )
        new_data = document.encoding.encode(text)
        if new_data != data:
            files.write_atomically(path, new_data, digest)
        after = readme.parse_text(text, link.path, document.encoding)
        assert curriculum.id is not None  # noqa: S101 (loaded from the store)
        # Resources added from the file carry their links in their own AddResource change.
        self.store.apply(
            [
                ExpectReadme(curriculum.id, link.sha256),
                *plan.changes,
                *readme.link_changes(document, after, plan, link),
                LinkReadme(curriculum.id, link.path, files.sha256(new_data), link.autosync),
            ]
        )
        final, final_data = self._write_block(block_edit, text, new_data, link, document)
        return SyncReport.of(
            plan,
            path=link.path,
            edited=digest != link.sha256,
            dry_run=False,
            diff=files.unified_diff(document.text, final, path.name),
            block=block_outcome(block_edit, text, final, link.path),
            written=final_data != data,
        )

    def _write_block(
        self,
        block_edit: BlockEdit,
        text: str,
        written: bytes,
        link: ReadmeLink,
        document: readme.ReadmeDocument,
    ) -> tuple[str, bytes]:
        """Rewrite the block from the progress now stored: the text and bytes the file ends with."""
        if block_edit == "keep" and block_span(text, link.path) is None:
            return text, written
        curriculum = self.curriculum()
        newline = document.style.newline
        final = edit_block(
            block_edit, text, self._progress_block(curriculum, newline), link.path, newline
        )
        final_data = document.encoding.encode(final)
        if final_data == written:
            return final, written
        files.write_atomically(Path(link.path), final_data, files.sha256(written))
        curriculum_id = stored_id(curriculum)
        self.store.apply(
            [
                ExpectReadme(curriculum_id, files.sha256(written)),
                LinkReadme(curriculum_id, link.path, files.sha256(final_data), link.autosync),
            ]
        )
        return final, final_data

    def _progress_block(self, curriculum: Curriculum, newline: str) -> str:
        """The block as the curriculum and its saved plan stand."""
        try:
            saved = self._saved_plan(curriculum, DEFAULT_PLAN).report
        except PlanNotFoundError:
            finish = None
        else:
            finish = Finish(saved.finish, saved.hours_per_week)
        return render_block(progress_report(curriculum, resources=False), finish, newline)

    def set_autosync(self, *, enabled: bool) -> AutosyncReport:
        """Turn on (or off) writing the README after every status change."""
        curriculum = self.curriculum()
        link = self._link(curriculum)
        assert curriculum.id is not None  # noqa: S101 (loaded from the store)
        self.store.apply([LinkReadme(curriculum.id, link.path, link.sha256, enabled)])
        return AutosyncReport(path=link.path, autosync=enabled, changed=link.autosync != enabled)

    def readme_path(self) -> str | None:
        """The README the curriculum is linked to, if any."""
        link = self._readme_link(self.curriculum())
        return link.path if link else None

    def _link(self, curriculum: Curriculum) -> ReadmeLink:
        link = self._readme_link(curriculum)
        if link is None:
            raise ReadmeNotLinkedError(curriculum.name)
        return link

    # --- Following a curated README upstream ----------------------------------------------

    def follow(
        self, location: Path, ref: str | None = None, base: str | None = None
    ) -> upstream.FollowReport:
        """Record where the linked README came from, and the upstream version it is based on.

        `base` is a file or (for a git upstream) a commit holding the upstream text the copy
        started from. Without it, the copy itself with every box emptied stands in: right when
        only boxes were ticked, and after the first merge the base is exact.
        """
        curriculum = self.curriculum()
        link = self._link(curriculum)
        source = str(location.resolve())
        current = upstream.read_upstream(source, ref)  # fail now if it cannot be read
        if base is None:
            base_text = upstream.unticked(files.decode(files.read_readme(Path(link.path)))[0])
            based_on = "your README with its boxes emptied"
        elif Path(base).is_file():
            base_text, based_on = upstream.read_upstream(str(Path(base).resolve())), base
        else:
            base_text, based_on = upstream.read_upstream(source, base), f"{source} at {base}"
        self.store.save_upstream(
            stored_id(curriculum),
            FollowedUpstream(
                source, ref, base_text, dt.datetime.now(dt.UTC).replace(microsecond=0)
            ),
        )
        changes = upstream.diff(base_text, current)
        return upstream.FollowReport(
            upstream=source, ref=ref, based_on=based_on, changes=len(changes)
        )

    def upstream_diff(self) -> upstream.UpstreamDiff:
        """What the curators changed since the version the README is based on."""
        followed = self._followed()
        current = upstream.read_upstream(followed.location, followed.ref)
        return upstream.UpstreamDiff(
            upstream=followed.location,
            ref=followed.ref,
            changes=tuple(upstream.diff(followed.base, current)),
        )

    def upstream_merge(
        self,
        *,
        dry_run: bool = False,
        take: upstream.Take | None = None,
        choices: dict[int, upstream.Take] | None = None,
    ) -> upstream.MergeReport:
        """Apply upstream's changes to the README, keeping every mark and edit of yours.

        Conflicts stop the merge before anything is written, unless `take` chooses a side for
        all of them or `choices` one for each, by the line of yours where it starts.
        The merged file is written only if it is still the file that was read; then the
        curriculum takes in its new and removed items, and upstream's text becomes the base.
        """
        curriculum = self.curriculum()
        link, followed = self._link(curriculum), self._followed()
        path = Path(link.path)
        data = files.read_readme(path)
        mine, encoding = files.decode(data, link.path)
        current = upstream.read_upstream(followed.location, followed.ref)
        merged = upstream.merge(followed.base, mine, current, take, choices)
        if merged.conflicts:
            raise upstream.MergeConflictError(merged.conflicts)
        result = upstream.MergeReport(
            path=link.path,
            upstream=followed.location,
            dry_run=dry_run,
            written=False,
            changes=merged.changes,
            marks_kept=merged.marks_kept,
            marks_on_surviving=merged.marks_on_surviving,
            marks_on_unboxed=merged.marks_on_unboxed,
            marks_on_removed=merged.marks_on_removed,
            diff=files.unified_diff(mine, merged.text, path.name),
        )
        if dry_run:
            return result
        written = merged.text != mine
        if written:
            files.write_atomically(path, encoding.encode(merged.text), files.sha256(data))
        self.store.save_upstream(
            stored_id(curriculum),
            dataclasses.replace(
                followed, base=current, updated=dt.datetime.now(dt.UTC).replace(microsecond=0)
            ),
        )
        return dataclasses.replace(result, written=written, sync=self.sync().summary())

    def _followed(self) -> FollowedUpstream:
        followed = self.store.load_upstream(stored_id(self.curriculum()))
        if followed is None:
            raise NotFollowingError
        return followed
