"""One regular expression for many names, shaped as a trie.

Python's `re` tries the alternatives of `a|b|c` one after another at every position, so a
flat alternation of a thousand names costs a thousand tries per character. Sharing
prefixes ("Soyuz MS-2" → 2, 3, 4 …) leaves a handful of literal tests per character,
all inside the regex engine.
"""

import re
from collections.abc import Iterable, Sequence

Atoms = Sequence[str]  # regex fragments; equal fragments share a trie node


def trie_pattern(forms: Iterable[Atoms]) -> str:
    """A pattern matching any of `forms` (each a sequence of regex fragments), longest first."""
    root: dict = {}
    for atoms in forms:
        node = root
        for atom in atoms:
            node = node.setdefault(atom, {})
        node[""] = {}
    return _emit(root)


def _emit(node: dict) -> str:
    branches = [atom + _emit(child) for atom, child in sorted(node.items(), key=_longest_first) if atom]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def _longest_first(item: tuple[str, dict]) -> tuple[int, str]:
    return (-len(item[0]), item[0])


def literal_atoms(text: str) -> list[str]:
    return [re.escape(char) for char in text]
