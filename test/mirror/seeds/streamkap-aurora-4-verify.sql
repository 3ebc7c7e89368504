-- streamkap-aurora-4-verify.sql: Streamkap, "PostgreSQL Change Data Capture Setup on Amazon RDS
-- Aurora with Streamkap" (seed 004), its last command, run as streamkap_user
-- Verbatim from the seed (line 125).

SELECT count(*) FROM pg_logical_slot_peek_binary_changes('streamkap_pgoutput_slot', null, null, 'proto_version', '1', 'publication_names', 'streamkap_pub');
