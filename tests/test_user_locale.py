"""Each person reads in their own language and time zone: stored on the account, first set
from the browser at the first login, chosen on the settings page or with the switcher at
the foot of every page. A visitor's language comes from the switcher's cookie or the
browser. The URLs never carry a language."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from messagecenter.accounts.models import User
from messagecenter.messaging.models import Message
from tests import factories

LATE_SATURDAY = datetime(2026, 3, 7, 23, 30, tzinfo=UTC)  # Sunday 00:30 in Berlin


def _set(user: User, **fields: str) -> None:
    for name, value in fields.items():
        setattr(user, name, value)
    user.save(update_fields=list(fields))


def _page(client: Client, url: str = "/messages/", **headers: str) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


# --- Every page in the reader's language and zone ----------------------------------------


def test_a_page_is_in_the_users_language_and_zone(client, jordan, jordans_order):
    message = factories.buyer_message(jordans_order, "Is it in stock?")
    Message.objects.filter(pk=message.pk).update(created_at=LATE_SATURDAY)
    _set(jordan, language="de", time_zone="Europe/Berlin")
    client.force_login(jordan)

    response = client.get(reverse("buyer_conversation", args=[message.conversation_id]))

    page = response.content.decode()
    assert '<html lang="de">' in page
    # Written the German way with Django's German month names, on Berlin's clock (UTC+1
    # in March).
    assert "8. März 2026, 00:30" in page
    assert response.headers["Content-Language"] == "de"
    assert {"Accept-Language", "Cookie"} <= {v.strip() for v in response.headers["Vary"].split(",")}


def test_the_default_is_english_and_the_marketplace_zone(client, jordan, jordans_order):
    message = factories.buyer_message(jordans_order, "Is it in stock?")
    Message.objects.filter(pk=message.pk).update(created_at=LATE_SATURDAY)
    client.force_login(jordan)

    page = _page(client, reverse("buyer_conversation", args=[message.conversation_id]))

    assert '<html lang="en">' in page
    assert "Mar 7, 2026, 23:30" in page  # UTC, the marketplace's default zone


def test_the_users_choice_wins_over_the_browser(client, jordan):
    _set(jordan, language="fr", time_zone="Europe/Paris")
    client.force_login(jordan)

    assert '<html lang="fr">' in _page(client, **{"Accept-Language": "it"})


def test_a_visitor_reads_in_the_browsers_language(client):
    assert '<html lang="es">' in _page(client, "/accounts/login/", **{"Accept-Language": "es-ES"})
    assert '<html lang="en">' in _page(client, "/accounts/login/", **{"Accept-Language": "ja"})


def test_the_language_does_not_leak_into_the_next_request(client, jordan):
    _set(jordan, language="it")
    client.force_login(jordan)
    assert '<html lang="it">' in _page(client)
    client.logout()

    assert '<html lang="en">' in _page(client, "/accounts/login/")


# --- First set at the first login ------------------------------------------------------------


def test_the_first_login_keeps_the_browsers_language_and_the_marketplace_zone(client, db, settings):
    settings.MARKETPLACE_TIME_ZONE = "Europe/Berlin"
    person = factories.user("lena@example.com", "Lena")

    response = client.post(
        "/accounts/login/",
        {"username": person.email, "password": factories.PASSWORD},
        headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"},
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.language, person.time_zone) == ("de", "")  # "" is the marketplace's
    assert '<html lang="de">' in _page(client, "/messages/")
    page = _page(client, reverse("notification_settings"))
    assert 'name="time_zone" value="Europe/Berlin"' in page


def test_a_later_login_keeps_what_the_person_chose(client, db):
    person = factories.user("lena@example.com", "Lena", language="fr", time_zone="Europe/Paris")

    client.post(
        "/accounts/login/",
        {"username": person.email, "password": factories.PASSWORD},
        headers={"Accept-Language": "de"},
    )

    person.refresh_from_db()
    assert (person.language, person.time_zone) == ("fr", "Europe/Paris")


# --- The language switcher -----------------------------------------------------------------


def test_every_page_has_the_switcher_with_the_current_language_chosen(client, jordan):
    _set(jordan, language="es")
    client.force_login(jordan)

    page = _page(client, "/messages/?page=1")

    assert f'action="{reverse("switch_language")}"' in page
    assert '<input type="hidden" name="next" value="/messages/?page=1">' in page
    assert '<option value="es" lang="es" selected>Español</option>' in page
    assert '<option value="de" lang="de">Deutsch</option>' in page


def test_a_logged_in_person_switches_and_it_is_stored(client, jordan):
    client.force_login(jordan)

    response = client.post(reverse("switch_language"), {"language": "it", "next": "/orders/"})

    assert response.status_code == 302 and response.headers["Location"] == "/orders/"
    jordan.refresh_from_db()
    assert jordan.language == "it"
    assert '<html lang="it">' in _page(client, "/messages/", **{"Accept-Language": "de"})


def test_a_visitor_switches_with_a_cookie(client):
    response = client.post(
        reverse("switch_language"), {"language": "fr", "next": "/accounts/login/"}
    )

    assert response.status_code == 302 and response.headers["Location"] == "/accounts/login/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert '<html lang="fr">' in _page(client, "/accounts/login/", **{"Accept-Language": "de"})


@pytest.mark.parametrize(
    "unsafe", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", ""]
)
def test_the_switcher_never_sends_anyone_to_another_site(client, jordan, unsafe):
    client.force_login(jordan)

    response = client.post(reverse("switch_language"), {"language": "de", "next": unsafe})

    assert response.status_code == 302 and response.headers["Location"] == reverse("home")
    jordan.refresh_from_db()
    assert jordan.language == "de"


def test_an_unknown_language_is_refused_with_a_clear_error(client, jordan):
    _set(jordan, language="en")
    client.force_login(jordan)

    response = client.post(
        reverse("switch_language"), {"language": "xx", "next": "/messages/"}, follow=True
    )

    page = response.content.decode()
    assert "The language was not changed: choose one of English, Deutsch, Français" in page
    assert '<html lang="en">' in page
    jordan.refresh_from_db()
    assert jordan.language == "en"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_the_switcher_needs_the_csrf_token_and_a_post(jordan):
    client = Client(enforce_csrf_checks=True)
    client.force_login(jordan)
    _set(jordan, language="en")

    refused = client.post(reverse("switch_language"), {"language": "de", "next": "/messages/"})
    not_a_get = client.get(reverse("switch_language"), {"language": "de"})

    assert refused.status_code == 403
    assert not_a_get.status_code == 405
    jordan.refresh_from_db()
    assert jordan.language == "en"


# --- The settings page ------------------------------------------------------------------------


def _settings_post(**fields: str) -> dict[str, str]:
    return {
        "language": "en",
        "time_zone": "UTC",
        "email_new_message": "immediately",
        "email_review_decision": "immediately",
        **fields,
    }


def test_the_settings_page_offers_language_and_zone(client, jordan):
    _set(jordan, language="de", time_zone="Europe/Berlin")
    client.force_login(jordan)

    page = _page(client, reverse("notification_settings"))

    assert '<option value="de" selected>Deutsch</option>' in page
    assert 'name="time_zone" value="Europe/Berlin"' in page
    assert 'list="time-zones"' in page
    assert '<option value="America/New_York">' in page  # the datalist


def test_the_settings_page_saves_language_and_zone(client, jordan):
    client.force_login(jordan)

    response = client.post(
        reverse("notification_settings"),
        _settings_post(language="fr", time_zone=" America/New_York ", email_new_message="daily"),
    )

    assert response.status_code == 302
    jordan.refresh_from_db()
    assert (jordan.language, jordan.time_zone) == ("fr", "America/New_York")
    assert jordan.notification_preferences.get().frequency == "daily"
    assert '<html lang="fr">' in _page(client, reverse("notification_settings"))


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "../../etc/passwd", "europe/berlin"])
def test_an_unknown_zone_is_refused_and_nothing_typed_is_lost(client, jordan, zone):
    _set(jordan, language="en", time_zone="UTC")
    client.force_login(jordan)

    response = client.post(
        reverse("notification_settings"),
        _settings_post(language="de", time_zone=zone, email_new_message="never"),
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was saved" in page
    assert "is not a time zone. Choose one from the list, such as Europe/Berlin" in page
    assert '<option value="de" selected>Deutsch</option>' in page  # kept as chosen
    assert '<option value="never" selected>Never</option>' in page
    jordan.refresh_from_db()
    assert (jordan.language, jordan.time_zone) == ("en", "UTC")
    assert not jordan.notification_preferences.exists()


def test_an_unknown_language_is_refused_on_the_settings_page(client, jordan):
    client.force_login(jordan)

    response = client.post(reverse("notification_settings"), _settings_post(language="xx"))

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    jordan.refresh_from_db()
    assert jordan.language != "xx"


def test_the_settings_page_is_for_logged_in_people_only(client, db):
    response = client.post(reverse("notification_settings"), _settings_post(language="de"))

    assert response.status_code == 302 and "/accounts/login/" in response.headers["Location"]
