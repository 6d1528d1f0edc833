"""Replies as Gmail, Outlook, Apple Mail and Thunderbird write them: only the new words are
kept, without the quoted message and without the signature.

Jordan answers Northwind's question ("is it apartment 4B?") from each mail program, in
plain text and in HTML, top-posting and (Thunderbird) bottom-posting. The fixtures follow
the markup and wording those programs produce.
"""

from __future__ import annotations

import pytest

from messagecenter.messaging.models import Message
from messagecenter.relay import replies
from messagecenter.relay.inbound import own_words, receive_email
from messagecenter.relay.parsing import parse_email, unflow
from messagecenter.relay.replies import reply_html, reply_text
from tests import factories
from tests.relay.emails import email_from, seller_address

ANSWER = "Yes, apartment 4B is right. Please leave it with the concierge."
QUESTION = "Please confirm the delivery address for your order: is it apartment 4B?"
MASKED = "k3v9q2mzx8c4trw7yb6e1@relay.marketplace.example"
DASHES = "-- "  # the signature delimiter, with its trailing space
# Never kept: the quoted question, the signature, the mail program's own lines.
GONE = (
    QUESTION,
    "Acme Corp",
    "Sent from my iPhone",
    "Best regards",
    MASKED,
    "wrote:",
    "From:",
    "schrieb",
    "Von:",
    "a écrit",
)

TEXT = {
    "gmail": f"""{ANSWER}

--
Jordan Miles
Acme Corp

On Tue, Nov 24, 2026 at 10:02 AM Northwind Home Goods via Marketplace <
{MASKED}> wrote:

> {QUESTION}
>
> Sam
>
""",
    "outlook": f"""{ANSWER}

Best regards,
Jordan Miles
Acme Corp

From: Northwind Home Goods via Marketplace <{MASKED}>
Sent: Tuesday, November 24, 2026 10:02 AM
To: Jordan Miles <jordan@example.com>
Subject: Order 114-1000001-7000007

{QUESTION}
""",
    "outlook-classic": f"""{ANSWER}

Best regards,
Jordan Miles
Acme Corp

-----Original Message-----
From: Northwind Home Goods via Marketplace [mailto:{MASKED}]
Sent: Tuesday, November 24, 2026 10:02 AM
To: Jordan Miles
Subject: Order 114-1000001-7000007

{QUESTION}
""",
    "outlook-web": f"""{ANSWER}

Get Outlook for iOS<https://aka.ms/o0ukef>
________________________________
From: Northwind Home Goods via Marketplace <{MASKED}>
Sent: Tuesday, November 24, 2026 10:02:11 AM
To: Jordan Miles <jordan@example.com>
Subject: Order 114-1000001-7000007

{QUESTION}
""",
    "apple-mail": f"""{ANSWER}

Best regards,
Jordan

> On 24 Nov 2026, at 10:02, Northwind Home Goods via Marketplace <{MASKED}> wrote:
> \

> {QUESTION}
> \

""",
    "apple-ios": f"""{ANSWER}

Sent from my iPhone

> On 24 Nov 2026, at 10:02, Northwind Home Goods via Marketplace <{MASKED}> wrote:
>
> {QUESTION}
""",
    "thunderbird": f"""{ANSWER}

{DASHES}
Jordan Miles
Acme Corp

On 11/24/26 10:02 AM, Northwind Home Goods via Marketplace wrote:
> {QUESTION}
>
> Sam
""",
    "thunderbird-bottom-posting": f"""\
On 11/24/26 10:02 AM, Northwind Home Goods via Marketplace wrote:
> {QUESTION}
>
> Sam

{ANSWER}

{DASHES}
Jordan Miles
Acme Corp
""",
    "gmail-german": f"""{ANSWER}

Mit freundlichen Grüßen
Jordan

Am Di., 24. Nov. 2026 um 10:02 Uhr schrieb Northwind Home Goods via Marketplace <
{MASKED}>:

> {QUESTION}
""",
    "outlook-german": f"""{ANSWER}

Von: Northwind Home Goods via Marketplace <{MASKED}>
Gesendet: Dienstag, 24. November 2026 10:02
An: Jordan Miles <jordan@example.com>
Betreff: Bestellung 114-1000001-7000007

{QUESTION}
""",
    "apple-mail-french": f"""{ANSWER}

Cordialement,
Jordan

> Le 24 nov. 2026 à 10:02, Northwind Home Goods via Marketplace <{MASKED}> a écrit :
>
> {QUESTION}
""",
}

