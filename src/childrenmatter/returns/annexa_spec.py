"""Ofsted's Annex A: the lists, their columns and the labels each column's cells carry.

Annex A is the set of child-level lists an authority hands Ofsted at the start of an
inspection of local authority children's services (ILACS). The column names and category
labels here are written from Social Finance's machine-readable copy of the Ofsted template,
``Annex_A_schema.yml`` (liia-tools-pipeline: liiatools/annex_a_pipeline/spec/), read with
the synthetic sample workbook ``Annex_A_2024_Jan.xlsx`` beside it in the project's shared
``specs/`` folder. Neither file is read at run time.

Where the template groups the DfE's codes (list 1's contact source, list 8's placement
type) we write the label that names the DfE code ("q) 6: Police", "f) U6: Foster
placement - not FFA"), which the schema lists among each group's spellings, so the code
survives a round trip. A few codes are newer than the template (placement type K3 from
2024-25 and Z11-Z14 from 2025-26, referral source 5D): their labels follow the template's
pattern with our words and are listed in ``NEWER_THAN_TEMPLATE``.

Plain Python: no Django import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from childrenmatter.dataset.codes import code_list


@dataclass(frozen=True)
class AnnexColumn:
    header: str
    kind: str  # "text", "date", "int", "label"
    labels: str | None = None  # for "label": a key of LABELS
    required: bool = False  # the template says the cell cannot be blank


def _text(header: str, required: bool = False) -> AnnexColumn:
    return AnnexColumn(header, "text", required=required)


def _date(header: str, required: bool = False) -> AnnexColumn:
    return AnnexColumn(header, "date", required=required)


def _int(header: str, required: bool = False) -> AnnexColumn:
    return AnnexColumn(header, "int", required=required)


def _label(header: str, labels: str, required: bool = False) -> AnnexColumn:
    return AnnexColumn(header, "label", labels, required)


CHILD_ID = _text("Child Unique ID", required=True)
GENDER = _label("Gender", "sex", required=True)
ETHNICITY = _label("Ethnicity", "ethnicity", required=True)
DOB = _date("Date of Birth")
AGE = _int("Age of Child (Years)")
DISABILITY = _label("Does the Child have a Disability", "yes_no_unknown", required=True)
# The template asks for these, but a child may be unallocated, and the dataset has no
# personal advisers or eligibility: a blank is not reported.
TEAM = _text("Allocated Team")
WORKER = _text("Allocated Worker")
PERSON = (CHILD_ID, GENDER, ETHNICITY, DOB, AGE)

LISTS: dict[str, tuple[AnnexColumn, ...]] = {
    "List 1": PERSON + (
        _date("Date of Contact", required=True),
        _label("Contact Source", "referral_source", required=True),
    ),
    "List 2": PERSON + (
        _date("Assessment start date", required=True),
        _date("Assessment completion date"),
        _text("Organisation completing assessment"),
    ),
    "List 3": PERSON + (
        _date("Date of referral", required=True),
        _label("Referral Source", "referral_source", required=True),
        _label("Referral NFA?", "yes_no", required=True),
        _int("Number of Referrals in Last 12 Months", required=True),
        TEAM, WORKER,
    ),
    "List 4": PERSON + (
        DISABILITY,
        _date("Continuous Assessment Start Date", required=True),
        _label("Child Seen During Continuous Assessment", "yes_no_unknown"),
        _date("Continuous Assessment Date of Authorisation"),
        _label("Was the child assessed as requiring LA children's social care support?",
               "yes_no"),
        TEAM, WORKER,
    ),
    "List 5": PERSON + (
        DISABILITY,
        _date("Strategy discussion initiating Section 47 Enquiry Start Date", required=True),
        _label("Was an Initial Child Protection Conference deemed unnecessary?", "yes_no"),
        _date("Date of Initial Child Protection Conference"),
        _label("Did the Initial Child Protection Conference Result in a Child Protection Plan",
               "yes_no_unknown"),
        _int("Number of Section 47 Enquiries in the last 12 months", required=True),
        _int("Number of ICPCs in the last 12 months", required=True),
        TEAM, WORKER,
    ),
    "List 6": PERSON + (
        DISABILITY,
        _date("CIN Start Date"),
        _label("Primary Need Code", "primary_need", required=True),
        _date("Date Child Was Last Seen"),
        _date("CIN Closure Date"),
        _label("Reason for Closure", "closure_reason"),
        _label("Case Status", "case_status", required=True),
        TEAM, WORKER,
    ),
    "List 7": PERSON + (
        DISABILITY,
        _date("Child Protection Plan Start Date", required=True),
        _label("Initial Category of Abuse", "category_of_abuse", required=True),
        _label("Latest Category of Abuse", "category_of_abuse", required=True),
        _date("Date of the Last Statutory Visit"),
        _label("Was the Child Seen Alone?", "yes_no_unknown"),
        _date("Date of latest review conference"),
        _date("Child Protection Plan End Date"),
        _label("Subject to Emergency Protection Order or Protected Under Police Powers in "
               "Last Six Months (Y/N)", "yes_no", required=True),
        _int("Number of Previous Child Protection Plans", required=True),
        TEAM, WORKER,
    ),
    "List 8": PERSON + (
        _label("Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)",
               "yes_no", required=True),
        DISABILITY,
        _date("Date Started to be Looked After", required=True),
        _label("Child's Category of Need", "primary_need", required=True),
        _label("Is this a second or subsequent period of being a Looked After Child within "
               "the last 12 months (Y/N)", "yes_no", required=True),
        _date("Start date of current legal status", required=True),
        _label("Child's Legal Status", "legal_status", required=True),
        _date("Date of Latest Statutory Review"),
        _date("Date of Last Social Work Visit"),
        _label("What is the permanence plan for this child?", "permanence_plan"),
        _date("Date of Last IRO Visit / Contact to the Child"),
        _date("Date of Last Health Assessment"),
        _date("Date of Last Dental Check"),
        _int("Number of Placements in the Last 12 months", required=True),
        _date("Date Ceased to be Looked After"),
        _label("Reason Ceased to be Looked After", "reason_episode_ceased"),
        _date("Start Date of Most Recent Placement", required=True),
        _label("Placement Type", "placement_type", required=True),
        _label("Placement Provider", "placement_provider"),
        _text("Placement postcode"),
        _text("URN of Placement"),
        _label("Placement Location", "placement_location"),
        _text("LA of Placement"),
        _int("Number of Episodes the Child has been 'Missing' from their Placement in the "
             "last 12 months", required=True),
        _int("Number of Episodes the Child has been 'Absent' from their Placement in the "
             "last 12 months", required=True),
        _label("Was the child offered a Return Interview after their last missing episode "
               "(Y/N)?", "yes_no"),
        _label("Did the child accept a Return Interview after their last missing episode "
               "(Y/N)?", "yes_no"),
        TEAM, WORKER,
    ),
    "List 9": PERSON + (
        _label("Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 or over "
               "(Y/N)", "yes_no", required=True),
        DISABILITY,
        TEAM, WORKER,
        _text("Allocated Personal Advisor"),
        _label("Eligibility Category", "eligibility"),
        _date("Latest Pathway Plan Review Date"),
        _label("LA in Touch", "in_touch", required=True),
        _date("Latest Date of Contact"),
        _label("Type of Accommodation", "accommodation_type"),
        _label("Suitability of Accommodation", "accommodation_suitability"),
        _label("Activity Status", "care_leaver_activity"),
    ),
    "List 10": (
        CHILD_ID,
        _text("Family identifier"),
        GENDER, ETHNICITY, DOB, AGE, DISABILITY,
        _date("Date the Child Entered Care", required=True),
        _date("Date of Decision that Child Should be Placed for Adoption", required=True),
        _date("Date of Placement Order"),
        _date("Date of Matching Child and Prospective Adopters"),
        _date("Date Placed for Adoption"),
        _date("Date of Adoption Order"),
        _date("Date of Decision that Child Should No Longer be Placed for Adoption"),
        _label("Reason Why Child No Longer Placed for Adoption", "reason_placed_ceased"),
        _date("Date the child was placed for fostering in FFA or concurrent planning "
              "placement"),
    ),
    "List 11": (
        _text("Individual adopter identifier", required=True),
        _text("Family identifier"),
        GENDER, ETHNICITY,
        _label("Disability", "yes_no_unknown", required=True),
        _label("Is the (prospective) adopter fostering for adoption?", "adopter_yes_no",
               required=True),
        _date("Date enquiry received", required=True),
        _date("Date Stage 1 started"),
        _date("Date Stage 1 ended"),
        _date("Date Stage 2 started"),
        _date("Date Stage 2 ended"),
        _date("Date application submitted"),
        _date("Date application approved"),
        _date("Date adopter matched with child(ren)"),
        _date("Date child/children placed with adopter(s)"),
        _int("No. of children placed"),
        _date("Date of Adoption Order"),
        _date("Date of leaving adoption process"),
        _label("Reason for leaving adoption process", "adopter_left"),
    ),
}

# What each list is about (Ofsted's Annex A guidance), for messages and the docs.
LIST_TITLES = {
    "List 1": "contacts", "List 2": "early help", "List 3": "referrals",
    "List 4": "assessments", "List 5": "section 47 enquiries", "List 6": "children in need",
    "List 7": "child protection plans", "List 8": "children looked after",
    "List 9": "care leavers", "List 10": "adoption", "List 11": "adopters",
}

# Lists with one row per child: a child listed twice is a mistake.
ONE_ROW_PER_CHILD = ("List 8", "List 9", "List 10")

# (earlier, later) dates within a row that must be in that order where both are given.
DATE_ORDER: dict[str, tuple[tuple[str, str], ...]] = {
    # Not the date of birth: an unborn child can be the subject of a contact or referral.
    "List 2": (("Assessment start date", "Assessment completion date"),),
    "List 4": (("Continuous Assessment Start Date",
                "Continuous Assessment Date of Authorisation"),),
    "List 5": (("Strategy discussion initiating Section 47 Enquiry Start Date",
                "Date of Initial Child Protection Conference"),),
    "List 6": (("CIN Start Date", "CIN Closure Date"),),
    "List 7": (("Child Protection Plan Start Date", "Child Protection Plan End Date"),
               ("Child Protection Plan Start Date", "Date of latest review conference")),
    "List 8": (("Date Started to be Looked After", "Start date of current legal status"),
               ("Date Started to be Looked After", "Start Date of Most Recent Placement"),
               ("Date Started to be Looked After", "Date Ceased to be Looked After"),
               ("Start Date of Most Recent Placement", "Date Ceased to be Looked After")),
    "List 10": (("Date the Child Entered Care",
                 "Date of Decision that Child Should be Placed for Adoption"),
                ("Date of Decision that Child Should be Placed for Adoption",
                 "Date of Matching Child and Prospective Adopters"),
                ("Date of Matching Child and Prospective Adopters", "Date Placed for Adoption"),
                ("Date Placed for Adoption", "Date of Adoption Order")),
    "List 11": (("Date enquiry received", "Date Stage 1 started"),
                ("Date Stage 1 started", "Date Stage 1 ended"),
                ("Date Stage 2 started", "Date Stage 2 ended")),
}


# --- Labels: dataset code -> the label written in the workbook ------------------------------
# Yes/no cells carry "Y", "N" or "U" (unknown) inside this module.

_ETHNIC_ORDER = ("WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH",
                 "AIND", "APKN", "ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH",
                 "REFU", "NOBT")

_SOURCE_GROUPS = {"1": "Individual", "2A": "Schools", "2B": "Education services",
                  "3": "Health services", "4": "Housing", "5": "LA services", "6": "Police",
                  "7": "Other legal agency", "8": "Other", "9": "Anonymous", "10": "Unknown"}


def _source_labels() -> dict[str, str]:
    # Ofsted numbers the CIN census's referral sources a) to u) in the census's order.
    order = ("1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B", "3C", "3D", "3E", "3F", "4",
             "5A", "5B", "5C", "6", "7", "8", "9", "10")
    labels = {}
    for n, code in enumerate(order):
        group = _SOURCE_GROUPS.get(code) or _SOURCE_GROUPS[code[0]]
        labels[code] = f"{chr(ord('a') + n)}) {code}: {group}"
    # 5D (early help) came after the template: the template's group label for LA services.
    labels["5D"] = "f) LA services"
    return labels


LABELS: dict[str, dict[str, str]] = {
    "sex": {"M": "a) Male", "F": "b) Female", "U": "c) Not stated/recorded"},
    "ethnicity": {code: f"{chr(ord('a') + n)}) {code}" for n, code in enumerate(_ETHNIC_ORDER)},
    "yes_no": {"Y": "a) Yes", "N": "b) No"},
    "yes_no_unknown": {"Y": "a) Yes", "N": "b) No", "U": "c) Unknown"},
    "referral_source": _source_labels(),
    "primary_need": {
        "N1": "N1 - Abuse or neglect", "N2": "N2 - Child’s disability",
        "N3": "N3 - Parental disability or illness", "N4": "N4 - Family in acute stress",
        "N5": "N5 - Family dysfunction", "N6": "N6 - Socially unacceptable behaviour",
        "N7": "N7 - Low income", "N8": "N8 - Absent parenting",
        "N9": "N9 - Cases other than children in need", "N0": "N0 - Not stated",
    },
    "closure_reason": {
        "RC1": "RC1 - Adopted", "RC2": "RC2 - Died", "RC3": "RC3 - Child arrangements order",
        "RC4": "RC4 - Special guardianship order",
        "RC5": "RC5 - Transferred to services of another local authority",
        "RC6": "RC6 - Transferred to adult social care services",
        "RC7": "RC7 - Services ceased for any other reason, including child no longer in need",
        "RC8": "RC8 - Case closed after assessment, no further action",
        "RC9": "RC9 - Case closed after assessment, referred to early help",
    },
    "case_status": {"cla": "a) Looked after child", "cp": "b) Child Protection plan",
                    "cin": "c) Child in need plan", "assessment": "d) Open assessment",
                    "closed": "e) Closed episode"},
    "category_of_abuse": {"NEG": "a) Neglect", "PHY": "b) Physical abuse",
                          "SAB": "c) Sexual abuse", "EMO": "d) Emotional abuse",
                          "MUL": "e) Multiple/not recommended"},
    "legal_status": {
        "C1": "C1: ICO", "C2": "C2: FCO", "D1": "D1: Freeing order", "E1": "E1: Placement order",
        "V2": "V2: Single period under S20", "V3": "V3: Short term breaks, episodes recorded",
        "V4": "V4: Short term breaks, agreements recorded",
        "L1": "L1: Police protection LA accommodation", "L2": "L2: EPO",
        "L3": "L3: Child assessment order LA accommodation",
        "J1": "J1: Remanded to LA or youth detention", "J2": "J2: LA accommodation under PACE",
        "J3": "J3: Youth rehabilitation order",
    },
    "placement_type": {
        "U1": "a) U1: Foster placement - relatives - long term",
        "U2": "b) U2: Foster placement - relative - FFA",
        "U3": "c) U3: Foster placement - relative - not FFA",
        "U4": "d) U4: Foster placement - long term", "U5": "e) U5: Foster placement - FFA",
        "U6": "f) U6: Foster placement - not FFA",
        "A3": "g) A3: Placed for adoption - consent - current foster",
        "A4": "h) A4: Placed for adoption - consent - not foster",
        "A5": "i) A5: Placed for adoption - order - foster",
        "A6": "j) A6: Placed for adoption - order - not foster",
        "P1": "k) P1: Placed with parents", "P2": "l) P2: Independent living",
        "P3": "m) P3: Residential employment", "H5": "n) H5: Residential accommodation",
        "K1": "o) K1: Secure Children’s Homes", "K2": "p) K2: Children’s Homes",
        "R1": "q) R1: Residential Care Home", "R2": "r) R2: NHS/Health Trust",
        "R3": "s) R3: Family Centre or Mother and Baby Unit",
        "R5": "t) R5: Young Offender Institution", "S1": "u) S1: Residential school",
        "Z1": "v) Z1: Other placements", "T0": "w) T0: Temporary placement",
        "T1": "x) T1: Temporary placement - hospital",
        "T2": "y) T2: Temporary placement - holiday",
        "T3": "z) T3: Temporary placement - carer holiday",
        "T4": "zz) T4: Temporary placement - seven days or less",
        # Newer than the template (K3 from 2024-25, Z11-Z14 from 2025-26).
        "K3": "K3: Supported accommodation",
        "Z11": "Z11: Other placements", "Z12": "Z12: Other placements",
        "Z13": "Z13: Other placements", "Z14": "Z14: Other placements",
    },
    "placement_provider": {
        "PR0": "a) PR0: Parents/Parental responsibility", "PR1": "b) PR1: Own provision",
        "PR2": "c) PR2: Other LA provision", "PR3": "d) PR3: Other public provision",
        "PR4": "e) PR4: Private provision", "PR5": "f) PR5: Voluntary/third sector",
    },
    "reason_episode_ceased": {
        "E11": "a) E11: Adopted - application unopposed",
        "E12": "b) E12: Adopted - consent dispensed", "E2": "c) E2: Died",
        "E3": "d) E3: Care taken by another LA",
        "E4A": "e) E4A: Returned home to live with parents or relatives - part of planning",
        "E4B": "f) E4B: Returned home to live with parents or relatives - not part of "
               "planning",
        "E13": "g) E13: Parents, relatives or other with no parental responsibility",
        "E41": "h) E41: Residence order granted",
        "E45": "i) E45: Special Guardianship Orders - former carer relative/friend",
        "E46": "j) E46: Special Guardianship Orders - former carer other",
        "E47": "k) E47: Special Guardianship Orders - relative/friend",
        "E48": "l) E48: Special Guardianship Orders - other",
        "E5": "m) E5: Moved into independent living - supported",
        "E6": "n) E6: Moved into independent living - no support",
        "E7": "o) E7: Transferred to residential care funded by adult social services",
        "E9": "p) E9: Sentenced to custody", "E14": "q) E14: Accommodation on remand ended",
        "E15": "r) E15: Age assessment determined child was 18 or over",
        "E16": "s) E16: Child moved abroad", "E8": "t) E8: Care ceased for any other reason",
        "E17": "v) E17: Aged 18 (or over) and remained with current carers (inc under "
               "staying put arrangements)",
        "X1": "u) X1:CodeError",
        # Retired in 2018-19, before the template: our words in its pattern.
        "E43": "E43: Special Guardianship Orders - former foster carers",
        "E44": "E44: Special Guardianship Orders - other carers",
    },
    "placement_location": {"IN": "a) In", "OUT": "b) Out"},
    "permanence_plan": {},
    "eligibility": {},
    "in_touch": {"YES": "a) Yes", "NO": "b) No", "DIED": "c) Died", "REFU": "d) Refu",
                 "NREQ": "e) NREQ", "RHOM": "f) Rhom"},
    # The 903's accommodation code is a letter (kind) and a digit (1 suitable, 2 not):
    # Annex A has a column for each.
    "accommodation_type": {
        "B": "B: Parents/relatives", "C": "C: Community home / residential care",
        "D": "D: Semi-independent, transitional accommodation and self-contained "
             "accommodation",
        "E": "E: Supported lodgings", "G": "G: Abroad", "H": "H: Deported",
        "K": "K: Ordinary lodgings, without formal support", "R": "R: Residence not known",
        "S": "S: No fixed abode / homeless", "T": "T: Foyers and similar supported accommodation",
        "U": "U: Independent living", "V": "V: Emergency accommodation",
        "W": "W: Bed and breakfast", "X": "X: In custody", "Y": "Y: Other accommodation",
        "Z": "Z: With former foster carers",
    },
    "accommodation_suitability": {"1": "a) Suitable", "2": "b) Unsuitable",
                                  "0": "Not Recorded"},
    "care_leaver_activity": {
        "F1": "F1: Full time in higher education", "P1": "P1: Part time in higher education",
        "F2": "F2: Full time in education other than higher",
        "P2": "P2: Part time in education other than higher",
        "F3": "F3: Full time in training or employment",
        "P3": "P3: Part time in training or employment",
        "F4": "F4: Young person engaged full time in an apprenticeship",
        "P4": "P4: Young person engaged part time in an apprenticeship",
        "F5": "F5: Young person engaged full time in training or employment (not "
              "apprenticeship)",
        "P5": "P5: Young person engaged part time in training or employment (not "
              "apprenticeship)",
        "G4": "G4: Not in education, employment or training - illness or disability",
        "G5": "G5: Not in education, employment or training - other",
        "G6": "G6: Not in education, employment or training - pregnancy or parenting",
    },
    "reason_placed_ceased": {
        "RD1": "RD1 - The child’s needs changed subsequent to the decision",
        "RD2": "RD2 - The Court did not make a placement order",
        "RD3": "RD3 - Prospective adopters could not be found",
        "RD4": "RD4 - Any other reason",
    },
    # List 11's template spells yes and no without letters.
    "adopter_yes_no": {"Y": "Yes", "N": "No"},
    "adopter_left": {"1": "a) Withdrew", "2": "b) Process on hold",
                     "3": "c) Application refused"},
}

# Labels of ours for codes the 2024 template does not know (see the module's docstring).
NEWER_THAN_TEMPLATE = {
    "referral_source": {"5D"},
    "placement_type": {"K3", "Z11", "Z12", "Z13", "Z14"},
    "reason_episode_ceased": {"E43", "E44"},
}

# Template labels we read but never write, for the codes of ours they stand for: the
# template's own group labels (5D is the one LA service without a label of its own) and
# other spellings the template gives.
_ALSO_READ: dict[str, dict[str, str]] = {
    "sex": {"male": "M", "female": "F", "m": "M", "f": "F", "u": "U", "unknown": "U",
            "c) not stated/recorded (or unborn)": "U", "not stated/recorded": "U"},
    "yes_no": {"yes": "Y", "no": "N", "y": "Y", "n": "N"},
    "yes_no_unknown": {"yes": "Y", "no": "N", "y": "Y", "n": "N", "unknown": "U"},
    "ethnicity": {"s) nobt": "NOBT"},
    "accommodation_suitability": {"suitable": "1", "unsuitable": "2", "not suitable": "2",
                                  "b) not suitable": "2"},
    # Read so that a workbook from another system validates; the dataset has no field.
    "eligibility": {"a) Relevant child": "relevant", "b) Former relevant child":
                    "former_relevant", "c) Qualifying care leaver": "qualifying",
                    "d) Eligible child": "eligible", "e) Other": "other"},
    "permanence_plan": {label: label for label in (
        "a) Return to family", "b) Adoption", "c) SGO/CAO",
        "d) Supported living in the community", "e) Long-term residential placement",
        "f) Long-term fostering", "g) Other")},
}

# Lists whose cells may be just the DfE code ("N1", "C2", "U6", "RC8").
_CODE_ALONE = ("ethnicity", "primary_need", "closure_reason", "legal_status", "placement_type",
               "placement_provider", "reason_episode_ceased", "reason_placed_ceased",
               "care_leaver_activity", "in_touch")


def normalise(text: str) -> str:
    """A cell or header as compared: case, curly quotes and runs of spaces do not count."""
    text = text.replace("‘", "'").replace("’", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip().casefold()


def _reading_tables() -> dict[str, dict[str, str]]:
    tables: dict[str, dict[str, str]] = {}
    for name, labels in LABELS.items():
        table = {normalise(label): code for code, label in labels.items()}
        for spelling, code in _ALSO_READ.get(name, {}).items():
            table.setdefault(normalise(spelling), code)
        if name in _CODE_ALONE:
            for code in labels:
                table.setdefault(normalise(code), code)
        tables[name] = table
    return tables


READ_LABELS = _reading_tables()


def code_of(labels: str, cell: str) -> str | None:
    """The code a label stands for, or None when the label is not one we know."""
    return READ_LABELS[labels].get(normalise(cell))


# Headers as written by others: "Age" for the age column (the sample workbook), and
# spelling slips seen in templates in use.
HEADER_ALIASES = {"age": "age of child (years)"}


def header_key(text: str) -> str:
    key = normalise(text).replace("))", ")")
    return HEADER_ALIASES.get(key, key)


def check_labels_cover_code_lists() -> list[str]:
    """Codes of the dataset's lists that have no Annex A label (for the tests)."""
    missing = []
    for labels, codes in (("sex", "sex"), ("ethnicity", "ethnicity"),
                          ("referral_source", "referral_source"),
                          ("primary_need", "primary_need"), ("closure_reason", "closure_reason"),
                          ("category_of_abuse", "category_of_abuse"),
                          ("legal_status", "legal_status"), ("placement_type", "placement_type"),
                          ("placement_provider", "placement_provider"),
                          ("reason_episode_ceased", "reason_episode_ceased"),
                          ("placement_location", "placement_location"),
                          ("in_touch", "in_touch"), ("reason_placed_ceased",
                                                     "reason_placed_ceased")):
        for code in code_list(codes).all_codes - set(LABELS[labels]):
            missing.append(f"{codes} {code}")
    return missing
