"""Every refusal a push can meet on the server reads in the window's
language (#20): the apply step's own refusals, the use cases' validators it
runs, the access checks, a reference the server lacks and the database's
own refusal all end with a code the catalogue words in Russian; the
conflict list shows a refusal from its code, a refusal stored before codes
were kept in the server's sentence."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from sqlalchemy.exc import IntegrityError

from services.core import access, bootstrap
from services.core.errors import NotFoundError, UserError
from services.core.storage import Database
from services.sync import apply, apply_checks, tables
from services.sync.types import Refusal
from ui.dialogs.sync_conflicts import refusal_reason
from ui.shell import error_text

SYNC = Path(__file__).resolve().parents[2] / "services" / "sync"
# A bad value for each check the apply step runs (apply_checks.VALIDATORS).
BAD = {
    "name": "   ",
    "full_name": "Иван\x07",
    "title": "",
    "region": "ZZ",
    "timezone": "Марс/Олимп",
    "owner_id": 987654,
    "amount": "двести",
    "currency": "рубли",
    "size": 25 * 1024 * 1024 + 1,
    "sha256": "../../счёт.pdf",
}


def _in_russian(code: str) -> None:
    source = str(error_text.CATALOGUE[code])
    translated = QCoreApplication.translate(error_text.CONTEXT, source)
    assert translated != source, code
    assert re.search("[а-яА-Я]", translated), code


def _why(fn: Any) -> apply.Why:
    try:
        fn()
    except (UserError, IntegrityError, tables.MissingReference) as exc:
        return apply.refusal(exc)
    raise AssertionError("no refusal")


def test_the_validators_a_push_runs_refuse_with_codes_worded_in_russian(
    russian: None, sqlite_db: Database
) -> None:
    with sqlite_db.reader() as uow:
        actor = bootstrap.actor_for(uow)
        for (kind, column), check in apply_checks.VALIDATORS.items():
            why = _why(lambda check=check, column=column: check(uow, actor, BAD[column]))
            assert why.code in error_text.CATALOGUE, (kind, column, why)
            _in_russian(why.code)
            said = error_text.message(UserError(why.reason, code=why.code, params=why.params))
            assert re.search("[а-яА-Я]", said), (kind, column, said)


def test_every_refusal_of_the_apply_step_has_a_code_worded_in_russian(russian: None) -> None:
    literal = set()
    paths = [*SYNC.glob("apply*.py"), SYNC / "push.py", SYNC / "removal.py"]
    for path in [*paths, SYNC / "db_refusal.py"]:
        text = path.read_text(encoding="utf-8")
        literal |= set(re.findall(r'"(sync\.(?:apply|push|pull)\.[a-z_]+)"', text))
    assert {"sync.apply.removed", "sync.apply.database", "sync.pull.gone"} <= literal
    assert {"sync.apply.db_unique", "sync.apply.db_permission"} <= literal
    made = [
        _why(lambda: (_ for _ in ()).throw(NotFoundError("Client", 17))),
        _why(lambda: (_ for _ in ()).throw(tables.MissingReference("deal", "client_id", "x"))),
        _why(
            lambda: (_ for _ in ()).throw(
                IntegrityError("INSERT", {}, Exception("new row violates row-level security"))
            )
        ),
        _why(lambda: (_ for _ in ()).throw(UserError("Something without a code"))),
        _why(
            lambda: (_ for _ in ()).throw(
                access.PermissionDenied(
                    "client 3 belongs to another manager",
                    code="core.access.belongs_another_manager",
                    params={"kind": "client", "record_id": "3"},
                )
            )
        ),
    ]
    codes = literal | {why.code for why in made}
    assert all(why.code for why in made)
    for code in sorted(codes):
        assert code in error_text.CATALOGUE, code
        _in_russian(code)


def test_the_conflict_list_words_a_refusal_from_its_code(russian: None) -> None:
    coded = Refusal(
        "op",
        "client",
        "uid",
        "ООО «Ромашка»",
        "name may not be empty",
        "sync.apply.required",
        {"field": "name"},
    )
    region = Refusal(
        "op2",
        "client",
        "uid",
        "ООО «Ромашка»",
        "Unknown region 'ZZ': use a two-letter country code",
        "parties.records.unknown_region_use_two",
        {"region": "'ZZ'"},
    )
    before_codes = Refusal("op3", "client", "uid", "ООО «Ромашка»", "Old English reason")
    said = refusal_reason(coded)
    assert re.search("[а-яА-Я]", said)
    assert "may not be empty" not in said
    assert "«ZZ»" in refusal_reason(region)  # the service's repr in the window's quotes
    assert re.search("[а-яА-Я]", refusal_reason(region))
    assert refusal_reason(before_codes) == "Old English reason"


def test_every_kind_a_push_logs_has_its_own_label_in_russian(russian: None) -> None:
    """The conflict list names the kind of a refused change: a contact
    person put on or taken off an interaction offline (r_gaps) and a share
    read as words, never the registry's name with its underscore."""
    from ui.dialogs.sync_conflicts import kind_label

    for kind in ("interaction_contact", "party_share", "custom_value", "contact_point"):
        label = kind_label(kind)
        assert "_" not in label, kind
        assert label != kind.replace("_", " "), kind
        assert re.search("[а-яА-Я]", label), kind
