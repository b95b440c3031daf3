from __future__ import annotations

import datetime as dt
import json
import os
import random
import stat
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diymasters import files, readme
from diymasters.errors import Category
from diymasters.files import EncodingError
from diymasters.masters import Masters, ReadmeNotLinkedError
from diymasters.model import ArchivedPartError, Curriculum, Domain, Resource, Status
from diymasters.readme import (
    ReadmeConflictError,
    ReadmeDocument,
    ReadmeEmptiedError,
    SyncReport,
    parse_readme,
    parse_text,
    to_curriculum,
)
from diymasters.store import ReadmeSyncedMeanwhileError, Store
from diymasters.template import load_template
from tests import sync_fuzz
from tests.conftest import SHARED, data

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from tests.conftest import Cli

CORPUS = SHARED / "corpus" / "readmes"
CORPUS_FILES = sorted(CORPUS.glob("*.md")) if CORPUS.is_dir() else []
SEED = SHARED / "corpus" / "seed-readme.md"


def corpus_file(name: str) -> Path:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"{path} is absent (../shared is not beside the project)")
    return path


def doc(text: str) -> ReadmeDocument:
    return parse_text(text, "test.md")


def titles(document: ReadmeDocument) -> list[str]:
    return [item.title for item in document.items()]


def byte_differences(before: bytes, after: bytes) -> int:
    assert len(before) == len(after)
    return sum(1 for a, b in zip(before, after, strict=True) if a != b)


# --- Fidelity over the real corpus ----------------------------------------------------------


@pytest.mark.parametrize("path", [*CORPUS_FILES, SEED], ids=lambda p: p.name[:48])
def test_every_corpus_file_round_trips_byte_identical(path: Path) -> None:
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    result = readme.check_file(path)
    assert result.identical is True
    assert result.bytes == path.stat().st_size


def test_the_corpus_is_there_when_shared_is() -> None:
    if not SHARED.is_dir():
        pytest.skip("../shared is absent")
    assert len(CORPUS_FILES) >= 40


def _shape(domain: Domain) -> tuple[object, ...]:
    return (
        domain.name,
        tuple(_resource_shape(r) for r in domain.resources),
        tuple(_shape(d) for d in domain.domains),
    )


def _resource_shape(resource: Resource) -> tuple[object, ...]:
    return (
        resource.title,
        resource.status,
        resource.description,
        tuple(_resource_shape(c) for c in resource.children),
    )


def test_importing_the_seed_gives_the_template(seed_readme: str) -> None:
    curriculum, keys = to_curriculum(parse_text(seed_readme, "seed-readme.md"))
    template = load_template()
    assert [_shape(d) for d in curriculum.domains] == [_shape(d) for d in template.domains]
    assert len(keys) == sum(1 for _ in template.all_resources())
    # The template adds the three courses' own pages, which the README does not link.
    for imported, shipped in zip(curriculum.all_resources(), template.all_resources(), strict=True):
        assert imported.url in {None, shipped.url}
    assert sum(1 for r in curriculum.all_resources() if r.url) == 6


# --- What the parser reads, the way GitHub renders it ----------------------------------------


def test_tasks_in_code_and_html_blocks_are_not_tasks() -> None:
    document = doc(
        "# Plan\n\n- [ ] Real one\n\n```\n- [ ] in a fence\n```\n\n"
        "    - [ ] indented code\n\n<div>\n- [ ] in html\n</div>\n"
    )
    assert titles(document) == ["Real one"]


def test_setext_headings_lazy_lines_and_nesting() -> None:
    document = doc(
        "Maths\n=====\n\n- [ ] [Calculus](https://c.example)\nlazy continuation\n"
        "  - [x] Limits\n    - [ ] Epsilon-delta\n\nStats\n-----\n\n- [ ] Inference\n"
    )
    maths, stats = document.domains
    assert maths.name == "Maths"
    assert stats.name == "Stats"
    (calculus,) = maths.items
    assert calculus.url == "https://c.example"
    assert [c.title for c in calculus.children] == ["Limits"]
    assert [c.title for c in calculus.children[0].children] == ["Epsilon-delta"]


def test_emphasised_line_under_an_item_is_its_description() -> None:
    (item,) = doc("# D\n\n- [ ] [Course](https://x.example)\n  *What it is.*\n").items()
    assert item.description == "What it is."


