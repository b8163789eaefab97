"""JSON lines, scanned by compiled loops: the bytes of a log straight into columns.

:func:`scan_lines` parses every line of a buffer as one JSON object, validating it as
Python's ``json.loads`` of its UTF-8 decoding would (grammar, escapes, UTF-8), and
writes the values at a few known paths (``seq``, ``data.site_id``...) into one slot per
path and line: integers, floats, booleans and ``YYYY-MM-DD`` dates parsed, strings as the
place of their bytes in the buffer. Every other value is parsed and dropped.

A general JSON reader builds a tree or nested columns for every line, every value
included; a log's lines have one shape and the frame needs a fifth of their bytes, so
one pass over the buffer that keeps only the wanted values is several times faster.

What is wanted comes as a *program*, built by :mod:`engine.scale.json_program` from a
polars schema: the object nodes of the schema, their keys in hash buckets, and for each
key the child node or the leaf it leads to. Anything this scanner does not take (a
value of the wrong type, a lone surrogate, a nesting
deeper than :data:`MAX_DEPTH`) stops the scan with an error code and the byte where it
stopped; the caller reads such a log another way.

:func:`read_chunk` drives the scan a block of lines at a time and appends each block to
growing columns while both are still in the cache: per leaf a validity byte, and a
number (integers, booleans, dates, a float's offset), a float, or a string's offsets
and bytes (escapes decoded). Written all at once, the slots of a million lines would
take ~400 MB, and reading them back a leaf at a time would fetch them from memory once
per leaf. The columns are numpy arrays the caller allocates from an estimate; when one
is full, :func:`read_chunk` returns, saying what needs more room, and is called again on
larger arrays from where it stopped.

Everything compiled lives in this one module: numba's cache is checked against the
file of each cached function only, so a caller kept in another module would go on
running a stale copy of the scan after it changed.
"""

from __future__ import annotations

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.core.extending import intrinsic
from numba.cpython.unsafe.numbers import trailing_zeros

#: leaf kinds
STRING, INT, FLOAT, BOOL, DATE = 0, 1, 2, 3, 4
#: a leaf's state on a line: null (or absent), present, present but needing more work
#: (a string with escapes to decode, a float for Python to parse exactly)
NULL, PRESENT, SPECIAL = 0, 1, 2
#: error codes
OK, BAD_JSON, BAD_TYPE, BAD_UTF8, BAD_DATE, BAD_NUMBER, TOO_DEEP, TWICE, BROKEN_LINK = range(9)
#: what a refused line is, by error code ("line 3 is ...")
ERRORS = {BAD_JSON: "not valid JSON", BAD_TYPE: "a value of another type than the schema's",
          TWICE: "a value given twice, at two paths of one leaf",
          BAD_UTF8: "invalid UTF-8", BAD_DATE: "not a YYYY-MM-DD date",
          BAD_NUMBER: "an integer out of range, or written with a fraction or an exponent",
          TOO_DEEP: "nesting deeper than the scanner follows",
          BROKEN_LINK: "not linked to the line before (its link is not that line's key)"}
MAX_DEPTH = 64
BUCKETS = 64
NO = -1

_QUOTE, _BACKSLASH, _NEWLINE = 34, 92, 10
#: powers of ten a double holds exactly: a decimal of at most 15 digits scaled by one of
#: them is correctly rounded by one multiplication or division (Clinger's fast path)
_EXACT_POWERS = np.array([10.0**k for k in range(23)])
_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


@njit(cache=True, nogil=True)
def count_lines(buf, lo, hi):  # pragma: no cover - compiled
    """The newlines in ``buf[lo:hi]``."""
    count = 0
    for i in range(lo, hi):
        count += buf[i] == _NEWLINE
    return count


@njit(cache=True, nogil=True)
def next_line(buf, i):  # pragma: no cover - compiled
    """The offset just past the first newline at or after ``i`` (the buffer's end if
    none)."""
    while i < buf.size and buf[i] != _NEWLINE:
        i += 1
    return min(i + 1, buf.size)


