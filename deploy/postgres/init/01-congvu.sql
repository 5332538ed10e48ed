-- Run once by the postgres image's entrypoint on an empty data directory
-- (mounted at /docker-entrypoint-initdb.d). One database per service; they belong to the
-- default user (POSTGRES_USER), who runs these scripts.
CREATE DATABASE assessment;
CREATE DATABASE reporting;
CREATE DATABASE ballot;
