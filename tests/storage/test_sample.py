"""The Sample project: the shipped file is exact and complete, and it is created only once."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from annotator import resources
from annotator.matching import fold
from annotator.model import WorkStatus
from annotator.sample import (
    SAMPLE_ANNOTATOR,
    SAMPLE_PROJECT,
    SampleProjectError,
    ensure_sample_project,
    sample_file,
)
from annotator.services.attributions import list_attributions
from annotator.services.documents import get_document_text, get_work_status, list_document_ids
from annotator.services.projects import (
    find_project,
    get_or_create_annotator,
    get_or_create_project,
    list_projects,
)
from annotator.services.registries import find_actors, list_actors
from annotator.storage import schema
from annotator.storage.check import check_database
from annotator.storage.engine import Database
from annotator.text import normalize_text, sha256_text

PRONOUNS = {"he", "she", "his", "her", "they", "their"}


def _lines() -> list[dict[str, Any]]:
    return [json.loads(line) for line in sample_file().read_text(encoding="utf-8").splitlines()]


def _docs() -> list[dict[str, Any]]:
    return [obj for obj in _lines() if "text" in obj]


# --- the shipped file ---------------------------------------------------------------------------


def test_every_span_text_equals_the_text_it_points_at() -> None:
    n = 0
    for doc in _docs():
        text = doc["text"]
        assert normalize_text(text) == text
        assert doc["text_sha256"] == sha256_text(text)
        for att in doc["attributions"]:
            for span in [*att["content"], att["cue"], att["mention"]]:
                if span is not None:
                    assert text[span["start"] : span["end"]] == span["text"], span
                    n += 1
    assert n > 60


def test_sample_has_the_promised_shape() -> None:
    docs = _docs()
    assert 3 <= len(docs) <= 5
    annotated = [d for d in docs if d["attributions"]]
    assert 2 <= len(annotated) <= 3
    assert 1 <= len(docs) - len(annotated) <= 2
    for doc in docs:
        assert 200 <= len(doc["text"].split()) <= 350, doc["title"]
        assert doc["title"] and doc["source"] and doc["language"] == "en"


def test_sample_shows_every_kind_of_quote() -> None:
    actors = {o["name"]: o for o in _lines() if o.get("record") == "actor"}
    atts = [(d, a) for d in _docs() for a in d["attributions"]]
    assert {a["kind"] for _, a in atts} == {"direct", "indirect", "mixed"}
    assert any(len(a["content"]) == 2 for _, a in atts), "a split quote"
    assert any(a["mention"] and fold(a["mention"]["text"]) in PRONOUNS for _, a in atts)
    assert any(a["via"] for _, a in atts), "a relayed source"
    assert any(actors[a["speaker"]]["type"] == "group" for _, a in atts)
    assert len({a["polarity"] for _, a in atts}) >= 3
    assert all(a["speaker"] in actors for _, a in atts)


def test_a_name_is_spelled_two_ways_in_one_article() -> None:
    actors = {o["name"]: o for o in _lines() if o.get("record") == "actor"}
    found = []
    for doc in _docs():
        by_speaker: dict[str, set[str]] = {}
        for a in doc["attributions"]:
            if a["mention"]:
                by_speaker.setdefault(a["speaker"], set()).add(fold(a["mention"]["text"]))
        for speaker, mentions in by_speaker.items():
            spellings = mentions - PRONOUNS
            aliases = {fold(x) for x in actors[speaker]["aliases"]}
            if len(spellings) >= 2 and spellings & aliases:
                found.append(speaker)
    assert found, "no speaker is mentioned under two spellings in one article"


def test_build_script_reproduces_the_shipped_file(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    script = resources.resource_path("sample", "build_sample.py")
    spec = importlib.util.spec_from_file_location("build_sample", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "build_sample", module)  # dataclasses look themselves up
    monkeypatch.setattr(sys, "path", list(sys.path))  # the script prepends the checkout
    spec.loader.exec_module(module)
    assert module.lines() == _lines()


# --- ensure_sample_project ------------------------------------------------------------------


def test_fresh_database_gets_the_sample_once(db: Database) -> None:
    assert ensure_sample_project(db) is True
    project = find_project(db, SAMPLE_PROJECT)
    assert project is not None and "invented" in project.description
    doc_ids = list_document_ids(db, project.id)
    assert len(doc_ids) == len(_docs()) == 4
    analyst = get_or_create_annotator(db, SAMPLE_ANNOTATOR)

    annotated = 0
    for doc_id in doc_ids:
        text = get_document_text(db, doc_id)
        records = list_attributions(db, doc_id, analyst.id)
        for rec in records:
            for _role, span in rec.spans:
                assert 0 <= span.start < span.end <= len(text)
        expected = next(d for d in _docs() if d["text"] == text)
        assert sorted(text[s.start : s.end] for r in records for s in r.content) == sorted(
            c["text"] for a in expected["attributions"] for c in a["content"]
        )
        if records:
            annotated += 1
            assert all(r.speaker_id and r.target_id and r.polarity for r in records)
            assert get_work_status(db, doc_id, analyst.id) == WorkStatus.DONE
        else:
            assert get_work_status(db, doc_id, analyst.id) == WorkStatus.NEW
    assert annotated == 3

    actors = {a.name: a for a in list_actors(db, project.id)}
    assert "Rahimzade" in actors["Farhad Rahimzadeh"].aliases
    assert find_actors(db, project.id, "Rahimzade")[0].name == "Farhad Rahimzadeh"
    assert find_actors(db, project.id, "Yildirim")[0].name == "Emre Yıldırım"
    assert check_database(db) == []

    with db.session() as s:
        before = s.query(schema.Attribution).count(), s.query(schema.Document).count()
    assert ensure_sample_project(db) is False
    with db.session() as s:
        assert (s.query(schema.Attribution).count(), s.query(schema.Document).count()) == before
    assert [p.name for p in list_projects(db)] == [SAMPLE_PROJECT]


def test_no_sample_when_there_is_a_project(db: Database) -> None:
    get_or_create_project(db, "Mine")
    assert ensure_sample_project(db) is False
    assert [p.name for p in list_projects(db)] == ["Mine"]


def test_no_sample_after_the_user_deleted_every_project(db: Database) -> None:
    from annotator.model import utcnow

    get_or_create_project(db, "Gone")
    with db.session() as s:
        s.query(schema.Project).update({"deleted_at": utcnow()})
    assert ensure_sample_project(db) is False
    with db.session() as s:
        assert s.query(schema.Document).count() == 0


# --- resources ----------------------------------------------------------------------------------


def test_resources_found_in_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(resources.RESOURCES_ENV_VAR, raising=False)
    found = resources.resources_dir()
    assert found == Path(resources.__file__).resolve().parents[1] / "resources"
    assert sample_file().is_file()


def test_resources_env_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sample").mkdir()
    (tmp_path / "sample" / "sample.jsonl").write_text("", encoding="utf-8")
    monkeypatch.setenv(resources.RESOURCES_ENV_VAR, str(tmp_path))
    assert resources.resources_dir() == tmp_path
    # a folder without the sample is skipped, not trusted
    monkeypatch.setenv(resources.RESOURCES_ENV_VAR, str(tmp_path / "sample"))
    assert resources.resources_dir() != tmp_path / "sample"


def test_missing_resources_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resources, "candidate_dirs", lambda: [tmp_path / "a", tmp_path / "b"])
    with pytest.raises(resources.ResourcesNotFoundError) as info:
        resources.resources_dir()
    assert str(tmp_path / "a") in str(info.value) and resources.RESOURCES_ENV_VAR in str(info.value)


def test_a_damaged_sample_leaves_no_empty_project_behind(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first start claims the Sample project, then imports it; if the import fails (a damaged
    installation), the claim is released so a repaired installation gets the sample."""
    broken = tmp_path / "broken"
    (broken / "sample").mkdir(parents=True)
    # Registry lines come first and are stored before the documents fail, as in the real file.
    lines = [line for line in _lines() if line.get("record") in ("actor", "target")][:3]
    assert {line["record"] for line in lines} >= {"actor"}
    body = "".join(json.dumps(line) + "\n" for line in lines) + '{"text": 42}\n'
    (broken / "sample" / "sample.jsonl").write_text(body, encoding="utf-8")
    monkeypatch.setenv(resources.RESOURCES_ENV_VAR, str(broken))
    with pytest.raises(SampleProjectError, match="did not import"):
        ensure_sample_project(db)
    assert list_projects(db) == []
    with db.reader() as s:
        assert s.query(schema.Actor).count() == 0 and s.query(schema.ActorAlias).count() == 0
    monkeypatch.delenv(resources.RESOURCES_ENV_VAR)
    assert ensure_sample_project(db) is True
    project = find_project(db, SAMPLE_PROJECT)
    assert project is not None and len(list_document_ids(db, project.id)) == len(_docs())