HTML = {
    "gmail": f"""<div dir="ltr"><div>{ANSWER}</div><br clear="all"><div><br></div><span \
class="gmail_signature_prefix">-- </span><br><div dir="ltr" class="gmail_signature" \
data-smartmail="gmail_signature"><div dir="ltr">Jordan Miles<div>Acme Corp</div></div></div>\
</div><br><div class="gmail_quote gmail_quote_container"><div dir="ltr" class="gmail_attr">On \
Tue, Nov 24, 2026 at 10:02 AM Northwind Home Goods via Marketplace &lt;<a \
href="mailto:{MASKED}">{MASKED}</a>&gt; wrote:<br></div><blockquote class="gmail_quote" \
style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">\
<div>{QUESTION}</div><div>Sam</div></blockquote></div>
""",
    "outlook": f"""<html xmlns:v="urn:schemas-microsoft-com:vml" \
xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta http-equiv="Content-Type" \
content="text/html; charset=utf-8"><style><!--
p.MsoNormal, li.MsoNormal, div.MsoNormal {{margin:0in; font-size:11.0pt; \
font-family:"Calibri",sans-serif;}}
--></style></head><body lang="EN-US" link="#0563C1" vlink="#954F72" style="word-wrap:break-word">\
<div class="WordSection1"><p class="MsoNormal">{ANSWER}<o:p></o:p></p><p class="MsoNormal">\
<o:p>&nbsp;</o:p></p><p class="MsoNormal"><a name="_MailAutoSig">Best regards,<o:p></o:p></a>\
</p><p class="MsoNormal">Jordan Miles<o:p></o:p></p><p class="MsoNormal">Acme Corp<o:p></o:p>\
</p><p class="MsoNormal"><o:p>&nbsp;</o:p></p><div><div style="border:none;border-top:solid \
#E1E1E1 1.0pt;padding:3.0pt 0in 0in 0in"><p class="MsoNormal"><b>From:</b> Northwind Home \
Goods via Marketplace &lt;{MASKED}&gt; <br><b>Sent:</b> Tuesday, November 24, 2026 10:02 AM<br>\
<b>To:</b> Jordan Miles &lt;jordan@example.com&gt;<br><b>Subject:</b> Order \
114-1000001-7000007<o:p></o:p></p></div></div><p class="MsoNormal"><o:p>&nbsp;</o:p></p>\
<p class="MsoNormal">{QUESTION}<o:p></o:p></p></div></body></html>
""",
    "outlook-web": f"""<html><head><meta http-equiv="Content-Type" content="text/html; \
charset=utf-8"><style type="text/css" style="display:none;"> P {{margin-top:0;margin-bottom:0;}} \
</style></head><body dir="ltr"><div class="elementToProof" style="font-family: Aptos, \
Aptos_EmbeddedFont, Calibri, Helvetica, sans-serif; font-size: 12pt; color: rgb(0, 0, 0);">\
{ANSWER}</div><div id="Signature"><div style="font-size: 12pt;">Jordan Miles</div><div>Acme \
Corp</div></div><div id="appendonsend"></div><hr style="display:inline-block;width:98%" \
tabindex="-1"><div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" \
style="font-size:11pt" color="#000000"><b>From:</b> Northwind Home Goods via Marketplace \
&lt;{MASKED}&gt;<br><b>Sent:</b> Tuesday, November 24, 2026 10:02<br><b>To:</b> Jordan Miles \
&lt;jordan@example.com&gt;<br><b>Subject:</b> Order 114-1000001-7000007</font><div>&nbsp;</div>\
</div><div>{QUESTION}</div></body></html>
""",
    "apple-mail": f"""<html><head><meta http-equiv="content-type" content="text/html; \
charset=utf-8"></head><body style="overflow-wrap: break-word; -webkit-nbsp-mode: space; \
line-break: after-white-space;">{ANSWER}<div><br></div><div><br><div><blockquote type="cite">\
<div>On 24 Nov 2026, at 10:02, Northwind Home Goods via Marketplace &lt;{MASKED}&gt; wrote:</div>\
<br class="Apple-interchange-newline"><div><div>{QUESTION}</div></div></blockquote></div><br>\
</div></body></html>
""",
    "apple-ios": f"""<html><head><meta http-equiv="content-type" content="text/html; \
charset=utf-8"></head><body dir="auto">{ANSWER}<div><br id="lineBreakAtBeginningOfSignature">\
<div dir="ltr">Sent from my iPhone</div><div dir="ltr"><br><blockquote type="cite">On 24 Nov \
2026, at 10:02, Northwind Home Goods via Marketplace &lt;{MASKED}&gt; wrote:<br><br></blockquote>\
</div><blockquote type="cite"><div dir="ltr">{QUESTION}</div></blockquote></div></body></html>
""",
    "thunderbird": f"""<!DOCTYPE html><html><head><meta http-equiv="Content-Type" \
content="text/html; charset=UTF-8"></head><body><p>{ANSWER}</p><div class="moz-signature">-- \
<br>Jordan Miles<br>Acme Corp</div><div class="moz-cite-prefix">On 11/24/26 10:02 AM, Northwind \
Home Goods via Marketplace wrote:<br></div><blockquote type="cite" \
cite="mid:abc@relay.marketplace.example"><p>{QUESTION}</p></blockquote></body></html>
""",
    "thunderbird-bottom-posting": f"""<!DOCTYPE html><html><head><meta \
http-equiv="Content-Type" content="text/html; charset=UTF-8"></head><body><div \
class="moz-cite-prefix">On 11/24/26 10:02 AM, Northwind Home Goods via Marketplace wrote:<br>\
</div><blockquote type="cite" cite="mid:abc@relay.marketplace.example"><p>{QUESTION}</p>\
</blockquote><p>{ANSWER}</p><pre class="moz-signature" cols="72">{DASHES}
Jordan Miles
Acme Corp</pre></body></html>
""",
}


