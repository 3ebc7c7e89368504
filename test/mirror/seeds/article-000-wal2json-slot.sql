-- article-000-wal2json-slot.sql: Sigal Shaharabani, "Building a CDC for AWS Aurora Postgres" (seed
-- 000), the slot it creates (its only statement, without a final ";" as in the article)
-- Verbatim from the seed (line 85), placeholders filled: <slot name> as 'article_wal2json'.

SELECT * FROM pg_create_logical_replication_slot('article_wal2json', 'wal2json')
