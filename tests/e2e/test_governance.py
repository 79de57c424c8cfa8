"""The general assembly in a real browser, from convocation to the procès-verbal: the
coordinator creates and convenes the AG (emails with an .ics), an adherent gives a proxy from
the portal on a phone, then on the day the coordinator ticks attendance on the tablet page and
watches the live quorum, records a resolution and its show of hands, drafts the minutes and
downloads their PDF, which holds the resolution and the attendance figures."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cpts.models import Association, GeneratedDocument, User
from governance.models import (
    Attendance,
    AttendanceStatus,
    Body,
    BodyKind,
    Convocation,
    ConvocationAnswer,
    Meeting,
    MeetingStatus,
    Minutes,
    Proxy,
    Resolution,
    Statutes,
)
from members.models import Adhesion, FeeRule, Member, Payment
from members.models.adhesions import PaymentMethod
from tests.e2e.conftest import TIMEOUT_MS
from tests.factories import PASSWORD, MemberFactory, UserFactory
from tests.pdf_utils import pdf_text

pytestmark = pytest.mark.browser

FEE = Decimal("20.00")
TITLE = "Assemblée générale ordinaire 2026"
RESOLUTION_TITLE = "Approbation des comptes"
RESOLUTION_TEXT = (
    "L'assemblée générale approuve les comptes de l'exercice clos, tels que présentés par "
    "la trésorière."
)
# Voting members, by last name; the adherent gives her proxy to Bernard, who comes.
VOTERS = ["Arnaud", "Bernard", "Chevalier", "Dupuis", "Etienne", "Fabre"]
ADHERENT_NAME = "Fabre"
HOLDER_NAME = "Bernard"


def _settled_member(last_name: str, years: set[int], **fields: Any) -> Member:
    """An active member whose fee is paid (by transfer) for each of ``years``."""
    member: Member = MemberFactory.create(
        last_name=last_name, email=f"{last_name.lower()}@exemple.fr", **fields
    )
    for year in sorted(years):
        adhesion = Adhesion.objects.create(
            member=member, year=year, fee_due=FEE, started_on=datetime.date(year, 1, 1)
        )
        Payment.objects.create(
            adhesion=adhesion,
            paid_on=datetime.date(year, 1, 2),
            amount=FEE,
            method=PaymentMethod.VIREMENT,
        )
    return member


def _log_in(page: Any, user: User) -> None:
    page.goto(reverse("account_login"))
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def _alert(page: Any, text: str) -> Any:
    return page.get_by_role("alert").filter(has_text=text)


def test_an_ag_from_convocation_to_the_minutes_pdf(
    page: Any,
    browser: Any,
    live_server: Any,
    log_in: Callable[[User], None],
    association: Association,
    tmp_path: Path,
) -> None:
    # The data: six members up to date (for this year and the AG's), one who has not paid
    # (convened without a vote), an adherent account for one of them, a 50 % quorum.
    starts = timezone.localtime() + datetime.timedelta(days=21)
    starts = starts.replace(hour=18, minute=30, second=0, microsecond=0)
    ag_day = timezone.now() - datetime.timedelta(hours=1)  # when the test plays the AG
    years = {timezone.localtime(ag_day).year, starts.year}
    for year in years:
        FeeRule.objects.create(year=year, amount=FEE)
    voters = {name: _settled_member(name, years, first_name="Camille") for name in VOTERS}
    unpaid = _settled_member("Gautier", set(), first_name="Hugo")
    statutes = Statutes.objects.get_solo()
    statutes.ag_quorum_percent = Decimal("50.00")
    statutes.max_proxies_per_holder = 2
    statutes.convocation_notice_days = 15
    statutes.save()
    Body.objects.get_or_create(kind=BodyKind.AG, defaults={"name": "Assemblée générale"})
    coordinator: User = UserFactory.create(email="coordination@exemple.fr", is_staff=True)
    adherent: User = UserFactory.create(email="camille.fabre@exemple.fr")
    giver = voters[ADHERENT_NAME]
    giver.user = adherent
    giver.save()
    holder = voters[HOLDER_NAME]

    # 1. The coordinator creates the AG, three weeks ahead, through the meeting form.
    log_in(coordinator)
    page.goto(reverse("meeting_list"))
    page.get_by_role("link", name="Nouvelle réunion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle réunion")
    page.get_by_label("Instance").select_option(label="Assemblée générale")
    page.get_by_label("Intitulé").fill(TITLE)
    page.get_by_label("Début").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Lieu", exact=True).fill("Salle des fêtes, Clermont-l'Hérault")
    page.get_by_label("Nature de l'AG").select_option(label="Ordinaire")
    page.get_by_role("button", name="Enregistrer").click()

    expect(_alert(page, "La réunion est créée")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    meeting = Meeting.objects.get(title=TITLE)
    assert meeting.body.kind == BodyKind.AG
    assert timezone.localtime(meeting.starts_at) == starts
    expect(page.get_by_text("Planifiée", exact=True)).to_be_visible()
    # Three weeks of notice satisfy the statutes' fifteen days: no warning.
    expect(page.get_by_test_id("notice-warning")).to_have_count(0)

    # An AG is convened with its agenda: the first point is added on the meeting page.
    page.get_by_role("textbox", name="Point").fill(RESOLUTION_TITLE)
    page.get_by_role("button", name="Ajouter le point").click()
    expect(_alert(page, "Le point est ajouté à l'ordre du jour.")).to_be_visible()

    # 2. Convocation, once confirmed: every active member gets an email with the .ics file.
    page.get_by_role("button", name="Envoyer la convocation").click()
    confirmation = page.get_by_test_id("convene-confirmation")
    expect(confirmation).to_be_visible()
    expect(confirmation).to_contain_text("7 personnes convoquées dont 6 avec droit de vote")
    assert not mail.outbox
    confirmation.get_by_role("button", name="Confirmer l'envoi à 7 personnes").click()
    expect(_alert(page, "7 convocations envoyées par e-mail.")).to_be_visible()
    expect(page.get_by_text("Convoquée", exact=True)).to_be_visible()
    counts = page.get_by_test_id("convocation-counts")
    expect(counts).to_contain_text("7 personnes convoquées")
    expect(counts).to_contain_text("Avec droit de vote : 6")
    recipients = sorted(address for message in mail.outbox for address in message.to)
    expected = sorted([*(m.email for m in voters.values()), unpaid.email])
    assert recipients == expected
    for message in mail.outbox:
        assert TITLE in message.subject
        ics = [a for a in message.attachments if str(a[0]).endswith(".ics")]
        assert len(ics) == 1, message.attachments
        assert "BEGIN:VCALENDAR" in str(ics[0][1])
    giver_mail = next(m for m in mail.outbox if m.to == [giver.email])
    assert reverse("proxy_give", args=[meeting.pk]) in str(giver_mail.body)
    unpaid_mail = next(m for m in mail.outbox if m.to == [unpaid.email])
    assert reverse("proxy_give", args=[meeting.pk]) not in str(unpaid_mail.body)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CONVENED

    # 3. The adherent, on her phone, gives her proxy to Camille BERNARD from "Mes réunions".
    phone = browser.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        timezone_id="Europe/Paris",
        viewport={"width": 390, "height": 844},
    )
    phone.set_default_timeout(TIMEOUT_MS)
    try:
        portal = phone.new_page()
        _log_in(portal, adherent)
        expect(portal).to_have_url(re.compile(re.escape(reverse("portal_home")) + "$"))
        portal.get_by_test_id("card-meetings").get_by_role(
            "link", name="Toutes mes réunions, ordres du jour et agendas"
        ).click()
        expect(portal.get_by_role("heading", level=1)).to_have_text("Mes réunions")
        card = portal.get_by_test_id("upcoming-meeting").filter(has_text=TITLE)
        expect(card).to_contain_text("Oui, vous êtes à jour de cotisation.")
        card.get_by_role("link", name="Donner procuration").click()
        expect(portal).to_have_url(
            re.compile(re.escape(reverse("proxy_give", args=[meeting.pk])) + "$")
        )
        expect(portal.get_by_role("heading", level=1)).to_have_text("Procuration")
        portal.get_by_label(holder.display_name).check()
        portal.get_by_role("button", name="Confirmer la procuration").click()
        expect(
            _alert(portal, f"Vous avez donné procuration à {holder.display_name}")
        ).to_be_visible()
        expect(portal.get_by_test_id("current-proxy")).to_contain_text(
            f"Vous avez donné procuration à {holder.display_name}"
        )
        assert portal.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        phone.close()
    proxy = Proxy.objects.get(meeting=meeting)
    assert (proxy.giver, proxy.holder) == (giver, holder)
    assert Convocation.objects.get(meeting=meeting, member=giver).answer == ConvocationAnswer.PROXY

    # The coordinator sees the proxy among the answers.
    page.reload()
    expect(page.get_by_test_id("convocation-counts")).to_contain_text("Procurations : 1")

    # 4. The AG day: the meeting started an hour ago.
    meeting.starts_at = ag_day
    meeting.save(update_fields=["starts_at"])

    page.get_by_role("link", name="Présences et quorum").click()
    rows = page.get_by_test_id("attendance-list").locator("[data-attendance-row]")
    expect(rows).to_have_count(7)
    quorum = page.get_by_test_id("quorum-panel")
    expect(quorum).to_contain_text("Quorum non atteint")
    expect(page.get_by_test_id("quorum-voting")).to_have_text("6")
    expect(page.get_by_test_id("quorum-required")).to_have_text("3")
    expect(page.get_by_test_id("quorum-present")).to_have_text("0")
    # The proxy of an absent holder does not count yet.
    expect(page.get_by_test_id("quorum-represented")).to_have_text("0")
    giver_row = page.locator(f"#attendance-row-{giver.pk}")
    expect(giver_row.get_by_test_id("status")).to_have_text("Représenté·e")
    expect(giver_row).to_contain_text("porteur·se non présent·e : non compté·e")
    expect(page.get_by_test_id("proxy-list")).to_contain_text(
        f"{giver.display_name} → {holder.display_name}"
    )
    # In session, a paper proxy handed in at the door can still be recorded.
    expect(page.get_by_role("heading", name="Enregistrer une procuration papier")).to_be_visible()

    def mark(member: Member, status: str) -> None:
        button = page.get_by_role("button", name=f"{status} : {member.display_name}")
        button.click()
        expect(button).to_have_attribute("aria-pressed", "true")
        expect(page.locator(f"#attendance-row-{member.pk}").get_by_test_id("status")).to_have_text(
            status
        )

    # The holder arrives: present 1, and the proxy she carries now counts (represented 1).
    mark(holder, "Présent·e")
    expect(page.get_by_test_id("quorum-present")).to_have_text("1")
    expect(page.get_by_test_id("quorum-represented")).to_have_text("1")
    expect(quorum).to_contain_text("Quorum non atteint")
    expect(page.get_by_test_id("quorum-missing")).to_have_text("1")
    expect(giver_row).not_to_contain_text("non compté·e")

    mark(voters["Arnaud"], "Présent·e")
    expect(quorum).to_contain_text("Quorum atteint")
    expect(page.get_by_test_id("quorum-present")).to_have_text("2")
    expect(page.get_by_test_id("quorum-represented")).to_have_text("1")
    expect(page.get_by_test_id("quorum-missing")).to_have_count(0)
    mark(voters["Chevalier"], "Excusé·e")
    mark(voters["Dupuis"], "Absent·e")
    expect(quorum).to_contain_text("Quorum atteint")
    expect(quorum).to_contain_text("2 / 7")
    statuses = dict(
        Attendance.objects.filter(meeting=meeting).values_list("member__last_name", "status")
    )
    assert statuses == {
        "Arnaud": AttendanceStatus.PRESENT,
        "Bernard": AttendanceStatus.PRESENT,
        "Chevalier": AttendanceStatus.EXCUSED,
        "Dupuis": AttendanceStatus.ABSENT,
        "Fabre": AttendanceStatus.REPRESENTED,
    }

    # 5. A resolution, then the show of hands: 2 for, 1 against among 3 voters.
    page.get_by_role("link", name="Résolutions et élections").click()
    expect(page.get_by_text("Quorum atteint.")).to_be_visible()
    expect(page.get_by_text("3 votants (2 présents, 1 représentés) sur 6 membres")).to_be_visible()
    page.get_by_role("link", name="Ajouter une résolution").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle résolution")
    page.get_by_label("Titre", exact=True).fill(RESOLUTION_TITLE)
    page.get_by_label("Texte de la résolution").fill(RESOLUTION_TEXT)
    expect(page.get_by_label("Règle de majorité")).to_have_value("simple")
    page.get_by_role("button", name="Enregistrer").click()

    expect(_alert(page, "La résolution a été ajoutée.")).to_be_visible()
    resolution = Resolution.objects.get(meeting=meeting)
    card = page.locator(f"#resolution-{resolution.pk}")
    expect(card).to_contain_text(f"Résolution n° 1 : {RESOLUTION_TITLE}")
    expect(card).to_contain_text("Non votée")
    card.get_by_label("Pour", exact=True).fill("2")
    card.get_by_label("Contre", exact=True).fill("1")
    card.get_by_label("Abstentions", exact=True).fill("0")
    card.get_by_role("button", name="Enregistrer le vote").click()
    card = page.locator(f"#resolution-{resolution.pk}")
    expect(card.get_by_role("status")).to_have_text("Le vote a été enregistré.")
    expect(card).to_contain_text("Adoptée")
    expect(card).to_contain_text("2 pour, 1 contre, 0 abstention(s) sur 3 votants.")
    resolution.refresh_from_db()
    assert (resolution.votes_for, resolution.votes_against, resolution.abstentions) == (2, 1, 0)
    assert (resolution.voters, resolution.adopted) == (3, True)

    # 6. The meeting is declared held; the minutes are drafted from it.
    page.get_by_role("link", name="Réunion et convocation").click()
    page.get_by_role("button", name="Déclarer la réunion tenue").click()
    expect(_alert(page, "La réunion est déclarée tenue.")).to_be_visible()
    expect(page.get_by_text("Tenue", exact=True)).to_be_visible()

    page.get_by_role("link", name="Procès-verbal").click()
    expect(page.get_by_text("Aucun procès-verbal pour cette réunion.")).to_be_visible()
    page.get_by_role("button", name="Rédiger le projet").click()
    expect(_alert(page, "Le projet de procès-verbal a été rédigé.")).to_be_visible()
    expect(page.get_by_text("Brouillon", exact=True)).to_be_visible()
    minutes_card = page.locator(".card").filter(has_text=RESOLUTION_TITLE)
    expect(minutes_card).to_contain_text(RESOLUTION_TEXT)
    expect(minutes_card).to_contain_text(
        "Présents : 2 — représentés : 1 — excusés : 1 — absents : 1."
    )
    expect(minutes_card).to_contain_text(f"{giver.display_name} (par {holder.display_name})")
    minutes = Minutes.objects.get(meeting=meeting)

    # 7. The PDF: built by the job pipeline (tasks run eagerly here), then downloaded.
    page.get_by_role("button", name="Générer le PDF").click()
    expect(page).to_have_url(re.compile(r"/documents/\d+/$"))
    expect(_alert(page, "La génération du procès-verbal en PDF a été demandée.")).to_be_visible()
    expect(page.locator("#document-progress")).to_have_attribute(
        "data-status", "done", timeout=30_000
    )
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger").click()
    download = download_info.value
    pdf_path = tmp_path / download.suggested_filename
    download.save_as(pdf_path)

    assert pdf_path.name == f"proces-verbal-{timezone.localtime(ag_day):%Y-%m-%d}-{meeting.pk}.pdf"
    text = pdf_text(pdf_path.read_bytes())
    assert TITLE in text
    assert association.name in text
    assert RESOLUTION_TEXT in text
    assert f"Résolution n° 1 : {RESOLUTION_TITLE}" in text
    assert "résolution adoptée" in text
    # The attendance figures, in the minutes' text and in the summary table.
    assert "Présents : 2 — représentés : 1 — excusés : 1 — absents : 1." in text
    assert "Présents Représentés Excusés Absents 2 1 1 1" in text
    assert "Quorum : 3 votants présents ou représentés sur 6 (3 requis)" in text
    assert f"{giver.display_name} (par {holder.display_name})" in text
    assert "Brouillon" in text
    assert f"1 {RESOLUTION_TITLE} 2 1 0 Adoptée" in text
    document = GeneratedDocument.objects.get(kind="meeting_minutes")
    assert document.parameters == {"minutes": minutes.pk}
    assert document.requested_by == coordinator
