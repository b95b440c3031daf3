from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import os
import time
from typing import TYPE_CHECKING

import pytest

from diymasters.postings import (
    _JSON_NESTING,
    FileRead,
    LimitExceededError,
    Limits,
    NotTextError,
    PassedOver,
    Posting,
    PostingsError,
    ReadIndex,
    ReadReport,
    SeenHashes,
    _loads,
    collapse_duplicates,
    content_digest,
    read_path,
    read_posting,
    read_stream,
    read_text,
    redact,
    role_of,
    size_text,
    strip_html,
)
from diymasters.skills import extract
from diymasters.store import SavedPostings, Store, StoredPosting

if TYPE_CHECKING:
    from pathlib import Path


def test_csv_columns_are_found_by_their_usual_names(tmp_path: Path) -> None:
    (tmp_path / "jobs.csv").write_text(
        "Job Title,Job Description,posted_at\nData Scientist,Python and SQL,2024-03-01\n",
        encoding="utf-8",
    )
    report = ReadReport()
    (posting,) = read_path(tmp_path / "jobs.csv", report=report)
    assert (posting.title, posting.text, posting.posted) == (
        "Data Scientist",
        "Python and SQL",
        dt.date(2024, 3, 1),
    )
    assert report.columns[str(tmp_path / "jobs.csv")] == {
        "text": "Job Description",
        "title": "Job Title",
        "date": "posted_at",
    }


def test_google_style_split_columns_become_sections(tmp_path: Path) -> None:
    (tmp_path / "g.csv").write_text(
        "Title,Responsibilities,Minimum Qualifications,Preferred Qualifications\n"
        "ML Engineer,Ship models,BS in CS,PhD\n",
        encoding="utf-8",
    )
    (posting,) = read_path(tmp_path / "g.csv")
    assert posting.text.splitlines() == [
        "Responsibilities:",
        "Ship models",
        "",
        "Minimum Qualifications:",
        "BS in CS",
        "",
        "Preferred Qualifications:",
        "PhD",
    ]


def test_a_posting_stored_as_a_list_of_its_lines_is_read_as_those_lines(tmp_path: Path) -> None:
    """LinkedIn's scraped postings are Python lists of lines: their headings count again."""
    lines = [
        "About Acme",
        "Acme builds Kafka tools.",
        "\xa0",
        "Requirements",
        "Python, it's a must",
    ]
    broken = "['About Acme', 'Acme builds Kafka"
    with (tmp_path / "l.csv").open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(
            [["title", "description"], ["Analyst", repr(lines)], ["Analyst", broken]]
        )
    listed, unlisted = read_path(tmp_path / "l.csv")
    assert listed.text.splitlines() == [
        "About Acme",
        "Acme builds Kafka tools.",
        "",
        "Requirements",
        "Python, it's a must",
    ]
    assert unlisted.text == broken
    # Known by the hash of the list as stored, as stores made before this reading know it.
    assert listed.content_hash == content_digest(repr(lines))
    assert [m.skill.name for m in extract(listed.text)] == ["Python"]


