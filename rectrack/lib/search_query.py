"""Parse what a user types into a search box into a small query tree.

The language is the one people know from search engines:

    torture prison            both words (AND is implied)
    "right to education"      a phrase
    torture OR "ill-treatment"
    women NOT violence        or: women -violence
    discrimin*                words starting with "discrimin"
    (roma OR sinti) housing   grouping

Operators are recognised only in capitals, so "and", "or" and "not" in a
quoted title or a sentence are plain words. The parser never fails: any input
(unbalanced quotes or brackets, operators alone, another engine's syntax,
a 10,000-character paste) becomes a tree, possibly empty, plus the notes to
show the user about what was ignored. Backends compile the tree into their own
syntax from plain tokens only, so nothing the user typed reaches the database
as query syntax.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MAX_QUERY_LENGTH = 500
MAX_TERMS = 32
MAX_DEPTH = 8

# A word is a run of letters, digits or combining marks (all scripts).
_WORD_RE = re.compile(r"[^\W_]+(?:\*)?", re.UNICODE)
_TOKEN_RE = re.compile(r'"|\(|\)|-(?=[^\W_])|[^\s"()]+', re.UNICODE)


@dataclass(frozen=True)
class Word:
    text: str
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]
    prefix: bool = False  # the last word is a prefix


@dataclass(frozen=True)
class And:
    children: tuple


@dataclass(frozen=True)
class Or:
    children: tuple


@dataclass(frozen=True)
class Not:
    child: object


@dataclass
class ParsedQuery:
    """The query tree split for backends that cannot run a negation alone.

    `include` must match and `exclude` must not; either may be None. A search
    with neither (only operators or punctuation) filters nothing.
    """

    raw: str
    include: object | None = None
    exclude: object | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return self.include is None and self.exclude is None


def _words_of(text: str) -> list[Word]:
    """Split free text into words the way the full-text tokenizers do."""
    words = []
    for match in _WORD_RE.finditer(text):
        piece = match.group()
        prefix = piece.endswith("*")
        words.append(Word(piece.rstrip("*").lower(), prefix))
    return words


class _Parser:
    def __init__(self, tokens: list[str], notes: list[str]):
        self.tokens = tokens
        self.pos = 0
        self.notes = notes
        self.term_count = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        piece = self.tokens[self.pos]
        self.pos += 1
        return piece

    def parse(self):
        node = self.parse_or()
        while self.peek() is not None:  # a stray ")" ends a group early
            self.take()
            rest = self.parse_or()
            node = _join(And, [node, rest])
        return node

    def parse_or(self):
        children = [self.parse_and()]
        while self.peek() == "OR":
            self.take()
            children.append(self.parse_and())
        return _join(Or, children)

    def parse_and(self):
        children = []
        while (piece := self.peek()) is not None and piece not in {"OR", ")"}:
            if piece == "AND":
                self.take()
                continue
            children.append(self.parse_unary())
        return _join(And, children)

    def parse_unary(self):
        piece = self.peek()
        if piece in {"NOT", "-"}:
            self.take()
            child = self.parse_unary() if self.peek() not in {None, "OR", ")", "AND"} else None
            if child is None:
                return None
            return child.child if isinstance(child, Not) else Not(child)
        return self.parse_atom()

    def parse_atom(self):
        piece = self.take()
        if piece == "(":
            node = self.parse_or()
            if self.peek() == ")":
                self.take()
            return node
        if piece == '"':
            parts = []
            while (inner := self.peek()) is not None and inner != '"':
                parts.append(self.take())
            if self.peek() == '"':
                self.take()
            words = [w.text for w in _words_of(" ".join(parts))]
            return self._limit(Phrase(tuple(words)) if len(words) > 1 else (Word(words[0]) if words else None))
        words = _words_of(piece)
        if len(words) > 1:  # "non-discrimination", "women's": adjacent words
            return self._limit(Phrase(tuple(w.text for w in words), prefix=words[-1].prefix))
        return self._limit(words[0] if words else None)

    def _limit(self, node):
        if node is None:
            return None
        size = len(node.words) if isinstance(node, Phrase) else len(node.children) if isinstance(node, And) else 1
        if self.term_count + size > MAX_TERMS:
            if self.term_count <= MAX_TERMS:
                self.notes.append(_("Only the first %(count)d words of your search were used.") % {"count": MAX_TERMS})
            self.term_count = MAX_TERMS + 1
            return None
        self.term_count += size
        return node


def _join(kind, children):
    children = [c for c in children if c is not None]
    flat = []
    for child in children:
        flat.extend(child.children if isinstance(child, kind) else [child])
    if not flat:
        return None
    if len(flat) == 1:
        return flat[0]
    return kind(tuple(flat))


def _tokenize(text: str) -> list[str]:
    """Split into tokens, dropping brackets that do not pair up or nest too deep.

    Brackets inside quotes are left for the phrase to swallow.
    """
    tokens = []
    depth = 0
    in_quotes = False
    for piece in _TOKEN_RE.findall(text):
        if piece == '"':
            in_quotes = not in_quotes
        elif piece == "(" and not in_quotes:
            if depth >= MAX_DEPTH:
                continue
            depth += 1
        elif piece == ")" and not in_quotes:
            if depth == 0:
                continue
            depth -= 1
        tokens.append(piece)
    return tokens


def _split_negations(node, notes: list[str]):
    """Return (include, exclude) for the top of the tree.

    Full-text engines run "a NOT b" but not "NOT b" alone, so a top-level
    negation is handed to the caller as a separate exclusion. A negation with
    nothing positive beside it deeper in the tree (inside an OR) cannot be
    expressed and is dropped with a note.
    """
    if node is None:
        return None, None
    if isinstance(node, Not):
        return None, _drop_lonely_negations(node.child, notes)
    if isinstance(node, And):
        positives = [c for c in node.children if not isinstance(c, Not)]
        negatives = [c.child for c in node.children if isinstance(c, Not)]
        include = _drop_lonely_negations(_join(And, positives), notes)
        exclude = _drop_lonely_negations(_join(Or, negatives), notes)
        return include, exclude
    return _drop_lonely_negations(node, notes), None


def _drop_lonely_negations(node, notes: list[str]):
    if node is None or isinstance(node, (Word, Phrase)):
        return node
    if isinstance(node, Not):
        notes.append(_("A NOT inside an OR was ignored: put it beside the words it should exclude."))
        return None
    if isinstance(node, Or):
        return _join(Or, [_drop_lonely_negations(c, notes) for c in node.children])
    # And: keep "a NOT b" pairs; an AND made only of negations cannot stand.
    children = [_drop_lonely_negations(c.child if isinstance(c, Not) else c, notes) for c in node.children]
    kept = [
        Not(new) if isinstance(old, Not) and new is not None else new
        for old, new in zip(node.children, children, strict=True)
    ]
    if all(isinstance(c, Not) or c is None for c in kept):
        if any(c is not None for c in kept):
            notes.append(_("A NOT inside an OR was ignored: put it beside the words it should exclude."))
        return None
    return _join(And, kept)


def parse_search_query(raw: str | None) -> ParsedQuery:
    """Parse a user's search text. Never raises."""
    raw = (raw or "").strip()
    notes: list[str] = []
    if len(raw) > MAX_QUERY_LENGTH:
        notes.append(_("Your search was shortened to its first %(count)d characters.") % {"count": MAX_QUERY_LENGTH})
        raw = raw[:MAX_QUERY_LENGTH]
    parsed = ParsedQuery(raw=raw, notes=notes)
    if not raw:
        return parsed
    tree = _Parser(_tokenize(raw), notes).parse()
    parsed.include, parsed.exclude = _split_negations(tree, notes)
    if parsed.is_empty:
        notes.append(_("Your search has no words to look for, so all recommendations are shown."))
    return parsed