@njit(cache=True, nogil=True)
def key_bucket(buf, start, size):  # pragma: no cover - compiled
    """The hash bucket of the key ``buf[start:start + size]`` (size > 0)."""
    return (size * 7 + buf[start] * 3 + buf[start + size - 1]) % BUCKETS


@njit(cache=True, nogil=True)
def scan_lines(buf, lo, hi, capacity, keys, key_start, key_len, entry_child, entry_leaf,
               entry_next, bucket, leaf_lo, leaf_hi, leaf_kind, leaf_span, leaf_real, leaf_paths,
               state, value, length, real):  # pragma: no cover - compiled
    """Parse the lines of ``buf[lo:hi]`` (which ends with a newline) into the slots,
    a row per line, up to ``capacity`` lines.

    A leaf that ``leaf_paths`` says several paths lead to may be given on a line by one
    of them only (any other line is refused: TWICE).

    Per line ``r`` and leaf ``l``: ``state[r, l]`` (NULL, PRESENT, SPECIAL) and
    ``value[r, l]``: the integer, the boolean (0 or 1), the date (days since
    1970-01-01), or for a string or float the offset of its first byte in ``buf``.
    Strings and floats also have ``length[r, leaf_span[l]]`` (a string's decoded
    length in bytes, a float's length as written), floats ``real[r, leaf_real[l]]``.
    A line's slots are side by side: a line is written where it is read.

    Returns (lines scanned, error code, offset of the error in ``buf``, or where the
    scan stopped: ``hi``, or the next line when ``capacity`` lines were scanned).
    """
    stack_node = np.empty(MAX_DEPTH, np.int32)  # the schema node of each open container
    stack_object = np.empty(MAX_DEPTH, np.bool_)  # object (True) or array
    # the line each node was last entered on: the line's first clear covers its first visit
    entered = np.full(leaf_lo.size, NO, np.int64)
    written = np.full(leaf_kind.size, NO, np.int64)  # the line a leaf of paths was set on
    row, i = 0, lo
    while i < hi and row < capacity:
        i = _skip_space(buf, i)
        if buf[i] != 123:  # {
            return row, BAD_JSON, i
        _clear(state, row, 0, leaf_lo, leaf_hi)  # every leaf starts null on each line
        depth, i, first = 0, i + 1, True
        stack_node[0], stack_object[0] = 0, True
        while depth >= 0:
            i = _skip_space(buf, i)
            c = buf[i]
            if first and c == (125 if stack_object[depth] else 93):  # an empty {} or []
                i, depth, err = _close(buf, i, stack_object, depth)
                if err != OK:
                    return row, err, i
                first = False
                continue
            first = False
            node, leaf, child = stack_node[depth], NO, NO
            if stack_object[depth]:  # a key first: the leaf or node it leads to
                if c != _QUOTE:
                    return row, BAD_JSON, i
                end, escaped, _ = _scan_string(buf, i + 1)
                if end < 0:
                    return row, -end, i
                if escaped:  # a key spelled with escapes: read another way
                    return row, BAD_TYPE, i
                size = end - (i + 1)
                if node != NO and size > 0:
                    e = bucket[node, key_bucket(buf, i + 1, size)]
                    while e != NO:
                        if key_len[e] == size and _same(buf, i + 1, keys, key_start[e], size):
                            leaf, child = entry_leaf[e], entry_child[e]
                            break
                        e = entry_next[e]
                i = _skip_space(buf, end + 1)
                if buf[i] != 58:  # :
                    return row, BAD_JSON, i
                i = _skip_space(buf, i + 1)
                c = buf[i]
            if c == 123 or c == 91:  # { or [: open a container
                if leaf != NO or (c == 91 and child != NO):
                    return row, BAD_TYPE, i
                if depth + 1 >= MAX_DEPTH:
                    return row, TOO_DEEP, i
                if child != NO and entered[child] == row:  # a repeated key: the last wins
                    _clear(state, row, child, leaf_lo, leaf_hi)
                elif child != NO:
                    entered[child] = row
                depth += 1
                stack_node[depth], stack_object[depth] = child, c == 123
                i, first = i + 1, True
                continue
            if child != NO and c != 110:  # only an object or null where the schema nests
                return row, BAD_TYPE, i
            kind = leaf_kind[leaf] if leaf != NO else NO
            if kind != NO and leaf_paths[leaf] > 1:  # a leaf of several paths takes one
                if written[leaf] == row:
                    return row, TWICE, i
                written[leaf] = row
            if c == _QUOTE:
                end, escaped, decoded = _scan_string(buf, i + 1)
                if end < 0:
                    return row, -end, i
                if kind == STRING:
                    state[row, leaf] = SPECIAL if escaped else PRESENT
                    value[row, leaf] = i + 1
                    length[row, leaf_span[leaf]] = decoded
                elif kind == DATE:
                    ok, days = _date(buf, i + 1, end)
                    if escaped or not ok:
                        return row, BAD_DATE, i
                    state[row, leaf], value[row, leaf] = PRESENT, days
                elif kind != NO:
                    return row, BAD_TYPE, i
                i = end + 1
            elif c == 116 or c == 102 or c == 110:  # true, false, null
                word = _literal(buf, i)
                if word < 0:
                    return row, BAD_JSON, i
                if word == 2:
                    if child != NO and entered[child] == row:
                        _clear(state, row, child, leaf_lo, leaf_hi)
                    elif kind != NO:
                        state[row, leaf] = NULL
                elif kind == BOOL:
                    state[row, leaf], value[row, leaf] = PRESENT, word
                elif kind != NO:
                    return row, BAD_TYPE, i
                i += 5 if word == 0 else 4
            elif c == 45 or 48 <= c <= 57:  # - or a digit
                end, negative, integer, digits, scale, exact, plain = _scan_number(buf, i)
                if end < 0:
                    return row, BAD_JSON, i
                if kind == INT:
                    if not plain or not exact:
                        return row, BAD_NUMBER, i
                    state[row, leaf] = PRESENT
                    value[row, leaf] = -integer if negative else integer
                elif kind == FLOAT:
                    value[row, leaf], length[row, leaf_span[leaf]] = i, end - i
                    if exact and digits <= 15 and -22 <= scale <= 22:
                        x = float(integer)
                        x = x * _EXACT_POWERS[scale] if scale >= 0 else x / _EXACT_POWERS[-scale]
                        # -0 is Python's int 0, read as 0.0; -0.0 keeps its sign
                        x = -x if negative and not (plain and x == 0) else x
                        state[row, leaf], real[row, leaf_real[leaf]] = PRESENT, x
                    else:  # Python parses it: exact rounding of any decimal is its job
                        state[row, leaf] = SPECIAL
                elif kind != NO:
                    return row, BAD_TYPE, i
                i = end
            else:
                return row, BAD_JSON, i
            i, depth, err = _close(buf, i, stack_object, depth)
            if err != OK:
                return row, err, i
        i = _skip_space(buf, i)
        if buf[i] != _NEWLINE:
            return row, BAD_JSON, i
        row, i = row + 1, i + 1
    return row, OK, i


