-- The output plugins output_plugin_libraries allows (PostgreSQL 15.19, 16.15, 17.11, 18.6 and
-- later only let logical slots use those): plugins, a text[]; NULL on servers without the
-- setting, where every installed plugin may be used. The setting is parsed as the server parses
-- it: comma-separated names, double-quoted where needed, not case-folded (like
-- shared_preload_libraries). known is false when the calling role may not read the setting
-- (PostgreSQL shows it to superusers and members of pg_read_all_settings only, pg_monitor among
-- them; current_setting() would fail): plugins is then NULL too, and whether the plugin is allowed
-- is not known.
SELECT CASE WHEN s.value IS NOT NULL THEN ARRAY(
         SELECT CASE WHEN m[1] LIKE '"%' THEN replace(substr(m[1], 2, length(m[1]) - 2), '""', '"')
                     ELSE btrim(m[1]) END
         FROM regexp_matches(s.value, '\s*("(?:[^"]|"")*"|[^,"\s][^,]*)\s*(?:,|$)', 'g') AS m) END AS plugins,
       s.known
FROM (SELECT r.known, CASE WHEN r.known THEN current_setting('output_plugin_libraries', true) END AS value
      FROM (SELECT coalesce((SELECT a.rolsuper FROM pg_roles AS a WHERE a.rolname = current_user), false)
                   OR pg_has_role(current_user, 'pg_read_all_settings', 'USAGE') AS known) AS r) AS s
