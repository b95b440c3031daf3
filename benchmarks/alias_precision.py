"""How often each surface form fires in the shared postings, and how often it is right.

    .venv/bin/python benchmarks/alias_precision.py sheet [--top N] [--per-form K] [--out FILE]
    .venv/bin/python benchmarks/alias_precision.py report

`sheet` runs the dictionary over the distinct postings of ../shared/corpus/jobs, counts
each (form as written, normalised; skill) pair, and writes a review sheet for the N most
frequent: K contexts of each, drawn with a fixed seed, for a person to mark right or wrong.
The sheet holds posting text, so it goes to a temporary folder, never into the repository.

`report` reads the verdicts kept in benchmarks/alias_verdicts.yaml (form, skill, contexts
read, contexts right: counts only) and prints each form's precision with its share of all
mentions, worst first; forms under half right are what the taxonomy's curated layer must
guard with a context cue, or drop.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import yaml

from diymasters.postings import collapse_duplicates, read_path
from diymasters.skills import default_matcher
from diymasters.skills.matcher import dictionary_mentions
from diymasters.skills.tokens import TOKEN, normalise

ROOT = Path(__file__).resolve().parents[1]
JOBS = ROOT.parent / "shared" / "corpus" / "jobs"
VERDICTS = ROOT / "benchmarks" / "alias_verdicts.yaml"
CONTEXT = 90

Fire = tuple[str, str]  # (normalised form, skill id)


def _form(surface: str) -> str:
    return " ".join(normalise(token) for token in TOKEN.findall(surface))


def _fires(text: str) -> list[tuple[Fire, str]]:
    """Each mention's (form, skill) and a line of context around it."""
    found = []
    for mention in dictionary_mentions(text, default_matcher()):
        low, high = max(mention.start - CONTEXT, 0), mention.end + CONTEXT
        context = (
            f"{text[low : mention.start]}[[{mention.surface}]]{text[mention.end : high]}"
        ).replace("\n", " ")
        found.append(((_form(mention.surface), mention.skill.id), context))
    return found


def sheet(top: int, per_form: int, out: Path) -> None:
    """Count every form over the corpus and write contexts of the most frequent to review."""
    texts = [p.text for p in collapse_duplicates(read_path(JOBS))[0]]
    default_matcher()
    counts: Counter[Fire] = Counter()
    contexts: dict[Fire, list[str]] = defaultdict(list)
    with multiprocessing.get_context("fork").Pool() as pool:
        for found in pool.imap(_fires, texts, chunksize=64):
            for fire, context in found:
                counts[fire] += 1
                contexts[fire].append(context)
    total = sum(counts.values())
    chooser = random.Random(20261203)  # noqa: S311 (a reproducible sample, not a secret)
    rows = []
    for (form, skill), count in counts.most_common(top):
        pool_of = contexts[(form, skill)]
        chosen = chooser.sample(pool_of, min(per_form, len(pool_of)))
        rows.append(
            {
                "form": form,
                "skill": skill,
                "fires": count,
                "share": round(count / total, 4),
                "contexts": chosen,
            }
        )
    out.write_text(yaml.safe_dump(rows, allow_unicode=True, width=200), encoding="utf-8")
    print(f"{len(texts)} distinct postings, {total} mentions; {len(rows)} forms to {out}")


def report() -> None:
    """Precision per reviewed form, worst first."""
    verdicts = yaml.safe_load(VERDICTS.read_text(encoding="utf-8")) or []
    rows = sorted(verdicts, key=lambda v: (v["right"] / v["read"], -v["fires"]))
    read = sum(v["read"] for v in rows)
    right = sum(v["right"] for v in rows)
    print(f"{len(rows)} forms reviewed, {right} of {read} contexts right ({right / read:.2f})")
    for v in rows:
        flag = "  <- guard or drop" if v["right"] / v["read"] < 0.5 else ""  # noqa: PLR2004
        print(
            f"  {v['form']:32} -> {v['skill']:34} {v['right']:2}/{v['read']:<2} right, "
            f"{v['fires']:6} fires ({v['share']:.2%}){flag}"
        )


def main() -> None:
    """Write a review sheet, or report the verdicts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    drawing = commands.add_parser("sheet")
    drawing.add_argument("--top", type=int, default=150)
    drawing.add_argument("--per-form", type=int, default=8)
    drawing.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "aliases.yaml")
    commands.add_parser("report")
    args = parser.parse_args()
    if args.command == "sheet":
        sheet(args.top, args.per_form, args.out)
    else:
        report()


if __name__ == "__main__":
    main()
