"""The compiled JSON-lines reader gives what Python's json.loads gives, or refuses the line.

Each line ``read_json_lines`` takes must give the values ``json.loads(line.decode())``
gives at the schema's paths (a key absent or null gives null, a struct absent or null a
struct of nulls, the last of repeated keys wins); each line it does not take must raise
``JsonLinesError`` naming that line, and the lines before it must be JSON. Checked on
generated objects (both ``ensure_ascii`` spellings), on mutated and random bytes, on
hand-picked escapes, UTF-8, numbers, literals, dates and types, on chains of lines, on
inputs that make the reader grow its buffers, and with the source split between the two
threads. Expected values are always computed from ``json.loads``, never from the reader.
"""

import datetime as dt
import json
import math
import random
import re
from contextlib import nullcontext
from unittest import mock

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from engine.domain.errors import TadmurError
from engine.scale import json_lines
from engine.scale.json_lines import ChainEnds, JsonLinesError, read_chained_lines, read_json_lines
from engine.scale.json_scan import BLOCK, MAX_DEPTH, next_line

SCHEMA = pl.Schema({
    "text": pl.String,
    "tent": pl.Int64,  # the length, first and last byte of "text": the same hash bucket
    "score_of_the_day": pl.Float64,  # 16 bytes: the longest key compared by words
    "is_it_ok": pl.Boolean,
    "published": pl.Date,
    "data": pl.Struct({
        "site_identifier_x": pl.String,  # 17 bytes: compared byte by byte
        "n": pl.Int64,
        "where": pl.Struct({"lat": pl.Float64, "on": pl.Date, "flag": pl.Boolean,
                            "name": pl.String}),
    }),
})
#: keys near the schema's ones, which must not be taken for them
NEAR_MISSES = ["tex", "textt", "txet", "Text", "texT", "tent ", "data_", "n_", "", "where",
               "score_of_the_dax", "score_of_the_day_", "site_identifier_y"]


# --- the expected frame, from json.loads ---------------------------------------------


class ShouldRefuse(Exception):
    """json.loads takes the line, but a value there is not of the schema's type."""


def leaves(schema: pl.Schema, prefix: tuple[str, ...] = ()):
    """(path, dtype) of each leaf of ``schema``, depth first."""
    for name, dtype in schema.items():
        if isinstance(dtype, pl.Struct):
            yield from leaves(pl.Schema({f.name: f.dtype for f in dtype.fields}), (*prefix, name))
        else:
            yield (*prefix, name), dtype


def flat(frame: pl.DataFrame, schema: pl.Schema = SCHEMA) -> pl.DataFrame:
    """The frame's leaves as columns named by their dotted paths (structs unnested)."""
    columns = []
    for path, _ in leaves(schema):
        series = frame[path[0]]
        for name in path[1:]:
            series = series.struct.field(name)
        columns.append(series.alias(".".join(path)))
    return pl.DataFrame(columns)


def expected(lines: list[bytes], schema: pl.Schema = SCHEMA) -> pl.DataFrame:
    """What :func:`flat` of the reader's frame must be, from ``json.loads`` of each line."""
    objects = [json.loads(line.decode("utf-8")) for line in lines]
    return pl.DataFrame([
        pl.Series(".".join(path), [leaf_value(obj, path, dtype) for obj in objects], dtype)
        for path, dtype in leaves(schema)])


def leaf_value(obj, path: tuple[str, ...], dtype: pl.DataType):
    """The value at ``path`` of a parsed line, as the reader must give it."""
    if not isinstance(obj, dict):
        raise ShouldRefuse(f"a line that is not an object: {obj!r}")
    for name in path[:-1]:
        obj = obj.get(name)
        if obj is None:
            return None
        if not isinstance(obj, dict):
            raise ShouldRefuse(f"{obj!r} at {name!r}, where the schema has a struct")
    return as_leaf(obj.get(path[-1]), dtype)


def as_leaf(value, dtype: pl.DataType):
    """``value`` as a ``dtype`` leaf holds it; ShouldRefuse when it is of another type."""
    if value is None:
        return None
    if dtype == pl.Boolean and isinstance(value, bool):
        return value
    if dtype == pl.String and isinstance(value, str):
        return value
    if dtype == pl.Int64 and type(value) is int and -(2**63) <= value < 2**63:
        return value
    if dtype == pl.Float64 and type(value) in (int, float):
        try:
            return float(value)
        except OverflowError:  # a huge integer: the reader parses its text, to infinity
            return math.copysign(math.inf, value)
    if dtype == pl.Date and isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}",
                                                                     value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ShouldRefuse(f"{value!r} where the schema has {dtype}")


# --- reading -------------------------------------------------------------------------


def source(lines: list[bytes]) -> bytes:
    return b"".join(line + b"\n" for line in lines)


def two_threads(on: bool = True):
    """Split any source of more than 64 bytes between the two threads."""
    return mock.patch.object(json_lines, "_SPLIT_FROM", 64) if on else nullcontext()


def read(lines: list[bytes], schema: pl.Schema = SCHEMA, *, split: bool = False):
    with two_threads(split):
        return read_json_lines(source(lines), schema)


