/*
 * The SQL the client shares with the extension: each query lives once, in sql/query/, and is
 * embedded here at build time, expanded by sql/include.awk exactly as the extension's install
 * script expands it (CMakeLists.txt generates the definitions, cmake/embed_queries.cmake). They
 * need no extension and only read, so they run on Aurora, RDS and hot standbys. Each takes
 * positional parameters cast inside the query, so they can all be sent as untyped text
 * (PQexecParams with paramTypes NULL); NULL where the function takes NULL.
 */
#ifndef PGCDC_CLIENT_QUERIES_HPP
#define PGCDC_CLIENT_QUERIES_HPP

namespace pgcdc
{
namespace queries
{

/* sql/query/slot_health.sql: $1..$8 as pgcdc.slot_health's parameters */
extern const char *const kSlotHealth;
/* sql/query/preflight.sql: $1 plugin, $2 tables (regclass[] text), $3 publication */
extern const char *const kPreflight;

} // namespace queries
} // namespace pgcdc

#endif
