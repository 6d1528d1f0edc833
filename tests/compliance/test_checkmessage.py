"""`manage.py checkmessage`: JSON in, the verdict as JSON out, exit 0 / 1 / 2."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command


def run(monkeypatch, payload) -> tuple[int, dict | None, str]:
    raw = payload if isinstance(payload, str) else json.dumps(payload)
    monkeypatch.setattr("sys.stdin", io.StringIO(raw))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("checkmessage", stdout=out, stderr=err)
    text = out.getvalue()
    return exit_info.value.code, (json.loads(text) if text.strip() else None), err.getvalue()


ORDER = {
    "ordered_at": "2026-11-01T10:00:00Z",
    "shipped_at": "2026-11-02T09:00:00Z",
    "delivered_at": "2026-11-05T15:00:00Z",
}


@pytest.mark.django_db
def test_an_allowed_message_exits_zero_with_the_delivered_body(monkeypatch):
    code, result, _ = run(
        monkeypatch,
        {
            "sender": "seller",
            "message_type": "confirm_delivery_details",
            "subject": "Delivery",
            "body": "Which day next week suits you for delivery?",
            "order": ORDER,
            "sent_at": "2026-11-10T12:00:00Z",
        },
    )
    assert code == 0
    assert result == {
        "verdict": "allow",
        "violations": [],
        "subject": "Delivery",
        "body": "<p>Which day next week suits you for delivery?</p>",
    }


@pytest.mark.django_db
def test_a_blocked_message_exits_one_and_names_the_rule(monkeypatch):
    code, result, _ = run(
        monkeypatch,
        {
            "sender": "seller",
            "message_type": "review_request",
            "body": "How are you finding the tent? Your honest review helps others.",
            "order": ORDER,
            "sent_at": "2026-11-06T12:00:00Z",
        },
    )
    assert code == 1
    assert result["verdict"] == "block"
    [violation] = result["violations"]
    assert violation["rule"] == "review.window"
    assert violation["action"] == "block"
    assert "5 and 30 days after delivery" in violation["message"]
    assert set(violation) >= {"rule", "action", "message", "excerpt"}


@pytest.mark.django_db
def test_attachments_are_read_from_paths(monkeypatch, tmp_path):
    paths = []
    for i in range(6):
        path = tmp_path / f"note{i}.txt"
        path.write_text("Assembly notes\n")
        paths.append(str(path))
    code, result, _ = run(
        monkeypatch,
        {
            "sender": "buyer",
            "message_type": "buyer_inquiry",
            "body": "Photos attached.",
            "attachments": paths,
        },
    )
    assert code == 1
    assert "attach.count" in [v["rule"] for v in result["violations"]]


@pytest.mark.parametrize(
    ("payload", "says"),
    [
        ("not json", "not valid JSON"),
        ({"sender": "seller", "body": "x"}, "“message_type” is required"),
        ({"sender": "robot", "message_type": "reply", "body": "x"}, 'must be "seller"'),
        ({"sender": "seller", "message_type": "nope", "body": "x"}, "Unknown message_type"),
        (
            {
                "sender": "seller",
                "message_type": "reply",
                "body": "x",
                "order": {"ordered_at": "yesterday"},
            },
            "not an ISO 8601",
        ),
        (
            {
                "sender": "seller",
                "message_type": "reply",
                "body": "x",
                "attachments": ["/no/such/file.pdf"],
            },
            "not a readable file",
        ),
        ([1, 2], "must be a JSON object"),
    ],
)
@pytest.mark.django_db
def test_bad_input_exits_two_with_a_clear_message(monkeypatch, payload, says):
    code, result, err = run(monkeypatch, payload)
    assert code == 2
    assert result is None
    assert says in err
