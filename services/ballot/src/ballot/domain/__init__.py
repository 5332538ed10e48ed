"""The ballot domain: election lifecycle on a public, hash-chained board. No framework, no I/O."""
