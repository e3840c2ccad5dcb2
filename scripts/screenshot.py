"""Save docs/screenshot.png: a real Chinese answer with its sources panel, in Debian's Chromium.

    .venv/bin/python scripts/screenshot.py --store /tmp/ui-store          # starts `unsc serve` itself
    .venv/bin/python scripts/screenshot.py --url http://127.0.0.1:7860/   # or uses a running server

Needs a CJK font on the machine running Chromium (Debian: fonts-noto-cjk) for legible Chinese.
"""

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
QUESTION = "第2518(2020)号决议是哪一天通过的？"


def _wait(url: str, timeout: float = 180) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url + "gradio_api/info", timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer")


def take(url: str, out: Path, question: str = QUESTION, chromium: str = "/usr/bin/chromium") -> Path:
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
    try:
        page = browser.new_page(viewport={"width": 1440, "height": 900}, device_scale_factor=1)
        page.goto(url, wait_until="domcontentloaded")
        page.wait_for_selector("#question textarea", timeout=90_000)
        page.fill("#question textarea", question)
        page.click("#ask")
        page.wait_for_selector("#sources #src-1", timeout=90_000)
        page.wait_for_timeout(800)
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out))
    finally:
        browser.close()
        pw.stop()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", help="A running server (else one is started on --store).")
    ap.add_argument("--store", type=Path, help="Index directory for the server this script starts.")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.png")
    args = ap.parse_args()
    proc = None
    url = args.url
    if not url:
        if not args.store:
            ap.error("give --url or --store")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if k not in ("UNSC_AUTH",)}
        env["GRADIO_ANALYTICS_ENABLED"] = "False"
        proc = subprocess.Popen([str(Path(sys.executable).with_name("unsc")), "serve", "--port", str(port), "--store", str(args.store)],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}/"
    try:
        _wait(url if url.endswith("/") else url + "/")
        print(take(url, args.out))
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=15)


if __name__ == "__main__":
    main()
