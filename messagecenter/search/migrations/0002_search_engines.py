"""The text search configurations and indexes (PostgreSQL) or FTS5 tables (SQLite), and
every existing message and conversation written into search, set-based.

PostgreSQL: ``unaccent`` (trusted since PostgreSQL 13) in front of each language's
stemmer; the existing rows are filled by two INSERT ... SELECT statements, with the
'simple' configuration and the tags stripped by a regular expression (a million messages
in about a minute, not a Python loop); ``manage.py rebuild_search_index`` reads them again
with each message's language afterwards. The GIN indexes are built after the fill.

SQLite (the embedded default): FTS5 tables with external content, kept by triggers. Its
databases are small (development), so its fill reads each message's text in Python.
"""

import re

from django.db import migrations

LANGUAGES = {
    "mc_english": "english_stem",
    "mc_german": "german_stem",
    "mc_french": "french_stem",
    "mc_spanish": "spanish_stem",
    "mc_italian": "italian_stem",
    "mc_simple": "simple",
}

# A stored body is the sanitizer's HTML: tags out, the entities it writes back to text.
TEXT_OF_HTML = (
    "replace(replace(replace(replace(replace(regexp_replace({html}, '<[^>]*>', ' ', 'g'),"
    " '&lt;', '<'), '&gt;', '>'), '&quot;', '\"'), '&#x27;', ''''), '&amp;', '&')"
)

MESSAGES_FILL = f"""
INSERT INTO search_messagesearch
    (message_id, conversation_id, seller_id, buyer_id, sender_side, status, created_at,
     config, text, document)
SELECT f.id, f.conversation_id, f.seller_id, f.buyer_id, f.sender_side, f.status,
       f.created_at, 'mc_simple', f.text, to_tsvector('mc_simple', f.text)
FROM (
    SELECT m.id, m.conversation_id, m.seller_id, c.buyer_id, m.sender_side, m.status,
           m.created_at,
           replace(replace(concat_ws(E'\\n', m.subject, {TEXT_OF_HTML.format(html="m.body_html")},
               (SELECT string_agg(a.original_name || ' '
                    || regexp_replace(a.original_name, '[^[:alnum:]]+', ' ', 'g'), E'\\n' ORDER BY a.id)
                FROM messaging_attachment a WHERE a.message_id = m.id)), chr(2), ''), chr(3), '')
               AS text
    FROM messaging_message m JOIN threads_conversation c ON c.id = m.conversation_id
) f
ON CONFLICT (message_id) DO NOTHING
"""

CONVERSATIONS_FILL = """
INSERT INTO search_conversationsearch (conversation_id, seller_id, buyer_id, created_at, text, document)
SELECT f.id, f.seller_id, f.buyer_id, f.created_at, f.text, to_tsvector('mc_simple', f.text)
FROM (
    SELECT c.id, c.seller_id, c.buyer_id, c.created_at,
        COALESCE(o.number || ' · ', '')
        || COALESCE(NULLIF(u.display_name, ''), NULLIF(TRIM(u.first_name || ' ' || u.last_name), ''), 'Customer')
        || ' · ' || s.name
        || COALESCE(' · ' || p.title || ' ' || p.sku, '')
        || COALESCE(' · ' || (SELECT string_agg(l.title || ' ' || l.sku, ' · ')
                              FROM orders_orderline l WHERE l.order_id = c.order_id), '') AS text
    FROM threads_conversation c
    JOIN accounts_user u ON u.id = c.buyer_id
    JOIN accounts_sellerbusiness s ON s.id = c.seller_id
    LEFT JOIN orders_order o ON o.id = c.order_id
    LEFT JOIN orders_product p ON p.id = c.product_id
) f
ON CONFLICT (conversation_id) DO NOTHING
"""

# Rare terms are found through these (with the business or buyer first: btree_gin, also
# trusted); common ones by reading the business's newest rows (search_msg_seller) until a
# page is full. PostgreSQL picks between them from the column statistics.
GIN_INDEXES = [
    "CREATE INDEX search_msg_seller_doc ON search_messagesearch USING gin (seller_id, document)",
    "CREATE INDEX search_msg_buyer_doc ON search_messagesearch USING gin (buyer_id, document)",
    "CREATE INDEX search_conv_doc ON search_conversationsearch USING gin (seller_id, document)",
    "CREATE INDEX search_conv_buyer_doc ON search_conversationsearch"
    " USING gin (buyer_id, document)",
]