def assert_reads_like_json_loads(lines: list[bytes], schema: pl.Schema = SCHEMA, *,
                                 split: bool = False) -> pl.DataFrame:
    frame = read(lines, schema, split=split)
    assert frame.schema == schema
    assert_frame_equal(flat(frame, schema), expected(lines, schema), check_exact=True)
    return frame


def named_line(error: JsonLinesError) -> int:
    found = re.match(r"line (\d+) ", str(error))
    assert found, f"no line number in {error}"
    return int(found[1])


def first_line_of_second_thread(data: bytes) -> int:
    """The number (from 1) of the first line the second thread reads."""
    return data[: next_line(np.frombuffer(data, np.uint8), len(data) // 2)].count(b"\n") + 1


# --- strategies ----------------------------------------------------------------------

TEXT = st.text(st.characters(codec="utf-8"), max_size=30)
#: characters json.dumps writes as themselves in a key (an escaped key is refused)
KEY_CHARS = {True: st.characters(min_codepoint=0x20, max_codepoint=0x7E, exclude_characters='"\\'),
             False: st.characters(codec="utf-8", min_codepoint=0x20, exclude_characters='"\\')}


def leaf_values(dtype: pl.DataType):
    if dtype == pl.String:
        return TEXT
    if dtype == pl.Int64:
        return st.integers(-(10**18) + 1, 10**18 - 1)  # at most 18 digits
    if dtype == pl.Float64:
        return st.floats(allow_nan=False, allow_infinity=False) | st.integers(-(10**30), 10**30)
    if dtype == pl.Boolean:
        return st.booleans()
    assert dtype == pl.Date
    return st.dates().map(dt.date.isoformat)


def unknown_keys(ascii_only: bool):
    return st.text(KEY_CHARS[ascii_only], max_size=12) | st.sampled_from(NEAR_MISSES)


def any_json(ascii_only: bool):
    """Any JSON value whose object keys json.dumps leaves unescaped."""
    scalars = (st.none() | st.booleans() | st.integers()
               | st.floats(allow_nan=False, allow_infinity=False) | TEXT)
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.text(KEY_CHARS[ascii_only], max_size=6), inner, max_size=3), max_leaves=10)


@st.composite
def objects(draw, schema: pl.Schema = SCHEMA, ascii_only: bool = True):
    """A dict with some of the schema's keys (absent, null or of the schema's type) and
    unknown keys of any JSON value, in any order."""
    items = []
    for name, dtype in schema.items():
        choice = draw(st.sampled_from(["absent", "null", "value", "value"]))
        if choice == "value" and isinstance(dtype, pl.Struct):
            inner = pl.Schema({f.name: f.dtype for f in dtype.fields})
            items.append((name, draw(objects(inner, ascii_only))))
        elif choice != "absent":
            items.append((name, None if choice == "null" else draw(leaf_values(dtype))))
    extra = draw(st.lists(unknown_keys(ascii_only).filter(lambda k: k not in schema),
                          max_size=3, unique=True))
    items += [(key, draw(any_json(ascii_only))) for key in extra]
    return dict(draw(st.permutations(items)))


SEPARATORS = st.sampled_from([(",", ":"), (", ", ": "), (" ,\t", " :\r ")])


@st.composite
def json_lines_of_objects(draw):
    ensure_ascii = draw(st.booleans())
    obj = draw(objects(ascii_only=ensure_ascii))
    return json.dumps(obj, ensure_ascii=ensure_ascii, separators=draw(SEPARATORS)).encode()


#: bytes a mutation favours: JSON's own, and some that start or break UTF-8
MUTANT_BYTES = (st.sampled_from(list(b'{}[]":,\\/ \t\r0123456789.eE+-tfnulrsabu'))
                | st.sampled_from([0x00, 0x1F, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xE2, 0xED, 0xF0,
                                   0xF4, 0xFF])
                | st.integers(0, 255).filter(lambda b: b != 10))


@st.composite
def mutated_lines(draw):
    """A valid line with one to three bytes inserted, deleted or replaced."""
    line = bytearray(draw(json_lines_of_objects()))
    for _ in range(draw(st.integers(1, 3))):
        op, at, byte = draw(st.sampled_from(["insert", "delete", "replace"])), draw(
            st.integers(0, len(line))), draw(MUTANT_BYTES)
        if op == "insert":
            line.insert(at, byte)
        elif at < len(line):
            line[at : at + 1] = b"" if op == "delete" else bytes([byte])
    return bytes(line)


#: pieces of lines that reach the reader's type checks more often than random bytes
TOKENS = [b"{", b"}", b"[", b"]", b":", b",", b" ", b"\t", b'"text"', b'"tent"', b'"data"',
          b'"where"', b'"n"', b'"lat"', b'"on"', b'"flag"', b'"name"', b'"score_of_the_day"',
          b'"is_it_ok"', b'"published"', b'"site_identifier_x"', b'"x"', b'""', b"0", b"-0",
          b"7", b"1e0", b"1.5", b"2.50e1", b"1e400", b"123456789012345678",
          b"1234567890123456789", b"true", b"false", b"null", b'"2016-02-29"', b'"2015-02-29"',
          b'"\\u00e9"', b'"\\ud83d\\ude00"', b'"\\ud800"', b'"\xc3\xa9"', b'"\xff"', b'"a\\"b"']
