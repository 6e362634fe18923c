"""Common English nicknames and the full names they come from.

A small table, not an exhaustive one: the diminutives practitioners meet most often in
referrals ("Bob" for Robert, "Kate" for Katherine). Compiled by hand from common usage and
checked against the nickname list of carltonnorthern/nicknames (Apache-2.0,
https://github.com/carltonnorthern/nicknames, names.csv). A search for either name finds
the other; the reason shown says which is the nickname.
"""

from __future__ import annotations

# Full name -> nicknames (all lower case, letters only, as ``keys.normalise`` gives).
NICKNAMES: dict[str, tuple[str, ...]] = {
    "alexander": ("alex", "alec", "sandy", "xander"),
    "alexandra": ("alex", "lexi", "sandra", "sandy"),
    "andrew": ("andy", "drew"),
    "anthony": ("tony", "ant"),
    "abigail": ("abby", "abbie", "gail"),
    "benjamin": ("ben", "benny", "benji"),
    "bradley": ("brad",),
    "callum": ("cal",),
    "catherine": ("cathy", "kate", "katie", "cat"),
    "katherine": ("kathy", "kate", "katie", "kat", "kitty"),
    "kathleen": ("kathy", "kath"),
    "charles": ("charlie", "chas", "chuck"),
    "charlotte": ("charlie", "lottie", "lotte"),
    "christopher": ("chris", "kit"),
    "christine": ("chris", "chrissie", "tina"),
    "daniel": ("dan", "danny"),
    "david": ("dave", "davey"),
    "deborah": ("debbie", "deb"),
    "dominic": ("dom",),
    "edward": ("ed", "eddie", "ted", "ned"),
    "eleanor": ("ellie", "nell", "nora"),
    "elizabeth": ("liz", "lizzie", "beth", "betty", "eliza", "libby", "bess"),
    "emily": ("em", "emmy", "millie"),
    "frederick": ("fred", "freddie"),
    "gabriel": ("gabe",),
    "harold": ("harry", "hal"),
    "henry": ("harry", "hal", "hank"),
    "isabella": ("bella", "izzy", "issy"),
    "isabelle": ("belle", "izzy", "issy"),
    "jacob": ("jake",),
    "james": ("jim", "jimmy", "jamie"),
    "jennifer": ("jen", "jenny"),
    "jessica": ("jess", "jessie"),
    "john": ("jack", "johnny"),
    "jonathan": ("jon", "jonny"),
    "joseph": ("joe", "joey"),
    "joshua": ("josh",),
    "kimberley": ("kim",),
    "lawrence": ("larry", "laurie"),
    "leonard": ("len", "lenny", "leo"),
    "louise": ("lou", "louie"),
    "lucy": ("lu",),
    "margaret": ("maggie", "meg", "peggy", "madge", "marge"),
    "matilda": ("tilly", "tilda"),
    "matthew": ("matt", "matty"),
    "michael": ("mike", "mick", "mickey", "mikey"),
    "mohammed": ("mo",),
    "muhammad": ("mo",),
    "nathan": ("nate",),
    "nathaniel": ("nate", "nat"),
    "nicholas": ("nick", "nicky"),
    "nicola": ("nicky", "nikki"),
    "oliver": ("ollie", "olly"),
    "olivia": ("liv", "livvy"),
    "patricia": ("pat", "patsy", "trish"),
    "patrick": ("pat", "paddy"),
    "peter": ("pete",),
    "rebecca": ("becky", "becca", "bex"),
    "richard": ("rich", "rick", "ricky", "dick"),
    "robert": ("rob", "robbie", "bob", "bobby", "bert"),
    "ronald": ("ron", "ronnie"),
    "samantha": ("sam", "sammy"),
    "samuel": ("sam", "sammy"),
    "sarah": ("sally", "sadie"),
    "sophia": ("sophie",),
    "stephen": ("steve", "stevie"),
    "steven": ("steve", "stevie"),
    "susan": ("sue", "susie"),
    "theodore": ("theo", "ted", "teddy"),
    "thomas": ("tom", "tommy"),
    "timothy": ("tim", "timmy"),
    "victoria": ("vicky", "tori"),
    "william": ("will", "bill", "billy", "liam", "willie"),
    "zachary": ("zach", "zack"),
}

_FULL_NAMES: dict[str, set[str]] = {}
for _full, _nicks in NICKNAMES.items():
    for _nick in _nicks:
        _FULL_NAMES.setdefault(_nick, set()).add(_full)


def full_names_of(nickname: str) -> frozenset[str]:
    """The full names ``nickname`` is short for (empty if it is not a known nickname)."""
    return frozenset(_FULL_NAMES.get(nickname, ()))


def nicknames_of(name: str) -> frozenset[str]:
    return frozenset(NICKNAMES.get(name, ()))


def related_names(name: str) -> frozenset[str]:
    """Names that may stand for ``name``: its nicknames, the full names it is short for,
    and the other nicknames of those full names (Bob -> Robert -> Rob, Robbie)."""
    related = set(nicknames_of(name)) | set(full_names_of(name))
    for full in full_names_of(name):
        related |= nicknames_of(full)
    related.discard(name)
    return frozenset(related)


def nickname_reason(searched: str, recorded: str) -> str | None:
    """Why ``searched`` may be ``recorded`` ("Known as Bob (nickname of Robert)"), or None.

    Both normalised (lower case).
    """
    if searched in nicknames_of(recorded):
        return f"Known as {searched.title()} (nickname of {recorded.title()})"
    if recorded in nicknames_of(searched):
        return f"Known as {recorded.title()} (nickname of {searched.title()})"
    shared = full_names_of(searched) & full_names_of(recorded)
    if shared:
        full = sorted(shared)[0].title()
        return f"{searched.title()} and {recorded.title()} are both short for {full}"
    return None
