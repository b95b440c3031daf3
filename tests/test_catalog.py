from __future__ import annotations

import pytest

from diymasters.catalog import (
    CatalogError,
    EntryNotFoundError,
    comparable_url,
    load_catalog,
    match,
    match_curriculum,
    parse_catalog,
    search,
)
from diymasters.files import EncodingError
from diymasters.hours import is_own
from diymasters.model import Kind, Resource
from diymasters.readme import parse_readme, parse_text, to_curriculum
from diymasters.skills import load_taxonomy
from diymasters.store import Store
from diymasters.template import load_template
from tests.conftest import SHARED


def problems(text: str) -> list[str]:
    catalog, found = parse_catalog(text, "c.yaml", load_taxonomy())
    assert catalog is None
    return [str(p) for p in found]


ENTRY = "  - {{id: {id}, title: {title}, provider: P, url: '{url}', kind: course{extra}}}\n"


def entry(id: str, title: str = "T", url: str | None = None, extra: str = "") -> str:  # noqa: A002
    return ENTRY.format(id=id, title=title, url=url or f"https://x.example/{id}", extra=extra)


def test_the_shipped_catalog_loads_and_holds_the_seed_in_its_real_structure() -> None:
    catalog = load_catalog()
    assert len(catalog.entries) >= 100
    mml = catalog.get("coursera-mml")
    assert [c.title for c in mml.children] == [
        "Mathematics for Machine Learning: Linear Algebra",
        "Mathematics for Machine Learning: Multivariate Calculus",
        "Mathematics for Machine Learning: PCA",
    ]
    assert len(catalog.get("coursera-cs-fundamentals").children) == 3
    for resource in load_template().all_resources():
        assert match(catalog, resource) is not None, resource.title
    assert all(e.source for e in catalog.entries.values() if e.hours is not None)


def test_broken_entries_are_named_with_their_line_and_field() -> None:
    text = (
        "entries:\n"
        + entry("a", extra=", skills: [python, telepathy]")
        + entry("a")
        + entry("b", url="https://x.example/a/")
        + entry("c", extra=", prerequisites: [d]")
        + entry("d", extra=", prerequisites: [c]")
        + entry("e", extra=", prerequisites: [nowhere]")
    )
    assert problems(text) == [
        "c.yaml:3: entries[1].id: duplicate id 'a'",
        "c.yaml:2: entries[0].skills[1]: no skill 'dm:telepathy' in the taxonomy",
        "c.yaml:4: entries[2].url: URL already used by 'a'",
        "c.yaml:7: entries[5].prerequisites[0]: 'nowhere' is neither a catalog entry nor a skill",
        "c.yaml:6: entries[4].prerequisites: prerequisite cycle: c -> d -> c",
    ]


def test_schema_problems_and_unsourced_hours_are_refused() -> None:
    text = "entries:\n" + entry("a", extra=", hours: 10") + entry("b", extra=", huors: 3")
    assert problems(text) == [
        (
            "c.yaml:2: entries[0]: Value error, hours need a source: "
            "the page the figure or quantity came from"
        ),
        "c.yaml:3: entries[1].huors: unknown field (a typo?)",
    ]


def test_urls_compare_without_scheme_www_query_or_trailing_slash() -> None:
    assert comparable_url("http://www.Coursera.org/learn/x/?utm=1#a") == comparable_url(
        "https://coursera.org/learn/x"
    )


