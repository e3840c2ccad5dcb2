"""Write the items of a question set that a store of the 2020–2026 resolutions can answer.

Why: issue 11/12 figures are measured "on the items of dev_full.jsonl answerable from the
2020–2026 resolutions". An item is kept when it is unanswerable (those must be declined at any
corpus size), or when every year its `source` and `symbols` name is 2020 or later and its source
is the resolutions' XML or data_extract (not the Repertoire, presidential statements, drafts or
the veto list, which such a store does not hold).

    python scripts/dev_subset.py ../shared/eval/dev_full.jsonl > /tmp/dev_2020.jsonl
"""

from __future__ import annotations

import json
import re
import sys

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_OTHER_SOURCES = ("Not adopted", "PRST", "vetoes", "epertoire")


def answerable_from_resolutions(item: dict, first_year: int = 2020) -> bool:
    if not item.get("answerable", True):
        return True
    source = item.get("source", "")
    if any(s in source for s in _OTHER_SOURCES):
        return False
    years = [int(y) for y in _YEAR.findall(source)]
    for sym in item.get("symbols", []):
        years += [int(y) for y in _YEAR.findall(sym)]
    return bool(years) and min(years) >= first_year


def main(path: str, first_year: int = 2020) -> None:
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip() and answerable_from_resolutions(json.loads(line), first_year):
                sys.stdout.write(line if line.endswith("\n") else line + "\n")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 2020)
