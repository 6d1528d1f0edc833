"""Previews on the conversation pages and the view that serves them.

Jordan sends Northwind a photo of the damaged parcel. Once the worker has drawn its
preview, both Jordan's page and the team's show it inline, linked to the full file; before
that, the ordinary file link. The picture itself is served only to whoever may download
the file, by the same access function.
"""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from messagecenter.messaging.models import Attachment, Message
from messagecenter.threads.models import Conversation, Side
from tests import factories
from tests.previews import samples
from tests.test_authorization import _comparable_body
from tests.test_query_counts import (
    BUYER_CONVERSATION_BUDGET,
    FEW,
    MANY,
    SELLER_CONVERSATION_BUDGET,
    _assert_same_cost,
    _measure,
)

MISSING_ID = 987_654_321


@pytest.fixture
def photo(jordans_order) -> Attachment:
    """Jordan's photo of the damage, sent through the send service."""
    upload = SimpleUploadedFile("damage.png", samples.picture("PNG"), content_type="image/png")
    message = factories.buyer_message(
        jordans_order, "The parcel arrived damaged.", attachments=[upload]
    )
    return message.attachments.get()


def _preview_url(attachment: Attachment) -> str:
    return reverse("attachment_preview", args=[attachment.pk])


def _images(body: str) -> list[str]:
    return re.findall(r"<img [^>]*>", body)


# --- The pages --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("viewer", "url_name"),
    [("jordan", "buyer_conversation"), ("sam", "seller_conversation")],
)
def test_the_page_shows_the_preview_linked_to_the_full_file(
    client, request, photo, viewer, url_name
):
    samples.give_preview(photo, (320, 240))
    client.force_login(request.getfixturevalue(viewer))

    body = client.get(reverse(url_name, args=[photo.message.conversation_id])).content.decode()

    [image] = _images(body)
    assert f'src="{_preview_url(photo)}"' in image
    assert 'width="320"' in image and 'height="240"' in image
    assert 'alt="Preview of damage.png"' in image
    download = reverse("attachment_download", args=[photo.pk])
    link = re.search(rf'<a [^>]*href="{re.escape(download)}"[^>]*>(.*?)</a>', body, re.S)
    assert link is not None and "<img" in link.group(1) and "damage.png" in link.group(1)


def test_before_the_worker_has_drawn_it_the_page_shows_the_plain_link(client, jordan, photo):
    client.force_login(jordan)

    body = client.get(
        reverse("buyer_conversation", args=[photo.message.conversation_id])
    ).content.decode()

    assert _images(body) == []
    assert _preview_url(photo) not in body
    assert reverse("attachment_download", args=[photo.pk]) in body


def test_the_page_shows_the_preview_once_it_is_made_after_a_first_visit(client, sam, photo):
    """The page keeps each message's rendering (inbox/message_fragments.py): a preview made
    after a visit is a change it must not miss."""
    client.force_login(sam)
    url = reverse("seller_conversation", args=[photo.message.conversation_id])
    assert _images(client.get(url).content.decode()) == []

    samples.give_preview(photo)

    assert len(_images(client.get(url).content.decode())) == 1