token_lines = st.lists(st.sampled_from(TOKENS), max_size=24).map(lambda ts: b"{" + b"".join(ts))
random_lines = st.binary(max_size=40).map(lambda b: b.replace(b"\n", b""))
noisy_lines = mutated_lines() | token_lines | random_lines | json_lines_of_objects()


# --- properties ----------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(data=st.data(), ensure_ascii=st.booleans(), separators=SEPARATORS, split=st.booleans())
def test_generated_objects_read_as_json_loads_reads_them(data, ensure_ascii, separators, split):
    objs = data.draw(st.lists(objects(ascii_only=ensure_ascii), min_size=1, max_size=20))
    lines = [json.dumps(o, ensure_ascii=ensure_ascii, separators=separators).encode()
             for o in objs]
    assert_reads_like_json_loads(lines, split=split)


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(noisy_lines, min_size=1, max_size=6), split=st.booleans())
def test_any_bytes_are_refused_or_read_as_json_loads_reads_them(lines, split):
    try:
        frame = read(lines, split=split)
    except JsonLinesError as error:
        line = named_line(error)
        assert 1 <= line <= len(lines)
        for before in lines[: line - 1]:  # the reader took them: they must be JSON
            json.loads(before.decode("utf-8"))
        return
    try:
        want = expected(lines)
    except (ValueError, ShouldRefuse) as error:  # JSONDecodeError, UnicodeDecodeError
        pytest.fail(f"the reader took lines json.loads does not: {error!r}")
    assert frame.schema == SCHEMA
    assert_frame_equal(flat(frame), want, check_exact=True)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 700), data=st.data(), split=st.booleans())
def test_an_error_names_its_line_wherever_it_is(n, data, split):
    bad = data.draw(st.integers(0, n - 1))
    lines = [b'{"tent": %d}' % (10000 + i) for i in range(n)]
    lines[bad] = lines[bad][:9] + b"." + lines[bad][10:]  # as long, and a fraction
    with two_threads(split), pytest.raises(JsonLinesError, match=rf"^line {bad + 1}\b"):
        read_json_lines(source(lines), SCHEMA)


# --- strings -------------------------------------------------------------------------

STRINGS = {
    "an escaped quote": (rb'"a\"b"', 'a"b'),
    "an escaped backslash": (rb'"a\\b"', "a\\b"),
    "an escaped slash": (rb'"a\/b"', "a/b"),
    "the control escapes": (rb'"\b\f\n\r\t"', "\b\f\n\r\t"),
    "an escaped e acute": (rb'"caf\u00e9"', "café"),
    "an escaped nul": (rb'"a\u0000b"', "a\x00b"),
    "a surrogate pair": (rb'"\ud83d\ude00"', "😀"),
    "an upper-case surrogate pair": (rb'"x\uD83D\uDE00y"', "x😀y"),
    "escapes of one to three bytes": (rb'"\u0041\u07ff\u0800\uffff"', "A\u07ff\u0800\uffff"),
    "raw UTF-8": ('"café € 😀 تدمر"'.encode(), "café € 😀 تدمر"),
    "the last code point before the surrogates": (b'"\xed\x9f\xbf"', "\ud7ff"),
    "the last code point": (b'"\xf4\x8f\xbf\xbf"', "\U0010ffff"),
    "a delete character": (b'"a\x7fb"', "a\x7fb"),
    "an empty string": (b'""', ""),
    "escapes past the eighth byte": (rb'"abcdefghijklmnop\"\\q"', 'abcdefghijklmnop"\\q'),
}


@pytest.mark.parametrize("raw, text", STRINGS.values(), ids=STRINGS.keys())
def test_a_string_with_escapes_or_utf8_reads_like_json_loads(raw, text):
    line = b'{"text": ' + raw + b', "data": {"where": {"name": ' + raw + b"}}}"
    frame = assert_reads_like_json_loads([line, b'{"text": "plain"}'])
    assert frame["text"].to_list() == [text, "plain"]
    assert frame["data"].struct.field("where").struct.field("name")[0] == text


def test_a_key_spelled_in_raw_utf8_is_found():
    schema = pl.Schema({"é": pl.String, "مدينة": pl.Int64})
    line = json.dumps({"مدينة": 7, "é": "x"}, ensure_ascii=False).encode()
    assert read([line], schema).rows() == [("x", 7)]


# --- what is refused -----------------------------------------------------------------

