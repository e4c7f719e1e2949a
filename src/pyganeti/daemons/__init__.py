"""Ganeti daemons (ganeti-noded, ganeti-wconfd, ganeti-luxid, ...) and their shared plumbing."""
