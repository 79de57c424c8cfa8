"""Reviewing claims: the validation queue (coordinator, référents for their groups'
meetings), the approval queue of the treasurer (filters, cap badges, bulk approve), one
claim's page with its history, validate / approve / refuse with a reason."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from claims.forms import ApprovalFilterForm, RefuseForm, apply_service_error
from claims.models import Claim, ClaimStatus
from claims.selectors import approval_queue, can_approve, can_validate, validation_queue
from claims.services.workflow import approve_claim, approve_claims, refuse_claim, validate_claim
from claims.views._shared import CLAIM_RELATED, claim_or_404, next_url, paginate
from cpts.permissions import permission_required, user_can
from cpts.selectors.audit import audit_rows, history_for
from cpts.views.messaging import error_text, logged_in_user
from members.selectors.portal import member_for_user

MAX_BULK = 200


def _may_see(request: HttpRequest, claim: Claim) -> bool:
    user = request.user
    if user_can(user, "finance.view"):
        return True
    member = member_for_user(user)
    if member is not None and claim.member_id == member.pk:
        return True
    return can_validate(user, claim)


STEP_MOMENTS = ("validated_at", "approved_at", "refused_at")


@permission_required("portal.view")
@require_safe
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One claim: its lines, status, refusal reason and history. The member, the people
    who can validate it and the finance team see it; for anyone else it does not exist."""
    claim = claim_or_404(pk)
    if not _may_see(request, claim):
        raise Http404
    user = request.user
    member = member_for_user(user)
    return render(
        request,
        "claims/claim_detail.html",
        {
            "claim": claim,
            # The moment of each step is the entry's own date (shown as dd/mm/yyyy hh:mm).
            "history": audit_rows(history_for(claim), skip_fields=STEP_MOMENTS),
            "is_own": member is not None and claim.member_id == member.pk,
            "can_validate": claim.status == ClaimStatus.SUBMITTED and can_validate(user, claim),
            "can_approve": claim.status == ClaimStatus.VALIDATED and can_approve(user, claim),
            "refuse_form": RefuseForm(),
        },
    )


@permission_required("portal.view")
@require_safe
def claim_receipt(request: HttpRequest, pk: int) -> FileResponse:
    """The receipt of an expense, for whoever may see the claim."""
    claim = claim_or_404(pk)
    if not _may_see(request, claim) or not claim.receipt:
        raise Http404
    try:
        handle = claim.receipt.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("Le justificatif est introuvable.")) from exc
    return FileResponse(handle, as_attachment=True, filename=PurePosixPath(claim.receipt.name).name)


@permission_required("claims.validate", "groups.lead")
@require_safe
def validation_queue_page(request: HttpRequest) -> HttpResponse:
    rows = validation_queue(request.user).select_related(*CLAIM_RELATED)
    return render(
        request,
        "claims/validation_queue.html",
        {"page": paginate(request, rows), "refuse_form": RefuseForm(), "nav_section": "claims"},
    )


def _back(request: HttpRequest, claim: Claim) -> HttpResponse:
    """Back to the page the action was taken from (a queue with its filters and page, named
    by ``next``), else to the claim's page."""
    return redirect(next_url(request) or reverse("claim_detail", args=[claim.pk]))


@permission_required("claims.validate", "groups.lead")
@require_POST
def claim_validate(request: HttpRequest, pk: int) -> HttpResponse:
    claim = claim_or_404(pk)
    if not can_validate(request.user, claim):
        raise Http404
    try:
        validate_claim(claim, by=logged_in_user(request))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _refusal_text(error))
    else:
        messages.success(
            request, _("La demande de %(member)s est validée.") % {"member": claim.member}
        )
    return _back(request, claim)


@permission_required("finance.approve")
@require_POST
def claim_approve(request: HttpRequest, pk: int) -> HttpResponse:
    claim = claim_or_404(pk)
    try:
        approve_claim(claim, by=logged_in_user(request))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _refusal_text(error))
    else:
        messages.success(
            request, _("La demande de %(member)s est approuvée.") % {"member": claim.member}
        )
    return _back(request, claim)


def _refusal_text(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, ValidationError):
        return error_text(error)
    return _("Vous ne pouvez pas traiter cette demande (la vôtre, ou validée par vous).")


@permission_required("claims.validate", "groups.lead", "finance.approve")
@require_http_methods(["GET", "POST"])
def claim_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    claim = claim_or_404(pk)
    # The service checks the status and the four-eyes rule; here: may this person act on it.
    if not (can_validate(request.user, claim) or user_can(request.user, "finance.approve")):
        raise Http404
    form = RefuseForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                refuse_claim(claim, by=logged_in_user(request), reason=form.cleaned_data["reason"])
            except PermissionDenied as error:
                form.add_error(None, _refusal_text(error))
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("La demande de %(member)s est refusée ; le motif lui est communiqué.")
                    % {"member": claim.member},
                )
                return _back(request, claim)
        status = 400
    return render(
        request,
        "claims/refuse.html",
        {"claim": claim, "form": form, "next": next_url(request)},
        status=status,
    )


@permission_required("finance.approve")
@require_safe
def approval_queue_page(request: HttpRequest) -> HttpResponse:
    filters = ApprovalFilterForm(request.GET or None)
    rows = approval_queue(**filters.selector_kwargs()).select_related(*CLAIM_RELATED)
    return render(
        request,
        "claims/approval_queue.html",
        {
            "filters": filters,
            "page": paginate(request, rows),
            "nav_section": "claims",
        },
    )


@permission_required("finance.approve")
@require_POST
def claims_bulk_approve(request: HttpRequest) -> HttpResponse:
    raw = request.POST.getlist("claims")
    ids = [int(v) for v in raw if v.isdigit() and len(v) < 10][:MAX_BULK]
    if not ids:
        messages.error(request, _("Cochez au moins une demande à approuver."))
        return redirect(next_url(request) or reverse("approval_queue"))
    chosen = list(
        Claim.objects.select_related("member").filter(pk__in=ids, status=ClaimStatus.VALIDATED)
    )
    outcome = approve_claims(chosen, by=logged_in_user(request))
    if outcome.approved:
        count = len(outcome.approved)
        messages.success(
            request,
            ngettext("%(count)s demande approuvée.", "%(count)s demandes approuvées.", count)
            % {"count": count},
        )
    for claim, reason in outcome.rejected:
        messages.error(
            request,
            _("%(member)s, %(date)s : %(reason)s")
            % {"member": claim.member, "date": f"{claim.date:%d/%m/%Y}", "reason": reason},
        )
    skipped = len(ids) - len(chosen)
    if skipped:
        messages.warning(
            request,
            ngettext(
                "%(count)s demande n'était plus à approuver.",
                "%(count)s demandes n'étaient plus à approuver.",
                skipped,
            )
            % {"count": skipped},
        )
    return redirect(next_url(request) or reverse("approval_queue"))


urlpatterns = [
    path("demandes/<int:pk>/", claim_detail, name="claim_detail"),
    path("demandes/<int:pk>/justificatif/", claim_receipt, name="claim_receipt"),
    path("demandes/<int:pk>/valider/", claim_validate, name="claim_validate"),
    path("demandes/<int:pk>/approuver/", claim_approve, name="claim_approve"),
    path("demandes/<int:pk>/refuser/", claim_refuse, name="claim_refuse"),
    path("validation/", validation_queue_page, name="validation_queue"),
    path("approbation/", approval_queue_page, name="approval_queue"),
    path("approbation/groupee/", claims_bulk_approve, name="claims_bulk_approve"),
]
