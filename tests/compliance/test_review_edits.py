"""Morgan, an administrator, works through the review queue: he reads a plain preview of
each held message, rewrites a subject and body where a few words are the problem, and the
policy judges his edit as it judges any message. Both versions stay in the audit. A
rejection needs a reason, a restriction is lifted only after a confirmation with a reason,
and the history of a sender lists only what came before the message under review."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.admin.sites import site as admin_site
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from compliance.models import PolicySettings, RuleSetting
from messagecenter.messaging.models import Message
from messagecenter.moderation.models import ReviewDecision, SellerRestriction
from tests import factories

pytestmark = pytest.mark.django_db

LONG_CARE_GUIDE = "Oil the pan lightly after each wash and dry it on the stove. " * 40


def flag_rules(*rules: str) -> None:
    """The operator holds these rules for review instead of their default action."""
    policy, _ = PolicySettings.objects.get_or_create(pk=1)
    for rule in rules:
        RuleSetting.objects.update_or_create(policy=policy, rule=rule, defaults={"action": "flag"})


@pytest.fixture
def held(sam, jordans_order):
    """Sam's over-long care guide, held because the operator flags text length."""
    flag_rules("type.text_length")
    message = factories.seller_message(
        jordans_order,
        sam,
        LONG_CARE_GUIDE,
        message_type="proactive_support",
        subject="Caring for your pan",
    )
    assert message.status == Message.Status.HELD
    return message


def review_url(message: Message) -> str:
    return reverse("review_message", args=[message.pk])


def decide(client, message: Message, **form: str):
    return client.post(review_url(message), form)


# --- Editing the body ------------------------------------------------------------------------


def test_an_edited_body_is_judged_again_and_both_versions_are_kept(client, held, morgan, jordan):
    client.force_login(morgan)
    edit = "Oil the pan lightly after each wash. Questions? Write to sam.carter@gmail.com."
    response = decide(client, held, decision="edit", subject="Caring for your pan", body=edit)
    assert response.status_code == 302

    held.refresh_from_db()
    assert held.status == Message.Status.DELIVERED
    # The sanitizer and the policy ran on the edit: the address is redacted as in any send.
    assert "[email address removed]" in held.body_html
    assert "sam.carter@gmail.com" not in held.body_html
    assert "after each wash and dry it on the stove" not in held.body_html
    # The sender's own text is still on the message, as the policy requires.
    assert held.body_text == LONG_CARE_GUIDE

    decision = ReviewDecision.objects.get(message=held)
    assert decision.decision == ReviewDecision.Decision.EDIT_AND_APPROVE
    assert decision.decided_by == morgan
    assert "after each wash and dry it on the stove" in decision.body_before
    assert decision.body_after == edit
    assert [f["rule"] for f in decision.findings] == ["contact.email"]
    assert decision.findings[0]["action"] == "redact"

    # Morgan is told what the policy changed; the review page shows both versions.
    flash = client.get(reverse("review_queue")).content.decode()
    assert "Edited and approved: the message has been delivered." in flash
    assert "The policy changed your edit" in flash
    page = client.get(review_url(held)).content.decode()
    assert "The message before and after the edit" in page
    assert "<strong>contact.email</strong> (redact, body)" in page

    # Jordan reads the edited message, never the held one.
    client.force_login(jordan)
    thread = client.get(reverse("buyer_conversation", args=[held.conversation_id]))
    text = thread.content.decode()
    assert "Oil the pan lightly after each wash. Questions? Write to" in text
    assert "dry it on the stove" not in text


def test_an_edit_the_policy_blocks_is_refused_and_nothing_is_lost(client, held, morgan):
    client.force_login(morgan)
    edit = "See the care guide at https://pans.example.net/care before first use."
    response = decide(client, held, decision="edit", subject="Care guide", body=edit)

    assert response.status_code == 400
    page = response.content.decode()
    assert "Not approved: your edit breaks the messaging policy" in page
    assert "<strong>link.external</strong>" in page
    # What Morgan typed is still in the form.
    assert 'name="subject" value="Care guide"' in page
    assert "https://pans.example.net/care" in page.split('name="body"')[1]
    held.refresh_from_db()
    assert (held.status, held.subject) == (Message.Status.HELD, "Caring for your pan")
    assert "dry it on the stove" in held.body_html
    assert not ReviewDecision.objects.exists()


