"""The pages and API lists the scale benchmark times, and the bare view it compares them
with.

The bare view is what a page could cost at best: logged in like every page (the session
and the user, two queries), then one indexed query for 25 rows (the heavy seller's newest
conversations) rendered by a small template. Pages are named so that `--only` can pick
them.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template import Context, Template

from bench.scale.targets import BuyerTarget, SellerTarget, Targets, held_message_id
from messagecenter.accounts.models import User
from messagecenter.core.ids import parse_id
from messagecenter.threads.models import Conversation

BASELINE_PATH = "/bench/baseline/"
_BASELINE_TEMPLATE = Template(
    "<ul>{% for c in rows %}"
    '<li><a href="/seller/messages/{{ c.id }}/">{{ c.subject }}</a> '
    '{{ c.last_message_preview }} <time>{{ c.last_message_at|date:"c" }}</time></li>'
    "{% endfor %}</ul>"
)


@login_required
def baseline_view(request: HttpRequest) -> HttpResponse:
    """25 rows from one indexed query (conv_seller_recent), rendered."""
    rows = (
        Conversation.objects.filter(seller_id=parse_id(request.GET.get("seller", "")))
        .order_by("-last_message_at")
        .values("id", "subject", "last_message_preview", "last_message_at")[:25]
    )
    return HttpResponse(_BASELINE_TEMPLATE.render(Context({"rows": list(rows)})))


@dataclass(frozen=True)
class Page:
    name: str
    account: str
    user: User
    url: str


def _seller_pages(target: SellerTarget) -> list[tuple[str, str]]:
    thread, order = target.thread.pk, target.order_number
    return [
        ("seller inbox, All", "/seller/messages/"),
        ("seller inbox, Awaiting reply", "/seller/messages/?filter=awaiting"),
        ("seller inbox, Overdue", "/seller/messages/?filter=overdue"),
        ("seller inbox, Unread", "/seller/messages/?filter=unread"),
        ("seller inbox, Due first", "/seller/messages/?sort=due"),
        # Every tab's count is on every inbox page; these time the lists the new ones open.
        ("seller inbox, Due within 4 hours", "/seller/messages/?filter=due-soon"),
        ("seller inbox, Assigned to me", "/seller/messages/?filter=mine"),
        ("seller inbox, Unassigned", "/seller/messages/?filter=unassigned"),
        (
            f"seller inbox, page {target.deep_page}",
            f"/seller/messages/?cursor={quote(target.deep_cursor)}",
        ),
        ("Manage Orders", "/seller/orders/"),
        (f"Manage Orders, search {target.search!r}", f"/seller/orders/?q={quote(target.search)}"),
        ("seller order page", f"/seller/orders/{order}/"),
        ("Contact Buyer", f"/seller/orders/{order}/contact/"),
        ("seller conversation, 50 messages", f"/seller/messages/{thread}/"),
        ("seller conversation pane (workspace.js), 50 messages", f"/seller/messages/{thread}/pane"),
        ("Performance", "/seller/performance/"),
        ("API conversations", "/api/v1/conversations"),
        ("API conversations, awaiting reply", "/api/v1/conversations?awaiting_reply=true"),
        ("API conversations, overdue", "/api/v1/conversations?overdue=true"),
        ("API conversation", f"/api/v1/conversations/{thread}"),
        ("API conversation messages", f"/api/v1/conversations/{thread}/messages"),
        ("API team", "/api/v1/team"),
        ("API messaging actions", f"/api/v1/orders/{order}/messaging-actions"),
        ("API order attributes", f"/api/v1/orders/{order}/attributes"),
    ]


def _buyer_pages(target: BuyerTarget) -> list[tuple[str, str]]:
    return [
        ("buyer inbox, All", "/messages/"),
        ("buyer inbox, Unread", "/messages/?filter=unread"),
        ("buyer conversation, 50 messages", f"/messages/{target.thread.pk}/"),
        ("Your Orders", "/orders/"),
        ("Contact seller", f"/orders/{target.order_number}/contact/"),
        ("products", "/products/"),
    ]


def bench_pages(targets: Targets) -> list[Page]:
    """Every page and API list, for each bench account."""
    pages = []
    for seller in targets.sellers:
        pages += [Page(n, seller.label, seller.user, u) for n, u in _seller_pages(seller)]
    for buyer in targets.buyers:
        pages += [Page(n, buyer.label, buyer.user, u) for n, u in _buyer_pages(buyer)]
    pages.append(Page("review queue", "admin", targets.admin, "/review/"))
    held = held_message_id()
    if held is not None:
        pages.append(Page("review a held message", "admin", targets.admin, f"/review/{held}/"))
    return pages


def baseline_url(targets: Targets) -> str:
    return f"{BASELINE_PATH}?seller={targets.baseline_seller.pk}"
