"""One conversation of the generated marketplace: its messages in time, the reply clock
they leave behind, who was assigned it and who has read it.

Pure Python: `shape` picks how a conversation goes (who starts, whether the buyer is still
waiting, a held or blocked message at the end), `fill` writes its messages given how many
it has, the way the app would have stored them (delivered_at, due times, answers, late
marks, "no response needed", read markers, reminders).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from bench.scale import texts
from compliance.message_types import TypeGroup, get_message_type

MINUTE = 60.0
HOUR = 3_600.0
DAY = 86_400.0

# How a conversation ends.
ANSWERED = "answered"  # the seller had the last word
WAITING = "waiting"  # the buyer wrote last and the clock runs
NO_RESPONSE = "no_response"  # the buyer wrote last; marked "no response needed"

BUYER, SELLER = "buyer", "seller"
TEXT_INDEX: dict[str, list[int]] = {}
for _index, _text in enumerate(texts.TEXTS):
    TEXT_INDEX.setdefault(_text.role, []).append(_index)
# What a seller may start a conversation with when the buyer opted out of the rest.
CRITICAL_OPENINGS = [
    i
    for i in TEXT_INDEX[texts.SELLER_PROACTIVE]
    if getattr(get_message_type(texts.TEXTS[i].message_type), "group", None) == TypeGroup.CRITICAL
]


@dataclass(slots=True)
class PlannedMessage:
    conversation: ConversationPlan
    at: float
    text: int  # index into texts.TEXTS
    message_type: str
    sender: int  # user id
    via: str
    attachment: bool = False
    # The reply clock, kept on delivered buyer messages.
    reply_due_at: float | None = None
    answered_by: PlannedMessage | None = None
    late_at: float | None = None
    no_response_at: float | None = None
    no_response_by: int | None = None
    id: int = 0

    @property
    def side(self) -> str:
        return texts.TEXTS[self.text].side

    @property
    def status(self) -> str:
        return texts.TEXTS[self.text].status


@dataclass(slots=True)
class Team:
    """The business a conversation is with, as the timeline needs it."""

    id: int
    owner: int
    agents: list[int]


@dataclass(slots=True)
class ConversationPlan:
    team: Team
    buyer: int
    about_order: bool  # False: a buyer's question about a product before buying
    buyer_opted_out: bool = False
    long_thread: bool = False
    started_by: str = BUYER
    state: str = ANSWERED
    last_at: float = 0.0
    extra: str = ""  # the role of an undelivered message after the last one, if any
    size: int = 0  # messages, the undelivered one included
    min_size: int = 1
    messages: list[PlannedMessage] = field(default_factory=list)
    assigned_to: int | None = None
    assignments: list[tuple[int | None, int, float]] = field(default_factory=list)
    reads: dict[int, float] = field(default_factory=dict)
    reminders: list[tuple[PlannedMessage, int, float]] = field(default_factory=list)
    reply_due_at: float | None = None
    # Set by the plan once orders and products exist.
    order: object | None = None
    product: object | None = None
    subject: str = ""
    id: int = 0

    @property
    def delivered(self) -> list[PlannedMessage]:
        return [m for m in self.messages if m.status == "delivered"]

    def last_from(self, side: str) -> float | None:
        times = [m.at for m in self.messages if m.status == "delivered" and m.side == side]
        return max(times) if times else None


@dataclass(frozen=True)
class Clock:
    now: float
    reply_seconds: float
    reminder_hours: tuple[int, ...]


def shape(conversation: ConversationPlan, rng: random.Random, now: float, days: int) -> None:
    """Who starts, how it ends, when it was last written in, and what is left undelivered."""
    if conversation.long_thread:
        conversation.started_by, conversation.state = BUYER, ANSWERED
        conversation.last_at = now - rng.uniform(2 * HOUR, 20 * HOUR)
        conversation.min_size = conversation.size
        return
    if conversation.about_order and rng.random() < 0.2:
        conversation.started_by = SELLER
    age = days * DAY * rng.random() ** 1.25  # more recent conversations than old ones
    conversation.last_at = now - age
    # Most buyers still waiting wrote today; a few were left overdue, some for long.
    waiting_chance = 0.6 if age < DAY else 0.15 if age < 3 * DAY else 0.003
    draw = rng.random()
    if draw < waiting_chance:
        conversation.state = WAITING
    elif draw < waiting_chance + 0.04:
        conversation.state = NO_RESPONSE
    if conversation.started_by == BUYER:
        draw = rng.random()
        if age < 2 * DAY and draw < 0.04:
            conversation.extra = texts.HELD
        elif draw < 0.002:
            conversation.extra = texts.REJECTED
        elif draw < 0.005:
            conversation.extra = texts.BLOCKED
    settle(conversation)


def settle(conversation: ConversationPlan) -> None:
    """The fewest messages the conversation can have, once its shape is decided: two when
    it must end on the other side than it started, one more for an undelivered one."""
    last = SELLER if conversation.state == ANSWERED else BUYER
    conversation.min_size = (1 if last == conversation.started_by else 2) + bool(conversation.extra)


def _sides(conversation: ConversationPlan, count: int, rng: random.Random) -> list[str]:
    """Turns alternate, except once where one side writes twice, if the conversation must
    end on the other side than alternation would."""
    last = SELLER if conversation.state == ANSWERED else BUYER
    first = conversation.started_by
    alternation_ends_on = first if (count - 1) % 2 == 0 else _other(first)
    repeat_at = rng.randrange(1, count) if alternation_ends_on != last else -1
    sides, side = [], first
    for index in range(count):
        if index and index != repeat_at:
            side = _other(side)
        sides.append(side)
    return sides


def _other(side: str) -> str:
    return SELLER if side == BUYER else BUYER


def _gap(before: str, after: str, rng: random.Random) -> float:
    if before == after:
        return rng.uniform(5 * MINUTE, 3 * HOUR)
    if before == SELLER:
        return rng.uniform(HOUR, 4 * DAY)
    draw = rng.random()  # a seller's answer: mostly within the day, some late
    if draw < 0.65:
        return rng.uniform(HOUR / 2, 12 * HOUR)
    if draw < 0.9:
        return rng.uniform(12 * HOUR, 24 * HOUR)
    return rng.uniform(24 * HOUR, 60 * HOUR)


def _pick(role: str, rng: random.Random) -> int:
    return rng.choice(TEXT_INDEX[role])


def fill(conversation: ConversationPlan, rng: random.Random, clock: Clock) -> None:
    """Write the conversation's messages, then everything that follows from them."""
    delivered = conversation.size - bool(conversation.extra)
    sides = _sides(conversation, delivered, rng)
    times = [conversation.last_at]
    for index in range(delivered - 1, 0, -1):
        times.append(times[-1] - _gap(sides[index - 1], sides[index], rng))
    times.reverse()
    _assign(conversation, times[0], rng)
    buyer_wrote = False
    for index, (side, at) in enumerate(zip(sides, times, strict=True)):
        closing_thanks = conversation.state == NO_RESPONSE and index == delivered - 1
        conversation.messages.append(
            _message(conversation, side, at, buyer_wrote, closing_thanks, rng)
        )
        buyer_wrote = buyer_wrote or side == BUYER
    if conversation.extra:
        gap = min(rng.uniform(MINUTE, 6 * HOUR), (clock.now - conversation.last_at) / 2)
        role = conversation.extra
        side = texts.TEXTS[TEXT_INDEX[role][0]].side
        message = _message(conversation, side, conversation.last_at + gap, True, False, rng)
        message.text = _pick(role, rng)
        message.attachment = False
        conversation.messages.append(message)
    _run_clocks(conversation, rng, clock)
    _read_markers(conversation, rng, clock.now)