@njit(cache=True, nogil=True, inline="always")
def _skip_space(buf, i):  # pragma: no cover - compiled
    while buf[i] == 32 or buf[i] == 9 or buf[i] == 13:
        i += 1
    return i


@njit(cache=True, nogil=True, inline="always")
def _close(buf, i, stack_object, depth):  # pragma: no cover - compiled
    """After a value (or an empty container's opening bracket) in the container at
    ``depth``: past the comma before the next value, or past every closing bracket
    that follows. Returns (offset, depth then, error); depth -1 when the line's
    object has closed."""
    while True:
        i = _skip_space(buf, i)
        c = buf[i]
        if c == 44 and depth >= 0:  # ,
            return i + 1, depth, OK
        if depth < 0:
            return i, depth, OK
        if c != (125 if stack_object[depth] else 93):  # } or ]
            return i, depth, BAD_JSON
        i, depth = i + 1, depth - 1


@njit(cache=True, nogil=True, inline="always")
def _clear(state, row, node, leaf_lo, leaf_hi):  # pragma: no cover - compiled
    for leaf in range(leaf_lo[node], leaf_hi[node]):
        state[row, leaf] = NULL


@njit(cache=True, nogil=True, inline="always")
def _same(buf, i, keys, k, size):  # pragma: no cover - compiled
    """Is ``buf[i:i + size]`` the key at ``keys[k:]``? (``keys`` ends with 16 bytes of
    padding, so two words can be read from any key)"""
    if size <= 16 and i + 16 <= buf.size:
        first = min(size, 8)
        if (_load_word(buf, i) ^ _load_word(keys, k)) & (_ALL >> np.uint64(64 - 8 * first)):
            return False
        if size <= 8:
            return True
        rest = _ALL >> np.uint64(128 - 8 * size)
        return (_load_word(buf, i + 8) ^ _load_word(keys, k + 8)) & rest == 0
    for j in range(size):
        if buf[i + j] != keys[k + j]:
            return False
    return True


