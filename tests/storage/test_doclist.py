"""The document list queries: filters, keyset paging, capped counts, sources and speakers."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from annotator.model import Span, WorkStatus
from annotator.services import attributions as attr
from annotator.services import doclist
from annotator.services import registries as reg
from annotator.services.documents import DocumentDraft, add_document, set_work_status
from annotator.services.projects import get_or_create_annotator, get_or_create_project
from annotator.storage.engine import Database

SOURCES = ["Turan", "IRNA", "Reuters", "", "apa", "APA"]
WORDS = ["pipeline", "corridor", "Tehran", "Baku", "sanctions", "visit"]
# Case variants and repeats: sorting folds ASCII case (NOCASE) and breaks ties by import order.
TITLES = ["alpha", "Alpha", "beta", "", "Ωmega", "Beta", "gamma"]
DATES = ["2023-10-05", "", "2024-01-01", "2023-10-05", "2022-12-31"]
ORDERS = [
    doclist.DocSort(),
    doclist.DocSort(None, descending=True),
    *(doclist.DocSort(c, d) for c in doclist.SORT_EXPRESSIONS for d in (False, True)),
]


def _nocase(value: str) -> str:
    """SQLite's NOCASE: ASCII letters folded, nothing else."""
    return "".join(c.lower() if c.isascii() else c for c in value)


def _reference_order(expected: list[dict], order: doclist.DocSort) -> list[dict]:
    fold = _nocase if order.column in ("title", "source") else (lambda v: v)
    key = (lambda e: (fold(e[order.column]), e["i"])) if order.column else (lambda e: e["i"])
    return sorted(expected, key=key, reverse=order.descending)


def _populate(db: Database, specs: list[tuple[int, int, int]]) -> tuple[str, str, list[dict]]:
    """specs: (source index, status index, word index) per document. Returns the expectations."""
    project = get_or_create_project(db, "P")
    other = get_or_create_project(db, "Other")
    ann = get_or_create_annotator(db, "ana")
    statuses = list(WorkStatus)
    expected = []
    with db.session() as s:
        # A document in another project must never show up, whatever it holds.
        elsewhere, _ = add_document(
            s, other.id, DocumentDraft(text="pipeline elsewhere", title="x", source="Turan")
        )
        elsewhere_id = elsewhere.id
        for i, (src, _status, word) in enumerate(specs):
            row, _ = add_document(
                s,
                project.id,
                DocumentDraft(
                    text=f"Doc {i} about {WORDS[word]}.",
                    title=TITLES[(3 * i + word) % len(TITLES)],
                    source=SOURCES[src],
                    published=DATES[(i + src) % len(DATES)],
                ),
            )
            expected.append(
                {
                    "id": row.id,
                    "source": SOURCES[src],
                    "word": WORDS[word],
                    "i": i,
                    "title": row.title,
                    "published": row.published,
                }
            )
    set_work_status(db, elsewhere_id, ann.id, statuses[len(specs) % 3])
    for e, (_src, status, _w) in zip(expected, specs, strict=True):
        e["status"] = statuses[status]
        if statuses[status] != WorkStatus.NEW or e["i"] % 2:
            set_work_status(db, e["id"], ann.id, statuses[status])
    return project.id, ann.id, expected


