"""Every metric of metrics.md, declared once: key, unit, family, labels, definitions, items and aggregate.

A metric's value for a user, a team or the department is `aggregate(items)`, where
`items` are the records of `source` (see facts.py) that pass `where` and belong to
the group (team values pool the records of the members; the department takes all
records, including those with no user). The drill-down lists exactly those items.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import aggregates as agg
from .aggregates import Aggregate

UNITS = ("count", "seconds", "money", "share", "ratio", "object")
POOLED = "pooled"


@dataclass(frozen=True)
class Metric:
    key: str
    family: str
    unit: str
    source: str
    where: Callable[[Any], bool]
    aggregate: Aggregate
    label_en: str
    label_ru: str
    doc_en: str
    doc_ru: str
    rollup: str = POOLED


@dataclass(frozen=True)
class Family:
    key: str
    title_en: str
    title_ru: str
    scope_en: str
    scope_ru: str


FAMILIES = (
    Family(
        "productivity",
        "Productivity",
        "Продуктивность",
        "Per activity user, activities started in P.",
        "По пользователю активности, активности, начатые в периоде P.",
    ),
    Family(
        "speed",
        "Speed of reaction to new leads",
        "Скорость реакции на новые лиды",
        "Per deal owner, deals created in P.",
        "По владельцу сделки, сделки, созданные в P.",
    ),
    Family(
        "callbacks",
        "Callbacks",
        "Перезвоны",
        "Per task user, callback tasks with due_at in P and due_at ≤ as_of.",
        "По исполнителю задачи, задачи-перезвоны со сроком в P и не позже as_of.",
    ),
    Family("sales", "Sales", "Продажи", "Per deal owner.", "По владельцу сделки."),
    Family(
        "quality",
        "Quality",
        "Качество",
        "Per activity user, QA reviews of calls started in P.",
        "По пользователю звонка, оценки звонков, начатых в P.",
    ),
    Family(
        "plan",
        "Plan (KPI) fulfilment",
        "Выполнение плана (KPI)",
        "Per user and team, only when P is exactly whole calendar months.",
        "По пользователю и команде, только когда P — ровно целые календарные месяцы.",
    ),
    Family(
        "funnel",
        "Funnel",
        "Воронка",
        "Per pipeline, deals created in P, the department.",
        "По воронке, сделки, созданные в P, весь отдел.",
    ),
    Family(
        "end_to_end",
        "End-to-end analytics",
        "Сквозная аналитика",
        "Per contact source, and per source + campaign; leads are deals created in P.",
        "По источнику контакта и по источнику + кампании; лиды — сделки, созданные в P.",
    ),
)


def _always(item: Any) -> bool:
    return True


def _call(direction: str | None = None, status: str | None = None) -> Callable[[Any], bool]:
    def where(item: Any) -> bool:
        return bool(
            item.kind == "call"
            and (direction is None or item.direction == direction)
            and (status is None or item.status == status)
        )

    return where


def _kind(kind: str, direction: str | None = None) -> Callable[[Any], bool]:
    def where(item: Any) -> bool:
        return bool(item.kind == kind and (direction is None or item.direction == direction))

    return where


def _answered_inbound_with_wait(item: Any) -> bool:
    return bool(
        item.kind == "call" and item.direction == "in" and item.status == "answered" and item.wait_s is not None
    )


def _attr(name: str) -> Callable[[Any], bool]:
    def where(item: Any) -> bool:
        return bool(getattr(item, name))

    return where


def _status(status: str) -> Callable[[Any], bool]:
    def where(item: Any) -> bool:
        return bool(item.status == status)

    return where


def _not_pending(item: Any) -> bool:
    return bool(item.status != "pending")


def _won_multi(item: Any) -> bool:
    return bool(item.won and item.products >= 2)


def _won_repeat(item: Any) -> bool:
    return bool(item.won and item.repeat_of is not None)


def _no_response(item: Any) -> bool:
    return not item.responded


def _share_on_time(item: Any) -> bool:
    return bool(item.status == "on_time")


def _multi(item: Any) -> bool:
    return bool(item.products >= 2)


METRICS: tuple[Metric, ...] = (
    # --- productivity -----------------------------------------------------------------------------
    Metric(
        "calls_in",
        "productivity",
        "count",
        "activities",
        _call("in"),
        agg.count,
        "Inbound calls",
        "Входящие звонки",
        "Inbound calls (any status) started in P.",
        "Входящие звонки (любой статус), начатые в P.",
    ),
    Metric(
        "calls_in_missed",
        "productivity",
        "count",
        "activities",
        _call("in", "missed"),
        agg.count,
        "Missed inbound calls",
        "Пропущенные входящие",
        "Inbound calls with status missed started in P.",
        "Входящие звонки со статусом «пропущен», начатые в P.",
    ),
    Metric(
        "calls_out",
        "productivity",
        "count",
        "activities",
        _call("out"),
        agg.count,
        "Outbound calls",
        "Исходящие звонки",
        "Outbound calls of any status started in P.",
        "Исходящие звонки любого статуса, начатые в P.",
    ),
    Metric(
        "calls_out_answered",
        "productivity",
        "count",
        "activities",
        _call("out", "answered"),
        agg.count,
        "Answered outbound calls",
        "Состоявшиеся исходящие",
        "Outbound calls with status answered started in P.",
        "Исходящие звонки со статусом «отвечен», начатые в P.",
    ),
    Metric(
        "talk_time_s",
        "productivity",
        "seconds",
        "activities",
        _call(status="answered"),
        agg.total("duration_s"),
        "Talk time, s",
        "Время разговоров, с",
        "Sum of duration_s over answered calls (both directions) started in P; 0 when there are none.",
        "Сумма duration_s по отвеченным звонкам (в обе стороны), начатым в P; 0, если их нет.",
    ),
    Metric(
        "avg_call_duration_s",
        "productivity",
        "seconds",
        "activities",
        _call(status="answered"),
        agg.mean("duration_s"),
        "Average call duration, s",
        "Средняя длительность звонка, с",
        "talk_time_s divided by the number of answered calls; null when there are no answered calls.",
        "talk_time_s, делённое на число отвеченных звонков; null, если отвеченных нет.",
    ),
    Metric(
        "answer_wait_avg_s",
        "productivity",
        "seconds",
        "activities",
        _answered_inbound_with_wait,
        agg.mean("wait_s"),
        "Average answer wait, s",
        "Среднее ожидание ответа, с",
        "Mean wait_s over answered inbound calls that have wait_s; null when there are none.",
        "Среднее wait_s по отвеченным входящим звонкам, у которых оно указано; null, если таких нет.",
    ),
    Metric(
        "emails_out",
        "productivity",
        "count",
        "activities",
        _kind("email", "out"),
        agg.count,
        "Outbound e-mails",
        "Исходящие письма",
        "Outbound e-mails started in P.",
        "Исходящие письма, отправленные в P.",
    ),
    Metric(
        "messages_out",
        "productivity",
        "count",
        "activities",
        _kind("message", "out"),
        agg.count,
        "Outbound messages",
        "Исходящие сообщения",
        "Outbound messages started in P.",
        "Исходящие сообщения, отправленные в P.",
    ),
    Metric(
        "meetings",
        "productivity",
        "count",
        "activities",
        _kind("meeting"),
        agg.count,
        "Meetings",
        "Встречи",
        "Activities of kind meeting started in P.",
        "Активности вида «встреча», начатые в P.",
    ),
    Metric(
        "proposals_sent",
        "productivity",
        "count",
        "activities",
        _kind("proposal"),
        agg.count,
        "Proposals sent",
        "Отправленные КП",
        "Activities of kind proposal (any direction) started in P.",
        "Активности вида «коммерческое предложение» (любого направления), начатые в P.",
    ),
    Metric(
        "new_contacts_reached",
        "productivity",
        "count",
        "first_touches",
        _always,
        agg.distinct("contact"),
        "New contacts reached",
        "Новые контакты",
        "Contacts whose first touch ever (by anyone, up to as_of) is in P and is this user's; when several users "
        "touch the contact at that same first instant it counts for each of them. A team or the department counts "
        "each contact once.",
        "Контакты, первое касание которых за всё время (кем угодно, до as_of) попадает в P и сделано этим "
        "пользователем; если в тот же первый момент контакта коснулись несколько пользователей, он засчитывается "
        "каждому. Команда и отдел считают каждый контакт один раз.",
    ),
    Metric(
        "missed_calls_returned",
        "productivity",
        "count",
        "missed_calls",
        _attr("replied"),
        agg.count,
        "Missed calls returned",
        "Перезвоны на пропущенные",
        "Missed inbound calls in P followed by a reply attempt to the same contact, by anyone, strictly after the "
        "missed call, within 24 hours of it (inclusive) and at or before as_of. A missed call with no contact is "
        "never returned.",
        "Пропущенные входящие в P, после которых кто угодно сделал попытку ответа тому же контакту — строго позже "
        "звонка, не позднее чем через 24 часа (включительно) и не позже as_of. Пропущенный без контакта не "
        "считается возвращённым.",
    ),
    Metric(
        "missed_call_return_rate",
        "productivity",
        "share",
        "missed_calls",
        _always,
        agg.share(_attr("replied")),
        "Missed call return rate",
        "Доля перезвонов на пропущенные",
        "missed_calls_returned / calls_in_missed; null when there were no missed calls.",
        "missed_calls_returned / calls_in_missed; null, если пропущенных не было.",
    ),
    Metric(
        "missed_call_return_median_s",
        "productivity",
        "seconds",
        "missed_calls",
        _attr("replied"),
        agg.median("delay_s"),
        "Median time to return a missed call, s",
        "Медиана времени перезвона, с",
        "Median delay from a missed call to its first qualifying reply attempt, over returned missed calls.",
        "Медиана задержки от пропущенного звонка до первой подходящей попытки ответа по возвращённым звонкам.",
    ),
    Metric(
        "inbound_messages",
        "productivity",
        "count",
        "inbound_messages",
        _always,
        agg.count,
        "Inbound messages",
        "Входящие сообщения",
        "Inbound activities of kind message or email started in P.",
        "Входящие активности вида «сообщение» или «письмо», начатые в P.",
    ),
    Metric(
        "inbound_messages_replied",
        "productivity",
        "count",
        "inbound_messages",
        _attr("replied"),
        agg.count,
        "Inbound messages replied",
        "Отвеченные входящие сообщения",
        "Inbound messages in P followed by a reply attempt to the same contact, by anyone, strictly after the "
        "message, within 24 hours of it (inclusive) and at or before as_of.",
        "Входящие сообщения в P, после которых кто угодно сделал попытку ответа тому же контакту — строго позже, "
        "не позднее чем через 24 часа (включительно) и не позже as_of.",
    ),
    Metric(
        "message_reply_median_s",
        "productivity",
        "seconds",
        "inbound_messages",
        _attr("replied"),
        agg.median("delay_s"),
        "Median message reply time, s",
        "Медиана времени ответа на сообщение, с",
        "Median delay from an inbound message to its first qualifying reply attempt, over replied messages.",
        "Медиана задержки от входящего сообщения до первой подходящей попытки ответа по отвеченным сообщениям.",
    ),
    Metric(
        "active_days",
        "productivity",
        "count",
        "reply_attempts",
        _always,
        agg.distinct("local_date"),
        "Active days",
        "Активные дни",
        "Distinct local dates (in the report's time zone) in P on which the user made at least one reply attempt; "
        "a team counts the distinct dates of any member.",
        "Число различных местных дат (в часовом поясе отчёта) в P, когда пользователь сделал хотя бы одну попытку "
        "ответа; у команды — различные даты любого участника.",
    ),
    Metric(
        "activities_per_active_day",
        "productivity",
        "ratio",
        "reply_attempts",
        _always,
        agg.per_distinct("local_date"),
        "Activities per active day",
        "Активностей в активный день",
        "Reply attempts in P divided by active_days; null when there are no active days.",
        "Попытки ответа в P, делённые на active_days; null, если активных дней нет.",
    ),
    # --- speed ------------------------------------------------------------------------------------
    Metric(
        "leads_new",
        "speed",
        "count",
        "leads",
        _always,
        agg.count,
        "New leads",
        "Новые лиды",
        "Deals created in P.",
        "Сделки, созданные в P.",
    ),
    Metric(
        "first_response_median_s",
        "speed",
        "seconds",
        "leads",
        _attr("responded"),
        agg.median("delay_s"),
        "Median first response, s",
        "Медиана первого ответа, с",
        "Median, over leads with a response, of the time from deal creation to the first reply attempt to the "
        "deal's contact, by anyone, started at or after the deal's creation and at or before as_of.",
        "Медиана по лидам с ответом времени от создания сделки до первой попытки ответа контакту сделки (кем угодно), "
        "начатой не раньше создания сделки и не позже as_of.",
    ),
    Metric(
        "first_response_p90_s",
        "speed",
        "seconds",
        "leads",
        _attr("responded"),
        agg.p90("delay_s"),
        "First response p90, s",
        "90-й перцентиль первого ответа, с",
        "The 90th percentile (nearest rank ceil(9n/10)) of the same first-response delays.",
        "90-й перцентиль (ближайший ранг ceil(9n/10)) тех же задержек первого ответа.",
    ),
    Metric(
        "leads_without_response",
        "speed",
        "count",
        "leads",
        _no_response,
        agg.count,
        "Leads without response",
        "Лиды без ответа",
        "Leads with no such reply attempt.",
        "Лиды без такой попытки ответа.",
    ),
    Metric(
        "first_response_sla_rate",
        "speed",
        "share",
        "leads",
        _always,
        agg.share(_attr("within_sla")),
        "First response within 15 min",
        "Доля ответов за 15 минут",
        "Leads whose first response came within 900 s (inclusive) divided by leads_new; null with no leads.",
        "Доля лидов, получивших первый ответ не позднее 900 с (включительно), от leads_new; null без лидов.",
    ),
    # --- callbacks --------------------------------------------------------------------------------
    Metric(
        "callbacks_due",
        "callbacks",
        "count",
        "callbacks",
        _always,
        agg.count,
        "Callbacks due",
        "Перезвоны к сроку",
        "Callback tasks with due_at in P and due_at at or before as_of (and created at or before as_of).",
        "Задачи-перезвоны со сроком в P и не позже as_of (созданные не позже as_of).",
    ),
    Metric(
        "callbacks_on_time",
        "callbacks",
        "count",
        "callbacks",
        _status("on_time"),
        agg.count,
        "Callbacks on time",
        "Перезвоны вовремя",
        "The task's user made an outbound call (any status) to the client (the task's contact, else its deal's "
        "contact) started in [created_at, due_at + 1800 s] and at or before as_of.",
        "Исполнитель задачи сделал исходящий звонок (любой статус) клиенту (контакт задачи, иначе контакт её "
        "сделки), начатый в [created_at, due_at + 1800 с] и не позже as_of.",
    ),
    Metric(
        "callbacks_pending",
        "callbacks",
        "count",
        "callbacks",
        _status("pending"),
        agg.count,
        "Callbacks pending",
        "Перезвоны в ожидании",
        "Not on time, and as_of is before due_at + 1800 s.",
        "Не выполнены вовремя, а as_of раньше due_at + 1800 с.",
    ),
    Metric(
        "callbacks_late",
        "callbacks",
        "count",
        "callbacks",
        _status("late"),
        agg.count,
        "Callbacks late",
        "Перезвоны с опозданием",
        "The user's first such call after created_at started after due_at + 1800 s (and at or before as_of).",
        "Первый такой звонок исполнителя после created_at начат позже due_at + 1800 с (и не позже as_of).",
    ),
    Metric(
        "callbacks_missed",
        "callbacks",
        "count",
        "callbacks",
        _status("missed"),
        agg.count,
        "Callbacks missed",
        "Пропущенные перезвоны",
        "The window has passed and there is no such call (always the case for a callback with no client). "
        "Completing the task without a call, or a call by another user, does not count.",
        "Окно прошло, а такого звонка нет (так всегда для перезвона без клиента). Закрытие задачи без звонка "
        "или звонок другого пользователя не засчитываются.",
    ),
    Metric(
        "callback_on_time_rate",
        "callbacks",
        "share",
        "callbacks",
        _not_pending,
        agg.share(_share_on_time),
        "Callbacks on time, share",
        "Доля перезвонов вовремя",
        "callbacks_on_time / (callbacks_due − callbacks_pending); null when the denominator is 0.",
        "callbacks_on_time / (callbacks_due − callbacks_pending); null при нулевом знаменателе.",
    ),
    # --- sales ------------------------------------------------------------------------------------
    Metric(
        "deals_won",
        "sales",
        "count",
        "closed_deals",
        _attr("won"),
        agg.count,
        "Deals won",
        "Выигранные сделки",
        "Deals whose current stage (as of as_of) is of kind won and whose closed_at — the time of that last "
        "change — is in P. A deal won and then reopened is open.",
        "Сделки, текущий этап которых (на as_of) выигрышный, а closed_at — время этого последнего перехода — в P. "
        "Выигранная и вновь открытая сделка считается открытой.",
    ),
    Metric(
        "deals_lost",
        "sales",
        "count",
        "closed_deals",
        _attr("lost"),
        agg.count,
        "Deals lost",
        "Проигранные сделки",
        "Deals whose current stage is of kind lost with closed_at in P.",
        "Сделки, текущий этап которых проигрышный, с closed_at в P.",
    ),
    Metric(
        "win_rate",
        "sales",
        "share",
        "closed_deals",
        _always,
        agg.share(_attr("won")),
        "Win rate",
        "Доля выигранных",
        "deals_won / (deals_won + deals_lost); null when both are 0.",
        "deals_won / (deals_won + deals_lost); null, если обе величины равны 0.",
    ),
    Metric(
        "revenue_won",
        "sales",
        "money",
        "closed_deals",
        _attr("won"),
        agg.money_total("amount"),
        "Revenue won",
        "Выручка по выигранным",
        "Sum of amount over deals_won.",
        "Сумма amount по deals_won.",
    ),
    Metric(
        "avg_check",
        "sales",
        "money",
        "closed_deals",
        _attr("won"),
        agg.money_mean("amount"),
        "Average deal",
        "Средний чек",
        "revenue_won / deals_won, rounded half-up to 2 places; null with no won deals.",
        "revenue_won / deals_won с округлением половины вверх до 2 знаков; null без выигранных сделок.",
    ),
    Metric(
        "sales_cycle_median_s",
        "sales",
        "seconds",
        "closed_deals",
        _attr("won"),
        agg.median("cycle_s"),
        "Median sales cycle, s",
        "Медиана цикла сделки, с",
        "Median over deals_won of closed_at − start, where start is the earliest of the deal's created_at and "
        "the started_at of any non-note activity linked to the deal.",
        "Медиана по deals_won величины closed_at − start, где start — самое раннее из created_at сделки и "
        "started_at любой привязанной к ней активности, кроме заметок.",
    ),
    Metric(
        "sales_cycle_mean_s",
        "sales",
        "seconds",
        "closed_deals",
        _attr("won"),
        agg.mean("cycle_s"),
        "Mean sales cycle, s",
        "Средний цикл сделки, с",
        "Mean over deals_won of closed_at − start.",
        "Среднее по deals_won величины closed_at − start.",
    ),
    Metric(
        "touches_per_won_deal_mean",
        "sales",
        "ratio",
        "closed_deals",
        _attr("won"),
        agg.mean("touches"),
        "Touches per won deal, mean",
        "Касаний на выигранную сделку, среднее",
        "Mean over deals_won of the number of touches linked to the deal with started_at at or before closed_at.",
        "Среднее по deals_won числа касаний, привязанных к сделке, с started_at не позже closed_at.",
    ),
    Metric(
        "touches_per_won_deal_median",
        "sales",
        "ratio",
        "closed_deals",
        _attr("won"),
        agg.median("touches"),
        "Touches per won deal, median",
        "Касаний на выигранную сделку, медиана",
        "Median over deals_won of the same number of touches.",
        "Медиана по deals_won того же числа касаний.",
    ),
    Metric(
        "won_multi_product",
        "sales",
        "count",
        "closed_deals",
        _won_multi,
        agg.count,
        "Won deals with 2+ products",
        "Выигранные с 2+ продуктами",
        "deals_won whose items name at least 2 distinct products.",
        "deals_won, позиции которых содержат не менее 2 различных продуктов.",
    ),
    Metric(
        "upsell_rate",
        "sales",
        "share",
        "closed_deals",
        _attr("won"),
        agg.share(_multi),
        "Upsell rate",
        "Доля допродаж",
        "won_multi_product / deals_won; null with no won deals.",
        "won_multi_product / deals_won; null без выигранных сделок.",
    ),
    Metric(
        "repeat_deals_won",
        "sales",
        "count",
        "closed_deals",
        _won_repeat,
        agg.count,
        "Repeat deals won",
        "Повторные выигранные",
        "deals_won whose contact has another deal that is currently won with closed_at strictly before this "
        "deal's created_at.",
        "deals_won, у контакта которых есть другая сделка, выигранная на as_of, с closed_at строго раньше "
        "created_at этой сделки.",
    ),
    Metric(
        "repeat_revenue_won",
        "sales",
        "money",
        "closed_deals",
        _won_repeat,
        agg.money_total("amount"),
        "Repeat revenue won",
        "Выручка повторных продаж",
        "Sum of amount over repeat_deals_won.",
        "Сумма amount по repeat_deals_won.",
    ),
    Metric(
        "lost_by_stage",
        "sales",
        "object",
        "closed_deals",
        _attr("lost"),
        agg.count_by("lost_at_stage"),
        "Lost by stage",
        "Проигрыши по этапам",
        "Object: lost-at stage id → count over deals_lost. The lost-at stage is the last stage of kind open or "
        'won before the deal\'s last change in its history ("" if none). Only keys with a count of 1 or more.',
        "Объект: id этапа проигрыша → число по deals_lost. Этап проигрыша — последний открытый или выигрышный "
        'этап перед последним переходом в истории сделки ("", если такого нет). Только ключи с числом ≥ 1.',
    ),
    Metric(
        "lost_by_reason",
        "sales",
        "object",
        "closed_deals",
        _attr("lost"),
        agg.count_by("loss_reason"),
        "Lost by reason",
        "Проигрыши по причинам",
        'Object: loss_reason → count over deals_lost (no reason: key ""). Only keys with a count of 1 or more.',
        'Объект: причина проигрыша → число по deals_lost (без причины: ключ ""). Только ключи с числом ≥ 1.',
    ),
    Metric(
        "invoiced",
        "sales",
        "money",
        "invoices",
        _always,
        agg.money_total("amount"),
        "Invoiced",
        "Выставлено счетов",
        "Sum of the amounts of invoices issued in P (belonging to the deal's owner).",
        "Сумма счетов, выставленных в P (относятся к владельцу сделки).",
    ),
    Metric(
        "paid",
        "sales",
        "money",
        "payments",
        _always,
        agg.money_total("amount"),
        "Paid",
        "Оплачено",
        "Sum of the amounts of payments paid in P (belonging to the invoice's deal's owner).",
        "Сумма платежей, поступивших в P (относятся к владельцу сделки счёта).",
    ),
    Metric(
        "cohort_won",
        "sales",
        "count",
        "leads",
        _attr("currently_won"),
        agg.count,
        "Cohort won",
        "Выиграно из когорты",
        "Deals created in P that are currently (as of as_of) won.",
        "Сделки, созданные в P и выигранные на момент as_of.",
    ),
    Metric(
        "cohort_conversion",
        "sales",
        "share",
        "leads",
        _always,
        agg.share(_attr("currently_won")),
        "Cohort conversion",
        "Конверсия когорты",
        "cohort_won / leads_new; null with no leads.",
        "cohort_won / leads_new; null без лидов.",
    ),
    # --- quality ----------------------------------------------------------------------------------
    Metric(
        "qa_reviews",
        "quality",
        "count",
        "reviews",
        _always,
        agg.count,
        "QA reviews",
        "Оценки качества",
        "Number of existing QA reviews of calls started in P (a review exists when its time and its call's start "
        "are at or before as_of).",
        "Число оценок звонков, начатых в P (оценка существует, если её время и начало звонка не позже as_of).",
    ),
    Metric(
        "qa_score_avg",
        "quality",
        "share",
        "reviews",
        _always,
        agg.mean_share(lambda review: review.score),
        "QA score",
        "Оценка качества",
        "Mean over reviews of (sum of scores / (max × number of criteria scored)).",
        "Среднее по оценкам величины (сумма баллов / (максимум × число оценённых критериев)).",
    ),
)

QA_CRITERION_DOC = (
    "qa_<criterion>_avg",
    "Mean over the reviews that score the criterion of score / max. The criteria politeness, product_knowledge, "
    "script and objections always appear, and so does any other criterion scored by any existing review; every "
    "one of them is in every user, team and department object (null where unscored).",
    "Среднее по оценкам, где критерий оценён, величины балл / максимум. Критерии politeness, product_knowledge, "
    "script и objections есть всегда, как и любой другой критерий из существующих оценок; каждый из них есть в "
    "каждом объекте пользователя, команды и отдела (null, если не оценён).",
)


def qa_criterion_metric(criterion: str) -> Metric:
    def scores(review: Any) -> bool:
        return criterion in review.scores

    return Metric(
        f"qa_{criterion}_avg",
        "quality",
        "share",
        "reviews",
        scores,
        agg.mean_share(lambda review: review.criterion(criterion)),
        f"QA: {criterion}",
        f"Качество: {criterion}",
        QA_CRITERION_DOC[1],
        QA_CRITERION_DOC[2],
    )


def group_metrics(criteria: list[str]) -> list[Metric]:
    """The metrics of every users/teams/department object, in report order."""
    return [*METRICS, *(qa_criterion_metric(c) for c in criteria)]


def metric_source(key: str) -> str:
    """The item source of a metric (any qa_<criterion>_avg: the reviews), without knowing the criteria."""
    found = next((m.source for m in METRICS if m.key == key), None)
    return found or "reviews"


def metric_by_key(key: str, criteria: list[str]) -> Metric:
    for metric in group_metrics(criteria):
        if metric.key == key:
            return metric
    raise KeyError(key)


@dataclass(frozen=True)
class SourceMetric:
    key: str
    unit: str
    label_en: str
    label_ru: str
    doc_en: str
    doc_ru: str


SOURCE_METRICS = (
    SourceMetric("leads", "count", "Leads", "Лиды", "Deals created in P.", "Сделки, созданные в P."),
    SourceMetric("won", "count", "Won", "Выиграно", "Of those, currently won.", "Из них выигранные на as_of."),
    SourceMetric("revenue", "money", "Revenue", "Выручка", "Sum of amount over won.", "Сумма amount по won."),
    SourceMetric(
        "customers", "count", "Customers", "Клиенты", "Distinct contacts among won.", "Различные контакты среди won."
    ),
    SourceMetric(
        "spend",
        "money",
        "Spend",
        "Расходы",
        "Sum of ad_spend amounts dated from `from` to `to` (and not after the local date of as_of) for the source "
        "(and campaign). A source's spend is all its spend, whatever the campaign.",
        "Сумма расходов с датой от `from` до `to` (и не позже местной даты as_of) по источнику (и кампании). "
        "Расход источника — все его расходы, независимо от кампании.",
    ),
    SourceMetric(
        "cpl",
        "money",
        "CPL",
        "CPL",
        "spend / leads, rounded half-up; null with no leads.",
        "spend / leads с округлением половины вверх; null без лидов.",
    ),
    SourceMetric(
        "cac",
        "money",
        "CAC",
        "CAC",
        "spend / customers, rounded half-up; null with no customers.",
        "spend / customers с округлением половины вверх; null без клиентов.",
    ),
    SourceMetric(
        "romi",
        "ratio",
        "ROMI",
        "ROMI",
        "(revenue − spend) / spend; null with no spend.",
        "(revenue − spend) / spend; null при нулевых расходах.",
    ),
)

PLAN_METRICS = ("revenue_won", "deals_won", "calls_out", "paid")
