"""Search: the messages and conversations a user may read that match what they typed.

One queryset per kind, for the results page, the API and the benchmark alike, newest
first, so a page reads its rows from an index that starts with the business (or buyer)
and stops at the page's end; how many matched is counted up to ``COUNT_CAP`` only.

Who sees what is the pages' rule, not a new one: the conversations a user takes part in
(``threads.access.conversation_scope``), and in them the messages their side sees
(``messaging.selectors.visible_on_side``): the other side's held, rejected or blocked
messages never match. Administrators search everything, held and blocked messages too.

How a row matches is the one part written per database: PostgreSQL's full-text search
(``matching``) or SQLite's FTS5 (``_matching_sqlite``).
"""

from __future__ import annotations

from enum import StrEnum
from functools import reduce
from operator import or_

from django.db.models import BooleanField, Q, QuerySet, TextField
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from messagecenter.accounts.models import User
from messagecenter.core.by_vendor import by_vendor
from messagecenter.messaging.models import Message
from messagecenter.messaging.selectors import visible_on_side
from messagecenter.search.indexing import START_MARK, STOP_MARK
from messagecenter.search.languages import ALL_CONFIGS, SIMPLE
from messagecenter.search.models import ConversationSearch, MessageSearch
from messagecenter.search.query_syntax import Search, fts5_query, parse
from messagecenter.threads.access import conversation_scope
from messagecenter.threads.models import Side
from messagecenter.threads.selectors import InboxFilter, reply_clock_filter

# Counting past the cap reads that many matching rows, scattered over a table of a
# million: 500 of a common word cost 12 ms of reads at scale, 200 about 5.
COUNT_CAP = 200
MAX_QUERY_LENGTH = 200


class SearchFilter(StrEnum):
    """The inbox filters a search keeps, and the review queue's one."""

    ALL = "all"
    AWAITING_REPLY = "awaiting"
    OVERDUE = "overdue"
    DUE_SOON = "due-soon"
    ASSIGNED_TO_ME = "mine"
    UNASSIGNED = "unassigned"
    HELD = "held"


FILTER_LABELS = {
    SearchFilter.ALL: pgettext_lazy("conversations filter", "All"),
    SearchFilter.AWAITING_REPLY: gettext_lazy("Awaiting reply"),
    SearchFilter.OVERDUE: gettext_lazy("Overdue"),
    SearchFilter.DUE_SOON: gettext_lazy("Due within 4 hours"),
    SearchFilter.ASSIGNED_TO_ME: gettext_lazy("Assigned to me"),
    SearchFilter.UNASSIGNED: gettext_lazy("Unassigned"),
    SearchFilter.HELD: gettext_lazy("Held for review"),
}
# A buyer's inbox has no reply clock or team: only the held filter (their own).
BUYER_FILTERS = (SearchFilter.ALL, SearchFilter.HELD)


def _conversation_filter(search_filter: SearchFilter, user: User, prefix: str) -> Q:
    if search_filter in (SearchFilter.ALL, SearchFilter.HELD):
        return Q()
    inbox_filter = InboxFilter(search_filter.value)
    return reply_clock_filter(inbox_filter, user=user, now=timezone.now(), prefix=prefix)


def _scope(user: User, side: Side | None, *, messages: bool) -> Q | None:
    """The rows the user may read, on the copied columns; None when none."""
    if not user.is_authenticated:
        return None
    if user.is_staff:
        return Q()
    scope = conversation_scope(user)
    parts = []
    for each, condition in ((Side.BUYER, scope.as_buyer()), (Side.SELLER, scope.as_seller())):
        if condition is None or side not in (None, each):
            continue
        parts.append(condition & visible_on_side(each) if messages else condition)
    return reduce(or_, parts) if parts else None


def _clean(text: str) -> str:
    # PostgreSQL text holds no NUL; the highlight's markers are never looked for.
    for character in ("\x00", START_MARK, STOP_MARK):
        text = text.replace(character, " ")
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def _message_rows(
    user: User, text: str, side: Side | None, search_filter: SearchFilter
) -> tuple[QuerySet[MessageSearch], Match | None]:
    search = parse(_clean(text))
    scope = _scope(user, side, messages=True)
    if scope is None or search is None:
        return MessageSearch.objects.none(), None
    match = matching(MessageSearch._meta.db_table, search, configured=True)
    rows = MessageSearch.objects.filter(scope, match.condition).filter(
        _conversation_filter(search_filter, user, "conversation__")
    )
    if search_filter == SearchFilter.HELD:
        rows = rows.filter(status=Message.Status.HELD)
    return rows, match


# What a result shows of its conversation, read in the same query.
_SHOWN_WITH_RESULT = (
    "conversation__buyer",
    "conversation__seller",
    "conversation__order",
    "conversation__product",
)


