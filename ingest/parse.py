"""Files in, `Chunk`s out: find the files, refuse what is not a record, hand each file to its parser.

This module owns everything that is about files rather than formats: walking directories
(symlink loops included), the size limit, sniffing what a file really is (a PNG renamed `.txt`),
decoding Chinese text that is not UTF-8, pairing resolution XML with the UN's metadata rows,
and turning every failure into a one-line `FileError` so that one bad file never stops the
others. The format parsers (`repertoire`, `pdf`, `akn`, `metadata`) only see decoded content.

The unit of work is one file: `ParsedFile` carries the file's content hash so the store can
tell an unchanged file from a changed one and replace a changed file's chunks as a whole.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ingest.chunk import Chunk

TEXT_SUFFIXES = {".txt", ".text"}
PDF_SUFFIXES = {".pdf"}
XML_SUFFIXES = {".xml", ".akn"}
METADATA_SUFFIXES = {".json", ".jsonl"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | PDF_SUFFIXES | XML_SUFFIXES | METADATA_SUFFIXES
METADATA_DIR = "data_extract"

_BINARY_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or Office document)",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "an executable",
}


class ParseFailure(ValueError):
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
class ParseReport:
    files: list[ParsedFile] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)

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


def display(path: Path) -> str:
    """Path as a user reads it: relative to the working directory when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def discover(paths: Iterable[str | Path]) -> _Inputs:
    """Expand the command line: files as given, directories walked recursively.

    Inside a directory only record formats are taken (a README beside the data is not an
    error), `data_extract/*.json` files are metadata, and a `data_extract/` folder beside the
    year folders of a directory given is found even when that directory is a year folder.
    Named files are always attempted, so a wrong file named explicitly gets an error.
    """
    inputs = _Inputs()
    seen: set[Path] = set()

    def add(p: Path, explicit: bool) -> None:
        key = p.resolve()
        if key in seen:
            return
        seen.add(key)
        if explicit:
            inputs.records.append(p)
            if p.suffix.lower() in METADATA_SUFFIXES:
                inputs.explicit_metadata.add(key)
        elif p.suffix.lower() in METADATA_SUFFIXES:
            if p.parent.name == METADATA_DIR:
                inputs.found_metadata.append(p)
        elif p.suffix.lower() in SUPPORTED_SUFFIXES:
            inputs.records.append(p)

    for raw in paths:
        p = Path(raw)
        if not p.exists() and not p.is_symlink():
            inputs.errors.append(FileError(str(p), "no such file or directory"))
        elif p.is_dir():
            for f in _walk(p, inputs):
                add(f, explicit=False)
            for meta_dir in _metadata_dirs_near(p):
                for f in sorted(meta_dir.glob("*.json*")):
                    add(f, explicit=False)
        elif p.is_file():
            add(p, explicit=True)
        else:
            inputs.errors.append(FileError(str(p), "not a regular file (broken link or device)"))
    return inputs


def _walk(root: Path, inputs: _Inputs) -> Iterator[Path]:
    """Files under `root` in sorted order; symlinked directories followed once (loops cut)."""
    visited: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=lambda e: inputs.errors.append(FileError(e.filename or str(root), f"cannot list directory: {e.strerror}"))):
        real = os.path.realpath(dirpath)
        if real in visited:
            dirnames[:] = []
            continue
        visited.add(real)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and os.path.realpath(os.path.join(dirpath, d)) not in visited)
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name


def _metadata_dirs_near(directory: Path) -> list[Path]:
    """`data_extract/` inside, beside (for a year folder) or above (for a language folder)."""
    found = []
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
) -> Iterator[ParsedFile | SkippedFile | FileError]:
    """Parse every record the paths name, one result per file, errors included.

    `is_unchanged(path, sha256)` lets the caller (ingestion) skip parsing files it already has.
    """
    from ingest import metadata as meta_mod

    inputs = discover(paths)
    yield from inputs.errors

    # Metadata first: resolution XML is enriched with (and carded from) its row.
    rows_by_symbol: dict[str, tuple[Path, int, object, str]] = {}
    metadata_files = [p for p in inputs.records if p.resolve() in inputs.explicit_metadata] + inputs.found_metadata
    loaded_metadata: dict[Path, list] = {}
    for p in metadata_files:
        try:
            rows = meta_mod.read_metadata(read_limited(p, max_bytes), display(p))
        except (ParseFailure, ValueError) as e:
            if p.resolve() in inputs.explicit_metadata:
                yield FileError(display(p), str(e))
            continue
        loaded_metadata[p.resolve()] = rows
        for line, row in rows:
            rows_by_symbol[row.symbol] = (p, line, row, row.model_dump_json())

    xml_symbols: set[str] = set()
    for p in inputs.records:
        if p.resolve() in inputs.explicit_metadata:
            continue
        result = _parse_record(p, max_bytes, rows_by_symbol, is_unchanged)
        if isinstance(result, ParsedFile):
            xml_symbols.update(c.doc_id for c in result.chunks if c.kind == "resolution_paragraph")
        yield result

    # A metadata file named on the command line: a card for every row whose text was not parsed.
    for p in inputs.records:
        rows = loaded_metadata.get(p.resolve())
        if rows is None or p.resolve() not in inputs.explicit_metadata:
            continue
        data = p.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        key = str(p.resolve())
        if is_unchanged and is_unchanged(key, sha):
            yield SkippedFile(key, sha)
            continue
        chunks: list[Chunk] = []
        for line, row in rows:
            if row.symbol not in xml_symbols:
                chunks.extend(meta_mod.document_cards(row, ["en", "zh"], display(p), line))
        yield ParsedFile(key, sha, chunks, display(p))


