"""Trigram search index for ?q= on the register (qualitas.core.search: FTS5 on SQLite, pg_trgm on PostgreSQL)."""

from django.db import migrations

from qualitas.core.search import TrigramIndex


class Migration(migrations.Migration):
    dependencies = [("actions", "0002_action_action_due_idx")]

    operations = [TrigramIndex(table="actions_action", columns=('reference', 'title'))]
