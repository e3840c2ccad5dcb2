"""Calibrate the extractive answerer's two remaining abstention gates with cross-validation.

    PYTHONPATH=$PWD .venv/bin/python scripts/calibrate_abstention.py ../shared/eval/dev_full.jsonl \
        --store /work/benchstores/facts-use --store /work/benchstores/main-whole [--folds 5] [--json out.json]

With several `--store`s (corpus sizes) the gates are fitted jointly on all their rows, folds taken
by question id (a question and its twin at the other size are held out together), and the held-out
figures are reported per store as well as together.

Why cross-validation: the gates (`rag.extractive.DEFAULT_ABSTAIN_THRESHOLD` on the best sentence's
support, `MIN_COVERAGE` on the question's key-term coverage) were once fitted on ~20 questions with
margins of 0.005–0.013, and did not carry to a larger corpus. Here every question of the set is
answered end to end once with both gates open (an item whose documents
the store does not hold counts as unanswerable from that store) (the grounding check of what the question names
still applies: it is a rule, not a threshold), and recorded: its best support, its coverage, and
whether the ungated answer is right (answerable: the facts are in it; unanswerable: never right).
Thresholds are then chosen on k-1 folds by utility (+1 a right answer, 0 a decline, -1 a wrong
answer to an answerable question, -2 an answer to an unanswerable one: a wrong answer is worse than
a decline) and scored on the held-out fold. The held-out figures are what to expect on unseen
questions; the fit on all items is what to set. Questions answered from the records' structure
(rag.structured) never reach the gates and are left out. Folds are assigned by a hash of the item
id, so a rerun gives the same split.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

from rag import extractive
from rag.answer import Answerer
from rag.evaluate import load_items, score_item
from ui.app import build_pipeline
from ui.settings import load_settings

SUPPORT_GRID = [round(0.10 + 0.01 * i, 2) for i in range(31)]  # 0.10 … 0.40
COVERAGE_GRID = [round(0.05 * i, 2) for i in range(15)]  # 0 … 0.70


def collect(pipeline, items) -> list[dict]:
    rows = []
    open_answerer = Answerer(k=pipeline.answerer.k, abstain_threshold=-1.0, min_coverage=0.0)
    open_answerer.use_records(pipeline.retriever)
    for item in items:
        history = [tuple(t) for t in item.history]
        ranked, _ = pipeline.retrieve(item.question, history)
        if pipeline._structured(item.question, history, ranked) is not None:
            continue
        question = pipeline.standalone(item.question, history)
        analysed = pipeline.question(item.question, history)
        sel, _, _ = open_answerer.selection(question, ranked, analysed.lang, analysed)
        ans = open_answerer.answer(question, ranked, history, item.id, analysed=analysed)
        s = score_item(item, ranked, ans)
        # An item whose documents the store does not hold is unanswerable *from this store*: the
        # right behaviour is a decline, so it is calibrated as one (at each corpus size).
        in_store = all(pipeline.retriever.chunks_of(sym) for sym in item.symbols)
        answerable = item.answerable and in_store
        right = bool(answerable and not ans.abstained and (s.facts_ok or (s.facts_ok is None and s.citation_hit)))
        rows.append({"id": item.id, "kind": item.kind, "lang": item.lang, "answerable": answerable, "in_store": in_store,
                     "support": round(sel.best, 4) if sel else 0.0, "coverage": round(sel.coverage, 4) if sel else 0.0,
                     "grounded": not ans.abstained, "right": right})
    return rows


def outcome(row: dict, t: float, c: float) -> str:
    answered = row["grounded"] and row["support"] >= t and row["coverage"] >= c
    if not answered:
        return "declined"
    return "right" if row["right"] else "wrong"


def utility(rows: list[dict], t: float, c: float) -> float:
    u = 0.0
    for r in rows:
        o = outcome(r, t, c)
        if o == "right":
            u += 1
        elif o == "wrong":
            u -= 1 if r["answerable"] else 2
    return u


def fit(rows: list[dict]) -> tuple[float, float]:
    best = max(((utility(rows, t, c), -abs(t - 0.22), t, c) for t in SUPPORT_GRID for c in COVERAGE_GRID))
    return best[2], best[3]


def rates(rows: list[dict], t: float, c: float) -> dict:
    ans = [r for r in rows if r["answerable"]]
    una = [r for r in rows if not r["answerable"]]
    outs = [outcome(r, t, c) for r in ans]
    answered = [o for o in outs if o != "declined"]
    return {
        "answerable": len(ans), "unanswerable": len(una),
        "false_declines": round(outs.count("declined") / len(ans), 3) if ans else None,
        "right_when_answered": round(answered.count("right") / len(answered), 3) if answered else None,
        "unanswerable_declined": round(sum(outcome(r, t, c) == "declined" for r in una) / len(una), 3) if una else None,
    }


def fold_of(item_id: str, folds: int) -> int:
    return int(hashlib.sha1(item_id.encode()).hexdigest(), 16) % folds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("questions", type=Path)
    ap.add_argument("--store", type=Path, action="append", default=None,
                    help="index directory; repeat for a joint fit over several corpus sizes")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--json", type=Path, default=None, help="write the per-item rows and the folds here")
    args = ap.parse_args()
    rows: list[dict] = []
    for store in args.store or [None]:
        pipeline = build_pipeline(load_settings(store=store))
        got = collect(pipeline, load_items(args.questions))
        for r in got:
            r["store"] = str(store or "default")
        print(f"{store}: {len(got)} questions reach the gates (the others are answered from the records' structure)")
        rows.extend(got)
    stores = sorted({r["store"] for r in rows})
    folds = []
    for k in range(args.folds):
        train = [r for r in rows if fold_of(r["id"], args.folds) != k]
        test = [r for r in rows if fold_of(r["id"], args.folds) == k]
        t, c = fit(train)
        held = {"all": rates(test, t, c)}
        if len(stores) > 1:
            held.update({s: rates([r for r in test if r["store"] == s], t, c) for s in stores})
        folds.append({"fold": k, "support": t, "coverage": c, "held_out": held})
        print(f"fold {k}: fitted support ≥ {t:.2f}, coverage ≥ {c:.2f}; held out: {held}")
    t, c = fit(rows)
    now = rates(rows, extractive.DEFAULT_ABSTAIN_THRESHOLD, extractive.MIN_COVERAGE)
    print(f"fit on all: support ≥ {t:.2f}, coverage ≥ {c:.2f}: {rates(rows, t, c)}")
    for s in stores if len(stores) > 1 else []:
        print(f"  {s}: {rates([r for r in rows if r['store'] == s], t, c)}")
    print(f"current gates ({extractive.DEFAULT_ABSTAIN_THRESHOLD}, {extractive.MIN_COVERAGE}): {now}")
    print(f"gates open (grounding only): {rates(rows, -1.0, 0.0)}")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "folds": folds, "fit": {"support": t, "coverage": c}},
                                        ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
