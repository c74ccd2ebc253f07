"""Extraction: text handling, dates, places, triggers, actors, counts, merge, bad input."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from eventmap.errors import DocumentError
from eventmap.extract import extract_events, extract_file, read_candidates, write_output
from eventmap.extract.dates import Anchor, find_dates, parse_published, publication_anchors
from eventmap.extract.events import casualties, find_actors, find_triggers, normalise_actor
from eventmap.extract.places import PlaceFinder, people
from eventmap.extract.text import decode, load, split_sentences

SHELLING = "Shelling/artillery/missile attack"

D = dt.date
TUESDAY = Anchor(D(2019, 12, 31), D(2019, 12, 31), "test")


@pytest.fixture(scope="module")
def finder():
    from eventmap.gazetteer import load_gazetteer
    from tests.conftest import GEO, REGION

    return PlaceFinder(load_gazetteer(GEO, region=REGION))


# --- text -----------------------------------------------------------------------------------


def test_sentence_offsets_point_into_the_original():
    text = (
        "BAGHDAD, Jan. 3, 2020 (Wire) — Rockets hit the U.S. Embassy in Baghdad on Monday. "
        "Gen. Smith said “no one was hurt.” Officials told Reuters.\n\n"
        "* Two soldiers were wounded.\n* The base was closed.\n"
        "Photo: smoke rises over the city (Wire photo)\n"
    )
    doc = load(text)
    sentences = split_sentences(doc)
    quotes = [text[s.start : s.end] for s in sentences]
    assert quotes[0].startswith("BAGHDAD, Jan. 3, 2020") and quotes[0].endswith("on Monday.")
    assert "Gen. Smith said “no one was hurt.”" in quotes
    assert "Two soldiers were wounded." in quotes and "The base was closed." in quotes
    assert any(q.startswith("Photo: smoke") for q in quotes)


def test_front_matter_is_read_and_its_prose_kept():
    text = (
        "---\ntitle: Latest\ndate: '2020-03-14T01:43:00.000Z'\ncards:\n  - body: >-\n"
        "      Sunday: Two soldiers killed in action during a raid in\n"
        "      Northern Iraq.\n---\nBody text.\n"
    )
    doc = load(text)
    assert doc.front_matter["title"] == "Latest"
    anchors = publication_anchors(doc.clean, doc.front_matter)
    assert anchors[0].start == D(2020, 3, 14)
    events = extract_events(text)
    assert len(events) == 1
    event = events[0]
    assert (event["event_date"], event["event_type"], event["location"]) == (
        D(2020, 3, 8),
        "Battles",
        "northern Iraq",
    )
    source = event["sources"][0]
    assert text[source["start"] : source["end"]] == source["quote"]
    assert source["quote"].startswith("Sunday: Two soldiers")


def test_html_is_stripped_and_quotes_map_back():
    html = (
        "<html><head><meta charset='utf-8'><title>x</title><script>airstrike in Kabul</script>"
        "<meta property='article:published_time' content='2020-01-30T09:00:00Z'></head>"
        "<body><nav>Home</nav><p>Rockets hit a base in <b>Erbil</b> on Wednesday &amp; "
        "wounded three soldiers.</p><footer>Load More</footer></body></html>"
    )
    events = extract_events(html, document="page.html")
    assert len(events) == 1
    event = events[0]
    assert event["location"] == "Erbil" and event["event_date"] == D(2020, 1, 29)
    assert event["injured"] == 3
    source = event["sources"][0]
    assert html[source["start"] : source["end"]] == source["quote"]
    assert "<b>Erbil</b>" in source["quote"]


# --- bad input --------------------------------------------------------------------------------


def test_decode_declared_latin1():
    data = "<html><head><meta charset='iso-8859-1'></head><p>Café in Baghdad</p>".encode("latin-1")
    assert "Café" in decode(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "empty"), (b"  \n ", "empty"), (b"\x00\x01\x02binary", "binary")],
)
def test_decode_refuses_clearly(data, message):
    with pytest.raises(DocumentError, match=message):
        decode(data, "a.txt")


def test_undecodable_is_a_clear_error():
    data = bytes(range(0x80, 0x100)) * 3
    with pytest.raises(DocumentError, match="a.bin"):
        decode(data, "a.bin")


def test_files_bad_and_good(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(DocumentError, match="empty"):
        extract_file(empty)
    with pytest.raises(DocumentError, match="no such"):
        extract_file(tmp_path / "missing.txt")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Le café. Rien à signaler à Paris aujourd'hui.".encode("cp1252"))
    assert extract_file(latin) == []


def test_truncated_and_eventless_articles_give_empty_results():
    assert extract_events("The minister spoke about the econ") == []
    assert extract_events("Rockets hit a base in Kirk") != None  # noqa: E711 - no traceback
    assert extract_events("Weather was mild across the region. Markets were calm.") == []


# --- dates ------------------------------------------------------------------------------------


def test_weekdays_resolve_on_or_before_publication():
    spans = find_dates("on Tuesday and on Sunday and Monday", TUESDAY)
    assert [s.start for s in spans] == [D(2019, 12, 31), D(2019, 12, 29), D(2019, 12, 30)]


def test_relative_phrases():
    anchor = Anchor(D(2020, 1, 3), D(2020, 1, 3), "t")
    (night,) = find_dates("last night", anchor)
    assert (night.start, night.end, night.precision) == (D(2020, 1, 2), D(2020, 1, 3), 2)
    (yesterday,) = find_dates("yesterday", anchor)
    assert yesterday.start == D(2020, 1, 2)
    (week,) = find_dates("last week", Anchor(D(2020, 1, 6), D(2020, 1, 6), "t"))
    assert (week.start, week.end) == (D(2019, 12, 30), D(2020, 1, 5))
    (earlier,) = find_dates("earlier this week", Anchor(D(2020, 1, 9), D(2020, 1, 9), "t"))
    assert (earlier.start, earlier.end) == (D(2020, 1, 6), D(2020, 1, 8))
    march = Anchor(D(2021, 3, 3), D(2021, 3, 3), "t")
    (last_year,) = find_dates("targeted the base last year", march)
    assert (last_year.start, last_year.end, last_year.precision) == (
        D(2020, 1, 1),
        D(2020, 12, 31),
        3,
    )
    (this_year,) = find_dates("earlier this year", march)
    assert (this_year.start, this_year.end, this_year.precision) == (
        D(2021, 1, 1),
        D(2021, 3, 2),
        3,
    )


def test_absolute_dates_and_year_inference():
    anchor = Anchor(D(2020, 1, 3), D(2020, 1, 3), "t")
    assert find_dates("On Dec. 27, rockets", anchor)[0].start == D(2019, 12, 27)
    assert find_dates("on Jan. 3, 2020", None)[0].start == D(2020, 1, 3)
    assert find_dates("Iraq, Sept. 26, 2018.", None)[0].start == D(2018, 9, 26)
    assert find_dates("March 11 attack", Anchor(D(2020, 3, 14), D(2020, 3, 14), "t"))[0].start == D(
        2020, 3, 11
    )
    assert find_dates("Dec. 27", None) == []  # no year, no anchor: unresolved


def test_no_publication_date_means_no_relative_dates():
    (event,) = extract_events("Rockets hit a base in Kirkuk on Tuesday, wounding two soldiers.")
    assert event["event_date"] is None and event["confidence"] <= 0.3


def test_placeholder_date_is_not_taken_when_text_states_another():
    text = " date 2000-01-01 Title\n\n(Source: Ministry; issued Jan. 3, 2020)\n\nBody."
    assert publication_anchors(text)[0].start == D(2020, 1, 3)
    assert publication_anchors(" date 2000-01-01 Title\n\nOn Jan. 2, 2020, x.") == []


def test_issued_sections_anchor_their_own_text():
    text = (
        "(Source: A; issued Jan. 3, 2020)\n\nAn airstrike last night killed a commander in "
        "Iraq.\n\n(Source: B; issued Jan. 5, 2020)\n\nRockets hit Baghdad yesterday."
    )
    events = {e["sub_event_type"]: e for e in extract_events(text)}
    assert events["Air/drone strike"]["event_date"] == D(2020, 1, 2)
    assert events["Shelling/artillery/missile attack"]["event_date"] == D(2020, 1, 4)


def test_published_option_wins_and_month_precision():
    assert parse_published("2020-03").end == D(2020, 3, 31)
    (event,) = extract_events("Rockets hit Erbil on Tuesday.", published="2020-03")
    assert (event["event_date"], event["date_end"], event["time_precision"]) == (
        D(2020, 3, 1),
        D(2020, 3, 31),
        3,
    )
    with pytest.raises(ValueError, match="not a date"):
        parse_published("soon")


# --- places -----------------------------------------------------------------------------------


def test_places(finder):
    names = lambda s: [(m.name, m.geo_precision) for m in finder.find(s) if not m.weak]  # noqa: E731
    assert names("an Iraqi base in Kirkuk") == [("Kirkuk", 2)]
    assert [(m.name, m.weak) for m in finder.find("the Iraqi bases")] == [("Iraq", True)]
    assert names("a rocket attack outside of Baghdad") == [("Baghdad", 2)]
    assert names("bases in western Iraq and western Syria") == [
        ("western Iraq", 3),
        ("western Syria", 3),
    ]
    assert names("a raid in Northern Iraq") == [("northern Iraq", 3)]
    assert names("in Baghdad’s center") == [("Baghdad", 2)]
    assert names("at Baghdad’s airport") == [("Baghdad International Airport", 1)]
    assert names("stormed the U.S. Embassy in Baghdad") == [("U.S. Embassy Baghdad", 1)]
    assert names("near Al Asad Air Base, Iraq")[0] == ("Al Asad Air Base", 2)
    assert names("Iran-backed militias") == []
    assert names("southern Iran") == [("southern Iran", 3)]


@pytest.mark.parametrize(
    "sentence",
    [
        "security in Somalia to the Federal Government",  # "Federal", a town in Argentina
        "a strike near the Bay of the river",  # "Bay", a town in the Philippines
        "Col. Smith said the strike in the Middle East worked.",  # "Col" = COL = Colombia
        "And the strike was over.",  # AND = Andorra
        "Afghan forces attacked.",  # "Afghan", a village's alternate name
        "a drone strike killed Gen. Qassem Soleimani",  # "Soleimani", a name of Sulaymaniyah
        "The Marines were requested",  # "The Marines", a name of Morenci, Arizona
    ],
)
def test_ordinary_words_names_and_codes_are_no_places(finder, sentence):
    assert [m.name for m in finder.find(sentence) if m.kind != "country"] == []
    assert "Colombia" not in [m.name for m in finder.find(sentence)]
    assert "Andorra" not in [m.name for m in finder.find(sentence)]


def test_airfields_and_bases_by_any_of_their_names(finder):
    """OurAirports' fields, open and closed, under their other names and without the word for
    an airfield in a text on their country; never "Hamid" of Isparta for Kabul's airport."""
    names = lambda s, cc=(): [m.name for m in finder.find(s, frozenset(cc))]  # noqa: E731
    assert names("at Hamid Karzai International Airport") == ["Kabul International Airport"]
    assert names("An attack at Baledogle airfield.") == ["Baledogle Airfield"]
    assert names("the Baledogle Military Airfield", {"SO"}) == ["Baledogle Airfield"]
    assert names("al-Shabaab attacked Baledogle on Monday.", {"SO"}) == ["Baledogle Airfield"]
    assert names("al-Shabaab attacked Baledogle on Monday.") == []  # no country, no bare name
    kenya = names("Militants attacked Camp Simba in Manda Bay.", {"KE"})
    assert kenya == ["Camp Simba Airfield", "Manda Airport"]  # Manda's airfield, not Japan's Handa
    assert names("marines at Camp Leatherneck", {"AF"}) != []
    assert names("the Al Asad Airstrip") == names("the Al Asad airbase") == ["Al Asad Air Base"]
    # OurAirports' "Ahmad Shah Baba International Airport / Kandahar Airfield", not the city
    assert names("rockets hit Kandahar Air Base") == ["Ahmad Shah Baba International Airport"]


def test_a_city_of_another_country_is_not_taken_under_an_alternate_name(finder):
    kenya = frozenset({"KE"})
    assert "Handa" not in [m.name for m in finder.find("an attack in Manda Bay", kenya)]
    assert [m.name for m in finder.find("rockets hit targets in Kyiv", kenya)] == ["Kyiv"]


def test_a_town_of_the_articles_country_needs_no_cue(finder):
    iraq = frozenset({"IQ"})
    assert [m.name for m in finder.find("Rockets hit Tikrit on Tuesday.", iraq)] == ["Tikrīt"]
    assert [m.name for m in finder.find("Forces in Greater Mosul were hit.", iraq)] == ["Mosul"]
    assert finder.find("Rockets hit Tikrit on Tuesday.", frozenset({"SO"})) == []


def test_towns_need_the_articles_country(finder):
    # Aguelhok (8,080 people) is a town of Mali: taken in a text about Mali, not elsewhere.
    sentence = "an IED detonated near the town of Aguelhok"
    assert [m.name for m in finder.find(sentence, frozenset({"ML"}))] == ["Aguelhok"]
    assert finder.find(sentence, frozenset({"IQ"})) == []
    # "X, Kenya" is not a namesake of X in Japan: Manda's airfield, the nearest place known.
    found = finder.find("in Manda Bay, Kenya", frozenset({"KE"}))
    assert [m.name for m in found] == ["Manda Airport", "Kenya"]


def test_other_romanisations_of_a_name_are_found_in_the_articles_countries(finder):
    # GeoNames spells it "Tall 'Afar"; news writes "Tal Afar" or "Tel Afar".
    (mention,) = finder.find("Near Tel Afar, a strike engaged a unit.", frozenset({"IQ"}))
    assert mention.name == "Tall ‘Afar" and mention.cue == "near"
    assert finder.find("Near Tel Afar, a strike engaged a unit.", frozenset({"KE"})) == []
    # a kind word is no part of the spelling: "Camp Dwyer" is not Iraq's "Camp Adder"
    assert finder.find("Troops reached Camp Dwyer.", frozenset({"IQ"})) == []


def test_admin1_regions_are_found_in_any_spelling_in_the_articles_country(finder):
    sentence = "one strike killed two operatives in the al-Baydah Governorate."
    (mention,) = finder.find(sentence, frozenset({"YE"}))
    assert (mention.name, mention.kind, mention.geo_precision) == ("Al Bayda'", "region", 3)
    assert mention.cue == "in"
    (mention,) = finder.find("a strike in Nangarhar province", frozenset({"AF"}))
    assert mention.name == "Nangarhar"
    assert finder.find(sentence, frozenset({"IQ"})) == []


def test_airfields_are_sites_under_any_word_for_an_airfield(finder):
    (mention,) = finder.find("rockets hit Kandahar Airfield", frozenset({"AF"}))
    assert (mention.name, mention.kind, mention.geo_precision) == (
        "Ahmad Shah Baba International Airport",  # OurAirports' "... / Kandahar Airfield"
        "site",
        1,
    )


def test_a_hard_wrapped_sentence_is_one_sentence():
    text = (
        "U.S. forces conducted a strike on an Islamic State of Iraq\n"
        "and Syria tunnel complex in Achin district, Nangarhar province.\n"
    )
    assert len(split_sentences(load(text))) == 1


def test_event_place_is_the_one_its_sentence_ties_to_it():
    text = (
        "(Source: A; issued Jan. 3, 2020)\n\nMarines from Kuwait deployed to the American "
        "embassy in Baghdad on Tuesday."
    )
    (event,) = extract_events(text)
    assert event["location"] == "U.S. Embassy Baghdad"


