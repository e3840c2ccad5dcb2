"""Ingestion progress when the output is not a terminal: plain periodic lines a log can hold."""

from __future__ import annotations

import io
import re

from vectorstore.ingest import ingest_files
from vectorstore.progress import LineProgress
from vs_helpers import FakeEmbeddings, parsed


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def test_lines_come_at_most_every_interval_with_files_chunks_rate_and_eta():
    out, clock = io.StringIO(), Clock()
    p = LineProgress(total_files=10, stream=out, interval=10, clock=clock)
    for _ in range(4):
        clock.t += 3
        p.file_done(chunks=30)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1  # 12 s: one line, not four
    assert lines[0] == "indexing: 4/10 files, 120 chunks, 0 embedded, 10.0 chunks/s, elapsed 12s, ETA 18s"
    clock.t += 1
    p.embedded_batch(16)  # within 10 s of the last line: silent
    assert len(out.getvalue().splitlines()) == 1
    p.close()
    last = out.getvalue().splitlines()[-1]
    assert last.endswith("(done)") and "16 embedded" in last


def test_eta_ignores_files_skipped_as_unchanged():
    out, clock = io.StringIO(), Clock()
    p = LineProgress(total_files=100, stream=out, interval=0, clock=clock)
    for _ in range(90):
        p.file_done(0, skipped=True)
    assert p.eta() is None  # nothing known about the cost of a file that needs work
    clock.t += 20
    p.file_done(chunks=50)
    assert p.eta() == 9 * 50 / (50 / 20)


def test_ingest_reports_progress_lines_and_timings(open_store, sample):
    out = io.StringIO()
    store = open_store(FakeEmbeddings())
    s = ingest_files(store, parsed(sample), progress=LineProgress(total_files=3, stream=out, interval=0))
    lines = out.getvalue().splitlines()
    assert lines and all(line.startswith("indexing: ") for line in lines)
    assert re.search(r"3/3 files, 8 chunks, 8 embedded, [\d.]+ chunks/s", lines[-1]) and lines[-1].endswith("(done)")
    assert "chunks/s" in s.timing_line() and s.chunks == 8
