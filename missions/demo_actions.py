"""The actions (fiches action) and events of the demo contract (see ``missions.demo``).

Dates are offsets in months from the contract's signature, so the events spread over the
three contract years elapsed (and a few to come) whatever day the demo is seeded."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by ``months`` (the last day of the month when it does not exist)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


def months_after(day: datetime.date, months: float) -> datetime.date:
    """``day`` moved by a (possibly fractional) number of months."""
    whole = int(months)
    return add_months(day, whole) + datetime.timedelta(days=round((months - whole) * 30))


SNP = "Soins non programmés"
CARDIO = "Parcours insuffisance cardiaque"
CANCERS = "Prévention des cancers"
MENTAL = "Santé mentale"
TRAINEES = "Accueil des stagiaires"
CRISIS = "Gestion de crise"

CLERMONT = "Maison de santé, Clermont-l'Hérault"
GIGNAC = "Salle polyvalente, Gignac"
LODEVE = "Salle du Peyrou, Lodève"
SEAT = "Siège de la CPTS, Clermont-l'Hérault"
CH = "Centre hospitalier de Clermont-l'Hérault"
PAULHAN = "Foyer rural, Paulhan"
ANIANE = "Salle des fêtes, Aniane"
SAINT_ANDRE = "Médiathèque, Saint-André-de-Sangonis"
VISIO = "Visioconférence"

MG = "medecin_generaliste"
IDE = "infirmier"
PHARMA = "pharmacien"
KINE = "masseur_kinesitherapeute"
SF = "sage_femme"
PSY = "psychologue"
DIET = "dieteticien"
APA = "enseignant_apa"
SPE = "medecin_specialiste"
IPA = "infirmier_pratique_avancee"
SOCIAL = "assistant_service_social"


@dataclass(frozen=True)
class EventSpec:
    kind: str  # an EventKind value
    title: str
    place: str
    at: tuple[float, ...]  # months after the signature, one event each
    professions: tuple[str, ...]  # profession codes of the professionals who took part
    public: bool = False  # whether the public came (counted by age band)
    hours: str = "2"


@dataclass(frozen=True)
class ActionSpec:
    title: str
    missions: tuple[str, ...]
    group: str | None
    start: float  # months after the signature
    months: float  # planned duration
    diagnosis: str
    general: str
    operational: str
    description: str
    public: str
    actors: str
    stages: str
    events: tuple[EventSpec, ...] = ()
    status: str = ""  # forced status; otherwise from the dates


def _e(kind: str, title: str, place: str, at: tuple[float, ...], *professions: str) -> EventSpec:
    return EventSpec(kind, title, place, at, professions)


def _p(kind: str, title: str, place: str, at: tuple[float, ...], *professions: str) -> EventSpec:
    return EventSpec(kind, title, place, at, professions, public=True)


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "Protocole de soins non programmés avec les cabinets volontaires",
        ("acces_soins",),
        SNP,
        2,
        12,
        "Les urgences du CH reçoivent 38 % de passages non suivis d'hospitalisation en journée.",
        "Répondre en ville aux demandes de soins non programmés dans la journée.",
        "Réserver des créneaux dédiés dans 15 cabinets ; rédiger le protocole commun.",
        "Recensement des cabinets volontaires, rédaction du protocole, signature et suivi.",
        "Patients du territoire sans rendez-vous possible chez leur médecin traitant.",
        "Médecins généralistes, infirmiers, SAS 34, CH de Clermont-l'Hérault.",
        "Recensement (M+2), protocole rédigé (M+8), signature (M+14).",
        (_e("concertation", "Réunion du protocole SNP", SEAT, (3, 7, 11, 14), MG, IDE),),
    ),
    ActionSpec(
        "Régulation des soins non programmés avec le SAS 34",
        ("acces_soins",),
        SNP,
        5,
        26,
        "Le SAS 34 manque d'effecteurs sur le Cœur d'Hérault en fin de journée.",
        "Inscrire les médecins du territoire comme effecteurs du SAS.",
        "Atteindre 25 médecins inscrits ; suivre les demandes orientées vers la CPTS.",
        "Présentation de la plateforme SAS, aide à l'inscription, point trimestriel.",
        "Médecins généralistes libéraux du territoire.",
        "SAS 34, SAMU de l'Hérault, CPAM de l'Hérault.",
        "Présentation (M+6), inscriptions (M+6 à M+24), bilan annuel.",
        (
            _e("formation", "Présentation de la plateforme SAS", CLERMONT, (6, 18), MG),
            _e("concertation", "Point trimestriel SAS", VISIO, (9, 15, 21, 27), MG, IDE),
        ),
    ),
    ActionSpec(
        "Recherche d'un médecin traitant pour les patients en ALD",
        ("acces_soins",),
        SNP,
        2,
        34,
        "219 patients en ALD n'ont pas de médecin traitant sur le territoire (CPAM, 2024).",
        "Trouver un médecin traitant à chaque patient en ALD qui en cherche un.",
        "Tenir la liste des demandes, les répartir chaque mois entre les médecins volontaires.",
        "Guichet unique des demandes, commission mensuelle d'attribution.",
        "Patients en ALD, patients de plus de 70 ans et bénéficiaires de la C2S.",
        "Médecins généralistes, CPAM de l'Hérault, pharmacies, mairies.",
        "Guichet ouvert (M+3), commission mensuelle, bilan CPAM annuel.",
        (
            _e(
                "concertation",
                "Commission d'attribution des médecins traitants",
                SEAT,
                (4, 8, 13, 17, 22, 26),
                MG,
            ),
        ),
    ),
    ActionSpec(
        "Protocoles de coopération infirmiers",
        ("acces_soins", "qualite"),
        SNP,
        10,
        14,
        "Les cystites simples et renouvellements mobilisent des consultations évitables.",
        "Permettre aux infirmiers formés de prendre en charge des situations simples.",
        "Former 12 infirmiers aux protocoles cystite et renouvellement d'ordonnance.",
        "Formation, signature des protocoles, retour d'expérience à six mois.",
        "Patients adultes du territoire.",
        "Infirmiers libéraux, médecins délégants, pharmaciens.",
        "Formation (M+11), protocoles actifs (M+14), bilan (M+20).",
        (_e("formation", "Formation aux protocoles de coopération", CLERMONT, (11, 16), IDE, MG),),
    ),
    ActionSpec(
        "Permanence de soins non programmés du samedi matin",
        ("acces_soins",),
        SNP,
        12,
        18,
        "Aucun cabinet n'ouvre le samedi matin au nord du territoire.",
        "Offrir une consultation sans rendez-vous le samedi matin à Lodève.",
        "Une permanence par mois tenue par un médecin et un infirmier volontaires.",
        "Planning des volontaires, local prêté par la maison de santé de Lodève.",
        "Habitants du Lodévois et du Larzac.",
        "Médecins et infirmiers volontaires, mairie de Lodève.",
        "Planning (M+12), premières permanences (M+13), bilan annuel.",
        (_e("autre", "Permanence du samedi matin", LODEVE, (13, 16, 19, 25, 28), MG, IDE),),
    ),
    ActionSpec(
        "Parcours insuffisance cardiaque en sortie d'hospitalisation",
        ("parcours",),
        CARDIO,
        4,
        24,
        "Un patient insuffisant cardiaque sur quatre est réhospitalisé dans les six mois.",
        "Éviter les réhospitalisations des patients insuffisants cardiaques.",
        "Inclure 80 patients ; visite infirmière dans les 7 jours suivant la sortie.",
        "Protocole de sortie avec la cardiologie, pesée quotidienne, suivi partagé.",
        "Patients insuffisants cardiaques sortant du CH de Clermont-l'Hérault.",
        "Cardiologues du CH, médecins généralistes, infirmiers, pharmaciens, PRADO.",
        "Protocole signé (M+9), inclusions (M+10 à M+28), évaluation (M+28).",
        (
            _e(
                "concertation",
                "Réunion de suivi du parcours insuffisance cardiaque",
                CH,
                (5, 9, 14, 20, 26),
                MG,
                IDE,
                SPE,
                PHARMA,
            ),
        ),
    ),
    ActionSpec(
        "Éducation thérapeutique des patients insuffisants cardiaques",
        ("parcours", "prevention"),
        CARDIO,
        9,
        20,
        "Les patients connaissent mal les signes d'alerte de la décompensation.",
        "Rendre les patients acteurs de leur suivi.",
        "Un cycle de 4 ateliers par semestre ; 10 patients par cycle.",
        "Ateliers animés par une infirmière, une diététicienne et un enseignant APA.",
        "Patients inclus dans le parcours et leurs aidants.",
        "Infirmiers, diététiciens, enseignants APA, association de patients.",
        "Programme (M+9), premier cycle (M+10), bilan annuel.",
        (
            _p(
                "atelier",
                "Atelier d'éducation thérapeutique",
                CLERMONT,
                (10, 12, 16, 18, 23),
                IDE,
                DIET,
                APA,
            ),
        ),
    ),
    ActionSpec(
        "Soirées pluriprofessionnelles insuffisance cardiaque",
        ("parcours",),
        CARDIO,
        6,
        24,
        "Les professionnels de ville se connaissent peu entre eux et avec le CH.",
        "Partager une culture commune de l'insuffisance cardiaque.",
        "Une soirée par an avec un cardiologue du CH.",
        "Cas cliniques, nouveaux traitements, présentation du parcours.",
        "Professionnels de santé du territoire.",
        "Cardiologues du CH, laboratoire de biologie, URPS.",
        "Une soirée par an.",
        (
            _e(
                "soiree",
                "Soirée pluriprofessionnelle insuffisance cardiaque",
                GIGNAC,
                (7, 19, 29),
                MG,
                IDE,
                PHARMA,
                KINE,
            ),
        ),
    ),
    ActionSpec(
        "Parcours des personnes âgées fragiles à domicile",
        ("parcours",),
        None,
        14,
        18,
        "Les personnes âgées isolées des villages du Larzac sont repérées tard.",
        "Repérer la fragilité et coordonner le maintien à domicile.",
        "Grille de repérage partagée ; concertation mensuelle avec le DAC.",
        "Repérage par les infirmiers et pharmaciens, concertation pluriprofessionnelle.",
        "Personnes de plus de 75 ans vivant à domicile.",
        "DAC 34, SSIAD, infirmiers, pharmaciens, CCAS.",
        "Grille (M+15), concertations mensuelles, bilan (M+32).",
        (
            _e(
                "concertation",
                "Concertation personnes âgées fragiles",
                VISIO,
                (15, 20, 25),
                IDE,
                MG,
            ),
        ),
    ),
    ActionSpec(
        "Formation au repérage de la crise suicidaire",
        ("parcours",),
        MENTAL,
        8,
        24,
        "Le taux de suicide du territoire dépasse la moyenne régionale.",
        "Former les professionnels de premier recours au repérage.",
        "Former 30 professionnels en deux ans.",
        "Sessions de deux jours animées par des formateurs agréés.",
        "Professionnels de santé et du social.",
        "CMP, psychologues libéraux, formateurs régionaux.",
        "Sessions semestrielles.",
        (
            _e(
                "formation",
                "Formation au repérage de la crise suicidaire",
                SEAT,
                (9, 14, 19, 24),
                MG,
                IDE,
                PHARMA,
                PSY,
                SOCIAL,
            ),
        ),
    ),
    ActionSpec(
        "Premiers secours en santé mentale",
        ("parcours",),
        MENTAL,
        15,
        12,
        "Les professionnels se disent démunis face aux troubles psychiques aigus.",
        "Diffuser les gestes de premiers secours en santé mentale.",
        "Trois sessions de formation PSSM.",
        "Formation PSSM standard de deux jours.",
        "Professionnels de santé, du social et de l'éducation.",
        "PSSM France, CMP, mission locale.",
        "Trois sessions sur l'année.",
        (_e("formation", "Formation PSSM", GIGNAC, (16, 20, 27), IDE, PSY, PHARMA, KINE),),
    ),
    ActionSpec(
        "Coordination avec le CMP de Clermont-l'Hérault",
        ("parcours",),
        MENTAL,
        5,
        30,
        "Délais d'accès au CMP de plusieurs mois ; pas d'avis rapide pour les médecins.",
        "Fluidifier l'orientation entre la ville et le CMP.",
        "Une ligne d'avis dédiée ; une réunion semestrielle ville-CMP.",
        "Fiche de liaison partagée, réunions de concertation.",
        "Patients adultes suivis en ville avec des troubles psychiques.",
        "CMP, psychiatres, psychologues libéraux, médecins généralistes.",
        "Fiche de liaison (M+6), réunions semestrielles.",
        (_e("concertation", "Réunion ville-CMP", CH, (6, 12, 18, 24), MG, PSY, IDE),),
    ),
    ActionSpec(
        "Octobre rose : dépistage du cancer du sein",
        ("prevention",),
        CANCERS,
        2,
        30,
        "Le dépistage organisé du cancer du sein stagne sous la moyenne nationale.",
        "Augmenter la participation au dépistage organisé.",
        "Un stand par an dans chaque communauté de communes.",
        "Stands d'information, marches roses, relais par les pharmacies.",
        "Femmes de 50 à 74 ans.",
        "CRCDC Occitanie, pharmacies, sages-femmes, Ligue contre le cancer.",
        "Préparation en septembre, stands en octobre.",
        (
            _p("stand", "Stand Octobre rose", PAULHAN, (3, 15, 27), SF, PHARMA),
            _p("stand", "Marche rose", ANIANE, (3.3, 15.3), SF, MG),
        ),
    ),
    ActionSpec(
        "Mars bleu : dépistage du cancer colorectal",
        ("prevention",),
        CANCERS,
        7,
        24,
        "Un habitant sur trois seulement réalise le test de dépistage colorectal.",
        "Faire progresser le dépistage du cancer colorectal.",
        "Remise de kits en pharmacie ; stands sur les marchés en mars.",
        "Formation des pharmaciens, stands, affiches en salle d'attente.",
        "Personnes de 50 à 74 ans.",
        "CRCDC Occitanie, pharmacies, médecins généralistes.",
        "Formation (M+7), campagne chaque mois de mars.",
        (
            _p("campagne", "Campagne Mars bleu en pharmacie", SAINT_ANDRE, (8, 20), PHARMA),
            _p("stand", "Stand Mars bleu au marché", CLERMONT, (8.2, 20.2), MG, PHARMA),
        ),
    ),
    ActionSpec(
        "Dépistage du cancer du col de l'utérus pour les publics éloignés",
        ("prevention",),
        CANCERS,
        11,
        20,
        "Les femmes en situation de précarité échappent au dépistage du col.",
        "Aller vers les femmes éloignées du soin.",
        "Journées de dépistage par les sages-femmes avec les centres sociaux.",
        "Auto-prélèvement expliqué, frottis sur place, orientation.",
        "Femmes de 25 à 65 ans en situation de précarité.",
        "Sages-femmes, centres sociaux, CCAS, CPAM (mission accompagnement).",
        "Partenariats (M+11), journées (M+12 à M+30).",
        (_p("campagne", "Journée de dépistage du col", LODEVE, (13, 19, 25), SF, MG),),
    ),
    ActionSpec(
        "Ateliers mémoire pour les plus de 60 ans",
        ("prevention",),
        None,
        3,
        30,
        "Forte demande des aînés ; aucun atelier mémoire au sud du territoire.",
        "Préserver l'autonomie cognitive des aînés.",
        "4 ateliers par an, 12 participants par atelier.",
        "Ateliers animés par une orthophoniste et une psychologue.",
        "Personnes de plus de 60 ans vivant à domicile.",
        "Orthophonistes, psychologues, CCAS, clubs des aînés.",
        "4 ateliers par an.",
        (
            _p(
                "atelier",
                "Atelier mémoire",
                ANIANE,
                (4, 6, 8, 10, 16, 18, 20, 22, 27),
                "orthophoniste",
                PSY,
            ),
        ),
    ),
    ActionSpec(
        "Nutrition et activité physique adaptée",
        ("prevention",),
        None,
        12,
        18,
        "Prévalence du diabète de type 2 supérieure à la moyenne régionale.",
        "Prévenir le diabète par l'alimentation et l'activité physique.",
        "Cycles d'ateliers de 8 séances ; orientation par les médecins.",
        "Ateliers cuisine, marche nordique, suivi diététique.",
        "Adultes en surpoids ou prédiabétiques.",
        "Diététiciens, enseignants APA, maisons sport-santé.",
        "Cycles au printemps et à l'automne.",
        (
            _p(
                "atelier",
                "Atelier nutrition et activité physique",
                GIGNAC,
                (13, 17, 22, 26),
                DIET,
                APA,
            ),
        ),
    ),
    ActionSpec(
        "Vaccination antigrippale hors les murs",
        ("prevention", "crise"),
        CRISIS,
        3,
        30,
        "Couverture vaccinale antigrippale des plus de 65 ans à 51 %.",
        "Rapprocher la vaccination des personnes âgées.",
        "Une journée de vaccination par hiver dans trois villages.",
        "Infirmiers et pharmaciens vaccinateurs, bons de la CPAM.",
        "Personnes de 65 ans et plus, personnes à risque.",
        "Infirmiers, pharmaciens, mairies, CCAS.",
        "Chaque automne.",
        (_p("campagne", "Journée de vaccination antigrippale", PAULHAN, (4, 16, 28), IDE, PHARMA),),
    ),
    ActionSpec(
        "Plan canicule",
        ("crise",),
        CRISIS,
        10,
        24,
        "Épisodes caniculaires répétés ; personnes isolées mal repérées.",
        "Protéger les personnes vulnérables pendant les canicules.",
        "Registre partagé avec les mairies ; appel des personnes isolées.",
        "Réunion de préparation chaque printemps, stand de prévention en juin.",
        "Personnes âgées isolées, personnes handicapées.",
        "Mairies, CCAS, infirmiers, SSIAD, ARS.",
        "Préparation en mai, veille de juin à septembre.",
        (
            _e("concertation", "Préparation du plan canicule", VISIO, (10, 22), IDE, MG),
            _p("stand", "Stand canicule au marché", GIGNAC, (11, 23), IDE, PHARMA),
        ),
    ),
    ActionSpec(
        "Plan de gestion de crise de la CPTS",
        ("crise",),
        CRISIS,
        4,
        14,
        "L'avenant 2 demande un plan de crise à chaque CPTS.",
        "Disposer d'un plan de réponse aux crises sanitaires graves.",
        "Plan rédigé, liste des volontaires, circuit d'alerte testé.",
        "Rédaction en groupe de travail, validation par l'ARS.",
        "Professionnels du territoire.",
        "ARS Occitanie, préfecture, SDIS, CH.",
        "Rédaction (M+4 à M+12), validation (M+14), mise à jour annuelle.",
        (_e("concertation", "Atelier de rédaction du plan de crise", SEAT, (5, 8, 12), MG, IDE),),
    ),
    ActionSpec(
        "Exercice de mise en alerte des professionnels",
        ("crise",),
        CRISIS,
        15,
        15,
        "Le circuit d'alerte du plan de crise n'a jamais été testé.",
        "Vérifier que l'alerte atteint les professionnels en moins de 2 heures.",
        "Un exercice par an, avec retour d'expérience.",
        "Alerte par SMS et messagerie, recensement des disponibilités.",
        "Professionnels volontaires du plan de crise.",
        "ARS Occitanie, SDIS.",
        "Un exercice par an.",
        (_e("formation", "Exercice de mise en alerte", VISIO, (16, 28), MG, IDE, PHARMA),),
    ),
    ActionSpec(
        "Réponse aux épidémies hivernales",
        ("crise",),
        CRISIS,
        16,
        4,
        "Épidémies simultanées de grippe et de bronchiolite ; urgences saturées.",
        "Absorber en ville le surcroît de demandes pendant l'épidémie.",
        "Créneaux supplémentaires, permanences pédiatriques, information du public.",
        "Activation du plan de crise, permanences renforcées, retour d'expérience.",
        "Habitants du territoire, en particulier les nourrissons et les aînés.",
        "ARS Occitanie, SAS 34, médecins, infirmiers, kinésithérapeutes.",
        "Activation (M+16), permanences (M+16 à M+19), retour d'expérience (M+20).",
        (
            _e(
                "autre",
                "Permanence renforcée épidémie",
                CLERMONT,
                (16.2, 16.8, 17.5),
                MG,
                IDE,
                KINE,
            ),
            _e("concertation", "Retour d'expérience de l'épidémie", SEAT, (19.5,), MG, IDE),
        ),
    ),
    ActionSpec(
        "Accueil des internes et des étudiants en santé",
        ("accompagnement",),
        TRAINEES,
        3,
        30,
        "Les internes repartent à Montpellier faute de logement et de réseau.",
        "Faire découvrir l'exercice coordonné et donner envie de s'installer.",
        "Une soirée d'accueil par semestre ; 15 stagiaires par an.",
        "Soirée d'accueil, présentation des maîtres de stage, visites.",
        "Internes de médecine générale, étudiants infirmiers et kinésithérapeutes.",
        "Faculté de Montpellier, IFSI, maîtres de stage, communes.",
        "Chaque semestre (novembre et mai).",
        (
            _e(
                "soiree",
                "Soirée d'accueil des stagiaires",
                CLERMONT,
                (4, 10, 16, 22, 28),
                MG,
                IDE,
                KINE,
            ),
        ),
    ),
    ActionSpec(
        "Journée d'accueil des nouveaux installés",
        ("accompagnement",),
        TRAINEES,
        9,
        24,
        "Les nouveaux installés ne connaissent ni la CPTS ni leurs voisins.",
        "Intégrer rapidement les nouveaux professionnels.",
        "Une journée par an, un parrain pour chaque nouvel installé.",
        "Accueil, présentation des actions, parrainage.",
        "Professionnels installés depuis moins de deux ans.",
        "URPS, CPAM (conseillers installation), communes.",
        "Une journée par an.",
        (
            _e(
                "soiree",
                "Journée d'accueil des nouveaux installés",
                GIGNAC,
                (10, 22),
                MG,
                IDE,
                KINE,
            ),
        ),
    ),
    ActionSpec(
        "Logement des stagiaires avec les communes",
        ("accompagnement",),
        TRAINEES,
        6,
        18,
        "Pas de logement abordable pour les stagiaires hors de Clermont-l'Hérault.",
        "Offrir un logement à chaque stagiaire qui en a besoin.",
        "Convention avec trois communes pour des logements meublés.",
        "Recensement des logements, conventions, gestion des attributions.",
        "Stagiaires des professions de santé.",
        "Communes de Lodève, Gignac et Paulhan, communautés de communes.",
        "Conventions (M+12), attributions chaque semestre.",
        (_e("concertation", "Réunion logement avec les communes", SEAT, (7, 12, 18), MG),),
    ),
    ActionSpec(
        "Formation des maîtres de stage",
        ("accompagnement",),
        TRAINEES,
        12,
        12,
        "Trop peu de maîtres de stage agréés pour la demande.",
        "Augmenter le nombre de maîtres de stage.",
        "Former 8 nouveaux maîtres de stage.",
        "Formation de deux jours avec le département de médecine générale.",
        "Médecins, infirmiers et kinésithérapeutes libéraux.",
        "Département de médecine générale de Montpellier.",
        "Deux sessions.",
        (_e("formation", "Formation des maîtres de stage", CLERMONT, (13, 21), MG, KINE),),
    ),
    ActionSpec(
        "Groupes d'analyse de pratiques pluriprofessionnels",
        ("qualite",),
        None,
        11,
        24,
        "Pas d'espace d'échange sur les pratiques entre professions.",
        "Améliorer la qualité des prises en charge partagées.",
        "Deux groupes par an sur des cas complexes.",
        "Analyse de cas anonymisés, recommandations de la HAS.",
        "Professionnels de santé du territoire.",
        "Médecins, infirmiers, pharmaciens, kinésithérapeutes.",
        "Deux séances par an.",
        (
            _e(
                "concertation",
                "Groupe d'analyse de pratiques",
                SEAT,
                (12, 17, 21, 26),
                MG,
                IDE,
                PHARMA,
                KINE,
            ),
        ),
    ),
    ActionSpec(
        "Pertinence des prescriptions d'antibiotiques",
        ("qualite",),
        None,
        14,
        16,
        "Consommation d'antibiotiques supérieure de 15 % à la moyenne nationale.",
        "Réduire les prescriptions d'antibiotiques inutiles.",
        "Revue annuelle des prescriptions avec les pharmaciens ; TROD angine.",
        "Soirée de retour des données, diffusion des TROD en pharmacie.",
        "Médecins et pharmaciens du territoire.",
        "Pharmaciens, CPAM (délégués de l'Assurance maladie), CRAtb Occitanie.",
        "Revue annuelle.",
        (_e("soiree", "Soirée pertinence des antibiotiques", SAINT_ANDRE, (15, 27), MG, PHARMA),),
    ),
    ActionSpec(
        "Iatrogénie médicamenteuse du sujet âgé",
        ("qualite", "parcours"),
        None,
        18,
        14,
        "18 % des plus de 75 ans prennent 10 médicaments ou plus.",
        "Réduire la polymédication à risque.",
        "Revues de traitement médecin-pharmacien pour 50 patients.",
        "Bilans partagés de médication, concertation pluriprofessionnelle.",
        "Patients de plus de 75 ans polymédiqués.",
        "Pharmaciens, médecins généralistes, gériatres du CH.",
        "Revues (M+18 à M+32).",
        (_e("concertation", "Revue de traitements", CH, (19, 24, 28), MG, PHARMA, SPE),),
    ),
    ActionSpec(
        "Annuaire partagé et messagerie sécurisée",
        ("parcours", "accompagnement"),
        None,
        6,
        12,
        "Les échanges entre professionnels passent par des messageries non sécurisées.",
        "Échanger de façon sécurisée entre professionnels.",
        "Annuaire en ligne ; 80 % des membres équipés d'une messagerie sécurisée.",
        "Ateliers de prise en main, accompagnement individuel.",
        "Membres de la CPTS.",
        "GRADeS Occitanie (e-santé), éditeurs de logiciels.",
        "Annuaire (M+8), ateliers (M+8 à M+18).",
        (_e("formation", "Atelier messagerie sécurisée", VISIO, (8, 11), MG, IDE, KINE),),
    ),
    ActionSpec(
        "Soirée de présentation de la CPTS aux professionnels",
        ("accompagnement",),
        None,
        1,
        30,
        "Beaucoup de professionnels ignorent ce que fait la CPTS.",
        "Faire connaître la CPTS et recruter des membres.",
        "Une soirée par an dans chaque bassin de vie.",
        "Présentation des missions, témoignages, adhésion sur place.",
        "Professionnels de santé du territoire.",
        "Membres du bureau, URPS.",
        "Une soirée par an.",
        (_e("soiree", "Soirée de présentation de la CPTS", LODEVE, (2, 14, 26), MG, IDE, PHARMA),),
    ),
    ActionSpec(
        "Prévention des chutes à domicile",
        ("prevention",),
        None,
        30,
        12,
        "Les chutes sont la première cause d'hospitalisation des plus de 75 ans.",
        "Réduire les chutes des personnes âgées à domicile.",
        "Ateliers équilibre et visites d'aménagement du logement.",
        "Programme en préparation avec les kinésithérapeutes et les ergothérapeutes.",
        "Personnes de plus de 75 ans.",
        "Kinésithérapeutes, ergothérapeutes, CARSAT.",
        "Programme à valider en groupe de travail.",
        status="draft",
    ),
    ActionSpec(
        "Stand santé au marché de Lodève",
        ("prevention",),
        None,
        5,
        6,
        "Demande de la mairie de Lodève.",
        "Informer le public sur les dépistages.",
        "Un stand par mois pendant six mois.",
        "Abandonnée faute de volontaires ; reprise dans Octobre rose.",
        "Tout public.",
        "Mairie de Lodève.",
        "—",
        status="abandoned",
    ),
)
