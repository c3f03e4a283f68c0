"""Native JSONL: export -> import into an empty DB -> export gives identical files."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.exporting.base import ExportOptions
from annotator.exporting.selection import Status
from annotator.exporting.service import export_dataset
from annotator.importing.pipeline import import_paths
from annotator.services.attributions import list_attributions, update_attribution
from annotator.services.documents import list_document_ids
from annotator.services.projects import find_project, get_or_create_annotator
from annotator.storage.engine import Database
from tests.conftest import TURAN_QUOTES, TURAN_TXT
from tests.domain.test_import_annotated import RAW, citron_doc

FILES = ("documents.jsonl", "actors.jsonl", "targets.jsonl")


def export(db: Database, out: Path) -> dict[str, bytes]:
    project = find_project(db, "P")
    assert project is not None
    options = ExportOptions(format="native", out_dir=out, project_id=project.id, status=Status.ALL)
    export_dataset(db, options)
    return {name: (out / name).read_bytes() for name in FILES}


def test_native_round_trip_is_lossless(corpus: Path, tmp_path: Path):
    first = Database.open(tmp_path / "one.sqlite3")
    (tmp_path / "c.json").write_text(json.dumps(citron_doc(RAW), ensure_ascii=False), "utf-8")
    report = import_paths(
        first, [TURAN_TXT, TURAN_QUOTES, tmp_path / "c.json"], project="P", annotator="ana"
    )
    assert report.ok, report.errors
    # a reviewed record: reviewer, state and comment must survive too
    project = find_project(first, "P")
    doc_id = list_document_ids(first, project.id)[0]
    lead = get_or_create_annotator(first, "lead")
    rec = list_attributions(first, doc_id, all_annotators=True)[0]
    update_attribution(
        first,
        rec.id,
        review_state="accepted",
        reviewer_id=lead.id,
        review_comment="ok",
        note="checked",
    )
    exported = export(first, tmp_path / "out1")
    first.dispose()

    second = Database.open(tmp_path / "two.sqlite3")
    again = import_paths(second, [tmp_path / "out1"], project="P", annotator="someone-else")
    assert again.ok, again.errors
    assert (again.documents_added, again.attributions_added) == (2, 16)
    reexported = export(second, tmp_path / "out2")
    for name in FILES:
        assert reexported[name] == exported[name], name
    lines = [json.loads(x) for x in exported["documents.jsonl"].decode().splitlines()]
    annotators = {a["annotator"] for d in lines for a in d["attributions"]}
    assert annotators == {"ana"}  # kept from the file, not the importing user
    # importing the same export again adds nothing
    third = import_paths(second, [tmp_path / "out1"], project="P")
    assert (third.documents_added, third.duplicates, third.attributions_added) == (0, 2, 0)
    second.dispose()


def test_native_line_problems_are_reported_per_line(db: Database, tmp_path: Path):
    good = {
        "format": "annotator-native/1",
        "title": "T",
        "text": "Ann said yes.",
        "attributions": [
            {
                "content": [{"start": 9, "end": 12, "text": "yes"}],
                "speaker": "Ann",
                "annotator": "zoe",
            }
        ],
    }
    bad_span = dict(
        good, text="Another text.", attributions=[{"content": [{"start": 0, "end": 99}]}]
    )
    bad_text = dict(
        good,
        text="Mismatch here.",
        attributions=[{"content": [{"start": 0, "end": 3, "text": "xyz"}]}],
    )
    path = tmp_path / "n.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in (good, bad_span, bad_text)) + "\n{oops\n")
    report = import_paths(db, [path])
    assert (report.documents_added, report.attributions_added) == (1, 1)
    errors = report.errors
    assert len(errors) == 3
    assert errors[0].startswith(f"{path}:2: ") and "outside the text" in errors[0]
    assert errors[1].startswith(f"{path}:3: ") and "not 'xyz'" in errors[1]
    assert errors[2].startswith(f"{path}:4: malformed JSON")


def test_native_import_leaves_the_registry_as_written(db: Database, tmp_path: Path):
    """Mentions in native files do not become aliases (that would break lossless round trips);
    in other formats they do."""
    text = "Raisi said yes. Ahmadiyyan said no."
    native = {
        "format": "annotator-native/1",
        "title": "T",
        "text": text,
        "attributions": [
            {
                "content": [{"start": 11, "end": 14}],
                "mention": {"start": 0, "end": 5},
                "speaker": "Ebrahim Raisi",
            },
            {
                "content": [{"start": 32, "end": 34}],
                "mention": {"start": 16, "end": 26},
                "speaker": "Ali Akbar Ahmadian",
            },
        ],
    }
    (tmp_path / "n.jsonl").write_text(json.dumps(native) + "\n", encoding="utf-8")
    assert import_paths(db, [tmp_path / "n.jsonl"]).ok
    from annotator.services.registries import list_actors

    project = find_project(db, "Default")
    actors = {a.name: a.aliases for a in list_actors(db, project.id)}
    assert actors == {"Ali Akbar Ahmadian": (), "Ebrahim Raisi": ()}
