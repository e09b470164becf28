"""Trigram search index for ?q= on the document register (qualitas.core.search: FTS5 on SQLite,
pg_trgm on PostgreSQL). The word-based full-text search of document content is separate (0002)."""

from django.db import migrations

from qualitas.core.search import TrigramIndex


class Migration(migrations.Migration):
    dependencies = [("documents", "0004_signature_signed_index")]

    operations = [TrigramIndex(table="documents_document", columns=("code", "title", "tags"))]
