from __future__ import annotations

import hashlib
import importlib.util
import itertools
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from diymasters.demand import AnalysedPosting, SkillPair, demand_report
from diymasters.postings import read_path
from diymasters.skills import (
    DOMAINS,
    EVIDENCE_REACH,
    FIELD_OF_STUDY,
    MAX_TAGGER_WORDS,
    SKILL_TYPES,
    TaxonomyError,
    extract,
    extract_many,
    extractor_version,
    findings,
    load_taxonomy,
    normalise,
    parse_taxonomy,
    sectioning,
    sections,
    tagger_inputs,
)
from diymasters.skills.tagger import is_noise, unlinked_domain, unlinked_skill
from tests.conftest import SHARED

if TYPE_CHECKING:
    from types import ModuleType


def names(text: str) -> list[str]:
    return [m.skill.name for m in extract(text)]


def test_the_taxonomy_loads_validated_with_every_source_and_attribution() -> None:
    taxonomy = load_taxonomy()
    sources = {s.source for s in taxonomy.skills.values()}
    assert sources == {"curated", "esco", "onet"}
    assert len(taxonomy.skills) > 13_000
    assert all(
        s.type in SKILL_TYPES | {FIELD_OF_STUDY} and set(s.domains) <= DOMAINS
        for s in taxonomy.skills.values()
    )
    assert "European Commission" in taxonomy.attribution["ESCO"]
    assert "O*NET 30.2" in taxonomy.attribution["O*NET"]
    python = taxonomy.get("Python")
    assert python.esco is not None
    assert python.onet == ("Python",)


def test_a_broken_taxonomy_names_the_skill_and_field() -> None:
    with pytest.raises(TaxonomyError, match=r"skill 1 \(x\): type 'spell' is not one of"):
        parse_taxonomy(
            {
                "skills": [
                    {
                        "id": "a",
                        "name": "A",
                        "type": "tool",
                        "source": "curated",
                        "domains": ["C++"],
                    },
                    {
                        "id": "x",
                        "name": "X",
                        "type": "spell",
                        "source": "curated",
                        "domains": ["C++"],
                    },
                ]
            }
        )
    with pytest.raises(TaxonomyError, match="domains"):
        parse_taxonomy(
            {
                "skills": [
                    {"id": "a", "name": "A", "type": "tool", "source": "s", "domains": ["Magic"]}
                ]
            }
        )


def test_the_seed_qualifications_yield_the_issues_skills(seed_readme: str) -> None:
    paragraph = seed_readme[
        seed_readme.index("##### **Example Qualifications") : seed_readme.index("## Curriculum")
    ]
    found = {m.skill.name: m.skill.domain for m in extract(paragraph)}
    expected = {
        "linear algebra": "Mathematics",
        "multivariate statistics": "Statistics",
        "information theory": "Mathematics",
        "optimisation": "Mathematics",
        "Python": "Python",
        "NumPy": "Python",
        "Jupyter": "Python",
        "C++": "C++",
        "PyTorch": "Deep Learning",
        "TensorFlow": "Deep Learning",
        "image recognition": "Computer Vision",
        "image processing": "Computer Vision",
        "computer vision": "Computer Vision",
    }
    assert {name: found.get(name) for name in expected} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Experience with Python, R or Julia.", ["Python", "R", "Julia"]),
        ("Strong C and C++ programming.", ["C", "C++"]),
        ("C#, .NET, Node.js and CI/CD pipelines", ["C#", ".NET", "Node.js", "CI/CD"]),
        ("We fund R&D and report to the C-level.", []),
        ("Go to market with us.", []),
        ("Backend services in Go and Rust.", ["back-end development", "Go", "Rust"]),
        ("You will spark innovation and excel at teamwork.", ["teamwork"]),
        (
            "Apache Spark, Kafka and Excel dashboards",
            ["Apache Spark", "Kafka", "Excel", "dashboards"],
        ),
        (
            "Build data pipelines over relational databases.",
            ["data pipelines", "relational databases"],
        ),
        ("k8s and sklearn", ["Kubernetes", "scikit-learn"]),
        ("Must have strong proficiency in Go.", ["Go"]),
        ("Bonus: Rust experience, hardware interface experience", ["Rust"]),
        ("The analyst reports to the C suite. 5+ years experience", []),
        ("AWS services: EC2, EMR, RDS.", ["AWS", "Amazon EC2", "Amazon EMR", "Amazon RDS"]),
        ("Work with EMR data and claims.", []),
        ("Build REST services with the rest of the team.", ["REST APIs"]),
    ],
)
def test_short_ambiguous_and_punctuated_names(text: str, expected: list[str]) -> None:
    assert names(text) == expected


def test_offsets_surface_and_evidence() -> None:
    text = "About the role.\nYou know PyTorch well. Benefits are nice."
    (mention,) = extract(text)
    assert text[mention.start : mention.end] == mention.surface == "PyTorch"
    assert mention.evidence(text) == "You know PyTorch well."


def test_evidence_in_a_very_long_sentence_is_cut_around_the_mention() -> None:
    """A posting that is one line gave each mention all of it as evidence (issue 13)."""
    text = "We use " + "many tools, " * 100 + "PyTorch" + ", and more" * 100 + "."
    (mention,) = extract(text)
    evidence = mention.evidence(text)
    assert evidence.startswith("…")
    assert evidence.endswith("…")
    assert "PyTorch" in evidence
    assert len(evidence) <= 2 * EVIDENCE_REACH + len("PyTorch") + 2


def test_a_sentence_longer_than_the_tagger_takes_is_tagged_in_parts() -> None:
    text = "Python " * (MAX_TAGGER_WORDS * 2 + 10)
    assert [m.surface for m in extract(text, tagger=True)] == ["Python"] * (
        MAX_TAGGER_WORDS * 2 + 10
    )


def test_sections_tell_required_from_preferred_and_skip_benefits() -> None:
    text = (
        "About us:\nWe love Python and Kubernetes.\n"
        "Requirements:\n- SQL\n- Experience with Airflow is a plus\n"
        "Nice to have:\n- Scala\n"
        "Benefits:\n- Free Excel training\n"
    )
    found = {m.skill.name: m.required for m in extract(text)}
    assert found == {"SQL": True, "Airflow": False, "Scala": False}
    assert [s.kind for s in sections(text)] == ["company", "requirements", "preferred", "benefits"]


def found_skills(text: str) -> dict[str, bool]:
    """Each skill found, by name, with whether it is required."""
    return {m.skill.name: m.required for m in extract(text)}


