"""What happened: trigger words -> ACLED type and sub-type, actors, and casualty counts.

The lexicons are generic wire-news vocabulary. Filters keep out what is not a reported event:
hypotheticals ("might be struck"), threats, habitual or aggregated attacks ("a wave of mortar
attacks in recent weeks") and background clauses ("the gang that raided ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from .dates import DAY_OF_MONTH, WEEKDAY_NAME

EXPLOSIONS = "Explosions/Remote violence"
STRATEGIC = "Strategic developments"
CIVILIANS = "Violence against civilians"
_VICTIMS = (
    r"(?:(?:\w+ ){0,3}innocent (?:[A-Z]\w+s|people|men|women|children|lives)|"
    r"(?:\w+ ){0,2}(?:unarmed |innocent |local )?(?:civilians|villagers|aid workers|"
    r"humanitarian workers|worshippers|students|schoolgirls|school girls|farmers|displaced people|"
    r"residents|passengers|journalists)|(?:a |the )(?:village|market|mosque|church|school|"
    r"hospital|camp for displaced))"
)

# (pattern, event_type, sub_event_type, strength, violent). Order is priority within a type.
_LEXICON: list[tuple[str, str, str, float, bool]] = [
    (r"chemical (?:weapons? )?attacks?|sarin|chlorine (?:gas|attacks?|barrel bombs?)|"
     r"nerve agents?|mustard gas", EXPLOSIONS, "Chemical weapon", 0.8, True),
    (r"suicide (?:(?:car|truck|vehicle(?:-borne)?) )?"
     r"(?:bomb(?:er|ing)?s?|attack(?:er)?s?|blast|vest)|suicide vbieds?",
     EXPLOSIONS, "Suicide bomb", 0.8, True),
    (r"(?:roadside|car|truck) bombs?|ieds?|improvised explosive devices?|landmines?|land mines?|"
     r"explosive devices?|booby[- ]traps?|vbieds?|vehicle[- ]borne|"
     r"explosives?[- ](?:laden|packed|filled|rigged) (?:[\w-]+ )?(?:cars?|vehicles?|trucks?|vans?|"
     r"minibus(?:es)?|motorcycles?)", EXPLOSIONS, "Remote explosive/landmine/IED", 0.8, True),
    # A bombing with no suicide attacker or aircraft named: ACLED's remote explosive.
    (r"bombings?|bomb (?:attacks?|blasts?)|(?<!secondary )(?:blasts?|explosions?)(?! bombs?\b)|"
     r"bombs? (?:\w+ )?(?:exploded|detonated|went off|blew up)",
     EXPLOSIONS, "Remote explosive/landmine/IED", 0.7, True),
    # "unmanned aerial system (UAS) attacks", "UAV attacks", "one-way drone attacks"
    (r"air ?strikes?|airstrikes?|air raids?|drone strikes?|drone attacks?|air attacks?|"
     r"(?:uas|uav|unmanned aerial (?:vehicle|system)(?: \((?:uas|uav)\))?) attacks?|"
     r"warplanes?|aerial bombardment|bombing raids?|bombed",
     EXPLOSIONS, "Air/drone strike", 0.8, True),
    (r"hellfire missiles?|(?:dropped|released) (?:\w+ ){0,2}(?:bombs|munitions|ordnance)|"
     r"engaged (?:\w+ ){0,3}with (?:[\w-]+ ){0,3}(?:helicopters?|gunships?|aircraft|drones?)|"
     r"launched (?:[\w-]+ ){0,3}(?:drones?|uavs?|uass?|unmanned aerial (?:vehicles?|systems?))",
     EXPLOSIONS, "Air/drone strike", 0.8, True),
    # "Two drones carrying explosives targeted the garrison", "a kamikaze drone exploded"
    (r"(?:close )?air support|(?:aircraft|helicopters?|gunships?|drones?|jets|air assets|"
     r"unmanned aerial (?:vehicles?|systems?)|uavs?|uass?|one-way attack drones?|bombers|"
     r"loitering munitions?|mq-9s?|reapers?) "
     r"(?:[\w-]+ ){0,4}(?:engaged|fired (?:on|at|upon)|targeted|attacked|hit|struck|exploded|"
     r"detonated|impacted|crashed into)|"
     # "forces at Al Tanf Garrison were attacked by two drones"
     r"(?:attacked|targeted|struck|hit) by (?:[\w-]+ ){0,3}(?:drones?|uavs?|uass?|aircraft|"
     r"unmanned aerial (?:vehicles?|systems?))",
     EXPLOSIONS, "Air/drone strike", 0.7, True),
    (r"rockets?(?![- ]propelled)|missiles?|mortars?|mortar rounds?|shelling|shelled|artillery|"
     r"katyushas?|barrages?|"
     r"indirect[- ]fire|"
     r"bombardments?|bombarded|bombarding",
     EXPLOSIONS, "Shelling/artillery/missile attack", 0.75, True),
    (r"grenades?", EXPLOSIONS, "Grenade", 0.7, True),
    (r"strikes?|striking|struck", EXPLOSIONS, "Air/drone strike", 0.55, True),
    (r"raped|rapes?|sexual violence|sexually (?:assaulted|abused)",
     CIVILIANS, "Sexual violence", 0.75, True),
    (r"kidnap(?:ped|ping|pings|s)?|abduct(?:ed|ion|ions|ing|s)?|taken hostage|"
     r"took (?:\w+ )?hostage|hostage-taking",
     CIVILIANS, "Abduction/forced disappearance", 0.75, True),
    # "murdered": "terrorists murder the innocent" is said of them in general
    (r"massacred?|massacres|executed|beheaded|murdered|assassinat(?:ed|ion)|"
     rf"(?:killed|killing|shot|shooting|attack(?:ed|s)?|attacks? (?:on|against)) {_VICTIMS}",
     CIVILIANS, "Attack", 0.7, True),
    # the victims first: "over 170 Malians, including women and children, were killed"
    (r"(?:civilians|villagers|children|residents|worshippers|pilgrims|passengers|students|"
     r"farmers),? (?:were|have been|had been) (?:\w+ )?(?:killed|massacred|slaughtered)",
     CIVILIANS, "Attack", 0.6, True),
    (r"(?:fired|opened fire|shot) (?:on|at|into) (?:the )?(?:protesters|demonstrators|crowds?)|"
     r"(?:killed|shot) (?:\w+ )?(?:protesters|demonstrators)",
     "Protests", "Excessive force against protesters", 0.75, True),
    (r"(?:police|security forces|troops) (?:\w+ )?(?:dispersed|broke up)|tear gas|"
     r"dispersed (?:the )?(?:protesters|demonstrators|crowds?|protest)",
     "Protests", "Protest with intervention", 0.7, False),
    (r"lynch(?:ed|ing)?|(?:a |the )?mob (?:attacked|beat|killed|lynched|burned)",
     "Riots", "Mob violence", 0.75, True),
    (r"(?:attempted to |tried to )?storm(?:ed|ing)? (?:the |an? )?(?:[\w.’'-]+ ){0,3}"
     r"(?:embassy|compound|consulate|parliament|building|offices?|gates?)|"
     r"breach(?:ed)? (?:the |an? )?(?:[\w.’'-]+ ){0,2}(?:embassy|compound|gates?)",
     "Riots", "Violent demonstration", 0.8, True),
    (r"violent protests?|violent demonstrations?|riots?|rioters|rioting|mobs?|torched|set fire to|"
     r"civil unrest",
     "Riots", "Violent demonstration", 0.7, True),
    # "demonstrated" is a protest only with the crowd that did it: "As demonstrated at the
    # Brussels Conference" shows something.
    (r"protest(?:ed|ers|s)?|demonstrat(?:ion|ions|ors)|rall(?:y|ies|ied)|marched|sit-in|"
     r"(?:protesters|crowds?|residents|students|supporters|workers|hundreds|thousands|dozens)"
     r" (?:\w+ )?demonstrated",
     "Protests", "Peaceful protest", 0.6, False),
    # Direct fire with the shelling ("came under mortar and small-arms fire"): a battle, as
    # ACLED codes an attack that mixes remote and direct fire.
    (r"small[- ]arms(?: fire)?|machine[- ]gun fire|gunfire|rocket[- ]propelled grenades?|rpgs?|"
     r"c(?:a|o)me under (?:heavy |enemy |direct |hostile )?fire",
     "Battles", "Armed clash", 0.78, True),
    # "three U.S. servicemembers ... were killed; two ... were injured while conducting an advise
    # and assist mission": troops hit on a mission, by fire the text does not name
    (r"(?:killed|wounded|injured)\b[^.?!]{0,80}?\bwhile (?:conducting|on|supporting) (?:an? |the )?"
     r"(?:[\w-]+ ){0,4}(?:mission|patrol|operation)",
     "Battles", "Armed clash", 0.6, True),
    # "was killed yesterday during an operation against al-Shabaab near Barii"
    (r"(?:killed|wounded|died)\s+(?:\w+\s+){0,2}(?:during|in)\s+(?:an?|the)\s+(?:[\w-]+\s+)?"
     r"(?:operation|raid|mission|patrol)s?\s+against",
     "Battles", "Armed clash", 0.7, True),
    (r"clash(?:ed|es)?|firefights?|gunfights?|gun battles?|exchanged fire|ambush(?:ed)?|"
     r"raids?|raided|"
     r"killed in action|fierce fighting|heavy fighting|assault on|offensive against|"
     r"(?:combat|partnered|clearing|ground) operations? against|"
     r"(?:began|begun|begin|begins|initiated|launched|started)\s+(?:\w+\s+)?"
     r"(?:combat|ground|offensive) operations",
     "Battles", "Armed clash", 0.7, True),
    # An attack on troops or a base, weapon not given: an armed clash, as ACLED codes it.
    (r"c(?:a|o)me under attack|"
     r"(?:attacked|attack (?:on|against)) (?:[\w.’'-]+ ){0,4}(?:forces|troops|soldiers|bases?|"
     r"convoys?|patrols?|checkpoints?|personnel|positions?|outposts?|camps?|peacekeepers|"
     r"military|police|policemen|police officers|cadets|recruits|guards|embass(?:y|ies)|"
     r"consulates?|air ?bases?|airfields?|garrisons?|installations?)",
     "Battles", "Armed clash", 0.55, True),
    # "recapturing territory" is a campaign, not an event at a place
    # "to retake the lost territory" is an aim, not an event
    (r"(?<!\bto )(?:recaptur(?:ed|es?|ing)|retook|retak(?:e|es|en|ing)|regain(?:ed|s|ing)? control|"
     r"took back|wrest(?:ed)? control)"
     r"(?! (?:of )?(?:(?:the|lost|its|their|some|more|much|of) ){0,3}"
     r"(?:territory|ground|areas|lands?)\b)",
     "Battles", "Government regains territory", 0.7, True),
    # Weaker: "liberated" is often said of a campaign long past; an undated one stays unsure.
    (r"liberat(?:ed|ing)(?!\s+(?:[\w-]+\s+){0,2}(?:territory|ground|areas|lands?)\b)|"
     r"(?:cleared|drove|pushed) (?:\w+ ){0,3}(?:out of|from)|"
     r"liberation of (?=(?:(?:north|south|east|west|central)\w*\s+)?(?-i:[A-Z]))|"
     r"(?<!election )victory (?:\w+ ){0,2}in (?=(?-i:[A-Z]))|"
     r"cleared (?:the |a )?(?:\w+ ){0,2}of (?:\w+ ){0,2}(?:fighters|militants|insurgents|ISIS)",
     "Battles", "Government regains territory", 0.4, True),
    # Taken by the state's forces, the same words are "Government regains territory" (core).
    (r"overran|(?:seized|took|taken|gained) (?:full )?control of|"
     r"(?:is|are|was|were) now in (?:full )?control of|took over (?:the )?(?:Camp|FOB)\b|"
     r"(?:captured|seized|took over) (?:the )?"
     r"(?:[\w-]+ ){0,2}(?:town|city|village|district|airport|airfield|base|bridge|dam|"
     r"neighbou?rhood|district (?:center|centre|headquarters))",
     "Battles", "Non-state actor overtakes territory", 0.7, True),
    # Territory, a base or a site: not equipment, detainees or money handed over.
    # "handing it over to the Iraqi Army", "returned the Besmaya base to the Iraqi government",
    # "the transition of Kirkuk Air Base to Iraqi forces"
    (r"(?:hand(?:ed|s|ing)? (?:it |them |the (?:base|site|facility|compound|airfield|camp) )?over|"
     r"handover|transferr?(?:ed|ing)?|transfers?|"
     r"turned (?:it |them )?over|"
     r"assum(?:ed|es|ing) (?:full )?(?:control|responsibility) (?:of|for)|"
     r"returned (?:the |its |their )?(?:[\w'’-]+ ){0,4}(?:base|air ?base|airfield|camp|site|"
     r"facility|compound|installation)s? to|"
     r"transition of (?:the )?(?:[\w'’-]+ ){0,4}(?:base|air ?base|airfield|camp|site|facility|"
     r"compound|installation)s? to)"
     r"(?!(?:\s+(?:the\s+)?(?:[\w$.,]+\s+){0,5}?)(?:worth of\s+)?(?:equipment|materiel|material|"
     r"weapons|vehicles|supplies|detainees|prisoners|funds|custody|aircraft|loads)\b)",
     STRATEGIC, "Non-violent transfer of territory", 0.65, False),
    (r"(?:established|set up|opened) (?:a |an )?(?:new )?(?:military )?"
     r"(?:base|outpost|headquarters)",
     STRATEGIC, "Headquarters or base established", 0.6, False),
    (r"arrest(?:ed|s)?|detained|(?:the )?detention of|apprehended|took (?:\w+ )?into custody|"
     r"captured (?:\w+ ){0,3}(?:operatives?|fighters?|members?|leaders?|officials?|suspects?)|"
     r"(?:the )?capture of", STRATEGIC, "Arrests", 0.6, False),
    (r"looted|looting|ransacked|plundered|(?:destroyed|burned|torched) (?:\w+ )?(?:homes|houses|"
     r"shops|property|crops)", STRATEGIC, "Looting/property destruction", 0.6, False),
    (r"ceasefire|cease-fire|truce|signed an? (?:agreement|deal|accord)|peace (?:deal|agreement)",
     STRATEGIC, "Agreement", 0.6, False),
    (r"intercepted|shot down|seized (?:a |an )?(?:\w+ ){0,2}(?:weapons|arms|shipment|cache)",
     STRATEGIC, "Disrupted weapons use", 0.6, False),
    (r"deploy(?:ed|ing|ment|ments|s)?|redeploy\w*|sent in|dispatched|reinforcements|"
     r"reinforced? (?:\w+ ){0,2}(?:troops|forces|positions|bases?|embassy|garrison|defen[cs]es)|"
     r"repositioned|repositioning|head(?:ed|ing) for|arrived in|"
     r"withdr[ae]w\w*|pull(?:ed|ing|s)? (?:out|back|some|all|its|their)|draw(?:ing)? down|drawdown|"
     r"depart(?:ed|ing|ure|s)?|vacat(?:ed|es|ing)|"
     # "U.S. troops left Bagram Airfield": a base left, not "left three dead"
     r"left (?:the |its |their )?(?:[\w'’-]+ ){0,3}(?:base|air ?base|airfield|camp)\b|"
     r"consolidat\w* (?:its |their )?forces|return(?:ed|ing)? home|"
     r"halt(?:ed|s|ing)? (?:all |its |their )?(?:training|operations|activities|patrols)|"
     r"paused?|suspend(?:ed|s|ing)?|suspension|(?:placed|put) on hold",
     STRATEGIC, "Change to group/activity", 0.6, False),
    (r"training exercises?|live-fire|military exercises?|war games|military drills?",
     STRATEGIC, "Other", 0.55, False),
    (r"voted|a vote by|(?:parliament|parliamentary) vote|leaked", STRATEGIC, "Other", 0.5, False),
    # "the terrorist attacks in Palma": an attack at a named place, weapon not given
    (r"attacks? (?:by (?:[\w'’-]+ ){1,3})?(?:in|on|at) (?:the (?:town|city|village) of |the )?"
     r"(?!(?:mon|tues|wednes|thurs|fri|"
     r"satur|sun)day|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)(?-i:[A-Z])[a-z]+",
     "Battles", "Armed clash", 0.5, True),
    (r"attack(?:ed|s)?|assault(?:ed)?|targeted|"
     # "Militants stormed a hotel": an armed attack on whatever they stormed
     r"(?:gunmen|militants|fighters|attackers|insurgents|assailants|terrorists) (?:then )?"
     r"stormed", "Battles", "Armed clash", 0.3, True),
]  # fmt: skip
_COMPILED = [(re.compile(rf"\b(?:{p})\b", re.I), t, s, w, v) for p, t, s, w, v in _LEXICON]
ANY_TRIGGER = re.compile("|".join(rf"(?:\b(?:{p})\b)" for p, *_ in _LEXICON), re.I)
_NOT_EVENT_AFTER = re.compile(
    r"^(?:[ -]?(?:helicopters?|submarines?|aircraft|dogs?|surface|plans?|capabilit\w*|"
    r"launchers?|defen[cs]es?|systems?|tests?|destroyers?|cruisers?|frigates?|boats?|ships?)\b|"
    r"(?:[ -]force|[ -]range)|"
    # a strike digest's "a strike illuminated an area": light, no attack
    r"\s+(?:\w+\s+)?illuminat\w*\b|"
    # an attacker sent to the attack: "Da'esh dispatched a teenage boy to attack"
    r"\s+(?:an?|the|one|two)\s+(?:[\w-]+\s+)?(?:boy|girl|man|woman|child|teenager|bomber|"
    r"attacker|gunman|militant)s?\s+to\s+(?:attack|kill|bomb|blow|target)\b|"
    # an area's tally: "liberated more than 500 square miles of Syrian land"
    r"\s+(?:(?:more than|over|about|nearly|some|roughly|almost)\s+)?[\d,.]+\s+(?:square|sq)\b|"
    # a figure of speech: "an assault on the right of all diplomats", "an attack on democracy"
    r"\s+(?:(?:on|against|upon)\s+)?(?:the\s+|our\s+)?(?:(?:very|basic|universal|fundamental)\s+)?"
    r"(?:rights?|principles?|values|"
    r"freedoms?|democracy|humanity|dignity|rule of law|sovereignty|ideals?|spirit)\b)",
    re.I,
)
_MODAL = re.compile(
    r"\b(?:would|could|might|(?-i:may)|should|cannot|can't|can’t|if|unless|threat\w* (?:of|to)|"
    r"vow\w*|warn\w*|no|not|never|"
    r"any|plans? to|planning|potential|possible(?! terms)|deter\w*|prevent|avoid|against further|"
    r"capacity to|decision to|ready to|prepared to|able to|capable of|prevented|plot\w*|"
    r"methods of|anniversary of|commemorat\w*|such(?! as))\b",
    re.I,
)
# "Further attacks may occur": a modal after the event word ("may have killed" is a report).
# ("on May 28" is a month: the modal is lower case.)
_MODAL_AFTER = re.compile(
    r"^\s+(?:\w+\s+){0,2}?(?:(?:(?-i:may)|might|could|would|can)\b(?!\s+have\b)|"
    # a forecast: "demonstrations throughout Bamako are possible on July 13" (not "Today's
    # transfer is possible thanks to ...")
    r"(?:is|are) (?:possible|likely|expected|anticipated|planned)(?:\s+(?:on|in|at|throughout|"
    r"across|tomorrow|this|next|later|during)\b|\s*[.;]|$))",
    re.I,
)
# Troops described by where they serve: "leading the Brave Rifles troopers deployed in support
# of Operation Inherent Resolve", "the 5,000 U.S. troops deployed in Iraq".
_FORCES_OBJECT = re.compile(
    r"\b(?:the|our|their|its|all|those|these|of|leading|commanding|with)\s+(?:[\w.,'’-]+\s+){0,4}"
    r"(?:troops|troopers|soldiers|forces|personnel|Marines|sailors|airmen|service members)\s+$"
)
# A campaign's progress, not a place taken: "where 90 percent of the caliphate's claimed
# capital has been liberated", "significant progress is being made in liberating ...".
_PROGRESS = re.compile(r"(?:\b\d+\s*(?:percent|per cent|%)\s+of\b|\bprogress\b)[^.;]{0,60}$", re.I)
# A sentence opening on a condition: its first clause tells none ("“If they are police in
# one of these armored personnel carriers and run over landmine ...")
_IF_OPENS = re.compile(r"^\W*(?:if|unless|in case)\b[^,;:]*$", re.I)
# Support for what is yet to come: "The ground offensive, supported by coalition ... strikes,
# will clear remnants of ISIS".
_IN_SUPPORT = re.compile(r"\b(?:supported|backed|aided|assisted|enabled|covered) by\b", re.I)
_THEN_FUTURE = re.compile(
    r"[^,;.]{0,40},\s+(?:will|shall|is to|are to|(?:is|are) (?:expected|set|due) to)\b", re.I
)
# A list of kinds, not of events: "plot kidnappings, bombings, and other attacks", "Methods of
# attack include ... car bombs, suicide bombers, and mortar fire", "due to crime, terrorism, ...".
_ITEM = r"[\w'’-]+(?:\s+[\w'’-]+){0,2}"
_KINDS_LIST = re.compile(
    rf"\b(?:(?:include[sd]?|including|such as|limited to|due to)\b[,:]?\s+(?:{_ITEM},\s+){{2,}}"
    rf"(?:and|or)\s+{_ITEM}|(?:{_ITEM},\s+){{1,}}(?:and|or)\s+other\s+{_ITEM})",
    re.I,
)
# A protest with damage or violence is a violent demonstration ("protests ... which included
# property damage and violence against some individuals").
_SUICIDE_ATTACKERS = re.compile(r"suicide (?:bomber|attacker)s?", re.I)


def _attackers_only(sentence: str, word: str) -> bool:
    """ "suicide bombers" in a sentence where nothing exploded: the attackers, not a bombing."""
    return bool(_SUICIDE_ATTACKERS.fullmatch(word)) and not _DETONATED.search(sentence)


_DETONATED = re.compile(
    r"\b(?:blew|blow(?:ing|s)?\s+(?:him|her|them)sel(?:f|ves)\s+up|detonat\w*|explod\w*|"
    r"explosi\w*|blasts?|vests?|functioned|person-borne|(?:P|SV|V)?BIEDs?|struck)\b",
    re.I,
)
_PROTEST_AND = re.compile(r"\b(?:protests?|demonstrations?|riots?) and\s+$", re.I)
_UNPEACEFUL = re.compile(
    r"\b(?:(?:protests?|demonstrations?) and (?:small arms |gun)fire|"
    r"clash(?:es|ed)? with (?:the )?(?:police|security forces)|"
    r"property damage|damag(?:ed|ing) (?:property|buildings|vehicles|offices)|vandali[sz]\w*|"
    r"turned violent|(?<!against )(?<!against the )violence against|threw (?:stones|rocks|"
    r"petrol bombs|molotov)|set (?:fire|ablaze)|burn(?:ed|ing|t) (?:tires|tyres|cars|vehicles|"
    r"buildings|offices))\b",
    re.I,
)
# The sub-event types of a place changing hands by force.
TERRITORY = ("Government regains territory", "Non-state actor overtakes territory")
_AIRCRAFT = re.compile(
    r"\b(?:aircraft|warplanes|jets|fighters? jets?|bombers?|remotely piloted)\b", re.I
)
_DRONE = re.compile(r"\b(?:drones?|uavs?|uass?|unmanned aerial)\b", re.I)
# What a weapon is, not what it did: "The Katyusha rocket was developed by Soviet forces";
# "It is generally a truck-mounted, highly mobile rocket artillery system."
_DESCRIPTION = re.compile(
    r"^\W*(?:The|It|This|These|They|Such)\b[^,;]{0,40}?\b(?:is|are|was|were)\s+(?:(?:generally|"
    r"typically|usually|often|commonly|mainly|primarily)\s+(?:an?|the|used)\b|(?:first\s+)?"
    r"(?:developed|designed|invented|manufactured|introduced|fielded)\s+(?:by|in|for|during)\b)",
    re.I,
)
# What goes on, with no day: "the SDF are continuing their advance ..., coalition air power
# delivering counter-ISIL strikes to Raqqah's north and west".
_ONGOING = re.compile(
    r"\b(?:is|are)\s+(?:still\s+)?(?:continuing|conducting|delivering|carrying out|providing|"
    r"waging|pressing)\b|"
    # "But Moscow's shelling of the city continues.": a state of things, no one event
    r"\b(?:continues|continue|persists|persist|goes on|go on)(?:\s+(?:unabated|daily))?"
    r"\s*[.!]?[\"”’']?\s*$",
    re.I,
)
_SOME_DAY = re.compile(
    r"\b(?:today|tonight|yesterday|last night|overnight|this (?:morning|afternoon|evening)|"
    rf"{WEEKDAY_NAME})\b|" + DAY_OF_MONTH.pattern,
    re.I,
)
# A warning, not a report: "Terrorist attacks ... can take place anywhere in Somalia".
_CAN_HAPPEN = re.compile(
    r"\b(?:can|could|may|might)\s+(?:\w+\s+)?(?:take place|occur|happen)\b|"
    # what such events are like: "These demonstrations sometimes turn violent resulting in ..."
    r"\b(?:sometimes|often|usually|typically|occasionally|frequently)\s+(?:turn|become|result|"
    r"lead|involve|include|escalate)",
    re.I,
)
_AND_CLAUSE = re.compile(r",\s+and\s+(?=(?:an?|the|two|three|\d+)\s|[a-z]+\s+(?:were|was)\b)")
# "The transfer follows the handover of Al Qaim on March 17": what follows tells another,
# earlier event.
FOLLOWS = re.compile(
    r"\s(?:follows|followed(?!\s+by\b)|comes after|came after|comes on the heels of|"
    r"comes? (?:just |only )?(?:(?:a|one|two|three|four|five|several|a few) )?"
    r"(?:days?|hours?|weeks?) after)\s",
    re.I,
)
# Clauses that report another event in the same sentence.
COORDINATE = re.compile(r",\s+(?:while|whereas|as well as)\s+|;\s+")
_KINDS_CUE = re.compile(r"\b(?:other|include[sd]?|including|such as|limited to|due to)\b", re.I)
# Advice to readers ("• Avoid large crowds, gatherings and demonstrations."), not a report.
_ADVICE = re.compile(
    r"^\W*(?:avoid|review|monitor|stay|be aware|notify|keep|do not|don['’]t|exercise|consider|"
    r"carry|follow|remain vigilant)\b",
    re.I,
)
_FUTURE_OK = re.compile(
    r"\b(?:will|expected to|slated to|set to|plans? to|about to|prepared to)\b", re.I
)
_AGGREGATE = re.compile(
    r"\b(?:some|many|series of|spate of|string of|wave of|repeated|multiple|dozens of|"
    r"hundreds of|numerous|"
    r"often|frequently|increase in|increasing|a dozen|several|\d+|two|three|four|five|six|seven|"
    r"eight|nine|ten|eleven|twelve|"
    r"more than a dozen)\b",
    re.I,
)
_STRONG_AGGREGATE = re.compile(
    r"\b(?:series of|spate of|string of|wave of|repeated|multiple|dozens of|hundreds of|numerous|"
    r"often|frequently|increase in|a dozen|continued|continuing|ongoing|sustained|persistent|"
    r"(?:frequency|number|lethality|pace|tempo|rate|level|scale) of)\b",
    re.I,
)
_AGGREGATE_SPAN = re.compile(
    r"\bover the (?:last|past) (?:\w+[- ])?(?:days|weeks|months|years|year|month)\b|"
    rf"\bsince (?:\d{{4}}\b|{DAY_OF_MONTH.pattern})|"
    r"\b(?:that|which) (?:began|started) (?:on|in)\b",
    re.I,
)
# A period's tally ("During the month of July, forces ... detained 9"): no one event.
_TOTALS = re.compile(
    r"\bduring the (?:month|week|year|course) of\b|\ba total of\b|\bin total\b|"
    r"\bthe total (?:number )?of\b",
    re.I,
)
# Intent, policy and purpose, not a reported event: "will continue to work ... to transfer",
# "remain ready to respond", "committed to supporting ... the liberation of Mosul".
_INTENT = re.compile(
    r"\b(?:will|shall|must) (?:continue|remain|work|seek|strive|not)\b|\bcontinue to\b|"
    r"\bremains? (?:ready|prepared|committed|determined)\b|\bcommitted to\b|"
    # what is looked for: "how to search personnel and vehicles for improvised explosive devices"
    r"\b(?:search|searching|searched|look|looking|scan|scanning|screen|screening|sweep|"
    r"sweeping|check|checking)\s+(?:[\w-]+\s+){0,3}for\s+$|"
    # what goes on: "the coalition continues to provide support through strikes"
    r"\bcontinues\s+to\s+(?:provide|conduct|carry out|support|deliver|wage)\b|"
    r"\bcommitment to\b|\bintends? to\b|\bseeks? to\b|\baims? to\b|\bdesigned to\b|"
    r"\bin order to\b|\befforts? to\b|\bability to\b|\bresolve to\b|\bright munition to\b|"
    r"\bcall(?:s|ed|ing)? for\b|"
    # the event word itself is what a group could or would do: "its capability to strike
    # multiple targets", "aspires to strike the U.S. homeland"
    r"\b(?:capabilit(?:y|ies)|capacity|(?:aspir|hop|want|wish)(?:e|es|ed|ing|s)?|waiting|"
    r"preparing) to\s+$",
    re.I,
)
# A count is a tally when the sentence gives a period ("35 strikes this year", "have conducted
# 12 strikes"), and one event when it does not ("conducted two airstrikes against the attackers").
# A count after the event word ("handed over eight bases", "conducted 12 strikes"): with a
# period after it ("this year", "since January"), a total, not one event.
_COUNTED_AFTER = re.compile(
    r"\s+(?:\w+\s+)?(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens of|"
    r"several|more than \w+)\s+(?:[\w-]+\s+)?(?:bases|facilities|sites|locations|installations|"
    r"strikes|airstrikes|attacks|raids|operations|shipments|drones|missiles|rockets)\b",
    re.I,
)
_HISTORY = re.compile(r"\b(?:a|its|their|his|the) (?:long |bloody )?history of\b", re.I)
# A weapon as a thing, not its firing: "three mortar systems", "10 mortar teams", "a rocket
# launcher", "artillery pieces" (what strikes destroyed, what was found).
_WEAPON_THING = re.compile(
    r"(?:\s+|-)(?:systems?|teams?|launchers?|launch sites?|positions?|caches?|pieces?|tubes?|"
    r"crews?|factor(?:y|ies)|storage|depots?|emplacements?)\b",
    re.I,
)
# A condition, not an event: "daily bombardment", "constant shelling", "near-daily attacks".
_HABITUAL = re.compile(
    r"\b(?:daily|nightly|near-daily|almost daily|constant|relentless|incessant|routine|"
    r"frequent|regular|sporadic)\s+$",
    re.I,
)
# A right, not an act: "their constitutional right of peaceful demonstration".
_A_RIGHT = re.compile(
    r"\b(?:the|a|their|his|her|our|its) (?:\w+ )?(?:right|freedom)s? (?:of|to)\s+(?:\w+\s+)?$",
    re.I,
)
_GENERAL = re.compile(r"\s+(?:are|remain)\s+(?!being\b)", re.I)
_PERIOD = re.compile(
    r"\b(?:(?:this|last|past|that|the) (?:year|month|week|quarter|reporting period)|so far|"
    r"to date|since|in \d{4}|"
    r"ha(?:ve|s|d) (?:\w+ )?(?:conducted|carried out|launched|struck|hit|fired)|each|per|"
    r"a (?:day|week|month)|daily|weekly|monthly|total|in all|during|throughout|between|previous|"
    r"prior)\b",
    re.I,
)
_DEFINITE = re.compile(
    r"\b(?:the|this|these|those|that|such|similar|their|its)\s+(?:[\w.’'-]+\s+){0,2}$", re.I
)
# A weapon found is no attack: "Authorities found multiple PBIEDs, a handgun, a grenade".
_FOUND = re.compile(
    r"\b(?:found|recovered|seized|discovered|confiscated|cache of|caches of|possession of|"
    r"defused|dismantled|remov(?:e|ed|es|ing)|(?:clear|disarm)(?:ed|ing|s)? (?=(?:\w+ ){0,2}"
    r"(?:explosive|IEDs?|mines|bombs)))\b(?!.*\b(?:exploded|detonated|went off)\b)",
    re.I,
)
_VICTIM_OF = re.compile(
    r"\b(?:attack\w*|target\w*|kill\w*|shoot\w*|shot|against|arrest\w*|detain\w*|bomb\w*|"
    r"blasts?|explosions?)\s+(?:[\w-]+\s+){0,3}$",
    re.I,
)
_PLANNED = re.compile(r"\b(?:will|shall|to|plans? to|planning to|scheduled to)\s+$", re.I)
AIR_STRIKE = "Air/drone strike"
# Words that make one event the answer to another ("strikes in response to the attack").
ANSWER_WORDS = (
    r"in response(?: to)?|in retaliation(?: for)?|responded|responding|retaliat\w*|"
    r"(?:a|an|the|direct|swift|proportionate|measured) response to"
)
# "captured 40 Taliban members during recent raids": a tally of a series, no one event
_RECENT_SERIES = re.compile(
    r"\b(?:during|in|over|amid|through) (?:the )?(?:recent|past several|last several) "
    r"(?:\w+ )?(?:raids|operations|attacks|strikes|airstrikes|clashes|weeks|days|months)\b",
    re.I,
)
# What a group does anywhere, with no day: "al-Qaida has murdered Americans; radicalizes and
# recruits ... and attempts to conduct and inspire attacks ... around the world"
_WORLDWIDE = re.compile(
    r"\b(?:around the world|throughout the world|worldwide|over the years|for (?:years|decades))\b",
    re.I,
)
# Weapons that strikes destroyed are targets, not attacks with them
_WEAPON_SUB_TYPES = frozenset(
    {
        "Remote explosive/landmine/IED",
        "Shelling/artillery/missile attack",
        "Grenade",
        "Suicide bomb",
    }
)
_DESTROYED = re.compile(r"\b(?:destroyed|damaged|neutrali[sz]ed)\b", re.I)
# A news story's credits: "Kathleen Struck was the editor." names no strike
_CREDITS = re.compile(
    r"\b(?:was|were) the editors?\b|\breported (?:this|the) (?:story|report)\b|"
    r"\badapted (?:his|her|their|this|the) (?:story|report)\b|"
    r"\bcontributed (?:to )?(?:this|the) (?:story|report)\b",
    re.I,
)
# Air power named as the support of a ground action
_SUPPORTED_BY = re.compile(
    r"\b(?:(?:supported|backed|aided|assisted|helped|covered) by|with (?:the )?(?:help|support|"
    r"backing|cover) of)\s+(?:[\w.’'-]+\s+){0,3}$",
    re.I,
)
# A ground-launched weapon named right before "strike" ("a missile strike"): no aircraft's.
_GROUND_WEAPON_BEFORE = re.compile(
    r"\b(?:missile|rocket|artillery|mortar|shell|grad|himars|ballistic)s?[\s-]$|"
    # "a suicide bomber struck at the entrance", "a car bomb struck the convoy": theirs
    r"\b(?:suicide bombers?|bombs?|attackers?|gunmen|IEDs?|VBIEDs?)\s+(?:\w+\s+)?$",
    re.I,
)
# "after"/"following" an event, not "the following day" or "after dark"
_RESPONSE = re.compile(
    rf"\b(?:{ANSWER_WORDS}|after|following)\b"
    r"(?!\s+(?:day|days|night|nights|morning|evening|week|weeks|month|dark)\b)",
    re.I,
)
_RELATIVE = re.compile(
    r"\b(?:that|which|who)\s+(?:also\s+)?(?:had\s+|have\s+|has\s+|was\s+|were\s+)?(?:been\s+)?$",
    re.I,
)
_ANSWERED = re.compile(rf"\b(?:{ANSWER_WORDS})\b", re.I)


def answered_clause(sentence: str) -> tuple[int, int] | None:
    """Where the answered event is told: "The strike ... was in response to a drone attack on
    the base" (to the end), "In response to the attack, forces struck ..." (to the comma)."""
    m = _ANSWERED.search(sentence)
    if m is None:
        return None
    if not sentence[: m.start()].strip(" ,\"'“"):
        comma = sentence.find(",", m.end())
        return m.end(), comma if comma > 0 else len(sentence)
    return m.end(), len(sentence)


