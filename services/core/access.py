"""Who acts, and what their role lets them do (SPEC H1).

Checks live here, in the service layer, so a team database enforces them
whatever client talks to it.
"""

from __future__ import annotations

import dataclasses
import enum

from services.core.errors import UserError


class Permission(enum.StrEnum):
    INTERACTIONS = "interactions"  # log and plan interactions
    CLIENTS_EDIT = "clients.edit"  # create and change clients, leads, contacts
    CLIENTS_VIEW_ALL = "clients.view_all"  # see clients of other managers
    DEALS = "deals"
    IMPORT_EXPORT = "import_export"
    SETTINGS = "settings"  # users, roles, pipelines, database settings


ALL_PERMISSIONS = tuple(p.value for p in Permission)
MANAGER_PERMISSIONS = (
    Permission.INTERACTIONS.value,
    Permission.CLIENTS_EDIT.value,
    Permission.DEALS.value,
    Permission.IMPORT_EXPORT.value,
)


class PermissionDenied(UserError):
    pass


@dataclasses.dataclass(frozen=True)
class Actor:
    """The user on whose behalf a service call runs."""

    id: int
    login: str
    full_name: str
    permissions: frozenset[str]

    def can(self, permission: Permission) -> bool:
        return permission.value in self.permissions

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise PermissionDenied(
                f"{self.login} may not do this: the role lacks the {permission.value!r} permission"
            )

    def can_admin(self) -> bool:
        return self.can(Permission.SETTINGS)

    def sees_owner(self, owner_id: int) -> bool:
        return owner_id == self.id or self.can(Permission.CLIENTS_VIEW_ALL)
