-- The service databases and their roles. Run once by the postgres image's entrypoint on an
-- empty data directory (mounted at /docker-entrypoint-initdb.d), and by
-- deploy/local/infra.sh on every start (idempotent). Passwords here are development defaults
-- (= role name): change them before exposing the server (ALTER ROLE … PASSWORD).
--
--   assessment        owned by assessment_owner (migrations, triggers); the service connects as
--                     assessment_app: SELECT/INSERT on the event tables, granted by
--                     `python -m assessment.entrypoints.migrate` — no UPDATE/DELETE/TRUNCATE
--   reporting, ballot owned by reporting_app / ballot_app (they create their own tables)
SELECT 'CREATE ROLE assessment_owner LOGIN PASSWORD ''assessment_owner'''
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'assessment_owner')\gexec
SELECT 'CREATE ROLE assessment_app LOGIN PASSWORD ''assessment_app'''
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'assessment_app')\gexec
SELECT 'CREATE ROLE reporting_app LOGIN PASSWORD ''reporting_app'''
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'reporting_app')\gexec
SELECT 'CREATE ROLE ballot_app LOGIN PASSWORD ''ballot_app'''
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ballot_app')\gexec
SELECT 'CREATE DATABASE assessment OWNER assessment_owner'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'assessment')\gexec
SELECT 'CREATE DATABASE reporting OWNER reporting_app'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'reporting')\gexec
SELECT 'CREATE DATABASE ballot OWNER ballot_app'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'ballot')\gexec
REVOKE ALL ON DATABASE assessment FROM PUBLIC;
GRANT CONNECT ON DATABASE assessment TO assessment_app;