@njit(cache=True, nogil=True)
def _literal(buf, i):  # pragma: no cover - compiled
    """0 for ``false``, 1 for ``true``, 2 for ``null``, -1 for anything else."""
    if buf[i] == 116 and buf[i + 1] == 114 and buf[i + 2] == 117 and buf[i + 3] == 101:
        return 1
    if buf[i] == 110 and buf[i + 1] == 117 and buf[i + 2] == 108 and buf[i + 3] == 108:
        return 2
    if (buf[i] == 102 and buf[i + 1] == 97 and buf[i + 2] == 108 and buf[i + 3] == 115
            and buf[i + 4] == 101):
        return 0
    return -1


@njit(cache=True, nogil=True)
def _hex(buf, i):  # pragma: no cover - compiled
    """The four hex digits at ``i`` as a number, or -1."""
    code = 0
    for j in range(4):
        c = buf[i + j]
        if 48 <= c <= 57:
            d = c - 48
        elif 97 <= c <= 102:
            d = c - 87
        elif 65 <= c <= 70:
            d = c - 55
        else:
            return -1
        code = code * 16 + d
    return code


@njit(cache=True, nogil=True, inline="always")
def _scan_string(buf, i):  # pragma: no cover - compiled
    """From just after an opening quote: (offset of the closing quote, whether an
    escape occurs, decoded length in bytes), or (-error code, ...)."""
    start, saved, escaped, n = i, 0, False, buf.size  # decoded = bytes - saved by escapes
    while True:
        if i + 8 <= n:  # to the first byte of the next eight that is not plain ASCII
            special = _special(_load_word(buf, i))
            if special == 0:
                i += 8
                continue
            i += np.int64(trailing_zeros(special) >> np.uint64(3))
        c = buf[i]
        if c == _QUOTE:
            return i, escaped, i - start - saved
        if c == _BACKSLASH:
            escaped = True
            e = buf[i + 1]
            if (e == _QUOTE or e == _BACKSLASH or e == 47 or e == 98 or e == 102 or e == 110
                    or e == 114 or e == 116):  # " \ / b f n r t
                i, saved = i + 2, saved + 1
                continue
            if e != 117:  # u
                return -BAD_JSON, escaped, 0
            code = _hex(buf, i + 2)
            if code < 0:
                return -BAD_JSON, escaped, 0
            if 0xD800 <= code <= 0xDBFF:  # a high surrogate: its low half must follow
                low = _hex(buf, i + 8) if buf[i + 6] == _BACKSLASH and buf[i + 7] == 117 else -1
                if not 0xDC00 <= low <= 0xDFFF:
                    return -BAD_UTF8, escaped, 0
                i, saved = i + 12, saved + 8
            elif 0xDC00 <= code <= 0xDFFF:
                return -BAD_UTF8, escaped, 0
            else:
                i, saved = i + 6, saved + (5 if code < 0x80 else 4 if code < 0x800 else 3)
            continue
        if c < 0x20:  # a control character (the line's newline among them)
            return -BAD_JSON, escaped, 0
        if c < 0x80:
            i += 1
            continue
        while 0xC2 <= buf[i] <= 0xDF and 0x80 <= buf[i + 1] <= 0xBF:  # two-byte letters
            i += 2  # (Arabic, among others), in a run
        if buf[i] >= 0x80:
            size = _utf8_size(buf, i)
            if size == 0:
                return -BAD_UTF8, escaped, 0
            i += size