def _assign(conversation: ConversationPlan, first_at: float, rng: random.Random) -> None:
    team = conversation.team
    if not team.agents or rng.random() >= 0.25:
        return
    assignee = rng.choice(team.agents)
    at = min(first_at + rng.uniform(0, 2 * HOUR), conversation.last_at)
    if len(team.agents) > 1 and rng.random() < 0.1:
        earlier = rng.choice([a for a in team.agents if a != assignee])
        conversation.assignments.append((earlier, team.owner, at - rng.uniform(0, HOUR)))
    conversation.assignments.append((assignee, team.owner, at))
    conversation.assigned_to = assignee


def _message(
    conversation: ConversationPlan,
    side: str,
    at: float,
    buyer_wrote: bool,
    closing_thanks: bool,
    rng: random.Random,
) -> PlannedMessage:
    if side == BUYER:
        if closing_thanks:
            role = texts.BUYER_THANKS
        elif buyer_wrote:
            role = texts.BUYER_FOLLOW_UP
        else:
            role = texts.BUYER_FIRST if conversation.about_order else texts.BUYER_QUESTION
        text = _pick(role, rng)
        kind = "buyer_inquiry" if conversation.about_order else "product_question"
        via = "email" if rng.random() < 0.2 else "web"
        return PlannedMessage(conversation, at, text, kind, conversation.buyer, via)
    if buyer_wrote:
        role = texts.SELLER_REDACTED if rng.random() < 0.01 else texts.SELLER_REPLY
        text, kind = _pick(role, rng), "reply"
    else:
        opening = CRITICAL_OPENINGS if conversation.buyer_opted_out else None
        text = rng.choice(opening) if opening else _pick(texts.SELLER_PROACTIVE, rng)
        kind = texts.TEXTS[text].message_type
    team = conversation.team
    if conversation.assigned_to is not None and rng.random() < 0.8:
        sender = conversation.assigned_to
    else:
        sender = rng.choice([team.owner, *team.agents])
    draw = rng.random()
    via = "email" if draw < 0.1 else "api" if draw < 0.25 else "web"
    message = PlannedMessage(conversation, at, text, kind, sender, via)
    message.attachment = rng.random() < 0.015
    return message


