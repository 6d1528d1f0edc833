"""The Django admin reads as written English: plural names spelled right, and the policy
screen's rule list under a short heading with the defaults in a table."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from compliance.models import PolicySettings

pytestmark = pytest.mark.django_db


def test_the_admin_index_spells_webhook_deliveries(client, morgan):
    client.force_login(morgan)
    page = client.get(reverse("admin:index")).content.decode()
    assert "Webhook deliveries" in page
    assert "deliverys" not in page.lower()


def test_the_policy_screen_has_a_short_rule_actions_heading_and_a_defaults_table(client, morgan):
    policy = PolicySettings.objects.create()
    client.force_login(morgan)
    page = client.get(reverse("admin:compliance_policysettings_change", args=[policy.pk]))
    html = page.content.decode()
    headings = [
        re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html, re.S)
    ]
    assert "Rule actions" in headings
    assert all(len(h) < 40 for h in headings), headings
    assert "defaults to" not in html
    # The defaults are still there to read, one rule per row, and in the rule menu.
    assert "<td><code>contact.email</code></td>" in html
    assert "contact.email: Email address (default redact)" in html
