"""The Commune reference table (INSEE), loaded from the CSV shipped in cpts/data/."""

from __future__ import annotations

import unicodedata

from django.db import models
from django.utils.translation import gettext_lazy as _


def normalize_search(text: str) -> str:
    """Lower-case, accent-free, hyphen-free form used to search commune names."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(ascii_text.lower().replace("-", " ").replace("'", " ").split())


class Commune(models.Model):
    insee_code = models.CharField(_("code INSEE"), max_length=5, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    search_name = models.CharField(max_length=120, db_index=True, editable=False)
    kind = models.CharField(_("type"), max_length=32, default="commune-actuelle")
    departement = models.CharField(_("département"), max_length=3, db_index=True)
    region = models.CharField(_("région"), max_length=3)
    epci_siren = models.CharField(_("EPCI (SIREN)"), max_length=9, blank=True)
    population = models.PositiveIntegerField(_("population"), default=0)
    postal_codes = models.CharField(
        _("codes postaux"), max_length=200, blank=True, help_text=_("Séparés par des espaces.")
    )

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ("name", "insee_code")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(insee_code__regex=r"^[0-9][0-9AB][0-9]{3}$"),
                name="commune_insee_code_format",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.departement})"

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_name = normalize_search(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def postal_code_list(self) -> list[str]:
        return self.postal_codes.split()
