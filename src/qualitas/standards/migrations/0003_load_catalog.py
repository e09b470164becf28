"""Load the shipped standards catalog so that a fresh database has it (re-run: `qualitas load_standards`)."""

from django.db import migrations


def load(apps, schema_editor):
    from qualitas.standards.catalog import load_catalog

    load_catalog(apps)


class Migration(migrations.Migration):
    dependencies = [("standards", "0002_catalog_fields_and_scope")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
