"""The simple registers (SAS participations and monthly activity, unplanned-care slots,
trainees, installations, parrainages): one list page (year and name filters, pagination,
a fixed number of queries), one creation and one edition page each, described by ``Register``
and built from the same three views. Reads need ``registries.view``, writes
``registries.manage``."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, Min, Model, Q, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django_stubs_ext import StrOrPromise

from cpts.permissions import permission_required, user_can
from registries import forms as registry_forms
from registries.models import (
    Installation,
    Mentorship,
    SasMonthlyActivity,
    SasParticipation,
    Trainee,
    UnplannedSlotOffer,
)
from registries.selectors import clean_search, member_name_q
from registries.services import save_record

PAGE_SIZE = 25


def _day(value: Any) -> str:
    return date_format(value, "d/m/Y") if value else "—"


def _yes(value: bool) -> str:
    return str(_("oui")) if value else str(_("non"))


@dataclass(frozen=True)
class Register:
    key: str  # URL names: <key>_list, <key>_create, <key>_edit
    slug: str  # URL path under registres/
    title: StrOrPromise
    new_label: StrOrPromise
    edit_title: StrOrPromise
    saved: StrOrPromise
    empty: StrOrPromise
    section: StrOrPromise  # the mission the register belongs to
    model: type[Model]
    form: type[forms.ModelForm[Any]]
    rows: Callable[[], QuerySet[Any]]
    date_field: str  # the year filter reads it
    columns: tuple[tuple[StrOrPromise, Callable[[Any], str]], ...]
    member_fields: tuple[str, ...] = ()  # searched by the name filter
    totals: tuple[tuple[StrOrPromise, str], ...] = ()  # summed over the filtered rows
    # A span register (SAS participation, traineeship): a row belongs to every year its span
    # meets, from ``date_field`` to ``end_field`` (empty: still running).
    end_field: str = ""


def _help(row: Installation) -> str:
    helps = [
        str(label)
        for flag, label in (
            (row.help_premises, _("locaux")),
            (row.help_administrative, _("administratif")),
            (row.help_introductions, _("mise en relation")),
        )
        if flag
    ]
    return ", ".join(helps)


REGISTERS: tuple[Register, ...] = (
    Register(
        key="sas_participation",
        slug="sas/participations",
        title=_("Participation des médecins au SAS"),
        new_label=_("Nouvelle participation"),
        edit_title=_("Participation au SAS"),
        saved=_("La participation au SAS est enregistrée."),
        empty=_("Aucune participation au SAS enregistrée."),
        section=_("Accès aux soins — SAS"),
        model=SasParticipation,
        form=registry_forms.SasParticipationForm,
        rows=lambda: SasParticipation.objects.select_related("member__profession"),
        date_field="start",
        end_field="end",
        columns=(
            (_("Médecin"), lambda r: r.member.display_name),
            (_("Début"), lambda r: _day(r.start)),
            (_("Fin"), lambda r: _day(r.end) if r.end else str(_("en cours"))),
        ),
        member_fields=("member__",),
    ),
    Register(
        key="sas_activity",
        slug="sas/activite",
        title=_("Activité mensuelle du SAS"),
        new_label=_("Nouveau mois"),
        edit_title=_("Activité du SAS"),
        saved=_("L'activité du mois est enregistrée."),
        empty=_("Aucune activité mensuelle saisie ou importée."),
        section=_("Accès aux soins — SAS"),
        model=SasMonthlyActivity,
        form=registry_forms.SasActivityForm,
        rows=lambda: SasMonthlyActivity.objects.all(),
        date_field="month",
        columns=(
            (_("Mois"), lambda r: date_format(r.month, "m/Y")),
            (_("Demandes reçues"), lambda r: str(r.requests_received)),
            (_("Rendez-vous donnés"), lambda r: str(r.appointments_given)),
            (_("Honorés"), lambda r: str(r.honoured)),
            (_("Non honorés"), lambda r: str(r.not_honoured)),
            (_("Réorientations"), lambda r: str(r.oriented_elsewhere)),
        ),
        totals=(
            (_("Demandes reçues"), "requests_received"),
            (_("Rendez-vous donnés"), "appointments_given"),
            (_("Honorés"), "honoured"),
            (_("Non honorés"), "not_honoured"),
        ),
    ),
    Register(
        key="slot_offer",
        slug="soins-non-programmes",
        title=_("Créneaux de soins non programmés"),
        new_label=_("Nouveaux créneaux"),
        edit_title=_("Créneaux de la semaine"),
        saved=_("Les créneaux de la semaine sont enregistrés."),
        empty=_("Aucun créneau de soins non programmés enregistré."),
        section=_("Accès aux soins — soins non programmés"),
        model=UnplannedSlotOffer,
        form=registry_forms.SlotOfferForm,
        rows=lambda: UnplannedSlotOffer.objects.select_related("member__profession"),
        date_field="week",
        columns=(
            (_("Semaine du"), lambda r: _day(r.week)),
            (_("Professionnel"), lambda r: r.member.display_name),
            (_("Profession"), lambda r: str(r.member.profession or "—")),
            (_("Créneaux"), lambda r: str(r.slots)),
        ),
        member_fields=("member__",),
        totals=((_("Créneaux"), "slots"),),
    ),
    Register(
        key="trainee",
        slug="stagiaires",
        title=_("Stagiaires accueillis"),
        new_label=_("Nouveau stagiaire"),
        edit_title=_("Stagiaire accueilli"),
        saved=_("Le stage est enregistré."),
        empty=_("Aucun stagiaire enregistré."),
        section=_("Accompagnement des professionnels"),
        model=Trainee,
        form=registry_forms.TraineeForm,
        rows=lambda: Trainee.objects.select_related("profession", "host"),
        date_field="start",
        end_field="end",
        columns=(
            (_("Prénom"), lambda r: r.first_name or "—"),
            (_("Profession"), lambda r: str(r.profession)),
            (_("Niveau"), lambda r: r.get_level_display()),
            (_("Maître de stage"), lambda r: r.host.display_name),
            (_("Période"), lambda r: f"{_day(r.start)} → {_day(r.end)}"),
            (_("Logement"), lambda r: _yes(r.housing_provided)),
        ),
        member_fields=("host__",),
    ),
    Register(
        key="installation",
        slug="installations",
        title=_("Installations accompagnées"),
        new_label=_("Nouvelle installation"),
        edit_title=_("Installation accompagnée"),
        saved=_("L'installation est enregistrée."),
        empty=_("Aucune installation accompagnée enregistrée."),
        section=_("Accompagnement des professionnels"),
        model=Installation,
        form=registry_forms.InstallationForm,
        rows=lambda: Installation.objects.select_related("professional__profession", "commune"),
        date_field="installed_on",
        columns=(
            (_("Professionnel"), lambda r: r.professional.display_name),
            (_("Profession"), lambda r: str(r.professional.profession or "—")),
            (_("Installé le"), lambda r: _day(r.installed_on)),
            (_("Commune"), lambda r: str(r.commune or "—")),
            (_("Aide apportée"), _help),
        ),
        member_fields=("professional__",),
    ),
    Register(
        key="mentorship",
        slug="parrainages",
        title=_("Parrainages"),
        new_label=_("Nouveau parrainage"),
        edit_title=_("Parrainage"),
        saved=_("Le parrainage est enregistré."),
        empty=_("Aucun parrainage enregistré."),
        section=_("Accompagnement des professionnels"),
        model=Mentorship,
        form=registry_forms.MentorshipForm,
        rows=lambda: Mentorship.objects.select_related("mentor", "newcomer"),
        date_field="start",
        columns=(
            (_("Parrain / marraine"), lambda r: r.mentor.display_name),
            (_("Nouvel arrivant"), lambda r: r.newcomer.display_name),
            (_("Début"), lambda r: _day(r.start)),
            (_("Heures"), lambda r: f"{r.hours:n}".replace(".", ",")),
        ),
        member_fields=("mentor__", "newcomer__"),
        totals=((_("Heures"), "hours"),),
    ),
)
BY_KEY = {register.key: register for register in REGISTERS}


def _year(query: Any) -> int | None:
    try:
        year = int(str(query.get("annee", "")))
    except ValueError:
        return None
    return year if 1900 < year < 3000 else None


def filtered_rows(register: Register, query: Any) -> tuple[QuerySet[Any], int | None, str]:
    rows = register.rows()
    year = _year(query)
    search = clean_search(query) if register.member_fields else ""
    if year and register.end_field:
        rows = rows.filter(
            Q(**{f"{register.date_field}__lte": datetime.date(year, 12, 31)}),
            Q(**{f"{register.end_field}__gte": datetime.date(year, 1, 1)})
            | Q(**{f"{register.end_field}__isnull": True}),
        )
    elif year:
        rows = rows.filter(**{f"{register.date_field}__year": year})
    if search:
        condition = Q()
        for prefix in register.member_fields:
            condition |= member_name_q(search, prefix)
        rows = rows.filter(condition)
    return rows, year, search


def register_years(register: Register) -> list[int]:
    """The years the year filter offers, most recent first (one query): the years of the
    rows' dates, or for a span register every year from the first start to the last end (to
    this year while a span is still running)."""
    manager = register.model._default_manager
    if not register.end_field:
        dates = manager.dates(register.date_field, "year")
        return sorted((d.year for d in dates), reverse=True)
    bounds = manager.aggregate(
        first=Min(register.date_field),
        last=Max(register.end_field),
        running=Count("pk", filter=Q(**{f"{register.end_field}__isnull": True})),
    )
    if bounds["first"] is None:
        return []
    last = bounds["last"].year if bounds["last"] else bounds["first"].year
    if bounds["running"]:
        last = max(last, timezone.localdate().year)
    return list(range(last, bounds["first"].year - 1, -1))


def _list_view(register: Register) -> Callable[[HttpRequest], HttpResponse]:
    @permission_required("registries.view")
    @require_safe
    def register_list(request: HttpRequest) -> HttpResponse:
        rows, year, search = filtered_rows(register, request.GET)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        totals = []
        if register.totals:
            sums = rows.order_by().aggregate(
                **{name: Sum(name) for _label, name in register.totals}
            )
            totals = [(label, sums[name] or 0) for label, name in register.totals]
        years = register_years(register)
        context = {
            "register": register,
            "page": page,
            "cells": [
                (row, [(label, accessor(row)) for label, accessor in register.columns])
                for row in page.object_list
            ],
            "year": year,
            "search": search,
            "years": sorted(years, reverse=True),
            "totals": totals,
            "can_manage": user_can(request.user, "registries.manage"),
        }
        return render(request, "registries/register_list.html", context)

    return register_list


def _form_view(register: Register, *, edit: bool) -> Callable[..., HttpResponse]:
    @permission_required("registries.manage")
    def register_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
        instance = get_object_or_404(register.rows(), pk=pk) if edit else None
        form = register.form(request.POST or None, instance=instance)
        if request.method == "POST" and form.is_valid():
            try:
                save_record(form.instance)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, str(register.saved))
                return redirect(f"{register.key}_list")
        context = {"register": register, "form": form, "instance": instance}
        return render(request, "registries/register_form.html", context)

    return register_form


def _add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _patterns() -> list[URLPattern]:
    patterns = []
    for register in REGISTERS:
        base = f"registres/{register.slug}/"
        patterns += [
            path(base, _list_view(register), name=f"{register.key}_list"),
            path(
                f"{base}nouveau/",
                _form_view(register, edit=False),
                name=f"{register.key}_create",
            ),
            path(
                f"{base}<int:pk>/modifier/",
                _form_view(register, edit=True),
                name=f"{register.key}_edit",
            ),
        ]
    return patterns


urlpatterns = _patterns()
