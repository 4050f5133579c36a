"""UHRI export files in the real shapes, for tests, the benchmark and a test HTTP server.

`synthetic_uhri_records` makes annotations that read like the UHRI's: UPR
reviews and treaty-body and special-procedure reports with real-looking
symbols, paragraph numbers, HTML in some texts, joint UPR recommendations,
and the labels of the project's vocabularies (`rectrack/taxonomy/data/`)
with some older ones mixed in. None of it is real data.

`write_uhri_json` and `write_uhri_xlsx` write any annotations as OHCHR's
export does (the shapes are described in `rectrack.imports.formats.uhri`).
An annotation is a dict with the JSON export's keys:

    {"AnnotationId": "…uuid…", "AnnotationType": "- Recommendations", "Body": "- UPR",
     "Countries": ["Slovenia"], "DocumentId": "…uuid…",
     "PublicationDate": "2019-11-15T00:00:00", "PublicationDateOnUhri": "2019-12-05T10:53:45.827",
     "Regions": ["Eastern Europe"], "Sdgs": ["4.1 - By 2030, …"], "Symbol": "A/HRC/43/15",
     "Text": "<p>121.2 Ratify … (Ukraine, Chile);</p>", "Themes": ["Right to education"],
     "AffectedPersons": ["Children"], "UprCycle": 3, "UprPositions": ["Supported"],
     "UprRecommendingCountry": ["Ukraine", "Chile"],
     "UprRecommendingRegions": ["Eastern Europe", "Latin America and the Caribbean"],
     "UprSession": ["34"]}

Both writers stream: the benchmark writes 260,000 annotations (about 360 MB of JSON).
"""

import functools
import html
import json
import random
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import yaml
from openpyxl import Workbook

TAXONOMY_DATA = Path(__file__).resolve().parent.parent / "taxonomy" / "data"

XLSX_HEADERS = [
    "Text",
    "Countries Concerned",
    "Reccomending Body",  # sic, as OHCHR exports it
    "Document Symbol",
    "Themes",
    "Affected Persons",
    "Sdgs",
    "Document Publication Date",
    "UPR Reccomending States",  # sic
    "UPR Position",
    "Type",
    "OHCHR Annotation Id",
    "UPR Session",
    "Regions Concerned",
    "Recommending Regions",
    "Date of publication on UHRI",
]

AFRICA, ASIA, EASTERN_EUROPE, LATIN_AMERICA, WEOG = (
    "Africa",
    "Asia-Pacific",
    "Eastern Europe",
    "Latin America and the Caribbean",
    "Western European and Other States",
)
# (name, ISO 3166 alpha-3, UN regional group); symbols and regions are made from them.
COUNTRIES = [
    ("Slovenia", "SVN", EASTERN_EUROPE), ("Ukraine", "UKR", EASTERN_EUROPE), ("Poland", "POL", EASTERN_EUROPE),
    ("Croatia", "HRV", EASTERN_EUROPE), ("Serbia", "SRB", EASTERN_EUROPE), ("Georgia", "GEO", EASTERN_EUROPE),
    ("Albania", "ALB", EASTERN_EUROPE), ("Slovakia", "SVK", EASTERN_EUROPE), ("Romania", "ROU", EASTERN_EUROPE),
    ("Armenia", "ARM", EASTERN_EUROPE), ("Peru", "PER", LATIN_AMERICA), ("Chile", "CHL", LATIN_AMERICA),
    ("Mexico", "MEX", LATIN_AMERICA), ("Brazil", "BRA", LATIN_AMERICA), ("Colombia", "COL", LATIN_AMERICA),
    ("Argentina", "ARG", LATIN_AMERICA), ("Ecuador", "ECU", LATIN_AMERICA), ("Paraguay", "PRY", LATIN_AMERICA),
    ("Costa Rica", "CRI", LATIN_AMERICA), ("Jamaica", "JAM", LATIN_AMERICA), ("Kenya", "KEN", AFRICA),
    ("Ghana", "GHA", AFRICA), ("Senegal", "SEN", AFRICA), ("Nigeria", "NGA", AFRICA), ("South Africa", "ZAF", AFRICA),
    ("Morocco", "MAR", AFRICA), ("Uganda", "UGA", AFRICA), ("Zambia", "ZMB", AFRICA), ("Togo", "TGO", AFRICA),
    ("Sierra Leone", "SLE", AFRICA), ("Côte d'Ivoire", "CIV", AFRICA), ("Tunisia", "TUN", AFRICA),
    ("India", "IND", ASIA), ("Indonesia", "IDN", ASIA), ("Philippines", "PHL", ASIA), ("Thailand", "THA", ASIA),
    ("Mongolia", "MNG", ASIA), ("Nepal", "NPL", ASIA), ("Jordan", "JOR", ASIA), ("Fiji", "FJI", ASIA),
    ("Maldives", "MDV", ASIA), ("Tonga", "TON", ASIA), ("Viet Nam", "VNM", ASIA), ("Kazakhstan", "KAZ", ASIA),
    ("Germany", "DEU", WEOG), ("France", "FRA", WEOG), ("Spain", "ESP", WEOG), ("Portugal", "PRT", WEOG),
    ("Norway", "NOR", WEOG), ("Australia", "AUS", WEOG), ("Canada", "CAN", WEOG), ("Ireland", "IRL", WEOG),
    ("Netherlands", "NLD", WEOG), ("Luxembourg", "LUX", WEOG), ("Austria", "AUT", WEOG), ("Belgium", "BEL", WEOG),
]  # fmt: skip
DEFAULT_COUNTRIES = tuple(name for name, _iso3, _region in COUNTRIES)
_COUNTRY_INFO = {name: (iso3, region) for name, iso3, region in COUNTRIES}

