"""From one Arabic article to candidate claims, with exact evidence spans.

Steps: fold the text (keeping the offset map), keep the body, split sentences,
find places, actors, dates, claimants and triggers, then read each event
trigger: drop states, intents and negations; collect its objects (lists, relative
clauses, "those positions"); find who gains and who loses; attach the nearest
date and the claimant of the sentence.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace

from engine.extract import lexicon as lx
from engine.extract.actors import (
    OPPOSITE,
    ActorMention,
    agent_after,
    find_actors,
    genitive_after,
    last_before,
    owner_after,
    passive_agent,
    subject_before,
    verb_gender,
)
from engine.extract.claimants import claimant_for, find_claimants, side_of, speaking_side
from engine.extract.clean import body_lines, sentences
from engine.extract.dates import DateMention, find_dates
from engine.extract.normalise import Folded, fold
from engine.extract.objects import ObjectFinder, Place, pronoun_is_object
from engine.extract.scan import split_words
from engine.extract.triggers import Trigger, find_triggers, is_modal, is_negated, is_state
from engine.reference.gazetteer import load_gazetteer

#: Version tag written as ``extractor="rules@<version>"``.
VERSION = "0.1.0"
#: Kinds emitted by default; attacks are found but rarely annotated as claims.
DEFAULT_KINDS = frozenset({"captured", "withdrew", "partial", "besieged", "siege_broken"})
_DEFAULT_DAYS = 7
#: Characters after a verb within which "من قبل X" is still its own agent.
_NEAR_AGENT = 40


@dataclass
class Extraction:
    """Claims of one article, plus what could not be resolved and why.

    Attributes:
        claims: one dict per claim, fields as in the ``tadmur extract`` contract.
        unresolved: human-readable notes on place mentions not in the gazetteer.
        warnings: other notes (weekday contradictions, dates after publication...).
    """

    claims: list[dict] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def extract_claims(
    raw: str,
    published: dt.date,
    doc_id: str = "doc",
    kinds: frozenset[str] = DEFAULT_KINDS,
) -> Extraction:
    """Candidate claims of the article ``raw`` published on ``published``.

    Example:
        >>> out = extract_claims("سيطر تنظيم داعش على مدينة تدمر أمس بعد معارك عنيفة مع قوات النظام.",
        ...                      dt.date(2016, 12, 12))
        >>> [(c["site_id"], c["kind"], c["gainer"], c["loser"], c["date_from"]) for c in out.claims]
        [('palmyra', 'captured', 'isis', 'government', '2016-12-11')]
    """
    folded = fold(raw)
    return _Reader(raw, folded, published, doc_id, kinds).run()


class _Reader:
    def __init__(self, raw: str, folded: Folded, published: dt.date, doc_id: str, kinds):
        self.raw, self.folded, self.text = raw, folded, folded.text
        self.published, self.doc_id, self.kinds = published, doc_id, kinds
        self.out = Extraction()
        text = self.text
        self.sentences = sentences(text, body_lines(text))
        self._body = bytearray(len(text) + 1)
        for a, b in self.sentences:
            self._body[a:b] = b"\x01" * (b - a)
        self.gaz = gaz = load_gazetteer()  # once per article: the loader checks the user's place files
        words = split_words(text)
        places = [p for p in gaz.find(text, words) if self._in_body(p.start)]
        self.objects = ObjectFinder(text, gaz, places, words)
        self.actors = [a for a in find_actors(text, [(p.start, p.end) for p in places], words)
                       if self._in_body(a.start)]
        self.objects.actor_spans = [(a.start, a.end) for a in self.actors]
        self.dates = [d for d in find_dates(text, published, words) if self._in_body(d.start)]
        self.markers = find_claimants(text, words)
        self.triggers = [t for t in find_triggers(text, words) if self._in_body(t.start)]
        # sorted starts, so each sentence takes its share by bisection (long texts stay linear)
        self._at = {name: [x.start for x in getattr(self, name)]
                    for name in ("actors", "dates", "markers", "triggers")}
        self.last_agent: str | None = None
        self.sentence_dates: list[DateMention] = []
        self.entries: set[int] = set()  # claims that are partial only because a place was entered
        self.last_agent_at = -1
        self.bound_dates: dict[int, DateMention] = {}
        self.last_claimant = "outlet"
        self.previous_speaker: str | None = None  # who spoke in the sentence before
        self.previous_speaker_at = 0  # where that speaker was named
        self._sole: str | None = None
        self._sole_known = False
        self._sides: list[str] | None = None
        self._named: set[str] | None = None
        self.speaker_side: str | None = None
        self.sentence_start = 0

    def _within(self, name: str, lo: int, hi: int) -> list:
        starts = self._at[name]
        return getattr(self, name)[bisect_left(starts, lo):bisect_left(starts, hi)]

    def _in_body(self, pos: int) -> bool:
        return bool(self._body[pos])

    def run(self) -> Extraction:
        for date in self.dates:
            for w in date.warnings:
                self._warn(f"{w} (at {self._raw(date.start, date.end)!r})")
        for sentence in self.sentences:
            self._read_sentence(sentence)
        self.out.claims = _known_gainer_first(_withdrawal_of_a_capture(
            _dedupe(_entered_then_taken(self.out.claims, self.entries))))
        self.out.unresolved = self.objects.unresolved
        return self.out

    def _read_sentence(self, sentence: tuple[int, int]) -> None:
        s0, s1 = sentence
        self.sentence_start = s0
        self.objects.note_unknown_places(s0, s1)  # every sentence, trigger or not
        trigs = self._within("triggers", s0, s1)
        markers = self._within("markers", s0, s1)
        # "مصادر في قوات سوريا الديمقراطية": the partisan voice among the sentence's speakers
        sided = [side_of(m.claimant) for m in markers if m.attributes and side_of(m.claimant)]
        continuing = self.previous_speaker if self.previous_speaker and (
            _CONTINUES.match(self.text, s0) or _GOES_ON.match(self.text, s0)) else None
        self.speaker_side = sided[0] if sided else side_of(continuing)
        self.sentence_actors = [self._resolved(a) for a in self._within("actors", s0, s1)]
        self.sentence_dates = self._within("dates", s0, s1)
        dates = _bind_dates(self.text, self.sentence_dates, trigs)
        self.bound_dates.update(dates)
        denial = lx.DENIAL.search(self.text, s0, s1)
        self.sentence_changes: set[tuple[str, str, bool]] = set()
        own_claimant: str | None = None
        own_at = s0
        previous: tuple[int, DateMention] | None = None  # last dated event of the sentence
        # "سيطرت على المدينة واستعادت السد، وفق الناطق باسم…": an attribution after the last
        # event of the sentence covers every event of it
        last_event = max((t.end for t in trigs if t.kind != "attacked"), default=s1)
        states: dict[int, bool] = {}

        def stative(j: int) -> bool:  # is_state of trigger j, once per sentence
            if j not in states:
                states[j] = is_state(self.text, trigs[j], s0)
            return states[j]

        for i, trig in enumerate(trigs):
            # attribution after a later *control* event belongs to that event; attacks don't count
            # (a state is no event: "بعد خضوعها لسيطرة المعارضة منذ تسعة أشهر وفق ما أفاد المرصد")
            next_start = next((t.start for j, t in enumerate(trigs[i + 1:], i + 1)
                               if t.kind != "attacked" and not stative(j)), s1)
            if trig.rule.name == "siege_adjective":
                places = self._described(trig, s0)  # "البلدتين المحاصرتين": the places before it
                if not places and _BESIEGED_IN.match(self.text, trig.end) and any(
                        0 <= trig.start - a.end <= 25 for a in self.sentence_actors):
                    # "بات التنظيم محاصرا بالكامل في مدينة الباب": the side is besieged in the place
                    places = self.objects.objects_of(trig, trigs[i + 1:], s0, s1)
            else:
                places = self._past_own_object(trig, self.objects.objects_of(trig, trigs[i + 1:], s0, s1))
                if not places and trig.rule.role in ("fall", "became") and _RELATIVE.search(
                        self.text, max(s0, trig.start - 12), trig.start):
                    places = self._described(trig, s0, relative=True)  # "الرقة، التي سقطت بيد التنظيم"
            if not places and trig.object_pronoun and (prior := self._topic_place(sentence)):
                places = [prior]  # "وصوران بوابة المدينة. وكان الجيش استعادها العام الماضي"
            if not places and (trig.rule.name == "became_held" or trig.rule.name in ("fall", "freed_from") and (
                    trig.rule.name == "freed_from" or _INTO_HANDS.match(self.text, trig.end))):
                # "إن المدينة سقطت بيد التنظيم", "إن المدينة تحررت من التنظيم": the place is the subject
                places = self._held_before(trig, s0)  # "أكثر من نصف المدينة أصبحت تحت سيطرة المعارضة"
            if not places and trig.kind == "captured" and (share := _SHARE_OF_IT.match(self.text, trig.end)):
                # "أعلن السيطرة على مساحات منها", "يسيطر على ثلث مساحتها": a share of the place before
                places = [replace(p, kind_override="partial")
                          for p in self.objects._antecedent(trig, s0)] if share else []
            if trig.rule.name in _ADVANCES:
                places = [p for p in places if not self._towards(trig, p)]
            if trig.mid and _EVACUATED.search(self.text, trig.mid[0], trig.mid[1]):
                places = []  # "إخراج المدنيين والمقاتلين من المدينة": an evacuation, not a capture
            if trig.kind == "withdrew" and _NOT_THE_FORCE.match(self.text, trig.end):
                places = []  # "انسحاب قادة التنظيم وعائلاتهم من المدينة": the force stays
            object_start = places[0].start if places and places[0].start > trig.end else next_start
            actor, loser, explicit = self._roles(trig, (s0, s1), object_start)
            # a siege is annotated while it lasts: "تحاصر الفصائل المعسكرين" is a claim, not a mere state
            state = is_state(self.text, trig, s0, headline=sentence == self.sentences[0]) \
                if trig.kind != "besieged" else self._standing_siege(trig)
            event = trig.kind in self.kinds and not (
                state
                or is_modal(self.text, trig, s0)
                or is_negated(self.text, trig, s0)
            )
            if not event and trig.kind == "siege_broken" and "besieged" in self.kinds and not state \
                    and not is_negated(self.text, trig, s0) and is_modal(self.text, trig, s0):
                # "في محاولة لكسر الحصار عن المدينة": the siege stands, laid by the other side
                besieger = loser or self._other_side(actor, "unknown")
                actor, loser = besieger, (actor if actor != besieger else None)
                places = [replace(p, kind_override="besieged") for p in places]
                event, explicit = True, False
            if explicit:
                self.last_agent, self.last_agent_at = actor, trig.start  # the topic for pro-drop
            earlier, previous = previous, ((trig.end, dates[trig.start]) if trig.start in dates else previous)
            if not event or not places:
                continue
            marker = claimant_for(markers, sentence, (trig.start, trig.end), next_start) or next(
                (m for m in markers if m.attributes and not m.forward and m.start > last_event
                 and m.start - trig.end <= _COVERS), None)
            if marker and marker.end <= trig.start and _CONTRAST.search(self.text, marker.end, trig.start):
                marker = None  # "أعلن الجيش استعادتها، إلا أن التنظيم استعادها": the outlet's own voice again
            if own_claimant and _CONTRAST.search(self.text, own_at, trig.start):
                own_claimant = None
            if marker:
                claimant = marker.claimant
            elif (voice := speaking_side(self.text, [(a.start, a.actor) for a in self.sentence_actors],
                                         trig.start)):
                claimant = voice  # "أعلنت كتائب الثوار سيطرتها على…"
            elif own_claimant or re.match(lx.CONTINUES_CLAIMANT, self.text[s0:s1]):
                claimant = own_claimant or self.previous_speaker or self.last_claimant
            elif self.previous_speaker and _CONTINUES.match(self.text, s0):
                claimant = self.previous_speaker  # "وقال المرصد: «…». وتمكنت القوات من…"
            elif self.previous_speaker and self._quote_open(self.previous_speaker_at, trig.start):
                claimant = self.previous_speaker  # 'وقال: «سيطرنا على القرية. ودخلنا البلدة»': still quoted
            elif (sole := self._sole_speaker()) and any(
                    m.attributes and m.start > trig.end for m in self.markers):
                # "قال المرصد: «…». وتمكنت القوات من… وتركزت الاشتباكات، وفق المرصد، في…": between
                # two attributions to the only source, the article relays that source's account
                claimant = sole
            else:
                claimant = "outlet"
            own_claimant, own_at = claimant, trig.end
            date, evidence_end = self._date_of(trig, dates.get(trig.start), earlier)
            named = actor if explicit else None
            if denial and denial.start() > trig.end and _DENIES_IT.match(self.text, denial.end()):
                # "زعمت أعماق أنه سيطر على المطار، إلا أن مصدرا عسكريا نفى ذلك": two claims
                self._emit(trig, places, named, actor, loser, date, claimant, False, evidence_end)
                denier = min((m for m in markers if m.attributes),
                             key=lambda m: abs(m.start - denial.start()), default=None)
                self._emit(trig, places, named, actor, loser, date,
                           denier.claimant if denier else "outlet", True, evidence_end)
            else:
                self._emit(trig, places, named, actor, loser, date, claimant, bool(denial), evidence_end)
        if own_claimant:
            self.last_claimant = own_claimant
        speakers = [m for m in markers if m.attributes]
        self.previous_speaker = speakers[-1].claimant if speakers else (
            own_claimant if own_claimant not in (None, "outlet") else None)
        if speakers:
            self.previous_speaker_at = speakers[-1].end
        self.out.unresolved = self.objects.unresolved

    def _date_of(self, trig: Trigger, date: DateMention | None, earlier):
        """The trigger's own date, else one borrowed from the event it refers back to.

        Returns the date (or None) and, for "تلك المواقع", where the evidence should end.
        """
        evidence_end = None
        reference = self.objects.last_reference
        if reference:
            source, evidence_end = reference
            date = date or (self.bound_dates.get(source.start) if source else None)
            if date:  # "withdrew from those positions days later"
                date = DateMention(date.start, date.end, date.date_from,
                                   date.date_to + dt.timedelta(days=10), "days", date.warnings)
        if date is None and earlier and _CONNECTOR.search(self.text, earlier[0], trig.start):
            # "قبل أن تستعيده بعد أيام", "وأعقبها بأيام خسارته": later than the event before
            d = earlier[1]
            date = DateMention(d.start, d.end, d.date_from, d.date_to + dt.timedelta(days=30),
                               "days", d.warnings)
        elif date is None and earlier and _WHEREBY.search(self.text, earlier[0], trig.start):
            date = earlier[1]  # "بعد سيطرتها على المطار منذ ثلاثة أشهر حيث تمكنت من فك الحصار": the same time
        return date, evidence_end

    def _roles(self, trig: Trigger, sentence: tuple[int, int], object_start: int):
        """(agent actor id, explicit loser id or None, whether the agent is named in the sentence)."""
        acts = self.sentence_actors
        s0, s1 = sentence
        agent: ActorMention | None = None
        loser = None
        limit = max(object_start, trig.end)
        if trig.rule.role == "besieged":
            # "المحاصرة من قبل التنظيم", "حوصرت المدينة": the besieger only when named as agent
            agent = passive_agent(acts, trig.end, min(trig.end + 60, s1))
            return (agent.actor if agent else "unknown"), None, agent is not None
        if trig.rule.role == "forced" and trig.mid:
            inner = agent_after(acts, trig.mid[0], trig.mid[1])
            loser = inner.actor if inner else None
            agent = subject_before(self.text, acts, trig.start)
            both = [a for a in acts if trig.mid[0] <= a.start < trig.mid[1]]
            if agent is None and len(both) >= 2 and both[0].actor != both[-1].actor:
                # "طردت قوات النظام التنظيم من": verb, subject, then the side expelled
                agent, loser = both[0], both[-1].actor
        else:
            agent = passive_agent(acts, trig.end, min(trig.end + 150, s1))
            if agent and trig.rule.form == "verb" and agent.start - trig.end > _NEAR_AGENT and (
                    subject := subject_before(self.text, acts, trig.start)):
                # "مقاتلو التنظيم انسحبوا من المحطة بعد … استهداف من قبل الجيش": a verb whose
                # subject stands before it; a "من قبل" further on belongs to a later noun
                agent = subject
            elif agent and trig.possessive_pronoun and any(
                    t.kind != "attacked" for t in self._within("triggers", trig.end, agent.start)):
                # "بعد سيطرتها على المطار حيث تمكنت من فك الحصار المفروض عليه من قبل التنظيم":
                # that "من قبل" is the later event's agent; "سيطرتها" names its own
                agent = None
            if agent and trig.kind == "siege_broken" and _IMPOSED.search(self.text, trig.end, agent.start):
                loser, agent = agent.actor, None  # "فك الحصار المفروض على القاعدة من جانب التنظيم"
            if trig.rule.role == "fall":
                return (agent.actor if agent else "unknown"), None, agent is not None
            if trig.rule.name == "freed_from":  # "تحررت من التنظيم": the side after من lost it
                freed_of = next((a for a in acts if trig.end <= a.start <= trig.end + 3), None)
                return (freed_of.actor if freed_of else None), None, freed_of is not None
            if trig.rule.role == "loser" and agent and _FOR_THE_BENEFIT.search(
                    self.text, max(trig.end, agent.start - 14), agent.start):
                # "خسرت قوات النظام البلدة لصالح الفصائل": who lost it is the subject, not "لصالح X"
                winner = agent.actor
                lost_by = subject_before(self.text, acts, trig.start, verb=True) \
                    if trig.rule.form == "verb" else genitive_after(acts, trig.end, self.text)
                return (lost_by.actor if lost_by and lost_by.actor != winner else None), winner, True
            if trig.rule.name == "out_of_control":  # "خرجت عن سيطرة النظام": the regime loses it
                owner = next((a for a in acts if trig.end <= a.start <= trig.end + 12), None)
                return "unknown", (owner.actor if owner else None), False
            if trig.rule.role == "became":
                held = _HELD_BY.search(self.text, trig.end, s1)
                agent = next((a for a in acts if held and held.end() <= a.start <= held.end() + 12), None)
                return (agent.actor if agent else "unknown"), None, agent is not None
            if agent is None and trig.mid:
                agent = agent_after(acts, trig.mid[0], trig.mid[1])
            its_object = pronoun_is_object(self.text, trig, s0)  # "تمكنت من اقتحامها": the pronoun is the town
            if agent is None and trig.possessive_pronoun and not its_object:
                agent = self._possessor(trig, s0)
            if agent is None and trig.rule.form == "noun":
                agent = genitive_after(acts, trig.end, self.text)
                before = last_before(acts, trig.start, s0)
                if agent is None and before and before.owner and _ENABLED.fullmatch(
                        self.text, before.end, trig.start):
                    agent = before  # "سمح للمعارضة بالسيطرة على": ل names who took it
                if agent and trig.kind == "besieged" and _INSIDE.match(self.text, agent.end):
                    loser, agent = agent.actor, None  # "تطويق مسلحي التنظيم في المدينة": the besieged
            elif agent is None:
                agent = agent_after(acts, trig.end, min(trig.end + 45, limit + 1))
                if agent and _ADVERBIAL.search(self.text, trig.end, agent.start):
                    agent = None  # "انسحبت عنها أمام ضربات التنظيم": a name inside an adverbial phrase
                if agent and trig.kind == "besieged" and _INSIDE_NOW.match(self.text, agent.end) \
                        and agent.start - trig.end < 4:
                    loser, agent = agent.actor, None  # "وطوقت إرهابيي داعش في المدينة": the besieged
            if agent is None and trig.rule.form == "verb":
                agent = self._relative_head(trig, s0)  # "الفصائل التي كانت قد سيطرت على القرية"
            if agent is None and (not trig.possessive_pronoun or its_object):
                agent = subject_before(self.text, acts, trig.start, verb=trig.rule.form == "verb")
            owner = owner_after(acts, trig.end, trig.end + 160)
            if owner and trig.rule.role == "gainer" and loser is None:
                loser = owner.actor
        actor = agent.actor if agent else None
        if actor is None and self.speaker_side and (
                trig.rule.form == "verb" and self.text[trig.start:trig.end].endswith("نا")
                or _THEY_SAID.search(self.text, max(s0, trig.start - 8), trig.start)):
            # "دخلنا البلدة", "قال بيان للمقاتلين إنهم انسحبوا": the speakers' own side
            return self.speaker_side, None, True
        other_acted = self.last_agent_at >= s0 and self.last_agent not in (None, self.speaker_side)
        if actor is None and self.speaker_side and not other_acted and (
                trig.rule.name in _SPEAKERS_IDIOMS or (trig.rule.role == "gainer" and trig.kind != "attacked")):
            # "حرّرت وحداتنا", "قالت مصادر في القوات إنه تمت السيطرة": a side claims its own gains
            # (unless another side acted in between: "أعلن الجيش… إلا أن التنظيم شن هجوما واستعاد")
            actor = self.speaker_side
        explicit = actor is not None
        if actor is None and trig.rule.role != "forced":
            actor = self._topic(trig, s0)
            if trig.rule.role == "gainer" and loser and actor in (loser, None):
                actor = self._other_side(loser)  # "سيطر على حواجز لقوات النظام": not the regime
        elif actor is None and loser:
            actor = self._other_side(loser)
        return actor, loser, explicit

    def _relative_head(self, trig: Trigger, s0: int) -> ActorMention | None:
        """The side a relative clause hangs on: "مع الفصائل التي كانت قد سيطرت على
        القرية" (the verb has no subject of its own after it)."""
        rel = _RELATIVE_VERB.search(self.text, max(s0, trig.start - 30), trig.start) or \
            _RELATIVE_THEN.search(self.text, max(s0, trig.start - 140), trig.start)
        if not rel or any(rel.start() < a.start < trig.start for a in self.sentence_actors):
            return None  # "…، التي كانت تدافع عن مناطقها، قبل أن تخسرها": the clause goes on
        head = last_before(self.sentence_actors, rel.start(), s0)
        if head and _HEAD_GAP.fullmatch(self.text, head.end, rel.start()):
            return head
        return None

    def _topic_place(self, sentence: tuple[int, int]) -> Place | None:
        """The one place the sentence before speaks of, for a pronoun with no antecedent in its
        own sentence; None when that sentence names several places (or none)."""
        i = self.sentences.index(sentence)
        if i == 0:
            return None
        p0, p1 = self.sentences[i - 1]
        found = [(m, self.objects.resolved.get(m.start, ())) for m in self.objects.mentions
                 if p0 <= m.start < p1 and not m.region]
        sites = {i for _, ids in found for i in ids}
        if found and len(found[0][1]) == 1 and _TOPIC_FIRST.fullmatch(self.text, p0, found[0][0].start):
            sites = set(found[0][1])  # "وصوران هي بوابة حماة. …": the place the sentence is about
            found = found[:1]
        if len(sites) != 1 or any(len(ids) != 1 for _, ids in found):
            return None
        m = found[0][0]
        return Place(m.start, m.end, sites.pop(), None, True, m.fuzzy, bool(m.generic_kinds),
                     "pronoun with no antecedent in its sentence: the place of the sentence before")

    def _held_before(self, trig: Trigger, s0: int) -> list[Place]:
        """The place right before "أصبحت/باتت … تحت سيطرة": its subject; a share named before
        it ("أكثر من 50 بالمئة من المدينة") makes the claim partial."""
        for m in reversed(self.objects.mentions):
            if m.end > trig.start:
                continue
            if m.start < max(s0, trig.start - 40) or not _SUBJECT_GAP.fullmatch(self.text, m.end, trig.start):
                return []
            part = _SHARE_BEFORE.search(self.text, max(s0, m.start - 40), m.start)
            return [Place(m.start, m.end, sid, "partial" if part else None, False, m.fuzzy, bool(m.generic_kinds))
                    for sid in self.objects.resolved.get(m.start, ())]
        return []

    def _quote_open(self, since: int, at: int) -> bool:
        """A quotation opened after the speaker was named is still open at ``at``."""
        a, b = self.folded.raw_span(since, at)  # folding drops the quotes: count them in the raw text
        span = self.raw[a:b]
        opened = span.count("«") + span.count("“")
        closed = span.count("»") + span.count("”")
        return opened > closed or (not opened and span.count('"') % 2 == 1)

    def _possessor(self, trig: Trigger, s0: int) -> ActorMention | None:
        """Whose "سيطرتها": the last subject before it in the sentence that agrees with the
        pronoun ("فصائل المعارضة كسرت خطوط… أبرز مواقع قوات النظام، وأن سيطرتها" is the
        factions'), else the last agreeing name, else the last name."""
        before = [a for a in self.sentence_actors if s0 <= a.start and a.end <= trig.start]
        if not before and _FRONTED.fullmatch(self.text, s0, trig.start):
            # "وبعد سيطرتها على القاعدة، بدأت قوات X بالتقدم": the main clause's subject
            after = next((a for a in self.sentence_actors if a.start > trig.end and a.subject), None)
            if after:
                return after
        if not before and trig.rule.role == "gainer" and self.out.claims and \
                self.out.claims[-1]["gainer"] not in ("unknown", None):
            # "سيطرت القوات على المحطة … . ويجيء هذا الهجوم عقب سيطرتها على القاعدة": the side
            # that gained in the event told last goes on gaining
            last = self.out.claims[-1]["gainer"]
            return ActorMention(trig.start, trig.start, last, subject=True, owner=False, passive=False)
        feminine = {"ها": True, "ه": False}.get(trig.pronoun)
        agreeing = [a for a in before if feminine is None or a.feminine == feminine
                    or (a.actor == "isis" and _ISIS_FEMININE.search(self.text, a.start, a.end))] or before
        subjects = [a for a in agreeing if a.subject]
        pick = subjects or agreeing
        return pick[-1] if pick else last_before(self.sentence_actors, trig.start, s0)

    def _resolved(self, a: ActorMention) -> ActorMention:
        """"قواتنا" is the speaker's side; a bare "القوات" the forces last named before it."""
        if a.actor == "self":
            return replace(a, actor=self.speaker_side or "unknown")
        if a.actor == "opposition" and _BARE_MILITANTS.fullmatch(self.text, a.start, a.end):
            # "المسلحين" alone: the rebels, unless the article's only armed foe is the organisation
            named = self._named_sides()
            if "isis" in named and "opposition" not in named:
                return replace(a, actor="isis")
            return a
        if a.actor == "forces":
            named = next((b.actor for b in reversed(self.actors) if b.end <= a.start
                          and b.actor not in ("self", "forces") and b.feminine), None)
            return replace(a, actor=named or "unknown")
        return a

    def _named_sides(self) -> set[str]:
        """Sides the article names by a proper name (not "المسلحين", "القوات", "قواتنا")."""
        if self._named is None:
            self._named = {a.actor for a in self.actors if a.actor not in ("self", "forces")
                           and not _BARE_MILITANTS.fullmatch(self.text, a.start, a.end)}
        return self._named

    def _ranked_sides(self) -> list[str]:
        """Sides named in the article, most often named first."""
        if self._sides is None:
            counts: dict[str, int] = {}
            for a in self.actors:
                if a.actor not in ("self", "forces"):
                    counts[a.actor] = counts.get(a.actor, 0) + 1
            self._sides = sorted(counts, key=lambda k: -counts[k])
        return self._sides

    def _other_side(self, side: str | None, default=None):
        """The side fighting ``side`` in this article: the one it names most often besides
        ``side`` (an SDF campaign against ISIS is not the regime's), else the usual opponent."""
        if side in (None, "unknown"):
            return default
        # "وتأتي سيطرة قوات سوريا الديمقراطية على القرى بالتزامن مع انسحابه من المدينة": a side
        # named in the same sentence is the one fighting it there
        here = [a.actor for a in getattr(self, "sentence_actors", ())
                if a.actor not in ("self", "forces", "unknown", side)]
        if here:
            return here[0]
        other = next((a for a in self._ranked_sides() if a != side), None)
        return other or OPPOSITE.get(side, default)

    def _main_side(self) -> str:
        """The side the article names most (a besieger nobody names is usually the one reported on)."""
        sides = self._ranked_sides()
        return sides[0] if sides else "unknown"

    def _described(self, trig: Trigger, s0: int, relative: bool = False) -> list[Place]:
        """Places right before an adjective ("بلدتي كفريا والفوعة المحاصرتين"), a list included;
        with ``relative``, the place before "التي" ("الرقة، التي سقطت")."""
        found: list[Place] = []
        edge = trig.start
        if relative:
            rel = list(_RELATIVE.finditer(self.text, max(s0, trig.start - 12), trig.start))
            edge = rel[-1].start() if rel else edge
            while edge > s0 and self.text[edge - 1] in " ،,":
                edge -= 1
        for m in reversed(self.objects.mentions):
            if m.end > edge:
                continue
            gap = self.text[m.end:edge]
            if m.start < s0 or not _LIST_GAP.fullmatch(gap):
                break
            found[:0] = [Place(m.start, m.end, sid, None, False, m.fuzzy, bool(m.generic_kinds))
                         for sid in self.objects.resolved.get(m.start, ())]
            edge = m.start
        return found

    def _topic(self, trig: Trigger, s0: int) -> str | None:
        """Pro-drop: the agent of an earlier event of this sentence, else the nearest subject
        named earlier in the sentence, else the agent of the last event before it. The verb's
        gender breaks ties: "تمكنت من السيطرة" wants "قوات النظام", not "التنظيم"."""
        gender = verb_gender(self.text, trig.start, self.text[trig.start:trig.end], trig.rule.form == "verb")
        before = [a for a in self.sentence_actors if a.end <= trig.start]
        if gender and not any(a.actor == self.last_agent and (a.feminine == (gender == "f"))
                              for a in before if a.subject):
            agreeing = [a for a in before if a.feminine == (gender == "f")]
            if agreeing and (self.last_agent_at < s0 or agreeing[-1].actor != self.last_agent):
                subjects = [a for a in agreeing if a.subject]
                return (subjects or agreeing)[-1].actor
        if self.last_agent and self.last_agent_at >= s0:
            return self.last_agent
        near = next((a for a in reversed(before) if a.subject), None)
        return near.actor if near else self.last_agent

    def _emit(self, trig, places: list[Place], named, actor, loser, date: DateMention | None,
              claimant, denied, evidence_end: int | None = None):
        places = [p for p in places if self._first_in_sentence(p.site_id, trig, actor, denied)]
        own_dates = self._own_dates(places)
        role = trig.rule.role
        if role == "besieged":
            gainer, lost = actor or "unknown", None
            if gainer == "unknown":
                holder = self._named_holder(trig)
                lost = holder
                gainer = self._other_side(holder, "unknown") if holder else (
                    self._topic(trig, trig.start) or self._main_side())  # "وحوصرت بذلك المدينة": by the last agent
        elif role == "loser":
            # ``loser`` of a loss names the other party: "لصالح X" is who gained
            gainer = loser if loser and loser != actor else (self._other_side(actor, "unknown") if actor else "unknown")
            lost = actor if actor or not loser else self._other_side(loser)
        elif role == "forced":
            gainer, lost = actor or "unknown", loser or (self._other_side(actor) if actor else None)
        else:
            gainer = actor or "unknown"
            lost = loser if loser and loser != gainer else self._other_side(gainer)
        previous_end = trig.end
        # "سيطرت على أجزاء من أحياء عدة بينها الرشيد والنهضة": the share covers every item
        whole_list_partly = bool(places) and places[0].start > trig.end and bool(_PARTS_THEN_LIST.search(
            self.text, trig.end, places[0].start)) and places[0].start - trig.end < 80
        for place in places:
            date = own_dates.get(place.start, date)
            date_from, date_to, date = self._window(trig, date)
            kind = place.kind_override or trig.kind
            entry = kind == "captured" and trig.rule.partial and not _WHOLLY.search(
                self.text, trig.start, min(len(self.text), place.end + 25))
            if entry:
                kind = "partial"  # entering, storming, infiltrating
                self.entries.add(len(self.out.claims))
            elif kind == "partial" and trig.kind == "partial" and self.gaz.sites[place.site_id].kind in ("city", "town"):
                self.entries.add(len(self.out.claims))  # "تقدموا داخل البلدة": the way in, like an entry
            elif kind == "captured" and whole_list_partly:
                kind = "partial"
            elif kind == "captured" and self._partly(
                    trig.end if self.gaz.sites[place.site_id].kind not in _SETTLED else max(trig.end, previous_end),
                    place):
                kind = "partial"  # "سيطرت على أجزاء من الحي", "على أكثر من نصف المدينة"
            previous_end = max(previous_end, place.end)
            start = trig.start if evidence_end else min(trig.start, place.start)
            end = evidence_end or max(trig.end, place.end)
            ev_start, ev_end = self.folded.raw_span(start, end)
            m_start, m_end = self.folded.raw_span(place.start, place.end)
            confidence = 0.85 - (0.15 if named is None or place.via_pronoun else 0.0) \
                - (0.1 if place.fuzzy or place.generic else 0.0) - (0.1 if date and date.warnings else 0.0)
            site = self.gaz.sites[place.site_id]
            self.out.claims.append({
                "doc_id": self.doc_id, "site_id": place.site_id, "site_name": site.name_en,
                "mention": self.raw[m_start:m_end], "mention_start": m_start, "mention_end": m_end,
                "kind": kind, "gainer": gainer, "loser": lost,
                "date_from": date_from.isoformat(), "date_to": max(date_from, date_to).isoformat(),
                "claimant": claimant, "denied": denied,
                "evidence": self.raw[ev_start:ev_end], "evidence_start": ev_start, "evidence_end": ev_end,
                "confidence": round(max(0.1, confidence), 2),
                # no date words bound to it: a window guessed from the publication date, which
                # the replay takes as confirmation only, never as the time of a change
                "time_precision": date.precision if date else "fallback",
                # which site the mention was resolved to, and on what evidence
                "site_why": place.why or f"{self._raw(place.start, place.end)!r} is the name of {site.label()}",
            })

    def _window(self, trig: Trigger, date: DateMention | None) -> tuple[dt.date, dt.date, DateMention | None]:
        """The claim's window: its date, else "some time before" for a pluperfect, else the
        fallback window before publication (the date is then None, and the claim says so)."""
        pub = self.published
        if date:
            if date.date_from > pub:
                self._warn(f"date after publication ignored at {self._raw(date.start, date.end)!r}")
            else:
                return date.date_from, min(date.date_to, pub), date
        if _EARLIER.search(self.text, max(0, trig.start - 30), trig.start + 1) or \
                _EARLIER_AFTER.match(self.text, trig.end) or _SINCE.search(self.text, max(0, trig.start - 6), trig.start) \
                or (not trig.present and (kana := _KANA_OPENS.search(
                    self.text, max(self.sentence_start, trig.start - 100), trig.start))
                    and not _CLAUSE_BREAK.search(self.text, kana.end(), trig.start)):
            # "وكان التنظيم قد سيطر", "فرض سيطرته عليها سابقا", "منذ فك الحصار": some time
            # before, we do not know when
            return pub - dt.timedelta(days=365), pub, None
        return pub - dt.timedelta(days=_DEFAULT_DAYS), pub, None

    def _own_dates(self, places: list[Place]) -> dict[int, DateMention]:
        """Dates that belong to one object of a list rather than to the verb: "سيطرت على إدلب
        في 28 آذار، وجسر الشغور في 25 نيسان"; "معسكري القرميد والمسطومة في 27 نيسان و20 أيار"
        (as many dates as places, in order: respectively)."""
        if not places or not self.sentence_dates or self.sentence_dates[-1].start < places[0].end:
            return {}  # no date after the first object: nothing to hand out
        dates = self.sentence_dates
        chain: list[DateMention] = []
        pos = places[-1].end
        for d in dates:
            if d.start < pos:
                continue
            if not _DATE_GAP.fullmatch(self.text, pos, d.start):
                break
            chain.append(d)
            pos = d.end
        distinct = list(dict.fromkeys(p.start for p in places))
        if len(distinct) >= 2 and len(chain) == len(distinct):
            at = dict(zip(distinct, chain))
            return {p.start: at[p.start] for p in places}
        out: dict[int, DateMention] = {}
        for i, p in enumerate(distinct):
            nxt = distinct[i + 1] if i + 1 < len(distinct) else len(self.text)
            own = next((d for d in dates if p < d.start < nxt), None)
            place_end = next(q.end for q in places if q.start == p)
            if own and _DATE_GAP.fullmatch(self.text, place_end, own.start) and (out or i + 1 < len(distinct)):
                out[p] = own  # the last object's date is its own only when the list dates each one
        return out

    def _standing_siege(self, trig: Trigger) -> bool:
        """"المنطقة التي يحاصرها التنظيم منذ عام": a relative clause saying how long a siege has
        lasted describes the place, like "يسيطر عليها منذ"; a clause reporting the siege does not."""
        return trig.present and bool(_RELATIVE.search(self.text, max(0, trig.start - 12), trig.start)) \
            and bool(_SINCE_AFTER.match(self.text, trig.end))

    def _sole_speaker(self) -> str | None:
        """The only source the article attributes anything to, when it is an independent reporter
        (the outlet's own voice only when nobody else speaks)."""
        if not self._sole_known:
            named = {m.claimant for m in self.markers if m.attributes}
            self._sole = named.pop() if len(named) == 1 and named <= _MONITORS else None
            self._sole_known = True
        return self._sole

    def _past_own_object(self, trig: Trigger, places: list[Place]) -> list[Place]:
        """Drop places after a trigger whose object was already given, by a pronoun ("وبسيطرة
        الفصائل عليها لم تعد للنظام إلا قاعدة واحدة") or by a demonstrative ("بهذه السيطرة تكون
        المدينة"): those places belong to another clause. "عليها وعلى القرية" goes on."""
        if not places or trig.rule.form != "noun":
            return places
        if _THIS_BEFORE.search(self.text, max(0, trig.start - 12), trig.start) and not _OWN_PREPOSITION.match(
                self.text, trig.end):
            return [p for p in places if p.start < trig.start]
        pronoun = _PRONOUN_OBJECT.match(self.text, trig.end)
        if not pronoun:
            return places
        return [p for p in places if p.start < pronoun.end() or _AND_ON.fullmatch(
            self.text, pronoun.end(), p.start) or _AND_ON.match(self.text, pronoun.end())]

    def _towards(self, trig: Trigger, place: Place) -> bool:
        """An advance towards, near or between places is not a foothold in them."""
        if place.start < trig.end:
            return False
        between = self.text[trig.end:place.start]
        return bool(_TOWARDS_WORDS.search(between) or _COMPASS_BEFORE.search(between))

    def _partly(self, since: int, place: Place) -> bool:
        """Words of partial control between the trigger (or the list item before) and the
        place, or right after the place: "حي الفردوس وأجزاء من حي الميدان"."""
        if place.start > since:
            between = self.text[since:place.start]
            marks = list(_PARTLY.finditer(between)) if len(between) < 80 else []
            if self.gaz.sites[place.site_id].kind not in ("city", "town"):
                # districts are a share of a city or town only: "عدة أحياء في المدينة بينها حطين"
                # names whole districts, "تحرير عدة أحياء، إضافة لمعمل السكر" the whole factory
                marks = [m for m in marks if "احياء" not in m.group()]
            # "أجزاء من السلسلة ... في محاور ثنية رائد": the named place is another object
            if marks and not _OTHER_OBJECT.search(between, marks[-1].end()):
                return True
            if marks and marks[-1].group().lstrip("وف").startswith("شبه"):
                return True  # "السيطرة بشكل شبه كامل على المدينة": an adverb before the verb's على
        return bool(_PARTLY_AFTER.match(self.text, place.end))

    def _named_holder(self, trig: Trigger) -> str | None:
        """The side inside a siege when the text names it: "تطويق مسلحي التنظيم في المدينة"."""
        if trig.rule.name == "siege_adjective" and _BESIEGED_IN.match(self.text, trig.end):
            # "بات عناصر التنظيم محاصرين تماما في المدينة": the side the adjective describes
            side = next((a for a in reversed(self.sentence_actors)
                         if a.end <= trig.start and trig.start - a.end <= 25 and a.subject), None)
            if side:
                return side.actor
        acts = [a for a in self.sentence_actors if trig.end <= a.start <= trig.end + 40]
        if acts:
            return acts[0].actor
        # "البلدتين المواليتين للنظام والمحاصرتين": the side they are loyal to is inside
        loyal = [a for a in self.sentence_actors if trig.start - 50 <= a.start < trig.start
                 and _LOYAL.search(self.text, max(0, a.start - 14), a.start)]
        return loyal[-1].actor if loyal else None

    def _first_in_sentence(self, site_id: str, trig: Trigger, actor, denied: bool) -> bool:
        """One control change per site, gainer and sentence: "سيطرت على الحقل بعد انسحاب التنظيم منه"."""
        if trig.kind not in ("captured", "withdrew") or trig.rule.partial:
            return True  # an entry does not stand for the capture that may follow it
        gainer = self._other_side(actor, "unknown") if trig.rule.role == "loser" else (actor or "unknown")
        key = (site_id, gainer, denied)
        if key in self.sentence_changes:
            return False
        self.sentence_changes.add(key)
        return True

    def _raw(self, start: int, end: int) -> str:
        a, b = self.folded.raw_span(start, end)
        return self.raw[a:b]

    def _warn(self, note: str) -> None:
        if note not in self.out.warnings:
            self.out.warnings.append(note)


