"""Loading the demo database as a use case, shared by ``touchpoint demo``
and the welcome screen: the same generator, and its ``Changes`` (the new
clients, leads, deals and interactions read back from the change history)
let every open list and counter show the demo data without F5."""

from __future__ import annotations

from models import Client, Deal, Lead
from services.core.access import Actor
from services.core.changes import Outcome
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
    return touched.bulk_tracked(
        db,
        {"client": Client.id, "lead": Lead.id, "deal": Deal.id},
        lambda: generate.generate(
            db,
            clients=clients,
            seed=seed,
            big_client_interactions=big_client_interactions,
            progress=progress,
        ),
    )
