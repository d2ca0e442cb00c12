"""Decide a CSV file's text encoding from the whole file and refuse text that cannot be Czech.

Used by :mod:`apk_geo.io.read`. One pass over the bytes (:func:`byte_stats`) counts every byte
that matters: the non-ASCII ones, line ends, quotes, NUL and the delimiters. From those counts:

* **Which encoding.** A byte-order mark decides (UTF-8, UTF-16). Otherwise a file whose
  non-ASCII bytes form UTF-8 sequences (as many continuation bytes as its lead bytes need) is
  UTF-8. Otherwise it is a single-byte Czech code page: Windows-1250, unless it has none of
  cp1250's ``Š Ť Ž š ť ž`` (bytes ``0x8A 0x8D 0x8E 0x9A 0x9D 0x9E``, control characters in
  ISO-8859-2) but has ISO-8859-2's (``0xA9 0xAB 0xAE 0xB9 0xBB 0xBE``, which cp1250 reads as
  ``© « ® ą » ľ``): then ISO-8859-2.
* **What is refused** (an :class:`~apk_geo.errors.InputFileError` naming the encoding tried,
  the line and the text around it): bytes not valid in the encoding; C1 control characters
  (U+0080–U+009F, what ISO-8859-2 or Latin-1 make of cp1250's letters); the replacement
  character U+FFFD (text damaged by an earlier conversion); in a single-byte encoding, the
  characters the cp1250 ↔ ISO-8859-2 ↔ Latin-1 confusions put where Czech letters were meant
  (``© ® « » ¹ ¾ ą ľ`` when the file has none of ``š ť ž Š Ť Ž``; ``è ì ò ù ø ï ð`` when it has
  none of ``č ř ě ů ň ď``); and a file that mixes encodings (lines in cp1250 and lines in
  UTF-8), named by the line where the encoding changes.
* **Zero-width characters** (U+200B–U+200D, U+2060, U+FEFF inside the text) are detected so the
  reader can fold them like a non-breaking space (:func:`drop_zero_width`).

The checks look at the bytes (memchr-speed searches, one histogram), so the C parser can decode
the file itself: deciding costs about as much as one decode of the file.
"""

from __future__ import annotations

import codecs
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np

from apk_geo.errors import InputFileError, ParameterError
from apk_geo.io._messages import msg

__all__ = [
    "ZERO_WIDTH",
    "ByteStats",
    "Decoded",
    "byte_stats",
    "check_encoding_name",
    "decide_encoding",
    "drop_zero_width",
    "has_zero_width",
    "line_of_offset",
    "undecodable_error",
]

#: Invisible characters folded away in headers, ids and codes (like a non-breaking space).
ZERO_WIDTH: Final = "\u200b\u200c\u200d\u2060\ufeff"
_ZERO_WIDTH_RE: Final = re.compile(f"[{ZERO_WIDTH}]")
_ZERO_WIDTH_TABLE: Final = {ord(c): None for c in ZERO_WIDTH}

#: Bytes counted by :func:`byte_stats`: every non-ASCII byte, line ends, quote and NUL.
_KEPT: Final = bytes(range(0x80, 0x100)) + b'\n\r"\x00'
_DROPPED: Final = bytes(b for b in range(256) if b not in _KEPT)
_DROPPED_CODES: Final = np.frombuffer(_DROPPED, dtype=np.uint8).astype(np.intp)
#: Bytes :func:`byte_stats` counts at a time (small enough for the cast to stay in cache).
_BLOCK: Final = 1 << 16

#: Codecs that Python calls text encodings but that do not read a CSV's bytes as characters.
_NOT_CHARSETS: Final = frozenset(
    {"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape"}
)

