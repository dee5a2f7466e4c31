"""AI drafts through the ``openai`` client, from any OpenAI-compatible server.

Async on purpose: the app runs a qasync loop, so a generation streams into
its dialog without a thread and stops the moment the user cancels (SPEC E3).
The model gets the messages ``ai_settings.preview`` showed and no tools.
Every failure reaches the user as a ``UserError`` that says what to do; the
API key is never logged nor put in a message.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, Awaitable, Sequence
from typing import TYPE_CHECKING, TypeVar

from services.ai.settings import AiConfig, Message, safe_url
from services.core.errors import EnvironmentFault, UserError

if TYPE_CHECKING:
    import openai
    from openai.types.chat import ChatCompletionMessageParam

log = logging.getLogger(__name__)

# "Test connection" (Settings → AI, ``touchpoint ai test``): a one-word generation.
TEST_MESSAGES = (Message("user", "Reply with the single word OK."),)
T = TypeVar("T")

# Sent when no key is saved: the client library insists on one, local servers ignore it.
NO_KEY = "not-needed"


class AiUnavailable(EnvironmentFault):
    """The server could not answer now (unreachable, too slow, busy, failed):
    trying again later may work, so a generation can be queued (SPEC E3).
    ``unreachable`` is the no-network case the dialog offers the queue for."""

    def __init__(
        self,
        message: str,
        *,
        unreachable: bool = False,
        code: str | None = None,
        params: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message, code=code, params=params)
        self.unreachable = unreachable


def _client(config: AiConfig) -> openai.AsyncOpenAI:
    import openai

    client = openai.AsyncOpenAI(
        base_url=config.base_url,
        api_key=config.api_key or NO_KEY,
        timeout=config.timeout_s,
        max_retries=0,
    )
    client.chat.completions  # noqa: B018 - imports the resource modules here, too
    return client


async def _open(config: AiConfig) -> openai.AsyncOpenAI:
    """A client made in a worker thread: importing ``openai`` (~0.6 s the
    first time) and loading the CA certificates (~20 ms) must not freeze the
    GUI thread the event loop runs on."""
    return await asyncio.to_thread(_client, config)


def _params(messages: Sequence[Message]) -> list[ChatCompletionMessageParam]:
    out: list[ChatCompletionMessageParam] = []
    for m in messages:
        if m.role == "system":
            out.append({"role": "system", "content": m.content})
        else:
            out.append({"role": "user", "content": m.content})
    return out


def _server_says(exc: openai.APIStatusError) -> str:
    """The server's own short explanation, if it gave one."""
    body = exc.body
    message = body.get("message") if isinstance(body, dict) else None
    if not isinstance(message, str) or not message.strip():
        return ""
    return ": " + " ".join(message.split())[:200]


def translate(exc: openai.OpenAIError, config: AiConfig) -> UserError:
    """A message a person can act on, for each way a generation fails."""
    import openai

    where = f"The AI server at {safe_url(config.base_url)}"
    url = {"url": safe_url(config.base_url)}
    if isinstance(exc, openai.APITimeoutError):
        return AiUnavailable(
            f"{where} did not answer within {config.timeout_s:g} s; try again, "
            "raise the timeout in Settings → AI, or write the letter by hand",
            code="ai.timeout",
            params=url | {"seconds": f"{config.timeout_s:g}"},
        )
    if isinstance(exc, openai.APIConnectionError):
        return AiUnavailable(
            f"{where} cannot be reached; queue the generation or write by hand",
            unreachable=True,
            code="ai.unreachable",
            params=url,
        )
    if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
        return UserError(
            f"{where} refused the API key (HTTP {exc.status_code}); check the key in Settings → AI",
            code="ai.key_refused",
            params=url | {"status": str(exc.status_code)},
        )
    if isinstance(exc, openai.NotFoundError):
        return UserError(
            f"{where} does not know the model {config.model!r} (HTTP 404){_server_says(exc)}; "
            "check the model name and that the address ends in /v1 in Settings → AI",
            code="ai.unknown_model",
            params=url | {"model": repr(config.model), "says": _server_says(exc)},
        )
    if isinstance(exc, openai.RateLimitError):
        return AiUnavailable(
            f"{where} is limiting requests (HTTP 429){_server_says(exc)}; "
            "wait a minute and regenerate, or write by hand",
            code="ai.rate_limited",
            params=url | {"says": _server_says(exc)},
        )
    if isinstance(exc, openai.APIStatusError):
        if exc.status_code >= 500:
            return AiUnavailable(
                f"{where} failed (HTTP {exc.status_code}); try again later or write by hand",
                code="ai.server_failed",
                params=url | {"status": str(exc.status_code)},
            )
        return UserError(
            f"{where} refused the request (HTTP {exc.status_code}){_server_says(exc)}",
            code="ai.request_refused",
            params=url | {"status": str(exc.status_code), "says": _server_says(exc)},
        )
    if isinstance(exc, openai.APIError):
        said = " ".join(exc.message.split())[:200]
        return EnvironmentFault(
            f"{where} reported an error: {said}",
            code="ai.server_error",
            params=url | {"error": said},
        )
    return EnvironmentFault(
        f"{where} could not be used: {type(exc).__name__}",
        code="ai.not_usable",
        params=url | {"error": type(exc).__name__},
    )


