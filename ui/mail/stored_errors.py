"""A mailbox's or outbox letter's last error as the window shows it.

Mail sync and the outbox store the error's English sentence (the CLI prints
it); the network's few shapes (services.mail.imap.describe_network_error:
"127.0.0.1:993 refused the connection", "… did not answer in time", …)
have catalogue lines, so the Russian window showed "Ошибка: 127.0.0.1:993
refused the connection". These are worded from the catalogue; any other
sentence shows as stored.
"""

from __future__ import annotations

import re

from ui.shell import error_text

_SHAPES = (
    ("net.refused", re.compile(r"^(?P<server>\S+) refused the connection$")),
    ("net.timeout", re.compile(r"^(?P<server>\S+) did not answer in time$")),
    (
        "net.unknown_host",
        re.compile(r"^Cannot find the server (?P<server>\S+) \(offline or a typo\?\)$"),
    ),
    (
        "net.failed",
        re.compile(r"^Connection to (?P<server>\S+) failed: (?P<reason>.*)$", re.DOTALL),
    ),
)


def worded(stored: str | None) -> str:
    """The stored sentence in the window's language when it is a known shape."""
    if not stored:
        return ""
    for code, shape in _SHAPES:
        found = shape.match(stored)
        if found is not None:
            return error_text.worded(code, found.groupdict()) or stored
    return stored
