"""A refusal names the colleague and the action in words (#20): "the role
does not allow creating and changing clients …", "Борис Петров is no longer
an active colleague …", never a permission's code or a user's id, from the
CLI, in a Russian window and in a laptop's list of refused changes. Real
PostgreSQL under the colleagues' own logins, Cyrillic names."""

from __future__ import annotations

import re
from typing import Any

import pytest

from desktop.cli import main
from services.core import users
from services.core.errors import UserError
from services.core.storage import open_database
from services.parties import use_cases as parties
from services.sync import refused
from services.sync.use_cases import sync
from tests.integration.replica_rig import Rig
from ui.dialogs.sync_conflicts import kind_label, refusal_reason
from ui.shell import error_text

pytestmark = pytest.mark.postgres

CODES = re.compile(r"clients\.edit|'|permission|\bid\b")


def _cli(capsys: pytest.CaptureFixture[str], rig: Rig, who: str, argv: list[str]) -> str:
    capsys.readouterr()
    code = main(["--db", rig.tdb.url_of(who), *argv])
    _out, err = capsys.readouterr()
    assert code == 2, err
    return err


def _refusal(fn: Any) -> UserError:
    with pytest.raises(UserError) as caught:
        fn()
    return caught.value


def test_a_role_without_the_permission_is_told_the_action_in_words(
    rig: Rig, russian: None, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _cli(capsys, rig, "reader", ["clients", "add", "ООО «Василёк»"])
    assert "Роза Читаева may not do this" in err, err
    assert "creating and changing clients, leads and contact persons" in err, err
    assert not CODES.search(err), err
    assert rig.tdb.logins["reader"] not in err, err

    reader = open_database(rig.tdb.url_of("reader"), upgrade=False)
    try:
        said = _refusal(
            lambda: parties.add_client(reader, rig.tdb.actor("reader"), "ООО «Василёк»")
        )
    finally:
        reader.dispose()
    assert error_text.message(said) == (
        "Роза Читаева не может это сделать: роль не позволяет "
        "создавать и изменять клиентов, лиды и контактных лиц"
    )


def test_an_owner_who_left_is_named_not_numbered(
    rig: Rig, russian: None, capsys: pytest.CaptureFixture[str]
) -> None:
    boris = rig.actor("boris").id
    users.set_active(rig.server["admin"], rig.actor("admin"), rig.tdb.logins["boris"], False)
    err = _cli(capsys, rig, "admin", ["clients", "add", "ООО «Лютик»", "--owner", str(boris)])
    assert "Борис Петров is no longer an active colleague and cannot be the owner" in err, err
    assert str(boris) not in err, err

    said = _refusal(
        lambda: parties.add_client(
            rig.server["admin"], rig.actor("admin"), "ООО «Лютик»", owner_id=boris
        )
    )
    assert error_text.message(said) == (
        "Борис Петров больше не работает в команде и не может быть ответственным"
    )
    nobody = _cli(capsys, rig, "admin", ["clients", "add", "ООО «Лютик»", "--owner", "987654"])
    assert "No colleague has the id 987654" in nobody, nobody


def test_a_laptops_refused_change_names_the_colleague_who_left(rig: Rig, russian: None) -> None:
    """Gleb (head of the department) gives a client made offline to Anna;
    meanwhile she left and the administrator deactivated her on the server:
    the push is refused and the laptop's list says who, in Russian."""
    laptop = rig.laptop["head"]
    sync(laptop, rig.server["head"])
    local_anna = _local_user(rig, "head", rig.tdb.logins["anna"])
    parties.add_client(laptop, rig.local_actor("head"), "ООО «Пион»", owner_id=local_anna)
    users.set_active(rig.server["admin"], rig.actor("admin"), rig.tdb.logins["anna"], False)

    report = sync(laptop, rig.server["head"])

    [said] = report.refused
    assert said.code == "parties.records.no_active_user_id", said
    assert "Анна Смирнова" in said.reason, said.reason
    [listed] = refused.refusals(laptop)
    shown = refusal_reason(listed)
    assert shown == "Анна Смирнова больше не работает в команде и не может быть ответственным"
    assert kind_label("deputy") == "Заместитель"  # a refused deputy period's line


def _local_user(rig: Rig, who: str, login: str) -> int:
    from sqlalchemy import select

    from models import User

    with rig.laptop[who].reader() as uow:
        found = uow.session.scalar(select(User.id).where(User.login == login))
    assert found is not None
    return found
