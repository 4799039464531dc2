"""`laman deploy` and `laman rollback`: a finished build, published atomically.

A release is unpacked under a temporary name, renamed to `releases/<commit>` once complete, and
only then is the `current` symlink switched by a rename over it. A reader of the web server sees
the old release or the new one, never half of one, whenever the deploy is interrupted.

The same POSIX shell script does the work on a folder and over SSH, so both paths are one.
"""

from __future__ import annotations

import json
import re
import subprocess
import tarfile
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from pipeline.errors import LamanError, Problem
from pipeline.model.dates import WIB
from pipeline.site.provenance import MARKER

# $1 root, $2 release name, $3 releases to keep, $4 log line. The tar stream is on stdin.
_DEPLOY = r"""
set -eu
root=$1; name=$2; keep=$3; line=$4
mkdir -p "$root/releases"
tmp="$root/releases/.incoming-$name-$$"
rm -rf "$tmp"; mkdir "$tmp"
tar -x -f - -C "$tmp"
# The same commit deployed again gets its own folder: the live one is never touched.
[ -e "$root/releases/$name" ] && name="$name-$(date +%s)-$$"
mv "$tmp" "$root/releases/$name"
ln -s "releases/$name" "$root/.current-$$"
mv -T "$root/.current-$$" "$root/current"
printf '%s\n' "$line" >> "$root/deploy.log"
cd "$root/releases"
current=$(basename "$(readlink ../current)")
# Out of the listing first, then removed: removing files touches a folder, and a half-removed
# release left listed would be the newest, and the next rollback's choice.
rm -rf .pruned-*
ls -1t | grep -v '^\.' | tail -n +"$((keep + 1))" | while read -r old; do
  [ "$old" = "$current" ] || { mv "$old" ".pruned-$old-$$" && rm -rf ".pruned-$old-$$"; }
done
"""

# $1 root, $2 log line. Switches `current` to the newest release older than the current one.
_ROLLBACK = r"""
set -eu
root=$1; line=$2
cd "$root/releases"
current=$(basename "$(readlink ../current)")
previous=$(ls -1t | grep -v '^\.' | grep -vx "$current" | head -n 1)
[ -n "$previous" ] || { echo "no earlier release" >&2; exit 3; }
touch "$previous"
ln -s "releases/$previous" "$root/.current-$$"
mv -T "$root/.current-$$" "$root/current"
printf '%s\t%s\n' "$line" "$previous" >> "$root/deploy.log"
echo "$previous"
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


def read_marker(site: Path) -> dict[str, object]:
    try:
        return json.loads((site / MARKER).read_text("utf-8"))
    except (OSError, ValueError):
        raise LamanError([Problem("DEP002", str(site), args={"site": str(site)})]) from None


def refusals(marker: dict[str, object], head: str | None, history_ok: bool, site: str) -> list[Problem]:
    """Why this build must not go live (pure)."""
    problems = []
    if marker.get("preview"):
        problems.append(Problem("DEP003", site))
    if not marker.get("enforced"):
        problems.append(Problem("DEP004", site))
    if marker.get("commit") != head:
        problems.append(Problem("DEP005", site, args={"built": marker.get("commit"), "head": head}))
    if not history_ok:
        problems.append(Problem("DEP006", site))
    return problems


def log_line(commit: str, who: str, articles: int, action: str, now: datetime) -> str:
    when = now.astimezone(WIB).strftime("%Y-%m-%d %H:%M:%S WIB")
    return "\t".join((when, action, commit, re.sub(r"\s+", " ", who), str(articles)))


def upload(
    site: Path, target: Target, name: str, keep: int, line: str, ssh_options: Sequence[str] = ()
) -> None:
    """Stream the site as a tar archive into the target's deploy script."""
    with tempfile.TemporaryFile() as archive:
        with tarfile.open(fileobj=archive, mode="w") as tar:
            for path in sorted(site.rglob("*")):
                tar.add(path, arcname=path.relative_to(site).as_posix(), recursive=False)
        archive.seek(0)
        done = subprocess.run(
            target.command(_DEPLOY, [target.root, name, str(keep), line], ssh_options),
            stdin=archive,
            capture_output=True,
            text=False,
        )
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip() or f"exit {done.returncode}"
        raise LamanError([Problem("DEP007", target.root, args={"detail": detail})])


def rollback(target: Target, line: str, ssh_options: Sequence[str] = ()) -> str:
    done = subprocess.run(
        target.command(_ROLLBACK, [target.root, line], ssh_options), capture_output=True, text=True
    )
    if done.returncode != 0:
        detail = done.stderr.strip() or f"exit {done.returncode}"
        raise LamanError([Problem("DEP008", target.root, args={"detail": detail})])
    return done.stdout.strip()
