"""The small fixture tree that remote agent tests scan, readable by the test user.

It holds fake personal data (an e-mail address, a UK phone number), a
non-ASCII name, a nested folder, a file the test user may not read and a
folder it may not list. Files belong to root so that chmod 000 really denies
the unprivileged scanning account.
"""

from __future__ import annotations

import os

from tests.servers import make_served_dir

FILES = {
    "contacts.txt": "Contact: jane.doe@example.com, phone 020 7946 0958\n",
    "notes/meeting.md": "# Meeting\nCall Ian Smith on 07700 900123 about the invoice.\n",
    "notes/deep/nested/record.csv": "name,email\nAlan Turing,alan.t@example.org\n",
    "café-résumé.txt": "Résumé of José Müller, jose.muller@example.net\n",
    "empty.txt": "",
    "big.log": "".join(f"line {i}: nothing to see here\n" for i in range(20000)),
}
SECRET_FILE = "secret.txt"        # chmod 000: listed, but open() is refused
PRIVATE_DIR = "private"           # chmod 700 root: cannot be listed by the test user


def make_fixture_tree(parent: str | None = None, name: str = "tree") -> str:
    """Create the fixture tree (in ``parent``, or a new world-traversable folder) and return its root."""
    parent = parent or make_served_dir("piisweep-tree-")
    root = os.path.join(parent, name)
    for rel, text in FILES.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    secret = os.path.join(root, SECRET_FILE)
    with open(secret, "w", encoding="utf-8") as handle:
        handle.write("salary of bob@example.com\n")
    os.chmod(secret, 0o000)
    private = os.path.join(root, PRIVATE_DIR)
    os.makedirs(private)
    with open(os.path.join(private, "hidden.txt"), "w", encoding="utf-8") as handle:
        handle.write("hidden\n")
    os.chmod(private, 0o700)
    for dirpath, dirnames, _ in os.walk(root):
        for d in dirnames:
            if os.path.join(dirpath, d) != private:
                os.chmod(os.path.join(dirpath, d), 0o755)
    os.chmod(root, 0o755)
    return root


def local_listing(root: str) -> dict[str, bytes]:
    """What a scan of the tree as the test user should read: relative path -> bytes."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if os.path.join(dirpath, d) != os.path.join(root, PRIVATE_DIR)]
        for name in filenames:
            rel = os.path.relpath(os.path.join(dirpath, name), root)
            if rel == SECRET_FILE:
                continue
            with open(os.path.join(dirpath, name), "rb") as handle:
                out[rel] = handle.read()
    return out


def read_items(agent, items) -> dict[str, bytes]:
    """Read every item through an agent in small reads: relative path -> bytes."""
    out = {}
    for item in items:
        with agent.open(item) as stream:
            chunks = []
            while chunk := stream.read(4096):
                chunks.append(chunk)
            out[item.path] = b"".join(chunks)
    return out
