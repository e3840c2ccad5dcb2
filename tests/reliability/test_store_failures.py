"""The vector store unavailable: Chroma server down or unreachable, in the CLI and in the web UI.

Unit-level twins: tests/vectorstore/test_vs_store.py::test_server_down_is_store_unavailable and
::test_server_dying_mid_session_is_store_unavailable, tests/ui/test_api.py::
test_store_unavailable_keeps_service_running and ::test_store_going_down_mid_session_is_a_message.
Here the real processes are used: `unsc` commands against a closed port, and `unsc serve` whose
`chroma run` server is killed and restarted on the same port and path.
"""

from __future__ import annotations

import signal

import pytest

from tests.reliability.conftest import (
    closed_port, gradio_client, run_unsc, start_chroma, start_serve, stop, write_tiny,
)

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("command", [["stats"], ["search", "zebra convoys"], ["ask", "What do zebra convoys require?"],
                                     ["ingest", "TINY"]])
def test_cli_server_unreachable_is_one_line_exit_2(tmp_path, command):
    url = f"http://127.0.0.1:{closed_port()}"
    if command[0] == "ingest":
        command = ["ingest", str(write_tiny(tmp_path / "d")[0])]
    r = run_unsc(*command, "--store", tmp_path / "store", env={"UNSC_CHROMA_URL": url})
    assert r.rc == 2, (r.rc, r.err)
    lines = [line for line in r.err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"error: Chroma server at {url} is unavailable"), r.err
    assert "Traceback" not in r.err


def test_cli_bad_url_is_one_line(tmp_path):
    r = run_unsc("stats", "--store", tmp_path / "store", env={"UNSC_CHROMA_URL": "http://"})
    assert r.rc == 2 and r.err.strip().startswith("error: ") and len(r.err.strip().splitlines()) == 1, r.err


QUESTION = "What do zebra convoys require?"


@pytest.mark.server
def test_ui_survives_chroma_going_down_and_recovers(tmp_path, fresh_store):
    port = closed_port()
    url = f"http://127.0.0.1:{port}"
    env = {"UNSC_CHROMA_URL": url}
    chroma_log = tmp_path / "chroma.log"
    chroma = start_chroma(tmp_path / "chroma-data", port, chroma_log)
    serve = None
    try:
        r = run_unsc("ingest", write_tiny(tmp_path / "d")[0], "--store", fresh_store, "-q", env=env)
        assert r.rc == 0, r.err
        serve, ui = start_serve(fresh_store, env=env, log=tmp_path / "serve.log")
        client = gradio_client(ui)
        ok = client.predict(QUESTION, api_name="/ask")
        assert "[1]" in ok["answer"] and "secure supply routes" in ok["answer"], ok

        chroma.send_signal(signal.SIGKILL)
        chroma.wait()
        for _ in range(2):  # a clear message, every time, and the UI process keeps running
            down = client.predict(QUESTION, api_name="/ask")
            assert "error" in down and "unavailable" in down["error"], down
            assert "Traceback" not in down["error"]
            assert serve.poll() is None

        chroma = start_chroma(tmp_path / "chroma-data", port, chroma_log)  # same port, same data
        back = client.predict(QUESTION, api_name="/ask")
        assert "error" not in back, back
        assert "[1]" in back["answer"] and "secure supply routes" in back["answer"]
    finally:
        if serve is not None:
            stop(serve)
        stop(chroma)
