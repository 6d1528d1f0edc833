"""What search matches: message text and subjects, file names, order numbers, names,
products and SKUs; accents and case ignored; the websearch syntax; passages escaped.

These run on both databases (the SQLite lane too): FTS5 there, PostgreSQL's full-text
search here. The language-aware stemming is PostgreSQL's (test_search_languages.py).
"""

from __future__ import annotations

from messagecenter.search.passages import passage_html
from messagecenter.search.selectors import conversation_matches, message_matches
from tests import factories


def _found(user, text: str) -> set[int]:
    return {row.message_id for row in message_matches(user, text)}


def _conversations_found(user, text: str) -> set[int]:
    return {row.conversation_id for row in conversation_matches(user, text)}


def test_a_word_of_a_message_or_its_subject_finds_it_whatever_its_case(jordans_order, sam):
    asked = factories.buyer_message(
        jordans_order, "Could you gift-wrap the KETTLE?", subject="Wrapping request"
    )

    assert _found(sam, "kettle") == {asked.pk}
    assert _found(sam, "Kettle") == {asked.pk}
    assert _found(sam, "wrapping") == {asked.pk}
    assert _found(sam, "teapot") == set()


def test_accents_are_ignored_in_the_message_and_in_the_query(jordans_order, sam):
    asked = factories.buyer_message(jordans_order, "Is the café table in crème or white?")

    assert _found(sam, "cafe") == {asked.pk}
    assert _found(sam, "CRÈME") == {asked.pk}
    assert _found(sam, "creme") == {asked.pk}


def test_quotes_minus_and_or_work_as_in_a_web_search(jordans_order, sam):
    blue = factories.buyer_message(jordans_order, "I would like the blue cushion cover please.")
    red = factories.buyer_message(jordans_order, "Or rather the cushion in red, with a blue trim.")

    assert _found(sam, '"blue cushion"') == {blue.pk}
    assert _found(sam, "cushion blue") == {blue.pk, red.pk}
    assert _found(sam, "cushion -red") == {blue.pk}
    assert _found(sam, "trim or please") == {blue.pk, red.pk}
    assert _found(sam, "-cushion") == set()


def test_an_attachments_file_name_finds_its_message(jordans_order, sam):
    sent = factories.seller_message(
        jordans_order,
        sam,
        "Here is the paperwork you asked for.",
        attachments=[factories.pdf_upload("kestrel-warranty.pdf")],
    )

    assert _found(sam, "kestrel") == {sent.pk}


def test_a_redacted_phone_number_is_not_found(jordans_order, sam, jordan):
    factories.buyer_message(jordans_order, "Please call me back on +1 415 555 0123 today.")

    assert _found(sam, "0123") == set()
    assert _found(jordan, "0123") == set()
    assert _found(sam, "today") != set()


def test_the_order_number_names_and_products_find_the_conversation(jordans_order, jordan, sam):
    conversation = factories.buyer_message(jordans_order, "Hello").conversation
    line = jordans_order.lines.get()

    assert _conversations_found(sam, jordans_order.number) == {conversation.pk}
    assert _conversations_found(sam, line.sku) == {conversation.pk}
    assert _conversations_found(sam, "duvet") == {conversation.pk}
    assert _conversations_found(sam, "Miles") == {conversation.pk}
    assert _conversations_found(jordan, "Northwind") == {conversation.pk}
    assert _conversations_found(jordan, "Cascade") == set()


def test_a_product_question_is_found_by_its_product(jordan, northwind, sam):
    from messagecenter.messaging.drafts import Draft
    from messagecenter.messaging.sending import message_send_product_question
    from messagecenter.threads.models import Side

    product = factories.product(northwind, "Walnut Serving Board")
    draft = Draft(
        sender=jordan,
        side=Side.BUYER,
        message_type="buyer_inquiry",
        subject="Board size",
        body="How long is it?",
    )
    conversation = message_send_product_question(product=product, draft=draft).message.conversation

    assert _conversations_found(sam, "walnut") == {conversation.pk}
    assert _conversations_found(sam, product.sku) == {conversation.pk}


def test_hostile_text_in_a_passage_is_escaped_and_only_the_match_is_marked(jordans_order, sam):
    factories.buyer_message(
        jordans_order,
        "5 &lt; 6 &amp; &lt;img src=x onerror=alert(1)&gt; the aubergine \x02 is &quot;ok&quot;",
    )

    (row,) = message_matches(sam, "aubergine")
    html = str(passage_html(row.passage))

    assert "<mark>aubergine</mark>" in html
    assert "<img" not in html and "\x02" not in html and "\x03" not in html
    assert html.replace("<mark>aubergine</mark>", "").count("<") == 0


def test_a_passage_escapes_everything_but_the_markers():
    assert str(passage_html('<b>"x"</b> \x02match\x03 & \x02cut')) == (
        "&lt;b&gt;&quot;x&quot;&lt;/b&gt; <mark>match</mark> &amp; <mark>cut</mark>"
    )


def test_an_empty_query_finds_nothing(jordans_order, sam):
    factories.buyer_message(jordans_order, "Anything at all")

    assert _found(sam, "") == set()
    assert _found(sam, '   "" - ') == set()