@intrinsic
def _load_word(typingctx, buf, i):
    """The eight bytes at ``buf[i]`` as one little-endian integer, in one unaligned load."""
    if not isinstance(i, types.Integer):
        return None

    def codegen(context, builder, signature, args):
        array = context.make_array(signature.args[0])(context, builder, args[0])
        pointer = builder.bitcast(builder.gep(array.data, [args[1]]), ir.IntType(64).as_pointer())
        return builder.load(pointer, align=1)

    return types.uint64(buf, i), codegen


_ALL = np.uint64(0xFFFFFFFFFFFFFFFF)
_ONES = np.uint64(0x0101010101010101)
_HIGH = np.uint64(0x8080808080808080)
_QUOTES = np.uint64(0x2222222222222222)
_BACKSLASHES = np.uint64(0x5C5C5C5C5C5C5C5C)
_SPACES = np.uint64(0x2020202020202020)


@njit(cache=True, nogil=True, inline="always")
def _special(w):  # pragma: no cover - compiled
    """The high bit of each byte of the word that may be a quote, a backslash, a control
    byte or a non-ASCII byte; the lowest one set is exact (a byte is zero after an xor
    exactly where it matched: the classic zero-byte test, whose false hits only come
    above a true one)."""
    q, b = w ^ _QUOTES, w ^ _BACKSLASHES
    return (((q - _ONES) & ~q) | ((b - _ONES) & ~b) | ((w - _SPACES) & ~w) | w) & _HIGH


@njit(cache=True, nogil=True)
def _utf8_size(buf, i):  # pragma: no cover - compiled
    """The length of the well-formed UTF-8 sequence at ``i`` (lead byte >= 0x80), or 0
    (overlong forms, surrogates and code points past U+10FFFF are ill-formed)."""
    c = buf[i]
    if 0xC2 <= c <= 0xDF:
        return 2 if 0x80 <= buf[i + 1] <= 0xBF else 0
    if 0xE0 <= c <= 0xEF:
        lo = 0xA0 if c == 0xE0 else 0x80
        hi = 0x9F if c == 0xED else 0xBF
        if lo <= buf[i + 1] <= hi and 0x80 <= buf[i + 2] <= 0xBF:
            return 3
        return 0
    if 0xF0 <= c <= 0xF4:
        lo = 0x90 if c == 0xF0 else 0x80
        hi = 0x8F if c == 0xF4 else 0xBF
        if lo <= buf[i + 1] <= hi and 0x80 <= buf[i + 2] <= 0xBF and 0x80 <= buf[i + 3] <= 0xBF:
            return 4
    return 0


