"""Fault injection: real workers killed, Redis and PostgreSQL servers stopped under the app.

Every server a scenario stops is one it started itself on a free loopback port (its own
redis-server, its own throwaway PostgreSQL cluster): the machine's shared Redis and
PostgreSQL are never touched. The scenarios live in plain modules (`kill_rounds`,
`redis_outage`, `database_restart`, `two_workers`) so that the pytest suite (small counts,
`pytest -m faults`) and `bench/faults.py` (the full figures) run the same code.
"""