_RESUMPTIVE = re.compile(lx.RESUMPTIVE)
_RELATIVE = re.compile(r"(?<!\w)(?:التي|الذي|اللتين|اللذين)\s+(?:\w+\s+)?$")
_SINCE_AFTER = re.compile(r"(?:\s+\w+){0,4}?\s+منذ(?!\w)")
_IMPOSED = re.compile(r"(?<!\w)(?:ال)?مفروض(?:ه)?(?!\w)|(?<!\w)فرض(?:ه|ها|ته)(?!\w)")
_INSIDE = re.compile(r"(?:\s+[^\s،,.]+){0,3}?\s+(?:في|داخل|بداخل)\s")
# "تنظيم الدولة … سيطرتها": the state, feminine, may own the pronoun
_ISIS_FEMININE = re.compile(r"الدوله|داعش")
_RELATIVE_VERB = re.compile(r"(?<!\w)(?:التي|الذي|الذين)\s+(?:(?:كان|كانت|كانوا)\s+)?(?:قد\s+)?[وف]?$")
#: A relative clause continued by "قبل أن / إلى أن / حتى" up to the verb: the same subject.
_RELATIVE_THEN = re.compile(r"(?<!\w)(?:التي|الذي|الذين)\s+[^.!?؟]{0,120}?(?<!\w)(?:قبل|الى|حتى)\s+ان\s+[وف]?$")
#: A preposition of circumstance between a verb and a name: the name is no subject of the verb.
_ADVERBIAL = re.compile(r"(?<!\w)(?:امام|تحت|ضد|اثر|عقب|جراء|بسبب|رغم|بفعل|نتيجه)(?!\w)")
#: Nothing but a conjunction before a sentence's first place: the sentence is about it.
_TOPIC_FIRST = re.compile(r"\s*[وف]?")
#: A masdar fronted by a time word at the start of its sentence ("وبعد سيطرتها على …، عمدت …").
_FRONTED = re.compile(r"\s*[وف]?(?:بعد|عقب|اثر|منذ|مع)\s*")
#: "حيث" after a dated event: the clause says how that event happened, at its time.
_WHEREBY = re.compile(r"(?<!\w)حيث(?!\w)")
#: A verb of result with ل right before a date ("لتنضم اليوم", "ليصبح أمس"): the date is its own.
_LAM_VERB = re.compile(r"(?<!\w)ل[يت](?!حرير|طهير)\w{2,}\s+$")
#: A clause opening on "وكان/وكانت …" tells what had happened before ("وكانت العملية نجحت في
#: استعادة البلدتين"), up to a break into a new clause.
_KANA_OPENS = re.compile(r"(?:^|(?<=\s))و(?:كان|كانت|كانوا)\s")
_CLAUSE_BREAK = re.compile(r"[،,:]|(?<!\w)(?:ثم|لكن|لكنها|لكنه|الا\s+ان|قبل\s+ان|حتي)(?!\w)")
#: After "محاصرا": the place the side is besieged in ("محاصرا بالكامل داخل مدينة X").
_BESIEGED_IN = re.compile(r"(?:\s+(?:بالكامل|تماما|كليا|من\s+\w+\s+جهات))?\s+(?:في|داخل|بداخل)\s")
_HEAD_GAP = re.compile(r"[\s،,\"“”«»()]*")
#: Places whose part is partial control when a list item names it ("حي الأصيلة وأجزاء من حي…");
#: "أجزاء واسعة من جبل" in a list reads as taking the heights
_SETTLED = frozenset({"city", "town", "village", "neighbourhood", "area"})
#: How far (characters) a sentence-final attribution reaches back over the events before it
_COVERS = 160
_SHARE_OF_IT = re.compile(
    r"\s+علي\s+(?:(?:اجزاء|مساحات|معظم|اغلب|نصف|ثلث|ثلثي|ربع|اكثر\s+من\s+(?:نصف|ثلث|\d+\s*%?))\s+"
    r"(?:واسعه\s+)?(?:من(?:ها|ه)|مساحت(?:ها|ه)|احيائ(?:ها|ه))|(?:جزء|قسم)\s+(?:كبير\s+)?من(?:ها|ه))(?!\w)")
