"""Users and roles: the coordination lists the accounts with the roles they hold, and
deactivates or reactivates accounts. Roles are read-only here: they come from running
mandates (managed in the governance pages) and from the coordination team's staff flag."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cpts.forms.users import UserSearchForm
from cpts.models import User
from cpts.permissions import permission_required
from cpts.selectors.accounts import account_roles, users
from cpts.services.accounts import toggle_active

PAGE_SIZE = 25


@permission_required("accounts.manage")
def user_list(request: HttpRequest) -> HttpResponse:
    search_form = UserSearchForm(request.GET or None)
    search = search_form.cleaned_data["q"] if search_form.is_valid() else ""
    page = Paginator(users(search), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = account_roles(page.object_list)
    context = {"page": page, "rows": rows, "search_form": search_form, "search": search}
    if getattr(request, "htmx", False) and not request.htmx.boosted:  # type: ignore[attr-defined]
        return render(request, "accounts/_user_table.html", context)
    return render(request, "accounts/user_list.html", context)


@permission_required("accounts.manage")
@require_safe
def user_roles(request: HttpRequest, pk: int) -> HttpResponse:
    """Read-only: the account's running mandates and the role each grants."""
    account = get_object_or_404(User.objects.select_related("member"), pk=pk)
    (row,) = account_roles([account])
    return render(request, "accounts/user_roles.html", {"account": account, "row": row})


@permission_required("accounts.manage")
@require_POST
def user_toggle_active(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(User, pk=pk)
    try:
        account = toggle_active(pk, by=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(_back_to_list(request))
    name = account.get_full_name() or account.email
    if account.is_active:
        messages.success(request, _("Compte de %(name)s réactivé.") % {"name": name})
    else:
        messages.success(
            request,
            _("Compte de %(name)s désactivé : cette personne ne peut plus se connecter.")
            % {"name": name},
        )
    return redirect(_back_to_list(request))


def _back_to_list(request: HttpRequest) -> str:
    """The users page, keeping the search and page the coordination was on."""
    target = request.POST.get("next", "")
    list_url = reverse("user_list")
    if target.startswith(list_url) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return target
    return list_url


urlpatterns = [
    path("", user_list, name="user_list"),
    path("<int:pk>/roles/", user_roles, name="user_roles"),
    path("<int:pk>/activation/", user_toggle_active, name="user_toggle_active"),
]
