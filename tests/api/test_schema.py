"""The OpenAPI schema: valid, documented, served with its page from our own static files,
and true to what the API answers (schemathesis, through the WSGI app, no server)."""

from __future__ import annotations

import re
import zlib

import pytest
import schemathesis
from django.contrib.staticfiles import finders
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from messagecenter.api.tokens import api_token_create
from messagecenter.wsgi import application
from tests.api.story import make_story

# Bounded and repeatable: a few examples per operation, a fixed derivation of each one.
MAX_EXAMPLES = 60


def test_the_schema_is_valid_openapi_3(client):
    response = client.get("/api/v1/schema/")

    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    assert {
        "/api/v1/orders/{order_number}/messaging-actions",
        "/api/v1/orders/{order_number}/attributes",
        "/api/v1/orders/{order_number}/messages/{message_type}",
        "/api/v1/uploads",
        "/api/v1/conversations",
        "/api/v1/conversations/{conversation_id}/messages",
        "/api/v1/search",
    } <= paths
    assert schema["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"code", "message", "details"}


def test_the_yaml_form_is_offered_too(client):
    response = client.get("/api/v1/schema/?format=yaml")

    assert response.status_code == 200
    assert response.content.startswith(b"openapi: 3.")


def test_the_documentation_page_uses_no_cdn(client):
    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    page = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    # The start-up script is a file of its own (the page runs under the CSP); it reads our
    # schema.
    start_script = client.get(assets[-1].replace("&amp;", "&"))
    assert "/api/v1/schema/" in start_script.content.decode()
    assert assets and all(not a.startswith(("http:", "https:", "//")) for a in assets)
    for asset in assets:
        if asset.startswith("/static/"):
            assert finders.find(asset.removeprefix("/static/")), asset


# --- Property-based: every operation, generated inputs ------------------------------------

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


@pytest.fixture
def wsgi_in_the_test_transaction():
    """The WSGI handler closes "old" connections around each request; the test client
    switches that off so requests see the test's transaction, and so must we."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def real_ids(wsgi_in_the_test_transaction, jordans_order, sam, avery, jordan, settings):
    """Sam's story, so generated calls hit real objects as well as missing ones; throttles
    wide open, so every answer is the operation's own."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": dict.fromkeys(
            settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "100000/min"
        ),
    }
    story = make_story(jordans_order, sam)
    return {
        "key": api_token_create(user=sam, name="schemathesis").key,
        "order_number": story.order.number,
        "conversation_id": story.conversation.pk,
        "attachment_id": story.attachment.pk,
    }


@schema.parametrize()
@hypothesis_settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_as_its_schema_says(case, real_ids):
    # Half the cases use the story's real ids, chosen from the generated data itself so the
    # run stays repeatable.
    if zlib.crc32(repr(case.path_parameters).encode()) % 2:
        for name in case.path_parameters or {}:
            if name in real_ids:
                case.path_parameters[name] = real_ids[name]
    case.call_and_validate(
        headers={"Authorization": f"Bearer {real_ids['key']}"},
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
