"""ui.feedback (JSON lines) and ui.export (Markdown)."""

import html as htmlmod
import json
import re
import threading

import pytest

from ingest.chunk import Footnote
from rag.answer import Answer, Citation
from ui.export import conversation_markdown, md_escape
from ui.feedback import FeedbackStore, feedback_path


def _answer(question="第2518(2020)号决议是哪一天通过的？", text="于2020年3月30日通过。[1]") -> Answer:
    c = Citation(n=1, chunk_id="S/RES/2518(2020)|zh|document_card|card", doc_id="S/RES/2518(2020)", kind="document_card",
                 section="S/RES/2518(2020)", text="第2518(2020)号决议于2020年3月30日通过。"
                 "[x](javascript:alert(1)) <img src=x onerror=alert(1)>",
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
    assert "[1]" in md and "\\[1" not in md
    en = conversation_markdown([_answer()], link_lang="en")
    assert "<https://undocs.org/en/S/RES/2518(2020)>" in en and "/ch/" not in en


def test_export_links_follow_each_question_language_by_default():
    zh, en = _answer(), _answer("When was it adopted?", "On 30 March 2020. [1]").model_copy(update={"lang": "en"})
    md = conversation_markdown([zh, en])  # link_lang "auto"
    first, second = md.split("## 2.")
    assert "https://undocs.org/ch/S/RES/2518(2020)" in first and "/en/" not in first
    assert "https://undocs.org/en/S/RES/2518(2020)" in second and "/ch/" not in second


def test_export_reads_cleanly_as_plain_text():
    ans = Answer(question="What does resolution 2538 (2020) urge?", lang="en",
                 answer="Resolution 2538 (2020) urges Member States (para. 4) to act. [1]",
                 citations=[Citation(n=1, chunk_id="S/RES/2538(2020)|en|resolution_paragraph|op4", doc_id="S/RES/2538(2020)",
                                     kind="resolution_paragraph", section="S/RES/2538(2020) > Operative", paragraph=4,
                                     text=" 4. Urges Member States, e.g. troop- and police-contributing countries, to act.")])
    md = conversation_markdown([ans])
    assert "\\" not in md  # no backslash escapes in ordinary record text
    assert "## 1. What does resolution 2538 (2020) urge?" in md
    assert "Resolution 2538 (2020) urges Member States (para. 4) to act. [1]" in md
    assert "**[1]** S/RES/2538(2020) · Operative · " in md  # the card header, symbol once
    assert "> 4. Urges Member States, e.g. troop- and police-contributing countries, to act." in md


def test_export_markdown_neutralises_record_markup():
    from markdown_it import MarkdownIt

    md = conversation_markdown([_answer()])
    html = MarkdownIt("commonmark").render(md)
    assert "<img" not in html and 'href="javascript' not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "[x](javascript:alert(1))" in html  # shown as text
    links = [line for line in md.splitlines() if "<http" in line]
    assert links and all("<https://undocs.org/" in line for line in links)


@pytest.mark.parametrize("text", [
    "[a](b) and ![i](x.png) and [r][1]", "<img src=x onerror=alert(1)> <b>bold</b> <!-- c -->", "AT&T &amp; &#60;",
    "*emphasis* and __strong__ and `code` and ~~gone~~", "# heading", "> quote", "- item", "+ item", "---", "===",
    "    indented code", "```", "snake_case stays, a \\* backslash", "2538 (2020), para. 4 - fine. [1]",
])
def test_md_escape_renders_exactly_the_text(text):
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").render(md_escape(text))
    inner = re.sub(r"^<p>|</p>\n$", "", html)
    assert inner == htmlmod.escape(text.strip(), quote=False), (md_escape(text), html)


def test_md_escape_leaves_ordinary_text_alone():
    for text in ("第2518(2020)号决议于2020年3月30日通过。[1]", "Resolution 2538 (2020) urges States (para. 4).",
                 "Côte d'Ivoire, Guinea-Bissau; S/RES/2518(2020) & S/2020/249", "snake_case"):
        assert md_escape(text) == text
def test_export_marks_abstention():
    ans = Answer(question="q?", answer="The records I have do not answer this question.", abstained=True)
    assert "do not answer" in conversation_markdown([ans]).lower()


def test_export_renders_the_typed_sentences_and_the_official_twin():
    from rag.answer import Answer, Citation
    from rag.types import AnswerSentence
    from ui.export import conversation_markdown

    ans = Answer(question="q", answer="flat text that is not rendered", lang="en",
                 sentences=[AnswerSentence(text="Resolution 2518 (2020), operative paragraph 8: “Requests …”", markers=[1],
                                           chunk_ids=["c1"], role="quote")],
                 citations=[Citation(n=1, chunk_id="c1", doc_id="S/RES/2518(2020)", kind="resolution_paragraph",
                                     text="8. Requests …", twin_chunk_id="c1zh", twin_lang="zh", twin_text="8. 请……")])
    md = conversation_markdown([ans])
    assert "flat text" not in md
    assert "Resolution 2518 (2020), operative paragraph 8: “Requests …” [1]" in md
    assert "Official Chinese text" in md and "> 8. 请……" in md


def test_export_says_when_the_records_hold_a_document_in_one_language_only():
    from rag.answer import Answer, Citation

    one = Citation(n=1, chunk_id="c1", doc_id="S/RES/2436(2018)", kind="resolution_paragraph", text="Recalls …", doc_langs=["en"])
    both = Citation(n=2, chunk_id="c2", doc_id="S/RES/2518(2020)", kind="resolution_paragraph", text="Requests …",
                    doc_langs=["en", "zh"])
    md = conversation_markdown([Answer(question="q", answer="a [1] [2]", lang="en", citations=[one, both])])
    assert md.count("Only the English text is held; no Chinese official version in the records") == 1
