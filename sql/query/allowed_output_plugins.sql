-- The output plugins output_plugin_libraries allows (PostgreSQL 15.19, 16.15, 17.11, 18.6 and
-- later only let logical slots use those): plugins, a text[]; NULL on servers without the
-- setting, where every installed plugin may be used. The setting is parsed as the server parses
-- it: comma-separated names, double-quoted where needed, not case-folded (like
-- shared_preload_libraries); setting is its text. known is false when the calling role may not
-- read the setting (PostgreSQL shows it to superusers and members of pg_read_all_settings only,
-- pg_monitor among them): plugins is then NULL too, and whether a plugin is allowed is not known.
-- It is read from pg_settings, which leaves out what the role may not see, where
-- current_setting() would fail.
SELECT CASE WHEN s.setting IS NOT NULL THEN ARRAY(
         SELECT CASE WHEN m[1] LIKE '"%' THEN replace(substr(m[1], 2, length(m[1]) - 2), '""', '"')
                     ELSE btrim(m[1]) END
         FROM regexp_matches(s.setting, '\s*("(?:[^"]|"")*"|[^,"\s][^,]*)\s*(?:,|$)', 'g') AS m) END AS plugins,
       s.setting, s.known
FROM (SELECT (SELECT g.setting FROM pg_settings AS g WHERE g.name = 'output_plugin_libraries') AS setting,
             coalesce((SELECT a.rolsuper FROM pg_roles AS a WHERE a.rolname = current_user), false)
             OR pg_has_role(current_user, 'pg_read_all_settings', 'USAGE') AS known) AS s
