"""Read and check a bundle completely before anything touches the database.

Every problem raises BundleError with one line naming the bundle file, the member (and line) and
what is wrong. Nothing here writes anywhere.
"""

from __future__ import annotations

import json
import os
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from annotator.model import Confidence, Kind, Origin, Polarity, ReviewState, WorkStatus
from annotator.team import bundle_format as fmt
from annotator.team.bundle_format import BundleError, check_fields, loads_str, sha256_bytes
from annotator.text import normalize_text, sha256_text


@dataclass(slots=True)
class BundleContent:
    """A bundle's records, parsed and checked (timestamps as naive-UTC datetimes)."""

    name: str
    manifest: dict[str, Any]
    projects: list[dict[str, Any]] = field(default_factory=list)
    annotators: list[dict[str, Any]] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)
    actors: list[dict[str, Any]] = field(default_factory=list)
    targets: list[dict[str, Any]] = field(default_factory=list)
    attributions: list[dict[str, Any]] = field(default_factory=list)
    review_events: list[dict[str, Any]] = field(default_factory=list)
    work: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return str(self.manifest.get("kind", "full"))


def _bad_name(name: str) -> str | None:
    if not name or name.startswith(("/", "\\")) or "\\" in name or ":" in name:
        return "is an absolute or non-portable path"
    if ".." in PurePosixPath(name).parts or name.endswith("/"):
        return "points outside the bundle or is a directory"
    return None


def read_bundle(
    path: str | os.PathLike[str], progress: Callable[[str, int, int], None] | None = None
) -> BundleContent:
    """Open, verify (names, sizes, checksums, version) and parse a bundle. Raises BundleError."""
    p = Path(path)
    label = p.name
    if p.is_dir():
        raise BundleError(f"{label}: is a folder, not a bundle file")
    if not p.is_file():
        raise BundleError(f"{label}: no such file")
    try:
        zf = zipfile.ZipFile(p)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
        raise BundleError(f"{label}: not a bundle (not a zip file, or truncated): {exc}") from exc
    with zf:
        infos = _check_members(zf, label)
        manifest = _read_manifest(zf, infos, label)
        content = BundleContent(label, manifest)
        listed: dict[str, Any] = manifest["members"]
        for n, name in enumerate(fmt.MEMBERS):
            if name not in listed:
                continue
            data = _read_member(zf, infos[name], listed[name], label)
            records = _parse_member(content, name, data, label)
            stated = listed[name].get("records")
            if stated is not None and stated != records:
                # The checksum vouches for the bytes, not for the manifest's own arithmetic.
                raise BundleError(
                    f"{label}: member {name!r} holds {records} records, manifest says {stated}"
                )
            if progress is not None:
                progress("checking", n + 1, len(fmt.MEMBERS))
    _check_records(content, label)
    return content


def _check_members(zf: zipfile.ZipFile, label: str) -> dict[str, zipfile.ZipInfo]:
    infos: dict[str, zipfile.ZipInfo] = {}
    entries = zf.infolist()
    if len(entries) > fmt.MAX_MEMBERS:
        raise BundleError(f"{label}: too many members ({len(entries)})")
    for info in entries:
        name = info.filename
        problem = _bad_name(name)
        if problem:
            raise BundleError(f"{label}: member name {name!r} {problem}")
        if name in infos:
            raise BundleError(f"{label}: member {name!r} appears twice")
        if name != fmt.MANIFEST and name not in fmt.MEMBERS:
            raise BundleError(f"{label}: unknown member {name!r}")
        limit = fmt.MAX_MANIFEST_BYTES if name == fmt.MANIFEST else fmt.MAX_MEMBER_BYTES
        if info.file_size > limit:
            raise BundleError(
                f"{label}: member {name!r} is too large ({info.file_size} bytes; limit {limit})"
            )
        if info.file_size > 1024**2 and info.file_size > fmt.MAX_COMPRESSION_RATIO * max(
            info.compress_size, 1
        ):
            raise BundleError(f"{label}: member {name!r} has an implausible compression ratio")
        infos[name] = info
    if fmt.MANIFEST not in infos:
        raise BundleError(f"{label}: no {fmt.MANIFEST}; not an Annotator bundle")
    return infos


def _read(zf: zipfile.ZipFile, info: zipfile.ZipInfo, label: str) -> bytes:
    try:
        with zf.open(info) as fh:
            data = fh.read(info.file_size + 1)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
        raise BundleError(f"{label}: member {info.filename!r} is corrupt: {exc}") from exc
    if len(data) != info.file_size:
        raise BundleError(f"{label}: member {info.filename!r} is truncated or corrupt")
    return data


