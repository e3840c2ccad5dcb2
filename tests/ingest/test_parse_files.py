"""The file layer: directories, bad files and encodings give one-line errors and lose nothing else."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ingest.parse import FileError, decode_text, discover, parse_paths

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
REPERTOIRE_ZH = SAMPLE / "repertoire" / "repertoire-2020-part1-s23-peacekeeping.zh.txt"


def good_copy(tmp_path: Path) -> Path:
    target = tmp_path / "good.zh.txt"
    shutil.copy(REPERTOIRE_ZH, target)
    return target


def errors_for(tmp_path: Path, name: str, data: bytes, **kw) -> tuple[list[FileError], int]:
    bad = tmp_path / name
    bad.write_bytes(data)
    report = parse_paths([bad, good_copy(tmp_path)], **kw)
    return report.errors, len(report.chunks)


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\t\n  ", "whitespace"),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "PNG"),
        ("notes.docx", b"PK\x03\x04" + b"\x00" * 64, "ZIP"),
        ("notes.md", b"# a markdown file\n", "unsupported"),
    ],
)
def test_a_bad_file_gets_one_line_naming_it_and_the_good_file_is_still_parsed(tmp_path, name, data, reason):
    errors, good_chunks = errors_for(tmp_path, name, data)
    assert len(errors) == 1
    line = errors[0].line()
    assert name in line and reason.lower() in line.lower() and "\n" not in line
    assert good_chunks > 0


def test_files_over_the_size_limit_are_refused_before_reading(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:
        f.truncate(3_000_000)  # sparse: refused from its size alone
    report = parse_paths([big, good_copy(tmp_path)], max_bytes=1_000_000)
    assert [e.path for e in report.errors] == ["big.txt"] or report.errors[0].path.endswith("big.txt")
    assert "limit" in report.errors[0].reason
    assert report.chunks


def test_missing_path_is_an_error_not_a_crash(tmp_path):
    report = parse_paths([tmp_path / "nope.txt"])
    assert "no such file" in report.errors[0].reason


def test_gb18030_chinese_text_is_decoded():
    text = "安理会一致通过了第 2518(2020)号决议。"
    assert decode_text(text.encode("gb18030")) == text


def test_crlf_line_ends_are_normalised():
    assert decode_text("a\r\nb\rc".encode()) == "a\nb\nc"


def test_gb18030_file_parses_like_its_utf8_original(tmp_path):
    original = REPERTOIRE_ZH.read_text(encoding="utf-8")
    gb = tmp_path / "gb.zh.txt"
    gb.write_bytes(original.replace("\n", "\r\n").encode("gb18030"))
    utf = parse_paths([REPERTOIRE_ZH]).chunks
    converted = parse_paths([gb]).chunks
    assert [c.text for c in converted] == [c.text for c in utf]


def test_directory_walk_takes_records_and_finds_metadata_beside_year_folders():
    inputs = discover([SAMPLE / "resolutions" / "2020"])
    names = sorted(p.name for p in inputs.records)
    assert len(names) == 4 and all(n.endswith(".xml") for n in names)
    assert [p.name for p in inputs.found_metadata] == ["2020.json"]


def test_directory_walk_ignores_readmes_and_survives_symlink_loops(tmp_path):
    root = tmp_path / "路径 with spaces"
    root.mkdir()
    good_copy(root)
    (root / "README.md").write_text("# notes")
    os.symlink(root, root / "loop")
    report = parse_paths([root])
    assert not report.errors
    assert len(report.files) == 1


def test_path_with_spaces_and_chinese_characters(tmp_path):
    folder = tmp_path / "安理会 记录"
    folder.mkdir()
    report = parse_paths([good_copy(folder)])
    assert report.files and report.files[0].chunks