REFUSED = {
    # strings
    "a lone high surrogate": rb'{"text": "\ud800"}',
    "a lone low surrogate": rb'{"text": "\udc00"}',
    "a high surrogate before a letter": rb'{"text": "\ud800\u0041"}',
    "a high surrogate at the end": rb'{"text": "a\ud83d"}',
    "a lone surrogate where the schema has nothing": rb'{"other": ["\ud800"]}',
    "the byte ff": b'{"text": "\xff"}',
    "an overlong slash": b'{"text": "\xc0\xaf"}',
    "an encoded surrogate": b'{"text": "\xed\xa0\x80"}',
    "a truncated sequence": b'{"text": "\xe2\x82"}',
    "a truncated sequence at the quote": b'{"text": "ab\xc3"}',
    "a code point past U+10FFFF": b'{"text": "\xf4\x90\x80\x80"}',
    "a lone continuation byte": b'{"text": "\x80"}',
    "an overlong four-byte form": b'{"text": "\xf0\x82\x82\xac"}',
    "invalid UTF-8 where the schema has nothing": b'{"other": {"k": "\xff"}}',
    "invalid UTF-8 outside a string": b'{"text": "a"\xc3\xa9}',
    "a control character in a string": b'{"text": "a\x01b"}',
    "a raw tab in a string": b'{"text": "a\tb"}',
    "a raw carriage return in a key": b'{"te\rxt": "a"}',
    "an unknown escape": rb'{"text": "\x41"}',
    "a short unicode escape": rb'{"text": "\u00e"}',
    "a unicode escape that is not hex": rb'{"text": "\u00g0"}',
    "an unclosed string": b'{"text": "abc}',
    # numbers
    "a 19-digit integer": b'{"tent": 9223372036854775807}',
    "a negative 19-digit integer": b'{"tent": -9223372036854775808}',
    "an integer past int64": b'{"tent": 99999999999999999999}',
    "a fraction in an integer leaf": b'{"tent": 1.5}',
    "1.0 in an integer leaf": b'{"tent": 1.0}',
    "an exponent in an integer leaf": b'{"tent": 1e5}',
    "a leading zero": b'{"tent": 01}',
    "a negative leading zero": b'{"other": -01}',
    "two zeros": b'{"score_of_the_day": 00}',
    "a point with no digit after it": b'{"score_of_the_day": 1.}',
    "a point with no digit before it": b'{"score_of_the_day": .5}',
    "a plus sign": b'{"score_of_the_day": +1}',
    "an empty exponent": b'{"score_of_the_day": 1e}',
    "an exponent with a sign only": b'{"score_of_the_day": 1e+}',
    "a point before the exponent": b'{"score_of_the_day": 1.e5}',
    "a lone minus": b'{"score_of_the_day": -}',
    "NaN": b'{"score_of_the_day": NaN}',
    "Infinity": b'{"score_of_the_day": Infinity}',
    "minus Infinity": b'{"other": -Infinity}',
    "hex": b'{"tent": 0x10}',
    # literals
    "nul": b'{"text": nul}',
    "tru": b'{"is_it_ok": tru}',
    "True": b'{"is_it_ok": True}',
    "fals": b'{"other": fals}',
    "nulll": b'{"text": nulll}',
    "None": b'{"text": None}',
    # structure
    "trailing garbage": b'{"tent": 1}x',
    "two objects": b'{"tent": 1}{}',
    "a trailing comma after the object": b'{"tent": 1},',
    "a trailing comma in an object": b'{"tent": 1,}',
    "a trailing comma in an array": b'{"other": [1,]}',
    "a leading comma in an array": b'{"other": [,1]}',
    "a missing comma": b'{"tent": 1 "text": "a"}',
    "a missing colon": b'{"tent" 1}',
    "a missing value": b'{"tent": }',
    "an unclosed object": b'{"tent": 1',
    "an unclosed array": b'{"other": [1}',
    "a closing bracket too many": b'{"tent": 1}}',
    "a mismatched bracket": b'{"other": [1}]',
    "an unquoted key": b'{tent: 1}',
    "single quotes": b"{'tent': 1}",
    "a comment": b'{"tent": 1 /* one */}',
    "a top-level array": b"[1, 2]",
    "a top-level string": b'"text"',
    "a top-level number": b"1",
    "an empty line": b"",
    "a line of spaces": b"  \t ",
    "a byte order mark": b'\xef\xbb\xbf{"tent": 1}',
    "a form feed as whitespace": b'{"tent":\x0c1}',
    "nesting one level too deep": b'{"other": ' + b"[" * MAX_DEPTH + b"]" * MAX_DEPTH + b"}",
    # keys
    "an escaped key of the schema": rb'{"t\u0065nt": 1}',
    "an escaped unknown key": rb'{"\u00e9": 1}',
    "an escaped quote in a key": rb'{"a\"b": 1}',
    "an escaped key in an unknown object": rb'{"other": {"a\nb": 1}}',
    # dates
    "29 February in a common year": b'{"published": "2015-02-29"}',
    "29 February 1900": b'{"published": "1900-02-29"}',
    "a thirteenth month": b'{"published": "2016-13-01"}',
    "month zero": b'{"published": "2016-00-10"}',
    "day zero": b'{"published": "2016-01-00"}',
    "31 April": b'{"published": "2016-04-31"}',
    "year zero": b'{"published": "0000-01-01"}',
    "a one-digit month": b'{"published": "2016-1-01"}',
    "a date and time": b'{"data": {"where": {"on": "2016-02-29T00:00"}}}',
    "a date without dashes": b'{"published": "20160229"}',
    "a date with slashes": b'{"published": "2016/02/29"}',
    "an escaped dash in a date": rb'{"published": "2016\u002d02-29"}',
    "Arabic-Indic digits in a date": '{"published": "٢٠١٦-02-29"}'.encode(),
    "a date written as a number": b'{"published": 20160229}',
    # types
    "a number for a string": b'{"text": 1}',
    "a boolean for a string": b'{"text": true}',
    "a string for an integer": b'{"tent": "1"}',
    "a string for a float": b'{"score_of_the_day": "1.5"}',
    "a boolean for a float": b'{"score_of_the_day": false}',
    "a number for a boolean": b'{"is_it_ok": 1}',
    "a string for a boolean": b'{"is_it_ok": "true"}',
    "an object for a string": b'{"text": {}}',
    "an array for an integer": b'{"tent": []}',
    "an object for a date": b'{"published": {"y": 2016}}',
    "an array for a struct": b'{"data": []}',
    "a string for a struct": b'{"data": "x"}',
    "a number for a struct": b'{"data": 1}',
    "a boolean for a struct": b'{"data": true}',
    "a number for a nested struct": b'{"data": {"where": 5}}',
    "a fraction in a nested integer": b'{"data": {"n": 1.5}}',
    "a wrong type before the right one": b'{"tent": "1", "tent": 1}',
}