# --- triggers, actors, counts -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Nearly 30 rockets rocked a base.", "Shelling/artillery/missile attack"),
        ("A U.S. drone strike killed the general.", "Air/drone strike"),
        ("Protesters attempted to storm the U.S. Embassy.", "Violent demonstration"),
        ("About 100 Marines were deployed to the embassy.", "Change to group/activity"),
        ("The coalition paused training.", "Change to group/activity"),
        ("The army handed over the base to local forces.", "Non-violent transfer of territory"),
        ("They left, handing it over to the army.", "Non-violent transfer of territory"),
        ("They left, handing the base over to the army.", "Non-violent transfer of territory"),
        ("They returned the Besmaya base to Iraq.", "Non-violent transfer of territory"),
        ("The transition of the air base to the army ended.", "Non-violent transfer of territory"),
        ("U.S. troops left Bagram Airfield.", "Change to group/activity"),
        ("The military vacated its base in Kirkuk.", "Change to group/activity"),
        ("Troops clashed with militants.", "Armed clash"),
        ("Two Marines were killed during a raid.", "Armed clash"),
        ("Two soldiers were injured while conducting an advise and assist mission.", "Armed clash"),
        ("Iraqi forces recaptured the town on Sunday.", "Government regains territory"),
        ("Militants overran the village.", "Non-state actor overtakes territory"),
        ("A chlorine gas attack hit the suburb.", "Chemical weapon"),
        ("A suicide bomber detonated his vest at the gate.", "Suicide bomb"),
        ("A roadside bomb struck the convoy.", "Remote explosive/landmine/IED"),
        ("A grenade was thrown into the shop.", "Grenade"),
        ("Gunmen kidnapped 110 schoolgirls from their school.", "Abduction/forced disappearance"),
        ("Militants killed 12 villagers in the night.", "Attack"),
        ("Fighters attacked a market, and many died.", "Attack"),
        ("Soldiers raped women during the operation.", "Sexual violence"),
        ("Hundreds protested outside parliament.", "Peaceful protest"),
        ("Police dispersed the demonstrators with tear gas.", "Protest with intervention"),
        ("Security forces opened fire on protesters.", "Excessive force against protesters"),
        ("Rioters set fire to the consulate.", "Violent demonstration"),
        ("A mob lynched the suspect.", "Mob violence"),
        ("The parties signed a ceasefire agreement.", "Agreement"),
        ("Three raids resulted in the detention of six operatives.", "Arrests"),
        ("The navy intercepted a shipment of weapons.", "Disrupted weapons use"),
        ("The army established a new base near the border.", "Headquarters or base established"),
        ("Fighters looted shops in the market.", "Looting/property destruction"),
        ("Forces began a live-fire exercise.", "Other"),
    ],
)
def test_triggers(sentence, expected):
    assert expected in [t.sub_event_type for t in find_triggers(sentence)]


def test_every_acled_sub_event_type_has_a_trigger_and_an_example():
    from eventmap.extract.events import _LEXICON
    from eventmap.model import EVENT_TYPES

    examples = {case[1] for case in test_triggers.pytestmark[0].args[1]}
    for event_type, subs in EVENT_TYPES.items():
        for sub in subs:
            assert any(t == event_type and s == sub for _, t, s, *_ in _LEXICON), sub
            assert sub in examples, sub


def test_the_lexicon_is_documented_for_every_sub_event_type():
    from pathlib import Path

    from eventmap.model import EVENT_TYPES

    doc = (Path(__file__).resolve().parents[1] / "docs" / "extraction.md").read_text()
    for event_type, subs in EVENT_TYPES.items():
        for sub in subs:
            assert f"| {event_type} | {sub} |" in doc, sub


def test_a_raid_that_detains_is_an_arrest():
    sentence = "Forces conducted three helicopter raids resulting in the detention of six men."
    assert [t.sub_event_type for t in find_triggers(sentence)] == ["Arrests"]


@pytest.mark.parametrize(
    "sentence",
    [
        "More than 50 targets could be hit should Iran retaliate.",
        "There have been 11 rocket attacks over the last two months.",
        "Iran has often used proxies to conduct attacks across the region.",
        "Two Apache attack helicopters are providing over watch.",
        "The militants vowed to launch attacks.",
        "The command will continue to work with partners to transfer security to the army.",
        "The coalition is committed to supporting its partners in the liberation of the city.",
        "The exercise is designed to prepare crews to conduct airstrikes at night.",
        "During the month of July, forces conducted 20 raids and detained 9 operatives.",
        "A total of 31 strikes hit the group in 2018.",
    ],
)
def test_non_events(sentence):
    assert find_triggers(sentence) == []


def test_headlines_and_captions_alone_stay_unsure():
    text = (
        "(issued Jan. 6, 2020)\n\nU.S. Conducts Defensive Precision Strike\n\n"
        "Photo by Sgt. Smith: a rocket attack on the base\n\n"
        "On Sunday, U.S. forces conducted an airstrike near Kirkuk, Iraq.\n"
    )
    events = extract_events(text)
    sure = [e for e in events if e["confidence"] >= 0.5]
    assert [(e["location"], e["event_date"]) for e in sure] == [("Kirkuk", D(2020, 1, 5))]
    assert all(e["confidence"] < 0.5 for e in events if e is not sure[0])


def test_actor_normalisation():
    for spelling in ("Kata'ib Hezbollah", "Kataeb Hezbollah", "Kata’ib Hizbollah"):
        assert normalise_actor(spelling) == "Kata'ib Hezbollah"
    assert normalise_actor("Daesh") == normalise_actor("ISIS") == "ISIS"
    assert normalise_actor("the coalition") == "Coalition forces (CJTF-OIR)"
    assert normalise_actor("Iraqi Security Forces") == "Iraqi Security Forces"
    assert normalise_actor("Iraqi Special Forces soldiers") == "Iraqi Security Forces"
    assert normalise_actor("the Quds Force") == "IRGC Quds Force"
    assert normalise_actor("U.S. forces") == "U.S. forces"
    sentence = "U.S. forces were attacked near Kirkuk by Kataeb Hezbollah."
    (trigger,) = find_triggers(sentence)
    assert find_actors(sentence, trigger) == ("Kata'ib Hezbollah", "U.S. forces")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Rockets hit a base killing an American contractor and wounding four troops.", (1, 4)),
        ("Two U.S. servicemembers + 1 U.K. soldier died during a rocket attack.", (3, None)),
        ("14 others injured.", (None, 14)),
        ("It killed one contractor and injured four service members, as well as two "
         "members of the security forces.", (1, 6)),
        ("Four policemen were killed and six others were wounded.", (4, 6)),
        ("Nearly 30 rockets hit the base.", (None, None)),
    ],
)  # fmt: skip
def test_casualties(sentence, expected):
    assert casualties(sentence) == expected


# --- merge and output ------------------------------------------------------------------------


def test_strikes_on_different_days_or_at_different_towns_stay_apart():
    text = (
        "(issued Dec. 18, 2017)\n\n"
        "On Dec. 15, near Qaim, a strike destroyed an ISIS vehicle.\n\n"
        "On Dec. 16, near Qaim, a strike destroyed an ISIS vehicle.\n\n"
        "On Dec. 16, near Abu Kamal, a strike destroyed an ISIS vehicle.\n"
    )
    events = extract_events(text)
    assert sorted((str(e["event_date"]), e["location"]) for e in events) == [
        ("2017-12-15", "Al Qaim"),
        ("2017-12-16", "Al Qaim"),
        ("2017-12-16", "Ālbū Kamāl"),
    ]


def test_same_event_in_two_sentences_merges():
    text = (
        "(Source: A; issued Jan. 3, 2020)\n\nOn Dec. 27, U.S. forces were attacked near Kirkuk. "
        "The attack — in which 31 rockets were fired — killed one contractor.\n\n"
        "On Dec. 27, nearly 30 rockets rocked a base in Kirkuk, wounding four troops."
    )
    (event,) = extract_events(text)
    assert event["sub_event_type"] == "Shelling/artillery/missile attack"
    assert (event["fatalities"], event["injured"], len(event["sources"])) == (1, 4, 3)
    assert event["event_date"] == D(2019, 12, 27) and event["confidence"] > 0.8


def test_separate_places_stay_separate():
    text = (
        "(Source: A; issued Jan. 3, 2020)\n\nOn Sunday, U.S. aircraft struck militia bases in "
        "western Iraq and western Syria."
    )
    assert {e["location"] for e in extract_events(text)} == {"western Iraq", "western Syria"}


def test_jsonl_round_trip(tmp_path):
    records = extract_events(
        "(Source: A; issued Jan. 3, 2020)\n\nRockets hit Erbil yesterday.", document="a.txt"
    )
    records += extract_events("Rockets hit a base on Monday.", document="b.txt")
    path = write_output(records, tmp_path / "out" / "c.jsonl", "jsonl")
    frame = read_candidates(path)
    assert len(frame) == 2 and frame["confidence"].dtype == "float64"
    assert frame.crs.to_epsg() == 4326
    assert frame["geometry"].isna().sum() + frame["geometry"].is_empty.sum() >= 1


def test_evaluate_scores_each_part_of_the_held_out_set_and_its_calibration():
    from click.testing import CliRunner

    from eventmap.cli import main

    done = CliRunner().invoke(main, ["evaluate", "--set", "tests/extraction_set"])
    assert done.exit_code == 0, done.output
    lines = done.stdout.splitlines()
    dev = next(line for line in lines if line.startswith("dev "))
    test = next(line for line in lines if line.startswith("test"))
    from extraction_set.load import gold_events

    assert re.search(rf"gold +{len(gold_events('dev'))} ", dev) and "F1" in dev
    assert re.search(rf"gold +{len(gold_events('test'))} ", test)
    assert "calibration (dev, every candidate):" in lines
    assert lines[-1].startswith("0.9–1.0")


def test_a_gold_region_matches_within_150_km_under_the_same_name_only():
    import datetime as dt

    from eventmap.extract.evaluate import score

    day = dt.date(2020, 1, 1)
    gold = [
        {
            "event_type": "Battles",
            "event_date": day,
            "date_end": day,
            "location": "Puntland",
            "latitude": 8.0,
            "longitude": 49.0,
            "region": True,
        }
    ]
    near = {
        "event_type": "Battles",
        "event_date": day,
        "date_end": day,
        "confidence": 1.0,
        "latitude": 8.9,
        "longitude": 49.0,
    }  # about 100 km north
    assert len(score(gold, [{**near, "location": "Puntland"}]).matched) == 1
    assert len(score(gold, [{**near, "location": "Garoowe"}]).matched) == 0
    assert len(score(gold, [{**near, "location": "Puntland State"}]).matched) == 1
    assert (
        len(score([{**gold[0], "region": False}], [{**near, "location": "Puntland"}]).matched) == 0
    )


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("al-Baydah Governorate", "Al Bayda'", True),
        ("Nangarhar province", "Nangarhar", True),
        ("Yemen's Marib governorate", "Ma'rib", True),
        ("Deir ez-Zor", "Dayr az Zawr", True),
        ("Anbar", "Ninawa", False),
        ("Abyan", "Aden", False),
        ("", "Aden", False),
    ],
)
def test_same_toponym(a, b, same):
    from eventmap.extract.evaluate import same_toponym

    assert same_toponym(a, b) is same


def test_the_place_a_report_was_filed_from_is_not_its_events_place():
    from eventmap.extract import extract_events

    text = (
        "TAMPA, Fla. – U.S. Central Command forces conducted an airstrike against ISIS "
        "fighters on Jan. 5, 2020, killing two."
    )
    events = extract_events(text, published="2020-01-06")
    assert events and all(e["location"] != "Tampa" for e in events)


def test_in_the_vicinity_of_a_town_is_that_town_not_the_country_after_it():
    from eventmap.extract import extract_events

    text = (
        "U.S. forces conducted an airstrike in the vicinity of Jilib, Middle Juba Region, "
        "Somalia, on April 9, 2019, killing two militants."
    )
    (event,) = extract_events(text, published="2019-04-10")
    assert event["location"] == "Jilib" and event["geo_precision"] == 2


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a count with no period is one event; with a period, a tally
        ("U.S. forces conducted 2 airstrikes against al-Shabaab fighters.", ["airstrikes"]),
        ("U.S. Africa Command conducted several airstrikes on the attackers.", ["airstrikes"]),
        ("U.S. forces have conducted 35 airstrikes in Somalia this year.", []),
        # a threat in another clause is no hypothetical
        ("To counter the threat, U.S. forces conducted an airstrike.", ["airstrike"]),
        ("The militants threatened to attack the base.", []),
        # air support and aircraft that engaged are air strikes
        ("Coalition aircraft provided close air support.", ["close air support"]),
        ("Helicopters fired on the attackers.", ["Helicopters fired on"]),
        # strikes answering an attack: two events in one sentence
        (
            "U.S. forces conducted airstrikes in response to an al-Shabaab attack on the base.",
            ["airstrikes", "attack on the base"],
        ),
    ],
)
def test_triggers_of_counted_answered_and_air_support_strikes(sentence, expected):
    assert [t.text for t in find_triggers(sentence)] == expected


def test_strikes_answering_an_attack_are_placed_at_the_attack_and_a_follow_up_types_it():
    text = (
        "(issued Sept. 30, 2019)\n\n"
        "Al-Shabaab militants attacked Baledogle Airfield, Somalia, on Sept. 30, 2019.\n\n"
        "Fighters detonated a vehicle-borne improvised explosive device at the entrance of the "
        "airfield. In response, U.S. Africa Command conducted two airstrikes in Somalia.\n\n"
        "The airstrikes killed ten terrorists."
    )
    events = {e["sub_event_type"]: e for e in extract_events(text) if e["confidence"] >= 0.5}
    assert set(events) == {"Remote explosive/landmine/IED", "Air/drone strike"}
    bomb, strikes = events["Remote explosive/landmine/IED"], events["Air/drone strike"]
    assert bomb["location"] == strikes["location"] == "Baledogle Airfield"
    assert str(bomb["event_date"]) == "2019-09-30"
    assert strikes["fatalities"] == 10  # "The airstrikes killed ten": the strikes, not the bomb


