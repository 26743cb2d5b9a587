"""The place resolver: every municipality, the ways users write places, and no guessing."""

import time

import pytest

from veiviser.contacts import Ambiguous, Found, NotFound, get_directory, get_resolver
from veiviser.contacts.accuracy import NOT_MUNICIPALITIES, ascii_forms, evaluate, ordinary_words_read_as_places
from veiviser.contacts.fuzzy import DeletionIndex, allowed_distance, edit_distance
from veiviser.contacts.normalize import fold, name_keys, tokenize

DIRECTORY = get_directory()
RESOLVER = get_resolver()


def found_name(result):
    assert isinstance(result, Found), f"expected a municipality, got {result}"
    return result.municipality.name


@pytest.mark.parametrize(
    "text, expected",
    [
        # exact names, lower case, ASCII
        ("Bergen", "Bergen"),
        ("bergen", "Bergen"),
        ("BERGEN", "Bergen"),
        ("tromso", "Tromsø"),
        ("Tromsö", "Tromsø"),
        ("baerum", "Bærum"),
        ("alesund", "Ålesund"),
        ("Aalesund", "Ålesund"),
        ("lillestrom", "Lillestrøm"),
        ("Lørenskog", "Lørenskog"),
        # typos
        ("Kristiansnad", "Kristiansand"),
        ("Lillehamer", "Lillehammer"),
        ("trondhiem", "Trondheim"),
        ("Fredrikstd", "Fredrikstad"),
        ("stavangr", "Stavanger"),
        ("hvem kontakter jeg i Kristiansnad?", "Kristiansand"),
        # "kommune" after, "i"/"på" before
        ("Bergen kommune", "Bergen"),
        ("bergen kommunen", "Bergen"),
        ("i Bergen", "Bergen"),
        ("på Stord", "Stord"),
        ("og i Skien?", "Skien"),
        ("hva med Skien?", "Skien"),
        ("jeg jobber i Oslo kommune", "Oslo"),
        ("kommunen heter Moss", "Moss"),
        # whole sentences, Bokmål and Nynorsk
        ("hvem kontakter jeg i Bergen?", "Bergen"),
        ("Hvem skal jeg ringe om en bekymring for en elev på ungdomsskolen i Arendal?", "Arendal"),
        ("kven kontaktar eg i Stavanger", "Stavanger"),
        ("kven ringjer eg til i Sunnfjord kommune?", "Sunnfjord"),
        ("eg er frå Voss", "Voss"),
        ("Jeg er lærer i Bergen og lurer på hvem jeg skal kontakte", "Bergen"),
        # Sami and Norwegian forms
        ("Guovdageaidnu", "Guovdageaidnu"),
        ("Kautokeino", "Guovdageaidnu"),
        ("kautokeino kommune", "Guovdageaidnu"),
        ("Kárášjohka", "Kárášjohka"),
        ("karasjohka", "Kárášjohka"),
        ("Tjeldsund", "Dielddanuorri"),
        ("Unjárga", "Unjárga"),
        # multi-word and hyphenated names
        ("Evje og Hornnes", "Evje og Hornnes"),
        ("nord-aurdal", "Nord-Aurdal"),
        ("Nord Aurdal", "Nord-Aurdal"),
        ("nordaurdal", "Nord-Aurdal"),
        ("Indre Østfold", "Indre Østfold"),
        ("indre ostfold kommune", "Indre Østfold"),
        # a shared name with its county
        ("Herøy i Nordland", "Herøy (Nordland)"),
        ("Herøy Møre og Romsdal", "Herøy (Møre og Romsdal)"),
        ("hvem kontakter jeg i Våler i Innlandet?", "Våler (Innlandet)"),
        ("Herøy (Nordland)", "Herøy (Nordland)"),
        # names that are also ordinary words, given as a place
        ("Jeg jobber i Time kommune", "Time"),
        ("Time", "Time"),
        ("Hå", "Hå"),
        ("Jeg jobber i Sola", "Sola"),
        ("hvem kontakter jeg på Frøya?", "Frøya"),
        # a former municipality
        ("Røyken", "Asker"),
        ("hvem kontakter jeg i Hornindal?", "Volda"),
        # invisible characters do not split a name
        ("He\u200brøy i Nordland", "Herøy (Nordland)"),
    ],
)
def test_resolves_the_municipality(text, expected):
    assert found_name(RESOLVER.resolve(text)) == expected


