"""Where the database lives: platformdirs default, overridden by $ANNOTATOR_DB, then --db.

The user data dir is redirected with XDG_DATA_HOME, so the real one is never touched.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.storage.engine import DB_ENV_VAR, Database, default_db_path


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "xdg-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    monkeypatch.delenv(DB_ENV_VAR, raising=False)
    return data


def _stats(argv: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, int]:
    assert main([*argv, "stats", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_default_is_under_user_data_dir(home: Path) -> None:
    assert default_db_path() == home / "annotator" / "annotator.sqlite3"
    db = Database.open()
    try:
        assert db.path == (home / "annotator" / "annotator.sqlite3").resolve()
    finally:
        db.dispose()
    assert db.path is not None and db.path.is_file()


def test_env_path_overrides_default(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "elsewhere" / "team.sqlite3"
    monkeypatch.setenv(DB_ENV_VAR, str(target))
    Database.open().dispose()
    assert target.is_file()
    assert not (home / "annotator").exists()


def test_env_url_overrides_default(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "by-url.sqlite3"
    monkeypatch.setenv(DB_ENV_VAR, f"sqlite:///{target}")
    db = Database.open()
    try:
        assert db.path == target
    finally:
        db.dispose()
    assert target.is_file()
    assert not (home / "annotator").exists()


def test_db_flag_beats_env(
    home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    env_db = tmp_path / "env.sqlite3"
    flag_db = tmp_path / "flag.sqlite3"
    monkeypatch.setenv(DB_ENV_VAR, str(env_db))
    article = tmp_path / "a.txt"
    article.write_text("Title\n\nThe minister said so.\n", encoding="utf-8")
    assert main(["--db", str(flag_db), "import", str(article)]) == 0
    capsys.readouterr()
    assert flag_db.is_file()
    assert not env_db.exists()
    assert _stats(["--db", str(flag_db)], capsys)["documents"] == 1
    # Without the flag, the environment variable is used (and a reading command does not
    # create a database there).
    assert main(["stats", "--json"]) == 2
    assert capsys.readouterr().err == f"error: no database at {env_db}\n"
    assert not env_db.exists()
    Database.open(env_db).dispose()
    assert _stats([], capsys)["documents"] == 0
    assert not (home / "annotator").exists()


def test_cli_default_location(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _stats([], capsys)
    assert (home / "annotator" / "annotator.sqlite3").is_file()


def test_an_empty_db_option_is_refused(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", "", "stats"]) == 2
    assert capsys.readouterr().err == 'error: the database location is empty (--db "")\n'
    assert not (home / "annotator").exists()
