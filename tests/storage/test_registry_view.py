"""Registry read queries (usage counts, excerpts in code points) and undoable merges."""

from __future__ import annotations

from annotator.model import Span
from annotator.services import attributions as attr
from annotator.services import registries as reg
from annotator.services import registry_view as rv
from annotator.services.documents import DocumentDraft, add_document
from annotator.services.projects import get_or_create_annotator, get_or_create_project
from annotator.storage.engine import Database

# An emoji (2 UTF-16 units, 1 code point) and Arabic before the quote: excerpts count code points.
TEXT = "😀 قال الوزير. Minister said the pipeline will open. Then " + "x" * 300


def _setup(db: Database):
    project = get_or_create_project(db, "P")
    ann = get_or_create_annotator(db, "ana")
    with db.session() as s:
        row, _ = add_document(s, project.id, DocumentDraft(text=TEXT, title="Pipeline"))
    start = TEXT.index("the pipeline")
    return project.id, ann.id, row.id, start


def test_usages_cut_excerpts_in_code_points(db: Database) -> None:
    pid, aid, doc, start = _setup(db)
    minister = reg.create_actor(db, pid, "Minister")
    agency = reg.create_actor(db, pid, "Agency")
    a = attr.new_attribution(
        db, doc, aid, [Span(start, start + 23)], speaker_id=minister.id, via_id=agency.id
    )
    attr.new_attribution(db, doc, aid, [Span(start + 30, len(TEXT))], speaker_id=minister.id)
    uses = rv.usages(db, minister.id, actor=True)
    assert [u.excerpt for u in uses][0] == "the pipeline will open."
    assert uses[0].attribution_id == a.id and uses[0].role == "speaker"
    assert uses[1].excerpt.endswith("…") and len(uses[1].excerpt) == rv.EXCERPT_CHARS + 1
    assert [u.role for u in rv.usages(db, agency.id, actor=True)] == ["via"]
    assert rv.actor_usage_counts(db, pid) == {minister.id: 2, agency.id: 1}
    attr.delete_attribution(db, a.id)
    assert rv.actor_usage_counts(db, pid) == {minister.id: 1}


def test_target_merge_and_exact_undo(db: Database) -> None:
    pid, aid, doc, start = _setup(db)
    keep = reg.create_target(db, pid, "Pipeline opening", aliases=("pipeline",))
    gone = reg.create_target(
        db, pid, "Opening of the pipeline", aliases=("the pipeline", "opening")
    )
    mine = attr.new_attribution(db, doc, aid, [Span(start, start + 12)], target_id=gone.id)
    other = attr.new_attribution(db, doc, aid, [Span(0, 1)], target_id=keep.id)
    record = rv.merge_entries(db, keep.id, gone.id, actor=False)
    assert record.moved == {"target_id": (mine.id,)}
    assert set(record.added_aliases) == {"Opening of the pipeline", "the pipeline", "opening"}
    assert attr.get_attribution(db, mine.id).target_id == keep.id
    assert [t.name for t in reg.list_targets(db, pid)] == ["Pipeline opening"]
    rv.undo_merge(db, record)
    assert attr.get_attribution(db, mine.id).target_id == gone.id
    assert attr.get_attribution(db, other.id).target_id == keep.id
    assert reg.get_target(db, keep.id).aliases == ("pipeline",)
    assert reg.get_target(db, gone.id).aliases == ("the pipeline", "opening")
    assert sorted(t.name for t in reg.list_targets(db, pid)) == [
        "Opening of the pipeline",
        "Pipeline opening",
    ]
    assert rv.target_usage_counts(db, pid) == {keep.id: 1, gone.id: 1}
