"""django-import-export resource of the member base.

One resource, two directions, the same columns (the import template's header row, French):
- export: ``MemberResource().export(queryset)`` (or ``export_members(queryset, "xlsx")``)
  writes one row per member, re-importable as is, with a constant number of queries;
- import: ``MemberResource(user=…).import_data(dataset, dry_run=…)`` on a dataset read by
  ``members.importing.read_member_file``. Each row is checked by ``RowCleaner`` (French
  reasons keyed by column), matched to an existing member by RPPS, then SIRET, then email,
  and reported "skip" (inchangé) when it would change nothing. A row also records the
  member's primary practice site, the adhesion of the year of ``date_adhesion`` and the
  payment that ``cotisation_payee`` says was made.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import tablib
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _
from import_export import resources
from import_export.fields import Field

from cpts.models import User
from members.import_cleaning import CleanRow, RowCleaner
from members.import_known import KnownMembers
from members.import_values import PAID_IN_FULL
from members.importing import TEMPLATE_HEADERS
from members.models import Member, PracticeSite
from members.models.adhesions import PaymentMethod
from members.models.reference import MemberKind
from members.selectors.fees import adhesions_with_balance, fee_for
from members.services.adhesions import ensure_adhesion, record_payment

# Model attribute → template column, to name the column of model-level validation errors.
ATTRIBUTE_COLUMNS = {
    "kind": "type",
    "civility": "civilite",
    "last_name": "nom",
    "first_name": "prenom",
    "organisation_name": "raison_sociale",
    "organisation_kind": "structure",
    "profession": "profession",
    "rpps": "rpps",
    "adeli": "adeli",
    "finess": "finess",
    "siret": "siret",
    "email": "email",
    "phone": "telephone",
    "address": "adresse",
    "postal_code": "code_postal",
    "commune": "commune",
    "practice_mode": "mode_exercice",
    "college": "college",
    "joined_on": "date_adhesion",
}
_RELATED_FIELDS = {"profession", "college", "commune", "representative", "merged_into", "user"}
_IDENTIFIER_LABELS = {"rpps": "RPPS", "siret": "SIRET", "email": "e-mail"}


@dataclass
class RowPlan:
    """What importing a row will write besides the member's own fields."""

    member_changes: list[str] = field(default_factory=list)
    site: PracticeSite | None = None
    site_changes: dict[str, Any] = field(default_factory=dict)
    adhesion_year: int | None = None
    create_adhesion: bool = False
    payment: Decimal = Decimal("0.00")

    @property
    def changes_nothing(self) -> bool:
        return not (
            self.member_changes or self.site_changes or self.create_adhesion or self.payment
        )


