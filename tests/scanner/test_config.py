"""The estate file: valid files load; every mistake is reported with its line, in one error."""

from __future__ import annotations

import os
import textwrap

import pytest

from scanner.config import EstateError, load_estate
from contract.targets import LOCAL, SMB, SQL, SSH


def write_estate(folder, text: str, name: str = "estate.toml") -> str:
    path = os.path.join(folder, name)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(textwrap.dedent(text).lstrip("\n"))
    return path


@pytest.fixture
def estate_dir(tmp_path):
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "acme_ed25519").write_text("not really a key\n")
    return tmp_path


VALID = """
    key_file = "estate.key"

    [[client]]
    name = "acme"
    include = ["*.docx", "*.xlsx"]
    exclude = ["node_modules", "*.iso"]
    max_file_size = "200MB"

      [[client.target]]
      url = "ssh://scanner@127.0.0.1:22022/srv/data"
      identity = "keys/acme_ed25519"
      known_hosts = "keys/known_hosts"
      accept_new_host_key = true

      [[client.target]]
      url = "smb://ACME;scanner@127.0.0.1:14450/share"
      password_env = "ACME_SMB_PASSWORD"

    [[client]]
    name = "globex"

      [[client.target]]
      url = "data/globex"

      [[client.target]]
      url = "sqlite:///db/crm.sqlite"

      [[client.target]]
      url = "postgresql://postgres@127.0.0.1:5432/crm"
      keyring = "piisweep:globex-pg"
"""


def test_valid_estate_with_two_clients(estate_dir, monkeypatch):
    monkeypatch.chdir("/")  # a cron job's working folder: relative paths must not depend on it
    clients = load_estate(write_estate(estate_dir, VALID))
    assert [c.name for c in clients] == ["acme", "globex"]
    acme, globex = clients
    assert acme.include == ("*.docx", "*.xlsx") and acme.exclude == ("node_modules", "*.iso")
    assert acme.max_file_size == 200 * 1024 * 1024
    assert acme.key_file == globex.key_file == str(estate_dir / "estate.key")
    ssh, smb = acme.targets
    assert (ssh.kind, ssh.host, ssh.port, ssh.user, ssh.path) == (SSH, "127.0.0.1", 22022, "scanner", "/srv/data")
    assert ssh.creds.identity == str(estate_dir / "keys" / "acme_ed25519")
    assert ssh.creds.known_hosts == str(estate_dir / "keys" / "known_hosts")
    assert ssh.creds.accept_new_host_key is True
    assert (smb.kind, smb.domain, smb.share, smb.creds.password_env) == (SMB, "ACME", "share", "ACME_SMB_PASSWORD")
    assert globex.include == () and globex.max_file_size is None
    local, sqlite, pg = globex.targets
    assert (local.kind, local.path) == (LOCAL, str(estate_dir / "data" / "globex"))
    assert (sqlite.kind, sqlite.path) == (SQL, str(estate_dir / "db" / "crm.sqlite"))
    assert (pg.scheme, pg.creds.keyring) == ("postgresql", "piisweep:globex-pg")


def test_only_selects_one_client(estate_dir):
    path = write_estate(estate_dir, VALID)
    assert [c.name for c in load_estate(path, only="globex")] == ["globex"]
    with pytest.raises(EstateError) as err:
        load_estate(path, only="initech")
    assert "no client named 'initech'" in str(err.value) and "acme, globex" in str(err.value)


BAD = """
    key_file = "estate.key"
    colour = "blue"

    [[client]]
    name = "acme"
    max_file_size = "lots"
    shoesize = 3

      [[client.target]]
      url = "ssh://scanner:Hunter2Pw@127.0.0.1:22022/srv"

      [[client.target]]
      url = "smb://scanner@127.0.0.1/share"
      password = "Hunter2Pw"

      [[client.target]]
      url = "ssh://scanner@127.0.0.1/srv"
      identity = "keys/missing_ed25519"

    [[client]]
    name = "acme"

    [[client]]
    name = "globex"
    exclude = "node_modules"
      [[client.target]]
      url = "smb://scanner@127.0.0.1"
"""


def test_every_mistake_reported_with_its_line_in_one_error(estate_dir):
    with pytest.raises(EstateError) as err:
        load_estate(write_estate(estate_dir, BAD))
    message = str(err.value)
    expected = [
        "line 2: unknown setting 'colour'",
        "line 6: not a size: 'lots'",
        "line 7: unknown setting 'shoesize' in client 'acme'",
        "line 10: a password must not be written in the target URL",
        "line 14: a password must not be written in the estate file",
        "line 18: identity file not found: " + str(estate_dir / "keys" / "missing_ed25519"),
        "line 21: client 'acme' appears twice",
        "line 20: client 'acme' has no [[client.target]]",
        "line 25: exclude must be a list of glob strings",
        "line 27: smb target needs a share",
    ]
    for line in expected:
        assert line in message, (line, message)
    assert f"{len(expected)} mistake(s)" in message
    assert "Hunter2Pw" not in message  # neither the URL's nor the key's password is echoed


