"""URLs of the claims, under /indemnisations/; each view module declares its own paths."""

from django.urls import include, path

urlpatterns = [
    path("", include("claims.views.member")),
    path("", include("claims.views.review")),
    path("", include("claims.views.finance")),
]
