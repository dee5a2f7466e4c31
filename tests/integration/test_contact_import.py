"""Contact files into the database: created, updated, rejected with reasons."""

from __future__ import annotations

from pathlib import Path

from services.core import bootstrap
from services.core.errors import ValidationError
from services.core.storage import Database
from services.exchange import contact_import
from services.parties import contact_points
from tests.conftest import DATA
from tests.integration.helpers import row_counts

VCARDS = sorted((DATA / "contacts").rglob("*.vcf"))


def _import(db: Database, path: Path) -> contact_import.ImportSummary:
    with db.reader() as uow:
        actor = bootstrap.actor_for(uow)
    return contact_import.import_contacts(db, actor, path)


def test_every_real_vcard_imports_or_is_rejected_with_a_reason(sqlite_db: Database) -> None:
    db = sqlite_db  # the corpus once is enough; PostgreSQL gets the focused tests
    total = 0
    refused: list[str] = []
    for path in VCARDS:
        try:
            summary = _import(db, path)
        except ValidationError as exc:
            refused.append(f"{path.name}: {exc}")  # refused whole, with a reason
            continue
        assert all(r.reason for r in summary.rejected), path
        total += summary.created + summary.updated
    assert total > 50
    assert all(": " in r and not r.endswith(": ") for r in refused)
    assert len(refused) < len(VCARDS) // 4


def test_csv_import_creates_clients_contacts_and_updates_known_ones(
    db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "plain.csv"
    path.write_text(
        "name;email;phone;company;position\n"
        "Иван Петров;ivan@romashka.ru;+7 495 123-45-67;ООО Ромашка;Директор\n"
        "Анна Смирнова;anna@romashka.ru;;ООО Ромашка;\n"
        "John Smith;john@acme.example;+44 20 7946 0958;;\n"
        "Bad Phone;bad@x.example;12;;\n",
        encoding="utf-8",
    )
    summary = _import(db, path)
    # The bad number is left out, the person is imported with the address.
    assert (summary.created, summary.updated) == (4, 0)
    assert summary.rejected == ()
    [warned] = summary.warnings
    assert warned.source.endswith("line 5")
    assert warned.name == "Bad Phone"
    assert "Not a valid phone number: '12'" in warned.warnings[0]
    with db.reader() as uow:
        owner = contact_points.owner_of(uow, "email", "IVAN@romashka.ru")
        assert owner.kind == "contact"
        john = contact_points.owner_of(uow, "phone", "+442079460958")
        assert john.kind == "client"
    before = row_counts(db)
    again = _import(db, path)
    assert (again.created, again.updated) == (0, 4)
    assert row_counts(db)["contacts"] == before["contacts"]
    assert row_counts(db)["clients"] == before["clients"]
