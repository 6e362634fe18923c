"""A referral that passes every rule: two siblings referred by their school."""

from __future__ import annotations

SIBLINGS = {
    "referrer_name": "Jo Evans",
    "referrer_role": "Designated safeguarding lead",
    "referrer_phone": "01642 000 111",
    "referrer_email": "dsl@linthorpe.example.org",
    "what_happened": "Amy (Year 4) came in with a bruise on her cheek and said her "
    "mum's boyfriend hit her. Her brother Ben has been late every day this week.",
    "concerns": "Physical harm at home; neither child wants to go home tonight.",
    "consent": "not_sought",
    "consent_note": "Asking the mother may put the children at risk from her boyfriend.",
    "is_domestic_abuse": False,
    "children": [
        {
            "given_name": "Amy",
            "family_name": "Walker",
            "date_of_birth": "2017-03-14",
            "address": "12 Acacia Road, Middlesbrough",
            "postcode": "TS5 6AB",
            "school": "Linthorpe Primary School",
        },
        {
            "given_name": "Ben",
            "family_name": "Walker",
            "date_of_birth": "2015-09-02",
            "address": "12 Acacia Road, Middlesbrough",
            "postcode": "TS5 6AB",
            "school": "Linthorpe Primary School",
        },
    ],
}
