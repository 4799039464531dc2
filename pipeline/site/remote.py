"""The target's side of a deploy: one POSIX shell script, run in a folder here or over SSH.

The script takes the target's lock, removes what killed deploys left, reports the target's
state, and then waits for one decision on its standard input (`extract NAME` followed by the
site as a tar stream, `switch NAME`, or nothing). So the state a decision is made on cannot
change before the decision is carried out, on a folder and over SSH alike: one remote command,
one lock. The renaming of `current` is the commit point: the script says `switched` at once.
"""

from __future__ import annotations

import contextlib
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

from pipeline.errors import LamanError, Problem

# $1 root, $2 mode (list, deploy or rollback), $3 seconds to wait for the lock.
SCRIPT = r"""
set -eu
root=$1; mode=$2; wait=$3
[ "$mode" != deploy ] || mkdir -p "$root/releases"
if ! cd "$root" 2>/dev/null; then echo ready; exit 0; fi
if [ "$mode" != list ]; then
  command -v flock >/dev/null 2>&1 || { echo "error noflock"; exit 1; }
  exec 9>>.lock
  if ! flock -n 9; then
    echo waiting
    flock -w "$wait" 9 || { echo "error busy"; exit 1; }
  fi
  # Under the lock no one is writing these: they are what killed or failed deploys left.
  rm -rf releases/.incoming-* releases/.pruned-* .current-* 2>/dev/null || true
  for left in releases/.incoming-* releases/.pruned-* .current-*; do
    if [ -e "$left" ] || [ -L "$left" ]; then echo "leftover $left"; fi
  done
fi
space() { df -Pk "$1" | awk 'NR == 2 { print $4 }'; }
if [ -d releases ]; then echo "free $(space releases)"; fi
echo "live $(readlink current || true)"
for dir in releases/*; do
  if [ -d "$dir" ] && [ ! -L "$dir" ]; then
    sum=$({ sha256sum < "$dir/.laman-build.json"; } 2>/dev/null | cut -d ' ' -f 1)
    echo "release ${dir#releases/} ${sum:--}"
  fi
done
# The log's end orders the few releases kept, and keeps what crosses SSH small as years of
# hourly deploys add up.
if [ -f deploy.log ]; then tail -n 2000 deploy.log | sed 's/^/log /'; fi
echo ready
[ "$mode" != list ] || exit 0
read -r action name || exit 0
IFS= read -r line || exit 0
read -r prune || prune=
case $action in
  extract)
    tmp=releases/.incoming-$$
    mkdir "$tmp"
    tar -x -f - -C "$tmp" || { rm -rf "$tmp"; echo "error unpack $(space releases)"; exit 1; }
    # -T: were the name there after all, this fails; it never moves the folder into it.
    mv -T "$tmp" "releases/$name" ;;
  switch) [ -d "releases/$name" ] || { echo "error missing"; exit 1; } ;;
  *) exit 0 ;;
esac
if [ "$(readlink current || true)" = "releases/$name" ]; then
  echo "unchanged $name"
else
  ln -s "releases/$name" ".current-$$"
  mv -T ".current-$$" current
  echo "switched $name"
fi
# The new site is live: from here on a failure is a warning (with the first line of what the
# command said), and the rest is still tried.
set +e
warn() { echo "warning $1 $(printf '%s\n' "$2" | head -n 1)"; }
err=$({ printf '%s\n' "$line" >> deploy.log; } 2>&1) || warn log "$err"
for old in $prune; do
  [ "$old" != "$name" ] || continue
  # Out of the listing first, then removed: a half-removed release must not be chosen later.
  err=$({ mv -T "releases/$old" "releases/.pruned-$old" && rm -rf "releases/.pruned-$old"; } 2>&1) ||
    warn prune "$old ${err:-exit $?}"
done
echo done
"""


@dataclass(frozen=True)
class Target:
    """Where a site is served from: a folder here, or one on an SSH host."""

    root: str
    host: str | None = None  # user@host
    port: int | None = None

    def command(self, script: str, args: Sequence[str], ssh_options: Sequence[str] = ()) -> list[str]:
        if self.host is None:
            return ["sh", "-c", script, "laman", *args]
        quoted = " ".join(_quote(a) for a in ["sh", "-c", script, "laman", *args])
        port = ["-p", str(self.port)] if self.port else []
        return ["ssh", "-o", "BatchMode=yes", *port, *ssh_options, self.host, quoted]


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\"'\"'") + "'"