def test_a_heading_with_no_cue_ends_the_company_section() -> None:
    """After "# About the company", the stack under a heading of its own is demanded."""
    text = (
        "# About the company\nWe have built Excel add-ins since 1999.\n"
        "# Our current technology stack\nPython, Django and PostgreSQL.\n"
    )
    assert found_skills(text) == {"Python": True, "Django": True, "PostgreSQL": True}
    assert [s.kind for s in sections(text)] == ["company", "other"]


def test_a_heading_that_names_the_role_or_the_candidate_ends_the_company_section() -> None:
    """Short headings with no mark ("Role Summary", "You", "Who We Want") are read again."""
    about = "About Acme\nAcme builds tools for hotels with Java.\n"
    for heading, kind in [
        ("Role Summary", "responsibilities"),
        ("Job Description", "responsibilities"),
        ("You", "requirements"),
        ("Who We Want", "requirements"),
    ]:
        text = f"{about}{heading}\nYou know Python and SQL well.\n"
        assert found_skills(text) == {"Python": True, "SQL": True}, heading
        assert [s.kind for s in sections(text)] == ["company", kind], heading


def test_a_heading_naming_the_stack_ends_the_company_section() -> None:
    text = "About us\nWe are a data company.\nTechnologies we use\nJavascript, Jinja\n"
    assert found_skills(text) == {"JavaScript": True, "Jinja": True}


def test_a_company_label_line_of_a_hacker_news_post_asks_for_nothing() -> None:
    text = (
        "Acme | Full time\n"
        " Company : We're a small software company in domains including computer vision.\n"
        " Technologies : Mostly C++23, git.\n"
    )
    assert found_skills(text) == {"C++": True, "Git": True}


def test_the_titles_of_linked_roles_ask_for_nothing() -> None:
    """ "- ML Infra Software Engineer: https://…" names a role, as a header's field does."""
    text = (
        "Acme | SF | Multiple Roles\nWe're hiring:\n"
        "- Backend Software Engineer:  https://jobs.example.com/1\n"
        "- ML Infra Software Engineer:  https://jobs.example.com/2\n"
        "You know Python and machine learning.\n"
    )
    assert found_skills(text) == {"Python": True, "machine learning": True}
    assert [m.start for m in extract(text) if m.skill.name == "machine learning"] == [
        text.index("machine learning")
    ]


def test_why_us_is_about_the_company() -> None:
    text = "Requirements\nPython.\nWhy Us\nWe built Excel add-ins since 1999.\n"
    assert found_skills(text) == {"Python": True}


def test_the_work_named_in_a_company_section_is_demanded() -> None:
    """ "About the company: ... our tech stack (TypeScript + Python)" is what the hire uses."""
    text = (
        "About the company:\n\u2022 Backed by well-known VCs using Kafka\n"
        "\u2022 Freedom to shape our tech stack (TypeScript + Python)\n"
    )
    assert found_skills(text) == {"TypeScript": True, "Python": True}
    text = "About us:\nWe sell Excel add-ins. You will work on ETL projects in Airflow.\n"
    assert found_skills(text) == {"ETL": True, "Airflow": True}


def test_a_stack_label_in_a_company_section_speaks_for_its_whole_line() -> None:
    """Its later sentences name the stack too; the next line is the company's again."""
    text = (
        "About the company:\n"
        " * Tech Stack/Technologies: Python and PyTorch for ML. AWS and Docker support "
        "deployment.\n"
        " * Backed by investors who use Kafka.\n"
    )
    assert found_skills(text) == {
        "Python": True,
        "PyTorch": True,
        "machine learning": True,
        "AWS": True,
        "Docker": True,
    }


def test_a_run_on_line_prefers_only_the_item_that_says_so() -> None:
    """Bullets scraped onto one line: "Python preferred" prefers Python, not the next item."""
    text = (
        "Knowledge of data warehouses and how they are loaded and kept "
        * 6
        + "Proficiency in at least one scripting language, Python preferred Strong Linux "
        "experience Expertise in distributed systems Experience with Scala is a plus "
        "Knowledge of Kafka and of databases such as MongoDB"
    )
    found = found_skills(text)
    assert (found["Python"], found["Linux"], found["Scala"], found["MongoDB"]) == (
        False,
        True,
        False,
        True,
    )


def test_a_name_written_in_camel_case_does_not_end_a_sentence() -> None:
    """ "TensorFlow" is one word: the sentence's "a plus" reaches it ("dataAn" still breaks)."""
    assert found_skills("Experience with TensorFlow or PyTorch is a plus.") == {
        "TensorFlow": False,
        "PyTorch": False,
    }
    assert found_skills("Skills in SQL are a plusAn MSc in Python is needed") == {
        "SQL": False,
        "Python": True,
    }


def test_inline_bullets_and_dotted_or_associate_degrees_are_read() -> None:
    """ " * " and ";" end what a cue reaches; "B.S. in Maths" and "Associates in …" are degrees."""
    assert found_skills("Minimum B.S. in Mathematics or related quant field") == {
        "mathematics degree": True
    }
    assert found_skills("Associates in Computer Science, or 2 years in software roles") == {
        "computer science degree": True
    }
    assert found_skills("Tableau is a big plus * Must know SQL") == {"Tableau": False, "SQL": True}
    assert found_skills("Experience with PostgreSQL; Kafka is a plus") == {
        "PostgreSQL": True,
        "Kafka": False,
    }


def test_a_heading_run_into_a_line_still_starts_its_section() -> None:
    """Scraping left many postings on one line: "…SQL.Preferred QualificationsSpark…"."""
    text = (
        "Acme makes office chairs for small firms in many places, with showrooms in four "
        "cities.Responsibilities:\u2022 Build ETL in Python.Preferred QualificationsSpark "
        "experience"
    )
    assert found_skills(text) == {"ETL": True, "Python": True, "Apache Spark": False}
    assert [s.kind for s in sections(text)] == ["other", "responsibilities", "preferred"]


def test_a_heading_set_apart_only_by_what_runs_on_from_it_starts_its_section() -> None:
    """ "…relevant experience Preferred SkillsExperience in NLP…": spaces on one side only."""
    text = (
        "Acme makes office chairs for small firms in many places, with showrooms in four "
        "cities. You build ETL in Python with 7 years of relevant experience Preferred "
        "SkillsExperience with Spark. Still in the same long line."
    )
    assert found_skills(text) == {"ETL": True, "Python": True, "Apache Spark": False}
    assert found_skills("You know Python and SQL. Required Skills in Docker help.") == {
        "Python": True,
        "SQL": True,
        "Docker": True,
    }