#: (confusion signs, Czech letters, the encoding the signs suggest): the signs are implausible
#: in a single-byte decoded text that has none of the letters.
_CONFUSIONS: Final = (
    ("©®«»¹¾ąľ", "šťžŠŤŽ", "ISO-8859-2"),
    ("èìòùøïðÈÌÒÙØÏÐ", "čřěůňďČŘĚŮŇĎ", "cp1250"),
)
#: cp1250's and ISO-8859-2's own bytes of Š Ť Ž š ť ž (the letters the two code pages differ on).
_CP1250_LETTERS: Final = bytes((0x8A, 0x8D, 0x8E, 0x9A, 0x9D, 0x9E))
_LATIN2_LETTERS: Final = bytes((0xA9, 0xAB, 0xAE, 0xB9, 0xBB, 0xBE))
#: Lead bytes of the UTF-8 form of Czech letters and Latin-1 symbols (C2–C5).
_UTF8_CZECH_LEADS: Final = range(0xC2, 0xC6)
_UTF8_C1: Final = re.compile(rb"\xc2[\x80-\x9f]")
_UTF8_PAIR: Final = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")
_UTF8_ZERO_WIDTH: Final = re.compile(rb"\xe2(?:\x80[\x8b-\x8d]|\x81\xa0)")
_UTF8_REPLACEMENT: Final = b"\xef\xbf\xbd"
_C1_RE: Final = re.compile("[\x80-\x9f]")
_CONTEXT: Final = 12


@dataclass(frozen=True)
class ByteStats:
    r"""Counts of the bytes that matter in a file (see :func:`byte_stats`).

    Attributes
    ----------
    counts
        How often each byte value occurs; only non-ASCII bytes, ``\n``, ``\r``, ``"`` and NUL
        are counted (others are 0).
    size
        Length of the file in bytes.
    ends_with_newline
        Whether the last byte is a line end.
    """

    counts: np.ndarray
    size: int
    ends_with_newline: bool

    def has(self, byte: int) -> bool:
        """Return whether ``byte`` occurs."""
        return bool(self.counts[byte])

    @property
    def non_ascii(self) -> int:
        """Number of bytes ``>= 0x80``."""
        return int(self.counts[0x80:].sum())

    @property
    def physical_lines(self) -> int:
        r"""Number of lines if every line ends with ``\n`` (``\r\n``) or is the last one."""
        return int(self.counts[0x0A]) + (0 if self.ends_with_newline or not self.size else 1)

    @property
    def lone_carriage_returns(self) -> bool:
        r"""Whether the file may hold ``\r`` line ends not followed by ``\n``."""
        return int(self.counts[0x0D]) > int(self.counts[0x0A])


@dataclass(frozen=True)
class Decoded:
    """The encoding decided for a CSV file.

    Attributes
    ----------
    encoding
        The encoding as reported (``utf-8``, ``utf-8-sig``, ``cp1250``, ``iso-8859-2`` …).
    parse_encoding
        The encoding the C parser reads :attr:`content` with.
    content
        The bytes to parse: the file's, without a UTF-8 byte-order mark; re-encoded as UTF-8
        for encodings that are not ASCII-compatible single-byte code pages or UTF-8.
    stats
        :func:`byte_stats` of :attr:`content`.
    zero_width
        Whether the text holds zero-width characters.
    """

    encoding: str
    parse_encoding: str
    content: bytes
    stats: ByteStats
    zero_width: bool


def byte_stats(content: bytes) -> ByteStats:
    """Count the bytes that decide the encoding and the line structure, in one pass.

    Parameters
    ----------
    content
        The file's bytes.

    Returns
    -------
    ByteStats
        The counts.
    """
    raw = np.frombuffer(content, dtype=np.uint8)
    counts = np.zeros(256, dtype=np.int64)
    # bincount casts its input to intp: in blocks, the cast stays in the CPU cache and never
    # needs 8 bytes per byte of the file (one pass; no filtered copy of the bytes first)
    for start in range(0, len(raw), _BLOCK):
        counts += np.bincount(raw[start : start + _BLOCK], minlength=256)
    counts[_DROPPED_CODES] = 0
    ends = bool(content) and content[-1:] in (b"\n", b"\r")
    return ByteStats(counts=counts, size=len(content), ends_with_newline=ends)


