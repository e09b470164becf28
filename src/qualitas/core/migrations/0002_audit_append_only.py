from django.db import migrations


def forwards(apps, schema_editor):
    from qualitas.core import db_guards

    db_guards.install(schema_editor.connection, (db_guards.APPEND_ONLY,))


def backwards(apps, schema_editor):
    from qualitas.core import db_guards

    db_guards.remove(schema_editor.connection, (db_guards.APPEND_ONLY,))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