_SUBJECT_GAP = re.compile(r"[\s،,\"“”«»()]*(?:(?:قد|الان|اليوم|بذلك)\s*)*")
_SHARE_BEFORE = re.compile(
    r"(?<!\w)(?:اجزاء|معظم|اغلب|نصف|ثلث|ثلثي|ربع|\d+\s*(?:%|بالمئه|بالمائه|في\s+الم[ئا]ه))(?:\s+\w+){0,2}\s+من\s+$")
_BARE_MILITANTS = re.compile(r"[وف]?(?:لل|[لبك])?(?:ال)?مسلح(?:ين|ون)")
_CONTRAST = re.compile(r"(?<!\w)(?:الا\s+ان|غير\s+ان|لكن|لكنه|لكنها|بيد\s+ان|في\s+حين)(?!\w)")
_INSIDE_NOW = re.compile(r"[\s\"“”()]*(?:في|داخل|بداخل)\s")
_THEY_SAID = re.compile(r"(?<!\w)[بلف]?ان(?:هم|نا)\s+$")
_ENABLED = re.compile(r"[\s\"“”«»()،,]*(?:ايضا[\s،,]*)?[وف]?(?:ب|ل|من\s+)?")
_ADVANCES = frozenset({"advance_verb", "advance_noun"})
_TOWARDS_WORDS = re.compile(r"(?<!\w)(?:باتجاه|اتجاه|نحو|صوب|تجاه|الي|حتي|مشارف|اطراف|محيط|بين|قرب|بالقرب)(?!\w)")
_COMPASS_BEFORE = re.compile(r"(?<!\w)(?:شمال|جنوب|شرق|غرب)\w*\s+(?:(?:قريه|بلده|مدينه|حي|منطقه|بلدتي|قريتي)\s+)?$")
_NOT_THE_FORCE = re.compile(r"\s+(?:\w+\s+)?(?:ال)?(?:قاده|قادات|قيادات|قيادي\w*|امراء|عائلات|عوائل|اسر|"
                            r"مدنيين|المدنيين|اهالي|سكان|جرحي|مصابين)(?!\w)")
