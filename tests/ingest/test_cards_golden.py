"""Guard for the document cards: every card builder's output on real files must not change.

The card builders of resolutions (metadata rows), presidential statements, drafts not adopted and
vetoes share one card factory (`ingest.cards`); moving them onto it is a refactoring, so every
field of every card they build from the real fixture files (text, ids, symbols, links, source,
vote) is compared with the golden file written from the code before the move. A card that reads
differently is a behaviour change and must be made on purpose, not by a refactoring.

A deliberate card change regenerates the file, and its diff shows which cards moved:
    PYTHONPATH=$PWD python tests/ingest/test_cards_golden.py
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from ingest.akn import parse_document
from ingest.chunk import Chunk
from ingest.metadata import document_cards, read_metadata
from ingest.vetoes import parse_vetoes

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
GOLDEN = ROOT / "tests" / "data" / "cards_golden.json"

# Metadata files with every row kind the cards handle: unanimous, recorded votes with abstentions,
# votes by mail, rows whose counts, lists and tally disagree, rows listed twice, rows without XML.
METADATA_FILES = [
    *sorted((CORPUS / "resolutions" / "data_extract").glob("*.json")),
    ROOT / "data" / "sample" / "resolutions" / "data_extract" / "2020.json",
    ROOT / "tests" / "fixtures" / "akn" / "data_extract_2504.json",
    ROOT / "tests" / "fixtures" / "data_extract_conflicts.jsonl",
]
# Statements (meeting, written procedure, consultations, French, malformed) and failed drafts
# (vetoed, failed for lack of votes, no vote recorded, a member listed twice).
AKN_FILES = [
    *sorted((CORPUS / "resolutions" / "PRST").rglob("*.xml")),
    ROOT / "tests" / "fixtures" / "akn" / "S_PRST_2020_11.xml",
    *sorted((CORPUS / "resolutions" / "Not adopted").rglob("*.xml")),
]
VETO_FILE = CORPUS / "vetoes" / "unsc_vetoes_sample.csv"


def _rel(path: Path) -> str:
    """Repository-relative path: the golden file must not depend on where the checkout lives."""
    return path.relative_to(ROOT).as_posix()


def _metadata_cards(path: Path, langs: list[str]) -> list[Chunk]:
    rows = read_metadata(path.read_bytes(), _rel(path))
    return [card for line, meta in rows for card in document_cards(meta, langs, _rel(path), line)]


def _akn_cards(path: Path, card_langs: list[str]) -> list[Chunk]:
    year = int(path.parent.name) if path.parent.name.isdigit() else None
    return parse_document(path.read_bytes(), _rel(path), file_name=path.name, folder_year=year,
                          card_langs=card_langs).cards


def cases() -> dict[str, Callable[[], list[Chunk]]]:
    """Each builder on each input, named so a failure says which one moved."""
    out: dict[str, Callable[[], list[Chunk]]] = {}
    for path in METADATA_FILES:
        out[f"resolution {_rel(path)} en+zh"] = lambda p=path: _metadata_cards(p, ["en", "zh"])
        out[f"resolution {_rel(path)} fr"] = lambda p=path: _metadata_cards(p, ["fr"])
    for path in AKN_FILES:
        out[f"akn {_rel(path)}"] = lambda p=path: _akn_cards(p, [])
        out[f"akn {_rel(path)} en+zh"] = lambda p=path: _akn_cards(p, ["en", "zh"])
    out[f"veto {_rel(VETO_FILE)}"] = lambda: parse_vetoes(VETO_FILE.read_text(encoding="utf-8"), _rel(VETO_FILE))
    return out


def dump(cards: list[Chunk]) -> list[dict]:
    return [card.model_dump(mode="json") for card in cards]


def _golden() -> dict[str, list[dict]]:
    if not GOLDEN.exists():  # only while the file is being written
        return {}
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


CASES = cases()


def test_golden_file_covers_every_builder_and_input():
    golden = _golden()
    assert set(golden) == set(CASES)
    kinds = {card["doc_kind"] for cards in golden.values() for card in cards}
    assert {"resolution", "presidential_statement", "draft_not_adopted", "veto"} <= kinds
    assert {card["lang"] for cards in golden.values() for card in cards} == {"en", "zh"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_cards_built_from_real_files_are_unchanged(name):
    assert dump(CASES[name]()) == _golden()[name]


if __name__ == "__main__":
    result = {name: dump(CASES[name]()) for name in sorted(CASES)}
    GOLDEN.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{GOLDEN}: {len(result)} cases, {sum(len(v) for v in result.values())} cards", file=sys.stderr)