def _all_rows(
    db: Database,
    pid: str,
    aid: str,
    flt: doclist.DocFilter,
    page: int,
    order: doclist.DocSort = doclist.DocSort(),  # noqa: B008 - frozen
) -> list:
    rows: list = []
    after, value = 0, ""
    while True:
        batch = doclist.fetch_documents(
            db, pid, aid, flt, after_seq=after, after_value=value, order=order, limit=page
        )
        rows.extend(batch)
        if len(batch) < page:
            return rows
        after, value = batch[-1].seq, order.value(batch[-1])


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    specs=st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 2), st.integers(0, 5)), min_size=0, max_size=25
    ),
    status=st.sampled_from([None, *WorkStatus]),
    source=st.sampled_from([None, *SOURCES]),
    word=st.sampled_from(["", *WORDS]),
    page=st.integers(1, 7),
    order=st.sampled_from(ORDERS),
    quoted=st.lists(st.integers(0, 24), max_size=8),
    speaker=st.booleans(),
    thresholds=st.sampled_from([(50_000, 0.4), (0, 0.0), (2, 0.3), (10**9, 2.0)]),
)
@example(  # "new" is probed, not a set: it implies neither the project nor a count from sets
    specs=[],
    status=WorkStatus.NEW,
    source=None,
    word="pipeline",
    page=1,
    order=doclist.DocSort(),
    quoted=[],
    speaker=False,
    thresholds=(50_000, 0.4),
)
@example(
    specs=[(0, 0, 0)],
    status=WorkStatus.NEW,
    source="Turan",
    word="",
    page=1,
    order=doclist.DocSort(),
    quoted=[],
    speaker=False,
    thresholds=(50_000, 0.4),
)
def test_filters_and_pages_match_a_reference(
    tmp_path_factory, specs, status, source, word, page, order, quoted, speaker, thresholds
) -> None:
    """Every filter (status, source, speaker, search, together), every order and page size,
    under each way the planner may take (sets built or rows probed, a search driving or tested:
    the thresholds choose), gives what filtering a plain list gives."""
    db = Database.open(Path(tmp_path_factory.mktemp("dl")) / "t.sqlite3")
    saved = doclist.SET_MAX, doclist.SEARCH_PROBE_SHARE
    doclist.SET_MAX, doclist.SEARCH_PROBE_SHARE = thresholds
    try:
        pid, aid, expected = _populate(db, specs)
        actor = reg.create_actor(db, pid, "Speaker")
        elsewhere = [e for e in doclist.fetch_documents(db, pid, aid)]  # (none of these)
        other = get_or_create_project(db, "Other").id
        [stray] = [r.id for r in doclist.fetch_documents(db, other, aid)]
        attr.new_attribution(db, stray, aid, [Span(0, 3)], speaker_id=actor.id)
        assert all(e.id != stray for e in elsewhere)
        for i in quoted:
            if i < len(expected):
                attr.new_attribution(db, expected[i]["id"], aid, [Span(0, 3)], speaker_id=actor.id)
        flt = doclist.DocFilter(
            status=status, source=source, search=word, speaker_id=actor.id if speaker else None
        )
        want = [
            e["id"]
            for e in _reference_order(expected, order)
            if (status is None or e["status"] == status)
            and (source is None or e["source"] == source)
            and (not word or e["word"] == word)
            and (not speaker or e["i"] in quoted)
        ]
        rows = _all_rows(db, pid, aid, flt, page, order)
        assert [r.id for r in rows] == want
        assert doclist.count_documents(db, pid, aid, flt) == len(want)
        first = doclist.first_page(db, pid, aid, flt, order=order, limit=page, cap=3)
        assert [r.id for r in first.rows] == want[:page]
        assert first.capped == (flt.active and len(want) > 3)
        assert first.total == (min(len(want), 3) if flt.active else len(want))
        by_id = {e["id"]: e for e in expected}
        for r in rows:
            assert r.status == by_id[r.id]["status"]
            assert r.source == by_id[r.id]["source"]
    finally:
        doclist.SET_MAX, doclist.SEARCH_PROBE_SHARE = saved
        db.dispose()


def test_speaker_filter_counts_and_row_refresh(db: Database) -> None:
    pid, aid, expected = _populate(db, [(0, 0, 0), (1, 0, 1), (2, 1, 2)])
    ahmadian = reg.create_actor(db, pid, "Ali Akbar Ahmadian")
    other = reg.create_actor(db, pid, "Hikmet Hajiyev")
    a1 = attr.new_attribution(db, expected[0]["id"], aid, [Span(0, 3)], speaker_id=ahmadian.id)
    attr.new_attribution(db, expected[0]["id"], aid, [Span(4, 5)], speaker_id=ahmadian.id)
    attr.new_attribution(db, expected[2]["id"], None, [Span(0, 3)], speaker_id=ahmadian.id)
    attr.new_attribution(db, expected[1]["id"], aid, [Span(0, 3)], speaker_id=other.id)

    flt = doclist.DocFilter(speaker_id=ahmadian.id)
    ids = [r.id for r in doclist.fetch_documents(db, pid, aid, flt)]
    assert ids == [expected[0]["id"], expected[2]["id"]]
    speakers = {s.name: s.documents for s in doclist.list_speakers(db, pid)}
    assert speakers == {"Ali Akbar Ahmadian": 2, "Hikmet Hajiyev": 1}

    # The per-row count is the current annotator's live attributions.
    row = doclist.document_row(db, expected[0]["id"], aid)
    assert row is not None and row.attributions == 2
    attr.delete_attribution(db, a1.id)
    row = doclist.document_row(db, expected[0]["id"], aid)
    assert row is not None and row.attributions == 1
    assert doclist.document_row(db, expected[2]["id"], aid).attributions == 0  # type: ignore[union-attr]

    set_work_status(db, expected[1]["id"], aid, WorkStatus.DONE)
    assert doclist.document_row(db, expected[1]["id"], aid).status == WorkStatus.DONE  # type: ignore[union-attr]
    assert doclist.document_row(db, "nope", aid) is None