_EVACUATED = re.compile(r"(?<!\w)(?:ال)?(?:مدنيين|اهالي|سكان|جرحي|عائلات|المحاصرين)(?!\w)")
_LOYAL = re.compile(r"(?:الموالي\w*|موالي\w*|التابع\w*)\s+$")
#: Idioms of the victor: with no agent named, the gainer is the side of who says it.
_SPEAKERS_IDIOMS = frozenset({"liberate", "liberate_noun", "restore_security"})
_CONTINUES = re.compile(r"[\s\"“”«»]*(?:كما(?!\w)|ثم(?!\w))")
_GOES_ON = re.compile(lx.CONTINUES_CLAIMANT.removeprefix("^"))  # "وأضاف:", "وأوضحت أن": the speaker before goes on
_LIST_GAP = re.compile(r"[\s،,\"“”()«»]*(?:و|او)?[\s\"“”()«»]*|[\s\"“”()«»]*(?:ال)?(?:مواليتين|مواليه|الموالي\w*)\s+(?:لل\w+\s+)?(?:و)?")
_PARTLY = re.compile(lx.PARTLY)
#: Named independent reporters whose account an article may relay throughout (a monitor, another
#: outlet); "field sources" are often the outlet's own and never stand for the whole article
_MONITORS = frozenset({"sohr", "other_outlet"})
_THIS_BEFORE = re.compile(r"(?<!\w)[وفب]*(?:هذه|هذا|تلك|ذلك)\s+$")
_OWN_PREPOSITION = re.compile(r"\s+(?:علي|من|عن|في|الي)(?!\w)")
# "سيطرة المعارضة عليها": at most three words (the agent) between the noun and its pronoun
_PRONOUN_OBJECT = re.compile(r"(?:\s+(?!علي|من|في)\w+){0,3}?\s+(?:عليها|عليه|منها|منه)(?!\w)")
_AND_ON = re.compile(r"[\s،,]*و(?:علي|من)\s+(?:\w+\s+)?")
_PARTS_THEN_LIST = re.compile(
    r"(?<!\w)[وف]?(?:اجزاء|جزء|اطراف|اقسام)\s+(?:واسعه\s+)?من\s+[^.،؟!]*?(?<!\w)(?:بينها|منها|من\s+بينها|ومنها|هي|وهي|تشمل|تضم|ابرزها)(?!\w)")