# Treaty bodies: the acronym UHRI gives them, and how their concluding observations are numbered.
TREATY_BODIES = [
    ("CCPR", "CCPR/C/{iso3}/CO/{edition}"),
    ("CESCR", "E/C.12/{iso3}/CO/{edition}"),
    ("CERD", "CERD/C/{iso3}/CO/{edition}"),
    ("CEDAW", "CEDAW/C/{iso3}/CO/{edition}"),
    ("CAT", "CAT/C/{iso3}/CO/{edition}"),
    ("CRC", "CRC/C/{iso3}/CO/{edition}"),
    ("CRPD", "CRPD/C/{iso3}/CO/{edition}"),
    ("CMW", "CMW/C/{iso3}/CO/{edition}"),
    ("CED", "CED/C/{iso3}/CO/{edition}"),
]
UPR_CYCLE_STARTS = {1: 1, 2: 13, 3: 27, 4: 41}  # the first Working Group session of each cycle
SPECIAL_PROCEDURES = ["SR education", "SR torture", "SR health", "WGAD", "SR housing", "SR migrants", "IE SOGI"]

# What a recommendation asks, with the labels a human would give it: (action, themes, affected persons, SDG targets).
ACTIONS = [
    (
        "Ratify the Optional Protocol to the Convention against Torture",
        [
            "Ratification of & accession to international instruments",
            "Prohibition of torture & ill-treatment (including cruel, inhuman or degrading treatment)",
        ],
        ["Persons deprived of their liberty & detainees"],
        ["16.3"],
    ),
    (
        "Ratify the International Convention on the Protection of the Rights of All Migrant Workers",
        ["Ratification of & accession to international instruments", "Migrants"],
        ["Migrants"],
        ["10.7"],
    ),
    (
        "Ensure inclusive education for Roma & Sinti children and improve their school attendance",
        ["Right to education", "Members of minorities"],
        ["Roma, Gypsies, Sinti & Travellers", "Children"],
        ["4.1", "4.5"],
    ),
    (
        "Investigate all allegations of torture and ill-treatment by police officers and bring perpetrators to justice",
        [
            "Prohibition of torture & ill-treatment (including cruel, inhuman or degrading treatment)",
            "Rule of law & impunity",
        ],
        ["Law enforcement / police & prison officials"],
        ["16.3"],
    ),
    (
        "Adopt a comprehensive strategy to combat violence against women, including domestic violence",
        ["Violence against women", "Sexual & gender-based violence"],
        ["Women & girls"],
        ["5.2"],
    ),
    (
        "Strengthen the independence and resources of the national human rights institution",
        ["National Human Rights Institution (NHRI)"],
        [],
        ["16.a"],
    ),
    (
        "Improve conditions of detention and reduce overcrowding in prisons",
        ["Conditions of detention"],
        ["Persons deprived of their liberty & detainees"],
        ["16.3"],
    ),
    (
        "Adopt legislation prohibiting discrimination on the grounds of sexual orientation and gender identity",
        ["Equality & non-discrimination", "Constitutional & legislative framework"],
        ["Lesbian, gay, bisexual and transgender and intersex persons (LGBTI)"],
        ["10.3", "16.b"],
    ),
    (
        "Guarantee the right to peaceful assembly and protect journalists and human rights defenders from harassment",
        ["Right to peaceful assembly", "Freedom of opinion and expression & access to information"],
        ["Media", "Civil society"],
        ["16.10"],
    ),
    (
        "Combat trafficking in persons and provide protection and assistance to victims",
        ["Human trafficking & contemporary forms of slavery", "Support to victims & witnesses"],
        ["Women & girls", "Children"],
        ["5.2", "16.2", "8.7"],
    ),
    (
        "Ensure access to health care, including sexual and reproductive health services, in rural areas",
        ["Right to health", "Sexual & reproductive health and rights"],
        ["Persons living in rural areas", "Women & girls"],
        ["3.7", "3.8"],
    ),
    (
        "Abolish the death penalty and commute all existing death sentences",
        ["Death penalty", "Right to life"],
        [],
        ["16.1"],
    ),
    (
        "Take measures to reduce poverty and guarantee an adequate standard of living for all",
        ["Human rights & poverty", "Right to an adequate standard of living"],
        ["Persons living in poverty"],
        ["1.2", "1.3"],
    ),
    (
        "Ensure the independence of the judiciary and access to justice for all",
        ["Administration of justice & fair trial", "Access to justice & remedy"],
        ["Judges, lawyers and prosecutors"],
        ["16.3"],
    ),
    (
        "Ensure birth registration for all children, including those of refugees and asylum seekers",
        ["Rights related to name, identity & nationality"],
        ["Children", "Refugees & asylum seekers", "Stateless persons"],
        ["16.9"],
    ),
    (
        "Guarantee the rights of persons with disabilities to live independently and be included in the community",
        ["Persons with disabilities: independence, inclusion"],
        ["Persons with disabilities"],
        ["10.2", "11.2"],
    ),
    (
        "Establish a national mechanism for implementation, reporting and follow-up of recommendations",
        [
            "National Mechanisms for Implementation, Reporting and Follow-up (NMIRF)",
            "Cooperation with human rights mechanisms & requests for technical assistance",
        ],
        [],
        ["16.6", "17.18"],
    ),
    (
        "Adopt a national action plan on business and human rights",
        [
            "National Human Rights Action Plans (or specific areas) / implementation plans",
            "Labour rights and right to work",
        ],
        [],
        ["8.8"],
    ),
    (
        "Increase the participation of women in political and public life",
        ["Participation of women in political & public life", "Discrimination against women"],
        ["Women & girls"],
        ["5.5"],
    ),
    (
        "Ensure access to safe drinking water and sanitation for all communities",
        ["Safe drinking water & sanitation"],
        ["Persons living in rural areas", "Minorities/ racial, ethnic, linguistic, religious or descent-based groups"],
        ["6.1", "6.2"],
    ),
    (
        "Protect indigenous peoples' rights to their lands and ensure their free, prior and informed consent",
        ["Indigenous peoples", "Land & property rights"],
        ["Indigenous peoples"],
        ["1.4", "2.3"],
    ),
    (
        "Combat hate speech and racially motivated crimes and ensure that they are investigated and punished",
        ["Racial discrimination", "Rule of law & impunity"],
        ["Minorities/ racial, ethnic, linguistic, religious or descent-based groups", "Migrants"],
        ["10.3", "16.b"],
    ),
    (
        "Guarantee freedom of religion or belief for all religious communities",
        ["Freedom of thought, conscience & religion"],
        ["Minorities/ racial, ethnic, linguistic, religious or descent-based groups"],
        ["16.10"],
    ),
    (
        "Raise the minimum age of marriage to 18 years for both girls and boys",
        ["Rights related to marriage & family", "Children: definition; general principles; protection"],
        ["Children", "Women & girls"],
        ["5.3"],
    ),
    (
        "Provide human rights training to law enforcement officials, judges and prosecutors",
        ["Human rights education, trainings & awareness raising"],
        ["Law enforcement / police & prison officials", "Judges, lawyers and prosecutors"],
        ["4.7", "16.a"],
    ),
    (
        "Develop a juvenile justice system that respects international standards",
        ["Children: juvenile justice", "Administration of justice & fair trial"],
        ["Youth & juveniles", "Children"],
        ["16.3"],
    ),
    (
        "Integrate human rights into climate change adaptation policies",
        ["Human rights & climate change", "Human rights & the environment"],
        ["Persons living in poverty"],
        ["13.2", "13.1"],
    ),
    (
        "Allocate sufficient resources for the implementation of the national strategy on social inclusion",
        ["Budget & resources (for human rights implementation)", "Right to social security"],
        ["Older persons", "Persons with disabilities"],
        ["1.3", "10.4"],
    ),
    (
        "Ensure that all persons deprived of their liberty have access to a lawyer from the outset of detention",
        ["Arbitrary arrest & detention", "Liberty & security of the person"],
        ["Persons deprived of their liberty & detainees"],
        ["16.3"],
    ),
    (
        "Strengthen efforts to fight corruption and ensure transparency in public administration",
        ["Good governance & corruption"],
        ["Public officials"],
        ["16.5", "16.6"],
    ),
]
QUALIFIERS = [
    "",
    "",
    " in line with international standards",
    " and allocate adequate resources for its implementation",
    " with the participation of civil society",
    " in consultation with the national human rights institution",
    " as recommended during the previous review",
    " and ensure its effective implementation",
    " and collect disaggregated data to monitor progress",
]
CONCERNS = [
    "the persistence of discriminatory stereotypes regarding the roles of women & men",
    "reports of excessive use of force by law enforcement officials",
    "the insufficient resources allocated to the national human rights institution",
    "the high rate of school dropout among children belonging to minorities",
    "the lack of comprehensive data on violence against women",
    "reports of overcrowding and poor material conditions in places of detention",
]
# Older labels still found in exports: the coded themes of cycle 2 and the previous affected-persons list.
LEGACY_THEMES = [
    "A12 Acceptance of international norms",
    "A41 Constitutional and legislative framework",
    "B31 Equality & non-discrimination",
    "B32 Racial discrimination",
    "D51 Administration of justice & fair trial",
    "E51 Right to education - General",
    "G1 Members of minorities",
]
POSITIONS = ["Supported"] * 3 + ["Noted"]
OPEN_DOCUMENTS = 8


