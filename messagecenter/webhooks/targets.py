"""Where a webhook may be sent: never, by default, to this machine or a private network.

A URL is refused when its host resolves to a loopback, private, link-local, reserved,
multicast or otherwise non-public address, unless the operator sets
WEBHOOK_ALLOW_PRIVATE_TARGETS. The check runs at registration and again before every
delivery, and the connection goes to the address that was checked (so a name that
resolves differently a moment later cannot redirect it).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class TargetRefused(Exception):
    """The URL may not receive webhooks; the message says why, for the seller."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # with the query string
    address: str  # the checked IP to connect to


# IPv6 ranges whose last 32 bits are an IPv4 address the packet ends up at: IPv4-compatible
# (deprecated, RFC 4291), IPv4-translated (SIIT, RFC 2765) and the NAT64 well-known prefix
# (RFC 6052). IPv4-mapped (::ffff:0:0/96) and 6to4 (2002::/16) are read by the standard
# library's own properties.
_LAST_32_BITS_ARE_IPV4 = (
    ipaddress.IPv6Network("::/96"),
    ipaddress.IPv6Network("::ffff:0:0:0/96"),
    ipaddress.IPv6Network("64:ff9b::/96"),
)
# The NAT64 prefix for a network's own translators (RFC 8215): where the IPv4 address sits
# depends on the prefix length each operator chose, so it cannot be read and is refused.
_LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address reaches through, for the forms that embed one."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if any(address in network for network in _LAST_32_BITS_ARE_IPV4):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public_address(address: IPAddress) -> bool:
    """Whether webhooks may go to this address: global, not multicast, and for an IPv6
    address that embeds an IPv4 one (``[::ffff:127.0.0.1]``, ``[64:ff9b::127.0.0.1]``,
    ``[2002:7f00:1::]``...), that IPv4 address must be public too."""
    if isinstance(address, ipaddress.IPv6Address):
        if address in _LOCAL_NAT64:
            return False
        inner = embedded_ipv4(address)
        if inner is not None:
            return is_public_address(inner)
    return address.is_global and not address.is_multicast


def resolve(host: str, port: int) -> list[IPAddress]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise TargetRefused(
            _("The host name “%(host)s” could not be found (%(error)s).")
            % {"host": host, "error": error}
        ) from None
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


def check_target(url: str) -> Target:
    """The URL's parts and a permitted address to connect to, or TargetRefused."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise TargetRefused(_("That is not a valid URL.")) from None
    allowed_schemes = {"https"} if settings.WEBHOOK_REQUIRE_HTTPS else {"https", "http"}
    if parts.scheme not in allowed_schemes:
        raise TargetRefused(_("Webhook URLs must start with https://."))
    if parts.username or parts.password:
        raise TargetRefused(_("Put no user name or password in the URL; deliveries are signed."))
    host = parts.hostname or ""
    if not host:
        raise TargetRefused(_("The URL has no host name."))
    port = port or (443 if parts.scheme == "https" else 80)
    addresses = resolve(host, port)
    if not addresses:
        raise TargetRefused(_("The host name “%(host)s” has no address.") % {"host": host})
    if not settings.WEBHOOK_ALLOW_PRIVATE_TARGETS:
        private = [a for a in addresses if not is_public_address(a)]
        if private:
            raise TargetRefused(
                _(
                    "“%(host)s” points to %(address)s, a private, loopback or reserved "
                    "address. Webhooks go only to public addresses."
                )
                % {"host": host, "address": private[0]}
            )
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(parts.scheme, host, port, path, str(addresses[0]))