@njit(cache=True, nogil=True, inline="always")
def _scan_number(buf, i):  # pragma: no cover - compiled
    """The JSON number at ``i``: (offset past it, its sign, its significant digits as
    an integer, how many there are, decimal exponent, whether the integer holds every
    digit, whether it is written without fraction or exponent); the number is
    ``integer * 10**scale``. The offset is -1 if it is no number."""
    negative = buf[i] == 45
    if negative:
        i += 1
    integer, digits, scale, exact = 0, 0, 0, True
    start = i
    if buf[i] == 48:  # a leading zero stands alone
        i += 1
        if 48 <= buf[i] <= 57:
            return -1, negative, 0, 0, 0, False, False
    elif 49 <= buf[i] <= 57:
        while 48 <= buf[i] <= 57:
            integer, digits, exact = _push_digit(integer, digits, exact, buf[i])
            i += 1
    else:
        return -1, negative, 0, 0, 0, False, False
    if buf[i] == 46:  # .
        i += 1
        if not 48 <= buf[i] <= 57:
            return -1, negative, 0, 0, 0, False, False
        while 48 <= buf[i] <= 57:
            integer, digits, exact = _push_digit(integer, digits, exact, buf[i])
            scale -= 1
            i += 1
    if buf[i] == 101 or buf[i] == 69:  # e E
        i += 1
        sign = 1
        if buf[i] == 43 or buf[i] == 45:  # + -
            sign = -1 if buf[i] == 45 else 1
            i += 1
        if not 48 <= buf[i] <= 57:
            return -1, negative, 0, 0, 0, False, False
        power = 0
        while 48 <= buf[i] <= 57:
            power = min(power * 10 + buf[i] - 48, 100000)
            i += 1
        scale += sign * power
    plain = True  # no fraction and no exponent: Python reads an int
    for j in range(start, i):
        if buf[j] == 46 or buf[j] == 101 or buf[j] == 69:
            plain = False
    return i, negative, integer, digits, scale, exact, plain


@njit(cache=True, nogil=True, inline="always")
def _push_digit(integer, digits, exact, c):  # pragma: no cover - compiled
    if integer == 0 and c == 48:
        return integer, digits, exact  # leading zeros are not significant
    if digits >= 18:
        return integer, digits + 1, False
    return integer * 10 + (c - 48), digits + 1, exact


@njit(cache=True, nogil=True)
def _date(buf, i, end):  # pragma: no cover - compiled
    """(True, days since 1970-01-01) for the ``YYYY-MM-DD`` date in ``buf[i:end]``,
    (False, 0) when it is none."""
    if end - i != 10 or buf[i + 4] != 45 or buf[i + 7] != 45:
        return False, 0
    for j in (0, 1, 2, 3, 5, 6, 8, 9):
        if not 48 <= buf[i + j] <= 57:
            return False, 0
    year = ((buf[i] - 48) * 1000 + (buf[i + 1] - 48) * 100 + (buf[i + 2] - 48) * 10
            + buf[i + 3] - 48)
    month = (buf[i + 5] - 48) * 10 + buf[i + 6] - 48
    day = (buf[i + 8] - 48) * 10 + buf[i + 9] - 48
    if year < 1 or not 1 <= month <= 12 or day < 1:
        return False, 0
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    if day > (29 if month == 2 and leap else _MONTH_DAYS[month]):
        return False, 0
    # days from civil (H. Hinnant): a year that starts in March puts the leap day last
    y = year - 1 if month <= 2 else year
    era = y // 400
    year_of_era = y - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return True, era * 146097 + day_of_era - 719468


# -- blocks of lines -> columns --------------------------------------------------------

#: lines scanned before they are appended: their slots (~400 bytes a line) and their text
#: stay in the core's cache (on two threads, 256 was as fast as 128 and 512, and ~15%
#: faster than 1024: 0.45 against 0.54 s a half of the 1M-line log)
BLOCK = 256
#: room left past a string buffer's end: :func:`_copy` moves eight bytes at a time
_SLACK = 8
#: what :func:`read_chunk` stopped for
DONE, MORE_ROWS, MORE_BYTES, FAILED = 0, 1, 2, 3


