"""Fill the performance rollup from the messages already stored: two set-based statements
(one GROUP BY per table), so a million messages take seconds, not a row at a time."""

from django.db import migrations

from messagecenter.clock.rollup import rollup_rebuild


def backfill(apps, schema_editor) -> None:
    with schema_editor.connection.cursor() as cursor:
        rollup_rebuild(cursor)


class Migration(migrations.Migration):
    dependencies = [
        ("clock", "0004_response_rollup"),
        ("messaging", "0008_response_rollup"),
        ("threads", "0004_move_reply_reminders_to_the_clock"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
