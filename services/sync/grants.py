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
card's Share dialog lists); the periods are those the login stands in for
and those it is absent for. A share made or withdrawn, or a period set, on
the laptop is pushed before this runs (services/sync/share_kind.py,
deputy_kind.py): one the server refused is replaced here by the server's;
one still waiting to be pushed (made while the sync ran) stays as the
laptop has it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import aliased

from models import Client, Deputy, Lead, PartyShare, User
from services.core.storage import Database
from services.sync import deputy_kind, share_kind


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
            .where(or_(Deputy.deputy_id == me, Deputy.absent_id == me))
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
        cards = {"client": clients, "lead": leads}
        for (card, card_uid, user_uid), on in kept.items():
            card_id = cards[card].get(card_uid)
            if on and users.get(user_uid) is not None and card_id is not None:
                s.add(PartyShare(user_id=users[user_uid], **{f"{card}_id": card_id}))
        # The periods the login stands in for and those it is absent for; one
        # set here and not pushed yet stays as the laptop has it.
        waiting = {
            (users[a], users[d]) for a, d in deputy_kind.waiting(s) if a in users and d in users
        }
        mine = select(Deputy).where(or_(Deputy.deputy_id == me, Deputy.absent_id == me))
        for row in list(s.scalars(mine)):
            if (row.absent_id, row.deputy_id) not in waiting:
                s.delete(row)
        s.flush()
        for absent_uid, deputy_uid, until in periods:
            pair = (users.get(absent_uid), users.get(deputy_uid))
            if pair[0] is not None and pair[1] is not None and pair not in waiting:
                s.add(Deputy(absent_id=pair[0], deputy_id=pair[1], until=until))
        uow.commit()
