"""The matcher, the taxonomy and the catalog are kept in the user's cache and loaded back."""

from __future__ import annotations

import marshal
from typing import TYPE_CHECKING

from diymasters import artefacts, catalog
from diymasters.artefacts import cache_dir, load_or_build
from diymasters.skills.matcher import MATCHER_CODEC, Matcher, dictionary_mentions
from diymasters.skills.taxonomy import load_taxonomy

if TYPE_CHECKING:
    from pathlib import Path

    import pytest


def counting_build(calls: list[int]) -> object:
    calls.append(1)
    return {"built": len(calls)}


def test_a_built_object_is_loaded_back_until_its_inputs_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    calls: list[int] = []
    first = load_or_build("thing", [b"v1"], lambda: counting_build(calls))
    again = load_or_build("thing", [b"v1"], lambda: counting_build(calls))
    assert first == again == {"built": 1}
    changed = load_or_build("thing", [b"v2"], lambda: counting_build(calls))
    assert changed == {"built": 2}
    assert len(list(cache_dir().glob("thing-*.pickle"))) == 1  # the old version is removed


def test_an_unreadable_cache_file_is_built_again_and_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    calls: list[int] = []
    load_or_build("thing", [b"v1"], lambda: counting_build(calls))
    (written,) = cache_dir().glob("thing-*.pickle")
    written.write_bytes(b"not a pickle")
    assert load_or_build("thing", [b"v1"], lambda: counting_build(calls)) == {"built": 2}
    assert load_or_build("thing", [b"v1"], lambda: counting_build(calls)) == {"built": 2}


def test_a_cache_that_cannot_be_written_costs_only_the_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would go")
    monkeypatch.setattr(artefacts, "cache_dir", lambda: blocked / "diymasters")
    calls: list[int] = []
    assert load_or_build("thing", [b"v1"], lambda: counting_build(calls)) == {"built": 1}
    assert load_or_build("thing", [b"v1"], lambda: counting_build(calls)) == {"built": 2}


def test_the_matcher_loaded_back_finds_what_the_built_one_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    text = "Python, SQL and Kafka; you will collect and analyse data.\nNice to have: Docker."
    built = Matcher(load_taxonomy())
    load_or_build("matcher", [b"test"], lambda: built, MATCHER_CODEC)  # written to the cache
    loaded = load_or_build("matcher", [b"test"], lambda: Matcher(load_taxonomy()), MATCHER_CODEC)
    assert loaded is not built
    assert dictionary_mentions(text, loaded) == dictionary_mentions(text, built)
    assert [m.skill.name for m in dictionary_mentions(text, loaded)] == [
        "Python", "SQL", "Kafka", "data collection", "data analysis", "Docker",
    ]  # fmt: skip


def test_the_matcher_loaded_back_reads_a_run_together_word_and_a_degree_as_the_built_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    text = "Requirements: JavaFamiliarity with SQLExcellent R and Go.\nMS in Statistics."
    built = Matcher(load_taxonomy())
    loaded = Matcher(built.to_bytes())
    assert dictionary_mentions(text, loaded) == dictionary_mentions(text, built)
    assert {"Java", "SQL", "statistics degree"} <= {
        m.skill.name for m in dictionary_mentions(text, loaded)
    }


def test_a_matcher_file_of_another_format_is_built_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    load_or_build("matcher", [b"test"], lambda: Matcher(load_taxonomy()), MATCHER_CODEC)
    (written,) = cache_dir().glob("matcher-*.marshal")
    calls: list[int] = []

    def build() -> Matcher:
        calls.append(1)
        return Matcher(load_taxonomy())

    for damaged in (b"not a matcher", marshal.dumps(("another layout", 1)), b""):
        written.write_bytes(damaged)
        load_or_build("matcher", [b"test"], build, MATCHER_CODEC)
    assert len(calls) == 3  # each damaged file was built again
    assert "Python" in {
        m.skill.name for m in dictionary_mentions("Python", Matcher(written.read_bytes()))
    }


def test_an_older_version_in_another_format_is_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cache_dir().mkdir(parents=True)
    older = cache_dir() / "matcher-0123456789abcdef.pickle"
    older.write_bytes(b"a matcher pickled by an older version")
    other = cache_dir() / "matcher-extra-0123456789abcdef.pickle"
    other.write_bytes(b"another artefact's file")
    load_or_build("matcher", [b"test"], lambda: Matcher(load_taxonomy()), MATCHER_CODEC)
    assert not older.exists()
    assert other.exists()
    assert [p.suffix for p in cache_dir().glob("matcher-????????????????.*")] == [".marshal"]


def test_the_catalog_loaded_back_is_the_catalog_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    catalog._with_rules.cache_clear()
    parsed = catalog.load_catalog()
    assert len(list(cache_dir().glob("catalog-*.pickle"))) == 1
    catalog._with_rules.cache_clear()
    loaded = catalog.load_catalog()
    assert loaded is not parsed
    assert loaded.entries == parsed.entries
    assert loaded.hours == parsed.hours
    catalog._with_rules.cache_clear()