@pytest.mark.parametrize(
    ("line", "status"),
    [
        ("- [ ] A", Status.TODO),
        ("- [x] A", Status.DONE),
        ("- [X] A", Status.DONE),
        ("* [-] A", Status.IN_PROGRESS),
        ("+ [~] A", Status.IN_PROGRESS),
        ("1. [/] A", Status.IN_PROGRESS),
        ("- [✔️] A", Status.DONE),
        ("- [🚧] A", Status.IN_PROGRESS),
        ("- [] A", Status.TODO),
        ("- [ ] ~~A~~", Status.DROPPED),
        ("- [ ] A 🚧", Status.IN_PROGRESS),
        ("- [ ] A (in progress)", Status.IN_PROGRESS),
        ("> - [x] A", Status.DONE),
    ],
)
def test_status_conventions(line: str, status: Status) -> None:
    (item,) = doc(f"# D\n\n{line}\n").items()
    assert (item.title, item.status) == ("A", status)


def test_hours_beside_an_item_become_its_estimate() -> None:
    (item,) = doc("# D\n\n- [ ] Deep Learning book (60 hrs)\n").items()
    assert (item.title, item.hours) == ("Deep Learning book", 60)


def test_a_link_line_without_a_box_is_a_resource_and_a_bare_line_a_domain() -> None:
    document = doc(
        "# Me\n\n## Curriculum\n\n### Maths\n\n- [x] Algebra\n\n"
        "Statistics\n\nDeep Learning\n\n[Fast.ai](https://course.fast.ai)\n"
    )
    assert [d.name for d in document.domains] == ["Maths", "Statistics", "Deep Learning"]
    (fastai,) = document.domains[2].items
    assert (fastai.title, fastai.marker) == ("Fast.ai", None)


def test_links_outside_the_task_section_are_not_coursework() -> None:
    document = doc(
        "# Me\n\n## About\n\n- [My blog](https://blog.example)\n\n"
        "## Plan\n\n### Maths\n\n- [ ] Algebra\n"
    )
    assert titles(document) == ["Algebra"]


def test_garbage_never_crashes_and_finds_nothing() -> None:
    assert list(doc("").items()) == []
    assert list(doc("\x00\r\r\n[\t]- [").items()) == []


# --- Writing markers back -------------------------------------------------------------------


def test_toggling_k_resources_changes_exactly_k_bytes() -> None:
    path = corpus_file("jwasham__coding-interview-university__README.md")
    data = path.read_bytes()
    document = parse_readme(data, path.name)
    boxed = [item for item in document.items() if item.marker and item.marker.text == " "]
    chosen = random.Random(7).sample(boxed, 25)
    after = document.render({item.key: Status.DONE for item in chosen})
    assert byte_differences(data, after) == 25
    assert len(list(parse_readme(after).items())) == len(list(document.items()))
    done = {item.key for item in parse_readme(after).items() if item.status is Status.DONE}
    assert {item.key for item in chosen} <= done


def test_done_keeps_the_files_own_case() -> None:
    document = doc("# D\n\n- [X] A\n- [ ] B\n- [X] C\n")
    b = next(i for i in document.items() if i.title == "B")
    assert document.edited({b.key: Status.DONE}) == "# D\n\n- [X] A\n- [X] B\n- [X] C\n"


def test_in_progress_uses_the_files_partial_marker_or_leaves_the_box() -> None:
    with_partial = doc("# D\n\n- [-] A\n- [ ] B\n")
    plain = doc("# D\n\n- [ ] B\n")
    b1 = next(i for i in with_partial.items() if i.title == "B")
    b2 = next(iter(plain.items()))
    assert with_partial.edited({b1.key: Status.IN_PROGRESS}) == "# D\n\n- [-] A\n- [-] B\n"
    assert plain.edited({b2.key: Status.IN_PROGRESS}) == plain.text


def test_crlf_bom_and_missing_final_newline_survive_a_write() -> None:
    data = "\ufeff# D\r\n\r\n- [ ] A\r\n- [ ] B".encode()
    document = parse_readme(data)
    a = next(iter(document.items()))
    after = document.render({a.key: Status.DONE})
    assert after == "\ufeff# D\r\n\r\n- [x] A\r\n- [ ] B".encode()


def test_utf16_files_round_trip_and_write_back_as_utf16() -> None:
    data = "\ufeff# D\r\n\r\n- [ ] Ünïcode\r\n".encode("utf-16-le")
    document = parse_readme(data)
    assert document.render() == data
    item = next(iter(document.items()))
    assert document.render({item.key: Status.DONE}).decode("utf-16") == (
        "# D\r\n\r\n- [x] Ünïcode\r\n"
    )


