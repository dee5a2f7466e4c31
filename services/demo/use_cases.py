"""Loading the demo database as a use case, shared by ``touchpoint demo``
and the welcome screen: the same generator, and its ``Changes`` (the new
clients, leads, deals and interactions read back from the change history)
let every open list and counter show the demo data without F5."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute

from models import Client, Deal, Lead
from services.core.access import Actor
from services.core.changes import Changes, Outcome
from services.core.storage import Database
from services.demo import generate
from services.feed import touched


def load_demo(
    db: Database,
    actor: Actor,
    *,
    clients: int = 200,
    seed: int = 1,
    big_client_interactions: int = 0,
    progress: generate.Progress | None = None,
) -> Outcome[generate.DemoSummary]:
    """Fill an empty database with realistic demo data (refused when it has
    clients already)."""
    del actor  # anyone may fill an empty database, as on the first start
    kinds: dict[str, InstrumentedAttribute[int]] = {
        "client": Client.id,
        "lead": Lead.id,
        "deal": Deal.id,
    }
    with db.reader() as uow:
        last = {
            kind: uow.session.scalar(select(func.coalesce(func.max(column), 0))) or 0
            for kind, column in kinds.items()
        }
    made = touched.tracked(
        db,
        lambda: generate.generate(
            db,
            clients=clients,
            seed=seed,
            big_client_interactions=big_client_interactions,
            progress=progress,
        ),
    )
    with db.reader() as uow:  # bulk rows, past the change history
        created = {
            kind: uow.session.scalars(select(column).where(column > last[kind])).all()
            for kind, column in kinds.items()
        }
    return touched.plus(made, Changes.of(created=created))
