"""Trigram indexes for the Manage Orders search, on PostgreSQL only.

The search matches a fragment anywhere in the order number, the buyer's names and the
order lines' titles (``icontains``, which Django writes as ``UPPER(col::text) LIKE``), and
a SKU exactly (``UPPER(col::text) =``). A B-tree cannot answer "contains"; a pg_trgm GIN
index on the same ``UPPER(...)`` expression can, so the search reads the matching rows
instead of scanning users and order lines. The buyer-name indexes live on the users table
but belong to this search, so they are made here. SQLite (the embedded default) has no
pg_trgm: there the migration does nothing and the same query scans, as it always did.
"""

from django.db import migrations

TRIGRAM = "gin_trgm_ops"
INDEXES = [
    # (index name, table, expression, operator class)
    ("order_number_trgm", "orders_order", "UPPER(number::text)", TRIGRAM),
    ("orderline_title_trgm", "orders_orderline", "UPPER(title::text)", TRIGRAM),
    ("user_display_name_trgm", "accounts_user", "UPPER(display_name::text)", TRIGRAM),
    ("user_first_name_trgm", "accounts_user", "UPPER(first_name::text)", TRIGRAM),
    ("user_last_name_trgm", "accounts_user", "UPPER(last_name::text)", TRIGRAM),
]
# SKUs are matched whole, so an ordinary index on the upper-cased value serves.
SKU_INDEX = ("orderline_sku_upper", "orders_orderline", "UPPER(sku::text)")


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, expression, opclass in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({expression}) {opclass})"
        )
    name, table, expression = SKU_INDEX
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} (({expression}))")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension stays: something else may have come to use it.
    for name, *_ in [*INDEXES, SKU_INDEX]:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0001_initial"),
        ("accounts", "0003_business_standing"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
