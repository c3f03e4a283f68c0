"""Bad input: one clear line per problem naming file (and line); the rest is imported."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from annotator.importing import base
from annotator.importing.pipeline import import_paths
from annotator.storage import schema
from annotator.storage.engine import Database


def count(db: Database, table: type) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(table)) or 0


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.txt"
    path.write_text("A good title\n\nThe minister said it was fine.\n", encoding="utf-8")
    return path


def run(db: Database, good: Path, bad: Path) -> list[str]:
    report = import_paths(db, [bad, good])
    assert report.documents_added == 1 and not report.ok
    assert count(db, schema.Document) == 1
    return report.errors


def test_binary(db: Database, good: Path, tmp_path: Path):
    bad = tmp_path / "photo.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert run(db, good, bad) == [f"{bad}: binary file, not text"]


def test_empty(db: Database, good: Path, tmp_path: Path):
    bad = tmp_path / "empty.md"
    bad.write_bytes(b"  \n\n")
    assert run(db, good, bad) == [f"{bad}: file is empty"]


def test_undecodable(db: Database, good: Path, tmp_path: Path):
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\xff\xfe" + "ok".encode("utf-16-le") + b"\x00\xd8")  # lone surrogate
    (error,) = run(db, good, bad)
    assert error.startswith(f"{bad}: undecodable utf-16 text")


def test_malformed_jsonl_line_keeps_other_rows(db: Database, good: Path, tmp_path: Path):
    bad = tmp_path / "rows.jsonl"
    bad.write_text(
        json.dumps({"text": "Row one text.", "title": "One", "topic": "x"}) + "\n"
        '{"text": "broken\n' + json.dumps({"title": "no text"}) + "\n" + "[1, 2]\n",
        encoding="utf-8",
    )
    report = import_paths(db, [bad, good])
    assert report.documents_added == 2
    assert report.errors[0].startswith(f"{bad}:2: malformed JSON: ")
    assert report.errors[1:] == [
        f"{bad}:3: no 'text' field",
        f"{bad}:4: expected a JSON object per line",
    ]
    with db.session() as s:
        row = s.scalar(select(schema.Document).where(schema.Document.title == "One"))
        assert row.meta == {"topic": "x"}


def test_native_line_from_a_newer_app_is_refused_not_read_as_a_row(
    db: Database, good: Path, tmp_path: Path
):
    bad = tmp_path / "future.jsonl"
    line = {"format": "annotator-native/9", "text": "The minister said so.", "attributions": []}
    bad.write_text(json.dumps(line) + "\n", encoding="utf-8")
    assert run(db, good, bad) == [
        f"{bad}:1: written in annotator-native/9, which this version of Annotator cannot read"
        " (it reads annotator-native/1); upgrade Annotator to import it"
    ]


def test_csv_missing_text_column(db: Database, good: Path, tmp_path: Path):
    bad = tmp_path / "table.csv"
    bad.write_text("title,body\nA,b\n", encoding="utf-8")
    assert run(db, good, bad) == [f"{bad}:1: missing required column 'text'"]


def test_csv_unclosed_quote_is_reported_not_merged(db: Database, good: Path, tmp_path: Path):
    bad = tmp_path / "quotes.csv"
    bad.write_text(
        'text,title\n"first said A",T1\n"unterminated said B,T2\n"third said C",T3\n',
        encoding="utf-8",
    )
    report = import_paths(db, [bad, good])
    assert report.errors == [
        f"{bad}:3: malformed CSV from this row on (',' expected after '\"');"
        " later rows were not read"
    ]
    with db.session() as s:  # the rows before it and the other file; nothing merged
        texts = set(s.scalars(select(schema.Document.text)))
    assert texts == {"first said A", "A good title\n\nThe minister said it was fine."}


def test_csv_rows_and_columns(db: Database, tmp_path: Path):
    path = tmp_path / "table.csv"
    path.write_text(
        "id,title,text,url,date,source,language,desk\r\n"
        '7,First,"Line one.\r\nLine two, ""quoted"".",http://x/1,2024-01-02,Wire,en,world\r\n'
        "8,Second,,http://x/2,,,,\r\n",
        encoding="utf-8",
    )
    report = import_paths(db, [path])
    assert report.documents_added == 1
    assert report.errors == [f"{path}:4: 'text' is empty"]  # row 1 spans lines 2-3
    with db.session() as s:
        row = s.scalar(select(schema.Document))
        assert row.text == 'Line one.\nLine two, "quoted".'
        assert (row.title, row.url, row.published, row.source, row.language) == (
            "First",
            "http://x/1",
            "2024-01-02",
            "Wire",
            "en",
        )
        assert row.meta == {"desk": "world", "source_id": "7"}


def test_file_over_the_size_limit(db: Database, good: Path, tmp_path: Path, monkeypatch):
    bad = tmp_path / "huge.txt"
    with bad.open("wb") as fh:  # sparse: 101 MB on paper, nothing on disk
        fh.truncate(101 * 1024 * 1024)
    assert os.path.getsize(bad) > base.MAX_FILE_BYTES
    (error,) = run(db, good, bad)
    assert error == f"{bad}: file is 101 MiB, over the 100 MiB import limit"
    monkeypatch.setattr(base, "MAX_FILE_BYTES", 10)
    report = import_paths(db, [good])
    size = good.stat().st_size
    assert report.errors == [f"{good}: file is {size} bytes, over the 10 bytes import limit"]


def test_spans_outside_text_store_nothing(db: Database, good: Path, tmp_path: Path):
    bad = tmp_path / "quotes.json"
    doc = {
        "text": "Short text.",
        "quotes": [
            {"cue": None, "sources": [], "contents": [{"start": 0, "end": 5, "text": "Short"}]},
            {"cue": None, "sources": [], "contents": [{"start": 6, "end": 60}]},
        ],
    }
    bad.write_text(json.dumps(doc), encoding="utf-8")
    (error,) = run(db, good, bad)
    assert error == f"{bad}: quote 2 content span [6, 60) is outside the text (length 11)"
    assert count(db, schema.Attribution) == 0


def test_missing_and_unsupported(db: Database, good: Path, tmp_path: Path):
    (tmp_path / "notes.docx").write_bytes(b"PK")
    report = import_paths(db, [tmp_path / "nope.txt", tmp_path / "notes.docx", good])
    assert report.errors == [
        f"{tmp_path / 'nope.txt'}: no such file or folder",
        f"{tmp_path / 'notes.docx'}: unsupported file type .docx",
    ]
    assert report.documents_added == 1


def test_quotes_file_without_text(db: Database, tmp_path: Path):
    lonely = tmp_path / "story.quotes.jsonl"
    lonely.write_text('{"content": {"start": 0, "end": 1}}\n', encoding="utf-8")
    report = import_paths(db, [lonely])
    assert report.errors == [f"{lonely}: no story.txt beside it to attach the quotes to"]


def test_empty_json_list(db: Database, good: Path, tmp_path: Path):
    bad = tmp_path / "nothing.json"
    bad.write_text("[]\n", encoding="utf-8")
    assert run(db, good, bad) == [f"{bad}: file has no records (an empty JSON list)"]


def test_csv_with_a_space_after_each_comma_keeps_quoted_text_whole(db: Database, tmp_path: Path):
    path = tmp_path / "spaced.csv"
    path.write_text(
        'title, text\nOne, "The minister said, firmly, no."\nTwo, "Aides said yes."\n',
        encoding="utf-8",
    )
    report = import_paths(db, [path])
    assert report.errors == [] and report.documents_added == 2
    with db.session() as s:
        texts = set(s.scalars(select(schema.Document.text)))
    assert texts == {"The minister said, firmly, no.", "Aides said yes."}


def test_csv_row_with_more_cells_than_columns_is_reported(db: Database, good: Path, tmp_path: Path):
    bad = tmp_path / "wide.csv"
    bad.write_text("title,text\nOne,First text said.\nTwo,Second,stray cell\n", encoding="utf-8")
    report = import_paths(db, [bad, good])
    assert report.errors == [
        f"{bad}:3: row has 3 cells but the header names 2 columns; later rows were not read"
    ]
    assert report.documents_added == 2  # row 1 and the other file
