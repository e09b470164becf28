"""Full-text search structures that depend on the database vendor.

PostgreSQL: a GIN index on the same tsvector expression the search query uses.
SQLite: an FTS5 virtual table (rowid = document id) that the services keep in sync.
Other vendors: nothing (search falls back to a plain filter)."""

from django.db import migrations

PG_INDEX = ("CREATE INDEX IF NOT EXISTS document_search_gin ON documents_document "
            "USING GIN (to_tsvector('english'::regconfig, COALESCE(search_text, '')))")
SQLITE_TABLE = ("CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5("
                "org_id UNINDEXED, code, title, body, tokenize = 'porter unicode61')")


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_INDEX)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_TABLE)
        Document = apps.get_model("documents", "Document")
        Revision = apps.get_model("documents", "Revision")
        for doc in Document.objects.all().iterator():
            body = ""
            if doc.status == "effective" and doc.effective_revision_id:
                body = Revision.objects.filter(pk=doc.effective_revision_id).values_list("text", flat=True).first()
            schema_editor.execute(
                "INSERT INTO documents_fts (rowid, org_id, code, title, body) VALUES (%s, %s, %s, %s, %s)",
                [doc.pk, doc.organization_id, doc.code, f"{doc.title} {doc.tags}", body or ""],
            )


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS document_search_gin")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS documents_fts")


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
