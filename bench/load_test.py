"""16 concurrent users against ONE `unsc serve`: latency per request, errors, and every answer checked.

Each user is a thread with its own `gradio_client.Client` (its own session and queue position)
asking its own sequence of questions through the `/ask` API: the dev set (../shared/eval/dev.jsonl)
and our own questions (tests/data/own_questions.jsonl), Chinese and English mixed, each user
starting at a different place in the list. An answer counts as correct when it is
- answerable item: not an abstention, at least one marker, every marker a listed citation and
  every citation marked, the expected facts in the answer text, a cited source holding the gold
  text, and an undocs.org link for every expected symbol;
- unanswerable item: an abstention without citations.
Anything else (an `error` reply, an exception, a timeout, a wrong answer) is counted and listed.

    .venv/bin/python bench/load_test.py --store .unsc/store              # starts `unsc serve` itself
    .venv/bin/python bench/load_test.py --url http://127.0.0.1:7860/     # an already running server
    .venv/bin/python bench/load_test.py --store DIR --users 16 --per-user 4 --json out.json

Queue settings are the server's (`UNSC_UI_CONCURRENCY`, `UNSC_UI_QUEUE_MAX`; see ui/web.py); when
this script starts the server it passes the environment through, so they can be varied per run.
Exit status: 0 when every request succeeded and was correct, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"
OWN = ROOT / "tests" / "data" / "own_questions.jsonl"
UNSC = Path(sys.executable).with_name("unsc")
_MARKER = re.compile(r"\[(\d+)\]")


@dataclass
class Request:
    user: int
    item: str
    lang: str
    seconds: float
    ok: bool
    problem: str = ""


@dataclass
class Result:
    users: int
    per_user: int
    requests: list[Request] = field(default_factory=list)
    wall_seconds: float = 0.0
    queue: dict = field(default_factory=dict)
    machine: str = ""

    @property
    def errors(self) -> list[Request]:
        return [r for r in self.requests if not r.ok]

    def latency(self) -> dict:
        s = sorted(r.seconds for r in self.requests)
        if not s:
            return {}

        def pct(p: float) -> float:  # nearest rank
            return s[min(len(s) - 1, max(0, round(p / 100 * len(s) + 0.5) - 1))]

        return {"n": len(s), "p50": round(statistics.median(s), 2), "p95": round(pct(95), 2), "max": round(s[-1], 2),
                "mean": round(statistics.fmean(s), 2)}

    def summary(self) -> dict:
        expected = self.users * self.per_user
        return {"users": self.users, "per_user": self.per_user, "requests": len(self.requests), "expected": expected,
                "errors": len(self.errors) + (expected - len(self.requests)), "latency_s": self.latency(),
                "wall_s": round(self.wall_seconds, 1),
                "throughput_per_min": round(60 * len(self.requests) / self.wall_seconds, 1) if self.wall_seconds else 0,
                "queue": self.queue, "machine": self.machine}


def load_items(paths: list[Path]):
    from rag.evaluate import load_items as _load

    items = []
    for p in paths:
        if p.exists():
            items += _load(p)
    if not items:
        raise SystemExit(f"no questions found in {', '.join(map(str, paths))}")
    return items


def check(item, r: dict) -> str:
    """'' when the reply is a correct, cited answer (or a correct abstention); else the problem."""
    from rag.evaluate import contains_gold, norm

    if "error" in r:
        return f"error reply: {r['error']}"
    cited = {c["n"] for c in r.get("citations", [])}
    markers = {int(m) for m in _MARKER.findall(r.get("answer", ""))}
    if not item.answerable:
        return "" if r.get("abstained") and not cited else f"answered an unanswerable question: {r.get('answer', '')[:80]!r}"
    if r.get("abstained"):
        return "abstained"
    if not markers or markers != cited:
        return f"markers {sorted(markers)} vs citations {sorted(cited)}"
    text = norm(r["answer"])
    if item.facts and not all(any(norm(a) in text for a in group) for group in item.facts):
        return f"facts {item.facts} missing from {r['answer'][:80]!r}"
    gold = [g for g in item.gold if g.strip()]
    if gold and not any(contains_gold(c["text"] + " " + " ".join(f["text"] for f in c["footnotes"]), gold)
                        for c in r["citations"]):
        return "no cited source holds the gold text"
    links = {u for c in r["citations"] for u in c["links"]} | {f["link"] for c in r["citations"] for f in c["footnotes"] if f["link"]}
    if item.symbols and not all(any(u.endswith("/" + s) for u in links) for s in item.symbols):
        return f"no link for {item.symbols}"
    return ""


def run_load(url: str, items, users: int = 16, per_user: int = 4, timeout: float = 900.0,
             log=print) -> Result:
    """`users` threads, each with its own client, each asking `per_user` questions; bounded by `timeout`."""
    from gradio_client import Client

    res = Result(users=users, per_user=per_user, machine=machine())
    lock = threading.Lock()
    deadline = time.time() + timeout
    start = threading.Barrier(users + 1)
    stride = max(1, len(items) // users) if users <= len(items) else 1

    def user(u: int) -> None:
        try:
            client = Client(url, verbose=False)
        except Exception as e:  # noqa: BLE001
            with lock:
                res.requests.append(Request(u, "-", "-", 0.0, False, f"connect: {type(e).__name__}: {e}"))
            start.wait()
            return
        start.wait()
        for j in range(per_user):
            if time.time() > deadline:
                return
            item = items[(u * stride + j * 7) % len(items)]  # different start and step per user
            t0 = time.perf_counter()
            try:
                r = client.predict(item.question, api_name="/ask")
                problem = check(item, r)
            except Exception as e:  # noqa: BLE001 - counted, never fatal
                problem = f"{type(e).__name__}: {e}"
            dt = time.perf_counter() - t0
            with lock:
                res.requests.append(Request(u, item.id, item.lang, round(dt, 3), not problem, problem))
            if problem:
                log(f"  user {u:2d} {item.id}: {problem}")

    threads = [threading.Thread(target=user, args=(u,), daemon=True, name=f"user-{u}") for u in range(users)]
    for t in threads:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join(max(0.0, deadline - time.time()))
    res.wall_seconds = time.perf_counter() - t0
    return res


def machine() -> str:
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        load = open("/proc/loadavg").read().split()[0]
    except OSError:
        load = "?"
    return f"{os.cpu_count()} CPUs ({cpu or platform.processor()}), load average {load} at start, Python {platform.python_version()}"


def queue_settings() -> dict:
    """The queue settings a server started from this environment uses (read the same way ui/web.py does)."""
    return {"UNSC_UI_CONCURRENCY": int(os.environ.get("UNSC_UI_CONCURRENCY", "2")),
            "UNSC_UI_QUEUE_MAX": int(os.environ.get("UNSC_UI_QUEUE_MAX", "64"))}


def start_server(store: Path, log_path: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "UNSC_CHROMA_URL"}
    env["GRADIO_ANALYTICS_ENABLED"] = "False"
    proc = subprocess.Popen([str(UNSC), "serve", "--port", str(port), "--store", str(store)], env=env,
                            stdout=open(log_path, "w"), stderr=subprocess.STDOUT, cwd=str(ROOT))
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 300
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"unsc serve exited ({proc.returncode}); see {log_path}")
        try:
            with urllib.request.urlopen(url + "gradio_api/info", timeout=5):
                return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit(f"unsc serve did not start in 300 s; see {log_path}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = ap.add_mutually_exclusive_group(required=True)
    where.add_argument("--url", help="base URL of a running `unsc serve`")
    where.add_argument("--store", type=Path, help="index directory: start `unsc serve` on it (127.0.0.1, free port)")
    ap.add_argument("--users", type=int, default=16)
    ap.add_argument("--per-user", type=int, default=4)
    ap.add_argument("--timeout", type=float, default=900.0, help="total seconds for the whole run")
    ap.add_argument("--questions", type=Path, action="append", help="JSON lines question sets (default: dev + own)")
    ap.add_argument("--warmup", type=int, default=1, help="questions asked once before timing (not counted)")
    ap.add_argument("--json", type=Path, help="write the summary and every request here")
    args = ap.parse_args(argv)

    items = load_items(args.questions or [DEV, OWN])
    proc = None
    if args.store:
        log_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"unsc-load-serve-{os.getpid()}.log"
        print(f"starting unsc serve --store {args.store} (log {log_path}) …", flush=True)
        proc, url = start_server(args.store, log_path)
    else:
        url = args.url if args.url.endswith("/") else args.url + "/"
    try:
        if args.warmup:
            from gradio_client import Client

            c = Client(url, verbose=False)
            for item in items[: args.warmup]:
                c.predict(item.question, api_name="/ask")
        langs = {lang: sum(1 for i in items if i.lang == lang) for lang in sorted({i.lang for i in items})}
        print(f"{args.users} users × {args.per_user} questions against {url} ({len(items)} distinct questions: {langs})",
              flush=True)
        res = run_load(url, items, args.users, args.per_user, args.timeout)
        res.queue = queue_settings() if args.store else {"note": "server started elsewhere: see its environment"}
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
    s = res.summary()
    lat = s["latency_s"]
    print(f"requests {s['requests']}/{s['expected']}  errors {s['errors']}  "
          f"p50 {lat.get('p50')} s  p95 {lat.get('p95')} s  max {lat.get('max')} s  mean {lat.get('mean')} s  "
          f"wall {s['wall_s']} s  ({s['throughput_per_min']} answers/min)")
    print(f"queue {s['queue']}  machine {s['machine']}")
    for r in res.errors:
        print(f"  FAIL user {r.user} {r.item}: {r.problem}")
    if args.json:
        args.json.write_text(json.dumps({"summary": s, "requests": [asdict(r) for r in res.requests]},
                                        ensure_ascii=False, indent=1), encoding="utf-8")
    return 0 if s["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
