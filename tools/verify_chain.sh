#!/usr/bin/env bash
# Check a Tadmur log's hash chain without Python: bash, jq (1.6 or later), sed, sha256sum.
#
#   tools/verify_chain.sh [events/log.jsonl]
#
# For every line: seq is the previous seq + 1, prev_hash is the previous line's hash
# (64 zeros on line 1), and hash is the sha256 of the line's canonical JSON without its
# "hash" field (keys sorted at every level, no spaces, UTF-8 as is): the bytes are
# written out in docs/hash_chain.md. Exit 0 and one "ok" line, or exit 1 naming the line.
set -euo pipefail
log="${1:-events/log.jsonl}"
for tool in jq sha256sum sed; do
  command -v "$tool" >/dev/null || { echo "verify_chain: needs $tool (apt-get install $tool)" >&2; exit 2; }
done
[ -f "$log" ] || { echo "verify_chain: no log at $log" >&2; exit 2; }

# jq 1.6 prints the float 1.0 as 1, Python writes 1.0: the schema's one float field
# (confidence) is carried through jq as a marked string and put back verbatim.
mark='s/"confidence":\([-0-9.eE+]*\)/"confidence":"\\u0001\1"/g'
unmark='s/"confidence":"\\u0001\([^"]*\)"/"confidence":\1/g'

expected_prev=$(printf '0%.0s' $(seq 64))
expected_seq=1
line_no=0
while IFS= read -r line || [ -n "$line" ]; do
  line_no=$((line_no + 1))
  fields=$(printf '%s' "$line" | jq -r '[.seq, .prev_hash, .hash] | @tsv' 2>/dev/null) \
    || { echo "line $line_no: not JSON (torn or edited)" >&2; exit 1; }
  IFS=$'\t' read -r seq prev_hash hash <<<"$fields"
  [ "$seq" = "$expected_seq" ] || { echo "line $line_no: seq $seq, expected $expected_seq" >&2; exit 1; }
  [ "$prev_hash" = "$expected_prev" ] \
    || { echo "line $line_no (seq $seq): prev_hash does not match the previous line's hash" >&2; exit 1; }
  computed=$(printf '%s' "$line" | sed "$mark" | jq -c -S 'del(.hash)' | sed "$unmark" \
             | tr -d '\n' | sha256sum | cut -d' ' -f1)
  [ "$computed" = "$hash" ] \
    || { echo "line $line_no (seq $seq): content does not match its hash (computed $computed)" >&2; exit 1; }
  expected_prev="$hash"
  expected_seq=$((seq + 1))
done <"$log"
echo "ok: $line_no lines, seq 1..$((expected_seq - 1)), hash chain holds (head $expected_prev)"
