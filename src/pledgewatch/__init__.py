"""pledgewatch: who commits what to an international coalition, and who refuses, with sources."""
__version__ = "0.1.0"