def test_a_follow_up_attaches_to_the_last_event_of_its_sub_type():
    text = (
        "(issued Oct. 1, 2019)\n\n"
        "On Sept. 30, 2019, U.S. forces conducted an airstrike near Jilib, Somalia.\n\n"
        "Later that day, al-Shabaab detonated a car bomb at a checkpoint in Mogadishu.\n\n"
        "The airstrike killed ten terrorists."
    )
    by_place = {e["location"]: e for e in extract_events(text)}
    assert by_place["Jilib"]["fatalities"] == 10
    assert by_place["Mogadishu"]["fatalities"] is None


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Authorities found multiple PBIEDs, a handgun, a grenade, and detonators.", []),
        ("Police found two bodies after a roadside bomb exploded.", ["roadside bomb"]),
        ("The secretary will depart this weekend to attend the summit.", []),
        ("The troops departed Camp Taji on Sunday.", ["departed"]),
        ("We see heavy bombardment in Kyiv.", ["bombardment"]),
        ("Militants attacked coalition forces at Erbil.", ["attacked coalition forces"]),
        ("The Embassy condemns the terrorist attacks in Palma.", ["attacks in Palma"]),
        # a missile's strike, not an air strike answering something "following" it
        ("Civilians were killed following a missile strike on the city.", ["missile"]),
        # the fighting is how the city was retaken; the air strikes how the ground forces did it
        ("After heavy fighting this month, Iraqi forces have retaken half the city.", ["retaken"]),
        (
            "Iraqi forces, supported by U.S.-led airstrikes, have pushed IS out of the center.",
            ["pushed IS out of"],
        ),
        ("Kathleen Struck was the editor.", []),  # a news story's credits
        # weapons the strikes destroyed are their targets
        (
            "-- Near Mosul, three strikes engaged an ISIL unit; destroyed four mortar systems, "
            "two vehicle-borne-bomb improvised explosive devices and a fighting position.",
            ["strikes"],
        ),
        ("A car bomb destroyed a building in Kabul.", ["car bomb"]),
        ("The first bomb exploded during Mass inside the cathedral in Jolo.", ["bomb exploded"]),
        # a tally of a series of raids, not one arrest; an attack beside a recent series stays
        ("Afghan forces have captured 40 Taliban members during recent raids in Kandahar.", []),
        (
            "He condemned the attack on the embassy as well as the attacks in recent weeks.",
            ["attack on the embassy"],
        ),
        # what a group does anywhere is no event; a death in an operation against it is one
        (
            "Al-Qaida has murdered Americans; radicalizes and recruits fighters and attempts to "
            "inspire attacks against Americans around the world.",
            [],
        ),
        (
            "One U.S. service member was killed yesterday during an operation against al-Shabaab "
            "near Barii.",
            ["killed yesterday during an operation against"],
        ),
        # an aim, and territory in general, are no retaking
        ("A counteroffensive was underway to retake the lost territory in Day Mirdad.", []),
        # a rocket-propelled grenade is fired by hand, as in a clash: no shelling
        (
            "Fighters using rocket propelled grenades ambushed a convoy.",
            ["rocket propelled grenades"],
        ),
    ],
)
def test_triggers_of_found_weapons_plans_bombardment_and_attacks_on_troops(sentence, expected):
    assert [t.text for t in find_triggers(sentence)] == expected


def test_an_attack_at_a_named_place_is_stronger_than_a_bare_attack():
    (named,) = find_triggers("The Embassy condemns the terrorist attacks in Palma.")
    (bare,) = find_triggers("Attacks on Tuesday killed five.")
    assert named.strength == 0.5 and bare.strength == 0.3


def test_a_clock_time_with_its_zone_does_not_end_the_sentence():
    doc = load("Forces struck targets in Iraq at 8:45 p.m. (EST) on Dec. 25. It was calm.", "x")
    assert [s.text[-8:] for s in split_sentences(doc)] == ["Dec. 25.", "as calm."]


def test_earlier_in_the_day_is_the_day_just_reported_and_answers_stay_apart():
    text = (
        "Dec. 25, 2023\n\n"
        "TAMPA, Fla. – In response to attacks against coalition forces in Iraq and Syria, U.S. "
        "forces conducted airstrikes against facilities in Iraq at 8:45 p.m. (EST) on Dec. 25.\n\n"
        "Earlier in the day, militants attacked coalition forces at Erbil, Iraq.\n\n"
        '"These strikes are intended to hold accountable those responsible," he said.'
    )
    events = sorted(extract_events(text, "2023-12-25"), key=lambda e: e["event_type"])
    assert [(e["event_type"], e["location"], str(e["event_date"])) for e in events] == [
        ("Battles", "Erbil", "2023-12-25"),
        ("Explosions/Remote violence", "Iraq", "2023-12-25"),  # not Syria, of the other clause
    ]
    assert len(events[1]["sources"]) == 2  # "These strikes" are the strikes reported


def test_a_vague_attack_and_a_condolence_are_the_attack_the_article_reports():
    text = (
        "(issued March 24, 2023)\n\n"
        "The response to the attack on a coalition base in Syria was swift.\n\n"
        "Militias were responsible for the drone attack on the coalition base near Hasakah "
        "on March 23.\n\n"
        "We send our condolences to the victims of this brutal attack."
    )
    (event,) = extract_events(text)
    assert (event["sub_event_type"], event["location"]) == ("Air/drone strike", "Al Ḩasakah")
    assert len(event["sources"]) == 3


def test_a_place_taken_by_state_forces_is_regained_and_the_town_of_an_ordinary_word():
    iraq = "Iraqi Security Forces seized control of the town of Hit on Feb. 23, 2017."
    (event,) = extract_events(iraq, "2017-02-24")
    assert (event["sub_event_type"], event["location"]) == ("Government regains territory", "Hīt")
    (event,) = extract_events(
        "ISIS fighters overran the town of Hit on Feb. 23, 2017.", "2017-02-24"
    )
    assert event["sub_event_type"] == "Non-state actor overtakes territory"
    assert [t.text for t in find_triggers("Iraqi Forces Retake Mosul Airport")] == ["Retake"]
    assert find_triggers("Forces have had success in recapturing territory from ISIL.") == []


def test_a_part_of_a_country_is_a_region_where_its_towns_are(finder):
    """No curated "northeastern Somalia": the median of Somalia's towns in its north-east."""
    (mention,) = finder.find("strikes in northeastern Somalia")
    assert (mention.name, mention.kind, mention.geo_precision) == (
        "northeastern Somalia",
        "region",
        3,
    )
    assert mention.latitude > 7 and mention.longitude > 46  # not the country's middle (5.6 N)
    (south,) = finder.find("shelling in southern Ukraine")
    (east,) = finder.find("shelling in eastern Ukraine")
    assert south.latitude < east.latitude and east.longitude > south.longitude - 1


def test_a_part_of_a_country_on_the_same_day_is_the_event_of_its_province():
    text = (
        "(issued Jan. 11, 2017)\n\n"
        "The U.S. military conducted strikes on AQAP operatives in central Yemen on Dec. 29.\n\n"
        "On Dec. 29, one strike killed two AQAP operatives in the al-Baydah Governorate."
    )
    (event,) = extract_events(text)
    assert event["location"] == "Al Bayda'"
    assert len(event["sources"]) == 2


def test_each_place_of_a_list_is_an_event():
    text = (
        "We are observing heavy bombardment in the cities, so that's Kyiv, Chernihiv and Kharkiv."
    )
    places = sorted(e["location"] for e in extract_events(text, "2022-03-03"))
    assert places == ["Chernihiv", "Kharkiv", "Kyiv"]


def test_each_place_of_a_list_keeps_the_date_it_is_given():
    text = "Coalition forces transferred bases at Al Qaim on March 17 and Qayyarah on March 26."
    events = extract_events(text, "2020-03-29")
    assert sorted((e["location"], str(e["event_date"])) for e in events) == [
        ("Al Qaim", "2020-03-17"),
        ("Al Qayyārah", "2020-03-26"),
    ]


def test_the_strike_and_the_attack_it_answers_are_told_apart_by_clause_not_weapon():
    """A drone attack answered by a strike: both air-strike words, on two sides of "in
    response to"; the strike is the one reported before, the attack has its own day."""
    text = (
        "(issued July 12, 2023)\n\n"
        "U.S. forces conducted a strike in eastern Syria on Tuesday, killing an ISIS official.\n\n"
        "The strike, conducted near Deir ez-Zor, was in response to a drone attack on a "
        "coalition base on Monday that injured three U.S. service members."
    )
    sentence = text.split("\n\n")[2]
    assert [t.text for t in find_triggers(sentence)] == ["strike", "drone attack"]
    events = sorted(extract_events(text), key=lambda e: e["event_date"])
    assert [str(e["event_date"]) for e in events] == ["2023-07-10", "2023-07-11"]
    assert len(events[1]["sources"]) == 2  # "The strike" is the strike of Tuesday


def test_an_airfield_word_after_a_town_and_a_hyphenated_name(finder):
    # the airfield's own name spelled another way, its kind word aside: the airfield itself
    (site,) = finder.find("The Coalition handed over Qayyarah Airfield West.", frozenset({"IQ"}))
    assert site.name == "Qayyarah West Airport"
    # "West" of "Q-West" is no US airstrip called West Airport
    assert finder.find("at Q-West airfield", frozenset({"IQ"})) == []
    assert [t.sub_event_type for t in find_triggers("A second barrage struck the base.")] == [
        "Shelling/artillery/missile attack"
    ]


def test_an_event_on_each_day_a_sentence_lists_and_the_strikes_told_again():
    text = (
        "(issued Aug. 30, 2018)\n\n"
        "TAMPA, Fla. –U.S. Central Command has conducted six air strikes against AQAP in Yemen "
        "since May 16, bringing the total number of air strikes to 34.\n\n"
        "These include air strikes May 25, two airstrikes June 23 and 30, and one Aug. 14. "
        "These air strikes took place in Shabwah, Hadramawt and Al-Bayda governorates."
    )
    events = extract_events(text)
    assert sorted(str(e["event_date"]) for e in events) == [
        "2018-05-25", "2018-06-23", "2018-06-30", "2018-08-14",
    ]  # fmt: skip
    assert {e["location"] for e in events} == {"Yemen"}  # not Tampa, the dateline's
    assert len(events[-1]["sources"]) == 2  # "These air strikes took place ..." told again


def test_a_dated_series_of_strikes_is_an_event_in_each_governorate_listed():
    text = (
        "(issued March 2, 2017)\n\nStrikes against AQAP in Yemen\n\n"
        "More than 20 strikes on March 2 targeted AQAP militants in the Yemeni governorates of "
        "Abyan, Al Bayda and Shabwah."
    )
    places = sorted(e["location"] for e in extract_events(text) if e["confidence"] >= 0.5)
    assert places == ["Abyan", "Al Bayda'", "Shabwah"]  # the governorate, not the town
    (clash,) = find_triggers("We condemn yesterday's attack on security forces in Kabul.")
    assert (clash.event_type, clash.strength) == ("Battles", 0.55)
    (figurative,) = find_triggers("These horrendous attacks reinforce the callous disregard.")
    assert figurative.strength < 0.5  # "attacks", and no troops "reinforced"


def test_places_named_by_a_site_word_a_far_distance_a_time_zone_or_an_alias_abroad(finder):
    syria = frozenset({"SY"})
    (site,) = finder.find("Rockets landed at Mission Support Site Green Village.", syria)
    assert site.kind == "site" and site.name == "Green Village Airport"
    somalia = frozenset({"SO"})
    far = "The strike occurred near Galmudug, Somalia, about 510 km northeast of Mogadishu."
    assert "Mogadishu" not in {m.name for m in finder.find(far, somalia)}
    only = "U.S. forces struck in Somalia today, approximately 185 miles southwest of Mogadishu."
    (mogadishu,) = [m for m in finder.find(only, somalia) if m.kind != "country"]
    assert (mogadishu.name, mogadishu.geo_precision) == ("Mogadishu", 2)  # no nearer name
    assert [m.name for m in finder.find("at 2:45 p.m. Mogadishu time", somalia)] == []
    afghanistan = frozenset({"AF"})
    assert finder.find("U.S. Embassy Condemns Attack on Afghan Police", afghanistan) == []
    title = "Statement by Ambassador Hugo Llorens on the Kabul Attack"
    assert [m.name for m in finder.find(title, afghanistan)] == ["Kabul"]  # not "Kabul Attack"
    kuwait = frozenset({"KW"})
    sent = "Marines deployed to the American embassy in Baghdad."
    assert "U.S. Embassy Baghdad" in {m.name for m in finder.find(sent, kuwait)}
    isil = "strikes on Islamic State of Iraq and the Levant camps in Libya"
    assert "Iraq" not in {m.name for m in finder.find(isil, frozenset({"LY"})) if m.cue == "in"}
    kenya = frozenset({"KE"})
    csl = "Militants attacked Cooperative Security Location Manda Bay, Kenya, on Jan. 5."
    assert finder.find(csl, kenya)[0].name == "Manda Airport"


def test_a_strike_digests_item_names_its_town_however_short_or_spelled(finder):
    region = frozenset({"SY", "IQ"})
    item = "-- Near {}, a strike engaged an ISIL tactical unit and destroyed a vehicle."
    (tuz,) = finder.find(item.format("Tuz"), region)
    (shaddadi,) = finder.find(item.format("Shadaddi"), region)  # Ash Shaddadah
    assert (tuz.country_code, shaddadi.country_code) == ("IQ", "SY")
    assert (tuz.place_text, shaddadi.place_text) == ("Tuz", "Shadaddi")
    lead = "On March 14, coalition forces conducted a strike against ISIS targets near Shadaddi."
    assert [m.place_text for m in finder.find(lead, region)] == ["Shadaddi"]
    assert finder.find("Forces met near Tuz today.", region) == []  # a short word elsewhere


def test_a_digests_strikes_on_two_days_near_one_town_are_two_and_previous_ones_a_tally():
    text = (
        "On March 11, coalition military forces conducted a strike against ISIS targets near "
        "Dayr Az Zawr. The strike destroyed an ISIS drone.\n\n"
        "On March 10, coalition military forces conducted two strikes against ISIS targets:\n\n"
        "-- Near Abu Kamal, a strike destroyed an ISIS-held building.\n\n"
        "-- Near Dayr Az Zawr, a strike engaged an ISIS tactical unit."
    )
    events = extract_events(text, published="2018-03-16")
    days = sorted(str(e["event_date"]) for e in events if e["location"] == "Deir ez-Zor")
    assert days == ["2018-03-10", "2018-03-11"]
    previous = "Officials also provided details today on 16 previous strikes in Syria."
    assert find_triggers(previous) == []


def test_a_subhead_gives_its_section_the_reports_day_not_the_last_items():
    text = (
        "SOUTHWEST ASIA, July 27, 2017 — Coalition military forces continued to attack ISIS "
        "yesterday, conducting 22 strikes.\n\n"
        "Strikes in Syria\n\n"
        "Officials also provided details today on earlier strikes in Syria:\n\n"
        "-- Twelve July 25 strikes near Raqqa engaged seven ISIS tactical units.\n\n"
        "Strikes in Iraq\n\n"
        "In Iraq, coalition military forces conducted four strikes against ISIS targets:\n\n"
        "-- Near Qaim, a strike destroyed an ISIS weapons cache."
    )
    days = {e["location"]: str(e["event_date"]) for e in extract_events(text, "2017-07-27")}
    assert days["Al Qaim"] == "2017-07-26"  # yesterday's, not the July 25 item's


def test_three_attacks_told_one_by_one_under_a_title_that_names_their_weapon():
    text = (
        "Iraqi Government Examines In-Country Missile Attacks on U.S. Bases\n\n"
        "The Iraqi government is investigating three attacks on U.S. bases in the country, "
        "Pentagon Press Secretary John F. Kirby told reporters today.\n\n"
        "The attack in Irbil killed a U.S. contractor and wounded a service member, while the "
        "attack in Baghdad's Green Zone caused property damage. In addition, an attack at Balad "
        "Air Base wounded personnel."
    )
    events = [e for e in extract_events(text, "2021-02-23") if e["confidence"] >= 0.5]
    assert sorted(e["location"] for e in events) == ["Baghdad", "Balad Air Base", "Erbil"]
    assert {e["sub_event_type"] for e in events} == {"Shelling/artillery/missile attack"}
    assert all(e["time_precision"] == 2 for e in events)  # "today" is when Kirby spoke


def test_a_qualified_year_and_an_event_named_by_its_month():
    feb = parse_published("2016-02-19")
    (year,) = find_dates("ISIS seized control of the city in early 2014, officials said", feb)
    assert (str(year.start), str(year.end), year.precision) == ("2014-01-01", "2014-12-31", 3)
    (march,) = find_dates("a suspect in the deadly March attack on the Bardo Museum", feb)
    assert (str(march.start), march.precision) == ("2015-03-01", 3)  # last year's March


def test_combat_operations_begun_in_a_town_spelled_another_way():
    text = (
        "Iraqi security forces initiated major combat operations in Huwayjah during today's "
        "early morning hours, Combined Joint Task Force officials said."
    )
    (battle,) = extract_events(text, "2017-09-21")
    assert (battle["sub_event_type"], str(battle["event_date"])) == ("Armed clash", "2017-09-21")
    assert battle["place_text"] == "Huwayjah" and battle["location"] != "Iraq"  # Al Hawijah