@functools.cache
def _vocabulary() -> dict:
    """The labels of the project's vocabularies, read once: themes, affected persons, SDG targets and goals."""

    def lines(name: str) -> list[str]:
        text = (TAXONOMY_DATA / "uhri" / name).read_text(encoding="utf-8")
        return [line.strip() for line in text.splitlines() if line.strip()]

    sdg = {}
    for name in ("global_goals.yml", "global_targets.yml"):
        sdg.update(yaml.safe_load((TAXONOMY_DATA / "sdg" / "en" / name).read_text(encoding="utf-8")))
    targets = {
        key.removesuffix("-title").replace("-", "."): " ".join(str(text).split())
        for key, text in sdg.items()
        if key.count("-") == 2 and key.endswith("-title")
    }
    return {
        "themes": lines("themes-current.txt"),
        "affected": lines("affected-persons-current.txt"),
        "affected_legacy": lines("affected-persons-legacy.txt"),
        "target_by_code": {code: f"{code} - {text}" for code, text in targets.items()},
        "goals": [f"{goal} - {sdg[f'{goal}-short'].upper()}" for goal in range(1, 18)],
        "goals_legacy": [f"S{goal} SDG {goal} - {sdg[f'{goal}-short'].lower()}" for goal in range(1, 18)],
    }