def test_two_instances_on_a_new_database_import_the_sample_once(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "first-start.sqlite3"
    Database.open(path).dispose()
    code = (
        "from annotator.storage.engine import Database\n"
        "from annotator.sample import ensure_sample_project\n"
        f"db = Database.open({str(path)!r})\n"
        "print(ensure_sample_project(db))\n"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outs = sorted(p.communicate(timeout=120)[0].strip() for p in procs)
    assert [p.returncode for p in procs] == [0, 0]
    assert outs == ["False", "True"]
    db = Database.open(path)
    try:
        with db.session() as s:
            assert s.query(schema.Project).count() == 1
            assert s.query(schema.Document).count() == len(_docs())
    finally:
        db.dispose()


def test_sample_work_is_credited_to_the_user(db: Database) -> None:
    """A newcomer sees the finished sample work as their own (the workspace shows the current
    annotator's attributions), and no placeholder annotator is left behind."""
    assert ensure_sample_project(db, annotator="dana") is True
    project = find_project(db, SAMPLE_PROJECT)
    assert project is not None
    dana = get_or_create_annotator(db, "dana")
    counts = [len(list_attributions(db, d, dana.id)) for d in list_document_ids(db, project.id)]
    assert sum(counts) == sum(len(d["attributions"]) for d in _docs())
    assert sum(1 for c in counts if c) == 3
    done = [get_work_status(db, d, dana.id) for d in list_document_ids(db, project.id)]
    assert done.count(WorkStatus.DONE) == 3
    with db.session() as s:
        names = [a.name for a in s.query(schema.Annotator)]
    assert names == ["dana"]
    assert check_database(db) == []


def test_a_built_wheel_carries_the_resources(tmp_path: Path) -> None:
    """A regular (non-editable) install has no checkout beside it: the wheel, built the standard
    way (PEP 517, pip's isolated build environment, as `pip install .` does), carries resources/
    inside the package, where resources_dir() looks."""
    import shutil
    import subprocess
    import sys
    import zipfile

    root = Path(resources.__file__).resolve().parents[1]
    # Build from a copy: an in-tree build would leave build/ and *.egg-info in the checkout.
    source = tmp_path / "src"
    shutil.copytree(
        root,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv*", "build", "dist", "*.egg-info", "__pycache__"
        ),
    )
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(source)],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("annotator-*.whl")
    out = tmp_path / "lib"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(out)
    bundled = out / "annotator" / "_resources"
    assert (bundled / resources.MARKER).read_bytes() == sample_file().read_bytes()
    assert (bundled / "styles" / "dark.qss").is_file()
    candidates = _candidates_for(out / "annotator" / "resources.py")
    assert bundled.resolve() in [p.resolve() for p in candidates]


def _candidates_for(module_file: Path) -> list[Path]:
    """resources.candidate_dirs() as computed by a copy of the module installed at module_file."""
    import importlib.util as iu

    spec = iu.spec_from_file_location("installed_resources", module_file)
    assert spec is not None and spec.loader is not None
    module = iu.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.candidate_dirs()
