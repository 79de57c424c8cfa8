"""Joining: the public "Demander à adhérer" form and the coordination's queue of requests
(accept: the member is created and invited; decline: with a reason, emailed)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cpts.permissions import permission_required
from members.forms.joining import DeclineForm, MembershipRequestForm
from members.models import Member, MembershipRequest
from members.models.joining import RequestStatus
from members.selectors.joining import conflicting_members, membership_requests, request_counts
from members.services.joining import (
    accept_request,
    count_join_attempt,
    decline_request,
    join_rate_limited,
    submit_request,
)

PAGE_SIZE = 25
STATUS_FILTERS = {
    "en-attente": RequestStatus.PENDING,
    "acceptees": RequestStatus.ACCEPTED,
    "refusees": RequestStatus.DECLINED,
}
STATUS_TAB_LABELS = {
    "en-attente": gettext_lazy("En attente"),
    "acceptees": gettext_lazy("Acceptées"),
    "refusees": gettext_lazy("Refusées"),
}


def client_ip(request: HttpRequest) -> str:
    """The visitor's address. Behind the production reverse proxy (SECURE_PROXY_SSL_HEADER
    set), the last X-Forwarded-For entry is the one the proxy added; anything before it is
    typed by the client and ignored."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.SECURE_PROXY_SSL_HEADER and forwarded:
        return forwarded.split(",")[-1].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


def member_page_url(member: Member) -> str:
    """The member's page (the member-pages module's ``member_detail``), or the member list."""
    for name, args in (("member_detail", [member.pk]), ("member_list", [])):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return reverse("membership_request_list")


def member_list_url() -> str:
    """The member list (the list module's ``member_list``), or the request queue."""
    try:
        return reverse("member_list")
    except NoReverseMatch:
        return reverse("membership_request_list")


def membership_request_create(request: HttpRequest) -> HttpResponse:
    """Public on purpose (no login): people who are not members yet have no account. Spam is
    kept out by a honeypot field (bots are silently dropped) and a per-address rate limit
    (429). Nothing is published: a request only lands in the coordination's queue."""
    if request.method == "GET" and request.headers.get("HX-Request") == "true":
        form = MembershipRequestForm(initial=request.GET.dict())
        return render(request, "members/joining/_college_field.html", {"form": form})
    ip = client_ip(request)
    if request.method == "POST":
        if join_rate_limited(ip):
            return render(request, "members/joining/rate_limited.html", status=429)
        form = MembershipRequestForm(request.POST)
        if form.is_spam:
            count_join_attempt(ip)
            return redirect("membership_request_done")
        if form.is_valid():
            try:
                submit_request(form.request_data())
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                count_join_attempt(ip)
                return redirect("membership_request_done")
    else:
        form = MembershipRequestForm()
    return render(request, "members/joining/request_form.html", {"form": form})


def membership_request_done(request: HttpRequest) -> HttpResponse:
    """Public on purpose: the confirmation shown after the public form (static text only)."""
    return render(request, "members/joining/request_done.html")


@permission_required("members.manage")
def membership_request_list(request: HttpRequest) -> HttpResponse:
    key = request.GET.get("statut", "en-attente")
    if key not in STATUS_FILTERS:
        key = "en-attente"
    page = Paginator(membership_requests(STATUS_FILTERS[key]), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    counts = request_counts()
    tabs = [
        (value, STATUS_TAB_LABELS[value], counts[code]) for value, code in STATUS_FILTERS.items()
    ]
    return render(
        request, "members/joining/request_list.html", {"page": page, "status": key, "tabs": tabs}
    )


def _detail(
    request: HttpRequest,
    membership_request: MembershipRequest,
    decline_form: DeclineForm | None = None,
) -> HttpResponse:
    pending = membership_request.status == RequestStatus.PENDING
    context = {
        "membership_request": membership_request,
        "pending": pending,
        "conflicts": list(conflicting_members(membership_request)[:5]) if pending else [],
        "decline_form": decline_form or DeclineForm(),
        "member_url": member_page_url(membership_request.member)
        if membership_request.member
        else "",
    }
    return render(request, "members/joining/request_detail.html", context)


def _request_or_404(pk: int) -> MembershipRequest:
    return get_object_or_404(
        MembershipRequest.objects.select_related(
            "profession", "college", "commune", "member", "decided_by"
        ),
        pk=pk,
    )


@permission_required("members.manage")
def membership_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _request_or_404(pk))


@permission_required("members.manage")
@require_POST
def membership_request_accept(request: HttpRequest, pk: int) -> HttpResponse:
    membership_request = _request_or_404(pk)
    try:
        member, invitation = accept_request(
            membership_request,
            by=request.user,  # type: ignore[arg-type]
            build_absolute_uri=request.build_absolute_uri,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("membership_request_detail", pk=pk)
    if invitation is not None:
        text = _(
            "%(name)s est désormais membre ; une invitation à créer son compte a été envoyée "
            "à %(email)s."
        ) % {"name": member.display_name, "email": invitation.email}
    else:
        text = _(
            "%(name)s est désormais membre ; son adresse a déjà un compte ou une invitation en "
            "attente : aucune nouvelle invitation n'a été envoyée."
        ) % {"name": member.display_name}
    messages.success(request, text)
    return redirect(member_page_url(member))


@permission_required("members.manage")
@require_POST
def membership_request_decline(request: HttpRequest, pk: int) -> HttpResponse:
    membership_request = _request_or_404(pk)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return _detail(request, membership_request, form)
    try:
        decline_request(
            membership_request,
            reason=form.cleaned_data["reason"],
            by=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("membership_request_detail", pk=pk)
    messages.success(
        request,
        _("Demande refusée ; le motif a été envoyé à %(email)s.")
        % {"email": membership_request.email},
    )
    return redirect("membership_request_list")


urlpatterns = [
    path("adherer/", membership_request_create, name="membership_request_create"),
    path("adherer/merci/", membership_request_done, name="membership_request_done"),
    path("membres/demandes/", membership_request_list, name="membership_request_list"),
    path(
        "membres/demandes/<int:pk>/",
        membership_request_detail,
        name="membership_request_detail",
    ),
    path(
        "membres/demandes/<int:pk>/accepter/",
        membership_request_accept,
        name="membership_request_accept",
    ),
    path(
        "membres/demandes/<int:pk>/refuser/",
        membership_request_decline,
        name="membership_request_decline",
    ),
]
