"""What dates look like in English and Russian news text (see dates.py for what they mean)."""

import re
from dataclasses import dataclass

DAY, MONTH, QUARTER, HALF, YEAR = "day", "month", "quarter", "half", "year"  # tracker.lib.fuzzy_dates.Precision

_EN_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_EN_MONTH = (
    "(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?![a-z])\.?"
)
_RU_MONTH = (
    r"(?:январ[ьяе]|феврал[ьяе]|март[аеу]?|апрел[ьяе]|ма[йяею]|июн[ьяе]|июл[ьяе]|август[аеу]?"
    r"|сентябр[ьяе]|октябр[ьяе]|ноябр[ьяе]|декабр[ьяе])(?!\w)"
)
_RU_MONTH_KEYS = ["янв", "фев", "мар", "апр", "ма", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"]
_WEEKDAYS_EN = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WEEKDAYS_RU = ["понедельник", "вторник", "среду", "четверг", "пятницу", "субботу", "воскресенье"]
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_RU_ORDINALS = {"перв": 1, "втор": 2, "трет": 3, "четв": 4, "i": 1, "ii": 2, "iii": 3, "iv": 4}
_YEAR_OFFSET = {"this": 0, "next": 1, "last": -1, "этого": 0, "текущего": 0, "следующего": 1, "будущего": 1}
_YEAR_OFFSET |= {"прошлого": -1}
_RU_YEAR = r"(?:\s*(?:года|году|г\.|г\b))"

# Every alternative starts at its anchor (a digit, a month or weekday name, a few fixed
# words), not at a preposition: trying "in|by|until|…" at every word made the scan ten
# times slower. What must come before an anchor ("in July", "by 2027") is checked after.
EN = re.compile(
    rf"""
    (?=[\dA-Z]|(?<!\w)[fstynle])           # a cheap first test: what the alternatives can start with
    (?:
      (?P<anchor>(?P<anchor_w>(?:[Tt]he|[Tt]hat)\s+(?:same\s+day|next\s+day|following\s+day|day\s+after)
                 |[Tt]hat\s+day|(?:(?<=\b[Aa]\sday\s)|(?<=\b[Oo]ne\sday\s))later)\b)
    |
      (?P<iso>(?P<iso_y>\d{{4}})-(?P<iso_m>\d{{2}})-(?P<iso_d>\d{{2}})\b)
    | (?P<dot>(?P<dot_d>\d{{1,2}})\.(?P<dot_m>\d{{1,2}})\.(?P<dot_y>\d{{4}})\b)
    | (?P<dmy>(?P<dmy_d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<dmy_m>{_EN_MONTH})(?:,?\s+(?P<dmy_y>\d{{4}})\b)?)
    | (?P<yr>(?P<yr_y>(?:19|20)\d{{2}})\b)
    | (?P<mdy>(?P<mdy_m>{_EN_MONTH})\s+(?P<mdy_d>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:,?\s+(?P<mdy_y>\d{{4}})\b)?)
    | (?P<my>(?P<my_m>{_EN_MONTH}),?\s+(?P<my_y>\d{{4}})\b)
    | (?P<cm>(?P<cm_m>{_EN_MONTH})(?:\s+(?P<cm_rel>this|next|last)\s+year)?)
    | (?P<qh>(?P<qh_u>[QH])(?P<qh_n>[1-4])\s+(?P<qh_y>\d{{4}})\b)
    | (?P<part>(?P<part_n>[Ff]irst|[Ss]econd|[Tt]hird|[Ff]ourth|1st|2nd|3rd|4th)\s+(?P<part_u>half|quarter)\s+of\s+
              (?:(?P<part_y>\d{{4}})\b|(?P<part_rel>this|next|last)\s+year))
    | (?P<rel>(?P<rel_w>[Tt]oday|[Tt]onight|[Yy]esterday|[Tt]omorrow|[Tt]his\s+(?:morning|afternoon|evening))\b)
    | (?P<nm>(?P<nm_dir>[Nn]ext|[Ll]ast)\s+(?P<nm_m>{_EN_MONTH}))
    | (?P<wd>(?:(?P<wd_dir>[Nn]ext|[Ll]ast|[Tt]his)\s+)?(?P<wd_d>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)
    | (?P<span>(?P<span_dir>[Nn]ext|[Ll]ast|[Tt]his|[Ll]ater\s+this|[Ee]arlier\s+this)\s+(?P<span_u>week|month|year)\b)
    )
    """,
    re.VERBOSE,
)

RU = re.compile(
    rf"""
    (?=\d|(?<!\w)[а-яiv])
    (?:
      (?P<anchor>(?P<anchor_w>того\s+же\s+дня|в\s+тот\s+же\s+день|тем\s+же\s+днем|на\s+следующий\s+день
                 |на\s+следующие\s+сутки|спустя\s+сутки|через\s+сутки)(?!\w))
    |
      (?P<iso>(?P<iso_y>\d{{4}})-(?P<iso_m>\d{{2}})-(?P<iso_d>\d{{2}})\b)
    | (?P<dot>(?P<dot_d>\d{{1,2}})\.(?P<dot_m>\d{{1,2}})\.(?P<dot_y>\d{{4}})\b)
    | (?P<dmy>(?P<dmy_d>\d{{1,2}})\s+(?P<dmy_m>{_RU_MONTH})(?:\s+(?P<dmy_y>\d{{4}})\b{_RU_YEAR}?)?)
    | (?P<yr>(?P<yr_y>(?:19|20)\d{{2}}){_RU_YEAR})
    | (?P<my>(?P<my_m>{_RU_MONTH})\s+(?P<my_y>\d{{4}})\b{_RU_YEAR}?)
    | (?P<cm>(?P<cm_m>{_RU_MONTH})(?:\s+(?P<cm_rel>этого|текущего|следующего|будущего|прошлого)\s+года)?)
    | (?P<part>(?P<part_n>перв\w+|втор\w+|трет\w+|четв\w+|IV|I{{1,3}})\s+(?P<part_u>половин\w+|полугоди\w+|квартал\w*)\s+
              (?:(?P<part_y>\d{{4}})\b{_RU_YEAR}?|(?P<part_rel>этого|текущего|следующего|будущего|прошлого)\s+года))
    | (?P<rel>(?P<rel_w>сегодня|вчера|завтра|позавчера|послезавтра)\b)
    | (?P<nm>(?P<nm_dir>следующ\w+|будущ\w+|прошл\w+)\s+(?P<nm_m>{_RU_MONTH}))
    | (?P<wd>(?:(?P<wd_dir>следующ\w+|прошл\w+|эт\w+)\s+)?(?P<wd_d>понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье)\b)
    | (?P<span>(?P<span_dir>следующ\w+|будущ\w+|прошл\w+|эт\w+|текущ\w+|конца)\s+(?P<span_u>недел\w+|месяц\w*|год\w*))
    )
    """,
    re.VERBOSE | re.IGNORECASE,
)
# A bare month or year is a date only after one of these ("in July", "by 2027", "в июле").
_CONTEXT = {
    "en": re.compile(
        r"(?i:\b(?P<word>in|by|until|till|through|since|from|during|to|for|of|before|after|net|no\s+earlier\s+than"
        r"|early|mid|late|end\s+of|beginning\s+of)(?:\s+(?:the\s+)?(?P<qual>early|mid|late|end\s+of|beginning\s+of))?[\s-]+)$"
    ),
    "ru": re.compile(
        r"(?i:(?<!\w)(?P<word>в|во|к|до|с|на|по|начале|конце|середине)(?:\s+(?P<qual>начале|конце|середине))?\s+)$"
    ),
}

# The word before a date says what the date is to the event: the new date of a delay
# ("postponed to July 14", "перенесен на 14 июля"), the end of a term ("through 2027").
LEAD = re.compile(r"(?i:\b(to|until|till|through|for|from|on|in|by|на|до|по|с|в|к)\s+(?:(?:the|its|their|a)\s+)?$)")


@dataclass(frozen=True)
class DateExpr:
    start: int
    end: int
    kind: str  # absolute | yearless | this_year | days | weekday | span | anchor (counted from the date before)
    precision: str = DAY
    year: int | None = None
    month: int | None = None
    day: int | None = None
    offset: int = 0  # days, weeks, months or years from publication; +1/-1 for "next"/"last" weekday
    weekday: int = 0
    unit: str = ""  # week | month | year, for spans
    confidence: float = 1.0


def find_dates(text: str, start: int = 0, end: int | None = None, language: str = "en") -> list[DateExpr]:
    """The date expressions in text[start:end], in order."""
    language = "ru" if language == "ru" else "en"
    found = []
    for match in (RU if language == "ru" else EN).finditer(text, start, len(text) if end is None else end):
        if match.start() > 0 and text[match.start() - 1].isalnum():
            continue  # inside a word or number ("MS-2022", "A1")
        context = _CONTEXT[language].search(text, max(0, match.start() - 30), match.start())
        expr = _date_expr(match, language, (context["qual"] or context["word"]).lower() if context else "")
        if expr is not None:
            found.append(expr)
    return found


# Right before a date, the words that make it a lower bound: "no earlier than July 14",
# "NET September" (upper case only: "net" is also a word), "не ранее 14 июля", "не раньше июля".
_NO_EARLIER_THAN = re.compile(
    r"(?:(?i:\bno\s+earlier\s+than)|\bNET|(?<!\w)(?i:не\s+ран(?:ее|ьше)))\s+(?:(?i:the|on|of|в|во)\s+)?$"
)


def is_no_earlier_than(text: str, expr: DateExpr) -> bool:
    """The date is given as a lower bound, not as the day or month the event is set for."""
    return bool(_NO_EARLIER_THAN.search(text, max(0, expr.start - 30), expr.start))


def preposition_before(text: str, expr: DateExpr) -> str:
    """The preposition right before a date: "to", "until", "на", or ""."""
    match = LEAD.search(text, max(0, expr.start - 20), expr.start)
    return match[1].lower() if match else ""


def _date_expr(match: re.Match, language: str, context: str) -> DateExpr | None:
    """`context` is the word before the match that makes a bare month or year a date ("in", "early", "в")."""
    try:
        return _BUILDERS[match.lastgroup](match, language, context)
    except (KeyError, ValueError):
        return None


def _month(word: str, language: str) -> int:
    word = word.lower().rstrip(".")
    if language == "ru":
        return next(
            i for i, key in enumerate(_RU_MONTH_KEYS, 1) if word.startswith(key) and (key != "ма" or word[2:3] != "р")
        )
    return next(i for i, name in enumerate(_EN_MONTHS, 1) if name.lower().startswith(word[:3]))


def _iso_date(m, language, context):
    return DateExpr(m.start(), m.end(), "absolute", DAY, int(m["iso_y"]), int(m["iso_m"]), int(m["iso_d"]))


def _dot(m, language, context):
    return DateExpr(m.start(), m.end(), "absolute", DAY, int(m["dot_y"]), int(m["dot_m"]), int(m["dot_d"]))


def _day_month(m, language, prefix):
    month, day, year = _month(m[f"{prefix}_m"], language), int(m[f"{prefix}_d"]), m[f"{prefix}_y"]
    if not 1 <= day <= 31:
        return None
    if year:
        return DateExpr(m.start(), m.end(), "absolute", DAY, int(year), month, day)
    return DateExpr(m.start(), m.end(), "yearless", DAY, None, month, day, confidence=0.95)


def _dmy(m, language, context):
    return _day_month(m, language, "dmy")


def _mdy(m, language, context):
    return _day_month(m, language, "mdy")


def _my(m, language, context):
    return DateExpr(m.start(), m.end(), "absolute", MONTH, int(m["my_y"]), _month(m["my_m"], language))


def _cm(m, language, context):
    month = _month(m["cm_m"], language)
    if m["cm_rel"]:
        return DateExpr(m.start(), m.end(), "this_year", MONTH, None, month, offset=_YEAR_OFFSET[m["cm_rel"].lower()])
    if not context:
        return None  # "May" the verb, "March" at the start of a sentence
    return DateExpr(m.start(), m.end(), "yearless", MONTH, None, month, confidence=0.9)


def _nm(m, language, context):
    """ "next February", "last March", "в следующем феврале": the first such month after (or
    the last before) the month of publication."""
    month = _month(m["nm_m"], language)
    return DateExpr(m.start(), m.end(), "yearless", MONTH, None, month, offset=_direction(m["nm_dir"]), confidence=0.9)


def _part(m, language, context):
    unit, number = m["part_u"].lower(), m["part_n"].lower()
    precision = QUARTER if unit.startswith(("quarter", "квартал")) else HALF
    if language == "ru":
        number = next(value for key, value in _RU_ORDINALS.items() if number == key or number.startswith(key))
    else:
        number = _ORDINALS[number]
    if precision == HALF and number > 2:
        return None
    month = (number - 1) * (3 if precision == QUARTER else 6) + 1
    if m["part_y"]:
        return DateExpr(m.start(), m.end(), "absolute", precision, int(m["part_y"]), month)
    return DateExpr(m.start(), m.end(), "this_year", precision, None, month, offset=_YEAR_OFFSET[m["part_rel"].lower()])


def _qh(m, language, context):
    number, precision = int(m["qh_n"]), QUARTER if m["qh_u"] == "Q" else HALF
    if precision == HALF and number > 2:
        return None
    month = (number - 1) * (3 if precision == QUARTER else 6) + 1
    return DateExpr(m.start(), m.end(), "absolute", precision, int(m["qh_y"]), month)


def _yr(m, language, context):
    """ "in 2027"; "early 2026" is its first half, "late 2026" its second, "mid-2026" the year."""
    year = int(m["yr_y"])
    if context.startswith(("early", "beginning", "начал")):
        return DateExpr(m.start(), m.end(), "absolute", HALF, year, 1, confidence=0.8)
    if context.startswith(("late", "end", "конц")):
        return DateExpr(m.start(), m.end(), "absolute", HALF, year, 7, confidence=0.8)
    if not context and language != "ru":
        return None  # a bare number that looks like a year; Russian says "году"
    return DateExpr(m.start(), m.end(), "absolute", YEAR, year, 1, confidence=0.9 if context == "mid" else 1.0)


_RELATIVE_DAYS = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1, "вчера": -1, "сегодня": 0, "завтра": 1}
_RELATIVE_DAYS |= {"позавчера": -2, "послезавтра": 2}


