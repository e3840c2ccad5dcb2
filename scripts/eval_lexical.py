"""Evaluate a question set on the 2020–2026 resolutions without an embedded store (lexical retrieval only).

Why: building the embedded 2020–2026 index takes hours of CPU on a shared machine; this parses the
XML and data_extract rows (about 15 s) and runs the real pipeline over an in-memory index whose
dense search returns nothing, so answering logic (structured answers, facts, follow-ups, abstention)
can be compared between two versions of the code on identical retrieval. Recall figures are
lexical-only and lower than with the embedder.

    PYTHONPATH=$PWD python scripts/eval_lexical.py ../shared/eval/dev_full.jsonl out.jsonl [--history]
    PYTHONPATH=$PWD python scripts/eval_lexical.py --table out.jsonl
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

CORPUS = Path("/work/shared/corpus/resolutions")


def run(qfile: str, out: str, use_history: bool) -> None:
    from ingest.parse import parse_paths
    from rag import evaluate as ev
    from rag.answer import Answerer
    from rag.pipeline import AskPipeline
    from rag.retrieve import HybridRetriever

    chunks = parse_paths([CORPUS / str(y) for y in range(2020, 2027)]).chunks

    class Static:
        def all_chunks(self):
            return chunks

        def dense_search(self, query, k, filters=None):
            return []

        def generation(self):
            return "static"

    pipeline = AskPipeline(HybridRetriever(store=Static(), in_memory_dense=False), Answerer(), k=5)
    raw = {json.loads(line)["id"]: json.loads(line) for line in open(qfile, encoding="utf-8") if line.strip()}
    t0 = time.time()
    with open(out, "w", encoding="utf-8") as f:
        for item in ev.load_items(Path(qfile)):
            history = [tuple(t) for t in raw[item.id].get("history") or []] if use_history else []
            ranked, _ = pipeline.retrieve(item.question, history)
            ans = pipeline.ask(item.question, history=history, question_id=item.id, ranked=ranked)
            s = ev.score_item(item, ranked, ans).model_dump()
            s.update(kind=raw[item.id].get("kind", ""), answer=ans.answer, cites=[c.chunk_id for c in ans.citations])
            f.write(json.dumps(s, ensure_ascii=False) + "\n")
    print(f"{len(raw)} questions in {time.time() - t0:.0f} s", file=sys.stderr)


def table(path: str) -> str:
    from rag.evaluate import ItemScore, summarise

    rows = [json.loads(line) for line in open(path, encoding="utf-8")]
    scores = [ItemScore(**{k: v for k, v in r.items() if k in ItemScore.model_fields}) for r in rows]
    groups = {"all": scores, **{lang: [s for s in scores if s.lang == lang] for lang in ("en", "zh")}}
    for k in sorted({s.kind for s in scores if s.kind}):
        groups[k] = [s for s in scores if s.kind == k]
        for lang in ("en", "zh"):
            g = [s for s in scores if s.kind == k and s.lang == lang]
            if g:
                groups[f"{k}/{lang}"] = g
    cols = ["questions", "recall_at_5", "citation_hit_rate", "fact_accuracy", "symbol_link_rate",
            "abstention_on_unanswerable", "false_abstention_on_answerable"]
    lines = [f"{'':18}" + " ".join(f"{h:>10}" for h in ["n", "R@5", "cite", "facts", "links", "abst", "false-abst"])]
    for name, g in groups.items():
        m = summarise(g)
        cells = [getattr(m, c) for c in cols]
        lines.append(f"{name:18}" + " ".join(f"{'-' if v is None else (v if isinstance(v, int) else format(v, '.2f')):>10}" for v in cells))
    return "\n".join(lines)


if __name__ == "__main__":
    if sys.argv[1] == "--table":
        print(table(sys.argv[2]))
    else:
        run(sys.argv[1], sys.argv[2], "--history" in sys.argv)
