"""Every HTML page is sent with a strict Content-Security-Policy: scripts and styles only
from our own files (or an inline script carrying the page's nonce), never 'unsafe-inline'
or eval, no plugins, no framing, no <base> tricks. The pages themselves carry no inline
script without the nonce and no style attribute, so the policy costs them nothing."""

from __future__ import annotations

import re

import pytest
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.template import engines
from django.template.loader import render_to_string
from django.urls import reverse

from tests import factories


def policy_of(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.wsgi_request.path}"
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_strict(response) -> None:
    policy = policy_of(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"][0] == "'self'"
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    for values in policy.values():
        assert "'unsafe-inline'" not in values
        assert "'unsafe-eval'" not in values
        assert not [v for v in values if v.startswith(("http:", "https:", "*"))]
    page = response.content.decode()
    nonce = next((v for v in policy["script-src"] if v.startswith("'nonce-")), None)
    for script in re.findall(r"<script\b[^>]*>", page):
        # Inline scripts must carry this response's nonce; files come from our origin.
        if "src=" not in script:
            assert nonce and f'nonce="{nonce[7:-1]}"' in script, script
        else:
            assert re.search(r'src="/', script), script
    assert not re.search(r"<style\b", page)
    assert not re.search(r"\sstyle=", page)
    assert not re.search(r"\son[a-z]+=", page)  # no inline event handlers


@pytest.fixture
def story(jordan, sam, morgan, jordans_order):
    question = factories.buyer_message(jordans_order, body="Where is my parcel?")
    return {"conversation": question.conversation, "order": jordans_order}


@pytest.mark.parametrize(
    ("who", "url"),
    [
        (None, "/accounts/login/"),
        (None, "/accounts/password-reset/"),
        ("jordan", "/messages/"),
        ("jordan", "conversation:buyer"),
        ("jordan", "/orders/"),
        ("jordan", "/settings/"),
        ("sam", "/seller/messages/"),
        ("sam", "conversation:seller"),
        ("sam", "contact_buyer"),
        ("sam", "/seller/settings/email/"),
        ("sam", "/settings/webhooks/"),
        ("sam", "/settings/api/"),
        ("sam", "/seller/performance/"),
        ("morgan", "/review/"),
        ("morgan", "/admin/"),
        ("morgan", "/admin/messaging/message/"),
        ("sam", "/api/v1/docs/"),
        ("jordan", "/no-such-page/"),
    ],
)
def test_key_pages_are_sent_with_a_strict_policy(client, story, who, url, request):
    if who:
        client.force_login(request.getfixturevalue(who))
    conversation = story["conversation"]
    url = {
        "conversation:buyer": reverse("buyer_conversation", args=[conversation.pk]),
        "conversation:seller": reverse("seller_conversation", args=[conversation.pk]),
        "contact_buyer": reverse("contact_buyer", args=[story["order"].number]),
    }.get(url, url)

    response = client.get(url)

    assert response.status_code == (404 if url == "/no-such-page/" else 200), url
    assert response["Content-Type"].startswith("text/html")
    assert_strict(response)


def test_a_bad_request_and_a_server_error_page_are_strict_too(client, sam):
    client.force_login(sam)
    bad = client.post(reverse("webhooks"), {"business": "²"})
    assert bad.status_code == 400
    assert_strict(bad)


def test_the_server_error_page_has_no_inline_style(client):
    page = render_to_string("500.html")
    assert "style=" not in page
    assert "<style" not in page


def test_the_api_documentation_loads_its_start_script_as_a_file(client, sam):
    client.force_login(sam)
    page = client.get("/api/v1/docs/").content.decode()
    script_url = re.findall(r'<script src="([^"]+)"', page)[-1].replace("&amp;", "&")

    script = client.get(script_url)

    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content


def test_the_nonce_is_sent_only_where_a_page_uses_it_and_changes_every_time(rf):
    template = engines["django"].from_string('<script nonce="{{ request.csp_nonce }}"></script>')

    def view(request):
        return HttpResponse(template.render({"request": request}))

    middleware = CSPMiddleware(view)
    first = middleware(rf.get("/"))
    second = middleware(rf.get("/"))
    plain = CSPMiddleware(lambda request: HttpResponse("<p>hi</p>"))(rf.get("/"))

    nonces = [
        re.search(r"'nonce-([^']+)'", r["Content-Security-Policy"]).group(1)
        for r in (first, second)
    ]
    assert nonces[0] != nonces[1]
    assert f'nonce="{nonces[0]}"'.encode() in first.content
    assert "nonce-" not in plain["Content-Security-Policy"]
