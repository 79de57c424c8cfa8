"""Create the first coordination account of a new deployment (email already verified)."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email

from cpts.models import User
from cpts.services.accounts import create_account

PASSWORD_ENV = "MAILLAGE_COORDINATOR_PASSWORD"


class Command(BaseCommand):
    help = (
        "Crée un compte de l'équipe de coordination (rôle coordinateur), adresse vérifiée. "
        f"Mot de passe demandé au clavier, ou lu dans {PASSWORD_ENV}."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip().lower()
        try:
            validate_email(email)
        except ValidationError as exc:
            raise CommandError(f"Adresse e-mail invalide : {email!r}.") from exc
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"Un compte existe déjà pour {email}.")
        password = os.environ.get(PASSWORD_ENV) or self._ask_password()
        candidate = User(email=email, first_name=options["first_name"])
        try:
            validate_password(password, candidate)
        except ValidationError as exc:
            raise CommandError("Mot de passe refusé : " + " ".join(exc.messages)) from exc
        create_account(
            email,
            password,
            first_name=options["first_name"],
            last_name=options["last_name"],
            is_staff=True,
        )
        self.stdout.write(self.style.SUCCESS(f"Compte de coordination créé : {email}"))

    def _ask_password(self) -> str:
        first = getpass.getpass("Mot de passe : ")
        if first != getpass.getpass("Mot de passe (confirmation) : "):
            raise CommandError("Les deux mots de passe ne correspondent pas.")
        return first
