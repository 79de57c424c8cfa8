"""The texts of the governance demo data: the agendas of past AGs and CA meetings, and the
minutes (procès-verbaux) written from a held meeting's data as a secretary would: attendance,
quorum, agenda, deliberations with each resolution's counts, the CA election, signatures."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from django.utils import timezone

if TYPE_CHECKING:
    from governance.demo_calendar import MeetingPlan

from cpts.models import Association
from governance.models import AttendanceStatus, BodyKind, MajorityRule, Mandate, Meeting
from governance.selectors.voting import quorum_for
from members.models import Member
from members.models.members import Civility

BOARD_TOPICS = [
    (
        "Avenant au contrat ACI",
        "Le conseil autorise le président à signer l'avenant annuel au "
        "contrat ACI et valide les indicateurs proposés à la CPAM.",
    ),
    (
        "Programme de formations pluriprofessionnelles",
        "Le conseil adopte le programme de "
        "formations de l'année (soins non programmés, insuffisance cardiaque, santé mentale).",
    ),
    (
        "Recrutement d'un·e chargé·e de mission",
        "Le conseil autorise le recrutement d'un·e "
        "chargé·e de mission prévention en CDD de douze mois.",
    ),
    (
        "Budget prévisionnel",
        "Le conseil arrête le budget prévisionnel soumis à l'assemblée générale.",
    ),
    (
        "Indemnisation des professionnels",
        "Le conseil fixe l'indemnisation des professionnels "
        "libéraux participant aux groupes de travail à 75 € la demi-journée.",
    ),
]


def ag_items(meeting: Meeting, previous: Meeting | None) -> list[tuple[str, str, str]]:
    year = timezone.localdate(meeting.starts_at).year
    closed = year - 1
    items = [
        (
            "Accueil, émargement et vérification du quorum",
            "Ouverture de la séance par le président.",
            "",
        )
    ]
    if previous is not None:
        when = f"{timezone.localdate(previous.starts_at):%d/%m/%Y}"
        items.append(
            (
                f"Approbation du procès-verbal de l'assemblée générale du {when}",
                "Le procès-verbal a été adressé aux membres avec la convocation.",
                f"L'assemblée générale approuve le procès-verbal de l'assemblée générale "
                f"ordinaire du {when}.",
            )
        )
    items += [
        (
            f"Rapport moral et rapport d'activité {closed}",
            "Présentation par le président et la coordinatrice : missions socles du contrat ACI, "
            "groupes de travail, adhésions.",
            f"L'assemblée générale, après avoir entendu le rapport moral du président et le "
            f"rapport d'activité {closed}, les approuve.",
        ),
        (
            f"Approbation des comptes {closed} et quitus au trésorier",
            "Présentation du compte de résultat et du bilan par le trésorier.",
            f"L'assemblée générale approuve les comptes de l'exercice {closed} tels qu'ils lui ont "
            f"été présentés et donne quitus au trésorier pour sa gestion.",
        ),
        (
            f"Affectation du résultat {closed}",
            "Proposition du conseil d'administration.",
            f"L'assemblée générale décide d'affecter le résultat de l'exercice {closed} au report "
            f"à nouveau.",
        ),
        (
            f"Budget prévisionnel {year}",
            "Budget arrêté par le conseil d'administration.",
            f"L'assemblée générale adopte le budget prévisionnel {year}.",
        ),
        (
            f"Montant de la cotisation {year + 1}",
            "Proposition de maintien des montants.",
            f"L'assemblée générale fixe la cotisation {year + 1} à 20 € pour les personnes, 50 € "
            f"pour les structures ; elle est gratuite pour le collège des usagers et élus.",
        ),
    ]
    if previous is None:
        items.append(
            (
                "Élection du conseil d'administration",
                "Renouvellement des administrateurs, collège par collège, pour trois ans.",
                "",
            )
        )
    items.append(("Questions diverses", "", ""))
    return items


def board_items(plan: MeetingPlan, meeting: Meeting, index: int) -> list[tuple[str, str, str]]:
    day = plan.day
    if plan.kind == "bureau":
        return [
            ("Suivi du budget et de la trésorerie", "Point de la trésorière.", ""),
            ("Préparation du prochain conseil d'administration", "", ""),
            ("Avancement des missions du contrat ACI", "Point de la coordinatrice.", ""),
        ]
    chosen = Mandate.objects.filter(elected_at=meeting).select_related("member")
    items: list[tuple[str, str, str]] = []
    if chosen.filter(body__kind=BodyKind.BUREAU, start_date=day).count() > 2:
        names = ", ".join(
            f"{m.get_role_display().lower()} : {person_name(m.member)}"
            for m in chosen.filter(body__kind=BodyKind.BUREAU).order_by("role")
        )
        return [
            (
                "Élection du bureau",
                "Candidatures des administrateurs élus ce jour.",
                f"Le conseil d'administration élit le bureau ({names}).",
            )
        ]
    previous = Meeting.objects.filter(body=plan.body, starts_at__lt=meeting.starts_at).first()
    if previous is not None:
        when = f"{timezone.localdate(previous.starts_at):%d/%m/%Y}"
        items.append(
            (
                f"Approbation du procès-verbal de la séance du {when}",
                "",
                f"Le conseil d'administration approuve le procès-verbal de sa séance du {when}.",
            )
        )
    for mandate in chosen.filter(body__kind=BodyKind.CA).select_related("college"):
        name = person_name(mandate.member)
        items.append(
            (
                f"Cooptation : {name}",
                "Siège laissé vacant par une démission.",
                f"Le conseil d'administration coopte {name} au titre du collège "
                f"« {mandate.college} » pour la durée du mandat restant à courir.",
            )
        )
    for mandate in chosen.filter(body__kind=BodyKind.BUREAU):
        role = mandate.get_role_display().lower()
        items.append(
            (
                f"Élection : {role}",
                "",
                f"Le conseil d'administration élit {person_name(mandate.member)} "
                f"{role} à compter du {day:%d/%m/%Y}.",
            )
        )
    topic, text = BOARD_TOPICS[index % len(BOARD_TOPICS)]
    items.append((topic, "", text))
    items.append(("Questions diverses", "", ""))
    return items


MAJORITIES: dict[str, str] = {
    MajorityRule.SIMPLE: "à la majorité simple des suffrages exprimés",
    MajorityRule.ABSOLUTE: "à la majorité absolue des membres présents ou représentés",
    MajorityRule.TWO_THIRDS: "à la majorité des deux tiers des suffrages exprimés",
}


def person_name(member: Member) -> str:
    """ "Jeanne Roux" for a person (as they sign), the name of a structure otherwise."""
    if member.is_person:
        return " ".join(part for part in (member.first_name, member.last_name) if part)
    return member.display_name


def _title(member: Member | None, masculine: str, feminine: str) -> str:
    if member is not None and member.civility == Civility.MADAME:
        return feminine
    return masculine


def _attendance_lines(meeting: Meeting) -> list[str]:
    rows = list(meeting.attendances.select_related("member").order_by("member__last_name"))
    counts = Counter(row.status for row in rows)
    figures = (
        f"Présents : {counts[AttendanceStatus.PRESENT]} ; "
        f"représentés : {counts[AttendanceStatus.REPRESENTED]} ; "
        f"excusés : {counts[AttendanceStatus.EXCUSED]} ; "
        f"absents : {counts[AttendanceStatus.ABSENT]}."
    )
    if meeting.body.kind == BodyKind.AG:
        return [figures]
    by_status = {
        label: ", ".join(person_name(r.member) for r in rows if r.status == status)
        for status, label in (
            (AttendanceStatus.PRESENT, "Présents"),
            (AttendanceStatus.EXCUSED, "Excusés"),
            (AttendanceStatus.ABSENT, "Absents"),
        )
    }
    return [f"{label} : {names}." for label, names in by_status.items() if names]


def _quorum_lines(meeting: Meeting) -> list[str]:
    quorum = quorum_for(meeting)
    if quorum is None:
        return []
    who = "membres à jour de cotisation" if meeting.body.kind == BodyKind.AG else "membres"
    verdict = (
        "le quorum est atteint, l'instance peut valablement délibérer."
        if quorum.reached
        else "le quorum n'est pas atteint."
    )
    return [
        f"Sur {quorum.voting_members} {who} ayant voix délibérative, {quorum.counted} sont "
        f"présents ou représentés ({quorum.present} présents, {quorum.represented} "
        f"représentés) pour un quorum de {quorum.required} : {verdict}"
    ]


def minutes_text(meeting: Meeting, chair: Member | None, secretary: Member | None) -> str:
    association = Association.objects.get_solo()
    starts = timezone.localtime(meeting.starts_at)
    ends = timezone.localtime(meeting.ends_at or meeting.starts_at)
    where = meeting.place or "en visioconférence"
    chair_title = _title(chair, "le président", "la présidente")
    secretary_title = _title(secretary, "le secrétaire", "la secrétaire")
    lines = [
        association.name,
        f"{meeting.body.name} — procès-verbal de la séance du {starts:%d/%m/%Y}",
        "",
        f"Le {starts:%d/%m/%Y} à {starts:%H} h {starts:%M}, les membres se sont réunis ({where}) "
        f"sur convocation régulière.",
        *_attendance_lines(meeting),
        *_quorum_lines(meeting),
    ]
    if chair is not None:
        lines.append(f"La séance est présidée par {person_name(chair)}, {chair_title}.")
    if secretary is not None:
        lines.append(f"{person_name(secretary)}, {secretary_title}, assure le secrétariat.")
    items = list(meeting.agenda_items.order_by("position"))
    lines += ["", "Ordre du jour :"]
    lines += [f"{number}. {item.title}" for number, item in enumerate(items, start=1)]
    lines += ["", "Délibérations"]
    resolutions = {r.agenda_item_id: r for r in meeting.resolutions.all()}
    elections = list(
        meeting.elections.select_related("college").prefetch_related("candidates__member")
    )
    for number, item in enumerate(items, start=1):
        lines += ["", f"{number}. {item.title}"]
        if item.description:
            lines.append(item.description)
        resolution = resolutions.get(item.pk)
        if resolution is not None:
            verdict = "adoptée" if resolution.adopted else "rejetée"
            lines.append(
                f"Résolution n° {resolution.position} : {resolution.text} Pour : "
                f"{resolution.votes_for}, contre : {resolution.votes_against}, abstentions : "
                f"{resolution.abstentions} ({resolution.voters} votants). La résolution est "
                f"{verdict} {MAJORITIES.get(resolution.majority, '')}."
            )
        if item.title.startswith("Élection du conseil") and elections:
            for election in elections:
                results = ", ".join(
                    f"{person_name(c.member)} {c.votes} voix{' (élu·e)' if c.elected else ''}"
                    for c in election.candidates.all()
                )
                lines.append(
                    f"Collège « {election.college} » ({election.seats} sièges) : {results}."
                )
    lines += [
        "",
        f"L'ordre du jour étant épuisé, la séance est levée à {ends:%H} h {ends:%M}.",
    ]
    return "\n".join(lines)
