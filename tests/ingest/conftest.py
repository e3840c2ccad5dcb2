"""Shared fixtures for the Repertoire parser tests: the Chinese sample and the English fixture."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REPERTOIRE_ZH_SAMPLE = ROOT / "data/sample/repertoire/repertoire-2020-part1-s23-peacekeeping.zh.txt"
REPERTOIRE_EN_FIXTURE = ROOT / "tests/fixtures/repertoire_en_sample.txt"


@pytest.fixture(scope="session")
def repertoire_zh_text() -> str:
    return REPERTOIRE_ZH_SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def repertoire_zh_path() -> str:
    return str(REPERTOIRE_ZH_SAMPLE)


@pytest.fixture(scope="session")
def repertoire_en_text() -> str:
    return REPERTOIRE_EN_FIXTURE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def repertoire_en_path() -> str:
    return str(REPERTOIRE_EN_FIXTURE)
