"""Scoring answers against a question set (`unsc eval`): retrieval, citations, facts, links, abstention.

Matching follows the dev set's rules: texts are compared NFKC-normalised with all white space
removed (the Repertoire writes `3 月 30 日`, questions write `3月30日`), case-insensitively.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from statistics import mean

from pydantic import BaseModel, Field

from rag.types import ScoredChunk


class EvalItem(BaseModel):
    id: str
    question: str
    lang: str = ""
    kind: str = Field(default="", description="paragraph, fact, aggregate, crosslingual, unanswerable, followup …")
    history: list[tuple[str, str]] = Field(default_factory=list, description="Earlier (question, answer) turns of a follow-up.")
    answerable: bool = True
    gold: list[str] = Field(default_factory=list)
    symbols: list[str] = Field(default_factory=list)
    facts: list[list[str]] = Field(default_factory=list)


class ItemScore(BaseModel):
    id: str
    lang: str
    kind: str = ""
    answerable: bool
    gold_rank: int | None = Field(default=None, description="1-based rank of the first retrieved chunk holding a gold text.")
    has_gold: bool = False
    citation_hit: bool | None = None
    facts_ok: bool | None = None
    symbol_links_ok: bool | None = None
    abstained: bool = False
    premise_corrected: bool = Field(default=False, description="The reply corrects a false premise (abstained too).")
    dangling_markers: int = 0


class Metrics(BaseModel):
    questions: int = 0
    recall_at_1: float | None = None
    recall_at_5: float | None = None
    mrr: float | None = None
    citation_hit_rate: float | None = None
    fact_accuracy: float | None = None
    symbol_link_rate: float | None = None
    abstention_on_unanswerable: float | None = None
    false_abstention_on_answerable: float | None = None
    dangling_markers: int = 0


class EvalReport(BaseModel):
    overall: Metrics
    by_lang: dict[str, Metrics]
    items: list[ItemScore]
    by_kind: dict[str, Metrics] = Field(default_factory=dict)
    by_kind_lang: dict[str, Metrics] = Field(default_factory=dict, description="'fact/zh' → metrics.")


def norm(text: str) -> str:
    """NFKC, no white space, lower case: the comparison form of the dev set."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def load_items(path: Path) -> list[EvalItem]:
    items = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                items.append(EvalItem.model_validate_json(line))
            except ValueError as e:
                raise ValueError(f"{path}:{n}: not a question record ({e.errors()[0]['msg'] if hasattr(e, 'errors') else e})") from None
    return items


def contains_gold(evidence: str, gold: list[str]) -> bool:
    e = norm(evidence)
    return any(norm(g) in e for g in gold if g.strip())


_MARKER = re.compile(r"\[(\d+)\]")


def score_item(item: EvalItem, retrieved: list[ScoredChunk], answer) -> ItemScore:
    """Score one answered question. `answer` is a `rag.answer.Answer` (duck-typed here)."""
    score = ItemScore(id=item.id, lang=item.lang, kind=item.kind, answerable=item.answerable, abstained=bool(answer.abstained),
                      premise_corrected=bool(getattr(answer, "premise_corrected", False)))
    cited_numbers = {c.n for c in answer.citations}
    score.dangling_markers = sum(1 for m in _MARKER.findall(answer.answer) if int(m) not in cited_numbers)
    if not item.answerable:
        return score
    gold = [g for g in item.gold if g.strip()]
    if gold:
        score.has_gold = True
        for rank, sc in enumerate(retrieved, 1):
            if contains_gold(sc.chunk.evidence_text(), gold):
                score.gold_rank = rank
                break
        score.citation_hit = any(
            contains_gold(c.text + " " + " ".join(f.text for f in c.footnotes), gold) for c in answer.citations
        )
    if item.facts:
        text = norm(answer.answer)
        score.facts_ok = all(any(norm(alt) in text for alt in group) for group in item.facts)
    if item.symbols:
        links = {link for c in answer.citations for link in c.links}
        score.symbol_links_ok = all(any(link.endswith("/" + s) for link in links) for s in item.symbols)
    return score