@dataclass
class Trigger:
    """One event word in a sentence and what it says about the event."""

    text: str
    start: int
    end: int
    event_type: str
    sub_event_type: str
    strength: float
    violent: bool
    definite: bool = False


@lru_cache(maxsize=8192)
def _find_triggers(sentence: str) -> tuple[Trigger, ...]:
    return tuple(_scan_triggers(sentence))


def find_triggers(sentence: str) -> list[Trigger]:
    """The strongest trigger per event type (memoised: wire copy repeats boilerplate)."""
    return [replace(t) for t in _find_triggers(sentence)]


def _scan_triggers(sentence: str) -> list[Trigger]:
    """The strongest trigger per event type in the sentence, after the not-an-event filters."""
    if not ANY_TRIGGER.search(sentence) or "http" in sentence or "www." in sentence:
        return []  # no trigger, or a link list
    if (
        _TOTALS.search(sentence)
        or _CREDITS.search(sentence)
        or _ADVICE.match(sentence)
        or _CAN_HAPPEN.search(sentence)
        or _DESCRIPTION.search(sentence)
        or (_ONGOING.search(sentence) and not _SOME_DAY.search(sentence))
        or (_WORLDWIDE.search(sentence) and not _SOME_DAY.search(sentence))
    ):
        return []
    answered = answered_clause(sentence)

    def in_answered(position: int) -> bool:
        return answered is not None and answered[0] <= position < answered[1]

    kinds = (
        [(k.start(), k.end()) for k in _KINDS_LIST.finditer(sentence)]
        if _KINDS_CUE.search(sentence)  # the list's pattern is slow; most sentences have no cue
        else []
    )
    bounds = [m.start() for m in COORDINATE.finditer(sentence)]
    bounds += [m.start() for m in FOLLOWS.finditer(sentence)]

    def clause_of(position: int) -> int:
        return sum(b < position for b in bounds)

    def side(position: int) -> tuple[bool, int]:
        return in_answered(position), clause_of(position)

    # "over the past weeks", "ongoing attacks ... that began on October 17th": a period, for the
    # events of its own clause ("These strikes respond to ongoing attacks" are not a period's)
    spans = {side(m.start()) for m in _AGGREGATE_SPAN.finditer(sentence)}
    series = [] if _SOME_DAY.search(sentence) else list(_RECENT_SERIES.finditer(sentence))
    recent = {side(m.start()) for m in series}

    found = _FOUND.search(sentence)
    found_before = lambda position: found is not None and found.start() < position  # noqa: E731
    best: dict[str, Trigger] = {}
    for pattern, event_type, sub_type, strength, violent in _COMPILED:
        for m in pattern.finditer(sentence):
            if _NOT_EVENT_AFTER.match(sentence[m.end() :]):
                continue
            left = sentence[max(0, m.start() - 60) : m.start()]
            clause = re.split(r"[,;:—–]", sentence[: m.start()])[-1]
            near = " ".join(clause.split()[-6:])  # "To counter the threat, U.S. forces ..."
            if (
                _RELATIVE.search(left)
                and not (event_type == CIVILIANS and m.group(0).lower().startswith("kill"))
            ) or (_INTENT.search(clause) or found_before(m.start())):
                continue  # but "the attacks in Kabul that killed 38 innocent Afghans": whom
            if _MODAL_AFTER.match(sentence[m.end() :]):
                continue
            if _IF_OPENS.match(sentence, 0, m.start()):
                continue  # "If they ... run over a landmine": a condition, no event
            if _IN_SUPPORT.search(clause) and _THEN_FUTURE.match(sentence, m.end()):
                continue  # "supported by coalition ... strikes, will clear": not yet
            counted = _COUNTED_AFTER.match(sentence, m.end())
            if counted and _PERIOD.search(sentence):
                continue  # "has now handed over eight bases this year": a total
            if _GENERAL.match(sentence[m.end() :]) and not left.strip(' "“'):
                continue  # "Airstrikes are one tool among many": said of them in general
            if (
                left.strip() in ("“", '"')
                and m.group(0)[-1:].lower() == "s"
                and not DAY_OF_MONTH.search(sentence)
            ):
                continue  # "“Strikes against AQAP in Yemen pressure the network,” he said."
            if sub_type == "Shelling/artillery/missile attack" and _WEAPON_THING.match(
                sentence, m.end()
            ):
                continue  # "strikes ... destroyed three mortar systems": a target, not a weapon
            if _HABITUAL.search(left):
                continue  # "suffering daily bombardment": a condition, not one event
            if (not violent and side(m.start()) in recent) or any(
                r.start() <= m.start() < r.end() for r in series
            ):
                continue  # "captured 40 Taliban members during recent raids": a tally
            if sub_type in _WEAPON_SUB_TYPES and _DESTROYED.search(
                sentence[: m.start()].rsplit(";", 1)[-1]
            ):
                continue  # "destroyed four mortar systems, two vehicle-borne-bomb IEDs": targets
            if sub_type == AIR_STRIKE and _GROUND_WEAPON_BEFORE.search(left):
                continue  # "a missile strike", "rocket strikes": the weapon's, not aircraft's
            if _HISTORY.search(sentence, 0, m.start()) or _A_RIGHT.search(
                sentence, max(0, m.start() - 60), m.start()
            ):
                continue  # "a history of attacks ..., including the 2009 attempted bombing"
            if any(a <= m.start() < b for a, b in kinds):
                continue
            if sub_type in TERRITORY and _PROGRESS.search(left):
                continue  # "90 percent of the caliphate's claimed capital has been liberated"
            if event_type == "Protests" and _VICTIM_OF.search(left[-40:]):
                continue  # "attacking peaceful protesters": the protesters are not protesting
            if violent:
                if _MODAL.search(near) or _FUTURE_OK.search(near):
                    continue
                noun = (
                    m.group(0) + " " + sentence[m.end() :].split(" ", 2)[1:2][0]
                    if sentence[m.end() :].startswith(" ")
                    and len(sentence[m.end() :].split(" ")) > 1
                    else m.group(0)
                ).lower()
                plural = bool(
                    re.search(
                        r"\b(?:attacks|strikes|airstrikes|raids|clashes|bombings|assaults)\b", noun
                    )
                )
                if plural and (
                    side(m.start()) in spans
                    or (_STRONG_AGGREGATE.search(left[-45:]) and not DAY_OF_MONTH.search(sentence))
                    or (_AGGREGATE.search(left[-30:]) and _PERIOD.search(sentence))
                ):
                    continue  # a series in recent weeks, not "a series of strikes on March 2"
                generic = m.group(0).lower().startswith(("attack", "assault"))
                if (
                    generic
                    and plural
                    and re.match(r"^\s*(?:against|targeting)\b", sentence[m.end() :])
                    and not re.search(r"\b(?:were|was|have been|had been|hit|struck)\b", sentence)
                    and not DAY_OF_MONTH.search(left[-16:])  # "the August 15 attacks against ..."
                ):
                    continue  # generic "attacks against our people"
            elif _MODAL.search(" ".join(left.split()[-3:])) or _PLANNED.search(left):
                continue  # "will depart this weekend", "plans to withdraw"
            elif (
                m.group(0).lower() == "deployed"
                and _FORCES_OBJECT.search(left)
                and not _SOME_DAY.search(sentence)
            ):
                continue  # "leading the Brave Rifles troopers deployed in support of ...": who
            if sub_type == "Peaceful protest" and _UNPEACEFUL.search(sentence):
                event_type, sub_type = "Riots", "Violent demonstration"  # ACLED's rule
            definite = bool(_DEFINITE.search(left[-40:])) and not re.search(
                r"\b(?:that|which)\s*$", left
            )
            trig = Trigger(
                m.group(0), m.start(), m.end(), event_type, sub_type, strength, violent, definite
            )
            key = (
                event_type,
                sub_type == AIR_STRIKE,
                sub_type in TERRITORY,
                in_answered(m.start()),
                clause_of(m.start()),
                _attackers_only(sentence, m.group(0)),  # kept apart: the rockets they fired may win
            )
            current = best.get(key)
            if current is None or trig.strength > current.strength:
                best[key] = trig
            if not bounds:
                break  # the first of a kind; a clause after "while" or ";" may have its own
    drones = [t for t in best.values() if t.sub_event_type == AIR_STRIKE and _DRONE.search(t.text)]
    for t in best.values() if drones else ():
        if t.sub_event_type == "Remote explosive/landmine/IED":
            # "a drone armed with explosive devices struck": the drone's strike, not a bomb
            t.strength = min(t.strength, max(d.strength for d in drones) - 0.05)
    airs = [t for t in best.values() if t.sub_event_type == AIR_STRIKE]
    if airs and _AIRCRAFT.search(sentence):
        # "fighter aircraft, as well as rocket artillery, conducted four strikes": the
        # aircraft's strikes, as a strike digest counts them (unless one answers the other)
        one_event = answered is None and not _RESPONSE.search(sentence)
        artillery = {
            id(t)
            for t in best.values()
            if t.sub_event_type == "Shelling/artillery/missile attack"
            and (one_event or any(clause_of(a.start) == clause_of(t.start) for a in airs))
        }
        best = {k: t for k, t in best.items() if id(t) not in artillery}
    triggers = []
    for trig in sorted(best.values(), key=lambda t: -t.strength):
        if not any(t.start < trig.end and trig.start < t.end for t in triggers):
            triggers.append(trig)
    if any(t.sub_event_type in TERRITORY for t in triggers):
        # "liberated the airport after a couple of days of heavy fighting": the fighting is
        # how the place was taken, one event (ACLED codes the change of control)
        triggers = [
            t
            for t in triggers
            if not (
                t.sub_event_type == "Armed clash"
                and re.search(
                    r"\b(?:after|following|amid|during)\b[^,;.]*$", sentence[: t.start], re.I
                )
            )
        ]
    attackers = [t for t in triggers if _attackers_only(sentence, t.text)]
    if attackers and any(t.start > attackers[0].end and t.strength >= 0.5 for t in triggers):
        # "five suicide bombers hid behind the mosque and fired multiple rockets", "Four of the
        # suicide bombers have died in clashes": who they were; what they did is the event
        triggers = [t for t in triggers if t not in attackers]
    if any(t.event_type == "Riots" for t in triggers):
        # "reports of protests and small arms fire": the riot's gunfire, not a battle
        triggers = [
            t
            for t in triggers
            if not (t.event_type == "Battles" and _PROTEST_AND.search(sentence, 0, t.start))
        ]
    if any(t.event_type == "Battles" for t in triggers):
        # "Iraqi forces, supported by U.S.-led airstrikes, have pushed IS out of the city
        # center": the air support is how the ground event was done, not another event
        triggers = [
            t
            for t in triggers
            if not (t.sub_event_type == AIR_STRIKE and _SUPPORTED_BY.search(sentence, 0, t.start))
        ]
    air = [t for t in triggers if t.sub_event_type == AIR_STRIKE]
    # "Air strikes in response to an attack on the base": the strikes and the attack they
    # answer are two events, with different actors.
    response = bool(air) and bool(_RESPONSE.search(sentence))
    specific_violence = [t for t in triggers if t.violent and t.strength >= 0.5]
    if specific_violence:
        # A generic "attack" next to a weapon word is the same event.
        triggers = [
            t
            for t in triggers
            if not (t.strength < 0.5 and t.violent)
            or (response and all(s.sub_event_type == AIR_STRIKE for s in specific_violence))
        ]
    arrests = [t for t in triggers if t.sub_event_type == "Arrests"]
    if arrests:
        # "raids ... resulting in the detention of six": the raid is how the arrest was made.
        triggers = [t for t in triggers if not re.match(r"raid", t.text, re.I)]
    violent = [t for t in triggers if t.violent]
    for joint in _AND_CLAUSE.finditer(sentence):
        # "a one-way attack drone targeted Al Harir Air Base, and rockets were fired at Mission
        # Support Site Euphrates": two weapons, two clauses, two events
        before = {t.sub_event_type for t in violent if t.end <= joint.start()}
        after = {t.sub_event_type for t in violent if t.start >= joint.end()}
        if before and after and not before & after and joint.start() not in bounds:
            bounds.append(joint.start())
    if len([t for t in triggers if t.violent]) > 1:
        # One violent event per sentence: keep the strongest, riots aside, and the strongest of
        # each clause "while" or a semicolon adds ("a bombing in Parwan ..., while the suicide
        # attack in Kabul ...").
        violent = sorted((t for t in triggers if t.violent), key=lambda t: -t.strength)
        keep = {id(violent[0])} | {id(t) for t in violent if t.event_type == "Riots"}
        if bounds:
            first = {}
            for t in violent:
                first.setdefault(clause_of(t.start), t)
            keep |= {id(t) for t in first.values()}
        if answered is not None:  # and the strongest on the other side of "in response to"
            side = in_answered(violent[0].start)
            answer = [t for t in violent if in_answered(t.start) != side]
            keep |= {id(answer[0])} if answer else set()
        elif response:
            side = violent[0].sub_event_type != AIR_STRIKE
            answer = [t for t in violent if (t.sub_event_type == AIR_STRIKE) == side]
            keep |= {id(answer[0])} if answer else set()
        triggers = [t for t in triggers if not t.violent or id(t) in keep]
    return sorted(triggers, key=lambda t: t.start)