def test_a_product_or_the_team_as_a_sentences_subject_is_not_the_company() -> None:
    """Only a sentence that names the company and does not address the candidate is its."""
    assert names("Python provides our stack's backbone, so you must know Python and Django.") == [
        "Python", "Python", "Django"
    ]  # fmt: skip
    assert names("Applicants provide proof of Python skills.") == ["Python"]
    assert names("Data Engineering partners with Product to ship Spark pipelines.") == [
        "data engineering", "Apache Spark"
    ]  # fmt: skip
    run_on = "Acme provides analytics to retailers " + "and you know Python and SQL " * 14
    assert {"Python", "SQL"} <= set(names(run_on))


def test_a_closing_bracket_run_into_a_capital_ends_a_sentence() -> None:
    """ "…PySpark (ML, MLlib)Experience using Tableau (strongly preferred)": PySpark is asked."""
    text = (
        "Experience with Python and PySpark (ML, MLlib)Experience using Tableau for "
        "dashboards (strongly preferred)"
    )
    found = found_skills(text)
    assert (found["PySpark"], found["Tableau"]) == (True, False)


def test_the_team_and_the_work_are_not_the_company() -> None:
    """ "About the Team" describes the work; "What You\u2019ll Do" (a curly apostrophe) heads it."""
    text = "Who We Are:\nWe sell Excel add-ins.\nWhat You\u2019ll Do:\nBuild ETL in Python.\n"
    assert [s.kind for s in sections(text)] == ["company", "responsibilities"]
    assert found_skills(text) == {"ETL": True, "Python": True}
    assert [s.kind for s in sections("About the Team\nWe use Kafka.\n")] == ["other"]


def test_a_short_bullet_is_an_item_not_a_heading() -> None:
    """A perk "- Referral bonuses" is no heading: what follows it is a perk too."""
    text = "Requirements:\n- SQL\nPerks:\n- Referral bonuses\n- Docker training\n"
    assert found_skills(text) == {"SQL": True}


@pytest.mark.parametrize(
    "line",
    [
        "Docker would be a plus.",
        "Docker is preferrable.",
        "We'd be particularly excited if you know Docker.",
        "Docker is an advantage.",
    ],
)
def test_preference_cues_in_a_sentence(line: str) -> None:
    assert found_skills(f"You need SQL. {line}") == {"SQL": True, "Docker": False}


def test_advantages_in_capitals_head_the_preferred_skills() -> None:
    assert found_skills("REQUIREMENTS\nSQL\nADVANTAGES\nDocker\n") == {"SQL": True, "Docker": False}


def test_equal_opportunity_benefit_and_salary_sentences_demand_nothing() -> None:
    text = (
        "You know Python.\n"
        "We are an equal opportunity employer and follow labour law.\n"
        "Salary range: $120k-$150k, plus a SQL course budget.\n"
        "Benefits include health insurance and Excel training.\n"
    )
    assert found_skills(text) == {"Python": True}


def test_a_long_equal_opportunity_sentence_demands_nothing_it_lists() -> None:
    """Over 400 characters, a sentence is read only near the skill: "political beliefs" here."""
    statement = (
        "Equal Employment Opportunity Statement: The University of Oklahoma, in compliance "
        "with all applicable federal and state laws and regulations, does not discriminate based "
        "on race, color, national origin, sex, sexual orientation, genetic information, gender "
        "identity, gender expression, age, religion, disability, political beliefs, or status "
        "as a veteran in any of its policies, practices, or procedures."
    )
    assert len(statement) > 400
    assert found_skills(f"You know Python.\n{statement}") == {"Python": True}
    blob = "You know Hive and Redshift " * 14 + "We are an equal opportunity employer."
    assert found_skills(blob) == {"Hive": True, "Redshift": True}


def test_the_company_named_as_a_sentences_subject_asks_for_nothing() -> None:
    """Boilerplate often follows the last requirement with no heading of its own."""
    text = (
        "Requirements\nYou know Python.\n"
        "Novetta delivers highly scalable advanced analytics and machine learning.\n"
        "Iteratively delivers functionality using Docker.\n"
        "The Data Analyst provides reports in SQL.\n"
    )
    assert found_skills(text) == {"Python": True, "Docker": True, "SQL": True}


def test_sentences_about_the_company_demand_nothing_in_a_post_without_headings() -> None:
    """A Hacker News post is one paragraph: its sentences about the company ask for nothing."""
    text = (
        "Acme | Data Engineer | Remote. Acme was founded by the creator of pandas and we "
        "raised $20M from investors who love Kubernetes. You will build pipelines in Python "
        "and SQL."
    )
    assert found_skills(text) == {"Python": True, "SQL": True}
    text = (
        "Genomics plc is a leading analysis company developing algorithms for genetics. "
        "Evidium\u2019s mission is to create reliable AI. You will write Python."
    )
    assert found_skills(text) == {"Python": True}


def test_a_products_description_and_the_companys_clients_ask_for_nothing() -> None:
    """ "X is the … database" is the product; "we work with companies (Docker, …)" clients."""
    text = (
        "Chroma is the open-source search and retrieval database for AI applications. "
        "We work with some amazing companies (Docker, Riot Games). You will write Rust."
    )
    assert found_skills(text) == {"Rust": True}
    text = "This is a broad role on the platform team including AWS infra with Terraform."
    assert found_skills(text) == {"AWS": True, "Terraform": True}


def test_an_educational_background_or_a_bs_without_its_last_stop_is_a_degree() -> None:
    """Its fields are a degree's: "Educational background in Statistics", "B.S or M.S in"."""
    assert found_skills("Educational background in Statistics or Physics.") == {
        "statistics degree": True,
        "physics degree": True,
    }
    assert found_skills("B.S or M.S in Computer Science or Mathematics") == {
        "computer science degree": True,
        "mathematics degree": True,
    }


def test_a_hacker_news_headers_role_field_names_titles_not_skills() -> None:
    """ "Acme | Full-stack Product Engineer | NYC" is a kind of role; a language in it is asked."""
    text = (
        "Acme | Full-stack Product Engineer, DevSecOps Engineer, Go Developer | NYC | ONSITE\n"
        "You will build on AWS."
    )
    assert found_skills(text) == {"Go": True, "AWS": True}
    assert found_skills("Acme | Python, Django, Postgres | Remote\nJoin us.") == {
        "Python": True,
        "Django": True,
        "PostgreSQL": True,
    }


