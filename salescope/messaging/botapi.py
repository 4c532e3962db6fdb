"""A minimal Telegram Bot API client (https://core.telegram.org/bots/api#making-requests) over urllib."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

DEFAULT_API_BASE = "https://api.telegram.org"
TIMEOUT_S = 10


class BotApiError(Exception):
    def __init__(self, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def bot_api_call(config: dict[str, Any], method: str, params: dict[str, Any]) -> Any:
    """POST `params` as JSON to `<api_base>/bot<token>/<method>` and return the `result` of an ok answer.

    No automatic retry: sendMessage has no idempotency key, so a resend after a lost answer could
    deliver the text twice. A 429 carries `retry_after` for the caller.
    """
    token = str(config.get("token") or "")
    if not token:
        raise BotApiError("the bot token is not configured")
    base = str(config.get("api_base") or DEFAULT_API_BASE).rstrip("/")
    request = urllib.request.Request(
        f"{base}/bot{token}/{method}",
        data=json.dumps(params).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:  # the Bot API explains failures in a JSON body
        body = exc.read()
        if not body:
            raise BotApiError(f"Bot API answered HTTP {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise BotApiError(f"Bot API unreachable: {reason}") from exc
    try:
        answer = json.loads(body)
    except ValueError as exc:
        raise BotApiError("Bot API answered with something that is not JSON") from exc
    if not isinstance(answer, dict) or not answer.get("ok"):
        answer = answer if isinstance(answer, dict) else {}
        parameters = answer.get("parameters") or {}
        retry_after = parameters.get("retry_after") if isinstance(parameters, dict) else None
        description = answer.get("description") or "request failed"
        raise BotApiError(f"Bot API: {description}", retry_after=retry_after if isinstance(retry_after, int) else None)
    return answer.get("result")
