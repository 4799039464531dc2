"""Random office histories, built as real signed repositories, judged twice: by `laman check` and
by a small reference model written here from the SOP's meaning (sop.yml read as plain data; no
import of the proof's policy or rules). Any disagreement is a bug in one of them.

Each history: people of the sample office and an outsider take random steps and edits on two
articles, signed with their key, unsigned, or with a key the team does not list; some of the
changes come through a branch merged back (signed, or unsigned and so refused),
while main moved meanwhile. `make fuzz` runs many more (LAMAN_FUZZ_EXAMPLES).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import yaml
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule

from tests.office import BY, FLOW, ROLES, ROOT, Keys, Office, article_text, codes, make_keys

SOP = yaml.safe_load((ROOT / "sop.yml").read_text("utf-8"))
STAGES = {s["id"]: s for s in SOP["stages"]}
INITIAL = next(s["id"] for s in SOP["stages"] if s.get("initial"))
MOVES = {(t["from"], t["to"]): t for t in SOP["transitions"]}
ASSIGNEE = "writer@kpu.example"  # every article's assignee (tests/office.article_text)

PEOPLE = [*ROLES, "attacker"]  # the attacker is in no team: her key is unknown
ARTICLES = ["a1", "a2"]
BODIES = ["Isi pertama.\n", "Isi kedua.\n"]
EXAMPLES = int(os.environ.get("LAMAN_FUZZ_EXAMPLES", "12"))


@cache
def _keys() -> Keys:
    return make_keys(Path(tempfile.mkdtemp(prefix="laman-fuzz-keys-")))


@dataclass(frozen=True)
class Art:
    """The model's article: where it stands, its text, who wrote this version, and whether the
    version standing was approved."""

    stage: str
    body: str
    reason: bool
    contributors: frozenset[str] = frozenset()
    approved: bool = False
    held: bool = False  # a refused change since it was last verified or withdrawn cleanly
    good: Art | None = None  # while held: the last approved version, which stays live

    def standing(self) -> Art | None:
        """What stays live if this version is held next."""
        return self if self.approved and not self.held else self.good

    def live(self) -> bool:
        return (self.approved and not self.held) or self.good is not None

    def text(self, ident: str) -> str:
        fields: dict[str, object] = {"body": self.body}
        if self.stage == "withdrawn":
            fields["withdrawal"] = "Data keliru"
        elif self.reason:
            fields["revision"] = "Perbaiki angka"
        return article_text(ident, self.stage, **fields)


def _roles(person: str | None) -> set[str]:
    return {ROLES[person]} if person in ROLES else set()


def judge(before: Art | None, after: Art, person: str | None) -> tuple[bool, Art]:
    """Is this change refused, and what stands after it, by the SOP's meaning: a signed person
    of the team; a new article planned by whom the SOP lets create; a step one of its transitions,
    taken by its roles, with its reason, by the assignee where it says so, and by someone who did
    not write this version where four eyes are asked; text changed only by the stage's editors and
    never once verified; approved only by a clean move into a publishable stage."""
    roles = _roles(person)
    refused = person is None
    if before is None:
        refused |= after.stage != INITIAL or not roles & set(SOP["create_roles"])
        writers = frozenset({person}) if person else frozenset()
        return refused, replace(after, contributors=writers, approved=False, held=refused)
    # The text is all but the step fields: the body, and the disposition that every stage after
    # the planned one carries (article_text leaves it out there).
    moved = after.stage != before.stage
    edited = after.body != before.body or (after.stage == "planned") != (before.stage == "planned")
    editors = set(STAGES[after.stage]["editors"])
    takes_on = moved and bool(roles & editors)
    writers = set(before.contributors) | ({person} if person and (edited or takes_on) else set())
    if moved:
        move = MOVES.get((before.stage, after.stage))
        if move is None:
            refused = True
        elif person is not None:
            refused |= not roles & set(move["roles"])
            refused |= move.get("reason") == "revision" and not after.reason
            refused |= bool(move.get("assignee_only")) and f"{person}@kpu.example" != ASSIGNEE
            refused |= bool(move.get("four_eyes")) and person in writers
    if edited:
        refused |= person is not None and not roles & (editors | set(STAGES[before.stage]["editors"]))
        refused |= bool(STAGES[before.stage].get("publishable"))
    if moved and STAGES[after.stage].get("publishable") and not refused:
        return refused, replace(after, contributors=frozenset(), approved=True)
    # A refused change holds the article: what stood live stays; a clean withdrawal releases it.
    if refused:
        held, good = True, before.standing()
    elif moved and STAGES[after.stage].get("terminal"):
        held, good = False, None
    else:
        held, good = before.held, before.good
    return refused, replace(after, contributors=frozenset(writers), approved=False, held=held, good=good)


# "next" and "right" (resolved against the article as it stands) lead histories along the flow
# often enough to reach the approvals that merges then bring back.
changes = st.tuples(
    st.sampled_from(["a1"] * 3 + ARTICLES[1:]),
    st.sampled_from(["right"] * 6 + PEOPLE),
    st.sampled_from(["key"] * 6 + ["none"]),
    st.sampled_from(["next"] * 8 + list(STAGES)),
    st.sampled_from([BODIES[0]] * 3 + BODIES[1:]),
    st.booleans(),
    st.sampled_from([0] * 5 + [1, 2, 3]),  # the first way on (along the flow) most often
)
HOLDER = {role: who for who, role in reversed(ROLES.items())}  # writer is the assignee


def resolve(before: Art | None, change: tuple) -> tuple[str, str, str, str, str, bool]:
    """The change with "next" (a stage the SOP lets it move to) and "right" (someone whose role
    takes that step, or edits there) made concrete."""
    ident, who, sign, stage, body, reason, pick = change
    if stage == "next":
        targets = [to for (source, to) in MOVES if before and source == before.stage]
        stage = INITIAL if before is None else targets[pick % len(targets)] if targets else before.stage
    if who == "right":
        move = MOVES.get((before.stage, stage)) if before else None
        roles = SOP["create_roles"] if before is None else move["roles"] if move else STAGES[stage]["editors"]
        who = HOLDER[roles[pick % len(roles)]] if roles else "pj"
    return ident, who, sign, stage, body, reason


class OfficeHistory(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="laman-fuzz-"))
        self.office = Office(self.folder, _keys())
        self.main: dict[str, Art] = {}
        self.refused: set[str] = set()  # the commits the model refuses
        self.branches = 0

    def teardown(self) -> None:
        """The history judged by `laman check` against the model, once it is built."""
        try:
            result = self.office.check()
            expected = {ident for ident, art in self.main.items() if art.live()}
            assert set(result.publishable) == expected, (codes(result), self.main)
            found = {v.commit for v in result.violations}
            assert found == self.refused, (codes(result), self.main)
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def _commit(self, message: str, who: str, sign: str, *, merge: bool = False) -> str:
        signer = self.office.keys[who] if sign == "key" else None
        # A merge of a branch whose change main made too has nothing of its own to commit.
        return self.office.repo.commit(message, signer, sign=signer is not None, allow_empty=merge)

    def _apply(self, state: dict[str, Art], change: tuple) -> bool:
        """Write and commit one change on the branch checked out; False if it changes nothing."""
        before = state.get(change[0])
        ident, who, sign, stage, body, reason = resolve(before, change)
        after = Art(stage, body, reason)
        if before is not None and before.text(ident) == after.text(ident):
            return False
        self.office.repo.write(self.office.file(ident), after.text(ident))
        commit = self._commit(f"{ident}: {stage}", who, sign)
        refused, state[ident] = judge(before, after, who if sign == "key" and who in ROLES else None)
        if refused:
            self.refused.add(commit)
        return True

    @initialize(to=st.sampled_from([None, "submitted", "verified", "verified"]))
    def start(self, to: str | None) -> None:
        """Often a first article taken properly along the flow: approvals to move and revive."""
        for stage in FLOW[: FLOW.index(to) + 1] if to else ():
            self._apply(self.main, ("a1", BY[stage], "key", stage, BODIES[0], False, 0))

    @rule(change=changes)
    def step_on_main(self, change: tuple) -> None:
        self._apply(self.main, change)

    @precondition(lambda self: bool(self.main))
    @rule(
        change=changes,
        meanwhile=st.none() | changes,
        merger=st.sampled_from(PEOPLE),
        sign=st.sampled_from(["key", "none"]),
    )
    def pull_request(self, change: tuple, meanwhile: tuple | None, merger: str, sign: str) -> None:
        """A branch with one change, main perhaps moving meanwhile, merged with the branch's
        version taken wherever the branch changed a file."""
        repo, self.branches = self.office.repo, self.branches + 1
        branch, fork = f"naskah/{self.branches}", dict(self.main)
        repo.git("switch", "-q", "-c", branch)
        ours = dict(fork)
        if not self._apply(ours, change):
            repo.git("switch", "-q", "main")
            return
        repo.git("switch", "-q", "main")
        if meanwhile is not None:
            self._apply(self.main, meanwhile)
        repo.git(
            "-c", "commit.gpgSign=false", "merge", "-q", "--no-ff", "--no-commit", "-X", "theirs", branch
        )
        ident = change[0]
        repo.git("checkout", branch, "--", self.office.file(ident))
        merge = self._commit(f"Merge {branch}", merger, sign, merge=True)
        signed = sign == "key" and merger in ROLES  # every commit on main is signed by the team
        if self._merge_refused(ident, fork.get(ident), ours[ident], merger if signed else None) or not signed:
            self.refused.add(merge)

    def _merge_refused(self, ident: str, fork: Art | None, theirs: Art, merger: str | None) -> bool:
        """The branch's version taken: its state carried if main left the article as at the fork
        (held, if no team member signed the merge); else an approval brought back is refused, and
        any other version is the merger's edit."""
        mine = self.main.get(ident)
        text = theirs.text(ident)
        if mine is not None and mine.text(ident) == text:
            return False
        if (mine and mine.text(ident)) == (fork and fork.text(ident)):
            unsigned = merger is None
            self.main[ident] = (
                replace(theirs, held=True, good=mine and mine.standing()) if unsigned else theirs
            )
            return False
        if theirs.approved:
            good = mine.standing() if mine else None
            self.main[ident] = replace(theirs, contributors=frozenset(), approved=False, held=True, good=good)
            return True
        refused, self.main[ident] = judge(mine, theirs, merger if merger in ROLES else None)
        return refused


OfficeHistory.TestCase.settings = settings(
    max_examples=EXAMPLES,
    stateful_step_count=14,
    derandomize=not os.environ.get("LAMAN_FUZZ_EXAMPLES"),  # a fixed seed in `make test`
    database=None,  # nothing written beside the repository
    print_blob=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestOfficeHistory = OfficeHistory.TestCase
