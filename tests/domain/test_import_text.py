"""Plain-text import: the Turan sample article, residue, dateline, encodings, duplicates."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from annotator.importing.pipeline import import_paths
from annotator.storage import schema
from annotator.storage.engine import Database
from tests.conftest import TURAN_QUOTES, TURAN_TXT


def _docs(db: Database) -> list[schema.Document]:
    with db.session() as s:
        rows = list(s.scalars(select(schema.Document).order_by(schema.Document.seq)))
        for r in rows:
            _ = r.raw_bytes  # load the deferred column while the session is open
        return rows


def test_turan_article_residue_removed_quotes_kept(db: Database, corpus: Path, tmp_path: Path):
    article = tmp_path / TURAN_TXT.name
    article.write_bytes(TURAN_TXT.read_bytes())
    report = import_paths(db, [article], annotator="ana")
    assert report.ok and report.documents_added == 1
    (doc,) = _docs(db)
    text = doc.text
    for residue in (
        "Leave a review",
        "Follow us",
        "News Line",
        "InvestPro",
        "Авдеевки",
        "Qlobal İqlim",
        "Dear resident of Baku",
        "Дорогой житель",
    ):
        assert residue not in text, residue
    caption = "Khalaf Khalafov and Ali Akbar Ahmadian. İRNA"
    assert text.count(caption) == 0 and doc.title == caption
    assert text.startswith("Baku /05.10.23/Turan:")
    assert text.endswith("Khalafov's visit to Iran. -16B-")
    for line in TURAN_QUOTES.read_text(encoding="utf-8").splitlines():
        quote = json.loads(line)["content"]["text"]
        assert quote in text
    assert (doc.place, doc.published, doc.source) == ("Baku", "2023-10-05", "Turan")
    assert doc.raw_bytes == TURAN_TXT.read_bytes()
    assert doc.raw_path == str(article)
    removed = doc.import_report["removed"]
    assert [r["where"] for r in removed] == ["top", "end"]
    assert "Leave a review" in removed[1]["text"]


def test_paragraph_with_reporting_is_never_dropped(db: Database, tmp_path: Path):
    body = "Headline here\n\nFirst paragraph of news.\n\nSecond paragraph.\n\nThird one.\n\n"
    tail = 'Follow us\n\nThe minister said "we will not give up on this plan at all" today.\n'
    (tmp_path / "a.txt").write_text(body + tail, encoding="utf-8")
    report = import_paths(db, [tmp_path / "a.txt"])
    assert report.ok
    (doc,) = _docs(db)
    assert "we will not give up" in doc.text and "Follow us" in doc.text


def test_encodings_bom_crlf_nfc(db: Database, tmp_path: Path):
    (tmp_path / "bom.txt").write_bytes("\ufeffTytuł\r\n\r\nZażółć gęślą jaźń.\r\n".encode("utf-8"))
    (tmp_path / "cp.txt").write_bytes(
        "Nagłówek\n\nCiężar dyskusji przeniesie się do Sejmu, powiedział poseł.\n".encode("cp1250")
    )
    (tmp_path / "nfd.txt").write_text("Cafe\u0301 title\n\nme\u0301lange\n", encoding="utf-8")
    report = import_paths(db, [tmp_path])
    assert report.ok, report.errors
    texts = {Path(d.raw_path).name: d for d in _docs(db)}
    assert texts["bom.txt"].text == "Tytuł\n\nZażółć gęślą jaźń."
    assert texts["bom.txt"].title == "Tytuł"
    assert "Ciężar dyskusji przeniesie się" in texts["cp.txt"].text
    assert texts["nfd.txt"].text == "Café title\n\nmélange"
    assert "\r" not in texts["bom.txt"].text


def test_duplicate_text_counted_not_stored(db: Database, tmp_path: Path):
    (tmp_path / "a.txt").write_text("Same\n\nstory text.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Same\r\n\r\nstory text.\r\n", encoding="utf-8")
    report = import_paths(db, [tmp_path])
    assert (report.documents_added, report.duplicates) == (1, 1)
    again = import_paths(db, [tmp_path / "a.txt"])
    assert (again.documents_added, again.duplicates) == (0, 1)
    assert len(_docs(db)) == 1


def test_progress_and_cancel(db: Database, tmp_path: Path):
    for i in range(5):
        (tmp_path / f"{i}.txt").write_text(f"Title {i}\n\nBody {i}.\n", encoding="utf-8")
    calls: list[tuple[int, int, str]] = []
    report = import_paths(
        db,
        [tmp_path],
        progress=lambda d, t, p: calls.append((d, t, p)),
        cancelled=lambda: len(calls) >= 2,
    )
    assert report.cancelled and [c[0] for c in calls] == [1, 2]
    assert report.documents_added == 2 and len(_docs(db)) == 2


def test_markdown_title_and_agency_dateline(db: Database, tmp_path: Path):
    (tmp_path / "n.md").write_text(
        "# Talks resume\n\nLONDON (Reuters) - Talks resumed on Monday, officials said.\n",
        encoding="utf-8",
    )
    report = import_paths(db, [tmp_path / "n.md"])
    assert report.ok
    (doc,) = _docs(db)
    assert doc.title == "Talks resume"
    assert (doc.place, doc.source, doc.published) == ("London", "Reuters", "")
    assert doc.import_report["format"] == "markdown"


def test_cancel_inside_a_big_table_file(db: Database, tmp_path: Path):
    rows = "\n".join(json.dumps({"text": f"Row {i} text."}) for i in range(50))
    (tmp_path / "big.jsonl").write_text(rows + "\n", encoding="utf-8")
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 10  # the first check is before the file, then one per row

    report = import_paths(db, [tmp_path / "big.jsonl"], cancelled=cancelled)
    assert report.cancelled and report.documents_added == 9
    assert len(_docs(db)) == 9