def drop_zero_width(text: str) -> str:
    r"""Return ``text`` without zero-width characters (:data:`ZERO_WIDTH`).

    Examples
    --------
    >>> drop_zero_width("\u200bKategorie")
    'Kategorie'
    """
    return text.translate(_ZERO_WIDTH_TABLE)


def has_zero_width(text: str) -> bool:
    """Return whether ``text`` holds a zero-width character."""
    return _ZERO_WIDTH_RE.search(text) is not None


def line_of_offset(content: bytes, offset: int) -> int:
    r"""Return the 1-based line of byte ``offset`` (``\r\n``, ``\n`` and ``\r`` end lines)."""
    head = content[:offset]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1


def check_encoding_name(encoding: str, *, lang: str = "cs") -> str:
    """Return the codec name of ``encoding``; refuse unknown and non-text codecs.

    Parameters
    ----------
    encoding
        What ``--encoding`` (or ``encoding=``) said.
    lang
        Language of the message.

    Returns
    -------
    str
        Python's name of the codec (``iso8859-2`` for ``latin2``).

    Raises
    ------
    ParameterError
        If Python knows no such codec, or the codec is not a text encoding (``rot13``,
        ``base64``, ``hex``, ``zlib``, ``idna`` …).
    """
    try:
        info = codecs.lookup(encoding)
    except LookupError as exc:
        raise ParameterError(msg("io.error.encoding_unknown", lang, name=encoding)) from exc
    text_codec = getattr(info, "_is_text_encoding", True)
    if not text_codec or info.name in _NOT_CHARSETS:
        raise ParameterError(msg("io.error.encoding_not_text", lang, name=encoding))
    return info.name


# --------------------------------------------------------------------------------------------
# Deciding
# --------------------------------------------------------------------------------------------


def decide_encoding(
    content: bytes, *, encoding: str | None, path: Path, lang: str = "cs"
) -> Decoded:
    """Decide (or check the given) encoding of a CSV file from all of its bytes.

    Parameters
    ----------
    content
        The file's bytes.
    encoding
        The encoding the user named, or ``None`` to detect it.
    path
        The file, for messages.
    lang
        Language of the messages.

    Returns
    -------
    Decoded
        The encoding and the bytes to parse.

    Raises
    ------
    InputFileError
        If the bytes are not valid in the encoding, hold NUL bytes or control characters, text
        implausible in Czech, or two encodings (see the module docstring).
    """
    if encoding is None and content.startswith(codecs.BOM_UTF8):
        return _check_utf8(content[len(codecs.BOM_UTF8) :], "utf-8-sig", path=path, lang=lang)
    if encoding is None and content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _transcoded(content, "utf-16", path=path, lang=lang)
    if encoding is not None:
        return _declared(content, encoding, path=path, lang=lang)
    stats = byte_stats(content)
    _refuse_nul(content, stats, "UTF-8 or cp1250", path=path, lang=lang)
    if not stats.non_ascii or _utf8_shaped(stats.counts):
        return _check_utf8(content, "utf-8", path=path, lang=lang, stats=stats)
    chosen = _single_byte_choice(stats.counts)
    return _check_single_byte(content, chosen, stats=stats, path=path, lang=lang)


def _declared(content: bytes, encoding: str, *, path: Path, lang: str) -> Decoded:
    """Check the bytes against the encoding the user named."""
    name = check_encoding_name(encoding, lang=lang)
    if name == "utf-8":
        return _check_utf8(content, encoding, path=path, lang=lang)
    if name == "utf-8-sig":
        body = content.removeprefix(codecs.BOM_UTF8)
        return _check_utf8(body, encoding, path=path, lang=lang)
    if _byte_table(name) is not None:
        stats = byte_stats(content)
        _refuse_nul(content, stats, encoding, path=path, lang=lang)
        return _check_single_byte(content, encoding, stats=stats, path=path, lang=lang)
    return _transcoded(content, encoding, path=path, lang=lang)