def test_the_day_a_spokesman_spoke_dates_no_event_of_his_sentence():
    text = (
        "Iraqi forces regained control of the key city of Hit, while a tough fight remains in "
        "the Tigris River Valley, the spokesman said Wednesday. Hit is liberated, he said."
    )
    (hit,) = extract_events(text, published="2016-04-20")
    assert hit["time_precision"] == 2 and str(hit["date_end"]) == "2016-04-20"  # the week


def test_a_change_a_quarterly_report_dates_only_by_its_quarter_is_unsure():
    text = (
        "During the reporting period, the Taliban dealt a decisive defeat to the Afghan "
        "government as the United States completed its withdrawal from the country."
    )
    changes = [
        e for e in extract_events(text, "2021-11-15") if e["event_type"] == "Strategic developments"
    ]
    assert changes and all(e["confidence"] < 0.5 for e in changes)  # July-Sept., no day


def test_a_region_puts_its_country_in_the_articles_context():
    # Iraq is named only through its regions, Syria by name: Iraq's airfields are still found.
    text = (
        "Rockets struck Ain al-Asad Air Base in western Iraq's Anbar province on Wednesday.\n\n"
        "Coalition forces handed over the al-Taqaddum air base in Habbaniyah to Iraqi forces "
        "on Thursday.\n\nIn Syria, rockets struck near al-Mayadin on Friday."
    )
    places = {e["sub_event_type"]: e["location"] for e in extract_events(text, "2021-03-06")}
    assert places["Non-violent transfer of territory"] == "Al Taqaddum Air Base"


def test_a_base_taken_over_in_a_release_on_handovers_is_handed_over_not_won():
    release = (
        "Coalition hands over bases\n\nThe coalition has handed over several sites this year.\n\n"
        "Iraqi forces took control of Camp Taji on Aug. 23."
    )
    (event,) = extract_events(release, "2020-08-26")
    assert (event["location"], event["sub_event_type"]) == (
        "Camp Taji",
        "Non-violent transfer of territory",
    )
    afghan = (
        "U.S. forces have handed over several bases in Afghanistan this year.\n\n"
        "The Afghan National Army took over Camp Dwyer in Helmand on Aug. 25."
    )
    (event,) = extract_events(afghan, "2020-08-26")
    assert event["sub_event_type"] == "Non-violent transfer of territory"
    assert event["location"] == "Dwyer Airport"
    # with no handing over in the article, or with an enemy in the sentence, it is a battle
    (won,) = extract_events("Iraqi forces took control of Camp Taji on Aug. 23.", "2020-08-26")
    assert won["sub_event_type"] == "Government regains territory"
    fought = release.replace("on Aug. 23", "from ISIS on Aug. 23")
    kinds = {e["location"]: e["sub_event_type"] for e in extract_events(fought, "2020-08-26")}
    assert kinds["Camp Taji"] == "Government regains territory"


def test_more_days_of_a_month_in_a_list():
    anchor = parse_published("2018-08-30")
    text = "strikes June 23 and 30, July 2, 5 and 9, and on March 2 and 5 people"
    found = find_dates(text, anchor)
    assert [str(d.start) for d in found] == [
        "2018-06-23", "2018-06-30", "2018-07-02", "2018-07-05", "2018-07-09", "2018-03-02",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The force came under mortar and small-arms fire at 2:45 p.m.", ["Armed clash"]),
        ("Militias are attacking peaceful protesters and activists.", []),
        ("Protesters gathered in Tahrir Square.", ["Peaceful protest"]),
    ],
)
def test_direct_fire_is_a_battle_and_attacked_protesters_are_no_protest(sentence, expected):
    assert [t.sub_event_type for t in find_triggers(sentence)] == expected


def test_the_body_places_the_headlines_event_and_vouches_for_it():
    text = (
        "Rocket Attack in Iraq\n\n"
        "The United States strongly condemns the latest attack by militias on the International "
        "Zone in Baghdad. No Embassy personnel were harmed."
    )
    (event,) = extract_events(text, "2020-12-20")
    assert event["sub_event_type"] == "Shelling/artillery/missile attack"
    assert event["location"] == "Baghdad" and event["confidence"] >= 0.5
    assert len(event["sources"]) == 2


def test_a_vague_attack_refined_by_an_attack_on_a_base_still_folds_into_the_drone_attack():
    text = (
        "(issued March 24, 2023)\n\n"
        "U.S. Responds to Attack That Killed U.S. Contractor in Syria\n\n"
        "The response to the attack on a coalition base in Syria was swift.\n\n"
        "Militias were responsible for yesterday's drone attack on the coalition base near "
        "Hasakah."
    )
    (event,) = [e for e in extract_events(text) if e["event_type"] != "Strategic developments"]
    assert event["sub_event_type"] == "Air/drone strike" and len(event["sources"]) == 3


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The February 28 bombings of a market killed 70.", ["Remote explosive/landmine/IED"]),
        ("A blast hit the checkpoint on Monday.", ["Remote explosive/landmine/IED"]),
        ("Today's bombing of the election rally killed 30.", ["Remote explosive/landmine/IED"]),
        ("The protests, which included property damage, ended.", ["Violent demonstration"]),
        ("Thousands protested against violence against women.", ["Peaceful protest"]),
        ("Further attacks may occur.", []),
        ("The strike may have killed ten militants on Monday.", ["Air/drone strike"]),
        ("Terrorists continue to plot kidnappings, bombings, and other attacks.", []),
        ("Methods include car bombs, suicide bombers, gunmen, and mortar fire.", []),
        ("Do not travel due to crime, terrorism, civil unrest, kidnapping, and piracy.", []),
        ("• Avoid large crowds, gatherings and demonstrations.", []),
        ("We remain capable of striking al-Shabaab at the time of our choosing.", []),
        (
            "Militants attacked with rockets, mortars, and drones on Monday.",
            ["Shelling/artillery/missile attack"],
        ),
    ],
)
def test_bombings_unpeaceful_protests_and_hypotheticals_lists_and_advice(sentence, expected):
    assert [t.sub_event_type for t in find_triggers(sentence)] == expected


def test_a_speaker_a_person_and_a_people_are_not_places(finder):
    us_somalia = frozenset({"US", "SO"})
    assert finder.find("The United States condemns the attack.", us_somalia) == []
    assert finder.find("U.S. Embassy Condemns Attacks", frozenset({"IQ"})) == []
    assert finder.find("“We are ready,” said Townsend.", us_somalia) == []
    assert finder.find("security for all Somalis", us_somalia) == []
    (mosul,) = finder.find("Officials in Mosul said the attack killed three.", frozenset({"IQ"}))
    assert mosul.name == "Mosul"
    assert people("U.S. Army Gen. Stephen Townsend directed the task force.") == {"Townsend"}
    transcript = "MR. KIRBY: Good afternoon.\n\nPRESS SECRETARY JOHN F. KIRBY: Yes.\n\nQ: Why?"
    assert {"KIRBY", "Kirby"} <= people(transcript) and "Q" not in people(transcript)
    text = (
        "U.S. Africa Command Commander, U.S. Army Gen. Stephen Townsend, visited Somalia. "
        "Townsend traveled to Mogadishu on Dec. 14, where a mortar attack hit the airport."
    )
    (event,) = extract_events(text, "2020-12-19")
    assert event["location"] == "Mogadishu"


def test_a_while_clause_is_a_second_event_on_the_sentences_day():
    text = (
        "Today's bombing of the election rally in Parwan province killed nearly 30 civilians, "
        "while the suicide attack in Kabul near the Ministry of Defense killed more than 20."
    )
    events = extract_events(text, "2019-09-17")
    assert {(e["sub_event_type"], str(e["event_date"]), str(e["date_end"])) for e in events} == {
        ("Remote explosive/landmine/IED", "2019-09-17", "2019-09-17"),
        ("Suicide bomb", "2019-09-17", "2019-09-17"),
    }
    assert "Kabul" in {e["location"] for e in events}


def test_an_address_a_neighborhood_of_and_another_attack_condemned_elsewhere():
    text = (
        "U.S. Embassy Condemns Attacks in Baghdad\n\n"
        "The United States condemns the February 28 bombings of a market in Sadr City, Baghdad, "
        "which killed over 70 people. We also condemn the attack on security personnel in the "
        "Baghdad neighborhood of Abu Ghraib."
    )
    events = sorted(extract_events(text, "2016-02-28"), key=lambda e: e["location"])
    assert [(e["location"], e["event_type"]) for e in events] == [
        ("Abū Ghurayb", "Battles"),
        ("Sadr City", "Explosions/Remote violence"),
    ]


def test_protests_on_the_day_of_a_violent_demonstration_there_are_that_demonstration():
    text = (
        "Statement on April 30 Protests\n\n"
        "The United States expresses its concern over the April 30 protests inside the parliament "
        "in Baghdad, which included property damage and violence against some individuals."
    )
    (event,) = extract_events(text, "2016-04-30")
    assert event["sub_event_type"] == "Violent demonstration" and len(event["sources"]) == 2


def test_where_the_operation_occurred_places_the_event_just_reported():
    text = (
        "U.S. forces conducted an airstrike in Somalia against al-Shabaab on Nov. 14, 2017. "
        "The operation occurred 60 miles northwest of the capital, Mogadishu."
    )
    (event,) = extract_events(text, "2017-11-15")
    assert event["location"] == "Mogadishu" and len(event["sources"]) == 2


def test_the_attacks_a_strike_answers_keep_their_day_and_places():
    text = (
        "U.S. military forces conducted precision strikes against two facilities near Abu Kamal, "
        "Syria, this evening. These strikes are a direct response to a series of ongoing attacks "
        "on U.S. personnel in Iraq and Syria that began on October 17th."
    )
    (event,) = extract_events(text, "2023-10-26")
    assert str(event["event_date"]) == "2023-10-26" and len(event["sources"]) == 2


def test_the_raid_told_again_with_its_weapons_is_that_raid_and_a_bare_year_is_a_date():
    text = (
        "Special Forces raided an al-Qaida compound in Marib governorate yesterday. "
        "The intent of the raid was to disrupt AQAP, he said, noting that seven militants were "
        "killed with small-arms fire and precision airstrikes from an AC-130 gunship. "
        "The group attacked the U.S. embassy in Sanaa, Yemen, in 2008."
    )
    events = sorted(extract_events(text, "2017-05-23"), key=lambda e: e["event_date"])
    assert [(str(e["event_date"]), str(e["date_end"])) for e in events] == [
        ("2008-01-01", "2008-12-31"),
        ("2017-05-22", "2017-05-22"),
    ]
    assert events[1]["fatalities"] == 7 and len(events[1]["sources"]) == 2


def test_handovers_on_their_own_days_and_equipment_handed_over_is_no_territory():
    text = (
        "KIRKUK, Iraq – The Coalition transferred K1 Air Base to the Iraqi Security Forces "
        "March 29, 2020. The transfer is part of a repositioning of forces, announced in "
        "December. Coalition forces have also turned over more than $1 million worth of "
        "equipment to the Iraqi forces at the base. The Coalition previously handed over Al Qaim "
        "on March 17 and Qayyarah Airfield West on March 26."
    )
    events = extract_events(text, "2020-03-30")
    assert sorted(str(e["event_date"]) for e in events) == [
        "2020-03-17",
        "2020-03-26",
        "2020-03-29",
    ]
    assert {e["sub_event_type"] for e in events} == {"Non-violent transfer of territory"}
    (k1,) = [e for e in events if str(e["event_date"]) == "2020-03-29"]
    assert len(k1["sources"]) == 2  # the transfer told again, not an event in December


def test_a_drone_attack_a_zone_of_a_city_and_a_country_after_an_unknown_town():
    text = (
        "BAGHDAD – Three rockets impacted near Union III, a coalition base in the International "
        "Zone of Baghdad, on Sunday. On Jan. 5, an unmanned aerial vehicle attacked Ain al-Asad "
        "Air Base in Anbar province."
    )
    events = {e["sub_event_type"]: e for e in extract_events(text, "2023-01-09")}
    assert events["Air/drone strike"]["location"] == "Al Asad Air Base"
    assert events["Shelling/artillery/missile attack"]["location"] == "Baghdad"
    assert events["Shelling/artillery/missile attack"]["geo_precision"] == 2


def test_an_event_with_no_place_is_put_in_the_country_its_people_or_actor_point_to():
    text = (
        "U.S. Africa Command conducted an airstrike against al-Shabaab in the vicinity of Kunyo "
        "Barrow, Somalia, Jan. 2, 2020. Separately, al-Shabaab fighters attacked a Somali National "
        "Army outpost on Jan. 1 with small-arms fire. In Syria, coalition forces detained an ISIS "
        "official near Shadadi on Dec. 30. A soldier patrols near Manbij, Syria."
    )
    events = {e["event_type"]: e for e in extract_events(text, "2020-01-03")}
    assert events["Explosions/Remote violence"]["location"] == "Somalia"
    assert events["Battles"]["location"] == "Somalia"


def test_a_possessive_country_before_a_governorate_over_and_an_attack_by_an_actor_on_a_camp(
    finder,
):
    found = finder.find(
        "A drone was shot down over Yemen's Al Jawf governorate.", frozenset({"YE"})
    )
    assert [(m.name, m.kind, m.cue) for m in found] == [
        ("Yemen", "country", "in"),
        ("Al Jawf", "region", "in"),
    ]
    (trigger,) = find_triggers("The Jan. 5 attack by al-Shabaab on Camp Simba killed three.")
    assert trigger.strength >= 0.5


def test_each_item_of_a_strike_digest_takes_the_day_of_its_lead():
    text = (
        "On Feb. 3, Coalition military forces conducted 10 strikes against ISIS targets in Syria:\n"
        "-- Near Abu Kamal, six strikes engaged four ISIS tactical units.\n"
        "-- Near Dayr Az Zawr, four strikes engaged two ISIS tactical units."
    )
    events = extract_events(text, "2018-02-05")
    assert {str(e["event_date"]) for e in events} == {"2018-02-03"} and len(events) == 2


def test_a_district_center_seized_an_attack_on_an_army_base_and_romanisations_share_a_first_sound(
    finder,
):
    from eventmap.gazetteer import initial

    assert initial("Ayn al-Asad") == initial("Ein al Asad") == "a"
    assert initial("al-Qaim") == initial("Kaim") == "k"
    assert initial("Sayed Abad") != initial("Asadabad")
    text = (
        "The Taliban attack on an Afghan National Army base in Kandahar province on May 3 killed "
        "12 soldiers. The Taliban seized the district center of Sayed Abad on Sunday."
    )
    events = {e["sub_event_type"]: e for e in extract_events(text, "2020-05-05")}
    assert events["Armed clash"]["confidence"] >= 0.5
    seized = events["Non-state actor overtakes territory"]
    assert "Asad" not in seized["location"] and seized["location"].endswith("Sayyidābād")


def test_an_attacks_own_toll_keeps_its_date_and_a_separate_attack_is_not_folded():
    # "that killed three soldiers" tells the attack's toll: "on Sunday" is the attack's day.
    text = (
        "The Embassy condemns the terrorist attack that killed three Kenya Defence Forces soldiers "
        "near Kiunga in Lamu County on Sunday."
    )
    (event,) = [e for e in extract_events(text, "2020-01-07") if e["confidence"] >= 0.5]
    assert str(event["event_date"]) == "2020-01-05"
    text = (
        "U.S. Africa Command conducted an airstrike against al-Shabaab near Jilib, Somalia, on "
        "Feb. 22, 2021.\n\nSeparately, al-Shabaab militants attacked a Somali National Army "
        "outpost in Lower Shabelle region on Feb. 21. Somali forces repelled the attack."
    )
    kinds = {
        (e["sub_event_type"], str(e["event_date"])) for e in extract_events(text, "2021-02-23")
    }
    assert kinds == {("Air/drone strike", "2021-02-22"), ("Armed clash", "2021-02-21")}


