"""Command-line tools of the separate roles: ballot-ca, ballot-trustee, ballot-verify."""
