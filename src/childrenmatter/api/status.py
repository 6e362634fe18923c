"""A front door contact's status in words a partner may be told.

A partner learns where its referral has got to and, once decided, the outcome, in words
that give away nothing else: no RAG rating, no rationale, no other agency's reply. A
strategy discussion is told as a referral to children's social care, since the meeting
itself and who is in it are not the referrer's to know from this page.
"""

from __future__ import annotations

from childrenmatter.frontdoor.models import Contact, ContactStatus, Decision

RECEIVED = "received"
BEING_SCREENED = "being screened"

DECIDED = {
    Decision.NFA: "decided: no further action by children's social care",
    Decision.ADVICE_SIGNPOSTING: "decided: advice and signposting",
    Decision.EARLY_HELP: "decided: early help offered",
    Decision.REFERRAL: "decided: referred to children's social care",
    Decision.STRATEGY_DISCUSSION: "decided: referred to children's social care",
}

PARTNER_STATUSES = (RECEIVED, BEING_SCREENED, *dict.fromkeys(DECIDED.values()))


def partner_status(contact: Contact) -> str:
    if contact.status == ContactStatus.AWAITING_SCREENING:
        return RECEIVED
    # A decision waiting for the manager's authorisation is not final: still screening.
    if contact.status != ContactStatus.DECIDED or not contact.decision:
        return BEING_SCREENED
    return DECIDED[Decision(contact.decision)]
