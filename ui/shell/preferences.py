"""Per-computer preferences (QSettings): language, window layout, last section.
What belongs to the database (default region, display zone) lives in
``services.core.settings`` instead."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings


class Preferences:
    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store if store is not None else QSettings()

    def _str(self, key: str, default: str) -> str:
        value = self.store.value(key, default)
        return str(value) if value is not None else default

    @property
    def language(self) -> str:
        return self._str("ui/language", "system")

    @language.setter
    def language(self, value: str) -> None:
        self.store.setValue("ui/language", value)

    @property
    def section(self) -> str:
        return self._str("ui/section", "clients")

    @section.setter
    def section(self, value: str) -> None:
        self.store.setValue("ui/section", value)

    @property
    def database_url(self) -> str:
        """A team server chosen in Settings → Database ("" : this computer's file)."""
        return self._str("database/url", "")

    @database_url.setter
    def database_url(self, value: str) -> None:
        self.store.setValue("database/url", value)

    @property
    def replica_url(self) -> str:
        """The laptop replica the app opens while working offline ("": none)."""
        return self._str("database/replica", "")

    @replica_url.setter
    def replica_url(self, value: str) -> None:
        self.store.setValue("database/replica", value)

    @property
    def sync_minutes(self) -> int:
        """The sync interval a new mail account starts with."""
        try:
            return max(1, min(1440, int(self._str("mail/sync_minutes", "5"))))
        except ValueError:
            return 5

    @sync_minutes.setter
    def sync_minutes(self, value: int) -> None:
        self.store.setValue("mail/sync_minutes", int(value))

    def card_fields(self, kind: str, user_id: int) -> list[str] | None:
        """The fields a card of ``kind`` shows to this user, in order (None:
        never chosen). Two colleagues at one computer each keep their own;
        a choice made before it was per user is everyone's start."""
        value = self.store.value(f"cards/user{user_id}/{kind}/fields")
        if value is None:
            value = self.store.value(f"cards/{kind}/fields")
        if value is None:
            return None
        if isinstance(value, str):
            return [v for v in value.split(",") if v]
        return [str(v) for v in value] if isinstance(value, list) else None

    def set_card_fields(self, kind: str, user_id: int, codes: list[str]) -> None:
        self.store.setValue(f"cards/user{user_id}/{kind}/fields", ",".join(codes))

    def geometry(self) -> QByteArray | None:
        value = self.store.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def save_geometry(self, value: QByteArray) -> None:
        self.store.setValue("window/geometry", value)

    def sync(self) -> None:
        self.store.sync()