async def _unless_cancelled(aw: Awaitable[T], cancel: asyncio.Event | None) -> T | None:
    """The awaitable's result, or None as soon as ``cancel`` is set.

    Waiting for the answer's headers can take long (Ollama loads the model
    first), and so can the next chunk: the user's Stop must not wait for them.
    """
    if cancel is None:
        return await aw
    if cancel.is_set():
        if asyncio.iscoroutine(aw):
            aw.close()  # never started: no "never awaited" warning
        return None
    step = asyncio.ensure_future(aw)
    stop = asyncio.ensure_future(cancel.wait())
    try:
        await asyncio.wait((step, stop), return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (step, stop):
            if not task.done():
                task.cancel()
        # Let both settle, so no task is left pending and no error unread.
        await asyncio.gather(step, stop, return_exceptions=True)
    if cancel.is_set() or step.cancelled():
        return None  # the user asked to stop: a chunk that came with it is dropped
    return step.result()


async def stream_draft(
    config: AiConfig,
    messages: Sequence[Message],
    *,
    cancel: asyncio.Event | None = None,
) -> AsyncGenerator[str, None]:
    """Text of the letter as it is generated.

    Setting ``cancel`` ends the stream quietly (what was yielded stays);
    cancelling the consuming task raises ``CancelledError`` as usual. Either
    way the HTTP response and the client are closed. Consume it inside
    ``contextlib.aclosing`` so that breaking out early closes it too.
    """
    import openai

    async with await _open(config) as client:
        try:
            stream = await _unless_cancelled(
                client.chat.completions.create(
                    model=config.model, messages=_params(messages), stream=True
                ),
                cancel,
            )
        except openai.OpenAIError as exc:
            raise translate(exc, config) from None
        if stream is not None:
            async with stream:
                while True:
                    try:
                        chunk = await _unless_cancelled(anext(stream, None), cancel)
                    except openai.OpenAIError as exc:
                        raise translate(exc, config) from None
                    if chunk is None:
                        break
                    for piece in _chunk_texts(chunk, config):
                        yield piece
    if cancel is not None and cancel.is_set():
        log.info("AI generation at %s cancelled by the user", safe_url(config.base_url))


def _not_a_completion(config: AiConfig) -> AiUnavailable:
    return AiUnavailable(
        f"The AI server at {safe_url(config.base_url)} answered with something other than "
        "a chat completion; check the server address in the AI settings",
        code="ai.not_a_completion",
        params={"url": safe_url(config.base_url)},
    )


def _answer_text(answer: object, config: AiConfig) -> str | None:
    """The letter in an answer of any shape: a server may send HTML or other
    JSON with status 200, and the client library then hands us a str or a
    half-built object rather than failing."""
    choices = getattr(answer, "choices", None)
    if choices is None:
        if isinstance(answer, str | bytes):
            raise _not_a_completion(config)
        return None
    try:
        text = choices[0].message.content if choices else None
    except (AttributeError, IndexError, KeyError, TypeError):
        raise _not_a_completion(config) from None
    if text is not None and not isinstance(text, str):
        raise _not_a_completion(config)
    return text


def _chunk_texts(chunk: object, config: AiConfig) -> list[str]:
    choices = getattr(chunk, "choices", None)
    if not isinstance(choices, list):
        raise _not_a_completion(config)
    pieces = []
    for choice in choices:
        content = getattr(getattr(choice, "delta", None), "content", None)
        if content is not None and not isinstance(content, str):
            raise _not_a_completion(config)
        if content:
            pieces.append(content)
    return pieces


async def draft(config: AiConfig, messages: Sequence[Message]) -> str:
    """The whole letter in one answer (no streaming)."""
    import openai

    async with await _open(config) as client:
        try:
            answer = await client.chat.completions.create(
                model=config.model, messages=_params(messages), stream=False
            )
        except openai.OpenAIError as exc:
            raise translate(exc, config) from None
    text = _answer_text(answer, config)
    if not text or not text.strip():
        raise EnvironmentFault(
            f"The AI server at {safe_url(config.base_url)} answered with no text; "
            "regenerate or write by hand",
            code="ai.client.ai_server_answered_no",
            params={"base_url": str(safe_url(config.base_url))},
        )
    return text