def test_an_edit_with_nothing_left_to_read_is_refused(client, held, morgan):
    client.force_login(morgan)
    response = decide(client, held, decision="edit", subject="Care", body="<p> </p>")
    assert response.status_code == 400
    assert "The edited message has no text left." in response.content.decode()
    held.refresh_from_db()
    assert held.status == Message.Status.HELD


def test_approving_as_sent_after_typing_an_edit_asks_which_was_meant(client, held, morgan):
    client.force_login(morgan)
    response = decide(
        client, held, decision="approve", subject="A better subject", body=held.body_html
    )
    assert response.status_code == 400
    assert "Not approved: you changed the subject or the message." in response.content.decode()
    held.refresh_from_db()
    assert held.status == Message.Status.HELD


def test_approving_as_sent_with_the_form_untouched_delivers(client, held, morgan):
    client.force_login(morgan)
    # The editor may write the same text with different markup: that is not an edit.
    same = held.body_html.replace("<p>", "<p >")
    response = decide(client, held, decision="approve", subject=held.subject, body=same)
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == Message.Status.DELIVERED


def test_an_edit_that_drops_important_goes_through_the_opt_out_decision(
    client, sam, jordan, jordans_order, morgan
):
    """The delivery decision is asked on the edited subject: without [Important], a
    proactive message does not reach a buyer who opted out."""
    flag_rules("type.text_length")
    jordan.opted_out_of_unsolicited = True
    jordan.save(update_fields=["opted_out_of_unsolicited"])
    message = factories.seller_message(
        jordans_order,
        sam,
        LONG_CARE_GUIDE,
        message_type="proactive_support",
        subject="[Important] Caring for your pan",
    )
    assert message.status == Message.Status.HELD
    client.force_login(morgan)
    response = decide(
        client,
        message,
        decision="edit",
        subject="Caring for your pan",
        body="Oil the pan lightly after each wash.",
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.subject == "Caring for your pan"
    assert message.status == Message.Status.UNDELIVERABLE
    flash = client.get(reverse("review_queue")).content.decode()
    assert "Edited and approved, but not delivered: the buyer has opted out" in flash


# --- Rejecting -------------------------------------------------------------------------------


def test_rejecting_without_a_reason_says_so_and_keeps_what_was_typed(client, held, morgan):
    client.force_login(morgan)
    response = decide(
        client, held, decision="reject", subject="Shorter subject", body="Shorter text.", reason=""
    )
    assert response.status_code == 400
    page = response.content.decode()
    # In a reviewer's words, not the sender's ("Your message was not sent").
    assert "Not rejected: write the reason first." in page
    assert "Nothing was decided: the message is still held" in page
    assert "Your message was not sent" not in page
    assert 'name="subject" value="Shorter subject"' in page
    assert "Shorter text." in page.split('name="body"')[1]
    held.refresh_from_db()
    assert held.status == Message.Status.HELD


# --- The queue and the history ---------------------------------------------------------------


def test_the_queue_shows_a_plain_text_preview_and_each_rule_once(
    client, sam, jordans_order, morgan
):
    flag_rules("contact.email")
    message = factories.seller_message(
        jordans_order,
        sam,
        "<p>Write to <strong>sam.carter@gmail.com</strong> or to sam@outlook.com.</p>",
        subject="Contact us",
    )
    assert message.status == Message.Status.HELD
    assert message.violations.filter(rule="contact.email").count() == 2
    client.force_login(morgan)
    page = client.get(reverse("review_queue")).content.decode()
    row = page[page.index(review_url(message)) :].split("</tr>")[0]
    assert row.count(">contact.email</span>") == 1
    preview = row.split('class="queue-message__preview">')[1].split("</p>")[0]
    assert preview.startswith("Write to sam.carter@gmail.com or to")
    assert "&lt;" not in preview and "<strong>" not in preview


def test_earlier_violations_list_only_what_came_before(client, sam, jordan, northwind, morgan):
    flag_rules("type.text_length")
    earlier = factories.seller_message(
        factories.order(buyer=jordan, seller=northwind),
        sam,
        "Spring sale: use code SPRING20 for 20% off.",
        message_type="return_question",
    )
    held = factories.seller_message(
        factories.order(buyer=jordan, seller=northwind),
        sam,
        LONG_CARE_GUIDE,
        message_type="proactive_support",
    )
    later = factories.seller_message(
        factories.order(buyer=jordan, seller=northwind),
        sam,
        "Summer sale: use code SUMMER30 for 30% off.",
        message_type="return_question",
    )
    assert earlier.violations.exists() and later.violations.exists()
    client.force_login(morgan)
    page = client.get(review_url(held)).content.decode()
    history = page.split('id="history-heading"')[1].split("</section>")[0]
    assert "SPRING20" in history
    assert "SUMMER30" not in history


def test_the_queue_costs_the_same_queries_for_few_and_many_rows(
    client, sam, jordan, northwind, morgan
):
    flag_rules("type.text_length")

    def hold(count: int) -> None:
        for _ in range(count):
            factories.seller_message(
                factories.order(buyer=jordan, seller=northwind),
                sam,
                LONG_CARE_GUIDE,
                message_type="confirm_order_details",
            )

    def queries() -> int:
        client.get(reverse("review_queue"))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("review_queue")).status_code == 200
        return len(captured.captured_queries)

    client.force_login(morgan)
    hold(2)
    few = queries()
    hold(6)
    assert queries() == few