def test_a_missing_column_is_named_with_the_ones_there_are(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(PostingsError, match="no text column among a, b"):
        list(read_path(tmp_path / "x.csv"))
    with pytest.raises(PostingsError, match="no column 'body'"):
        list(read_path(tmp_path / "x.csv", column="body"))


def test_json_lines_json_dumps_html_and_front_matter(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(
        json.dumps({"id": 7, "text": "Rust"}) + "\n", encoding="utf-8"
    )
    (tmp_path / "b.json").write_text(
        json.dumps({"jobs": [{"text": "<p>Go &amp; Kafka</p>", "time": 1767225600}]}),
        encoding="utf-8",
    )
    (tmp_path / "c.md").write_text(
        "---\ntitle: Python Developer\ncreated: 2017-01-27\n---\n# Overview\nDjango\n",
        encoding="utf-8",
    )
    postings = {p.text.strip(): p for p in read_path(tmp_path)}
    assert set(postings) == {"Rust", "Go & Kafka", "# Overview\nDjango"}
    assert postings["Rust"].id.endswith("#7")
    assert postings["Go & Kafka"].posted == dt.date(2026, 1, 1)
    assert postings["# Overview\nDjango"].title == "Python Developer"


def test_html_is_stripped_to_lines() -> None:
    assert strip_html("<ul><li>SQL</li><li>R&amp;D</li></ul>").split() == ["SQL", "R&D"]


def test_plain_text_with_angle_brackets_is_kept() -> None:
    text = "Python: if 1 < 2 && x > y, or C++ templates like vector <int>"
    assert strip_html(text) == text.replace("<int>", " ")


def test_near_duplicates_collapse() -> None:
    postings = [
        Posting("Senior   Data Scientist.\nPython!", "1", "s"),
        Posting("<p>senior data scientist python</p>", "2", "s"),
        Posting("Data engineer", "3", "s"),
    ]
    kept, collapsed = collapse_duplicates(postings)
    assert [p.id for p in kept] == ["1", "3"]
    assert collapsed == 1


@pytest.mark.parametrize(
    ("title", "role"),
    [
        ("Senior Machine Learning Engineer", "ML engineer"),
        ("Data Scientist II", "data scientist"),
        ("Business Intelligence Analyst", "data analyst"),
        ("Data Engineer, Platform", "data engineer"),
        ("Backend Python Developer", "software engineer"),
        ("Chef", "other"),
        (None, "unknown"),
    ],
)
def test_titles_become_roles(title: str | None, role: str) -> None:
    assert role_of(title) == role


def test_personal_details_are_redacted() -> None:
    assert redact("Mail jane.doe@acme.io or call +1 (555) 010-9999.") == (
        "Mail [email] or call [phone]."
    )


def test_the_store_imports_postings_once(store: Store) -> None:
    posting = StoredPosting(
        "h1", "s", "DS", "data scientist", None, "text", {"dm:python": (True, 1)}, "v1"
    )
    assert store.save_postings([posting]) == SavedPostings(new=1, refreshed=0)
    assert store.posting_count() == 1
    assert store.known_hashes(["h1", "h2"], "v1") == {"h1"}
    assert store.known_hashes(["h1"], "v2") == set()


def test_a_posting_found_again_by_another_extractor_has_its_skills_replaced(
    store: Store,
) -> None:
    old = StoredPosting(
        "h1", "s", "DS", "data scientist", None, "text", {"dm:python": (True, 1)}, "v1"
    )
    store.save_postings([old])
    again = dataclasses.replace(old, skills={"dm:sql": (False, 2)}, extractor="v2")
    assert store.save_postings([again]) == SavedPostings(new=0, refreshed=1)
    assert store.posting_count() == 1
    assert store.known_hashes(["h1"], "v2") == {"h1"}
    assert [skills for _, _, skills in store.analysed_postings()] == [{"dm:sql": (False, 2)}]


def test_hashes_seen_mark_each_first_sight_once() -> None:
    seen = SeenHashes()
    try:
        assert seen.first_sight(["a", "b", "a"]) == [True, True, False]
        assert seen.first_sight(["b", "c"]) == [False, True]
        assert seen.count == 3
    finally:
        seen.close()


def test_the_store_gives_stored_postings_by_hash_of_one_role_in_the_order_stored(
    store: Store,
) -> None:
    rows = [
        StoredPosting(f"h{n}", "s", "t", role, None, "text", {f"dm:{n}": (n % 2 == 0, n)}, "v1")
        for n, role in enumerate(["data scientist", "Data Scientist", "data engineer", "x"])
    ]
    store.save_postings(rows)
    assert store.analysed_postings("DATA SCIENTIST", hashes=["h1", "h2", "h0", "h9"]) == [
        ("data scientist", None, {"dm:0": (True, 0)}),
        ("Data Scientist", None, {"dm:1": (False, 1)}),
    ]
    assert store.analysed_postings(hashes=[]) == []


# --- Hostile input (issue 13) ---------------------------------------------------------------


def alias_bomb(levels: int = 9) -> str:
    """Front matter of a few hundred bytes whose title is 9**levels strings once expanded."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels):
        refs = ",".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "---\n" + "\n".join(lines) + f"\ntitle: *a{levels - 1}\n---\nPython\n"


def deep_json(depth: int = 100_000) -> str:
    """A record's text nested `depth` lists deep: Python's parser recurses once a level."""
    return '[{"text": ' + "[" * depth + '"Python"' + "]" * depth + "}]"


def deep_front_matter(depth: int = 50_000) -> str:
    """Front matter whose title is nested `depth` flow lists deep."""
    return "---\ntitle: " + "[" * depth + "x" + "]" * depth + "\n---\nPython\n"


class Endless(io.BytesIO):
    """`yes` as a stream: it never ends, and it counts what it was asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.served = 0

    def read(self, size: int | None = -1) -> bytes:
        assert size is not None
        assert size >= 0, "an endless stream must never be read whole"
        self.served += size
        return (b"y\n" * (size // 2 + 1))[:size]


def test_an_endless_stream_is_read_one_byte_past_the_limit() -> None:
    endless = Endless()
    with pytest.raises(LimitExceededError) as raised:
        read_stream(endless, "stdin", Limits(posting_bytes=100_000))
    assert str(raised.value) == (
        "stdin: the posting is larger than 100,000 bytes, the most one posting may hold"
    )
    assert raised.value.limit == "posting_bytes"
    assert endless.served == 100_001


def test_a_posting_at_the_limit_is_read_whole() -> None:
    text = "Python. " * 128
    posting = read_stream(io.BytesIO(text.encode()), "stdin", Limits(posting_bytes=1024))
    assert posting.text == text
    assert read_text(text, limits=Limits(posting_bytes=1024)).text == text
    with pytest.raises(LimitExceededError, match="larger than 1 KiB"):
        read_text(text + "é", limits=Limits(posting_bytes=1024))


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"\x7fELF\x02\x01\x01\x00\x00", "it holds a NUL byte at offset 7"),
        (b"\0" * 100, "it holds a NUL byte at offset 0"),
        (b"\x89PNG\r\n\x1a\n", "1 of its first 8 bytes are control bytes"),
        (bytes(range(1, 32)) * 4, "108 of its first 124 bytes are control bytes"),
    ],
)
def test_binary_input_is_not_text(data: bytes, why: str) -> None:
    with pytest.raises(NotTextError) as raised:
        read_stream(io.BytesIO(data), "stdin")
    assert str(raised.value) == f"stdin is not text: {why}"


def test_a_posting_saved_as_latin_1_is_still_text() -> None:
    posting = read_stream(io.BytesIO("Ingénieur: Python, SQL".encode("latin-1")), "stdin")
    assert posting.text == "Ing\ufffdnieur: Python, SQL"


def test_an_unterminated_json_string_is_scanned_once() -> None:
    """Rescanning it from every escaped quote made a 1 MiB line take most of an hour."""
    text = '["' + '\\"' * 1000
    assert [m.group() for m in _JSON_NESTING.finditer(text)] == ["[", text[1:]]
    with pytest.raises(PostingsError, match="not JSON"):
        _loads(text, "x.json")


def test_only_the_first_chunk_decides_what_is_text() -> None:
    # A character cut by the end of the first chunk is text; bad bytes later are replaced.
    head = b"a" * (64 * 1024 - 1) + "é".encode()
    posting = read_stream(io.BytesIO(head + b" Python \xff"), "stdin")
    assert posting.text.endswith("é Python \ufffd")


def test_a_binary_file_named_on_its_own_is_refused(tmp_path: Path) -> None:
    (tmp_path / "ls").write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)))
    with pytest.raises(NotTextError, match="ls is not text"):
        list(read_path(tmp_path / "ls"))
    with pytest.raises(NotTextError, match="ls is not text"):
        read_posting(tmp_path / "ls")


