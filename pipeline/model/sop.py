"""SOP 27/2023 as plain immutable data, loaded from `sop.yml` and checked for sense."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

from pipeline.errors import LamanError, Problem
from pipeline.model import schemas, strictyaml
from pipeline.model.dates import parse_duration
from pipeline.model.files import FileClasses
from pipeline.model.keys import parse_public_key


class _Labelled:
    """A thing sop.yml names in both languages (`label`, `label_en`)."""

    label: str
    label_en: str

    def title(self, lang: str = "id") -> str:
        return self.label if lang == "id" else self.label_en


@dataclass(frozen=True)
class Role(_Labelled):
    id: str
    label: str
    label_en: str
    lane: int | None


@dataclass(frozen=True)
class Actor(_Labelled):
    id: str
    label: str
    label_en: str


@dataclass(frozen=True)
class Step:
    number: int
    text: str
    lane: str
    symbol: str
    equipment: tuple[str, ...]
    output: tuple[str, ...]
    time_limit: timedelta | None


@dataclass(frozen=True)
class Stage(_Labelled):
    id: str
    label: str
    label_en: str
    step: int | None
    initial: bool
    publishable: bool
    terminal: bool
    editors: tuple[str, ...]
    requires: tuple[str, ...]
    time_limit: timedelta | None


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    step: int | None
    roles: tuple[str, ...]
    reason: str | None
    assignee_only: bool
    four_eyes: bool


@dataclass(frozen=True)
class Track(_Labelled):
    id: str
    label: str
    label_en: str
    time_limits: Mapping[str, timedelta]


@dataclass(frozen=True)
class ForgeKey:
    name: str
    key: str


@dataclass(frozen=True)
class Sop:
    header: Mapping[str, Any]
    roles: Mapping[str, Role]
    actors: Mapping[str, Actor]
    steps: tuple[Step, ...]
    stages: tuple[Stage, ...]
    transitions: tuple[Transition, ...]
    create_roles: tuple[str, ...]
    tracks: Mapping[str, Track]
    categories: tuple[str, ...]
    ssh_signatures: bool
    forge_keys: tuple[ForgeKey, ...]
    files: FileClasses
    trust_anchor: str | None
    iframe_hosts: tuple[str, ...]

    @property
    def protected_roles(self) -> tuple[str, ...]:
        """The roles that may change the site's code (and delete an article)."""
        return self.files.site_code_roles

    def stage(self, stage_id: str) -> Stage:
        return self._by_id[stage_id]

    def has_stage(self, stage_id: str) -> bool:
        return stage_id in self._by_id

    @cached_property
    def _by_name(self) -> dict[str, str]:
        """Every name a person may give a stage, folded: its id and both its labels."""
        names: dict[str, str] = {}
        for s in self.stages:
            for name in (s.id, s.label, s.label_en):
                names.setdefault(_fold(name), s.id)
        return names

    def stage_named(self, name: str) -> str | None:
        """The id of the stage `name` names: its id or a label of sop.yml, in any case
        (`terverifikasi`, `Terverifikasi`, `Verified`)."""
        return self._by_name.get(_fold(name))

    def nearest_stage(self, name: str) -> str | None:
        """The id of the stage whose id or label is nearest to a mistyped `name`, if any is near."""
        close = difflib.get_close_matches(_fold(name), self._by_name, n=1, cutoff=0.6)
        return self._by_name[close[0]] if close else None

    @property
    def initial(self) -> Stage:
        return next(s for s in self.stages if s.initial)

    def order(self, stage_id: str) -> int:
        """Position of a stage in the flow, for sorting boards and reports."""
        return next(i for i, s in enumerate(self.stages) if s.id == stage_id)

    @cached_property
    def _by_pair(self) -> dict[tuple[str, str], Transition]:
        return {(t.source, t.target): t for t in self.transitions}

    @cached_property
    def forge_fingerprints(self) -> frozenset[str]:
        """The forge's signing keys, by fingerprint: a signature by one vouches for its author."""
        return frozenset(parse_public_key(k.key).fingerprint for k in self.forge_keys)

    @cached_property
    def step_fields(self) -> tuple[str, ...]:
        """The front-matter fields a step changes: `stage`, and the reasons its transitions ask
        for. Changing them is taking a step or giving its reason, not editing the text."""
        return ("stage", *dict.fromkeys(t.reason for t in self.transitions if t.reason))

    @cached_property
    def _by_id(self) -> dict[str, Stage]:
        return {s.id: s for s in self.stages}

    def transition(self, source: str, target: str) -> Transition | None:
        return self._by_pair.get((source, target))

    def transitions_from(self, source: str) -> tuple[Transition, ...]:
        return tuple(t for t in self.transitions if t.source == source)

    def reopens(self, transition: Transition) -> bool:
        """A move from a publishable stage back into the flow: a correction (ralat) of a live
        page, which stays live at its verified text until the correction is verified."""
        return self.stage(transition.source).publishable and not self.stage(transition.target).terminal

    def corrections_from(self, stage_id: str) -> tuple[Transition, ...]:
        """The correction moves out of `stage_id` (none out of a stage that is not live)."""
        return tuple(t for t in self.transitions_from(stage_id) if self.reopens(t))

    def ways_back(self, stage_id: str) -> tuple[Transition, ...]:
        """The moves out of `stage_id` into a stage whose text someone may change: how an article
        whose text nobody may change where it stands is opened again (sent back for revision)."""
        return tuple(
            t
            for t in self.transitions_from(stage_id)
            if not self.stage(t.target).terminal and self.stage(t.target).editors
        )

    def step(self, number: int) -> Step | None:
        return next((s for s in self.steps if s.number == number), None)

    def time_limit(self, stage_id: str, info_class: str | None = None) -> timedelta | None:
        """The stage's limit, or the faster one of the information class's track."""
        track = self.tracks.get(info_class or "")
        if track and stage_id in track.time_limits:
            return track.time_limits[stage_id]
        return self.stage(stage_id).time_limit

    def next_roles(self, stage_id: str) -> tuple[str, ...]:
        """Who moves an item on from `stage_id` along the flow: a move into a stage that ends it
        (a withdrawal) is no step along it, whatever field its reason is kept in."""
        roles: list[str] = []
        for t in self.transitions_from(stage_id):
            if self.stage(t.target).terminal:
                continue
            roles.extend(r for r in t.roles if r not in roles)
        return tuple(roles)


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


