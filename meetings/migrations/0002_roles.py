"""Create the Scribe and Chair groups with their model permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITING = [
    "meeting",
    "section",
    "attendance",
    "actionitem",
    "actionupdate",
    "actionlink",
]

SCRIBE = [
    *(f"{verb}_{model}" for model in EDITING for verb in ("add", "change", "view")),
    "delete_section",
    "delete_attendance",
    "delete_actionlink",
    "view_draft_meeting",
    "add_person",
    "view_person",
    "add_personalias",
    "view_personalias",
    "view_organisation",
    "view_series",
]
CHAIR = [
    *SCRIBE,
    "delete_meeting",
    "delete_actionitem",
    "delete_actionupdate",
    "publish_meeting",
]
ROLES = {"Scribe": SCRIBE, "Chair": CHAIR}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations have run; the groups
    # need them now.
    meetings_config = apps.get_app_config("meetings")
    meetings_config.models_module = True
    create_permissions(meetings_config, apps=apps, verbosity=0)
    meetings_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label="meetings", codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions missing for {name}: {sorted(missing)}")
        group.permissions.add(*permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
