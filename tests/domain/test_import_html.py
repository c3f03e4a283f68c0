"""HTML import over every page in ../shared/corpus/html: article text in, navigation out."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest
from sqlalchemy import select

from annotator.importing.html import declared_charsets, decode_html
from annotator.importing.pipeline import import_paths
from annotator.storage import schema
from annotator.storage.engine import Database


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, schema.Document]:
    from tests.conftest import CORPUS

    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside this checkout")
    db = Database.open(tmp_path_factory.mktemp("html") / "h.sqlite3")
    pages = sorted((CORPUS / "html").glob("*/page.html"))
    report = import_paths(db, pages, project="Web", annotator="ana")
    assert report.ok, report.errors
    assert report.documents_added == len(pages)
    with db.session() as s:
        docs = list(s.scalars(select(schema.Document)))
        for d in docs:
            _ = d.raw_bytes  # deferred column: load it while the session is open
    db.dispose()
    return {Path(d.raw_path).parent.name: d for d in docs}


def _pages() -> list[str]:
    from tests.conftest import CORPUS

    return sorted(p.parent.name for p in (CORPUS / "html").glob("*/page.html"))


def _nav_texts(page: Path) -> list[str]:
    """Link texts inside <nav>/<header>/<footer> of the page: navigation."""
    tree = lxml.html.fromstring(page.read_bytes())
    out = []
    for el in tree.xpath("//nav//a | //header//a | //footer//a"):
        text = squash(el.text_content())
        if len(text) >= 12:
            out.append(text)
    return out


@pytest.mark.parametrize("name", _pages())
def test_page_text_present_navigation_absent(imported: dict[str, schema.Document], name: str):
    from tests.conftest import CORPUS

    folder = CORPUS / "html" / name
    doc = imported[name]
    text = squash(doc.text)
    if (folder / "expected-snippets.json").exists():
        spec = json.loads((folder / "expected-snippets.json").read_text(encoding="utf-8"))
        for snippet in spec["with"]:
            assert squash(snippet) in text, snippet
        for snippet in spec["without"]:
            assert squash(snippet) not in text, snippet
        if spec.get("author"):
            assert spec["author"] in doc.author
        expected_paras: list[str] = []
    elif (folder / "expected.txt").exists():
        expected_paras = (folder / "expected.txt").read_text(encoding="utf-8").split("\n")
    else:
        tree = lxml.html.fromstring((folder / "expected.html").read_text(encoding="utf-8"))
        expected_paras = [p.text_content() for p in tree.xpath("//p")]
        meta = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
        assert squash(meta["title"]) in squash(doc.title) or squash(doc.title) in meta["title"]
    paras = [squash(p) for p in expected_paras if len(p.split()) >= 8]
    if paras:
        present = sum(p in text for p in paras)
        assert present / len(paras) >= 0.9, f"{present}/{len(paras)} paragraphs found"
    whole = squash(" ".join(expected_paras))
    nav = [n for n in _nav_texts(folder / "page.html") if n not in whole]
    leaked = [n for n in nav if n in text]
    assert not leaked, leaked
    assert doc.raw_bytes == (folder / "page.html").read_bytes()
    assert doc.import_report["format"] == "html"


def test_polish_windows_1250_decoded(imported: dict[str, schema.Document]):
    doc = imported["trafilatura__rp.pl-unijne-fundusze"]
    assert doc.import_report["encoding"] == "cp1250"
    assert "Ciężar dyskusji przeniesie" in doc.text
    assert "zagłosował" in doc.title
    assert doc.language == "pl" and doc.source == "Rzeczpospolita"


def test_arabic_page(imported: dict[str, schema.Document]):
    doc = imported["trafilatura__assabah.com.tn.article"]
    assert "الناشط الحقوقي السوداني" in doc.text
    assert doc.language == "ar"


def test_metadata_fields(imported: dict[str, schema.Document]):
    doc = imported["trafilatura__reuters.com.parasite"]
    assert doc.author == "Jill Serjeant" and doc.source == "Reuters"
    assert doc.url.startswith("https://www.reuters.com/")
    assert doc.published.startswith("2020-01-")
    assert "Thomson Reuters Trust Principles" not in doc.text


def test_declared_charset_only_when_it_fits():
    page = '<html><head><meta charset="windows-1251"></head><body>Привет</body></html>'
    assert declared_charsets(page.encode("cp1251")) == ["cp1251"]
    assert decode_html(page.encode("cp1251")) == (page, "cp1251")
    # Declared latin-1 but really UTF-8 bytes: latin-1 decodes anything, so it is honoured;
    # a declared UTF-8 that does not decode falls back to detection.
    lying = '<meta charset="utf-8"><p>Zażółć gęślą jaźń, powiedział minister.</p>'
    markup, enc = decode_html(lying.encode("cp1250"))
    assert "Zażółć" in markup and enc != "utf-8"


def test_process_pool_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, corpus: Path):
    """Pages extracted in worker processes give the same documents as in-process."""
    import annotator.importing.pipeline as pipeline

    pages = sorted((corpus / "html").glob("*/page.html"))[:3]
    monkeypatch.setattr(pipeline, "POOL_MIN_PAGES", 2)
    pooled = Database.open(tmp_path / "pool.sqlite3")
    report = import_paths(pooled, pages)
    assert report.ok and report.documents_added == 3, report.errors
    monkeypatch.setattr(pipeline, "POOL_MIN_PAGES", 10**6)
    single = Database.open(tmp_path / "single.sqlite3")
    assert import_paths(single, pages).documents_added == 3
    texts = []
    for database in (pooled, single):
        with database.session() as s:
            texts.append(sorted(s.scalars(select(schema.Document.text_sha256))))
        database.dispose()
    assert texts[0] == texts[1]


@pytest.mark.parametrize(
    ("charset", "sentence"),
    [
        ("windows-1251", "Министр заявил, что переговоры продолжатся на следующей неделе."),
        ("iso-8859-1", "Le ministre a déclaré que les négociations reprendront à Genève."),
        ("gb2312", "外交部发言人表示，双方将在下周继续举行会谈并讨论合作问题。"),
        ("windows-1250", "Minister powiedział, że rozmowy będą kontynuowane w przyszłym tygodniu."),
    ],
)
def test_declared_legacy_charsets(tmp_path: Path, charset: str, sentence: str):
    body = "".join(f"<p>{sentence} ({i})</p>" for i in range(6))
    page = (
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        f"<title>{sentence[:20]}</title></head><body><nav><a href='/'>Home page link</a></nav>"
        f"<article><h1>{sentence[:20]}</h1>{body}</article></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_bytes(page.encode(charset))
    db = Database.open(tmp_path / "enc.sqlite3")
    report = import_paths(db, [path])
    assert report.ok, report.errors
    with db.session() as s:
        doc = s.scalar(select(schema.Document))
        assert sentence in doc.text and "Home page link" not in doc.text
        assert doc.import_report["declared"] and doc.import_report["encoding"] in {
            "cp1251",
            "latin-1",
            "iso8859-1",
            "gb2312",
            "cp1250",
        }
    db.dispose()


def test_reimporting_the_same_page_is_a_duplicate_without_extraction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, corpus: Path
):
    import annotator.importing.pipeline as pipeline

    page = sorted((corpus / "html").glob("*/page.html"))[0]
    db = Database.open(tmp_path / "again.sqlite3")
    assert import_paths(db, [page]).documents_added == 1

    def must_not_run(unit):  # noqa: ANN001, ANN202
        raise AssertionError(f"{unit.path} extracted again")

    monkeypatch.setattr(pipeline, "read_unit", must_not_run)
    again = import_paths(db, [page])
    assert (again.documents_added, again.duplicates, again.errors) == (0, 1, [])
    # the shortcut is per project: into another project the page is read again
    other = import_paths(db, [page], project="Other")
    db.dispose()
    assert len(other.errors) == 1 and "extracted again" in other.errors[0]
