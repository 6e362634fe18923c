"""Every code list the child-level dataset uses, with the collection years each code is valid.

A collection year is named by the year it ends: 2025 is the year 1 April 2024 to 31 March
2025 ("2024-25"), the year of the SSDA903 return and CIN census made in spring 2025.
``Code.first_year`` and ``Code.last_year`` bound the years a code may be used, inclusive;
``None`` means no bound: the code was valid before the earliest specification we hold,
or is valid still.

The DfE's codes are written out here from its specifications as published in
machine-readable form (see ``specs/README.md`` in the project's shared folder):

- SSDA903: ``SSDA903_schema_2017.yml`` (the 2016-17 return, and 2017-18 which had no
  change) and the yearly ``SSDA903_schema_20NN.diff.yml``, each the change for the
  collection year ending in 20NN; the validator's 2025-26 rule 146 for Z1's retirement.
- CIN census: ``CIN_schema_2024.xsd``, ``_2025`` and ``_2026``. Where no year is given the
  code is in all three; we do not hold earlier schemas.
- Ofsted Annex A: ``Annex_A_schema.yml`` (its lists group these same codes).

Lists that the DfE does not define (RAG ratings, contact outcomes, service areas, roles)
are ours, in lower-case words, following Data to Insight's Standard Safeguarding Dataset
where it has an equivalent.

Labels are the DfE's meanings, shortened only where the DfE's own text is a paragraph.
The spec files are not read at run time: they are not shipped with the package, and a
code list is a fact about the law that should change only by a reviewed commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Code:
    code: str
    label: str
    first_year: int | None = None  # first collection year the code may be used
    last_year: int | None = None  # last collection year the code may be used

    def valid_in(self, year: int) -> bool:
        return (self.first_year is None or self.first_year <= year) and (
            self.last_year is None or year <= self.last_year
        )

    @property
    def years(self) -> str:
        """The years the code applies to, in words: "from 2024-25", "2017-18 to 2023-24"."""
        first, last = self.first_year, self.last_year
        if first is None and last is None:
            return "all years"
        if last is None:
            return f"from {year_label(first)}" if first is not None else "all years"
        if first is None:
            return f"until {year_label(last)}"
        return f"{year_label(first)} to {year_label(last)}"


@dataclass(frozen=True)
class CodeList:
    name: str
    source: str
    codes: tuple[Code, ...]

    def __post_init__(self) -> None:
        seen = [c.code for c in self.codes]
        if len(seen) != len(set(seen)):
            raise ValueError(f"code list {self.name} repeats a code")

    @property
    def all_codes(self) -> frozenset[str]:
        return frozenset(c.code for c in self.codes)

    @property
    def has_years(self) -> bool:
        """Whether any code is limited to some collection years."""
        return any(c.first_year is not None or c.last_year is not None for c in self.codes)

    def get(self, code: str) -> Code:
        for c in self.codes:
            if c.code == code:
                return c
        raise KeyError(f"{code!r} is not a code of {self.name}")

    def codes_for(self, year: int | None = None) -> frozenset[str]:
        if year is None:
            return self.all_codes
        return frozenset(c.code for c in self.codes if c.valid_in(year))


def collection_year(d: date) -> int:
    """The collection year containing ``d``: the year ending 31 March in which it falls."""
    return d.year + 1 if d.month >= 4 else d.year


def year_label(year: int) -> str:
    """2025 -> "2024-25", as the DfE names its collection years."""
    return f"{year - 1}-{year % 100:02d}"


def _codes(*pairs: tuple[str, str]) -> tuple[Code, ...]:
    """Codes valid in every year we know of, from (code, label) pairs."""
    return tuple(Code(code, label) for code, label in pairs)


# --- Child characteristics ---------------------------------------------------------------

SEX = CodeList(
    "sex",
    # The dataset keeps one coding for every year: the DfE's M/F/U, used by the 903 from
    # 2024-25 (SSDA903_schema_2025.diff.yml) and the CIN census from 2024-25 (Sex in
    # CIN_schema_2025.xsd). Readers of older returns map 903 SEX 1/2 and CIN GenderCurrent
    # 1/2/0/9 onto these, so the code list does not depend on the year.
    "SSDA903 SEX and CIN Sex (2024-25 onwards); older returns' codes mapped by readers",
    _codes(("M", "Male"), ("F", "Female"), ("U", "Unknown, not recorded or unborn")),
)

ETHNICITY = CodeList(
    "ethnicity",
    # Identical in SSDA903_schema_2017.yml (ETHNIC) and CIN_schema_2024-2026.xsd.
    "SSDA903 ETHNIC; CIN Ethnicity",
    _codes(
        ("WBRI", "White British"),
        ("WIRI", "White Irish"),
        ("WIRT", "Traveller of Irish heritage"),
        ("WOTH", "Any other White background"),
        ("WROM", "Gypsy/Roma"),
        ("MWBC", "White and Black Caribbean"),
        ("MWBA", "White and Black African"),
        ("MWAS", "White and Asian"),
        ("MOTH", "Any other Mixed background"),
        ("AIND", "Indian"),
        ("APKN", "Pakistani"),
        ("ABAN", "Bangladeshi"),
        ("AOTH", "Any other Asian background"),
        ("BCRB", "Caribbean"),
        ("BAFR", "African"),
        ("BOTH", "Any other Black background"),
        ("CHNE", "Chinese"),
        ("OOTH", "Any other ethnic group"),
        ("REFU", "Refused"),
        ("NOBT", "Information not yet obtained"),
    ),
)

DISABILITY = CodeList(
    "disability",
    # CIN_schema_2024-2026.xsd disabilitytype. The census's NONE is not a code here: the
    # dataset records "no disability" as an empty list, and the CIN writer puts NONE back.
    "CIN Disability",
    _codes(
        ("MOB", "Mobility"),
        ("HAND", "Hand function"),
        ("PC", "Personal care"),
        ("INC", "Incontinence"),
        ("COMM", "Communication"),
        ("LD", "Learning"),
        ("HEAR", "Hearing"),
        ("VIS", "Vision"),
        ("BEH", "Behaviour"),
        ("CON", "Consciousness"),
        ("AUT", "Autism"),
        ("DDA", "Other disability"),
    ),
)

# --- Front door and child in need ----------------------------------------------------------

REFERRAL_SOURCE = CodeList(
    "referral_source",
    # CIN_schema_2024-2026.xsd referralsourcetype; Annex A list 1 groups these by letter.
    "CIN ReferralSource",
    _codes(
        ("1A", "Individual - family member, relative or carer"),
        ("1B", "Individual - acquaintance (including neighbours and child minders)"),
        ("1C", "Individual - self"),
        ("1D", "Individual - other (including strangers)"),
        ("2A", "Schools"),
        ("2B", "Education services"),
        ("3A", "Health services - general practitioner (GP)"),
        ("3B", "Health services - health visitor"),
        ("3C", "Health services - school nurse"),
        ("3D", "Health services - other primary health services"),
        ("3E", "Health services - A&E (accident and emergency department)"),
        ("3F", "Health services - other (for example hospice)"),
        ("4", "Housing - local authority housing or housing association"),
        ("5A", "LA services - social care, for example adult social care services"),
        ("5B", "LA services - other internal (for example youth offending, excluding housing)"),
        ("5C", "LA services - external, for example another authority's adult social care"),
        ("5D", "LA services - early help"),
        ("6", "Police"),
        ("7", "Other legal agency - including courts, probation, immigration, Cafcass or prison"),
        ("8", "Other - including children's centres, independent agency providers or "
              "voluntary organisations"),
        ("9", "Anonymous"),
        ("10", "Unknown"),
    ),
)

RAG = CodeList(
    "rag",
    # Ours: the screening RAG rating. Targets to gather partner information are local
    # settings (DOMAIN.md: red 2 hours, amber 6 hours, green 24 hours).
    "Children Matter (SSD has no code set)",
    _codes(
        ("red", "Red - immediate risk of significant harm"),
        ("amber", "Amber - concerns needing a prompt decision"),
        ("green", "Green - no immediate risk"),
    ),
)

CONTACT_OUTCOME = CodeList(
    "contact_outcome",
    # Ours: the threshold decisions of DOMAIN.md; SSD cont_contact_outcome_json holds the
    # case system's own outcome, which an extract maps to one of these.
    "Children Matter (after SSD contact outcome)",
    _codes(
        ("nfa", "No further action"),
        ("advice_signposting", "Advice and signposting"),
        ("early_help", "Early help"),
        ("referral", "Referral to children's social care"),
        ("strategy_discussion", "Strategy discussion (significant harm suspected)"),
    ),
)

EARLY_HELP_END_REASON = CodeList(
    "early_help_end_reason",
    "Children Matter (after SSD earl_episode_end_reason)",
    _codes(
        ("completed", "Support completed: needs met"),
        ("stepped_up", "Stepped up to children's social care"),
        ("disengaged", "Family disengaged or withdrew consent"),
        ("moved_away", "Moved out of the area"),
        ("other", "Other reason"),
    ),
)

PRIMARY_NEED = CodeList(
    "primary_need",
    # CIN_schema_2024-2026.xsd primaryneedcodetype. The 903's category of need (CIN) uses
    # N1-N8 of the same list (SSDA903_schema_2017.yml). N1 read "Abuse or neglect" until
    # the 2024-25 schema; the meaning did not change.
    "CIN PrimaryNeedCode; SSDA903 CIN",
    _codes(
        ("N1", "Abuse, neglect and exploitation"),
        ("N2", "Child's disability"),
        ("N3", "Parental disability or illness"),
        ("N4", "Family in acute stress"),
        ("N5", "Family dysfunction"),
        ("N6", "Socially unacceptable behaviour"),
        ("N7", "Low income"),
        ("N8", "Absent parenting"),
        ("N9", "Cases other than children in need"),
        ("N0", "Not stated"),
    ),
)

CLOSURE_REASON = CodeList(
    "closure_reason",
    # CIN_schema_2024-2026.xsd reasonforclosuretype.
    "CIN ReasonForClosure",
    _codes(
        ("RC1", "Adopted"),
        ("RC2", "Died"),
        ("RC3", "Child arrangements order"),
        ("RC4", "Special guardianship order"),
        ("RC5", "Transferred to services of another local authority"),
        ("RC6", "Transferred to adult social care services"),
        ("RC7", "Services ceased for any other reason, including child no longer in need"),
        ("RC8", "Case closed after assessment, no further action"),
        ("RC9", "Case closed after assessment, referred to early help"),
    ),
)

ASSESSMENT_FACTOR = CodeList(
    "assessment_factor",
    # CIN_schema_2024-2026.xsd assessmentfactorstype. 18A and 19A are still accepted by the
    # schema, but the DfE asks for 18B/18C and 19B/19C instead (CIN validator queries
    # 8945Q and 8950Q in cin_rules_cin2024_25.txt), so readers keep them and writers avoid them.
    "CIN AssessmentFactors",
    _codes(
        ("1A", "Alcohol misuse by the child"),
        ("1B", "Alcohol misuse by the parent(s) or carer(s)"),
        ("1C", "Alcohol misuse by another person living in the household"),
        ("2A", "Drug misuse by the child"),
        ("2B", "Drug misuse by the parent(s) or carer(s)"),
        ("2C", "Drug misuse by another person living in the household"),
        ("3A", "Domestic violence: the child is the subject"),
        ("3B", "Domestic violence: the parent(s) or carer(s) are the subject"),
        ("3C", "Domestic violence: another person living in the household is the subject"),
        ("4A", "Mental health of the child"),
        ("4B", "Mental health of the parent(s) or carer(s)"),
        ("4C", "Mental health of another person in the family or household"),
        ("5A", "Learning disability of the child"),
        ("5B", "Learning disability of the parent(s) or carer(s)"),
        ("5C", "Learning disability of another person in the family or household"),
        ("6A", "Physical disability or illness of the child"),
        ("6B", "Physical disability or illness of the parent(s) or carer(s)"),
        ("6C", "Physical disability or illness of another person in the family or household"),
        ("7A", "Young carer"),
        ("8B", "Privately fostered - overseas children who intend to return"),
        ("8C", "Privately fostered - overseas children who intend to stay"),
        ("8D", "Privately fostered - UK children in educational placements"),
        ("8E", "Privately fostered - UK children making alternative family arrangements"),
        ("8F", "Privately fostered - other"),
        ("9A", "Unaccompanied asylum-seeking child"),
        ("10A", "Going or being missing"),
        ("11A", "Child sexual exploitation"),
        ("12A", "Trafficking"),
        ("13A", "Gangs"),
        ("14A", "Socially unacceptable behaviour"),
        ("15A", "Self-harm"),
        ("16A", "Abuse or neglect - neglect"),
        ("17A", "Abuse or neglect - emotional abuse"),
        ("18A", "Abuse or neglect - physical abuse (use 18B or 18C)"),
        ("18B", "Abuse or neglect - physical abuse, child on child"),
        ("18C", "Abuse or neglect - physical abuse, adult on child"),
        ("19A", "Abuse or neglect - sexual abuse (use 19B or 19C)"),
        ("19B", "Abuse or neglect - sexual abuse, child on child"),
        ("19C", "Abuse or neglect - sexual abuse, adult on child"),
        ("20", "Other"),
        ("21", "No factors identified"),
        ("22A", "Female genital mutilation (FGM)"),
        ("23A", "Abuse linked to faith or belief"),
        ("24A", "Child criminal exploitation"),
    ),
)

ASSESSMENT_OUTCOME = CodeList(
    "assessment_outcome",
    "Children Matter (after SSD cina_assessment_outcome_json)",
    _codes(
        ("nfa", "No further action"),
        ("early_help", "Stepped down to early help"),
        ("cin_plan", "Child in need plan"),
        ("strategy_discussion", "Strategy discussion"),
        ("looked_after", "Became looked after"),
        ("other_services", "Referred to other services"),
    ),
)

CATEGORY_OF_ABUSE = CodeList(
    "category_of_abuse",
    # CIN_schema_2024-2026.xsd categoryofabusetype.
    "CIN InitialCategoryOfAbuse / LatestCategoryOfAbuse",
    _codes(
        ("NEG", "Neglect"),
        ("PHY", "Physical abuse"),
        ("SAB", "Sexual abuse"),
        ("EMO", "Emotional abuse"),
        ("MUL", "Multiple/not recommended"),
    ),
)

CONFERENCE_TYPE = CodeList(
    "conference_type",
    "Children Matter (SSD ssd_initial_cp_conference / ssd_cp_reviews)",
    _codes(
        ("initial", "Initial child protection conference (ICPC)"),
        ("review", "Review child protection conference (RCPC)"),
    ),
)

VISIT_TYPE = CodeList(
    "visit_type",
    "Children Matter (SSD ssd_cin_visits / ssd_cp_visits / ssd_cla_visits)",
    _codes(
        ("cin", "Child in need visit"),
        ("cp", "Child protection visit"),
        ("cla", "Looked-after child visit"),
        ("care_leaver", "Care leaver visit"),
    ),
)

# --- Looked after (SSDA903) ---------------------------------------------------------------

RNE = CodeList(
    "rne",
    # SSDA903_schema_2017.yml episodes.RNE; unchanged by later diffs.
    "SSDA903 RNE",
    _codes(
        ("S", "Started to be looked after"),
        ("L", "Change of legal status only"),
        ("P", "Change of placement and carer(s) only"),
        ("T", "Change of placement (but same carer(s)) only"),
        ("U", "Change of legal status and change of placement (but same carer(s)) "
              "at the same time"),
        ("B", "Change of legal status and placement and carer(s) at the same time"),
    ),
)

LEGAL_STATUS = CodeList(
    "legal_status",
    # SSDA903_schema_2017.yml episodes.LS; unchanged by later diffs.
    "SSDA903 LS",
    _codes(
        ("C1", "Interim care order"),
        ("C2", "Full care order"),
        ("D1", "Freeing order granted"),
        ("E1", "Placement order granted"),
        ("J1", "Remanded to local authority accommodation or to youth detention "
               "accommodation"),
        ("J2", "Placed in local authority accommodation under the Police and Criminal "
               "Evidence Act 1984, including secure accommodation"),
        ("J3", "Sentenced to a youth rehabilitation order with a residence or intensive "
               "fostering requirement"),
        ("L1", "Under police protection and in local authority accommodation"),
        ("L2", "Emergency protection order (EPO)"),
        ("L3", "Under child assessment order and in local authority accommodation"),
        ("V2", "Single period of accommodation under section 20 (Children Act 1989)"),
        ("V3", "Accommodated under an agreement for a series of short-term breaks, "
               "when individual episodes of care are recorded"),
        ("V4", "Accommodated under an agreement for a series of short-term breaks, "
               "when agreements are recorded (not individual episodes of care)"),
    ),
)

_Z1_SPLIT = (
    # The 2025-26 return replaced Z1 with Z11-Z14 (SSDA903_schema_2026.diff.yml adds them;
    # the DfE validator's 2025-26 rule 146 no longer accepts Z1). The four sub-types'
    # meanings are in the DfE's 2025 to 2026 guide, which we do not hold as data: the labels
    # say only what is certain. Replace them with the guide's words when it is to hand.
    "Other placement (sub-type {n} of Z1's split from 2025-26; see the DfE's 2025 to 2026 guide)"
)

PLACEMENT_TYPE = CodeList(
    "placement_type",
    # SSDA903_schema_2017.yml episodes.PLACE; SSDA903_schema_2025.diff.yml drops H5 and P2
    # and adds K3 (2024-25); SSDA903_schema_2026.diff.yml adds Z11-Z14 (2025-26).
    "SSDA903 PLACE",
    (
        Code("A3", "Placed for adoption with parental/guardian consent with current foster "
                   "carer(s), or with a freeing order where consent was given"),
        Code("A4", "Placed for adoption with parental/guardian consent not with current "
                   "foster carer(s), or with a freeing order where consent was given"),
        Code("A5", "Placed for adoption with a placement order with current foster "
                   "carer(s), or with a freeing order where consent was dispensed with"),
        Code("A6", "Placed for adoption with a placement order not with current foster "
                   "carer(s), or with a freeing order where consent was dispensed with"),
        Code("H5", "Semi-independent living accommodation not subject to children's homes "
                   "regulations", last_year=2024),
        Code("K1", "Secure children's home"),
        Code("K2", "Children's home subject to Children's Homes Regulations"),
        Code("K3", "Supported accommodation (registered with Ofsted under the Supported "
                   "Accommodation Regulations)", first_year=2025),
        Code("P1", "Placed with own parent(s) or other person(s) with parental "
                   "responsibility"),
        Code("P2", "Independent living, for example in a flat, lodgings, bedsit, bed and "
                   "breakfast or with friends, with or without formal support",
             last_year=2024),
        Code("P3", "Residential employment"),
        Code("R1", "Residential care home"),
        Code("R2", "NHS/health trust or other establishment providing medical or nursing "
                   "care"),
        Code("R3", "Family centre or mother and baby unit"),
        Code("R5", "Young offender institution (YOI)"),
        Code("S1", "Residential school, except where dual-registered as a school and "
                   "children's home"),
        Code("T0", "Temporary move of any type"),
        Code("T1", "Temporary period in hospital"),
        Code("T2", "Temporary absence of the child on holiday"),
        Code("T3", "Temporary accommodation whilst normal foster carer(s) is/are on holiday"),
        Code("T4", "Temporary accommodation of seven days or less, for any reason, not "
                   "covered by T1 to T3"),
        Code("U1", "Foster placement with relative or friend - long term fostering"),
        Code("U2", "Foster placement with relative or friend who is also an approved "
                   "adopter - fostering for adoption or concurrent planning"),
        Code("U3", "Foster placement with relative or friend - not long term or fostering "
                   "for adoption"),
        Code("U4", "Foster placement with other foster carer - long term fostering"),
        Code("U5", "Foster placement with other foster carer who is also an approved "
                   "adopter - fostering for adoption or concurrent planning"),
        Code("U6", "Foster placement with other foster carer - not long term or fostering "
                   "for adoption"),
        Code("Z1", "Other placement (listed on a schedule sent to the DfE)", last_year=2025),
        Code("Z11", _Z1_SPLIT.format(n=1), first_year=2026),
        Code("Z12", _Z1_SPLIT.format(n=2), first_year=2026),
        Code("Z13", _Z1_SPLIT.format(n=3), first_year=2026),
        Code("Z14", _Z1_SPLIT.format(n=4), first_year=2026),
    ),
)

# Groups of placement types that indicators and the simulator count together. Each is
# every code of its kind in any year, so a series across the 2024-25 change stays whole.

# With a relative or friend approved as a foster carer (a "connected person", Care Planning
# Regulations 2010 reg. 24 and the Fostering Services Regulations): the 903's U1-U3.
CONNECTED_PERSON_PLACEMENTS: frozenset[str] = frozenset({"U1", "U2", "U3"})
FOSTER_PLACEMENTS: frozenset[str] = frozenset({"U1", "U2", "U3", "U4", "U5", "U6"})
ADOPTION_PLACEMENTS: frozenset[str] = frozenset({"A3", "A4", "A5", "A6"})
# Children's homes, residential care and schools: where staff, not a family, look after
# the child. Custody (R5) and supported or independent living are kept apart.
RESIDENTIAL_PLACEMENTS: frozenset[str] = frozenset({"K1", "K2", "R1", "R2", "R3", "S1"})
SUPPORTED_LIVING_PLACEMENTS: frozenset[str] = frozenset({"H5", "K3", "P2"})
# Short moves that do not count as a change of placement in the DfE's stability measures.
TEMPORARY_PLACEMENTS: frozenset[str] = frozenset({"T0", "T1", "T2", "T3", "T4"})

PLACEMENT_PROVIDER = CodeList(
    "placement_provider",
    # SSDA903_schema_2017.yml episodes.PLACE_PROVIDER; unchanged by later diffs.
    "SSDA903 PLACE_PROVIDER",
    _codes(
        ("PR0", "Parent(s) or other person(s) with parental responsibility"),
        ("PR1", "Own provision (by the local authority), including a regional adoption "
                "agency hosted by the authority"),
        ("PR2", "Other local authority provision, including a regional adoption agency "
                "hosted by another authority"),
        ("PR3", "Other public provision (for example, a primary care trust)"),
        ("PR4", "Private provision"),
        ("PR5", "Voluntary/third sector provision"),
    ),
)

REASON_EPISODE_CEASED = CodeList(
    "reason_episode_ceased",
    # SSDA903_schema_2017.yml episodes.REC; SSDA903_schema_2019.diff.yml (2018-19) replaces
    # E43 and E44 with E45-E48, splitting special guardianship by relative or friend.
    "SSDA903 REC",
    (
        Code("X1", "Episode ceases, and new episode begins on same day, for any reason"),
        Code("E11", "Adopted - application for an adoption order unopposed"),
        Code("E12", "Adopted - consent dispensed with by the court"),
        Code("E13", "Left care to live with parent(s), relative(s), or other person(s) with "
                    "no parental responsibility"),
        Code("E14", "Accommodation on remand ended"),
        Code("E15", "Age assessment determined child is aged 18 or over and E5, E6 and E7 "
                    "do not apply"),
        Code("E16", "Child moved abroad"),
        Code("E17", "Aged 18 (or over) and remained with current carers (including under "
                    "staying put arrangements)"),
        Code("E2", "Died"),
        Code("E3", "Care taken over by another local authority in the UK"),
        Code("E41", "Residence order or child arrangements order granted"),
        Code("E43", "Special guardianship order made to former foster carer(s)",
             last_year=2018),
        Code("E44", "Special guardianship order made to carer(s), other than former foster "
                    "carer(s)", last_year=2018),
        Code("E45", "Special guardianship order made to former foster carer(s), who was/are "
                    "a relative(s) or friend(s)", first_year=2019),
        Code("E46", "Special guardianship order made to former foster carer(s), other than "
                    "relative(s) or friend(s)", first_year=2019),
        Code("E47", "Special guardianship order made to carer(s), other than former foster "
                    "carer(s), who was/are a relative(s) or friend(s)", first_year=2019),
        Code("E48", "Special guardianship order made to carer(s), other than former foster "
                    "carer(s), other than relative(s) or friend(s)", first_year=2019),
        Code("E4A", "Returned home to live with parent(s), relative(s), or other person(s) "
                    "with parental responsibility as part of the care planning process"),
        Code("E4B", "Returned home to live with parent(s), relative(s), or other person(s) "
                    "with parental responsibility, not part of the care planning process"),
        Code("E5", "Moved into independent living arrangement with formalised advice or "
                   "support (such as most hostels, foyers, staying close)"),
        Code("E6", "Moved into independent living arrangement with no formalised advice or "
                   "support (such as bedsit, own flat, living with friends)"),
        Code("E7", "Transferred to residential care funded by adult social care services"),
        Code("E8", "Period of being looked after ceased for any other reason"),
        Code("E9", "Sentenced to custody"),
    ),
)

REASON_PLACE_CHANGE = CodeList(
    "reason_place_change",
    # SSDA903_schema_2017.yml episodes.REASON_PLACE_CHANGE; SSDA903_schema_2019.diff.yml adds
    # CUSTOD (2018-19). Recorded on the episode that ends, not the one that starts.
    "SSDA903 REASON_PLACE_CHANGE",
    (
        Code("CARPL", "Change to/implementation of care plan"),
        Code("CLOSE", "Resignation or closure of provision"),
        Code("ALLEG", "Allegation (s47)"),
        Code("STAND", "Standards of care concern"),
        Code("APPRR", "Approval removed"),
        Code("CREQB", "Carer(s) requests placement end due to child's behaviour"),
        Code("CREQO", "Carer(s) requests placement end other than due to child's behaviour"),
        Code("CHILD", "Child requests placement end"),
        Code("LAREQ", "Responsible or area authority requests placement end"),
        Code("PLACE", "Change in the status of placement only"),
        Code("CUSTOD", "Custody arrangement", first_year=2019),
        Code("OTHER", "Other"),
    ),
)

PLACEMENT_LOCATION = CodeList(
    "placement_location",
    # SSDA903 PL_LOCATION (derived by the DfE from PL_POST; Annex A list 8 "In"/"Out").
    "SSDA903 PL_LOCATION",
    _codes(
        ("IN", "Placed inside the local authority boundary"),
        ("OUT", "Placed outside the local authority boundary"),
    ),
)

REVIEW_PARTICIPATION = CodeList(
    "review_participation",
    # SSDA903_schema_2017.yml reviews.REVIEW_CODE; unchanged by later diffs.
    "SSDA903 REVIEW_CODE",
    _codes(
        ("PN0", "Child aged under 4 at the time of the review"),
        ("PN1", "Child physically attends and speaks for him or herself"),
        ("PN2", "Child physically attends and an advocate speaks on his or her behalf"),
        ("PN3", "Child attends and conveys his or her view symbolically (non-verbally)"),
        ("PN4", "Child physically attends but does not speak for him or herself, convey a "
                "view symbolically or ask an advocate to speak"),
        ("PN5", "Child does not attend physically but briefs an advocate to speak for him "
                "or her"),
        ("PN6", "Child does not attend but conveys his or her feelings by a facilitative "
                "medium"),
        ("PN7", "Child does not attend nor are his or her views conveyed to the review"),
    ),
)

MISSING_TYPE = CodeList(
    "missing_type",
    # SSDA903_schema_2017.yml missing.MISSING.
    "SSDA903 MISSING",
    _codes(
        ("M", "Missing"),
        ("A", "Away from placement without authorisation"),
    ),
)

PREVIOUS_PERMANENCE = CodeList(
    "previous_permanence",
    # SSDA903_schema_2017.yml prev_perm.PREV_PERM.
    "SSDA903 PREV_PERM",
    _codes(
        ("P1", "Adoption"),
        ("P2", "Special guardianship order"),
        ("P3", "Residence order or child arrangements order (with whom the child lives)"),
        ("P4", "Previous permanence option not known"),
        ("Z1", "No previous permanence option"),
    ),
)

SEX_OF_ADOPTERS = CodeList(
    "sex_of_adopters",
    # SSDA903_schema_2017.yml ad1.SEX_ADOPTR.
    "SSDA903 SEX_ADOPTR",
    _codes(
        ("M1", "Male single adopter"),
        ("F1", "Female single adopter"),
        ("MM", "Male couple"),
        ("FF", "Female couple"),
        ("MF", "Male and female couple"),
    ),
)

LEGAL_STATUS_OF_ADOPTERS = CodeList(
    "legal_status_of_adopters",
    # SSDA903_schema_2017.yml ad1.LS_ADOPTR.
    "SSDA903 LS_ADOPTR",
    _codes(
        ("L0", "Single person"),
        ("L11", "Married couple (opposite sex)"),
        ("L12", "Married couple (same sex)"),
        ("L2", "Civil partners"),
        ("L3", "Unmarried couple (opposite sex)"),
        ("L4", "Unmarried couple (same sex)"),
    ),
)

REASON_PLACED_CEASED = CodeList(
    "reason_placed_ceased",
    # SSDA903_schema_2017.yml placed_adoption.REASON_PLACED_CEASED.
    "SSDA903 REASON_PLACED_CEASED",
    _codes(
        ("RD1", "The child's needs changed subsequent to the decision"),
        ("RD2", "The court did not make a placement order"),
        ("RD3", "Prospective adopters could not be found"),
        ("RD4", "Any other reason"),
    ),
)

# --- Care leavers (SSDA903 OC3) -----------------------------------------------------------

IN_TOUCH = CodeList(
    "in_touch",
    # SSDA903_schema_2017.yml oc3.IN_TOUCH.
    "SSDA903 OC3 IN_TOUCH",
    _codes(
        ("YES", "In touch"),
        ("NO", "Not in touch"),
        ("DIED", "Died after leaving care"),
        ("REFU", "Young person refuses contact"),
        ("NREQ", "Young person no longer requires services"),
        ("RHOM", "Returned to live with parents or someone with parental responsibility for "
                 "a continuous period of 6 months or more"),
    ),
)

CARE_LEAVER_ACTIVITY = CodeList(
    "care_leaver_activity",
    # SSDA903_schema_2017.yml oc3.ACTIV; SSDA903_schema_2022.diff.yml (2021-22) replaces
    # F3/P3 (training or employment) with F4/P4 (apprenticeship) and F5/P5 (other).
    "SSDA903 OC3 ACTIV",
    (
        Code("F1", "Full time in higher education"),
        Code("P1", "Part time in higher education"),
        Code("F2", "Full time in education other than higher education"),
        Code("P2", "Part time in education other than higher education"),
        Code("F3", "Full time in training or employment", last_year=2021),
        Code("P3", "Part time in training or employment", last_year=2021),
        Code("F4", "Full time in an apprenticeship", first_year=2022),
        Code("P4", "Part time in an apprenticeship", first_year=2022),
        Code("F5", "Full time in training or employment (not apprenticeship)", first_year=2022),
        Code("P5", "Part time in training or employment (not apprenticeship)", first_year=2022),
        Code("G4", "Not in education, employment or training: illness or disability"),
        Code("G5", "Not in education, employment or training: other circumstances"),
        Code("G6", "Not in education, employment or training: pregnancy or parenting"),
        Code("0", "Activity not known"),
    ),
)

# SSDA903_schema_2017.yml oc3.ACCOM: a letter for the kind of accommodation and a digit for
# its suitability, 1 suitable and 2 unsuitable (B1, B2, ... Z2), or 0 when not known.
_ACCOMMODATION_KINDS = (
    ("B", "With parent(s) or relative(s)"),
    ("C", "Community home or other residential care, such as an NHS establishment"),
    ("D", "Semi-independent, transitional accommodation or self-contained accommodation "
          "with support"),
    ("E", "Supported lodgings"),
    ("G", "Gone abroad"),
    ("H", "Deported"),
    ("K", "Ordinary lodgings, without formal support"),
    ("R", "Residence not known"),
    ("S", "No fixed abode or homeless"),
    ("T", "Foyer or similar supported accommodation with education, training or employment"),
    ("U", "Independent living, for example an independent tenancy of a flat, house or "
          "bedsit"),
    ("V", "Emergency accommodation, such as a night shelter or emergency hostel"),
    ("W", "Bed and breakfast"),
    ("X", "In custody"),
    ("Y", "Other accommodation"),
    ("Z", "With former foster carer(s)"),
)

CARE_LEAVER_ACCOMMODATION = CodeList(
    "care_leaver_accommodation",
    "SSDA903 OC3 ACCOM",
    tuple(
        Code(f"{letter}{digit}", f"{kind} - {suitability}")
        for letter, kind in _ACCOMMODATION_KINDS
        for digit, suitability in (("1", "suitable"), ("2", "unsuitable"))
    )
    + (Code("0", "Accommodation not known"),),
)

SUITABLE_ACCOMMODATION: frozenset[str] = frozenset(
    c.code for c in CARE_LEAVER_ACCOMMODATION.codes if c.code.endswith("1")
)

# --- Workforce ----------------------------------------------------------------------------

SERVICE_AREA = CodeList(
    "service_area",
    "Children Matter",
    _codes(
        ("front_door", "Front door (MASH, contact and referral)"),
        ("assessment", "Assessment"),
        ("cin_cp", "Child in need and child protection"),
        ("looked_after", "Children looked after"),
        ("leaving_care", "Leaving care"),
        ("early_help", "Early help"),
        ("disabled_children", "Disabled children"),
    ),
)

WORKER_ROLE = CodeList(
    "worker_role",
    "Children Matter (after SSD prof_professional_job_title)",
    _codes(
        ("social_worker", "Social worker"),
        ("senior_practitioner", "Senior practitioner"),
        ("team_manager", "Team manager"),
        ("personal_adviser", "Personal adviser"),
        ("early_help_worker", "Early help worker"),
    ),
)

SW_CHANGE_REASON = CodeList(
    "sw_change_reason",
    # SSDA903_schema_2024.diff.yml social_worker.SW_REASON (the SWEpisodes table, first
    # collected for 2023-24). The codes carry no years: they describe a change of worker at
    # any date, and the operational store records allocations from before 2023-24 too.
    "SSDA903 SWEpisodes SW_REASON",
    _codes(
        ("MANAGE", "Managing caseloads"),
        ("FCONTA", "First contact or re-referral"),
        ("LEFTRL", "Previous social worker left role"),
        ("ORGRST", "New social worker assigned following organisational restructure"),
        ("TSPROC", "New social worker assigned following child transfer due to standard "
                   "process"),
        ("ABSENC", "Absence cover or return from absence"),
        ("CHCHAN", "Child requested change from previous social worker"),
        ("PCCHAN", "Parent or carer requested change from previous social worker"),
        ("SWDIED", "Previous social worker died"),
        ("OTHERS", "Other reason"),
    ),
)


def _index(lists: Iterable[CodeList]) -> dict[str, CodeList]:
    return {cl.name: cl for cl in lists}


CODE_LISTS: dict[str, CodeList] = _index((
    SEX, ETHNICITY, DISABILITY,
    REFERRAL_SOURCE, RAG, CONTACT_OUTCOME, EARLY_HELP_END_REASON,
    PRIMARY_NEED, CLOSURE_REASON, ASSESSMENT_FACTOR, ASSESSMENT_OUTCOME,
    CATEGORY_OF_ABUSE, CONFERENCE_TYPE, VISIT_TYPE,
    RNE, LEGAL_STATUS, PLACEMENT_TYPE, PLACEMENT_PROVIDER, REASON_EPISODE_CEASED,
    REASON_PLACE_CHANGE, PLACEMENT_LOCATION, REVIEW_PARTICIPATION, MISSING_TYPE,
    REASON_PLACED_CEASED, SEX_OF_ADOPTERS, LEGAL_STATUS_OF_ADOPTERS, PREVIOUS_PERMANENCE,
    IN_TOUCH, CARE_LEAVER_ACTIVITY, CARE_LEAVER_ACCOMMODATION,
    SERVICE_AREA, WORKER_ROLE, SW_CHANGE_REASON,
))


def code_list(name: str) -> CodeList:
    try:
        return CODE_LISTS[name]
    except KeyError:
        raise KeyError(f"no code list named {name!r}") from None


def codes_for(name: str, year: int | None = None) -> frozenset[str]:
    """The codes of list ``name`` valid in collection ``year``; every code ever valid if None."""
    return code_list(name).codes_for(year)


def label(name: str, code: str) -> str:
    """The DfE's (or our) meaning of ``code`` in list ``name``."""
    return code_list(name).get(code).label
