"""The gnt-* command line tools and the umbrella `pyganeti` command."""
