"""`make doctor`: the check registry (core), the check families (static, live, client) and
the command line (cli). See cli.py for what it checks and how it reports."""
