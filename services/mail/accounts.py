"""Linked mailboxes of a user (SPEC C1): IMAP for import, SMTP for sending."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import func, select

from models import MailAccount, MailFolder, OutboxItem
from services.core import normalize
from services.core.access import Actor
from services.core.errors import EnvironmentFault, NotFoundError, UserError, ValidationError
from services.core.storage import UnitOfWork

SECURITY = ("tls", "starttls", "plain")


@dataclasses.dataclass(frozen=True)
class AccountSpec:
    email: str
    imap_host: str
    smtp_host: str
    imap_port: int | None = None
    imap_security: str = "tls"
    imap_user: str | None = None
    smtp_port: int | None = None
    smtp_security: str = "starttls"
    smtp_user: str | None = None
    display_name: str | None = None
    ca_file: str | None = None
    sync_minutes: int = 5
    # Plaintext (no TLS at all) only by this explicit, visibly warned choice.
    allow_plaintext: bool = False


@dataclasses.dataclass(frozen=True)
class FolderCursor:
    """Where sync stands in one folder: the next run reads UIDs above ``last_uid``."""

    role: str  # inbox | sent
    name: str
    uidvalidity: int | None
    last_uid: int


@dataclasses.dataclass(frozen=True)
class AccountView:
    id: int
    uid: str
    user_id: int
    email: str
    display_name: str | None
    imap_host: str
    imap_port: int
    imap_security: str
    imap_user: str
    smtp_host: str
    smtp_port: int
    smtp_security: str
    smtp_user: str
    ca_file: str | None
    sync_minutes: int
    enabled: bool
    last_sync_at: str | None
    last_error: str | None
    warnings: tuple[str, ...]
    # The user's other addresses: letters from them count as sent (the owner rule).
    aliases: tuple[str, ...] = ()
    folders: tuple[FolderCursor, ...] = ()


DEFAULT_PORTS = {
    ("imap", "tls"): 993,
    ("imap", "starttls"): 143,
    ("imap", "plain"): 143,
    ("smtp", "tls"): 465,
    ("smtp", "starttls"): 587,
    ("smtp", "plain"): 25,
}


def _warnings(row: MailAccount) -> tuple[str, ...]:
    out = []
    if row.imap_security == "plain":
        out.append("IMAP without TLS: the password and mail cross the network readable")
    if row.smtp_security == "plain":
        out.append("SMTP without TLS: the password and mail cross the network readable")
    return tuple(out)


def view(row: MailAccount) -> AccountView:
    return AccountView(
        id=row.id,
        uid=row.uid,
        user_id=row.user_id,
        email=row.email,
        display_name=row.display_name,
        imap_host=row.imap_host,
        imap_port=row.imap_port,
        imap_security=row.imap_security,
        imap_user=row.imap_user,
        smtp_host=row.smtp_host,
        smtp_port=row.smtp_port,
        smtp_security=row.smtp_security,
        smtp_user=row.smtp_user,
        ca_file=row.ca_file,
        sync_minutes=row.sync_minutes,
        enabled=row.enabled,
        last_sync_at=row.last_sync_at.isoformat() if row.last_sync_at else None,
        last_error=row.last_error,
        warnings=_warnings(row),
        aliases=tuple(a for a in (row.aliases or "").splitlines() if a),
    )


def _host(value: str, what: str) -> str:
    host = value.strip()
    if not host or any(c.isspace() for c in host) or "/" in host:
        raise ValidationError(
            f"{what} host {value!r} is not a host name",
            what.lower(),
            code="mail.accounts.host_not_host_name",
            params={"what": str(what), "value": repr(value)},
        )
    return host


def _port(value: int | None, kind: str, security: str) -> int:
    port = value if value is not None else DEFAULT_PORTS[(kind, security)]
    if not 1 <= port <= 65535:
        raise ValidationError(
            f"{kind.upper()} port {port} is out of range",
            kind,
            code="mail.accounts.port_out_range",
            params={"upper": str(kind.upper()), "port": str(port)},
        )
    return port


def add(
    uow: UnitOfWork, actor: Actor, spec: AccountSpec, imap_password: str, smtp_password: str | None
) -> AccountView:
    """Save the account and put its passwords in the keyring (the same
    password serves SMTP when none is given for it)."""
    from services.mail import credentials  # imapclient and keyring only when needed

    row = _row(spec, _validated(spec), actor.id)
    uow.session.add(row)
    uow.session.flush()
    credentials.store(row.uid, "imap", imap_password)
    credentials.store(row.uid, "smtp", smtp_password or imap_password)
    return view(row)


def check_connection(spec: AccountSpec, imap_password: str, smtp_password: str | None) -> None:
    """Log in to IMAP and SMTP as the account would (verified TLS), so a
    server that will refuse us is refused now, with its reason, and nothing
    is saved. Network I/O: call it outside any transaction."""
    from services.mail import imap, smtp  # imapclient and keyring only when needed

    row = _row(spec, _validated(spec), 0)
    try:
        imap.close(imap.connect(row, imap_password))
    except UserError as exc:
        raise _refused("IMAP", exc) from exc
    try:
        smtp.check(row, smtp_password or imap_password)
    except UserError as exc:
        raise _refused("SMTP", exc) from exc


def _refused(kind: str, exc: UserError) -> UserError:
    kept = EnvironmentFault if isinstance(exc, EnvironmentFault) else UserError
    # the code and params stay, so the window says which fix applies
    return kept(f"{kind}: {exc}; the account was not added", code=exc.code, params=exc.params)


def _validated(spec: AccountSpec) -> str:
    """The normalized address, once every field of SPEC is acceptable."""
    from services.mail import credentials  # imapclient and keyring only when needed

    email = normalize.normalize_email(spec.email)
    for kind, security in (("IMAP", spec.imap_security), ("SMTP", spec.smtp_security)):
        if security not in SECURITY:
            raise ValidationError(
                f"{kind} security must be one of {', '.join(SECURITY)}",
                code="mail.accounts.security_must_one",
                params={"kind": str(kind), "security": str(", ".join(SECURITY))},
            )
        if security == "plain" and not spec.allow_plaintext:
            raise ValidationError(
                f"{kind} without TLS sends the password readable; "
                "allow servers without encryption explicitly if you really mean it",
                code="mail.plaintext_not_allowed",
                params={"kind": kind},
            )
    if spec.ca_file and not Path(spec.ca_file).is_file():
        raise ValidationError(
            f"CA file not found: {spec.ca_file}",
            "ca_file",
            code="mail.accounts.ca_file_not_found",
            params={"ca_file": str(spec.ca_file)},
        )
    if not 1 <= spec.sync_minutes <= 24 * 60:
        raise ValidationError(
            "Sync interval must be between 1 and 1440 minutes",
            code="mail.accounts.sync_interval_must_between",
        )
    problem = credentials.backend_problem()
    if problem:
        raise ValidationError(
            problem + "; the account was not added",
            code="mail.accounts.keyring_problem",
            params={"problem": problem},
        )
    return email


def _row(spec: AccountSpec, email: str, user_id: int) -> MailAccount:
    return MailAccount(
        user_id=user_id,
        email=email,
        display_name=(spec.display_name or "").strip() or None,
        imap_host=_host(spec.imap_host, "IMAP"),
        imap_port=_port(spec.imap_port, "imap", spec.imap_security),
        imap_security=spec.imap_security,
        imap_user=(spec.imap_user or email).strip(),
        smtp_host=_host(spec.smtp_host, "SMTP"),
        smtp_port=_port(spec.smtp_port, "smtp", spec.smtp_security),
        smtp_security=spec.smtp_security,
        smtp_user=(spec.smtp_user or spec.imap_user or email).strip(),
        ca_file=spec.ca_file,
        sync_minutes=spec.sync_minutes,
    )


def get_row(uow: UnitOfWork, actor: Actor, account_id: int) -> MailAccount:
    row = uow.session.get(MailAccount, account_id)
    if row is None or (row.user_id != actor.id and not actor.can_admin()):
        raise NotFoundError("Mail account", account_id)
    return row


def list_accounts(uow: UnitOfWork, actor: Actor) -> list[AccountView]:
    query = select(MailAccount).order_by(MailAccount.id)
    if not actor.can_admin():
        query = query.where(MailAccount.user_id == actor.id)
    rows = list(uow.session.scalars(query))
    cursors: dict[int, list[FolderCursor]] = {}
    if rows:
        for f in uow.session.scalars(
            select(MailFolder)
            .where(MailFolder.account_id.in_([r.id for r in rows]))
            .order_by(MailFolder.account_id, MailFolder.role)
        ):
            cursors.setdefault(f.account_id, []).append(
                FolderCursor(f.role, f.name, f.uidvalidity, f.last_uid)
            )
    return [dataclasses.replace(view(r), folders=tuple(cursors.get(r.id, ()))) for r in rows]


def update(
    uow: UnitOfWork,
    actor: Actor,
    account_id: int,
    *,
    sync_minutes: int | None = None,
    enabled: bool | None = None,
    display_name: str | None = None,
    aliases: Sequence[str] | None = None,
) -> AccountView:
    """Change how often a mailbox is checked, pause it, or rename the sender;
    what is not given stays; ``aliases`` replaces the list of the user's other
    addresses. Servers and passwords change by re-adding."""
    row = get_row(uow, actor, account_id)
    if sync_minutes is not None:
        if not 1 <= sync_minutes <= 24 * 60:
            raise ValidationError(
                "Sync interval must be between 1 and 1440 minutes",
                "sync_minutes",
                code="mail.accounts.sync_interval_must_between",
            )
        row.sync_minutes = sync_minutes
    if enabled is not None:
        row.enabled = enabled
    if display_name is not None:
        name = " ".join(display_name.split())
        if len(name) > 200:
            raise ValidationError(
                "The display name is longer than 200 characters",
                "display_name",
                code="mail.accounts.display_name_longer_than",
            )
        row.display_name = name or None
    if aliases is not None:
        own = {row.email}
        kept = []
        for raw in aliases:
            if not raw.strip():
                continue
            value = normalize.normalize_email(raw)
            if value not in own:
                own.add(value)
                kept.append(value)
        if len(kept) > 50:
            raise ValidationError(
                "At most 50 aliases per mailbox",
                "aliases",
                code="mail.accounts.most_aliases_per_mailbox",
            )
        row.aliases = "\n".join(kept)
    uow.session.flush()
    return view(row)


def remove(uow: UnitOfWork, actor: Actor, account_id: int) -> None:
    """Forget the account, its sync state and passwords. Imported
    interactions stay; waiting outbox mail must be sent or cancelled first."""
    from services.mail import credentials  # imapclient and keyring only when needed

    row = get_row(uow, actor, account_id)
    waiting = uow.session.scalar(
        select(func.count())
        .select_from(OutboxItem)
        .where(OutboxItem.account_id == row.id, OutboxItem.state.in_(("queued", "sending")))
    )
    if waiting:
        raise ValidationError(
            f"{waiting} letter(s) still wait in the outbox of {row.email}; "
            "send or cancel them first",
            code="mail.accounts.letter_still_wait_outbox",
            params={"waiting": str(waiting), "email": str(row.email)},
        )
    uid = row.uid
    uow.session.execute(
        OutboxItem.__table__.delete().where(OutboxItem.account_id == row.id)  # type: ignore[attr-defined]
    )
    uow.session.delete(row)
    uow.session.flush()
    credentials.forget(uid, "imap")
    credentials.forget(uid, "smtp")