@pytest.mark.parametrize(
    "text, candidates",
    [
        ("Herøy", {"Herøy (Nordland)", "Herøy (Møre og Romsdal)"}),
        ("heroy", {"Herøy (Nordland)", "Herøy (Møre og Romsdal)"}),
        ("hvem kontakter jeg i Herøy?", {"Herøy (Nordland)", "Herøy (Møre og Romsdal)"}),
        ("Våler", {"Våler (Østfold)", "Våler (Innlandet)"}),
        ("valer kommune", {"Våler (Østfold)", "Våler (Innlandet)"}),
        ("Bergen eller Askøy", {"Bergen", "Askøy"}),
        ("Kristiansnd", {"Kristiansand", "Kristiansund"}),
    ],
)
def test_asks_between_candidates(text, candidates):
    result = RESOLVER.resolve(text)
    assert isinstance(result, Ambiguous)
    assert {m.name for m in result.candidates} == candidates


def test_same_name_candidates_carry_their_counties():
    result = RESOLVER.resolve("Herøy")
    assert result.same_name
    assert {m.county.name for m in result.candidates} == {"Nordland", "Møre og Romsdal"}
    assert not RESOLVER.resolve("Bergen eller Askøy").same_name


@pytest.mark.parametrize("reply", ["den i Nordland", "Nordland", "nordland takk", "i Nordland"])
def test_naming_the_county_picks_one_of_the_candidates(reply):
    candidates = RESOLVER.resolve("Herøy").candidates
    assert found_name(RESOLVER.resolve(reply, within=candidates)) == "Herøy (Nordland)"


def test_a_county_that_fits_no_candidate_picks_none():
    candidates = RESOLVER.resolve("Herøy").candidates
    result = RESOLVER.resolve("Rogaland", within=candidates)
    assert isinstance(result, NotFound) and result.county.name == "Rogaland"


@pytest.mark.parametrize(
    "text, query",
    [
        ("Mordor", "Mordor"),
        ("Majorstuen", "Majorstuen"),
        ("hvem kontakter jeg på Majorstuen?", "Majorstuen"),
        ("Jeg er lærer på Majorstuen skole og lurer på hvem jeg skal kontakte", "Majorstuen"),
        ("Narnia kommune", "Narnia"),
        ("hvem kontakter jeg?", None),
        ("", None),
        ("👍🙏", None),
    ],
)
def test_not_a_municipality_is_not_found(text, query):
    result = RESOLVER.resolve(text)
    assert isinstance(result, NotFound)
    assert result.query == query and result.county is None and result.place is None


def test_svalbard_is_not_found_and_explained():
    result = RESOLVER.resolve("hvem kontakter jeg på Svalbard?")
    assert isinstance(result, NotFound)
    assert "ikke en kommune" in result.place.note


def test_a_county_alone_is_not_a_municipality():
    result = RESOLVER.resolve("hvem kontakter jeg i Rogaland?")
    assert isinstance(result, NotFound) and result.county.name == "Rogaland"


@pytest.mark.parametrize("place", NOT_MUNICIPALITIES)
def test_regions_districts_and_foreign_places_never_get_a_municipality(place):
    for text in (place, f"hvem kontakter jeg i {place}?", place.lower()):
        assert not isinstance(RESOLVER.resolve(text), (Found, Ambiguous)), text


