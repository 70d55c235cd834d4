"""The platform's starting catalogue of app templates. Idempotent: keys already present are left
as the operators edited them."""

from django.db import migrations


def seed(apps, schema_editor):
    from tenants.app_templates import app_templates_seed

    app_templates_seed(model=apps.get_model("tenants", "AppTemplate"))


class Migration(migrations.Migration):
    dependencies = [("tenants", "0002_apptemplate")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
