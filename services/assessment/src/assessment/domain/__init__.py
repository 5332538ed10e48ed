"""Pure domain: aggregates, values and errors. Imports no framework."""
