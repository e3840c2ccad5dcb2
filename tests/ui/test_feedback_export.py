"""ui.feedback (JSON lines) and ui.export (Markdown)."""

import json
import threading

import pytest

from ingest.chunk import Footnote
from rag.answer import Answer, Citation
from ui.export import conversation_markdown, md_escape
from ui.feedback import FeedbackStore, feedback_path


def _answer(question="第2518(2020)号决议是哪一天通过的？", text="于2020年3月30日通过。[1]") -> Answer:
    c = Citation(n=1, chunk_id="S/RES/2518(2020)|zh|document_card|card", doc_id="S/RES/2518(2020)", kind="document_card",
                 section="S/RES/2518(2020)", text="第2518(2020)号决议于2020年3月30日通过。[x](javascript:alert(1)) <img src=x onerror=alert(1)>",
                 symbols=["S/RES/2518(2020)", "S/2020/249"], links=["https://undocs.org/ch/S/RES/2518(2020)"],
                 footnotes=[Footnote(number="639", text="见 S/2020/249。", symbol="S/2020/249")])
    return Answer(question=question, answer=text, citations=[c], lang="zh")


def test_feedback_appends_json_lines(tmp_path):
    store = FeedbackStore(feedback_path(tmp_path))
    store.add("up", _answer(), "很好", {"k": 5})
    store.add("down", _answer(), "", {"k": 3})
    lines = (tmp_path / "feedback.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert first["rating"] == "up" and first["comment"] == "很好" and first["settings"] == {"k": 5}
    assert first["question"].startswith("第2518") and first["answer"].endswith("[1]")
    assert first["citations"][0]["links"] == ["https://undocs.org/ch/S/RES/2518(2020)"]
    assert "T" in first["ts"] and "第2518" in lines[0]  # timestamp; UTF-8, not \u escapes
    assert [r["rating"] for r in store.read()] == ["up", "down"]


def test_feedback_rejects_bad_rating(tmp_path):
    with pytest.raises(ValueError):
        FeedbackStore(tmp_path / "f.jsonl").add("meh", _answer())


def test_feedback_concurrent_appends_do_not_interleave(tmp_path):
    store = FeedbackStore(tmp_path / "f.jsonl")
    threads = [threading.Thread(target=lambda: [store.add("up", _answer(), "x" * 500) for _ in range(10)]) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(store.read()) == 80


def test_export_markdown_has_sources_and_links_in_chosen_language():
    md = conversation_markdown([_answer(), _answer("When was it adopted?", "On 30 March 2020. [1]")], link_lang="zh")
    assert md.count("## ") >= 2
    assert "<https://undocs.org/ch/S/RES/2518(2020)>" in md
    assert "<https://undocs.org/ch/S/2020/249>" in md  # footnote symbol
    assert "\\[1\\]" in md
    en = conversation_markdown([_answer()], link_lang="en")
    assert "<https://undocs.org/en/S/RES/2518(2020)>" in en and "/ch/" not in en


def test_export_markdown_neutralises_record_markup():
    md = conversation_markdown([_answer()])
    assert "](javascript" not in md and "<img" not in md
    assert "&lt;img" in md
    links = [line for line in md.splitlines() if "<http" in line]
    assert links and all("<https://undocs.org/" in line for line in links)
    assert md_escape("[a](b)") == "\\[a\\]\\(b\\)"


def test_export_marks_abstention():
    ans = Answer(question="q?", answer="The records I have do not answer this question.", abstained=True)
    assert "do not answer" in conversation_markdown([ans]).lower()