def test_a_degree_in_a_run_on_line_names_fields_until_the_next_item() -> None:
    """One line of bullets: "Degree in Statistics" is a degree; the next item asks for skills."""
    text = (
        "We build maps and charts for teams in many cities and many countries "
        * 5
        + "What You Need Bachelor's degree in Statistics or Economics "
        "* 2 years of experience in data science and machine learning"
    )
    found = found_skills(text)
    assert "statistics degree" in found
    assert {"data science", "machine learning"} <= set(found)


def test_a_company_introducing_itself_at_length_asks_for_nothing() -> None:
    """ "We're a Python-native serverless platform built on Apache Iceberg" is the product."""
    text = (
        "We're a Python-native serverless platform built on Apache Iceberg with ETL tools. "
        "You will write Rust."
    )
    assert found_skills(text) == {"Rust": True}
    assert names("Design posts in Canva. Learn Google's creative canvas.") == ["Canva"]
    boasts = (
        "Perry Street publishes two of the world's largest dating apps on iOS and Android. "
        "Our expertise in Agile consulting is award-winning. You will write Ruby and SQL."
    )
    assert names(boasts) == ["Ruby", "SQL"]
    products = (
        "PostHog equips developers with product analytics, a data warehouse and a CDP. "
        "Steel is building browser infrastructure for AI agents. You will write Python."
    )
    assert names(products) == ["Python"]
    platform = (
        "The platform gives businesses automations that combine email marketing and CRM. "
        "Customers use its integrations including Shopify and Salesforce. You will write SQL."
    )
    assert names(platform) == ["SQL"]


def test_how_to_apply_asks_for_nothing_however_long_its_line() -> None:
    """ "How to apply: … GitHub link and LinkedIn profile" is what to send, not skills."""
    post = (
        "Acme | Data Engineer | Remote\nWe need Python and SQL.\nHow to apply: Email us a "
        "brief introduction, two favorite projects, a GitHub or GitLab link, and a LinkedIn "
        "profile or resume, and tell us about the last time you used Docker at work.\n"
    )
    assert names(post) == ["Python", "SQL"]


def test_a_skill_ending_the_companys_name_is_the_name() -> None:
    """ "Beacon AI | San Carlos" heads a Hacker News post, "At Phantom AI," opens a sentence."""
    header = "Beacon AI | San Carlos, CA | Hybrid\nBeacon AI builds aircraft. You know AI."
    assert [(m.surface, m.start) for m in extract(header)] == [("AI", header.rindex("AI"))]
    at = "At Phantom AI, you will build perception models in Python."
    assert names(at) == ["Python"]
    assert names("Senior Python Developer | Acme | Remote") == ["Python"]


def test_partner_management_and_go_to_market_strategy_are_skills() -> None:
    """Sales and partner roles ask for both; "Go-to-Market" names no Go."""
    text = "Experience in partner management and delivering Go-to-Market strategies."
    assert names(text) == ["partner management", "go-to-market strategy"]


def test_google_clouds_partners_and_teams_are_no_skill() -> None:
    """Google's postings name its cloud's business: "Google Cloud partners" ask for nothing."""
    assert names("Work with Google Cloud partners and the Google Cloud Platform business.") == []
    assert names("Experience with Google Cloud Platform.") == ["Google Cloud"]


def test_cloud_providers_and_environments_name_cloud_computing() -> None:
    text = (
        "Experience with a cloud provider. You work in cloud environments; strong cloud experience."
    )
    assert names(text) == ["cloud computing"] * 3


def test_a_curly_apostrophe_still_says_it_is_the_company() -> None:
    text = "We\u2019re building an edge-AI camera platform with Kubernetes. You know Python."
    assert found_skills(text) == {"Python": True}


def test_a_degree_field_is_set_apart_from_the_skills_asked_for() -> None:
    """ "MS in Computer Science or Statistics" names a degree; "statistics" alone is a skill."""
    degree = {m.skill.name: m.skill.soft for m in extract("MS in Computer Science or Statistics.")}
    assert degree == {"computer science degree": True, "statistics degree": True}
    skill = {m.skill.name: m.skill.soft for m in extract("You know statistics and SQL well.")}
    assert skill == {"statistics": False, "SQL": False}


def test_knowledge_of_a_field_asked_beside_a_degree_is_the_skill() -> None:
    text = "Requirements: a Master's degree in a quantitative field and knowledge of statistics."
    assert names(text) == ["statistics"]
    assert names("Requirements: a BS in Statistics or Mathematics.") == [
        "statistics degree",
        "mathematics degree",
    ]


def test_how_to_send_an_application_and_what_a_named_company_creates_ask_for_nothing() -> None:
    assert names("Submit a resume and code samples (preferably on GitHub) to apply.") == []
    assert names("MachineMax are creating a service to analyse and visualise data.") == []


def test_the_fields_a_degree_is_in_are_not_skills_asked() -> None:
    """ "Degree in Market Research, Psychology" lists fields; a skill after the list is asked."""
    assert names("BA/BS degree in Market Research, Psychology, Social Science.") == []
    assert names("PhD in representation learning, unsupervised learning, or similar.") == []
    assert names("Degree in a field such as bioinformatics or genetics.") == []
    assert names("Bachelor of Science in Market Research or Psychology.") == []
    assert names("A high degree of care and data analysis skills.") == ["data analysis"]
    assert names("A degree in Physics and experience in market research.") == [
        "physics degree",
        "market research",
    ]


def test_words_that_are_skills_only_in_other_senses_are_not_matched() -> None:
    """Each of these fired on an ordinary word in the shared postings (issue 17)."""
    text = (
        "Make recommendations to leaders on new initiatives. Handle structured and "
        "unstructured data. Obtain a security clearance. See our GitHub: github.com/acme. "
        "Work in information technology with curiosity."
    )
    assert names(text) == []


def test_a_tool_esco_and_onet_both_name_is_one_skill() -> None:
    """ "MS Access" (ESCO's form) and "Microsoft Access" (O*NET's) counted apart in demand."""
    found = {m.skill.id for m in extract("Skills: MS Access and Microsoft Access, MS Visio.")}
    assert found == {"onet:microsoft-access", "onet:microsoft-visio"}


def test_distinct_tools_are_kept_distinct() -> None:
    assert names("We deploy with Helm on Kubernetes; the UI is React.") == [
        "Helm",
        "Kubernetes",
        "React",
    ]
    assert names("Apps in React Native or Flutter; a sound software architecture.") == [
        "React Native",
        "mobile development",
        "software architecture",
    ]


def test_a_vetted_one_word_esco_label_is_matched_and_its_loose_aliases_are_not() -> None:
    assert names("Knowledge of accounting is essential.") == ["accounting"]
    assert names("Experience in finance is welcome.") == []


