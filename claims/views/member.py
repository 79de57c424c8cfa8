"""The adherent's side of the claims, made for a phone: the portal card, declaring time
(one tap from an attended activity, or by hand), declaring an expense with its receipt, my
claims (edit or withdraw while submitted), my bank details and my annual statement. Every
view needs ``portal.view`` and a member record; another member's claim is a 404."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from claims.forms import (
    BankAccountForm,
    DeclareExpenseForm,
    DeclareTimeForm,
    EditClaimForm,
    apply_service_error,
    statement_years,
)
from claims.models import BankAccount, Claim, ClaimStatus
from claims.selectors import claimable_activities, member_claims
from claims.services.bank import set_bank_account
from claims.services.declare import declare_expense, declare_time, update_claim, withdraw_claim
from claims.views._shared import euros, paginate, source_object
from cpts.jobs import request_document
from cpts.models import GeneratedDocument
from cpts.permissions import permission_required
from cpts.selectors.documents import document_info
from cpts.views.documents import document_file_response
from cpts.views.messaging import error_text, logged_in_user
from members.models import Member
from members.selectors.portal import member_for_user
from members.views.portal import member_required

STATEMENT_KIND = "claims_statement"
CARD_CLAIMS = 4
CARD_ACTIVITIES = 4


@permission_required("portal.view")
@require_safe
def portal_claims_cards(request: HttpRequest) -> HttpResponse:
    """The portal home card: what I can declare in one tap, my latest claims with their
    status (and why a claim was refused), my statements and bank details."""
    member = member_for_user(request.user)
    if member is None:
        return HttpResponse("")
    activities = [a for a in claimable_activities(member) if not a.already_claimed]
    return render(
        request,
        "claims/portal/_home_cards.html",
        {
            "activities": activities[:CARD_ACTIVITIES],
            "more_activities": max(len(activities) - CARD_ACTIVITIES, 0),
            "recent": list(member_claims(member)[:CARD_CLAIMS]),
            "bank_account": BankAccount.objects.filter(member=member).first(),
            "years": statement_years(),
        },
    )


@permission_required("portal.view")
@require_safe
@member_required
def my_claims(request: HttpRequest, member: Member) -> HttpResponse:
    return render(
        request,
        "claims/portal/my_claims.html",
        {
            "page": paginate(request, member_claims(member), per_page=20),
            "activities": claimable_activities(member),
            "years": statement_years(),
        },
    )


def _source_from_query(request: HttpRequest) -> tuple[str, int] | None:
    kind = str(request.GET.get("source", ""))
    raw = str(request.GET.get("id", ""))
    if not kind and not raw:
        return None
    if kind not in ("meeting", "event", "shift") or not raw.isdigit() or len(raw) > 9:
        raise Http404
    return kind, int(raw)


@permission_required("portal.view")
@require_http_methods(["GET", "POST"])
@member_required
def claim_declare_time(request: HttpRequest, member: Member) -> HttpResponse:
    activity = None
    if request.method == "POST":
        form = DeclareTimeForm(request.POST, from_source=bool(request.POST.get("source_kind")))
        if form.is_valid():
            source = form.source()
            kwargs = form.service_kwargs()
            if source is not None:
                kwargs[source[0]] = source_object(*source)
            try:
                claims = declare_time(member, by=logged_in_user(request), **kwargs)
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                total = sum((c.amount for c in claims), Decimal("0"))
                messages.success(
                    request,
                    _(
                        "Votre demande est envoyée (%(amount)s €) : elle sera validée "
                        "puis approuvée."
                    )
                    % {"amount": euros(total)},
                )
                return redirect("portal_home")
        source = form.source()
        status = 400
    else:
        source = _source_from_query(request)
        initial: dict[str, object] = {"date": timezone.localdate()}
        if source is not None:
            source_object(*source)  # 404 for an unknown activity
            activity = next(
                (a for a in claimable_activities(member) if (a.source_kind, a.source_id) == source),
                None,
            )
            initial = {"source_kind": source[0], "source_id": source[1]}
            if activity is not None:
                initial.update(
                    hours=activity.hours, date=activity.date, activity_kind=activity.activity_kind
                )
        form = DeclareTimeForm(initial=initial, from_source=source is not None)
        status = 200
    if source is not None and activity is None:
        activity = next(
            (a for a in claimable_activities(member) if (a.source_kind, a.source_id) == source),
            None,
        )
    return render(
        request,
        "claims/portal/declare_time.html",
        {"form": form, "activity": activity, "from_source": form.from_source},
        status=status,
    )


@permission_required("portal.view")
@require_http_methods(["GET", "POST"])
@member_required
def claim_declare_expense(request: HttpRequest, member: Member) -> HttpResponse:
    if request.method == "POST":
        form = DeclareExpenseForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                declare_expense(
                    member,
                    by=logged_in_user(request),
                    date=data["date"],
                    amount=data["amount"],
                    receipt=data.get("receipt"),
                    justification=data["justification"],
                    mission=data.get("mission"),
                )
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, _("Votre note de frais est envoyée."))
                return redirect("my_claims")
        status = 400
    else:
        form = DeclareExpenseForm(initial={"date": timezone.localdate()})
        status = 200
    return render(request, "claims/portal/declare_expense.html", {"form": form}, status=status)


def _own_claim(member: Member, pk: int) -> Claim:
    claim = member_claims(member).filter(pk=pk).first()
    if claim is None:
        raise Http404
    return claim


@permission_required("portal.view")
@require_http_methods(["GET", "POST"])
@member_required
def my_claim_edit(request: HttpRequest, member: Member, pk: int) -> HttpResponse:
    claim = _own_claim(member, pk)
    if claim.status != ClaimStatus.SUBMITTED:
        messages.error(request, _("Cette demande n'est plus modifiable : elle a déjà été traitée."))
        return redirect("claim_detail", pk=claim.pk)
    if request.method == "POST":
        form = EditClaimForm(request.POST, nature=claim.nature)
        if form.is_valid():
            try:
                update_claim(claim, by=logged_in_user(request), **form.changed_fields())
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, _("Votre demande est modifiée."))
                return redirect("claim_detail", pk=claim.pk)
        status = 400
    else:
        form = EditClaimForm(
            nature=claim.nature,
            initial={
                "date": claim.date,
                "hours": claim.hours,
                "km": claim.km,
                "amount": claim.amount,
                "justification": claim.justification,
            },
        )
        status = 200
    return render(request, "claims/portal/edit.html", {"form": form, "claim": claim}, status=status)


@permission_required("portal.view")
@require_POST
@member_required
def my_claim_withdraw(request: HttpRequest, member: Member, pk: int) -> HttpResponse:
    claim = _own_claim(member, pk)
    try:
        withdraw_claim(claim, by=logged_in_user(request))
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("claim_detail", pk=claim.pk)
    messages.success(request, _("Votre demande est retirée."))
    return redirect("my_claims")


@permission_required("portal.view")
@require_http_methods(["GET", "POST"])
@member_required
def my_bank_account(request: HttpRequest, member: Member) -> HttpResponse:
    account = BankAccount.objects.filter(member=member).first()
    if request.method == "POST":
        form = BankAccountForm(request.POST)
        if form.is_valid():
            try:
                set_bank_account(member, by=logged_in_user(request), **form.cleaned_data)
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, _("Vos coordonnées bancaires sont enregistrées."))
                return redirect("portal_home")
        status = 400
    else:
        form = BankAccountForm(
            initial={"holder": account.holder if account else member.display_name}
        )
        status = 200
    return render(
        request,
        "claims/portal/bank_account.html",
        {"form": form, "account": account},
        status=status,
    )


# --- Annual statement (a generated PDF) ------------------------------------------------


@permission_required("portal.view")
@require_POST
@member_required
def my_statement_request(request: HttpRequest, member: Member, year: int) -> HttpResponse:
    if year not in statement_years():
        raise Http404
    document = request_document(
        STATEMENT_KIND,
        requested_by=logged_in_user(request),
        parameters={"member": member.pk, "year": year},
    )
    messages.success(request, _("Votre relevé est en cours de préparation."))
    return redirect("my_statement", pk=document.pk)


def _own_statement(request: HttpRequest, pk: int) -> GeneratedDocument:
    document = GeneratedDocument.objects.filter(
        pk=pk, requested_by=logged_in_user(request), kind=STATEMENT_KIND
    ).first()
    if document is None:
        raise Http404(_("Ce document n'existe pas."))
    return document


@permission_required("portal.view")
@require_safe
def my_statement(request: HttpRequest, pk: int) -> HttpResponse:
    info = document_info(_own_statement(request, pk))
    template = (
        "claims/portal/_statement_progress.html"
        if request.headers.get("HX-Request")
        else "claims/portal/statement.html"
    )
    return render(request, template, {"info": info, "document": info.document})


@permission_required("portal.view")
@require_safe
def my_statement_download(request: HttpRequest, pk: int) -> FileResponse:
    return document_file_response(_own_statement(request, pk))


urlpatterns = [
    path("portail/carte/", portal_claims_cards, name="portal_claims_cards"),
    path("mes-demandes/", my_claims, name="my_claims"),
    path("declarer/", claim_declare_time, name="claim_declare_time"),
    path("frais/", claim_declare_expense, name="claim_declare_expense"),
    path("mes-demandes/<int:pk>/modifier/", my_claim_edit, name="my_claim_edit"),
    path("mes-demandes/<int:pk>/retirer/", my_claim_withdraw, name="my_claim_withdraw"),
    path("coordonnees-bancaires/", my_bank_account, name="my_bank_account"),
    path("releve/<int:year>/", my_statement_request, name="my_statement_request"),
    path("releve/document/<int:pk>/", my_statement, name="my_statement"),
    path(
        "releve/document/<int:pk>/telecharger/",
        my_statement_download,
        name="my_statement_download",
    ),
]
