from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pytest

from diymasters.errors import Category
from diymasters.model import Domain, Resource, Status
from diymasters.template import (
    TemplateError,
    TemplateNotFoundError,
    load_template,
    parse_template,
    template_names,
)

if TYPE_CHECKING:
    from pathlib import Path


def test_the_ml_engineer_template_ships_and_validates() -> None:
    assert "ml-engineer" in template_names()
    curriculum = load_template("ml-engineer")
    assert curriculum.name == "ML Engineer masters"
    assert [d.name for d in curriculum.domains] == [
        "Mathematics",
        "Software Engineering",
        "Statistics",
        "Machine Learning",
        "Deep Learning",
        "Reinforcement Learning",
    ]


def test_every_stated_hour_figure_names_its_source() -> None:
    for resource in load_template().all_resources():
        if resource.estimated_hours is not None or resource.cost is not None:
            assert resource.source, f"{resource.title} has a figure but no source"


# --- Fidelity to the README that started the project ---------------------------------------


@dataclass
class SeedItem:
    title: str
    url: str | None
    status: Status
    description: str | None = None
    children: list[SeedItem] = field(default_factory=list)


@dataclass
class SeedDomain:
    name: str
    items: list[SeedItem] = field(default_factory=list)
    domains: list[SeedDomain] = field(default_factory=list)


_ITEM = re.compile(r"^(?P<indent> *)- \[(?P<mark>[ xX])\] (?P<body>.+)$")
_LINK = re.compile(r"^\[(?P<title>[^\]]+)\]\((?P<url>[^)]+)\)$")


def read_seed(text: str) -> list[SeedDomain]:
    """Read the seed README's curriculum section as its author laid it out.

    A deliberately small reader for this one file, so the test does not lean on the
    README importer it will later be checked against.
    """
    section = text.split("## Curriculum", 1)[1]
    domains: list[SeedDomain] = []
    stack: list[tuple[int, SeedItem]] = []
    for line in section.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("I've extended"):
            continue
        if line.startswith("###### "):
            sub = SeedDomain(stripped.removeprefix("###### ").strip("*"))
            domains[-1].domains.append(sub)
            stack = []
        elif line.startswith("##### "):
            domains.append(SeedDomain(stripped.removeprefix("##### ").strip("*")))
            stack = []
        elif item := _ITEM.match(line):
            stack = _add_item(domains, stack, item)
        elif stripped.startswith("*") and stripped.endswith("*") and stack:
            stack[-1][1].description = stripped.strip("*")
        elif link := _LINK.match(stripped):
            _home(domains).items.append(SeedItem(link["title"], link["url"], Status.TODO))
        else:
            domains.append(SeedDomain(stripped))
    return domains


def _home(domains: list[SeedDomain]) -> SeedDomain:
    home = domains[-1]
    return home.domains[-1] if home.domains else home


def _add_item(
    domains: list[SeedDomain], stack: list[tuple[int, SeedItem]], item: re.Match[str]
) -> list[tuple[int, SeedItem]]:
    depth = len(item["indent"])
    link = _LINK.match(item["body"])
    title, url = (link["title"], link["url"]) if link else (item["body"], None)
    new = SeedItem(title, url, Status.TODO if item["mark"] == " " else Status.DONE)
    stack = [(d, i) for d, i in stack if d < depth]
    if stack:
        stack[-1][1].children.append(new)
    else:
        _home(domains).items.append(new)
    return [*stack, (depth, new)]


def _assert_same_item(seed: SeedItem, resource: Resource) -> None:
    assert resource.title == seed.title
    if seed.url is not None:  # the template may add a link the seed lacks, never change one
        assert resource.url == seed.url, resource.title
    assert resource.status is seed.status, resource.title
    if seed.description:
        assert resource.description == seed.description
    if seed.children:
        assert [c.title for c in resource.children] == [c.title for c in seed.children]
        for seed_child, child in zip(seed.children, resource.children, strict=True):
            _assert_same_item(seed_child, child)


