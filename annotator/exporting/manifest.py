"""manifest.json (options, counts per split and label, file hashes, app version) and the README.md
dataset card. Both are deterministic: no wall-clock time, no absolute paths, sorted keys."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from annotator import __version__
from annotator.exporting.atomic import sha256_file
from annotator.exporting.base import ExportOptions
from annotator.exporting.verify import Problem

DOCS_URL = "docs/export.md"
MANIFEST_VERSION = 1


def file_entries(files: Mapping[str, Path]) -> dict[str, dict[str, Any]]:
    """relative name -> {sha256, bytes}, hashing the (temporary) file that holds the content."""
    return {
        name: {"sha256": sha256_file(path), "bytes": path.stat().st_size}
        for name, path in sorted(files.items())
    }


def build_manifest(
    options: ExportOptions,
    counts: Mapping[str, Any],
    files: Mapping[str, dict[str, Any]],
    problems: list[Problem],
    near_duplicate_groups: int,
) -> dict[str, Any]:
    return {
        "manifest_version": MANIFEST_VERSION,
        "app": "annotator",
        "app_version": __version__,
        "options": options.manifest_dict(),
        "counts": counts,
        "near_duplicate_groups": near_duplicate_groups,
        "files": dict(files),
        "rejected": [
            {"document_id": p.document_id, "attribution_id": p.attribution_id, "message": p.message}
            for p in problems
        ],
    }


def manifest_bytes(manifest: Mapping[str, Any]) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def _count_table(counts: Mapping[str, Any]) -> list[str]:
    labels = sorted({lab for c in counts.values() for lab in c["polarity"]})
    head = "| split | documents | attributions | " + " | ".join(labels) + " |"
    rule = "|---" * (3 + len(labels)) + "|"
    lines = [head, rule]
    for split, c in counts.items():
        cells = [str(c["polarity"].get(lab, 0)) for lab in labels]
        lines.append(
            f"| {split} | {c['documents']} | {c['attributions']} | " + " | ".join(cells) + " |"
        )
    return lines


MAX_LISTED_FILES = 20


def _file_lines(names: list[str]) -> list[str]:
    """Each file, or for per-document formats (BRAT, Citron) a count per folder."""
    if len(names) <= MAX_LISTED_FILES:
        return [f"- `{name}`" for name in names]
    per_dir: dict[str, dict[str, int]] = {}
    for name in names:
        folder, _, base = name.rpartition("/")
        ext = base.rpartition(".")[2] if "." in base else ""
        per_dir.setdefault(folder, {}).setdefault(ext, 0)
        per_dir[folder][ext] += 1
    lines = []
    for folder, exts in sorted(per_dir.items()):
        what = ", ".join(f"{n} `.{ext}`" for ext, n in sorted(exts.items()))
        lines.append(f"- `{folder or '.'}/`: {what} files")
    return lines


def card_text(
    options: ExportOptions,
    counts: Mapping[str, Any],
    files: Mapping[str, Any],
    field_docs: str,
    rejected: int,
    front_matter: str = "",
    selection_notes: list[str] | None = None,
    sections: list[str] | None = None,
) -> str:
    """The dataset card (README.md): what was exported, how, and what the fields mean."""
    opts = options.manifest_dict()
    lines = [front_matter] if front_matter else []
    lines += [
        f"# Attribution dataset: {options.project_name or options.project_id} ({options.format})",
        "",
        "Quotes in news articles labeled with who said them (source), the reporting expression",
        "(cue), the quoted or reported words (content), a canonical speaker, and the stance the",
        "speaker takes toward a target (support / oppose / neutral / unclear).",
        f"Exported by annotator {__version__}.",
        "",
        "## Selection",
        "",
        f"- status: `{opts['status']}` (auto = adjudicated gold where a document has it, else accepted)",
        f"- annotator: {opts['annotator'] or 'all'}",
        f"- split: {opts['split'] or 'none'}; seed {opts['seed']}; grouped by document, near-duplicate"
        " articles kept in one split, stratified by polarity",
        f"- context: {opts['context']}",
        "- records refused by verification (a span outside its document, or a document whose"
        f" text no longer matches its hash): {rejected} (listed in manifest.json)",
        *(f"- {line}" for line in selection_notes or []),
        "",
        "## Counts",
        "",
        *_count_table(counts),
        "",
        "## Files",
        "",
        *_file_lines(list(files)),
        "- `manifest.json`: options, counts, SHA-256 of every file",
        "",
        *(sections or []),
        "## Fields",
        "",
        field_docs.strip(),
        "",
        f"Offsets are Unicode code points into the document text, end exclusive. Full description of "
        f"every format: {DOCS_URL} in the annotator source.",
        "",
    ]
    return "\n".join(lines)
