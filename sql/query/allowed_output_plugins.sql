-- The output plugins output_plugin_libraries allows (PostgreSQL 15.19, 16.15, 17.11, 18.6 and
-- later only let logical slots use those), in one text[] column, plugins; NULL on servers
-- without the setting, where every installed plugin may be used. The setting is parsed as the
-- server parses it: comma-separated names, double-quoted where needed, not case-folded (like
-- shared_preload_libraries).
SELECT CASE WHEN current_setting('output_plugin_libraries', true) IS NOT NULL THEN ARRAY(
         SELECT CASE WHEN m[1] LIKE '"%' THEN replace(substr(m[1], 2, length(m[1]) - 2), '""', '"')
                     ELSE btrim(m[1]) END
         FROM regexp_matches(current_setting('output_plugin_libraries', true),
                             '\s*("(?:[^"]|"")*"|[^,"\s][^,]*)\s*(?:,|$)', 'g') AS m) END AS plugins
