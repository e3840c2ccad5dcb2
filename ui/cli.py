"""The `unsc` command line: parse, ingest, search, ask, eval, stats, serve.

Each subcommand is a thin shell: it reads settings (env `UNSC_*`, then its flags), builds the
components through `ui.app`, and prints. Heavy imports (Chroma, embedders, Gradio) happen
inside the commands so that `unsc --help` and `unsc parse` start fast.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from datetime import date
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
    paths: Annotated[list[Path], typer.Argument(help="Files or directories (walked recursively).", readable=False)],
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



class _Fatal(Exception):
    """An error that ends a command with a one-line message (no traceback)."""


def _store_errors():
    """Exceptions that mean 'the index cannot be used as asked', shown as one line (one root: StoreError)."""
    from ingest.errors import StoreError

    return (StoreError,)


def _settings(store: Path | None, **overrides):
    try:
        return load_settings(store=store, **overrides)
    except ValueError as e:  # a flag or UNSC_* value out of range (e.g. --k above retrieval.max_k)
        raise _Fatal(f"error: {e}") from None


def _open(settings, rebuild: bool = False):
    from ui.app import open_store

    try:
        return open_store(settings, rebuild=rebuild)
    except _store_errors() as e:
        raise _Fatal(f"error: {e}") from None
    except ValueError as e:  # unknown embedder spec and the like
        raise _Fatal(f"error: {e}") from None


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or directories (walked recursively).", readable=False)],
    store: StoreOpt = None,
    rebuild: Annotated[bool, typer.Option(
        "--rebuild", help="Drop the index first and build it anew (needed to switch embedders).")] = False,
    max_file_mb: Annotated[Optional[float], typer.Option("--max-file-mb", help="Refuse larger files.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or progress lines.")] = False,
    interval: Annotated[float, typer.Option(
        "--progress-every", help="Seconds between progress lines when the output is not a terminal.")] = 10.0,
    replace: Annotated[bool, typer.Option("--replace", help=(
        "A file holding a document already indexed from another file (its PDF beside its text) replaces "
        "that file's chunks, instead of being skipped (same passages) or refused (different passages)."))] = False,
) -> None:
    """Parse, embed and store records. Unchanged files are skipped; changed files replace their chunks.

    Progress: a bar on a terminal; otherwise a plain line (files, chunks, chunks/s, ETA) every
    `--progress-every` seconds on stdout. A summary follows: what changed, where the time went,
    and per record kind how many documents and chunks, what was skipped and why.
    """
    from ingest.parse import ParseReport, discover, parse_files
    from vectorstore.ingest import ingest_files, is_unchanged_fn

    settings = _settings(store, max_file_mb=max_file_mb)
    chunk_store = _open(settings, rebuild=rebuild)
    unchanged = is_unchanged_fn(chunk_store)
    inputs = discover(paths)
    total_files = len(inputs.records) + len(inputs.errors)
    report = ParseReport()
    results = _collect(parse_files(paths, max_bytes=int(settings.max_file_mb * 1e6), is_unchanged=unchanged,
                                   summary=report.summary), report)
    progress = _progress(quiet, total_files, interval)
    try:
        summary = ingest_files(chunk_store, results, progress=progress, total_files=total_files, replace=replace)
    except _store_errors() as e:
        raise _Fatal(f"error: {e}") from None
    for line in summary.notes:
        _err(f"note: {line}")
    for line in summary.errors:
        _err(line if line.startswith("error:") else f"error: {line}")
    typer.echo(summary.line())
    typer.echo(summary.timing_line())
    for line in _report_lines(report):
        typer.echo(line)
    if summary.files_failed:
        raise typer.Exit(1)


def _progress(quiet: bool, total_files: int, interval: float):
    """A bar when stderr is a terminal, plain periodic lines on stdout otherwise, nothing if quiet."""
    if quiet:
        return False
    from vectorstore.progress import BarProgress, LineProgress

    if sys.stderr.isatty():
        return BarProgress(total_files)
    return LineProgress(total_files, stream=sys.stdout, interval=interval)


def _collect(results, report):
    """Pass parse results through while recording them in `report` (for its summary)."""
    from ingest.parse import FileError, ParsedFile, SkippedFile

    for r in results:
        if isinstance(r, ParsedFile):
            report.files.append(r)
        elif isinstance(r, FileError):
            report.errors.append(r)
        elif isinstance(r, SkippedFile):
            report.skipped.append(r)
        yield r


def _report_lines(report) -> list[str]:
    """The parser's per-kind summary: documents and chunks per record kind, what was skipped and why."""
    out = list(report.summary.lines())
    if report.skipped:
        out.append(f"{len(report.skipped)} files unchanged since the last ingest (not parsed again)")
    return out


