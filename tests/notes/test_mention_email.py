"""The email telling a teammate a note mentions them: one, to the right person, in their
language, once even when the task runs again, and none when it is not wanted."""

from __future__ import annotations

from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends import locmem
from django.utils import timezone

from messagecenter.accounts.models import Membership, NotificationPreference
from messagecenter.notes.models import NoteMention
from messagecenter.notes.services import note_add
from messagecenter.notifications.tasks import queue_unsent_notifications, send_mention_notice
from tests import factories


def test_the_teammate_gets_one_email_with_the_note_and_a_link(add_note, conversation, sam, avery):
    note = add_note(conversation=conversation, author=sam, body="@Avery Lee please call them.")
    [email] = mail.outbox
    assert email.to == [avery.email]
    assert email.subject == f"Sam Carter mentioned you in an internal note: {conversation.subject}"
    assert "Hello Avery Lee," in email.body
    assert "@Avery Lee please call them." in email.body
    assert f"/seller/messages/{conversation.pk}/#note-{note.pk}" in email.body
    assert NoteMention.objects.get().notified_at is not None


def test_it_is_written_in_the_teammates_language(add_note, conversation, sam, avery):
    avery.language = "de"
    avery.save(update_fields=["language"])
    add_note(conversation=conversation, author=sam, body="@Avery bitte anrufen.")
    [email] = mail.outbox
    assert email.subject.startswith("Sam Carter hat Sie in einer internen Notiz erwähnt")
    assert "Guten Tag Avery Lee," in email.body


def test_the_buyer_and_people_outside_the_team_are_never_emailed(
    add_note, conversation, sam, maria
):
    add_note(conversation=conversation, author=sam, body="@Jordan Miles and @Maria Lopez, hi")
    assert mail.outbox == []
    assert not NoteMention.objects.exists()


def test_a_teammate_who_wants_no_email_now_gets_none(add_note, conversation, sam, avery):
    NotificationPreference.objects.create(user=avery, kind="new_message", frequency="never")
    add_note(conversation=conversation, author=sam, body="@Avery FYI")
    assert mail.outbox == []
    assert NoteMention.objects.get().notified_at is not None  # settled: nothing to send


def test_a_teammate_who_left_the_team_before_the_email_gets_none(
    conversation, sam, avery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        note_add(conversation=conversation, author=sam, body="@Avery FYI")
    Membership.objects.filter(user=avery).delete()
    for callback in queued:
        callback()
    assert mail.outbox == []


def test_the_task_run_again_sends_nothing_more(add_note, conversation, sam, avery):
    add_note(conversation=conversation, author=sam, body="@Avery FYI")
    mention = NoteMention.objects.get()
    assert send_mention_notice.run(mention.pk) == 0
    assert len(mail.outbox) == 1


def test_a_failed_send_is_released_for_the_retry_which_sends_once(
    conversation, sam, avery, monkeypatch
):
    def smtp_down(*args, **kwargs):
        raise SMTPServerDisconnected("Connection unexpectedly closed")

    note_add(conversation=conversation, author=sam, body="@Avery FYI")  # task not run yet
    mention = NoteMention.objects.get()
    monkeypatch.setattr(locmem.EmailBackend, "send_messages", smtp_down)
    with pytest.raises(SMTPServerDisconnected):
        send_mention_notice.run(mention.pk)
    mention.refresh_from_db()
    assert (mention.notified_at, mention.notice_claimed_until) == (None, None)
    monkeypatch.undo()
    assert send_mention_notice.run(mention.pk) == 1
    assert send_mention_notice.run(mention.pk) == 0
    assert len(mail.outbox) == 1


def test_a_notice_lost_on_the_way_is_sent_by_beat_once(
    conversation, sam, avery, django_capture_on_commit_callbacks
):
    earlier = timezone.now() - timedelta(seconds=settings.NOTIFICATION_RETRY_AFTER_SECONDS + 1)
    with django_capture_on_commit_callbacks(execute=False):  # the task never reached a worker
        note_add(conversation=conversation, author=sam, body="@Avery FYI", now=earlier)
    assert mail.outbox == []
    assert queue_unsent_notifications.run() == 1
    assert [email.to for email in mail.outbox] == [[avery.email]]
    assert queue_unsent_notifications.run() == 0
    assert len(mail.outbox) == 1


def test_two_teammates_mentioned_get_one_email_each(add_note, conversation, sam, avery, northwind):
    casey = factories.member(northwind, "casey@northwind.example", "Casey Brown")
    add_note(conversation=conversation, author=sam, body="@Avery and @Casey: stock check")
    assert sorted(email.to[0] for email in mail.outbox) == [avery.email, casey.email]