# --- Lifting a restriction -------------------------------------------------------------------


@pytest.fixture
def restriction(northwind):
    now = timezone.now()
    return SellerRestriction.objects.create(
        business=northwind,
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=29),
        reason="3 messages were blocked or rejected",
    )


def lift_url(restriction: SellerRestriction) -> str:
    return reverse("restriction_lift", args=[restriction.pk])


def test_lifting_asks_for_confirmation_and_a_reason(client, restriction, morgan, northwind):
    client.force_login(morgan)
    listing = client.get(reverse("restrictions")).content.decode()
    assert f'href="{lift_url(restriction)}"' in listing
    table = listing.split("<table")[1].split("</table>")[0]
    assert "<form" not in table  # no one-click lifting from the list

    page = client.get(lift_url(restriction)).content.decode()
    assert "Lift the restriction on Northwind Home Goods?" in page
    assert "3 messages were blocked or rejected" in page

    missing = client.post(lift_url(restriction), {"reason": "  "})
    assert missing.status_code == 400
    assert "Not lifted: write why the restriction is lifted" in missing.content.decode()
    restriction.refresh_from_db()
    assert restriction.lifted_at is None

    done = client.post(lift_url(restriction), {"reason": "Appeal upheld: the codes were typos."})
    assert done.status_code == 302
    restriction.refresh_from_db()
    assert restriction.lifted_by == morgan
    assert restriction.lift_reason == "Appeal upheld: the codes were typos."
    assert restriction.lifted_at is not None
    northwind.refresh_from_db()
    assert northwind.proactive_restricted_until is None
    listing = client.get(reverse("restrictions")).content.decode()
    assert "by Morgan Admin: Appeal upheld: the codes were typos." in listing


def test_a_lifted_restriction_cannot_be_lifted_again(client, restriction, morgan):
    client.force_login(morgan)
    client.post(lift_url(restriction), {"reason": "Appeal upheld."})
    again = client.post(lift_url(restriction), {"reason": "Once more."})
    assert again.status_code == 400
    assert "Already lifted on" in again.content.decode()
    restriction.refresh_from_db()
    assert restriction.lift_reason == "Appeal upheld."


@pytest.mark.parametrize("who", ["jordan", "sam", "maria"])
def test_only_staff_see_or_use_the_lift_page(client, request, restriction, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(lift_url(restriction)).status_code == 404
    assert client.post(lift_url(restriction), {"reason": "Please"}).status_code == 404
    restriction.refresh_from_db()
    assert restriction.lifted_at is None


def test_the_admin_offers_no_one_click_lift(rf, morgan):
    model_admin = admin_site._registry[SellerRestriction]
    request = rf.get("/admin/")
    request.user = morgan
    assert "lift" not in model_admin.get_actions(request)
    assert "lift_reason" in model_admin.get_readonly_fields(request)
