/*
 * roles.cpp: what membership of Aurora's predefined roles grants, through a ProcessUtility hook.
 *
 * rds_replication: on Aurora, a member (direct or nested, inheriting its privileges as with
 * PostgreSQL's predefined roles) may create and read replication slots and open replication
 * connections. PostgreSQL checks the REPLICATION attribute of the role
 * itself for all of these (CheckSlotPermissions, and InitPostgres for a walsender, before any hook
 * could step in), so the mirror keeps the attribute in step with the membership: after every
 * statement that can change a membership, each non-superuser role has REPLICATION exactly when it
 * is a member of rds_replication. Revoking the membership takes the right away again. The
 * divergence shows in pg_roles.rolreplication, which reads true for members (docs/mirror.md).
 *
 * PostgreSQL 15 lets only a superuser alter a role that has REPLICATION; Aurora lets the master
 * user (CREATEROLE) alter a member of rds_replication, as any other role. So before an ALTER ROLE
 * by a non-superuser, a member loses the attribute for the statement's duration (the statement
 * then meets PostgreSQL's own checks, and "ALTER ROLE ... WITH REPLICATION" is still refused by
 * PostgreSQL); the membership sync afterwards gives it back. All of it happens in the statement's
 * transaction, so an error undoes it.
 *
 * rds_superuser: a member may CREATE PUBLICATION ... FOR ALL TABLES, which PostgreSQL allows
 * superusers only. The statement runs as the bootstrap superuser (rdsadmin), after the same
 * database CREATE privilege check PostgreSQL makes, and the publication is then given to the
 * member, who owns it as on Aurora.
 */
#include "pg.hpp"

extern "C" {
#include "catalog/pg_publication.h"
#include "commands/dbcommands.h"
#include "utils/lsyscache.h" /* get_publication_oid, from PostgreSQL 16 on */
#include "utils/syscache.h"
}

