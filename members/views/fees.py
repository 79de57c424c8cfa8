"""Fees: the fee schedule per year, the collèges, adhesions with their payments and refunds,
the receipt and attestation PDFs, and reminders to selected members."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cpts.jobs import request_document
from cpts.permissions import permission_required
from members.forms.fees import AdhesionForm, CollegeForm, FeeRuleForm, PaymentForm, RefundForm
from members.models import Adhesion, College, FeeRule, Member
from members.selectors.fees import adhesions_with_balance
from members.selectors.joining import admits_text
from members.services.adhesions import (
    create_adhesion,
    delete_fee_rule,
    record_payment,
    record_refund,
    save_college,
    save_fee_rule,
)
from members.services.campaigns import send_manual_reminders
from members.views.joining import member_list_url, member_page_url


def _add_errors(form: BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _year(raw: str | None) -> int:
    if raw and raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return timezone.localdate().year


# --- Fee schedule ---


@permission_required("members.manage")
def fee_rule_list(request: HttpRequest) -> HttpResponse:
    year = _year(request.GET.get("annee"))
    rules = FeeRule.objects.filter(year=year).select_related("college")
    years = sorted({year, *FeeRule.objects.values_list("year", flat=True).distinct()}, reverse=True)
    return render(
        request,
        "members/fees/fee_rule_list.html",
        {
            "year": year,
            "years": years,
            "rules": rules,
            "form": FeeRuleForm(initial={"year": year}),
        },
    )


def _fee_rule_form(request: HttpRequest, rule: FeeRule | None) -> HttpResponse:
    form = FeeRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_fee_rule(form.save(commit=False))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Barème enregistré : %(rule)s.") % {"rule": saved})
            return redirect(f"{reverse('fee_rule_list')}?annee={saved.year}")
    return render(request, "members/fees/fee_rule_form.html", {"form": form, "rule": rule})


@permission_required("members.manage")
def fee_rule_create(request: HttpRequest) -> HttpResponse:
    return _fee_rule_form(request, None)


@permission_required("members.manage")
def fee_rule_update(request: HttpRequest, pk: int) -> HttpResponse:
    return _fee_rule_form(request, get_object_or_404(FeeRule, pk=pk))


@permission_required("members.manage")
@require_POST
def fee_rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(FeeRule, pk=pk)
    year = rule.year
    delete_fee_rule(rule)
    messages.success(
        request,
        _("Règle supprimée. Les adhésions déjà créées gardent leur montant."),
    )
    return redirect(f"{reverse('fee_rule_list')}?annee={year}")


# --- Collèges ---


@permission_required("members.manage")
def college_list(request: HttpRequest) -> HttpResponse:
    colleges = College.objects.annotate(member_count=Count("members"))
    rows = [(college, admits_text(college)) for college in colleges]
    return render(request, "members/fees/college_list.html", {"rows": rows})


def _college_form(request: HttpRequest, college: College | None) -> HttpResponse:
    form = CollegeForm(request.POST or None, instance=college)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_college(form.save(commit=False))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Collège « %(name)s » enregistré.") % {"name": saved})
            return redirect("college_list")
    return render(request, "members/fees/college_form.html", {"form": form, "college": college})


@permission_required("members.manage")
def college_create(request: HttpRequest) -> HttpResponse:
    return _college_form(request, None)


@permission_required("members.manage")
def college_update(request: HttpRequest, pk: int) -> HttpResponse:
    return _college_form(request, get_object_or_404(College, pk=pk))


# --- Adhesions, payments and refunds ---


@permission_required("members.manage")
def adhesion_create(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(Member, pk=pk)
    form = AdhesionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            adhesion = create_adhesion(
                member, form.cleaned_data["year"], started_on=form.cleaned_data["started_on"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Adhésion %(year)s créée : %(fee)s € dus.")
                % {"year": adhesion.year, "fee": adhesion.fee_due},
            )
            return redirect(member_page_url(member))
    return render(
        request,
        "members/fees/adhesion_form.html",
        {"form": form, "member": member, "member_url": member_page_url(member)},
    )


def _adhesion_or_404(pk: int) -> Any:
    return get_object_or_404(adhesions_with_balance().select_related("member"), pk=pk)


def _money_form(request: HttpRequest, pk: int, *, refund: bool) -> HttpResponse:
    adhesion = _adhesion_or_404(pk)
    form_class = RefundForm if refund else PaymentForm
    initial = {}
    if not refund and adhesion.fee_due > adhesion.paid:
        initial["amount"] = adhesion.fee_due - adhesion.paid
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        record = record_refund if refund else record_payment
        try:
            record(
                adhesion,
                amount=form.cleaned_data["amount"],
                method=form.cleaned_data["method"],
                paid_on=form.cleaned_data["paid_on"],
                reference=form.cleaned_data["reference"],
                recorded_by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            text = (
                _("Remboursement de %(amount)s € enregistré pour l'adhésion %(year)s.")
                if refund
                else _("Paiement de %(amount)s € enregistré pour l'adhésion %(year)s.")
            )
            messages.success(
                request, text % {"amount": form.cleaned_data["amount"], "year": adhesion.year}
            )
            return redirect(member_page_url(adhesion.member))
    return render(
        request,
        "members/fees/payment_form.html",
        {
            "form": form,
            "adhesion": adhesion,
            "member": adhesion.member,
            "refund": refund,
            "member_url": member_page_url(adhesion.member),
            "remaining": max(adhesion.fee_due - adhesion.paid, 0),
        },
    )


@permission_required("members.manage")
def payment_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _money_form(request, pk, refund=False)


@permission_required("members.manage")
def refund_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _money_form(request, pk, refund=True)


# --- Documents ---


@permission_required("members.manage")
@require_POST
def membership_receipt_request(request: HttpRequest, pk: int) -> HttpResponse:
    adhesion = _adhesion_or_404(pk)
    if adhesion.paid <= 0:
        messages.error(
            request,
            _("Aucun paiement n'est enregistré pour l'adhésion %(year)s : pas de reçu à établir.")
            % {"year": adhesion.year},
        )
        return redirect(member_page_url(adhesion.member))
    document = request_document(
        "membership_receipt", requested_by=request.user, parameters={"adhesion_id": adhesion.pk}
    )
    messages.success(request, _("La génération du reçu de cotisation a été demandée."))
    return redirect("document_detail", pk=document.pk)


@permission_required("members.manage")
@require_POST
def membership_attestation_request(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    member = get_object_or_404(Member, pk=pk)
    if not Adhesion.objects.filter(member=member, year=year).exists():
        messages.error(
            request,
            _("%(name)s n'a pas d'adhésion pour l'année %(year)s : pas d'attestation à établir.")
            % {"name": member.display_name, "year": year},
        )
        return redirect(member_page_url(member))
    document = request_document(
        "membership_attestation",
        requested_by=request.user,
        parameters={"member_id": member.pk, "year": year},
    )
    messages.success(request, _("La génération de l'attestation d'adhésion a été demandée."))
    return redirect("document_detail", pk=document.pk)


# --- Reminders ---


@permission_required("members.manage")
@require_POST
def member_send_reminders(request: HttpRequest) -> HttpResponse:
    """Remind the members selected in the list (``ids``) who are not up to date."""
    ids = [int(value) for value in request.POST.getlist("ids") if value.strip().isdigit()]
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = member_list_url()
    if not ids:
        messages.warning(request, _("Sélectionnez au moins un membre à relancer."))
        return redirect(target)
    summary = send_manual_reminders(
        ids,
        by=request.user,  # type: ignore[arg-type]
        on=timezone.localdate(),
    )
    parts = [
        ngettext(
            "%(count)d relance envoyée",
            "%(count)d relances envoyées",
            len(summary.sent),
        )
        % {"count": len(summary.sent)}
    ]
    if summary.up_to_date:
        count = len(summary.up_to_date)
        parts.append(
            ngettext("%(count)d déjà à jour", "%(count)d déjà à jour", count) % {"count": count}
        )
    if summary.no_email:
        count = len(summary.no_email)
        parts.append(
            ngettext("%(count)d sans adresse e-mail", "%(count)d sans adresse e-mail", count)
            % {"count": count}
        )
    if summary.opted_out:
        count = len(summary.opted_out)
        parts.append(
            ngettext(
                "%(count)d a désactivé les rappels de cotisation",
                "%(count)d ont désactivé les rappels de cotisation",
                count,
            )
            % {"count": count}
        )
    if summary.inactive:
        count = len(summary.inactive)
        parts.append(
            ngettext("%(count)d membre non actif", "%(count)d membres non actifs", count)
            % {"count": count}
        )
    level = messages.SUCCESS if summary.sent else messages.WARNING
    messages.add_message(request, level, _("Relances : %(parts)s.") % {"parts": ", ".join(parts)})
    return redirect(target)


urlpatterns = [
    path("membres/cotisations/", fee_rule_list, name="fee_rule_list"),
    path("membres/cotisations/nouvelle/", fee_rule_create, name="fee_rule_create"),
    path("membres/cotisations/<int:pk>/modifier/", fee_rule_update, name="fee_rule_update"),
    path("membres/cotisations/<int:pk>/supprimer/", fee_rule_delete, name="fee_rule_delete"),
    path("membres/colleges/", college_list, name="college_list"),
    path("membres/colleges/nouveau/", college_create, name="college_create"),
    path("membres/colleges/<int:pk>/modifier/", college_update, name="college_update"),
    path("membres/<int:pk>/adhesions/nouvelle/", adhesion_create, name="adhesion_create"),
    path("membres/adhesions/<int:pk>/paiement/", payment_create, name="payment_create"),
    path("membres/adhesions/<int:pk>/remboursement/", refund_create, name="refund_create"),
    path(
        "membres/adhesions/<int:pk>/recu/",
        membership_receipt_request,
        name="membership_receipt_request",
    ),
    path(
        "membres/<int:pk>/attestation/<int:year>/",
        membership_attestation_request,
        name="membership_attestation_request",
    ),
    path("membres/rappels/", member_send_reminders, name="member_send_reminders"),
]