@pytest.mark.parametrize("split", [False, True], ids=["one thread", "two threads"])
@pytest.mark.parametrize("line", REFUSED.values(), ids=REFUSED.keys())
def test_a_line_the_reader_does_not_take_is_named_in_the_error(line, split):
    lines = [b'{"tent": 1, "text": "before"}', line, b'{"tent": 3, "text": "after"}']
    with two_threads(split), pytest.raises(JsonLinesError, match=r"^line 2\b"):
        read_json_lines(source(lines), SCHEMA)


def test_a_source_without_a_final_newline_is_refused():
    with pytest.raises(JsonLinesError, match="no newline"):
        read_json_lines(b'{"tent": 1}\n{"tent": 2}', SCHEMA)


# --- what is taken -------------------------------------------------------------------

TAKEN = {
    "an empty object": b"{}",
    "nulls everywhere": b'{"text": null, "tent": null, "score_of_the_day": null, '
                        b'"is_it_ok": null, "published": null, "data": null}',
    "a struct of nulls": b'{"data": {"site_identifier_x": null, "where": null}}',
    "true": b'{"is_it_ok": true}',
    "false": b'{"is_it_ok": false, "data": {"where": {"flag": true}}}',
    "literals where the schema has nothing": b'{"other": [true, false, null]}',
    "spaces, tabs and carriage returns": b' \t{ "tent" :\t1 , "text"\r: "x" ,"other" : '
                                         b'[ 1 , { } , [ ] ,{"a" :[]}] }\t\r',
    "a carriage return before the newline": b'{"tent": 1}\r',
    "empty containers where the schema has nothing": b'{"a": {}, "b": [], "c": [[], {}]}',
    "deepest nesting followed": b'{"other": ' + b"[" * (MAX_DEPTH - 1) + b"]" * (MAX_DEPTH - 1)
                                + b"}",
    "an empty key": b'{"": 1, "tent": 2}',
    "keys near the schema's": json.dumps({k: 5 for k in NEAR_MISSES}).encode(),
    "minus zero": b'{"tent": -0}',
    "the largest integer of 18 digits": b'{"tent": 999999999999999999}',
    "the smallest integer of 18 digits": b'{"data": {"n": -999999999999999999}}',
    "an integer with an exponent where the schema has nothing": b'{"other": 1e999999999}',
    "a 19-digit integer where the schema has nothing": b'{"other": -9223372036854775808}',
    "29 February 2016": b'{"published": "2016-02-29"}',
    "29 February 2000": b'{"published": "2000-02-29"}',
    "31 December 1969": b'{"published": "1969-12-31", "data": {"where": {"on": "1969-12-31"}}}',
    "1 January 1970": b'{"published": "1970-01-01"}',
    "the first date": b'{"published": "0001-01-01"}',
    "the last date": b'{"published": "9999-12-31"}',
    "a date where the schema has nothing": b'{"other": "2015-02-29"}',
    "the last of repeated keys": b'{"tent": 1, "tent": 2}',
    "a repeated key set to null": b'{"tent": 1, "tent": null}',
    "a null key set again": b'{"tent": null, "tent": 3}',
    "a repeated struct": b'{"data": {"site_identifier_x": "a", "n": 1}, "data": {"n": 2}}',
    "a struct set to null": b'{"data": {"n": 1, "where": {"lat": 2.5}}, "data": null}',
    "a null struct set again": b'{"data": null, "data": {"n": 5}}',
    "a repeated struct in a struct": b'{"data": {"where": {"lat": 1.5, "flag": true}}, '
                                     b'"data": {"where": {"on": "2016-02-29"}}}',
    "a repeated nested struct": b'{"data": {"where": {"lat": 1.5}, "where": {"flag": false}}}',
    "a struct set to null then again": b'{"data": {"n": 1}, "data": null, '
                                       b'"data": {"site_identifier_x": "b"}}',
}


@pytest.mark.parametrize("split", [False, True], ids=["one thread", "two threads"])
@pytest.mark.parametrize("line", TAKEN.values(), ids=TAKEN.keys())
def test_a_line_the_reader_takes_reads_like_json_loads(line, split):
    lines = [b'{"tent": 0, "text": "a", "data": {"n": 0, "where": {"flag": false}}}', line,
             b'{"tent": 9, "text": "z", "published": "2016-03-27"}']
    assert_reads_like_json_loads(lines, split=split)


