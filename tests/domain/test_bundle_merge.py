"""Merging bundles: conflicts, tombstones, matching by text hash and by name, order independence."""

from __future__ import annotations

import atexit
import functools
import itertools
import os
import shutil
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update

from annotator.model import Polarity, Span, WorkStatus
from annotator.services import attributions as attr
from annotator.services import registries as reg
from annotator.services.documents import set_work_status
from annotator.services.projects import get_or_create_annotator, get_or_create_project
from annotator.storage import schema
from annotator.storage.engine import Database
from annotator.team.bundle_export import export_bundle
from annotator.team.bundle_import import import_bundle
from tests.domain.bundle_support import TEXTS, add_doc, canonical, make_world, sql_dump


def _pair(tmp_path: Path) -> tuple[Database, Database, object]:
    """Machine A made the world; machine B received it by bundle."""
    a = Database.open(tmp_path / "a.sqlite3")
    world = make_world(a)
    export_bundle(a, tmp_path / "base.zip")
    b = Database.open(tmp_path / "b.sqlite3")
    import_bundle(b, tmp_path / "base.zip")
    return a, b, world


def _history(db: Database, attribution_id: str) -> list[tuple[str, dict]]:
    with db.session() as s:
        rows = s.execute(
            select(schema.AttributionHistory.reason, schema.AttributionHistory.snapshot).where(
                schema.AttributionHistory.attribution_id == attribution_id
            )
        ).all()
    return [(r, snap) for r, snap in rows]


def test_both_edited_newer_wins_older_kept_in_history(tmp_path: Path) -> None:
    a, b, w = _pair(tmp_path)
    target = w.attribution_ids[0]
    attr.update_attribution(a, target, proposition="A's reading", polarity=Polarity.SUPPORT)
    attr.update_attribution(b, target, proposition="B's reading (later)")
    export_bundle(a, tmp_path / "a.zip")
    export_bundle(b, tmp_path / "b.zip")

    into_b = import_bundle(b, tmp_path / "a.zip")  # B is newer: B's version stays
    assert into_b.count("attributions").conflicts == 1
    assert attr.get_attribution(b, target).proposition == "B's reading (later)"
    assert [(r, s["proposition"]) for r, s in _history(b, target)] == [("merge", "A's reading")]

    into_a = import_bundle(a, tmp_path / "b.zip")  # A is older: B's version replaces it
    assert into_a.count("attributions").updated == 1
    rec = attr.get_attribution(a, target)
    assert rec.proposition == "B's reading (later)"
    assert rec.polarity == Polarity.OPPOSE  # B's whole version wins, not a field mix
    assert [(r, s["proposition"]) for r, s in _history(a, target)] == [("merge", "A's reading")]
    assert canonical(a) == canonical(b)


def test_deletion_newer_than_edit_wins(tmp_path: Path) -> None:
    a, b, w = _pair(tmp_path)
    target = w.attribution_ids[0]
    attr.update_attribution(a, target, note="edited on A")
    attr.delete_attribution(b, target)  # later
    export_bundle(b, tmp_path / "b.zip")
    import_bundle(a, tmp_path / "b.zip")
    with a.session() as s:
        row = s.get(schema.Attribution, target)
        assert row.deleted_at is not None
        assert row.note == ""  # the deletion was the newer version
    assert target not in [r.id for r in attr.list_attributions(a, w.doc_ids[0], w.annotator_id)]


def test_edit_never_resurrects_a_tombstone(tmp_path: Path) -> None:
    a, b, w = _pair(tmp_path)
    target = w.attribution_ids[1]
    attr.delete_attribution(a, target)
    attr.update_attribution(b, target, note="edited on B after A deleted")  # newer edit
    export_bundle(a, tmp_path / "a.zip")
    export_bundle(b, tmp_path / "b.zip")
    import_bundle(a, tmp_path / "b.zip")
    import_bundle(b, tmp_path / "a.zip")
    for db in (a, b):
        with db.session() as s:
            row = s.get(schema.Attribution, target)
            assert row.deleted_at is not None  # stays deleted on both machines
            assert row.note == "edited on B after A deleted"  # the newer content is kept
    assert canonical(a) == canonical(b)


