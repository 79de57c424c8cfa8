"""Accounts: an email-only user and the invitations through which every account is created.
An account's roles are not stored here: the permission registry derives them from the staff
flag (coordination) and the running mandates of the account's member record."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpts.models.base import TimeStampedModel
from cpts.roles import Role

# What an invitation creates: an adherent's account, or a coordination team member's (staff
# flag, invited by a superuser only). Every other role comes from mandates.
INVITABLE_ROLES = (Role.ADHERENT, Role.COORDINATEUR)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("Une adresse e-mail est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who can log in. ``is_staff`` marks the salaried coordination team."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("adresse e-mail"), unique=True)
    is_staff = models.BooleanField(
        _("équipe de coordination"),
        default=False,
        help_text=_("Salarié·e de la CPTS : rôle coordinateur dans Maillage."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ("last_name", "first_name", "email")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _default_expiry() -> Any:
    return timezone.now() + timedelta(days=settings.MAILLAGE_INVITATION_DAYS)


class Invitation(TimeStampedModel):
    """An invitation to create an account: the invitee follows the emailed link and chooses
    a password. Sign-up is closed otherwise. The account is an adherent's, or a member of
    the coordination team's (staff flag) when its role is coordinateur; other roles come
    from mandates, never from an invitation."""

    email = models.EmailField(_("adresse e-mail"))
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    role = models.CharField(
        _("compte"),
        max_length=32,
        choices=[(role.value, role.label) for role in INVITABLE_ROLES],
        default=Role.ADHERENT,
        help_text=_(
            "Adhérent·e, ou membre de l'équipe salariée (rôle coordinateur) : les autres rôles "
            "viennent des mandats."
        ),
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="invitations_sent",
        verbose_name=_("invité par"),
    )
    expires_at = models.DateTimeField(_("expire le"), default=_default_expiry)
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitation",
        verbose_name=_("compte créé"),
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ("-created_at",)
        constraints = [
            models.CheckConstraint(
                condition=~(
                    models.Q(accepted_at__isnull=False) & models.Q(revoked_at__isnull=False)
                ),
                name="invitation_not_accepted_and_revoked",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=INVITABLE_ROLES), name="invitation_invitable_role"
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def as_coordinator(self) -> bool:
        """Whether the account created will belong to the coordination team (staff flag)."""
        return self.role == Role.COORDINATEUR

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and not self.is_expired

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()
