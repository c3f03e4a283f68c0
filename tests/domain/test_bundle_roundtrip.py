"""Bundle export + import: lossless round trip, idempotence, filters, assignment bundles."""

from __future__ import annotations

import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from annotator.model import Kind, Polarity, Span, WorkStatus, utcnow
from annotator.native import parse_attribution
from annotator.services import attributions as attr
from annotator.services import registries as reg
from annotator.services.documents import DocumentDraft, add_document, set_work_status
from annotator.services.projects import get_or_create_annotator, get_or_create_project
from annotator.storage import schema
from annotator.storage.engine import Database
from annotator.team.bundle_export import ExportOptions, export_bundle
from annotator.team.bundle_format import FORMAT_VERSION, BundleCancelled, BundleError, sha256_bytes
from annotator.team.bundle_import import import_bundle
from tests.conftest import TURAN_QUOTES, TURAN_TXT
from tests.domain.bundle_support import add_doc, canonical, make_world, sql_dump


def _count(db: Database, model: type, *where: object) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def _add_review_data(db: Database, world: object) -> None:
    w = world
    lead = get_or_create_annotator(db, "lead")
    set_work_status(db, w.doc_ids[0], w.annotator_id, WorkStatus.DONE)
    with db.session() as s:
        s.add(
            schema.ReviewEvent(
                attribution_id=w.attribution_ids[0],
                reviewer_id=lead.id,
                action="rejected",
                comment="cue is wrong",
            )
        )
        s.add(
            schema.AttributionHistory(
                attribution_id=w.attribution_ids[0],
                snapshot={"id": w.attribution_ids[0], "note": "old"},
                reason="edit",
            )
        )


def test_round_trip_into_empty_database_is_exact(db: Database, tmp_path: Path) -> None:
    world = make_world(db)
    _add_review_data(db, world)
    attr.delete_attribution(db, world.attribution_ids[1])  # tombstones travel too
    with db.session() as s:  # provenance travels: raw bytes, import report, metadata
        add_document(s, world.project_id, DocumentDraft(
            text="Raw provenance.", raw_bytes=b"\xff\xfeR\x00", raw_path="/in/a.txt",
            raw_sha256="ab" * 32, import_report={"encoding": "utf-16"}, metadata={"k": [1]},
        ))  # fmt: skip
    result = export_bundle(db, tmp_path / "b.zip")
    assert result.counts["attributions.jsonl"] == 2
    assert result.counts["reviews.jsonl"] == 2  # one review event, one document_work
    other = Database.open(tmp_path / "other.sqlite3")
    report = import_bundle(other, tmp_path / "b.zip")
    assert report.count("attributions").added == 2
    assert report.count("documents").added == 4
    # Every row of every table (ids, timestamps, tombstones, FTS index) is the same; only the
    # hidden rowid order of tables keyed by UUID may differ, hence the sorted lines.
    assert sorted(sql_dump(other).splitlines()) == sorted(sql_dump(db).splitlines())
    assert canonical(other) == canonical(db)
    other.dispose()


def test_import_twice_changes_nothing(db: Database, tmp_path: Path) -> None:
    source = Database.open(tmp_path / "source.sqlite3")
    world = make_world(source)
    _add_review_data(source, world)
    export_bundle(source, tmp_path / "b.zip")
    make_world(db, annotator="bob")  # the receiver has its own work (same texts, other ids)
    first = import_bundle(db, tmp_path / "b.zip")
    assert first.changed()
    before = sql_dump(db)
    second = import_bundle(db, tmp_path / "b.zip")
    assert sql_dump(db) == before
    assert not second.changed()
    assert second.count("attributions").unchanged == 2
    source.dispose()


def test_manifest_lists_checksums_counts_and_versions(db: Database, tmp_path: Path) -> None:
    make_world(db)
    export_bundle(db, tmp_path / "b.zip", ExportOptions(project="P"))
    with zipfile.ZipFile(tmp_path / "b.zip") as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert manifest["format"] == "annotator-bundle"
        assert manifest["format_version"] == FORMAT_VERSION
        assert manifest["app_version"]
        assert manifest["counts"]["documents.jsonl"] == 3
        for name, meta in manifest["members"].items():
            data = zf.read(name)
            assert sha256_bytes(data) == meta["sha256"]
            assert len(data) == meta["bytes"]
        first_doc = json.loads(zf.read("documents.jsonl").splitlines()[0])
    assert first_doc["format"] == "annotator-native/1"  # native document objects
    assert first_doc["text"].startswith("Ali Akbar")