def parse_target(text: str) -> Target:
    """`dir:/srv/laman` or `ssh://user@host[:port]/srv/laman`."""
    if text.startswith("dir:"):
        path = text[4:]
        if path:
            return Target(str(Path(path).resolve()))
    elif text.startswith("ssh://"):
        try:  # a `[` left open, or a port that is no number up to 65535, is not understood either
            parts = urlsplit(text)
            port = parts.port
        except ValueError:
            parts, port = None, None
        if parts and parts.hostname and parts.path:
            host = f"{parts.username}@{parts.hostname}" if parts.username else parts.hostname
            return Target(parts.path, host, port)
    raise LamanError([Problem("DEP001", text, args={"target": text})])


@dataclass(frozen=True)
class Ended:
    """What the script said after the decision, how it ended, and what it wrote to stderr."""

    said: tuple[str, ...]
    returncode: int
    detail: str

    def first(self, words: str) -> str | None:
        """The rest of the first line that starts with `words`, or None if none does."""
        found = (line for line in self.said if line == words or line.startswith(f"{words} "))
        return next((line[len(words) :].strip() for line in found), None)

    def every(self, words: str) -> list[str]:
        """The rest of each line that starts with `words`."""
        return [line[len(words) :].strip() for line in self.said if line.startswith(f"{words} ")]


@contextlib.contextmanager
def session(target: Target, mode: str, wait: int, ssh_options: Sequence[str]) -> Iterator[Session]:
    """The script started at `target` in `mode` (list, deploy, rollback); ended on leaving."""
    with tempfile.TemporaryFile() as errors:  # a file: a pipe could fill and stall the script
        proc = subprocess.Popen(
            target.command(SCRIPT, [target.root, mode, str(wait)], ssh_options),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
        )
        run = Session(proc, errors)
        try:
            yield run
        finally:
            run.end()


class Session:
    """One run of the script: first its report of the target, then one decision."""

    def __init__(self, proc: subprocess.Popen[bytes], errors: IO[bytes]) -> None:
        assert proc.stdin is not None and proc.stdout is not None
        self._proc, self._stdin, self._stdout, self._errors = proc, proc.stdin, proc.stdout, errors
        self._ended: Ended | None = None

    def report(self, on_wait: Callable[[], None]) -> list[str] | Ended:
        """The state lines up to `ready`; or, if the script ended first, how it ended."""
        lines = []
        for line in self._lines():
            if line == "ready":
                return lines
            if line == "waiting":
                on_wait()
            else:
                lines.append(line)
        return self.end(lines)

    def decide(self, lines: Sequence[str], site: Path | None = None) -> Ended:
        """Send the decision (and the site as a tar stream after it), then read to the end."""
        with contextlib.suppress(BrokenPipeError):  # the script stopped reading: it says why
            self._stdin.write("".join(f"{line}\n" for line in lines).encode("utf-8"))
            if site is not None:
                write_archive(site, self._stdin)
        return self.end()

    def end(self, said: Sequence[str] = ()) -> Ended:
        """Close the script's input (one given no decision stops there) and read it to its end."""
        if self._ended is None:
            with contextlib.suppress(BrokenPipeError):
                self._stdin.close()
            said = [*said, *self._lines()]
            returncode = self._proc.wait()
            self._errors.seek(0)
            detail = self._errors.read().decode("utf-8", "replace").strip()
            self._ended = Ended(tuple(said), returncode, detail)
        return self._ended

    def _lines(self) -> Iterator[str]:
        for raw in self._stdout:
            yield raw.decode("utf-8", "replace").rstrip("\n")


def write_archive(site: Path, stream: IO[bytes]) -> None:
    """The site as a tar stream, written as it is read (no copy of it on this machine's disk)."""
    with tarfile.open(fileobj=stream, mode="w|") as tar:
        for path in sorted(site.rglob("*")):
            tar.add(path, arcname=path.relative_to(site).as_posix(), recursive=False)


def space_needed(site: Path, block: int = 4096) -> int:
    """Bytes the site takes on a disk of `block`-sized blocks: each file and folder rounded up."""
    total = block  # the release folder itself
    for path in site.rglob("*"):
        size = path.stat().st_size if path.is_file() else 0
        total += max(1, -(-size // block)) * block
    return total
