"""Deterministic detector for messages that describe acute danger.

Missing an emergency is the worst failure Veiviser can have, so this layer
runs beside the trained emergency scorer (`veiviser.safety.scorer`; the two
are combined in `veiviser.nlu.emergency_guard`) and needs no trained model. It works on folded text (see
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
    r"(?:en |ei |ein )?overraskelse (?:til|for) (?:alle|dere|dykk|dem|dei|laererne|laerarane)|(?:tar|tek) (?:jeg|eg) med meg|(?:de|dei) som fortjener det|dei som fortener det",
    r"(?:siste|den siste) (?:\w+ ){0,2}for (?:noen av dere|nokon av dykk|dere|dykk|deg)|(?:snart|na|no|i morgen) er det (?:din|deres|dykkar|di) tur",
    r"(?:«|\"|')(?:besoke|fikse|ordne|rydde|hilse pa|ta seg av|sende en beskjed|sende ein beskjed)(?:»|\"|')",
    r"(?:jeg|eg) (?:tar|tek) med (?:meg )?(?:noe|noko) (?:til|pa|som)|(?:aldri|ikke|ikkje) (?:spiller|spelar|gar|kommer|kjem) (?:\w+ )?igjen",
    r"(?:holde|halde) (?:meg|deg|seg|dere|dykk|oss) (?:hjemme|heime)|(?:kommer til a|kjem til a|skal) skje (?:noe|noko) (?:pa|i|ved)",
    r"(?:skal|skulle|ska|vil) tas (?:pa|i|etter|nar|for)|kom (?:deg|dere|dykk|dokke) ut (?:av|fra|fraa) (?:skolen|skulen|bygget|jobben|kontoret|senteret)",
    r"kryss (?:ved|over|pa|paa) (?:alle )?(?:utgangene|utgangane|dorene|dorane|inngangene|kantina|kantinen|skolen|klasserommet)",
    r"(?:skisse|tegning|teikning|kart|plan(?:tegning)?) (?:\w+ ){0,4}(?:med )?kryss|(?:blir|skal bli|kommer til a bli) historisk",
    r"straffe (?:en|ei|ein) som|(?:jeg|eg|han|hun|ho) (?:vet|veit) (?:hvor|kor|kvar) (?:\w+ ){0,2}(?:bor|bur|jobber|jobbar)",
    r"straffe (?:en |ei |ein )?(?:skole|skolen|skule|skulen|klassen|dem|dei|alle)",
    r"(?:ta|tar|tek) (?:oss|dere|dykk|dei|dem) (?:en etter en|ein etter ein|alle sammen|alle saman)",
    r"(?:ikke|ikkje|aldri) (?:blir|bli) (?:det |den )?(?:samme|same) etter|blir (?:det|den) siste (?:\w+ )?(?:dere|du|dykk|dykkar|deres|din)",
    r"(?:hold|hald) (?:dere|dykk|deg|dokke) (?:hjemme|heime)|(?:tar|tek) (?:jeg|eg) med (?:noe|noko)",
    r"hold\w* (?:meg|deg|seg|dere|dykk|oss) unna|(?:ikke|ikkje) (?:kom|kome|komme|ga|dra|vaer) (?:pa|til|i) (?:skolen|skulen|skule|jobben|jobb|festen|byen|kontoret|arbeid|kantina|kantinen|aulaen|gangen|sentrum|julebordet|moten|motet|markeringen|arrangementet|avslutningen|\w+festen)",
    r"(?:noe|noko) (?:som )?(?:alle|folk) (?:kommer til a|kjem til a|skal|vil) huske",
    r"(?:ta|tar|tek) med (?:meg|seg) (?:sa )?mange|siste (?:dag|dagen) for (?:dere|dykk|dokke|dei|dem)\b",
    r"kjore ned|kjore inn i|meie ned|kjor\w* (?:\w+ ){0,3}inn i (?:folkemengden|folkemengda|menneskemengden|folk|toget|tilskuerne)",
    r"(?:alle|dere|dokke|dykk|dei|de|ingen|du) (?:\w+ ){0,5}(?:dor|doyr|do|overlever|overleve)",
    r"knekke (?:beina|beinet|bena|armene|nakken|kjeven|trynet) pa|sikte (?:\w+ ){0,2}(?:tegnet|teikna|over)",
    r"rydd\w* opp i|utrydd\w*|likvider\w*",
    r"gjore som breivik|gjore det samme som breivik|som breivik gjorde|gjore som tarrant",
    r"(?:\"|'|«|“|‘)ta(?:\"|'|»|”|’)|ta (?:noen|dem|han|henne|de|alle|laereren|laeraren|rektor)",
)
WEAPON_STEMS = (
    r"\w*vapen|\w*vapnet|\w*vapenet|\w*vapna|\w*vapnene|bevaepn\w*|vaepnet",
    r"kniv|kniven|kniver|knivar|knivane|knivene|slirekniv|kjokkenkniv\w*|machete\w*",
    r"\w*pistol\w*|revolver\w*|\w*gevaer\w*|\w*rifle\w*|\w*rifla|hagle\w*|hagla|haglene|ak47|ak-47",
    r"bombe|bomba|bomben|bomber|bombene|rorbomb\w*|bilbomb\w*|bensinbomb\w*|brannbomb\w*|molotov\w*",
    r"kamputrustning|skuddsikker vest|skuddsikre vester|ledningar og (?:ei |en )?klokke|ledninger og (?:ei |en )?klokke",
    r"eksplosiv\w*|sprengstoff\w*|sprengladning\w*|dynamitt|granat\w*|detonator\w*",
    r"ammunisjon|patron\w*|oks|oksa|oksen|balltre|gjodsel og diesel|kunstgjodsel|kruttpulver|krutt",
    r"ror,? (?:\w+ ){0,3}(?:pulver|krutt|ledninger)|ledninger og (?:pulver|ror|batteri\w*)",
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
    r"tok med|tatt med|tek med|tar med|har tatt med|neste gang|fatt tak i|fått tak i|bar med|bringer|har laget|har laga|lager|lagar",
    r"alle skal|dere skal|dokke skal|dykk skal",
    r"(?:gar|gikk|ga|gjekk|springer|sprang|loper|lop) mot|mot oss|mot meg|kjem mot oss|pa vei mot|komme tilbake|kome tilbake|kommer tilbake|kjem tilbake",
    r"har lagt ut planen|planen|planane|planene",
    r"utenfor|inne pa|inne i|ved inngangen|i gangen|i skolegarden|pa skolen|i klasserommet|er fortsatt her|er her",
    r"sint|rasende|ute av kontroll|har gatt inn|gikk inn|er inne pa",
)
MODAL_WINDOW = 6  # words between a modal and the harm word it governs
THREAT_PHRASES = (
    r"tru(?:er|et|a|ar|ga|gar|de|ar)\w* med",
    r"trussel om|truslar om|trusler om|dodsliste|drapsliste|hitliste|drapstrussel\w*|bombetrussel\w*",
    r"sa at (?:han|hun|ho|hen|de|dei) skulle",
    r"(?:jeg|eg) (?:vet|veit) (?:hvor|kor|kvar) (?:du|dere|dykk) (?:bor|bur|jobber|jobbar|er)",
)
# Possession of a weapon: a verb shortly before it ("har en kniv", "bærer
# pistol") or a hiding place shortly after it ("kniv i sekken").
POSSESSION_BEFORE = (
    r"har|hadde|bar|baerer|berer|gar med|gikk med|gjemmer|gjemt|skjuler|viste fram|viste meg|med seg|med",
    r"fant|funnet|funne|oppbevarer|lagrer|lagra",
)
POSSESSION_AFTER = (
    r"i sekken|i skolesekken|i jakka|i jakken|i lomma|i lommen|pa seg|under jakka|i skapet|i bilen|i handa|i handen|i hand|i hendene",
)
POSSESSION_WINDOW = 4

# Violence in the present tense, happening as the user writes.
HARM_NOW_PHRASES = (
    r"skyter|knivstikker|stikker ned|angriper|dreper|slar ned|kveler|sprenger|holder fast|sikter (?:pa|mot)",
    r"(?:slar|slo|gar|gikk|hogg|hugg) (?:los|laus) pa",
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
    r"(?:fant|funnet|funne|fann) (?:\w+ ){0,4}(?:rorbomb\w*|sprengstoff\w*|eksplosiv\w*|kruttpulver|bomber?|granat\w*|detonator\w*|ror,? (?:\w+ ){0,3}(?:pulver|krutt|ledninger))",
    r"skal sprenge|vil sprenge|planlegger et angrep|planlegger angrep|planlegg eit angrep",
    r"blir et angrep|blir eit angrep|skal bli et angrep|kommer et angrep|har skjedd et angrep|har vore eit angrep",
    r"(?:skyter|dreper|stikker|knivstikker|sprenger|tar|drep) (?:jeg|eg) (?:hele|heile|alle|dere|dykk|dem|dei|deg|han|ham|henne|rektor|laereren|laeraren)",
    r"(?:du|dere|dykk|dokke) (?:skal|ska|kommer til a|kjem til a) do|skal (?:\w+ )?fa (?:svi|unngjelde|angre|betale)",
    # A threat to "you" ("dere kommer til å brenne"); a coded one with a time ("det smeller på 17. mai").
    r"(?:alle|dere|dokke|dykk|du) (?:\w+ ){0,2}(?:kommer til a|kjem til a|skal|ska) (?:alle |alle sammen |allesammen )?(?:brenne|brenn|blo|lide|angre|fa svi)",
    r"(?:kommer til a|kjem til a|skal|ska) (?:smelle|smalle) (?:pa|i|den|neste|etter|nar|til)",
    r"(?:siste|den siste) (?:\w+ ){0,2}for (?:noen av dere|nokon av dykk|noen av dokke)",
    r"(?:vi|me|jeg|eg) (?:kommer|kjem) for (?:deg|dere|dykk|dokke)|(?:ikke|ikkje) (?:\w+ ){0,2}(?:levende|levande) (?:fra|ut|hjem|heim)",
    r"(?:vi|me) (?:vet|veit) (?:hvilken|kva) (?:klasse|skole|skule|barnehage)|(?:far|faar) (?:ei |en )?kul(?:a|e|en) i (?:hodet|huet|hovudet|panna)",
    r"(?:de som|dei som|dere|dykk) (?:\w+ ){0,3}har (?:bare |berre )?(?:\w+ )?(?:dager|dagar|timer|timar|uker|veker) igjen",
    r"(?:jeg|eg) (?:advarte|atvara|varslet|varsla) deg|du er (?:advart|atvara)",
    r"(?:dor|doyr|dør) (?:dere|dykk|dokke|alle|dei|de)\b|(?:kommer|kjem) (?:jeg|eg) (?:og )?(?:tar|tek) (?:dere|dykk|deg|dokke)",
    r"skrik og slag|slag og skrik|(?:hores|hoyrest|horer|hoyrer) (?:\w+ )?skrik|(?:forste|neste) (?:jeg|eg) (?:kommer|kjem) for",
    r"(?:hjemmelag\w*|heimelag\w*) (?:ror)?bomb\w*|(?:kommer|kjem) (?:jeg|eg) (?:pa|til) (?:skolen|skulen|jobben|kontoret) med (?:noe|noko)",
    r"(?:skal|vil|ska) (?:gjore|gjere) (?:det )?(?:samme|same) som (?:pa |paa )?(?:utoya|breivik|christchurch|columbine)",
    r"(?:du|dere|dykk|dokke) (?:er|blir|e) neste|(?:er|blir) det slutt (?:for|pa) (?:deg|dere|dykk|dokke)",
    r"(?:blir|bli) (?:det )?siste gang (?:noen|nokon|dere|dykk|folk)",
    r"(?:laget|lagd|laga|lagt|plassert|gjemt) (?:\w+ ){0,6}som (?:skal|kommer til a|kjem til a) ga av",
    r"(?:ingen|ingen av dere|ingen av dykk) (?:gar|kommer|kjem|slipper) (?:ut|herfra|her ifra|herifra)",
    r"(?:sperret|sperra|stengt|stengde|barrikadert) (?:seg )?inne (?:\w+ ){0,3}med",
    r"(?:tent|tente|satt) (?:pa|fyr pa) (?:\w+ ){0,3}(?:inngang\w*|huset|bygget|bygningen|moskeen|kirka|kyrkja|asylmottaket|skolen|skulen|bilen)",
    r"(?:var|er|var sa) (?:snill|grei|god) mot meg,? (?:sa|slik at) (?:du|dere) slipper",
    r"(?:se|sja|hore om|hoyre om) meg pa nyhetene|blir det pa nyhetene|(?:kommer|havner|hamnar) (?:jeg|eg|han|ho|hun|vi|det) pa nyhetene|kommer til a hore om meg|skal fa hore om meg|kjem til a hoyre om meg|far hore om meg",
    r"bombetrussel\w*|blor etter|bloder etter|det er skyting|det skytes|det blir skutt",
    r"skyting (?:ved|pa|i|utenfor) (?:skolen|skulen|barnehagen|sentrum|byen|kjopesenteret|jobben|kontoret|nav)",
    r"ta sitt eget liv|ta livet sitt|ta livet mitt|drepe seg selv|drepe seg sjolv",
    r"skal fa svi|skal fa unngjelde|skal fa angre|skal fa betale|skal fa se hva som skjer",
    r"skal fa sja|fa se kva som skjer|fa se hva som skjer|far se hva som skjer|far sja kva som skjer|far se kva som skjer",
    r"blor|bloder|bloer|ble stukket|er stukket|vart stukken|ble stukken",
    r"(?:folk|noen|nokon|mange|flere|fleire|barn|elever) ligger (?:skadet|skada|nede|livlose|livlause)",
    r"(?:kjorte|kjort|kjorer|kjoyrde|kjoyrer) (?:\w+ ){0,3}inn i (?:folkemengden|folkemengda|menneskemengden|folk|toget)",
    # A violent or armed person trying to get in: "en voldelig mann står på døra og vil inn".
    r"(?:voldelig|valdeleg|aggressiv\w*|truende|trugande|rasende|bevaepn\w*|vaepnet|ruset) (?:\w+ ){0,6}"
    r"(?:vil inn|ville inn|prover a (?:komme|kome) (?:seg )?inn|sparker pa|banker pa|river i|slar pa)",
    r"(?:holder|held|presser|trykker) (?:\w+ ){0,3}mot (?:halsen|strupen|hodet|hovudet)",
    r"skyter (?:\w+ ){0,3}mot (?:folk|barn\w*|elev\w*|oss|meg|ungar|ungane|ungene|ansatte|noen|nokon)",
    r"gift i (?:maten|drikken|kaffen|vannet)|forgift\w*|legge (?:det |gifta |giften )?i maten|ha (?:det |gifta |giften )?i (?:maten|kaffen|drikken)",
    r"(?:tatt|tar|tok|henta|hentet|hentar|dratt|drog) (?:\w+ ){0,5}med makt",
    r"active shooter|aktiv skytter|skytter i (?:bygget|bygningen|huset|skolen|skulen)",
    r"gisselsituasjon\w*|gislesituasjon\w*|skudd (?:pa|i|ved|utenfor|fra) (?:\w+ )?(?:skolen|skulen|barnehagen|kantina|gangen|skolegarden|bygget|senteret|kjopesenteret|stasjonen|kontoret)",
    # A suspicious object that ticks, beeps or has wires.
    r"(?:koffert|bag|sekk|pakke|eske|kasse|veske)\w* (?:\w+ ){0,6}(?:tikker|tikkar|piper|pip|ledning\w*)",
    # English, as foreign staff write it.
    r"(?:will|going to|gonna|wants to|threatens? to|threatened to) (?:\w+ ){0,2}(?:kill|stab|shoot|bomb|blow up|hurt|attack)",
    r"(?:someone|somebody|he|she|they|people) (?:is|are) (?:shooting|stabbing|attacking)|(?:has|have|with) a (?:gun|knife|rifle|bomb)",
    # Swedish and Danish, as staff and neighbours from there write it.
    r"(?:nagon|nogen|han|hon|hun|de|dom) (?:har |hade |havde )?(?:skjutit|skjuter|skyder|skudt|knivhuggit|knivhugger|knivstukket)",
    r"skottlossning|skyderi|(?:sitter|sidder|ar|er) (?:gomd|gomda|gomt|gemt)|gommer oss|gemmer os",
    r"(?:ska|skall|kommer att) (?:\w+ ){0,2}(?:doda|skjuta|spranga|knivhugga|draebe|skyde|sprange)",
)
# Questions about the topic rather than a situation ("hva gjør jeg hvis en
# elev sier at ..."): a hypothetical opener with a generic subject.
HYPOTHETICAL = re.compile(
    r"^\s*(?:hva|kva|hvordan|korleis|kan|bor|skal|ma|har)\b[^.?!]*\b(?:hvis|dersom|om|viss)\b"
    r"\s+(?:en|ein|ei|noen|nokon|et|eit|man|ein)\b"
    # "Dersom noen kommer inn med kniv, hva gjør vi?", "hvis jeg noen gang ser ..."
    r"|^\s*(?:hvis|dersom|viss|om) (?:en|ein|ei|noen|nokon|man)\b[^?]*\?"
    r"|\b(?:hvis|dersom|viss) (?:jeg|eg|vi|man|du) (?:noen gang|nokon gong|en gang|ein gong|eventuelt)\b"
    r"|\b(?:hva|kva|ka) (?:vi|jeg|eg|man|me) (?:gjor|skal gjore|bor gjore|gjer|skal gjere) (?:hvis|dersom|om|viss)\b"
    r"|\b(?:plan|planer|rutiner|beredskap) for (?:hva|kva)\b|\bhvis det (?:skjer|skulle skje|kommer)\b"
    r"|^\s*(?:er det|e det|er det ikke) lov\b|\b(?:er det|e det) lov (?:a|for)\b"
)
# Topic words that sound like HARM or WEAPON but are not a situation.
TOPIC_ONLY = re.compile(
    r"vapenlov\w*|vapenkurs\w*|22\. juli|22 juli|historie\w*|film\w*|dataspill\w*|spill\w*"
)
# Figurative uses of harm words, removed before the assessment.
IDIOMS = re.compile(
    r"sk(?:yt\w*|jot|aut) (?:ballen|pucken|et mal|mal|i krysset|pa mal|forbi|inn)"
    # "dette møtet dreper meg", "regnearket dreper meg": a thing, not a person
    r"|(?:dette|denne|det|disse|den) (?:\w+ ){0,2}dreper meg|\w+(?:et|ene|arket|ingen) dreper meg"
    r"|(?:rapporten|jobben|stresset|tiden|arbeidet|saken|hodepina|fristen|uka|dagen|timen|koen|printeren|skriveren) dreper meg"
    r"|(?:kunne|kunna|kan|skulle) (?:ha )?(?:drept|drepe|myrdet) for"
    r"|drepe (?:den |det |denne )?(?:\w+ )?(?:printeren|skriveren|pc-en|pcen|maskinen|datamaskinen|mobilen|telefonen|wifien|nettet|ruteren)"
    r"|drep\w* (?:stemningen|stemninga|praten|samtalen|moroa|festen|ideen|forslaget)|tikkende bombe|tikkande bombe"
    r"|full krig (?:i|om|pa)|\w*proven (?:\w+ ){0,2}(?:ble|var) (?:et|eit) (?:\w+ )?blodbad"
    r"|(?:eksamen|testen|kampen|motet|budsjettet) (?:\w+ ){0,2}(?:ble|var) (?:et|eit) (?:\w+ )?blodbad"
    r"|sprenge?r? (?:alle )?(?:budsjetter|grenser)|(?:er|var) (?:en|ei|ein) bombe i (?:matte|norsk|engelsk|fotball|\w*fag)"
    r"|helt drepende|drepende (?:kjedelig|lang|treg)|bombarder\w* (?:meg|oss|dem) med"
    r"|(?:tatt|tok|tar) livet av (?:all |alle )?(?:motivasjon\w*|stemningen|lysten|gleden|engasjement\w*)"
    r"|angrep pa (?:argument\w*|saken|problemet|oppgaven)"
    r"|sk\w+ (?:\w+ ){0,2}i senk|skutt ned (?:i|av) (?:kommunestyret|styret|ledelsen|motet|budsjett\w*)|skarp som (?:en |ei )?kniv"
    r"|sk(?:utt|aut|ote) (?:meg|deg|oss|seg) (?:selv |sjolv )?i foten"
    r"|skutt i senk|skote i senk|(?:printeren|skriveren|skrivaren|pc-en|pcen|maskinen|mobilen) (?:er|var) (?:daud|dod|dau)"
    r"|(?:er|var) (?:en|ei|ein) bombe (?:pa|i) (?:excel|matte|sjakk|data|norsk|engelsk|\w*ball|innebandy|hockey|\w+banen|\w+bana)"
    r"|(?:\w+perioden|eksamen\w*|uka|dagen|jobben|timeplanen|motene) (?:\w+ )?tok livet av (?:oss|meg)"
    r"|slakt\w* (?:sau|sauer|sauen|lam|gris|griser|dyr|elg|hjort|fisk|kylling\w*)"
    r"|helt skutt|heilt skoten|tar livet av meg|gikk (?:helt )?i taket|(?:et|eit) minefelt|skyteskive"
    r"|sk(?:yter|yt|jot) (?:jeg|eg|meg|deg|oss|seg) (?:meg |deg |oss |seg )?(?:selv |sjolv )?i foten"
    r"|drep\w* (?:heile |hele )?(?:bunken|haugen|lista|listen|innboksen|innboksen min)"
    r"|slakte dronningen|ta kongen|vannpistol\w*|vassgevaer\w*"
    r"|dods(?:gira|giret|god|gode|lei|kjedelig\w*|fin|fint|trott|sliten|sulten|morsom\w*|bra|stilig\w*)"
    r"|slakt\w* (?:motstander\w*|\w*laget)|sla\w* (?:alle|dem|meg|oss) (?:ned )?i (?:sjakk|fotball|\w*spill|quiz|tennis)"
    r"|blodbad pa (?:\w*proven|eksamen|testen)|(?:fatt|fikk) (?:seg )?(?:en )?(?:skikkelig )?smell"
    r"|sl(?:ass|oss|ost|ast) med (?:\w*systemet|pc\w*|skriveren|printeren|maskinen)"
    r"|sk(?:yter|yte|jot|aut) i gang|(?:er|var) (?:en|ei|ein) bombe pa \w*ban(?:en|a)"
    r"|holdt pa a do|holdt pa a kjede meg ihjel|kjedet meg ihjel|ler meg ihjel|lo meg ihjel|jobber meg ihjel|fryser ihjel"
    r"|sprenge? (?:rekorden|budsjettet|rammen|rammene|grensen|grensene|kapasiteten|banken)|sprenge? trommeskinn\w*"
    r"|drep(?:er|e)? meg (?:av|med) latter|dreper seg av latter"
    r"|(?:fikk|fekk|fatt) (?:en |ei |ein )?bomba? pa \w*prov\w*|bomba (?:fullstendig|totalt|heilt|helt) pa"
    # English figures of speech ("I'm gonna kill it on the test")
    r"|kill(?:ed|ing|s)? it\b|kill(?:ed|ing)? (?:the|this|that|my) (?:test|exam|game|presentation|match|interview)"
    r"|knuse (?:malene|malet|konkurrentene|konkurransen|rekorden|motstanderen|motstanderne|budsjettet)"
    r"|(?:proven|eksamen|testen|innlegget|nyheten|saken|talen|forestillingen) (?:var|ble|er) (?:en|ei) (?:bombe|fulltreffer)"
    r"|bombesikker|bombesikkert|skuddsikker (?:plan|losning|argument\w*)|slo ned som en bombe"
    r"|(?:et|eit) skudd i (?:morket|blinde)|sk(?:yt\w*|jot|aut) fra hofta|skutt ned (?:\w+ ){0,4}(?:foreslo|forslag\w*|ideen|ide|spurte)"
    r"|sk(?:yte|yter|jot|yt) ut (?:\w+ )?(?:invitasjon\w*|e-?post\w*|mail\w*|melding\w*|info\w*|nyhetsbrev\w*|innkalling\w*|sporsmal\w*)"
    r"|sla\w* i hjel (?:tid|tida|tiden|ventetid\w*)|slo i hjel (?:tid|tida|tiden)"
    # a boss's anger over a deadline, not a threat
    r"|(?:sjefen|rektor|lederen|leiaren|avdelingslederen|kollegaene|kollegene|redaktoren) (?:\w+ ){0,2}(?:kommer til a|kjem til a|vil|skal) drepe meg"
    r"|(?:et|eit) blodbad (?:med|av) (?:prover|eksamener|oppgaver|rapporter|saker|moter|innleveringer)"
    r"|(?:drepe|drep|skyte|sprenge|knivstikke) (?:\w+ ){0,2}(?:i neste runde|i spillet|i spelet|i fortnite|i minecraft|i gta)"
)
# Context that makes violence words a worry rather than acute danger: a time
# in the past ("i fjor", "for to uker siden"), an explicit "no threat" ("har
# ikke truet noen", "ingen planer"), or a teaching, hobby or memorial topic.
# It overrules the combination rules (never an ACUTE phrase) unless the
# message also says now or soon (STRONG_NOW).
PAST_PHRASES = (
    r"(?:har vaert|har vore|det var) (?:en|ei|ein) (?:knivstikking|skyting|slasskamp|voldshendelse|valdshending)",
    r"tidligere i (?:ar|host|var|vinter|sommer)|tidlegare i (?:ar|haust|var|vinter|sommar)|i fjor|i fjol|i gar|i forgars|for lenge sid(?:en|an|a)|for (?:en|ei|ein) stund sid(?:en|an)|for (?:\w+ ){1,2}(?:dag|dagar|dager|uke|uker|veke|veker|maned|maneder|manader|ar|ars) sid(?:en|an|a)",
    r"i (?:vinter|sommer|sommar|host|var) (?:\w+ ){0,3}(?:ble|vart|var|hadde)|(?:ble|vart|var) (?:\w+ ){0,4}i (?:vinter|sommer|sommar|host)\b",
    r"forrige (?:uke|veke|maned|ar|helg|time|gang)|i forrige (?:uke|veke|maned)",
    r"(?:ble|vart|blei|er|har vaert) domt|soner for|sonar for|saken er (?:avsluttet|avslutta|henlagt|henlagd)",
    r"i (?:19|20)[0-9][0-9]|fra (?:19|20)[0-9][0-9]",
)
NEGATED_PHRASES = (
    r"(?:har|hadde|er) (?:ikke|ikkje|aldri) (?:truet|truga|trua|sagt noe om|sagt noko om|gjort noe|planlagt)",
    r"(?:ikke|ikkje|aldri) (?:sagt|skrevet|skrive) (?:noe|noko) (?:truende|trugande)|(?:ikke|ikkje|aldri) kommet med trusler",
    r"(?:er|var) (?:ikke|ikkje) (?:truende|trugande|voldelig|valdeleg)|mente stress|meinte stress",
    r"(?:sa|sagt|skrev) (?:ikke|ikkje) (?:noe|noko) (?:truende|trugande)|(?:var |det var )?ingen trusler|aldri (?:sagt|sagd) at (?:han|hun|ho) vil",
    r"aldri (?:ville|vil) gjort (?:det|noe|noko)|aldri (?:ville|vil) gjere (?:det|noko)",
    r"aldri truet|aldri truga|aldri trua|ingen (?:planer|planar|konkrete planer)|ingen akutt|ikke akutt|ikkje akutt",
    r"virker ikke truende|mente det ikke|meinte det ikkje|bare prat|berre prat|bare tull|berre tull|i sinne|har beklaget|fiksjon",
)
# The user says it was checked, is over or was a joke.
DISMISSED_PHRASES = (
    r"haha\w*|hehe\w*|lol|pa tull|pa spok|for goy|lo etterpa|lo av det|tulla|tullet|spokte|spoka",
    r"politiet har (?:sjekket|sjekka|undersokt|vaert inne|tatt seg av)|(?:det )?var ikke noe i det|var ikkje noko i det",
    r"det var ikke noe|ble aldri noe av|vart aldri noko av|er frisk igjen",
    r"beklaget (?:seg )?(?:med en gang|etterpa)|beklaga (?:seg )?(?:med ein gong|etterpa)|nar (?:han|hun|ho) blir (?:stor|voksen|vaksen)|for a provosere",
    r"(?:behandlet|handsama|handtert) av politiet|det var (?:bare |berre )?tull|alle lo|(?:men |og )?smilte|sa orsak|sa unnskyld|roet seg|roa seg|rolig igjen|roleg igjen|lo (?:\w+ ){0,2}etterpa|fant ingenting|fann ingenting|nektet for det|nekta for det|(?:har|hadde) fatt beskjed|fikk beskjed",
    r"(?:ble|vart|er|har blitt) (?:\w+ )?(?:handtert|fulgt opp|ordnet|ordna) (?:av|med) politiet|ba om unnskyldning|sa unnskyld|har beklaget|beklaget seg",
    r"(?:dum|ei|en|var en) spok|sangtekst\w*|fra en sang|fra ein song|rapptekst\w*",
)
# Far away or in the papers: a topic, and an acute phrase there is not ours.
FAR_AWAY = r"i avisen|i avisa|i utlandet|i usa|i media"
TOPIC_PHRASES = (
    r"samfunnsfag\w*|historietime\w*|historiefag\w*|undervisning\w*|undervisningsopplegg|i timen|temadag\w*|minnestund\w*",
    r"novelle\w*|stil|oppgave\w*|oppgave|dokumentar\w*|film|filmen|filmkveld|kinofilm|serie|serien|seriar",
    FAR_AWAY + r"|videoer fra|video fra|klipp fra|klipp av",
    r"prosjekt\w*|fysikk\w*|atombomb\w*|rap|rapp|rappen|laten|sangen|songen|novella|hovedpersonen|hovudpersonen",
    r"lest om|leste om|las om|hadde om|hatt om|markering\w*|plivo|beredskapsplan\w*|kurs",
    r"22\.? juli|christchurch|utoya",
    r"fantasy\w*|\w*historier|fortelling\w*|forteljing\w*|roman|romanen|bok|boka|boken|dikt|rutine\w*",
    r"bilde av|bilete av|bilder av|video av|videoer av",
)
# Events and hobbies where weapons and violence words are ordinary and a time
# is natural ("brannøvelse på fredag", "paintball i helga"): only someone's
# stated intent to harm ("han skal skyte …") or "now" keeps such a message acute.
EVENT_PHRASES = (
    r"kampen|finalen|turneringa|turneringen|fotballkamp\w*|handballkamp\w*",
    r"\w*ovelse\w*|\w*ovinga?|spikk\w*|speider\w*|hyttetur\w*|pa tur|telttur\w*|friluft\w*|jeger|jegere|tollekniv\w*",
    r"jegerprov\w*|jakt|jakta|elgjakt|rypejakt|skytterlag\w*|skytterklubb\w*|paintball|luftgevaer\w*|luftpistol\w*|blink",
    r"skytevideo\w*|skytespill\w*|dataspill\w*|krigsspill\w*|fortnite|counter strike|minecraft|i spillet|i spelet|neste runde",
    r"true crime|seriemorder\w*|tegnet|tegner|tegning\w*|teikna|teiknar|lek|leker|leikar|leke|leket|lekte|leike|leikte",
    r"i papp|lekepistol\w*|rekvisitt\w*|revy\w*|scenen|skuespill\w*|teater\w*|teaterstykke\w*|forestilling\w*|drama\w*|rollelek\w*|rollespill\w*|scenario\w*",
    r"skytteren|skyttaren|stevnet|stevne|skyttarlag\w*|fullt hus|skiskyt\w*|salongrifle\w*|bueskyt\w*|konkurranse\w*|fifa",
    r"spill|spel|spillet|spelet|airsoft",
)
# An acute phrase in an exercise or in fiction is not real ("et scenario om
# skyting på en skole", "et spill der de skyter på hverandre").
DRILL_PHRASES = (
    r"\w*ovelse\w*|\w*ovinga?|scenario\w*|rollespill\w*|rollelek\w*|simulering\w*|pa scenen|novelle\w*|hovedpersonen|hovudpersonen",
    r"(?:et|eit) (?:spill|spel) der|i spillet|i spelet|dataspill\w*|programmering\w*",
)
# The news: an acute phrase there happened elsewhere. "På nyhetene" is no topic
# for the other rules ("neste gang blir det på nyhetene" is a threat).
NEWS_PHRASES = (r"i nyhetene|pa nyhetene|pa tv", FAR_AWAY)
# "Nå" that does not mean danger now: negated, or describing how things are.
NOT_NOW_PHRASES = (
    r"(?:ikke|ikkje) (?:akkurat |heilt |helt )?(?:na|no)",
    r"(?:na|no) er (?:han|hun|ho|hen|det|eleven|gutten|jenta) (?:\w+ ){0,2}(?:stille|rolig|roleg|bra|fint|greit|isolert|innesluttet)",
    r"(?:na|no) er (?:han|hun|ho|hen|eleven|gutten|jenta) tilbake (?:i|pa) (?:klassen|skolen|skulen|jobb|jobben)",
    # "nå snakker han mye om …": these days
    r"(?:na|no) (?:snakker|snakkar|sier|seier|skriver|skriv|leser|les|mener|meiner|virker|verkar)",
    r"(?:snakker|snakkar|sier|seier|skriver|skriv|leser|les|mener|meiner|virker|verkar) (?:\w+ )?(?:na|no)",
)
# Words that place the danger now or soon; they keep a message acute even
# when it also mentions the past or a topic.
STRONG_NOW_PHRASES = (
    r"akkurat na|akkurat no|rett na|na|no|no nett|i kveld|i natt|i morgen|i morgon|i morra|i mara|om litt|om en time|om ein time",
    r"om (?:\w+ )?(?:minutt|minutter|minuttar|minutta)|om (?:\w+ )?(?:timer|timar)",
    r"pa vei|pa veg|er pa vei|snart|hjelp|er her|kommer hit|kjem hit|er fortsatt her|er framleis her",
)
# Now, not soon: an announced exercise ("øvelse i morgen") is over before it
# starts, but not one that is happening as the user writes.
PRESENT_NOW_PHRASES = (
    r"akkurat na|akkurat no|rett na|na|no|no nett|hjelp|er her|er fortsatt her|er framleis her|pa vei|pa veg|pagar",
)
NOT_A_DRILL_PHRASES = (
    r"(?:ikke|ikkje) (?:en |ei |ein )?(?:\w*ovelse|\w*oving)|(?:ingen|inga) (?:\w*ovelse|\w*oving)",
    r"pa ordentlig|pa ordentleg|pa ekte|er ekte|ekte (?:skyting|vapen|bombe|skudd)",
)
# Someone else intends something, or a time is set: a threat keeps its weight
# even in a message that also mentions the past or a topic ("han sa han skal
# gjøre det samme som på Utøya").
THIRD_PERSON_INTENT = (
    r"(?:han|hun|ho|hen|de|dei|dem|dere|dykk|dokke|dokker|du|eleven|eleven min|gutten|guten|jenta|ungdommen|ungdomen|brukeren|brukaren|klienten|pasienten"
    r"|mannen|faren|moren|sonnen|sonen|datteren|dottera|broren|vennen|kjaresten|innsatte|personen|noen|nokon|gjengen|gruppa|gruppen)"
    r" (?:\w+ ){0,2}(?:skal|skulle|vil|ville|kommer til a|kjem til a|planlegger|planlegg|har tenkt|tenker a|sku|ska)",
)
WHEN_PHRASES = (
    r"pa (?:mandag|tirsdag|onsdag|torsdag|fredag|lordag|laurdag|sondag|sundag)|neste (?:mandag|tirsdag|onsdag|torsdag|fredag|lordag|sondag|uke|veke)",
    r"til helga|neste helg|datoen|klokka [0-9]+|kl\.? ?[0-9]+|i dag er dagen|i dag er det dagen",
    r"(?:mandag|tirsdag|onsdag|torsdag|fredag|lordag|laurdag|sondag|sundag) (?:skjer|smeller|smell|blir|kjem|kommer)",
    r"etter (?:kampen|treninga|treningen)|etter (?:mandag|tirsdag|onsdag|torsdag|fredag|lordag|laurdag|sondag|sundag|helga|friminuttet|skoletid|skuletid)",
    r"17\.? ?mai\w*|(?:pa|den) [0-9]{1,2}\.? (?:januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember)",
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
_EVENT = _compile(EVENT_PHRASES)
_DISMISSED = _compile(DISMISSED_PHRASES)
_DRILL = _compile(DRILL_PHRASES)
_NEWS = _compile(NEWS_PHRASES)
_STRONG_NOW = _compile(STRONG_NOW_PHRASES)
_THIRD_PERSON_INTENT = _compile(THIRD_PERSON_INTENT)
_WHEN = _compile(WHEN_PHRASES)
_NOT_NOW = _compile(NOT_NOW_PHRASES)
_PRESENT_NOW = _compile(PRESENT_NOW_PHRASES)
_NOT_A_DRILL = _compile(NOT_A_DRILL_PHRASES)
# A question sentence ("hvordan følger vi opp nå?"), for `_statements`.
_QUESTION_SENTENCE = re.compile(
    r"(?:^|(?<=[.!?\n]))\s*(?:hva|kva|ka|hvordan|korleis|koss|hvem|kven|kem|hvorfor|kvifor|kan|skal|bor|ma|er det|e det)\b[^.!?\n]*\?"
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
    if harm and (_INTENT.search(text) or _WHEN.search(text) or _modal_governs(text, _HARM)):
        return "harm+intent"
    if weapon and (_INTENT.search(text) or _WHEN.search(text) or _modal_governs(text, _WEAPON)):
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


def _statements(folded: str) -> str:
    """The text without its questions: "nå" in "hvordan følger vi opp nå?" says
    nothing about danger now."""
    return _QUESTION_SENTENCE.sub(" ", folded)


def _says_now(statements: str, words: Pattern[str] = _STRONG_NOW) -> bool:
    """Now or soon ("akkurat nå", "i kveld") in a statement, not negated ("ikke akkurat nå")."""
    return any(
        words.search(_NOT_NOW.sub(" ", text)) for text in (statements, _with_typos_fixed(statements))
    )


def _not_acute_context(text: str, now: bool) -> bool:
    """Whether violence words stand in a context that is not acute danger.

    `now`: a statement of the message says now or soon; that always keeps it
    acute. Otherwise:
    - a dismissal ("politiet har sjekket det", "haha") makes it not acute;
    - the past or a denial ("i fjor", "har aldri truet") does, unless someone
      intends something or a time is set ("han skal", "på fredag");
    - a topic ("i timen", "filmen", "Utøya") does, unless someone intends
      something or a time is set;
    - an event or hobby ("brannøvelse", "paintball", "speidertur") does,
      unless someone intends the harm itself ("han skal skyte …") or a time
      is set. A time alone is common with events ("stevne på fredag"), but a
      coded threat about a match or a party also names its day, and missing
      that is worse than one false alarm.
    """
    if now:
        return False
    if _DISMISSED.search(text):
        return True
    third_person = bool(_THIRD_PERSON_INTENT.search(text))
    when = bool(_WHEN.search(text))
    if (_PAST.search(text) or _NEGATED.search(text) or _TOPIC.search(text)) and not (third_person or when):
        return True
    governed = _modal_governs(text, _HARM) or _modal_governs(text, _WEAPON)
    return bool(_EVENT.search(text)) and not ((third_person and governed) or when)


def _past_and_over(text: str, now: bool) -> bool:
    """An acute phrase about something that is over or not real ("ble
    knivstukket i fjor", "gjerningspersonen er dømt", an exercise): a past
    time, a dismissal, the news or a drill, and nothing that says now or
    someone's intent. A time to come keeps it acute, except for a drill:
    an announced exercise names its date ("øvelse i morgen om skyting på
    skole"). A drill happening now, or "dette er ikke en øvelse", is not
    over."""
    if _THIRD_PERSON_INTENT.search(text):
        return False
    if (_DRILL.search(text) and not _NOT_A_DRILL.search(text)
            and not _says_now(_statements(text), _PRESENT_NOW)):
        return True
    if now or _WHEN.search(text):
        return False
    return bool(_PAST.search(text) or _DISMISSED.search(text) or _NEWS.search(text))


# Weapon emoji read as words (folding drops them).
_EMOJI_WORDS = {"\U0001F52B": " pistol ", "\U0001F4A3": " bombe ", "\U0001F52A": " kniv ", "\U0001F5E1": " kniv ", "\U0001F9E8": " dynamitt "}
_EMOJI = re.compile("|".join(_EMOJI_WORDS))


def _words_for_emoji(message: str) -> str:
    return _EMOJI.sub(lambda m: _EMOJI_WORDS[m.group()], message)


def assess(message: str) -> Assessment:
    """Assess one user message."""
    folded = IDIOMS.sub(" ", fold(_words_for_emoji(message)))
    if not folded.strip():
        return Assessment(False)
    # Quotes around a word ("ta") matter, so search the folded text as is,
    # then a version with typos fixed and punctuation removed.
    candidates = [folded, _with_typos_fixed(folded)]
    hypothetical = bool(HYPOTHETICAL.search(folded))
    topic_only = bool(TOPIC_ONLY.search(folded))
    now = _says_now(_statements(folded))
    for text in candidates:
        reason = _assess_text(text)
        if reason is None:
            continue
        if reason != "acute" and (hypothetical or topic_only) and not _IMMINENT.search(text):
            return Assessment(False, f"{reason} in a hypothetical or topic question")
        if reason != "acute" and _not_acute_context(text, now):
            return Assessment(False, f"{reason} in a past, negated or topic context")
        if reason == "acute" and _past_and_over(text, now):
            return Assessment(False, "acute phrase about an event that is over")
        return Assessment(True, reason)
    return Assessment(False)


# Words that make even a two-word message an alarm ("skudd i gangen!!"),
# beside the harm, weapon, threat and acute classes.
ALARM_WORDS = (
    r"skudd\w*|skyting\w*|skyt\w*|brann\w*|brenn\w*|eksplo\w*|smell\w*|blod\w*|blor|bloder|blo",
    r"hjelp|help|fare|farleg|farlig|112|politi\w*|panikk|redd|livredd|angrep\w*|skada|skadet|skadd",
)
_ALARM = _compile(ALARM_WORDS)


def has_danger_word(message: str) -> bool:
    """Whether the message has any word of danger, however weak ("hjelp",
    "skudd", "kniv"): a short message without one is a time, a place or an
    answer to a question, not an alarm."""
    folded = fold(_words_for_emoji(message))
    return any(
        pattern.search(text)
        for text in (folded, _with_typos_fixed(folded))
        for pattern in (_HARM, _WEAPON, _THREAT, _ACUTE, _HARM_NOW, _ALARM)
    )


def is_emergency(message: str) -> bool:
    """True when `message` describes someone who may be harmed now or soon."""
    return assess(message).is_emergency