@njit(cache=True, nogil=True)
def read_chunk(buf, lo, hi, rows, keys, key_start, key_len, entry_child, entry_leaf,
               entry_next, bucket, leaf_lo, leaf_hi, leaf_kind, leaf_span, leaf_real,
               leaf_paths, leaf_column, chain, state, value, length, real, present, numbers,
               reals, offsets, datas, used, ends):  # pragma: no cover - compiled
    """Scan the lines of ``buf[lo:hi]`` and append them to the columns after row ``rows``.

    When ``chain`` names two leaves (link, key), each line's link must be the bytes of
    the previous line's key, unescaped; ``ends`` keeps the (offset, length) of the first
    line's link and of the last line's key so far (-1 before the first line).

    Returns (status, rows filled, offset reached, detail): DONE; MORE_ROWS when the
    columns hold no room for another block; MORE_BYTES when string leaf ``detail[0]``
    needs ``detail[1]`` more bytes; FAILED with the error code and its offset in
    ``detail``. Nothing of a block that did not fit is appended: call again from the
    offset reached.
    """
    capacity = present.shape[1]
    while lo < hi:
        if rows + BLOCK > capacity:
            return MORE_ROWS, rows, lo, (0, 0)
        count, error, at = scan_lines(buf, lo, hi, BLOCK, keys, key_start, key_len,
                                      entry_child, entry_leaf, entry_next, bucket, leaf_lo,
                                      leaf_hi, leaf_kind, leaf_span, leaf_real, leaf_paths,
                                      state, value, length, real)
        if error != OK:
            if chain[0] != NO:  # a break in the lines before it comes first
                broken = _broken_link(buf, count, chain[0], chain[1], state, value, length,
                                      leaf_span, ends)
                if broken >= 0:
                    return FAILED, rows + broken, lo, (BROKEN_LINK, _link_at(state, value,
                                                                            broken, chain[0]))
            return FAILED, rows + count, lo, (error, at)
        for leaf in range(leaf_kind.size):  # room for the block's strings?
            if leaf_kind[leaf] == STRING and leaf_column[leaf] != NO:
                k, need = leaf_column[leaf], 0
                for r in range(count):
                    if state[r, leaf] != NULL:
                        need += length[r, leaf_span[leaf]]
                if used[k] + need + _SLACK > datas[k].size:
                    return MORE_BYTES, rows, lo, (k, used[k] + need + _SLACK)
        if chain[0] != NO:  # after the room is found: a block is checked once
            broken = _broken_link(buf, count, chain[0], chain[1], state, value, length,
                                  leaf_span, ends)
            if broken >= 0:
                return FAILED, rows + broken, lo, (BROKEN_LINK, _link_at(state, value,
                                                                        broken, chain[0]))
        _append(buf, count, rows, leaf_kind, leaf_span, leaf_real, leaf_column, state, value,
                length, real, present, numbers, reals, offsets, datas, used)
        rows, lo = rows + count, at
    return DONE, rows, lo, (0, 0)


@njit(cache=True, nogil=True)
def _broken_link(buf, count, link, key, state, value, length, leaf_span,
                 ends):  # pragma: no cover - compiled
    """The first of ``count`` scanned lines whose link is not the key before it (-1 if
    none); a link or key that is null or escaped counts as broken."""
    for r in range(count):
        if state[r, link] != PRESENT or state[r, key] != PRESENT:
            return r
        start, size = value[r, link], length[r, leaf_span[link]]
        if ends[2] < 0:  # the first line: what the chain hangs from
            ends[0], ends[1] = start, size
        elif size != ends[3] or not _same_bytes(buf, start, ends[2], size):
            return r
        ends[2], ends[3] = value[r, key], length[r, leaf_span[key]]
    return -1


@njit(cache=True, nogil=True)
def _link_at(state, value, r, link):  # pragma: no cover - compiled
    """Where the link of scanned line ``r`` starts in the buffer, -1 if it has none."""
    return value[r, link] if state[r, link] != NULL else -1


@njit(cache=True, nogil=True)
def _same_bytes(buf, a, b, size):  # pragma: no cover - compiled
    for j in range(size):
        if buf[a + j] != buf[b + j]:
            return False
    return True


