"""Load the shipped maturity models so a fresh database has them (re-run any time with
``qualitas load_maturity_models``)."""

from django.db import migrations


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    from qualitas.assessment.catalog import CatalogModels, load_shipped

    load_shipped(CatalogModels(apps.get_model("assessment", "MaturityModel"), apps.get_model("assessment", "Element"),
                               apps.get_model("assessment", "Level"), apps.get_model("assessment", "Criterion")))


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