def _rate(values: list[bool]) -> float | None:
    return round(mean(values), 4) if values else None


def summarise(scores: list[ItemScore]) -> Metrics:
    answerable = [s for s in scores if s.answerable]
    with_gold = [s for s in answerable if s.has_gold]
    return Metrics(
        questions=len(scores),
        recall_at_1=_rate([s.gold_rank == 1 for s in with_gold]),
        recall_at_5=_rate([s.gold_rank is not None and s.gold_rank <= 5 for s in with_gold]),
        mrr=round(mean(1 / s.gold_rank if s.gold_rank else 0.0 for s in with_gold), 4) if with_gold else None,
        citation_hit_rate=_rate([bool(s.citation_hit) for s in with_gold]),
        fact_accuracy=_rate([bool(s.facts_ok) for s in answerable if s.facts_ok is not None]),
        symbol_link_rate=_rate([bool(s.symbol_links_ok) for s in answerable if s.symbol_links_ok is not None]),
        abstention_on_unanswerable=_rate([s.abstained for s in scores if not s.answerable]),
        # a corrected premise is the reply an answerable false-premise question has ("which member
        # vetoed S/2024/383?": none, it failed for lack of votes), judged by its facts, not a decline
        false_abstention_on_answerable=_rate([s.abstained and not s.premise_corrected for s in answerable]),
        dangling_markers=sum(s.dangling_markers for s in scores),
    )


def report(scores: list[ItemScore]) -> EvalReport:
    langs = sorted({s.lang for s in scores if s.lang})
    kinds = sorted({s.kind for s in scores if s.kind})
    return EvalReport(
        overall=summarise(scores),
        by_lang={lang: summarise([s for s in scores if s.lang == lang]) for lang in langs},
        items=scores,
        by_kind={k: summarise([s for s in scores if s.kind == k]) for k in kinds},
        by_kind_lang={f"{k}/{lang}": summarise([s for s in scores if s.kind == k and s.lang == lang])
                      for k in kinds for lang in langs if any(s.kind == k and s.lang == lang for s in scores)},
    )


def run(pipeline, items: list[EvalItem]) -> list[ItemScore]:
    """Ask every item through the pipeline (with its conversation `history`) and score it.

    Retrieval is scored on the ranking the answer was built from, so the two never disagree.
    """
    scores = []
    for item in items:
        history = [tuple(t) for t in item.history]
        ranked, _ = pipeline.retrieve(item.question, history)
        ans = pipeline.ask(item.question, history=history, question_id=item.id, ranked=ranked)
        scores.append(score_item(item, ranked, ans))
    return scores


def format_report(rep: EvalReport) -> str:
    """A plain-text table of the metrics, overall and per language."""
    cols = [
        ("n", "questions"), ("R@1", "recall_at_1"), ("R@5", "recall_at_5"), ("MRR", "mrr"),
        ("cite", "citation_hit_rate"), ("facts", "fact_accuracy"), ("links", "symbol_link_rate"),
        ("abst", "abstention_on_unanswerable"), ("false-abst", "false_abstention_on_answerable"),
    ]
    rows = [("all", rep.overall)] + list(rep.by_lang.items()) + list(rep.by_kind.items()) + list(rep.by_kind_lang.items())
    width = max([6] + [len(name) + 1 for name, _ in rows])
    lines = [" " * width + " ".join(f"{h:>10}" for h, _ in cols)]
    for name, m in rows:
        cells = []
        for _, attr in cols:
            v = getattr(m, attr)
            cells.append(f"{'-' if v is None else (v if isinstance(v, int) else f'{v:.3f}'):>10}")
        lines.append(f"{name:<{width}}" + " ".join(cells))
    misses = [s for s in rep.items
              if (s.answerable and (s.gold_rank is None and s.has_gold or s.facts_ok is False or s.abstained))
              or (not s.answerable and not s.abstained)]
    if misses:
        lines.append("misses: " + ", ".join(s.id for s in misses))
    return "\n".join(lines)


def dump_json(rep: EvalReport) -> str:
    return json.dumps(rep.model_dump(mode="json"), ensure_ascii=False)