class MemberResource(resources.ModelResource):
    type = Field(attribute="kind", column_name="type")
    civilite = Field(attribute="civility", column_name="civilite")
    nom = Field(attribute="last_name", column_name="nom")
    prenom = Field(attribute="first_name", column_name="prenom")
    raison_sociale = Field(column_name="raison_sociale")
    profession = Field(column_name="profession")
    rpps = Field(attribute="rpps", column_name="rpps")
    adeli = Field(attribute="adeli", column_name="adeli")
    finess = Field(attribute="finess", column_name="finess")
    siret = Field(attribute="siret", column_name="siret")
    email = Field(attribute="email", column_name="email")
    telephone = Field(attribute="phone", column_name="telephone")
    adresse = Field(attribute="address", column_name="adresse")
    code_postal = Field(attribute="postal_code", column_name="code_postal")
    commune = Field(column_name="commune")
    code_insee = Field(column_name="code_insee")
    mode_exercice = Field(column_name="mode_exercice")
    structure = Field(column_name="structure")
    college = Field(column_name="college")
    date_adhesion = Field(column_name="date_adhesion")
    cotisation_payee = Field(column_name="cotisation_payee")

    class Meta:
        model = Member
        fields = TEMPLATE_HEADERS
        export_order = TEMPLATE_HEADERS
        import_order = TEMPLATE_HEADERS
        skip_unchanged = True
        report_skipped = True
        skip_diff = True
        store_row_values = True

    def __init__(
        self,
        *,
        user: User | None = None,
        today: datetime.date | None = None,
        check_only: bool = False,
    ) -> None:
        """``check_only``: classify and check every row without writing anything (the
        preview); otherwise rows are written (and rolled back by a dry run)."""
        super().__init__()
        self.user = user
        self.today = today or datetime.date.today()
        self.check_only = check_only
        self.fees: dict[tuple[int, int | None, str], Decimal | None] = {}
        self.cleaner: RowCleaner | None = None
        self.known: KnownMembers | None = None
        self.current: CleanRow | None = None
        self.plan = RowPlan()

    # -- export ---------------------------------------------------------------------------

    def filter_export(self, queryset: QuerySet[Any], **kwargs: Any) -> QuerySet[Any]:
        """Related rows joined and the latest adhesion and primary site annotated, so the
        export runs one query whatever the number of members."""
        latest = adhesions_with_balance().filter(member=OuterRef("pk")).order_by("-year")
        site = PracticeSite.objects.filter(member=OuterRef("pk")).order_by("-is_primary", "pk")
        return (
            queryset.prefetch_related(None)
            .select_related("profession", "college", "commune")
            .annotate(
                export_adhesion_on=Subquery(latest.values("started_on")[:1]),
                export_settled=Subquery(latest.values("is_settled")[:1]),
                export_paid=Subquery(latest.values("paid")[:1]),
                export_structure_kind=Subquery(site.values("structure_kind")[:1]),
                export_structure_name=Subquery(site.values("structure_name")[:1]),
            )
        )

    def dehydrate_civilite(self, member: Member) -> str:
        return str(member.get_civility_display()) if member.civility else ""

    def dehydrate_raison_sociale(self, member: Member) -> str:
        if member.kind == MemberKind.ORGANISATION:
            return member.organisation_name
        return getattr(member, "export_structure_name", None) or ""

    def dehydrate_profession(self, member: Member) -> str:
        return member.profession.label if member.profession else ""

    def dehydrate_commune(self, member: Member) -> str:
        return member.commune.name if member.commune else ""

    def dehydrate_code_insee(self, member: Member) -> str:
        return member.commune.insee_code if member.commune else ""

    def dehydrate_mode_exercice(self, member: Member) -> str:
        return str(member.get_practice_mode_display()) if member.practice_mode else ""

    def dehydrate_structure(self, member: Member) -> str:
        if member.kind == MemberKind.ORGANISATION:
            return member.organisation_kind
        return getattr(member, "export_structure_kind", None) or ""

    def dehydrate_college(self, member: Member) -> str:
        return member.college.name if member.college else ""

    def dehydrate_date_adhesion(self, member: Member) -> str:
        started_on = getattr(member, "export_adhesion_on", None)
        return started_on.strftime("%d/%m/%Y") if started_on else ""

    def dehydrate_cotisation_payee(self, member: Member) -> str:
        if getattr(member, "export_adhesion_on", None) is None:
            return ""
        if getattr(member, "export_settled", False):
            return "oui"
        paid = getattr(member, "export_paid", None) or Decimal(0)
        return f"{paid:.2f}".replace(".", ",") if paid > 0 else "non"

    # -- import ---------------------------------------------------------------------------

    def before_import(self, dataset: tablib.Dataset, **kwargs: Any) -> None:
        self.cleaner = RowCleaner(self.today)
        self.known = KnownMembers(dataset)

    def before_import_row(self, row: dict[str, Any], **kwargs: Any) -> None:
        assert self.cleaner is not None
        self.current = None
        self.plan = RowPlan()
        self.current = self.cleaner.clean(row)

    def get_instance(self, instance_loader: Any, row: dict[str, Any]) -> Member | None:
        """The existing member the row is about: same RPPS, else same SIRET, else same
        email; refused when the row's identifiers belong to different members."""
        clean = self._clean()
        keys = {a: clean.fields[a] for a in ("rpps", "siret", "email") if clean.fields.get(a)}
        holders = {attribute: self._known().holder(attribute, v) for attribute, v in keys.items()}
        matched_by = next((a for a in ("rpps", "siret", "email") if holders.get(a)), "")
        member = holders[matched_by] if matched_by else None
        errors: dict[str, list[str]] = {}
        for attribute, value in keys.items():
            other = holders[attribute]
            if other is not None and other != member:
                errors[attribute] = [
                    _("%(value)s est déjà celui d'un autre membre (%(other)s).")
                    % {"value": value, "other": other}
                ]
        if member is not None:
            self._check_match(member, matched_by, clean, errors)
        if errors:
            raise ValidationError(errors)
        return member

    def _check_match(
        self, member: Member, matched_by: str, clean: CleanRow, errors: dict[str, list[str]]
    ) -> None:
        found = _("ce membre (reconnu par son %(key)s)") % {"key": _IDENTIFIER_LABELS[matched_by]}
        if member.kind != clean.kind:
            errors["type"] = [
                _("%(found)s est enregistré comme %(kind)s.")
                % {"found": found, "kind": member.get_kind_display().lower()}
            ]
        for attribute in ("rpps", "siret"):
            current = getattr(member, attribute)
            value = clean.fields.get(attribute)
            if value and current and value != current:
                errors.setdefault(attribute, []).append(
                    _("%(found)s a déjà le %(key)s %(current)s.")
                    % {"found": found, "key": _IDENTIFIER_LABELS[attribute], "current": current}
                )
        if member.anonymised_at is not None:
            errors.setdefault(matched_by, []).append(
                _("%(found)s a été anonymisé : un import ne peut plus le modifier.")
                % {"found": found}
            )

    def import_instance(self, instance: Member, row: dict[str, Any], **kwargs: Any) -> None:
        """Copy the row's filled cells onto the member (an empty cell changes nothing) and
        plan the practice site, adhesion and payment."""
        clean = self._clean()
        plan = self.plan
        if instance.pk is None:
            instance.kind = clean.kind
        for attribute, value in clean.fields.items():
            if not _same(instance, attribute, value):
                setattr(instance, attribute, value)
                plan.member_changes.append(attribute)
        if clean.adhesion_on and (
            instance.joined_on is None or clean.adhesion_on < instance.joined_on
        ):
            instance.joined_on = clean.adhesion_on
            plan.member_changes.append("joined_on")
        self._plan_site(instance, clean, plan)
        errors = self._plan_adhesion(instance, clean, plan)
        if errors:
            raise ValidationError(errors)

    def _plan_site(self, member: Member, clean: CleanRow, plan: RowPlan) -> None:
        if clean.kind != MemberKind.PERSON or "commune" not in clean.site:
            return
        site: PracticeSite | None = None
        if member.pk is not None:
            sites = self._known().sites_of(member)
            site = next((s for s in sites if s.is_primary), None) or next(
                (s for s in sites if s.commune_id == clean.site["commune"].pk), None
            )
        if site is None:
            site = PracticeSite(member=member, is_primary=True)
            plan.site_changes = dict(clean.site)
        else:
            plan.site_changes = {
                key: value for key, value in clean.site.items() if not _same(site, key, value)
            }
        plan.site = site

    def _plan_adhesion(
        self, member: Member, clean: CleanRow, plan: RowPlan
    ) -> dict[str, list[str]]:
        if clean.adhesion_on is None:
            return {}
        year = clean.adhesion_on.year
        plan.adhesion_year = year
        existing = self._known().adhesion(member, year)
        if existing is None:
            fee_key = (year, member.college_id, member.kind)
            if fee_key not in self.fees:
                self.fees[fee_key] = fee_for(member, year)
            fee_due = self.fees[fee_key]
            if fee_due is None:
                return {
                    "date_adhesion": [
                        _(
                            "aucun barème de cotisation n'est défini pour %(year)s : "
                            "ajoutez-le avant l'import."
                        )
                        % {"year": year}
                    ]
                }
            plan.create_adhesion = True
            paid, settled = Decimal("0.00"), fee_due == 0
        else:
            fee_due, paid, settled = existing.fee_due, existing.paid, existing.is_settled
        if clean.paid == PAID_IN_FULL:
            plan.payment = Decimal(0) if settled else max(fee_due - paid, Decimal(0))
        elif isinstance(clean.paid, Decimal):
            if clean.paid > fee_due:
                return {
                    "cotisation_payee": [
                        _("%(amount)s € dépasse la cotisation due pour %(year)s (%(fee)s €).")
                        % {"amount": _money(clean.paid), "year": year, "fee": _money(fee_due)}
                    ]
                }
            plan.payment = max(clean.paid - paid, Decimal(0))
        return {}

    def skip_row(
        self,
        instance: Member,
        original: Any,
        row: dict[str, Any],
        import_validation_errors: Any = None,
    ) -> bool:
        """Unchanged: a known member whose row would write nothing."""
        if import_validation_errors:
            return False
        return instance.pk is not None and self.plan.changes_nothing

    def validate_instance(
        self, instance: Member, import_validation_errors: Any = None, validate_unique: bool = True
    ) -> None:
        """The model's field checks (lengths, choices). Its constraints and foreign keys are
        not re-checked here, at one query each: the row cleaner and ``get_instance`` already
        enforce the constraints, and related rows come from the database."""
        errors = dict(import_validation_errors or {})
        try:
            instance.clean_fields(exclude=set(errors) | _RELATED_FIELDS)
            instance.clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(
                {
                    ATTRIBUTE_COLUMNS.get(key, key): messages
                    for key, messages in ValidationError(errors).message_dict.items()
                }
            )

    def do_instance_save(self, instance: Member, is_create: bool) -> None:
        if self.check_only:
            return
        if is_create or self.plan.member_changes:
            instance.save(force_insert=is_create)

    def after_save_instance(self, instance: Member, row: dict[str, Any], **kwargs: Any) -> None:
        if self.check_only:
            return
        clean, plan = self._clean(), self.plan
        if plan.site is not None and plan.site_changes:
            for key, value in plan.site_changes.items():
                setattr(plan.site, key, value)
            plan.site.member = instance
            plan.site.save()
        if plan.adhesion_year is None or clean.adhesion_on is None:
            return
        adhesion = ensure_adhesion(instance, plan.adhesion_year, started_on=clean.adhesion_on)
        if plan.payment > 0:
            record_payment(
                adhesion,
                amount=plan.payment,
                method=PaymentMethod.VIREMENT,
                paid_on=min(clean.adhesion_on, self.today),
                reference=_("Import de fichier"),
                recorded_by=self.user,
            )

    def _known(self) -> KnownMembers:
        assert self.known is not None, "before_import() loads the known members first"
        return self.known

    def _clean(self) -> CleanRow:
        assert self.current is not None, "before_import_row() cleans every row first"
        return self.current


