"""The exit statuses of every `tilmash` command, in one place (README: "Exit status")."""

OK = 0
FAILED = 1  # the command finished, but some input was bad: see the error lines
USAGE = 2  # nothing done: bad command line or configuration
LOCKED = 3  # nothing done: another run holds the newsroom's lock
