"""The words that report an event, in English and Russian, and the tense they report it in.

A trigger has a type (launch, docking, …) and a form:
- past: "launched", "пристыковался" — it happened, unless a passive future comes right
  before ("will be launched", "будет запущен");
- future: "стартует", "полетит" — planned;
- verb: an English base or present form ("launch", "lands") — planned after "will", "to",
  "is scheduled to" and the like; otherwise a present-tense report ("Crew-5 lands"), and
  a noun when a determiner comes before it ("the launch");
- noun: "liftoff", "запуск" — past or planned only by the words around it ("took place",
  "is scheduled for", "запланирован"); with neither those nor a date it is not an event;
- assign / flew: crew assignment, planned or flown.
"""

import re
from dataclasses import dataclass

PAST, FUTURE, VERB, NOUN, ASSIGN, FLEW = "past", "future", "verb", "noun", "assign", "flew"
PRESENT, UNSAID = "present", "unsaid"  # the other answers of tense()
_STATION = r"(?:iss|station|international\s+space\s+station|orbital\s+(?:outpost|lab(?:oratory)?))"

EN_TRIGGERS = {
    ("launch", PAST): r"launched|lifted\s+off|blasted\s+off|took\s+off|roared\s+(?:off|into\s+(?:space|orbit))"
    rf"|reached\s+orbit|dispatched|left\s+(?:\w+\s+){{1,3}}for\s+(?:the\s+)?(?:{_STATION}|orbit|space)",
    (
        "launch",
        VERB,
    ): r"launch(?:es|ing)?(?!\s+(?:vehicles?|sites?|pads?|complex|escape|abort|tower|services?|providers?|control|contracts?)\b)"
    r"|lift(?:s|ing)?\s+off|blast(?:s|ing)?\s+off|dispatch(?:es|ing)?",
    ("launch", NOUN): r"lift-?off|blast-?off",
    # "arrived" alone, unless somewhere else follows ("arrived at Baikonur", "arrived in Moscow").
    ("docking", PAST): rf"docked|arrived(?:\s+at\s+the\s+{_STATION}|(?!\s+(?:at|in|from|to|for|back|on\s+board)\b))"
    rf"|reached\s+the\s+{_STATION}|brought\s+(?:\w+\s+){{1,5}}to\s+the\s+{_STATION}",
    ("docking", VERB): r"dock(?:s|ing)?(?!\s+(?:ports?|adapters?|modules?|systems?|mechanisms?|targets?)\b)"
    rf"|arriv(?:e|es|ing)(?:\s+at\s+the\s+{_STATION}|(?!\s+(?:at|in|from|to|for|back|on\s+board)\b))|reach(?:es|ing)?\s+the\s+{_STATION}",
    ("undocking", PAST): rf"undocked|departed\s+(?:from\s+)?the\s+{_STATION}",
    ("undocking", VERB): rf"undock(?:s|ing)?|depart(?:s|ing)?\s+(?:from\s+)?the\s+{_STATION}",
    ("landing", PAST): r"landed|touched\s+down|splashed\s+down|returned\s+(?:safely\s+)?(?:to\s+(?:the\s+)?earth|home)"
    r"|came\s+(?:back\s+)?(?:to\s+earth|home)|flew\s+(?:back\s+)?home|(?:are|were|is|was)\s+back\s+on\s+earth",
    (
        "landing",
        VERB,
    ): r"land(?:s|ing)?(?!\s+(?:sites?|zones?|areas?)\b)|touch(?:es|ing)?\s+down|splash(?:es|ing)?\s+down"
    r"|return(?:s|ing)?\s+(?:safely\s+)?(?:to\s+(?:the\s+)?earth|home)|fly\s+(?:back\s+)?home|(?:due|expected)\s+back\s+on\s+earth",
    ("landing", NOUN): r"splashdown|touchdown|return\s+flight",
    ("delay", PAST): r"delayed|postponed|pushed\s+back|slipped|rescheduled|scrubbed|moved\s+back|pushed\s+(?:to|into)"
    r"|called\s+off|cancell?ed|aborted|halted\s+the\s+countdown|stood\s+down",
    ("delay", VERB): r"delay(?:s|ing)?|postpone(?:s|ing)?|push(?:es|ing)?\s+back|slip(?:s|ping)?|reschedul(?:e|es|ing)"
    r"|scrub(?:s|bing)?",
    ("delay", NOUN): r"postponement|slippage|abort|scrub",
    ("crew_assignment", FLEW): r"flew|ha[sd]\s+flown",
    ("crew_assignment", VERB): r"fl(?:y|ies|ying)",
    ("crew_assignment", ASSIGN): r"assigned|named\s+to|selected\s+(?:for|to)|join(?:s|ed|ing)?|added\s+to\s+the\s+crew"
    r"|(?:part|a\s+member|members)\s+of\s+the\s+(?:\S+\s+)?crew",
    ("agreement", PAST): r"signed|extended|prolonged|renewed|concluded|expanded",
    ("agreement", VERB): r"sign(?:s|ing)?|extend(?:s|ing)?|prolong(?:s|ing)?|renew(?:s|ing)?|expand(?:s|ing)?",
}
RU_TRIGGERS = {
    ("launch", PAST): r"стартовал\w*|запущен\w*|запустил\w*|достиг\w*\s+(?:околоземной\s+)?орбиты"
    r"|выведен\w*\s+на\s+(?:околоземную\s+)?орбиту|вывел[аи]?\s+на\s+(?:околоземную\s+)?орбиту"
    r"|на\s+(?:околоземную\s+)?орбиту\s+(?:\S+\s+){0,4}?(?:доставил\w*|вывел\w*)"
    r"|доставил\w*\s+(?:\S+\s+){0,4}?на\s+(?:околоземную\s+)?орбиту",
    ("launch", FUTURE): r"стартует|стартуют|запустят|запустит",
    ("launch", NOUN): r"запуск\w*|старт(?:а|ом|е|у)?",
    ("docking", PAST): r"пристыковал\w*|состыковал\w*",
    ("docking", FUTURE): r"пристыку\w+|состыку\w+",
    ("docking", NOUN): r"стыковк\w*",
    ("undocking", PAST): r"отстыковал\w*|расстыковал\w*",
    ("undocking", FUTURE): r"отстыку\w+|расстыку\w+",
    ("undocking", NOUN): r"расстыковк\w*|отстыковк\w*",
    ("landing", PAST): r"приземлил\w*|приводнил\w*|совершил\w*\s+посадку|вернул\w*\s+на\s+землю|сел|села|сели",
    ("landing", FUTURE): r"приземлит\w*|приземлят\w*|приводнит\w*|совершат?\s+посадку|верн(?:ет|ут)\w*\s+на\s+землю",
    ("landing", NOUN): r"посадк\w*|приземлени\w*|приводнени\w*|возвращени\w*(?:\s+\S+){0,4}?\s+на\s+землю",
    ("delay", PAST): r"перенесен\w*|перенесли|отложен\w*|отложили|сдвинули|отменен\w*|отменили|прерван\w*",
    ("delay", FUTURE): r"перенесут|отложат",
    ("delay", NOUN): r"перенос\w*",
    ("crew_assignment", FLEW): r"полетел\w*|слетал\w*|летал\w*",
    ("crew_assignment", FUTURE): r"полетит|полетят|отправится|отправятся",
    ("crew_assignment", ASSIGN): r"включен\w*\s+в\s+(?:\w+\s+)?(?:состав\s+)?экипаж\w*|назначен\w*"
    r"|войдет\s+в\s+(?:состав\s+)?экипаж\w*|в\s+состав\s+экипажа",
    ("agreement", PAST): r"подписал\w*|подписан\w*|продлил\w*|продлен\w*|заключил\w*|заключен\w*",
    ("agreement", FUTURE): r"подпишут|подпишет|продлят|продлит",
}


