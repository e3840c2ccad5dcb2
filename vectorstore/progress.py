"""Ingestion progress a person can follow: a bar on a terminal, plain periodic lines in a log.

Why two renderings: a bar redraws one line with carriage returns, which a terminal shows well and
a log file turns into one endless line (or nothing at all until the end: a 16-minute ingest once
printed nothing to its log until it finished). So when the output is not a terminal, a plain line
(files, chunks, chunks/s, ETA) is written at most every `interval` seconds, plus one at the end.
Which one to use is the caller's choice (`ui.cli` looks at the terminal); this module only renders.

The ETA is in chunks: the total is known only as files get parsed, so the chunks still to come
are estimated from the number of files left (the one total known before parsing) times the
chunks per file so far.
"""

from __future__ import annotations

import sys
import time
from typing import Callable, TextIO


def _duration(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}h{m:02d}m{s:02d}s" if h else (f"{m}m{s:02d}s" if m else f"{s}s")


class IngestProgress:
    """Counts of an ingestion run; `render` is called after each change (subclasses draw).

    `total_files` may be None (unknown); then no ETA is given.
    """

    def __init__(self, total_files: int | None = None, clock: Callable[[], float] = time.monotonic):
        self.total_files = total_files
        self.clock = clock
        self.t0 = clock()
        self.files = 0  # files finished (written, failed or skipped)
        self.files_cheap = 0  # of which skipped as unchanged or failed (cost next to nothing)
        self.chunks = 0  # chunks of finished files
        self.embedded = 0  # texts embedded so far
        self._in_flight = 0  # texts embedded for files not finished yet

    # -- events
    def file_done(self, chunks: int = 0, skipped: bool = False) -> None:
        self.files += 1
        self.chunks += int(chunks)
        if skipped or not chunks:
            self.files_cheap += 1
        self._in_flight = 0
        self.render()

    def embedded_batch(self, n: int) -> None:
        self.embedded += int(n)
        self._in_flight += int(n)
        self.render()

    def close(self) -> None:
        self.render(final=True)

    # -- figures
    @property
    def elapsed(self) -> float:
        return max(1e-9, self.clock() - self.t0)

    @property
    def done(self) -> int:
        """Chunks finished, plus those of unfinished files already embedded (work done, in chunks)."""
        return self.chunks + self._in_flight

    @property
    def rate(self) -> float:
        """Chunks per second since the start (embedded chunks of unfinished files included)."""
        return self.done / self.elapsed

    def eta(self) -> float | None:
        """Seconds left (None if unknown).

        The chunk count of the files still to come is estimated from the files done so far
        (chunks per file), and the time from the rate so far; files skipped as unchanged or failed
        count for neither, so a resumed run does not promise what its new files cannot keep.
        """
        if self.total_files is None:
            return None
        left_files = max(0, self.total_files - self.files)
        if left_files == 0:
            return 0.0
        worked = self.files - self.files_cheap
        if worked <= 0 or self.done <= 0:
            return None
        left_chunks = max(0.0, left_files * self.chunks / worked - self._in_flight)
        return left_chunks / self.rate

    def line(self) -> str:
        total = f"/{self.total_files}" if self.total_files is not None else ""
        eta = self.eta()
        parts = [f"{self.files}{total} files", f"{self.chunks} chunks", f"{self.embedded} embedded",
                 f"{self.rate:.1f} chunks/s", f"elapsed {_duration(self.elapsed)}"]
        if eta is not None:
            parts.append(f"ETA {_duration(eta)}")
        return "indexing: " + ", ".join(parts)

    def render(self, final: bool = False) -> None:  # pragma: no cover - overridden
        pass


class LineProgress(IngestProgress):
    """Plain lines to `stream`, at most one every `interval` seconds, and a last one at the end."""

    def __init__(self, total_files: int | None = None, stream: TextIO | None = None, interval: float = 10.0,
                 clock: Callable[[], float] = time.monotonic):
        super().__init__(total_files, clock)
        self.stream = stream or sys.stdout
        self.interval = float(interval)
        self._last = self.t0
        self.lines_written = 0

    def render(self, final: bool = False) -> None:
        now = self.clock()
        if not final and now - self._last < self.interval:
            return
        self._last = now
        print(self.line() + (" (done)" if final else ""), file=self.stream, flush=True)
        self.lines_written += 1


class BarProgress(IngestProgress):
    """A tqdm bar over files (on stderr), with chunks, embedded and chunks/s beside it."""

    def __init__(self, total_files: int | None = None, stream: TextIO | None = None):
        super().__init__(total_files)
        from tqdm import tqdm

        self._bar = tqdm(total=total_files, unit="file", desc="indexing", dynamic_ncols=True, smoothing=0.05,
                         file=stream or sys.stderr)
        self._shown = 0
        self._last_postfix = 0.0

    def render(self, final: bool = False) -> None:
        if self.files > self._shown:
            self._bar.update(self.files - self._shown)
            self._shown = self.files
        now = time.monotonic()
        if final or now - self._last_postfix >= 0.5:
            self._last_postfix = now
            self._bar.set_postfix_str(f"{self.chunks} chunks, {self.embedded} embedded, {self.rate:.1f} chunks/s",
                                      refresh=True)
        if final:
            self._bar.close()