@pytest.mark.parametrize(
    "surface",
    [",", "Note: **", "Strong", "hands-on", "Hybrid)", "VSCode)", "write you an angry email"],
)
def test_what_the_tagger_finds_that_is_no_skill_is_dropped(surface: str) -> None:
    assert is_noise(surface)


@pytest.mark.parametrize("surface", ["Oracle", "manage stakeholder expectations", "C++"])
def test_what_the_tagger_finds_that_is_a_skill_is_kept(surface: str) -> None:
    assert not is_noise(surface)


@pytest.mark.parametrize(
    "surface",
    [
        "interpersonal skills",
        "positive attitude",
        "work in a fast-paced environment",
        "manage multiple projects",
        "build influential relationships",
    ],
)
def test_a_trait_the_tagger_finds_is_a_soft_skill(surface: str) -> None:
    """The tagger's most frequent phrases over the shared postings were traits like these."""
    assert unlinked_skill(surface).soft


@pytest.mark.parametrize("surface", ["data infrastructure", "web services", "data relationships"])
def test_a_technical_phrase_the_tagger_finds_is_no_soft_skill(surface: str) -> None:
    assert not unlinked_skill(surface).soft


def test_a_skill_the_taxonomy_does_not_name_gets_a_domain_from_its_words() -> None:
    assert unlinked_domain(["oracle"]) == "Data Engineering"
    assert unlinked_domain(["multi", "cloud"]) == "MLOps/Cloud"
    assert unlinked_domain(["origami"]) == "Other"


def test_a_job_title_or_a_team_is_not_an_ask() -> None:
    """ "Machine Learning Engineer" names the job; "machine learning" in the text is the skill."""
    assert names("Machine Learning Engineer. Join the Data Science team.") == []
    assert names("Machine Learning Engineer. You know machine learning.") == ["machine learning"]
    assert names("You leverage machine learning algorithms.\nThis position is new.") == [
        "machine learning"
    ]


def test_a_form_does_not_run_on_past_a_comma_a_stop_or_a_bullet() -> None:
    """ "Oracle, SQL" names two tools, not Oracle's SQL; a wrapped line still runs on."""
    assert names("We make recommendation, systems and tools for SQL users.") == ["SQL"]
    assert names("Our stack: Oracle, SQL and Python.") == ["Oracle Database", "SQL", "Python"]
    assert names("Strong data\nwrangling in pandas") == ["data cleaning", "pandas"]
    assert names("Experience with scikit-learn, CI/CD and R&D.") == ["scikit-learn", "CI/CD"]


def test_a_list_of_teams_names_teams_not_skills() -> None:
    assert names("Work with the data science, product, and other key departments.") == []
    assert names("Partner with our Data Science, Media and Product teams.") == []
    assert names("Maintain data integrity and work with teams to fix it.") == ["data integrity"]
    assert names("Work with the Android Camera team on C++ algorithms.") == ["C++", "algorithms"]
    assert names("Work with SQL, Python, Product, Content, Growth teams.") == ["SQL", "Python"]
    assert names("We're hiring across Engineering and Data Science / ML roles.") == []
    assert names("Support the Data Science and Analytics organizations.") == []
    assert names("A team encompassing R&D, Operations, Quality and Project Management.") == []
    assert names("Work with teams, including product management and data engineering.") == []
    assert names("Support R&D to capture, interpret, and use SQL and Python.") == [
        "SQL",
        "Python",
    ]
    assert names("Join a team of data science and BI professionals.") == []
    assert names("Build data ingestion, data management, and organization.") == [
        "data ingestion",
        "data management",
    ]
    assert names("Experience with HDFS/S3/ADLS/Kudu, this role offers a lot.") == [
        "Hadoop",
        "Amazon S3",
        "Azure Data Lake Storage",
        "Kudu",
    ]


def test_a_line_of_the_postings_particulars_asks_for_nothing() -> None:
    """ "Group: Data Sciences and Analytics" and LinkedIn's closing particulars name no skill."""
    text = (
        "Division: Computing and Analytics\nGroup: Data Sciences and Analytics\n"
        "Job Title: Machine Learning Engineer (Python)\n\nRequirements\n- SQL and Tableau\n\n"
        "Seniority level\nAssociate\nIndustries\nAccounting\nComputer Networking\n"
    )
    assert found_skills(text) == {"SQL": True, "Tableau": True}


def test_a_label_opening_a_long_line_is_no_particular() -> None:
    """A posting scraped onto one line may open with "Business Unit:" and go on to ask."""
    text = "Business Unit: Data Scientist. " + "We are growing fast. " * 10 + "You know SQL."
    assert found_skills(text) == {"SQL": True}


def test_plurals_meet_their_singular() -> None:
    assert normalise("Databases") == normalise("database")
    assert normalise("technologies") == "technology"
    assert normalise("analysis") == "analysis"
    assert normalise("analyses") == "analysis"
    assert normalise("hypotheses") == "hypothesis"
    assert names("Experience with survival analyses.") == ["survival analysis"]


def test_a_field_in_ics_is_not_the_plural_of_its_adjective() -> None:
    """ "economic growth" and "unit economics" are no mention of economics."""
    assert normalise("economics") != normalise("economic")
    assert names("We power economic growth. You know statistics.") == ["statistics"]


def test_a_bullet_ends_a_sentence_run_into_one_line() -> None:
    """Scraped lists come as one line, far longer than a sentence: each bullet is its own."""
    items = [
        "Excellent problem-solving and critical-thinking skills with a keen eye for detail",
        "Ability to convey complex insights to both technical and non-technical audiences",
        "Ability to manage multiple projects at once while keeping a high standard of work",
        "Degree in a quantitative discipline, such as finance or economics",
        "Knowledge of SQL and Tableau, and of the data our analysts use every day",
    ]
    line = "Required Skills and Experience " + " ".join(f"\u2022{item}" for item in items)
    assert len(line) > 400
    found = {m.skill.name: m.skill.soft for m in extract(line) if m.skill.type != "soft skill"}
    assert found == {"economics degree": True, "SQL": False, "Tableau": False}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Experience with data collection and analysis.", ["data collection", "data analysis"]),
        (
            "Prepare data for predictive and prescriptive modeling.",
            ["predictive modelling", "prescriptive analytics"],
        ),
        (
            "You know supervised and unsupervised learning.",
            ["supervised learning", "unsupervised learning"],
        ),
        (
            "Best practices in software design and testing.",
            ["software engineering", "software testing"],
        ),
        ("Build and release models that delight.", []),
        (
            "Knowledge of relational and non-relational databases.",
            ["relational databases", "NoSQL"],
        ),
        (
            "Develops descriptive, predictive and prescriptive analytics.",
            ["descriptive analytics", "predictive modelling", "prescriptive analytics"],
        ),
        (
            "Knowledge of functional & object-oriented programming.",
            ["functional programming", "object-oriented programming"],
        ),
        ("Manage recognition programs, reorganizations and management issues.", []),
        (
            "Clean and manage data, statistical and predictive modeling.",
            ["data cleaning", "data management", "statistics", "predictive modelling"],
        ),
    ],
)
def test_a_word_sharing_its_phrase_names_the_skill(text: str, expected: list[str]) -> None:
    """The shared words make the form: "analysis" is data analysis beside "data collection"."""
    assert names(text) == expected