def test_bytes_that_are_not_utf8_name_the_offset() -> None:
    with pytest.raises(EncodingError, match=r"byte 0xff at offset 9"):
        parse_readme(b"# Title\n\n\xff oops\n", "bad.md")


# --- Property tests -------------------------------------------------------------------------

_FRAGMENTS = st.sampled_from(
    [
        "# H\n",
        "Setext\n===\n",
        "- [ ] a\n",
        "  - [x] b\n",
        "* [X] c\n",
        "1. [-] d\n",
        "> - [ ] q\n",
        "```\n- [ ] f\n```\n",
        "    - [ ] i\n",
        "<div>\n- [ ] h\n</div>\n",
        "[link](http://x)\n",
        "Statistics\n",
        "~~s~~\n",
        "\r\n",
        "\r",
        "\t- [ ] t\n",
        "- [✔️] e\n",
        "| a | b |\n|---|---|\n",
        "\n",
        "- \n",
        "[ ]\n",
        "\ufeff",
        "\x00",
    ]
)
_MARKDOWNISH = st.lists(st.one_of(_FRAGMENTS, st.text(max_size=12)), max_size=30).map("".join)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(_MARKDOWNISH)
def test_any_text_round_trips_and_never_crashes(text: str) -> None:
    document = doc(text)
    assert document.edited({}) == text
    assert document.edited({i.key: i.status for i in document.items()}) == text
    to_curriculum(document, "x")


@settings(max_examples=300)
@given(st.binary(max_size=200))
def test_any_bytes_either_round_trip_or_get_a_clear_error(data: bytes) -> None:
    try:
        document = parse_readme(data)
    except EncodingError as error:
        message = str(error)
    else:
        assert document.render() == data
        return
    assert "offset" in message


def _mutations(data: bytes, seed: int) -> Iterator[bytes]:
    rng = random.Random(seed)
    for _ in range(20):
        cut = rng.randrange(len(data) + 1)
        other = rng.randrange(len(data) + 1)
        yield data[:cut] + data[other : other + rng.randrange(200)] + data[cut:]


# Many generated cases through code the other tests cover line by line: traced, it takes
# four times as long and covers nothing more.
@pytest.mark.no_cover
@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_mutated_corpus_files_round_trip(seed: int) -> None:
    if not CORPUS_FILES:
        pytest.skip("../shared is absent")
    path = random.Random(seed).choice(CORPUS_FILES)
    for mutated in _mutations(path.read_bytes(), seed):
        try:
            document = parse_readme(mutated)
        except EncodingError:
            continue
        assert document.render() == mutated


# --- Atomic writes --------------------------------------------------------------------------


# --- Sync: import, write back, merge --------------------------------------------------------

SMALL = (
    "# My masters\n\n## Maths\n\n- [ ] [Calculus](https://c.example)\n"
    "  - [x] Limits\n  - [ ] Series\n- [ ] Algebra\n\n## Code\n\n* [ ] Python\n"
)


@pytest.fixture
def linked(tmp_path: Path) -> tuple[Masters, Path]:
    path = tmp_path / "README.md"
    path.write_bytes(SMALL.encode())
    masters = Masters(Store.open("sqlite://"), today=lambda: dt.date(2026, 11, 25))
    masters.import_readme(path)
    return masters, path


def test_import_links_the_file(linked: tuple[Masters, Path]) -> None:
    masters, path = linked
    curriculum = masters.curriculum()
    assert curriculum.name == "My masters"
    assert [d.name for d in curriculum.domains] == ["Maths", "Code"]
    link = masters.store.readme_link(curriculum.id or 0)
    assert link is not None
    assert link.sha256 == files.sha256(path.read_bytes())
    assert len(link.items) == 5


def test_sync_writes_only_the_changed_marker(linked: tuple[Masters, Path]) -> None:
    masters, path = linked
    masters.set_status("Series", Status.DONE)
    result = masters.sync()
    assert result.written is True
    assert path.read_text() == SMALL.replace("  - [ ] Series", "  - [x] Series")
    assert masters.sync().written is False


def test_dry_run_shows_a_diff_and_writes_nothing(linked: tuple[Masters, Path]) -> None:
    masters, path = linked
    masters.set_status("Algebra", Status.DONE)
    result = masters.sync(dry_run=True)
    assert "-- [ ] Algebra\n+- [x] Algebra\n" in result.diff
    assert path.read_text() == SMALL