def _utf8_shaped(counts: np.ndarray) -> bool:
    """Return whether the non-ASCII bytes could all be UTF-8 sequences (lead and continuation)."""
    cont = int(counts[0x80:0xC0].sum())
    need = int(counts[0xC2:0xE0].sum()) + 2 * int(counts[0xE0:0xF0].sum())
    need += 3 * int(counts[0xF0:0xF5].sum())
    impossible = int(counts[0xC0:0xC2].sum()) + int(counts[0xF5:].sum())
    return impossible == 0 and cont == need


def _single_byte_choice(counts: np.ndarray) -> str:
    """Pick cp1250 or ISO-8859-2 by the letters the two code pages encode differently."""
    cp1250 = any(counts[b] for b in _CP1250_LETTERS) or counts[0x80:0xA0].any()
    latin2 = any(counts[b] for b in _LATIN2_LETTERS)
    return "iso-8859-2" if latin2 and not cp1250 else "cp1250"


@functools.cache
def _byte_table(encoding: str) -> tuple[str | None, ...] | None:
    """Return the character of every byte in an ASCII-compatible single-byte encoding, else None.

    Undefined bytes are ``None``.
    """
    try:
        whole = bytes(range(256)).decode(encoding, errors="replace")
    except (LookupError, UnicodeError, TypeError):
        return None
    if len(whole) != 256 or any(whole[b] != chr(b) for b in range(128)):
        return None
    table: list[str | None] = []
    for b in range(256):
        try:
            table.append(bytes([b]).decode(encoding))
        except UnicodeDecodeError:
            table.append(None)
    return tuple(table)


# --------------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------------


def _refuse_nul(content: bytes, stats: ByteStats, encoding: str, *, path: Path, lang: str) -> None:
    """Refuse a file with NUL bytes (a binary file, or UTF-16 without a byte-order mark)."""
    if stats.has(0):
        line = line_of_offset(content, content.find(b"\x00"))
        raise InputFileError(
            msg("io.error.nul", lang, encoding=encoding, line=line), path=str(path)
        )


def _check_utf8(
    content: bytes,
    encoding: str,
    *,
    path: Path,
    lang: str,
    stats: ByteStats | None = None,
) -> Decoded:
    """Check UTF-8 bytes for control and replacement characters; note zero-width ones.

    Invalid sequences are left to the parser, which decodes strictly (see
    :func:`undecodable_error`).
    """
    stats = stats if stats is not None else byte_stats(content)
    _refuse_nul(content, stats, encoding, path=path, lang=lang)
    if stats.has(0xC2) and (found := _UTF8_C1.search(content)) is not None:
        code = ord(found.group().decode("utf-8"))
        _raise_control(
            content, found.start(), code, encoding=encoding, hint="", path=path, lang=lang
        )
    if stats.has(0xEF) and (at := content.find(_UTF8_REPLACEMENT)) >= 0:
        raise InputFileError(
            msg(
                "io.error.replacement_char",
                lang,
                line=line_of_offset(content, at),
                context=_context(content, at, "utf-8"),
            ),
            path=str(path),
        )
    zero_width = (stats.has(0xE2) and _UTF8_ZERO_WIDTH.search(content) is not None) or (
        stats.has(0xEF) and codecs.BOM_UTF8 in content
    )
    return Decoded(encoding, "utf-8", content, stats, zero_width)


