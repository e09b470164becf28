"""Trigram search index for ?q= on the register (qualitas.core.search: FTS5 on SQLite, pg_trgm on PostgreSQL)."""

from django.db import migrations

from qualitas.core.search import TrigramIndex


class Migration(migrations.Migration):
    dependencies = [("planning", "0002_contextissue_identity_interestedparty_kpi_and_more")]

    operations = [TrigramIndex(table="planning_risk", columns=('reference', 'title'))]
