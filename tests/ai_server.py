"""A small OpenAI-compatible server for tests: POST /v1/chat/completions.

Real HTTP on a free loopback port, so the real ``openai`` client is tested
end to end. Told what to do through attributes: the reply, a delay per
chunk, a status to fail with, hanging, a required key, the known models.
It records every request it received, to assert exactly what was sent.
"""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    404: "not_found_error",
    429: "rate_limit_error",
}


@dataclasses.dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", []))


class FakeAIServer:
    """Start with ``start()`` (or as a context manager); ``url`` ends in /v1."""

    def __init__(self) -> None:
        self.reply = "Здравствуйте! Это тестовое письмо."
        self.chunks: list[str] | None = None  # None: the reply split after spaces
        self.chunk_delay = 0.0
        self.fail_status: int | None = None
        self.fail_message = "failed on purpose"
        self.hang = False  # accept the request and never answer (until stop)
        self.hang_after_chunks: int | None = None  # stream some, then stall
        self.api_key: str | None = None  # when set, "Bearer <key>" is required
        self.models: set[str] | None = None  # when set, other models get 404
        self.raw_reply: bytes | None = None  # when set, answer 200 with these bytes as they are
        self.received: list[Received] = []
        self.stream_aborted = threading.Event()  # the client hung up mid-stream
        self.stream_finished = threading.Event()  # a stream was sent to [DONE]
        self._release = threading.Event()
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self._httpd is not None, "start the server first"
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def start(self) -> FakeAIServer:
        server = self

        class Handler(_Handler):
            fake = server

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def record(self, item: Received) -> None:
        with self._lock:
            self.received.append(item)

    def pieces(self) -> list[str]:
        if self.chunks is not None:
            return list(self.chunks)
        words = self.reply.split(" ")
        return [w + " " for w in words[:-1]] + [words[-1]]

    def wait_released(self, seconds: float = 30.0) -> None:
        self._release.wait(seconds)


class _Handler(BaseHTTPRequestHandler):
    fake: FakeAIServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _json(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, message: str) -> None:
        kind = ERROR_TYPES.get(status, "server_error")
        self._json(status, {"error": {"message": message, "type": kind, "code": None}})

    def do_POST(self) -> None:
        fake = self.fake
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {"_raw": raw.decode("utf-8", "replace")}
        fake.record(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
        if self.path.rstrip("/") != "/v1/chat/completions":
            self._error(404, f"no route {self.path}")
            return
        if fake.hang:
            fake.wait_released()
            return
        if fake.api_key is not None and self.headers.get("Authorization") != (
            f"Bearer {fake.api_key}"
        ):
            self._error(401, "Incorrect API key provided")
            return
        model = str(body.get("model", ""))
        if fake.models is not None and model not in fake.models:
            self._error(404, f"model '{model}' not found")
            return
        if fake.fail_status is not None:
            self._error(fake.fail_status, fake.fail_message)
            return
        if fake.raw_reply is not None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(fake.raw_reply)))
            self.end_headers()
            self.wfile.write(fake.raw_reply)
            return
        if body.get("stream"):
            self._stream(model)
        else:
            self._json(200, _completion(model, fake.reply))

    def _stream(self, model: str) -> None:
        fake = self.fake
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        try:
            for event in _chunks(model, fake.pieces(), fake):
                self.wfile.write(event)
                self.wfile.flush()
            fake.stream_finished.set()
        except (BrokenPipeError, ConnectionResetError):
            fake.stream_aborted.set()


def _completion(model: str, text: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _event(model: str, delta: dict[str, Any], finish: str | None) -> bytes:
    chunk = {
        "id": "chatcmpl-test",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode()


def _chunks(model: str, pieces: list[str], fake: FakeAIServer) -> Iterator[bytes]:
    yield _event(model, {"role": "assistant", "content": ""}, None)
    for i, piece in enumerate(pieces):
        if fake.hang_after_chunks is not None and i == fake.hang_after_chunks:
            fake.wait_released()
            return
        if fake.chunk_delay:
            time.sleep(fake.chunk_delay)
        yield _event(model, {"content": piece}, None)
    yield _event(model, {}, "stop")
    yield b"data: [DONE]\n\n"