def test_the_tagger_links_its_span_to_the_skill_a_shared_word_names() -> None:
    """The tagger's "analysis" names no skill alone; the phrase it shares makes it data analysis."""
    found = extract("We need data collection and analysis skills.", tagger=True)
    assert [m.skill.name for m in found] == ["data collection", "data analysis"]
    assert found[1].surface.startswith("analysis")  # with or without "skills", as trained


def test_many_postings_on_every_core_match_one_at_a_time() -> None:
    texts = [
        f"Posting {i}: Python, SQL and Docker. Nice to have: Rust programming." for i in range(300)
    ]
    assert extract_many(texts, processes=2) == [findings(t) for t in texts]
    assert findings(texts[0])["dm:rust"] == (False, 1)


def test_demand_report_counts_shares_roles_and_pairs() -> None:
    taxonomy = load_taxonomy()
    postings = [
        AnalysedPosting("data scientist", None, {"dm:python": (True, 2), "dm:sql": (False, 1)}),
        AnalysedPosting("data scientist", None, {"dm:python": (True, 1)}),
        AnalysedPosting("data analyst", None, {"dm:sql": (True, 1)}),
        AnalysedPosting("data analyst", None, {}),
    ]
    report = demand_report(postings, taxonomy)
    shares = {s.name: (s.share, s.required_share) for s in report.skills}
    assert shares == {"Python": (0.5, 0.5), "SQL": (0.5, 0.25)}
    assert [role.role for role in report.roles] == ["data analyst", "data scientist"]  # a tie
    assert report.co_occurring == (SkillPair(("Python", "SQL"), postings=1, share=0.25),)


def test_the_shipped_taxonomy_is_what_the_script_builds() -> None:
    if not (SHARED / "corpus" / "taxonomies").is_dir():
        pytest.skip("../shared is absent")
    script = Path(__file__).resolve().parents[1] / "scripts" / "build_taxonomy.py"
    spec = importlib.util.spec_from_file_location("build_taxonomy", script)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.encode(module.build()) == module.OUTPUT.read_bytes(), (
        "run: python scripts/build_taxonomy.py"
    )


def test_the_tagger_finds_phrases_the_dictionary_misses_and_links_what_it_can() -> None:
    text = (
        "Responsibilities:\n- Communicate results to stakeholders\n"
        "- Ensure high quality of code through testing\n- Deploy models with PyTorch."
    )
    tagged = extract(text, tagger=True)
    found = {m.surface: m.skill.id for m in tagged}
    assert any(skill.startswith("span:") for skill in found.values()), found
    assert found.get("PyTorch", "dm:pytorch") == "dm:pytorch"
    assert "dm:pytorch" in found.values()
    assert all(text[m.start : m.end] == m.surface for m in tagged)
    assert not any(m.surface.endswith(".") for m in tagged)


def test_the_tagger_keeps_every_skill_of_the_seed_qualifications(seed_readme: str) -> None:
    paragraph = seed_readme[
        seed_readme.index("##### **Example Qualifications") : seed_readme.index("## Curriculum")
    ]
    plain = {m.skill.name for m in extract(paragraph) if m.skill.source != "tagger"}
    tagged = {m.skill.name for m in extract(paragraph, tagger=True)}
    assert plain <= tagged


