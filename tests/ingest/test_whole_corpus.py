"""The real shared corpus in one command: plausible counts per kind, nothing lost, nothing failed.

Skipped where `/work/shared/corpus` is not mounted (CI runs the fixture copy in test_parse_corpus.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.parse import parse_paths

SHARED = Path("/work/shared/corpus")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (SHARED / "resolutions").is_dir(), reason="shared corpus not mounted"),
]


@pytest.fixture(scope="module")
def report():
    return parse_paths([SHARED])


def test_no_file_of_the_corpus_fails(report):
    assert report.errors == []


def test_no_presidential_statement_is_lost(report):
    files = {p.resolve() for p in (SHARED / "resolutions" / "PRST").rglob("*.xml")}
    parsed = {Path(f.path).resolve() for f in report.files}
    ignored = {Path(i.path).resolve() for i in report.ignored}
    assert files <= parsed | ignored
    named = {f"S/PRST/{m.group(1)}/{int(m.group(2))}" for p in files
             if (m := re.match(r"S_PRST_(\d{4})_(\d+)(?![\d_]*Corr)", p.name))}
    have = {c.doc_id for c in report.chunks if c.doc_kind == "presidential_statement"}
    assert named <= have
    assert len(have) >= 755
    assert report.summary.statements_recovered >= 100  # "about 117 of 771" are not well-formed


def test_counts_per_kind_are_plausible(report):
    kinds = report.summary.kinds
    assert 1500 <= kinds["resolution"].documents <= 1700
    assert kinds["resolution"].chunks > 50_000
    assert kinds["presidential_statement"].chunks > 8_000
    assert kinds["draft_not_adopted"].documents == 19
    assert kinds["draft_not_adopted"].cards == 38  # English and Chinese card per draft
    assert kinds["veto"].documents == 214


def test_placeholders_and_duplicates_are_reported(report):
    placeholders = [p for p, why in report.summary.skipped if why == "empty placeholder file"]
    assert len(placeholders) == 18
    symbols = {d.symbol for d in report.summary.duplicates}
    assert {"S/RES/2464(2019)", "S/RES/2193(2014)", "S/RES/2194(2014)", "S/RES/2195(2014)", "S/PRST/2020/11"} <= symbols


def test_every_chunk_id_is_unique(report):
    ids = [c.id for c in report.chunks]
    assert len(ids) == len(set(ids))
