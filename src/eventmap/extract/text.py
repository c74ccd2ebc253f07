"""Article text: decode bytes, find front matter, strip HTML, split sentences with offsets.

Every sentence keeps the character offsets of its text in the ORIGINAL document, so a quote is
always ``document[start:end]`` and any event can be traced back to the words it came from.
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import yaml

from ..errors import DocumentError

_DECLARED = (
    re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I),
    re.compile(rb"<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9_.:-]+)", re.I),
    re.compile(rb"^-\*-\s*coding:\s*([A-Za-z0-9_.:-]+)", re.I),
)


def decode(data: bytes, name: str = "the article") -> str:
    """UTF-8, then the charset the file declares, then a detected one; else DocumentError.

    Why: articles saved from the web arrive in legacy encodings; guessing silently would corrupt
    quotes, so each step is explicit and the failure names the file.
    """
    if not data.strip():
        raise DocumentError(f"{name}: the article is empty")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError(f"{name}: looks binary (NUL bytes), not an article's text")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise DocumentError(f"{name}: has a UTF-16 mark but is not valid UTF-16") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    head = data[:4096]
    for pattern in _DECLARED:
        match = pattern.search(head)
        if match:
            encoding = match.group(1).decode("ascii", "replace")
            try:
                return data.decode(encoding)
            except (LookupError, UnicodeDecodeError):
                break
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
    except Exception:  # charset_normalizer is optional at run time
        best = None
    if best is not None and best.encoding and (best.chaos or 0) < 0.2:
        try:
            return data.decode(best.encoding)
        except (LookupError, UnicodeDecodeError):
            pass
    raise DocumentError(
        f"{name}: not valid UTF-8 (byte {data[utf8_error.start]:#04x} at offset "
        f"{utf8_error.start}), no usable declared charset, and no encoding could be detected"
    )


@dataclass
class Sentence:
    """One sentence: its clean text for analysis and its span in the original document."""

    text: str
    start: int
    end: int
    paragraph: int
    index: int = 0
    whole_line: bool = False  # the sentence is a line of its own: maybe a headline or caption


@dataclass
class Document:
    """An article ready for analysis: original text, clean text and the offset map between them."""

    name: str
    original: str
    clean: str
    offsets: array | None = None  # clean index -> original index; None means identity
    front_matter: dict[str, Any] = field(default_factory=dict)
    kind: str = "text"
    meta: dict[str, str] = field(default_factory=dict)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        if self.offsets is None:
            return start, end
        return self.offsets[start], self.offsets[end - 1] + 1


_FRONT = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?\r?\n)---[ \t]*(?:\r?\n|\Z)", re.S)
_YAML_KEY = re.compile(r"^([ \t]*(?:-[ \t]+)?)([A-Za-z_][\w-]*:)([ \t]*(?:[>|][-+]?)?)", re.M)
_MARKUP = re.compile(r"^([ \t]*(?:#{1,6}|>|[*+-](?=\s)|\d+[.)](?=\s))[ \t]*)", re.M)


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            if chars[i] not in "\r\n":
                chars[i] = " "
    return "".join(chars)


def _all_keys(data: Any) -> set[str]:
    keys: set[str] = set()
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            keys.update(str(k) for k in item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return keys


def _front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Parse YAML front matter and blank its keys so its prose values stay at their offsets."""
    match = _FRONT.match(text)
    if not match:
        return {}, text
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        data = None
    if not isinstance(data, dict):
        return {}, text
    region_start, region_end = match.start(1), match.end(1)
    head = text[: match.end()]
    spans = [(0, region_start)]
    keys = _all_keys(data)
    for key in _YAML_KEY.finditer(head, region_start, region_end):
        if key.group(2)[:-1] not in keys:
            continue  # "Sunday:" inside a folded paragraph is prose, not a key
        spans.append((key.start(), key.end()))
        # Scalar one-liners such as ids, slugs and timestamps are not prose: blank them too.
        line_end = head.find("\n", key.end())
        line_end = region_end if line_end < 0 else line_end
        value = head[key.end() : line_end].strip()
        if value and not re.search(r"[a-z]{3,}\s+[a-z]{3,}", value):
            spans.append((key.end(), line_end))
    spans.append((region_end, match.end()))
    masked = _mask(head[: match.end()], spans) + text[match.end() :]
    return data, masked


