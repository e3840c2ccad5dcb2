"""Files in, `Chunk`s out: find the files, refuse what is not a record, hand each file to its parser.

This module owns everything that is about files rather than formats: walking directories
(symlink loops included), the size limit, sniffing what a file really is (a PNG renamed `.txt`),
decoding Chinese text that is not UTF-8, pairing resolution XML with the UN's metadata rows,
and turning every failure into a one-line `FileError` so that one bad file never stops the
others. The format parsers (`repertoire`, `pdf`, `akn`, `metadata`) only see decoded content.

The unit of work is one file: `ParsedFile` carries the file's content hash so the store can
tell an unchanged file from a changed one and replace a changed file's chunks as a whole.

The UN's folders are not clean, so before anything is parsed the XML files are surveyed
(`akn.identify_bytes`, patterns only): the same document in two files (S/RES/2464 (2019) twice,
2193–2195 (2014) again under 2015, S/PRST/2020/11 also among the 2020 resolutions) is kept once
by a stated rule, and a document with no file in one of the card languages gets its card in that
language from the file that exists. Empty placeholder files (`test`, `test.txt`) in a walked
folder are skipped with a note, not failed. What happened is collected in a `ParseSummary`.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.cards import CARD_LANGS
from ingest.chunk import Chunk
from ingest.errors import ParseError

if TYPE_CHECKING:  # pragma: no cover - typing only; the parsers are imported when first needed
    from ingest.akn import QuickIdentity
    from ingest.metadata import ResolutionMeta

TEXT_SUFFIXES = {".txt", ".text"}
PDF_SUFFIXES = {".pdf"}
XML_SUFFIXES = {".xml", ".akn"}
METADATA_SUFFIXES = {".json", ".jsonl"}
TABLE_SUFFIXES = {".csv"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | PDF_SUFFIXES | XML_SUFFIXES | METADATA_SUFFIXES | TABLE_SUFFIXES
METADATA_DIR = "data_extract"

_BINARY_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or Office document)",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "an executable",
}


class ParseFailure(ParseError):
    """A file that cannot be turned into chunks; the message is the reason shown to the user."""


@dataclass
class ParsedFile:
    """The chunks of one file, with the hash that identifies this version of it."""

    path: str  # key used by the store: absolute path
    sha256: str
    chunks: list[Chunk]
    display_path: str = ""


@dataclass
class SkippedFile:
    """A file the caller said is unchanged since it was last ingested (not parsed again)."""

    path: str
    sha256: str


@dataclass
class FileError:
    """A file that failed, and why, in words a user can act on."""

    path: str
    reason: str

    def line(self) -> str:
        return f"error: {self.path}: {self.reason}"


@dataclass
class IgnoredFile:
    """A file deliberately left out (an empty placeholder, the dropped copy of a duplicate), and why.

    Not an error: the run does not fail for it. It has neither `chunks` nor `reason`, so bulk
    ingestion counts it as skipped.
    """

    path: str
    note: str

    def line(self) -> str:
        return f"note: {self.path}: {self.note}"


@dataclass
class Duplicate:
    """The same document (symbol and language) found in several files, and which one was kept."""

    symbol: str
    lang: str
    kept: str
    dropped: list[str]
    why: str

    def line(self) -> str:
        return (f"{self.symbol} ({self.lang}) is in {len(self.dropped) + 1} files: kept {self.kept} ({self.why}); "
                f"dropped {', '.join(self.dropped)}")


@dataclass
class Recovered:
    path: str
    symbol: str
    repairs: list[str]


@dataclass
class KindCount:
    files: int = 0
    documents: int = 0
    chunks: int = 0
    cards: int = 0


_KIND_NAMES = {
    "resolution": "resolutions",
    "presidential_statement": "presidential statements",
    "draft_not_adopted": "draft resolutions not adopted",
    "veto": "vetoes (1946 – 15 Sep 2022 list)",
    "repertoire": "Repertoire",
    "other": "other records",
}


@dataclass
class ParseSummary:
    """What a parse run did, per record kind: the data behind the summary lines a person reads."""

    kinds: dict[str, KindCount] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why): placeholders, non-records
    recovered: list[Recovered] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (path, disagreement found in the file)
    errors: int = 0
    unchanged: int = 0
    _documents: dict[str, set] = field(default_factory=dict, repr=False)

    def count(self, parsed: ParsedFile) -> None:
        kinds_in_file: set[str] = set()
        for c in parsed.chunks:
            k = self.kinds.setdefault(c.doc_kind, KindCount())
            k.chunks += 1
            if c.kind == "document_card":
                k.cards += 1
            docs = self._documents.setdefault(c.doc_kind, set())
            key = c.id.rsplit("|", 1)[-1] if c.doc_kind == "veto" else c.doc_id  # a veto is a row, not a symbol
            if key not in docs:
                docs.add(key)
                k.documents += 1
            kinds_in_file.add(c.doc_kind)
        for kind in kinds_in_file:
            self.kinds[kind].files += 1

    def as_dict(self) -> dict:
        """JSON-ready form (for `--json` output and logs)."""
        from dataclasses import asdict

        data = asdict(self)
        data.pop("_documents", None)
        data["statements_recovered"] = self.statements_recovered
        return data

    @property
    def statements_recovered(self) -> int:
        return sum(1 for r in self.recovered if r.symbol.startswith("S/PRST/"))

    def lines(self) -> list[str]:
        """The summary as a person reads it, one fact per line."""
        out: list[str] = []
        order = [k for k in _KIND_NAMES if k in self.kinds] + sorted(k for k in self.kinds if k not in _KIND_NAMES)
        for kind in order:
            k = self.kinds[kind]
            out.append(f"{_KIND_NAMES.get(kind, kind)}: {k.documents:,} documents, {k.chunks:,} chunks "
                       f"({k.cards:,} cards) from {k.files:,} files")
        if self.unchanged:
            out.append(f"{self.unchanged:,} files unchanged since the last ingest (not parsed again)")
        if self.recovered:
            n = self.statements_recovered
            what = f"{n} statements needed recovery" if n == len(self.recovered) else (
                f"{len(self.recovered)} files needed recovery ({n} statements)")
            out.append(f"{what} (malformed XML; text recovered without entity expansion, marked as recovered)")
        for d in self.duplicates:
            out.append(f"duplicate: {d.line()}")
        if self.skipped:
            by_reason: dict[str, list[str]] = {}
            for path, why in self.skipped:
                by_reason.setdefault(why, []).append(path)
            for why, paths in by_reason.items():
                shown = ", ".join(paths[:20]) + (f" and {len(paths) - 20} more" if len(paths) > 20 else "")
                out.append(f"skipped {len(paths)} files ({why}): {shown}")
        for path, note in self.notes:
            out.append(f"note: {path}: {note}")
        if self.errors:
            out.append(f"{self.errors} files failed (see the errors above)")
        return out


@dataclass
class ParseReport:
    files: list[ParsedFile] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)
    ignored: list[IgnoredFile] = field(default_factory=list)
    summary: ParseSummary = field(default_factory=ParseSummary)

    @property
    def chunks(self) -> list[Chunk]:
        return [c for f in self.files for c in f.chunks]


@dataclass
class _Inputs:
    """What a command line names, sorted by role."""

    records: list[Path] = field(default_factory=list)  # text, PDF, XML, explicit metadata files
    explicit_metadata: set[Path] = field(default_factory=set)
    found_metadata: list[Path] = field(default_factory=list)  # data_extract files found beside year folders
    errors: list[FileError] = field(default_factory=list)
    walked: set[Path] = field(default_factory=set)  # records found by walking a directory (not named)
    in_scope_metadata: set[Path] = field(default_factory=set)  # metadata inside a directory given: its rows are records too
    not_records: list[Path] = field(default_factory=list)  # files in walked directories that are no record format
    seen: set[Path] = field(default_factory=set)  # resolved paths already sorted: a file named twice is read once

    def add(self, p: Path, explicit: bool) -> None:
        """Sort one file by its role: named files are always records; walked ones by their format."""
        key = p.resolve()
        if key in self.seen:
            return
        self.seen.add(key)
        if explicit:
            self.records.append(p)
            if p.suffix.lower() in METADATA_SUFFIXES:
                self.explicit_metadata.add(key)
        elif p.suffix.lower() in METADATA_SUFFIXES:
            if p.parent.name == METADATA_DIR:
                self.found_metadata.append(p)
        elif p.suffix.lower() in SUPPORTED_SUFFIXES or _maybe_placeholder(p):
            self.records.append(p)
            self.walked.add(key)
        else:
            self.not_records.append(p)


def display(path: Path) -> str:
    """Path as a user reads it: relative to the working directory when it is inside it."""
    return _display(str(path), os.getcwd())


@lru_cache(maxsize=65536)
def _resolved(path: str) -> Path:
    return Path(path).resolve()


def _res(path: Path) -> Path:
    """`path.resolve()`, once per path: a corpus walk asks for it many times per file."""
    return _resolved(str(path))


@lru_cache(maxsize=65536)
def _display(path: str, cwd: str) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path(cwd).resolve()))
    except ValueError:
        return path


def discover(paths: Iterable[str | Path]) -> _Inputs:
    """Expand the command line: files as given, directories walked recursively.

    Inside a directory only record formats are taken (a README beside the data is not an
    error, but it is listed in the summary), `data_extract/*.json` files are metadata, and a
    `data_extract/` folder beside the year folders of a directory given is found even when that
    directory is a year folder (so `Pre-2020/2005` gets the rows of `data_extract/2005.json`).
    CSV files are taken and recognised by their header (the veto list); suffix-less files are
    looked at so that the UN's empty `test` placeholders can be named when skipped.
    Named files are always attempted, so a wrong file named explicitly gets an error.
    """
    inputs = _Inputs()
    for raw in paths:
        p = Path(raw)
        if not p.exists() and not p.is_symlink():
            inputs.errors.append(FileError(str(p), "no such file or directory"))
        elif p.is_dir():
            for f in _walk(p, inputs):
                inputs.add(f, explicit=False)
                if f.parent.name == METADATA_DIR and f.suffix.lower() in METADATA_SUFFIXES:
                    inputs.in_scope_metadata.add(f.resolve())
            for meta_dir in _metadata_dirs_near(p):
                for f in sorted(meta_dir.glob("*.json*")):
                    inputs.add(f, explicit=False)
        elif p.is_file():
            inputs.add(p, explicit=True)
        else:
            inputs.errors.append(FileError(str(p), "not a regular file (broken link or device)"))
    return inputs


def _walk(root: Path, inputs: _Inputs) -> Iterator[Path]:
    """Files under `root` in sorted order; symlinked directories followed once (loops cut)."""
    visited: set[str] = set()

    def unlistable(e: OSError) -> None:  # an unreadable folder is reported, the walk goes on
        inputs.errors.append(FileError(e.filename or str(root), f"cannot list directory: {e.strerror}"))

    for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=unlistable):
        real = os.path.realpath(dirpath)
        if real in visited:
            dirnames[:] = []
            continue
        visited.add(real)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and os.path.realpath(os.path.join(dirpath, d)) not in visited)
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name


def _maybe_placeholder(p: Path) -> bool:
    """A suffix-less file in a record folder (`2020/English/test`): looked at, so it can be named when skipped."""
    return not p.suffix and p.name.lower() not in {"license", "licence", "readme", "notice", "copying", "authors"}


def _metadata_dirs_near(directory: Path) -> list[Path]:
    """`data_extract/` inside, beside (for a year folder) or above (for a language folder)."""
    found: list[Path] = []
    for candidate in (directory, directory.parent, directory.parent.parent):
        d = candidate / METADATA_DIR
        if d.is_dir() and d.resolve() not in [f.resolve() for f in found]:
            found.append(d)
    return found


def read_limited(path: Path, max_bytes: int) -> bytes:
    """File bytes, refusing before reading when the file is over the limit."""
    try:
        size = path.stat().st_size
    except OSError as e:
        raise ParseFailure(f"cannot read: {e.strerror or e}") from None
    if size > max_bytes:
        raise ParseFailure(
            f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit (raise it with UNSC_MAX_FILE_MB)"
        )
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ParseFailure(f"cannot read: {e.strerror or e}") from None
    if not data.strip():
        raise ParseFailure("file is empty" if not data else "file contains only whitespace")
    return data


def sniff_binary(data: bytes) -> str | None:
    """Name of the binary format `data` is in, or None when it may be text."""
    for magic, name in _BINARY_MAGIC.items():
        if data.startswith(magic):
            return name
    if b"\x00" in data[:4096]:
        return "binary data"
    return None


_CJK = re.compile(r"[\u4e00-\u9fff]")


def decode_text(data: bytes) -> str:
    """Decode a text file: UTF-8 (with or without BOM), else GB18030/GBK Chinese, else a detected encoding.

    Chinese records are often saved in GB18030 by Windows tools; decoding them as Latin-1 would
    produce chunks of mojibake, so a non-UTF-8 file is only accepted when the decoding reads as text.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return _normalise_newlines(data[len(bom):].decode(codec, errors="replace"))
    try:
        return _normalise_newlines(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
        if _CJK.search(text):
            return _normalise_newlines(text)
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise ParseFailure("not UTF-8 text and no known encoding fits (save it as UTF-8)")
    return _normalise_newlines(str(best))


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_files(
    paths: Iterable[str | Path],
    *,
    max_bytes: int = 50_000_000,
    is_unchanged: Callable[[str, str], bool] | None = None,
    summary: ParseSummary | None = None,
) -> Iterator[ParsedFile | SkippedFile | FileError | IgnoredFile]:
    """Parse every record the paths name, one result per file, errors included.

    `is_unchanged(path, sha256)` lets the caller (ingestion) skip parsing files it already has.
    `summary`, when given, is filled as the results go (per-kind counts, recoveries, duplicates,
    skipped files, disagreements found) for the caller to print at the end.
    """
    summary = summary if summary is not None else ParseSummary()
    inputs = discover(paths)
    for e in inputs.errors:
        summary.errors += 1
        yield e
    for p in inputs.not_records:
        summary.skipped.append((display(p), "not a record format"))

    # Metadata first: resolution XML is enriched with (and carded from) its row.
    loaded_metadata, rows_by_symbol = yield from _load_metadata(inputs, max_bytes, summary)
    plan = _survey_xml([p for p in inputs.records if _res(p) not in inputs.explicit_metadata], max_bytes)
    summary.duplicates.extend(plan.duplicates)
    yield from _row_cards(inputs, loaded_metadata, rows_by_symbol, plan, is_unchanged, summary)
    for p in inputs.records:
        if _res(p) in inputs.explicit_metadata:
            continue
        dropped = plan.dropped.get(_res(p))
        if dropped is not None:
            yield IgnoredFile(display(p), dropped)
            continue
        result = _parse_record(p, max_bytes, rows_by_symbol, is_unchanged, plan, walked=_res(p) in inputs.walked,
                               summary=summary)
        _tally(result, summary)
        yield result


@dataclass(frozen=True)
class _RowEntry:
    """A metadata row and where it was read: its file and line for the card's source."""

    path: Path
    line: int
    row: ResolutionMeta
    fingerprint: str  # the row as JSON: part of its XML file's hash, so a changed row re-parses the file


def _load_metadata(
    inputs: _Inputs, max_bytes: int, summary: ParseSummary,
) -> Generator[FileError, None, tuple[dict[Path, list[tuple[int, ResolutionMeta]]], dict[str, _RowEntry]]]:
    """Read every metadata file (a broken one named on the command line is an error, a found one is
    passed over); return the rows per file and, per symbol, the fuller row of a symbol listed twice."""
    from ingest import metadata as meta_mod

    metadata_files = [p for p in inputs.records if _res(p) in inputs.explicit_metadata] + inputs.found_metadata
    loaded: dict[Path, list[tuple[int, ResolutionMeta]]] = {}
    located: dict[int, tuple[Path, int]] = {}
    all_rows: list[ResolutionMeta] = []
    for p in metadata_files:
        try:
            rows = meta_mod.read_metadata(read_limited(p, max_bytes), display(p))
        except (ParseFailure, ValueError) as e:
            if _res(p) in inputs.explicit_metadata:
                summary.errors += 1
                yield FileError(display(p), str(e))
            continue
        loaded[_res(p)] = rows
        for line, row in rows:
            located[id(row)] = (p, line)
            all_rows.append(row)
    rows_by_symbol: dict[str, _RowEntry] = {}
    for symbol, row in meta_mod.index_by_symbol(all_rows).items():  # a row listed twice: the fuller one
        meta_path, line = located[id(row)]
        rows_by_symbol[symbol] = _RowEntry(meta_path, line, row, row.model_dump_json())
    _note_repeated_rows(all_rows, located, summary)
    return loaded, rows_by_symbol


def _row_cards(
    inputs: _Inputs, loaded_metadata: dict[Path, list[tuple[int, ResolutionMeta]]], rows_by_symbol: dict[str, _RowEntry],
    plan: _Plan, is_unchanged: Callable[[str, str], bool] | None, summary: ParseSummary,
) -> Iterator[ParsedFile | SkippedFile]:
    """Metadata rows are records too when their file is named, or lies inside a folder given:
    a card for every row whose text is not in the input (rows without XML)."""
    from ingest import metadata as meta_mod

    for p in [*[p for p in inputs.records if _res(p) in inputs.explicit_metadata],
              *[p for p in inputs.found_metadata if _res(p) in inputs.in_scope_metadata]]:
        rows = loaded_metadata.get(_res(p))
        if rows is None:
            continue
        missing = sorted({row.symbol for _, row in rows} - plan.symbols)
        if not missing:  # every row is carded from its own XML: this file adds nothing to index
            continue
        data = p.read_bytes()
        sha = hashlib.sha256(data + "\n".join(missing).encode()).hexdigest()
        key = str(_res(p))
        if is_unchanged and is_unchanged(key, sha):
            summary.unchanged += 1
            yield SkippedFile(key, sha)
            continue
        chunks: list[Chunk] = []
        for symbol in missing:
            entry = rows_by_symbol[symbol]
            if _res(entry.path) == _res(p):
                for card in meta_mod.document_cards(entry.row, list(CARD_LANGS), display(p), entry.line):
                    # Own id: if the XML turns up later, its card never collides with this one.
                    chunks.append(card.model_copy(update={"id": card.id + "-row"}))
        if not chunks:  # every row has its XML: nothing to store for this file
            continue
        parsed = ParsedFile(key, sha, chunks, display(p))
        summary.count(parsed)
        yield parsed


def _tally(result: ParsedFile | SkippedFile | FileError | IgnoredFile, summary: ParseSummary) -> None:
    """Count one record file's result in the summary."""
    if isinstance(result, ParsedFile):
        summary.count(result)
    elif isinstance(result, FileError):
        summary.errors += 1
    elif isinstance(result, SkippedFile):
        summary.unchanged += 1
    elif isinstance(result, IgnoredFile):
        summary.skipped.append((result.path, result.note))


def _note_repeated_rows(rows: list, located: dict, summary: ParseSummary) -> None:
    counts = Counter(row.symbol for row in rows)
    for row in rows:  # rows merged when their file was read still count as listed several times
        counts[row.symbol] = max(counts[row.symbol], row.copies)
    for symbol, n in sorted(counts.items()):
        if n > 1:
            where = sorted({display(located[id(r)][0]) for r in rows if r.symbol == symbol})
            summary.notes.append((", ".join(where), f"{symbol} has {n} metadata rows: the most complete one is used"))


@dataclass
class _Plan:
    """The XML survey: which files to drop as duplicates, and which card languages each kept file owes."""

    dropped: dict[Path, str] = field(default_factory=dict)
    duplicates: list[Duplicate] = field(default_factory=list)
    card_langs: dict[Path, list[str]] = field(default_factory=dict)
    symbols: set[str] = field(default_factory=set)  # every document symbol the XML files hold
    identity: dict[Path, QuickIdentity] = field(default_factory=dict)  # resolved path → what the file holds


def _folder_year(path: Path) -> int | None:
    name = path.parent.name
    return int(name) if name.isdigit() and len(name) == 4 else None


def _symbol_year(symbol: str) -> str | None:
    m = re.search(r"\((\d{4})\)|^S/PRST/(\d{4})/|^S/(\d{4})/", symbol)
    return next((g for g in m.groups() if g), None) if m else None


def _survey_xml(records: list[Path], max_bytes: int) -> _Plan:
    """Identify every XML file cheaply, then resolve duplicates and card languages.

    Of several files holding the same symbol in the same language, the one kept is, in order:
    the one whose declared document type agrees with its symbol (a statement filed as a
    resolution loses); the one in the folder of its own year; the more complete one (more
    paragraphs, then more metadata keywords, then more bytes); the first by path. The rule
    needs no file's content to be trusted over another's and gives the same answer every run.
    """
    from ingest.akn import identify_bytes

    plan = _Plan()
    groups: dict[tuple[str, str], list[tuple[Path, QuickIdentity, int]]] = {}
    for p in records:
        if p.suffix.lower() not in XML_SUFFIXES:
            continue
        try:
            if p.stat().st_size > max_bytes:
                continue
            data = p.read_bytes()
        except OSError:
            continue
        if b"akomaNtoso" not in data[:4096]:
            continue
        ident = identify_bytes(data, p.name, _folder_year(p))
        if ident is None:
            continue
        groups.setdefault((ident.symbol, ident.lang), []).append((p, ident, len(data)))
        plan.identity[_res(p)] = ident
        plan.symbols.add(ident.symbol)
    langs_of: dict[str, set[str]] = {}
    kept_of: dict[tuple[str, str], Path] = {}
    for (symbol, lang), files in sorted(groups.items()):
        year = _symbol_year(symbol)

        def rank(item, year=year):
            p, ident, size = item
            own_year = bool(year) and year in p.parts
            return (not ident.declared_ok, not own_year, -ident.blocks, -ident.keywords, -size, str(p))

        ordered = sorted(files, key=rank)
        keep = ordered[0][0]
        kept_of[(symbol, lang)] = keep
        langs_of.setdefault(symbol, set()).add(lang)
        if len(ordered) > 1:
            first, second = rank(ordered[0]), rank(ordered[1])
            why = ("its declared document type agrees with its symbol" if first[0] != second[0]
                   else f"it is in the folder of its own year ({year})" if first[1] != second[1]
                   else "it has more paragraphs" if first[2] != second[2]
                   else "it has more metadata keywords" if first[3] != second[3]
                   else "it is larger" if first[4] != second[4]
                   else "first by path (the copies are equivalent)")
            dropped = [p for p, _, _ in ordered[1:]]
            plan.duplicates.append(Duplicate(symbol, lang, display(keep), [display(p) for p in dropped], why))
            for p in dropped:
                plan.dropped[_res(p)] = f"same document as {display(keep)} ({symbol}, {lang}): that copy is kept because {why}"
    # Cards in a language no file of the document has come from the file that exists (English first).
    for symbol, langs in langs_of.items():
        missing = [lang for lang in CARD_LANGS if lang not in langs]
        if not missing:
            continue
        donor_lang = "en" if "en" in langs else "zh" if "zh" in langs else min(langs)
        plan.card_langs[_res(kept_of[(symbol, donor_lang)])] = missing
    return plan


def _parse_record(
    path: Path,
    max_bytes: int,
    rows_by_symbol: dict[str, _RowEntry],
    is_unchanged: Callable[[str, str], bool] | None,
    plan: _Plan | None = None,
    *,
    walked: bool = False,
    summary: ParseSummary | None = None,
) -> ParsedFile | SkippedFile | FileError | IgnoredFile:
    shown = display(path)
    try:
        if walked and _is_blank(path):
            # An empty `test` / `test.txt` left in the UN's folders: say so, do not fail the run.
            return IgnoredFile(shown, "empty placeholder file")
        if walked and not path.suffix:
            return IgnoredFile(shown, "not a record format")
        data = read_limited(path, max_bytes)
        binary = sniff_binary(data)
        suffix = path.suffix.lower()
        if data.startswith(b"%PDF") or suffix in PDF_SUFFIXES:
            return _with_hash(path, data, is_unchanged, lambda: _parse_pdf(data, shown))
        if binary:
            raise ParseFailure(f"binary file ({binary}), not a record")
        if suffix in TABLE_SUFFIXES:
            return _parse_table(path, data, shown, is_unchanged, walked)
        if suffix in XML_SUFFIXES or data.lstrip().startswith(b"<"):
            key = _res(path)
            card_langs = plan.card_langs.get(key, []) if plan else []
            ident = plan.identity.get(key) if plan else None
            return _parse_xml(path, data, shown, rows_by_symbol, is_unchanged, card_langs, summary, ident)
        if suffix in TEXT_SUFFIXES:
            text = decode_text(data)
            return _with_hash(path, data, is_unchanged, lambda: _parse_text(text, shown))
        raise ParseFailure(
            f"unsupported file type '{suffix or '(none)'}' (expected .txt, .pdf, .xml, .csv or data_extract .json)"
        )
    except (ParseFailure, ValueError) as e:
        reason = str(e)
        if reason.startswith(f"{shown}: "):  # the PDF reader names the file too: say it once
            reason = reason[len(shown) + 2:]
        return FileError(shown, _one_line(reason))
    except Exception as e:  # a parser bug must not take the other files down
        return FileError(shown, _one_line(f"could not be parsed ({type(e).__name__}: {e})"))


def _is_blank(path: Path) -> bool:
    try:
        if path.stat().st_size > 4096:
            return False
        return not path.read_bytes().strip()
    except OSError:
        return False


def _parse_table(path: Path, data: bytes, shown: str, is_unchanged, walked: bool) -> ParsedFile | SkippedFile | IgnoredFile:
    """A CSV is a record only when its header is the veto list's; any other table is not ours."""
    from ingest import vetoes

    text = decode_text(data)
    header = text.split("\n", 1)[0]
    if not vetoes.is_veto_table(header):
        if walked:
            return IgnoredFile(shown, "CSV that is not the veto list")
        raise ParseFailure("CSV is not the veto list (needs columns draft, meeting_record, member_veto1)")
    return _with_hash(path, data, is_unchanged, lambda: vetoes.parse_vetoes(text, shown))


# Part of every file's hash: bump it when the parsers' output for unchanged files changes (a fixed
# card, a recovered paragraph), so the next `unsc ingest` of an existing store re-parses them instead
# of skipping them as unchanged (their texts' embeddings are cached, so only the changed ones cost).
PARSER_VERSION = "3"


def _with_hash(path: Path, data: bytes, is_unchanged, parse: Callable[[], list[Chunk]], extra: str = "") -> ParsedFile | SkippedFile:
    sha = hashlib.sha256(data + extra.encode() + f"|parser:{PARSER_VERSION}".encode()).hexdigest()
    key = str(_res(path))
    if is_unchanged and is_unchanged(key, sha):
        return SkippedFile(key, sha)
    chunks = parse()
    if not chunks:
        raise ParseFailure("no passages found in this file")
    return ParsedFile(key, sha, chunks, display(path))


def _parse_text(text: str, shown: str) -> list[Chunk]:
    from ingest.repertoire import parse_repertoire

    if not text.strip():
        raise ParseFailure("file contains only whitespace")
    return parse_repertoire(text, shown)


def _parse_pdf(data: bytes, shown: str) -> list[Chunk]:
    from ingest.pdf import extract_pdf_text
    from ingest.repertoire import parse_repertoire

    text = extract_pdf_text(data, shown)
    if not text.strip():
        raise ParseFailure("PDF has no extractable text (scanned image?)")
    return parse_repertoire(text, shown)


_SYMBOL_IN_XML = re.compile(rb"<docNumber[^>]*>([^<]+)</docNumber>")


def _parse_xml(path: Path, data: bytes, shown: str, rows_by_symbol: dict[str, _RowEntry],
               is_unchanged: Callable[[str, str], bool] | None,
               card_langs: list[str] | None = None, summary: ParseSummary | None = None,
               ident: QuickIdentity | None = None) -> ParsedFile | SkippedFile:
    from ingest import akn, metadata

    if b"akomaNtoso" not in data[:4096]:
        # Parse anyway so malformed XML and entity bombs get their precise reason.
        akn._parse_xml(data)
        raise ParseFailure("XML is not Akoma Ntoso (no <akomaNtoso> root)")
    ident = ident or akn.identify_bytes(data, path.name, _folder_year(path))
    row_entry = rows_by_symbol.get(ident.symbol) if ident else None
    card_langs = list(card_langs or [])
    extra = (row_entry.fingerprint if row_entry else "") + "|cards:" + ",".join(card_langs)

    def parse() -> list[Chunk]:
        row = row_entry.row if row_entry else None
        doc = akn.parse_document(data, shown, row, file_name=path.name, folder_year=_folder_year(path),
                                 card_langs=card_langs)
        row, date_note = _row_date_checked(doc, row)
        if summary is not None:
            if doc.recovered:
                summary.recovered.append(Recovered(shown, doc.symbol, doc.repairs))
            for note in doc.notes:
                summary.notes.append((shown, note))
        chunks = doc.chunks + doc.cards
        if summary is not None and doc.doc_kind == "resolution":
            if row is None and rows_by_symbol:
                summary.notes.append((shown, f"{doc.symbol} has no metadata row: its text is indexed without a vote card"))
            elif date_note:
                summary.notes.append((shown, date_note))
        if row_entry is not None and row is not None and doc.chunks and doc.doc_kind == "resolution":
            langs = [doc.lang, *card_langs]
            chunks.extend(metadata.document_cards(row, langs, display(row_entry.path), row_entry.line))
        return chunks

    return _with_hash(path, data, is_unchanged, parse, extra=extra)


def _row_date_checked(doc, row):
    """The metadata row with its adoption date cross-checked against the file and the symbol's year.

    The row's date usually wins (the files' own dates are sometimes the draft's), but not when the
    file and the symbol's year agree against it: S/RES/2423(2018), dated 2018-06-28 by its file, has
    a row saying 2016-06-29, which would count it among 2016's resolutions. Returns the row to card
    from and the note that reports a disagreement (None when they agree).
    """
    if row is None or not doc.date or not row.adoption_date or doc.date == row.adoption_date:
        return row, None
    m = re.search(r"\((\d{4})\)$", doc.symbol or "")
    if m and row.adoption_date[:4] != m.group(1) and doc.date[:4] == m.group(1):
        note = (f"the file dates {doc.symbol} {doc.date}, its metadata row {row.adoption_date}: the row contradicts "
                f"the symbol's year and the file, so the card takes the file's date")
        return row.model_copy(update={"adoption_date": doc.date}), note
    return row, f"the file dates {doc.symbol} {doc.date}, its metadata row {row.adoption_date}: the card keeps the row's date"


def _one_line(message: str) -> str:
    return " ".join(message.split())[:300]


def parse_paths(paths: Iterable[str | Path], *, max_bytes: int = 50_000_000) -> ParseReport:
    """Parse everything and collect the results (for `unsc parse` and tests)."""
    report = ParseReport()
    for result in parse_files(paths, max_bytes=max_bytes, summary=report.summary):
        if isinstance(result, ParsedFile):
            report.files.append(result)
        elif isinstance(result, FileError):
            report.errors.append(result)
        elif isinstance(result, IgnoredFile):
            report.ignored.append(result)
        else:
            report.skipped.append(result)
    return report
