"""The one exception hierarchy of the project, rooted in `UnscError`.

Why one root: the CLI and the web UI each map errors to what a person sees exactly once
(`except UnscError as e: show(e.user_message)`), instead of rebuilding tuples of unrelated
classes from seven modules and guessing from module names. Why here, in the lowest layer: every
layer raises these, and data flows ui → rag → vectorstore → ingest, so only `ingest` can be
imported by all of them. The model is httpx's rooted exceptions: a class per thing that can go
wrong, grouped by who can fix it (the input, the store, the configuration).

Each class keeps the builtin base it always had (ValueError, RuntimeError) so callers that
caught those still do.
"""

from __future__ import annotations


class UnscError(Exception):
    """Base of every error this project raises on purpose."""

    #: Shown to the user when the message itself is not meant for them (overridden per class).
    hint: str = ""

    @property
    def user_message(self) -> str:
        """One line a person can act on: the message, then the hint when there is one."""
        message = str(self) or self.__class__.__name__
        return f"{message} ({self.hint})" if self.hint and self.hint not in message else message


# --------------------------------------------------------------------------- input (fix the input)


class InputError(UnscError, ValueError):
    """Something the user gave us (a file, a question, a flag) cannot be used as it is."""


class ParseError(InputError):
    """A record file cannot be parsed; the message names the file and where."""


class QuestionError(InputError):
    """A question is empty, too long or not text; the message is already in the asker's language."""


# --------------------------------------------------------------------------- configuration


class ConfigError(UnscError, ValueError):
    """A setting names something that cannot be built (an unknown embedder or LLM spec)."""


# --------------------------------------------------------------------------- the store (retry or rebuild)


class StoreError(UnscError, RuntimeError):
    """The index cannot be read or written right now."""


class StoreUnavailable(StoreError):
    """The Chroma server cannot be reached or the store directory cannot be opened."""

    hint = "check UNSC_CHROMA_URL or the store directory, then retry"


class StoreBusy(StoreError):
    """Another process holds the store's write lock (an ingest is running)."""

    hint = "wait for the other ingest to finish"


class EmbedderMismatch(StoreError):
    """The store was built with another embedder; mixing vectors of two models gives nonsense."""

    hint = "re-index with `unsc ingest --rebuild`, or set UNSC_EMBEDDER to the store's embedder"


class ChunkIdConflict(StoreError, ValueError):
    """Two different files produce chunks with the same id (the same passage twice)."""


class DocumentIndexedElsewhere(ChunkIdConflict):
    """A file holds a document another indexed file already holds (its PDF beside its text, a copy)."""

    hint = "`unsc ingest --replace` indexes this file in place of the other"


class DuplicateDocument(DocumentIndexedElsewhere):
    """A file holds a document already indexed from another file (a copy, or the same text as PDF)."""


class ServiceUnavailable(StoreError):
    """The answering service (store and pipeline) cannot be used right now; the UI says so and retries."""
