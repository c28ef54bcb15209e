"""Which texts NER reads: prose and conversations, not logs, code or configuration."""

import pytest

from detectors.engine import looks_like_prose

CHAT = """[09:00] Gyula Varga: thanks István!
[09:07] Tamás Takács: ok I'll ping Norbert tomorrow about the Zoom licence
[09:14] Gyula Varga: she named him Kornél, cute right
[09:21] Tamás Takács: I think Kovács handles payroll now
"""
WHATSAPP = """12/03/2024, 10:41 - Ana: are you coming to the meeting with Kaito
12/03/2024, 10:42 - Kaito: yes but a bit late sorry
12/03/2024, 10:44 - Ana: no problem we start with the budget
"""
LOGS = [
    "Jan 12 10:00:01 host sshd[123]: Failed password for invalid user admin from 10.0.0.1 port 22 ssh2\n" * 5,
    "2024-01-01 12:00:00 INFO User logged in from 10.0.0.7\n2024-01-01 12:00:01 INFO Session 88121 started\n"
    "2024-01-01 12:00:02 WARN Cache miss for key user:88121\n",
    '10.0.0.1 - - [12/Jan/2024:10:00:01 +0000] "GET /index.html HTTP/1.1" 200 512 "-" "Mozilla/5.0"\n' * 5,
    "[server]\nhost = db.internal\nport = 5432\nuser = app\npassword = ${DB_PASSWORD}\n",
    "def main():\n    for item in items:\n        if item.valid: print(item.name)\n    return 0\n",
]


@pytest.mark.parametrize("text", [CHAT, WHATSAPP])
def test_conversations_are_read_as_prose(text):
    assert looks_like_prose(text)


@pytest.mark.parametrize("text", LOGS)
def test_logs_code_and_configuration_are_not(text):
    assert not looks_like_prose(text)