def message_matches(
    user: User,
    text: str,
    *,
    side: Side | None = None,
    search_filter: SearchFilter = SearchFilter.ALL,
) -> QuerySet[MessageSearch]:
    """The message rows the user may read that match, newest first, each with its
    ``passage`` (the matching words between the private markers, see passages.py) and
    its conversation's people, order and product."""
    rows, match = _message_rows(user, text, side, search_filter)
    if match is None:
        return rows
    return (
        rows.annotate(passage=match.passage)
        .defer("text", "document")  # the passage is what is shown
        .select_related(*_SHOWN_WITH_RESULT)
        .order_by("-created_at", "-message_id")
    )


def message_match_count(
    user: User,
    text: str,
    *,
    side: Side | None = None,
    search_filter: SearchFilter = SearchFilter.ALL,
) -> int:
    """How many messages ``message_matches`` finds, counted up to ``COUNT_CAP`` + 1
    (more than the cap is "more than"): the rows alone, no passage cut for any."""
    rows, _ = _message_rows(user, text, side, search_filter)
    return rows.order_by()[: COUNT_CAP + 1].count()


def conversation_matches(
    user: User,
    text: str,
    *,
    side: Side | None = None,
    search_filter: SearchFilter = SearchFilter.ALL,
) -> QuerySet[ConversationSearch]:
    """The conversations the user may read whose order number, people's names or
    products match, newest first, with their ``passage``. A conversation nobody has
    received a message in yet (its first was blocked) is in nobody's inbox, and found
    only by administrators."""
    search = parse(_clean(text))
    scope = _scope(user, side, messages=False)
    if scope is None or search is None or search_filter == SearchFilter.HELD:
        return ConversationSearch.objects.none()
    match = matching(ConversationSearch._meta.db_table, search, configured=False)
    rows = ConversationSearch.objects.filter(scope, match.condition).filter(
        _conversation_filter(search_filter, user, "conversation__")
    )
    if not user.is_staff:
        rows = rows.filter(conversation__last_message_at__isnull=False)
    return (
        rows.annotate(passage=match.passage)
        .defer("text", "document")  # the passage is what is shown
        .select_related(*_SHOWN_WITH_RESULT)
        .order_by("-created_at", "-conversation_id")
    )


class Match:
    """The condition that a row matches, and the expression of its passage."""

    def __init__(self, condition: RawSQL, passage: RawSQL):
        self.condition = condition
        self.passage = passage


# Two fragments of about twenty words around the matches, between private markers that
# search/passages.py turns into <mark> after escaping everything else.
_HEADLINE = (
    f"StartSel={START_MARK}, StopSel={STOP_MARK}, MaxWords=24, MinWords=10, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)


def _union(configs: tuple[str, ...], text: str) -> tuple[str, list[str]]:
    """A query parsed in each configuration, as one tsquery, and its parameters."""
    sql = " || ".join(f"websearch_to_tsquery('{config}', %s)" for config in configs)
    return f"({sql})", [text] * len(configs)


@by_vendor
def matching(table: str, search: Search, *, configured: bool) -> Match:
    """PostgreSQL: what is looked for, parsed in every configuration a row may have
    (``configured``; conversation rows are all simple), as one tsquery the GIN index
    answers; a message's vector holds its words stemmed in its own language and as
    written, so a row matches whichever language the query is in. Each word left out is
    asked apart, in every configuration too (query_syntax.py says why)."""
    configs = ALL_CONFIGS if configured else (SIMPLE,)
    wanted, params = _union(configs, search.wanted)
    condition, condition_params = f"{table}.document @@ {wanted}", list(params)
    for term in search.left_out:
        left_out, more = _union(configs, term)
        condition += f" AND NOT {table}.document @@ {left_out}"
        condition_params += more
    config = f"{table}.config::regconfig" if configured else f"'{SIMPLE}'"
    # Names from the models and languages.py only; what was typed is a parameter.
    return Match(
        RawSQL(condition, condition_params, output_field=BooleanField()),  # noqa: S611
        RawSQL(  # noqa: S611
            f"ts_headline({config}, {table}.text, {wanted}, %s)",
            [*params, _HEADLINE],
            output_field=TextField(),
        ),
    )


@matching.sqlite
def _matching_sqlite(table: str, search: Search, *, configured: bool) -> Match:
    """SQLite: the row's FTS5 table (``<table>_fts``, porter stemming, accents and case
    folded), asked with the same search as an FTS5 query."""
    query = fts5_query(search)
    fts = f"{table}_fts"
    key = "message_id" if configured else "conversation_id"
    return Match(
        RawSQL(  # noqa: S611
            f"{table}.{key} IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)",  # noqa: S608
            [query],
            output_field=BooleanField(),
        ),
        RawSQL(  # noqa: S611
            f"(SELECT snippet({fts}, 0, char(2), char(3), ' … ', 24) FROM {fts}"  # noqa: S608
            f" WHERE {fts} MATCH %s AND rowid = {table}.{key})",
            [query],
            output_field=TextField(),
        ),
    )