def test_documents_match_by_text_hash_and_ids_are_mapped(tmp_path: Path) -> None:
    a = Database.open(tmp_path / "a.sqlite3")
    world = make_world(a)
    export_bundle(a, tmp_path / "a.zip")
    b = Database.open(tmp_path / "b.sqlite3")
    project = get_or_create_project(b, "P")
    local_doc = add_doc(b, project.id, TEXTS[0], "B's copy")  # same text, another UUID
    report = import_bundle(b, tmp_path / "a.zip")
    assert report.matched["documents by text hash"] == 1
    with b.session() as s:
        assert s.scalar(select(func.count()).select_from(schema.Document)) == 3
        doc_ids = set(s.scalars(select(schema.Attribution.document_id)))
    assert doc_ids == {local_doc}  # A's attributions now point at B's document
    assert world.doc_ids[0] not in doc_ids
    before = sql_dump(b)
    assert not import_bundle(b, tmp_path / "a.zip").changed()
    assert sql_dump(b) == before


def test_actors_match_by_name_or_alias_and_near_duplicates_are_listed(tmp_path: Path) -> None:
    a = Database.open(tmp_path / "a.sqlite3")
    make_world(a)  # actor "Ali Akbar Ahmadian", alias "Ahmadiyyan"
    reg.create_actor(a, get_or_create_project(a, "P").id, "Hossein Amir-Abdollahian")
    export_bundle(a, tmp_path / "a.zip")
    b = Database.open(tmp_path / "b.sqlite3")
    p = get_or_create_project(b, "P")
    mine = reg.create_actor(b, p.id, "AHMADIYYAN")  # matches A's alias (case-insensitive)
    reg.create_actor(b, p.id, "Hossein Amir-Abdollahiyan")  # only similar: a likely duplicate
    report = import_bundle(b, tmp_path / "a.zip")
    assert report.matched["actors by name or alias"] == 1
    assert report.count("actors").updated == 1  # "AHMADIYYAN" gained A's name as an alias
    actors = {x.name: x for x in reg.list_actors(b, p.id)}
    assert "Ali Akbar Ahmadian" not in actors  # not duplicated...
    assert "Ali Akbar Ahmadian" in actors["AHMADIYYAN"].aliases  # ...its name became an alias
    with b.session() as s:
        speakers = set(s.scalars(select(schema.Attribution.speaker_id)))
    assert speakers == {mine.id}
    assert any(
        "Hossein Amir-Abdollahian" in line and "Hossein Amir-Abdollahiyan" in line
        for line in report.likely_duplicates
    )
    before = sql_dump(b)
    again = import_bundle(b, tmp_path / "a.zip")
    assert not again.changed() and sql_dump(b) == before


# -- order independence ---------------------------------------------------------------------------

T0 = datetime(2026, 1, 1, 12, 0, 0)
EXTRA_TEXT = "Elsewhere, the minister said: “We will see.” Nothing else was said."
OPS = st.one_of(
    st.tuples(
        st.just("edit"), st.integers(0, 1), st.sampled_from(["x", "y", "z"]), st.integers(0, 3)
    ),
    st.tuples(st.just("delete"), st.integers(0, 1), st.just(""), st.integers(0, 3)),
    st.tuples(
        st.just("new"), st.integers(0, 2), st.sampled_from(["Raisi", "IRNA"]), st.integers(0, 3)
    ),
    st.tuples(
        st.just("work"), st.integers(0, 2), st.sampled_from(list(WorkStatus)), st.integers(0, 3)
    ),
    st.tuples(
        st.just("alias"), st.just(0), st.sampled_from(["Ahmadiyan", "A. Ahmadian"]), st.just(0)
    ),
    st.tuples(st.just("doc"), st.just(0), st.sampled_from(["t1", "t2"]), st.integers(0, 3)),
)


def _apply(db: Database, world: object, machine: int, op: tuple) -> None:
    kind, index, value, tick = op
    # Times come from a small set so equal timestamps (the tie-break) really happen.
    when = T0 + timedelta(minutes=tick)
    aid = world.attribution_ids[index % len(world.attribution_ids)]
    if kind == "edit":
        with db.session() as s:
            if s.get(schema.Attribution, aid).deleted_at is not None:
                return
        attr.update_attribution(db, aid, proposition=value)
        _stamp(db, schema.Attribution, aid, when)
    elif kind == "delete":
        attr.delete_attribution(db, aid)
        _stamp(db, schema.Attribution, aid, when, deleted=True)
    elif kind == "new":
        who = get_or_create_annotator(db, f"m{machine}")
        with db.session() as s:  # the same speaker created independently on several machines
            speaker = reg.ensure_actor(s, world.project_id, value).id
        rec = attr.new_attribution(
            db, world.doc_ids[index], who.id, [Span(0, 5)], speaker_id=speaker
        )
        _stamp(db, schema.Attribution, rec.id, when)
    elif kind == "work":
        who = get_or_create_annotator(db, f"m{machine % 2}")
        set_work_status(db, world.doc_ids[index], who.id, value)
        with db.session() as s:
            s.execute(update(schema.DocumentWork).values(updated_at=when))
    elif kind == "alias":
        reg.add_actor_alias(db, world.actor_id, value)
    elif kind == "doc":  # the same article imported independently on several machines
        doc = add_doc(db, world.project_id, EXTRA_TEXT, value)
        _stamp(db, schema.Document, doc, when)