def test_the_users_edits_flow_into_the_store(linked: tuple[Masters, Path]) -> None:
    masters, path = linked
    path.write_text(SMALL.replace("* [ ] Python", "* [x] Python") + "* [ ] Rust\n")
    result = masters.sync()
    assert result.edited_since_last_sync is True
    assert result.from_file == ("Python",)
    assert result.added_from_file == ("Rust",)
    statuses = {r.title: r.status for r in masters.curriculum().all_resources()}
    assert statuses["Python"] is Status.DONE
    assert statuses["Rust"] is Status.TODO
    assert masters.sync().from_file == ()


def test_an_item_changed_on_both_sides_is_refused(linked: tuple[Masters, Path]) -> None:
    masters, path = linked
    masters.set_status("Algebra", Status.DONE)
    edited = SMALL.replace("- [ ] Algebra", "- [-] Algebra")
    path.write_text(edited)
    with pytest.raises(ReadmeConflictError, match="'Algebra'"):
        masters.sync()
    assert path.read_text() == edited


def test_the_same_change_on_both_sides_is_no_conflict(linked: tuple[Masters, Path]) -> None:
    masters, path = linked
    masters.set_status("Algebra", Status.DONE)
    path.write_text(SMALL.replace("- [ ] Algebra", "- [x] Algebra"))
    assert masters.sync().to_file == ()


def test_a_resource_added_in_the_app_is_written_in_the_files_style(
    linked: tuple[Masters, Path],
) -> None:
    masters, path = linked
    masters.add(Resource("Go", url="https://go.dev"), domain="Code")
    masters.add(Resource("Integrals"), under="Calculus")
    masters.sync()
    text = path.read_text()
    assert "* [ ] Python\n* [ ] [Go](https://go.dev)\n" in text
    assert "  - [ ] Series\n  - [ ] Integrals\n- [ ] Algebra\n" in text
    assert masters.sync().to_file == ()  # linked now: not inserted twice