class _Stripper(HTMLParser):
    """Collect visible text and the original offset of each character, skipping page furniture."""

    SKIP = {"script", "style", "nav", "header", "footer", "aside", "form", "noscript", "svg"}
    SKIP |= {"button", "select", "template", "iframe", "head", "title"}
    BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr"}
    BLOCK |= {"table", "section", "article", "blockquote", "figcaption", "figure", "hr", "dd"}

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.parts: list[str] = []
        self.offsets = array("q")
        self.skip_depth = 0
        self.meta: dict[str, str] = {}

    def _pos(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _emit(self, text: str, origin: int, step: bool = True) -> None:
        self.parts.append(text)
        for i in range(len(text)):
            self.offsets.append(origin + (i if step else 0))

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip_depth += 1
        elif tag == "meta":
            attrs = dict(attrs)
            key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
            if key and attrs.get("content"):
                self.meta[key.lower()] = attrs["content"]
        if tag in self.BLOCK:
            self._emit("\n\n", self._pos(), step=False)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in self.SKIP:
            self.skip_depth -= 1

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skip_depth:
            self.skip_depth -= 1
        if tag in self.BLOCK:
            self._emit("\n\n", self._pos(), step=False)

    def handle_data(self, data):
        if not self.skip_depth:
            self._emit(data, self._pos())

    def handle_entityref(self, name):
        if not self.skip_depth:
            import html

            self._emit(html.unescape(f"&{name};"), self._pos(), step=False)

    def handle_charref(self, name):
        if not self.skip_depth:
            import html

            self._emit(html.unescape(f"&#{name};"), self._pos(), step=False)


def looks_html(text: str) -> bool:
    head = text[:2000].lower()
    return (
        "<html" in head or "<!doctype html" in head or len(re.findall(r"</?(p|div)\b", head)) >= 2
    )


def strip_html(source: str) -> tuple[str, array, dict[str, str]]:
    parser = _Stripper(source)
    try:
        parser.feed(source)
        parser.close()
    except Exception as exc:  # html.parser is lenient; this is belt and braces
        raise DocumentError(f"cannot parse the HTML ({exc})") from None
    clean = "".join(parser.parts)
    return clean, parser.offsets, parser.meta


def load(text: str, name: str = "document") -> Document:
    """Recognise the input's form (HTML, Markdown with front matter, plain text)."""
    if looks_html(text):
        clean, offsets, meta = strip_html(text)
        return Document(name, text, clean, offsets, kind="html", meta=meta)
    front, masked = _front_matter(text)
    masked = _MARKUP.sub(lambda m: " " * len(m.group(1)), masked)
    masked = masked.replace("**", "  ").replace("__", "  ")
    return Document(
        name, text, masked, None, front_matter=front, kind="markdown" if front else "text"
    )


# --- sentences ------------------------------------------------------------------------------

_ABBREV = {
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "gen", "lt", "col", "maj", "sgt", "capt", "cpl", "pvt", "adm", "brig", "sec", "mr", "mrs",
    "ms", "dr", "rep", "sen", "gov", "pres", "st", "mt", "ft", "no", "jr", "sr", "inc", "co",
    "corp", "vs", "etc", "calif", "dept", "approx", "gov't", "govt", "cmdr", "spc", "rev",
    "prof", "est", "fig", "op", "ave",
}  # fmt: skip
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9*])")
_CLOCK = re.compile(r"\b[ap]\.m\.$", re.I)
# "at approximately 7:30 p.m. Oct. 24": the clock's day follows it, in the same sentence
_CLOCK_DAY = re.compile(
    r"\s*(?:\(|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d|"
    r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b|local\b|EST\b|EDT\b|GMT\b|UTC\b)"
)
_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
_LINE = re.compile(r"[ \t]*\n")  # the next line's indent stays with it
_CONTINUES = re.compile(r"(?:\b[a-z][a-z'’-]*|[,;])$")


def _is_abbreviation(text: str, dot: int) -> bool:
    word = re.search(r"([A-Za-z']+)\.?$", text[max(0, dot - 12) : dot])
    if not word:
        return False
    token = word.group(1)
    if len(token) == 1 and token.isupper():  # initials and U.S., U.K.
        return True
    return token.lower() in _ABBREV


def _lines_of(paragraph: str, base: int) -> list[tuple[int, int]]:
    """Split a paragraph into logical lines: hard breaks, except soft-wrapped prose."""
    pieces: list[tuple[int, int]] = []
    start = 0
    for match in _LINE.finditer(paragraph):
        before = paragraph[start : match.start()].rstrip()
        after_start = match.end()
        nxt = paragraph[after_start : after_start + 1]
        wrapped_indent = paragraph[match.end() - 1 : match.end()] == "\n" and paragraph[
            match.end() : match.end() + 1
        ] in (" ", "\t")
        soft = bool(before) and (
            (wrapped_indent and not before.endswith((".", "!", "?", ":", "”", '"')))
            or (_CONTINUES.search(before) is not None and (nxt.islower() or len(before) > 60))
            or (nxt.islower() and not before.endswith((".", "!", "?")))  # "...of Iraq\nand Syria"
        )
        if not soft:
            pieces.append((base + start, base + match.start()))
            start = after_start
    pieces.append((base + start, base + len(paragraph)))
    return pieces


def split_sentences(doc: Document) -> list[Sentence]:
    """Sentences of the clean text, each mapped back to its span in the original document."""
    clean = doc.clean
    out: list[Sentence] = []
    paragraph_no = 0
    position = 0
    bounds = [m for m in _PARAGRAPH.finditer(clean)]
    spans = []
    for m in bounds:
        spans.append((position, m.start()))
        position = m.end()
    spans.append((position, len(clean)))
    for p_start, p_end in spans:
        if not clean[p_start:p_end].strip():
            continue
        paragraph_no += 1
        for l_start, l_end in _lines_of(clean[p_start:p_end], p_start):
            line = clean[l_start:l_end]
            cut = 0
            for match in _BOUNDARY.finditer(line):
                dot = match.start()
                if line[dot] == "." and _is_abbreviation(line, dot):
                    continue
                if _CLOCK.search(line, 0, dot + 1) and _CLOCK_DAY.match(line, match.end()):
                    continue  # "at 8:45 p.m. (EST) on Dec. 25", "at 7:30 p.m. Oct. 24"
                _add(out, doc, l_start + cut, l_start + match.end(), paragraph_no)
                cut = match.end()
            _add(out, doc, l_start + cut, l_end, paragraph_no, whole_line=cut == 0)
    for i, sentence in enumerate(out):
        sentence.index = i
    return out


def _add(
    out: list[Sentence], doc: Document, start: int, end: int, paragraph: int, whole_line=False
) -> None:
    text = doc.clean[start:end]
    stripped = text.strip()
    if not stripped or not re.search(r"[A-Za-z0-9]", stripped):
        return
    start += len(text) - len(text.lstrip())
    end = start + len(stripped)
    o_start, o_end = doc.to_original(start, end)
    out.append(Sentence(" ".join(stripped.split()), o_start, o_end, paragraph, 0, whole_line))