def _parse_record(
    path: Path,
    max_bytes: int,
    rows_by_symbol: dict,
    is_unchanged: Callable[[str, str], bool] | None,
) -> ParsedFile | SkippedFile | FileError:
    shown = display(path)
    try:
        data = read_limited(path, max_bytes)
        binary = sniff_binary(data)
        suffix = path.suffix.lower()
        if data.startswith(b"%PDF") or suffix in PDF_SUFFIXES:
            return _with_hash(path, data, is_unchanged, lambda: _parse_pdf(data, shown))
        if binary:
            raise ParseFailure(f"binary file ({binary}), not a record")
        if suffix in XML_SUFFIXES or data.lstrip().startswith(b"<"):
            return _parse_xml(path, data, shown, rows_by_symbol, is_unchanged)
        if suffix in TEXT_SUFFIXES:
            text = decode_text(data)
            return _with_hash(path, data, is_unchanged, lambda: _parse_text(text, shown))
        raise ParseFailure(
            f"unsupported file type '{suffix or '(none)'}' (expected .txt, .pdf, .xml or data_extract .json)"
        )
    except (ParseFailure, ValueError) as e:
        reason = str(e)
        if reason.startswith(f"{shown}: "):  # the PDF reader names the file too: say it once
            reason = reason[len(shown) + 2:]
        return FileError(shown, _one_line(reason))
    except Exception as e:  # a parser bug must not take the other files down
        return FileError(shown, _one_line(f"could not be parsed ({type(e).__name__}: {e})"))


def _with_hash(path: Path, data: bytes, is_unchanged, parse: Callable[[], list[Chunk]], extra: str = "") -> ParsedFile | SkippedFile:
    sha = hashlib.sha256(data + extra.encode()).hexdigest()
    key = str(path.resolve())
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


def _parse_xml(path: Path, data: bytes, shown: str, rows_by_symbol: dict, is_unchanged) -> ParsedFile | SkippedFile:
    from ingest import akn, metadata
    from ingest.symbols import canonical

    if b"akomaNtoso" not in data[:4096]:
        # Parse anyway so malformed XML and entity bombs get their precise reason.
        akn.parse_akn(data, shown)
        raise ParseFailure("XML is not Akoma Ntoso (no <akomaNtoso> root)")
    m = _SYMBOL_IN_XML.search(data)
    row_entry = rows_by_symbol.get(canonical(m.group(1).decode("utf-8", "replace"))) if m else None
    row_json = row_entry[3] if row_entry else ""

    def parse() -> list[Chunk]:
        row = row_entry[2] if row_entry else None
        chunks = akn.parse_akn(data, shown, row)
        if row is not None and chunks:
            lang = chunks[0].lang
            meta_path, line = row_entry[0], row_entry[1]
            chunks.extend(metadata.document_cards(row, [lang], display(meta_path), line))
        return chunks

    return _with_hash(path, data, is_unchanged, parse, extra=row_json)


def _one_line(message: str) -> str:
    return " ".join(message.split())[:300]


def parse_paths(paths: Iterable[str | Path], *, max_bytes: int = 50_000_000) -> ParseReport:
    """Parse everything and collect the results (for `unsc parse` and tests)."""
    report = ParseReport()
    for result in parse_files(paths, max_bytes=max_bytes):
        if isinstance(result, ParsedFile):
            report.files.append(result)
        elif isinstance(result, FileError):
            report.errors.append(result)
        else:
            report.skipped.append(result)
    return report
