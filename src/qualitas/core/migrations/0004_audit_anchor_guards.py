from django.db import migrations


def forwards(apps, schema_editor):
    from qualitas.core import db_guards

    db_guards.install(schema_editor.connection, (db_guards.ANCHOR,))


def backwards(apps, schema_editor):
    from qualitas.core import db_guards

    db_guards.remove(schema_editor.connection, (db_guards.ANCHOR,))


class Migration(migrations.Migration):
    dependencies = [("core", "0003_auditevent_action_index")]
    operations = [migrations.RunPython(forwards, backwards)]