def _postgresql(cursor):
    cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    cursor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    for name, dictionary in LANGUAGES.items():
        source = "simple" if dictionary == "simple" else dictionary.removesuffix("_stem")
        cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {source})")
        cursor.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {name} ALTER MAPPING FOR"
            f" hword, hword_part, word WITH unaccent, {dictionary}"
        )
    cursor.execute(MESSAGES_FILL)
    cursor.execute(CONVERSATIONS_FILL)
    # The fills' foreign keys are checked now, not at commit: no index can be built on a
    # table with checks pending.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for statement in GIN_INDEXES:
        cursor.execute(statement)
    # With the default statistics target a word absent from the sample is guessed in 1 %
    # of rows, and PostgreSQL walks the business's newest rows for a word that is in
    # none (0.5 s at a million messages); with 1000 it knows the rare ones are rare.
    for table in ("search_messagesearch", "search_conversationsearch"):
        cursor.execute(f"ALTER TABLE {table} ALTER COLUMN document SET STATISTICS 1000")
        cursor.execute(f"ANALYZE {table}")


FTS_TABLES = {"search_messagesearch": "message_id", "search_conversationsearch": "conversation_id"}


NOT_WORD = re.compile(r"[\W_]+")


def _file_name_words(name):
    # As search/indexing.py: the name, then its words.
    return f"{name} {' '.join(NOT_WORD.split(name))}".strip()


def _sqlite(cursor, apps):
    for table, key in FTS_TABLES.items():
        fts = f"{table}_fts"
        cursor.execute(
            f"CREATE VIRTUAL TABLE {fts} USING fts5(text, content='{table}',"
            f" content_rowid='{key}', tokenize='porter unicode61 remove_diacritics 2')"
        )
        cursor.execute(
            f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN"
            f" INSERT INTO {fts}(rowid, text) VALUES (new.{key}, new.text); END"
        )
        cursor.execute(
            f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN"
            f" INSERT INTO {fts}({fts}, rowid, text) VALUES ('delete', old.{key}, old.text); END"
        )
        cursor.execute(
            f"CREATE TRIGGER {fts}_update AFTER UPDATE OF text ON {table} BEGIN"
            f" INSERT INTO {fts}({fts}, rowid, text) VALUES ('delete', old.{key}, old.text);"
            f" INSERT INTO {fts}(rowid, text) VALUES (new.{key}, new.text); END"
        )
    from compliance.sanitize import html_to_text

    Message = apps.get_model("messaging", "Message")
    Attachment = apps.get_model("messaging", "Attachment")
    MessageSearch = apps.get_model("search", "MessageSearch")
    names = {}
    for message_id, name in Attachment.objects.order_by("id").values_list("message_id", "original_name"):
        names.setdefault(message_id, []).append(name)
    rows = []
    for m in Message.objects.select_related("conversation").iterator(chunk_size=2000):
        files = [_file_name_words(n) for n in names.get(m.pk, [])]
        text = "\n".join([m.subject, html_to_text(m.body_html), *files])
        rows.append(
            MessageSearch(
                message_id=m.pk,
                conversation_id=m.conversation_id,
                seller_id=m.seller_id,
                buyer_id=m.conversation.buyer_id,
                sender_side=m.sender_side,
                status=m.status,
                created_at=m.created_at,
                config="mc_simple",
                text=text.replace("\x02", "").replace("\x03", ""),
            )
        )
    MessageSearch.objects.bulk_create(rows, batch_size=500)
    cursor.execute(
        CONVERSATIONS_FILL.replace("string_agg", "group_concat")
        .replace(", document)", ")")
        .replace(", to_tsvector('mc_simple', f.text)", "")
        .replace(") f\nON CONFLICT", ") f WHERE true\nON CONFLICT")
    )


def forwards(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            _postgresql(cursor)
        else:
            _sqlite(cursor, apps)


def backwards(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            for statement in GIN_INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {statement.split()[2]}")
            for name in LANGUAGES:
                cursor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")
        else:
            for table in FTS_TABLES:
                cursor.execute(f"DROP TABLE IF EXISTS {table}_fts")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