def test_the_message_email_carries_the_file_not_a_preview(
    jordans_order, sam, mailoutbox, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("damage.png", samples.picture("PNG"), content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):
        factories.buyer_message(jordans_order, "A photo.", attachments=[upload])

    assert Attachment.objects.get().has_preview
    [email] = mailoutbox
    assert email.to == [sam.email]
    names = [part.get_filename() for part in email.message().walk() if part.get_filename()]
    assert names == ["damage.png"]


# --- The preview view ---------------------------------------------------------------------


def test_the_preview_is_served_inline_as_private_picture(client, jordan, photo):
    samples.give_preview(photo)
    client.force_login(jordan)

    response = client.get(_preview_url(photo))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, max-age=3600"
    assert (
        "Content-Disposition" not in response or "attachment" not in response["Content-Disposition"]
    )
    assert b"".join(response.streaming_content) == photo.preview.open("rb").read()


# Everyone who may download the file may see its preview; nobody else, and they get the
# answer a missing file gets. Administrators may download any file (from the admin).
# fmt: off
ACTORS = {
    "jordan": 200,   # the buyer who sent it
    "priya": 404,    # another buyer
    "sam": 200,      # the seller's owner
    "avery": 200,    # the seller's agent: a team member
    "maria": 404,    # another seller
    "morgan": 200,   # an administrator
}
# fmt: on


@pytest.mark.parametrize(("actor", "expected"), ACTORS.items())
def test_who_may_see_a_preview(client, request, photo, maria, actor, expected):
    samples.give_preview(photo)
    client.force_login(request.getfixturevalue(actor))

    response = client.get(_preview_url(photo))

    assert response.status_code == expected
    if expected == 404:
        missing = client.get(reverse("attachment_preview", args=[MISSING_ID]))
        assert missing.status_code == 404
        assert _comparable_body(response) == _comparable_body(missing)


def test_an_anonymous_visitor_is_sent_to_log_in(client, photo):
    samples.give_preview(photo)

    response = client.get(_preview_url(photo))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_no_preview_yet_answers_like_a_missing_file(client, jordan, photo):
    client.force_login(jordan)

    response = client.get(_preview_url(photo))

    assert response.status_code == 404
    missing = client.get(reverse("attachment_preview", args=[MISSING_ID]))
    assert _comparable_body(response) == _comparable_body(missing)


@pytest.mark.parametrize(
    ("status", "actor", "expected"),
    [
        ("held", "sam", 200),
        ("held", "jordan", 404),
        ("blocked", "sam", 404),
        ("blocked", "morgan", 200),
    ],
)
def test_a_preview_of_an_undelivered_message_follows_its_file(
    client, request, jordans_order, sam, status, actor, expected
):
    conversation = factories.buyer_message(jordans_order).conversation
    attachment = samples.attachment_in(
        conversation,
        "invoice.png",
        samples.picture("PNG"),
        "image/png",
        status=status,
        side=Side.SELLER,
    )
    samples.give_preview(attachment)
    client.force_login(request.getfixturevalue(actor))

    assert client.get(_preview_url(attachment)).status_code == expected
    assert client.get(reverse("attachment_download", args=[attachment.pk])).status_code == expected


def test_the_preview_view_answers_get_only(client, jordan, photo):
    samples.give_preview(photo)
    client.force_login(jordan)

    assert client.post(_preview_url(photo)).status_code == 405


# --- Query budgets -------------------------------------------------------------------------


def _photos_with_previews(order, seller_sender, count: int) -> None:
    """Messages from both sides, each with a picture whose preview is made."""
    conversation = None
    for i in range(count):
        upload = SimpleUploadedFile(f"photo-{i}.png", samples.picture("PNG", (64, 48)))
        if i % 2 == 0:
            message = factories.buyer_message(order, f"Photo {i}.", attachments=[upload])
            conversation = message.conversation
        else:
            conversation = conversation or Conversation.objects.get(order=order)
            message = factories.reply(
                conversation, seller_sender, Side.SELLER, f"Got photo {i}.", attachments=[upload]
            )
        samples.give_preview(message.attachments.get())


@pytest.mark.parametrize(
    ("viewer", "url_name", "budget"),
    [
        ("jordan", "buyer_conversation", BUYER_CONVERSATION_BUDGET),
        ("avery", "seller_conversation", SELLER_CONVERSATION_BUDGET),
    ],
)
def test_previews_cost_the_page_no_query_per_file(
    client, request, jordans_order, sam, avery, viewer, url_name, budget
):
    client.force_login(request.getfixturevalue(viewer))
    _photos_with_previews(jordans_order, sam, FEW)
    conversation = Conversation.objects.get(order=jordans_order)
    url = reverse(url_name, args=[conversation.pk])

    few = _measure(client, url)
    _photos_with_previews(jordans_order, sam, MANY - FEW)
    many = _measure(client, url)

    assert Message.objects.filter(conversation=conversation).count() == MANY
    assert len(_images(few.body)) == FEW
    assert len(_images(many.body)) == MANY
    _assert_same_cost(few, many, budget)
