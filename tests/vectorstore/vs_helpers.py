"""Helpers for the vector store tests: a fake embedder, sample chunks, parsed-file records.

The fake embedder hashes character n-grams into 32 dimensions: deterministic, instant, and
still "semantic" enough that a query sharing words with a passage ranks it first, so most
tests run in milliseconds and never touch a real model.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from ingest.chunk import Chunk, Footnote, Source, VoteRecord

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def fake_vector(text: str, dim: int = 32) -> np.ndarray:
    v = np.zeros(dim, dtype=np.float32)
    t = text.lower()
    grams = [t[i : i + 2] for i in range(max(1, len(t) - 1))] + t.split()
    for g in grams:
        h = hashlib.sha256(g.encode("utf-8")).digest()
        v[h[0] % dim] += 1.0 if h[1] & 1 else -1.0
    n = float(np.linalg.norm(v))
    return v / n if n else v


class FakeEmbeddings(Embeddings):
    """Deterministic hash embedder; counts calls; optional sleep per batch (slow-embedder tests)."""

    def __init__(self, dim: int = 32, sleep: float = 0.0, ident: str = "fake:hash32"):
        self.id = ident
        self.dim = dim
        self.batch = 4
        self.sleep = sleep
        self.documents_embedded = 0
        self.queries_embedded = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if self.sleep:
            time.sleep(self.sleep)
        self.documents_embedded += len(texts)
        return [fake_vector(t, self.dim).tolist() for t in texts]

    def embed_query(self, text: str) -> list[float]:
        self.queries_embedded += 1
        return fake_vector(text, self.dim).tolist()


@dataclass
class ParsedFile:
    path: str
    sha256: str
    chunks: list[Chunk] = field(default_factory=list)
    error: str | None = None


def make_chunks() -> dict[str, list[Chunk]]:
    """Three small 'files': an English resolution, its Chinese version, a Repertoire extract."""
    res_title_en = "Resolution 2518 (2020): United Nations peacekeeping operations"
    res_title_zh = "第2518(2020)号决议：联合国维持和平行动"
    vote = VoteRecord(adoption_date="2020-03-30", meeting_record="S/PV.8756", in_favour_count=15,
                      against_count=0, abstaining_count=0, title=res_title_en)
    en = [
        Chunk(id="S/RES/2518(2020)|en|document_card|0", doc_id="S/RES/2518(2020)", kind="document_card", lang="en",
              section="Resolutions", text="Resolution 2518 (2020) adopted by the Security Council at its 8756th meeting.",
              source=Source(path="res/S_RES_2518_en.xml"), title=res_title_en, date="2020-03-30", vote=vote,
              label="card"),
        Chunk(id="S/RES/2518(2020)|en|resolution_paragraph|op1", doc_id="S/RES/2518(2020)", kind="resolution_paragraph",
              lang="en", section="Resolutions > S/RES/2518(2020)", paragraph=1,
              text="Calls upon Member States to improve the safety and security of peacekeepers.",
              source=Source(path="res/S_RES_2518_en.xml", lines=(10, 12)), title=res_title_en, date="2020-03-30",
              label="operative 1"),
        Chunk(id="S/RES/2518(2020)|en|resolution_paragraph|op2", doc_id="S/RES/2518(2020)", kind="resolution_paragraph",
              lang="en", section="Resolutions > S/RES/2518(2020)", paragraph=2,
              text="Requests the Secretary-General to report on the implementation of this resolution.",
              source=Source(path="res/S_RES_2518_en.xml", lines=(13, 14)), title=res_title_en, date="2020-03-30",
              label="operative 2"),
    ]
    zh = [
        Chunk(id="S/RES/2518(2020)|zh|resolution_paragraph|op1", doc_id="S/RES/2518(2020)", kind="resolution_paragraph",
              lang="zh", section="决议 > S/RES/2518(2020)", paragraph=1, text="吁请会员国改善维和人员的安全和安保。",
              source=Source(path="res/S_RES_2518_zh.xml", lines=(8, 9)), title=res_title_zh, date="2020-03-30",
              label="执行部分第1段"),
        Chunk(id="S/RES/2518(2020)|zh|resolution_paragraph|op2", doc_id="S/RES/2518(2020)", kind="resolution_paragraph",
              lang="zh", section="决议 > S/RES/2518(2020)", paragraph=2, text="请秘书长报告本决议的执行情况。",
              source=Source(path="res/S_RES_2518_zh.xml", lines=(10, 11)), title=res_title_zh, date="2020-03-30",
              label="执行部分第2段"),
    ]
    rep = [
        Chunk(id="REP-2020|zh|paragraph|23.1", doc_id="REP-2020", kind="paragraph", lang="zh",
              section="专题问题 > 23. 联合国维持和平行动", paragraph=1,
              text="安理会在第2518(2020)号决议中强调维和人员安全的重要性。640",
              footnotes=[Footnote(number="640", text="见第2518(2020)号决议第1段。", symbol="S/RES/2518(2020)",
                                  paragraphs=[1], link="https://undocs.org/zh/S/RES/2518(2020)", offset=27)],
              symbols=["S/RES/2518(2020)"], links=["https://undocs.org/zh/S/RES/2518(2020)"],
              source=Source(path="rep/repertoire_2020_zh.docx", page=231), title="安全理事会惯例汇编 2020年",
              date="2020-03-30"),
        Chunk(id="REP-2020|zh|paragraph|23.2", doc_id="REP-2020", kind="paragraph", lang="zh",
              section="专题问题 > 23. 联合国维持和平行动", paragraph=2,
              text="安理会第2532(2020)号决议要求全面停止敌对行动以应对2019冠状病毒病。",
              symbols=["S/RES/2532(2020)"], source=Source(path="rep/repertoire_2020_zh.docx", page=232),
              title="安全理事会惯例汇编 2020年", date="2020-07-01"),
        Chunk(id="REP-2020|zh|table_row|t5.3", doc_id="REP-2020", kind="table_row", lang="zh",
              section="第一部分 > 5. 会议 > 表5", text="2021年1月12日 | S/PV.8700 | 西非", symbols=["S/PV.8700"],
              source=Source(path="rep/repertoire_2020_zh.docx", page=40), title="安全理事会惯例汇编 2020年",
              date="2021-01-12", label="2021年1月12日",
              vote=VoteRecord(meeting_record="S/PV.8700", in_favour_count=15)),
    ]
    return {"res/S_RES_2518_en.xml": en, "res/S_RES_2518_zh.xml": zh, "rep/repertoire_2020_zh.docx": rep}


def sha_of(chunks: list[Chunk]) -> str:
    return hashlib.sha256("".join(c.model_dump_json() for c in chunks).encode()).hexdigest()


def parsed(sample: dict[str, list[Chunk]]) -> list[ParsedFile]:
    return [ParsedFile(path=p, sha256=sha_of(cs), chunks=cs) for p, cs in sample.items()]



def subprocess_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["HF_HUB_OFFLINE"] = "1"
    env["TRANSFORMERS_OFFLINE"] = "1"
    return env




def repertoire_pdf() -> bytes:
    """A one-page, two-column Repertoire-style PDF: a section heading, two paragraphs, footnotes.

    Laid out as the Repertoire prints (paragraph starts indented, footnotes under a rule, the
    right column continuing the left), so its text parses into the same document as the text
    file extracted from it: the pair a user has when both a PDF and its text are in the corpus.
    """
    import pymupdf

    left = [(True, "Thematic issues"), (False, "23. United Nations peacekeeping operations"),
            (True, "On 30 March 2020, the Council adopted"), (False, "resolution 2518 (2020) by 15-0-0, stressing"),
            (False, "the need for medical facilities and critical"), (False, "enablers.640 The Council asked the")]
    right = [(False, "Secretary-General to report on safety.641"), (True, "On 4 June 2020, at an open videoconference,"),
             (False, "members heard 3 Force Commanders.")]
    notes = {56.0: ["640 Resolution 2518 (2020), para. 4."], 310.0: ["641 Ibid., paras. 10 and 12."]}
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    size, step = 9.0, 9.0 * 1.4
    for x, column in ((56.0, left), (310.0, right)):
        y = 60.0
        for indented, text in column:
            page.insert_text((x + (12 if indented else 0), y), text, fontsize=size, fontname="helv")
            y += step
        y = 842 - 60 - step * 2
        page.draw_line((x, y - size), (x + 90, y - size), width=0.5)
        for note in notes[x]:
            page.insert_text((x + 8, y), note, fontsize=size * 0.85, fontname="helv")
    data = doc.tobytes()
    doc.close()
    return data