def load_sop_file(path: Path) -> Sop:
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise LamanError([Problem("FM006", str(path), args={"detail": str(err)})]) from None
    return load_sop(text, str(path))


def load_sop(text: str, file: str = "sop.yml") -> Sop:
    """Parse and check sop.yml; raise LamanError listing every problem."""
    loaded = schemas.load(text, file, "sop")
    problems = _sense(loaded, file)
    if problems:
        raise LamanError(problems)
    return _build(loaded.data)


def _duration(value: str | None) -> timedelta | None:
    return parse_duration(value) if value else None


def _build(data: dict[str, Any]) -> Sop:
    identity = data["identity"]
    return Sop(
        header=MappingProxyType(dict(data["sop"])),
        roles=MappingProxyType(
            {
                rid: Role(rid, r["label"], r.get("label_en", r["label"]), r.get("lane"))
                for rid, r in data["roles"].items()
            }
        ),
        actors=MappingProxyType(
            {
                aid: Actor(aid, a["label"], a.get("label_en", a["label"]))
                for aid, a in (data.get("actors") or {}).items()
            }
        ),
        steps=tuple(_step(s) for s in data["steps"]),
        stages=tuple(_stage(s) for s in data["stages"]),
        transitions=tuple(_transition(t) for t in data["transitions"]),
        create_roles=tuple(data["create_roles"]),
        tracks=MappingProxyType({tid: _track(tid, t) for tid, t in (data.get("tracks") or {}).items()}),
        categories=tuple(data["categories"]),
        ssh_signatures=identity["ssh_signatures"],
        forge_keys=tuple(ForgeKey(k["name"], k["key"]) for k in identity.get("forge_keys") or ()),
        files=_files(data["files"]),
        trust_anchor=data.get("trust_anchor"),
        iframe_hosts=tuple((data.get("html") or {}).get("iframe_hosts", ())),
    )


def _files(f: dict[str, Any]) -> FileClasses:
    return FileClasses(
        site_code=tuple(f["site_code"]["paths"]),
        site_code_roles=tuple(f["site_code"]["roles"]),
        asset_types=tuple(t.lower() for t in f["assets"]["types"]),
        documents=f["documents"]["folder"],
        document_roles=tuple(f["documents"]["roles"]),
    )


def _step(s: dict[str, Any]) -> Step:
    return Step(
        s["number"],
        s["text"],
        s["lane"],
        s.get("symbol", ""),
        tuple(s.get("equipment", ())),
        tuple(s.get("output", ())),
        _duration(s.get("time_limit")),
    )


def _stage(s: dict[str, Any]) -> Stage:
    return Stage(
        s["id"],
        s["label"],
        s.get("label_en", s["label"]),
        s.get("step"),
        s.get("initial", False),
        s.get("publishable", False),
        s.get("terminal", False),
        tuple(s.get("editors", ())),
        tuple(s.get("requires", ())),
        _duration(s.get("time_limit")),
    )


def _transition(t: dict[str, Any]) -> Transition:
    return Transition(
        t["from"],
        t["to"],
        t.get("step"),
        tuple(t["roles"]),
        t.get("reason"),
        t.get("assignee_only", False),
        t.get("four_eyes", False),
    )


def _track(tid: str, t: dict[str, Any]) -> Track:
    limits = {k: parse_duration(v) for k, v in t["time_limits"].items() if v}
    return Track(tid, t["label"], t.get("label_en", t["label"]), MappingProxyType(limits))


