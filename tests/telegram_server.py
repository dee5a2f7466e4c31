"""A small Telegram Bot API server for tests: getUpdates (long polling) and getMe.

Real HTTP on a free loopback port, so the real client is tested end to end.
It keeps Telegram's offset semantics: ``getUpdates?offset=N`` forgets every
update below N for good and returns the ones from N on; with none waiting
it holds the request up to ``timeout`` seconds (capped) until one arrives.
Tests queue messages with ``send``; ``raw_reply`` answers with bytes as they
are (hostile answers); every request's query is recorded.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOKEN = "123456789:AAEtouchpointTestBotToken_0123456789ab"
MAX_HOLD_SECONDS = 2.0  # tests never wait Telegram's full 25 s for nothing


class FakeTelegramServer:
    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.raw_reply: bytes | None = None
        self.status = 200
        self.requests: list[dict[str, str]] = []
        self._updates: list[dict[str, Any]] = []
        self._next_update = 1000
        self._next_message = 1
        self._confirmed_below = 0
        self._cond = threading.Condition()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self._httpd is not None
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def reset(self) -> None:
        with self._cond:
            self.raw_reply = None
            self.status = 200
            self.requests.clear()
            self._updates.clear()
            self._confirmed_below = self._next_update

    def send(
        self,
        text: str,
        *,
        chat_id: int = 501,
        first_name: str = "Иван",
        last_name: str = "Петров",
        username: str = "ivan_petrov",
        date: int = 1_790_000_000,
    ) -> int:
        """Queue a person's text message to the bot; returns its update_id."""
        with self._cond:
            update_id = self._next_update
            self._next_update += 1
            message_id = self._next_message
            self._next_message += 1
            person = {"id": chat_id, "is_bot": False, "first_name": first_name}
            if last_name:
                person["last_name"] = last_name
            if username:
                person["username"] = username
            self._updates.append(
                {
                    "update_id": update_id,
                    "message": {
                        "message_id": message_id,
                        "from": person,
                        "chat": {"id": chat_id, "type": "private", **person},
                        "date": date,
                        "text": text,
                    },
                }
            )
            self._cond.notify_all()
            return update_id

    def send_update(self, update: dict[str, Any]) -> int:
        """Queue any update (an edit, a sticker ...); its update_id is assigned here."""
        with self._cond:
            update_id = self._next_update
            self._next_update += 1
            self._updates.append({**update, "update_id": update_id})
            self._cond.notify_all()
            return update_id

    def pending(self) -> int:
        """Updates not confirmed yet by an offset above them."""
        with self._cond:
            return sum(1 for u in self._updates if u["update_id"] >= self._confirmed_below)

    def _get_updates(self, query: dict[str, str]) -> list[dict[str, Any]]:
        offset = int(query.get("offset", "0") or 0)
        limit = int(query.get("limit", "100") or 100)
        hold = min(float(query.get("timeout", "0") or 0), MAX_HOLD_SECONDS)
        with self._cond:
            if offset > self._confirmed_below:
                self._confirmed_below = offset
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            ready = [u for u in self._updates if u["update_id"] >= self._confirmed_below]
            if not ready and hold > 0:
                self._cond.wait(hold)
                ready = [u for u in self._updates if u["update_id"] >= self._confirmed_below]
            return ready[:limit]

    def start(self) -> FakeTelegramServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                parsed = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(parsed.query))
                server.requests.append({"path": parsed.path, **query})
                if server.raw_reply is not None:
                    self._answer(server.status, server.raw_reply)
                    return
                prefix = f"/bot{server.token}/"
                if not parsed.path.startswith(prefix):
                    body = {"ok": False, "error_code": 401, "description": "Unauthorized"}
                    self._answer(401, json.dumps(body).encode())
                    return
                method = parsed.path[len(prefix) :]
                if method == "getUpdates":
                    result: Any = server._get_updates(query)
                elif method == "getMe":
                    result = {
                        "id": 123456789,
                        "is_bot": True,
                        "first_name": "Touchpoint",
                        "username": "touchpoint_test_bot",
                    }
                else:
                    body = {"ok": False, "error_code": 404, "description": "Not Found"}
                    self._answer(404, json.dumps(body).encode())
                    return
                self._answer(200, json.dumps({"ok": True, "result": result}).encode())

            do_POST = do_GET  # noqa: N815

            def _answer(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._cond:
            self._cond.notify_all()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()


def telegram_server() -> Iterator[FakeTelegramServer]:
    server = FakeTelegramServer().start()
    try:
        yield server
    finally:
        server.stop()