# between a place and its own date: "إدلب (مركز المحافظة) في 28 آذار"
_DATE_GAP = re.compile(r"[\s،,]*(?:\([^()]{0,40}\)[\s،,]*)?(?:و\s*)?(?:في|يوم|بتاريخ)?\s*")
_WHOLLY = re.compile(lx.WHOLLY)
_OTHER_OBJECT = re.compile(r"(?<!\w)(?:علي|محاور|محور|محوري)(?!\w)")
_PARTLY_AFTER = re.compile(lx.PARTLY_AFTER)
_CONNECTOR = re.compile(lx.LATER_CONNECTOR)
_HELD_BY = re.compile(lx.HELD_BY)
_DENIES_IT = re.compile(lx.DENIED_REFERENCE)
_SINCE = re.compile(r"(?<!\w)منذ\s*$")
#: A fall into a side's hands: "سقطت بيد/في أيدي/في قبضة X" ("سقط خلالها قتلى" is no fall of a place).
_INTO_HANDS = re.compile(r"\s+(?:\w+\s+){0,2}(?:بيد|بايدي|في\s+يد|في\s+ايدي|في\s+قبضه|تحت\s+سيطره|لصالح)(?!\w)")
#: A loss "to the benefit of" a side names the gainer: "خسرها النظام لصالح الفصائل".
_FOR_THE_BENEFIT = re.compile(lx.FELL_TO)
#: A side's presence somewhere, which a "منذ" after it dates (not the event of the sentence).
_PRESENCE = re.compile(r"(?<!\w)(?:ال)?(?:متمركز|متواجد|مرابط|متحصن|منتشر|موجود)\w*(?:\s+\S+){0,4}(?:\s+منذ)?\s*$"
                       r"|(?<!\w)[يت](?:تمركز|تواجد|تحصن|نتشر)\w*(?:\s+\S+){0,4}(?:\s+منذ)?\s*$")