@app.command()
def stats(store: StoreOpt = None, as_json: JsonOpt = False) -> None:
    """What the index holds: documents, chunks by kind and language, embedder, location."""
    settings = _settings(store)
    st = _open(settings).stats()
    if as_json:
        typer.echo(json.dumps(st.model_dump(mode="json"), ensure_ascii=False))
        return
    typer.echo(f"store:     {st.store}")
    typer.echo(f"embedder:  {st.embedder}")
    typer.echo(f"documents: {st.documents}")
    typer.echo(f"chunks:    {st.chunks}")
    typer.echo("by kind:   " + ", ".join(f"{k} {v}" for k, v in sorted(st.by_kind.items())))
    typer.echo("by lang:   " + ", ".join(f"{k} {v}" for k, v in sorted(st.by_lang.items())))


# `--kind` values: the record kinds of `Chunk.doc_kind`, plus short forms people type.
KIND_ALIASES: dict[str, str] = {
    "resolution": "resolution", "resolutions": "resolution", "res": "resolution",
    "presidential_statement": "presidential_statement", "presidential-statement": "presidential_statement",
    "statement": "presidential_statement", "prst": "presidential_statement",
    "draft_not_adopted": "draft_not_adopted", "draft-not-adopted": "draft_not_adopted", "draft": "draft_not_adopted",
    "veto": "veto", "vetoes": "veto",
    "repertoire": "repertoire",
    "other": "other",
}
KIND_HELP = "resolution, presidential_statement (prst), draft_not_adopted (draft), veto, repertoire"
_YEARS = re.compile(r"^\s*(\d{4})\s*(?:(?:-|–|\.\.|:)\s*(\d{4})?\s*)?$")


def parse_kinds(values: list[str] | None) -> list[str]:
    """`--kind` values (repeatable, or comma-separated) → record kinds; a wrong one is an error."""
    out: list[str] = []
    for value in values or []:
        for part in re.split(r"[,\s]+", value.strip().lower()):
            if not part:
                continue
            kind = KIND_ALIASES.get(part)
            if kind is None:
                raise _Fatal(f"error: unknown --kind {part!r}: expected {KIND_HELP}")
            if kind not in out:
                out.append(kind)
    return out


def parse_years(value: str | None) -> tuple[date | None, date | None]:
    """`--year 2021` → all of 2021; `--year 2019-2022` → 2019-01-01 .. 2022-12-31; `2019-` → from 2019."""
    if not value:
        return None, None
    m = _YEARS.match(value)
    if not m:
        raise _Fatal(f"error: --year {value!r}: expected a year (2021) or a range (2019-2022)")
    lo = int(m.group(1))
    open_end = m.group(2) is None and value.strip() != m.group(1)
    hi = int(m.group(2)) if m.group(2) else (None if open_end else lo)
    if hi is not None and hi < lo:
        raise _Fatal(f"error: --year {value!r}: the range ends before it starts")
    return date(lo, 1, 1), (date(hi, 12, 31) if hi is not None else None)


def _filters(lang: str | None, symbol: list[str] | None, kind: list[str] | None = None,
             doc_kind: list[str] | None = None, year: str | None = None):
    from ingest.symbols import canonical
    from rag.types import SearchFilters

    date_from, date_to = parse_years(year)
    return SearchFilters(
        langs=[lang] if lang else [],
        symbols=[canonical(s) for s in (symbol or [])],
        kinds=list(kind or []),
        doc_kinds=parse_kinds(doc_kind),
        date_from=date_from,
        date_to=date_to,
    )


LangOpt = Annotated[Optional[str], typer.Option("--lang", help="Only sources in this language (zh or en).")]
KOpt = Annotated[Optional[int], typer.Option("--k", min=1, help="How many passages (at most the setting retrieval.max_k, 10 by default).")]
DocKindOpt = Annotated[Optional[list[str]], typer.Option("--kind", help=f"Only records of this kind (repeatable): {KIND_HELP}.")]
YearOpt = Annotated[Optional[str], typer.Option("--year", help="Only records dated in this year (2021) or range of years (2019-2022).")]