def test_a_resource_in_an_empty_domain_goes_under_its_heading(tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_bytes(b"# M\n\n## Maths\n\n- [ ] Algebra\n\nStatistics\n\nDeep Learning\n")
    masters = Masters(Store.open("sqlite://"))
    masters.import_readme(path)
    masters.add(Resource("Think Stats"), domain="Statistics")
    masters.sync()
    assert path.read_text() == (
        "# M\n\n## Maths\n\n- [ ] Algebra\n\nStatistics\n\n- [ ] Think Stats\n\nDeep Learning\n"
    )


def test_add_checkboxes_gives_a_link_line_a_box(tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_bytes(b"# M\n\n## Maths\n\n- [ ] Algebra\n\nDeep Learning\n\n[Fast](https://f.ai)\n")
    masters = Masters(Store.open("sqlite://"))
    masters.import_readme(path)
    masters.set_status("Fast", Status.DONE)
    assert "no checkbox" in masters.sync().notes[0]
    masters.sync(add_checkboxes=True)
    assert path.read_text().endswith("Deep Learning\n\n- [x] [Fast](https://f.ai)\n")


def test_autosync_writes_after_a_status_change(linked: tuple[Masters, Path]) -> None:
    masters, path = linked
    masters.set_autosync(enabled=True)
    synced = masters.set_status("Algebra", Status.DONE).readme
    assert isinstance(synced, SyncReport)
    assert synced.written is True
    assert "- [x] Algebra" in path.read_text()


@pytest.mark.parametrize("emptied", [b"", b"abc\x00def\n", b"# Just a title\n"])
def test_a_sync_refuses_a_readme_emptied_of_items_and_archives_nothing(
    linked: tuple[Masters, Path], emptied: bytes
) -> None:
    """An emptied file archived every resource, and restoring it added each one again."""
    masters, path = linked
    before = masters.status()
    path.write_bytes(emptied)
    with pytest.raises(ReadmeEmptiedError, match="holds no resources now") as refused:
        masters.sync()
    assert refused.value.category is Category.CONFLICT
    assert path.read_bytes() == emptied
    path.write_text(SMALL)
    assert masters.sync().written is False
    assert masters.status() == before


def test_a_readme_larger_than_any_curriculum_is_refused_before_it_is_read(
    tmp_path: Path,
) -> None:
    """A 50 MB list took six minutes to import, and no export could read the store after."""
    path = tmp_path / "README.md"
    line = b"- [ ] An item of a list far longer than any masters\n"
    path.write_bytes(b"# Huge\n\n## Domain\n\n" + line * (files.MAX_README_BYTES // len(line) + 1))
    masters = Masters(Store.open("sqlite://"))
    with pytest.raises(files.ReadmeTooLargeError, match="larger than 2 MiB") as refused:
        masters.import_readme(path)
    assert refused.value.category is Category.LIMIT_EXCEEDED
    assert masters.curricula().curricula == ()
    with pytest.raises(files.ReadmeTooLargeError):
        readme.check_file(path)


def test_sync_on_an_unlinked_curriculum_says_it_is_not_ready(masters: Masters) -> None:
    with pytest.raises(ReadmeNotLinkedError, match="has no linked README") as refused:
        masters.sync()
    assert refused.value.category is Category.NOT_READY


def test_import_refuses_a_non_utf8_file_and_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_bytes(b"# M\n\n- [ ] \xe9t\xe9\n")
    masters = Masters(Store.open("sqlite://"))
    with pytest.raises(EncodingError, match="byte 0xe9 at offset 11"):
        masters.import_readme(path)
    assert masters.store.curriculum_names() == []


def test_to_curriculum_marks_parents_as_specialisations() -> None:
    curriculum, _ = to_curriculum(doc(SMALL))
    assert isinstance(curriculum, Curriculum)
    calculus = curriculum.domains[0].resources[0]
    assert calculus.kind.value == "specialisation"
    assert os.sep not in curriculum.name


# --- Reliability: nothing the learner wrote is lost or misreported (issue 13) -------------


def imported(tmp_path: Path, text: str) -> tuple[Masters, Path]:
    path = tmp_path / "README.md"
    path.write_bytes(text.encode())
    masters = Masters(Store.open("sqlite://"), today=lambda: dt.date(2026, 12, 2))
    masters.import_readme(path)
    return masters, path


def statuses(masters: Masters) -> dict[str, Status]:
    return {r.title: r.status for r in masters.curriculum().all_resources()}


def test_a_tick_is_written_visibly_where_empty_boxes_are_brackets(tmp_path: Path) -> None:
    masters, path = imported(tmp_path, "- [] a\n- [] b\n- [x] c\n")
    masters.set_status("a", Status.DONE)
    assert masters.sync().written is True
    assert path.read_text() == "- [x] a\n- [] b\n- [x] c\n"


def test_a_tick_uses_the_files_own_done_marker(tmp_path: Path) -> None:
    text = corpus_file("MichaelCade__90DaysOfDevOps__README@63dc4a7.md").read_text()
    masters, path = imported(tmp_path, text)
    todo = next(i for i in doc(text).items() if i.marker and i.marker.text == "")
    assert todo.marker is not None
    masters.set_status(todo.title, Status.DONE)
    assert masters.sync().written is True
    at = todo.marker.start
    assert path.read_text() == text[:at] + "✔️" + text[at:]


def test_a_tick_in_the_file_wins_over_progress_the_file_cannot_show(tmp_path: Path) -> None:
    masters, path = imported(tmp_path, "# M\n\n## Maths\n\n- [ ] Computational\n- [ ] Other\n")
    masters.log("Computational", 2)
    assert statuses(masters)["Computational"] is Status.IN_PROGRESS
    assert masters.sync().written is False  # no partial box in this file: it keeps [ ]
    path.write_text(path.read_text().replace("[ ] Computational", "[x] Computational"))
    result = masters.sync()
    assert result.from_file == ("Computational",)
    assert statuses(masters)["Computational"] is Status.DONE


def sync_killed_before_the_store_records_it(
    masters: Masters, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sync that renamed the README into place and then died."""

    def crash(_changes: object) -> list[int]:
        raise SystemExit(9)

    with monkeypatch.context() as patched:
        patched.setattr(masters.store, "apply", crash)
        with pytest.raises(SystemExit):
            masters.sync()


def test_a_rerun_after_a_crash_between_rename_and_commit_finishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README was renamed into place; the store never recorded it."""
    masters, path = imported(tmp_path, "# M\n\n## Maths\n\n- [x] Algebra\n- [ ] Series\n")
    masters.set_status("Algebra", Status.DROPPED)  # the file can only show [ ]
    masters.set_status("Series", Status.DONE)
    masters.add(Resource("Topology"), domain="Maths")
    sync_killed_before_the_store_records_it(masters, monkeypatch)
    written = path.read_text()
    assert written == "# M\n\n## Maths\n\n- [ ] Algebra\n- [x] Series\n- [ ] Topology\n"
    assert masters.sync(dry_run=True).diff == ""
    result = masters.sync()
    assert (result.written, result.from_file, result.added_from_file) == (False, (), ())
    assert path.read_text() == written
    assert statuses(masters) == {
        "Algebra": Status.DROPPED,
        "Series": Status.DONE,
        "Topology": Status.TODO,
    }
    assert masters.sync().to_file == ()


def test_a_table_of_contents_is_not_coursework() -> None:
    text = (
        "# Plan\n\n## Contents\n\n- [Endianness](#endianness)\n  - [Heaps](#heaps)\n\n"
        "## Endianness\n\n- [ ] [Big and little](https://e.example)\n\n[Top](#plan)\n"
    )
    assert titles(doc(text)) == ["Big and little"]
    assert [d.name for d in doc(text).domains] == ["Endianness"]


def test_an_item_gone_from_the_readme_is_archived_and_can_come_back(tmp_path: Path) -> None:
    masters, path = imported(tmp_path, SMALL)
    masters.log("Algebra", 3)
    path.write_text(SMALL.replace("- [ ] Algebra\n", "").replace("  - [ ] Series\n", ""))
    result = masters.sync()
    assert sorted(result.archived) == ["Algebra", "Series"]
    curriculum = masters.curriculum()
    assert "Algebra" not in statuses(masters)
    assert [r.title for r in curriculum.archived] == ["Series", "Algebra"]
    report = data(masters.status())
    assert report["overall"]["hours_logged"] == 0
    assert {e["title"]: e["hours_logged"] for e in report["archived"]} == {
        "Series": 0,
        "Algebra": 3,
    }
    assert masters.sync().archived == ()  # archived once
    masters.restore("Algebra")
    assert masters.sync().to_file == ("Algebra",)
    assert "  - [x] Limits\n- [ ] Algebra\n" in path.read_text()
    assert statuses(masters)["Algebra"] is Status.IN_PROGRESS
    masters.remove("Series")
    assert masters.curriculum().archived == ()


def test_a_read_only_readme_is_refused(tmp_path: Path) -> None:
    masters, path = imported(tmp_path, SMALL)
    masters.set_status("Algebra", Status.DONE)
    path.chmod(0o444)
    with pytest.raises(files.FileAccessError, match="read-only"):
        masters.sync()
    assert path.read_text() == SMALL
    assert stat.S_IMODE(path.stat().st_mode) == 0o444


# Many generated cases through code the other tests cover line by line: traced, it takes
# four times as long and covers nothing more.
@pytest.mark.no_cover
@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(sync_fuzz.cases())
def test_a_sync_changes_exactly_the_changed_markers_in_every_convention(
    case: sync_fuzz.Case,
) -> None:
    """`[]`, `[✔️]`, `[-]`, CRLF, tabs: the longer run is benchmarks/sync_fuzz.py."""
    sync_fuzz.check(case)


def test_the_everyday_log_then_tick_workflow_has_no_conflict(
    cli: Cli, tmp_path: Path, seed_readme: str
) -> None:
    path = tmp_path / "README.md"
    path.write_text(seed_readme, encoding="utf-8")
    assert cli("import", str(path)).returncode == 0
    assert cli("log", "Computational", "2h").returncode == 0
    assert "up to date" in cli("sync").stdout  # in progress: the file keeps [ ]
    text = path.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if "Computational" in x and "[ ]" in x)
    path.write_text(text.replace(line, line.replace("[ ]", "[x]", 1)), encoding="utf-8")
    synced = cli("sync")
    assert synced.returncode == 0, synced.stderr
    assert "From the README: Computational" in synced.stdout
    shown = json.loads(cli("show", "Computational", "--json").stdout)
    assert (shown["own_status"], shown["hours_logged"]) == ("done", 2.0)


def test_a_table_of_contents_never_takes_a_tick_meant_for_its_topic(cli: Cli) -> None:
    path = corpus_file("jwasham__coding-interview-university__README.md")
    document = parse_readme(path.read_bytes())
    assert not [i.title for i in document.items() if i.url and i.url.startswith("#")]
    assert cli("import", str(path)).returncode == 0
    endianness = cli("done", "Endianness")
    assert endianness.returncode == 2
    assert "no resource matches 'Endianness'" in endianness.stderr


# --- The file's structure: nesting, sections and same-titled items ---------------------------


def tree(masters: Masters) -> list[str]:
    lines = []

    def walk(resource: Resource, depth: int) -> None:
        lines.append("  " * depth + resource.title)
        for child in resource.children:
            walk(child, depth + 1)

    for domain in masters.curriculum().all_domains():
        lines.append(f"# {domain.name}")
        for resource in domain.resources:
            walk(resource, 1)
    return lines


@pytest.mark.parametrize(
    ("before", "after", "nested"),
    [
        ("- [ ] X\n  - [ ] A\n    - [ ] B\n", "- [ ] X\n  - [ ] B\n    - [ ] A\n", ["X", "B", "A"]),
        ("- [ ] A\n  - [ ] B\n    - [ ] C\n", "- [ ] C\n  - [ ] B\n    - [ ] A\n", ["C", "B", "A"]),
    ],
)
def test_nesting_turned_inside_out_is_followed(
    tmp_path: Path, before: str, after: str, nested: list[str]
) -> None:
    masters, path = imported(tmp_path, f"## S\n\n{before}")
    path.write_text(f"## S\n\n{after}")
    masters.sync()
    assert tree(masters) == ["# S", *("  " * (n + 1) + t for n, t in enumerate(nested))]
    assert masters.sync().written is False


def test_a_new_part_of_an_item_that_left_the_readme_goes_with_it(tmp_path: Path) -> None:
    masters, path = imported(tmp_path, "## S\n\n- [ ] A\n- [ ] Z\n")
    masters.add(Resource("B"), under="A")
    path.write_text("## S\n\n- [ ] Z\n")
    assert masters.sync().archived == ("A",)
    assert path.read_text() == "## S\n\n- [ ] Z\n"
    assert [[c.title for c in r.children] for r in masters.curriculum().archived] == [["B"]]


def test_deleting_one_of_two_same_titled_items_archives_that_one(tmp_path: Path) -> None:
    text = "# M\n\n## Maths\n\n- [ ] Exercises\n\n## Code\n\n- [x] Exercises\n"
    masters, path = imported(tmp_path, text)
    code = masters.curriculum().domains[1].resources[0]
    masters.log(f"#{code.id}", 5)
    path.write_text(text.replace("- [ ] Exercises\n", ""))
    result = masters.sync()
    assert (result.archived, result.from_file) == (("Exercises",), ())
    curriculum = masters.curriculum()
    assert [r.id for r in curriculum.archived] != [code.id]
    assert data(masters.status())["overall"]["hours_logged"] == 5
    assert data(masters.show(f"#{code.id}"))["own_status"] == "done"


def test_a_rerun_after_a_crash_keeps_what_was_done_since(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    masters, path = imported(tmp_path, "# M\n\n## Maths\n\n- [ ] Algebra\n")
    masters.add(Resource("Topology"), domain="Maths")
    sync_killed_before_the_store_records_it(masters, monkeypatch)
    masters.log("Topology", 3)
    masters.set_status("Topology", Status.DONE)
    masters.sync()
    assert statuses(masters)["Topology"] is Status.DONE
    assert "- [x] Topology\n" in path.read_text()


def test_sections_of_the_same_name_are_told_apart(tmp_path: Path) -> None:
    text = (
        "# M\n\n## Maths\n\n### Reading\n\n- [ ] a\n  - [ ] a1\n\n"
        "## Code\n\n### Reading\n\n- [ ] b\n"
    )
    masters, path = imported(tmp_path, text)
    path.write_text(
        text.replace("  - [ ] a1\n", "- [ ] a1\n").replace("- [ ] b\n", "- [ ] b\n- [ ] b2\n")
    )
    masters.sync()
    assert tree(masters) == [
        "# Maths", "# Reading", "  a", "  a1", "# Code", "# Reading", "  b", "  b2",
    ]  # fmt: skip


def test_a_part_of_an_archived_resource_is_restored_with_it(tmp_path: Path) -> None:
    masters, path = imported(tmp_path, "## S\n\n- [ ] A\n  - [ ] B\n- [ ] Z\n")
    path.write_text("## S\n\n- [ ] Z\n")
    masters.sync()
    with pytest.raises(ArchivedPartError, match="part of 'A'; restore 'A'"):
        masters.restore("B")
    masters.restore("A")
    masters.sync()
    assert path.read_text() == "## S\n\n- [ ] Z\n- [ ] A\n  - [ ] B\n"


def test_two_syncs_at_once_take_a_new_line_in_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "README.md"
    path.write_text("## S\n\n- [ ] A\n")
    url = f"sqlite:///{tmp_path / 's.db'}"
    first, second = Masters(Store.open(url)), Masters(Store.open(url))
    first.import_readme(path)
    path.write_text("## S\n\n- [ ] A\n- [ ] New\n")
    # The second sync has read the store and the file when the first records its own.
    planned = second.curriculum()
    read_link = second.store.readme_link(planned.id or 0)
    first.sync()
    with monkeypatch.context() as patched:
        patched.setattr(second.store, "load", lambda _name=None: planned)
        patched.setattr(second.store, "readme_link", lambda _id: read_link)
        with pytest.raises(ReadmeSyncedMeanwhileError, match="sync again"):
            second.sync()
    assert [r.title for r in Masters(Store.open(url)).curriculum().all_resources()] == [
        "A",
        "New",
    ]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("- [ ] Quicksort\n", "- [ ] [Quicksort](https://q.example)\n"),
        ("- [ ] Parity:\n", "- [ ] Parity: https://www.youtube.com/watch?v=DdMcAUlxh1M\n"),
        ("- [ ] [Heaps](https://h.example)\n", "- [ ] [Binary heaps](https://h.example)\n"),
        ("- [ ] Red-black trees\n", "- [ ] Red-black tree\n"),
    ],
)
def test_an_item_edited_in_the_readme_keeps_its_history(
    tmp_path: Path, before: str, after: str
) -> None:
    masters, path = imported(tmp_path, f"## Topics\n\n- [ ] Other\n{before}")
    (resource,) = [r for r in masters.curriculum().all_resources() if r.title != "Other"]
    masters.log(f"#{resource.id}", 2)
    path.write_text(f"## Topics\n\n- [ ] Other\n{after}")
    result = masters.sync()
    assert (result.archived, result.added_from_file) == ((), ())
    edited = data(masters.show(f"#{resource.id}"))
    (item,) = list(doc(after).items())
    assert (edited["title"], edited["url"], edited["hours_logged"]) == (item.title, item.url, 2)
    assert masters.sync().notes == ()


def test_an_item_moved_to_another_section_moves_there(tmp_path: Path) -> None:
    text = "# M\n\n## Maths\n\n- [ ] Heap sort\n- [ ] Algebra\n\n## Code\n\n- [ ] Python\n"
    masters, path = imported(tmp_path, text)
    path.write_text(
        text.replace("- [ ] Heap sort\n", "").replace(
            "- [ ] Python\n", "- [ ] Python\n- [ ] Heap sort\n"
        )
    )
    masters.sync()
    assert tree(masters) == ["# Maths", "  Algebra", "# Code", "  Python", "  Heap sort"]
    assert masters.sync().written is False
    assert tree(masters)[-1] == "  Heap sort"


def test_a_restored_part_comes_back_in_sight(tmp_path: Path) -> None:
    """Archived on its own, then its parent too: restoring it puts it at the top."""
    masters, path = imported(tmp_path, "## S\n\n- [ ] A\n  - [ ] B\n  - [ ] C\n- [ ] Z\n")
    path.write_text("## S\n\n- [ ] A\n  - [ ] C\n- [ ] Z\n")
    masters.sync()
    path.write_text("## S\n\n- [ ] Z\n")
    masters.sync()
    masters.restore("B")
    assert tree(masters) == ["# S", "  Z", "  B"]
    masters.sync()
    assert path.read_text() == "## S\n\n- [ ] Z\n- [ ] B\n"


def test_restoring_where_the_readme_has_no_section_says_so(tmp_path: Path) -> None:
    masters, path = imported(tmp_path, "# M\n\n## Videos\n\n- [ ] Talk\n\n## Books\n\n- [ ] SICP\n")
    path.write_text("# M\n\n## Books\n\n- [ ] SICP\n")
    masters.sync()
    restored = masters.restore("Talk")
    assert restored.unwritten is not None
    assert "no section in the README" in restored.unwritten
    assert masters.sync().unwritten == ("Talk",)


def test_a_box_unticked_in_diymasters_takes_the_files_own_to_do_marker(tmp_path: Path) -> None:
    masters, path = imported(tmp_path, "- [] a\n- [] b\n- [x] c\n")
    masters.set_status("c", Status.TODO)
    masters.sync()
    assert path.read_text() == "- [] a\n- [] b\n- [] c\n"
