"""Checking one row of a member file: every cell parsed and validated, each problem reported
as a French reason under its column name. Reference lookups (professions, collèges, communes)
are cached for the whole file, and the identifiers already seen in the file are remembered to
report duplicates."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from cpts.models import Commune
from cpts.models.territory import normalize_search
from cpts.validators import validate_finess, validate_siret
from members.import_values import (
    choice_map,
    compact,
    french_phone,
    label_variants,
    parse_date,
    parse_paid,
)
from members.importing import LINE_COLUMN, normalize_label
from members.models import College, Profession
from members.models.members import Civility, OrganisationKind, PracticeMode, StructureKind
from members.models.reference import MemberKind

Errors = dict[str, list[str]]

_KINDS = {
    "personne": MemberKind.PERSON,
    "personne physique": MemberKind.PERSON,
    "structure": MemberKind.ORGANISATION,
    "personne morale": MemberKind.ORGANISATION,
    "organisation": MemberKind.ORGANISATION,
}
_CIVILITIES = {
    "m": Civility.MONSIEUR,
    "mr": Civility.MONSIEUR,
    "monsieur": Civility.MONSIEUR,
    "mme": Civility.MADAME,
    "madame": Civility.MADAME,
    "mlle": Civility.MADAME,
    "mademoiselle": Civility.MADAME,
}
_PROFESSION_ALIASES = {
    "kine": "masseur_kinesitherapeute",
    "kinesitherapeute": "masseur_kinesitherapeute",
}
_STRUCTURE_ALIASES = {
    "maison de sante": StructureKind.MSP,
    "cds": StructureKind.CENTRE_SANTE,
    "cabinet": StructureKind.CABINET_GROUPE,
    "cabinet individuel": StructureKind.EXERCICE_ISOLE,
    "isole": StructureKind.EXERCICE_ISOLE,
}
_ORGANISATION_ALIASES = {
    "maison de sante": OrganisationKind.MSP,
    "centre de sante": OrganisationKind.CDS,
    "hopital": OrganisationKind.HOPITAL,
    "clinique": OrganisationKind.HOPITAL,
    "ssiad": OrganisationKind.SSIAD,
    "saad": OrganisationKind.SSIAD,
}


@dataclass
class CleanRow:
    """One valid row: what to write on the member, its practice site, adhesion and payment."""

    line: int
    kind: str
    fields: dict[str, Any] = field(default_factory=dict)  # Member attribute → value
    site: dict[str, Any] = field(default_factory=dict)  # PracticeSite values (persons)
    adhesion_on: datetime.date | None = None
    paid: Decimal | str | None = None  # an amount, PAID_IN_FULL, or nothing to record


class RowCleaner:
    """Cleans the rows of one file, in order."""

    def __init__(self, today: datetime.date | None = None) -> None:
        self.today = today or datetime.date.today()
        self.professions: dict[str, Profession] = {}
        for profession in Profession.objects.all():
            self.professions[normalize_label(profession.code)] = profession
            for variant in label_variants(profession.label):
                self.professions.setdefault(variant, profession)
        by_code = {p.code: p for p in self.professions.values()}
        for alias, code in _PROFESSION_ALIASES.items():
            if code in by_code:
                self.professions.setdefault(alias, by_code[code])
        self.colleges: dict[str, College] = {}
        for college in College.objects.all():
            self.colleges[normalize_label(college.code)] = college
            self.colleges[normalize_label(college.name)] = college
        self.structures = choice_map(StructureKind.choices, _STRUCTURE_ALIASES)
        self.organisation_kinds = choice_map(OrganisationKind.choices, _ORGANISATION_ALIASES)
        self.practice_modes = choice_map(PracticeMode.choices, {})
        self._communes_by_code: dict[str, Commune | None] = {}
        self._communes_by_name: dict[str, list[Commune]] = {}
        self.seen: dict[tuple[str, str], int] = {}

    def clean(self, row: Mapping[str, Any]) -> CleanRow:
        """The row's values, or a ``ValidationError`` keyed by column name."""
        cells = {key: str(value or "").strip() for key, value in row.items()}
        errors: Errors = {}
        line = int(row.get(LINE_COLUMN) or 0)
        kind = _KINDS.get(normalize_label(cells.get("type", "")))
        if kind is None:
            value = cells.get("type", "")
            errors["type"] = [
                _("« %(value)s » : indiquez personne ou structure.") % {"value": value}
                if value
                else _("valeur obligatoire : personne ou structure.")
            ]
            raise ValidationError(errors)
        clean = CleanRow(line=line, kind=kind)
        if kind == MemberKind.PERSON:
            self._person(cells, clean, errors)
        else:
            self._organisation(cells, clean, errors)
        self._identifiers(cells, clean, errors)
        self._contact(cells, clean, errors)
        self._membership(cells, clean, errors)
        if errors:
            raise ValidationError(errors)
        self._remember_keys(clean)
        return clean

    # -- identity -------------------------------------------------------------------------

    def _person(self, cells: dict[str, str], clean: CleanRow, errors: Errors) -> None:
        if cells.get("nom"):
            clean.fields["last_name"] = cells["nom"]
        else:
            errors["nom"] = [_("valeur obligatoire pour une personne.")]
        if cells.get("prenom"):
            clean.fields["first_name"] = cells["prenom"]
        if value := cells.get("civilite"):
            if civility := _CIVILITIES.get(normalize_label(value)):
                clean.fields["civility"] = civility
            else:
                errors["civilite"] = [
                    _("« %(value)s » n'est pas une civilité connue (M. ou Mme).") % {"value": value}
                ]
        if value := cells.get("profession"):
            if profession := self.professions.get(normalize_label(value)):
                clean.fields["profession"] = profession
            else:
                errors["profession"] = [
                    _("« %(value)s » ne correspond à aucune profession de la liste.")
                    % {"value": value}
                ]
        if value := cells.get("mode_exercice"):
            if mode := self.practice_modes.get(normalize_label(value)):
                clean.fields["practice_mode"] = mode
                clean.site["practice_mode"] = mode
            else:
                errors["mode_exercice"] = [
                    _("« %(value)s » : indiquez libéral, salarié ou mixte.") % {"value": value}
                ]
        if value := cells.get("structure"):
            if structure := self.structures.get(normalize_label(value)):
                clean.site["structure_kind"] = structure
            else:
                errors["structure"] = [
                    _(
                        "« %(value)s » : indiquez MSP, centre de santé, cabinet de groupe, "
                        "exercice isolé ou établissement."
                    )
                    % {"value": value}
                ]
        if cells.get("raison_sociale"):
            clean.site["structure_name"] = cells["raison_sociale"]

    def _organisation(self, cells: dict[str, str], clean: CleanRow, errors: Errors) -> None:
        if cells.get("raison_sociale"):
            clean.fields["organisation_name"] = cells["raison_sociale"]
        else:
            errors["raison_sociale"] = [_("valeur obligatoire pour une structure.")]
        for column in ("civilite", "nom", "prenom", "profession", "rpps", "adeli", "mode_exercice"):
            if cells.get(column):
                errors[column] = [
                    _(
                        "ne s'applique qu'aux personnes : laissez vide pour une structure "
                        "(son représentant s'ajoute depuis sa fiche)."
                    )
                ]
        if value := cells.get("structure"):
            if organisation_kind := self.organisation_kinds.get(normalize_label(value)):
                clean.fields["organisation_kind"] = organisation_kind
            else:
                errors["structure"] = [
                    _(
                        "« %(value)s » n'est pas un type de structure connu (MSP, centre de "
                        "santé, EHPAD, hôpital, SSIAD, DAC, association, collectivité, autre)."
                    )
                    % {"value": value}
                ]

    def _identifiers(self, cells: dict[str, str], clean: CleanRow, errors: Errors) -> None:
        if (value := compact(cells.get("rpps"))) and "rpps" not in errors:
            if re.fullmatch(r"[0-9]{11}", value):
                clean.fields["rpps"] = value
            else:
                errors["rpps"] = [_("le RPPS doit comporter exactement 11 chiffres.")]
        if (value := compact(cells.get("adeli")).upper()) and "adeli" not in errors:
            if re.fullmatch(r"[0-9A-Z]{9}", value):
                clean.fields["adeli"] = value
            else:
                errors["adeli"] = [_("le numéro ADELI doit comporter exactement 9 caractères.")]
        if value := compact(cells.get("finess")).upper():
            try:
                validate_finess(value)
                clean.fields["finess"] = value
            except ValidationError as error:
                errors["finess"] = error.messages
        if value := compact(cells.get("siret")):
            try:
                validate_siret(value)
                clean.fields["siret"] = value
            except ValidationError as error:
                errors["siret"] = error.messages
        if value := cells.get("email", "").lower():
            try:
                validate_email(value)
                clean.fields["email"] = value
            except ValidationError:
                errors["email"] = [
                    _("« %(value)s » n'est pas une adresse e-mail valide.") % {"value": value}
                ]
        if not any(k in clean.fields for k in ("rpps", "siret", "email")) and not any(
            k in errors for k in ("rpps", "siret", "email")
        ):
            errors["email"] = [
                _(
                    "indiquez au moins un RPPS, un SIRET ou une adresse e-mail : c'est ainsi "
                    "que le membre est reconnu lors d'un prochain import."
                )
            ]
        for column, attribute in (("rpps", "rpps"), ("siret", "siret"), ("email", "email")):
            key = clean.fields.get(attribute)
            if key and (earlier := self.seen.get((column, key))):
                errors.setdefault(column, []).append(
                    _("%(value)s figure déjà ligne %(line)s du fichier.")
                    % {"value": key, "line": earlier}
                )

    # -- contact and place ----------------------------------------------------------------

    def _contact(self, cells: dict[str, str], clean: CleanRow, errors: Errors) -> None:
        if value := cells.get("telephone"):
            if phone := french_phone(value):
                clean.fields["phone"] = phone
            else:
                errors["telephone"] = [
                    _("« %(value)s » n'est pas un numéro français à 10 chiffres.")
                    % {"value": value}
                ]
        if value := cells.get("adresse"):
            clean.fields["address"] = value
            clean.site["address"] = value
        postal_code = _restore_leading_zero(compact(cells.get("code_postal")))
        if postal_code:
            if re.fullmatch(r"[0-9]{5}", postal_code):
                clean.fields["postal_code"] = postal_code
                clean.site["postal_code"] = postal_code
            else:
                errors["code_postal"] = [_("le code postal doit comporter 5 chiffres.")]
                postal_code = ""
        commune = self._commune(cells, postal_code, errors)
        if commune is not None:
            clean.fields["commune"] = commune
            if clean.kind == MemberKind.PERSON:
                clean.site["commune"] = commune
        if clean.kind == MemberKind.PERSON and "commune" not in clean.site:
            for column, key in (
                ("structure", "structure_kind"),
                ("raison_sociale", "structure_name"),
            ):
                if key in clean.site and column not in errors and "commune" not in errors:
                    errors[column] = [
                        _("le lieu d'exercice demande une commune (colonne commune ou code_insee).")
                    ]

    def _commune(self, cells: dict[str, str], postal_code: str, errors: Errors) -> Commune | None:
        name = cells.get("commune", "")
        code = _restore_leading_zero(compact(cells.get("code_insee")).upper())
        commune: Commune | None = None
        if code:
            if code not in self._communes_by_code:
                self._communes_by_code[code] = Commune.objects.filter(insee_code=code).first()
            commune = self._communes_by_code[code]
            if commune is None:
                errors["code_insee"] = [
                    _("aucune commune n'a le code INSEE « %(code)s ».") % {"code": code}
                ]
                return None
            if name and normalize_search(name) != commune.search_name:
                errors["commune"] = [
                    _("« %(name)s » ne correspond pas au code INSEE %(code)s (%(commune)s).")
                    % {"name": name, "code": code, "commune": commune.name}
                ]
                return None
        elif name:
            key = normalize_search(name)
            if key not in self._communes_by_name:
                self._communes_by_name[key] = list(
                    Commune.objects.filter(search_name=key, kind="commune-actuelle")
                )
            candidates = self._communes_by_name[key]
            if postal_code:
                candidates = [c for c in candidates if postal_code in c.postal_code_list]
            if not candidates:
                errors["commune"] = [
                    _("commune « %(name)s » inconnue avec le code postal %(code)s.")
                    % {"name": name, "code": postal_code}
                    if postal_code
                    else _("commune « %(name)s » inconnue.") % {"name": name}
                ]
                return None
            if len(candidates) > 1:
                errors["commune"] = [
                    _(
                        "plusieurs communes s'appellent « %(name)s » : précisez le code postal "
                        "ou le code INSEE."
                    )
                    % {"name": name}
                ]
                return None
            commune = candidates[0]
        if (
            commune
            and postal_code
            and commune.postal_codes
            and (postal_code not in commune.postal_code_list)
        ):
            errors["code_postal"] = [
                _("%(code)s n'est pas un code postal de %(commune)s (%(codes)s).")
                % {"code": postal_code, "commune": commune.name, "codes": commune.postal_codes}
            ]
        return commune

    # -- membership -----------------------------------------------------------------------

    def _membership(self, cells: dict[str, str], clean: CleanRow, errors: Errors) -> None:
        if value := cells.get("college"):
            college = self.colleges.get(normalize_label(value))
            if college is None:
                errors["college"] = [
                    _("« %(value)s » ne correspond à aucun collège.") % {"value": value}
                ]
            elif not college.admits(clean.kind, clean.fields.get("profession")):
                errors["college"] = [
                    _("le collège « %(college)s » n'admet pas ce membre (type ou profession).")
                    % {"college": college.name}
                ]
            else:
                clean.fields["college"] = college
        if value := cells.get("date_adhesion"):
            day = parse_date(value)
            if day is None:
                errors["date_adhesion"] = [
                    _("« %(value)s » n'est pas une date au format jj/mm/aaaa.") % {"value": value}
                ]
            elif day.year < 2000 or day > self.today + datetime.timedelta(days=366):
                errors["date_adhesion"] = [
                    _("%(date)s est hors des années possibles.") % {"date": value}
                ]
            else:
                clean.adhesion_on = day
        if value := cells.get("cotisation_payee"):
            paid = parse_paid(value)
            if paid is False:
                errors["cotisation_payee"] = [
                    _("« %(value)s » : indiquez oui, non ou le montant payé (ex. 20,00).")
                    % {"value": value}
                ]
            elif paid is not None and not clean.adhesion_on and "date_adhesion" not in errors:
                errors["cotisation_payee"] = [
                    _("indiquez aussi la date d'adhésion : elle donne l'année de la cotisation.")
                ]
            elif isinstance(paid, Decimal | str):
                clean.paid = paid

    def _remember_keys(self, clean: CleanRow) -> None:
        for column in ("rpps", "siret", "email"):
            if value := clean.fields.get(column):
                self.seen[(column, value)] = clean.line


def _restore_leading_zero(code: str) -> str:
    """A postal or INSEE code of departments 01 to 09 that a spreadsheet read as a number
    ("1000" for 01000)."""
    return "0" + code if re.fullmatch(r"[1-9][0-9]{3}", code) else code