_TIME_LINK = re.compile(r"(?<!\w)(?:بعد|عقب|اثر|قبل|خلال|حتي)(?!\w)")
_EARLIER = re.compile(lx.PLUPERFECT)
_EARLIER_AFTER = re.compile(lx.EARLIER_AFTER)


def _bind_dates(text: str, dates: list[DateMention], trigs: list[Trigger]) -> dict[int, DateMention]:
    """Give each date to the nearest trigger of its sentence (a trigger keeps its nearest date)."""
    bound: dict[int, tuple[int, DateMention]] = {}
    for d in dates:
        verb = _LAM_VERB.search(text, max(0, d.start - 14), d.start)
        if verb and not any(t.start <= verb.start() < t.end for t in trigs):
            continue  # "… في استعادة البلدتين لتنضم اليوم إليهما دابق": the date is the later verb's
        since = bool(_SINCE.search(text, max(0, d.start - 6), d.start))
        if (since or text.startswith("منذ", d.start)) and _PRESENCE.search(text, max(0, d.start - 45), d.start):
            continue  # "القوات المتمركزة في البلدة منذ أربعة أشهر": how long they were there
        last = next((t for t in reversed(trigs) if t.end <= d.start), None)
        best = None
        for t in trigs:
            if since and not (t is last and t.rule.form == "verb" and not t.present
                              and t.kind in ("captured", "withdrew")):
                # "منذ مطلع عام 2015" dates how long a state lasted; only after a past event
                # ("الذين سيطروا على المطار منذ آب 2014") does it say when the event was
                continue
            # a date usually follows its verb; one before the verb must be much closer
            resumptive = _RESUMPTIVE.match(text, t.end)
            end = resumptive.end() if resumptive else t.end  # "انسحب منها في آذار"
            if t.start <= d.start < t.end:
                distance = 0  # inside the trigger: "أعادت في 27 آذار الأمن والاستقرار إلى"
            elif d.forward:
                distance = t.start - d.end  # "بعد يومين من دخول البلدة": the event after it
            else:
                distance = d.start - end if d.start >= t.end else 3 * (t.start - d.end) + 12
                if d.end <= t.start and text[t.start] == "و" and not text[d.end:t.start].strip() \
                        and not (resumptive or t.object_pronoun) and any(o.end <= d.start for o in trigs):
                    # "اقتحمت المدينة في 24 نيسان وطوقت التنظيم": the date ends the clause before
                    # ("اقتحمتها فجر اليوم وسيطرت عليها": one place, one date for both)
                    continue
                if d.start < t.end and (best is None or distance < best[0]) and \
                        _TIME_LINK.search(text, d.end, t.start):
                    continue  # "سيطرت عليها في 5 نيسان بعد معارك": the date is the capture's, not the battle's
            if distance >= 0 and (best is None or distance < best[0]):
                best = (distance, t)
        if best and (best[1].start not in bound or best[0] < bound[best[1].start][0]):
            bound[best[1].start] = (best[0], d)
    return {k: v[1] for k, v in bound.items()}


