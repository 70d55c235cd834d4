"""Does a story read as advice? Stories tell what happened elsewhere ("when this happened to
us, we…"); advice prescribes ("you should…"). A hint only: the form says so and saves anyway.

Plain Python, English and French phrasings."""

import re
import unicodedata

ADVICE_PATTERNS = (
    # English
    r"\byou should\b",
    r"\byou shouldn'?t\b",
    r"\byou need to\b",
    r"\byou must\b",
    r"\byou have to\b",
    r"\byou ought to\b",
    r"\bif i were you\b",
    r"\bi would\b",
    r"\bi'?d (?:suggest|recommend|advise|try|go)\b",
    r"\bhave you tried\b",
    r"\bhave you considered\b",
    r"\bmy advice\b",
    r"\bi (?:suggest|recommend|advise)\b",
    r"\bwhy don'?t you\b",
    r"\byou could try\b",
    r"\bmake sure (?:you|to)\b",
    r"\bdon'?t forget to\b",
    # French (matched without accents)
    r"\btu devrais\b",
    r"\bvous devriez\b",
    r"\btu dois\b",
    r"\bvous devez\b",
    r"\bil faut que tu\b",
    r"\bil faut que vous\b",
    r"\bil faudrait\b",
    r"\btu n'?as qu'a\b",
    r"\bvous n'?avez qu'a\b",
    r"\bmon conseil\b",
    r"\bje te conseille\b",
    r"\bje vous conseille\b",
    r"\bje (?:te |vous )?recommande\b",
    r"\bje te suggere\b",
    r"\bje vous suggere\b",
    r"\bsi j'?etais toi\b",
    r"\bsi j'?etais vous\b",
    r"\bas-tu essaye\b",
    r"\bavez-vous essaye\b",
    r"\btu as essaye\b",
    r"\bvous avez essaye\b",
    r"\bpourquoi ne pas\b",
    r"\bessaie de\b",
    r"\bessayez de\b",
    r"\ba ta place\b",
    r"\ba votre place\b",
)
ADVICE_RE = re.compile("|".join(ADVICE_PATTERNS))


def _plain(text: str) -> str:
    text = text.replace("\u2019", "'").lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def advice_phrases(text: str) -> list[str]:
    """The advice-like phrases found, in the order they appear (lowercase, without accents)."""
    return [match.group(0) for match in ADVICE_RE.finditer(_plain(text or ""))]


def reads_as_advice(text: str) -> bool:
    return bool(ADVICE_RE.search(_plain(text or "")))
