"""Pure rules of scenarios: working days, wall times across DST, and which
inbound letters count as the contact's reply."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage

from services.mail import auto_reply
from services.scenarios import calendar, planning


def _lookup(**fields: str):  # type: ignore[no-untyped-def]
    low = {k.replace("_", "-").lower(): v for k, v in fields.items()}
    return low.get


def test_working_days_skip_weekends_and_zero_moves_off_a_weekend() -> None:
    friday = dt.date(2026, 11, 27)
    assert calendar.add_working_days(friday, 0, "RU") == friday
    assert calendar.add_working_days(friday, 1, "RU") == dt.date(2026, 11, 30)
    assert calendar.add_working_days(dt.date(2026, 11, 28), 0, "RU") == dt.date(2026, 11, 30)
    assert calendar.add_working_days(dt.date(2026, 11, 28), 1, "RU") == dt.date(2026, 11, 30)
    assert calendar.add_working_days(friday, 5, "RU") == dt.date(2026, 12, 4)


def test_a_step_time_is_a_wall_time_in_the_clients_zone_across_dst() -> None:
    # Berlin: clocks go forward on 29 March 2026 (02:00 → 03:00), back on 25 October.
    before = planning.wall_instant(dt.date(2026, 3, 27), 10 * 60, "Europe/Berlin")
    after = planning.wall_instant(dt.date(2026, 3, 30), 10 * 60, "Europe/Berlin")
    assert before[1] == dt.datetime(2026, 3, 27, 9, 0, tzinfo=dt.UTC)
    assert after[1] == dt.datetime(2026, 3, 30, 8, 0, tzinfo=dt.UTC)
    gap = planning.wall_instant(dt.date(2026, 3, 29), 2 * 60 + 30, "Europe/Berlin")
    assert gap[0] == dt.datetime(2026, 3, 29, 3, 30)  # the skipped hour: just past it
    fold = planning.wall_instant(dt.date(2026, 10, 25), 2 * 60 + 30, "Europe/Berlin")
    assert fold[1] == dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)  # the first 02:30
    chain = planning.plan(
        dt.date(2026, 3, 27), [(0, 600), (1, 600)], "Europe/Berlin", calendar.working_calendar("RU")
    )
    assert [utc for _local, utc in chain] == [before[1], after[1]]


def test_out_of_office_and_robots_are_not_a_reply() -> None:
    assert auto_reply.classify(_lookup()).kind == auto_reply.HUMAN
    assert auto_reply.classify(_lookup(auto_submitted="no")).kind == auto_reply.HUMAN
    for fields in (
        {"auto_submitted": "auto-replied; owner-email=ivanov@romashka.ru"},
        {"x_autoreply": "yes"},
        {"x_autorespond": "Отпуск до 10 декабря"},
        {"precedence": "bulk"},
        {"precedence": "Junk"},
        {"precedence": "auto_reply"},
    ):
        assert auto_reply.classify(_lookup(**fields)).kind == auto_reply.AUTO, fields
    assert auto_reply.classify(_lookup(x_autoreply="no")).kind == auto_reply.HUMAN
    assert auto_reply.classify(_lookup(precedence="list")).kind == auto_reply.HUMAN


def test_a_delivery_report_is_a_bounce_with_its_reason() -> None:
    report = 'multipart/report; report-type="delivery-status"; boundary="b"'
    verdict = auto_reply.classify(_lookup(content_type=report, auto_submitted="auto-replied"))
    assert verdict.kind == auto_reply.BOUNCE
    assert not auto_reply.is_delivery_report(
        "multipart/report; report-type=disposition-notification"
    )
    dsn = EmailMessage()
    dsn["From"] = "MAILER-DAEMON@mx.example"
    dsn["Subject"] = "Undelivered Mail Returned to Sender"
    dsn.set_content("Письмо не доставлено.")
    dsn.make_mixed()
    raw = dsn.as_bytes().decode()
    raw = raw.replace("multipart/mixed", "multipart/report; report-type=delivery-status", 1)
    boundary = dsn.get_boundary()
    status = (
        f"--{boundary}\nContent-Type: message/delivery-status\n\n"
        "Reporting-MTA: dns; mx.example\n\n"
        "Final-Recipient: rfc822; ivanov@romashka.ru\nAction: failed\nStatus: 5.1.1\n"
        "Diagnostic-Code: smtp; 550 5.1.1 No such user\n\n"
        f"--{boundary}\nContent-Type: text/rfc822-headers\n\n"
        "Message-ID: <abc.1@touchpoint.example>\nSubject: Знакомство\n\n"
        f"--{boundary}--\n"
    )
    raw = raw.replace(f"--{boundary}--", status.rstrip("\n"))
    bounce = auto_reply.read_bounce(raw.encode())
    assert bounce is not None
    assert bounce.original_ids == ("abc.1@touchpoint.example",)
    assert bounce.recipients == ("ivanov@romashka.ru",)
    assert bounce.reason == "5.1.1 550 5.1.1 No such user"
    assert auto_reply.read_bounce(b"Subject: hi\n\nplain") is None
    assert auto_reply.message_ids(["<a@b> <c@d>", None, "<a@b>"]) == ("a@b", "c@d")