def _assert_only_the_answer(kept: str) -> None:
    assert ANSWER in kept.replace("\n", " ")
    for unwanted in GONE:
        assert unwanted not in kept, f"{unwanted!r} was kept"


@pytest.mark.parametrize("client", sorted(TEXT))
def test_plain_text_replies_keep_only_the_answer(client):
    _assert_only_the_answer(reply_text(TEXT[client]))


@pytest.mark.parametrize("client", sorted(HTML))
def test_html_replies_keep_only_the_answer(client):
    kept = reply_html(HTML[client])

    _assert_only_the_answer(kept)
    assert "<html" not in kept and "<style" not in kept and "<head" not in kept


@pytest.mark.parametrize("client", sorted(set(TEXT) & set(HTML)))
def test_both_versions_in_one_email_use_the_text(client):
    message = email_from("jordan@example.com", MASKED, text=TEXT[client], html=HTML[client])

    kept = own_words(parse_email(message))

    _assert_only_the_answer(kept)
    assert "<" not in kept


@pytest.mark.parametrize("client", sorted(HTML))
def test_html_only_replies_are_stored_as_html_without_quote_or_signature(
    django_capture_on_commit_callbacks, jordan, sam, northwind, jordans_order, client
):
    factories.seller_message(jordans_order, sam, QUESTION)
    factories.buyer_message(jordans_order, "Thanks for asking.")
    to_northwind = seller_address(jordan, northwind)
    message = email_from(
        "Jordan Miles <jordan@example.com>",
        to_northwind,
        subject=f"Re: Order {jordans_order.number}",
        text=None,
        html=HTML[client].replace(MASKED, to_northwind),
    )

    with django_capture_on_commit_callbacks(execute=True):
        [result] = receive_email(message, recipients=[to_northwind])

    stored = Message.objects.get(pk=result.message.pk)
    assert stored.is_delivered
    _assert_only_the_answer(stored.body_html)
    assert to_northwind not in stored.body_text


