"""Builders shared by the export tests: the annotated Turan article and a synthetic project."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

import pytest

from annotator.importing.annotated import speaker_name
from annotator.model import (
    ActorType,
    AttributionRecord,
    Kind,
    Origin,
    Polarity,
    ReviewState,
    Span,
    new_id,
)
from annotator.native import parse_attribution
from annotator.services.attributions import insert_attribution
from annotator.services.documents import DocumentDraft, add_document
from annotator.services.projects import annotator_row, project_row
from annotator.services.registries import add_alias_row, ensure_actor, ensure_target
from annotator.storage.engine import Database
from annotator.text import normalize_text
from tests.conftest import TURAN_QUOTES, TURAN_TXT


@dataclass(frozen=True)
class Loaded:
    db: Database
    project_id: str
    project_name: str
    text: str = ""


def load_turan(db: Database, project: str = "Turan") -> Loaded:
    """The sample article and its 14 hand-made records, all accepted (as a reviewed article).
    Speaker mentions that are names become aliases, as they do when analysts annotate."""
    text = normalize_text(TURAN_TXT.read_text(encoding="utf-8"))
    with db.session() as s:
        proj = project_row(s, project)
        assert proj is not None
        ann = annotator_row(s, "ana")
        doc, _ = add_document(
            s,
            proj.id,
            DocumentDraft(text=text, title="Khalafov in Tehran", language="en", source="Turan"),
        )
        for line in TURAN_QUOTES.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            p = parse_attribution(json.loads(line), text)
            speaker_row = ensure_actor(s, proj.id, p.speaker) if p.speaker else None
            speaker = speaker_row.id if speaker_row else None
            if speaker_row is not None and p.mention is not None:
                name = speaker_name(p.mention.text(text))
                if name:
                    add_alias_row(s, speaker_row, name)
            via = ensure_actor(s, proj.id, p.via, ActorType.MEDIA).id if p.via else None
            target = ensure_target(s, proj.id, p.target).id if p.target else None
            insert_attribution(
                s,
                AttributionRecord(
                    id=new_id(),
                    document_id=doc.id,
                    annotator_id=ann.id,
                    content=p.content,
                    cue=p.cue,
                    mention=p.mention,
                    speaker_id=speaker,
                    via_id=via,
                    kind=p.kind,
                    target_id=target,
                    polarity=p.polarity,
                    proposition=p.proposition,
                    origin=Origin.MANUAL,
                    review_state=ReviewState.ACCEPTED,
                ),
            )
        return Loaded(db, proj.id, project, text)


WORDS = [
    "minister",
    "council",
    "border",
    "talks",
    "energy",
    "pipeline",
    "region",
    "summit",
    "security",
    "trade",
    "agreement",
    "sanctions",
    "parliament",
    "election",
    "economy",
    "ceasefire",
    "treaty",
    "delegation",
    "cooperation",
    "investment",
]
SPEAKERS = ["Ebrahim Raisi", "Ilham Aliyev", "Nikol Pashinyan", "Olaf Scholz"]
TARGETS = ["Energy corridor", "Peace treaty", "Sanctions"]


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def make_article(rng: random.Random, quotes: int) -> tuple[str, list[tuple[int, int, int, int]]]:
    """Text with `quotes` reported claims; returns (text, [(mention_s, mention_e, content_s, content_e)])."""
    parts: list[str] = []
    spans = []
    pos = 0
    for _ in range(quotes):
        lead = _sentence(rng, rng.randint(6, 14)) + " "
        speaker = rng.choice(SPEAKERS)
        claim = _sentence(rng, rng.randint(5, 10))[:-1]
        sent = f'{speaker} said: "{claim}" 🙂 \u00a0'
        parts.append(lead)
        pos += len(lead)
        m_s = pos
        c_s = pos + len(speaker) + len(' said: "')
        spans.append((m_s, m_s + len(speaker), c_s, c_s + len(claim)))
        parts.append(sent)
        pos += len(sent)
        parts.append("\n\n")
        pos += 2
    return "".join(parts), spans


def load_synthetic(
    db: Database, docs: int = 12, seed: int = 7, project: str = "Synthetic"
) -> Loaded:
    """A multi-document project: several review states, gold in one document, a wire copy."""
    rng = random.Random(seed)
    pols = list(Polarity)
    with db.session() as s:
        proj = project_row(s, project)
        assert proj is not None
        ana = annotator_row(s, "ana")
        lead = annotator_row(s, "lead")
        texts = [make_article(rng, rng.randint(2, 4)) for _ in range(docs)]
        # a wire copy of article 0: same story with a different dateline
        texts.append(
            ("BAKU (Wire) - " + texts[0][0], [tuple(x + 14 for x in q) for q in texts[0][1]])
        )
        for d, (text, spans) in enumerate(texts):
            row, _ = add_document(
                s,
                proj.id,
                DocumentDraft(text=text, title=f"Article {d}", language="en", url=f"https://x/{d}"),
            )
            for q, (ms, me, cs, ce) in enumerate(spans):
                speaker = ensure_actor(s, proj.id, text[ms:me]).id
                target = ensure_target(s, proj.id, TARGETS[(d + q) % len(TARGETS)]).id
                state = [ReviewState.ACCEPTED, ReviewState.SUBMITTED, ReviewState.DRAFT][q % 3]
                content = (Span(cs, ce),) if q % 2 == 0 else (Span(cs, cs + 5), Span(cs + 6, ce))
                rec = AttributionRecord(
                    id=new_id(),
                    document_id=row.id,
                    annotator_id=ana.id,
                    content=content,
                    cue=Span(me + 1, me + 5),
                    mention=Span(ms, me),
                    speaker_id=speaker,
                    kind=Kind.DIRECT,
                    target_id=target,
                    polarity=pols[(d + q) % 4],
                    proposition=f"claim {d}.{q}",
                    review_state=state,
                )
                insert_attribution(s, rec)
                if d == 1 and q == 0:  # gold for document 1, built from the analyst's record
                    insert_attribution(
                        s,
                        AttributionRecord(
                            id=new_id(),
                            document_id=row.id,
                            annotator_id=lead.id,
                            content=(Span(cs, ce),),
                            speaker_id=speaker,
                            kind=Kind.DIRECT,
                            target_id=target,
                            polarity=Polarity.OPPOSE,
                            origin=Origin.ADJUDICATED,
                            review_state=ReviewState.ACCEPTED,
                            source_ids=(rec.id,),
                        ),
                    )
        return Loaded(db, proj.id, project)


def load_sample(db: Database) -> Loaded:
    """The shipped sample project (resources/sample, the team's own articles) through the
    importer, with its attributions marked accepted as if a lead had reviewed them."""
    from sqlalchemy import text as sql

    from annotator.sample import SAMPLE_PROJECT, ensure_sample_project
    from annotator.services.projects import find_project

    assert ensure_sample_project(db)
    project = find_project(db, SAMPLE_PROJECT)
    assert project is not None
    with db.session() as s:
        s.execute(sql("UPDATE attributions SET review_state = 'accepted'"))
    return Loaded(db, project.id, SAMPLE_PROJECT)


@pytest.fixture
def sample(db: Database) -> Loaded:
    return load_sample(db)


@pytest.fixture
def turan(db: Database, corpus: Path) -> Loaded:
    return load_turan(db)


@pytest.fixture
def synthetic(db: Database) -> Loaded:
    return load_synthetic(db)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]
