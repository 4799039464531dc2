"""Telling the people an article was handed to: an e-mail through the office's SMTP server when
one is configured, and always their *Tugas saya*, which is read from the branches themselves.

Configured from the environment of the person who starts the app, so that no password is
written into a repository's config: LAMAN_SMTP_HOST, LAMAN_SMTP_PORT (25), LAMAN_SMTP_FROM,
LAMAN_SMTP_USER and LAMAN_SMTP_PASSWORD (both or neither), LAMAN_SMTP_STARTTLS=1."""

from __future__ import annotations

import os
import smtplib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage

from pipeline.errors import Problem
from pipeline.messages import say
from pipeline.model.article import Article
from pipeline.model.sop import Sop
from pipeline.model.team import Person, Team


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int
    sender: str
    user: str | None
    password: str | None
    starttls: bool


def smtp_from(environ: Mapping[str, str]) -> Smtp | None:
    host = environ.get("LAMAN_SMTP_HOST", "").strip()
    if not host:
        return None
    return Smtp(
        host,
        int(environ.get("LAMAN_SMTP_PORT", "25")),
        environ.get("LAMAN_SMTP_FROM", "laman@localhost"),
        environ.get("LAMAN_SMTP_USER") or None,
        environ.get("LAMAN_SMTP_PASSWORD") or None,
        environ.get("LAMAN_SMTP_STARTTLS", "") == "1",
    )


def recipients(item: Article, sop: Sop, team: Team) -> tuple[Person, ...]:
    """Who must act on the article now: the assignee alone where only they may, else everyone
    with a role that moves it on."""
    stage = item.stage
    if any(t.assignee_only for t in sop.transitions_from(stage)):
        person = team.by_email.get(str(item.meta.get("assignee") or "").lower())
        if person is not None:
            return (person,)
    return tuple(dict.fromkeys(p for role in sop.next_roles(stage) for p in team.with_role(role)))


def send(item: Article, people: Sequence[Person], by: Person, stage_label: str, lang: str) -> list[Problem]:
    """One e-mail to the people now due to act; a server out of reach is said, not fatal (their
    *Tugas saya* shows the article either way)."""
    smtp = smtp_from(os.environ)
    if smtp is None or not people:
        return []
    message = EmailMessage()
    message["From"] = smtp.sender
    message["To"] = ", ".join(p.email for p in people)
    message["Subject"] = say("redaksi.mail.subject", lang, title=item.title, stage=stage_label)
    message.set_content(say("redaksi.mail.body", lang, title=item.title, stage=stage_label, by=by.name))
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=10) as server:
            if smtp.starttls:
                server.starttls()
            if smtp.user and smtp.password:
                server.login(smtp.user, smtp.password)
            server.send_message(message)
    except (OSError, smtplib.SMTPException) as err:
        return [Problem("RED002", smtp.host, args={"detail": str(err)})]
    return []