def test_secret_like_client_key_gets_a_hint(estate_dir):
    path = write_estate(estate_dir, """
        [[client]]
        name = "acme"
        api_key = "abc123"
          [[client.target]]
          url = "/srv"
    """)
    with pytest.raises(EstateError) as err:
        load_estate(path)
    assert "line 3: unknown setting 'api_key'" in str(err.value)
    assert "password_env or keyring" in str(err.value) and "abc123" not in str(err.value)


def test_mistakes_in_second_target_point_at_its_own_lines(estate_dir):
    path = write_estate(estate_dir, """
        [[client]]
        name = "acme"

          [[client.target]]
          url = "ssh://scanner@127.0.0.1/a"
          identity = "keys/first_missing"

          [[client.target]]
          url = "ssh://scanner@127.0.0.1/b"
          identity = "keys/second_missing"
          colour = "red"

          [[client.target]]
          known_hosts = "keys/known_hosts"
    """)
    with pytest.raises(EstateError) as err:
        load_estate(path)
    message = str(err.value)
    assert "line 6: identity file not found: " + str(estate_dir / "keys" / "first_missing") in message
    assert "line 10: identity file not found: " + str(estate_dir / "keys" / "second_missing") in message
    assert "line 11: unknown target setting 'colour'" in message
    assert "line 13: target without url" in message


@pytest.mark.parametrize("text, expected", [
    ("", "line 1: no [[client]] in the estate file"),
    ('[[client]]\n  [[client.target]]\n  url = "/srv"\n', "line 1: client without a name"),
    ('[[client]]\nname = "acme"\n', "line 1: client 'acme' has no [[client.target]]"),
    ('[[client]]\nname = "acme"\nmax_file_size = "10XB"\n[[client.target]]\nurl = "/srv"\n',
     "line 3: not a size: '10XB'"),
    ('[[client]]\nname = "acme"\ninclude = ["*.txt", 3]\n[[client.target]]\nurl = "/srv"\n',
     "line 3: include must be a list of glob strings"),
])
def test_single_mistakes(estate_dir, text, expected):
    with pytest.raises(EstateError) as err:
        load_estate(write_estate(estate_dir, text))
    assert expected in str(err.value)


def test_toml_syntax_error_is_an_estate_error(estate_dir):
    with pytest.raises(EstateError) as err:
        load_estate(write_estate(estate_dir, '[[client]]\nname = "acme\n'))
    assert str(estate_dir / "estate.toml") in str(err.value)


def test_max_file_size_may_be_a_number(estate_dir):
    clients = load_estate(write_estate(estate_dir, """
        [[client]]
        name = "acme"
        max_file_size = 4096
          [[client.target]]
          url = "/srv"
    """))
    assert clients[0].max_file_size == 4096


def test_the_estate_names_its_dask_executor_with_tls_files_relative_to_it(estate_dir):
    path = write_estate(estate_dir, """
        executor = "tls://10.0.0.5:8786"
        tls_ca_file = "tls/ca.pem"
        tls_cert = "tls/client.pem"
        tls_key = "tls/client.key"
        max_connections_per_host = 2

        [[client]]
        name = "acme"
          [[client.target]]
          url = "data"
    """)
    (entry,) = load_estate(path)
    cluster = entry.cluster
    assert cluster.address == "tls://10.0.0.5:8786" and cluster.max_connections_per_host == 2
    assert cluster.tls_ca_file == os.path.join(estate_dir, "tls", "ca.pem")
    assert cluster.tls_key == os.path.join(estate_dir, "tls", "client.key")


def test_an_estate_without_executor_runs_locally_and_a_wrong_one_is_a_mistake_with_its_line(estate_dir):
    plain = write_estate(estate_dir, """
        [[client]]
        name = "acme"
          [[client.target]]
          url = "data"
    """)
    assert load_estate(plain)[0].cluster is None
    wrong = write_estate(estate_dir, """
        executor = "tls://10.0.0.5:8786"

        [[client]]
        name = "acme"
          [[client.target]]
          url = "data"
    """, name="wrong.toml")
    with pytest.raises(EstateError) as error:
        load_estate(wrong)
    assert "line 1: executor tls://10.0.0.5:8786: tls:// needs --tls-ca-file" in str(error.value)