def test_sources_listed_with_counts(db: Database) -> None:
    pid, _aid, _ = _populate(db, [(0, 0, 0), (0, 0, 1), (1, 0, 1), (3, 0, 0)])
    assert doclist.list_sources(db, pid) == [("", 1), ("IRNA", 1), ("Turan", 2)]


def test_search_input_is_never_fts_syntax(db: Database) -> None:
    pid, aid, _ = _populate(db, [(0, 0, 0)])
    for q in ['"', "AND OR", "pipe*", "NEAR(", "-x", "a:b"]:
        doclist.count_documents(db, pid, aid, doclist.DocFilter(search=q))  # must not raise
    assert doclist.count_documents(db, pid, aid, doclist.DocFilter(search="PIPELINE")) == 1


def test_deleted_documents_are_not_listed(db: Database) -> None:
    pid, aid, expected = _populate(db, [(0, 0, 0), (0, 0, 0)])
    from annotator.model import utcnow
    from annotator.storage import schema

    with db.session() as s:
        s.get(schema.Document, 2).deleted_at = utcnow()  # seq 2: the first of project P
    ids = [r.id for r in doclist.fetch_documents(db, pid, aid)]
    assert ids == [expected[1]["id"]]
    assert doclist.count_documents(db, pid, aid, doclist.DocFilter(search="pipeline")) == 1
    assert doclist.list_sources(db, pid) == [("Turan", 1)]


def test_other_projects_and_deleted_documents_never_match_whatever_the_plan(db: Database) -> None:
    """A document of another project, and a deleted one, carrying the searched word, a quote by
    the speaker and the status: no filter lists or counts them, whichever plan runs."""
    from annotator.model import utcnow
    from annotator.storage import schema

    pid, aid, expected = _populate(db, [(0, 2, 0), (0, 2, 0), (1, 0, 1)])
    actor = reg.create_actor(db, pid, "Speaker")
    other = get_or_create_project(db, "Other").id
    [stray] = [r.id for r in doclist.fetch_documents(db, other, aid)]
    set_work_status(db, stray, aid, WorkStatus.DONE)
    for doc in (stray, expected[0]["id"], expected[1]["id"]):
        attr.new_attribution(db, doc, aid, [Span(0, 3)], speaker_id=actor.id)
    with db.session() as s:
        s.get(schema.Document, 2).deleted_at = utcnow()  # expected[0]
    live = expected[1]["id"]
    saved = doclist.SET_MAX, doclist.SEARCH_PROBE_SHARE
    try:
        for thresholds in [(50_000, 0.4), (0, 0.0), (10**9, 2.0)]:
            doclist.SET_MAX, doclist.SEARCH_PROBE_SHARE = thresholds
            for flt in (
                doclist.DocFilter(search="pipeline", speaker_id=actor.id),
                doclist.DocFilter(search="pipeline", status=WorkStatus.DONE),
                doclist.DocFilter(speaker_id=actor.id, status=WorkStatus.DONE),
                doclist.DocFilter(speaker_id=actor.id),
                doclist.DocFilter(status=WorkStatus.DONE, source="Turan"),
            ):
                for order in ORDERS:
                    ids = [r.id for r in doclist.fetch_documents(db, pid, aid, flt, order=order)]
                    assert ids == [live], (thresholds, flt, order)
                    page = doclist.first_page(db, pid, aid, flt, order=order)
                    assert [r.id for r in page.rows] == [live] and page.total == 1
    finally:
        doclist.SET_MAX, doclist.SEARCH_PROBE_SHARE = saved
