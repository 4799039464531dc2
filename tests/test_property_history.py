"""Random office histories, built as real signed repositories, judged twice: by `laman check` and
by a small reference model written here from the SOP's meaning (sop.yml read as plain data; no
import of the proof's policy or rules). Any disagreement is a bug in one of them.

Each history: people of the sample office and an outsider take random steps and edits on two
articles (their body, their title, their information class: exempt or not), signed with their
key, unsigned, or with a key the team does not list; articles are deleted; team.yml and sop.yml
are changed (a role given or taken, a step opened to another role), which changes who may do what
from the next commit on if the change was allowed; some of the changes come through a branch
merged back (signed, or unsigned and so refused), while main moved meanwhile. `make fuzz` runs
many more (LAMAN_FUZZ_EXAMPLES).
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

from tests.office import BY, FLOW, ROLES, ROOT, Keys, Office, article_text, codes, make_keys, team_yaml

SOP = yaml.safe_load((ROOT / "sop.yml").read_text("utf-8"))
STAGES = {s["id"]: s for s in SOP["stages"]}
INITIAL = next(s["id"] for s in SOP["stages"] if s.get("initial"))
ASSIGNEE = "writer@kpu.example"  # every article's assignee (tests/office.article_text)
PROTECTED = set(SOP["files"]["site_code"]["roles"])  # who may change policy and delete articles

PEOPLE = [*ROLES, "attacker"]  # the attacker is in no team: her key is unknown
ARTICLES = ["a1", "a2"]
BODIES = ["Isi pertama.\n", "Isi kedua.\n"]
TITLES = ["Rapat Pleno DPT", "Rapat Pleno DPS"]
# Teams the office may switch to: as set up; a writer who also verifies; nobody who verifies.
TEAMS = {
    "office": dict(ROLES),
    "writer verifies": {**ROLES, "writer": "tim_peliputan,koordinator_liputan"},
    "no verifier": {**ROLES, "koor": "tim_pasca_produksi"},
}
# Workflows the office may switch to: as issued; verification opened to the coverage team too.
SOPS = {"issued": "koordinator_liputan", "opened": "koordinator_liputan,tim_peliputan"}


@dataclass(frozen=True)
class Rules:
    """The policy in force: who holds which roles, and which roles take each move."""

    team: str = "office"
    sop: str = "issued"

    def roles(self, person: str | None) -> set[str]:
        return set(TEAMS[self.team][person].split(",")) if person in ROLES else set()

    def moves(self) -> dict[tuple[str, str], dict]:
        moves = {(t["from"], t["to"]): dict(t) for t in SOP["transitions"]}
        moves["submitted", "verified"]["roles"] = SOPS[self.sop].split(",")
        return moves


EXAMPLES = int(os.environ.get("LAMAN_FUZZ_EXAMPLES", "12"))


@cache
def _keys() -> Keys:
    return make_keys(Path(tempfile.mkdtemp(prefix="laman-fuzz-keys-")))


@dataclass(frozen=True)
class Art:
    """The model's article: where it stands, its text, who wrote this version, whether the
    version standing was approved, and whether a verified version stays live meanwhile (a
    correction under way)."""

    stage: str
    body: str
    reason: bool
    title: str = TITLES[0]
    exempt: bool = False
    contributors: frozenset[str] = frozenset()
    approved: bool = False
    correcting: bool = False  # a correction of a live page under way: its verified version stays live
    held: bool = False  # a refused change since it was last verified or withdrawn cleanly
    good: Art | None = None  # while held: what stood live before, which stays live

    def kept(self) -> Art | None:
        """What stays live if this version is held next."""
        return self if (self.approved or self.correcting) and not self.held else self.good

    def live(self) -> bool:
        return (self.approved or self.correcting) if not self.held else self.good is not None

    def text(self, ident: str) -> str:
        fields: dict[str, object] = {"body": self.body, "title": self.title}
        if self.exempt:
            fields["information"] = "dikecualikan"
        if self.stage == "withdrawn":
            fields["withdrawal"] = "Data keliru"
        elif self.reason:
            fields["revision"] = "Perbaiki angka"
            fields["correction"] = "Ralat angka"
        return article_text(ident, self.stage, **fields)


def judge(before: Art | None, after: Art, person: str | None, rules: Rules) -> tuple[bool, Art]:
    """Is this change refused, and what stands after it, by the SOP's meaning: a signed person
    of the team; a new article planned by whom the SOP lets create; a step one of its transitions,
    taken by its roles, with its reason, by the assignee where it says so, and by someone who did
    not write this version where four eyes are asked; text changed only by the stage's editors and
    never once verified; exempt information never moved into a publishable stage; approved only by
    a clean move into a publishable stage."""
    roles = rules.roles(person)
    refused = person is None
    if before is None:
        refused |= after.stage != INITIAL or not roles & set(SOP["create_roles"])
        refused |= after.exempt and bool(STAGES[after.stage].get("publishable"))
        writers = frozenset({person}) if person else frozenset()
        return refused, replace(after, contributors=writers, approved=False, held=refused)
    # The text is all but the step fields: the body, and the disposition that every stage after
    # the planned one carries (article_text leaves it out there).
    moved = after.stage != before.stage
    edited = (after.body, after.title, after.exempt) != (before.body, before.title, before.exempt)
    edited |= (after.stage == "planned") != (before.stage == "planned")
    editors = set(STAGES[after.stage]["editors"])
    takes_on = moved and bool(roles & editors)
    writers = set(before.contributors) | ({person} if person and (edited or takes_on) else set())
    if moved:
        move = rules.moves().get((before.stage, after.stage))
        if move is None:
            refused = True
        elif person is not None:
            refused |= not roles & set(move["roles"])
            refused |= move.get("reason") == "revision" and not after.reason
            # A correction's reason is its own: not the one the text already carries.
            refused |= move.get("reason") == "correction" and (not after.reason or before.reason)
            refused |= bool(move.get("assignee_only")) and f"{person}@kpu.example" != ASSIGNEE
            refused |= bool(move.get("four_eyes")) and person in writers
        refused |= after.exempt and bool(STAGES[after.stage].get("publishable"))
    if edited:
        refused |= person is not None and not roles & (editors | set(STAGES[before.stage]["editors"]))
        refused |= bool(STAGES[before.stage].get("publishable"))
    if moved and STAGES[after.stage].get("publishable") and not refused:
        return refused, replace(after, contributors=frozenset(), approved=True)
    # A correction of a live page (a move of sop.yml out of a publishable stage, back into the
    # flow) keeps the verified version live until a verification, unless it is withdrawn.
    reopens = (
        moved
        and (before.stage, after.stage) in rules.moves()
        and bool(STAGES[before.stage].get("publishable"))
    )
    ends = moved and bool(STAGES[after.stage].get("terminal"))
    correcting = ((reopens and before.approved) or before.correcting) and not ends
    # A refused change holds the article: what stood live stays; a clean withdrawal releases it.
    if refused:
        held, good = True, before.kept()
    elif ends:
        held, good = False, None
    else:
        held, good = before.held, before.good
    kept = {"approved": False, "correcting": correcting, "held": held, "good": good}
    return refused, replace(after, contributors=frozenset(writers), **kept)


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
    st.sampled_from([TITLES[0]] * 5 + TITLES[1:]),
    st.sampled_from([False] * 5 + [True]),  # exempt information, now and then
)
HOLDER = {role: who for who, role in reversed(ROLES.items())}  # writer is the assignee


def resolve(before: Art | None, change: tuple, rules: Rules) -> tuple[str, str, str, Art]:
    """The change with "next" (a stage the SOP lets it move to) and "right" (someone whose role
    takes that step, or edits there) made concrete."""
    ident, who, sign, stage, body, reason, pick, title, exempt = change
    moves = rules.moves()
    if stage == "next":
        targets = [to for (source, to) in moves if before and source == before.stage]
        stage = INITIAL if before is None else targets[pick % len(targets)] if targets else before.stage
    if who == "right":
        move = moves.get((before.stage, stage)) if before else None
        roles = SOP["create_roles"] if before is None else move["roles"] if move else STAGES[stage]["editors"]
        who = HOLDER[roles[pick % len(roles)]] if roles else "pj"
    return ident, who, sign, Art(stage, body, reason, title, exempt)


class OfficeHistory(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="laman-fuzz-"))
        self.office = Office(self.folder, _keys())
        self.main: dict[str, Art] = {}
        self.rules = Rules()  # the policy in force on main
        self.written = Rules()  # the policy files as they stand in the tree, in force or refused
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
        ident, who, sign, after = resolve(before, change, self.rules)
        if before is not None and before.text(ident) == after.text(ident):
            return False
        self.office.repo.write(self.office.file(ident), after.text(ident))
        commit = self._commit(f"{ident}: {after.stage}", who, sign)
        refused, state[ident] = judge(before, after, _signer(who, sign), self.rules)
        if refused:
            self.refused.add(commit)
        return True

    @initialize(to=st.sampled_from([None, "submitted", "verified", "verified"]))
    def start(self, to: str | None) -> None:
        """Often a first article taken properly along the flow: approvals to move and revive."""
        for stage in FLOW[: FLOW.index(to) + 1] if to else ():
            self._apply(self.main, ("a1", BY[stage], "key", stage, BODIES[0], False, 0, TITLES[0], False))

    @rule(change=changes)
    def step_on_main(self, change: tuple) -> None:
        self._apply(self.main, change)

    @precondition(lambda self: bool(self.main))
    @rule(
        ident=st.sampled_from(ARTICLES),
        who=st.sampled_from(["pj"] * 2 + PEOPLE),
        sign=st.sampled_from(["key", "none"]),
    )
    def delete_on_main(self, ident: str, who: str, sign: str) -> None:
        """An article's file deleted: the article leaves main whoever did it; only the roles that
        guard the site may."""
        if ident not in self.main:
            return
        self.office.repo.git("rm", "-q", self.office.file(ident))
        commit = self._commit(f"{ident}: hapus", who, sign)
        del self.main[ident]
        if not self.rules.roles(_signer(who, sign)) & PROTECTED:
            self.refused.add(commit)

    @rule(
        team=st.sampled_from(list(TEAMS)),
        sop=st.sampled_from(list(SOPS)),
        who=st.sampled_from(["pj"] * 3 + PEOPLE),
        sign=st.sampled_from(["key"] * 3 + ["none"]),
    )
    def change_policy(self, team: str, sop: str, who: str, sign: str) -> None:
        """team.yml and sop.yml rewritten: in force from the next commit if the roles that guard
        the site signed it, else refused and the policy stays as it was."""
        wanted = Rules(team, sop)
        if wanted == self.written:
            return
        self.written = wanted
        people = {who: roles.split(",") for who, roles in TEAMS[team].items()}
        self.office.repo.write("team.yml", team_yaml(self.office.keys, people))
        written = yaml.safe_load((self.office.path / "sop.yml").read_text("utf-8"))
        verify = next(t for t in written["transitions"] if (t["from"], t["to"]) == ("submitted", "verified"))
        verify["roles"] = SOPS[sop].split(",")
        self.office.set_sop(yaml.safe_dump(written, allow_unicode=True, sort_keys=False))
        commit = self._commit(f"Kebijakan: {team}, {sop}", who, sign)
        if self.rules.roles(_signer(who, sign)) & PROTECTED:
            self.rules = wanted
        else:
            self.refused.add(commit)

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
            self.main[ident] = replace(theirs, held=True, good=mine and mine.kept()) if unsigned else theirs
            return False
        if theirs.approved:
            good = mine.kept() if mine else None
            kept = {"approved": False, "correcting": False, "held": True, "good": good}
            self.main[ident] = replace(theirs, contributors=frozenset(), **kept)
            return True
        refused, self.main[ident] = judge(mine, theirs, merger, self.rules)
        return refused


def _signer(who: str, sign: str) -> str | None:
    """The person a commit's signature proves: a member of the team who signed with her key."""
    return who if sign == "key" and who in ROLES else None


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
