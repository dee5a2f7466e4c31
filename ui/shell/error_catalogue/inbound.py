"""Words for errors of inbound requests (sources, routing rules, the web
form's labels, polling, Telegram bots), of the working calendar and of team
administration (today only 'touchpoint admin', catalogued so a window that
offers it later already speaks Russian)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

# code -> (English source in the context "Errors", names of %1, %2 ... in order)
ENTRIES: dict[str, tuple[object, tuple[str, ...]]] = {
    "inbound.setup.unknown_form_field": (
        QT_TRANSLATE_NOOP("Errors", "Unknown form field %1; use %2"),
        ("key", "allowed"),
    ),
    "inbound.setup.source_kind": (
        QT_TRANSLATE_NOOP("Errors", "A source is %1, not %2"),
        ("allowed", "value"),
    ),
    "inbound.setup.needs_mail_account": (
        QT_TRANSLATE_NOOP("Errors", "A mail source needs an existing mail account"),
        (),
    ),
    "inbound.setup.folder_empty": (
        QT_TRANSLATE_NOOP("Errors", "The folder must not be empty"),
        (),
    ),
    "inbound.setup.bot_api_https": (
        QT_TRANSLATE_NOOP(
            "Errors", "The Bot API address must be https:// (or a loopback test server)"
        ),
        (),
    ),
    "inbound.setup.poll_minutes": (
        QT_TRANSLATE_NOOP("Errors", "Poll every 1 to 1440 minutes"),
        (),
    ),
    "inbound.setup.source_name_taken": (
        QT_TRANSLATE_NOOP("Errors", "A source named %1 exists already"),
        ("name",),
    ),
    "inbound.rules.assign_mode": (
        QT_TRANSLATE_NOOP("Errors", "Assign to %1, not %2"),
        ("allowed", "value"),
    ),
    "inbound.rules.action": (
        QT_TRANSLATE_NOOP("Errors", "The action is %1, not %2"),
        ("allowed", "value"),
    ),
    "inbound.rules.needs_keywords": (
        QT_TRANSLATE_NOOP(
            "Errors", "A rule needs keywords (separated by ';') or to be the default"
        ),
        (),
    ),
    "inbound.rules.needs_role": (
        QT_TRANSLATE_NOOP("Errors", "Assigning to a role needs an existing role"),
        (),
    ),
    "inbound.rules.queue_empty": (
        QT_TRANSLATE_NOOP("Errors", "A round-robin queue needs at least one user"),
        (),
    ),
    "inbound.rules.queue_too_long": (
        QT_TRANSLATE_NOOP("Errors", "A queue holds at most %1 users"),
        ("max_queue",),
    ),
    "inbound.rules.needs_user": (
        QT_TRANSLATE_NOOP("Errors", "Assigning to a user needs the user"),
        (),
    ),
    "inbound.rules.no_such_user": (
        QT_TRANSLATE_NOOP("Errors", "There is no user with id %1"),
        ("id",),
    ),
    "inbound.rules.stage_not_in_pipeline": (
        QT_TRANSLATE_NOOP("Errors", "The stage is not in the rule's pipeline"),
        (),
    ),
    "inbound.rules.needs_rejection_reason": (
        QT_TRANSLATE_NOOP("Errors", "Rejecting needs a reason from the list"),
        (),
    ),
    "inbound.no_active_user": (
        QT_TRANSLATE_NOOP("Errors", "There is no active user with id %1"),
        ("id",),
    ),
    "inbound.link_one_target": (
        QT_TRANSLATE_NOOP("Errors", "Link the request to exactly one client, lead or deal"),
        (),
    ),
    "inbound.nothing_to_undo": (
        QT_TRANSLATE_NOOP("Errors", "Request %1 has no conversion to undo"),
        ("id",),
    ),
    "inbound.undo_deal_has_interactions": (
        QT_TRANSLATE_NOOP("Errors", "Deal %1 has interactions now: archive it instead"),
        ("id",),
    ),
    "inbound.ticket_state": (
        QT_TRANSLATE_NOOP("Errors", "A ticket is %1, not %2"),
        ("allowed", "value"),
    ),
    "inbound.web_form.unknown_fields": (
        QT_TRANSLATE_NOOP(
            "Errors", "Unknown form fields: %1 (expected name, phone, email, message, subject)"
        ),
        ("fields",),
    ),
    "inbound.web_form.label_too_long": (
        QT_TRANSLATE_NOOP("Errors", "A form label is longer than %1 characters"),
        ("max_label",),
    ),
    "inbound.web_form.label_twice": (
        QT_TRANSLATE_NOOP("Errors", "The label %1 is mapped to both %2 and %3"),
        ("label", "first", "second"),
    ),
    "inbound.poll.no_source": (
        QT_TRANSLATE_NOOP("Errors", "Source %1 does not exist"),
        ("id",),
    ),
    "inbound.poll.not_a_mailbox": (
        QT_TRANSLATE_NOOP("Errors", "The source %1 is not a mailbox"),
        ("name",),
    ),
    "inbound.poll.account_gone": (
        QT_TRANSLATE_NOOP("Errors", "The mail account of the source %1 is gone"),
        ("name",),
    ),
    "inbound.poll.network": (
        QT_TRANSLATE_NOOP("Errors", "%1; the next poll resumes where this one stopped"),
        ("detail",),
    ),
    "telegram.token_empty": (
        QT_TRANSLATE_NOOP("Errors", "The Telegram bot token is empty"),
        (),
    ),
    "telegram.token_malformed": (
        QT_TRANSLATE_NOOP(
            "Errors",
            "This is not a Telegram bot token: it looks like 123456789:AAE…, "
            "as @BotFather gives it",
        ),
        (),
    ),
    "telegram.bot_unnamed": (
        QT_TRANSLATE_NOOP("Errors", "Telegram did not name the bot for this token"),
        (),
    ),
    "scenarios.calendar.unknown_country": (
        QT_TRANSLATE_NOOP("Errors", "No holiday calendar for %1: use a two-letter country code"),
        ("country",),
    ),
    "scenarios.calendar.delay": (
        QT_TRANSLATE_NOOP("Errors", "A delay is 0 to %1 working days"),
        ("max_days",),
    ),
    "scenarios.calendar.day_out_of_range": (
        QT_TRANSLATE_NOOP("Errors", "A moved day is between %1 and %2"),
        ("min_year", "max_year"),
    ),
    "scenarios.calendar.note_too_long": (
        QT_TRANSLATE_NOOP("Errors", "The note is longer than %1 characters"),
        ("max_note",),
    ),
    "scenarios.calendar.not_moved": (
        QT_TRANSLATE_NOOP("Errors", "%1 is not a moved day in the %2 calendar"),
        ("day", "country"),
    ),
    "core.team.needs_postgres": (
        QT_TRANSLATE_NOOP(
            "Errors",
            "A team database is a PostgreSQL server (the embedded SQLite file has one user)",
        ),
        (),
    ),
    "core.team.login_format": (
        QT_TRANSLATE_NOOP(
            "Errors",
            "Login %1 must be letters, digits, '.', '_', '@' or '-', starting with a letter "
            "or digit, and not a PostgreSQL name (pg_*, tp_*, postgres)",
        ),
        ("login",),
    ),
    "core.team.unknown_role": (
        QT_TRANSLATE_NOOP("Errors", "Unknown role %1: use %2"),
        ("role", "allowed"),
    ),
    "core.team.department_length": (
        QT_TRANSLATE_NOOP("Errors", "A department of 1 to %1 characters is needed"),
        ("max_department",),
    ),
    "core.team.cannot_create_groups": (
        QT_TRANSLATE_NOOP(
            "Errors",
            "The login %1 may not create the group roles %2: run this as the database "
            "owner with CREATEROLE (or as a superuser)",
        ),
        ("login", "groups"),
    ),
    "core.team.name_length": (
        QT_TRANSLATE_NOOP("Errors", "A name of 1 to %1 characters is needed"),
        ("max_name",),
    ),
    "core.team.password_length": (
        QT_TRANSLATE_NOOP("Errors", "A password of 1 to 1000 characters is needed"),
        (),
    ),
    "core.team.login_taken": (
        QT_TRANSLATE_NOOP("Errors", "A user or database login %1 exists already"),
        ("login",),
    ),
    "core.team.last_admin": (
        QT_TRANSLATE_NOOP("Errors", "%1 is the last active administrator: make another one first"),
        ("login",),
    ),
}
