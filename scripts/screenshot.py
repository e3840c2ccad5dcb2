"""Save docs/screenshot.png (a Chinese question) and docs/screenshot-en.png (an English one): real
answers with their sources panel, at a projector's 1280×720, in Debian's Chromium.

    .venv/bin/python scripts/screenshot.py --store /tmp/ui-store          # starts `unsc serve` itself
    .venv/bin/python scripts/screenshot.py --url http://127.0.0.1:7860/   # or uses a running server

The questions are the page's own example questions (drawn from the store), the first Chinese and
the last English one; `--zh` / `--en` choose others.

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
VIEWPORT = {"width": 1280, "height": 720}


def _wait(url: str, timeout: float = 180) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url + "gradio_api/info", timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer")


def _examples(page) -> list[str]:
    return [t.strip() for t in page.locator("#examples button, #examples td").all_inner_texts() if t.strip()]


def _is_zh(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def take(url: str, shots: list[tuple[Path, str | None, str]], chromium: str = "/usr/bin/chromium") -> list[Path]:
    """One screenshot per (output path, question, "zh"/"en"); a None question is taken from the page's examples."""
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
    done: list[Path] = []
    try:
        for out, question, lang in shots:
            page = browser.new_page(viewport=VIEWPORT, device_scale_factor=1)
            page.goto(url, wait_until="domcontentloaded")
            page.wait_for_selector("#question textarea", timeout=90_000)
            page.wait_for_timeout(1000)
            if not question:
                want_zh = lang == "zh"
                found = [e for e in _examples(page) if _is_zh(e) == want_zh]
                if not found:
                    raise SystemExit(f"no {'Chinese' if want_zh else 'English'} example question on the page; pass --zh/--en")
                question = found[0] if want_zh else found[-1]
            page.fill("#question textarea", question)
            page.click("#ask")
            page.wait_for_function(
                "q => { const s = document.querySelector('#sources .unsc-sources .src-question');"
                " return s && s.textContent === q && !document.querySelector('#chat').textContent.includes('▍'); }",
                arg=question, timeout=90_000)
            page.wait_for_timeout(800)
            path = Path(out)
            path.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(path))
            page.close()
            done.append(path)
    finally:
        browser.close()
        pw.stop()
    return done


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", help="A running server (else one is started on --store).")
    ap.add_argument("--store", type=Path, help="Index directory for the server this script starts.")
    ap.add_argument("--zh", help="Chinese question (default: the page's first Chinese example).")
    ap.add_argument("--en", help="English question (default: the page's last English example).")
    ap.add_argument("--out-zh", type=Path, default=ROOT / "docs" / "screenshot.png")
    ap.add_argument("--out-en", type=Path, default=ROOT / "docs" / "screenshot-en.png")
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
        for path in take(url, [(args.out_zh, args.zh, "zh"), (args.out_en, args.en, "en")]):
            print(path)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=15)


if __name__ == "__main__":
    main()
