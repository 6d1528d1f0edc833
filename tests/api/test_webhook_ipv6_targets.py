"""Webhook targets written as IPv6 addresses that carry an IPv4 address inside them are
judged by that IPv4 address: the loopback reached through an IPv6 spelling is still the
loopback. Plain public IPv6 addresses stay allowed."""

from __future__ import annotations

import ipaddress

import pytest

from messagecenter.core.errors import UserFacingError
from messagecenter.webhooks.models import WebhookEndpoint
from messagecenter.webhooks.services import webhook_endpoint_register
from messagecenter.webhooks.targets import embedded_ipv4, is_public_address


@pytest.mark.parametrize(
    ("host", "inner"),
    [
        ("::127.0.0.1", "127.0.0.1"),  # IPv4-compatible
        ("::ffff:127.0.0.1", "127.0.0.1"),  # IPv4-mapped
        ("::ffff:0:127.0.0.1", "127.0.0.1"),  # IPv4-translated (SIIT)
        ("64:ff9b::127.0.0.1", "127.0.0.1"),  # NAT64 well-known prefix
        ("2002:7f00:1::", "127.0.0.1"),  # 6to4
        ("::10.0.0.5", "10.0.0.5"),
        ("64:ff9b::169.254.169.254", "169.254.169.254"),
        ("2002:c0a8:114::1", "192.168.1.20"),
        ("::ffff:0.0.0.0", "0.0.0.0"),
    ],
)
def test_ipv6_forms_of_a_private_ipv4_address_are_refused(northwind, sam, host, inner):
    assert embedded_ipv4(ipaddress.IPv6Address(host)) == ipaddress.IPv4Address(inner)

    with pytest.raises(UserFacingError) as refused:
        webhook_endpoint_register(
            business=northwind,
            url=f"https://[{host}]/hook",
            events=["message.held"],
            created_by=sam,
        )

    assert refused.value.field == "url"
    assert "Webhooks go only to public addresses" in refused.value.message
    assert not WebhookEndpoint.objects.exists()


def test_a_local_use_nat64_address_is_refused(northwind, sam):
    """64:ff9b:1::/48 is translated inside the operator's own network (RFC 8215)."""
    with pytest.raises(UserFacingError, match="public addresses"):
        webhook_endpoint_register(
            business=northwind,
            url="https://[64:ff9b:1::7f00:1]/hook",
            events=["message.held"],
            created_by=sam,
        )


@pytest.mark.parametrize(
    "host",
    [
        "2606:4700:4700::1111",  # an ordinary public IPv6 address
        "2a00:1450:4001:80b::200e",
        "64:ff9b::93.184.215.14",  # NAT64 of a public IPv4 address
        "2002:5db8:d70e::1",  # 6to4 of a public IPv4 address
    ],
)
def test_public_ipv6_addresses_are_accepted(northwind, sam, host):
    endpoint = webhook_endpoint_register(
        business=northwind, url=f"https://[{host}]/hook", events=["message.held"], created_by=sam
    )

    assert WebhookEndpoint.objects.get() == endpoint
    assert endpoint.url == f"https://[{host}]/hook"


def test_a_plain_ipv6_address_carries_no_ipv4_address():
    address = ipaddress.IPv6Address("2606:4700:4700::1111")

    assert embedded_ipv4(address) is None
    assert is_public_address(address)