# Trigger words are matched in the lower-cased text with one flat alternation: case-blind
# matching and a named group per kind each made the scan several times slower. The few
# hits are then told apart by matching them against each kind's own pattern.
def _compile(triggers: dict) -> tuple[re.Pattern, list[tuple[str, str, re.Pattern]]]:
    scan = re.compile(r"\b(?:" + "|".join(triggers.values()) + r")\b")
    kinds = [(kind, form, re.compile(source)) for (kind, form), source in triggers.items()]
    return scan, kinds


_TRIGGERS = {"en": _compile(EN_TRIGGERS), "ru": _compile(RU_TRIGGERS)}

_FUTURE = {
    "en": re.compile(
        r"'ll\b|\b(?:will|shall|would|is\s+to|are\s+to|plans?|planned|scheduled|set\s+(?:to|for)|expected|slated|due|aims?"
        r"|intends?|hopes?|going\s+to|could|might|(?-i:may)|no\s+earlier\s+than|(?-i:NET)|upcoming|targeting|targeted"
        r"|next)\b",
        re.IGNORECASE,
    ),
    "ru": re.compile(
        r"(?<!\w)(?:будет|будут|планиру\w*|запланирован\w*|намечен\w*|должн\w*|предстоит|предстоящ\w*|ожида\w*|собира\w*"
        r"|может|могут|готовит\w*|следующ\w*|намерен\w*)",
        re.IGNORECASE,
    ),
}
_PAST_AROUND_NOUN = {
    "en": re.compile(
        r"\b(?:took\s+place|was\s+successful|successful(?:ly)?|went\s+(?:smoothly|well|off)|occurred|happened"
        r"|was\s+carried\s+out|completed)\b",
        re.IGNORECASE,
    ),
    "ru": re.compile(
        r"(?<!\w)(?:состоял\w*|прошел|прошла|прошло|успешн\w*|произош\w*|осуществлен\w*|завершил\w*)", re.I
    ),
}
_PASSIVE_FUTURE = {
    "en": re.compile(
        r"\b(?:will|would|shall|to|could|might|may|must|should)\s+(?:not\s+)?(?:be|have(?:\s+been)?)\s+(?:\w+\s+)?$",
        re.I,
    ),
    "ru": re.compile(r"(?<!\w)(?:будет|будут|может\s+быть|должн\w*\s+быть)\s+(?:\w+\s+)?$", re.IGNORECASE),
}
_MODAL_BEFORE = re.compile(
    r"(?:'ll|\b(?:will|shall|would|could|might|may|must|should|can|to))\s+(?:not\s+)?(?:\w+\s+)?$", re.I
)
# "the launch", "Crew-5's launch", "the Soyuz MS-22 launch", "after launch": a noun.
_DETERMINER_BEFORE = re.compile(
    r"(?:'s|\b(?:the|a|an|its|their|his|her|this|that|next|first|second|successful|planned|upcoming|scheduled|crewed"
    r"|uncrewed|latest|after|before|since|during|for|of|whose))\s+(?:(?-i:[A-Z0-9])[\w.'-]*\s+){0,3}$",
    re.IGNORECASE,
)
# "Crew-5 launch", "July launch": a bare base form right after a name is a noun (the verb
# would be "Crew-5 launches").
_NAME_BEFORE = re.compile(r"(?-i:[A-Z0-9])[\w.'-]*\s+$")
# "docking will follow", "after landing": an -ing form is a noun unless a form of "be" makes it a verb.
_PROGRESSIVE_BEFORE = re.compile(r"\b(?:is|are|was|were|be|been)\s+(?:\w+ly\s+)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Trigger:
    start: int
    end: int
    type: str
    form: str

    @property
    def assigns(self) -> bool:
        return self.type == "crew_assignment"


def find_triggers(lower: str, start: int, end: int, language: str) -> list[Trigger]:
    """The trigger words in lower[start:end]; `lower` is the normalised text, lower-cased."""
    scan, kinds = _TRIGGERS.get(language, _TRIGGERS["en"])
    found = []
    for match in scan.finditer(lower, start, end):
        kind, form = next((kind, form) for kind, form, pattern in kinds if pattern.fullmatch(match[0]))
        found.append(Trigger(match.start(), match.end(), kind, form))
    return found


def is_noun(trigger: Trigger, text: str, sentence: tuple[int, int]) -> bool:
    """ "liftoff", "запуск", "the launch" — a name for the event rather than a report of it."""
    if trigger.form == NOUN:
        return True
    if trigger.form != VERB:
        return False
    start, word = max(sentence[0], trigger.start - 60), text[trigger.start : trigger.end].lower()
    if word.endswith("ing"):
        return not _PROGRESSIVE_BEFORE.search(text, start, trigger.start)
    if _DETERMINER_BEFORE.search(text, start, trigger.start):
        return True
    return not word.endswith("s") and bool(_NAME_BEFORE.search(text, start, trigger.start))


def tense(trigger: Trigger, text: str, sentence: tuple[int, int], language: str) -> str:
    """PAST, FUTURE, PRESENT ("Crew-5 lands") or UNSAID (a bare noun: only a date can say)."""
    language = language if language in _FUTURE else "en"
    before_start = max(sentence[0], trigger.start - 60)
    if trigger.form in (FUTURE, ASSIGN):
        return FUTURE
    if trigger.form in (PAST, FLEW):
        return FUTURE if _PASSIVE_FUTURE[language].search(text, before_start, trigger.start) else PAST
    if not is_noun(trigger, text, sentence):
        return FUTURE if _MODAL_BEFORE.search(text, before_start, trigger.start) else PRESENT
    return _tense_around_noun(trigger, text, sentence, language)


def _tense_around_noun(trigger: Trigger, text: str, sentence: tuple[int, int], language: str) -> str:
    window = (max(sentence[0], trigger.start - 60), min(sentence[1], trigger.end + 80))
    if _PAST_AROUND_NOUN[language].search(text, *window):
        return PAST
    if _FUTURE[language].search(text, *window):
        return FUTURE
    return UNSAID
