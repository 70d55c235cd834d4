"""Every organisation has a board: the committee an escalation reaches when no steering committee
covers its chapter. New organisations are cloned from the migrated template schema, so they get it
too; `governance.services.board_ensure` makes it lazily should it ever be missing."""

from django.db import migrations


def create_board(apps, schema_editor):
    Committee = apps.get_model("governance", "Committee")
    if not Committee.objects.filter(level="board").exists():
        Committee.objects.create(level="board", status="active")


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]

    operations = [migrations.RunPython(create_board, migrations.RunPython.noop)]