# --- actors ---------------------------------------------------------------------------------

_ACTORS: list[tuple[str, str]] = [
    (r"kata['’]?(?:i|e)?b\s+h[ie]zb[aeiou]llah|kataib hezbollah", "Kata'ib Hezbollah"),
    (r"\b(?:isis|isil|daesh|islamic state)\b", "ISIS"),
    (r"\biran(?:ian)?[- ]backed (?:militias?|groups?|forces|militants)|"
     r"\bshiite militia(?: groups)?|"
     r"\bshia militant group", "Iran-backed militias"),
    (r"\bquds force\b", "IRGC Quds Force"),
    (r"\b(?:irgc|islamic revolutionary guard corps|revolutionary guards?)\b", "IRGC"),
    (r"\bsaudi-led coalition\b", "Saudi-led coalition"),
    (r"\b(?:u\.?s\.?-led coalition|the coalition|coalition (?:forces|troops|personnel)|"
     r"operation inherent resolve|cjtf-oir|oir|global coalition)\b", "Coalition forces (CJTF-OIR)"),
    (r"\b(?:iraqi security forces|isf|iraqi (?:forces|military|army|troops|security forces|"
     r"special (?:operations )?forces|counter[- ]terrorism (?:service|forces))|"
     r"counter[- ]terrorism service)\b", "Iraqi Security Forces"),
    (r"\biraqi parliament\b", "Iraqi Parliament"),
    (r"\b(?:u\.?k\.?|british|uk) (?:forces|troops|soldiers?|military|armed forces|training unit)|"
     r"\bthe u\.?k\.?(?=\s)", "U.K. forces"),
    (r"\b(?:u\.?s\.?|american|united states) (?:forces|troops|military|marines|soldiers|"
     r"service ?members|servicemembers|personnel|air ?strikes?|drones?|army|navy)|"
     r"\b(?:pentagon|defense department|department of defense|central command|centcom|"
     r"u\.?s\.? army|marines)\b|\bu\.?s\.?(?= (?:drone|air))", "U.S. forces"),
    (r"\btaliban\b", "Taliban"),
    (r"\b(?:houthis?|ansar allah)\b", "Houthis"),
    (r"\bal[- ]?shabaa?b\b", "al-Shabaab"),
    (r"\b(?:syrian (?:government|regime|army|troops|forces)|regime forces)\b",
     "Syrian government forces"),
    (r"\b(?:afghan (?:security forces|forces|army|troops|police|commandos))\b",
     "Afghan security forces"),
    (r"\byemeni (?:government )?(?:forces|troops|army)\b", "Yemeni government forces"),
    (r"\brussian (?:forces|warplanes|jets|aircraft|troops|military)\b", "Russian forces"),
    (r"\b(?:sdf|syrian democratic forces)\b", "Syrian Democratic Forces"),
    (r"\b(?:hayat tahrir al-sham|hts)\b", "Hayat Tahrir al-Sham"),
    (r"\b(?:protesters|demonstrators|rioters|supporters)\b", "Protesters"),
]  # fmt: skip
# A named group and the wider family it is reported under ("the Iran-backed militia").
FAMILY = {
    "Kata'ib Hezbollah": "Iran-backed militias",
    "IRGC Quds Force": "IRGC",
    "Hayat Tahrir al-Sham": "Syrian opposition",
}
_ACTOR_PATTERNS = [(re.compile(p, re.I), name) for p, name in _ACTORS]