def _assert_same_domain(seed: SeedDomain, domain: Domain) -> None:
    assert domain.name == seed.name
    assert [r.title for r in domain.resources] == [i.title for i in seed.items], seed.name
    for item, resource in zip(seed.items, domain.resources, strict=True):
        _assert_same_item(item, resource)
    assert [d.name for d in domain.domains] == [d.name for d in seed.domains]
    for seed_sub, sub in zip(seed.domains, domain.domains, strict=True):
        _assert_same_domain(seed_sub, sub)


def test_template_holds_every_domain_and_resource_of_the_seed(seed_readme: str) -> None:
    seed = read_seed(seed_readme)
    template = load_template()
    assert [d.name for d in template.domains] == [d.name for d in seed]
    for seed_domain, domain in zip(seed, template.domains, strict=True):
        _assert_same_domain(seed_domain, domain)


def test_the_seed_reader_sees_what_the_issue_describes(seed_readme: str) -> None:
    seed = {d.name: d for d in read_seed(seed_readme)}
    spec = seed["Mathematics"].items[0]
    assert [(c.title, c.status) for c in spec.children] == [
        ("Linear Algebra", Status.DONE),
        ("Multivariate Calculus", Status.TODO),
        ("Principal Component Analysis", Status.TODO),
    ]
    assert [d.name for d in seed["Software Engineering"].domains] == ["Python", "C++"]
    assert seed["Statistics"].items == []
    assert seed["Deep Learning"].items[0].title == "Practical Deep Learning for Coders"


# --- Errors that name the file, line and field ----------------------------------------------

TYPO = """\
name: Mine
domains:
  - name: Maths
    resources:
      - title: Calculus
        huors: 20
      - title: Algebra
        status: finished
"""


def test_problems_name_file_line_and_field() -> None:
    curriculum, problems = parse_template(TYPO, "mine.yaml")
    assert curriculum is None
    assert [str(p) for p in problems] == [
        "mine.yaml:6: domains[0].resources[0].huors: unknown field (a typo?)",
        (
            "mine.yaml:8: domains[0].resources[1].status: Input should be 'todo', "
            "'in_progress', 'done' or 'dropped'"
        ),
    ]


def test_loading_a_bad_template_raises_with_the_first_problem_and_a_count(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(TYPO, encoding="utf-8")
    with pytest.raises(TemplateError) as raised:
        load_template(str(path))
    message = str(raised.value)
    assert message.startswith(f"{path}:6: domains[0].resources[0].huors: unknown field")
    assert message.endswith("(and 1 more problem)")
    assert "\n" not in message


def test_broken_yaml_is_located() -> None:
    _, problems = parse_template("name: x\ndomains: [\n  - oops: {\n", "bad.yaml")
    assert problems[0].file == "bad.yaml"
    assert problems[0].line is not None
    assert "not valid YAML" in problems[0].message


def test_missing_fields_point_at_their_parent() -> None:
    _, problems = parse_template("name: x\ndomains:\n  - resources: []\n", "m.yaml")
    assert [str(p) for p in problems] == ["m.yaml:3: domains[0].name: Field required"]


def test_negative_hours_and_bad_urls_are_refused() -> None:
    text = "name: x\ndomains:\n  - name: d\n    resources:\n      - title: t\n        hours: -3\n"
    text += "        url: ftp://example.org\n"
    _, problems = parse_template(text, "m.yaml")
    assert [p.field for p in problems] == [
        "domains[0].resources[0].hours",
        "domains[0].resources[0].url",
    ]


def test_an_unknown_template_name_lists_the_shipped_ones() -> None:
    with pytest.raises(TemplateNotFoundError, match="ml-engineer"):
        load_template("data-engineer")


def test_a_missing_template_file_fails_as_any_missing_file(tmp_path: Path) -> None:
    for missing in (tmp_path / "mine.yaml", tmp_path / "templates" / "mine"):
        with pytest.raises(TemplateError) as failed:
            load_template(str(missing))
        assert str(failed.value) == f"{missing}: No such file or directory"
        assert failed.value.category is Category.FAILED