def _run_clocks(conversation: ConversationPlan, rng: random.Random, clock: Clock) -> None:
    """Due times, answers, late marks and reminders, as the reply clock leaves them."""
    waiting: list[PlannedMessage] = []
    for message in conversation.delivered:
        if message.side == BUYER:
            message.reply_due_at = message.at + clock.reply_seconds
            waiting.append(message)
            continue
        for answered in waiting:
            answered.answered_by = message
            assert answered.reply_due_at is not None
            if message.at > answered.reply_due_at:
                answered.late_at = answered.reply_due_at
        _remind(conversation, waiting, message.at, clock)
        waiting = []
    if not waiting:
        return
    if conversation.state == NO_RESPONSE:
        first_due = waiting[0].reply_due_at
        assert first_due is not None
        marked_at = min(
            conversation.last_at + rng.uniform(10 * MINUTE, 20 * HOUR),
            first_due - MINUTE,
            clock.now,
        )
        by = conversation.assigned_to or conversation.team.owner
        for message in waiting:
            message.no_response_at, message.no_response_by = marked_at, by
        conversation.reads[by] = max(conversation.reads.get(by, 0.0), marked_at)
        _remind(conversation, waiting, marked_at, clock)
        return
    for message in waiting:
        assert message.reply_due_at is not None
        if message.reply_due_at <= clock.now:
            message.late_at = message.reply_due_at
    conversation.reply_due_at = waiting[0].reply_due_at
    _remind(conversation, waiting, clock.now, clock)


def _remind(
    conversation: ConversationPlan, waiting: list[PlannedMessage], stopped_at: float, clock: Clock
) -> None:
    """The reminders the sweep sent about the first of the waiting messages (it carries
    the conversation's due time) before its clock stopped."""
    if not waiting:
        return
    first = waiting[0]
    assert first.reply_due_at is not None
    for hours in clock.reminder_hours:
        point = first.reply_due_at - hours * HOUR
        if point < stopped_at and point <= clock.now:
            conversation.reminders.append((first, hours, point))


def _read_markers(conversation: ConversationPlan, rng: random.Random, now: float) -> None:
    """When each person last opened the conversation: a sender has read it when they write,
    the buyer and the team usually look at what the other side wrote."""
    reads = conversation.reads
    for message in conversation.messages:
        if message.status != "blocked":
            reads[message.sender] = max(reads.get(message.sender, 0.0), message.at)
    last_seller = conversation.last_from(SELLER)
    buyer = conversation.buyer
    if last_seller is not None and reads.get(buyer, 0.0) < last_seller:
        chance = 0.95 if now - last_seller > 7 * DAY else 0.7
        if rng.random() < chance:
            reads[buyer] = min(now, last_seller + rng.uniform(10 * MINUTE, 2 * DAY))
    last_buyer = conversation.last_from(BUYER)
    team = conversation.team
    if last_buyer is not None:
        chance = 0.85 if now - last_buyer > DAY else 0.5
        if rng.random() < chance:
            seen = min(now, last_buyer + rng.uniform(5 * MINUTE, DAY))
            reads[team.owner] = max(reads.get(team.owner, 0.0), seen)
    assignee = conversation.assigned_to
    if assignee is not None and rng.random() < 0.7:
        seen = min(now, conversation.last_at + rng.uniform(0, DAY))
        reads[assignee] = max(reads.get(assignee, 0.0), seen)