@dataclass
class _Document:
    body: str  # as UHRI writes it: "- UPR"
    symbol: str
    country: str
    published: date
    session: int | None = None
    cycle: int | None = None
    first_paragraph: int = 0
    next_paragraph: int = 1
    document_id: str = ""


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


class _Generator:
    """Annotations of UPR reviews and of reports, numbered as in them; the same seed gives the same annotations."""

    def __init__(self, seed: int, countries: Sequence[str]):
        self.rng = random.Random(seed)  # noqa: S311 - sample data, not secrets
        self.countries = list(countries)
        self.index = {country: index for index, country in enumerate(self.countries)}
        self.vocabulary = _vocabulary()
        self.documents: dict[str, _Document] = {}

    def info(self, country: str) -> tuple[str, str, int]:
        """ISO code, region and a stable index for any State, listed in COUNTRIES or not."""
        index = self.index.get(country, len(self.countries))
        iso3, region = _COUNTRY_INFO.get(country, (country.replace(" ", "")[:3].upper(), ""))
        return iso3, region, index

    def document(self) -> _Document:
        """A review or report; drawn again, it goes on with its next paragraphs."""
        rng = self.rng
        country = rng.choice(self.countries)
        iso3, _region, index = self.info(country)
        draw = rng.random()
        if draw < 0.25:
            cycle = rng.randint(1, 4)
            sessions = 12 if cycle == 1 else 14  # States under review are spread over the cycle's sessions
            session = UPR_CYCLE_STARTS[cycle] + index % sessions
            year = 2008 + (session - 1) // 3
            published = date(year, (2, 5, 11)[(session - 1) % 3], 10 + index % 18)
            council = session + (8 if cycle <= 2 else 9)
            symbol = f"A/HRC/{council}/{index // sessions + 1}"
            spec = ("- UPR", symbol, published, session, cycle)
        elif draw < 0.85:
            body_index = rng.randrange(len(TREATY_BODIES))
            body, pattern = TREATY_BODIES[body_index]
            edition = rng.randint(1, 6)
            published = date(
                1998 + 4 * edition + (index + body_index) % 4, 1 + (index + body_index) % 12, 1 + index % 27
            )
            spec = (f"- {body}", pattern.format(iso3=iso3, edition=edition), published, None, None)
        else:
            procedure = rng.randrange(len(SPECIAL_PROCEDURES))
            visit = rng.randint(0, 3)
            year = 2007 + 4 * visit + index % 4
            council = (year - 2006) * 3 + 1
            symbol = f"A/HRC/{council}/{30 + procedure}/Add.{index // 4 + 1}"
            spec = (f"- {SPECIAL_PROCEDURES[procedure]}", symbol, date(year, 3, 1 + index % 27), None, None)
        body, symbol, published, session, cycle = spec
        if symbol not in self.documents:
            first = rng.randint(90, 150) if session else rng.randint(6, 12)
            self.documents[symbol] = _Document(
                body, symbol, country, published, session, cycle, first, document_id=_uuid(rng)
            )
        return self.documents[symbol]

    def draw(self) -> tuple[_Document, int]:
        """A document, and how many annotations to write from it now: a UPR review has more than a report."""
        document = self.document()
        return document, self.rng.randint(60, 240) if document.session else self.rng.randint(15, 60)

    def labels(self, action: tuple) -> tuple[list[str], list[str], list[str]]:
        """Themes, affected persons and SDGs: the action's own, some more, some in older vocabularies."""
        rng, vocabulary = self.rng, self.vocabulary
        _text, themes, affected, targets = action
        themes = list(themes)
        if rng.random() < 0.3:
            themes.append(rng.choice(vocabulary["themes"]))
        if rng.random() < 0.1:
            themes.append(rng.choice(LEGACY_THEMES))
        affected = list(affected)
        if rng.random() < 0.15:
            affected.append(rng.choice(vocabulary["affected"]))
        if rng.random() < 0.1:
            affected.append(rng.choice(vocabulary["affected_legacy"]))
        sdgs = [vocabulary["target_by_code"][code] for code in targets if code in vocabulary["target_by_code"]]
        if rng.random() < 0.1:
            sdgs.append(rng.choice(vocabulary["goals"] + vocabulary["goals_legacy"]))
        return list(dict.fromkeys(themes)), list(dict.fromkeys(affected)), list(dict.fromkeys(sdgs))

    def upr_text(self, document: _Document, states: list[str]) -> tuple[str, tuple]:
        action = self.rng.choice(ACTIONS)
        paragraph = f"{document.first_paragraph}.{document.next_paragraph}"
        text = f"{paragraph} {action[0]}{self.rng.choice(QUALIFIERS)} ({', '.join(states)});"
        return self.html_or_plain([text]), action

    def treaty_text(self, document: _Document, concern: bool) -> tuple[str, tuple]:
        rng = self.rng
        actions = rng.sample(ACTIONS, rng.randint(1, 3))
        asks = [f"{action[0][0].lower()}{action[0][1:]}{rng.choice(QUALIFIERS)}" for action in actions]
        author = "The Committee" if "/CO/" in document.symbol else "The Special Rapporteur"
        opening = f"{document.first_paragraph + document.next_paragraph - 1}. "
        if concern:
            opening += f"{author} is concerned about {rng.choice(CONCERNS)}. "
        if len(asks) == 1:
            lines = [f"{opening}{author} recommends that the State party {asks[0]}."]
        else:
            lines = [f"{opening}{author} recommends that the State party:"]
            lines += [f"({'abc'[n]}) {ask}{';' if n < len(asks) - 1 else '.'}" for n, ask in enumerate(asks)]
        return self.html_or_plain(lines), actions[0]

    def html_or_plain(self, lines: list[str]) -> str:
        """Some texts come as HTML (a paragraph, line breaks, entities), the others as plain text."""
        if self.rng.random() < 0.4:
            return "<p>" + "<br/>".join(html.escape(line, quote=False) for line in lines) + "</p>"
        return " ".join(lines)

    def annotation(self, document: _Document) -> dict:
        rng = self.rng
        _iso3, region, _index = self.info(document.country)
        states, positions = [], []
        concern = False
        if document.session:
            others = [country for country in self.countries if country != document.country] or self.countries
            states = rng.sample(others, min(len(others), 1 if rng.random() < 0.8 else rng.randint(2, 4)))
            text, action = self.upr_text(document, states)
            positions = [rng.choice(POSITIONS)]
        else:
            concern = rng.random() < 0.3
            text, action = self.treaty_text(document, concern)
        document.next_paragraph += 1
        themes, affected, sdgs = self.labels(action)
        published = document.published
        return {
            "AnnotationId": _uuid(rng),
            "AnnotationType": "- Concerns/Observations" if concern else "- Recommendations",
            "Body": document.body,
            "Countries": [document.country],
            "DocumentId": document.document_id,
            "PublicationDate": f"{published.isoformat()}T00:00:00",
            "PublicationDateOnUhri": f"{(published + timedelta(days=20)).isoformat()}T10:53:45.827",
            "Regions": [region] if region else [],
            "Sdgs": sdgs,
            "Symbol": document.symbol,
            "Text": text,
            "Themes": themes,
            "AffectedPersons": affected,
            "UprCycle": document.cycle,
            "UprPositions": positions,
            "UprRecommendingCountry": states,
            "UprRecommendingRegions": list(dict.fromkeys(r for r in (self.info(s)[1] for s in states) if r)),
            "UprSession": [str(document.session)] if document.session else [],
        }