def _train_tagger(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    script = Path(__file__).resolve().parents[1] / "scripts" / "train_tagger.py"
    spec = importlib.util.spec_from_file_location("train_tagger", script)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # its dataclasses look themselves up
    spec.loader.exec_module(module)
    return module


def test_the_shipped_tagger_is_what_the_script_trains(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not (SHARED / "corpus" / "labelled" / "skillspan").is_dir():
        pytest.skip("../shared is absent")
    module = _train_tagger(monkeypatch)
    shipped = module.OUTPUT.read_bytes()
    vars(module)["OUTPUT"] = tmp_path / "tagger.crfsuite"
    module.main()
    assert module.OUTPUT.read_bytes() == shipped, "run: python scripts/train_tagger.py"


def test_the_tagger_reads_a_posting_as_its_training_does() -> None:
    sentences = list(tagger_inputs("You know Python and SQL. Docker is a plus!"))
    assert [[w.group() for w in s.words] for s in sentences] == [
        ["You", "know", "Python", "and", "SQL", "."],
        ["Docker", "is", "a", "plus", "!"],
    ]
    assert [s.known for s in sentences] == [[(2, 3), (4, 5)], [(0, 1)]]


def test_an_annotated_posting_teaches_the_tagger_its_forms_as_whole_words(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    module = _train_tagger(monkeypatch)
    text = "Machine learning with python, and learning. Pythonic code."
    posting = module.AnnotatedPosting(("x", "1"), text, ("machine learning", "Python", "learning"))
    assert [text[s:e] for s, e in module.form_spans(text, posting.forms)] == [
        "Machine learning",
        "python",
        "learning",
    ]
    examples = module.posting_examples(posting)
    assert [tags for _, tags in examples] == [
        ["B", "E", "O", "S", "O", "O", "S", "O"],
        ["O", "O", "O"],
    ]
    assert examples[0][0][0]["w=machine"] == 1.0
    assert len(module.posting_examples(posting, skilled_only=True)) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("You will collect and analyse data.", ["data collection", "data analysis"]),
        (
            "Clean, validate and transform data.",
            ["data cleaning", "data validation", "data transformation"],
        ),
        ("Design and analyze experiments.", ["experimental design"]),
        ("Deploying models to production.", ["model deployment"]),
        ("Analyze data pipelines.", ["data pipelines"]),
        ("You will design. Experiments follow.", []),
        ("Deploy machine learning models.", ["model deployment", "machine learning"]),
        ("Build models, synthesize stories from data.", []),
        ("Model data for the warehouse.", ["data modelling"]),
        ("Train AI models on new data.", ["model training", "artificial intelligence"]),
        ("It inspects, cleans and models the data.", ["data cleaning", "data modelling"]),
        (
            "Train, deploy, and monitor AI and machine learning models.",
            [
                "model training",
                "model deployment",
                "model monitoring",
                "artificial intelligence",
                "machine learning",
            ],
        ),
        ("Build and prototype dashboards.", ["prototyping", "dashboards"]),
    ],
)
def test_a_verb_and_its_object_name_a_practice(text: str, expected: list[str]) -> None:
    """ "Analyse the data" asks for data analysis, unless the object is a skill of its own; in
    "build models … data" the plural is what is built, not the verb "model"."""
    assert names(text) == expected


def test_words_scraping_ran_together_are_read_apart() -> None:
    text = "Expertise with Python/ScalaJavaFamiliarity with SQLExcellent JavaScript and node.js"
    assert names(text) == ["Python", "Scala", "Java", "SQL", "JavaScript", "Node.js"]
    years = "All phases of a software development lifecycle3+ years with Java8+ and Python3."
    assert names(years) == ["software development life cycle", "Java", "Python"]


def test_a_form_is_found_from_a_word_cut_out_of_a_run_together_token() -> None:
    """Only tokens that may start a form are tried (issue 18): a piece cut from a token counts,
    and an exact form ("Go") opens by its normalised word."""
    text = "Strong backgroundMachine learning, SQLMachine learning and Go programming."
    assert names(text) == ["machine learning", "SQL", "machine learning", "Go"]


@pytest.mark.parametrize("trap", ["plu\u017f", "PLUS, \u0131 know", "plus, \u0130stanbul"])
def test_a_cue_is_read_in_a_posting_that_lower_cases_otherwise(trap: str) -> None:
    """Cues are searched in the lower-cased text, except where lower-casing is not what
    ignoring case reads: a long s is an "s", and a dotted capital I lowers to two characters."""
    assert found_skills(f"You need SQL. Docker is a {trap}.") == {"SQL": True, "Docker": False}


def test_the_cues_searched_lower_cased_are_written_in_lower_case() -> None:
    cues = (
        sectioning._NOT_DEMANDED,
        sectioning._ABOUT_THE_COMPANY,
        sectioning._INLINE_PREFERRED,
        sectioning._DEGREE,
    )
    assert all(cue.lowered.pattern == cue.lowered.pattern.lower() for cue in cues)


def test_a_word_after_a_form_can_make_it_something_else() -> None:
    assert names("Reporting to the CFO, you will own reporting and analysis.") == ["reporting"]


def test_tools_are_found_by_the_names_postings_give_them() -> None:
    """O*NET says "Microsoft Visio" and "Ansible software"; postings say "Visio", "Ansible"."""
    assert names("Diagrams in Visio, reports in SSRS, servers set up with Ansible.") == [
        "Microsoft Visio",
        "Microsoft SQL Server Reporting Services SSRS",
        "Ansible software",
    ]
    assert names("Write a Word document and Access the Project.") == []


def test_a_degree_is_read_in_dotted_and_run_together_sentences() -> None:
    degree = {m.skill.name for m in extract("At least a B.Sc. in Applied Mathematics.")}
    assert degree == {"mathematics degree"}
    glued = {m.skill.name for m in extract("You know pandasAn advanced degree in Math")}
    assert glued == {"pandas", "mathematics degree"}


def test_a_malformed_action_names_the_skill_and_field() -> None:
    entry = {"id": "a", "name": "A", "type": "practice", "source": "curated", "domains": ["Other"]}
    with pytest.raises(TaxonomyError, match=r"skill 0 \(a\): actions must be"):
        parse_taxonomy({"skills": [{**entry, "actions": ["analyse the data"]}]})
    with pytest.raises(TaxonomyError, match=r"skill 0 \(a\): not_before must be"):
        parse_taxonomy({"skills": [{**entry, "not_before": ["Reporting To"]}]})
    with pytest.raises(TaxonomyError, match=r"skill 0 \(a\): head_of must be a list of types"):
        parse_taxonomy({"skills": [{**entry, "head_of": ["table"]}]})


#: What the extractor of each version finds in the first postings of ../shared/corpus/jobs.
EXTRACTOR_RECORD = Path(__file__).parent / "extractor_findings.json"
RECORDED_POSTINGS = 300


def test_the_rules_version_names_what_the_rules_find() -> None:
    """Stored postings are found again only when the version changes: it must change with them."""
    jobs = SHARED / "corpus" / "jobs"
    if not jobs.is_dir():
        pytest.skip(f"{jobs} is absent (../shared is not beside the project)")
    texts = [p.text for p in itertools.islice(read_path(jobs), RECORDED_POSTINGS)]
    found = json.dumps([findings(text) for text in texts], sort_keys=True)
    now = {"version": extractor_version(), "findings": hashlib.sha256(found.encode()).hexdigest()}
    recorded = json.loads(EXTRACTOR_RECORD.read_text(encoding="utf-8"))
    if recorded["version"] == now["version"]:
        assert recorded["findings"] == now["findings"], (
            "the extractor finds something else under the same version: raise RULES_VERSION "
            "in src/diymasters/skills/extraction.py, then record it with "
            "DIYMASTERS_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/test_skills.py"
        )
    elif os.environ.get("DIYMASTERS_UPDATE_SNAPSHOTS") == "1":
        EXTRACTOR_RECORD.write_text(json.dumps(now, indent=2) + "\n", encoding="utf-8")
    else:
        pytest.fail(
            f"the extractor is now {now['version']!r}: record what it finds with "
            "DIYMASTERS_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/test_skills.py"
        )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Experience with Python, Django, Tornado and Twilio.",
            ["Python", "Django", "Tornado", "Twilio"],
        ),
        (
            "Our stack: React, Node.js, Sentry, Honeycomb.",
            ["React", "Node.js", "Sentry", "Honeycomb"],
        ),
        ("Experience with Python and Twilio.", ["Python"]),
        ("Python, SQL and Business Analysts.", ["Python", "SQL"]),
        (
            "A degree in Statistics, Mathematics, Cognitive Science or Anthropology.",
            ["statistics degree", "mathematics degree"],
        ),
        ("Python and SQL. Tornado, Twilio.", ["Python", "SQL"]),
        ("Python, SQL, 26 and 2020", ["Python", "SQL"]),
        ("Python, SQL, Tableau and 19M+ companies.", ["Python", "SQL", "Tableau"]),
        ("Python, SQL, Tableau, processing.Quantifying", ["Python", "SQL", "Tableau"]),
        ("Python, SQL, Tableau, Socket.Io", ["Python", "SQL", "Tableau", "Socket.Io"]),
        ("Python, Tableau, Qliksense preferred", ["Python", "Tableau", "Qliksense"]),
        ("Description/Expectations*Improved maintenance, Python and SQL.", ["Python", "SQL"]),
    ],
)
def test_a_name_listed_beside_known_skills_is_a_skill(text: str, expected: list[str]) -> None:
    """A list that names two known skills vouches for its other names, however new."""
    assert names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Knowledge of applied statistics such as MVDA, DOE, MSPC.",
            ["statistics", "MVDA", "DOE", "MSPC"],
        ),
        (
            "NoSQL databases (Couchbase, MongoDB, Memcache).",
            ["NoSQL", "Couchbase", "MongoDB", "Memcached"],
        ),
        ("BI tools, e.g. Looker, Periscope.", ["business intelligence", "Looker", "Periscope"]),
        (
            "Edge AI (YOLO, NCNN, OpenVINO)",
            ["artificial intelligence", "object detection", "NCNN", "OpenVINO"],
        ),
        (  # a list and the examples "stack (" introduces: each name is found once
            "AZURE stack (ADLS, Data Factory, Databricks)",
            ["Azure", "Azure Data Lake Storage", "Data Factory", "Databricks"],
        ),
    ],
)
def test_a_skill_vouches_for_the_examples_it_introduces(text: str, expected: list[str]) -> None:
    """ "Such as", "e.g." or a bracket after a known skill lists its kinds, however new."""
    assert names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Senior SWE, AI (SF, NYC, DC).", ["artificial intelligence"]),
        ("Build ETL (Extract, Transform & Load) pipelines.", ["ETL"]),
        ("Python, used by companies such as Google, Elastic.", ["Python"]),
        ("Machine learning (ML) is a plus.", ["machine learning", "machine learning"]),
        ("Agile methods (XP, Crystal).", ["agile methods"]),
    ],
)
def test_places_expansions_and_customers_are_no_examples(text: str, expected: list[str]) -> None:
    """A bracket of places after a title, an acronym spelled out, a skill's users."""
    assert names(text) == expected


