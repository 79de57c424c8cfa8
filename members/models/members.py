"""Members (persons or organisations), their practice sites and the emails sent to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from cpts.models import Commune, TimeStampedModel
from members.models.reference import College, MemberKind, Profession


class Civility(models.TextChoices):
    MADAME = "mme", _("Madame")
    MONSIEUR = "m", _("Monsieur")
    NONE = "", _("Non précisée")


class PracticeMode(models.TextChoices):
    LIBERAL = "liberal", _("Libéral")
    SALARIE = "salarie", _("Salarié")
    MIXTE = "mixte", _("Mixte")


class OrganisationKind(models.TextChoices):
    MSP = "msp", _("Maison de santé pluriprofessionnelle (MSP)")
    CDS = "cds", _("Centre de santé")
    EHPAD = "ehpad", _("EHPAD")
    HOPITAL = "hopital", _("Établissement de santé (hôpital, clinique)")
    SSIAD = "ssiad", _("SSIAD / SAAD")
    DAC = "dac", _("Dispositif d'appui à la coordination (DAC)")
    ASSOCIATION = "association", _("Association")
    COLLECTIVITE = "collectivite", _("Collectivité")
    AUTRE = "autre", _("Autre structure")


class StructureKind(models.TextChoices):
    MSP = "msp", _("Maison de santé pluriprofessionnelle")
    CENTRE_SANTE = "centre_sante", _("Centre de santé")
    CABINET_GROUPE = "cabinet_groupe", _("Cabinet de groupe")
    EXERCICE_ISOLE = "exercice_isole", _("Exercice isolé")
    ETABLISSEMENT = "etablissement", _("Établissement")


class MemberStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Candidat")
    ACTIVE = "active", _("Actif")
    DEPARTED = "departed", _("Radié / parti")


class Member(TimeStampedModel):
    """A member of the association: a person (a professional) or an organisation represented
    by a person. Identity data only: nothing about patients, ever."""

    kind = models.CharField(
        _("type"), max_length=16, choices=MemberKind.choices, default=MemberKind.PERSON
    )
    # Person
    civility = models.CharField(_("civilité"), max_length=4, choices=Civility.choices, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    profession = models.ForeignKey(
        Profession,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("profession"),
    )
    rpps = models.CharField(_("RPPS"), max_length=11, blank=True)
    adeli = models.CharField(_("ADELI"), max_length=9, blank=True)
    practice_mode = models.CharField(
        _("mode d'exercice"), max_length=16, choices=PracticeMode.choices, blank=True
    )
    # Organisation
    organisation_name = models.CharField(_("raison sociale"), max_length=200, blank=True)
    organisation_kind = models.CharField(
        _("type de structure"), max_length=16, choices=OrganisationKind.choices, blank=True
    )
    finess = models.CharField(_("FINESS"), max_length=9, blank=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    representative = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="represents",
        verbose_name=_("représentant·e"),
        limit_choices_to={"kind": MemberKind.PERSON},
    )
    # Contact
    email = models.EmailField(_("adresse e-mail"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=5, blank=True)
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("commune"),
    )
    # Membership
    college = models.ForeignKey(
        College,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("collège"),
    )
    status = models.CharField(
        _("statut"),
        max_length=16,
        choices=MemberStatus.choices,
        default=MemberStatus.ACTIVE,
        db_index=True,
    )
    joined_on = models.DateField(_("adhérent depuis le"), null=True, blank=True)
    departed_on = models.DateField(_("date de départ"), null=True, blank=True)
    departure_reason = models.CharField(_("motif du départ"), max_length=255, blank=True)
    anonymised_at = models.DateTimeField(_("anonymisé le"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_members",
        verbose_name=_("fusionné dans"),
    )
    notes = models.TextField(_("notes internes"), blank=True)
    # Directory consents (what other adherents may see)
    directory_listed = models.BooleanField(_("figurer dans l'annuaire"), default=False)
    directory_show_email = models.BooleanField(_("montrer mon e-mail"), default=False)
    directory_show_phone = models.BooleanField(_("montrer mon téléphone"), default=False)
    directory_show_address = models.BooleanField(_("montrer mon adresse"), default=False)
    # Account
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member",
        verbose_name=_("compte"),
    )

    class Meta:
        verbose_name = _("membre")
        verbose_name_plural = _("membres")
        ordering = ("last_name", "first_name", "organisation_name", "pk")
        indexes = [
            models.Index(fields=["last_name", "first_name"], name="member_name_idx"),
            models.Index(fields=["organisation_name"], name="member_org_name_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~Q(email=""), name="member_email_unique"
            ),
            models.UniqueConstraint(
                fields=["rpps"], condition=~Q(rpps=""), name="member_rpps_unique"
            ),
            models.UniqueConstraint(
                fields=["siret"], condition=~Q(siret=""), name="member_siret_unique"
            ),
            models.CheckConstraint(
                condition=Q(rpps="") | Q(rpps__regex=r"^[0-9]{11}$"), name="member_rpps_format"
            ),
            models.CheckConstraint(
                condition=Q(siret="") | Q(siret__regex=r"^[0-9]{14}$"), name="member_siret_format"
            ),
            models.CheckConstraint(
                condition=(Q(kind=MemberKind.PERSON) & ~Q(last_name=""))
                | (Q(kind=MemberKind.ORGANISATION) & ~Q(organisation_name="")),
                name="member_named_by_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind=MemberKind.PERSON) | (Q(rpps="") & Q(adeli="")),
                name="member_organisation_has_no_rpps_adeli",
            ),
            models.CheckConstraint(
                condition=(Q(status=MemberStatus.DEPARTED) & Q(departed_on__isnull=False))
                | (~Q(status=MemberStatus.DEPARTED) & Q(departed_on__isnull=True)),
                name="member_departed_has_a_date",
            ),
            models.CheckConstraint(
                condition=Q(anonymised_at__isnull=True) | Q(status=MemberStatus.DEPARTED),
                name="member_only_departed_anonymised",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.kind == MemberKind.ORGANISATION:
            return self.organisation_name
        return " ".join(part for part in (self.first_name, self.last_name.upper()) if part)

    @property
    def is_person(self) -> bool:
        return self.kind == MemberKind.PERSON


class PracticeSite(TimeStampedModel):
    """Where a member practises (in the territory or outside it)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="sites")
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="practice_sites", verbose_name=_("commune")
    )
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=5, blank=True)
    practice_mode = models.CharField(
        _("mode d'exercice"), max_length=16, choices=PracticeMode.choices, blank=True
    )
    structure_kind = models.CharField(
        _("structure"), max_length=16, choices=StructureKind.choices, blank=True
    )
    structure_name = models.CharField(_("nom de la structure"), max_length=200, blank=True)
    is_primary = models.BooleanField(_("lieu principal"), default=False)

    class Meta:
        verbose_name = _("lieu d'exercice")
        verbose_name_plural = _("lieux d'exercice")
        ordering = ("-is_primary", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(is_primary=True), name="practice_site_one_primary"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.structure_name or self.get_structure_kind_display()} — {self.commune}"


class MemberEmail(models.Model):
    """Every email sent to a member, logged on the member's page."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="emails_sent")
    kind = models.CharField(_("type"), max_length=40)
    subject = models.CharField(_("objet"), max_length=255)
    sent_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("envoyé par"),
    )

    class Meta:
        verbose_name = _("e-mail envoyé")
        verbose_name_plural = _("e-mails envoyés")
        ordering = ("-sent_at",)

    def __str__(self) -> str:
        return self.subject