def test_a_binary_file_in_a_folder_is_skipped_and_listed(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Python", encoding="utf-8")
    (tmp_path / "b.csv").write_bytes(b"\xff\xfet\0e\0x\0t\0")  # UTF-16
    report = ReadReport()
    assert [p.text for p in read_path(tmp_path, report=report)] == ["Python"]
    assert report.skipped == [str(tmp_path / "b.csv")]


def test_a_csv_record_over_the_limit_names_its_first_line(tmp_path: Path) -> None:
    path = tmp_path / "jobs.csv"
    path.write_text(
        'title,description\nA,Python\nB,"SQL\n' + "and more\n" * 20 + '"\n', encoding="utf-8"
    )
    limits = Limits(posting_bytes=100)
    postings = read_path(path, limits=limits)
    assert next(postings).text == "Python"
    with pytest.raises(LimitExceededError) as raised:
        next(postings)
    assert str(raised.value).startswith(f"{path}:3: the posting is larger than 100 bytes")


def test_the_header_and_records_are_each_held_to_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "jobs.csv"
    path.write_text("title,description\n" + "A,Python\n" * 50, encoding="utf-8")
    assert len(list(read_path(path, limits=Limits(posting_bytes=20)))) == 50


def test_json_lines_are_read_a_line_at_a_time(tmp_path: Path) -> None:
    path = tmp_path / "jobs.jsonl"
    records = [{"text": "Python"}, {"text": "SQL " * 100}]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    with pytest.raises(LimitExceededError, match=r"jobs\.jsonl:2: the posting is larger"):
        list(read_path(path, limits=Limits(posting_bytes=200)))


def test_a_json_record_over_the_limit_is_named(tmp_path: Path) -> None:
    path = tmp_path / "jobs.json"
    path.write_text(json.dumps([{"id": "big", "text": "SQL " * 100}]), encoding="utf-8")
    with pytest.raises(LimitExceededError, match=r"jobs\.json#big: the posting is larger"):
        list(read_path(path, limits=Limits(posting_bytes=200)))


def test_a_large_json_document_points_to_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "jobs.json"
    path.write_text(json.dumps([{"text": "Python"}] * 20), encoding="utf-8")
    with pytest.raises(LimitExceededError) as raised:
        list(read_path(path, limits=Limits(json_bytes=200)))
    assert "the JSON document is larger than 200 bytes" in str(raised.value)
    assert "JSON Lines (one record a line) are read a line at a time" in str(raised.value)
    assert raised.value.limit == "json_bytes"


def settled(path: Path) -> None:
    """Date a file a minute back, past the seconds in which a change could go unseen."""
    past = time.time() - 60
    os.utime(path, (past, past))


def read_twice(folder: Path, known: set[str]) -> tuple[list[Posting], PassedOver]:
    """Read a folder once to index it, then again passing over what is known and unchanged."""
    index = ReadIndex()
    list(read_path(folder, passing=PassedOver(index, known)))
    again = PassedOver(index, known)
    return list(read_path(folder, passing=again)), again


def test_an_unchanged_file_whose_postings_are_known_is_not_read_again(tmp_path: Path) -> None:
    jobs = tmp_path / "jobs.csv"
    jobs.write_text("title,text\nData Scientist,Python\nML Engineer,SQL\n", encoding="utf-8")
    settled(jobs)
    known = {p.content_hash for p in read_path(jobs)}
    report = ReadReport()
    index = ReadIndex()
    list(read_path(tmp_path, passing=PassedOver(index, known)))
    again = PassedOver(index, known)
    assert list(read_path(tmp_path, report=report, passing=again)) == []
    assert sorted(again.hashes) == sorted(known)
    assert report.columns[str(jobs)]["text"] == "text"  # the report still says how it was read


def test_a_file_changed_since_it_was_read_is_read_again(tmp_path: Path) -> None:
    jobs = tmp_path / "jobs.csv"
    jobs.write_text("text\nPython\nSQL\n", encoding="utf-8")
    settled(jobs)
    known = {p.content_hash for p in read_path(jobs)}
    index = ReadIndex()
    list(read_path(tmp_path, passing=PassedOver(index, known)))
    jobs.write_text("text\nSQL\nPython\n", encoding="utf-8")  # the same size and postings
    settled(jobs)
    postings = list(read_path(tmp_path, passing=PassedOver(index, known)))
    assert [p.text for p in postings] == ["SQL", "Python"]


def test_a_file_holding_a_posting_not_known_is_read_again(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("text\nPython\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("text\nRust\n", encoding="utf-8")
    for path in tmp_path.iterdir():
        settled(path)
    known = {p.content_hash for p in read_path(tmp_path / "a.csv")}  # b's posting is not stored
    postings, again = read_twice(tmp_path, known)
    assert [p.text for p in postings] == ["Rust"]
    assert again.hashes == sorted(known)


def test_a_file_changed_within_seconds_is_not_trusted_to_be_unchanged(tmp_path: Path) -> None:
    jobs = tmp_path / "jobs.csv"
    jobs.write_text("text\nPython\n", encoding="utf-8")  # modified just now
    known = {p.content_hash for p in read_path(jobs)}
    postings, again = read_twice(tmp_path, known)
    assert [p.text for p in postings] == ["Python"]
    assert again.hashes == []


def test_postings_passed_over_count_towards_the_limit(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.csv").write_text(f"text\nPython {name}\nSQL {name}\n", "utf-8")
        settled(tmp_path / f"{name}.csv")
    known = {p.content_hash for p in read_path(tmp_path)}
    index = ReadIndex()
    list(read_path(tmp_path, passing=PassedOver(index, known)))
    with pytest.raises(LimitExceededError):
        list(read_path(tmp_path, limits=Limits(postings=3), passing=PassedOver(index, known)))


def test_a_corpus_index_is_kept_for_its_path_and_way_of_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    index = ReadIndex({"a.csv": FileRead((1, 2), ("h",), None)})
    index.keep(tmp_path, ("text", None, None))
    assert ReadIndex.for_corpus(tmp_path, ("text", None, None)) == index
    assert ReadIndex.for_corpus(tmp_path, ("body", None, None)) == ReadIndex()
    assert ReadIndex.for_corpus(tmp_path / "other", ("text", None, None)) == ReadIndex()


def test_the_postings_limit_counts_across_a_folder(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.csv").write_text("text\nPython\nSQL\nRust\n", encoding="utf-8")
    assert len(list(read_path(tmp_path, limits=Limits(postings=6)))) == 6
    with pytest.raises(LimitExceededError) as raised:
        list(read_path(tmp_path, limits=Limits(postings=5)))
    assert (
        str(raised.value) == f"{tmp_path}: holds more than 5 postings, the most one command reads"
    )
    assert raised.value.limit == "postings"


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ("5", "holds a number, not postings"),
        ('"Python"', "holds a string, not postings"),
        ("null", "holds null, not postings"),
        (deep_json(), "the JSON is nested deeper than 100 levels"),
        ('[{"text": "Python", "date": 1e20}]', "#1: date 1e+20 is not a date"),
        ('{"jobs": [{"text": "Python", "time": Infinity}]}', "#1: time inf is not a date"),
    ],
)
def test_json_that_is_not_postings_is_named(tmp_path: Path, content: str, why: str) -> None:
    path = tmp_path / "jobs.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(PostingsError) as raised:
        list(read_path(path))
    assert str(raised.value).startswith(str(path))
    assert why in str(raised.value)


def test_deep_json_lines_are_refused_by_line(tmp_path: Path) -> None:
    path = tmp_path / "jobs.jsonl"
    path.write_text('{"text": "Python"}\n' + deep_json()[1:-1] + "\n", encoding="utf-8")
    with pytest.raises(PostingsError, match=r"jobs\.jsonl:2: the JSON is nested deeper"):
        list(read_path(path))


@pytest.mark.parametrize(
    ("front_matter", "why"),
    [
        (alias_bomb(), "front matter uses a YAML alias (*name), which postings may not use"),
        (deep_front_matter(), "front matter is nested deeper than 20 levels"),
        ("---\na:\n" + "".join(f"{'  ' * i}b{i}:\n" for i in range(1, 30)) + "---\n", "deeper"),
        ("---\ntitle: [" + "x, " * 2000 + "]\n---\n", "front matter holds more than 1,000"),
        ("---\ncreated: 99999999999999\n---\nPython\n", "front matter created 99999999999999"),
    ],
)
def test_hostile_front_matter_is_named(tmp_path: Path, front_matter: str, why: str) -> None:
    path = tmp_path / "posting.md"
    path.write_text(front_matter, encoding="utf-8")
    with pytest.raises(PostingsError) as raised:
        list(read_path(path))
    assert str(raised.value).startswith(f"{path}")
    assert why in str(raised.value)


def test_markdown_rules_are_still_not_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "posting.md"
    path.write_text("---\nPython: [unclosed\n---\nSQL\n", encoding="utf-8")
    (posting,) = read_path(path)
    assert posting.text == "---\nPython: [unclosed\n---\nSQL\n"
    assert posting.title is None


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (1 << 20, "1 MiB (1,048,576 bytes)"),
        (16 << 20, "16 MiB (16,777,216 bytes)"),
        (1000, "1,000 bytes"),
    ],
)
def test_sizes_read_as_people_say_them(size: int, text: str) -> None:
    assert size_text(size) == text


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("a<script>x</script>b<STYLE>y</style >c", "a b c"),
        ("a<script>x<script>y</script>b", "a b"),
        ("<style>kept, never closed <script>gone</script> end", " kept, never closed   end"),
        ("<script>" * 10_000 + "Python", " " * 10_000 + "Python"),
        ("<p " * 10_000 + "Python", "<p " * 10_000 + "Python"),
    ],
)
def test_scripts_and_tags_are_stripped_however_they_are_left_open(html: str, text: str) -> None:
    assert strip_html(html) == text


def test_a_title_column_holding_a_megabyte_is_read_by_its_start() -> None:
    assert role_of("Data Scientist " + "ml " * 350_000) == "data scientist"