def test_a_listed_name_is_unlinked_and_read_like_its_list() -> None:
    """It keeps the posting's words as its id and the list's preferred reading."""
    mentions = extract("Nice to have: AWS, GCP, Linode")
    listed = mentions[-1]
    assert (listed.skill.id, listed.surface, listed.required) == (
        "span:linode",
        "Linode",
        False,
    )
    assert listed.skill.unlinked
    assert not any(m.skill.unlinked for m in mentions[:-1])


def test_practices_after_a_practice_are_its_methods_and_a_practice_is_a_team() -> None:
    assert names("Follow software engineering practices.") == ["software engineering"]
    assert names("Join the Data Science practice.") == []


@pytest.mark.parametrize(
    ("vendors_name", "name"),
    [("Microsoft Power BI", "Power BI"), ("Apache Hadoop", "Hadoop"), ("Oracle PL/SQL", "PL/SQL")],
)
def test_a_product_named_with_its_vendor_is_one_skill(vendors_name: str, name: str) -> None:
    """O*NET's "Microsoft Power BI" and the curated "Power BI" were counted apart."""
    found = extract(f"Experience with {vendors_name}. Experience with {name}.")
    assert len(found) == 2
    assert found[0].skill == found[1].skill


def test_a_generic_head_stays_where_it_vouches_or_starts_a_line() -> None:
    """ "Epic databases": the head vouches for Epic; a list of one skill a line is a list."""
    assert names("Maintain Epic databases.") == ["Epic Systems", "databases"]
    assert names("Skills\nPython\nDatabases\nStatistics\nAlgorithms") == [
        "Python", "databases", "statistics", "algorithms"
    ]  # fmt: skip


def test_algorithms_or_databases_after_a_skills_name_are_that_skills() -> None:
    """ "image processing algorithms" asks for image processing; "and algorithms" for algorithms."""
    text = (
        "You know image processing algorithms, Oracle databases, data structures and "
        "algorithms, and SQL, databases."
    )
    assert names(text) == [
        "image processing", "Oracle Database", "data structures", "algorithms", "SQL", "databases"
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Knowledge of Structured Query Language (SQL).", ["SQL", "SQL"]),
        ("Write system test plans.", ["software testing"]),
        ("Strong business analysis skills.", ["business analysis"]),
        ("Experience in information retrieval.", ["information retrieval"]),
        ("Experience with change management.", ["change management"]),
        ("Experience in demand forecasting.", ["demand forecasting"]),
        (
            "Strong quantitative skills and querying languages.",
            ["quantitative analysis", "query languages"],
        ),
        ("Help residents with their ADLS.", []),
        ("Pipelines in GitLab CI/CD or GitHub Actions.", ["GitLab CI/CD", "GitHub Actions"]),
        ("Data transfer protocols (HTTP, SFTP, SMTP).", ["HTTP", "FTP", "email protocols"]),
        ("Core FP&A work: forecasting and budgeting.", ["forecasting", "budgeting"]),
        ("Experience in data analysis and management consulting.", ["data analysis"]),
        ("Mark each file with its classification designation (FOUO, PII).", []),
        ("Write PowerShell and Bash scripts.", ["PowerShell", "Bash"]),
        (
            "Infrastructure as Code with Terraform or CloudFormation.",
            ["infrastructure as code", "Terraform", "AWS CloudFormation"],
        ),
        ("Our chefs cook lunch; Chef or Ansible run our servers.", ["Chef", "Ansible software"]),
        ("Triage by the ranking of reported issues.", []),
        ("Map terms to UMLS; model in UML.", ["UMLS", "UML"]),
        ("Stack: Rails, Postgres, RSpec.", ["Ruby on Rails", "PostgreSQL", "RSpec"]),
        ("Skills\nC. Skills: Python and SQL. Code in C.", ["Python", "SQL", "C"]),
    ],
)
def test_a_name_is_the_skill_it_names(text: str, expected: list[str]) -> None:
    """SQL spelled out is SQL, a system test is testing, business analysis is not analytics,
    information retrieval is not learning to rank, change management is not ESCO's "alter
    management", demand forecasting is not time series, and "ADLS" is Azure's data lake only
    beside other tools (in a care home it is activities of daily living)."""
    assert names(text) == expected
