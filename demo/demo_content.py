"""What the demo organisations contain: people, teams and real microlearning text.

Data only; ``demo.py`` writes it, through ``build.py`` like the synthetic seed.
Natural keys (slug, e-mail, team/skill/unit name) make a second run find everything
and change nothing. Unit text is demo content in the organisation's own language,
not interface text, so it is not translated.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .plans import MemberPlan, TeamPlan

DEMO_PASSWORD = "werkwijs-demo"


@dataclass(frozen=True)
class Person(MemberPlan):
    # Shown in the list of demo logins when set.
    persona: str = ""


@dataclass(frozen=True)
class Question:
    """A quiz question after the unit's text; ``correct`` is the right option's index."""

    prompt: str
    options: tuple[str, ...]
    correct: int
    explanation: str = ""

    @property
    def block_data(self) -> dict:
        return {
            "prompt": self.prompt,
            "multiple": False,
            "options": [
                {"text": text, "correct": number == self.correct, "feedback": ""}
                for number, text in enumerate(self.options)
            ],
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class UnitText:
    title: str
    paragraphs: tuple[str, ...]
    published: bool = True
    # Answered by the employee persona for the units they completed, so the refresher
    # (spaced repetition) has questions due when the demo is loaded.
    questions: tuple[Question, ...] = ()

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class AssignmentPlan:
    unit: str
    team: str
    days_ago: int


@dataclass(frozen=True)
class DemoOrganisation:
    slug: str
    name: str
    language: str
    time_zone: str
    author: str  # e-mail of the member who writes and assigns the units
    teams: tuple[TeamPlan, ...]
    people: tuple[Person, ...]
    skills: tuple[tuple[str, str], ...]
    work_processes: tuple[tuple[str, str], ...]
    units: tuple[UnitText, ...]
    assignments: tuple[AssignmentPlan, ...]
    # (e-mail, unit title): always completed / never completed, whatever chance says.
    completed: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    not_completed: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    nudge_after_days: int = 3


# --- Zorggroep Horizon (Dutch) -------------------------------------------------------

_HORIZON_UNITS = (
    UnitText(
        "Veilig tillen en verplaatsen",
        (
            "Tillen hoort bij je werk, rugklachten niet. Kijk vóór elke transfer in het "
            "zorgdossier welke manier van verplaatsen en welk hulpmiddel zijn afgesproken: "
            "tillift, sta-op-lift, glijzeil of draaischijf.",
            "Til niet zelf als een hulpmiddel het werk kan doen. Is de situatie anders dan "
            "beschreven (de cliënt is vandaag zwakker, de lift is defect), stop dan en overleg "
            "met een collega of de ergocoach voordat je begint.",
            "Zet het bed op werkhoogte, ongeveer op heuphoogte, en zet de remmen vast. Sta dicht "
            "bij de cliënt, voeten op heupbreedte en knieën licht gebogen. Draai niet vanuit je "
            "rug maar verplaats je voeten.",
            "Vertel de cliënt wat je gaat doen en laat hem zoveel mogelijk zelf doen: dat is "
            "veiliger voor jullie allebei en goed voor zijn zelfredzaamheid. Doe je de transfer "
            "met z'n tweeën, spreek dan af wie er telt.",
            "Past de afgesproken transfer niet meer, meld het dan aan de EVV'er en laat het "
            "zorgplan aanpassen, zodat je collega's het morgen ook veilig doen.",
        ),
        questions=(
            Question(
                "Wat doe je als de cliënt vandaag zwakker is dan het zorgdossier beschrijft?",
                (
                    "De transfer toch zo doen als afgesproken",
                    "Stoppen en overleggen met een collega of de ergocoach",
                    "De cliënt zelf optillen, dat gaat sneller",
                ),
                1,
                "Past de situatie niet bij wat is afgesproken, dan stop je en overleg je eerst.",
            ),
            Question(
                "Op welke hoogte zet je het bed voor een transfer?",
                ("Zo laag mogelijk", "Ongeveer op heuphoogte", "Op schouderhoogte"),
                1,
            ),
        ),
    ),
    UnitText(
        "Overdracht met SBAR",
        (
            "Bij een overdracht of een telefoontje met de huisarts gaat belangrijke informatie "
            "makkelijk verloren. SBAR geeft je verhaal een vaste volgorde, zodat de ander snel "
            "begrijpt wat er speelt en wat je van hem vraagt.",
            "S - Situatie: wie ben je, over welke cliënt gaat het en wat is er nu aan de hand? "
            "\u201cMet Sanne van Wijkteam Noord. Ik bel over mevrouw De Jong: zij is sinds "
            "vanochtend benauwd.\u201d",
            "B - Achtergrond: wat is belangrijk uit de voorgeschiedenis, zoals diagnose, "
            "medicatie en wat er eerder gebeurde? Kies alleen wat bij deze vraag hoort.",
            "A - Beoordeling: wat zie jij en wat denk je dat er aan de hand is? Noem je metingen "
            "(pols, temperatuur, saturatie) en je eigen inschatting. Ook \u201cik vertrouw het "
            "niet\u201d is een beoordeling.",
            "R - Aanbeveling: wat moet er gebeuren, en wanneer? Vraag concreet om een visite, een "
            "advies of een besluit. Herhaal aan het eind de afspraken en zet ze in het dossier.",
        ),
        questions=(
            Question(
                "Waar staat de B in SBAR voor?",
                ("Beoordeling", "Achtergrond", "Besluit"),
                1,
                "SBAR: Situatie, Achtergrond (background), Beoordeling, Aanbeveling.",
            ),
        ),
    ),
    UnitText(
        "Een lastig gesprek voeren",
        (
            "Een cliënt die boos is, een familielid dat klaagt, een collega die afspraken niet "
            "nakomt: lastige gesprekken horen bij het werk. Uitstellen maakt ze zelden "
            "makkelijker.",
            "Bereid je voor. Wat is je doel, welk feit wil je benoemen en wat wil je na afloop "
            "hebben afgesproken? Kies een rustige plek en een moment waarop jullie allebei tijd "
            "hebben.",
            "Begin met de kern, zonder lange aanloop. Beschrijf wat je zag of hoorde, niet wat "
            "je denkt dat de ander bedoelde: \u201cJe was de laatste drie diensten later dan "
            "afgesproken\u201d in plaats van \u201cJe neemt het niet serieus\u201d.",
            "Luister daarna echt. Vat samen wat de ander zegt en laat stiltes vallen. Emoties "
            "mogen er zijn: benoem ze in plaats van ze weg te praten.",
            "Sluit af met een concrete afspraak: wie doet wat, en wanneer spreek je elkaar weer? "
            "Loopt het vast, plan dan een vervolg, zo nodig met je leidinggevende erbij.",
        ),
    ),
    UnitText(
        "Feedback geven en ontvangen",
        (
            "Feedback is informatie waarmee een collega beter kan worden in zijn werk. Geef het "
            "vaak, kort en zo snel mogelijk na het moment zelf, en niet alleen als er iets "
            "misgaat.",
            "Een eenvoudige opbouw is waarneming, effect, wens: \u201cBij de overdracht noemde "
            "je de nieuwe medicatie van meneer Peters niet. Daardoor wist de avonddienst het "
            "niet. Wil je wijzigingen voortaan als eerste noemen?\u201d",
            "Benoem ook wat goed gaat, net zo concreet: \u201cHoe je mevrouw Smit geruststelde "
            "voor de wondzorg, dat werkte echt.\u201d Dan weet je collega wat hij moet blijven "
            "doen.",
            "Krijg je feedback, luister dan eerst tot het einde en vraag naar een voorbeeld. Je "
            "hoeft het niet meteen eens te zijn: bedank de ander en denk erover na.",
            "Vraag zelf om feedback, bijvoorbeeld na een lastige situatie: \u201cWat had ik "
            "anders kunnen doen?\u201d Zo wordt feedback gewoon in je team.",
        ),
    ),
    UnitText(
        "Een incident melden",
        (
            "Een fout of bijna-fout melden is geen klikken: het voorkomt dat het de volgende keer "
            "wél misgaat. Meld elk voorval waarbij een cliënt schade had of had kunnen hebben, "
            "zoals een val, een medicatiefout of een gemiste overdracht.",
            "Zorg eerst voor de cliënt. Is hij veilig, heeft hij zorg of een arts nodig? "
            "Informeer je leidinggevende en, als dat nodig is, de familie.",
            "Doe de melding nog in dezelfde dienst in het meldsysteem (MIC). Beschrijf feitelijk "
            "wat er gebeurde, wanneer en waar, zonder schuldvraag en zonder namen van collega's.",
            "De MIC-commissie zoekt naar patronen: waarom kon dit gebeuren en wat moet er "
            "veranderen in werkwijze, materiaal of afspraken? Je hoort terug wat er met je "
            "melding is gedaan.",
            "Was je zelf betrokken, praat er dan over met een collega of je leidinggevende. Het "
            "is normaal dat zoiets je bezighoudt.",
        ),
    ),
    UnitText(
        "Handhygiëne: de vijf momenten",
        (
            "Handen zijn de belangrijkste route waarlangs bacteriën en virussen zich in de zorg "
            "verspreiden. Goede handhygiëne is de eenvoudigste manier om infecties te voorkomen, "
            "bij cliënten en bij jezelf.",
            "De Wereldgezondheidsorganisatie noemt vijf momenten: vóór contact met de cliënt, "
            "vóór een schone handeling, na mogelijk contact met lichaamsvocht, na contact met de "
            "cliënt en na contact met de directe omgeving van de cliënt.",
            "Gebruik handalcohol als je handen niet zichtbaar vuil zijn. Wrijf 20 tot 30 seconden "
            "tot alles droog is, ook duimen, vingertoppen en tussen je vingers. Zichtbaar vuile "
            "handen was je eerst met water en zeep.",
            "Draag geen ringen, horloge of armbanden en houd je nagels kort, zonder nagellak of "
            "kunstnagels: daaronder blijven bacteriën zitten.",
            "Handschoenen vervangen handhygiëne niet. Desinfecteer je handen vóór het aantrekken "
            "en na het uittrekken van handschoenen.",
        ),
    ),
    UnitText(
        "Dubbele controle bij risicovolle medicatie",
        (
            "Bij risicovolle medicijnen zoals insuline, opiaten en antistollingsmiddelen kan een "
            "kleine vergissing grote gevolgen hebben. Daarom controleert een tweede bevoegde "
            "collega vóór je het medicijn geeft.",
            "Controleer samen de vijf juisten: de juiste cliënt, het juiste medicijn, de juiste "
            "dosis, de juiste toedieningsweg en het juiste tijdstip. Vergelijk met de actuele "
            "toedienlijst, niet met wat je denkt te weten.",
            "De tweede controleur kijkt onafhankelijk: hij leest zelf de lijst en het etiket, in "
            "plaats van te knikken bij wat jij voorleest.",
            "Teken allebei af direct na het toedienen. Klopt er iets niet, geef het medicijn dan "
            "niet en overleg met de apotheek of de arts.",
        ),
    ),
    UnitText(
        "Valpreventie bij cliënten thuis",
        (
            "Vallen is een van de grootste risico's voor ouderen die thuis wonen. Als "
            "wijkverpleging kom je in de woning, dus jij ziet risico's vaak eerder dan wie ook.",
            "Let bij elk bezoek op losse kleedjes, snoeren over de vloer, drempels en slechte "
            "verlichting, vooral op de route naar het toilet 's nachts. Bespreek wat je ziet met "
            "de cliënt en de mantelzorger.",
            "Vraag of de cliënt het afgelopen jaar is gevallen of bang is om te vallen: één val "
            "voorspelt vaak de volgende.",
            "Let ook op medicijnen die duizelig of suf maken, slecht passende schoenen en of bril "
            "en gehoorapparaat worden gebruikt. Twijfel je, overleg dan met de huisarts of een "
            "ergotherapeut.",
            "Zet de afspraken in het zorgplan, zodat iedere collega bij het volgende bezoek op "
            "dezelfde punten let.",
        ),
    ),
    UnitText(
        "Omgaan met agressief gedrag",
        (
            "Agressie komt in de zorg vaker voor dan we denken, van een scheldwoord tot een "
            "dreigende houding. Vaak gaat er onmacht, pijn of verwardheid aan vooraf.",
            "Let op de signalen: harder praten, onrustig heen en weer lopen, gebalde vuisten. "
            "Houd afstand, blijf rustig praten en zorg dat je zelf weg kunt.",
            "Meld elk voorval, ook als het goed afliep, en praat erover in je team.",
        ),
        published=False,
    ),
)

HORIZON = DemoOrganisation(
    slug="horizon",
    name="Zorggroep Horizon",
    language="nl",
    time_zone="Europe/Amsterdam",
    author="auteur@horizon.demo",
    teams=(
        TeamPlan("Zorg", manager="manager@horizon.demo"),
        TeamPlan("Wijkteam Noord", parent="Zorg"),
        TeamPlan("Wijkteam Zuid", parent="Zorg", manager="ingrid.bos@horizon.demo"),
        TeamPlan("Facilitair", manager="henk.degraaf@horizon.demo"),
        TeamPlan("Staf"),
    ),
    people=(
        Person(
            "medewerker@horizon.demo", "Sanne", "de Vries", "Wijkteam Noord", persona="employee"
        ),
        Person("manager@horizon.demo", "Marco", "Jansen", "Zorg", persona="manager"),
        Person("auteur@horizon.demo", "Lotte", "Bakker", "Staf", is_author=True, persona="author"),
        Person("hr@horizon.demo", "Priya", "Ramdin", "Staf", is_hr=True, persona="hr"),
        Person("admin@horizon.demo", "Jeroen", "Visser", "Staf", is_admin=True, persona="admin"),
        Person("fatima.elamrani@horizon.demo", "Fatima", "El Amrani", "Wijkteam Noord"),
        Person("daan.smit@horizon.demo", "Daan", "Smit", "Wijkteam Noord"),
        Person("emma.mulder@horizon.demo", "Emma", "Mulder", "Wijkteam Noord"),
        Person("youssef.bouzid@horizon.demo", "Youssef", "Bouzid", "Wijkteam Noord"),
        Person("noor.hendriks@horizon.demo", "Noor", "Hendriks", "Wijkteam Noord"),
        Person("ingrid.bos@horizon.demo", "Ingrid", "Bos", "Wijkteam Zuid"),
        Person("kevin.deboer@horizon.demo", "Kevin", "de Boer", "Wijkteam Zuid"),
        Person("anouk.peters@horizon.demo", "Anouk", "Peters", "Wijkteam Zuid"),
        Person("mehmet.yilmaz@horizon.demo", "Mehmet", "Yılmaz", "Wijkteam Zuid"),
        Person("lisa.vandijk@horizon.demo", "Lisa", "van Dijk", "Wijkteam Zuid"),
        Person("thijs.vermeulen@horizon.demo", "Thijs", "Vermeulen", "Wijkteam Zuid"),
        Person("henk.degraaf@horizon.demo", "Henk", "de Graaf", "Facilitair"),
        Person("petra.kok@horizon.demo", "Petra", "Kok", "Facilitair"),
        Person("samira.haddou@horizon.demo", "Samira", "Haddou", "Facilitair"),
        Person("bram.vanleeuwen@horizon.demo", "Bram", "van Leeuwen", "Facilitair"),
    ),
    skills=(
        ("Veilig tillen", "Transfers met de juiste hulpmiddelen en houding."),
        ("Klinisch redeneren", "Signalen herkennen, duiden en helder overdragen."),
        ("Communicatie met cliënt en naasten", "Ook als het gesprek lastig wordt."),
        ("Feedback geven", "Elkaar helpen beter te worden, elke dienst."),
        ("Infectiepreventie", "Handhygiëne en persoonlijke beschermingsmiddelen."),
        ("Medicatieveiligheid", "Klaarzetten, controleren, toedienen en aftekenen."),
    ),
    work_processes=(
        ("Transfer van cliënt", "Van bed naar stoel, toilet of douche."),
        ("Dienstoverdracht", "Overdracht tussen diensten en aan de huisarts."),
        ("Medicatie toedienen", "Inclusief dubbele controle bij risicovolle medicatie."),
        ("Incident afhandelen", "Van eerste zorg tot MIC-melding."),
        ("Huisbezoek wijkverpleging", "Zorg bij de cliënt thuis."),
        ("Schoonmaak cliëntkamer", "Dagelijkse en eindschoonmaak."),
    ),
    units=_HORIZON_UNITS,
    assignments=(
        AssignmentPlan("Veilig tillen en verplaatsen", "Wijkteam Noord", 70),
        AssignmentPlan("Veilig tillen en verplaatsen", "Wijkteam Zuid", 70),
        AssignmentPlan("Veilig tillen en verplaatsen", "Facilitair", 63),
        AssignmentPlan("Handhygiëne: de vijf momenten", "Wijkteam Noord", 56),
        AssignmentPlan("Handhygiëne: de vijf momenten", "Wijkteam Zuid", 56),
        AssignmentPlan("Handhygiëne: de vijf momenten", "Facilitair", 49),
        AssignmentPlan("Overdracht met SBAR", "Wijkteam Noord", 42),
        AssignmentPlan("Overdracht met SBAR", "Wijkteam Zuid", 42),
        AssignmentPlan("Valpreventie bij cliënten thuis", "Wijkteam Noord", 28),
        AssignmentPlan("Valpreventie bij cliënten thuis", "Wijkteam Zuid", 28),
        AssignmentPlan("Feedback geven en ontvangen", "Zorg", 12),
        AssignmentPlan("Feedback geven en ontvangen", "Staf", 12),
        AssignmentPlan("Een incident melden", "Wijkteam Noord", 10),
        AssignmentPlan("Een incident melden", "Wijkteam Zuid", 10),
        AssignmentPlan("Een incident melden", "Facilitair", 10),
        AssignmentPlan("Dubbele controle bij risicovolle medicatie", "Wijkteam Zuid", 7),
        AssignmentPlan("Een lastig gesprek voeren", "Wijkteam Noord", 1),
    ),
    # The employee persona has done most of it, has one overdue unit (a nudge is
    # due) and one that was assigned yesterday.
    completed=frozenset(
        {
            ("medewerker@horizon.demo", "Veilig tillen en verplaatsen"),
            ("medewerker@horizon.demo", "Handhygiëne: de vijf momenten"),
            ("medewerker@horizon.demo", "Overdracht met SBAR"),
            ("medewerker@horizon.demo", "Valpreventie bij cliënten thuis"),
            ("medewerker@horizon.demo", "Feedback geven en ontvangen"),
        }
    ),
    not_completed=frozenset(
        {
            ("medewerker@horizon.demo", "Een incident melden"),
            ("medewerker@horizon.demo", "Een lastig gesprek voeren"),
        }
    ),
)


# --- Northwind Logistics (English) ---------------------------------------------------

_NORTHWIND_UNITS = (
    UnitText(
        "Lifting safely in the warehouse",
        (
            "Most back injuries in a warehouse come from everyday lifts, not from one heavy "
            "crate. Before you lift, look at the load: how heavy is it, where is its centre, and "
            "can a pallet truck, trolley or a colleague do it instead?",
            "Plan the route first. Clear the way, open doors and know where you will put the "
            "load down. Carrying something while you look for space is how people twist.",
            "Stand close to the load with your feet apart, bend your knees and keep your back "
            "straight. Hold the load against your body and lift smoothly with your legs.",
            "Turn by moving your feet, never by twisting your back. If the load is too heavy or "
            "awkward, stop and ask for help or equipment: nobody expects you to be a crane.",
        ),
        questions=(
            Question(
                "How do you turn while carrying a load?",
                (
                    "Twist from the waist",
                    "Move your feet",
                    "Lean back and pivot on one foot",
                ),
                1,
                "Turn with your feet, never by twisting your back.",
            ),
            Question(
                "What do you do first, before lifting a crate?",
                ("Look at the load and plan the route", "Lift it quickly", "Bend your back"),
                0,
            ),
        ),
    ),
    UnitText(
        "The pre-trip vehicle check",
        (
            "A five-minute walk around your vehicle before every trip catches most defects "
            "before they become a breakdown or an accident on the road.",
            "Check tyres (pressure, tread, damage), wheel nuts, lights and indicators, mirrors "
            "and windscreen, and look underneath for leaks. Inside the cab, test the brakes, "
            "horn, wipers and warning lights.",
            "Check the load too: is it secured, within the weight limit and spread evenly? A "
            "shifting load changes how the vehicle brakes and corners.",
            "Record the check in the app, including what was fine. Report a defect before you "
            "drive: a vehicle with a safety defect stays in the yard until it is fixed.",
        ),
    ),
    UnitText(
        "Reporting a near miss",
        (
            "A near miss is an event that could have hurt someone but did not: a pallet that "
            "slipped, a forklift that came round a corner too fast. Each one is a free lesson.",
            "Report it the same day, in the safety app or to your team lead. Describe what "
            "happened, where and when, and what you think caused it. Stick to facts; it is not "
            "about blame.",
            "If there is an immediate danger, make the area safe first: stop the work, put out "
            "a cone or warn colleagues.",
            "The safety team looks for patterns and tells you what changed because of your "
            "report. More reports mean fewer accidents, not more trouble.",
        ),
    ),
    UnitText(
        "Giving feedback that helps",
        (
            "Good feedback is specific, timely and about behaviour, not about the person. Give "
            "it soon after the moment, when both of you still remember the details.",
            "Use a simple structure: what you saw, what effect it had, what you would like. "
            "\u201cYou stacked the returns in aisle 4. The picker could not reach the shelf. "
            "Could you use the returns bay next time?\u201d",
            "Say what works as well, just as specifically. People repeat what they are praised "
            "for.",
            "When you receive feedback, listen, ask for an example and say thank you. You can "
            "decide later what to do with it.",
        ),
    ),
)

NORTHWIND = DemoOrganisation(
    slug="northwind",
    name="Northwind Logistics",
    language="en",
    time_zone="Europe/London",
    author="admin@horizon.demo",
    teams=(
        TeamPlan("Warehouse", manager="olivia.bennett@northwind.demo"),
        TeamPlan("Transport", manager="daniel.price@northwind.demo"),
        TeamPlan("Office"),
    ),
    people=(
        Person("employee@northwind.demo", "Jamie", "Carter", "Warehouse", persona="employee"),
        # The organisation switcher: the Horizon admin runs Northwind too.
        Person("admin@horizon.demo", "Jeroen", "Visser", "Office", is_admin=True, is_author=True),
        Person("olivia.bennett@northwind.demo", "Olivia", "Bennett", "Warehouse"),
        Person("liam.walker@northwind.demo", "Liam", "Walker", "Warehouse"),
        Person("aisha.khan@northwind.demo", "Aisha", "Khan", "Warehouse"),
        Person("tom.hughes@northwind.demo", "Tom", "Hughes", "Warehouse"),
        Person("daniel.price@northwind.demo", "Daniel", "Price", "Transport"),
        Person("grace.wilson@northwind.demo", "Grace", "Wilson", "Transport"),
        Person("ryan.murphy@northwind.demo", "Ryan", "Murphy", "Transport"),
        Person("chloe.evans@northwind.demo", "Chloe", "Evans", "Office"),
    ),
    skills=(
        ("Manual handling", "Lifting, carrying and moving loads safely."),
        ("Defensive driving", "Anticipating hazards on the road."),
        ("Safety reporting", "Near misses and incidents, the same day."),
        ("Giving feedback", "Specific, timely, about behaviour."),
    ),
    work_processes=(
        ("Order picking", "From pick list to packed order."),
        ("Loading a trailer", "Weight distribution and securing the load."),
        ("Pre-trip inspection", "The walk-around before every trip."),
        ("Incident reporting", "From making safe to the report."),
    ),
    units=_NORTHWIND_UNITS,
    assignments=(
        AssignmentPlan("Lifting safely in the warehouse", "Warehouse", 56),
        AssignmentPlan("The pre-trip vehicle check", "Transport", 42),
        AssignmentPlan("Reporting a near miss", "Warehouse", 12),
        AssignmentPlan("Reporting a near miss", "Transport", 12),
        AssignmentPlan("Giving feedback that helps", "Office", 8),
    ),
    completed=frozenset({("employee@northwind.demo", "Lifting safely in the warehouse")}),
    not_completed=frozenset({("employee@northwind.demo", "Reporting a near miss")}),
)

DEMO_ORGANISATIONS = (HORIZON, NORTHWIND)


# Skills and work processes per demo unit (by title): the catalogue's filters, the
# work process pages and "For you" have something to show.
UNIT_TAGS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Veilig tillen en verplaatsen": (("Veilig tillen",), ("Transfer van cliënt",)),
    "Overdracht met SBAR": (("Klinisch redeneren",), ("Dienstoverdracht",)),
    "Een lastig gesprek voeren": (("Communicatie met cliënt en naasten",), ()),
    "Feedback geven en ontvangen": (("Feedback geven",), ()),
    "Een incident melden": ((), ("Incident afhandelen",)),
    "Handhygiëne: de vijf momenten": (
        ("Infectiepreventie",),
        ("Huisbezoek wijkverpleging", "Schoonmaak cliëntkamer"),
    ),
    "Dubbele controle bij risicovolle medicatie": (
        ("Medicatieveiligheid",),
        ("Medicatie toedienen",),
    ),
    "Valpreventie bij cliënten thuis": (("Klinisch redeneren",), ("Huisbezoek wijkverpleging",)),
    "Omgaan met agressief gedrag": (("Communicatie met cliënt en naasten",), ()),
    "Lifting safely in the warehouse": (
        ("Manual handling",),
        ("Order picking", "Loading a trailer"),
    ),
    "The pre-trip vehicle check": (("Defensive driving",), ("Pre-trip inspection",)),
    "Reporting a near miss": (("Safety reporting",), ("Incident reporting",)),
    "Giving feedback that helps": (("Giving feedback",), ()),
}
