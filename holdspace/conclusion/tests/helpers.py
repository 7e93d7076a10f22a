"""A process with records for narrow audiences and names in every text, for
the conclusion tests."""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from holdspace.conclusion import services
from holdspace.conclusion.models import Conclusion
from holdspace.processes import services as core
from holdspace.processes.models import Party
from holdspace.testing import World, write_note
from holdspace.vault.keyring import using

HARMED, HARMING = "Quillfeather", "Marrowbend"

# A note's title -> the editions that may hold it (author: the support group's
# member, so the report's author reads every one of them).
CANARIES = {
    "CANARYSUPPORTONLY": {"survivor"},
    "CANARYWITHSUPERVISION": {"survivor", "supervision"},
    "CANARYWITHCOMMUNITY": {"survivor", "community"},
    "CANARYWITHEVERYONE": {"survivor", "supervision", "community"},
}
# Shared with every group, but kept by the contact group: the author of the
# report cannot read it, so no edition holds it.
CANARY_CONTACT = "CANARYCONTACTONLY"
WRITTEN = "Thanks to contact-member, the Willow contact group, {harmed} and {harming}."


@dataclass
class Report:
    conclusion: Conclusion
    names: dict[str, list[str]]  # kind of name -> the names


def with_records(world: World) -> Report:
    """Pseudonyms of our own, canary notes, and a report by the support
    group's coordinator that names everyone."""
    groups, personas = world.groups, world.personas
    with using(world.keyring):
        for role, pseudonym in ((Party.Role.HARMED, HARMED), (Party.Role.HARMING, HARMING)):
            party = world.process.parties.get(role=role)
            party.pseudonym = pseudonym
            party.save(update_fields=["pseudonym"])
        audiences = {
            "CANARYSUPPORTONLY": [],
            "CANARYWITHSUPERVISION": ["supervision"],
            "CANARYWITHCOMMUNITY": ["community"],
            "CANARYWITHEVERYONE": ["supervision", "community", "contact"],
        }
        for title, kinds in audiences.items():
            note = write_note(
                world.keyring,
                groups["support"],
                personas["support-member"],
                f"{title} by support-member with {HARMING}",
            )
            core.set_audience(note, [groups["support"], *(groups[k] for k in kinds)])
        hidden = write_note(
            world.keyring, groups["contact"], personas["contact-member"], CANARY_CONTACT
        )
        core.set_audience(hidden, [groups["contact"], groups["supervision"], groups["community"]])
        conclusion = services.begin(
            world.process,
            by=personas["support-coordinator"],
            group=groups["support"],
            written=services.Written(
                WRITTEN.format(harmed=HARMED, harming=HARMING),
                "Not enough, said support-coordinator.",
                "Lessons from Process Willow.",
            ),
        )
    members = sorted({p.username for k, p in personas.items() if "-" in k})
    return Report(
        conclusion,
        {
            "members": members,
            "groups": ["Willow"],
            "pseudonyms": [HARMED, HARMING],
        },
    )


def pdf_tool(tool: str, pdf: bytes, *args: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "edition.pdf"
        path.write_bytes(pdf)
        found = subprocess.run(
            [tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])],
            capture_output=True,
            check=True,
            text=True,
        )
    return found.stdout


def words(text: str) -> str:
    """Text with its line breaks as spaces (a PDF breaks lines anywhere)."""
    return re.sub(r"\s+", " ", text)
