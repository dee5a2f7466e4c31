"""What a sales manager sees on a 1366x768 laptop, checked on the widgets
the screenshots (scripts/screenshots.py) showed cut: the deals board beside
the section bar, in English and Russian."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from services.core import bootstrap
from services.core.storage import Database
from services.parties import deals
from services.parties import records as parties
from tests.ui.helpers import LAPTOP, beside_the_sections, make_ctx
from ui.deals.board_panel import BoardPanel


def test_every_stage_of_the_board_fits_a_laptop(
    qtbot: QtBot, sqlite_db: Database, language: str
) -> None:
    """The fifth column (Lost) was cut at the right edge: dragging a deal
    there meant scrolling while dragging."""
    with sqlite_db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        client = parties.add_client(uow, actor, "ООО «Северо-Западная логистика»")
        deals.add_deal(
            uow, actor, "Поставка складского оборудования", client_id=client.id, amount="19850000"
        )
        uow.commit()
    ctx = make_ctx(sqlite_db)
    board = BoardPanel(ctx)
    window = beside_the_sections(qtbot, board)
    board.refresh()
    assert not ctx.errors, ctx.errors  # type: ignore[attr-defined]
    assert len(board.columns) == 5
    qtbot.waitUntil(lambda: board.columns[-1].isVisible())
    viewport = board.board_area.viewport()
    assert board.board_area.horizontalScrollBar().maximum() == 0
    for column in board.columns:
        right = column.mapTo(viewport, column.rect().topRight()).x()
        assert right <= viewport.width(), column.title.text()
    assert window.width() == LAPTOP[0]


def test_the_composer_shows_the_whole_contact_and_deal(
    qtbot: QtBot, sqlite_db: Database, language: str
) -> None:
    """The composer's contact person and deal pickers cut a name mid-word
    ("Герасимов Степан Дмит", "Поставка оборудов") on the 1366x768 screenshot."""
    from services.parties import deals as deal_store
    from ui.dialogs.compose_dialog import ComposeDialog

    with sqlite_db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        client = parties.add_client(uow, actor, "АО «Гиперион Ритейл»")
        contact = parties.add_contact(
            uow, actor, "Герасимов Степан Дмитриевич", client_id=client.id
        )
        deal = deals.add_deal(
            uow, actor, "Поставка оборудования для склада", client_id=client.id
        ).id
        uow.commit()
    ctx = make_ctx(sqlite_db)
    with sqlite_db.reader() as uow:
        contacts = list(parties.get_client(uow, ctx.actor, client.id).contacts)  # type: ignore[union-attr]
        deal_view = deal_store.get(uow, ctx.actor, deal)
    dialog = ComposeDialog(
        ctx,
        [],
        to="buh@giperion.example",
        client_id=client.id,
        contacts=contacts,
        deals=[deal_view],
        contact_ids=(contact.id,),
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.width() <= LAPTOP[0]
    panel = dialog.templates
    for combo, text in (
        (panel.contact, "Герасимов Степан Дмитриевич"),
        (panel.deal, "Поставка оборудования для склада"),
    ):
        assert combo.currentText() == text
        room = combo.width() - 32  # the arrow and the frame
        assert combo.fontMetrics().horizontalAdvance(text) <= room, text
