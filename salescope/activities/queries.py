"""The client timeline: everything that happened with one contact, in one chronological list.

The timeline is read newest page first (a client can have thousands of calls): a page holds the
`limit` latest entries before a cursor, shown oldest first, and names the cursor of the page before it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from salescope.contacts.models import Contact
from salescope.core.scope import Scope, scoped
from salescope.deals.models import Deal, StageChange
from salescope.followups.models import Task

from .models import Activity

TIMELINE_PAGE = 100

# Entries at the same instant: a deal opens before it moves, things happen before tasks about them.
_RANK = {"deal_opened": 0, "stage_moved": 1, "activity": 2, "task_created": 3, "task_completed": 4}

SortKey = tuple[dt.datetime, int, int]


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    kind: str  # one of _RANK's keys
    pk: int  # of the record behind the entry
    activity: Activity | None = None
    deal: Deal | None = None
    stage_change: StageChange | None = None
    task: Task | None = None

    @property
    def sort_key(self) -> SortKey:
        return (self.at, _RANK[self.kind], self.pk)

    @property
    def cursor(self) -> str:
        return f"{self.at.isoformat()}~{_RANK[self.kind]}~{self.pk}"


@dataclass(frozen=True)
class TimelinePage:
    entries: list[TimelineEntry]  # oldest first
    earlier: str | None  # the cursor of the page before this one, None at the beginning of the history


def parse_cursor(text: str) -> SortKey:
    """The inverse of TimelineEntry.cursor; ValueError naming the input if it is not one."""
    try:
        at_text, rank, pk = text.split("~")
        at = dt.datetime.fromisoformat(at_text)
        key = (at, int(rank), int(pk))
    except ValueError as exc:
        raise ValueError(f"not a timeline cursor: {text!r}") from exc
    if at.tzinfo is None:
        raise ValueError(f"not a timeline cursor: {text!r}")
    return key


def _newest(queryset: QuerySet, field: str, before: SortKey | None, limit: int) -> QuerySet:  # type: ignore[type-arg]
    if before is not None:
        queryset = queryset.filter(**{f"{field}__lte": before[0]})
    return queryset.order_by(f"-{field}", "-pk")[: limit + 1]


def contact_timeline(
    *, scope: Scope, contact: Contact, before: SortKey | None = None, limit: int = TIMELINE_PAGE
) -> TimelinePage:
    """Activities, deals and their stage moves, tasks set and done: what the scope may see of `contact`.

    Always five queries, however long the history is.
    """
    about_contact = Q(contact=contact) | Q(deal__contact=contact)
    activities = scoped(Activity.objects.filter(about_contact), scope).select_related("user", "deal")
    deals = scoped(Deal.objects.filter(contact=contact), scope)
    opening = StageChange.objects.filter(deal=OuterRef("pk")).order_by("at", "id")
    opened = deals.select_related("owner", "pipeline").annotate(
        opening_stage=Subquery(opening.values("stage__name")[:1]),
        opening_kind=Subquery(opening.values("stage__kind")[:1]),
    )
    first_of_its_deal = StageChange.objects.filter(deal=OuterRef("deal")).order_by("at", "id").values("id")[:1]
    moves = (
        StageChange.objects.filter(deal__in=deals.values("pk"))
        .exclude(pk=Subquery(first_of_its_deal))
        .select_related("stage", "by", "deal")
    )
    tasks = scoped(Task.objects.filter(about_contact), scope).select_related("user", "deal")
    done = tasks.filter(completed_at__isnull=False)

    candidates: list[TimelineEntry] = []
    for a in _newest(activities, "started_at", before, limit):
        candidates.append(TimelineEntry(a.started_at, "activity", a.pk, activity=a))
    for d in _newest(opened, "created_at", before, limit):
        candidates.append(TimelineEntry(d.created_at, "deal_opened", d.pk, deal=d))
    for c in _newest(moves, "at", before, limit):
        candidates.append(TimelineEntry(c.at, "stage_moved", c.pk, deal=c.deal, stage_change=c))
    for t in _newest(tasks, "created_at", before, limit):
        candidates.append(TimelineEntry(t.created_at, "task_created", t.pk, task=t))
    for t in _newest(done, "completed_at", before, limit):
        candidates.append(TimelineEntry(t.completed_at, "task_completed", t.pk, task=t))

    if before is not None:
        candidates = [e for e in candidates if e.sort_key < before]
    candidates.sort(key=lambda e: e.sort_key, reverse=True)
    page = candidates[:limit]
    earlier = page[-1].cursor if len(candidates) > limit else None
    return TimelinePage(entries=page[::-1], earlier=earlier)


def reply_attempt_q(prefix: str = "") -> Q:
    """A reply attempt (metrics.md): a touch or an outbound call of any status."""
    p = prefix
    return (
        Q(**{f"{p}kind": "call", f"{p}direction": "out"})
        | Q(**{f"{p}kind": "call", f"{p}status": "answered"})
        | Q(**{f"{p}kind__in": ["email", "message"], f"{p}direction": "out"})
        | Q(**{f"{p}kind__in": ["proposal", "meeting"]})
    )


def missed_calls_unreturned(*, scope: Scope, since: dt.datetime, limit: int = 50) -> list[Activity]:
    """The scope user's own inbound missed calls since `since` (theirs, or a shared line's call from a client
    they own) with no reply attempt to the same contact after them yet, oldest first."""
    user_id = scope.user_id
    later_reply = Activity.objects.filter(
        reply_attempt_q(), contact=OuterRef("contact"), started_at__gt=OuterRef("started_at")
    )
    mine = Q(user_id=user_id) | Q(user__isnull=True, contact__owner_id=user_id)
    calls = (
        Activity.objects.filter(mine, kind="call", direction="in", status="missed", started_at__gte=since)
        .exclude(contact__isnull=True)
        .filter(~Exists(later_reply))
    )
    return list(calls.select_related("contact").order_by("started_at", "id")[:limit])


def activity_for_download(*, scope: Scope, activity_id: int) -> Activity:
    """One activity the scope may see; Activity.DoesNotExist outside it."""
    return scoped(Activity.objects.all(), scope).get(pk=activity_id)