def normalise_actor(text: str) -> str | None:
    """One canonical name for the many spellings of an actor, or None when unknown."""
    for pattern, name in _ACTOR_PATTERNS:
        if pattern.search(text):
            return name
    return None


# Where an actor fights at home: a sentence that names only the actor points to that country
# when the article names it ("al-Shabaab fighters attacked an outpost near Janaale").
ACTOR_HOMES = {
    "Kata'ib Hezbollah": ("IQ",), "Iraqi Security Forces": ("IQ",), "Iraqi Parliament": ("IQ",),
    "Taliban": ("AF",), "Houthis": ("YE",), "al-Shabaab": ("SO", "KE"),
    "Syrian government forces": ("SY",), "Afghan security forces": ("AF",),
    "Yemeni government forces": ("YE",), "Syrian Democratic Forces": ("SY",),
    "Hayat Tahrir al-Sham": ("SY",),
}  # fmt: skip


def find_actors(sentence: str, trigger: Trigger | None = None) -> tuple[str | None, str | None]:
    return _find_actors(
        sentence, trigger.start if trigger else 0, trigger.event_type if trigger else ""
    )


_SAYS_AFTER = re.compile(
    r"[\w\s'’()-]{0,40}?\b(?:officials?\s+|spokesm[ae]n\s+|spokesperson\s+)?"
    r"(?:said|says|announced|reported|stated|confirmed)\b"
)
_ACCORDING = re.compile(r"according to\s+(?:the\s+)?$", re.I)


