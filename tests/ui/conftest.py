"""Session fixtures for the API and browser tests: ONE index (the sample, a hostile record and a
resolution the sample recalls, held in English only) and ONE running `unsc serve` shared by both.

The index is built with `unsc ingest`, its embedding cache seeded from the session's `sample_store`
(tests/conftest.py), so the sample is embedded once per test session, not twice. The server runs in
a subprocess on a free port, exactly as deployed.
"""

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from index_cache import copy_embedding_cache
from processes import free_port, stop

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
UNSC = Path(sys.executable).with_name("unsc")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]

# A Repertoire-style record whose text carries HTML and a Markdown javascript: link.
HOSTILE_TXT = (
    " Thematic issues\n"
    "41. Zebra logistics in peacekeeping\n"
    " During the period under review, the Council discussed zebra convoy logistics for missions. The zebra convoy report"
    " was entitled <img src=x onerror=alert(1)> and it referred readers to [x](javascript:alert(1)) for the zebra convoy"
    " schedule, as described in resolution 2518 (2020).\n"
    " Council members noted that zebra convoys require secure routes.\n"
)
HOSTILE_QUESTION = "What did the zebra convoy report refer readers to for the zebra convoy schedule?"


def clean_env() -> dict:
    """The environment for subprocesses: no UNSC_* overrides from the developer's shell."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("UNSC_")}
    env["GRADIO_ANALYTICS_ENABLED"] = "False"
    env["PYTHONUNBUFFERED"] = "1"
    return env




def wait_http(url: str, proc: subprocess.Popen | None = None, timeout: float = 180) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "gradio_api/info", timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer in {timeout}s")


@pytest.fixture(scope="session")
def ui_store(tmp_path_factory, sample_store) -> Path:
    """A fresh index of data/sample, the hostile record and a recalled resolution (built once per session)."""
    base = tmp_path_factory.mktemp("ui")
    data = base / "data"
    shutil.copytree(ROOT / "data" / "sample", data / "sample")
    hostile = data / "hostile"
    hostile.mkdir()
    (hostile / "repertoire-2020-hostile-test.en.txt").write_text(HOSTILE_TXT, encoding="utf-8")
    # a resolution held in English only, which the sample's resolution 2518 (2020) recalls (fixtures/README.md)
    shutil.copytree(FIXTURES, data / "recalled")
    store = base / "store"
    copy_embedding_cache(sample_store, store)
    t0 = time.time()
    proc = subprocess.run([str(UNSC), "ingest", str(data), "--store", str(store), "-q"], env=clean_env(),
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    print(f"\n[ui_store] {proc.stdout.strip()} ({time.time() - t0:.0f}s)")
    return store


@pytest.fixture(scope="session")
def ui_server(ui_store, tmp_path_factory):
    """`unsc serve --port N --store DIR` in a subprocess; yields its base URL."""
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen([str(UNSC), "serve", "--port", str(port), "--store", str(ui_store)],
                                env=clean_env(), stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_http(url, proc)
    except Exception:
        proc.kill()
        raise RuntimeError(f"server did not start:\n{log.read_text()[-3000:]}") from None
    yield url
    stop(proc, timeout=15)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is absent (apt-get install chromium); browser tests need Debian's Chromium")
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield b
    b.close()
    pw.stop()