def _known_gainer_first(claims: list[dict]) -> list[dict]:
    """Drop a claim whose gainer is unknown when the article names the gainer of the same change
    (same site, kind and days): "لفك الحصار عن المدينة" beside "حاصرت قوات النظام المدينة"."""
    known = [c for c in claims if c["gainer"] != "unknown"]
    return [c for c in claims if c["gainer"] != "unknown" or not any(
        k["site_id"] == c["site_id"] and k["kind"] == c["kind"] and k["denied"] == c["denied"]
        and k["date_from"] <= c["date_to"] and c["date_from"] <= k["date_to"] for k in known)]


def _entered_then_taken(claims: list[dict], entries: set[int]) -> list[dict]:
    """Drop "stormed the town" when the article says the same side took the whole town in the
    same days: the entry was the way in, the capture is the claim ("اقتحم البلدة … وسيطر عليها").

    The capture may be told a few days after the entry ("stormed it on Monday"; "took it, activists
    said on Tuesday"): an entry that ends at most ``_ENTRY_LEAD`` days before the capture's window
    begins is the same push; an entry after the capture is not.
    """
    # the way into a besieged base is the break of its siege ("فك الحصار … ودخول القوات إلى المطار")
    taken = [c for c in claims if c["kind"] in ("captured", "siege_broken") and not c["denied"]]
    return [c for i, c in enumerate(claims) if i not in entries or not any(
        t["site_id"] == c["site_id"] and t["gainer"] == c["gainer"]
        and t["date_from"] <= _days_after(c["date_to"], _ENTRY_LEAD) and c["date_from"] <= t["date_to"]
        and not (t["time_precision"] == "fallback" and c["time_precision"] != "fallback") for t in taken)]