def _same(obj: Any, attribute: str, value: Any) -> bool:
    """Whether ``obj.attribute`` already holds ``value`` (related rows compared by id, so
    that no query loads them)."""
    if isinstance(value, models.Model):
        return bool(getattr(obj, f"{attribute}_id") == value.pk)
    current = getattr(obj, attribute)
    if attribute == "email":
        return str(current or "").lower() == str(value).lower()
    if attribute == "phone":
        return re.sub(r"\D", "", current or "") == re.sub(r"\D", "", value)
    return bool(current == value)


def _money(amount: Decimal) -> str:
    return f"{amount:,.2f}".replace(",", "\u202f").replace(".", ",")


_FORMULA = re.compile(r"^(?:[=@\t\r]|[+-](?![\d\s().,]*$))")


def _no_formula(value: Any) -> Any:
    return f"'{value}" if isinstance(value, str) and _FORMULA.match(value) else value


EXPORT_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_members(queryset: QuerySet[Member], file_format: str) -> bytes:
    """The members of ``queryset`` as a CSV (``;``, UTF-8 with BOM, for Excel) or XLSX file
    with the template's French headers (so the file can be imported back). A cell that a
    spreadsheet would run as a formula is prefixed with an apostrophe."""
    exported = MemberResource().export(queryset)
    dataset = tablib.Dataset(headers=exported.headers)
    for row in exported:
        dataset.append([_no_formula(value) for value in row])
    if file_format == "csv":
        return ("\ufeff" + dataset.export("csv", delimiter=";")).encode("utf-8")
    if file_format == "xlsx":
        content: bytes = dataset.export("xlsx")
        return content
    raise ValueError(f"Unknown export format: {file_format!r}")