def test_export_unknown_project_or_annotator_is_refused(db: Database, tmp_path: Path) -> None:
    make_world(db)
    with pytest.raises(BundleError, match="no project named 'Nope'"):
        export_bundle(db, tmp_path / "b.zip", ExportOptions(project="Nope"))
    with pytest.raises(BundleError, match="no annotator named 'zed'"):
        export_bundle(db, tmp_path / "b.zip", ExportOptions(annotator="zed"))
    assert not list(tmp_path.glob("b.zip*"))  # no file, no temporary left behind


def test_annotator_and_since_filters(db: Database, tmp_path: Path) -> None:
    world = make_world(db)
    bob = get_or_create_annotator(db, "bob")
    bob_attr = attr.new_attribution(db, world.doc_ids[2], bob.id, [Span(0, 10)])
    export_bundle(db, tmp_path / "ana.zip", ExportOptions(annotator="ana"))
    with zipfile.ZipFile(tmp_path / "ana.zip") as zf:
        ids = [json.loads(x)["id"] for x in zf.read("attributions.jsonl").splitlines()]
        docs = [json.loads(x)["id"] for x in zf.read("documents.jsonl").splitlines()]
    assert sorted(ids) == sorted(world.attribution_ids)
    assert docs == [world.doc_ids[0]]  # only the documents ana's work refers to

    cut = utcnow() + timedelta(seconds=5)
    with db.session() as s:  # bob's attribution was edited "later"
        s.execute(
            update(schema.Attribution)
            .where(schema.Attribution.id == bob_attr.id)
            .values(updated_at=cut + timedelta(seconds=1))
        )
    export_bundle(db, tmp_path / "since.zip", ExportOptions(since=cut))
    with zipfile.ZipFile(tmp_path / "since.zip") as zf:
        ids = [json.loads(x)["id"] for x in zf.read("attributions.jsonl").splitlines()]
        docs = [json.loads(x)["id"] for x in zf.read("documents.jsonl").splitlines()]
    assert ids == [bob_attr.id]
    assert docs == [world.doc_ids[2]]
    # The filtered bundle still imports into a database that has the rest.
    other = Database.open(tmp_path / "o.sqlite3")
    export_bundle(db, tmp_path / "all.zip")
    import_bundle(other, tmp_path / "all.zip")
    before = sql_dump(other)
    assert not import_bundle(other, tmp_path / "since.zip").changed()
    assert sql_dump(other) == before
    other.dispose()


def test_assignment_bundle_carries_documents_registries_guidelines(
    db: Database, tmp_path: Path
) -> None:
    world = make_world(db)
    with db.session() as s:
        s.execute(update(schema.Project).values(guidelines="Tag every reported claim."))
    result = export_bundle(db, tmp_path / "a.zip", ExportOptions(project="P", assignment=True))
    assert result.manifest["kind"] == "assignment"
    assert result.counts["attributions.jsonl"] == 0
    analyst = Database.open(tmp_path / "analyst.sqlite3")
    report = import_bundle(analyst, tmp_path / "a.zip")
    assert report.kind == "assignment"
    assert _count(analyst, schema.Document) == 3
    assert _count(analyst, schema.Attribution) == 0
    with analyst.session() as s:
        assert s.scalar(select(schema.Project.guidelines)) == "Tag every reported claim."
    actors = reg.list_actors(analyst, world.project_id)
    assert [(a.name, a.aliases) for a in actors] == [("Ali Akbar Ahmadian", ("Ahmadiyyan",))]
    with pytest.raises(BundleError, match="assignment"):
        export_bundle(db, tmp_path / "x.zip", ExportOptions(assignment=True, annotator="ana"))
    analyst.dispose()