@njit(cache=True, nogil=True)
def _append(buf, count, rows, leaf_kind, leaf_span, leaf_real, leaf_column, state, value,
            length, real, present, numbers, reals, offsets, datas, used):  # pragma: no cover
    # leaf by leaf over the block: it is in cache, and each string leaf's buffer is taken
    # from the tuple once (a tuple indexed at run time costs a reference count each time)
    for leaf in range(leaf_kind.size):
        kind, k = leaf_kind[leaf], leaf_column[leaf]
        if k == NO:  # a chain's link or key: checked, not kept
            continue
        for r in range(count):
            present[leaf, rows + r] = state[r, leaf]
        if kind == STRING:
            data, span, o = datas[k], leaf_span[leaf], used[k]
            for r in range(count):
                st = state[r, leaf]
                if st == PRESENT:
                    _copy(buf, value[r, leaf], data, o, length[r, span])
                    o += length[r, span]
                elif st == SPECIAL:
                    _unescape(buf, value[r, leaf], data, o)
                    o += length[r, span]
                offsets[k, rows + r + 1] = o
            used[k] = o
            continue
        for r in range(count):
            numbers[k, rows + r] = value[r, leaf]
        if kind == FLOAT:
            slot = leaf_real[leaf]
            for r in range(count):
                reals[slot, rows + r] = real[r, slot]


@njit(cache=True, nogil=True, inline="always")
def _copy(buf, s, out, o, size):  # pragma: no cover - compiled
    """``out[o:o + size] = buf[s:s + size]``, eight bytes at a time; up to seven bytes
    past ``o + size`` are overwritten (the next string, or the slack, takes them)."""
    if s + size + 8 > buf.size:  # near the buffer's end: no read past it
        for j in range(size):
            out[o + j] = buf[s + j]
        return
    for j in range(0, size, 8):
        _store_word(out, o + j, _load_word(buf, s + j))


@intrinsic
def _store_word(typingctx, out, i, word):
    """Store ``word`` as eight little-endian bytes at ``out[i]``, in one unaligned store."""
    if not isinstance(i, types.Integer):
        return None

    def codegen(context, builder, signature, args):
        array = context.make_array(signature.args[0])(context, builder, args[0])
        pointer = builder.bitcast(builder.gep(array.data, [args[1]]), ir.IntType(64).as_pointer())
        builder.store(args[2], pointer, align=1)
        return context.get_dummy_value()

    return types.void(out, i, types.uint64), codegen


@njit(cache=True, nogil=True)
def _unescape(buf, i, out, o):  # pragma: no cover - compiled
    """Decode the string starting at ``i`` (validated by the scan) into ``out[o:]``."""
    while True:
        c = buf[i]
        if c == 34:  # "
            return
        if c != 92:  # \
            out[o] = c
            i, o = i + 1, o + 1
            continue
        e = buf[i + 1]
        if e != 117:  # u
            out[o] = (8 if e == 98 else 12 if e == 102 else 10 if e == 110 else 13 if e == 114
                      else 9 if e == 116 else e)  # b f n r t, and " \ / as themselves
            i, o = i + 2, o + 1
            continue
        code = _hex(buf, i + 2)
        i += 6
        if 0xD800 <= code <= 0xDBFF:  # a surrogate pair (the scan checked the low half)
            code = 0x10000 + ((code - 0xD800) << 10) + (_hex(buf, i + 2) - 0xDC00)
            i += 6
        if code < 0x80:
            out[o] = code
            o += 1
        elif code < 0x800:
            out[o], out[o + 1] = 0xC0 | (code >> 6), 0x80 | (code & 0x3F)
            o += 2
        elif code < 0x10000:
            out[o], out[o + 1] = 0xE0 | (code >> 12), 0x80 | ((code >> 6) & 0x3F)
            out[o + 2] = 0x80 | (code & 0x3F)
            o += 3
        else:
            out[o], out[o + 1] = 0xF0 | (code >> 18), 0x80 | ((code >> 12) & 0x3F)
            out[o + 2], out[o + 3] = 0x80 | ((code >> 6) & 0x3F), 0x80 | (code & 0x3F)
            o += 4
