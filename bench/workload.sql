-- bench/workload.sql: the benchmarks' table and workload (bench/run.sh, bench/client.sh).
-- CALL bench_workload(nrows, batch) inserts nrows rows, then updates every row, then deletes every
-- row, each in transactions of batch rows.
CREATE TABLE bench_rows (
	id      bigint PRIMARY KEY,
	name    text,
	amount  numeric(12,2),
	active  boolean,
	at      timestamptz,
	doc     jsonb,
	tags    text[]
);
CREATE PUBLICATION bench_pub FOR TABLE bench_rows;

-- The workload: inserts, then updates of every row, then deletes of every row, each in
-- transactions of batch rows.
CREATE PROCEDURE bench_workload(nrows bigint, batch bigint)
LANGUAGE plpgsql AS $$
DECLARE
	lo bigint;
BEGIN
	lo := 1;
	WHILE lo <= nrows LOOP
		INSERT INTO bench_rows
		SELECT i,
		       'customer ' || i || ' ' || md5(i::text),
		       round((i * 7.31) % 100000, 2),
		       i % 3 = 0,
		       timestamptz '2024-01-01 00:00:00+00' + i * interval '1 second 7 ms',
		       jsonb_build_object('order', i, 'status', (ARRAY['new', 'paid', 'shipped'])[i % 3 + 1],
		                          'qty', i % 17, 'price', round(i % 1000 / 7.0, 2),
		                          'note', 'item ' || (i % 101)),
		       ARRAY['tag' || (i % 10), 'group-' || (i % 7), 'all']
		FROM generate_series(lo, least(lo + batch - 1, nrows)) i;
		COMMIT;
		lo := lo + batch;
	END LOOP;
	lo := 1;
	WHILE lo <= nrows LOOP
		UPDATE bench_rows
		SET amount = amount + 1, active = NOT active, at = at + interval '1 hour',
		    doc = doc || '{"status": "updated"}'
		WHERE id BETWEEN lo AND lo + batch - 1;
		COMMIT;
		lo := lo + batch;
	END LOOP;
	lo := 1;
	WHILE lo <= nrows LOOP
		DELETE FROM bench_rows WHERE id BETWEEN lo AND lo + batch - 1;
		COMMIT;
		lo := lo + batch;
	END LOOP;
END $$;