@pytest.mark.parametrize("client", sorted(TEXT))
def test_text_replies_are_stored_without_quote_or_signature(
    django_capture_on_commit_callbacks, jordan, sam, northwind, jordans_order, client
):
    factories.seller_message(jordans_order, sam, QUESTION)
    factories.buyer_message(jordans_order, "Thanks for asking.")
    to_northwind = seller_address(jordan, northwind)
    message = email_from(
        "jordan@example.com",
        to_northwind,
        subject=f"Re: Order {jordans_order.number}",
        text=TEXT[client].replace(MASKED, to_northwind),
    )

    with django_capture_on_commit_callbacks(execute=True):
        [result] = receive_email(message, recipients=[to_northwind])

    _assert_only_the_answer(result.message.body_text)
    assert result.message.body_html.startswith("<p>Yes, apartment 4B is right.")


# --- what must not be taken for a signature or a quote -------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Hi Jordan,\nThanks, we ship on Monday.\nSam",
        "Best, as far as I know, is Thursday.",
        "Options:\n- the blue one\n- the grey one\n\nWhich do you prefer?",
        "It ships Monday.\n\nThanks,\nSam\n\nP.S. The gate code is 1234.",
        "Regards,\nthe parcel is at the depot; pick it up before 6pm.\nWe close early on "
        "Fridays, so please come before then or tell us a better day for a redelivery.",
    ],
    ids=[
        "thanks-in-a-sentence",
        "best-in-a-sentence",
        "hyphen-list",
        "postscript",
        "long-text-after-closing",
    ],
)
def test_the_senders_own_words_are_never_cut(text):
    assert reply_text(text) == text.strip()


def test_a_short_closing_and_name_are_the_signature():
    assert reply_text("It ships Monday.\n\nThanks,\nSam Carter\nNorthwind Home Goods") == (
        "It ships Monday."
    )


def test_interleaved_answers_keep_the_answers():
    text = (
        "On Tue, Nov 24, 2026 at 10:02 AM Northwind wrote:\n"
        "> Is it apartment 4B?\n"
        "Yes.\n"
        "> Should we leave it with the concierge?\n"
        "Please do.\n"
    )

    kept = reply_text(text)

    assert "Yes." in kept and "Please do." in kept
    assert "apartment 4B?" not in kept and "concierge?" not in kept


# --- "> " quoting with no "On ... wrote:" line above it --------------------------------------


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (f"{ANSWER}\n\n> {QUESTION}\n> Sam\n> Northwind Home Goods\n", ANSWER),
        (f"{ANSWER}\n\n> {QUESTION}\n", ANSWER),  # one quoted line, at the very end
        (f"{ANSWER}\n\n> {QUESTION}\n>\n> > Earlier: is it 4B?\n\n", ANSWER),
        (f"> {QUESTION}\n> Thanks, Sam\n\n{ANSWER}", ANSWER),  # quoted on top, answer below
        (
            f"Yes.\n\n> {QUESTION}\n> Thanks, Sam\n\nPlease leave it with the concierge.",
            "Yes.\n\nPlease leave it with the concierge.",
        ),
    ],
    ids=["block-at-end", "one-line-at-end", "nested-at-end", "block-on-top", "block-between"],
)
def test_quoted_blocks_without_a_header_are_removed(text, kept):
    assert reply_text(text) == kept


def test_a_single_quoted_line_inside_the_senders_text_stays():
    text = "You asked:\n> is it apartment 4B?\nYes, it is. Please leave it with the concierge."

    assert reply_text(text) == text


