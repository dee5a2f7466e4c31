# ruff: noqa: E501 - one sentence per line, as lupdate reads it
"""Words for errors of everyday work: interactions, notes, the feed,
linking, contact import and templates."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

# code -> (English source in the context "Errors", names of %1, %2 ... in order)
ENTRIES: dict[str, tuple[object, tuple[str, ...]]] = {
    "demo.generate.client_interaction_counts_cannot": (
        QT_TRANSLATE_NOOP("Errors", "Client and interaction counts cannot be negative"),
        (),
    ),
    "demo.generate.database_already_has_clients": (
        QT_TRANSLATE_NOOP(
            "Errors",
            "The database already has clients; demo data goes into an empty database only (create a new one, or allow adding to this one explicitly)",
        ),
        (),
    ),
    "demo.generate.demo_data_most_clients": (
        QT_TRANSLATE_NOOP("Errors", "Demo data is at most %1 clients or interactions"),
        ("max_count",),
    ),
    "demo.generate.interactions_per_client_cannot": (
        QT_TRANSLATE_NOOP("Errors", "Interactions per client cannot be negative"),
        (),
    ),
    "demo.generate.pipeline_has_no_stages": (
        QT_TRANSLATE_NOOP("Errors", "The pipeline %1 has no stages"),
        ("pipeline",),
    ),
    "demo.generate.pipeline_missing_demo_puts": (
        QT_TRANSLATE_NOOP("Errors", "The pipeline %1 is missing; the demo puts deals in it"),
        ("pipeline",),
    ),
    "demo.generate.role_missing_demo_assigns": (
        QT_TRANSLATE_NOOP("Errors", "The role %1 is missing; the demo assigns it to managers"),
        ("manager_role",),
    ),
    "exchange.contact_csv.empty": (
        QT_TRANSLATE_NOOP("Errors", "%1 is empty: %2"),
        ("source", "expected"),
    ),
    "exchange.contact_csv.error": (
        QT_TRANSLATE_NOOP("Errors", "%1: %2 (%3%4); %5"),
        ("source", "what", "found", "more", "expected"),
    ),
    "exchange.contact_csv.line_not_valid_csv": (
        QT_TRANSLATE_NOOP("Errors", "%1: line %2 is not valid CSV (%3)"),
        ("source", "line_num", "exc"),
    ),
    "exchange.contact_csv.map_has_no_column": (
        QT_TRANSLATE_NOOP("Errors", "--map %1=%2: %3 has no column %4"),
        ("field_name", "column", "source", "wanted"),
    ),
    "exchange.contact_csv.map_must_name_column": (
        QT_TRANSLATE_NOOP(
            "Errors", "--map must name a column for name, given, family, org or email (%1)"
        ),
        ("source",),
    ),
    "exchange.contact_csv.map_unknown_field_use": (
        QT_TRANSLATE_NOOP("Errors", "--map: unknown field %1; use one of %2"),
        ("field_name", "fields"),
    ),
    "exchange.contact_files.cannot_read": (
        QT_TRANSLATE_NOOP("Errors", "Cannot read %1: %2"),
        ("name", "exc"),
    ),
    "exchange.contact_files.contains_no_contacts": (
        QT_TRANSLATE_NOOP("Errors", "%1 contains no contacts"),
        ("name",),
    ),
    "exchange.contact_files.empty": (QT_TRANSLATE_NOOP("Errors", "%1 is empty"), ("name",)),
    "exchange.contact_files.looks_like_json_xml": (
        QT_TRANSLATE_NOOP(
            "Errors",
            "%1 looks like JSON or XML (jCard/xCard?); only vCard (.vcf) and CSV contact files can be imported",
        ),
        ("name",),
    ),
    "exchange.contact_files.neither_utf_nor_windows": (
        QT_TRANSLATE_NOOP(
            "Errors", "%1 is neither UTF-8 nor Windows-1251 text; save it again as UTF-8"
        ),
        ("name",),
    ),
    "exchange.contact_files.not_text_file_export": (
        QT_TRANSLATE_NOOP(
            "Errors", "%1 is not a text file; export the contacts as vCard (.vcf) or CSV"
        ),
        ("name",),
    ),
    "exchange.contact_files.not_valid_utf_text": (
        QT_TRANSLATE_NOOP("Errors", "%1 is not valid UTF-16 text"),
        ("name",),
    ),
    "feed.card.card_not": (
        QT_TRANSLATE_NOOP("Errors", "A card is a %1; not %2"),
        ("kinds", "kind"),
    ),
    "feed.indicators.indicators_are_not": (
        QT_TRANSLATE_NOOP("Errors", "Indicators are for a %1; not for %2"),
        ("kinds", "kind"),
    ),
    "feed.pages.feed_exactly_one_client": (
        QT_TRANSLATE_NOOP("Errors", "A feed is of exactly one client, lead, contact or deal"),
        (),
    ),
    "feed.pages.not_feed_cursor": (QT_TRANSLATE_NOOP("Errors", "Not a feed cursor: %1"), ("text",)),
    "feed.pages.page_size_must_between": (
        QT_TRANSLATE_NOOP("Errors", "Page size must be between 1 and %1"),
        ("max_page",),
    ),
    "feed.pages.unknown_feed_type_use": (
        QT_TRANSLATE_NOOP("Errors", "Unknown feed type %1; use one of %2"),
        ("unknown", "allowed"),
    ),
    "feed.queries.search_text_too_long": (
        QT_TRANSLATE_NOOP("Errors", "The search text is too long (%1 characters; at most %2)"),
        ("text", "max_search"),
    ),
    "feed.search.ask_search_results": (
        QT_TRANSLATE_NOOP("Errors", "Ask for 1 to %1 search results"),
        ("max_limit",),
    ),
    "feed.search.search_not_available": (
        QT_TRANSLATE_NOOP("Errors", "Search is not available on %1"),
        ("dialect",),
    ),
    "feed.sources.only_imported_letters_calls": (
        QT_TRANSLATE_NOOP(
            "Errors", "Only imported letters and calls can be unlinked; cancel this one instead"
        ),
        (),
    ),
    "inbound.closed": (
        QT_TRANSLATE_NOOP("Errors", "Request %1 is already %2; undo it first"),
        ("id", "state"),
    ),
    "inbound.taken": (
        QT_TRANSLATE_NOOP("Errors", "Request %1 is already taken by someone else"),
        ("id",),
    ),
    "interactions.actions.cannot_have_happened_future": (
        QT_TRANSLATE_NOOP("Errors", "It cannot have happened in the future: pick a time up to now"),
        (),
    ),
    "interactions.actions.choose_client_lead_interaction": (
        QT_TRANSLATE_NOOP("Errors", "Choose the client or lead of the interaction"),
        (),
    ),
    "interactions.actions.deal_belongs_another_client": (
        QT_TRANSLATE_NOOP("Errors", "Deal %1 belongs to another client or lead"),
        ("deal_id",),
    ),
    "interactions.actions.direction_must_one": (
        QT_TRANSLATE_NOOP("Errors", "Direction must be one of %1"),
        ("directions",),
    ),
    "interactions.actions.duration_must_between_minutes": (
        QT_TRANSLATE_NOOP("Errors", "Duration must be between 0 and 1440 minutes"),
        (),
    ),
    "interactions.actions.interaction_already_records": (
        QT_TRANSLATE_NOOP("Errors", "Interaction %1 already records this %2"),
        ("dup", "source_kind"),
    ),
    "interactions.actions.interaction_client_lead_not": (
        QT_TRANSLATE_NOOP("Errors", "An interaction is with a client or a lead, not both"),
        (),
    ),
    "interactions.actions.interaction_only_one_can": (
        QT_TRANSLATE_NOOP("Errors", "Interaction %1 is %2; only a %3 one can be %4"),
        ("id", "state", "allowed", "doing"),
    ),
    "interactions.actions.not_contact_person_client": (
        QT_TRANSLATE_NOOP("Errors", "%1 is not a contact person of this client or lead"),
        ("full_name",),
    ),
    "interactions.actions.only_owner_can_cancel": (
        QT_TRANSLATE_NOOP("Errors", "Only the owner can cancel this interaction"),
        (),
    ),
    "interactions.actions.planned_interaction_needs_date": (
        QT_TRANSLATE_NOOP("Errors", "A planned interaction needs a date and time"),
        (),
    ),
    "interactions.actions.subject_longer_than_characters": (
        QT_TRANSLATE_NOOP("Errors", "Subject is longer than %1 characters"),
        ("max_subject",),
    ),
    "interactions.actions.unknown_interaction_type_known": (
        QT_TRANSLATE_NOOP("Errors", "Unknown interaction type %1; known: %2"),
        ("code", "known"),
    ),
    "interactions.agenda.agenda_section_holds_items": (
        QT_TRANSLATE_NOOP("Errors", "An agenda section holds 1 to %1 items"),
        ("max_limit",),
    ),
    "interactions.agenda.only_your_own_agenda": (
        QT_TRANSLATE_NOOP(
            "Errors", "Only your own agenda: the role does not show colleagues' work"
        ),
        (),
    ),
    "interactions.attachment_files.cannot_write": (
        QT_TRANSLATE_NOOP("Errors", "Cannot write %1: %2"),
        ("name", "exc"),
    ),
    "interactions.attachment_files.changed": (
        QT_TRANSLATE_NOOP("Errors", "The stored file of %1 was changed outside Touchpoint"),
        ("name",),
    ),
    "interactions.attachment_files.missing": (
        QT_TRANSLATE_NOOP(
            "Errors",
            "The file %1 is no longer in the data folder; it may have been removed "
            "or the folder restored from an older backup",
        ),
        ("name",),
    ),
    "interactions.attachment_files.outside_folder": (
        QT_TRANSLATE_NOOP("Errors", "The stored file of %1 is outside the attachments folder"),
        ("name",),
    ),
    "interactions.attachments.attachments_belong_client_lead": (
        QT_TRANSLATE_NOOP(
            "Errors", "Attachments belong to a client, lead, contact or deal, not %1"
        ),
        ("kind",),
    ),
    "interactions.attachments.not_a_file": (
        QT_TRANSLATE_NOOP("Errors", "%1 is not a regular file"),
        ("name",),
    ),
    "interactions.attachments.too_large": (
        QT_TRANSLATE_NOOP("Errors", "%1 is larger than %2 MB"),
        ("name", "limit"),
    ),
    "interactions.notes.already_has_memo_id": (
        QT_TRANSLATE_NOOP(
            "Errors", "This %1 already has a memo (id %2); edit it instead of adding another"
        ),
        ("kind", "existing"),
    ),
    "interactions.notes.must_not_empty": (
        QT_TRANSLATE_NOOP("Errors", "%1 must not be empty"),
        ("what",),
    ),
    "interactions.notes.no_colleague_login": (
        QT_TRANSLATE_NOOP("Errors", "No colleague with login %1"),
        ("unknown",),
    ),
    "interactions.notes.notes_go_not": (
        QT_TRANSLATE_NOOP("Errors", "Notes go on a %1; not on %2"),
        ("object_kinds", "kind"),
    ),
    "interactions.notes.task_done_already": (
        QT_TRANSLATE_NOOP("Errors", "Task %1 is done already"),
        ("task_id",),
    ),
    "interactions.types.empty": (QT_TRANSLATE_NOOP("Errors", "The %1 is empty"), ("what",)),
    "interactions.types.least_one_interaction_type": (
        QT_TRANSLATE_NOOP("Errors", "At least one interaction type must stay visible"),
        (),
    ),
    "interactions.types.longer_than_characters": (
        QT_TRANSLATE_NOOP("Errors", "The %1 is longer than %2 characters"),
        ("what", "max_name"),
    ),
    "interactions.types.there_are_types_already": (
        QT_TRANSLATE_NOOP("Errors", "There are %1 types already: hide or rename one"),
        ("max_types",),
    ),
    "interactions.types.type_named_exists_already": (
        QT_TRANSLATE_NOOP("Errors", "A type named %1 exists already"),
        ("name_en",),
    ),
    "linking.call_log.call_log_needs_started": (
        QT_TRANSLATE_NOOP(
            "Errors", "A call log needs started_at and number (or src and dst) columns"
        ),
        (),
    ),
    "linking.call_log.cannot_read": (
        QT_TRANSLATE_NOOP("Errors", "Cannot read %1: %2"),
        ("path", "strerror"),
    ),
    "linking.call_log.direction_not_out": (
        QT_TRANSLATE_NOOP("Errors", "direction %1 is not in or out"),
        ("direction",),
    ),
    "linking.call_log.neither_utf_nor_windows": (
        QT_TRANSLATE_NOOP(
            "Errors", "%1 is neither UTF-8 nor Windows-1251 text (byte 0x%2 at offset %3)"
        ),
        ("name", "raw", "start"),
    ),
    "linking.call_log.not_readable_csv_call": (
        QT_TRANSLATE_NOOP("Errors", "%1 is not a readable CSV call log: %2"),
        ("name", "exc"),
    ),
    "linking.call_log.time_not_yyyy_mm": (
        QT_TRANSLATE_NOOP("Errors", "time %1 is not YYYY-MM-DD HH:MM:SS"),
        ("value",),
    ),
    "linking.call_log.unknown_call_fields": (
        QT_TRANSLATE_NOOP("Errors", "Unknown call fields %1"),
        ("unknown",),
    ),
    "linking.call_log.unknown_preset_use_one": (
        QT_TRANSLATE_NOOP("Errors", "Unknown preset %1; use one of %2"),
        ("preset", "presets"),
    ),
    "linking.listing.page_size_must_between": (
        QT_TRANSLATE_NOOP("Errors", "Page size must be between 1 and %1"),
        ("max_page",),
    ),
    "linking.manual.link_client_lead_contact": (
        QT_TRANSLATE_NOOP("Errors", "Link to a client, lead or contact, not %1"),
        ("kind",),
    ),
    "linking.use_cases.no_such_file": (QT_TRANSLATE_NOOP("Errors", "No such file: %1"), ("path",)),
    "templates.sandbox.body_longer_than_characters": (
        QT_TRANSLATE_NOOP("Errors", "The body is longer than %1 characters"),
        ("max_body",),
    ),
    "templates.sandbox.error": (QT_TRANSLATE_NOOP("Errors", "The %1: %2"), ("what", "exc")),
    "templates.sandbox.filled_template_would_longer": (
        QT_TRANSLATE_NOOP("Errors", "The filled-in template would be longer than %1 characters"),
        ("max_output",),
    ),
    "templates.sandbox.filling_template_took_longer": (
        QT_TRANSLATE_NOOP("Errors", "Filling in the template took longer than %1 s"),
        ("max_render_seconds",),
    ),
    "templates.sandbox.has_template_error_line": (
        QT_TRANSLATE_NOOP("Errors", "The %1 has a template error on line %2: %3"),
        ("what", "lineno", "message"),
    ),
    "templates.sandbox.subject_longer_than_characters": (
        QT_TRANSLATE_NOOP("Errors", "The subject is longer than %1 characters"),
        ("max_subject",),
    ),
    "templates.sandbox.template_could_not_filled": (
        QT_TRANSLATE_NOOP("Errors", "The template could not be filled in: %1"),
        ("exc",),
    ),
    "templates.sandbox.too_deep": (
        QT_TRANSLATE_NOOP(
            "Errors",
            "The %1 nests too deeply: more than %2 levels of parentheses, brackets, {% if %} blocks or chained filters and operators; simplify it",
        ),
        ("what", "levels"),
    ),
    "templates.store.name_longer_than_characters": (
        QT_TRANSLATE_NOOP("Errors", "The name is longer than %1 characters"),
        ("max_name",),
    ),
    "templates.store.someone_else_changed_template": (
        QT_TRANSLATE_NOOP(
            "Errors", "Someone else changed the template %1 meanwhile; reload it and try again"
        ),
        ("name",),
    ),
    "templates.store.template_deactivated": (
        QT_TRANSLATE_NOOP("Errors", "The template %1 is deactivated"),
        ("name",),
    ),
    "templates.store.template_named_exists_already": (
        QT_TRANSLATE_NOOP("Errors", "A template named %1 exists already"),
        ("name",),
    ),
    "templates.store.template_needs_fixing": (
        QT_TRANSLATE_NOOP("Errors", "The template %1 needs fixing: %2"),
        ("name", "exc"),
    ),
    "templates.store.template_needs_name": (
        QT_TRANSLATE_NOOP("Errors", "A template needs a name"),
        (),
    ),
    "templates.store.template_someone_else_administrator": (
        QT_TRANSLATE_NOOP(
            "Errors", "The template %1 is someone else's; an administrator may change it"
        ),
        ("name",),
    ),
    "templates.variables.choose_before_applying": (
        QT_TRANSLATE_NOOP(
            "Errors", "Choose the client, contact and deal before applying a template; missing: %1"
        ),
        ("missing",),
    ),
    "templates.variables.deal_not_deal": (
        QT_TRANSLATE_NOOP("Errors", "The deal %1 is not a deal of %2"),
        ("title", "name"),
    ),
    "templates.variables.not_contact_person": (
        QT_TRANSLATE_NOOP("Errors", "%1 is not a contact person of %2"),
        ("full_name", "name"),
    ),
}
