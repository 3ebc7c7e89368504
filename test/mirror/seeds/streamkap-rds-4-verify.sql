-- streamkap-rds-4-verify.sql: Streamkap, "PostgreSQL Change Data Capture Setup on Amazon RDS with
-- Streamkap" (seed 003), its last command, run as streamkap_user
-- Verbatim from the seed (line 100).

SELECT count(*) FROM pg_logical_slot_peek_binary_changes('streamkap_pgoutput_slot', null, null, 'proto_version', '1', 'publication_names', 'streamkap_pub');