def test_the_last_of_repeated_structs_wins_whole():
    line = b'{"data": {"site_identifier_x": "a", "n": 1}, "data": {"n": 2}}'
    data = read([line])["data"]
    assert data.struct.field("site_identifier_x")[0] is None
    assert data.struct.field("n")[0] == 2


def test_a_date_before_1970_comes_back_as_that_date():
    frame = read([b'{"published": "1969-12-31"}', b'{"published": "0001-01-01"}'])
    assert frame["published"].to_list() == [dt.date(1969, 12, 31), dt.date(1, 1, 1)]


def test_an_absent_struct_is_a_struct_of_nulls():
    frame = read([b'{"tent": 1}', b'{"data": null}'])
    assert frame["data"].to_list() == [
        {"site_identifier_x": None, "n": None,
         "where": {"lat": None, "on": None, "flag": None, "name": None}}] * 2


FLOATS = ["-0", "1e2", "1E+2", "100e-2", "0.1", "1.7976931348623157e308", "0.30000000000000004",
          "5e-324", "2.2250738585072011e-308", "2.2250738585072012e-308", "9007199254740993",
          "1e23", "123456789012345e22", "123456789012345e-22", "0.000001e6", "8.98846567431158e307",
          "0.1000000000000000055511151231257827021181583404541015625", "12345678901234567890",
          "1e400", "-1e400", "1e-400", "-0.0", "4.35679371e-10", "7.2057594037927933e16",
          "1." + "0" * 40 + "1"]


@pytest.mark.parametrize("text", FLOATS)
def test_a_float_is_rounded_as_python_rounds_it(text):
    frame = read([b'{"score_of_the_day": %s, "data": {"where": {"lat": %s}}}' % (
        text.encode(), text.encode())])
    want = float(json.loads(text))
    assert frame["score_of_the_day"][0] == want
    assert frame["data"].struct.field("where").struct.field("lat")[0] == want
    assert math.copysign(1, frame["score_of_the_day"][0]) == math.copysign(1, want)


def test_a_source_of_any_buffer_type_is_read():
    data = b'{"tent": 1}\n{"tent": 2}\n'
    for buffer in (data, bytearray(data), memoryview(data), np.frombuffer(data, np.uint8)):
        assert read_json_lines(buffer, SCHEMA)["tent"].to_list() == [1, 2]


# --- edges: no lines, numbers that only look like integers --------------------------------------------------------------------


def test_an_empty_source_gives_an_empty_frame():
    frame = read_json_lines(b"", SCHEMA)
    assert frame.height == 0 and frame.schema == SCHEMA


def test_an_empty_chain_gives_no_ends():
    frame, ends = read_chained_lines(b"", pl.Schema({"n": pl.Int64}), "prev", "id")
    assert frame.height == 0 and ends is None


@pytest.mark.parametrize("number", [b"1e0", b"1.5e1", b"1.23456789012345678e17"])
def test_an_integer_leaf_written_with_an_exponent_is_refused(number):
    with pytest.raises(JsonLinesError, match=r"^line 1\b"):
        read_json_lines(b'{"tent": %s}\n' % number, SCHEMA)


# --- chains --------------------------------------------------------------------------

CHAIN_SCHEMA = pl.Schema({"n": pl.Int64, "text": pl.String})


def chain(n: int, width: int = 4) -> list[bytes]:
    """Lines whose ``prev`` holds the ``hash`` of the line before, all of one length."""
    return [b'{"n": %d, "prev": "h%0*d", "text": "t", "hash": "h%0*d"}' % (i, width, i, width,
                                                                          i + 1)
            for i in range(n)]


def read_chain(lines: list[bytes], *, split: bool = False):
    with two_threads(split):
        return read_chained_lines(source(lines), CHAIN_SCHEMA, "prev", "hash")


@pytest.mark.parametrize("split", [False, True], ids=["one thread", "two threads"])
@pytest.mark.parametrize("n", [1, 2, BLOCK, BLOCK + 1, 1100])
def test_a_good_chain_gives_its_ends_and_no_link_columns(n, split):
    frame, ends = read_chain(chain(n), split=split)
    assert frame.columns == ["n", "text"]
    assert frame["n"].to_list() == list(range(n))
    assert ends == ChainEnds(first_link="h0000", last_key=f"h{n:04d}")


def test_the_first_line_may_hang_from_any_link():
    lines = chain(3)
    lines[0] = lines[0].replace(b'"prev": "h0000"', b'"prev": "\xc3\xa9 start"')
    assert read_chain(lines)[1] == ChainEnds(first_link="é start", last_key="h0003")


@pytest.mark.parametrize("split", [False, True], ids=["one thread", "two threads"])
@pytest.mark.parametrize("k", [2, 3, BLOCK, BLOCK + 1, 600])
def test_a_link_that_is_not_the_key_before_names_its_line(k, split):
    lines = chain(600)
    lines[k - 1] = lines[k - 1].replace(b'"prev": "h', b'"prev": "x')
    with pytest.raises(JsonLinesError, match=rf"^line {k} is not linked"):
        read_chain(lines, split=split)