@lru_cache(maxsize=8192)
def _find_actors(sentence: str, pivot: int, event_type: str) -> tuple[str | None, str | None]:
    """(actor1, actor2): the agent (after a passive "by", else nearest the trigger), the target."""
    mentions: list[tuple[int, str]] = []
    for pattern, name in _ACTOR_PATTERNS:
        for m in pattern.finditer(sentence):
            if m.start() > pivot and (
                _SAYS_AFTER.match(sentence, m.end())
                or _ACCORDING.search(sentence, max(0, m.start() - 16), m.start())
            ):
                continue  # "..., CJTF-OIR officials said": who tells it, not who did it
            if not any(abs(m.start() - s) < 2 for s, _ in mentions):
                mentions.append((m.start(), name))
    if not mentions:
        return None, None
    mentions.sort()
    names = list(dict.fromkeys(n for _, n in mentions))
    agent = None
    passive = re.search(r"\bby (?:elements of )?(?:the )?", sentence[pivot:])
    if passive:
        at = pivot + passive.end()
        after = [n for s, n in mentions if at <= s <= at + 5]
        agent = after[0] if after else None
    if agent is None:
        before = [(pivot - s, n) for s, n in mentions if s <= pivot]
        agent = min(before)[1] if before else min((abs(s - pivot), n) for s, n in mentions)[1]
    others = [n for n in names if n != agent and n != "Protesters"]
    if agent == "Protesters" and event_type == "Riots":
        agent = "Rioters"
    return agent, (others[0] if others else None)


