"""The upload form of the import of indicator values: the file is read (and its header
checked) by the shared upload form, so that an unreadable file comes back as a French error on
the field."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cpts.forms.imports import UploadedTableForm
from indicators.importing import ImportTable, read_indicator_file


class IndicatorImportForm(UploadedTableForm):
    file_label = _("Fichier des valeurs (.xlsx ou .csv)")
    file_help_text = _(
        "Classeur Excel (.xlsx) ou fichier CSV séparé par des points-virgules ou des "
        "virgules, en UTF-8 ou Windows-1252. Première ligne : indicateur, période, valeur "
        "(ventilation et commentaire facultatifs)."
    )

    def read(self, content: bytes, filename: str) -> ImportTable:
        return read_indicator_file(content, filename)
