"""Alerts: the list, the form with its live count of recipients, the delivery log, and the
public read-confirmation page reached from the emailed link (the signed token is the
credential). Reading needs ``crisis.view``, sending ``crisis.manage``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from cpts.permissions import permission_required, user_can
from cpts.views.messaging import logged_in_user
from crisis.forms import AlertForm, raise_on
from crisis.models import Alert
from crisis.selectors.alerts import (
    DELIVERY_FILTERS,
    SegmentChoice,
    alert_list,
    deliveries,
    delivery_figures,
    delivery_for_token,
    segment_count,
    segment_label,
)
from crisis.services.alerts import check_segment, confirm_read, send_alert

PAGE_SIZE = 25
DELIVERY_PAGE_SIZE = 50


def _choice(form: AlertForm) -> SegmentChoice:
    data = form.cleaned_data
    return SegmentChoice(
        segment=data["segment"],
        profession=data.get("profession"),
        commune=data.get("commune"),
        group=data.get("group"),
    )


@permission_required("crisis.view")
@require_safe
def alert_list_view(request: HttpRequest) -> HttpResponse:
    page = Paginator(alert_list().order_by("-sent_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "crisis/alert_list.html",
        {"page": page, "can_manage": user_can(request.user, "crisis.manage")},
    )


@permission_required("crisis.manage")
@require_http_methods(["GET", "POST"])
def alert_create(request: HttpRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = AlertForm(request.POST)
        if form.is_valid():
            try:
                alert = send_alert(
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    choice=_choice(form),
                    activation=form.cleaned_data.get("activation"),
                    by=logged_in_user(request),
                )
            except ValidationError as error:
                raise_on(form, error)
            else:
                messages.success(
                    request,
                    _("L'alerte « %(subject)s » part vers %(count)s destinataire(s).")
                    % {"subject": alert.subject, "count": alert.deliveries.count()},
                )
                return redirect("alert_detail", pk=alert.pk)
        status = 400
    else:
        activation = request.GET.get("crise", "")
        form = AlertForm(initial={"activation": activation} if activation.isdigit() else {})
    return render(request, "crisis/alert_form.html", {"form": form}, status=status)


@permission_required("crisis.manage")
@require_safe
def alert_preview(request: HttpRequest) -> HttpResponse:
    """The number of recipients of the segment being chosen (htmx fragment)."""
    form = AlertForm(request.GET)
    form.is_valid()  # only the segment fields matter here
    error = ""
    count = None
    if "segment" in form.cleaned_data:
        choice = SegmentChoice(
            segment=form.cleaned_data["segment"],
            profession=form.cleaned_data.get("profession"),
            commune=form.cleaned_data.get("commune"),
            group=form.cleaned_data.get("group"),
        )
        try:
            check_segment(choice)
        except ValidationError as refusal:
            error = " ".join(str(m) for m in refusal.messages)
        else:
            count = segment_count(choice)
    else:
        error = _("Choisissez les destinataires.")
    return render(request, "crisis/_alert_preview.html", {"count": count, "error": error})


@permission_required("crisis.view")
@require_safe
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_object_or_404(
        Alert.objects.select_related("sent_by", "activation", "profession", "commune", "group"),
        pk=pk,
    )
    status_filter = request.GET.get("filtre", "")
    if status_filter not in DELIVERY_FILTERS:
        status_filter = ""
    page = Paginator(deliveries(alert, status_filter), DELIVERY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "crisis/alert_detail.html",
        {
            "alert": alert,
            "segment": segment_label(alert),
            "figures": delivery_figures(alert),
            "page": page,
            "status_filter": status_filter,
        },
    )


# Public: reached from the emailed link, without an account (the signed token is the key).
@require_http_methods(["GET", "POST"])
def alert_read(request: HttpRequest, token: str) -> HttpResponse:
    delivery = delivery_for_token(token)
    if delivery is None:
        raise Http404
    if request.method == "POST":
        confirm_read(delivery)
        messages.success(request, _("Merci : votre lecture de l'alerte est confirmée."))
        return redirect("alert_read", token=token)
    return render(
        request, "crisis/alert_read.html", {"delivery": delivery, "alert": delivery.alert}
    )


urlpatterns = [
    path("crise/alertes/", alert_list_view, name="alert_list"),
    path("crise/alertes/nouvelle/", alert_create, name="alert_create"),
    path("crise/alertes/destinataires/", alert_preview, name="alert_preview"),
    path("crise/alertes/<int:pk>/", alert_detail, name="alert_detail"),
    path("alerte/<str:token>/", alert_read, name="alert_read"),
]
