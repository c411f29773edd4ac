"""Real servers the tests talk to on 127.0.0.1."""
