"""What sellers see of the clock: inbox badges, filters and order, the conversation's card,
the header's overdue count, and the two forms (no response needed, assign)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from messagecenter.accounts.models import NotificationPreference
from messagecenter.threads.assignment import conversation_assign
from messagecenter.threads.models import Conversation, ConversationAssignment, Side
from tests import factories


def _rows(body: str) -> list[str]:
    """The inbox rows, in order, as text (without the unread marker)."""
    rows = re.findall(r'<li class="inbox__row[^"]*"[^>]*>(.*?)</li>', body, flags=re.S)
    # Without the bulk actions' checkbox label, which names the row for screen readers.
    rows = [re.sub(r'<label[^>]*for="select-[^"]*">.*?</label>', "", row) for row in rows]
    texts = [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]
    return [text.removeprefix("Unread: ") for text in texts]


def _buyer(name: str):
    return factories.user(f"{name.lower().replace(' ', '.')}@example.com", name)


@pytest.fixture
def inbox(clock, northwind, sam, avery):
    """Four of Northwind's conversations at 12:00 on Saturday 8 March:
    Alex wrote 26 h ago (overdue by 2 h), Blair 21 h ago (due in 3 h), Casey 19 h 20 min
    ago (due in 4 h 40 min), and Dana, whom Sam answered."""
    start = clock.now
    people = {}
    for name, hours_ago in [("Alex Kim", 26), ("Blair Stone", 21), ("Casey Moss", 19.33)]:
        clock.set(start + timedelta(hours=21 - hours_ago))
        order = factories.order(buyer=_buyer(name), seller=northwind)
        factories.buyer_message(order, f"A question from {name}")
        people[name] = Conversation.objects.get(order=order)
    clock.set(start)
    dana_order = factories.order(buyer=_buyer("Dana Wolf"), seller=northwind)
    factories.buyer_message(dana_order, "Hello from Dana")
    clock.advance(minutes=30)
    factories.reply(Conversation.objects.get(order=dana_order), sam, Side.SELLER, "Hi Dana!")
    people["Dana Wolf"] = Conversation.objects.get(order=dana_order)
    clock.set(start + timedelta(hours=21))
    return people


def test_the_inbox_shows_how_long_is_left_or_how_late_it_is(client, inbox, avery):
    client.force_login(avery)
    rows = _rows(client.get(reverse("seller_inbox")).content.decode())

    def row_of(name: str) -> str:
        return next(row for row in rows if name in row)

    assert "Awaiting reply ⚠ overdue by 2 h" in row_of("Alex Kim")
    assert "Awaiting reply due in 3 h" in row_of("Blair Stone")
    assert "Awaiting reply due in 4 h" in row_of("Casey Moss")
    assert "Awaiting reply" not in row_of("Dana Wolf")
    assert "due in" not in row_of("Dana Wolf")


def test_due_first_puts_the_most_urgent_on_top(client, inbox, avery):
    client.force_login(avery)
    body = client.get(reverse("seller_inbox"), {"sort": "due"}).content.decode()

    names = [row.split(" ")[0] for row in _rows(body)]
    assert names == ["Alex", "Blair", "Casey", "Dana"]
    assert 'aria-current="page">Due first' in body
    # Newest first is still the default.
    newest = _rows(client.get(reverse("seller_inbox")).content.decode())
    assert newest[0].startswith("Casey")


@pytest.mark.parametrize(
    ("inbox_filter", "expected"),
    [
        ("awaiting", {"Alex Kim", "Blair Stone", "Casey Moss"}),
        ("overdue", {"Alex Kim"}),
        ("due-soon", {"Blair Stone"}),
        ("mine", {"Casey Moss"}),
        ("unassigned", {"Alex Kim", "Blair Stone", "Dana Wolf"}),
        ("all", {"Alex Kim", "Blair Stone", "Casey Moss", "Dana Wolf"}),
    ],
)
def test_filters(client, inbox, sam, avery, inbox_filter, expected):
    conversation_assign(conversation=inbox["Casey Moss"], assignee=avery, by=sam)
    client.force_login(avery)

    body = client.get(reverse("seller_inbox"), {"filter": inbox_filter}).content.decode()

    shown = {name for name in inbox if any(row.startswith(name) for row in _rows(body))}
    assert shown == expected
    assert re.search(rf'href="\?filter={inbox_filter}&amp;sort=newest" aria-current="page"', body)


def test_the_header_counts_overdue_conversations(client, inbox, avery, jordan):
    client.force_login(avery)
    body = client.get(reverse("seller_orders")).content.decode()
    assert '<span class="badge badge--overdue">1 overdue</span>' in body
    assert reverse("seller_performance") in body
    client.force_login(jordan)
    body = client.get(reverse("buyer_inbox")).content.decode()
    assert "overdue" not in body and reverse("seller_performance") not in body


# --- The conversation page ---------------------------------------------------------------------


def _page(client, conversation) -> str:
    return client.get(reverse("seller_conversation", args=[conversation.pk])).content.decode()


def _text(body: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", body).split())


def test_the_conversation_shows_when_the_answer_is_due_and_how_long_is_left(client, inbox, avery):
    client.force_login(avery)
    text = _text(_page(client, inbox["Casey Moss"]))

    assert "Reply clock 4 h 40 min left" in text
    assert "Answer due by Sat, Mar 8, 16:40 UTC: 24 hours after Casey Moss’s message" in text
    assert "No response needed" in text


def test_an_overdue_conversation_says_so_and_offers_only_a_reply(client, inbox, avery):
    client.force_login(avery)
    body = _page(client, inbox["Alex Kim"])
    text = _text(body)

    assert "Overdue by 2 h" in text
    assert "only a reply stops the clock now" in text
    assert reverse("conversation_no_response_needed", args=[inbox["Alex Kim"].pk]) not in body


def test_no_response_needed_through_the_page(client, inbox, avery):
    conversation = inbox["Blair Stone"]
    message = conversation.messages.get()
    client.force_login(avery)

    response = client.post(
        reverse("conversation_no_response_needed", args=[conversation.pk]),
        {"message": message.pk},
        follow=True,
    )

    text = _text(response.content.decode())
    assert "the message no longer counts toward your response time" in text
    assert "No buyer message is waiting for an answer." in text
    assert "Avery Lee marked a message of Mar 7, 15:00 as needing no response" in text
    message.refresh_from_db()
    assert message.no_response_needed_by == avery


def test_no_response_needed_for_a_message_of_another_conversation_is_refused(client, inbox, avery):
    other = inbox["Alex Kim"].messages.get()
    client.force_login(avery)

    response = client.post(
        reverse("conversation_no_response_needed", args=[inbox["Blair Stone"].pk]),
        {"message": other.pk},
        follow=True,
    )

    assert "That buyer message is not in this conversation." in response.content.decode()
    other.refresh_from_db()
    assert other.clock_running


def test_an_answered_conversation_shows_the_response_time(client, inbox, sam):
    client.force_login(sam)
    text = _text(_page(client, inbox["Dana Wolf"]))
    assert "No buyer message is waiting for an answer." in text
    assert "The last buyer message was answered in 30 min." in text


# --- Assignment ----------------------------------------------------------------------------


def test_assigning_tells_the_assignee(
    client, django_capture_on_commit_callbacks, inbox, sam, avery
):
    conversation = inbox["Blair Stone"]
    client.force_login(sam)
    url = reverse("conversation_assign", args=[conversation.pk])
    mail.outbox = []

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"assignee": avery.pk}, follow=True)

    text = _text(response.content.decode())
    assert "Assigned to Avery Lee; they have been told." in text
    assert "Assigned to Avery Lee: reminders go to them." in text
    [sent] = mail.outbox
    assert sent.to == [avery.email]
    assert sent.subject == f"Sam Carter assigned you: {conversation.subject}"
    assert "assigned you the conversation with Blair Stone" in sent.body
    assert "due by Sat, Mar 8, 15:00 UTC" in sent.body
    assert f"http://testserver/seller/messages/{conversation.pk}/" in sent.body
    assert "blair.stone@example.com" not in sent.message().as_string()
    record = ConversationAssignment.objects.get()
    assert (record.assignee, record.assigned_by, record.notified_at is not None) == (
        avery,
        sam,
        True,
    )


def test_reassigning_and_unassigning_are_kept_in_the_history(
    client, django_capture_on_commit_callbacks, inbox, sam, avery
):
    conversation = inbox["Alex Kim"]
    url = reverse("conversation_assign", args=[conversation.pk])
    client.force_login(avery)
    mail.outbox = []

    def assign(to) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, {"assignee": to}, follow=True).content.decode()

    assign(avery.pk)  # to herself: no email
    assign(sam.pk)
    assign(sam.pk)  # no change, no second email
    body = assign("")

    assert "Unassigned: the whole team looks after this conversation." in body
    assert [m.to for m in mail.outbox] == [[sam.email]]
    assert list(
        ConversationAssignment.objects.order_by("id").values_list("assignee__email", flat=True)
    ) == [avery.email, sam.email, None]
    conversation.refresh_from_db()
    assert conversation.assigned_to is None


def test_only_team_members_can_be_assigned(client, inbox, sam, maria):
    conversation = inbox["Alex Kim"]
    client.force_login(sam)

    response = client.post(
        reverse("conversation_assign", args=[conversation.pk]), {"assignee": maria.pk}, follow=True
    )

    assert "Choose an active member of your team, or Nobody." in response.content.decode()
    conversation.refresh_from_db()
    assert conversation.assigned_to is None


def test_the_assignment_notice_follows_the_new_message_email_choice(
    django_capture_on_commit_callbacks, inbox, sam, avery
):
    NotificationPreference.objects.create(user=avery, kind="new_message", frequency="never")
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        conversation_assign(conversation=inbox["Alex Kim"], assignee=avery, by=sam)
    assert mail.outbox == []


def test_the_assignment_form_is_labelled_and_lists_the_team(client, inbox, sam, avery):
    client.force_login(sam)
    body = _page(client, inbox["Alex Kim"])

    assert '<label for="id_assignee">Assigned to</label>' in body
    assignee = body.split('id="id_assignee"')[1].split("</select>")[0]
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', assignee)
    assert options == [
        ("", "Nobody: the whole team"),
        (str(avery.pk), "Avery Lee"),
        (str(sam.pk), "Sam Carter"),
    ]
