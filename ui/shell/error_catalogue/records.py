# ruff: noqa: E501 - one sentence per line, as lupdate reads it
"""Russian-ready words for errors of records and the core: names, owners,
phones and emails, custom fields, deals, users, settings, backups."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

# code -> (English source in the context "Errors", names of %1, %2 ... in order)
ENTRIES: dict[str, tuple[object, tuple[str, ...]]] = {
    "parties.transfers.only_client_or_lead": (
        QT_TRANSLATE_NOOP("Errors", "Only a client or a lead is handed over, not %1"),
        ("kind",),
    ),
    "parties.transfers.deputy_end": (
        QT_TRANSLATE_NOOP("Errors", "A deputy's end lies in the next %1 days"),
        ("days",),
    ),
    "parties.transfers.inactive_colleague": (
        QT_TRANSLATE_NOOP("Errors", "%1 is no longer an active colleague"),
        ("name",),
    ),
    "parties.transfers.deputy_self": (
        QT_TRANSLATE_NOOP("Errors", "Nobody stands in for themselves"),
        (),
    ),
    "parties.deputies.not_yours": (
        QT_TRANSLATE_NOOP(
            "Errors",
            "This deputy period is between other colleagues: only the absent colleague, the deputy or an administrator ends it",
        ),
        (),
    ),
    "core.storage.refused_by_database": (
        QT_TRANSLATE_NOOP("Errors", "The team database refused this change for your login: %1"),
        ("reason",),
    ),
    "core.edit_conflict": (
        QT_TRANSLATE_NOOP(
            "Errors",
            "Someone else changed %1 %2 meanwhile (%3); nothing was saved: choose which values to keep and save again",
        ),
        ("kind", "id", "fields"),
    ),
    "core.access.belongs_another_manager": (
        QT_TRANSLATE_NOOP("Errors", "%1 %2 belongs to another manager"),
        ("kind", "record_id"),
    ),
    "core.access.may_not_do_role": (
        QT_TRANSLATE_NOOP("Errors", "%1 may not do this: the role does not allow %2"),
        ("name", "action"),
    ),
    "core.backup.backup_failed": (QT_TRANSLATE_NOOP("Errors", "The backup failed: %1"), ("exc",)),
    "core.backup.cannot_open": (
        QT_TRANSLATE_NOOP("Errors", "Cannot open %1: %2"),
        ("source", "strerror"),
    ),
    "core.backup.cannot_write": (
        QT_TRANSLATE_NOOP("Errors", "Cannot write %1: %2"),
        ("target", "strerror"),
    ),
    "core.backup.choose_another_file_than": (
        QT_TRANSLATE_NOOP("Errors", "Choose another file than the database itself"),
        (),
    ),
    "core.backup.comes_from_newer_unknown": (
        QT_TRANSLATE_NOOP(
            "Errors", "%1 comes from a newer or unknown Touchpoint; update the app first"
        ),
        ("name",),
    ),
    "core.backup.damaged_sqlite_integrity_check": (
        QT_TRANSLATE_NOOP("Errors", "%1 is damaged (SQLite integrity check failed)"),
        ("name",),
    ),
    "core.backup.folder_does_not_exist": (
        QT_TRANSLATE_NOOP("Errors", "Folder does not exist: %1"),
        ("parent",),
    ),
    "core.backup.folder_give_backup_file": (
        QT_TRANSLATE_NOOP("Errors", "%1 is a folder: give the backup a file name"),
        ("target",),
    ),
    "core.backup.no_such_file": (QT_TRANSLATE_NOOP("Errors", "No such file: %1"), ("source",)),
    "core.backup.not_touchpoint_database": (
        QT_TRANSLATE_NOOP("Errors", "%1 is not a Touchpoint database (%2)"),
        ("name", "exc"),
    ),
    "core.backup.only_embedded_database_file": (
        QT_TRANSLATE_NOOP(
            "Errors",
            "Only the embedded database file can be backed up from here; a PostgreSQL server is backed up by its administrator (pg_dump)",
        ),
        (),
    ),
    "core.backup.restore_failed_nothing_was": (
        QT_TRANSLATE_NOOP("Errors", "The restore failed, nothing was replaced: %1"),
        ("exc",),
    ),
    "core.bootstrap.database_has_no_users": (
        QT_TRANSLATE_NOOP("Errors", "The database has no users yet"),
        (),
    ),
    "core.bootstrap.database_login_has_no": (
        QT_TRANSLATE_NOOP(
            "Errors",
            "The database login %1 has no Touchpoint user here: an administrator adds colleagues with 'touchpoint admin add-user'",
        ),
        ("db_login",),
    ),
    "core.bootstrap.login_contains_control_characters": (
        QT_TRANSLATE_NOOP(
            "Errors", "The login %1 contains control characters: it cannot be a user"
        ),
        ("login",),
    ),
    "core.bootstrap.no_user_login": (
        QT_TRANSLATE_NOOP("Errors", "No user with login %1"),
        ("wanted",),
    ),
    "core.bootstrap.postgresql_database_login_decides": (
        QT_TRANSLATE_NOOP(
            "Errors",
            "On PostgreSQL the database login decides who acts: this connection is %1, so --user %2 is refused; connect as that login (postgresql://%3@host/db) instead",
        ),
        ("db_login", "wanted", "wanted2"),
    ),
    "core.bootstrap.user_deactivated": (
        QT_TRANSLATE_NOOP("Errors", "User %1 is deactivated"),
        ("login",),
    ),
    "core.files.cannot_write": (
        QT_TRANSLATE_NOOP("Errors", "Cannot write %1: %2"),
        ("path", "strerror"),
    ),
    "core.files.cannot_write_2": (
        QT_TRANSLATE_NOOP("Errors", "Cannot write to %1: %2"),
        ("folder", "strerror"),
    ),
    "core.files.folder_does_not_exist": (
        QT_TRANSLATE_NOOP("Errors", "Folder does not exist: %1"),
        ("folder",),
    ),
    "core.files.folder_not_file": (
        QT_TRANSLATE_NOOP("Errors", "%1 is a folder, not a file"),
        ("path",),
    ),
    "core.history.history_kept_not": (
        QT_TRANSLATE_NOOP("Errors", "History is kept for %1, not %2"),
        ("kinds", "kind"),
    ),
    "core.history.not_on_this_laptop": (
        QT_TRANSLATE_NOOP(
            "Errors",
            "This record is not on this laptop: it was removed on the team server or was never "
            "here. Its history is on the team server.",
        ),
        (),
    ),
    "core.keyring_store.error": (QT_TRANSLATE_NOOP("Errors", "%1; %2"), ("reason", "consequence")),
    "core.keyring_store.keyring_could_not": (
        QT_TRANSLATE_NOOP("Errors", "The keyring could not %1: %2"),
        ("action", "exc"),
    ),
    "core.keyring_store.keyring_could_not_delete": (
        QT_TRANSLATE_NOOP("Errors", "The keyring could not delete %1: %2"),
        ("what", "exc"),
    ),
    "core.keyring_store.keyring_did_not_give": (
        QT_TRANSLATE_NOOP(
            "Errors", "The keyring %1 did not give back a test secret it accepted; %2 was not saved"
        ),
        ("backend", "what"),
    ),
    "core.keyring_store.keyring_kept_test_secret": (
        QT_TRANSLATE_NOOP(
            "Errors", "The keyring %1 kept a test secret after deleting it; %2 was not saved"
        ),
        ("backend", "what"),
    ),
    "core.normalize.bad_email": (
        QT_TRANSLATE_NOOP("Errors", "Not a valid email address: %1 (%2)"),
        ("address", "reason"),
    ),
    "core.normalize.bad_phone": (
        QT_TRANSLATE_NOOP("Errors", "Not a valid phone number: %1"),
        ("number",),
    ),
    "core.normalize.bad_phone_because": (
        QT_TRANSLATE_NOOP("Errors", "Not a valid phone number: %1 (%2)"),
        ("number", "reason"),
    ),
    "core.normalize.email_address_empty": (
        QT_TRANSLATE_NOOP("Errors", "Email address is empty"),
        (),
    ),
    "core.normalize.messenger_handle_empty": (
        QT_TRANSLATE_NOOP("Errors", "Messenger handle is empty"),
        (),
    ),
    "core.normalize.not_valid_messenger_handle": (
        QT_TRANSLATE_NOOP("Errors", "Not a valid messenger handle: %1 (no spaces allowed)"),
        ("raw",),
    ),
    "core.normalize.phone_number_empty": (QT_TRANSLATE_NOOP("Errors", "Phone number is empty"), ()),
    "core.normalize.unknown_contact_kind_expected": (
        QT_TRANSLATE_NOOP(
            "Errors", "Unknown contact kind: %1 (expected email, phone or messenger)"
        ),
        ("kind",),
    ),
    "core.settings.linking_job_runs_every": (
        QT_TRANSLATE_NOOP("Errors", "The linking job runs every 1 to 10080 minutes"),
        (),
    ),
    "core.settings.softphone_command_needs_number": (
        QT_TRANSLATE_NOOP("Errors", "The softphone command needs {number} where the number goes"),
        (),
    ),
    "core.settings.unknown_region_use_two": (
        QT_TRANSLATE_NOOP("Errors", "Unknown region %1: use a two-letter country code"),
        ("value",),
    ),
    "core.settings.unknown_setting_known": (
        QT_TRANSLATE_NOOP("Errors", "Unknown setting %1; known: %2"),
        ("key", "defaults"),
    ),
    "core.storage.database_error": (QT_TRANSLATE_NOOP("Errors", "Database error: %1"), ("error",)),
    "core.storage.disk_refused": (
        QT_TRANSLATE_NOOP("Errors", "The disk refused the write: %1"),
        ("error",),
    ),
    "core.storage.folder_database_does_not": (
        QT_TRANSLATE_NOOP("Errors", "Folder for the database does not exist: %1"),
        ("folder",),
    ),
    "core.storage.not_a_database": (
        QT_TRANSLATE_NOOP("Errors", "The file is not a database: %1"),
        ("error",),
    ),
    "core.storage.not_database_url": (
        QT_TRANSLATE_NOOP("Errors", "Not a database URL: %1"),
        ("url",),
    ),
    "core.storage.read_only": (
        QT_TRANSLATE_NOOP("Errors", "The database file is read-only: %1"),
        ("error",),
    ),
    "core.storage.server_unreachable": (
        QT_TRANSLATE_NOOP("Errors", "Cannot reach the database server: %1"),
        ("error",),
    ),
    "core.storage.someone_else_changed_record": (
        QT_TRANSLATE_NOOP(
            "Errors", "Someone else changed this record meanwhile; reload it and try again"
        ),
        (),
    ),
    "core.storage.unsupported_database_use_sqlite": (
        QT_TRANSLATE_NOOP("Errors", "Unsupported database %1: use SQLite or PostgreSQL"),
        ("get_backend_name",),
    ),
    "core.timezones.does_not_exist_clocks": (
        QT_TRANSLATE_NOOP("Errors", "%1 does not exist in %2 (clocks skip that hour)"),
        ("local", "tz_name"),
    ),
    "core.timezones.out_range_use_year": (
        QT_TRANSLATE_NOOP("Errors", "The %1 %2 is out of range: use a year from %3 to %4"),
        ("what", "moment", "min_year", "max_year"),
    ),
    "core.timezones.unknown_time_zone": (
        QT_TRANSLATE_NOOP("Errors", "Unknown time zone %1"),
        ("name",),
    ),
    "core.users.last_active_administrator_make": (
        QT_TRANSLATE_NOOP("Errors", "%1 is the last active administrator: make another one first"),
        ("login",),
    ),
    "core.users.login_must_letters_digits": (
        QT_TRANSLATE_NOOP(
            "Errors",
            "Login %1 must be letters, digits, '.', '_', '@' or '-', starting with a letter or digit",
        ),
        ("login",),
    ),
    "core.users.name_characters_needed": (
        QT_TRANSLATE_NOOP("Errors", "A name of 1 to %1 characters is needed"),
        ("max_name",),
    ),
    "core.users.unknown_role_roles": (
        QT_TRANSLATE_NOOP("Errors", "Unknown role %1 (roles: %2)"),
        ("name", "roles"),
    ),
    "core.users.user_exists_already": (
        QT_TRANSLATE_NOOP("Errors", "A user %1 exists already"),
        ("login",),
    ),
    "parties.board.ask_deals": (
        QT_TRANSLATE_NOOP("Errors", "Ask for 1 to %1 deals"),
        ("max_deals",),
    ),
    "parties.board.board_column_shows_deals": (
        QT_TRANSLATE_NOOP("Errors", "A board column shows 1 to %1 deals"),
        ("max_per_stage",),
    ),
    "parties.board.deals_belong_not": (
        QT_TRANSLATE_NOOP("Errors", "Deals belong to a %1; not to %2"),
        ("kinds", "kind"),
    ),
    "parties.contact_points.addresses_numbers_go_client": (
        QT_TRANSLATE_NOOP(
            "Errors", "Addresses and numbers go on a client, lead or contact, not a %1"
        ),
        ("card_kind",),
    ),
    "parties.contact_points.already_card": (
        QT_TRANSLATE_NOOP("Errors", "%1 is already on this card"),
        ("value",),
    ),
    "parties.contact_points.contact_detail_belongs_exactly": (
        QT_TRANSLATE_NOOP(
            "Errors", "A contact detail belongs to exactly one client, lead or contact"
        ),
        (),
    ),
    "parties.contact_points.unknown_contact_kind_use": (
        QT_TRANSLATE_NOOP("Errors", "Unknown contact kind %1; use one of %2"),
        ("kind", "kinds"),
    ),
    "parties.custom_fields.custom_fields_exist_clients": (
        QT_TRANSLATE_NOOP("Errors", "Custom fields exist for clients, leads and contacts only"),
        (),
    ),
    "parties.custom_fields.field_code_must_lowercase": (
        QT_TRANSLATE_NOOP(
            "Errors",
            "Field code %1 must be lowercase letters, digits and _ and start with a letter",
        ),
        ("code",),
    ),
    "parties.custom_fields.field_exists_already": (
        QT_TRANSLATE_NOOP("Errors", "A %1 field %2 exists already"),
        ("entity_kind", "code"),
    ),
    "parties.custom_fields.label_empty": (
        QT_TRANSLATE_NOOP("Errors", "The label must not be empty"),
        (),
    ),
    "parties.custom_fields.list_field_has_most": (
        QT_TRANSLATE_NOOP("Errors", "A list field has at most %1 choices"),
        ("max_options",),
    ),
    "parties.custom_fields.list_field_needs_least": (
        QT_TRANSLATE_NOOP("Errors", "A list field needs at least one choice"),
        (),
    ),
    "parties.custom_fields.longer_than_characters": (
        QT_TRANSLATE_NOOP("Errors", "The %1 is longer than %2 characters"),
        ("what", "max_label"),
    ),
    "parties.custom_fields.longer_than_characters_2": (
        QT_TRANSLATE_NOOP("Errors", "%1: longer than %2 characters"),
        ("label", "max_value"),
    ),
    "parties.custom_fields.not_one": (
        QT_TRANSLATE_NOOP("Errors", "%1: %2 is not one of %3"),
        ("label", "value", "choices"),
    ),
    "parties.custom_fields.not_valid": (
        QT_TRANSLATE_NOOP("Errors", "%1: %2 is not a valid %3"),
        ("label", "value", "value_type"),
    ),
    "parties.custom_fields.not_yes_no": (
        QT_TRANSLATE_NOOP("Errors", "%1: %2 is not yes or no"),
        ("label", "value"),
    ),
    "parties.custom_fields.unknown_field_known": (
        QT_TRANSLATE_NOOP("Errors", "Unknown %1 field %2 (known: %3)"),
        ("entity_kind", "code", "known"),
    ),
    "parties.custom_fields.unknown_field_type_use": (
        QT_TRANSLATE_NOOP("Errors", "Unknown field type %1; use one of %2"),
        ("value_type", "types"),
    ),
    "parties.deals.amount_must_most": (
        QT_TRANSLATE_NOOP("Errors", "Amount must be at most %1"),
        ("max_amount",),
    ),
    "parties.deals.amount_must_zero_more": (
        QT_TRANSLATE_NOOP("Errors", "Amount must be zero or more"),
        (),
    ),
    "parties.deals.amount_not_number": (
        QT_TRANSLATE_NOOP("Errors", "Amount %1 is not a number"),
        ("value",),
    ),
    "parties.deals.currency_must_three_letter": (
        QT_TRANSLATE_NOOP("Errors", "Currency %1 must be a three-letter code"),
        ("currency",),
    ),
    "parties.deals.deal_belongs_exactly_one": (
        QT_TRANSLATE_NOOP("Errors", "A deal belongs to exactly one client or lead"),
        (),
    ),
    "parties.deals.pipeline_named_exists_already": (
        QT_TRANSLATE_NOOP("Errors", "A pipeline named %1 exists already"),
        ("name",),
    ),
    "parties.deals.pipeline_needs_least_one": (
        QT_TRANSLATE_NOOP("Errors", "A pipeline needs at least one stage"),
        (),
    ),
    "parties.edits.lead_already_converted_into": (
        QT_TRANSLATE_NOOP("Errors", "Lead %1 is already converted into a client"),
        ("lead_id",),
    ),
    "parties.edits.lead_was_converted_into": (
        QT_TRANSLATE_NOOP("Errors", "Lead %1 was converted into a client: open the client instead"),
        ("ident",),
    ),
    "parties.edits.longer_than_characters": (
        QT_TRANSLATE_NOOP("Errors", "%1 is longer than %2 characters"),
        ("what", "limit"),
    ),
    "parties.edits.no_active_user_owner": (
        QT_TRANSLATE_NOOP("Errors", "No active user %1 to be the owner"),
        ("wanted",),
    ),
    "parties.edits.only_can_archived_not": (
        QT_TRANSLATE_NOOP("Errors", "Only %1 can be archived, not %2"),
        ("archivable", "kind"),
    ),
    "parties.lists.page_key_belongs_another": (
        QT_TRANSLATE_NOOP(
            "Errors", "This page key belongs to another sort order: start from the top"
        ),
        (),
    ),
    "parties.lists.page_key_has_no": (
        QT_TRANSLATE_NOOP("Errors", "This page key has no name to continue after"),
        (),
    ),
    "parties.lists.page_size_must_between": (
        QT_TRANSLATE_NOOP("Errors", "Page size must be between 1 and %1"),
        ("max_page",),
    ),
    "parties.lists.sort_one_not": (
        QT_TRANSLATE_NOOP("Errors", "Sort by one of %1, not %2"),
        ("sorts", "sort"),
    ),
    "parties.records.contact_person_belongs_exactly": (
        QT_TRANSLATE_NOOP("Errors", "A contact person belongs to exactly one client or lead"),
        (),
    ),
    "parties.records.contains_control_character_u": (
        QT_TRANSLATE_NOOP(
            "Errors", "%1 contains a control character (U+%2): type it as plain text"
        ),
        ("what", "control"),
    ),
    "parties.records.contains_control_character_u_2": (
        QT_TRANSLATE_NOOP("Errors", "%1 contains a control character (U+%2)"),
        ("what", "char"),
    ),
    "parties.records.longer_than_characters": (
        QT_TRANSLATE_NOOP("Errors", "%1 is longer than %2 characters"),
        ("what", "max_name"),
    ),
    "parties.records.must_not_empty": (
        QT_TRANSLATE_NOOP("Errors", "%1 must not be empty"),
        ("what",),
    ),
    "parties.records.no_active_user_id": (
        QT_TRANSLATE_NOOP("Errors", "%1 is no longer an active colleague and cannot be the owner"),
        ("name",),
    ),
    "parties.records.no_such_user": (
        QT_TRANSLATE_NOOP("Errors", "No colleague has the id %1"),
        ("owner_id",),
    ),
    "parties.records.unknown_region_use_two": (
        QT_TRANSLATE_NOOP("Errors", "Unknown region %1: use a two-letter country code"),
        ("region",),
    ),
}