def synthetic_uhri_records(n: int, seed: int = 0, countries: Sequence[str] = DEFAULT_COUNTRIES) -> Iterator[dict]:
    """`n` annotations in the JSON export's shape, made up but realistic, generated as they are consumed."""
    generator = _Generator(seed, countries)
    # Several documents are written at once, so that even a few annotations come from several bodies.
    slots = [generator.draw() for _ in range(OPEN_DOCUMENTS)]
    for _ in range(n):
        index = generator.rng.randrange(len(slots))
        document, remaining = slots[index]
        yield generator.annotation(document)
        slots[index] = (document, remaining - 1) if remaining > 1 else generator.draw()


def write_uhri_json(path: Path, records: Iterable[dict]) -> int:
    """Write annotations as the UHRI JSON export (one list), one at a time; returns how many."""
    count = 0
    with open(path, "w", encoding="utf-8") as out:
        out.write("[")
        for record in records:
            out.write(",\n" if count else "\n")
            out.write(json.dumps(record, ensure_ascii=False))
            count += 1
        out.write("\n]\n")
    return count


_EXCEL_EPOCH = datetime(1899, 12, 30)  # noqa: DTZ001 - Excel serial numbers have no time zone


def _serial(value: str | None) -> float | int | None:
    """An ISO date or date-time as an Excel serial number (45123, or 45123.4996 with a time)."""
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    days = (moment - _EXCEL_EPOCH) / timedelta(days=1)
    return int(days) if days == int(days) else round(days, 10)


