from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0005_review_decision_keeps_body_edits"),
    ]

    operations = [
        migrations.AddField(
            model_name="messageviolation",
            name="explanations",
            field=models.JSONField(blank=True, null=True),
        ),
    ]
