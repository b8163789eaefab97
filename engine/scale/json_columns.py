"""Scanned lines -> growing columns, block by block, compiled.

:func:`read_chunk` scans a few hundred lines at a time into small slots
(:func:`engine.scale.json_scan.scan_lines`), then appends them to the columns while
both are still in the cache: per leaf a validity byte, and a number (integers,
booleans, dates, a float's offset), a float, or a string's offsets and bytes (escapes
decoded). Written all at once, the slots of a million lines would take ~400 MB, and
reading them back a leaf at a time would fetch them from memory once per leaf.

The columns are numpy arrays the caller allocates from an estimate; when one is full,
:func:`read_chunk` returns, saying what needs more room, and is called again on larger
arrays from where it stopped.
"""

from __future__ import annotations

from llvmlite import ir
from numba import njit, types
from numba.core.extending import intrinsic

from engine.scale import json_scan as scan
from engine.scale.json_scan import _hex, _load_word, scan_lines

#: lines scanned before they are appended: their slots (~400 bytes a line) and their text
#: stay in the core's cache (256 beat 128, 512, 1024 and 4096 by 10-20% on two threads)
BLOCK = 256
#: room left past a string buffer's end: :func:`_copy` moves eight bytes at a time
_SLACK = 8
#: what :func:`read_chunk` stopped for
DONE, MORE_ROWS, MORE_BYTES, FAILED = 0, 1, 2, 3
#: the error code of a line whose link is not the previous line's key
BROKEN_LINK = 100


@njit(cache=True, nogil=True)
def read_chunk(buf, lo, hi, rows, keys, key_start, key_len, entry_child, entry_leaf,
               entry_next, bucket, leaf_lo, leaf_hi, leaf_kind, leaf_span, leaf_real,
               leaf_column, chain, state, value, length, real, present, numbers, reals,
               offsets, datas, used, ends):  # pragma: no cover - compiled
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
                                      leaf_hi, leaf_kind, leaf_span, leaf_real, state, value,
                                      length, real)
        if error != scan.OK:
            if chain[0] != scan.NO:  # a break in the lines before it comes first
                broken = _broken_link(buf, count, chain[0], chain[1], state, value, length,
                                      leaf_span, ends)
                if broken >= 0:
                    return FAILED, rows + broken, lo, (BROKEN_LINK, _link_at(state, value,
                                                                            broken, chain[0]))
            return FAILED, rows + count, lo, (error, at)
        for leaf in range(leaf_kind.size):  # room for the block's strings?
            if leaf_kind[leaf] == scan.STRING and leaf_column[leaf] != scan.NO:
                k, need = leaf_column[leaf], 0
                for r in range(count):
                    if state[r, leaf] != scan.NULL:
                        need += length[r, leaf_span[leaf]]
                if used[k] + need + _SLACK > datas[k].size:
                    return MORE_BYTES, rows, lo, (k, used[k] + need + _SLACK)
        if chain[0] != scan.NO:  # after the room is found: a block is checked once
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
        if state[r, link] != scan.PRESENT or state[r, key] != scan.PRESENT:
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
    return value[r, link] if state[r, link] != scan.NULL else -1


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
        if k == scan.NO:  # a chain's link or key: checked, not kept
            continue
        for r in range(count):
            present[leaf, rows + r] = state[r, leaf]
        if kind == scan.STRING:
            data, span, o = datas[k], leaf_span[leaf], used[k]
            for r in range(count):
                st = state[r, leaf]
                if st == scan.PRESENT:
                    _copy(buf, value[r, leaf], data, o, length[r, span])
                    o += length[r, span]
                elif st == scan.SPECIAL:
                    _unescape(buf, value[r, leaf], data, o)
                    o += length[r, span]
                offsets[k, rows + r + 1] = o
            used[k] = o
            continue
        for r in range(count):
            numbers[k, rows + r] = value[r, leaf]
        if kind == scan.FLOAT:
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
