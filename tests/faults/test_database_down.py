"""The database stops answering while the web server runs: cut (PostgreSQL is gone, every
connection reset, new ones refused) or silent (nothing comes back, not even a refusal).

People get the "try again in a minute" page, tools get the API's JSON error, both within
seconds, and the first request after the database is back is served again.
"""

from __future__ import annotations

import json
import re
import time
from urllib.parse import urlencode

import pytest
from django.db import OperationalError, connection
from django.db.backends.postgresql.base import DatabaseWrapper

from tests import factories
from tests.faults.helpers import api_token_header, session_cookie
from tests.faults.processes import database_address
from tests.faults.proxy import TcpProxy

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

SELLER_INBOX = "/seller/messages/"


@pytest.fixture
def waiting(jordans_order):
    return factories.buyer_message(jordans_order, "Could you send it to my office instead?")


def test_a_page_answers_the_503_page_within_seconds_while_the_database_is_cut(
    web_server, outage, sam, waiting
):
    browser = session_cookie(sam)
    assert web_server.request(SELLER_INBOX, headers=browser).status == 200
    outage["database"].cut()

    answer = web_server.request(SELLER_INBOX, headers=browser, timeout=15)

    assert answer.status == 503, answer.text[:300]
    assert answer.headers["content-type"].startswith("text/html")
    assert "cannot reach its database" in answer.text
    assert int(answer.headers["retry-after"]) > 0
    assert answer.seconds < 5

    outage["database"].resume()
    again = web_server.request(SELLER_INBOX, headers=browser)
    assert again.status == 200
    assert "Could you send it to my office instead?" in again.text


def test_signing_in_answers_the_503_page_while_the_database_is_cut(web_server, outage, sam):
    """Signing in loads and writes the session; with the database cut, the session
    middleware fails inside Django's own code."""
    form = web_server.request("/accounts/login/")
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    cookie = form.headers["set-cookie"].split(";")[0]
    assert csrf, form.text[:300]
    outage["database"].cut()

    answer = web_server.request(
        "/accounts/login/",
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
        body=urlencode(
            {
                "csrfmiddlewaretoken": csrf.group(1),
                "username": sam.email,
                "password": factories.PASSWORD,
            }
        ),
        timeout=15,
    )

    assert answer.status == 503, answer.text[:300]
    assert "cannot reach its database" in answer.text
    assert answer.seconds < 5


def test_the_api_answers_its_json_503_within_seconds_while_the_database_is_cut(
    web_server, outage, sam, waiting
):
    helpdesk = api_token_header(sam)
    assert web_server.request("/api/v1/conversations", headers=helpdesk).status == 200
    outage["database"].cut()

    answer = web_server.request("/api/v1/conversations", headers=helpdesk, timeout=15)

    assert answer.status == 503, answer.text[:300]
    assert answer.headers["content-type"] == "application/json"
    body = json.loads(answer.body)
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == "service_unavailable"
    assert body["details"]["retry_after"] == int(answer.headers["retry-after"])
    assert answer.seconds < 5

    outage["database"].resume()
    assert web_server.request("/api/v1/conversations", headers=helpdesk).status == 200


@pytest.mark.parametrize("fault", ["cut", "pause"])
def test_healthz_names_the_database_within_a_second_while_it_is_down(web_server, outage, fault):
    getattr(outage["database"], fault)()

    answer = web_server.request("/healthz", timeout=20)

    assert answer.status == 503
    body = json.loads(answer.body)
    assert body["status"] == "unavailable"
    assert body["database"] != "ok"
    assert body["broker"] == "ok"
    assert answer.seconds < 1

    outage["database"].resume()
    deadline = time.monotonic() + 10  # the pool reconnects in the background
    while json.loads(web_server.request("/healthz").body)["database"] != "ok":
        assert time.monotonic() < deadline, "healthz never saw the database back"
        time.sleep(0.1)


def test_the_pool_uses_a_database_that_is_back_at_once(db):
    """While the database is away the pool retries further and further apart (after 1, 2,
    4, 8 s...). Once it is back, a request must not wait for the next of those tries.

    The pool is the one Django builds from the settings (its own alias, so a pool of its
    own) on a connection through the proxy.
    """
    proxy = TcpProxy(*database_address())
    through_proxy = {**connection.settings_dict, "HOST": "127.0.0.1", "PORT": proxy.port}
    wrapper = DatabaseWrapper(through_proxy, alias="faults-pool-recovery")
    pool_timeout = through_proxy["OPTIONS"]["pool"]["timeout"]
    try:
        wrapper.ensure_connection()
        wrapper.close()
        proxy.cut()
        started = time.monotonic()
        with pytest.raises(OperationalError):
            wrapper.ensure_connection()
        # Tried at 0, 1, 3 and 7 s; without a fresh start the next try would be near 15 s.
        time.sleep(max(0.0, started + 8 - time.monotonic()))

        proxy.resume()
        back = time.monotonic()
        wrapper.ensure_connection()
        waited = time.monotonic() - back
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
    finally:
        wrapper.close()
        wrapper.close_pool()
        proxy.close()

    assert waited < pool_timeout