# Ordinary messages with words that lie close to (or are) municipality names.
ORDINARY = [
    "Han er involvert i vold",
    "Det skjedde i fjor",
    "Eleven min sa at musikk er haram",
    "Jeg må melde fra om dette",
    "jeg har time hos legen i morgen",
    "Eleven sa det i time i dag",
    "Vi satt ute i sola",
    "Frøya i klassen min har begynt å snakke om vold",
    "Hennes bror er i et ekstremt miljø",
    "Det er et stort problem på skolen",
    "Jeg vil sende en bekymringsmelding",
    "Han tar det ikke på alvor",
    "Jeg har et trauma etter saken",
    "Hva er bekymringstegn?",
    "Kan jeg være anonym når jeg kontakter politiet?",
    "Hva sier taushetsplikten?",
    "Når gjelder avvergeplikten?",
    "Hva er forskjellen på radikaliseringskontakten og PST?",
    "Jeg er bekymret for en elev som snakker om vold mot en bestemt gruppe",
    "Må jeg gå via lederen min, eller kan jeg kontakte politiet direkte?",
    "Kan RVTS gi meg veiledning i en konkret sak?",
    "Hvordan vet jeg om dette er radikalisering eller bare en ungdom som tester grenser?",
    "En elev sa i dag at han skal ta noen på skolen i morgen",
    "Hvem kontakter jeg om kvelden eller i helgen hvis et barn er i fare?",
    "ha det bra",
    "takk for hjelpen",
    "jeg jobber i barnevernet",
    "jeg jobber på en skole",
    "Kan vi ta opp saken i SLT-møtet?",
    "hva er haram og halal",
    "han bor på et hybelhus ved sjøen",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_messages_name_no_municipality(text):
    assert not isinstance(RESOLVER.resolve(text), (Found, Ambiguous))


def test_a_reply_that_is_a_word_one_typo_from_a_name_is_read_as_that_name():
    found = RESOLVER.resolve("Mold", answering=True)
    assert isinstance(found, Found) and found.municipality.name == "Molde"
    assert (found.method, found.typed) == ("typo", "Mold")
    assert isinstance(RESOLVER.resolve("Mold"), NotFound)
    assert isinstance(RESOLVER.resolve("Han er involvert i vold", answering=True), NotFound)


def test_entity_value_is_a_second_opinion():
    # A typo without a place context is found through the NLU entity.
    assert found_name(RESOLVER.resolve_message("kristiansnad hvem ringer jeg", ["kristiansnad"])) == "Kristiansand"
    # An ordinary word that NLU wrongly tagged is not trusted.
    assert isinstance(RESOLVER.resolve_message("jeg har time hos legen", ["time"]), NotFound)
    # A button payload is read through its entity only.
    payload = '/inform_municipality{"municipality": "Herøy (Nordland)"}'
    assert found_name(RESOLVER.resolve_message(payload, ["Herøy (Nordland)"])) == "Herøy (Nordland)"
    # An unknown entity becomes the query of "not found".
    assert RESOLVER.resolve_message("hvem kontakter jeg der", ["Narnia"]).query == "Narnia"


@pytest.mark.parametrize("municipality", DIRECTORY.municipalities, ids=lambda m: m.number)
def test_every_name_and_its_ascii_form_resolves_to_the_data(municipality):
    """Each name (Norwegian and Sami) and its ASCII spellings give this municipality's district and RVTS."""
    names = {municipality.base_name, municipality.name_norwegian.split(" (")[0]}
    for text in names | {form for name in names for form in ascii_forms(name)}:
        result = RESOLVER.resolve(text)
        if isinstance(result, Ambiguous):  # Herøy, Våler: asked, with this one among the candidates
            assert result.same_name and municipality in result.candidates, text
            result = RESOLVER.resolve(f"{text} i {municipality.county.name}")
        assert isinstance(result, Found) and result.municipality is municipality, text
        assert result.municipality.police_district == municipality.police_district
        assert result.municipality.rvts == municipality.rvts


def test_accuracy_over_all_names_and_variants():
    report = evaluate(DIRECTORY, RESOLVER)
    for kind in ("exact", "lower", "ascii", "sentence"):
        assert report.rate(kind) == 1.0, report.failures[kind][:5]
    typos = report.tried["typo"]
    # The target is 98 % resolved; measured in docs/CONTACTS.md: 98.3 %
    # resolved, 99.8 % resolved or asked with the right choice, 8 wrong
    # districts in 6,702 (typos that spell or nearly spell another name).
    assert report.rate("typo") >= 0.98
    assert (report.right["typo"] + report.asked["typo"]) / typos >= 0.997
    assert report.wrong_district["typo"] <= 8
    assert report.unknown_resolved == []


def test_ordinary_words_are_not_read_as_places():
    # Every 25th Norsk Ordbank form, as written and with "aa" for å; the whole
    # list (about 610,000 forms) is checked by `python -m veiviser.contacts.accuracy`.
    tried, resolved = ordinary_words_read_as_places(RESOLVER, every=25)
    assert tried > 20_000
    assert resolved == []


def test_resolving_a_message_is_fast():
    messages = ["hvem kontakter jeg i Kristiansnad?", "Jeg er lærer på Majorstuen skole og lurer på hvem jeg kontakter",
                "Herøy i Nordland", "tromso", "Han er involvert i vold"] * 60
    start = time.perf_counter()
    for text in messages:
        RESOLVER.resolve(text)
    per_message = (time.perf_counter() - start) / len(messages)
    assert per_message < 0.005


def test_a_very_long_message_is_cut_and_still_fast():
    start = time.perf_counter()
    result = RESOLVER.resolve("hvem kontakter jeg i Bergen? " + "bla " * 100_000)
    assert found_name(result) == "Bergen"
    assert time.perf_counter() - start < 0.05


# -- building blocks ---------------------------------------------------------


@pytest.mark.parametrize(
    "text, key",
    [("Bærum", "bærum"), ("BAERUM", "baerum"), ("Ålesund", "alesund"), ("Aalesund", "alesund"),
     ("Tromsö", "tromso"), ("Kárášjohka", "karasjohka"), ("Snåase", "snase"), ("Nord  Aurdal", "nord aurdal")],
)
def test_fold(text, key):
    assert fold(text) == key


def test_name_keys_cover_spacing_and_ae():
    assert name_keys("Nord-Aurdal") == {"nord aurdal", "nordaurdal"}
    assert name_keys("Bærum") == {"bærum", "baerum"}


def test_tokenize_marks_sentence_starts():
    tokens = tokenize("Hei. Jeg jobber i Sola! sola")
    assert [t.key for t in tokens] == ["hei", "jeg", "jobber", "i", "sola", "sola"]
    assert [t.sentence_start for t in tokens] == [True, True, False, False, False, True]


@pytest.mark.parametrize(
    "a, b, distance",
    [("kristiansnad", "kristiansand", 1), ("bergen", "bergen", 0), ("bergn", "bergen", 1),
     ("stavangr", "stavanger", 1), ("abc", "xyz", 3), ("lillehamer", "lilehammer", 2)],
)
def test_edit_distance_counts_swaps_as_one_and_stops_at_the_limit(a, b, distance):
    assert edit_distance(a, b, limit=2) == min(distance, 3)


def test_allowed_distance_grows_with_length():
    assert [allowed_distance(k) for k in ("os", "moss", "molde", "stavange", "stavanger")] == [0, 0, 1, 1, 2]


def test_deletion_index_finds_only_names_within_their_distance():
    index = DeletionIndex(["molde", "kristiansand", "kristiansund", "os"])
    assert index.matches("kristiansnad") == {"kristiansand": 1, "kristiansund": 2}
    assert index.matches("kristiansnd") == {"kristiansand": 1, "kristiansund": 1}
    assert index.matches("mold") == {"molde": 1}
    assert index.matches("oss") == {}
    assert index.matches("molde") == {}


def test_typo_ranking_prefers_the_more_plausible_name():
    from veiviser.contacts.fuzzy import typo_cost

    # m is next to n on the keyboard; l is not.
    assert typo_cost("marvik", "narvik") < typo_cost("marvik", "larvik")
    # A dropped double letter is a common slip.
    assert typo_cost("sundal", "sunndal") < typo_cost("sundal", "suldal")
    # Swapped neighbours cost less than an unrelated letter.
    assert typo_cost("kristiansnad", "kristiansand") < typo_cost("kristiansnad", "kristiansund")
    found = RESOLVER.resolve("Hvem kontakter jeg i Sundal?")
    assert isinstance(found, Found) and found.municipality.name == "Sunndal"


@pytest.mark.parametrize(
    "typed, meant",
    [("vålre", "Våler"), ("røsta", "Ørsta"), ("røland", "Ørland"), ("øsnes", "Øksnes"), ("fåjord", "Åfjord")],
)
def test_a_typed_o_slash_or_a_ring_prefers_names_that_have_it(typed, meant):
    result = RESOLVER.resolve(typed, answering=True)
    names = {m.base_name for m in result.candidates} if isinstance(result, Ambiguous) else {found_name(result)}
    assert names == {meant}


@pytest.mark.parametrize(
    "typed, meant",
    [("surnaal", "Surnadal"), ("haam", "Haram"), ("våan", "Vågan"), ("aasnes", "Åsnes"), ("traana", "Træna")],
)
def test_a_typed_aa_is_read_as_a_ring_and_as_two_letters(typed, meant):
    # "surnaal" is Surnadal with its d dropped; read only as "surnål" it
    # would be two letters away.
    assert found_name(RESOLVER.resolve(typed, answering=True)) == meant


def test_a_dropped_letter_before_aa_is_not_read_as_another_name():
    # "staanger" is Stavanger without its v; read as "stånger" it is Stange
    # with an r added, or the ordinary word "stanger". It must never be
    # answered as Stange alone.
    assert found_name(RESOLVER.resolve("hvem kontakter jeg i staanger")) == "Stavanger"
    # As the reply to "which municipality?" ordinary words count too, and
    # both names are offered.
    result = RESOLVER.resolve("staanger", answering=True)
    assert isinstance(result, Ambiguous)
    assert {m.name for m in result.candidates} == {"Stavanger", "Stange"}


def test_an_ascii_spelled_ordinary_word_is_not_read_as_a_name():
    # "haar" is "hår" typed without å; read as two a's it is one letter from Hamar.
    assert isinstance(RESOLVER.resolve("jeg jobber i haar"), NotFound)


def test_without_special_letters_the_same_typos_are_still_asked():
    # Typed without ø, "rosta" is as close to Ørsta as to Frosta.
    result = RESOLVER.resolve("rosta", answering=True)
    assert isinstance(result, Ambiguous) and {m.name for m in result.candidates} == {"Ørsta", "Frosta"}


def test_typos_about_as_plausible_for_two_names_are_asked():
    # "kristiansnd" lacks one letter of both Kristiansand and Kristiansund.
    result = RESOLVER.resolve("kristiansnd", answering=True)
    assert isinstance(result, Ambiguous)
    assert {m.name for m in result.candidates} == {"Kristiansand", "Kristiansund"}
