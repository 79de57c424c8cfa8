"""The roles of Maillage. Kept apart from the permission registry so models can import it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATEUR = "coordinateur", _("Coordinateur·rice")
    PRESIDENT = "president", _("Président·e")
    TRESORIER = "tresorier", _("Trésorier·e")
    SECRETAIRE = "secretaire", _("Secrétaire")
    MEMBRE_BUREAU = "membre_bureau", _("Membre du bureau")
    ADMINISTRATEUR = "administrateur", _("Administrateur·rice")
    REFERENT = "referent", _("Référent·e de groupe")
    ADHERENT = "adherent", _("Adhérent·e")
