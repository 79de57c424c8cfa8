"""The upload form of the contract annex import: the file's type and size are checked here
(``UploadedFileForm``), its content afterwards by ``missions.annex.parse_annex`` for the preview."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cpts.forms.imports import UploadedFileForm


class AnnexImportForm(UploadedFileForm):
    file_label = _("Fichier de l'annexe (.yaml)")
    file_help_text = _(
        "Le fichier YAML d'une année du contrat en cours, au format décrit dans "
        "docs/contract-annex.md (l'export d'une année en est un exemple)."
    )
    accepted_extensions = (".yaml", ".yml", ".txt")
    max_bytes = 1024 * 1024
    wrong_type_message = _("Envoyez un fichier .yaml.")
    too_large_message = _("Le fichier dépasse 1 Mo : ce n'est pas une annexe.")

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
