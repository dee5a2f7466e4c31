# ruff: noqa: E501 - one sentence per line, as lupdate reads it
"""Words for errors from outside: mailboxes and the network, the AI
server, Telegram."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

# code -> (English source in the context "Errors", names of %1, %2 ... in order)
ENTRIES: dict[str, tuple[object, tuple[str, ...]]] = {
    "core.server.bad_port": (
        QT_TRANSLATE_NOOP("Errors", "The port is a number from 1 to 65535"),
        (),
    ),
    "core.server.certificate": (
        QT_TRANSLATE_NOOP(
            "Errors",
            "The server's certificate could not be verified: %1; give the company's CA file",
        ),
        ("reason",),
    ),
    "core.server.database_needed": (
        QT_TRANSLATE_NOOP("Errors", "A database name is needed (no spaces, '/', '?', '#' or '@')"),
        (),
    ),
    "core.server.host_needed": (
        QT_TRANSLATE_NOOP("Errors", "A server is needed (no spaces, '/', '?', '#' or '@')"),
        (),
    ),
    "core.server.login_needed": (
        QT_TRANSLATE_NOOP("Errors", "A login is needed (no spaces, '/', '?', '#' or '@')"),
        (),
    ),
    "core.server.login_refused": (
        QT_TRANSLATE_NOOP("Errors", "The server refused the login or password: %1"),
        ("reason",),
    ),
    "core.server.not_postgres": (
        QT_TRANSLATE_NOOP(
            "Errors", "A team database is a PostgreSQL server (postgresql://login@host/db)"
        ),
        (),
    ),
    "core.server.unreachable": (
        QT_TRANSLATE_NOOP("Errors", "Cannot reach the database server: %1"),
        ("reason",),
    ),
    "ai.client.ai_server_answered_no": (
        QT_TRANSLATE_NOOP(
            "Errors", "The AI server at %1 answered with no text; regenerate or write by hand"
        ),
        ("base_url",),
    ),
    "ai.drafts.ai_drafts_are_already": (
        QT_TRANSLATE_NOOP(
            "Errors",
            "%1 AI drafts are already waiting for the server; let them finish or write this letter by hand",
        ),
        ("max_queued",),
    ),
    "ai.drafts.gone": (QT_TRANSLATE_NOOP("Errors", "This AI draft is gone"), ()),
    "ai.drafts.not_ready": (QT_TRANSLATE_NOOP("Errors", "This AI draft is not ready yet"), ()),
    "ai.drafts.there_nothing_generate_from": (
        QT_TRANSLATE_NOOP("Errors", "There is nothing to generate from: write the prompt first"),
        (),
    ),
    "ai.key_refused": (
        QT_TRANSLATE_NOOP(
            "Errors",
            "The AI server at %1 refused the API key (HTTP %2); check the key in Settings → AI",
        ),
        ("url", "status"),
    ),
    "ai.not_a_completion": (
        QT_TRANSLATE_NOOP(
            "Errors",
            "The AI server at %1 answered with something other than a chat completion; check the server address in the AI settings",
        ),
        ("url",),
    ),
    "ai.not_usable": (
        QT_TRANSLATE_NOOP("Errors", "The AI server at %1 could not be used: %2"),
        ("url", "error"),
    ),
    "ai.rate_limited": (
        QT_TRANSLATE_NOOP(
            "Errors",
            "The AI server at %1 is limiting requests (HTTP 429)%2; wait a minute and regenerate, or write by hand",
        ),
        ("url", "says"),
    ),
    "ai.request_refused": (
        QT_TRANSLATE_NOOP("Errors", "The AI server at %1 refused the request (HTTP %2)%3"),
        ("url", "status", "says"),
    ),
    "ai.server_error": (
        QT_TRANSLATE_NOOP("Errors", "The AI server at %1 reported an error: %2"),
        ("url", "error"),
    ),
    "ai.server_failed": (
        QT_TRANSLATE_NOOP(
            "Errors", "The AI server at %1 failed (HTTP %2); try again later or write by hand"
        ),
        ("url", "status"),
    ),
    "ai.settings.ai_drafting_not_set": (
        QT_TRANSLATE_NOOP(
            "Errors",
            "AI drafting is not set up: choose a server and a model in Settings → AI (e.g. http://localhost:11434/v1 for Ollama)",
        ),
        (),
    ),
    "ai.settings.api_key_contains_spaces": (
        QT_TRANSLATE_NOOP("Errors", "The API key contains spaces or line breaks"),
        (),
    ),
    "ai.settings.api_key_has_characters": (
        QT_TRANSLATE_NOOP(
            "Errors", "The API key has characters other than Latin letters, digits and signs"
        ),
        (),
    ),
    "ai.settings.api_key_longer_than": (
        QT_TRANSLATE_NOOP("Errors", "The API key is longer than %1 characters"),
        ("max_secret",),
    ),
    "ai.settings.api_key_only_sent": (
        QT_TRANSLATE_NOOP(
            "Errors", "An API key is only sent over https (or to a server on this computer)"
        ),
        (),
    ),
    "ai.settings.bad_port": (QT_TRANSLATE_NOOP("Errors", "Bad port in %1"), ("url",)),
    "ai.settings.enter_server_address_key": (
        QT_TRANSLATE_NOOP("Errors", "Enter the server address the key is for"),
        (),
    ),
    "ai.settings.instructions_are_longer_than": (
        QT_TRANSLATE_NOOP("Errors", "The instructions are longer than %1 characters"),
        ("max_instructions",),
    ),
    "ai.settings.model_name_too_long": (
        QT_TRANSLATE_NOOP("Errors", "The model name is too long or has control characters"),
        (),
    ),
    "ai.settings.name_model_use_e": (
        QT_TRANSLATE_NOOP("Errors", "Name the model to use (e.g. llama3.1 for Ollama)"),
        (),
    ),
    "ai.settings.not_server_address_e": (
        QT_TRANSLATE_NOOP(
            "Errors", "%1 is not a server address; e.g. http://localhost:11434/v1 (Ollama)"
        ),
        ("url",),
    ),
    "ai.settings.put_key_api_key": (
        QT_TRANSLATE_NOOP("Errors", "Put the key in the API key field, not in the address"),
        (),
    ),
    "ai.settings.server_address_takes_no": (
        QT_TRANSLATE_NOOP("Errors", "The server address takes no ?query or #fragment"),
        (),
    ),
    "ai.settings.template_not_ai_template": (
        QT_TRANSLATE_NOOP("Errors", "This template is not an AI template; nothing goes to the AI"),
        (),
    ),
    "ai.settings.timeout_seconds": (
        QT_TRANSLATE_NOOP("Errors", "The timeout is %1 to %2 seconds"),
        ("min_timeout", "max_timeout"),
    ),
    "ai.settings.write_prompt_first_tells": (
        QT_TRANSLATE_NOOP("Errors", "Write the prompt first: it tells the AI what letter to write"),
        (),
    ),
    "ai.timeout": (
        QT_TRANSLATE_NOOP(
            "Errors",
            "The AI server at %1 did not answer within %2 s; try again, raise the timeout in Settings → AI, or write the letter by hand",
        ),
        ("url", "seconds"),
    ),
    "ai.unknown_model": (
        QT_TRANSLATE_NOOP(
            "Errors",
            "The AI server at %1 does not know the model %2 (HTTP 404)%3; check the model name and that the address ends in /v1 in Settings → AI",
        ),
        ("url", "model", "says"),
    ),
    "ai.unreachable": (
        QT_TRANSLATE_NOOP(
            "Errors", "The AI server at %1 cannot be reached; queue the generation or write by hand"
        ),
        ("url",),
    ),
    "mail.accounts.ca_file_not_found": (
        QT_TRANSLATE_NOOP("Errors", "CA file not found: %1"),
        ("ca_file",),
    ),
    "mail.accounts.display_name_longer_than": (
        QT_TRANSLATE_NOOP("Errors", "The display name is longer than 200 characters"),
        (),
    ),
    "mail.accounts.host_not_host_name": (
        QT_TRANSLATE_NOOP("Errors", "%1 host %2 is not a host name"),
        ("what", "value"),
    ),
    "mail.accounts.keyring_problem": (
        QT_TRANSLATE_NOOP("Errors", "%1; the account was not added"),
        ("problem",),
    ),
    "mail.accounts.letter_still_wait_outbox": (
        QT_TRANSLATE_NOOP(
            "Errors", "%1 letter(s) still wait in the outbox of %2; send or cancel them first"
        ),
        ("waiting", "email"),
    ),
    "mail.accounts.most_aliases_per_mailbox": (
        QT_TRANSLATE_NOOP("Errors", "At most 50 aliases per mailbox"),
        (),
    ),
    "mail.accounts.port_out_range": (
        QT_TRANSLATE_NOOP("Errors", "%1 port %2 is out of range"),
        ("upper", "port"),
    ),
    "mail.accounts.security_must_one": (
        QT_TRANSLATE_NOOP("Errors", "%1 security must be one of %2"),
        ("kind", "security"),
    ),
    "mail.accounts.sync_interval_must_between": (
        QT_TRANSLATE_NOOP("Errors", "Sync interval must be between 1 and 1440 minutes"),
        (),
    ),
    "mail.credentials.password_longer_than_characters": (
        QT_TRANSLATE_NOOP("Errors", "The password is longer than %1 characters"),
        ("max_secret",),
    ),
    "mail.credentials.password_must_not_empty": (
        QT_TRANSLATE_NOOP("Errors", "The password must not be empty"),
        (),
    ),
    "mail.imap.ca_file_cannot_read": (
        QT_TRANSLATE_NOOP("Errors", "The CA file %1 cannot be read: %2"),
        ("ca_file", "reason"),
    ),
    "mail.imap.ca_file_holds_no": (
        QT_TRANSLATE_NOOP("Errors", "The CA file %1 holds no usable PEM certificate (%2)"),
        ("ca_file", "reason"),
    ),
    "mail.imap_sync.mail_account_does_not": (
        QT_TRANSLATE_NOOP("Errors", "Mail account %1 does not exist"),
        ("account_id",),
    ),
    "mail.outbox.letter_can_no_longer": (
        QT_TRANSLATE_NOOP("Errors", "Letter %1 is %2; it can no longer be stopped"),
        ("item_id", "state"),
    ),
    "mail.outbox.letter_needs_least_one": (
        QT_TRANSLATE_NOOP("Errors", "A letter needs at least one recipient"),
        (),
    ),
    "mail.outbox.letter_needs_subject": (
        QT_TRANSLATE_NOOP("Errors", "A letter needs a subject"),
        (),
    ),
    "mail.plaintext_not_allowed": (
        QT_TRANSLATE_NOOP(
            "Errors",
            "%1 without TLS sends the password readable; allow servers without encryption explicitly if you really mean it",
        ),
        ("kind",),
    ),
    "mail.smtp.ca_file_cannot_used": (
        QT_TRANSLATE_NOOP("Errors", "The CA file %1 cannot be used: %2"),
        ("ca_file", "exc"),
    ),
    "mail.smtp.does_not_offer_starttls": (
        QT_TRANSLATE_NOOP("Errors", "%1 does not offer STARTTLS; not sending in the clear"),
        ("host",),
    ),
    "mail.smtp.recipients_refused": (
        QT_TRANSLATE_NOOP("Errors", "Recipients refused: %1"),
        ("refused",),
    ),
    "mail.smtp.said": (QT_TRANSLATE_NOOP("Errors", "%1 said %2 %3"), ("host", "smtp_code", "text")),
    "mail.smtp.smtp_server_rejected_login": (
        QT_TRANSLATE_NOOP("Errors", "The SMTP server rejected the login of %1"),
        ("smtp_user",),
    ),
    "net.failed": (
        QT_TRANSLATE_NOOP("Errors", "Connection to %1 failed: %2"),
        ("server", "reason"),
    ),
    "net.refused": (QT_TRANSLATE_NOOP("Errors", "%1 refused the connection"), ("server",)),
    "net.timeout": (QT_TRANSLATE_NOOP("Errors", "%1 did not answer in time"), ("server",)),
    "net.unknown_host": (
        QT_TRANSLATE_NOOP("Errors", "Cannot find the server %1 (offline or a typo?)"),
        ("server",),
    ),
    "telegram.failed": (QT_TRANSLATE_NOOP("Errors", "Telegram refused the request"), ()),
    "telegram.garbled": (
        QT_TRANSLATE_NOOP("Errors", "Telegram sent an answer Touchpoint does not understand"),
        (),
    ),
    "telegram.refused": (QT_TRANSLATE_NOOP("Errors", "Telegram refused: check the bot token"), ()),
    "telegram.slow": (QT_TRANSLATE_NOOP("Errors", "Telegram took too long to answer"), ()),
    "telegram.token_missing": (
        QT_TRANSLATE_NOOP(
            "Errors", "No Telegram bot token is saved for this source; enter it again"
        ),
        (),
    ),
    "telegram.too_large": (
        QT_TRANSLATE_NOOP("Errors", "Telegram's answer is too large; nothing was read"),
        (),
    ),
    "telegram.unreachable": (QT_TRANSLATE_NOOP("Errors", "Telegram could not be reached"), ()),
}
