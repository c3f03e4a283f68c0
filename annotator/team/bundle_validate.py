"""Read and check a bundle as a stream: memory stays flat whatever its size.

`open_bundle` checks the zip's directory and the manifest; `BundleReader.verify` inflates every
member once, with a hard cap on the bytes actually inflated, and compares sizes and checksums
(nothing is parsed or kept); `BundleReader.records` then parses and checks one member's lines
against the native schema (annotator.record_schema) while the import applies them, in batches,
inside one transaction that any problem rolls back. Every problem raises BundleError with one
line naming the bundle file, the member (and line) and what is wrong. Nothing here writes.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from annotator.record_schema import Clock, checker
from annotator.team import bundle_format as fmt
from annotator.team.bundle_format import BundleError, loads_str
from annotator.text import normalize_text, sha256_text

READ_BLOCK = 1 << 20
# One JSONL line: a 100 MiB article with its raw bytes kept fits with room to spare.
MAX_LINE_BYTES = 320 << 20
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, RuntimeError)


def _bad_name(name: str) -> str | None:
    if not name or name.startswith(("/", "\\")) or "\\" in name or ":" in name:
        return "is an absolute or non-portable path"
    if ".." in PurePosixPath(name).parts or name.endswith("/"):
        return "points outside the bundle or is a directory"
    return None


class BundleReader:
    """An open bundle: its manifest, and its members read as streams."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        p = Path(path)
        self.path = p
        self.name = p.name
        if p.is_dir():
            raise BundleError(f"{self.name}: is a folder, not a bundle file")
        if not p.is_file():
            raise BundleError(f"{self.name}: no such file")
        try:
            self.zf = zipfile.ZipFile(p)
        except (*ZIP_ERRORS, NotImplementedError) as exc:
            raise BundleError(
                f"{self.name}: not a bundle (not a zip file, or truncated): {_one_line(exc)}"
            ) from exc
        try:
            self.infos = _check_members(self.zf, self.name)
            self.manifest = _read_manifest(self.zf, self.infos, self.name)
        except BaseException:
            self.zf.close()
            raise
        self.members: dict[str, Any] = self.manifest["members"]
        self.verified = False
        # Gathered while records are read, for checks across members.
        self.doc_lengths: dict[str, int] = {}

    @property
    def kind(self) -> str:
        return str(self.manifest.get("kind", "full"))

    def close(self) -> None:
        self.zf.close()

    def __enter__(self) -> BundleReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- pass 1: bytes ---------------------------------------------------------------------------
    def verify(self, progress: Callable[[str, int, int], None] | None = None) -> None:
        """Inflate every member once: sizes and checksums as the manifest says, or BundleError."""
        for n, name in enumerate(fmt.MEMBERS):
            if name in self.members:
                digest = hashlib.sha256()
                size = 0
                for block in self._blocks(name):
                    digest.update(block)
                    size += len(block)
                meta = self.members[name]
                if meta.get("bytes") not in (None, size):
                    raise BundleError(
                        f"{self.name}: member {name!r} has {size} bytes,"
                        f" manifest says {meta['bytes']}"
                    )
                if digest.hexdigest() != meta["sha256"]:
                    raise BundleError(f"{self.name}: checksum mismatch for member {name!r}")
            if progress is not None:
                progress("checking", n + 1, len(fmt.MEMBERS))
        self.verified = True

    def _blocks(self, name: str) -> Iterator[bytes]:
        """The member's bytes, a block at a time, never more than its stated size."""
        info = self.infos[name]
        limit = min(info.file_size, fmt.MAX_MEMBER_BYTES)
        total = 0
        try:
            with self.zf.open(info) as fh:
                while True:
                    block = fh.read(READ_BLOCK)
                    if not block:
                        break
                    total += len(block)
                    if total > limit:
                        raise BundleError(
                            f"{self.name}: member {name!r} inflates beyond its stated size"
                        )
                    yield block
        except BundleError:
            raise
        except (*ZIP_ERRORS, NotImplementedError) as exc:
            raise BundleError(f"{self.name}: member {name!r} is corrupt: {_one_line(exc)}") from exc
        if total != info.file_size:
            raise BundleError(f"{self.name}: member {name!r} is truncated or corrupt")

    # -- pass 2: records -------------------------------------------------------------------------
    def lines(self, name: str) -> Iterator[tuple[int, bytes]]:
        """(line number, raw line) for every non-blank line of a member; a line is held whole
        in memory only up to MAX_LINE_BYTES."""
        pending: list[bytes] = []  # pieces of a line longer than a block
        pending_len = 0
        lineno = 0
        for block in self._blocks(name):
            parts = block.split(b"\n")
            last = parts.pop()
            if parts:
                if pending:
                    pending.append(parts[0])
                    parts[0] = b"".join(pending)
                    pending, pending_len = [], 0
                for raw in parts:
                    lineno += 1
                    if raw.strip():
                        yield lineno, raw
            if last:
                pending.append(last)
                pending_len += len(last)
                if pending_len > MAX_LINE_BYTES:
                    raise BundleError(
                        f"{self.name}: {name}:{lineno + 1}: line longer than"
                        f" {MAX_LINE_BYTES >> 20} MiB"
                    )
        if pending:
            raw = b"".join(pending)
            if raw.strip():
                yield lineno + 1, raw

    def records(self, name: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """(record kind, checked record) for every line of member `name`; the kind is the
        member name, or "review_event" / "document_work" in reviews.jsonl. Checks ids are not
        repeated and the count matches the manifest."""
        if name not in self.members:
            return
        if not self.verified:
            raise RuntimeError("verify() the bundle before reading its records")
        Clock.refresh()
        seen: set[str] = set()  # ids (prefixed by the kind in reviews.jsonl): no records kept
        reviews = name == "reviews.jsonl"
        fields = fmt.MEMBER_FIELDS.get(name, {})
        check = checker(fields) if fields else None
        for lineno, raw in self.lines(name):
            obj = _parse(raw, name, lineno, self.name)
            try:
                if reviews:
                    kind = obj.get("record") if isinstance(obj, dict) else None
                    if kind not in fmt.REVIEW_RECORDS:
                        raise ValueError(f"unknown record {kind!r}")
                    rec = checker(fmt.REVIEW_RECORDS[kind])(obj)
                else:
                    kind = name
                    assert check is not None
                    rec = check(obj)
                    self._check_record(name, rec)
            except ValueError as exc:
                raise BundleError(f"{self.name}: {name}:{lineno}: {exc}") from None
            key = f"{kind}:{rec['id']}" if reviews else rec["id"]
            if key in seen:
                raise BundleError(f"{self.name}: {name}:{lineno}: id {rec['id']} appears twice")
            seen.add(key)
            yield kind, rec
        stated = self.members[name].get("records")
        if stated is not None and stated != len(seen):
            # The checksum vouches for the bytes, not for the manifest's own arithmetic.
            raise BundleError(
                f"{self.name}: member {name!r} holds {len(seen)} records, manifest says {stated}"
            )

    def batches(self, name: str, size: int) -> Iterator[list[dict[str, Any]]]:
        batch: list[dict[str, Any]] = []
        for _kind, rec in self.records(name):
            batch.append(rec)
            if len(batch) >= size:
                yield batch
                batch = []
        if batch:
            yield batch

    def _check_record(self, name: str, rec: dict[str, Any]) -> None:
        if name == "attributions.jsonl":
            cs, ce, ms, me = (
                rec["cue_start"],
                rec["cue_end"],
                rec["mention_start"],
                rec["mention_end"],
            )
            if (cs is None) != (ce is None) or (cs is not None and cs >= ce):
                raise ValueError(f"cue span [{cs}, {ce}) is invalid")
            if (ms is None) != (me is None) or (ms is not None and ms >= me):
                raise ValueError(f"mention span [{ms}, {me}) is invalid")
            length = self.doc_lengths.get(rec["document_id"])
            if length is not None:
                ends = [p[1] for p in rec["content_spans"]]
                ends += [e for e in (ce, me) if e is not None]
                if max(ends) > length:
                    raise ValueError(
                        f"attribution {rec['id']} has a span outside its document (length {length})"
                    )
            if self.kind == "assignment":
                raise ValueError("an assignment bundle must not carry annotations")
        elif name == "documents.jsonl":
            if normalize_text(rec["text"]) != rec["text"]:
                raise ValueError("document text is not normalized (NFC, LF)")
            if sha256_text(rec["text"]) != rec["text_sha256"]:
                raise ValueError("text_sha256 does not match the text")
            self.doc_lengths[rec["id"]] = len(rec["text"])
        elif name in ("actors.jsonl", "targets.jsonl"):
            check = checker(fmt.ALIAS_FIELDS)
            rec["alias_records"] = [check(a) for a in rec["alias_records"]]


def open_bundle(path: str | os.PathLike[str]) -> BundleReader:
    """Open a bundle and check its directory and manifest (BundleError if unusable)."""
    return BundleReader(path)


def _parse(raw: bytes, name: str, lineno: int, label: str) -> Any:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    try:
        if text is not None:
            return loads_str(text)
        return json.loads(raw)  # other encodings json itself accepts, else its own message
    except RecursionError:
        raise BundleError(f"{label}: {name}:{lineno}: JSON nested too deeply") from None
    except (UnicodeDecodeError, ValueError) as exc:
        detail = exc.msg if isinstance(exc, json.JSONDecodeError) else _one_line(exc)
        if isinstance(exc, UnicodeDecodeError):
            detail = "not UTF-8"
        raise BundleError(f"{label}: {name}:{lineno}: malformed JSON ({detail})") from None


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__


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
        if info.flag_bits & 0x1:
            raise BundleError(f"{label}: member {name!r} is encrypted; bundles never are")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise BundleError(
                f"{label}: member {name!r} uses compression method {info.compress_type};"
                " bundles are stored or deflated"
            )
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


def _read_small(zf: zipfile.ZipFile, info: zipfile.ZipInfo, label: str) -> bytes:
    try:
        with zf.open(info) as fh:
            data = fh.read(fmt.MAX_MANIFEST_BYTES + 1)
    except (*ZIP_ERRORS, NotImplementedError) as exc:
        raise BundleError(
            f"{label}: member {info.filename!r} is corrupt: {_one_line(exc)}"
        ) from exc
    if len(data) != info.file_size:
        raise BundleError(f"{label}: member {info.filename!r} is truncated or corrupt")
    return data


def _read_manifest(
    zf: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo], label: str
) -> dict[str, Any]:
    try:
        manifest = json.loads(_read_small(zf, infos[fmt.MANIFEST], label))
    except RecursionError:
        raise BundleError(f"{label}: {fmt.MANIFEST} is nested too deeply") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise BundleError(f"{label}: {fmt.MANIFEST} is not valid JSON: {_one_line(exc)}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != fmt.FORMAT_NAME:
        raise BundleError(f"{label}: {fmt.MANIFEST} does not describe an Annotator bundle")
    version = manifest.get("format_version")
    if type(version) is not int or version < 1:
        raise BundleError(f"{label}: {fmt.MANIFEST} has no valid format_version")
    if version > fmt.FORMAT_VERSION:
        raise BundleError(
            f"{label}: made by a newer Annotator (bundle format {version}, app"
            f" {_printable(manifest.get('app_version', '?'))}); this version reads up to format"
            f" {fmt.FORMAT_VERSION}. Upgrade Annotator to import it."
        )
    if manifest.get("kind", "full") not in fmt.KINDS:
        raise BundleError(
            f"{label}: {fmt.MANIFEST} has an unknown kind {_printable(manifest.get('kind'))!r}"
        )
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
        for key in ("bytes", "records"):
            value = meta.get(key)
            if value is not None and (type(value) is not int or value < 0):
                raise BundleError(f"{label}: {fmt.MANIFEST} has an invalid {key} for {name!r}")
    return manifest


def _printable(value: Any) -> str:
    text = str(value)[:60]
    return text if text.isprintable() else text.encode("unicode_escape").decode("ascii")