BROKEN_CHAINS = {
    "an escaped link equal to the key before": (2, rb'"prev": "h\u00300001"'),
    "an escaped link": (3, rb'"prev": "\u0068"'),
    "a null link": (2, b'"prev": null'),
    "a missing link": (2, b'"gone": "h0001"'),
    "a link of another type": (2, b'"prev": 1'),
}


@pytest.mark.parametrize("k, link", BROKEN_CHAINS.values(), ids=BROKEN_CHAINS.keys())
def test_a_link_that_is_escaped_null_or_missing_breaks_the_chain(k, link):
    lines = chain(4)
    lines[k - 1] = re.sub(rb'"prev": "h[0-9]+"', lambda _: link, lines[k - 1])
    with pytest.raises(JsonLinesError, match=rf"^line {k}\b"):
        read_chain(lines)


def test_an_escaped_key_breaks_the_chain_even_if_the_link_matches_it():
    lines = chain(3)
    lines[0] = lines[0].replace(b'"hash": "h0001"', rb'"hash": "h\u0030001"')
    lines[1] = lines[1].replace(b'"prev": "h0001"', rb'"prev": "h\u0030001"')
    with pytest.raises(JsonLinesError, match=r"^line 1\b"):
        read_chain(lines)


def test_a_missing_key_on_the_last_line_names_it():
    lines = chain(5)
    lines[-1] = lines[-1].replace(b'"hash"', b'"hush"')
    with pytest.raises(JsonLinesError, match=r"^line 5\b"):
        read_chain(lines)


def test_a_break_before_a_bad_line_of_the_same_block_is_the_one_named():
    lines = chain(5)
    lines[1] = lines[1].replace(b'"prev": "h0001"', b'"prev": "h9999"')
    lines[2] = lines[2][:-1]  # not JSON
    with pytest.raises(JsonLinesError, match=r"^line 2 is not linked"):
        read_chain(lines)


def test_a_missing_link_is_named_without_a_byte():
    lines = chain(3)
    lines[1] = lines[1].replace(b'"prev"', b'"gone"')
    with pytest.raises(JsonLinesError) as error:
        read_chain(lines)
    assert str(error.value).startswith(
        "line 2 is not linked to the line before (its link is not that line's key). Hint:")


def test_a_refused_line_is_named_with_its_byte_and_a_hint():
    with pytest.raises(JsonLinesError) as error:
        read_json_lines(b'{"tent": 1}\n{"tent": tru}\n', SCHEMA)
    assert str(error.value) == (
        "line 2 is not valid JSON (at byte 9 of the line). Hint: json.loads of the line shows "
        "what JSON makes of it; in a log, `tadmur verify` names what is wrong")


def test_a_schema_that_names_the_chain_fields_is_refused():
    with pytest.raises(TadmurError, match=r"schema names \['prev'\]"):
        read_chained_lines(source(chain(2)), pl.Schema({"prev": pl.String}), "prev", "hash")


def test_a_break_where_the_two_threads_meet_is_named():
    lines = chain(500)
    k = first_line_of_second_thread(source(lines))
    assert 1 < k < 500
    lines[k - 1] = lines[k - 1].replace(b'"prev": "h', b'"prev": "x')  # as long: same split
    assert first_line_of_second_thread(source(lines)) == k
    with pytest.raises(JsonLinesError, match=rf"^line {k} is not linked"):
        read_chain(lines, split=True)
    with pytest.raises(JsonLinesError, match=rf"^line {k} is not linked"):
        read_chain(lines, split=False)


def test_a_key_changed_at_the_end_of_the_first_thread_breaks_the_next_line():
    lines = chain(500)
    k = first_line_of_second_thread(source(lines))
    lines[k - 2] = lines[k - 2].replace(b'"hash": "h', b'"hash": "x')
    with pytest.raises(JsonLinesError, match=rf"^line {k} is not linked"):
        read_chain(lines, split=True)


# --- errors on two threads -----------------------------------------------------------


@pytest.mark.parametrize("split", [False, True], ids=["one thread", "two threads"])
@pytest.mark.parametrize("where", ["first", "middle", "last", "last of the first thread",
                                   "first of the second thread"])
def test_an_error_names_the_first_middle_last_or_meeting_line(where, split):
    n = 900
    lines = [b'{"tent": %d}' % (10000 + i) for i in range(n)]
    meet = first_line_of_second_thread(source(lines))
    k = {"first": 1, "middle": 517, "last": n, "last of the first thread": meet - 1,
         "first of the second thread": meet}[where]
    lines[k - 1] = lines[k - 1].replace(b"1", b"x", 1)  # as long: the same split
    assert first_line_of_second_thread(source(lines)) == meet
    with two_threads(split), pytest.raises(JsonLinesError, match=rf"^line {k}\b"):
        read_json_lines(source(lines), SCHEMA)


def test_of_two_bad_lines_on_two_threads_the_first_is_named():
    lines = [b'{"tent": %d}' % (10000 + i) for i in range(600)]
    meet = first_line_of_second_thread(source(lines))
    lines[meet + 10] = lines[meet + 10].replace(b"1", b"x", 1)
    lines[meet - 10] = lines[meet - 10].replace(b"1", b"x", 1)
    with two_threads(), pytest.raises(JsonLinesError, match=rf"^line {meet - 9}\b"):
        read_json_lines(source(lines), SCHEMA)


