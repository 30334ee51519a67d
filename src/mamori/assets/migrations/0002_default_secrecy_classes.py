from django.db import migrations

DEFAULTS = [
    (1, "極秘", "Strictly confidential", "漏えいすると事業に重大な損害を与える情報。知る必要のある最小限の人に限る。"),
    (2, "秘", "Confidential", "社内でも関係者に限って扱う情報。"),
    (3, "社外秘", "Internal only", "社外に出さない情報。"),
]


def create_defaults(apps, schema_editor):
    SecrecyClass = apps.get_model("assets", "SecrecyClass")
    for rank, name, name_en, description in DEFAULTS:
        SecrecyClass.objects.get_or_create(
            name=name, defaults={"rank": rank, "name_en": name_en, "description": description}
        )


class Migration(migrations.Migration):
    dependencies = [("assets", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
