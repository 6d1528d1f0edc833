"""Copy each restriction in force onto its business, where sending now reads it."""

from django.db import migrations
from django.utils import timezone


def copy_standing(apps, schema_editor):
    SellerRestriction = apps.get_model("moderation", "SellerRestriction")
    SellerBusiness = apps.get_model("accounts", "SellerBusiness")
    now = timezone.now()
    in_force = SellerRestriction.objects.filter(
        lifted_at__isnull=True, starts_at__lte=now, ends_at__gt=now
    ).order_by("business_id", "-ends_at")
    done = set()
    for restriction in in_force:
        if restriction.business_id in done:
            continue
        done.add(restriction.business_id)
        SellerBusiness.objects.filter(pk=restriction.business_id).update(
            proactive_restricted_until=restriction.ends_at,
            proactive_restriction_reason=restriction.reason,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0002_tables_named_after_their_app"),
        ("accounts", "0003_business_standing"),
    ]

    operations = [migrations.RunPython(copy_standing, migrations.RunPython.noop)]
