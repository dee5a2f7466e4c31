"""An imported call's summary, in the window's language.

The linking job stores a call's text as a short English line
(services.linking.call_links._interaction_row and its SQL twin in
call_bulk._BODY): the PBX's result or "call", the seconds, the extension
("answered, 30 s, ext. 12"). The CLI and exports keep that line; the Russian
feed showed it in English, so the window words this one fixed shape itself
and shows anything else (a summary edited by hand) as stored.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication

_SUMMARY = re.compile(r"^(?P<result>[^,]{1,50}), (?P<seconds>\d{1,9}) s(?:, ext\. (?P<ext>.+))?$")


def _result(result: str) -> str | None:
    """The results PBX logs write (Asterisk's dispositions lowercased by the
    import, "missed" from generic logs); None for one the window does not know."""
    return {
        "call": QCoreApplication.translate("CallSummary", "call"),
        "answered": QCoreApplication.translate("CallSummary", "answered"),
        "no answer": QCoreApplication.translate("CallSummary", "no answer"),
        "missed": QCoreApplication.translate("CallSummary", "missed"),
        "busy": QCoreApplication.translate("CallSummary", "busy"),
        "failed": QCoreApplication.translate("CallSummary", "failed"),
        "congestion": QCoreApplication.translate("CallSummary", "network busy"),
    }.get(result)


def duration(seconds: int) -> str:
    """45 s, 2 min 5 s, 1 h 3 min: a long call read at a glance."""
    if seconds < 60:
        return QCoreApplication.translate("CallSummary", "%1 s").replace("%1", str(seconds))
    if seconds < 3600:
        return (
            QCoreApplication.translate("CallSummary", "%1 min %2 s")
            .replace("%1", str(seconds // 60))
            .replace("%2", str(seconds % 60))
        )
    return (
        QCoreApplication.translate("CallSummary", "%1 h %2 min")
        .replace("%1", str(seconds // 3600))
        .replace("%2", str(seconds % 3600 // 60))
    )


def worded(summary: str) -> str:
    """The stored summary in the UI's language (as stored if its shape is
    unknown; a result the window does not know stays as the PBX wrote it)."""
    found = _SUMMARY.match(summary)
    if found is None:
        return summary
    result = _result(found["result"]) or found["result"]
    text = f"{result}, {duration(int(found['seconds']))}"
    if found["ext"]:
        text += ", " + QCoreApplication.translate("CallSummary", "ext. %1").replace(
            "%1", found["ext"]
        )
    return text
