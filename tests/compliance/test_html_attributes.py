"""Attributes and inline pictures: no words reach the buyer in an attribute the rules never
read, and a picture that shows one of the message's own attachments stays.

Jordan bought from Northwind, where Sam answers.
"""

from __future__ import annotations

import email
from email import policy

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from compliance.engine import FileFacts, MessageDraft, check_message
from compliance.sanitize import render_message_html
from messagecenter.messaging.models import Message
from messagecenter.relay.inbound import receive_email
from tests import factories
from tests.compliance.sample_files import image
from tests.relay.emails import seller_address

PNG = image("PNG")


def _png(name: str = "scratch.png") -> FileFacts:
    return FileFacts(name=name, size=len(PNG), read=lambda: PNG)


def test_a_title_attribute_never_reaches_the_buyer():
    body = (
        '<p><a href="https://marketplace.example/help" title="mail jane.doe@gmail.com">help</a></p>'
    )
    verdict = check_message(MessageDraft(sender_side="seller", message_type="reply", body=body))
    assert "jane.doe" not in verdict.body_html
    assert "title" not in verdict.body_html
    assert 'href="https://marketplace.example/help"' in verdict.body_html


def test_attributes_that_could_carry_words_are_dropped():
    markup = render_message_html(
        '<table><tr><td colspan="2 call 415 555 0199" lang="call me">a</td>'
        '<th scope="row" title="x@y.com">b</th></tr></table><p lang="de" title="t">p</p>'
    )
    for leftover in ("415", "call", "x@y.com", "lang=", "title="):
        assert leftover not in markup
    assert 'scope="row"' in markup


def test_an_inline_picture_of_an_own_attachment_stays():
    verdict = check_message(
        MessageDraft(
            sender_side="seller",
            message_type="reply",
            reply_to_buyer=True,
            body='<p>The scratch is here:</p><p><img src="cid:scratch.png"></p>',
            attachments=(_png(),),
        )
    )
    assert verdict.verdict == "allow", [v.as_dict() for v in verdict.violations]
    assert '<img src="cid:scratch.png" alt="scratch.png">' in verdict.body_html


def test_a_picture_that_is_no_attachment_is_dropped():
    verdict = check_message(
        MessageDraft(
            sender_side="seller",
            message_type="reply",
            reply_to_buyer=True,
            body=(
                '<p>See <img src="cid:somewhere-else.png"> and '
                '<img src="data:image/png;base64,AAA">.</p>'
            ),
            attachments=(_png(),),
        )
    )
    assert "<img" not in verdict.body_html


def test_the_conversation_shows_the_inline_picture_through_the_download_view(
    client, jordans_order, sam, jordan
):
    conversation = factories.buyer_message(jordans_order, "Is it scratched?").conversation
    sent = factories.reply(
        conversation,
        sam,
        "seller",
        '<p>Yes, here:</p><img src="cid:scratch.png">',
        attachments=[SimpleUploadedFile("scratch.png", PNG, "image/png")],
    )
    attachment = sent.attachments.get()
    client.force_login(jordan)
    page = client.get(reverse("buyer_conversation", args=[conversation.pk])).content.decode()
    url = reverse("attachment_download", args=[attachment.pk])
    assert f'<img src="{url}" alt="scratch.png" class="message__inline-image">' in page
    assert "cid:" not in page
    assert client.get(url).status_code == 200


def test_an_emailed_inline_picture_keeps_its_place_both_ways(
    django_capture_on_commit_callbacks, jordans_order, sam, jordan
):
    """An email whose picture is a part named by Content-ID arrives with the picture in
    place, and is relayed on with the picture as an inline part."""
    factories.buyer_message(jordans_order, "Does the lamp have a scratch?")
    to_seller = seller_address(jordan, jordans_order.seller)
    raw = email.message.EmailMessage()
    raw["From"] = "jordan@example.com"
    raw["To"] = to_seller
    raw["Subject"] = f"Re: Order {jordans_order.number}"
    raw.set_content(
        '<p>Here is the scratch:</p><img src="cid:part1.abc@mail.example">', subtype="html"
    )
    raw.add_related(
        PNG,
        maintype="image",
        subtype="png",
        cid="<part1.abc@mail.example>",
        filename="IMG_0042.png",
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        [result] = receive_email(raw.as_bytes(), recipients=[to_seller])
    message = Message.objects.get(pk=result.message.pk)
    assert message.attachments.get().original_name == "IMG_0042.png"
    assert '<img src="cid:IMG_0042.png" alt="IMG_0042.png">' in message.body_html
    relayed = next(m for m in mail.outbox if m.to == [sam.email])
    parsed = email.message_from_bytes(relayed.message().as_bytes(), policy=policy.default)
    inline = [p for p in parsed.walk() if p.get("Content-ID") == "<IMG_0042.png>"]
    assert inline and inline[0].get_content_disposition() == "inline"