def test_cancelled_export_and_import_leave_nothing(db: Database, tmp_path: Path) -> None:
    make_world(db)
    with pytest.raises(BundleCancelled):
        export_bundle(db, tmp_path / "c.zip", cancel=lambda: True)
    assert not list(tmp_path.glob("c.zip*"))
    export_bundle(db, tmp_path / "c.zip")
    other = Database.open(tmp_path / "o.sqlite3")
    before = sql_dump(other)
    calls = iter([False, False, True])
    with pytest.raises(BundleCancelled):
        import_bundle(other, tmp_path / "c.zip", cancel=lambda: next(calls, True))
    assert sql_dump(other) == before
    other.dispose()


def test_turan_article_round_trip(db: Database, tmp_path: Path, corpus: Path) -> None:
    """The hand-made Turan records survive a bundle round trip, span texts included."""
    text = TURAN_TXT.read_text(encoding="utf-8")
    project = get_or_create_project(db, "Turan")
    ana = get_or_create_annotator(db, "ana")
    doc_id = add_doc(db, project.id, text, "Turan")
    with db.session() as s:
        stored = s.scalar(select(schema.Document.text).where(schema.Document.id == doc_id))
    expected = []
    for line in TURAN_QUOTES.read_text(encoding="utf-8").splitlines():
        p = parse_attribution(json.loads(line), stored)
        with db.session() as s:
            speaker = reg.ensure_actor(s, project.id, p.speaker).id if p.speaker else None
            via = reg.ensure_actor(s, project.id, p.via).id if p.via else None
            target = reg.ensure_target(s, project.id, p.target).id if p.target else None
        rec = attr.new_attribution(
            db,
            doc_id,
            ana.id,
            list(p.content),
            cue=p.cue,
            mention=p.mention,
            speaker_id=speaker,
            via_id=via,
            target_id=target,
            polarity=p.polarity,
            kind=p.kind,
            proposition=p.proposition,
        )
        expected.append((rec.id, rec.content_text(stored)))
    assert len(expected) == 14
    export_bundle(db, tmp_path / "turan.zip")
    other = Database.open(tmp_path / "o.sqlite3")
    import_bundle(other, tmp_path / "turan.zip")
    assert canonical(other) == canonical(db)
    for attribution_id, content in expected:
        rec = attr.get_attribution(other, attribution_id)
        assert rec.content_text(stored) == content
        assert rec.kind in (Kind.DIRECT, Kind.INDIRECT, Kind.MIXED)
    assert {r.polarity for r in attr.list_attributions(other, doc_id, ana.id)} <= set(Polarity)
    other.dispose()


def test_progress_is_reported_by_stage(db: Database, tmp_path: Path) -> None:
    make_world(db)
    seen: list[tuple[str, int, int]] = []
    export_bundle(db, tmp_path / "p.zip", progress=lambda *a: seen.append(a))
    stages = [s for s, _, _ in seen]
    assert stages.index("documents.jsonl") < stages.index("attributions.jsonl")
    assert ("attributions.jsonl", 2, 2) in seen  # done == total at the end of a member
    other = Database.open(tmp_path / "o.sqlite3")
    seen.clear()
    import_bundle(other, tmp_path / "p.zip", progress=lambda *a: seen.append(a))
    stages = [s for s, _, _ in seen]
    assert stages[0] == "checking" and stages[-1] == "done"
    assert {"documents", "registries", "attributions"} <= set(stages)
    other.dispose()


def test_project_names_match_in_any_letter_case(db: Database, tmp_path: Path) -> None:
    """Export by `--project` in another case; a receiver with "Default" and a sender with
    "default" end with one project, not two."""
    from annotator.services.projects import list_projects

    make_world(db, project="default")
    bundle = export_bundle(db, tmp_path / "b.zip", ExportOptions(project="DEFAULT")).path
    lead = Database.open(tmp_path / "lead.sqlite3")
    try:
        get_or_create_project(lead, "Default")
        import_bundle(lead, bundle)
        assert [p.name for p in list_projects(lead)] == ["Default"]
        report = import_bundle(lead, bundle)
        assert not report.changed()
    finally:
        lead.dispose()
