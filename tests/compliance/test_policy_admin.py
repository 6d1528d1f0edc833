"""Morgan, an administrator, changes the messaging policy in the admin, and the very next
message Sam sends is judged by it: allowed link domains and rule actions, no deploy needed.

The admin forms are posted as a browser would post them: every field of the page, with the
rule-action inline's management form, so what these tests post is what the admin renders.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from compliance.config import current_policy
from compliance.models import PolicySettings, RuleSetting
from messagecenter.messaging.models import Message
from tests import factories

INLINE = "rules"  # the prefix of the RuleSetting inline (its related name)


@pytest.fixture
def policy(db) -> PolicySettings:
    return PolicySettings.objects.create()


def change_url(policy: PolicySettings) -> str:
    return reverse("admin:compliance_policysettings_change", args=[policy.pk])


def admin_form_data(page, **changes: str) -> dict[str, str]:
    """Everything the admin page would submit as it stands, with `changes` applied."""
    data: dict[str, str] = {"_save": "Save"}
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += [formset.management_form, *formset.initial_forms]
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is True:
                data[form.add_prefix(name)] = "on"
            elif value is not None and value is not False:  # 0 is a value
                data[form.add_prefix(name)] = str(value)
    data.update(changes)
    return data


def save_policy(client: Client, policy: PolicySettings, **changes: str):
    page = client.get(change_url(policy))
    assert page.status_code == 200
    return client.post(change_url(policy), admin_form_data(page, **changes))


def form_errors(response) -> str:
    if response.status_code != 200 or response.context is None:
        return ""
    errors = [str(response.context["adminform"].form.errors)]
    errors += [
        str(f.formset.errors) + str(f.formset.non_form_errors())
        for f in response.context["inline_admin_formsets"]
    ]
    return " ".join(errors)


def manual_message(order, sender, body: str) -> Message:
    return factories.seller_message(
        order, sender, body, message_type="proactive_support", subject="Manual for your order"
    )


def test_operator_allows_a_link_domain(client, morgan, policy, sam, jordans_order):
    link = "The manual is at https://my-shop.example.net/manual"
    assert manual_message(jordans_order, sam, link).status == Message.Status.BLOCKED

    client.force_login(morgan)
    response = save_policy(
        client, policy, allowed_link_domains="marketplace.example\nmy-shop.example.net"
    )

    assert response.status_code == 302, form_errors(response)
    assert current_policy().allowed_link_domains == {"marketplace.example", "my-shop.example.net"}
    assert manual_message(jordans_order, sam, link).status == Message.Status.DELIVERED
    help_page = "Care tips: https://help.my-shop.example.net/linen"
    assert manual_message(jordans_order, sam, help_page).status == Message.Status.DELIVERED
    elsewhere = "Compare prices at https://other-shop.example.org/linen"
    assert manual_message(jordans_order, sam, elsewhere).status == Message.Status.BLOCKED


def test_operator_makes_a_rule_flag_instead_of_block(client, morgan, policy, sam, jordans_order):
    client.force_login(morgan)
    response = save_policy(
        client, policy, **{f"{INLINE}-0-rule": "link.external", f"{INLINE}-0-action": "flag"}
    )

    assert response.status_code == 302, form_errors(response)
    setting = RuleSetting.objects.get()
    assert (setting.policy, setting.rule, setting.action) == (policy, "link.external", "flag")
    held = manual_message(jordans_order, sam, "The manual is at https://my-shop.example.net/m")
    assert held.status == Message.Status.HELD
    assert list(held.violations.values_list("rule", "action")) == [("link.external", "flag")]


def test_operator_removes_a_rule_setting_and_the_default_returns(
    client, morgan, policy, sam, jordans_order
):
    RuleSetting.objects.create(policy=policy, rule="link.external", action="off")
    link = "The manual is at https://my-shop.example.net/manual"
    assert manual_message(jordans_order, sam, link).status == Message.Status.DELIVERED

    client.force_login(morgan)
    response = save_policy(client, policy, **{f"{INLINE}-0-DELETE": "on"})

    assert response.status_code == 302, form_errors(response)
    assert not RuleSetting.objects.exists()
    assert manual_message(jordans_order, sam, link).status == Message.Status.BLOCKED


def test_two_actions_for_one_rule_are_refused_and_nothing_changes(client, morgan, policy):
    client.force_login(morgan)
    page = client.get(change_url(policy))
    data = admin_form_data(
        page,
        allowed_link_domains="marketplace.example\nmy-shop.example.net",
        **{
            f"{INLINE}-TOTAL_FORMS": "2",
            f"{INLINE}-0-rule": "contact.email",
            f"{INLINE}-0-action": "block",
            f"{INLINE}-1-rule": "contact.email",
            f"{INLINE}-1-action": "off",
        },
    )
    response = client.post(change_url(policy), data)

    assert response.status_code == 200
    assert "Please correct the duplicate data for rule" in response.content.decode()
    assert not RuleSetting.objects.exists()
    policy.refresh_from_db()
    assert policy.allowed_link_domains == "marketplace.example"


def test_the_policy_is_added_once(client, morgan, db):
    add_url = reverse("admin:compliance_policysettings_add")
    client.force_login(morgan)
    page = client.get(add_url)
    assert page.status_code == 200
    response = client.post(
        add_url, admin_form_data(page, allowed_link_domains="marketplace.example\nhelp.example.com")
    )

    assert response.status_code == 302, form_errors(response)
    assert current_policy().link_domain_allowed("docs.help.example.com")
    assert client.get(add_url).status_code == 403


def test_only_staff_open_the_policy(client, sam, policy):
    client.force_login(sam)
    response = client.get(change_url(policy))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_fix_on_a_rule_nothing_can_fix_blocks_instead_of_claiming_a_fix():
    from compliance.engine import MessageDraft, check_message
    from compliance.policy import DEFAULT_POLICY, Action

    policy = DEFAULT_POLICY.with_actions(link_external=Action.FIX)
    verdict = check_message(
        MessageDraft("seller", "proactive_support", "Manual: https://elsewhere.example.net/m"),
        policy,
    )
    assert verdict.verdict == "block"
    assert [v.action for v in verdict.violations if v.rule == "link.external"] == [Action.BLOCK]


def test_overlapping_subject_redactions_cut_the_detail_once():
    from compliance.engine import _redact_plain

    text = "Call 555-123-4567 now"
    assert _redact_plain(text, [(5, 17, "[phone]"), (9, 17, "[other]")]) == "Call [phone] now"


def test_sellers_find_their_sending_addresses_from_settings(client, sam, jordan):
    from django.urls import reverse

    link = reverse("approved_senders")
    client.force_login(sam)
    assert link in client.get(reverse("notification_settings")).content.decode()
    client.force_login(jordan)
    assert link not in client.get(reverse("notification_settings")).content.decode()


def test_each_process_reads_the_policy_once_and_again_after_a_change(
    policy, django_assert_num_queries
):
    assert current_policy().promotions_allowed is False
    with django_assert_num_queries(0):
        current_policy()

    RuleSetting.objects.create(policy=policy, rule="link.external", action="flag")

    assert current_policy().actions["link.external"] == "flag"


def test_a_change_saved_by_another_process_applies_once_the_kept_policy_expires(settings, policy):
    assert current_policy().promotions_allowed is False
    # Another process's save sends no signal here: only the time limit brings it in.
    PolicySettings.objects.filter(pk=policy.pk).update(promotions_allowed=True)
    assert current_policy().promotions_allowed is False

    settings.POLICY_CACHE_SECONDS = 0  # as if the 30 seconds had passed

    assert current_policy().promotions_allowed is True