def _check_single_byte(
    content: bytes, encoding: str, *, stats: ByteStats, path: Path, lang: str
) -> Decoded:
    """Check a single-byte code page: valid bytes, no control characters, plausible letters."""
    table = _byte_table(codecs.lookup(encoding).name)
    if table is None:  # pragma: no cover - callers pass single-byte encodings only
        raise ParameterError(msg("io.error.not_single_byte", lang, encoding=encoding))
    _refuse_utf8(content, stats, encoding=encoding, path=path, lang=lang)
    present = [b for b in range(0x80, 0x100) if stats.counts[b]]
    undefined = [b for b in present if table[b] is None]
    if undefined:
        at = min(content.find(bytes([b])) for b in undefined)
        raise InputFileError(
            msg(
                "io.error.undecodable",
                lang,
                byte=content[at],
                line=line_of_offset(content, at),
                encoding=encoding,
            ),
            path=str(path),
        )
    chars = {table[b]: b for b in present}
    control = [b for b in present if 0x80 <= ord(table[b] or "") <= 0x9F]
    if control:
        at = min(content.find(bytes([b])) for b in control)
        hint = "" if codecs.lookup(encoding).name == "cp1250" else _hint("cp1250", lang)
        code = ord(table[content[at]] or "\x00")
        _raise_control(content, at, code, encoding=encoding, hint=hint, path=path, lang=lang)
    _refuse_confusions(content, chars, encoding=encoding, path=path, lang=lang)
    if any(stats.counts[b] for b in _UTF8_CZECH_LEADS):
        _refuse_mixed(content, encoding=encoding, path=path, lang=lang)
    return Decoded(encoding, encoding, content, stats, zero_width=False)


def _refuse_utf8(content: bytes, stats: ByteStats, *, encoding: str, path: Path, lang: str) -> None:
    """Refuse UTF-8 text named a single-byte encoding (``--encoding cp1250`` on a UTF-8 file)."""
    if not stats.non_ascii or not _utf8_shaped(stats.counts):
        return
    found = _UTF8_PAIR.search(content)
    if found is None:  # pragma: no cover - a UTF-8 shaped file has a lead byte
        return
    at = found.start()
    raise InputFileError(
        msg(
            "io.error.utf8_declared",
            lang,
            encoding=encoding,
            line=line_of_offset(content, at),
            context=_context(content, at, "utf-8"),
        ),
        path=str(path),
    )


def _refuse_confusions(
    content: bytes, chars: dict[str | None, int], *, encoding: str, path: Path, lang: str
) -> None:
    """Refuse confusion signs (``©`` for ``Š``, ``è`` for ``č``) in a text without the letters."""
    for signs, letters, guess in _CONFUSIONS:
        found = [chars[c] for c in signs if c in chars]
        if not found or any(c in chars for c in letters):
            continue
        at = min(content.find(bytes([b])) for b in found)
        raise InputFileError(
            msg(
                "io.error.implausible_char",
                lang,
                char=bytes([content[at]]).decode(encoding),
                line=line_of_offset(content, at),
                context=_context(content, at, encoding),
                letters=" ".join(letters[:6]),
                encoding=encoding,
                hint=_hint(guess, lang) if guess.lower() != encoding.lower() else "",
            ),
            path=str(path),
        )


def _refuse_mixed(content: bytes, *, encoding: str, path: Path, lang: str) -> None:
    """Refuse a file whose lines are partly UTF-8 and partly another encoding.

    Only lines with non-ASCII bytes are classified: UTF-8 when they decode as UTF-8 into Latin
    letters and common punctuation, otherwise the single-byte encoding.
    """
    first: tuple[int, bool] | None = None
    for number, line in enumerate(content.split(b"\n"), start=1):
        if line.isascii():
            continue
        is_utf8 = _utf8_latin_line(line)
        if first is None:
            first = (number, is_utf8)
        elif is_utf8 != first[1]:
            names = ("UTF-8", encoding) if first[1] else (encoding, "UTF-8")
            raise InputFileError(
                msg(
                    "io.error.mixed_encoding",
                    lang,
                    first_line=first[0],
                    first=names[0],
                    line=number,
                    second=names[1],
                ),
                path=str(path),
            )


