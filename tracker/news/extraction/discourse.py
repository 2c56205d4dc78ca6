"""The mission of a sentence that names nothing of the record: "The capsule is now due to
launch in March", "Его возвращение на Землю запланировано на 9 декабря". A reader takes it
for the one mission named just before; so does `story_mission`, and events read this way
carry too little confidence to be proposed (events._INFERRED). `page` is events.Page."""

import re

from . import triggers as tr
from .date_patterns import find_dates
from .spellings import MISSION

_STORY_REACH = 3  # how many sentences back a sentence that names nothing looks for its mission


def subjectless(page) -> set[int]:
    """The sentences that name nothing of the record but follow, within reach, one that names
    a mission: the only ones `story_mission` can give a mission ("Liftoff came at 18.44
    Moscow time" after "Soyuz MS-24 lifted off"). No scan of their words here: the events
    step reads each candidate's triggers anyway."""
    named = [i for i, found in page.by_sentence.items() if any(occ.kind == MISSION for occ in found)]
    reach = {j for i in named for j in range(i + 1, min(i + 1 + _STORY_REACH, len(page.sentences.spans)))}
    return reach - set(page.by_sentence)


# Words for a craft the record does not hold: a sentence with one is about that craft.
_OTHER_CRAFT = re.compile(
    r"\b(?:another|other|progress|cargo|freighter|starliner|cygnus|tianzhou|shenzhou|rocket\s+stage)\b"
    r"|(?<!\w)(?:друг\w+|прогресс\w*|грузов\w+)",
    re.IGNORECASE,
)


def may_mean_the_story(page, span: tuple[int, int], trigger: tr.Trigger, timed: tuple[str, ...]) -> bool:
    """A verb of a timed event ("is due to launch", "стартовал"), or a noun with a date of its
    own ("Старт состоялся 8 апреля", not "Liftoff came at 18.44"), in a sentence about no
    other craft."""
    if trigger.type not in timed:
        return False
    if tr.is_noun(trigger, page.text, span) and not find_dates(page.text, *span, language=page.language):
        return False
    return not _OTHER_CRAFT.search(page.text, *span)


def story_mission(page, index: int) -> str | None:
    """The mission a sentence that names nothing means: the one mission named in the nearest
    of the few sentences before it (the reader's "it", "the capsule", "liftoff"). Events read
    this way are linked but, at their confidence, never proposed."""
    for before in range(index - 1, max(-1, index - 1 - _STORY_REACH), -1):
        named = {occ.name for occ in page.by_sentence.get(before, []) if occ.kind == MISSION}
        if len(named) == 1:
            return named.pop()
        if len(named) > 1:
            return None
    return None