def _read_manifest(
    zf: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo], label: str
) -> dict[str, Any]:
    try:
        manifest = json.loads(_read(zf, infos[fmt.MANIFEST], label))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BundleError(f"{label}: {fmt.MANIFEST} is not valid JSON: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != fmt.FORMAT_NAME:
        raise BundleError(f"{label}: {fmt.MANIFEST} does not describe an Annotator bundle")
    version = manifest.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise BundleError(f"{label}: {fmt.MANIFEST} has no valid format_version")
    if version > fmt.FORMAT_VERSION:
        raise BundleError(
            f"{label}: made by a newer Annotator (bundle format {version}, app"
            f" {manifest.get('app_version', '?')}); this version reads up to format"
            f" {fmt.FORMAT_VERSION}. Upgrade Annotator to import it."
        )
    if manifest.get("kind", "full") not in fmt.KINDS:
        raise BundleError(f"{label}: {fmt.MANIFEST} has an unknown kind {manifest.get('kind')!r}")
    members = manifest.get("members")
    if not isinstance(members, dict):
        raise BundleError(f"{label}: {fmt.MANIFEST} lists no members")
    for name in infos:
        if name != fmt.MANIFEST and name not in members:
            raise BundleError(f"{label}: member {name!r} is not listed in the manifest")
    for name, meta in members.items():
        if name not in fmt.MEMBERS:
            raise BundleError(f"{label}: {fmt.MANIFEST} lists an unknown member {name!r}")
        if name not in infos:
            raise BundleError(f"{label}: member {name!r} is listed in the manifest but missing")
        if not isinstance(meta, dict) or not isinstance(meta.get("sha256"), str):
            raise BundleError(f"{label}: {fmt.MANIFEST} has no checksum for {name!r}")
    return manifest


def _read_member(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, meta: dict[str, Any], label: str
) -> bytes:
    data = _read(zf, info, label)
    if meta.get("bytes") not in (None, len(data)):
        raise BundleError(
            f"{label}: member {info.filename!r} has {len(data)} bytes, manifest says {meta['bytes']}"
        )
    if sha256_bytes(data) != meta["sha256"]:
        raise BundleError(f"{label}: checksum mismatch for member {info.filename!r}")
    return data


_NOT_PARSED = object()


_BYTES_WHITESPACE = " \t\n\r\x0b\x0c"  # what bytes.isspace() counts as space


def _lines(data: bytes) -> Iterator[tuple[int, bytes | None, str | None]]:
    """(line number, raw line, text line) for every non-blank line: the member is decoded once
    and only the text is given; a member that is not strict UTF-8 gives each raw line instead,
    for json.loads to decode (and word errors) as ever."""
    try:
        lines = data.decode("utf-8").split("\n")
    except UnicodeDecodeError:
        for lineno, raw in enumerate(data.split(b"\n"), start=1):
            if raw and not raw.isspace():
                yield lineno, raw, None
        return
    for lineno, text in enumerate(lines, start=1):
        if text.strip(_BYTES_WHITESPACE):
            yield lineno, None, text


def _parse_member(content: BundleContent, name: str, data: bytes, label: str) -> int:
    """Parse one member's lines into `content`; returns how many records it held."""
    seen: set[tuple[str, str]] = set()
    reviews = name == "reviews.jsonl"
    fields = fmt.MEMBER_FIELDS.get(name, {})
    check = fmt.checker(fields) if fields else None
    target = _target(content, name)
    loads = json.loads
    for lineno, raw, text in _lines(data):
        # Valid JSON text parses the same either way; anything else (a BOM, other encodings,
        # errors) goes to json.loads on the raw bytes, as it always did.
        try:
            obj = loads_str(text) if text is not None else _NOT_PARSED
        except json.JSONDecodeError:
            obj = _NOT_PARSED
        if obj is _NOT_PARSED:
            if raw is None:
                raw = text.encode("utf-8") if text is not None else b""
            try:
                obj = loads(raw)
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                detail = exc.msg if isinstance(exc, json.JSONDecodeError) else "not UTF-8"
                raise BundleError(f"{label}: {name}:{lineno}: malformed JSON ({detail})") from None
        try:
            if reviews:
                kind = obj.get("record") if isinstance(obj, dict) else None
                if kind not in fmt.REVIEW_RECORDS:
                    raise ValueError(f"unknown record {kind!r}")
                rec = check_fields(obj, fmt.REVIEW_RECORDS[kind])
                if kind == "document_work" and rec["status"] not in _STATUSES:
                    raise ValueError(f"field 'status': {rec['status']!r} is not allowed")
                target = content.review_events if kind == "review_event" else content.work
            else:
                kind = name
                assert check is not None
                rec = check(obj)
                _check_record(name, rec)
        except ValueError as exc:
            raise BundleError(f"{label}: {name}:{lineno}: {exc}") from None
        key = (kind, rec["id"])
        if key in seen:
            raise BundleError(f"{label}: {name}:{lineno}: id {rec['id']} appears twice")
        seen.add(key)
        target.append(rec)
    return len(seen)


_STATUSES = frozenset(s.value for s in WorkStatus)


def _target(content: BundleContent, name: str) -> list[dict[str, Any]]:
    return {
        "projects.jsonl": content.projects,
        "annotators.jsonl": content.annotators,
        "documents.jsonl": content.documents,
        "actors.jsonl": content.actors,
        "targets.jsonl": content.targets,
        "attributions.jsonl": content.attributions,
        "attribution_history.jsonl": content.history,
        "reviews.jsonl": content.review_events,
    }[name]


_VALUES: dict[type, frozenset[str]] = {
    cls: frozenset(m.value for m in cls)
    for cls in (Kind, Polarity, Confidence, Origin, ReviewState)
}


def _enum(value: Any, cls: type, field_name: str, optional: bool = False) -> None:
    if value is None and optional:
        return
    if value not in _VALUES[cls]:
        raise ValueError(f"field {field_name!r}: {value!r} is not allowed")


def _check_span_pair(start: Any, end: Any, what: str) -> None:
    if start is None and end is None:
        return
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end:
        raise ValueError(f"{what} span [{start}, {end}) is invalid")


def _attribution_ok(rec: dict[str, Any]) -> bool:
    """The common case of the attribution checks in one expression (stricter than they are:
    anything it refuses gets the full checks and their exact message)."""
    cs, ce, ms, me = rec["cue_start"], rec["cue_end"], rec["mention_start"], rec["mention_end"]
    pol, conf = rec["polarity"], rec["confidence"]
    spans = rec["content_spans"]
    if len(spans) == 1:  # the usual case, without a generator
        p = spans[0]
        spans_ok = (
            type(p) is list and len(p) == 2 and type(p[0]) is int and type(p[1]) is int
            and 0 <= p[0] < p[1]
        )  # fmt: skip
    else:
        spans_ok = bool(spans) and all(
            type(p) is list and len(p) == 2 and type(p[0]) is int and type(p[1]) is int
            and 0 <= p[0] < p[1]
            for p in spans
        )  # fmt: skip
    return bool(
        spans_ok
        and ((cs is None and ce is None) or (cs is not None and ce is not None and 0 <= cs < ce))
        and ((ms is None and me is None) or (ms is not None and me is not None and 0 <= ms < me))
        and rec["kind"] in _VALUES[Kind]
        and (pol is None or pol in _VALUES[Polarity])
        and (conf is None or conf in _VALUES[Confidence])
        and rec["origin"] in _VALUES[Origin]
        and rec["review_state"] in _VALUES[ReviewState]
    )  # fmt: skip


def _check_record(name: str, rec: dict[str, Any]) -> None:
    if name == "attributions.jsonl" and _attribution_ok(rec):
        return
    if name == "documents.jsonl":
        if normalize_text(rec["text"]) != rec["text"]:
            raise ValueError("document text is not normalized (NFC, LF)")
        if sha256_text(rec["text"]) != rec["text_sha256"]:
            raise ValueError("text_sha256 does not match the text")
    elif name in ("actors.jsonl", "targets.jsonl"):
        check = fmt.checker(fmt.ALIAS_FIELDS)
        rec["alias_records"] = [check(a) for a in rec["alias_records"]]
    elif name == "attributions.jsonl":
        spans = rec["content_spans"]
        if not spans:
            raise ValueError("an attribution needs at least one content span")
        for pair in spans:
            if not isinstance(pair, list) or len(pair) != 2:
                raise ValueError("content_spans must be [[start, end], ...]")
            _check_span_pair(pair[0], pair[1], "content")
        _check_span_pair(rec["cue_start"], rec["cue_end"], "cue")
        _check_span_pair(rec["mention_start"], rec["mention_end"], "mention")
        _enum(rec["kind"], Kind, "kind")
        _enum(rec["polarity"], Polarity, "polarity", optional=True)
        _enum(rec["confidence"], Confidence, "confidence", optional=True)
        _enum(rec["origin"], Origin, "origin")
        _enum(rec["review_state"], ReviewState, "review_state")


def _check_records(content: BundleContent, label: str) -> None:
    """Cross-member checks that need no database: spans inside their (bundled) documents."""
    lengths = {d["id"]: len(d["text"]) for d in content.documents}
    for rec in content.attributions:
        length = lengths.get(rec["document_id"])
        if length is None:
            continue  # the receiving database must hold it; checked when applying
        cue, mention = rec["cue_end"], rec["mention_end"]
        if (
            max([p[1] for p in rec["content_spans"]]) > length
            or (cue is not None and cue > length)
            or (mention is not None and mention > length)
        ):
            raise BundleError(
                f"{label}: attributions.jsonl: attribution {rec['id']} has a span outside its"
                f" document (length {length})"
            )
    if content.kind == "assignment" and (content.attributions or content.review_events):
        raise BundleError(f"{label}: an assignment bundle must not carry annotations")