def _utf8_latin_line(line: bytes) -> bool:
    """Return whether ``line`` is UTF-8 whose non-ASCII characters are Latin or punctuation."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(
        ord(ch) < 0x80 or 0xA0 <= ord(ch) <= 0x24F or 0x2000 <= ord(ch) <= 0x20AC for ch in text
    )


def _transcoded(content: bytes, encoding: str, *, path: Path, lang: str) -> Decoded:
    """Decode in Python (UTF-16, multi-byte code pages), check the text, re-encode as UTF-8."""
    try:
        text = content.decode(encoding)
    except UnicodeDecodeError as exc:
        line = content[: exc.start].decode(encoding, errors="replace").count("\n") + 1
        raise InputFileError(
            msg(
                "io.error.undecodable",
                lang,
                byte=content[exc.start],
                line=line,
                encoding=encoding,
            ),
            path=str(path),
        ) from exc
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InputFileError(
            msg("io.error.nul", lang, encoding=encoding, line=line), path=str(path)
        )
    if (found := _C1_RE.search(text)) is not None:
        line = text.count("\n", 0, found.start()) + 1
        context = _text_context(text, found.start())
        raise InputFileError(
            msg(
                "io.error.control_char",
                lang,
                code=ord(found.group()),
                line=line,
                context=context,
                encoding=encoding,
                hint="",
            ),
            path=str(path),
        )
    recoded = text.encode("utf-8")
    return _check_utf8(recoded, encoding, path=path, lang=lang)


def undecodable_error(
    content: bytes, encoding: str, *, path: Path, lang: str = "cs"
) -> InputFileError:
    """Return the error naming the first byte of ``content`` invalid in ``encoding``.

    For the strict decoding of the parser: call it when the parser raised a decoding error.
    """
    try:
        content.decode(encoding)
    except UnicodeDecodeError as exc:
        return InputFileError(
            msg(
                "io.error.undecodable",
                lang,
                byte=content[exc.start],
                line=line_of_offset(content, exc.start),
                encoding=encoding,
            ),
            path=str(path),
        )
    return InputFileError(msg("io.error.cannot_decode", lang, encoding=encoding), path=str(path))


# --------------------------------------------------------------------------------------------
# Messages
# --------------------------------------------------------------------------------------------


def _raise_control(
    content: bytes, at: int, code: int, *, encoding: str, hint: str, path: Path, lang: str
) -> None:
    """Raise the error of a C1 control character at byte ``at``."""
    raise InputFileError(
        msg(
            "io.error.control_char",
            lang,
            code=code,
            line=line_of_offset(content, at),
            context=_context(content, at, encoding),
            encoding=encoding,
            hint=hint,
        ),
        path=str(path),
    )


def _hint(guess: str, lang: str) -> str:
    """Return `` (it looks like <guess>)`` in ``lang``."""
    return msg("io.hint.looks_like", lang, guess=guess)


def _context(content: bytes, at: int, encoding: str) -> str:
    """Return the text around byte ``at`` on its line, decoded, quoted."""
    start = max(content.rfind(b"\n", 0, at) + 1, at - 4 * _CONTEXT)
    end = content.find(b"\n", at)
    end = min(len(content) if end < 0 else end, at + 4 * _CONTEXT)
    text = content[start:end].decode(encoding, errors="replace")
    pos = len(content[start:at].decode(encoding, errors="replace"))
    return _text_context(text, pos)


def _text_context(text: str, pos: int) -> str:
    """Return up to :data:`_CONTEXT` characters either side of ``pos``, on one line, quoted."""
    start = max(text.rfind("\n", 0, pos) + 1, pos - _CONTEXT)
    end = text.find("\n", pos)
    end = min(len(text) if end < 0 else end, pos + _CONTEXT + 1)
    return repr(text[start:end].replace("\r", "").strip())
