"""The upload form of the import of indicator values: the file is read (and its header
checked) here, so that an unreadable file comes back as a French error on the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cpts.forms.invitations import BootstrapErrorsMixin
from indicators.importing import read_indicator_file
from members.importing import MAX_BYTES, ImportFileError

ACCEPTED_EXTENSIONS = (".xlsx", ".csv", ".txt")


class IndicatorImportForm(BootstrapErrorsMixin, forms.Form):
    fichier = forms.FileField(
        label=_("Fichier des valeurs (.xlsx ou .csv)"),
        help_text=_(
            "Classeur Excel (.xlsx) ou fichier CSV séparé par des points-virgules ou des "
            "virgules, en UTF-8 ou Windows-1252. Première ligne : indicateur, période, valeur "
            "(ventilation et commentaire facultatifs)."
        ),
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ",".join(ACCEPTED_EXTENSIONS)}
        ),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload = cleaned.get("fichier")
        if upload is None:
            return cleaned
        name = (upload.name or "").lower()
        if not name.endswith(ACCEPTED_EXTENSIONS):
            self.add_error("fichier", _("Envoyez un fichier .xlsx ou .csv."))
            return cleaned
        if upload.size and upload.size > MAX_BYTES:
            self.add_error("fichier", _("Le fichier dépasse 10 Mo : découpez-le."))
            return cleaned
        content = upload.read()
        try:
            cleaned["table"] = read_indicator_file(content, name)
        except ImportFileError as error:
            self.add_error("fichier", str(error))
            return cleaned
        cleaned["content"] = content
        cleaned["filename"] = upload.name
        return cleaned
