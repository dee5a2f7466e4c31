"""Demo activity of clients and leads: deals, interactions, notes and tasks.

One feed per party: done and cancelled interactions in the past, planned
ones in the next three weeks at working hours in the party's zone, with
texts in its language that name its contacts, deals and sums.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from decimal import Decimal

from models import Deal, Interaction, Note, Task, folding
from services.core import timezones
from services.demo import names
from services.demo.people import Party
from services.demo.rows import BATCH, DemoRun, chunks, synced
from services.interactions.interaction_input import search_text

_SYMBOLS = {"RUB": "₽", "KZT": "₸", "GBP": "£", "USD": "$", "EUR": "€"}
# Interaction types of the history and their weights.
_HISTORY_TYPES = (("call", 44), ("email", 30), ("meeting", 14), ("sms", 8), ("messenger", 4))
_PLANNED_TYPES = (("call", 55), ("meeting", 30), ("email", 15))
_TEXTS: dict[str, dict[str, Sequence[str]]] = {
    "ru": {
        "planned": names.RU_PLANNED_SUBJECTS,
        "call_subject": names.RU_CALL_SUBJECTS,
        "call_body": names.RU_CALL_BODIES,
        "meeting_subject": names.RU_MEETING_SUBJECTS,
        "meeting_body": names.RU_MEETING_BODIES,
        "email_subject": names.RU_EMAIL_SUBJECTS,
        "email_body": names.RU_EMAIL_BODIES,
        "sms": names.RU_SMS_BODIES,
    },
    "en": {
        "planned": names.EN_PLANNED_SUBJECTS,
        "call_subject": names.EN_CALL_SUBJECTS,
        "call_body": names.EN_CALL_BODIES,
        "meeting_subject": names.EN_MEETING_SUBJECTS,
        "meeting_body": names.EN_MEETING_BODIES,
        "email_subject": names.EN_EMAIL_SUBJECTS,
        "email_body": names.EN_EMAIL_BODIES,
        "sms": names.EN_SMS_BODIES,
    },
}

_Deal = tuple[int, str, str]  # id, title, sum as written in a text


def _weighted(rng: random.Random, pairs: Sequence[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def money_text(amount: Decimal, currency: str, lang: str) -> str:
    if lang == "ru":
        return f"{amount:,.0f}".replace(",", "\u00a0") + f"\u00a0{_SYMBOLS[currency]}"
    return f"{_SYMBOLS[currency]}{amount:,.0f}"


class Activity:
    """Makes the activity rows of one ``generate`` call."""

    def __init__(
        self, run: DemoRun, pipeline_id: int, stages: list[tuple[int, str | None]]
    ) -> None:
        self.run = run
        self.rng = run.rng
        self.rows = run.rows
        self.pipeline_id = pipeline_id
        self.stages = stages  # (id, outcome) in pipeline order

    # --- whole feeds ----------------------------------------------------------------

    def for_clients(self, parties: list[Party], per_client: int | None) -> None:
        """Deals, a year of history, a few planned interactions, notes and tasks;
        ``per_client`` past interactions each (default 4 to 14)."""
        rng = self.rng
        self.make_deals([(p, rng.choices((0, 1, 2), (35, 45, 20))[0]) for p in parties])
        for party in parties:
            n = per_client if per_client is not None else rng.randint(4, 14)
            self.make_history(party, n, span_days=365)
            self.make_planned(party, rng.randint(0, 3))
            self.make_notes(party, rng.choices((0, 1, 2, 3), (40, 30, 20, 10))[0])
            self.make_tasks(party, rng.choices((0, 1, 2), (40, 40, 20))[0])

    def for_big_client(self, party: Party, count: int) -> None:
        """A key account: five deals, ``count`` interactions over several years, a
        few of them planned, and nothing else in its feed."""
        self.make_deals([(party, 5)])
        planned = min(20, count // 100)
        span = max(365, count // 40)
        party.created = self.run.now - dt.timedelta(days=span + 30)
        done = 0
        for n in chunks(count - planned, BATCH):
            self.make_history(party, n, span_days=span)
            done += n
            self.run.report("big client", done, count)
        self.make_planned(party, planned)

    def for_leads(self, parties: list[Party]) -> None:
        rng = self.rng
        self.make_deals([(p, 1 if rng.random() < 0.3 else 0) for p in parties])
        for party in parties:
            self.make_history(party, rng.randint(1, 4), span_days=90)
            self.make_planned(party, rng.choice((0, 1, 1)))
            self.make_notes(party, rng.choices((0, 1), (70, 30))[0])

    # --- deals ----------------------------------------------------------------------

    def money(self, currency: str) -> Decimal:
        rng = self.rng
        if currency == "RUB":
            value = rng.randint(5, 500) * 10_000
        elif currency == "KZT":
            value = rng.randint(5, 500) * 50_000
        else:
            value = rng.randint(10, 1_000) * 100
        return Decimal(value)

    def make_deals(self, wanted: Sequence[tuple[Party, int]]) -> None:
        """``count`` deals for each (party, count), in one insert."""
        rng = self.rng
        rows = []
        shown = []
        for party, count in wanted:
            titles = names.RU_DEAL_TITLES if party.lang == "ru" else names.EN_DEAL_TITLES
            weights = (30, 25, 15, 20, 10) if party.kind == "client" else (70, 20, 10, 0, 0)
            for _ in range(count):
                stage_id, outcome = rng.choices(self.stages, weights[: len(self.stages)])[0]
                amount = self.money(party.currency)
                title = rng.choice(titles)
                created = party.created + dt.timedelta(days=rng.randint(0, 5))
                rows.append(
                    {
                        "title": title,
                        "pipeline_id": self.pipeline_id,
                        "stage_id": stage_id,
                        "owner_id": party.owner_id,
                        "amount": amount,
                        "currency": party.currency,
                        "active": outcome is None,
                    }
                    | party.columns()
                    | synced(created, self.run.past(0, 60) if outcome else created)
                )
                shown.append((party, title, money_text(amount, party.currency, party.lang)))
        ids = self.rows.insert_ids(Deal, rows)
        for deal_id, (party, title, money) in zip(ids, shown, strict=True):
            party.deals.append((deal_id, title, money))

    def some_deal(self, party: Party, chance: float) -> _Deal | None:
        """One of the party's deals with probability ``chance``, if it has any."""
        if party.deals and self.rng.random() < chance:
            return self.rng.choice(party.deals)
        return None

    def some_contact(self, party: Party) -> tuple[int | None, str]:
        """(id, how to greet) of one of the party's contacts; (None, "") if none."""
        return self.rng.choice(party.contacts) if party.contacts else (None, "")

    # --- interactions ---------------------------------------------------------------

    def wall_time(self, party: Party, first: int, last: int, *, planned: bool) -> dt.datetime:
        """A working-hours wall time on a weekday ``first`` to ``last`` days from
        today in the party's zone (negative: in the past)."""
        rng = self.rng
        today = self.run.today(party.zone)
        for _ in range(10):
            day = today + dt.timedelta(days=rng.randint(first, last))
            if day.weekday() < 5:
                break
        if planned:
            hour, minute = rng.randint(9, 17), rng.choice((0, 15, 30, 45))
        else:
            hour, minute = rng.randint(9, 18), rng.randint(0, 59)
        return dt.datetime(day.year, day.month, day.day, hour, minute)

    def text(
        self,
        party: Party,
        templates: Sequence[str],
        contact: str,
        deal: _Deal | None,
        when: dt.datetime,
    ) -> str:
        template = self.rng.choice(templates)
        if "{" not in template:
            return template
        later = when + dt.timedelta(days=self.rng.randint(2, 10))
        if party.lang == "ru":
            day = f"{later:%d.%m}"
            fallback_deal = "сотрудничество"
        else:
            day = f"{later.day} {names.MONTHS_EN[later.month - 1]}"
            fallback_deal = "our offer"
        return template.format(
            contact=contact,
            company=party.name,
            deal=deal[1] if deal else fallback_deal,
            amount=deal[2]
            if deal
            else money_text(self.money(party.currency), party.currency, party.lang),
            day=day,
        )

    def interaction(self, party: Party, *, state: str, type_code: str, local: dt.datetime) -> None:
        rng = self.rng
        now = self.run.now
        start_utc = timezones.wall_to_utc(local, party.zone)
        contact_id, contact = self.some_contact(party)
        deal = self.some_deal(party, 0.5)
        texts = _TEXTS[party.lang]

        def say(kind: str) -> str:
            return self.text(party, texts[kind], contact, deal, local)

        direction = "none"
        duration: int | None = None
        subject: str | None = None
        body: str | None = None
        if state == "planned":
            subject = say("planned")
            duration = 30 if type_code == "meeting" else None
            direction = "out" if type_code != "meeting" else "none"
        elif type_code == "call":
            direction = "in" if rng.random() < 0.35 else "out"
            duration = rng.randint(1, 25)
            subject = say("call_subject")
            body = say("call_body") if rng.random() < 0.8 else None
        elif type_code == "meeting":
            duration = rng.choice((30, 45, 60, 90, 120))
            subject, body = say("meeting_subject"), say("meeting_body")
        elif type_code == "email":
            direction = "in" if rng.random() < 0.45 else "out"
            subject, body = say("email_subject"), say("email_body")
        else:  # sms, messenger
            direction = "out" if rng.random() < 0.7 else "in"
            body = say("sms")
        ends = start_utc + dt.timedelta(minutes=duration or 0)
        done_at: dt.datetime | None = None
        cancelled_at: dt.datetime | None = None
        if state == "planned":
            created = min(now, start_utc) - dt.timedelta(hours=rng.randint(1, 240))
            updated = created
        elif state == "cancelled":
            cancelled_at = start_utc - dt.timedelta(minutes=rng.randint(30, 4_000))
            created = cancelled_at - dt.timedelta(hours=rng.randint(1, 200))
            updated = cancelled_at
        else:
            done_at = ends
            created = (
                start_utc - dt.timedelta(days=rng.randint(1, 10))
                if type_code == "meeting"
                else ends
            )
            updated = done_at
        columns = synced(created, updated)
        email_key = type_code == "email" and state == "done"
        self.rows.add(
            Interaction,
            {
                "type": type_code,
                "direction": direction,
                "state": state,
                "start_local": local,
                "start_tz": party.zone,
                "start_utc": start_utc,
                "duration_min": duration,
                "owner_id": party.owner_id if rng.random() < 0.9 else self.run.owner(),
                "deal_id": deal[0] if deal else None,
                "subject": subject,
                "body": body,
                "search_text": search_text(subject, body),
                "source_kind": "email" if email_key else None,
                "source_key": f"<{columns['uid']}@touchpoint.example>" if email_key else None,
                "done_at": done_at,
                "cancelled_at": cancelled_at,
                "created_by_id": party.owner_id,
            }
            | party.columns()
            | columns,
        )
        if contact_id is not None and type_code in ("call", "meeting", "email"):
            self.rows.link(columns["uid"], contact_id)

    def make_history(self, party: Party, count: int, span_days: int) -> None:
        rng = self.rng
        oldest = max(1, min(span_days, (self.run.now - party.created).days))
        for _ in range(count):
            type_code = _weighted(rng, _HISTORY_TYPES)
            state = (
                "cancelled" if type_code in ("call", "meeting") and rng.random() < 0.1 else "done"
            )
            local = self.wall_time(party, -oldest, -1, planned=False)
            self.interaction(party, state=state, type_code=type_code, local=local)

    def make_planned(self, party: Party, count: int) -> None:
        for _ in range(count):
            type_code = _weighted(self.rng, _PLANNED_TYPES)
            local = self.wall_time(party, 1, 21, planned=True)
            self.interaction(party, state="planned", type_code=type_code, local=local)

    # --- notes and tasks ------------------------------------------------------------

    def make_notes(self, party: Party, count: int) -> None:
        rng = self.rng
        for _ in range(count):
            contact_id, contact = self.some_contact(party)
            template = rng.choice(names.RU_NOTES if party.lang == "ru" else names.EN_NOTES)
            body = template.format(contact=contact)
            created = self.run.past(1, 364)
            deal = self.some_deal(party, 0.3)
            self.rows.add(
                Note,
                {
                    "author_id": party.owner_id,
                    "body": body,
                    "search_text": folding.fold(body),
                    "deal_id": deal[0] if deal else None,
                    "contact_id": contact_id if rng.random() < 0.3 else None,
                }
                | party.columns()
                | synced(created),
            )

    def make_tasks(self, party: Party, count: int) -> None:
        rng = self.rng
        now = self.run.now
        for _ in range(count):
            title = rng.choice(names.RU_TASKS if party.lang == "ru" else names.EN_TASKS)
            created = self.run.past(1, 120)
            done = rng.random() < 0.5
            deadline: dt.datetime | None
            done_at: dt.datetime | None = None
            if done:
                deadline = created + dt.timedelta(days=rng.randint(1, 14))
                finished = deadline + dt.timedelta(hours=rng.randint(-48, 24))
                done_at = max(created, min(now - dt.timedelta(minutes=5), finished))
            else:
                roll = rng.random()
                if roll < 0.15:
                    deadline = None
                elif roll < 0.35:  # overdue
                    deadline = now - dt.timedelta(days=rng.randint(1, 10))
                else:
                    deadline = now + dt.timedelta(days=rng.randint(1, 30))
                if deadline is not None:
                    deadline = deadline.replace(minute=0, second=0, microsecond=0)
            deal = self.some_deal(party, 0.4)
            self.rows.add(
                Task,
                {
                    "title": title,
                    "deadline": deadline,
                    "assignee_id": party.owner_id,
                    "author_id": party.owner_id if rng.random() < 0.8 else self.run.admin_id,
                    "done": done,
                    "done_at": done_at,
                    "deal_id": deal[0] if deal else None,
                    "contact_id": None,
                }
                | party.columns()
                | synced(created, done_at or created),
            )
