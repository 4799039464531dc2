"""Which release a deploy or a rollback makes live, from the state a target reports (pure)."""

from __future__ import annotations

import pytest

from pipeline.errors import LamanError
from pipeline.site import releases
from pipeline.site.releases import Entry, Release, State

A, B, C = "a" * 40, "b" * 40, "c" * 40


def entry(action: str, release: str) -> Entry:
    return Entry("2024-01-01 10:00:00 WIB", action, releases.commit_of(release) or "-", "CI", "1", release)


def state(live: str | None, names: list[str], log: list[tuple[str, str]], identity: str = "x") -> State:
    made = tuple(Release(n, releases.commit_of(n) or "", identity) for n in names)
    return State(live, made, tuple(entry(a, r) for a, r in log), None, ())


def test_release_names_carry_their_commit() -> None:
    assert releases.commit_of(A) == A
    assert releases.commit_of(f"{A}.2") == A
    assert releases.commit_of(f"{A}-1700000000-4242") == A  # as older versions named a second copy
    assert releases.commit_of(".incoming-1") is None and releases.commit_of("lost+found") is None
    assert releases.short(f"{A}.2") == "aaaaaaaaaa.2"


def test_a_b_b_again_then_rollback_goes_to_a() -> None:
    """A CI re-run of B is no step back to undo: the stack has B once."""
    now = state(B, [A, B], [("deploy", A), ("deploy", B), ("deploy", B)])
    assert releases.plan_rollback(now, None, "t").name == A


def test_rollbacks_go_down_the_releases_that_were_live_not_up_again() -> None:
    log = [("deploy", A), ("deploy", B), ("deploy", C), ("rollback", B)]
    assert releases.live_stack([entry(a, r) for a, r in log]) == [A, B]
    assert releases.plan_rollback(state(B, [A, B, C], log), None, "t").name == A
    # After a rollback, a new deploy: rolling it back returns to what was live before it.
    log += [("deploy", C)]
    assert releases.plan_rollback(state(C, [A, B, C], log), None, "t").name == B


def test_a_rollback_skips_pruned_releases_and_says_when_none_is_left() -> None:
    log = [("deploy", A), ("deploy", B)]
    with pytest.raises(LamanError) as none:
        releases.plan_rollback(state(B, [B], log), None, "t")
    assert [p.code for p in none.value.problems] == ["DEP013"]


def test_rollback_to_a_commit_by_its_prefix() -> None:
    now = state(B, [A, f"{A}.2", B], [("deploy", A), ("deploy", f"{A}.2"), ("deploy", B)])
    assert releases.plan_rollback(now, "AAAA", "t").name == f"{A}.2"  # its newest build
    for to, code in (("d", "DEP014"), ("zz", "DEP014")):
        with pytest.raises(LamanError) as failed:
            releases.plan_rollback(now, to, "t")
        assert [p.code for p in failed.value.problems] == [code]
    both = state(B, ["ab" + "0" * 38, "ac" + "0" * 38], [])
    with pytest.raises(LamanError) as ambiguous:
        releases.plan_rollback(both, "a", "t")
    assert [p.code for p in ambiguous.value.problems] == ["DEP015"]


def test_a_deploy_reuses_the_same_build_names_another_and_prunes_the_least_recent() -> None:
    now = state(B, [A, B, C], [("deploy", C), ("deploy", A), ("deploy", B)])
    same = releases.plan_deploy(now, A, "x", keep=2)
    assert (same.name, same.copy, same.prune) == (A, False, (C,))  # B kept: live until the switch
    other = releases.plan_deploy(now, A, "y", keep=3)  # the same commit, other articles
    assert (other.name, other.copy, other.prune) == (f"{A}.2", True, (C,))


def test_the_state_a_target_reports() -> None:
    lines = [
        "leftover releases/.pruned-x",
        "free 120",
        f"live releases/{A}",
        f"release {A} {'f' * 64}",
        f"release {B} -",
        "release lost+found -",
        f"log 2024-01-01 10:00:00 WIB\tdeploy\t{A}\tCI\t3",  # a line of an older version: no release
        f"log 2024-01-01 11:00:00 WIB\trollback\t-\tCI\t0\t{B}",
    ]
    read = releases.parse_state(lines)
    assert read.live == A and read.live_commit == A and read.free == 120 * 1024
    assert [(r.name, r.identity) for r in read.releases] == [(A, "f" * 64), (B, None)]
    assert [(e.action, e.commit, e.release) for e in read.log] == [("deploy", A, A), ("rollback", B, B)]
    assert read.leftovers == ("releases/.pruned-x",)