def _sense(loaded: strictyaml.Loaded, file: str) -> list[Problem]:
    """What a schema cannot say: references between roles, stages and steps, and reachability."""
    sense = _Sense(loaded, file)
    sense.steps_and_stages()
    sense.transitions()
    sense.reachable()
    return sense.problems


class _Sense:
    """The checks of `_sense`, sharing what they refer to and the problems found."""

    def __init__(self, loaded: strictyaml.Loaded, file: str) -> None:
        self.loaded, self.file = loaded, file
        self.data = loaded.data
        self.roles = set(self.data["roles"])
        self.stage_ids = [s["id"] for s in self.data["stages"]]
        self.step_numbers = {s["number"] for s in self.data["steps"]}
        self.article_keys = set(schemas.schema("article")["properties"])
        self.initial = [s["id"] for s in self.data["stages"] if s.get("initial")]
        self.problems: list[Problem] = []

    def at(self, path: tuple[Any, ...], code: str, **args: object) -> None:
        line, col = self.loaded.position(path)
        self.problems.append(Problem(code, self.file, line, col, args))

    def role_refs(self, path: tuple[Any, ...], names: list[str]) -> None:
        for i, name in enumerate(names):
            if name not in self.roles:
                self.at((*path, i), "CFG001", role=name, where=schemas.field_name(path))

    def stage_ref(self, path: tuple[Any, ...], name: str) -> None:
        if name not in self.stage_ids:
            stages = ", ".join(self.stage_ids)
            self.at(path, "CFG002", stage=name, where=schemas.field_name(path), stages=stages)

    def step_ref(self, path: tuple[Any, ...], number: int | None) -> None:
        if number is not None and number not in self.step_numbers:
            self.at(path, "CFG009", step=number, where=schemas.field_name(path))

    def steps_and_stages(self) -> None:
        data = self.data
        for i, step in enumerate(data["steps"]):
            if step["lane"] not in self.roles:
                where = schemas.field_name(("steps", i, "lane"))
                self.at(("steps", i, "lane"), "CFG001", role=step["lane"], where=where)
        seen: set[str] = set()
        for i, stage in enumerate(data["stages"]):
            if stage["id"] in seen:
                self.at(("stages", i, "id"), "CFG005", stage=stage["id"])
            seen.add(stage["id"])
            self.role_refs(("stages", i, "editors"), stage.get("editors", []))
            self.step_ref(("stages", i, "step"), stage.get("step"))
            for j, key in enumerate(stage.get("requires", [])):
                if key not in self.article_keys:
                    where = schemas.field_name(("stages", i, "requires"))
                    self.at(("stages", i, "requires", j), "CFG011", key=key, where=where)
        if not self.initial:
            self.at(("stages",), "CFG003")
        elif len(self.initial) > 1:
            self.at(("stages",), "CFG008", stages=", ".join(self.initial))
        if not any(s.get("publishable") for s in data["stages"]):
            self.at(("stages",), "CFG007")

    def transitions(self) -> None:
        data = self.data
        pairs: set[tuple[str, str]] = set()
        terminal = {s["id"] for s in data["stages"] if s.get("terminal")}
        publishable = {s["id"] for s in data["stages"] if s.get("publishable")}
        for i, t in enumerate(data["transitions"]):
            self.stage_ref(("transitions", i, "from"), t["from"])
            self.stage_ref(("transitions", i, "to"), t["to"])
            self.role_refs(("transitions", i, "roles"), t["roles"])
            self.step_ref(("transitions", i, "step"), t.get("step"))
            if t.get("reason") and t["reason"] not in self.article_keys:
                where = schemas.field_name(("transitions", i))
                self.at(("transitions", i, "reason"), "CFG011", key=t["reason"], where=where)
            if (t["from"], t["to"]) in pairs:
                self.at(("transitions", i), "CFG006", source=t["from"], target=t["to"])
            pairs.add((t["from"], t["to"]))
            if t["from"] in terminal:
                self.at(("transitions", i, "from"), "CFG010", stage=t["from"])
            if t["from"] in publishable and t["to"] not in terminal and not t.get("reason"):
                self.at(("transitions", i), "RAL002", source=t["from"], target=t["to"])
        self.role_refs(("create_roles",), data["create_roles"])
        self.role_refs(("files", "site_code", "roles"), data["files"]["site_code"]["roles"])
        self.role_refs(("files", "documents", "roles"), data["files"]["documents"]["roles"])
        for tid, track in (data.get("tracks") or {}).items():
            for sid in track["time_limits"]:
                self.stage_ref(("tracks", tid, "time_limits", sid), sid)

    def reachable(self) -> None:
        """Every stage can be reached from the initial one (when there is one)."""
        if len(self.initial) != 1:
            return
        reached = {self.initial[0]}
        frontier = [self.initial[0]]
        while frontier:
            here = frontier.pop()
            for t in self.data["transitions"]:
                if t["from"] == here and t["to"] not in reached:
                    reached.add(t["to"])
                    frontier.append(t["to"])
        for i, sid in enumerate(self.stage_ids):
            if sid not in reached:
                self.at(("stages", i, "id"), "CFG004", stage=sid)