namespace pgcdc_mirror
{

namespace
{

ProcessUtility_hook_type prev_utility_hook = nullptr;

/* Sets rolreplication of one role in pg_authid. */
void SetReplication(Oid role, bool value)
{
	Relation rel = table_open(AuthIdRelationId, RowExclusiveLock);
	HeapTuple tup = SearchSysCacheCopy1(AUTHOID, ObjectIdGetDatum(role));
	if (HeapTupleIsValid(tup)) {
		reinterpret_cast<Form_pg_authid>(GETSTRUCT(tup))->rolreplication = value;
		CatalogTupleUpdate(rel, &tup->t_self, tup);
		heap_freetuple(tup);
	}
	table_close(rel, RowExclusiveLock);
}

/* Gives REPLICATION to exactly the non-superuser members of rds_replication. */
void SyncReplicationAttribute()
{
	Oid replication = get_role_oid("rds_replication", true);
	if (!OidIsValid(replication))
		return;
	CommandCounterIncrement(); /* the statement's own membership changes */

	List *grant = NIL, *revoke = NIL;
	Relation rel = table_open(AuthIdRelationId, AccessShareLock);
	SysScanDesc scan = systable_beginscan(rel, InvalidOid, false, nullptr, 0, nullptr);
	HeapTuple tup;
	while (HeapTupleIsValid(tup = systable_getnext(scan))) {
		auto *form = reinterpret_cast<Form_pg_authid>(GETSTRUCT(tup));
		if (form->rolsuper || form->oid == replication)
			continue;
		bool member = has_privs_of_role(form->oid, replication);
		if (member && !form->rolreplication)
			grant = lappend_oid(grant, form->oid);
		else if (!member && form->rolreplication)
			revoke = lappend_oid(revoke, form->oid);
	}
	systable_endscan(scan);
	table_close(rel, AccessShareLock);

	ListCell *lc;
	foreach (lc, grant)
		SetReplication(lfirst_oid(lc), true);
	foreach (lc, revoke)
		SetReplication(lfirst_oid(lc), false);
	if (grant != NIL || revoke != NIL)
		CommandCounterIncrement();
}

/* A non-superuser member of rds_replication whose REPLICATION the mirror gave it. */
bool MirroredReplicationRole(Oid role)
{
	Oid replication = get_role_oid("rds_replication", true);
	if (!OidIsValid(role) || !OidIsValid(replication) || superuser_arg(role))
		return false;
	HeapTuple tup = SearchSysCache1(AUTHOID, ObjectIdGetDatum(role));
	if (!HeapTupleIsValid(tup))
		return false;
	bool has = reinterpret_cast<Form_pg_authid>(GETSTRUCT(tup))->rolreplication;
	ReleaseSysCache(tup);
	return has && has_privs_of_role(role, replication);
}

bool ChangesMembership(Node *stmt)
{
	switch (nodeTag(stmt)) {
	case T_GrantRoleStmt:
	case T_CreateRoleStmt:
	case T_AlterRoleStmt:
	case T_DropRoleStmt:
		return true;
	default:
		return false;
	}
}

void RunUtility(PlannedStmt *pstmt, const char *queryString, bool readOnlyTree, ProcessUtilityContext context,
                ParamListInfo params, QueryEnvironment *queryEnv, DestReceiver *dest, QueryCompletion *qc)
{
	if (prev_utility_hook != nullptr)
		prev_utility_hook(pstmt, queryString, readOnlyTree, context, params, queryEnv, dest, qc);
	else
		standard_ProcessUtility(pstmt, queryString, readOnlyTree, context, params, queryEnv, dest, qc);
}

/* CREATE PUBLICATION ... FOR ALL TABLES by a member of rds_superuser, run as rdsadmin. */
void CreatePublicationAsRdsSuperuser(CreatePublicationStmt *stmt, PlannedStmt *pstmt, const char *queryString,
                                     bool readOnlyTree, ProcessUtilityContext context, ParamListInfo params,
                                     QueryEnvironment *queryEnv, DestReceiver *dest, QueryCompletion *qc)
{
	Oid user;
	int sec;
	GetUserIdAndSecContext(&user, &sec);
	/* The check PostgreSQL makes before its superuser check. */
	if (MIRROR_DATABASE_ACLCHECK(MyDatabaseId, user, ACL_CREATE) != ACLCHECK_OK)
		aclcheck_error(ACLCHECK_NO_PRIV, OBJECT_DATABASE, get_database_name(MyDatabaseId));
	SetUserIdAndSecContext(BOOTSTRAP_SUPERUSERID, sec | SECURITY_LOCAL_USERID_CHANGE);
	PG_TRY();
	{
		RunUtility(pstmt, queryString, readOnlyTree, context, params, queryEnv, dest, qc);
		CommandCounterIncrement();
		AlterPublicationOwner_oid(get_publication_oid(stmt->pubname, false), user);
	}
	PG_FINALLY();
	{
		SetUserIdAndSecContext(user, sec);
	}
	PG_END_TRY();
}

} // namespace

} // namespace pgcdc_mirror

using namespace pgcdc_mirror;

extern "C" {

static void pgcdc_mirror_utility(PlannedStmt *pstmt, const char *queryString, bool readOnlyTree,
                                 ProcessUtilityContext context, ParamListInfo params,
                                 QueryEnvironment *queryEnv, DestReceiver *dest, QueryCompletion *qc)
{
	Node *stmt = pstmt->utilityStmt;

	if (IsA(stmt, CreatePublicationStmt) && castNode(CreatePublicationStmt, stmt)->for_all_tables &&
	    !superuser()) {
		Oid rds_superuser = get_role_oid("rds_superuser", true);
		if (OidIsValid(rds_superuser) && has_privs_of_role(GetUserId(), rds_superuser)) {
			CreatePublicationAsRdsSuperuser(castNode(CreatePublicationStmt, stmt), pstmt, queryString,
			                                readOnlyTree, context, params, queryEnv, dest, qc);
			return;
		}
	}

	if (IsA(stmt, AlterRoleStmt) && !superuser()) {
		Oid target = get_rolespec_oid(castNode(AlterRoleStmt, stmt)->role, true);
		if (MirroredReplicationRole(target)) {
			SetReplication(target, false);
			CommandCounterIncrement();
		}
	}

	RunUtility(pstmt, queryString, readOnlyTree, context, params, queryEnv, dest, qc);

	if (ChangesMembership(stmt))
		SyncReplicationAttribute();
}

} /* extern "C" */

namespace pgcdc_mirror
{

void InstallUtilityHook()
{
	prev_utility_hook = ProcessUtility_hook;
	ProcessUtility_hook = pgcdc_mirror_utility;
}

} // namespace pgcdc_mirror
