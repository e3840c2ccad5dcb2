"""The `unsc` command line: parse, ingest, search, ask, eval, stats, serve.

Each subcommand is a thin shell: it reads settings (env `UNSC_*`, then its flags), builds the
components through `ui.components`, and prints. Heavy imports (Chroma, embedders, Gradio) happen
inside the commands so that `unsc --help` and `unsc parse` start fast.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Annotated, Optional

import typer

from ui.settings import load_settings

app = typer.Typer(
    help="Ask questions about UN Security Council records and get answers that cite their sources.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

StoreOpt = Annotated[Optional[Path], typer.Option("--store", help="Index directory (default: UNSC_STORE or .unsc/store).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]


def _err(message: str) -> None:
    typer.echo(message, err=True)


def chunk_json(chunk, **extra) -> str:
    """One chunk as the JSON object `unsc parse --json` and `unsc search --json` print."""
    data = chunk.model_dump(mode="json")
    data["source"] = {k: v for k, v in data["source"].items() if v is not None}
    data.update(extra)
    return json.dumps(data, ensure_ascii=False)


@app.command()
def parse(
    paths: Annotated[list[Path], typer.Argument(help="Files or directories (walked recursively).")],
    as_json: JsonOpt = False,
    max_file_mb: Annotated[Optional[float], typer.Option("--max-file-mb", help="Refuse larger files.")] = None,
) -> None:
    """Parse records into chunks and print them (no index needed)."""
    from ingest.parse import FileError, ParsedFile, parse_files

    settings = load_settings(max_file_mb=max_file_mb)
    failed = 0
    for result in parse_files(paths, max_bytes=int(settings.max_file_mb * 1e6)):
        if isinstance(result, FileError):
            failed += 1
            _err(result.line())
            continue
        if not isinstance(result, ParsedFile):
            continue
        if as_json:
            for chunk in result.chunks:
                typer.echo(chunk_json(chunk))
        else:
            _print_parsed_file(result)
    if failed:
        raise typer.Exit(1)


def _print_parsed_file(parsed) -> None:
    kinds = Counter(c.kind for c in parsed.chunks)
    summary = ", ".join(f"{n} {k}" for k, n in kinds.items())
    typer.echo(f"{parsed.display_path}: {len(parsed.chunks)} chunks ({summary})")
    for c in parsed.chunks:
        where = c.label or (f"¶{c.paragraph}" if c.paragraph is not None else "")
        text = c.text.replace("\n", " ")
        typer.echo(f"  [{c.kind} {c.lang}] {c.section} {where}: {text[:90]}{'…' if len(text) > 90 else ''}")
        for f in c.footnotes:
            target = f" → {f.symbol}" + (f" para. {', '.join(map(str, f.paragraphs))}" if f.paragraphs else "") if f.symbol else ""
            typer.echo(f"      fn {f.number}: {f.text[:60]}{target}")
        if c.symbols:
            typer.echo(f"      symbols: {', '.join(c.symbols)}")


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