def test_a_possessive_city_before_a_site_and_a_site_after_a_city(finder):
    (kabul,) = finder.find("an attack on worshippers at Kabul's Karte Sakhi shrine", {"AF"})
    assert kabul.name == "Kabul"
    (kandahar,) = finder.find("the attacks on the Kandahar Governor's Office", {"AF"})
    assert kandahar.name.startswith("Kandah")


def test_a_region_in_another_spelling_and_a_list_of_provinces(finder):
    paktia, ghazni = finder.find("attacks in Paktiya and Ghazni provinces", {"AF"})
    assert (paktia.name, paktia.kind) == ("Paktia", "region")
    assert (ghazni.name, ghazni.kind) == ("Ghazni", "region")
    # a close spelling compares the names, not the "Governorate" around them
    assert finder.find("two operatives in the al-Baydah Governorate.", {"IQ"}) == []


def test_another_attack_condemned_the_victims_named_and_two_bombings_as_well_as():
    text = (
        "The Embassy condemns yesterday's attacks in Kabul that killed at least 30 innocent "
        "Afghans. We also condemn the attacks on the Kandahar Governor's Office that wounded 21. "
        "We further condemn the suicide bomb attack in Helmand province."
    )
    events = extract_events(text, "2017-01-11")
    by_type = {(e["location"][:5], e["sub_event_type"]) for e in events if e["confidence"] >= 0.5}
    assert by_type == {
        ("Kabul", "Attack"), ("Kanda", "Attack"), ("Helma", "Suicide bomb")
    }  # fmt: skip
    text = (
        "The Mission condemns yesterday's bombing of a party office in Baghdad, as well as the "
        "bombing that took seven lives in Baghdad's Shula neighborhood on May 23."
    )
    days = {str(e["event_date"]) for e in extract_events(text, "2018-05-26")}
    assert days == {"2018-05-25", "2018-05-23"}


def test_an_attack_on_unarmed_targets_is_violence_against_civilians_not_a_clash():
    text = (
        "We condemn in the strongest possible terms the attacks in shopping districts in Baghdad "
        "today. Nearly a hundred people, many women and children, were killed."
    )
    (event,) = extract_events(text, "2016-07-03")
    assert (event["event_type"], event["sub_event_type"]) == (
        "Violence against civilians",
        "Attack",
    )
    assert event["confidence"] >= 0.5
    text = "Militants attacked a police checkpoint in Baghdad today, killing two officers."
    (event,) = extract_events(text, "2016-07-03")
    assert event["event_type"] == "Battles"


@pytest.mark.parametrize(
    "sentence",
    [
        "As demonstrated at the recent conference, we remain committed to Afghanistan.",
        "Terrorist attacks with explosive devices can take place anywhere in Somalia at any time.",
        "From Baghdad to Istanbul and Paris, terrorists murder the innocent for attention.",
    ],
)
def test_a_word_for_showing_a_warning_and_a_habit_are_no_events(sentence):
    assert find_triggers(sentence) == []


def test_coming_under_fire_is_a_clash_and_under_attack_by_rockets_a_rocket_attack():
    (trigger,) = find_triggers("Two soldiers died today when they came under fire in Kunduz.")
    assert (trigger.event_type, trigger.sub_event_type) == ("Battles", "Armed clash")
    (trigger,) = find_triggers("Forces at the base came under attack by multiple rockets.")
    assert trigger.sub_event_type == "Shelling/artillery/missile attack"


def test_a_total_of_handovers_and_an_undated_strike_near_a_town_of_the_region_just_reported():
    text = (
        "Coalition forces transferred Camp Besmaya to the Iraqi Security Forces on Aug. 3, 2020. "
        "The coalition has now handed over eight bases this year, including Al Qaim and K-1."
    )
    (event,) = extract_events(text, "2020-08-03")
    assert str(event["event_date"]) == "2020-08-03"
    text = (
        "U.S. forces conducted airstrikes in eastern Syria today against facilities used by "
        "the IRGC. The strikes targeted a weapons storage facility near Abu Kamal."
    )
    (event,) = extract_events(text, "2023-10-27")
    assert "Kam" in event["location"] and str(event["event_date"]) == "2023-10-27"


def test_a_partnered_operation_against_a_group_is_a_clash():
    (trigger,) = find_triggers(
        "He died of wounds sustained during a partnered operation against ISIS."
    )
    assert trigger.sub_event_type == "Armed clash"


@pytest.mark.parametrize(
    "sentence",
    [
        "Militants launched an explosive-laden drone at the base on Tuesday.",
        "Two drones carrying explosives targeted the garrison.",
        "A drone armed with explosive devices struck the base.",
        "B-52 bombers dropped munitions on Taliban positions in Helmand.",
        "A Hellfire missile struck the car.",
        "In response, U.S. forces engaged the attackers with AH-64 Apache helicopters.",
    ],
)
def test_drones_and_aircraft_told_many_ways_are_air_or_drone_strikes(sentence):
    (trigger,) = find_triggers(sentence)
    assert trigger.sub_event_type == "Air/drone strike"


@pytest.mark.parametrize(
    "sentence",
    [
        "Since 2017, coalition forces have intercepted dozens of weapons shipments.",
        "Such strikes are authorized under the 2001 Authorization for Use of Military Force.",
        "Airstrikes are one tool among many in the campaign.",
    ],
)
def test_totals_and_things_said_of_strikes_in_general_are_no_events(sentence):
    assert find_triggers(sentence) == []


def test_a_place_retaken_by_state_forces_after_days_of_fighting_is_one_retaking():
    text = (
        "Iraqi Forces Retake Mosul Airport\n\n"
        "SOUTHWEST ASIA — Iraqi Counter Terrorism Service forces seized Mosul International "
        "Airport on Feb. 23, 2017, Combined Joint Task Force-Operation Inherent Resolve "
        "officials said.\n\nA spokesman told reporters via teleconference from Baghdad that "
        "Iraqi forces liberated the airport after a couple of days of heavy fighting."
    )
    events = [e for e in extract_events(text, "2017-02-24") if e["confidence"] >= 0.5]
    assert [(e["sub_event_type"], str(e["event_date"])) for e in events] == [
        ("Government regains territory", "2017-02-23")
    ]
    assert "Baghdad" not in {e["location"] for e in extract_events(text, "2017-02-24")}


def test_dated_items_of_a_digest_are_events_not_headlines():
    text = (
        "Nine strikes against AQAP between Sept. 23 and Dec. 13, the command said.\n\n"
        "-- Oct. 6, a strike killed two AQAP operatives in Shabwah governorate;\n\n"
        "-- Nov. 20, a strike killed one AQAP operative in al-Baydah governorate\n\n"
        "“Strikes against AQAP in Yemen pressure the terrorist network,” he said."
    )
    events = [e for e in extract_events(text, "2016-12-22") if e["confidence"] >= 0.5]
    assert sorted(str(e["event_date"]) for e in events) == ["2016-10-06", "2016-11-20"]


@pytest.mark.parametrize(
    "sentence",
    [
        "AQAP has a history of attacks, including the 2009 attempted bombing of an airliner.",
        "The airport, like Brussels Airport which was attacked earlier this year, is a symbol.",
    ],
)
def test_a_history_of_attacks_and_a_place_once_attacked_are_background(sentence):
    assert find_triggers(sentence) == []


def test_the_embassy_that_speaks_is_not_where_the_event_was(finder):
    found = finder.find("The U.S. Embassy in Kabul condemns the attack on a convoy in Kandahar.")
    assert [m.name for m in found] == ["Kandahār"]
    found = finder.find(
        "The Embassy in Baghdad strongly condemns the ambush near Hawijah in Kirkuk Province.",
        {"IQ"},
    )
    assert "Baghdad" not in {m.name for m in found}
    (embassy,) = finder.find("Protesters stormed the U.S. Embassy in Baghdad on Tuesday.")
    assert embassy.name == "U.S. Embassy Baghdad"


def test_indirect_fire_and_the_artillery_answering_it_are_two_events():
    text = (
        "Coalition forces were targeted this morning by eight rounds of indirect fire at Green "
        "Village, a base in northeast Syria.\n\nCoalition forces responded swiftly and fired six "
        "rounds of artillery towards the point of origin of the attack just outside al-Mayadin, "
        "Syria."
    )
    events = extract_events(text, "2022-01-05")
    assert [e["sub_event_type"] for e in events] == ["Shelling/artillery/missile attack"] * 2
    assert len({e["location"] for e in events}) == 2


def test_a_county_is_kenyas_region_and_an_attack_on_a_bus_is_on_civilians():
    text = (
        "The U.S. Embassy in Nairobi strongly condemns the January 2 attack on a passenger bus "
        "near Nyongoro in Lamu County, which killed three people.\n\n"
        "This attack follows the December 6 killing of ten people, including police reservists, "
        "in an ambush on a bus in Wajir County."
    )
    events = {str(e["event_date"]): e for e in extract_events(text, "2020-01-03")}
    assert (events["2020-01-02"]["location"], events["2020-01-02"]["geo_precision"]) == ("Lamu", 3)
    assert events["2020-01-02"]["sub_event_type"] == "Attack"  # on civilians
    # "This attack follows ...": another day's event, not the weapon of the one before
    assert (events["2019-12-06"]["location"], events["2019-12-06"]["sub_event_type"]) == (
        "Wajir",
        "Armed clash",
    )


def test_a_dated_operation_dates_the_strike_told_next_and_days_after_count_back():
    text = (
        "U.S. military forces conducted an over-the-horizon counterterrorism operation today "
        "against an ISIS-K planner. The unmanned airstrike occurred in the Nangahar Province of "
        "Afghanistan.\n\nThe strike came two days after a suicide bombing at Hamid Karzai "
        "International Airport killed 13 U.S. service members."
    )
    events = {e["sub_event_type"]: e for e in extract_events(text, "2021-08-27")}
    strike, bombing = events["Air/drone strike"], events["Suicide bomb"]
    assert (str(strike["event_date"]), strike["time_precision"]) == ("2021-08-27", 1)
    assert (str(bombing["event_date"]), str(bombing["date_end"])) == ("2021-08-25", "2021-08-25")


def test_an_attack_on_no_armed_target_is_on_civilians_and_a_headline_weapon_types_it():
    # No country named: the Afghan people put the province in Afghanistan.
    kunar = (
        "The U.S. Embassy condemns the terrorist attack in Kunar Province today that claimed "
        "many lives. The Afghan people deserve peace."
    )
    (event,) = extract_events(kunar, "2016-02-27")
    assert (event["sub_event_type"], event["location"]) == ("Attack", "Konar")
    on_police = "The U.S. Embassy condemns the attack on police in Kunar Province, Afghanistan."
    assert extract_events(on_police, "2016-02-27")[0]["sub_event_type"] == "Armed clash"
    headline = (
        "Statement by U.S. Ambassador on Suicide Attack in Kabul\n\n"
        "I strongly condemn today's horrific and indiscriminate attack on civilians at a "
        "cultural and social center in Kabul."
    )
    (event,) = extract_events(headline, "2017-12-28")
    assert (event["sub_event_type"], str(event["event_date"])) == ("Suicide bomb", "2017-12-28")
    assert event["confidence"] >= 0.5


def test_a_date_alone_on_its_line_dates_the_text_after_it():
    text = (
        "The United States Condemns the Vicious Attack in Kabul, Afghanistan\nJuly 25, 2016\n\n"
        "Press Statement\nWashington, DC\nJuly 23, 2016\n\n"
        "The United States condemns in the strongest terms the vicious attack today in Kabul "
        "that killed dozens of Afghans. The victims today were exercising their constitutional "
        "right of peaceful demonstration."
    )
    (event,) = extract_events(text)
    assert (event["sub_event_type"], str(event["event_date"])) == ("Attack", "2016-07-23")


def test_a_condemned_attack_with_its_day_is_sure_and_one_years_back_is_history():
    text = (
        "The United States strongly condemns the barbaric terrorist attacks yesterday in "
        "Damascus and Homs, Syria, now claimed by ISIL."
    )
    events = extract_events(text, "2016-02-22")
    assert {(e["location"], str(e["event_date"])) for e in events} == {
        ("Damascus", "2016-02-21"), ("Homs", "2016-02-21"),
    }  # fmt: skip
    assert all(e["confidence"] >= 0.5 for e in events)
    history = (
        "Al-Qaida in the Arabian Peninsula attacked the U.S. embassy in Sanaa, Yemen, in 2008."
    )
    (old,) = extract_events(history, "2017-05-23")
    assert old["confidence"] < 0.5


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Iraqi forces took part in the liberation of Tal Afar.", ["Government regains territory"]),
        ("They congratulate Iraqi forces on their victory today in Tal Afar.",
         ["Government regains territory"]),
        ("The coalition remains committed to supporting the liberation of Mosul.", []),
        ("Dangerous work remains to completely remove explosive devices.", []),
        ("Engineers are clearing IEDs from the main road.", []),
        ("Fighter aircraft, as well as rocket artillery, conducted four strikes in Iraq:",
         ["Air/drone strike"]),
        ("Militants fired rockets at the base; coalition aircraft responded with strikes.",
         ["Shelling/artillery/missile attack", "Air/drone strike"]),
    ],
)  # fmt: skip
def test_liberations_victories_devices_removed_and_a_digests_aircraft(sentence, expected):
    assert [t.sub_event_type for t in find_triggers(sentence)] == expected


def test_the_place_a_liberation_is_of():
    text = (
        "WASHINGTON -- The Syrian Democratic Forces' Oct. 20 liberation of Raqqa, Syria, ended it."
    )
    (event,) = extract_events(text, "2017-11-02")
    assert (event["location"], str(event["event_date"])) == ("Ar Raqqah", "2017-10-20")


def test_a_caption_paragraph_and_a_day_given_by_yesterdays_episode():
    caption = (
        "Support to continue after Raqqa's liberation, general says\n"
        "A U.S. Army Soldier, deployed in support of the coalition, waits at Qayyarah West "
        "Airfield, Iraq, May 29, 2017. More than 60 partners have committed themselves to the "
        "... (Photo Credit: U.S. Army)\n\n"
        "WASHINGTON -- The Syrian Democratic Forces' Oct. 20 liberation of Raqqa, Syria, "
        "exposed the lies of ISIS."
    )
    events = extract_events(caption, "2017-11-02")
    assert [e["location"] for e in events if e["confidence"] >= 0.5] == ["Ar Raqqah"]
    episode = (
        "I would like to express my deepest sympathy to the victims of the terrorist attack in "
        "Grand-Bassam and to all of the people of Côte d'Ivoire. It appears that Grand-Bassam has "
        "become the latest scene of terrorism. Côte d'Ivoire has made tremendous progress and "
        "yesterday's episode must not be allowed to diminish it."
    )
    (event,) = extract_events(episode, "2016-03-14")
    assert (str(event["event_date"]), str(event["date_end"])) == ("2016-03-13", "2016-03-13")
    assert event["confidence"] >= 0.5