# --- casualties -----------------------------------------------------------------------------

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "a dozen": 12,
    "dozen": 12, "hundred": 100,
}  # fmt: skip
_NUM = (
    r"(?:\d[\d,]*|a dozen|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty)"
)
_PERSON = (
    r"(?:servicemembers?|service ?members?|soldiers?|troops?|marines?|civilians?|people|persons?|"
    r"others?|members?|contractors?|fighters?|militants?|police(?:men|officers)?|officers?|"
    r"children|women|men|personnel|guards?|staff|workers?|insurgents?|gunmen|rebels?|"
    r"americans?|iraqis?|syrians?|afghans?|yemenis?|pilots?|commanders?|policemen|residents|"
    r"villagers|protesters|demonstrators|passengers|students|employees|sailors|airmen|"
    r"terrorists?|attackers?|combatants?|operatives?|recruits?|peacekeepers?|detainees?|"
    r"prisoners?|victims?|individuals?|gunmen|bombers?)"
)
_COUNTED = re.compile(
    rf"\b(?:at least |about |nearly |some |more than |roughly |up to )?(?P<n>{_NUM})\b"
    rf"(?P<gap>(?:\s+[\w.’'-]+){{0,4}}?)\s+{_PERSON}\b",
    re.I,
)
_KILL = re.compile(
    r"\b(?:killed|killing|kills|kill|died|dead|deaths?|slain|lost their lives)\b", re.I
)
_HURT = re.compile(r"\b(?:wounded|wounding|injured|injuring|injuries|hurt|wounds)\b", re.I)
_TITLE = re.compile(
    r"^\s*(?:the |a |an )?(?:[\w-]+ ){0,3}?(?:gen\.|general|commander|col\.|colonel|leader|chief|"
    r"maj\.|major)\s",
    re.I,
)
_STOP = re.compile(r"[;:—–()]|\s-\s|\b(?:but|while|after|before|because|when|who|which)\b", re.I)


