"""Deterministic detector for messages that describe acute danger.

Missing an emergency is the worst failure Veiviser can have, so this layer
runs in addition to the intent classifier (see `veiviser.nlu.emergency_guard`)
and does not depend on a trained model. It works on folded text (see
`veiviser.text.fold`) and combines small word classes:

* HARM: violent acts ("drepe", "skyte", "sprenge", "knivstikke", ...);
* WEAPON: weapons and explosives ("kniv", "pistol", "bombe", ...);
* INTENT: intention, plans and time ("skal", "planlegger", "i morgen", ...);
* THREAT: threats ("truer med", "trugar", ...);
* ACUTE: phrases that are acute on their own ("i livsfare", "gissel", ...).

A message is an emergency when it has an ACUTE phrase, a THREAT of HARM, HARM
with INTENT, HARM happening now, or a WEAPON with INTENT or possession.
General talk about violence ("eleven ser voldelige videoer", "når skal jeg
ringe 112?") has none of these combinations.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional, Pattern

from veiviser.text import fold, within_one_edit

# The intent every layer of the safety net agrees on.
EMERGENCY_INTENT = "report_emergency"

# Inflected forms are listed in folded spelling (æ->ae, ø->o, å->a, aa->a).
HARM_STEMS = (
    r"drep\w*|drap\w*|myrd\w*|mord|henrett\w*|slakt\w*|massakr\w*|blodbad\w*",
    r"skyt\w*|skot|skutt\w*|skjot\w*|skyting\w*|nedskyt\w*",
    r"sprenge?\w*|sprengj\w*|sprengt\w*|spreng",
    r"knivstikk\w*|knivstakk\w*|stikke|stikka|stikker|stakk|stukket|stikk ned",
    r"angrip\w*|angrep\w*|angripe",
    r"(?:skade|skada|skader|skadar) (?:noen|nokon|folk|andre|elever|ham|han|henne|ho|dem|dei|meg|oss|seg)",
    r"skamsla\w*|banke opp|sla ihjel|slo ihjel|sla ned",
    r"kverk\w*|kvele|kvela|kveler|kvalt",
    r"ta livet av|tar livet av|tok livet av|ta livet a|livet av",
    r"brenne ned|brenn ned|tenne pa|sette fyr|satt fyr|setter fyr",
    r"terrorangrep\w*|terrorhandling\w*|attentat\w*|gissel\w*|gisler|gislar|skoleskyting\w*",
    r"kjore ned|kjore inn i|meie ned",
    r"(?:alle|dere|dokke|dykk|dei|de|ingen) (?:\w+ ){0,3}(?:dor|doyr|do|overlever|overleve)",
    r"rydd\w* opp i|utrydd\w*|likvider\w*",
    r"gjore som breivik|gjore det samme som breivik|som breivik gjorde|gjore som tarrant",
    r"(?:\"|'|«|“|‘)ta(?:\"|'|»|”|’)|ta (?:noen|dem|han|henne|de|alle|laereren|laeraren|rektor)",
)
WEAPON_STEMS = (
    r"\w*vapen|\w*vapnet|\w*vapenet|\w*vapna|\w*vapnene|bevaepn\w*|vaepnet",
    r"kniv|kniven|kniver|knivar|knivane|knivene|slirekniv|kjokkenkniv\w*|machete\w*",
    r"\w*pistol\w*|revolver\w*|\w*gevaer\w*|\w*rifle\w*|\w*rifla|hagle\w*|hagla|haglene|ak47|ak-47",
    r"bombe|bomba|bomben|bomber|bombene|rorbomb\w*|bilbomb\w*|bensinbomb\w*|molotov\w*",
    r"eksplosiv\w*|sprengstoff\w*|sprengladning\w*|dynamitt|granat\w*|detonator\w*",
    r"ammunisjon|patron\w*|oks|oksa|oksen|balltre|gjodsel og diesel|kunstgjodsel",
)
# Intention words count only shortly before the harm word ("skal drepe",
# "planlegger å skyte"); time and possession words count anywhere.
MODAL_PHRASES = (
    r"skal|skulle|vil|ville|kommer til a|kjem til a|har tenkt|tenker a|tenkjer a",
    r"planlegg\w*|planla\w*|plan om|plan a|forbered\w*|forbur\w*|onsker a|gleder seg til",
)
INTENT_PHRASES = (
    r"i dag|i morgon|i morgen|i kveld|i natt|i ettermiddag|pa mandag|pa tirsdag|pa onsdag",
    r"pa torsdag|pa fredag|pa lordag|pa sondag|neste uke|til helga|i helga|snart|om litt",
    r"pa vei|pa veg|er pa vei|er pa veg|i full gang|na|akkurat na|no nett|rett na",
    r"har skaffa?\w*|skaffet seg|skaffa seg|har kjopt|har kjopa|kjopte|har med seg|hadde med seg",
    r"tok med|tatt med|tek med|har tatt med|bar med|bringer|har laget|har laga|lager|lagar",
    r"alle skal|dere skal|dokke skal|dykk skal",
    r"mot oss|mot meg|kjem mot oss|pa vei mot|komme tilbake|kome tilbake",
    r"har lagt ut planen|planen|planane|planene",
    r"utenfor|inne pa|inne i|ved inngangen|i gangen|i skolegarden|pa skolen|i klasserommet|er fortsatt her|er her",
    r"sint|rasende|ute av kontroll|har gatt inn|gikk inn|er inne pa",
)
MODAL_WINDOW = 6  # words between a modal and the harm word it governs
THREAT_PHRASES = (
    r"tru(?:er|et|a|ar|ga|gar|de|ar)\w* med",
    r"trussel om|truslar om|trusler om|dodsliste|drapsliste|hitliste|drapstrussel\w*|bombetrussel\w*",
    r"sa at (?:han|hun|ho|hen|de|dei) skulle",
)
# Possession of a weapon: a verb shortly before it ("har en kniv", "bærer
# pistol") or a hiding place shortly after it ("kniv i sekken").
POSSESSION_BEFORE = (
    r"har|hadde|bar|baerer|berer|gar med|gikk med|gjemmer|gjemt|skjuler|viste fram|viste meg|med seg|med",
)
POSSESSION_AFTER = (
    r"i sekken|i skolesekken|i jakka|i jakken|i lomma|i lommen|pa seg|under jakka|i skapet|i bilen|i handa|i handen|i hand|i hendene",
)
POSSESSION_WINDOW = 4

# Violence in the present tense, happening as the user writes.
HARM_NOW_PHRASES = (
    r"skyter|knivstikker|stikker ned|angriper|dreper|slar ned|kveler|sprenger|holder fast",
    r"slar og sparker|sparker og slar|banker opp|slar (?:en|noen|ham|henne|elev\w*|barn\w*)",
    r"blir knivstukket|blir skutt|blir angrepet|blir slatt|har skadet|har skada|er skadet|er skada|ble skadet",
    r"truer (?:de |dei |den )?(?:ansatte|personalet|oss|meg|henne|ham|folk|andre|elev\w*|laerer\w*|larar\w*|kolleg\w*|barna|ungane|ungene)",
)
ACUTE_PHRASES = (
    r"i livsfare|er livsfare|i akutt fare|er i fare na|i fare akkurat|under angrep|blir angrepet",
    r"gissel|gisler|gislar|holdes fanget|holdt fanget|blir holdt|barrikader\w*",
    r"last seg inne med|last (?:ham|henne|oss|dem|seg) inne|slipper (?:ham|henne|oss|dem) ikke ut|vil ikke slippe (?:ham|henne|oss|dem) ut",
    r"bloder|bloer|blor kraftig|er skutt|ble skutt|vart skoten|er knivstukket|ble knivstukket",
    r"skyting pa|skyter pa|skyt pa|skytes pa|noen skyter",
    r"bombe pa|bombe i|bombe under|har plassert|plasserte en",
    r"skal sprenge|vil sprenge|planlegger et angrep|planlegger angrep|planlegg eit angrep",
    r"blir et angrep|blir eit angrep|skal bli et angrep|kommer et angrep|har skjedd et angrep|har vore eit angrep",
    r"kommer til a hore om meg|skal fa hore om meg|kjem til a hoyre om meg|far hore om meg",
    r"bombetrussel\w*|blor etter|bloder etter|det er skyting|det skytes|det blir skutt",
    r"skyting (?:ved|pa|i|utenfor) (?:skolen|skulen|barnehagen|sentrum|byen|kjopesenteret|jobben|kontoret|nav)",
    r"ta sitt eget liv|ta livet sitt|ta livet mitt|drepe seg selv|drepe seg sjolv",
    r"skal fa svi|skal fa unngjelde|skal fa angre|skal fa betale|skal fa se hva som skjer",
    r"skal fa sja|fa se kva som skjer|fa se hva som skjer",
    r"blor|bloder|bloer|ble stukket|er stukket|vart stukken|ble stukken",
    r"skyter (?:\w+ ){0,3}mot (?:folk|barn\w*|elev\w*|oss|meg|ungar|ungane|ungene|ansatte|noen|nokon)",
    r"gift i (?:maten|drikken|kaffen|vannet)|forgift\w*|legge (?:det |gifta |giften )?i maten|ha (?:det |gifta |giften )?i (?:maten|kaffen|drikken)",
    r"(?:tatt|tar|tok|henta|hentet|hentar|dratt|drog) (?:\w+ ){0,5}med makt",
)
# Questions about the topic rather than a situation ("hva gjør jeg hvis en
# elev sier at ..."): a hypothetical opener with a generic subject.
HYPOTHETICAL = re.compile(
    r"^\s*(?:hva|kva|hvordan|korleis|kan|bor|skal|ma|har)\b[^.?!]*\b(?:hvis|dersom|om|viss)\b"
    r"\s+(?:en|ein|ei|noen|nokon|et|eit|man|ein)\b"
)
# Topic words that sound like HARM or WEAPON but are not a situation.
TOPIC_ONLY = re.compile(
    r"vapenlov\w*|vapenkurs\w*|22\. juli|22 juli|historie\w*|film\w*|dataspill\w*|spill\w*"
)
# Figurative uses of harm words, removed before the assessment.
IDIOMS = re.compile(
    r"sk(?:yt\w*|jot|aut) (?:ballen|pucken|et mal|mal|i krysset|pa mal|forbi)"
    r"|(?:rapporten|dette|det|jobben|stresset|tiden|arbeidet|saken|hodepina) dreper meg"
)
# Context that makes violence words a worry rather than acute danger: a time
# in the past ("i fjor", "for to uker siden"), an explicit "no threat" ("har
# ikke truet noen", "ingen planer"), or a teaching, hobby or memorial topic.
# It overrules the combination rules (never an ACUTE phrase) unless the
# message also says now or soon (STRONG_NOW).
PAST_PHRASES = (
    r"i fjor|i fjol|for lenge sid(?:en|an|a)|for \w+ (?:dag|dagar|dager|uke|uker|veke|veker|maned|maneder|manader|ar|ars) sid(?:en|an|a)",
    r"forrige (?:uke|veke|maned|ar|helg|time|gang)|i forrige (?:uke|veke|maned)",
    r"(?:ble|vart|blei|er|har vaert) domt|soner for|sonar for|saken er (?:avsluttet|avslutta|henlagt|henlagd)",
    r"i (?:19|20)[0-9][0-9]|fra (?:19|20)[0-9][0-9]",
)
NEGATED_PHRASES = (
    r"(?:har|hadde|er) (?:ikke|ikkje|aldri) (?:truet|truga|trua|sagt noe om|sagt noko om|gjort noe|planlagt)",
    r"aldri truet|aldri truga|aldri trua|ingen (?:planer|planar|konkrete planer)|ingen akutt|ikke akutt|ikkje akutt",
    r"virker ikke truende|mente det ikke|meinte det ikkje|bare prat|berre prat|bare tull|berre tull|i sinne|har beklaget|fiksjon",
)
TOPIC_PHRASES = (
    r"samfunnsfag\w*|historietime\w*|historiefag\w*|undervisning\w*|undervisningsopplegg|i timen|temadag\w*|minnestund\w*",
    r"novelle\w*|stil|oppgave\w*|oppgave|dokumentar\w*|film|filmen|filmkveld|kinofilm|serie|serien|seriar|dataspill\w*|krigsspill\w*",
    r"lest om|leste om|las om|snakket om|snakka om|hadde om|hatt om|markering\w*|ovelse\w*|ovinga?|plivo|beredskapsplan\w*|kurs",
    r"22\.? juli|christchurch|utoya|jegerprov\w*|jakt|jakta|elgjakt|rypejakt|skytterlag\w*|skytterklubb\w*|paintball|luftgevaer\w*|luftpistol\w*|blink",
    r"lek|leker|leikar|leke\w*|leike\w*|fantasy\w*|\w*historier|fortelling\w*|forteljing\w*|roman|romanen|bok|boka|boken|dikt|rutine\w*",
    r"kampen|finalen|turneringa|turneringen|fotballkamp\w*|handballkamp\w*|bilde av|bilete av|bilder av|video av|videoer av",
)
# Words that place the danger now or soon; they keep a message acute even
# when it also mentions the past or a topic.
STRONG_NOW_PHRASES = (
    r"akkurat na|akkurat no|rett na|na|no|no nett|i kveld|i natt|i morgen|i morgon|i morra|i mara|om litt|om en time|om ein time",
    r"pa vei|pa veg|er pa vei|snart|hjelp|er her|kommer hit|kjem hit|er fortsatt her|er framleis her",
)
# Someone else intends something, or a time is set: a threat keeps its weight
# even in a message that also mentions the past or a topic ("han sa han skal
# gjøre det samme som på Utøya").
THIRD_PERSON_INTENT = (
    r"(?:han|hun|ho|hen|de|dei|dem|eleven|eleven min|gutten|guten|jenta|ungdommen|ungdomen|brukeren|brukaren|klienten|pasienten"
    r"|mannen|faren|moren|sonnen|sonen|datteren|dottera|broren|vennen|kjaresten|innsatte|personen|noen|nokon|gjengen|gruppa|gruppen)"
    r" (?:\w+ ){0,2}(?:skal|skulle|vil|ville|kommer til a|kjem til a|planlegger|planlegg|har tenkt|tenker a|sku|ska)",
)
WHEN_PHRASES = (
    r"pa (?:mandag|tirsdag|onsdag|torsdag|fredag|lordag|laurdag|sondag|sundag)|neste (?:mandag|tirsdag|onsdag|torsdag|fredag|lordag|sondag|uke|veke)",
    r"til helga|i helga|i helgen|datoen|klokka [0-9]+|kl\.? ?[0-9]+",
)
# Broad danger vocabulary. The classifier's vote counts only when the
# message has at least one of these or a word of the classes above.
EXTRA_CUE_PHRASES = (
    r"tru\w*|trugar|trussel\w*|truslar|hjelp|skudd\w*|smell\w*|smeller|eksplo\w*|blor|bloder|blod\w*|livsfar\w*|fare|farleg|farlig",
    r"fanget|fanga|innestengt|innelast|med makt|med tvang|kvelertak|slar|slo|sla|sparker|sparka|slass\w*|sloss\w*|knuse|knuser",
    r"voldelig|valdeleg|aggressiv\w*|rasende|ute av seg|vifter|hevn\w*|hemn\w*|do|doe|dor|dode|drept|overleve|blodbad|aksjon|manifest",
    r"ladd|ladde|krutt\w*|lighter|fyrstikker|bensin|syre|gift|brann|brenne|brenn\w*|ledninger|gar av|kjore inn|kjore pa|oks|oksa|kolle\w*|jern",
    r"bomb\w*|holder (?:ham|henne|han|ho|dem|dei|oss|meg|en|ei|ein|barna|ungane) (?:\w+ )?(?:fast|inne|igjen|pa|i)",
)

# Long words that users misspell; one edit away still counts.
FUZZY_VOCABULARY = (
    "knivstikke", "knivstukket", "sprenge", "sprengstoff", "eksplosiver", "skytevapen",
    "angripe", "angrep", "pistol", "gevaer", "gissel", "livsfare", "machete", "drepe",
    "dreper", "skyte", "skyter", "bombe", "kniv", "vapen",
)


def _compile(alternatives: tuple) -> Pattern[str]:
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(alternatives) + r")(?![a-z0-9])")


_HARM = _compile(HARM_STEMS)
_WEAPON = _compile(WEAPON_STEMS)
_INTENT = _compile(INTENT_PHRASES)
_MODAL = _compile(MODAL_PHRASES)
_POSSESSION_BEFORE = _compile(POSSESSION_BEFORE)
_POSSESSION_AFTER = _compile(POSSESSION_AFTER)
_HARM_NOW = _compile(HARM_NOW_PHRASES)
_THREAT = _compile(THREAT_PHRASES)
_ACUTE = _compile(ACUTE_PHRASES)
_WORD = re.compile(r"[a-z0-9]+")
_PAST = _compile(PAST_PHRASES)
_NEGATED = _compile(NEGATED_PHRASES)
_TOPIC = _compile(TOPIC_PHRASES)
_STRONG_NOW = _compile(STRONG_NOW_PHRASES)
_EXTRA_CUE = _compile(EXTRA_CUE_PHRASES)
_THIRD_PERSON_INTENT = _compile(THIRD_PERSON_INTENT)
_WHEN = _compile(WHEN_PHRASES)
_NOT_NOW = _compile((r"(?:ikke|ikkje|ikkje) (?:akkurat |heilt |helt )?(?:na|no)",))
# A question about what to do, what something means or whether to worry.
_WORRY_QUESTION = re.compile(
    r"^\s*(?:hva|kva|ka|hvordan|korleis|koss|assen|hvorfor|kvifor|hvem|kven|kem|er det|e det|bor jeg|bor vi|ma jeg|kan jeg|kan vi)\b"
    r"|\b(?:bor jeg|bor vi|skal jeg|skal vi)\s+(?:reagere|vaere bekymret|vere bekymra|uroe|melde|bekymre)"
    r"|\b(?:hva|kva|ka) (?:kan det|betyr|bety|tyder)|bekymringstegn|varseltegn|faresignal|\btegn pa\b|\bteikn pa\b|er det normalt"
    r"|\b(?:skal|bor|ma) (?:vi|jeg|eg) gjore noe|\b(?:hvis|dersom|viss|om) (?:noen|nokon|en elev|ein elev)\b"
)
_IMMINENT = _compile(
    (
        r"i dag|i morgon|i morgen|i kveld|i natt|na|akkurat na|rett na|no nett|snart",
        r"pa vei|pa veg|pa mandag|pa tirsdag|pa onsdag|pa torsdag|pa fredag",
    )
)


@dataclass(frozen=True)
class Assessment:
    """Why a message was or was not judged an emergency."""

    is_emergency: bool
    reason: Optional[str] = None


def _with_typos_fixed(folded: str) -> str:
    """Replace misspelt long words with their lexicon form."""
    fixed: List[str] = []
    for word in _WORD.findall(folded):
        replacement = word
        if len(word) >= 4:
            for target in FUZZY_VOCABULARY:
                if word != target and abs(len(word) - len(target)) <= 1 and len(target) >= 5:
                    if within_one_edit(word, target):
                        replacement = target
                        break
        fixed.append(replacement)
    return " ".join(fixed)


def _assess_text(text: str) -> Optional[str]:
    if _ACUTE.search(text):
        return "acute"
    harm = _HARM.search(text)
    weapon = _WEAPON.search(text)
    if harm and _THREAT.search(text):
        return "threat"
    if _THREAT.search(text) and weapon:
        return "threat"
    if harm and (_INTENT.search(text) or _modal_governs(text, _HARM)):
        return "harm+intent"
    if weapon and (_INTENT.search(text) or _modal_governs(text, _WEAPON)):
        return "weapon+intent"
    if weapon and (
        _precedes(text, _POSSESSION_BEFORE, _WEAPON, POSSESSION_WINDOW)
        or _precedes(text, _WEAPON, _POSSESSION_AFTER, POSSESSION_WINDOW)
    ):
        return "weapon+possession"
    if _HARM_NOW.search(text):
        return "harm-now"
    return None


def _word_index(text: str, position: int) -> int:
    return len(_WORD.findall(text[:position]))


def _precedes(text: str, first: Pattern[str], second: Pattern[str], window: int) -> bool:
    """True when a match of `first` starts at most `window` words before a
    match of `second`."""
    starts = [_word_index(text, m.start()) for m in first.finditer(text)]
    for match in second.finditer(text):
        at = _word_index(text, match.start())
        if any(0 < at - start <= window for start in starts):
            return True
    return False


def _modal_governs(text: str, target: Pattern[str]) -> bool:
    """True when a modal stands at most MODAL_WINDOW words before a target."""
    return _precedes(text, _MODAL, target, MODAL_WINDOW)


def _says_now_or_intent(text: str) -> bool:
    return bool(_STRONG_NOW.search(text) or _THIRD_PERSON_INTENT.search(text) or _WHEN.search(text))


def _not_acute_context(text: str) -> bool:
    """Past, negated or topic context without anything that says now, soon or
    that someone intends harm."""
    return bool(_PAST.search(text) or _NEGATED.search(text) or _TOPIC.search(text)) and not _says_now_or_intent(text)


def assess(message: str) -> Assessment:
    """Assess one user message."""
    folded = IDIOMS.sub(" ", fold(message))
    if not folded.strip():
        return Assessment(False)
    # Quotes around a word ("ta") matter, so search the folded text as is,
    # then a version with typos fixed and punctuation removed.
    candidates = [folded, _with_typos_fixed(folded)]
    hypothetical = bool(HYPOTHETICAL.search(folded))
    topic_only = bool(TOPIC_ONLY.search(folded))
    for text in candidates:
        reason = _assess_text(text)
        if reason is None:
            continue
        if reason != "acute" and (hypothetical or topic_only) and not _IMMINENT.search(text):
            return Assessment(False, f"{reason} in a hypothetical or topic question")
        if reason != "acute" and _not_acute_context(text):
            return Assessment(False, f"{reason} in a past, negated or topic context")
        return Assessment(True, reason)
    return Assessment(False)


@dataclass(frozen=True)
class Context:
    """What the text says beyond the rule decision, for weighing a classifier vote."""

    danger_cue: bool  # at least one danger word
    intent: bool  # someone else intends something ("han skal"), or a time is set ("på fredag")
    urgent: bool  # now or soon ("akkurat nå", "i kveld"), not negated ("ikke akkurat nå")
    not_acute: bool  # past, negated or topic context, or a worried question, and nothing says now


def context(message: str) -> Context:
    folded = IDIOMS.sub(" ", fold(message))
    texts = [folded, _with_typos_fixed(folded)]
    cue = any(
        pattern.search(text)
        for text in texts
        for pattern in (_HARM, _WEAPON, _THREAT, _ACUTE, _HARM_NOW, _EXTRA_CUE)
    )
    # A worried question ("hvordan snakker jeg med en elev som sier han vil
    # ...?") stays a question unless a time word makes it urgent.
    worried = bool(_WORRY_QUESTION.search(folded) or HYPOTHETICAL.search(folded))
    urgent = any(_STRONG_NOW.search(_NOT_NOW.sub(" ", text)) or _WHEN.search(text) for text in texts)
    not_acute = any(_not_acute_context(text) for text in texts) or (worried and not urgent)
    intent = any(_THIRD_PERSON_INTENT.search(text) or _WHEN.search(text) for text in texts)
    return Context(cue, intent, urgent, not_acute)


def is_emergency(message: str) -> bool:
    """True when `message` describes someone who may be harmed now or soon."""
    return assess(message).is_emergency