def test_a_days_summary_its_details_and_each_clauses_own_place():
    text = (
        "TAMPA, Fla. — On Oct. 18, U.S. and Coalition forces in Iraq and Syria were attacked by "
        "a mix of drones and rockets. In western Iraq, two one-way attack drones targeted Al Asad "
        "Air Base. Separately, U.S. forces at Al Tanf Garrison in southern Syria were attacked by "
        "two drones.\n\nOn Oct. 19, a rocket attack targeted Ain al-Asad again, and a drone was "
        "shot down near Erbil Air Base in northern Iraq."
    )
    events = {
        (e["sub_event_type"], e["location"], str(e["event_date"]))
        for e in extract_events(text, "2023-10-20")
    }
    assert events == {
        ("Air/drone strike", "Al Asad Air Base", "2023-10-18"),
        ("Air/drone strike", "Al-Tanf", "2023-10-18"),
        ("Shelling/artillery/missile attack", "Al Asad Air Base", "2023-10-19"),
        ("Disrupted weapons use", "Erbil International Airport", "2023-10-19"),
    }


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The Katyusha rocket was developed by Soviet forces during World War II.", []),
        ("It is generally a truck-mounted, highly mobile rocket artillery system.", []),
        ("The rockets were fired from a truck in Baghdad.", ["Shelling/artillery/missile attack"]),
        ("“You cannot attack and wound American service members and get away with it.”", []),
        ("The United States condemns the assassination today in Ankara of the ambassador.",
         ["Attack"]),
        ("It was also an assault on the right of all diplomats to represent their nations.", []),
        ("Militants launched an assault on the town on Monday.", ["Armed clash"]),
        ("Children are suffering daily bombardment and hunger inside Syria.", []),
        ("The command conducted a similar strike on May 28 near Qunya Barrow.",
         ["Air/drone strike"]),  # May, the month, is no modal
        ("Further attacks may occur in Mogadishu.", []),
        ("Yesterday, a one-way attack drone targeted Al Harir Air Base, and rockets were fired "
         "at a base in Syria.", ["Air/drone strike", "Shelling/artillery/missile attack"]),
        ("Militants attacked the base with rockets, and the attack killed three soldiers.",
         ["Shelling/artillery/missile attack"]),
        ("Militants detonated a vehicle-borne improvised explosive device at a checkpoint, "
         "followed by an exchange of gunfire.",
         ["Remote explosive/landmine/IED"]),  # "followed by": the same attack, not another
        ("Despite continued U.S. airstrikes in Somalia, al Shabaab appears resilient.", []),
        ("While the frequency of ISIS attacks in Iraq remained low, ISIS persisted.", []),
        ("Coalition forces continued airstrikes near Mosul on March 2.", ["Air/drone strike"]),
        ("The Secretary condemned the attack on the U.S. Embassy in Baghdad.", ["Armed clash"]),
        ("Near Mosul, eight strikes destroyed three mortar systems and 10 mortar teams.",
         ["Air/drone strike"]),
        ("Artillery, as well as fighter aircraft, conducted seven strikes in Iraq:",
         ["Air/drone strike"]),
        ("Militants targeted the base with rockets on Monday.",
         ["Shelling/artillery/missile attack"]),
    ],
)  # fmt: skip
def test_descriptions_figures_of_speech_conditions_and_assassinations(sentence, expected):
    assert [t.sub_event_type for t in find_triggers(sentence)] == expected


def test_a_few_days_ago_is_a_span_and_an_answering_strike_is_no_summary():
    anchor = parse_published("2018-01-23")
    (span,) = find_dates("since that attack took place just a few days ago", anchor)
    assert (str(span.start), str(span.end), span.precision) == ("2018-01-17", "2018-01-21", 2)
    text = (
        "Three U.S. service members were injured in a rocket attack at Camp Taji, Iraq, March 13. "
        "''In response to this attack on an Iraqi base, we carried out precision defensive "
        "strikes,'' McKenzie said during a Pentagon briefing Friday."
    )
    kinds = {e["sub_event_type"] for e in extract_events(text, "2020-03-14")}
    assert kinds == {"Shelling/artillery/missile attack", "Air/drone strike"}


def test_day_ranges_weeks_ago_mid_month_and_the_following_day():
    anchor = parse_published("2021-06-02")

    def spans(text):
        return [(str(d.start), str(d.end), d.precision) for d in find_dates(text, anchor)]

    assert spans("strikes May 25-27 near Jilib") == [("2021-05-25", "2021-05-27", 2)]
    assert spans("from May 2 to 9") == [("2021-05-02", "2021-05-09", 2)]
    assert spans("killed 25-30 people on May 3") == [("2021-05-03", "2021-05-03", 1)]
    assert spans("two weeks ago") == [("2021-05-16", "2021-05-22", 2)]
    assert spans("in mid-May") == [("2021-05-01", "2021-05-31", 3)]
    text = (
        "Rockets struck Al Asad Air Base on May 3, 2021. The following day, a drone attacked "
        "Erbil International Airport in Iraq."
    )
    days = {e["location"]: str(e["event_date"]) for e in extract_events(text, "2021-05-06")}
    assert days == {"Al Asad Air Base": "2021-05-03", "Erbil International Airport": "2021-05-04"}


def test_a_province_named_in_another_spelling_and_a_final_ah(finder):
    iraq = frozenset({"IQ"})
    (region,) = finder.find("forces cleared the Hamrin mountains in Salahuddin province.", iraq)
    assert (region.name, region.kind) == ("Salah ad Din", "region")  # not a town's alias
    (wardak,) = finder.find("An attack in Wardak province.", frozenset({"AF"}))
    assert (wardak.name, wardak.kind) == ("Vardak", "region")
    (hawija,) = finder.find("A strike near Hawija killed two.", iraq)
    assert hawija.name == "Al Ḩawījah"


def test_armed_groups_are_no_towns_a_possessive_country_and_this_quarter(finder):
    kabul = "Over a period of 10 days, the Taliban captured the capital city of Kabul."
    assert [m.name for m in finder.find(kabul, frozenset({"AF", "US"}))] == ["Kabul"]
    manda = "an attack on Kenya's Manda Bay Airfield that killed three U.S. personnel"
    assert [m.name for m in finder.find(manda, frozenset({"KE", "US"}))] == [
        "Kenya", "Manda Airport",
    ]  # fmt: skip
    report = parse_published("2021-11-15")  # a quarterly report, weeks after its quarter
    (span,) = find_dates("attacks during the reporting period", report)
    assert (str(span.start), str(span.end), span.precision) == ("2021-07-01", "2021-09-30", 3)


def test_a_day_after_the_period_ended_and_in_another_clause_is_the_events():
    text = (
        "U.S. forces did not conduct any airstrikes in Afghanistan during the quarter, but after "
        "the quarter ended, a U.S. airstrike killed a senior leader in Kabul on July 31."
    )
    (strike,) = extract_events(text, published="2022-08-16")
    assert (str(strike["event_date"]), strike["time_precision"]) == ("2022-07-31", 1)
    other = "No strike hit Kabul during the quarter; a U.S. airstrike hit Kandahar on July 31."
    (strike,) = extract_events(other, published="2022-08-16")
    assert str(strike["event_date"]) == "2022-07-31"  # the date of its own clause


def test_a_capability_an_aspiration_and_a_tallys_part_are_no_events():
    able = "It showed the group's capability to strike multiple targets in quick succession."
    assert find_triggers(able) == []
    some = "ISIS-K was the most active group this quarter, claiming 80 attacks, including some "
    assert find_triggers(some + "complex attacks.") == []  # a tally's part, not one event
    assert find_triggers("al Shabaab is a threat that aspires to strike the U.S. homeland.") == []
    sent = "In this act, Da'esh dispatched a teenage boy to attack a group of soccer players."
    assert "dispatched" not in [t.text for t in find_triggers(sent)]  # the attack's attacker
    assert [t.text for t in find_triggers("The Pentagon dispatched 100 Marines to Baghdad.")] == [
        "dispatched"
    ]
    paused = "This has limited our capacity to train partners and we have paused these activities."
    assert [t.text for t in find_triggers(paused)] == ["paused"]  # not what it could do


def test_one_day_after_its_day_a_claims_day_and_an_explosion_placed_nowhere_finer():
    text = (
        "Burkina Faso President Urges Public to Cooperate With Military After Twin Attacks\n\n"
        "Burkina Faso President Roch Kabore urged the public Saturday to cooperate more closely "
        "with the military, one day after an armed group carried out coordinated attacks on "
        "France's embassy and on the military headquarters in the capital of Ouagadougou.\n\n"
        "The government said eight soldiers were killed.\n\n"
        "At the start of the Friday attacks, witnesses said, armed men got out of a car and "
        "opened fire on passers-by. An explosion occurred at about the same time near the "
        "military headquarters, witnesses said."
    )
    events = [e for e in extract_events(text, published="2018-03-03") if e["confidence"] >= 0.5]
    assert [(e["location"], str(e["event_date"])) for e in events] == [
        ("Ouagadougou", "2018-03-02")
    ]  # Saturday is the speech's day; the explosion is part of Friday's attacks
    assert len(events[0]["sources"]) == 5
    claim = (
        "Gunmen attacked the embassy in Ouagadougou on Friday.\n\n"
        "A group on Saturday claimed responsibility for the attacks in a message."
    )
    (attack,) = extract_events(claim, published="2018-03-03")  # Saturday is the claim's day
    assert (str(attack["event_date"]), len(attack["sources"])) == ("2018-03-02", 2)


def test_dated_list_items_and_an_undated_bombing_told_again():
    text = (
        "The U.S. Embassy condemns Da'esh's horrific suicide bombings in Baghdad on April 30 "
        "and in Samawa on May 1, which killed scores of men.\n\n"
        "Da'esh's bombing in Samawa was equally shocking."
    )
    events = [(e["location"], str(e["event_date"]), e["sub_event_type"]) for e in
              extract_events(text, published="2016-05-01") if e["confidence"] >= 0.5]  # fmt: skip
    assert events == [
        ("Baghdad", "2016-04-30", "Suicide bomb"), ("As Samawah", "2016-05-01", "Suicide bomb"),
    ]  # fmt: skip


def test_a_security_alert_codes_the_reported_riot_not_calls_possibilities_or_habits():
    alert = (
        "Location: Bamako, Mali\n"
        "Event: The group has called for continued demonstrations and civil disobedience. "
        "Spontaneous demonstrations throughout Bamako are possible on July 13.\n"
        "These demonstrations sometimes turn violent resulting in the burning of tires, clashes "
        "with the police, the deployment of tear gas, and small arms fire. The U.S. Embassy has "
        "received reports of protests and small arms fire in the Badalabougou neighborhood of "
        "Bamako."
    )
    events = [e for e in extract_events(alert, published="2020-07-12") if e["confidence"] >= 0.5]
    assert [(e["location"], e["sub_event_type"]) for e in events] == [
        ("Bamako", "Violent demonstration")
    ]
    handover = "Today's transfer is possible thanks to the efforts of our partners."
    assert [t.text for t in find_triggers(handover)] == ["transfer"]  # no forecast


def test_suicide_bombers_who_fire_rockets_or_clash_are_the_attackers_not_a_bombing():
    fired = "Five suicide bombers hid behind the mosque and fired multiple rockets at the city."
    assert [t.sub_event_type for t in find_triggers(fired)] == ["Shelling/artillery/missile attack"]
    died = "Four of the suicide bombers have died in clashes with the local security forces."
    assert [t.sub_event_type for t in find_triggers(died)] == ["Armed clash"]
    for bombing in ("A suicide bomber attacked a rally.", "A suicide bomber blew himself up."):
        assert [t.sub_event_type for t in find_triggers(bombing)] == ["Suicide bomb"]


def test_strikes_listed_by_whom_they_removed_each_on_its_day(finder):
    text = (
        "U.S. strikes have killed more than 150 al-Qaida terrorists in Syria since Jan. 1. These "
        "strikes include the removal of Mohammad Habib al-Tunisi, an external operations leader, "
        "on Jan. 17; Abd al-Jalil al-Muslimi, a facilitator associated with a network plotting "
        "terror attacks in the west, on Jan. 12; and Abu Hasan al-Taftanaz, an al-Qaida senior "
        "leader, on Jan. 6."
    )
    events = [e for e in extract_events(text, published="2017-01-20") if e["confidence"] >= 0.5]
    assert sorted((str(e["event_date"]), e["location"]) for e in events) == [
        ("2017-01-06", "Syria"), ("2017-01-12", "Syria"), ("2017-01-17", "Syria"),
    ]  # fmt: skip
    assert finder.find("Abu Hasan al-Taftanaz, a leader", frozenset({"SY"})) == []  # a man


def test_the_attack_that_occurred_on_a_day_is_of_that_day():
    text = "We have new information on the attack on U.S. forces that occurred on October 4th."
    (attack,) = extract_events(text, published="2017-10-05")
    assert (str(attack["event_date"]), attack["time_precision"]) == ("2017-10-04", 1)


def test_a_fight_placed_only_in_the_country_on_a_placed_fights_day_is_that_fight():
    text = (
        "Al-Shabab militants in Somalia killed at least eight government soldiers in an ambush "
        "near the town of Baidoa on Tuesday, officials said.\n\n"
        "Officials said the militants attacked Daynunay military base, 18 kilometers east of "
        "Baidoa. Somali soldiers in the base repulsed the militants after heavy gunfire.\n\n"
        "Regional Minister Hassan Abdi Mohamed, who visited Daynunay base on Tuesday, told VOA "
        "that the soldiers had received a tip-off about the attack. Al-Shabab said its fighters "
        "overran the base, killing a number of soldiers."
    )
    events = [e for e in extract_events(text, published="2016-04-26") if e["confidence"] >= 0.5]
    assert [(e["location"], e["sub_event_type"]) for e in events] == [("Baidoa", "Armed clash")]
    assert any("overran the base" in s["quote"] for s in events[0]["sources"])


def test_a_town_far_from_the_one_province_its_event_names_is_a_namesake(finder):
    text = (
        "U.S. Embassy Condemns Attack on NATO Convoy in Kabul Province\n\n"
        "U.S. Embassy Kabul condemns the Thursday, August 3 attack on a NATO convoy in Kabul "
        "Province. This cowardly suicide attack, carried out while the team was on patrol in "
        "Qarabagh District, demonstrates the Taliban's contempt for human life."
    )
    (attack,) = extract_events(text, published="2017-08-03")
    assert (attack["location"], attack["geo_precision"]) == ("Kabul", 3)  # not Herat's Qarah Bagh
    embassy = "U.S. Embassy Kabul condemns the attack."
    assert finder.find(embassy, frozenset()) == []  # the embassy in Kabul speaks, not Baghdad's


def test_victims_killed_civil_unrest_and_a_disappointed_speaker(finder):
    killed = "Over 170 Malians, including women and children, were killed Saturday in Ogossagou."
    assert [t.sub_event_type for t in find_triggers(killed)] == ["Attack"]
    unrest = "Citizens lost their lives as a consequence of civil unrest in Kinshasa this week."
    assert [t.event_type for t in find_triggers(unrest)] == ["Riots"]
    speaker = "The United States is greatly disappointed by the failure to organize elections."
    assert finder.find(speaker, frozenset({"CD"})) == []  # who speaks, not where


def test_a_summary_of_attacks_dates_the_list_after_it():
    text = (
        "ISIS-K continued to destabilize Afghanistan this quarter with a series of high-profile "
        "attacks. These included a bombing at the Kabul airport."
    )
    (bombing,) = extract_events(text, published="2023-05-16")  # a quarterly report
    assert (str(bombing["event_date"]), bombing["time_precision"]) == ("2023-01-01", 3)


def test_what_a_handover_follows_is_another_handover_at_its_own_place():
    text = (
        "The Coalition transferred Qayyarah Airfield West to Iraqi Security Forces during a "
        "ceremony today. The transfer follows the handover of Al Qaim on March 17.\n\n"
        "Iraqi forces assumed control of K-1 Air Base on March 29."
    )
    events = {(e["location"], str(e["event_date"])) for e in extract_events(text, "2020-03-26")}
    assert ("Al Qaim", "2020-03-17") in events and ("K-1 Air Base", "2020-03-29") in events
    assert not any(day == "2020-03-17" and place != "Al Qaim" for place, day in events)


