"""Skills: the shipped taxonomy, and an extractor that finds them in job postings.

The taxonomy (`data/skills/taxonomy.json.gz`, built by `scripts/build_taxonomy.py`) merges a
curated layer for the ML engineer's field with ESCO and O*NET. The extractor is a dictionary
matcher over a token trie: text is split into tokens the way surface forms are (so "CI/CD",
"C++", ".NET", "Node.js" and "scikit-learn" survive, and "Python, R or Julia" is three
matches), lower-cased and singularised for ordinary forms, kept as written for forms that
are also plain words ("R", "Go", "Spark", "Excel"). Names that are ambiguous on their own ("C",
"Go", "R") count only beside another technical skill or a cue such as "programming". A verb and
its object name a practice too ("collect and analyse data"), and words that scraping ran
together ("JavaFamiliarity") are read apart. The built matcher is kept in the user's cache.

Postings are read in sections: requirements and responsibilities count as required, "nice to
have" lines as preferred, and benefits or "about us" blurbs not at all.

The modules, from the bottom: `taxonomy` (the skills themselves), `sectioning` (the parts of
a posting), `matcher` (the dictionary matcher and the `Mention` it finds), `tagger` (the CRF
span tagger) and `extraction` (a posting's skills from either, and many postings at once).
"""

from __future__ import annotations

from diymasters.skills.extraction import (
    RULES_VERSION,
    Extraction,
    Findings,
    FoundSkill,
    collected,
    extract,
    extract_many,
    extractor_version,
    findings,
    tagger_inputs,
    word_spans,
)
from diymasters.skills.matcher import (
    EVIDENCE_REACH,
    MAX_FORM_TOKENS,
    Matcher,
    Mention,
    default_matcher,
)
from diymasters.skills.sectioning import IGNORED_SECTIONS, Section, sections
from diymasters.skills.tagger import (
    MAX_TAGGER_WORDS,
    TaggerSentence,
    bio_tags,
    span_tags,
    spans_from_tags,
    tag_spans,
    tagger_features,
)
from diymasters.skills.taxonomy import (
    DOMAINS,
    FIELD_OF_STUDY,
    SKILL_TYPES,
    UNLINKED,
    Skill,
    SkillNotFoundError,
    Taxonomy,
    TaxonomyError,
    TaxonomyInfo,
    load_taxonomy,
    parse_taxonomy,
    taxonomy_info,
)
from diymasters.skills.tokens import normalise

__all__ = [
    "DOMAINS",
    "EVIDENCE_REACH",
    "FIELD_OF_STUDY",
    "IGNORED_SECTIONS",
    "MAX_FORM_TOKENS",
    "MAX_TAGGER_WORDS",
    "RULES_VERSION",
    "SKILL_TYPES",
    "UNLINKED",
    "Extraction",
    "Findings",
    "FoundSkill",
    "Matcher",
    "Mention",
    "Section",
    "Skill",
    "SkillNotFoundError",
    "TaggerSentence",
    "Taxonomy",
    "TaxonomyError",
    "TaxonomyInfo",
    "bio_tags",
    "collected",
    "default_matcher",
    "extract",
    "extract_many",
    "extractor_version",
    "findings",
    "load_taxonomy",
    "normalise",
    "parse_taxonomy",
    "sections",
    "span_tags",
    "spans_from_tags",
    "tag_spans",
    "tagger_features",
    "tagger_inputs",
    "taxonomy_info",
    "word_spans",
]