def _cell(values: list[str] | str | None) -> str | None:
    """A multi-value cell: one value a line, each after "- "; None when there is none."""
    if isinstance(values, str):
        return values or None
    return "\n".join(f"- {value}" for value in values) if values else None


def _row(record: dict) -> list:
    return [
        record.get("Text"),
        _cell(record.get("Countries")),
        record.get("Body"),
        record.get("Symbol"),
        _cell(record.get("Themes")),
        _cell(record.get("AffectedPersons")),
        _cell(record.get("Sdgs")),
        _serial(record.get("PublicationDate")),
        _cell(record.get("UprRecommendingCountry")),
        _cell(record.get("UprPositions")),
        record.get("AnnotationType"),
        record.get("AnnotationId"),
        _cell(record.get("UprSession")),
        _cell(record.get("Regions")),
        _cell(record.get("UprRecommendingRegions")),
        _serial(record.get("PublicationDateOnUhri")),
    ]


def write_uhri_xlsx(path: Path, records: Iterable[dict]) -> int:
    """Write annotations as the UHRI Excel export (openpyxl's write-only mode, row by row); returns how many."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Export")
    sheet.append(XLSX_HEADERS)
    count = 0
    for record in records:
        sheet.append(_row(record))
        count += 1
    workbook.save(path)
    return count
