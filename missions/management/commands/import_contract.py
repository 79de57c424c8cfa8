"""``python manage.py import_contract FILE [--replace] [--dry-run]``: load a contract annex
file (docs/contract-annex.md) into its year of the current contract, all or nothing.

Every error goes to stderr with the path of the faulty entry (``missions[2].lines[4].amount:
…``) and the command exits 1 with nothing written. A year that already has lines is only
replaced with ``--replace``. ``--dry-run`` prints what the import would do and writes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from cpts.command_files import read_input
from missions.annex import AnnexInvalid, parse_annex
from missions.selectors.annex import (
    ADDED,
    REMOVED,
    UNCHANGED,
    UPDATED,
    AnnexPlan,
    annex_plan,
    annex_year,
    euros,
)
from missions.services.annex import AnnexRefused, import_annex, replace_refusal


class Command(BaseCommand):
    help = "Importe l'annexe d'une année du contrat ACI en cours depuis un fichier YAML."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Fichier YAML de l'annexe (voir docs/contract-annex.md)")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Remplace les enveloppes et lignes d'une année qui en a déjà (les "
            "justificatifs des lignes retrouvées sont conservés).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Vérifie le fichier et affiche ce qui serait fait, sans rien enregistrer.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        content = read_input(path)
        try:
            annex = parse_annex(content)
            if options["dry_run"]:
                plan = annex_plan(annex_year(annex), annex)
                if plan.needs_replace and not options["replace"]:
                    raise AnnexRefused(replace_refusal(plan))
            else:
                plan = import_annex(annex, replace=options["replace"])
        except AnnexInvalid as invalid:
            for problem in invalid.errors:
                self.stderr.write(str(problem))
            raise CommandError(
                _("Import refusé : %(count)s erreur(s), rien n'a été enregistré.")
                % {"count": len(invalid.errors)},
                returncode=1,
            ) from invalid
        except AnnexRefused as refused:
            raise CommandError(str(refused), returncode=1) from refused
        for line in describe_plan(plan):
            self.stdout.write(line)
        if options["dry_run"]:
            self.stdout.write(_("Vérification seule : rien n'a été enregistré."))
        else:
            self.stdout.write(
                _("Annexe de l'année %(number)s importée.") % {"number": plan.year.number}
            )


def describe_plan(plan: AnnexPlan) -> list[str]:
    """The plan as French text lines (mission by mission, then the counts)."""
    statuses = {
        ADDED: _("ajoutée"),
        UPDATED: _("mise à jour"),
        UNCHANGED: _("inchangée"),
        REMOVED: _("supprimée"),
    }
    signs = {ADDED: "+", UPDATED: "~", UNCHANGED: "=", REMOVED: "-"}
    out = [
        _("Année %(number)s du contrat (du %(start)s au %(end)s)")
        % {
            "number": plan.year.number,
            "start": plan.year.start.strftime("%d/%m/%Y"),
            "end": plan.year.end.strftime("%d/%m/%Y"),
        }
    ]
    if plan.crisis_change is not None:
        out.append(
            _("Crise sanitaire reconnue : %(new)s")
            % {"new": _("oui") if plan.crisis_change[1] else _("non")}
        )
    for mission in plan.missions:
        out.append(f"{mission.mission.key} — {mission.mission.name} : {statuses[mission.status]}")
        if mission.choose_mission:
            out.append("  " + _("mission ajoutée aux missions choisies du contrat"))
        for name, old, new in mission.envelope_changes:
            out.append(
                "  " + _("%(name)s : %(old)s → %(new)s") % {"name": name, "old": old, "new": new}
            )
        for line in mission.lines:
            text = f"  {signs[line.status]} « {line.label} » ({statuses[line.status]}"
            if line.changes and line.status == UPDATED:
                text += " : " + ", ".join(line.changes)
            text += ")"
            if line.proofs and line.status == REMOVED:
                text += " — " + _("%(count)s justificatif(s) supprimé(s)") % {"count": line.proofs}
            elif line.proofs:
                text += " — " + _("%(count)s justificatif(s) conservé(s)") % {"count": line.proofs}
            out.append(text)
            for label in line.livrables_kept:
                out.append(
                    "    "
                    + _("livrable « %(label)s » absent du fichier, conservé pour ses justificatifs")
                    % {"label": label}
                )
            for label in line.livrables_removed:
                out.append("    " + _("livrable « %(label)s » supprimé") % {"label": label})
        if mission.lines_mismatch and mission.annex is not None:
            out.append(
                "  "
                + _(
                    "attention : les lignes totalisent %(lines)s, la part variable est de "
                    "%(variable)s"
                )
                % {
                    "lines": euros(mission.lines_potential),
                    "variable": euros(mission.annex.variable),
                }
            )
    counts = plan.counts
    out.append(
        _(
            "lignes ajoutées: %(added)s, mises à jour: %(updated)s, inchangées: %(unchanged)s, "
            "supprimées: %(removed)s ; justificatifs conservés: %(kept)s, supprimés: %(deleted)s"
        )
        % {**counts, "kept": plan.proofs_kept, "deleted": plan.proofs_deleted}
    )
    return out
