"""Fixtures for the vector store tests: sample chunks, the fake embedder, both Chroma backends."""

from __future__ import annotations

import shutil
import subprocess
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from ingest.chunk import Chunk
from vectorstore.store import ChunkStore
from processes import free_port, stop
from vs_helpers import VENV_BIN, FakeEmbeddings, make_chunks


@pytest.fixture
def sample() -> dict[str, list[Chunk]]:
    return make_chunks()


@pytest.fixture
def fake() -> FakeEmbeddings:
    return FakeEmbeddings()


# ---------------------------------------------------------------- Chroma server


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    """A real `chroma run` on a free loopback port, for the whole session."""
    exe = shutil.which("chroma", path=str(VENV_BIN)) or shutil.which("chroma")
    if not exe:
        pytest.skip("chroma CLI not found")
    path = tmp_path_factory.mktemp("chroma-server")
    port = free_port()
    log = open(path / "server.log", "wb")
    proc = subprocess.Popen([exe, "run", "--path", str(path / "data"), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.time() > deadline:
            proc.kill()
            pytest.fail(f"chroma server did not start: {(path / 'server.log').read_text(errors='replace')[-2000:]}")
        time.sleep(0.2)
    yield url
    stop(proc)
    log.close()


@pytest.fixture(params=["local", pytest.param("server", marks=pytest.mark.server)])
def backend(request):
    """(chroma_url or None, collection name): the same tests run embedded and against a server."""
    if request.param == "local":
        return None, "unsc"
    url = request.getfixturevalue("chroma_server")
    return url, f"t-{uuid.uuid4().hex[:12]}"  # one collection per test on the shared server


@pytest.fixture
def open_store(tmp_path, backend, fake):
    """Factory: open the store in `tmp_path` on the parametrised backend."""
    url, name = backend

    def _open(embeddings=None, store_dir: Path | None = None, **kw) -> ChunkStore:
        return ChunkStore.open(store_dir or tmp_path / "store", embeddings or fake, collection=name,
                               chroma_url=url, **kw)

    return _open