def test_a_relayed_reply_loses_its_bare_quoted_block(
    django_capture_on_commit_callbacks, jordan, sam, northwind, jordans_order
):
    factories.seller_message(jordans_order, sam, QUESTION)
    factories.buyer_message(jordans_order, "Thanks for asking.")
    to_northwind = seller_address(jordan, northwind)
    message = email_from(
        "jordan@example.com",
        to_northwind,
        subject=f"Re: Order {jordans_order.number}",
        text=f"{ANSWER}\n\n> {QUESTION}\n> Sam, Northwind Home Goods\n",
    )

    with django_capture_on_commit_callbacks(execute=True):
        [result] = receive_email(message, recipients=[to_northwind])

    assert result.message.body_text == ANSWER
    assert "apartment 4B?" not in result.message.body_html


# A long thread quoted again: quotequail is handed the quoted runs emptied past their first
# two lines (replies._quoted_runs_emptied); what is kept must be what the whole text gives.
_LONG_THREAD = "".join(f"> > older line {n} of the thread\n" for n in range(30))
_NESTED_HEADER = (
    "> On Mon, Nov 23, 2026 at 9:00 AM Jordan <jordan@example.com> wrote:\n"
    "> From: Northwind Home Goods\n> Sent: Monday\n> Subject: Order\n"
)


@pytest.mark.parametrize(
    "text",
    [
        f"{ANSWER}\n\nOn Tue, Nov 24, 2026 at 10:02 AM Sam <\n{MASKED}> wrote:\n\n"
        f"> {QUESTION}\n>\n{_NESTED_HEADER}{_LONG_THREAD}",
        f"On Tue, Nov 24, 2026 at 10:02 AM Sam wrote:\n> {QUESTION}\n{_NESTED_HEADER}"
        f"{_LONG_THREAD}\n{ANSWER}\n\nThanks,\nJordan\n",
        f"> {QUESTION}\n{_NESTED_HEADER}{_LONG_THREAD}\n{ANSWER}\n\n"
        f"> {QUESTION}\n> again\n> and again\n\nPlease do.\n",
        f"{ANSWER}\n> one line\n> two lines\nYes.\n\n{_NESTED_HEADER}{_LONG_THREAD}",
    ],
    ids=["top-posted", "bottom-posted", "quote-on-top-and-between", "short-run-then-thread"],
)
def test_a_long_quoted_thread_is_read_as_the_whole_text_is(monkeypatch, text):
    kept = reply_text(text)
    monkeypatch.setattr(replies, "_quoted_runs_emptied", lambda whole: whole)

    assert kept == reply_text(text)
    assert "older line" not in kept and ANSWER in kept


def test_format_flowed_unwraps_soft_breaks_only():
    flowed = "A long line that was \nwrapped by the mail program.\nA hard break.\n-- \nSam"

    assert unflow(flowed) == (
        "A long line that was wrapped by the mail program.\nA hard break.\n-- \nSam"
    )
    assert unflow("one-\n", delsp=True) == "one-\n"
    assert unflow("no space \nafter", delsp=True) == "no spaceafter"


def test_a_forward_is_kept_whole_even_with_an_outlook_separator():
    text = (
        "FYI, see below.\n\n"
        "________________________________\n"
        "From: Courier <dispatch@fastcourier.com>\n"
        "Sent: Monday, November 23, 2026 9:00 AM\n"
        "To: Jordan Miles\n"
        "Subject: Delivery attempt\n\n"
        "We tried to deliver your parcel today.\n"
    )

    assert reply_text(text, forwarded=True) == text.strip()
    assert "We tried to deliver" not in reply_text(text)  # as a reply, it is a quote


def test_apple_forward_in_html_is_kept():
    markup = (
        '<div>See what the courier says.</div><div><br><blockquote type="cite">'
        "<div>Begin forwarded message:</div><br><div><b>From: </b>Courier</div>"
        "<div>We tried to deliver your parcel today.</div></blockquote></div>"
    )

    kept = reply_html(markup)

    assert "We tried to deliver your parcel today." in kept
    assert "See what the courier says." in kept
