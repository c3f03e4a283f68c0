"""Bad bundles are rejected with one clear message and leave the database exactly as it was."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.storage.engine import Database
from annotator.team import bundle_format as fmt
from annotator.team.bundle_export import export_bundle
from annotator.team.bundle_format import BundleError, sha256_bytes
from annotator.team.bundle_import import import_bundle
from tests.domain.bundle_support import make_world, sql_dump

Members = dict[str, bytes]


@pytest.fixture
def good(tmp_path: Path) -> Path:
    source = Database.open(tmp_path / "source.sqlite3")
    make_world(source)
    path = export_bundle(source, tmp_path / "good.zip").path
    source.dispose()
    return path


@pytest.fixture
def receiver(tmp_path: Path) -> Database:
    """A database with work of its own, so 'unchanged' is a real check."""
    db = Database.open(tmp_path / "receiver.sqlite3")
    make_world(db, annotator="bob", project="Q")
    yield db
    db.dispose()


def rewrite(src: Path, dst: Path, edit: Callable[[Members], None], fix_sums: bool = True) -> Path:
    """Copy a bundle, letting `edit` change members; optionally recompute the manifest sums."""
    with zipfile.ZipFile(src) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    edit(members)
    if fix_sums:
        manifest = json.loads(members["manifest.json"])
        for name, meta in manifest["members"].items():
            if name in members:
                meta["sha256"] = sha256_bytes(members[name])
                meta["bytes"] = len(members[name])
        members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return dst


def _edit_line(member: str, lineno: int, new: bytes) -> Callable[[Members], None]:
    def edit(m: Members) -> None:
        lines = m[member].split(b"\n")
        lines[lineno - 1] = new
        m[member] = b"\n".join(lines)

    return edit


def _manifest(change: Callable[[dict], None]) -> Callable[[Members], None]:
    def edit(m: Members) -> None:
        manifest = json.loads(m["manifest.json"])
        change(manifest)
        m["manifest.json"] = json.dumps(manifest).encode()

    return edit


def _replace(name: str, old: bytes, new: bytes) -> Callable[[Members], None]:
    return lambda m: m.__setitem__(name, m[name].replace(old, new))


def _set(name: str, data: bytes) -> Callable[[Members], None]:
    return lambda m: m.__setitem__(name, data)


def _bad_attribution_doc(m: Members) -> None:
    # Valid JSON and checksums, but it points at a document nobody has: fails while applying,
    # after projects, documents and registries were already written in the transaction.
    line = json.loads(m["attributions.jsonl"].split(b"\n")[0])
    line["id"] = "00000000-0000-0000-0000-000000000001"
    line["document_id"] = "00000000-0000-0000-0000-00000000dead"
    m["attributions.jsonl"] += json.dumps(line).encode() + b"\n"
    manifest = json.loads(m["manifest.json"])
    manifest["members"]["attributions.jsonl"]["records"] += 1
    m["manifest.json"] = json.dumps(manifest).encode()


def _miscount(m: Members) -> None:
    manifest = json.loads(m["manifest.json"])
    manifest["members"]["actors.jsonl"]["records"] += 5
    m["manifest.json"] = json.dumps(manifest).encode()


CASES: list[tuple[str, Callable[[Members], None], bool, str]] = [
    ("checksum", _replace("documents.jsonl", b"doc 0", b"doc X"), False, "checksum mismatch"),
    ("size", _edit_line("documents.jsonl", 1, b'{"id": "x"}'), False, "manifest says"),
    ("dotdot", _set("../evil.jsonl", b"{}"), True, "points outside the bundle"),
    ("absolute", _set("/etc/passwd", b"x"), True, "absolute"),
    ("unknown", _set("notes.txt", b"hello"), True, "unknown member 'notes.txt'"),
    ("malformed", _edit_line("attributions.jsonl", 2, b'{"id": '), True, "attributions.jsonl:2"),
    (
        "missing field",
        _edit_line("actors.jsonl", 1, b'{"id": "a"}'),
        True,
        "actors.jsonl:1: missing",
    ),
    ("bad enum", _edit_line("attributions.jsonl", 1, b"[]"), True, "attributions.jsonl:1"),
    ("newer", _manifest(lambda m: m.update(format_version=99)), True, "newer Annotator"),
    ("no manifest", lambda m: m.pop("manifest.json"), False, "no manifest.json"),
    ("unlisted", _manifest(lambda m: m["members"].pop("targets.jsonl")), True, "not listed"),
    ("dangling", _bad_attribution_doc, True, "neither in the bundle nor in this database"),
    ("miscounted", _miscount, True, "member 'actors.jsonl' holds"),
]


@pytest.mark.parametrize(("label", "edit", "fix_sums", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_bundle_is_rejected_and_database_unchanged(
    receiver: Database,
    good: Path,
    tmp_path: Path,
    label: str,
    edit: Callable[[Members], None],
    fix_sums: bool,
    message: str,
) -> None:
    bad = rewrite(good, tmp_path / "bad.zip", edit, fix_sums)
    before = sql_dump(receiver)
    with pytest.raises(BundleError) as info:
        import_bundle(receiver, bad)
    text = str(info.value)
    assert message in text
    assert text.startswith("bad.zip:")  # names the file
    assert "\n" not in text  # one line
    assert sql_dump(receiver) == before


def test_malformed_enum_value_names_member_and_line(
    receiver: Database, good: Path, tmp_path: Path
) -> None:
    def edit(m: Members) -> None:
        lines = m["attributions.jsonl"].split(b"\n")
        obj = json.loads(lines[1])
        obj["polarity"] = "maybe"
        lines[1] = json.dumps(obj).encode()
        m["attributions.jsonl"] = b"\n".join(lines)

    before = sql_dump(receiver)
    with pytest.raises(BundleError, match=r"attributions.jsonl:2: field 'polarity': 'maybe'"):
        import_bundle(receiver, rewrite(good, tmp_path / "bad.zip", edit))
    assert sql_dump(receiver) == before


@pytest.mark.parametrize("cut", [0.5, 0.9, 0.98])
def test_truncated_zip(receiver: Database, good: Path, tmp_path: Path, cut: float) -> None:
    data = good.read_bytes()
    bad = tmp_path / "cut.zip"
    bad.write_bytes(data[: int(len(data) * cut)])
    before = sql_dump(receiver)
    with pytest.raises(BundleError, match="cut.zip: not a bundle"):
        import_bundle(receiver, bad)
    assert sql_dump(receiver) == before


def test_corrupt_member_data(receiver: Database, good: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(good) as zf:
        info = zf.getinfo("documents.jsonl")
        offset = info.header_offset + 30 + len(info.filename) + len(info.extra) + 20
    data = bytearray(good.read_bytes())
    for i in range(offset, offset + 16):
        data[i] ^= 0x5A
    bad = tmp_path / "flip.zip"
    bad.write_bytes(bytes(data))
    before = sql_dump(receiver)
    with pytest.raises(BundleError, match="flip.zip: .*(corrupt|checksum)"):
        import_bundle(receiver, bad)
    assert sql_dump(receiver) == before


def test_not_a_zip_and_missing_file(receiver: Database, tmp_path: Path) -> None:
    text = tmp_path / "notes.zip"
    text.write_text("just some text\n")
    before = sql_dump(receiver)
    with pytest.raises(BundleError, match="notes.zip: not a bundle"):
        import_bundle(receiver, text)
    with pytest.raises(BundleError, match="nothing.zip: no such file"):
        import_bundle(receiver, tmp_path / "nothing.zip")
    assert sql_dump(receiver) == before


def test_oversized_member(
    receiver: Database, good: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fmt, "MAX_MEMBER_BYTES", 200)
    before = sql_dump(receiver)
    with pytest.raises(BundleError, match="documents.jsonl' is too large"):
        import_bundle(receiver, good)
    assert sql_dump(receiver) == before


def test_zip_bomb_ratio(receiver: Database, good: Path, tmp_path: Path) -> None:
    bomb = rewrite(good, tmp_path / "bomb.zip", _set("attribution_history.jsonl", b" " * 5_000_000))
    with pytest.raises(BundleError, match="implausible compression ratio"):
        import_bundle(receiver, bomb)