def test_every_item_after_the_governorates_of_is_a_governorate(finder):
    found = finder.find(
        "The strikes targeted AQAP militants in the Yemeni governorates of Abyan, Al Bayda and "
        "Shabwah.",
        frozenset({"YE"}),
    )
    assert [(m.place_text, m.kind) for m in found] == [
        ("Abyan", "region"), ("Al Bayda", "region"), ("Shabwah", "region"),
    ]  # fmt: skip


def test_a_strike_placed_by_the_sentence_after_and_its_day_in_another_time_zone():
    text = (
        "At the direction of the president, U.S. forces conducted a cruise missile strike against "
        "a Syrian Air Force airfield today at about 8:40 p.m. EDT (4:40 a.m., April 7, in Syria). "
        "The strike targeted Shayrat Airfield in Homs governorate."
    )
    (event,) = extract_events(text, "2017-04-06")
    assert (event["location"], str(event["event_date"])) == ("Shayrat Air Base", "2017-04-06")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Since this current phase began on December 9th, the SDF have liberated more than 500 "
         "square miles of Syrian land.", []),
        ("The SDF are continuing their advance, with coalition air power delivering strikes.", []),
        ("But Moscow's shelling of the city continues.", []),
        ("Shelling continues in Kherson, killing two on Tuesday.", [SHELLING]),
        ("Iraqi forces are conducting an assault on western Mosul today.", ["Armed clash"]),
        ("U.S. strikes have killed more than 150 al-Qaida terrorists since Jan. 1.", []),
        ("Statement on liberation of territory once held by ISIS", []),
        ("They were honored for liberating ISIS-held territory in Syria and Iraq.", []),
    ],
)  # fmt: skip
def test_areas_campaigns_and_tallies_since_a_day(sentence, expected):
    assert [t.sub_event_type for t in find_triggers(sentence)] == expected


def test_compass_words_in_two_forms_are_one_name():
    from eventmap.extract.evaluate import same_toponym

    assert same_toponym("northwest Syria", "northwestern Syria")
    assert not same_toponym("eastern Syria", "western Syria")


def test_a_strike_answering_an_attack_then_another_event_in_its_sentence():
    # The answered attack found for the strike must not stand in for the sentence's "in response
    # to" clause when the next trigger is read (it raised KeyError).
    text = (
        "Militants fired rockets at Al Asad Air Base on Monday.\n\n"
        "In response, U.S. forces conducted airstrikes in Iraq on Tuesday, and a drone was shot "
        "down near Erbil."
    )
    kinds = {e["sub_event_type"] for e in extract_events(text, "2021-03-10")}
    assert kinds == {
        "Shelling/artillery/missile attack",
        "Air/drone strike",
        "Disrupted weapons use",
    }


def test_a_caption_line_not_its_paragraph_and_a_guided_missile_destroyer():
    text = (
        "USS Mason Responds to Missile Threat Off Yemen's Coast\n\n"
        "The guided-missile destroyer USS Mason is replenished at sea, Aug. 3, 2016. Navy photo by "
        "Petty Officer Taylor A. Elber\n"
        "For the second time in four days, the guided missile destroyer USS Mason responded today "
        "to an incoming missile threat off the Red Sea coast of Yemen, Peter Cook said."
    )
    events = [e for e in extract_events(text, "2016-10-12") if e["confidence"] >= 0.5]
    assert [str(e["event_date"]) for e in events] == ["2016-10-12"]


def test_an_event_placed_in_its_country_takes_the_one_town_the_next_sentence_names():
    text = (
        "The purported emir of ISIS in Southeast Asia was killed October 16, along with several "
        "other militants in a firefight with the Armed Forces of the Philippines. We congratulate "
        "our Filipino partners for eliminating the leaders of the months-long siege of Marawi."
    )
    (event,) = extract_events(text, "2017-10-19")
    assert (event["location"], event["sub_event_type"]) == ("Marawi City", "Armed clash")


def test_a_month_or_year_at_the_start_of_a_sentence():
    anchor = parse_published("2022-12-11")
    (october,) = find_dates("In October, U.S. forces conducted a raid in Qamishli.", anchor)
    assert (str(october.start), str(october.end)) == ("2022-10-01", "2022-10-31")
    (caps,) = find_dates("NEWS | JAN. 6, 2022", anchor)  # a month in capitals, before a day
    assert str(caps.start) == "2022-01-06"
    assert find_dates("They may 2 be late.", anchor) == []  # the modal is no month
    (year,) = find_dates("In 2020, AFRICOM conducted 54 airstrikes.", anchor)
    assert (str(year.start), year.precision) == ("2020-01-01", 3)
    text = (
        "U.S. forces conducted a helicopter raid in northeast Syria on Dec. 11, 2022.\n\n"
        "In October, U.S. forces conducted a raid in Qamishli that killed a senior ISIS leader."
    )
    days = sorted(str(e["event_date"]) for e in extract_events(text, "2022-12-11"))
    assert days == ["2022-10-01", "2022-12-11"]  # two raids, not one


def test_names_in_accented_letters_other_names_of_countries_and_a_far_foreign_town(finder):
    found = finder.find("the people of Côte d’Ivoire and of Türkiye", frozenset())
    assert [m.name for m in found] == ["Ivory Coast", "Turkey"]
    assert [m.name for m in finder.find("fighting in the DRC", frozenset())] == [
        "Democratic Republic of the Congo"
    ]
    # a town of a country the text does not name, far from its countries, is no match
    assert finder.find("fighters in Nahr-e Saraj", frozenset({"AF"})) == []


def test_a_name_before_city_is_the_city_not_the_region_of_that_name(finder):
    (town,) = finder.find("a checkpoint north of Deir ez-Zor city", frozenset({"SY"}))
    assert (town.name, town.kind) == ("Deir ez-Zor", "city")
    (region,) = finder.find("a checkpoint in Deir ez-Zor province", frozenset({"SY"}))
    assert region.kind == "region"


def test_a_detail_sentence_takes_the_month_it_follows_never_a_day_of_it():
    # The paragraph's date is a whole month: the next sentence's event is in that month, not
    # on its first day, and "the following day" of a month is no day at all.
    text = (
        "In October, militants attacked a police post in Kirkuk. Gunmen also ambushed a convoy "
        "near Tikrit.\n\nThe following day, rockets struck Baghdad airport."
    )
    events = {e["location"][:3]: e for e in extract_events(text, "2021-12-20")}
    tikrit = events["Tik"]
    assert (str(tikrit["event_date"]), str(tikrit["date_end"])) == ("2021-10-01", "2021-10-31")
    assert tikrit["time_precision"] == 3
    assert str(events["Bag"]["event_date"]) != "2021-10-02"


def test_the_following_day_is_a_day_not_a_response():
    # "following" an attack marks an answer; "the following day" only moves the date on
    text = (
        "On May 3, militants attacked a checkpoint in Kirkuk.\n\n"
        "The following day, rockets struck Baghdad airport."
    )
    airport = [e for e in extract_events(text, "2021-05-20") if "Baghdad" in e["location"]]
    assert [(e["sub_event_type"], str(e["event_date"])) for e in airport] == [
        ("Shelling/artillery/missile attack", "2021-05-04")
    ]


def test_an_event_known_only_by_an_earlier_month_is_recalled_history():
    text = (
        "Russian rockets struck Kherson on Tuesday, killing five.\n\n"
        "Ukraine recaptured Kherson in November after eight months of Russian occupation."
    )
    confidence = {e["event_type"]: e["confidence"] for e in extract_events(text, "2023-02-21")}
    assert confidence["Explosions/Remote violence"] >= 0.5
    assert confidence["Battles"] < 0.5  # a month before the text's own: background
    (same_month,) = extract_events("Ukraine recaptured Kherson in February.", "2023-02-21")
    assert same_month["confidence"] >= 0.5
    (last_year,) = extract_events(
        "Iranian missiles struck Al Asad Air Base last year.", "2021-03-03"
    )
    assert last_year["confidence"] < 0.5


def test_a_stormed_hotel_its_car_bomb_and_what_the_claimant_says_it_was_are_one_attack():
    text = (
        "Militants stormed a hotel Friday evening in the coastal city of Kismayo.\n\n"
        "The attack began when an explosives-laden car detonated at the front entrance of the "
        "hotel. Militants then stormed inside and opened fire.\n\n"
        'A spokesman said, "It was a suicide attack," and that the fighting was continuing.'
    )
    events = [e for e in extract_events(text, "2019-07-12") if e["confidence"] >= 0.5]
    assert [(e["event_type"], e["location"], str(e["event_date"])) for e in events] == [
        ("Explosions/Remote violence", "Kismayo", "2019-07-12")
    ]
    assert len(events[0]["sources"]) == 4


def test_a_day_that_names_another_event_is_not_the_days_of_the_others():
    text = (
        "The February 16 attack prompted the United States to carry out airstrikes against a "
        "target in Syria."
    )
    (strikes,) = extract_events(text, "2021-03-03")
    assert strikes["sub_event_type"] == "Air/drone strike"
    assert str(strikes["event_date"]) != "2021-02-16"  # the attack's day, not the strikes'
    (attack,) = extract_events("The February 16 attack killed a contractor in Erbil.", "2021-03-03")
    assert str(attack["event_date"]) == "2021-02-16"


def test_an_attack_in_another_province_is_another_attack_and_a_headline_is_the_articles():
    text = (
        "Officials said Saturday a large group of insurgents assaulted several security "
        "outposts in Nahrin, triggering hours-long fierce clashes.\n\n"
        "The district chief told VOA the attack killed 26 in the pro-government forces.\n\n"
        "Attack in Kandahar province\n\n"  # a subhead, not the article's title
        "The Taliban also carried out an early morning attack against police posts in southern "
        "Kandahar province."
    )
    events = [e for e in extract_events(text, "2019-06-29") if e["confidence"] >= 0.5]
    places = sorted(e["location"] for e in events)
    assert places == ["Kandahar", "Nahrīn"]
    kandahar = next(e for e in events if e["location"] == "Kandahar")
    assert kandahar["geo_precision"] == 3 and len(kandahar["sources"]) == 2


def test_a_somalian_base_is_a_people_s_not_the_region_spelled_like_it(finder):
    text = "Militants attacked a Somalian army base near the Kenyan forces' base."
    assert "Somaliland" not in [m.name for m in finder.find(text, frozenset({"SO"}))]


def test_a_file_photo_and_a_caption_told_twice_are_captions_and_the_capital_of_x_is_x():
    text = (
        "Mortar Attack Hits Area Around Mogadishu Airport\n\n"
        "Somali police walk around the scene of an explosion near the airport in Mogadishu, "
        "Feb. 13, 2014.\n"
        "FILE - Somali police walk around the scene of an explosion near the airport in "
        "Mogadishu, Feb. 13, 2014.\n\n"
        "Troops ride in a vehicle near the embassy in Ouagadougou after an attack on it.\n"
        "Troops ride in a vehicle near the embassy in Ouagadougou after an attack on it.\n\n"
        "Militants attacked a police post in the capital of Ouagadougou on Sunday."
    )
    events = [e for e in extract_events(text, "2019-10-13") if e["confidence"] >= 0.5]
    assert [(e["location"], str(e["event_date"])) for e in events] == [
        ("Ouagadougou", "2019-10-13")
    ]


def test_a_province_spelled_with_w_for_v_is_that_province(finder):
    text = "Taliban fighters attacked a checkpoint in Wardak on Saturday."
    (wardak,) = finder.find(text, frozenset({"AF"}))
    assert (wardak.name, wardak.kind) == ("Vardak", "region")


def test_explosions_heard_where_a_suicide_bomber_struck_are_that_bombing():
    text = (
        "Smoke rises from an area where explosions and gunshots were heard, in Jalalabad city, "
        "Afghanistan, July 31, 2018.\n\n"
        "Officials said the assailants targeted the department for refugee affairs in "
        "Jalalabad. The attack began with a suicide bomber blowing himself up at the entrance."
    )
    events = [e for e in extract_events(text, "2018-07-31") if e["confidence"] >= 0.5]
    assert [e["sub_event_type"] for e in events] == ["Suicide bomb"]


def test_a_town_retaken_by_militants_is_theirs_and_a_suicide_car_bomb_a_suicide_bomb():
    text = (
        "Militant group al-Shabab attacked and recaptured a town in Somalia's Middle Shabelle "
        "region early Sunday morning, killing 22 Somali soldiers.\n\n"
        "Witnesses say the militants used a suicide car bomb in the assault."
    )
    types = {e["sub_event_type"] for e in extract_events(text, "2016-05-01")}
    assert "Non-state actor overtakes territory" in types
    assert "Government regains territory" not in types
    assert [t.sub_event_type for t in find_triggers("They used a suicide car bomb.")] == [
        "Suicide bomb"
    ]
    assert normalise_actor("al-Shabab") == "al-Shabaab"


def test_an_event_at_a_place_the_gazetteer_lacks_is_unsure_not_placed_in_its_country():
    def recaptured(town):
        text = f"Somali troops recaptured {town} in Somalia from al-Shabab on Aug. 6."
        return [e for e in extract_events(text, "2019-08-14") if e["event_type"] == "Battles"]

    (unknown,) = recaptured("Awdhegle")
    assert unknown["location"] == "Somalia" and unknown["confidence"] < 0.5  # for a reviewer
    (known,) = recaptured("Baidoa")
    assert known["location"] == "Baidoa" and known["confidence"] >= 0.5


def test_where_the_attack_occurred_places_the_bombing_just_told():
    text = (
        "Twelve soldiers were killed on Sunday following a powerful roadside explosion in the "
        "central state of Galmudug, officials said.\n\n"
        "The attack occurred near the village of El Dhere, 28 kilometers west of Dhusamareb "
        "town, during a security operation, officials said."
    )
    (bomb,) = [e for e in extract_events(text, "2021-02-07") if e["confidence"] >= 0.5]
    assert bomb["sub_event_type"] == "Remote explosive/landmine/IED"
    assert (bomb["location"], str(bomb["event_date"])) == ("Dhuusamarreeb", "2021-02-07")
    assert len(bomb["sources"]) == 2


def test_a_complex_attack_is_its_bombing_and_a_clash_told_with_a_weapon_is_no_longer_vague():
    complex_attack = (
        "Militants detonated a suicide car bomb at the base in Afgoye on Sunday.\n\n"
        "Gunmen then clashed with soldiers at the base in Afgoye on Sunday."
    )
    events = [e for e in extract_events(complex_attack, "2019-09-22") if e["confidence"] >= 0.5]
    assert [e["sub_event_type"] for e in events] == ["Suicide bomb"]
    two_days = (
        "Six Soldiers Killed in Al-Shabab Attacks\n\n"
        "Six soldiers were killed when al-Shabab attacked two bases before dawn Friday, sparking "
        "a deadly gun battle.\n\n"
        "Meanwhile, U.S. forces conducted an airstrike near Jilib on Thursday."
    )
    events = [e for e in extract_events(two_days, "2020-01-17") if e["confidence"] >= 0.5]
    assert sorted(e["event_type"] for e in events) == ["Battles", "Explosions/Remote violence"]


def test_a_day_before_attacks_dates_their_relative_clause_and_an_attack_on_a_far_town_is_another():
    text = (
        "The U.S. Embassy strongly condemns yesterday's deadly attacks in Kabul that killed at "
        "least 38 innocent Afghans.\n\n"
        "We condemn the heinous attack on the Kandahar Governor's Office that killed at least "
        "10 people."
    )
    events = {e["location"]: e for e in extract_events(text, "2017-01-11")}
    assert str(events["Kabul"]["event_date"]) == "2017-01-10"  # "yesterday's attacks ... that"
    assert "Kandahār" in events  # not the Kabul attack condemned again