#: Days an entry may precede the capture it led to and still be its way in.
_ENTRY_LEAD = 3


def _days_after(day: str, days: int) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=days)).isoformat()


def _withdrawal_of_a_capture(claims: list[dict]) -> list[dict]:
    """Drop an undated withdrawal when the article dates the same side's capture of the place:
    "the army took the town on Sunday … the rebels withdrew from it" is one change, told from
    both ends. A withdrawal with its own date stays (a source may date the retreat apart)."""
    taken = [c for c in claims if c["kind"] == "captured" and c["time_precision"] != "fallback"]
    return [c for c in claims if c["kind"] != "withdrew" or c["time_precision"] != "fallback" or not any(
        t["site_id"] == c["site_id"] and t["gainer"] == c["gainer"] and t["denied"] == c["denied"]
        and t["date_from"] <= c["date_to"] and c["date_from"] <= t["date_to"] for t in taken)]


def _dedupe(claims: list[dict]) -> list[dict]:
    """One claim per (site, kind, gainer, denied) and overlapping window.

    Repeats of an event in one article (a headline, a summary line, a confirmation by
    "other sources") are one claim of that article. The first one stands, unless a
    repeat says who asserts it (the outlet's headline, then the agency it quotes);
    then the repeat takes its place.
    """
    kept: list[dict] = []
    by_key: dict[tuple, list[int]] = {}
    for c in claims:
        same = by_key.setdefault((c["site_id"], c["kind"], c["gainer"], c["denied"]), [])
        twin = next((i for i in same if kept[i]["date_from"] <= c["date_to"]
                     and c["date_from"] <= kept[i]["date_to"] and not _told_apart(kept[i], c)), None)
        if twin is None:
            same.append(len(kept))
            kept.append(c)
        elif _says_more(c, kept[twin]):
            kept[twin] = c
        elif c["claimant"] != "outlet" and kept[twin]["claimant"] == "outlet":
            kept[twin] = {**kept[twin], "claimant": c["claimant"]}  # who says it; the first line says when
    return kept


def _told_apart(old: dict, new: dict) -> bool:
    """Two captures, not a repeat: one dated to a day, the other to a week that holds it
    ("سيطرت على البلدة اليوم" … "وكانت سيطرت عليها مرتين خلال الأسبوع الحالي")."""
    precisions = sorted((old["time_precision"], new["time_precision"]))
    return old["kind"] == "captured" and precisions == ["day", "week"]


def _says_more(new: dict, old: dict) -> bool:
    """A repeat names the claimant the first line left to the outlet (a headline, then the
    agency it quotes), and is no vaguer about when."""
    named = new["claimant"] != "outlet" and old["claimant"] == "outlet"
    return named and not (new["time_precision"] == "fallback" and old["time_precision"] != "fallback")
