"""Target parsing: every scheme, URI round trip, refused passwords and helpful errors."""

from __future__ import annotations

import os

import pytest

from contract.targets import LOCAL, SMB, SQL, SSH, CredentialRef, TargetError, parse_target


def test_local_relative_path_is_made_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    t = parse_target("data/share")
    assert (t.kind, t.scheme, t.path) == (LOCAL, "file", str(tmp_path / "data" / "share"))
    assert t.uri == "file://" + str(tmp_path / "data" / "share")
    assert t.host is None


def test_file_url_is_unquoted():
    t = parse_target("file:///srv/shared%20files")
    assert (t.kind, t.path) == (LOCAL, "/srv/shared files")


def test_ssh_with_user_and_port():
    t = parse_target("ssh://scanner@127.0.0.1:22022/srv/data")
    assert (t.kind, t.scheme, t.user, t.host, t.port, t.path) == (SSH, "ssh", "scanner", "127.0.0.1", 22022,
                                                                   "/srv/data")


def test_ssh_defaults_port_22_and_root_path():
    t = parse_target("ssh://scanner@files.example")
    assert (t.port, t.path, t.user) == (22, "/", "scanner")


def test_smb_with_domain_share_and_path():
    t = parse_target("smb://ACME;scanner@127.0.0.1:14450/finance/2024/q1")
    assert (t.kind, t.domain, t.user, t.host, t.port, t.share, t.path) == (
        SMB, "ACME", "scanner", "127.0.0.1", 14450, "finance", "2024/q1")


def test_smb_share_only_defaults_port_445():
    t = parse_target("smb://scanner@fs1/data")
    assert (t.domain, t.share, t.path, t.port) == (None, "data", "", 445)


@pytest.mark.parametrize("url, scheme, port", [
    ("postgresql://postgres@127.0.0.1:5432/crm", "postgresql", 5432),
    ("postgres://postgres@127.0.0.1/crm", "postgresql", None),
    ("mysql://root@127.0.0.1:3306/crm", "mysql", 3306),
    ("mariadb://root@127.0.0.1/crm", "mariadb", None),
])
def test_sql_servers(url, scheme, port):
    t = parse_target(url)
    assert (t.kind, t.scheme, t.host, t.port, t.path) == (SQL, scheme, "127.0.0.1", port, "crm")


def test_sqlite_relative_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    t = parse_target("sqlite:///db/crm.sqlite")
    assert (t.kind, t.scheme, t.path) == (SQL, "sqlite", str(tmp_path / "db" / "crm.sqlite"))


def test_sqlite_absolute_path():
    t = parse_target("sqlite:////var/lib/app/crm.sqlite")
    assert (t.kind, t.path) == (SQL, "/var/lib/app/crm.sqlite")
    assert t.uri == "sqlite:////var/lib/app/crm.sqlite"


@pytest.mark.parametrize("url", [
    "/srv/data",
    "file:///srv/with%20space",
    "ssh://scanner@127.0.0.1:22022/srv/data",
    "ssh://127.0.0.1/",
    "smb://ACME;scanner@127.0.0.1:14450/share/dir/sub",
    "smb://scanner@127.0.0.1/share",
    "postgresql://postgres@127.0.0.1:5432/crm",
    "postgres://postgres@127.0.0.1/crm",
    "mysql://root@127.0.0.1:3306/crm",
    "mariadb://root@127.0.0.1/crm",
    "sqlite:///relative/crm.sqlite",
    "sqlite:////absolute/crm.sqlite",
    "ssh://scanner@[::1]:22022/srv/data",  # IPv6 loopback: the URI must bracket the address
])
def test_uri_round_trip(url):
    t = parse_target(url)
    assert parse_target(t.uri) == t
    assert parse_target(t.uri).uri == t.uri


def test_uri_never_contains_credentials():
    creds = CredentialRef(password_env="ACME_PW", identity="/keys/id")
    t = parse_target("ssh://scanner@127.0.0.1/srv", creds)
    assert t.creds == creds
    assert "ACME_PW" not in t.uri and "/keys/id" not in t.uri


@pytest.mark.parametrize("url", [
    "ssh://scanner:Sup3rSecretPw@127.0.0.1/srv",
    "smb://ACME;scanner:Sup3rSecretPw@127.0.0.1/share",
    "postgresql://postgres:Sup3rSecretPw@127.0.0.1/crm",
    "mysql://root:Sup3rSecretPw@127.0.0.1:3306/crm",
    "mariadb://root:Sup3r%40SecretPw@127.0.0.1/crm",
])
def test_password_in_url_refused_without_echo(url):
    with pytest.raises(TargetError) as err:
        parse_target(url)
    message = str(err.value)
    assert "password" in message and "--password-env" in message
    assert "Sup3r" not in message and "SecretPw" not in message


@pytest.mark.parametrize("url, expected", [
    ("ssh:///srv/data", "needs a host"),
    ("smb:///share", "needs a host"),
    ("postgresql:///crm", "needs a host"),
    ("smb://scanner@127.0.0.1", "needs a share"),
    ("smb://scanner@127.0.0.1/", "needs a share"),
    ("sqlite://crm.sqlite", "sqlite:///"),
    ("ftp://127.0.0.1/pub", "unknown target scheme 'ftp'"),
    ("ssh://scanner@127.0.0.1:notaport/srv", "bad port"),
    ("ssh://scanner@127.0.0.1:99999/srv", "bad port"),
    ("", "empty target"),
])
def test_errors_say_what_is_missing(url, expected):
    with pytest.raises(TargetError) as err:
        parse_target(url)
    assert expected in str(err.value)


def test_password_env_resolved_only_on_demand(monkeypatch):
    creds = CredentialRef(password_env="PIISWEEP_TEST_PW")
    monkeypatch.delenv("PIISWEEP_TEST_PW", raising=False)
    t = parse_target("ssh://scanner@127.0.0.1/srv", creds)  # parsing never reads the secret
    with pytest.raises(TargetError, match="PIISWEEP_TEST_PW is not set"):
        t.creds.password()
    monkeypatch.setenv("PIISWEEP_TEST_PW", "from-env")
    assert t.creds.password() == "from-env"
    assert "from-env" not in repr(t) and "from-env" not in t.uri


def test_targets_are_hashable_and_picklable():
    import pickle

    t = parse_target("smb://ACME;scanner@127.0.0.1:14450/share/dir")
    assert pickle.loads(pickle.dumps(t)) == t
    assert len({t, parse_target(t.uri)}) == 1
    assert os.path.isabs(parse_target(".").path)
