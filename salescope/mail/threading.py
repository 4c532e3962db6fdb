"""Conversations by RFC 5322 §3.6.4: a letter joins the thread of the message it replies to."""

from __future__ import annotations

from collections.abc import Sequence

from .models import MailMessage


def parent_of(in_reply_to: str, references: Sequence[str]) -> MailMessage | None:
    """The known message this letter answers: In-Reply-To first, then References from the nearest back."""
    candidates = [in_reply_to, *reversed(references)] if in_reply_to else list(reversed(references))
    candidates = [c for c in candidates if c]
    if not candidates:
        return None
    known = {m.message_id: m for m in MailMessage.objects.filter(message_id__in=candidates).select_related("activity")}
    return next((known[c] for c in candidates if c in known), None)


def thread_root_for(message_id: str, in_reply_to: str, references: Sequence[str], parent: MailMessage | None) -> str:
    """The parent's conversation, else the oldest id the letter refers to, else the letter itself."""
    if parent is not None:
        return parent.thread_root
    if references:
        return references[0]
    return in_reply_to or message_id


def references_after(parent_id: str, parent: MailMessage | None) -> list[str]:
    """The References of a reply to `parent_id`: the parent's own References, then the parent."""
    chain = parent.references.split() if parent is not None else []
    return [*chain, parent_id] if parent_id not in chain else chain