def test_an_unknown_place_placed_by_its_paragraph_is_unsure_too():
    text = (
        "Militants attacked a checkpoint in Mogadishu on Sunday.\n\n"
        "Somali troops seized the Awdhegle base from al-Shabab on August 6."
    )
    seized = [e for e in extract_events(text, "2019-08-14") if "territory" in e["sub_event_type"]]
    assert [e["confidence"] < 0.5 for e in seized] == [True]  # not at Mogadishu for sure


def test_the_retaking_of_a_city_names_the_city_taken():
    # "of Mosul" after a word for taking a place is the place, as "the liberation of" is
    (event,) = extract_events(
        "The retaking of Mosul by Iraqi forces delivered a significant blow to ISIS.",
        "2017-07-13",
    )
    assert (event["sub_event_type"], event["location"]) == ("Government regains territory", "Mosul")


def test_blasts_heard_during_a_clash_are_that_clash():
    text = (
        "Four soldiers were killed in heavy clashes overnight between security forces and "
        "militants in Aden, an official said Tuesday. Residents reported the area was rocked by "
        "blasts as aircraft flew above."
    )
    (event,) = extract_events(text, "2016-02-09")
    assert (event["sub_event_type"], event["location"]) == ("Armed clash", "Aden")
    assert len(event["sources"]) == 2


def test_support_that_goes_on_or_is_yet_to_come_is_no_event():
    for sentence in (
        "The spokesman told reporters today that the coalition continues to provide support "
        "through strikes to Iraqi fighters in Fallujah.",
        "The ground offensive, supported by coalition air and artillery strikes, will clear "
        "remnants of ISIS from Hajin in Syria.",
    ):
        assert extract_events(sentence, "2018-09-11") == [], sentence
    (event,) = extract_events(
        "Syrian Democratic Forces initiated ground operations near Hajin, Syria, yesterday.",
        "2018-09-11",
    )
    assert (event["sub_event_type"], str(event["event_date"])) == ("Armed clash", "2018-09-10")


def test_a_town_the_gazetteer_lacks_is_where_the_article_placed_it_before():
    text = (
        "Car bombs hit the base in the town of Awdhegle, 70 kilometers south of Mogadishu, "
        "on Wednesday.\n\nSomali troops recaptured Awdhegle from al-Shabab on August 6."
    )
    events = {e["sub_event_type"]: e for e in extract_events(text, "2019-08-14")}
    taken = events["Government regains territory"]
    assert (taken["location"], taken["geo_precision"]) == ("Mogadishu", 2)
    assert taken["confidence"] >= 0.5
    # told nowhere else, it stays unsure at its country
    alone = "Somali troops recaptured Awdhegle in Somalia from al-Shabab on August 6."
    (event,) = extract_events(alone, "2019-08-14")
    assert event["location"] == "Somalia" and event["confidence"] < 0.5


def test_the_town_taken_is_the_town_of_the_attack_told_before():
    text = (
        "A suicide car bomb hit a base in the town of Buulobarde in Hiiraan region on Friday, "
        "killing ten soldiers.\n\nResidents say al-Shabab has taken control of the town and has "
        'hoisted its flag.\n\nThe African Union Mission in Somalia said this attack "shows their '
        'nature."'
    )
    events = {e["sub_event_type"]: e for e in extract_events(text, "2016-01-16")}
    taken = events["Non-state actor overtakes territory"]
    assert taken["location"] == events["Suicide bomb"]["location"] == "Buulobarde"
    assert taken["confidence"] >= 0.5  # "in Somalia" of a mission's name is no unknown place


def test_the_liberation_of_a_citys_part_is_the_citys_and_no_weapon_retypes_it():
    text = (
        "Iraq Announces Liberation of Eastern Mosul\n\n"
        "Iraqi officials announced the liberation of eastern Mosul today.\n\n"
        "The soldiers were learning how to search vehicles for improvised explosive devices."
    )
    kept = [e for e in extract_events(text, "2017-01-24") if e["confidence"] >= 0.5]
    assert [(e["sub_event_type"], e["location"]) for e in kept] == [
        ("Government regains territory", "Mosul")
    ]


def test_an_event_something_came_days_after_has_no_day_of_its_own():
    text = (
        "Saudi-led airstrikes hit Sanaa, Yemen, on Thursday. The airstrikes come days after the "
        "Houthis claimed responsibility for drone attacks against an oil pipeline in Saudi Arabia."
    )
    events = extract_events(text, "2019-05-16")
    pipeline = [e for e in events if e["location"] == "Saudi Arabia"]
    assert pipeline and all(e["confidence"] < 0.5 for e in pipeline)


def test_an_attack_named_as_a_time_is_the_attack_told_before():
    text = (
        "Militants detonated a suicide car bomb at a military base outside Beled Hawo on Monday. "
        "Soldiers fled the base following the heavy attack and crossed into Kenya."
    )
    (event,) = extract_events(text, "2017-09-11")
    assert event["sub_event_type"] == "Suicide bomb" and len(event["sources"]) == 2


def test_troops_described_by_where_they_serve_were_not_just_deployed():
    said = (
        "I have the honor of leading the Brave Rifles troopers deployed in support of Operation "
        "Inherent Resolve in Iraq."
    )
    assert extract_events(said, "2018-12-11") == []
    (event,) = extract_events("About 100 Marines deployed to the embassy in Baghdad on Tuesday.")
    assert event["sub_event_type"] == "Change to group/activity"


def test_a_part_of_a_country_told_first_with_no_day_is_the_strike_placed_and_dated_after():
    text = (
        "Medics say at least 26 people have died in an airstrike in northwestern Yemen.\n\n"
        "The airstrike Wednesday hit a hotel and neighboring market in Saada province."
    )
    (event,) = extract_events(text, "2017-11-02")
    assert str(event["event_date"]) == "2017-11-01" and event["fatalities"] == 26


def test_a_strike_that_only_illuminated_an_area_is_no_attack():
    digest = (
        "On July 26, coalition forces conducted strikes in Iraq:\n\n"
        "-- Near Mosul, a strike illuminated an area.\n\n"
        "-- Near Qaim, a strike destroyed an ISIS weapons cache."
    )
    places = {e["location"] for e in extract_events(digest, "2017-07-27")}
    assert places == {"Al Qaim"}


@pytest.mark.parametrize(
    "sentence",
    [
        "From Mosul to Raqqa, where 90 percent of the caliphate's claimed capital has been "
        "liberated, the coalition keeps up the pressure.",
        "In Syria, significant progress is being made in liberating Raqqa this week.",
    ],
)
def test_a_campaigns_progress_is_no_place_taken(sentence):
    assert [t.sub_event_type for t in find_triggers(sentence)] == []


def test_an_arrest_or_a_deployment_with_no_place_or_day_of_its_own_is_unsure():
    text = (
        "Rockets struck Camp Taji on Wednesday, killing two U.S. troops.\n\n"
        "Iraqi forces have made an initial arrest, he said. He said reinforcements have been "
        "sent to the base."
    )
    events = {e["sub_event_type"]: e for e in extract_events(text, "2020-03-14")}
    assert events["Arrests"]["confidence"] < 0.5
    unsure = [e for e in extract_events(text, "2020-03-14") if "reinforcements" in e["notes"]]
    assert unsure and all(e["confidence"] < 0.5 for e in unsure)
    # with a place of its own, it is one
    (arrest,) = [
        e
        for e in extract_events("Iraqi forces arrested three men in Baghdad.", "2020-03-14")
        if e["sub_event_type"] == "Arrests"
    ]
    assert arrest["confidence"] >= 0.5


def test_a_ships_name_and_its_flag_are_no_places():
    text = (
        "CENTCOM Statement of the attack on the M/V Maersk Gibraltar\n\n"
        "The M/V Maersk Gibraltar, a Hong Kong-flagged cargo vessel, was hailed by the Houthis. "
        "The M/V Maersk Gibraltar sailed on.\n\n"
        "A drone was shot down in self-defense on December 13."
    )
    places = {e["location"] for e in extract_events(text, "2023-12-14")}
    assert "Gibraltar" not in places and "Hong Kong" not in places


def test_retaking_land_at_a_time_when_is_a_campaign():
    sentence = "At a time when Iraqi forces are retaking land from Da'esh, the enemy is losing."
    assert find_triggers(sentence) == []


def test_a_reporters_yes_no_question_asks_whether_it_happened():
    transcript = (
        "Department of Defense Press Briefing\n\n"
        "Q: And did rockets hit Al Asad Air Base on Wednesday?\n\n"
        "MR. KIRBY: I have nothing on that.\n\n"
        "Q: Can you confirm that a drone strike hit a car near Kismayo, Somalia, on Tuesday?\n\n"
        "MR. KIRBY: I can confirm that we conducted a strike near Kismayo on Tuesday."
    )
    events = {e["location"]: e for e in extract_events(transcript, "2021-03-05")}
    assert events["Al Asad Air Base"]["confidence"] < 0.5  # asked, never answered
    assert events["Kismayo"]["confidence"] >= 0.5  # the answer reports it
    (told,) = extract_events(
        "Q: How many were killed in the drone strike near Kismayo, Somalia, on Monday?",
        "2021-03-05",
    )
    assert told["confidence"] >= 0.5  # a question that takes the strike as told


def test_a_clocks_day_after_pm_stays_in_its_sentence():
    text = "U.S. forces in Tanf were attacked by two rockets at 7:30 p.m. Oct. 24. No one was hurt."
    sentences = [s.text for s in split_sentences(load(text, "x"))]
    assert sentences[0].endswith("p.m. Oct. 24.")
    assert [s.text for s in split_sentences(load("It ended at 9 p.m. The troops left.", "x"))] == [
        "It ended at 9 p.m.",
        "The troops left.",
    ]


def test_a_base_that_housed_the_coalition_taken_over_on_its_day_is_a_handover():
    sentence = (
        "Iraqi Security Forces took over the Al Qaim base, which had housed Coalition troops, "
        "on March 17."
    )
    (event,) = extract_events(sentence, "2020-03-20")
    assert event["sub_event_type"] == "Non-violent transfer of territory"
    assert str(event["event_date"]) == "2020-03-17"  # the closed clause keeps no day


def test_a_day_with_no_year_weeks_after_publication_is_last_years():
    anchor = parse_published("2020-01-06")
    (span,) = find_dates("Iraqi forces liberated the campus on Jan. 14.", anchor)
    assert span.start == dt.date(2019, 1, 14)  # a reported event is past
    (span,) = find_dates("Rockets hit the base on Jan. 7.", anchor)
    assert span.start == dt.date(2020, 1, 7)  # a day after: a time zone, or a late filing


def test_an_ordinary_word_before_region_is_the_regions_name():
    (event,) = extract_events(
        "The U.S. military said it killed four militants in an airstrike in the Bay region of "
        "Somalia on Friday.",
        "2020-01-06",
    )
    assert (event["location"], event["geo_precision"]) == ("Bay", 3)


def test_the_city_of_a_sentence_before_is_most_of_mosul():
    text = (
        "Between April 1 and June 30, Iraqi forces defeated ISIS in most of Mosul, the northern "
        "Iraqi city. On July 10, Prime Minister al-Abadi declared the city liberated."
    )
    (event,) = extract_events(text, "2017-08-03")
    assert (event["location"], str(event["event_date"])) == ("Mosul", "2017-07-10")


def test_a_quarterly_reports_undated_events_are_of_its_quarter():
    report = (
        "Quarterly Report to the United States Congress | July 1, 2020 - September 30, 2020\n\n"
        "This report covers the period from July 1 to September 30, 2020.\n\n"
        "In Syria, U.S. troops deployed mechanized units to Syria to provide force protection.\n\n"
        "This included an attack, just after the quarter ended, on Kenya's Manda Bay Airfield."
    )
    events = {e["sub_event_type"]: e for e in extract_events(report, "2020-10-30")}
    moved = events["Change to group/activity"]
    assert (str(moved["event_date"]), str(moved["date_end"])) == ("2020-07-01", "2020-09-30")
    assert moved["confidence"] < 0.5  # a change over a quarter, no event of a day
    (attack,) = [e for e in events.values() if "Manda" in (e["location"] or "")]
    assert (str(attack["event_date"]), str(attack["date_end"])) == ("2020-10-01", "2020-10-30")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a suicide bomber who "functioned a PBIED" or "struck" set off a bomb
        (
            "On 24 May 2023, a suicide bomber functioned a person-borne IED (PBIED) at a security "
            "checkpoint in Bannu, Pakistan, killing two soldiers.",
            "Suicide bomb",
        ),
        ("A suicide bomber struck at a shrine's entrance in Damascus on Saturday.", "Suicide bomb"),
        # what a strike "also targeted" is that strike, no attack of its own
        (
            "The U.S. military's airstrike on an ISIL training camp early today near Sabratha, "
            "Libya -- a strike that also targeted a senior ISIL facilitator -- was conducted after "
            "surveillance, Cook said.",
            "Air/drone strike",
        ),
    ],
)
def test_one_event_of_one_type_in_a_sentence_with_two_event_words(sentence, expected):
    (event,) = extract_events(sentence, "2023-05-24")
    assert event["sub_event_type"] == expected


def test_a_strait_is_a_place_and_an_area_it_was_fired_from_is_an_origin():
    text = (
        "A ballistic missile was fired from a Houthi-controlled area of Yemen toward the "
        "international shipping lane north of the Bab al-Mandab on Dec. 14."
    )
    (event,) = extract_events(text, "2023-12-14")
    assert event["location"] == "Bab-el-Mandeb"


def test_a_quarterly_reports_month_is_no_history():
    report = (
        "Quarterly Report to the United States Congress | January 1, 2023 - March 31, 2023\n\n"
        "Iran-aligned militias escalated hostilities towards U.S. forces in Syria during the "
        "quarter, including unmanned aerial system (UAS) attacks in March that killed one U.S. "
        "contractor."
    )
    (event,) = extract_events(report, "2023-05-02")
    assert event["sub_event_type"] == "Air/drone strike"
    assert str(event["event_date"]) >= "2023-01-01" and str(event["date_end"]) == "2023-03-31"
    assert event["confidence"] >= 0.5  # a month of the quarter reported, not history


@pytest.mark.parametrize(
    "sentence",
    [
        "If police in these armored carriers run over a landmine in Mandera, will they survive?",
        "The vehicles protect officers from people waiting to ambush them near Garissa.",
    ],
)
def test_a_condition_or_a_wait_is_no_event(sentence):
    assert find_triggers(sentence) == []


def test_a_far_big_city_under_another_name_is_not_there():
    text = (
        "A suicide car bomb hit the Elite Hotel in Mogadishu, Somalia, on Sunday.\n\n"
        "Paramedics carry an injured person at Madina hospital after a blast at the Elite Hotel."
    )
    assert {e["location"] for e in extract_events(text, "2020-08-17")} == {"Mogadishu"}


def test_a_paragraphs_one_town_places_its_undated_strikes_over_its_country():
    text = (
        "First, in Syria, opposition forces, supported by coalition air power, are now in "
        "control of Jarabulus on the Turkey-Syria border. We did conduct additional coalition "
        "air strikes today in support of the effort."
    )
    events = {e["sub_event_type"]: e for e in extract_events(text, "2016-08-24")}
    assert events["Non-state actor overtakes territory"]["location"] == "Jarābulus"
    assert events["Air/drone strike"]["location"] == "Jarābulus"
