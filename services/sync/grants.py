"""What lets the replica's login see a colleague's card: shares given to
them and the deputy periods they stand in for, as the server holds them.

Row-level security already decided which cards came down; the laptop's own
access check (``services/core/access.py``) reads ``party_shares`` and
``deputies`` like the server's policies do, so without them a shared card
or an absent colleague's client sat in the file while the lists left it out
and every edit said "belongs to another manager". Both tables are small,
have no uid and no change feed, and a withdrawn share or an ended period
changes no row anyone numbers: each sync replaces the replica's copy whole
(two short reads under the login's own role). Rows naming a card or a
colleague the replica does not hold are left out. The shares are all those
the login sees (given to them, and those of the cards they see, which the
card's Share dialog lists). A share made or withdrawn on the laptop is
pushed before this runs (services/sync/share_kind.py): one the server
refused is replaced here by the server's; one still waiting to be pushed
(made while the sync ran) stays as the laptop has it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import aliased

from models import Client, Deputy, Lead, PartyShare, User
from services.core.storage import Database
from services.sync import share_kind


def _server_rows(server: Database, login: str) -> tuple[list[Any], list[Any]]:
    deputy, absent = aliased(User), aliased(User)
    with server.reader() as uow:
        s = uow.session
        me = select(User.id).where(User.login == login).scalar_subquery()
        shares = s.execute(
            select(User.uid, Client.uid, Lead.uid)
            .select_from(PartyShare)
            .join(User, User.id == PartyShare.user_id)
            .outerjoin(Client, Client.id == PartyShare.client_id)
            .outerjoin(Lead, Lead.id == PartyShare.lead_id)
        ).all()  # row-level security: the login's own and those of cards it sees
        periods = s.execute(
            select(absent.uid, deputy.uid, Deputy.until)
            .join(absent, absent.id == Deputy.absent_id)
            .join(deputy, deputy.id == Deputy.deputy_id)
            .where(Deputy.deputy_id == me)
        ).all()
    return list(shares), list(periods)


def mirror(replica: Database, server: Database, login: str) -> None:
    """Replace the replica's shares and deputy periods of ``login`` with the
    server's."""
    from services.sync.pull import APPLYING

    shares, periods = _server_rows(server, login)
    with replica.uow() as uow:
        s = uow.session
        s.info[APPLYING] = True
        users = dict(s.execute(select(User.uid, User.id)).all())
        clients = dict(s.execute(select(Client.uid, Client.id)).all())
        leads = dict(s.execute(select(Lead.uid, Lead.id)).all())
        me = s.scalar(select(User.id).where(User.login == login))
        kept: dict[share_kind.ShareKey, bool] = {
            ("client" if client_uid else "lead", client_uid or lead_uid, user_uid): True
            for user_uid, client_uid, lead_uid in shares
        }
        kept.update(share_kind.waiting(s))  # not pushed yet: as the laptop has them
        s.execute(delete(PartyShare))
        s.execute(delete(Deputy).where(Deputy.deputy_id == me))
        cards = {"client": clients, "lead": leads}
        for (card, card_uid, user_uid), on in kept.items():
            card_id = cards[card].get(card_uid)
            if on and users.get(user_uid) is not None and card_id is not None:
                s.add(PartyShare(user_id=users[user_uid], **{f"{card}_id": card_id}))
        for absent_uid, deputy_uid, until in periods:
            if users.get(absent_uid) is not None and users.get(deputy_uid) is not None:
                s.add(Deputy(absent_id=users[absent_uid], deputy_id=users[deputy_uid], until=until))
        uow.commit()
