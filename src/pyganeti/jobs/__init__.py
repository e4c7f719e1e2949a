"""The job queue: job records, their persistence, scheduling and execution."""
