"""Property (#13 "Done when"): whatever the order of mail arrival, address
additions and linking runs, every letter ends up in exactly the same feeds,
through real IMAP sync (Dovecot) and the real job."""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.core import bootstrap
from services.core.storage import Database, open_database
from services.feed import pages as feed
from services.linking import job as linking
from services.mail import accounts, imap_sync
from services.parties import contact_points
from services.parties import records as parties
from tests import servers
from tests.integration.mail_helpers import ALICE, account, letter
from tests.mail_fixtures import append_messages

NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)
HOME = "alice.home@example.test"

LETTERS = {
    "Анна пишет": letter("anna@romashka.example", ALICE, "Анна пишет"),
    "Копия Борису": letter("x@unknown.example", ALICE, "Копия Борису", cc="boris@romashka.example"),
    "Лиду и клиенту": letter(
        ALICE, "lead@new.example", "Лиду и клиенту", cc="office@romashka.example"
    ),
    "Лид пишет": letter("lead@new.example", ALICE, "Лид пишет"),
    "С домашнего": letter(HOME, "anna@romashka.example", "С домашнего"),
}  # fmt: skip
# (card, address): the lead's address also goes on Anna, a contact person
ADDITIONS = [
    ("anna", "anna@romashka.example"),
    ("boris", "boris@romashka.example"),
    ("client", "office@romashka.example"),
    ("lead", "lead@new.example"),
    ("anna", "lead@new.example"),
]
STEPS = [("arrive", s) for s in LETTERS] + [("add", str(n)) for n in range(len(ADDITIONS))]


def _fresh(template: Path, folder: Path, mailbox: dict[str, Any]) -> tuple[Database, int, dict]:
    servers.reset_mailbox(mailbox, ALICE)
    path = folder / "order.sqlite3"
    path.unlink(missing_ok=True)
    shutil.copy(template, path)
    db = open_database(f"sqlite:///{path}")
    acc = account(db, mailbox)
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        accounts.update(uow, actor, acc, aliases=[HOME])
        client = parties.add_client(uow, actor, "ООО Ромашка").id
        cards = {
            "client": ("client_id", client),
            "anna": ("contact_id", parties.add_contact(uow, actor, "Анна", client_id=client).id),
            "boris": ("contact_id", parties.add_contact(uow, actor, "Борис", client_id=client).id),
            "lead": ("lead_id", parties.add_lead(uow, actor, "Новый лид").id),
        }
        uow.commit()
    return db, acc, cards


def _feeds(db: Database, cards: dict[str, tuple[str, int]]) -> dict[str, list[str]]:
    with db.reader() as uow:
        actor = bootstrap.actor_for(uow)
        return {
            name: sorted(
                i.title
                for i in feed.page(
                    uow,
                    actor,
                    feed.FeedScope(**{column: card_id}),
                    feed.FeedFilter(types=("email",)),
                ).items
            )
            for name, (column, card_id) in cards.items()
        }


def _play(
    template: Path,
    folder: Path,
    mailbox: dict[str, Any],
    steps: list[tuple[str, str]],
    runs: list[bool],
) -> dict[str, list[str]]:
    db, acc, cards = _fresh(template, folder, mailbox)
    try:
        for (kind, what), run_job in zip(steps, runs, strict=True):
            if kind == "arrive":
                append_messages(mailbox, ALICE, "INBOX", [LETTERS[what]])
                imap_sync.sync_account(db, acc, now=NOW)
            else:
                name, address = ADDITIONS[int(what)]
                column, card_id = cards[name]
                with db.uow() as uow:
                    contact_points.add(
                        uow, bootstrap.actor_for(uow), "email", address, **{column: card_id}
                    )
                    uow.commit()
            if run_job:
                linking.run(db, now=NOW)
        linking.run(db, now=NOW)  # the scheduled run that comes in the end
        return _feeds(db, cards)
    finally:
        db.dispose()


# Addresses first, then the mail: what import alone decides.
EXPECTED = {
    "client": sorted(LETTERS),
    "anna": ["Анна пишет", "Лид пишет", "Лиду и клиенту", "С домашнего"],
    "boris": ["Копия Борису"],
    "lead": [],
}


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    order=st.permutations(STEPS),
    runs=st.lists(st.booleans(), min_size=len(STEPS), max_size=len(STEPS)),
)
def test_any_order_of_mail_addresses_and_runs_gives_the_same_feeds(
    sqlite_template: Path,
    tmp_path: Path,
    mailbox: dict[str, Any],
    order: list[tuple[str, str]],
    runs: list[bool],
) -> None:
    assert _play(sqlite_template, tmp_path, mailbox, list(order), runs) == EXPECTED


def test_the_expected_feeds_are_what_import_alone_decides(
    sqlite_template: Path, tmp_path: Path, mailbox: dict[str, Any]
) -> None:
    adds = [s for s in STEPS if s[0] == "add"]
    arrivals = [s for s in STEPS if s[0] == "arrive"]
    no_runs = list(itertools.repeat(False, len(STEPS)))
    assert _play(sqlite_template, tmp_path, mailbox, adds + arrivals, no_runs) == EXPECTED
    # and the reverse: all mail first, the job does everything
    assert _play(sqlite_template, tmp_path, mailbox, arrivals + adds, no_runs) == EXPECTED