# --- growing buffers -----------------------------------------------------------------


@pytest.fixture
def growth(monkeypatch) -> list[int]:
    """The number of dimensions of each array the reader grows (1: string bytes,
    2: the per-row columns)."""
    grown, real = [], json_lines._grown

    def spy(array, size):
        grown.append(array.ndim)
        return real(array, size)

    monkeypatch.setattr(json_lines, "_grown", spy)
    return grown


def long_line(i: int, rng: random.Random) -> bytes:
    text = "".join(rng.choice(['a', 'é', '"', '\\', '\n', '😀', 'تدمر', '\x00']) for _ in range(1200))
    return json.dumps({"tent": i, "text": text, "data": {"site_identifier_x": text[::-1],
                       "where": {"name": "x" * 5000}}}, ensure_ascii=i % 2 == 0).encode()


@pytest.mark.parametrize("split", [False, True], ids=["one thread", "two threads"])
def test_long_lines_after_short_ones_read_like_json_loads(split, growth):
    rng = random.Random(1)
    lines = [b'{"tent": %d, "text": ""}' % i for i in range(300)]
    lines += [long_line(i, rng) for i in range(60)]
    assert_reads_like_json_loads(lines, split=split)
    assert 1 in growth


@pytest.mark.parametrize("split", [False, True], ids=["one thread", "two threads"])
def test_many_short_lines_after_long_ones_read_like_json_loads(split, growth):
    # the first MiB of each thread's half, from which it guesses its number of lines, is
    # of long lines
    lines = [b'{"tent": %d, "text": "%s"}' % (i, b"w" * 8000) for i in range(400)]
    lines += [b'{"tent": %d, "text": "s", "is_it_ok": true}' % i for i in range(20000)]
    assert_reads_like_json_loads(lines, split=split)
    assert 2 in growth


@pytest.mark.parametrize("split", [False, True], ids=["one thread", "two threads"])
def test_thousands_of_generated_lines_read_like_json_loads(split):
    rng = random.Random(7)
    lines = [random_object_line(rng) for _ in range(3000)]
    assert_reads_like_json_loads(lines, split=split)


def random_object_line(rng: random.Random) -> bytes:
    """A line of the schema's keys with random values, some absent or null."""
    def some(**values):  # each value kept, set to null or left out
        kept = {k: rng.choice([v, v, None, ...]) for k, v in values.items()}
        return {k: v for k, v in kept.items() if v is not ...}

    obj = some(text="".join(rng.choice("ab\"\\é😀\x01") for _ in range(rng.randrange(30))),
               tent=rng.randrange(-(10**18) + 1, 10**18),
               score_of_the_day=rng.choice([rng.random(), rng.uniform(-1e300, 1e300),
                                            rng.randrange(10**20)]),
               is_it_ok=rng.random() < 0.5,
               published=dt.date.fromordinal(rng.randrange(1, 3652060)).isoformat(),
               data=some(n=rng.randrange(100), where=some(on="2016-02-29", lat=1.25)),
               noise=[rng.random(), {"k": "v"}])
    return json.dumps(obj, ensure_ascii=rng.random() < 0.5).encode()


# --- aliases: a leaf found at either of two paths ------------------------------------

ALIASED = pl.Schema({"n": pl.Int64, "data": pl.Struct({"kind": pl.String})})
FIX = {("data", "fix", "kind"): ("data", "kind")}


def read_aliased(lines: list[bytes]):
    chained = [line[:-1] + b', "prev": "h%d", "id": "h%d"}' % (i, i + 1)
               for i, line in enumerate(lines)]
    return read_chained_lines(source(chained), ALIASED, "prev", "id", FIX)[0]


def test_a_leaf_is_read_from_whichever_of_its_paths_a_line_gives():
    frame = read_aliased([b'{"n": 1, "data": {"kind": "captured"}}',
                          b'{"n": 2, "data": {"fix": {"kind": "withdrew"}}}',
                          b'{"n": 3, "data": {"fix": null}}'])
    assert frame.unnest("data")["kind"].to_list() == ["captured", "withdrew", None]


@pytest.mark.parametrize("line", [b'{"n": 1, "data": {"kind": "a", "fix": {"kind": "b"}}}',
                                  b'{"n": 1, "data": {"fix": {"kind": "b"}, "kind": null}}'])
def test_a_line_that_gives_a_leaf_at_two_paths_is_refused(line):
    with pytest.raises(JsonLinesError, match=r"^line 2 is a value given twice"):
        read_aliased([b'{"n": 0}', line])


@pytest.mark.parametrize("aliases", [{("data", "fix", "kind"): ("data", "gone")},
                                     {("data", "kind", "x"): ("data", "kind")},
                                     {("data", "kind"): ("n",)}])
def test_an_alias_must_lead_from_a_new_path_through_objects_to_a_leaf(aliases):
    with pytest.raises(TadmurError, match="alias"):
        read_chained_lines(b"", ALIASED, "prev", "id", aliases)