@app.command()
def search(
    question: Annotated[str, typer.Argument(help="A question or keywords, Chinese or English.")],
    k: KOpt = None,
    lang: LangOpt = None,
    symbol: Annotated[Optional[list[str]], typer.Option("--symbol", help="Only chunks of or citing this document symbol.")] = None,
    kind: DocKindOpt = None,
    year: YearOpt = None,
    chunk_kind: Annotated[Optional[list[str]], typer.Option(
        "--chunk-kind", help="Only this chunk kind (resolution_paragraph, document_card, paragraph, table_row, ...).")] = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Ranked passages for a question (dense + lexical, fused)."""
    from rag.question import QueryError
    from ui.app import make_retriever

    filters = _filters(lang, symbol, chunk_kind, kind, year)
    settings = _settings(store, k=k)
    retriever = make_retriever(settings, _open(settings))
    try:
        ranked = retriever.search(question, k=k or settings.retrieval.max_k, filters=filters)
    except QueryError as e:
        raise _Fatal(f"error: {e}") from None
    for sc in ranked:
        if as_json:
            typer.echo(chunk_json(sc.chunk, score=round(sc.score, 6), dense=sc.dense, lexical=sc.lexical, rank=sc.rank))
        else:
            c = sc.chunk
            where = c.label or (f"¶{c.paragraph}" if c.paragraph is not None else "")
            typer.echo(f"{sc.rank:>2}. {sc.score:.4f}  [{c.lang}] {c.section} {where}")
            typer.echo(f"    {c.text[:160]}{'…' if len(c.text) > 160 else ''}")


def _answer_json(ans) -> str:
    """One answer as the JSON contract shared with the `/ask` API (ui.render.answer_json, README)."""
    from ui.render import answer_json

    return json.dumps(answer_json(ans), ensure_ascii=False)


def _print_answer(ans) -> None:
    typer.echo(ans.answer)
    if ans.unsupported:
        typer.echo("")
        typer.echo("Unsupported sentences: " + " | ".join(ans.unsupported))
    if ans.citations:
        typer.echo("")
        typer.echo("Sources:" if ans.lang != "zh" else "来源：")
        for c in ans.citations:
            where = c.where or (f"{c.section}" + (f", para. {c.paragraph}" if c.paragraph is not None else ""))
            typer.echo(f"[{c.n}] {where}: {c.text[:80]}{'…' if len(c.text) > 80 else ''}")
            for link in c.links:
                typer.echo(f"    {link}")
    for note in ans.notes:
        typer.echo(f"note: {note}")


@app.command()
def ask(
    question: Annotated[Optional[str], typer.Argument(help="The question (Chinese or English).")] = None,
    questions: Annotated[Optional[Path], typer.Option("--questions", help="JSON lines with `id` and `question`: answer them all.")] = None,
    k: KOpt = None,
    lang: LangOpt = None,
    kind: DocKindOpt = None,
    year: YearOpt = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
    llm: Annotated[Optional[str], typer.Option("--llm", help="openai:<model> or llamacpp:/path.gguf (default: extractive).")] = None,
) -> None:
    """Answer with cited sources, or say the records do not answer it."""
    from rag.question import QueryError
    from ui.app import build_pipeline

    if (question is None) == (questions is None):
        raise _Fatal("error: give a question or --questions FILE.jsonl (not both)")
    filters = _filters(lang, None, None, kind, year)
    settings = _settings(store, k=k, llm=llm)
    try:
        pipeline = build_pipeline(settings, _open(settings))
    except ValueError as e:
        raise _Fatal(f"error: {e}") from None
    if questions is not None:
        failed = 0
        for n, line in enumerate(questions.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                ans = pipeline.ask(item["question"], filters=filters, question_id=str(item.get("id", n)))
                typer.echo(_answer_json(ans) if as_json else f"{item.get('id', n)}: {ans.answer}")
            except (QueryError, KeyError, json.JSONDecodeError) as e:
                failed += 1
                _err(f"error: {questions}:{n}: {e}")
        if failed:
            raise typer.Exit(1)
        return
    try:
        ans = pipeline.ask(question, filters=filters)
    except QueryError as e:
        raise _Fatal(f"error: {e}") from None
    if as_json:
        typer.echo(_answer_json(ans))
    else:
        _print_answer(ans)


@app.command("eval")
def evaluate(
    file: Annotated[Path, typer.Argument(help="Question set, JSON lines (see shared/eval/README.md).")],
    k: KOpt = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Recall@1/@5, MRR, citation hit rate, fact accuracy, link rate and abstention, per language."""
    from rag import evaluate as ev
    from ui.app import build_pipeline

    settings = _settings(store, k=k)
    pipeline = build_pipeline(settings, _open(settings))
    rep = ev.report(ev.run(pipeline, ev.load_items(file)))  # per kind and language; follow-ups with their history
    typer.echo(ev.dump_json(rep) if as_json else ev.format_report(rep))


@app.command()
def serve(
    host: Annotated[Optional[str], typer.Option("--host", help="Interface to bind (default 127.0.0.1; 0.0.0.0 exposes it).")] = None,
    port: Annotated[Optional[int], typer.Option("--port", help="Port (default 7860).")] = None,
    store: StoreOpt = None,
    verbose: Annotated[bool, typer.Option("--verbose", help="Log INFO messages and every HTTP request.")] = False,
) -> None:
    """Start the web chat (login with UNSC_AUTH=user:password)."""
    from ui.web import serve as serve_web

    settings = _settings(store, host=host, port=port)
    try:
        serve_web(settings, verbose=verbose)
    except ValueError as e:  # a malformed UNSC_AUTH and the like
        raise _Fatal(f"error: {e}") from None


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except _Fatal as e:
        _err(str(e))
        sys.exit(2)
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
