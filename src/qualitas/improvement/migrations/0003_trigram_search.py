"""Trigram search index for ?q= on the register (qualitas.core.search: FTS5 on SQLite, pg_trgm on PostgreSQL)."""

from django.db import migrations

from qualitas.core.search import TrigramIndex


class Migration(migrations.Migration):
    dependencies = [("improvement", "0002_configurable_source_severity")]

    operations = [TrigramIndex(table="improvement_nonconformity", columns=('reference', 'title', 'product', 'lot'))]
