"""A minimal Asterisk Manager Interface client over an asyncio socket: log in, then read events."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping


class AmiError(Exception):
    pass


def format_action(fields: Mapping[str, str]) -> bytes:
    return "".join(f"{key}: {value}\r\n" for key, value in fields.items()).encode() + b"\r\n"


async def read_message(reader: asyncio.StreamReader) -> dict[str, str] | None:
    """One AMI message (lines `Key: Value` up to an empty line); None when the connection closed."""
    message: dict[str, str] = {}
    while True:
        line = await reader.readline()
        if not line:
            return None
        text = line.decode("utf-8", errors="replace").rstrip("\r\n")
        if not text:
            if message:
                return message
            continue
        key, sep, value = text.partition(":")
        if sep:
            message[key.strip()] = value.strip()


async def ami_events(
    host: str, port: int, username: str, secret: str, *, events: str = "call,cdr", timeout: float = 10
) -> AsyncIterator[dict[str, str]]:
    """Connect, log in, and yield every event message until the server closes the connection."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    try:
        banner = await asyncio.wait_for(reader.readline(), timeout)
        if not banner.startswith(b"Asterisk Call Manager"):
            raise AmiError(f"not an AMI server: {banner[:60]!r}")
        login = {"Action": "Login", "Username": username, "Secret": secret, "Events": events}
        writer.write(format_action({**login, "ActionID": "salescope-login"}))
        await writer.drain()
        while True:
            reply = await asyncio.wait_for(read_message(reader), timeout)
            if reply is None:
                raise AmiError("the AMI server closed the connection during login")
            if reply.get("ActionID") == "salescope-login" or "Response" in reply:
                break
        if reply.get("Response") != "Success":
            raise AmiError(f"AMI login refused: {reply.get('Message', reply.get('Response', '?'))}")
        while (message := await read_message(reader)) is not None:
            if "Event" in message:
                yield message
    finally:
        writer.close()
        try:
            await writer.wait_closed()
        except OSError:
            pass
