"""Remote images of one letter, fetched only when its reader asks.

Off by default (tracking pixels tell the sender when and where a letter was
read). Only http(s), only images, bounded in count, size and time; nothing
is cached or sent back but the request itself.
"""

from __future__ import annotations

import logging
import urllib.request
from collections.abc import Iterable

log = logging.getLogger(__name__)

MAX_IMAGES = 30
MAX_BYTES = 5 * 1024 * 1024
TIMEOUT_S = 10.0


class _NoRedirectToOtherSchemes(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if not newurl.lower().startswith(("http://", "https://")):
            return None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_opener = urllib.request.build_opener(_NoRedirectToOtherSchemes())


def fetch_images(urls: Iterable[str], timeout: float = TIMEOUT_S) -> dict[str, bytes]:
    """The images that could be fetched; failures are skipped (and logged)."""
    found: dict[str, bytes] = {}
    for url in list(dict.fromkeys(urls))[:MAX_IMAGES]:
        if not url.lower().startswith(("http://", "https://")):
            continue
        request = urllib.request.Request(url, headers={"User-Agent": "Touchpoint"})
        try:
            with _opener.open(request, timeout=timeout) as response:
                kind = response.headers.get_content_type()
                if not kind.startswith("image/"):
                    continue
                data = response.read(MAX_BYTES + 1)
        except (OSError, ValueError) as exc:
            log.info("remote image %s not loaded: %s", url, exc)
            continue
        if len(data) <= MAX_BYTES:
            found[url] = data
    return found