def _value(word: str) -> int | None:
    word = word.lower().replace(",", "")
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS.get(word)


def _sum_counts(chunk: str) -> int | None:
    total, seen = 0, False
    for m in _COUNTED.finditer(chunk):
        gap = m.group("gap") or ""
        if re.search(r"\b(?:of the|rockets?|missiles?|days?|hours?|years?)\b", gap, re.I):
            continue
        value = _value(m.group("n"))
        if value is not None:
            total += value
            seen = True
    return total if seen else None


@lru_cache(maxsize=8192)
def casualties(sentence: str) -> tuple[int | None, int | None]:
    """(fatalities, injured) as reported in the sentence; None when it gives no number."""
    result: list[int | None] = [None, None]
    verbs = sorted(
        [(m, 0) for m in _KILL.finditer(sentence)] + [(m, 1) for m in _HURT.finditer(sentence)],
        key=lambda x: x[0].start(),
    )
    for index, (m, slot) in enumerate(verbs):
        word = m.group(0).lower()
        count = None
        passive = re.search(
            r"\b(?:were|was|been|are|is)\s+$", sentence[max(0, m.start() - 8) : m.start()]
        )
        if not passive and (
            word.endswith("ing") or word in ("killed", "kill", "kills", "wounded", "injured")
        ):
            nxt = verbs[index + 1][0].start() if index + 1 < len(verbs) else len(sentence)
            after = sentence[m.end() : nxt]
            stop = _STOP.search(after)
            after = after[: stop.start()] if stop else after
            if re.match(r"^\s+(?:in action|by|during|when|on|at|in)\b", after):
                after = ""
            count = _sum_counts(after) if after.strip() else None
            if count is None and after.strip() and _TITLE.match(after):
                count = 1
        if count is None and word not in ("killing", "wounding", "injuring"):
            prev = verbs[index - 1][0].end() if index > 0 else 0
            before = sentence[max(prev, m.start() - 100) : m.start()]
            cut = [s.end() for s in _STOP.finditer(before)]
            before = before[cut[-1] :] if cut else before
            count = _sum_counts(before)
        if count is not None:
            result[slot] = (result[slot] or 0) + count
    return result[0], result[1]
