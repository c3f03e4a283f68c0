"""A small multi-annotator project for agreement, dashboard, CLI and GUI tests (our own text)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select

from annotator.model import AttributionRecord, Kind, Polarity, Span, WorkStatus, new_id
from annotator.services.attributions import insert_attribution
from annotator.services.documents import DocumentDraft, add_document, set_work_status
from annotator.services.projects import get_or_create_annotator, get_or_create_project
from annotator.services.registries import create_actor, create_target
from annotator.storage import schema
from annotator.storage.engine import Database

SPEAKERS = ["Mira Solberg", "Tomas Reyes", "the port authority", "Ines Okafor"]
TOPICS = ["New harbour tunnel", "Night-time cargo ban", "Fishing quotas", "Ferry subsidies"]
CLAIMS = [
    "the harbour tunnel will cut traffic in the old town by half",
    "night-time cargo keeps the port competitive",
    "the fishing quotas were set without asking the fleet",
    "ferry subsidies should be doubled before winter",
    "the council has not published the cost study",
    "nobody wants trucks on the coast road at three in the morning",
]
START = datetime(2026, 3, 2, 9, 0)


def seed_project(
    db: Database,
    *,
    name: str = "Harbour",
    annotators: tuple[str, ...] = ("alice", "bob", "carol"),
    n_docs: int = 4,
    seed: int = 3,
) -> str:
    """Documents coded by every annotator: the first keeps the reference quotes, the others
    drift (shifted boundaries, missed and extra quotes, other speakers and polarities)."""
    rnd = random.Random(seed)
    project = get_or_create_project(db, name)
    ann_ids = [get_or_create_annotator(db, a).id for a in annotators]
    actors = [create_actor(db, project.id, n).id for n in SPEAKERS]
    targets = [create_target(db, project.id, t).id for t in TOPICS]
    polarities = list(Polarity)
    for d in range(n_docs):
        sentences, quotes = [], []
        pos = 0
        for q in range(5):
            speaker = rnd.randrange(len(SPEAKERS))
            claim = CLAIMS[(d + q) % len(CLAIMS)]
            sentence = f"{SPEAKERS[speaker].capitalize()} said that {claim}. "
            start = pos + sentence.index(claim)
            quotes.append((start, start + len(claim), speaker, rnd.randrange(len(TOPICS))))
            sentences.append(sentence)
            pos += len(sentence)
        text = "".join(sentences).strip() + "\n"
        with db.session() as s:
            row, _ = add_document(s, project.id, DocumentDraft(text=text, title=f"Harbour {d + 1}"))
            doc_id = row.id
        for k, ann in enumerate(ann_ids):
            day = START + timedelta(days=d + k)
            with db.session() as s:
                for start, end, speaker, target in quotes:
                    if k and rnd.random() < 0.15:
                        continue  # missed
                    if k and rnd.random() < 0.3:
                        start += rnd.choice([-5, 3, 8])
                    if k and rnd.random() < 0.2:
                        speaker = (speaker + 1) % len(SPEAKERS)
                    polarity = polarities[(start + target) % 3]
                    if k and rnd.random() < 0.25:
                        polarity = rnd.choice(polarities)
                    rec = AttributionRecord(
                        id=new_id(),
                        document_id=doc_id,
                        annotator_id=ann,
                        content=(Span(max(0, start), end),),
                        speaker_id=actors[speaker],
                        kind=Kind.INDIRECT,
                        target_id=targets[target],
                        polarity=polarity,
                        created_at=day,
                        updated_at=day,
                    )
                    insert_attribution(s, rec)
                if k and rnd.random() < 0.5:
                    extra = AttributionRecord(
                        id=new_id(),
                        document_id=doc_id,
                        annotator_id=ann,
                        content=(Span(0, 12),),
                        created_at=day,
                        updated_at=day,
                    )
                    insert_attribution(s, extra)
            set_work_status(db, doc_id, ann, WorkStatus.DONE)
            with db.session() as s:
                work = s.scalar(
                    select(schema.DocumentWork).where(
                        schema.DocumentWork.document_id == doc_id,
                        schema.DocumentWork.annotator_id == ann,
                    )
                )
                assert work is not None
                work.updated_at = day + timedelta(hours=2)
    return project.id
