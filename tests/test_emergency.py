"""The acute-danger safety net: rule layer, NLU guard, policy, and recall and
false alarms on the message sets in tests/emergency/."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from veiviser.safety.emergency import assess, is_emergency
from veiviser.safety.scorer import all_sets, trained_sets

HERE = Path(__file__).resolve().parent
RESULTS = HERE.parent / "results"
# The foundation issue's targets are 100 % recall and under 5 % false alarms
# on held-out messages. Each set in tests/emergency/ was written by a helper
# who had not seen the detector, and was measured once before anything was
# tuned on it; those first measurements are the honest figures
# (docs/EMERGENCY.md).
#
# Sets the emergency scorer learns from (`scorer_sets` in config.yml) must
# be caught in full: missing one of them is a regression.
# Measured: no miss, false alarms 0-1.8 % per set.
TRAINED_MIN_RECALL = 1.0
TRAINED_MAX_FALSE_ALARMS = 0.02
# Held-out sets, never trained or tuned on: floors at their first
# measurement (model veiviser-95b26a9ca916). The guard's decision does not
# depend on DIET and the scorer's training is deterministic; the false-alarm
# ceilings still allow one message, in case another machine's floating
# point tips a score that lies on a threshold.
HELD_OUT = {
    # name: (minimum recall, maximum false-alarm rate)
    "fresh26": (1.0, 0.014),  # 100 emergencies / 220 ordinary (2 false alarms)
    "fresh27": (1.0, 0.032),  # 100 / 220 (6 false alarms)
    "fresh28": (1.0, 0.028),  # 100 / 220 (5 false alarms)
}


def _messages(name: str):
    return yaml.safe_load((HERE / "emergency" / name).read_text(encoding="utf8"))["messages"]


@pytest.mark.parametrize(
    "message",
    [
        "han truer med å drepe læreren",
        "eleven har med seg kniv på skolen nå",
        "Han planlegger å sprenge rådhuset",
        "paa fredag skal han drepe dem",          # ASCII spelling
        "ho har truga med å drepe familien",      # Nynorsk
        "han har en pistl i sekken",              # typo
        "det er noen som skyter på skolen",
        "en elev sa han skal «ta» noen i morgen",
        "HAN HAR ET GEVÆR OG SKAL TIL SKOLEN",    # capitals
        "han\u200b truer med å skyte",            # zero-width space
        "jeg fant rørbomber på rommet hans",     # found explosives
        "noen slår løs på en kollega i resepsjonen, hva gjør jeg?",
        "han ba meg holde meg unna skolen på fredag",  # a warning with a time
        "en mann kjørte inn i folkemengden på torget",
        "han holder en glasskår mot halsen hennes",
        "I fjor slapp han ut av fengsel, og nå står han utenfor med kniv",  # past, but now
        "en tidligere elev skrev til oss: «dere kommer til å brenne»",  # a threat to "you"
        "han sier det kommer til å smelle på 17. mai",  # a coded threat with a date
        "snap av en kniv med teksten «torsdag skjer det, ikke kom på skolen»",
        "hun skrev at dere får se hva som skjer etter friminuttet",
        "han la ut «på fredag tar jeg med litt til alle 🔫»",  # a weapon emoji
        "klienten sa han kommer tilbake og tar oss en etter en",
        "«Hvis noen mobber meg igjen, skyter jeg hele klassen», sa han i dag",  # conditional threat
        "du skal dø, jeg vet hvor du bor",
        "vi fant ledninger og pulver i et rør på rommet hans",  # bomb parts
        "naboen står med hagla og sikter mot lekeplassen",
        "de har snakket om å «ta» dem etter ferien og har kjøpt masker",  # planning, not a topic
        "han skrev «snart er det din tur» under bildet av huset mitt",
        "i morgen tar jeg med meg de som fortjener det",
        "han kommer på festen på torsdag med en overraskelse for alle lærerne",
        "på lappen stod det at alle muslimene på denne skolen skal dø på fredag",
        "han har lovet å knekke beina på dommeren etter kampen i kveld",
        "du var snill mot meg, så du slipper",
        "det er bestemt at en betjent skal tas på fellesarealet i kveld",
        "kom deg ut av skolen før klokka 12",
        "på veggen stod det «dere skal alle brenne i natt»",
        "en tegning av skolen med kryss ved alle utgangene og et klokkeslett i morgen",
        "fotballforelderen sa at dommeren ikke kommer levende fra banen i dag",
        "faren har låst døra og sier at ingen går ut herfra",
        "meldingen sa: «den som sladrer får kula i hodet i morra»",
        "«Husk at jeg advarte deg. Ikke gå i kantina i lunsjen i dag.»",
        "«vi vet hvilken klasse datteren din går i»",
        "han sa at de som går her har tre dager igjen",
        "han skrev «du er neste» under bildet",
        "«ikke kom på julebordet, det blir siste gang noen samles der»",
        "han har laget noe i garasjen som skal gå av under 17. mai-toget",
        "i morgen på trening dør dere alle sammen",
        "«Eg veit kvar du bur. Eg kjem i kveld.»",
        "det høres skrik og slag fra leiligheten akkurat nå",
        "han sa han skal gjøre det samme som på Utøya",
        "det er skyting på skolen nå, dette er ikke en øvelse",  # a drill denied
        "Det er skyting på skolen nå! Vi hadde øvelse i går så vi vet hva vi gjør",
        "øvelsen pågår, men det er skyting på skolen på ordentlig",
        "någon skjuter i matsalen, vi sitter gömda",  # Swedish
        "there is a man with a gun in the library",  # English
    ],
)
def test_rule_layer_flags_acute_danger(message):
    assert is_emergency(message), assess(message)


@pytest.mark.parametrize(
    "message",
    [
        "hei",
        "hva er bekymringstegn?",
        "når skal jeg ringe 112?",
        "eleven ser mye voldelige videoer",
        "vi hadde kurs om våpenloven",
        "hva gjør jeg hvis en elev sier han vil drepe noen?",
        "vil det skade eleven om jeg melder?",
        "han har sympati for terrorister på nett",
        "eleven skjøt ballen i krysset i dag",
        "dette møtet dreper meg",                # figurative
        "jeg kunne drept for en pizza akkurat nå",
        "Dersom noen kommer inn med kniv, hva gjør vi?",  # hypothetical
        "e det lov å ha kniv på tur?",
        "vi skal ha brannøvelse på fredag",      # an event with a time
        "guttan spelte paintball i helga og skaut kverandre",
        "I fjor var det en knivstikking ved skolen. Hvordan snakker vi med elevene om det nå?",
        "det gikk rykter om at noen skulle ta med kniv, men politiet har sjekket det",
        "gutten som ble knivstukket i fjor er frisk igjen",  # an acute phrase about the past
        "sjefen kommer til å drepe meg hvis rapporten er sen",  # a boss and a deadline
        "kan du skyte ut innkallingen til møtet?",
        "han ropte at han skulle drepe ham, men ba om unnskyldning med en gang",
        "en mann ble skutt i utlandet, og elevene spør om det",  # news far away
        "prøven i dag ble et skikkelig blodbad",
        "vi skyter i gang prosjektet på mandag",
        "i teaterstykket blir en karakter skutt på scenen",
        "vi har en øvelse med et scenario om skyting på en skole",  # a drill
        "hun er en bombe på fotballbanen",
        "laget slaktet motstanderne 7-0 i helga",
        "hun sprenger alle budsjetter",
        "han er ei bombe i matte",
        "jeg er helt skutt etter denne uka",
        "han sonet for vold for mange år siden, og nå snakker han mye om at systemet er korrupt",
        "en bruker sa han kommer til å eksplodere snart, men han mente stress",
        "halve personalgruppa er skutt i senk av influensa",
        "elevene på naturbruk skal lære å slakte sau neste uke",
        "han sa «jeg skal drepe deg» da han tapte i FIFA, og beklaget med en gang",
        "den nye ledelsen har tatt livet av all motivasjon",
        "en forelder bombarderer meg med e-poster",
        "sjefen skjøt ideen min i senk",
        "kollegaen min er skarp som en kniv på lovverk",
        "han slo i bordet i går, men roet seg fort og sa ikke noe truende",
        "i revyen har elevene en scene med en pistol i papp",
        "Vi har øvelse i morgen om skyting på skole. Hvordan forbereder vi elevene?",  # an announced drill
        "Beredskapsøvelse: vi skal simulere bombetrussel på fredag",
        "jeg dreper meg av latter av 3. klasse i dag",
        "en elev skrev «i'm gonna kill it on the test tomorrow» på tavla",  # English figure of speech
        "eleven fikk bomba på matteprøven og var helt knust",
        "",
        "   ",
    ],
)
def test_rule_layer_ignores_ordinary_messages(message):
    assert not is_emergency(message), assess(message)


def test_no_phrase_class_matches_everything():
    """An empty alternative ("a|b|") would match every message and silently veto or flag all."""
    import re

    from veiviser.safety import emergency

    patterns = [v for k, v in vars(emergency).items() if isinstance(v, re.Pattern) and k != "_WORD"]
    assert len(patterns) > 20
    for pattern in patterns:
        assert not pattern.search("") and not pattern.search("xyz qwv"), pattern.pattern[:80]


def test_rule_layer_alone_on_development_sets():
    """The rule layer was tuned on the dev sets only; it must get them all."""
    missed = [m for m in _messages("dev_emergency.yml") if not is_emergency(m)]
    alarms = [m for m in _messages("dev_ordinary.yml") if is_emergency(m)]
    assert missed == []
    assert alarms == []


def test_every_set_is_trained_on_or_held_out_with_a_floor():
    assert set(all_sets()) == set(trained_sets()) | set(HELD_OUT)
    assert not set(trained_sets()) & set(HELD_OUT)


def test_sets_are_large_enough_and_held_out_sets_are_unseen():
    from rasa.shared.nlu.training_data.loading import load_data

    trained = {m.get("text").strip().lower() for m in load_data(str(HERE.parent / "data" / "nlu")).intent_examples}
    trained |= {m.strip().lower() for name in trained_sets() for kind in ("emergency", "ordinary")
                for m in _messages(f"{name}_{kind}.yml")}
    for name in all_sets():
        emergencies = _messages(f"{name}_emergency.yml")
        ordinary = _messages(f"{name}_ordinary.yml")
        assert len(emergencies) >= 30 if name == "dev" else len(emergencies) >= 60
        assert len(ordinary) >= 50 if name == "dev" else len(ordinary) >= 100
    for name in HELD_OUT:
        # Ordinary sets may share plain greetings with the training data; the
        # emergencies must be unseen.
        overlap = [m for m in _messages(f"{name}_emergency.yml") if m.strip().lower() in trained]
        assert overlap == [], overlap


def _measure(agent, name):
    from veiviser.nlu.evaluation import parse_all, score_emergency

    emergencies, ordinary = _messages(f"{name}_emergency.yml"), _messages(f"{name}_ordinary.yml")
    e_parses, _ = parse_all(agent, emergencies)
    o_parses, _ = parse_all(agent, ordinary)
    scores = score_emergency(emergencies, e_parses, ordinary, o_parses)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"emergency_{name}.json").write_text(json.dumps(scores.__dict__, ensure_ascii=False, indent=2))
    return scores


@pytest.mark.model
@pytest.mark.parametrize("name", trained_sets())
def test_model_catches_every_emergency_of_the_sets_it_learned_from(agent, name):
    scores = _measure(agent, name)
    assert scores.recall >= TRAINED_MIN_RECALL, f"missed emergencies: {scores.missed}"
    assert scores.false_alarm_rate <= TRAINED_MAX_FALSE_ALARMS, scores.false_alarms


@pytest.mark.model
@pytest.mark.parametrize("name", sorted(HELD_OUT))
def test_model_recall_and_false_alarms_on_held_out_sets(agent, name):
    min_recall, max_false_alarms = HELD_OUT[name]
    scores = _measure(agent, name)
    assert scores.recall >= min_recall, f"missed emergencies: {scores.missed}"
    assert scores.false_alarm_rate <= max_false_alarms, scores.false_alarms
