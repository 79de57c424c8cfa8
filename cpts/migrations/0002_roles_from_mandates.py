"""Roles come from mandates (and the staff flag) only: hand-made role assignments go, and an
invitation creates an adherent's account or a coordination team member's, nothing else.
Invitations sent with another role keep working and create an adherent's account."""

from django.db import migrations, models


def invitations_to_adherent(apps, schema_editor):
    Invitation = apps.get_model("cpts", "Invitation")
    Invitation.objects.exclude(role__in=("adherent", "coordinateur")).update(role="adherent")


class Migration(migrations.Migration):
    dependencies = [
        ("cpts", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(invitations_to_adherent, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="invitation",
            name="role",
            field=models.CharField(
                choices=[("adherent", "Adhérent·e"), ("coordinateur", "Coordinateur·rice")],
                default="adherent",
                help_text=(
                    "Adhérent·e, ou membre de l'équipe salariée (rôle coordinateur) : les autres "
                    "rôles viennent des mandats."
                ),
                max_length=32,
                verbose_name="compte",
            ),
        ),
        migrations.AddConstraint(
            model_name="invitation",
            constraint=models.CheckConstraint(
                condition=models.Q(("role__in", ("adherent", "coordinateur"))),
                name="invitation_invitable_role",
            ),
        ),
        migrations.DeleteModel(
            name="RoleAssignment",
        ),
    ]
