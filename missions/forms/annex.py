"""The upload form of the contract annex import: the file is read here (type, size, UTF-8),
its content checked afterwards by ``missions.annex.parse_annex`` for the preview."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cpts.forms.invitations import BootstrapErrorsMixin

ACCEPTED_EXTENSIONS = (".yaml", ".yml", ".txt")
MAX_BYTES = 1024 * 1024


class AnnexImportForm(BootstrapErrorsMixin, forms.Form):
    fichier = forms.FileField(
        label=_("Fichier de l'annexe (.yaml)"),
        help_text=_(
            "Le fichier YAML d'une année du contrat en cours, au format décrit dans "
            "docs/contract-annex.md (l'export d'une année en est un exemple)."
        ),
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ",".join(ACCEPTED_EXTENSIONS)}
        ),
    )
    replace = forms.BooleanField(
        label=_("Remplacer les lignes déjà saisies pour cette année"),
        help_text=_(
            "Obligatoire si l'année a déjà des lignes. Les lignes retrouvées (même mission, même "
            "intitulé) sont mises à jour et gardent leurs justificatifs ; les autres sont "
            "supprimées."
        ),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload = cleaned.get("fichier")
        if upload is None:
            return cleaned
        name = (upload.name or "").lower()
        if not name.endswith(ACCEPTED_EXTENSIONS):
            self.add_error("fichier", _("Envoyez un fichier .yaml."))
            return cleaned
        if upload.size and upload.size > MAX_BYTES:
            self.add_error("fichier", _("Le fichier dépasse 1 Mo : ce n'est pas une annexe."))
            return cleaned
        cleaned["content"] = upload.read()
        cleaned["filename"] = upload.name
        return cleaned