def test_courses_under_a_matched_specialisation_match_among_its_courses(seed_readme: str) -> None:
    curriculum, _ = to_curriculum(parse_text(seed_readme, "seed-readme.md"))
    stored = Store.open("sqlite://").create(curriculum)
    found = match_curriculum(load_catalog(), stored)
    by_title = {r.title: found[r.id].entry.id for r in stored.all_resources() if r.id in found}
    assert by_title["Linear Algebra"] == "coursera-mml-linear-algebra"
    assert by_title["Multivariate Calculus"] == "coursera-mml-multivariate-calculus"
    assert len(found) == sum(1 for _ in stored.all_resources())


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("An Introduction to Statistical Learning", "islr"),
        ("CS231n: Deep Learning for Computer Vision", "stanford-cs231n"),
        ("Machine Learning", None),  # a subject, not necessarily the specialisation
        ("Linear Algebra", None),  # Khan's course shares the name with many others
        ("Neural Networks and Deep Learning", None),  # a course and a book share the title
        ("Fresh Machine Learning", None),
        ("Data Structures and Algorithms", None),  # a subject; the programme says Specialization
        ("Natural Language Processing", None),
    ],
)
def test_title_matching_prefers_no_match_to_a_wrong_one(title: str, expected: str | None) -> None:
    found = match(load_catalog(), Resource(title))
    assert (found.entry.id if found else None) == expected


def test_search_by_words_skill_domain_price_and_hours() -> None:
    catalog = load_catalog()
    assert search(catalog, "statistical learning")[0].id in {"islr", "esl"}
    assert {e.id for e in search(catalog, skill="reinforcement learning")} >= {"sutton-barto"}
    assert all(e.free for e in search(catalog, free=True))
    short = search(catalog, max_hours=20)
    assert "coursera-mml-pca" in {e.id for e in short}
    assert all(is_own(catalog.hours.of(e)) and catalog.hours.of(e).hours <= 20 for e in short)
    longer = set(catalog.entries) - {e.id for e in short}
    assert all(
        catalog.hours.of(catalog.get(key)).hours > 20
        or not is_own(catalog.hours.of(catalog.get(key)))
        for key in longer
    )
    assert "stanford-cs231n" in {e.id for e in search(catalog, domain="computer vision")}
    with pytest.raises(EntryNotFoundError):
        catalog.get("nope")


def test_a_broken_catalog_raises_a_one_line_error() -> None:
    catalog, found = parse_catalog("entries: [", "c.yaml", load_taxonomy())
    assert catalog is None
    error = CatalogError(found)
    assert "\n" not in str(error)
    assert str(error).startswith("c.yaml:")


def test_matching_the_corpus_readmes_finds_known_resources_and_no_false_ones() -> None:
    folder = SHARED / "corpus" / "readmes"
    if not folder.is_dir():
        pytest.skip("../shared is absent")
    catalog = load_catalog()
    store = Store.open("sqlite://")
    found: set[tuple[str, str]] = set()
    total = matched = 0
    for path in sorted(folder.glob("*.md")):
        try:
            document = parse_readme(path.read_bytes(), path.name)
        except EncodingError:
            continue
        curriculum, _ = to_curriculum(document, path.name)
        if not any(True for _ in curriculum.all_resources()):
            continue
        stored = store.create(curriculum)
        matches = match_curriculum(catalog, stored)
        total += sum(1 for _ in stored.all_resources())
        matched += len(matches)
        found |= {
            (r.title, matches[r.id].entry.id) for r in stored.all_resources() if r.id in matches
        }
    assert matched / total > 0.01
    assert {
        ("An Introduction to Statistical Learning", "islr"),
        ("CS229: Machine Learning", "stanford-cs229"),
        ("Essence of linear algebra", "3b1b-linear-algebra"),
        ("Designing Data-Intensive Applications", "ddia"),
    } <= found
    # Wrong matches seen while building the matcher: none may come back.
    assert not found & {
        ("Fresh Machine Learning", "google-ml-crash-course"),
        ("Linear Algebra", "khan-linear-algebra"),
        ("Algorithms I", "coursera-algorithms-specialization"),
        ("Data Structures and Algorithms", "coursera-data-structures-algorithms"),
        ("Machine Learning", "coursera-ml-specialization"),
        ("Natural Language Processing", "coursera-nlp-specialization"),
    }


def test_every_shipped_specialisation_lists_its_courses() -> None:
    catalog = load_catalog()
    bare = [
        e.id for e in catalog.entries.values() if e.kind is Kind.SPECIALISATION and not e.children
    ]
    assert bare == []