def _stamp(db: Database, model: type, row_id: str, when: datetime, deleted: bool = False) -> None:
    values = {"updated_at": when, **({"deleted_at": when} if deleted else {})}
    with db.session() as s:
        s.execute(update(model).where(model.id == row_id).values(**values))


@functools.cache
def _template() -> tuple[Path, object]:
    """Built once: an empty database and the origin machine's database (base world)."""
    root = Path(tempfile.mkdtemp(prefix="bundle-merge-"))
    atexit.register(shutil.rmtree, root, True)
    origin = Database.open(root / "origin.sqlite3")
    world = make_world(origin)
    origin.dispose()  # checkpoints the WAL: the file alone is the database
    Database.open(root / "empty.sqlite3").dispose()
    return root, world


@settings(max_examples=int(os.environ.get("BUNDLE_MERGE_EXAMPLES", "10")), deadline=None)
@given(st.lists(st.lists(OPS, max_size=5), min_size=3, max_size=3))
def test_three_machines_in_every_order_give_the_same_state(ops: list[list[tuple]]) -> None:
    template, world = _template()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        bundles = []
        for machine, machine_ops in enumerate(ops):
            path = root / f"m{machine}.sqlite3"
            shutil.copy(template / "origin.sqlite3", path)  # every machine got the base work
            db = Database.open(path)
            for op in machine_ops:
                _apply(db, world, machine, op)
            bundles.append(export_bundle(db, root / f"m{machine}.zip").path)
            db.dispose()
        results = []
        for n, order in enumerate(itertools.permutations(bundles)):
            path = root / f"lead{n}.sqlite3"
            shutil.copy(template / "empty.sqlite3", path)
            lead = Database.open(path)
            for bundle in order:
                import_bundle(lead, bundle)
            results.append(canonical(lead))
            if n == 0:  # importing everything again changes nothing
                before = sql_dump(lead)
                for bundle in reversed(order):
                    assert not import_bundle(lead, bundle).changed()
                assert sql_dump(lead) == before
            lead.dispose()
        for other in results[1:]:
            assert other == results[0]


def test_registry_merge_on_one_machine_travels(tmp_path: Path) -> None:
    a, b, w = _pair(tmp_path)
    dup = reg.create_actor(a, w.project_id, "A. A. Ahmadian")
    attr.update_attribution(a, w.attribution_ids[1], speaker_id=dup.id)
    export_bundle(a, tmp_path / "a1.zip")
    import_bundle(b, tmp_path / "a1.zip")
    reg.merge_actors(a, w.actor_id, dup.id)  # the lead settles the duplicate on A
    export_bundle(a, tmp_path / "a2.zip")
    import_bundle(b, tmp_path / "a2.zip")
    with b.session() as s:
        gone = s.get(schema.Actor, dup.id)
        assert gone.deleted_at is not None and gone.merged_into_id == w.actor_id
        assert s.get(schema.Attribution, w.attribution_ids[1]).speaker_id == w.actor_id
    assert "A. A. Ahmadian" in reg.get_actor(b, w.actor_id).aliases
    assert [x.name for x in reg.list_actors(b, w.project_id)] == ["Ali Akbar Ahmadian"]
    # B keeps the versions it replaced in history (A edited in place, without history).
    speakers = sorted(s["speaker_id"] for _, s in _history(b, w.attribution_ids[1]))
    assert speakers == sorted([w.actor_id, dup.id])
    ca, cb = canonical(a), canonical(b)
    ca.pop("history"), cb.pop("history")
    assert ca == cb


def test_alias_naming_another_local_entry_is_reported(tmp_path: Path) -> None:
    a, b, w = _pair(tmp_path)
    reg.create_actor(b, w.project_id, "Ebrahim Raisi")  # B's own entry
    reg.add_actor_alias(a, w.actor_id, "Ebrahim Raisi")  # A (wrongly or not) aliases it
    export_bundle(a, tmp_path / "a.zip")
    report = import_bundle(b, tmp_path / "a.zip")
    assert "actor alias 'Ebrahim Raisi' also names another entry" in report.likely_duplicates
    assert len(reg.list_actors(b, w.project_id)) == 2  # reported, never merged silently