def _rel(m, language, context):
    word = m["rel_w"].lower()
    return DateExpr(m.start(), m.end(), "days", DAY, offset=_RELATIVE_DAYS.get(word, 0), confidence=0.9)


def _direction(word: str | None) -> int:
    word = (word or "").lower()
    if word.startswith(("next", "следующ", "будущ")):
        return 1
    if word.startswith(("last", "прошл")):
        return -1
    return 0


def _wd(m, language, context):
    names = _WEEKDAYS_RU if language == "ru" else _WEEKDAYS_EN
    weekday = names.index(m["wd_d"].lower())
    return DateExpr(
        m.start(), m.end(), "weekday", DAY, offset=_direction(m["wd_dir"]), weekday=weekday, confidence=0.85
    )


def _relative_span(m, language, context):
    unit = {"нед": "week", "мес": "month", "год": "year"}.get(m["span_u"][:3].lower(), m["span_u"].lower())
    offset = _direction(m["span_dir"])
    confidence = {"week": 0.5, "month": 0.8, "year": 0.85}[unit]
    return DateExpr(m.start(), m.end(), "span", DAY, offset=offset, unit=unit, confidence=confidence)


def _anchor(m, language, context):
    """ "the same day", "the next day", "того же дня": counted from the last date before it."""
    word = m["anchor_w"].lower()
    same = any(key in word for key in ("same", "that day", "того же", "тот же", "тем же"))
    return DateExpr(m.start(), m.end(), "anchor", DAY, offset=0 if same else 1, confidence=0.85)


_BUILDERS = {
    "anchor": _anchor,
    "iso": _iso_date,
    "dot": _dot,
    "dmy": _dmy,
    "mdy": _mdy,
    "my": _my,
    "cm": _cm,
    "nm": _nm,
    "part": _part,
    "qh": _qh,
    "yr": _yr,
    "rel": _rel,
    "wd": _wd,
    "span": _relative_span,
}
