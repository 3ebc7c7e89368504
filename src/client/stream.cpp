/*
 * stream.cpp: pgcdc stream, the replication loop (after pg_recvlogical.c, with a sink).
 *
 * One Streamer lives for the whole run and survives reconnects: it owns the sink (the output and
 * its checkpoint) and the unit tracker (src/core/framing), so a reconnect resumes exactly after
 * the last whole unit the output holds. Each session connects with replication=database, checks
 * the slot, and starts replication after that position; the loop then reads CopyData messages
 * asynchronously and waits in poll() until the next feedback, fsync, heartbeat or progress
 * deadline.
 *
 * Feedback: the write position is what was received; the flush position only ever what the sink
 * made durable, so the server never forgets a transaction the output might not hold. With no
 * transaction open, a keepalive's WAL end is a boundary too, so an idle or filtered-out slot
 * still advances (after the sink has made it durable).
 */
#include "stream.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <memory>
#include <poll.h>
#include <unistd.h>

#include "aux.hpp"
#include "exit_codes.hpp"
#include "framing.hpp"
#include "log.hpp"
#include "lsn.hpp"
#include "options.hpp"
#include "progress.hpp"
#include "retry.hpp"
#include "sink.hpp"

namespace pgcdc
{

namespace
{

volatile sig_atomic_t g_stop = 0;
volatile sig_atomic_t g_reopen = 0;

extern "C" void OnStopSignal(int)
{
	g_stop = 1;
}

extern "C" void OnHangupSignal(int)
{
	g_reopen = 1;
}

void InstallSignalHandlers()
{
	struct sigaction sa;
	std::memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = OnStopSignal; /* no SA_RESTART: poll() returns at once */
	sigaction(SIGINT, &sa, nullptr);
	sigaction(SIGTERM, &sa, nullptr);
	sa.sa_handler = OnHangupSignal;
	sigaction(SIGHUP, &sa, nullptr);
	sa.sa_handler = SIG_IGN; /* a closed pipe is a write error, reported as such */
	sigaction(SIGPIPE, &sa, nullptr);
}

Clock::duration Seconds(double s)
{
	return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

/* A failure inside a session, with what the run does about it. */
struct StreamFailure : std::runtime_error {
	StreamFailure(Outcome o, const std::string &message, std::string detail = {}, std::string hint = {})
	    : std::runtime_error(message), outcome(o), detail(std::move(detail)), hint(std::move(hint))
	{
	}
	Outcome outcome;
	std::string detail;
	std::string hint;
};

class Streamer
{
public:
	explicit Streamer(const StreamOptions &o)
	    : o_(o), spec_(o.conn), tracker_(0, o.endpos, AuxConnection::kHeartbeatPrefix),
	      aux_(o.conn, o.heartbeat, o.progress), progress_(o.progress)
	{
		if (o.file == "-")
			sink_ = MakeStdoutSink(o.checkpoint);
		else
			sink_ = MakeFileSink(o.file, o.checkpoint.empty() ? o.file + ".checkpoint" : o.checkpoint);
		options_ = o.plugin_options;
		bool batch_given = false;
		for (const PluginOption &p : options_)
			batch_given = batch_given || p.name == "batch-bytes";
		if (!batch_given)
			options_.push_back({"batch-bytes", kDefaultBatchBytes, true});
	}

	int Run();

private:
	Outcome Session();
	void Identify(Connection &conn);
	void CheckSlot(Connection &conn);
	void StartReplication(Connection &conn);
	Outcome CopyLoop(Connection &conn);
	bool Handle(Connection &conn, const char *buf, int len);
	bool Apply(Connection &conn, const Decision &d, std::string_view record);
	void MakeDurable(Connection &conn);
	void SendStatus(Connection &conn);
	void Wait(Connection &conn, Clock::time_point now);
	void Finish(Connection &conn);
	ProgressFigures Figures() const;
	std::string SlotQuery(Connection &conn) const;
	bool SleepInterruptibly(double seconds);

	const StreamOptions &o_;
	ConnSpec spec_;
	std::unique_ptr<RecordSink> sink_;
	std::vector<PluginOption> options_;
	StreamTracker tracker_;
	AuxConnection aux_;
	Progress progress_;

	bool opened_ = false;   /* the sink is open (after the first IDENTIFY_SYSTEM) */
	bool streamed_ = false; /* a START_REPLICATION has succeeded */
	std::string system_;
	uint64_t received_ = 0;
	uint64_t sent_flush_ = 0;
	uint64_t records_ = 0;
	uint64_t bytes_ = 0;
	Clock::time_point next_status_{};
	Clock::time_point next_fsync_{};
	Clock::time_point next_aux_{};
	Clock::time_point next_progress_{};
};

int Streamer::Run()
{
	InstallSignalHandlers();
	Backoff backoff;
	int code = kExitOk;
	for (;;) {
		Outcome outcome;
		std::string message, detail, hint;
		Clock::time_point started = Clock::now();
		try {
			outcome = Session();
		} catch (const StreamFailure &f) {
			outcome = f.outcome;
			message = f.what();
			detail = f.detail;
			hint = f.hint;
		} catch (const SinkError &e) {
			outcome = Outcome::Fatal;
			message = e.what();
			hint = e.hint;
		}
		if (outcome == Outcome::Done)
			break;
		if (outcome == Outcome::Retry && o_.loop && !g_stop) {
			uint64_t resume = sink_->Rewind();
			tracker_.Restart(resume);
			if (Clock::now() - started > std::chrono::seconds(30))
				backoff.Reset();
			double wait = backoff.Next();
			Log(LogLevel::Warning, message);
			LogDetail(detail);
			char when[64];
			std::snprintf(when, sizeof(when), "%g", wait);
			Log(LogLevel::Notice,
			    std::string("reconnecting in ") + when + " s, resuming after " + LsnToString(resume));
			if (SleepInterruptibly(wait))
				continue;
			break; /* a signal asked to stop while waiting */
		}
		if (outcome == Outcome::Retry && g_stop)
			break;
		Log(LogLevel::Error, message);
		LogDetail(detail);
		LogHint(hint);
		code = outcome == Outcome::SlotGone ? kExitSlotGone
		       : outcome == Outcome::Usage  ? kExitUsage
		                                    : kExitError;
		break;
	}
	try {
		if (opened_)
			sink_->Close();
	} catch (const SinkError &e) {
		Log(LogLevel::Error, e.what());
		return kExitError;
	}
	if (opened_)
		Log(LogLevel::Verbose, "stopped after " + LsnToString(tracker_.Position()) + ": " +
		                           std::to_string(tracker_.Transactions()) + " transactions, " +
		                           std::to_string(records_) + " records written");
	return code;
}

bool Streamer::SleepInterruptibly(double seconds)
{
	Clock::time_point until = Clock::now() + Seconds(seconds);
	while (!g_stop) {
		Clock::time_point now = Clock::now();
		if (now >= until)
			return true;
		auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(until - now).count();
		poll(nullptr, 0, int(std::min<long long>(ms + 1, 1000)));
	}
	return false;
}

Outcome Streamer::Session()
{
	Connection conn;
	try {
		conn = Connection::Open(spec_, Connection::Kind::Replication, nullptr);
	} catch (const PgError &e) {
		throw StreamFailure(ClassifyConnectError(e.what(), streamed_), e.what());
	}
	Log(LogLevel::Verbose, "connected: " + conn.Describe());
	try {
		Identify(conn);
		if (o_.endpos != 0 && tracker_.Position() >= o_.endpos) {
			Log(LogLevel::Verbose,
			    "the output already holds everything up to --endpos " + LsnToString(o_.endpos));
			return Outcome::Done;
		}
		StartReplication(conn);
	} catch (const PgError &e) {
		throw StreamFailure(ClassifyServerError(e.sqlstate, streamed_), e.what(), e.detail, e.hint);
	}
	return CopyLoop(conn);
}

void Streamer::Identify(Connection &conn)
{
	Result id = conn.Exec("IDENTIFY_SYSTEM");
	if (PQntuples(id.get()) != 1 || PQnfields(id.get()) < 4)
		throw StreamFailure(Outcome::Fatal, "IDENTIFY_SYSTEM returned an unexpected result");
	std::string system = PQgetvalue(id.get(), 0, 0);
	uint64_t server_lsn = 0;
	ParseLsn(PQgetvalue(id.get(), 0, 2), &server_lsn);
	std::string database = PQgetisnull(id.get(), 0, 3) ? "" : PQgetvalue(id.get(), 0, 3);
	if (!opened_) {
		uint64_t resume = sink_->Open({o_.slot, system, database});
		opened_ = true;
		system_ = system;
		if (resume != 0 && o_.startpos != 0)
			throw StreamFailure(Outcome::Usage,
			                    "--startpos conflicts with the checkpoint, which resumes after " +
			                        LsnToString(resume),
			                    {}, "--startpos is for a new output; leave it out to resume.");
		tracker_.Restart(std::max(resume, o_.startpos));
		if (resume > server_lsn)
			throw StreamFailure(
			    Outcome::Fatal,
			    "the checkpoint's position " + LsnToString(resume) + " is ahead of the server's WAL (" +
			        LsnToString(server_lsn) + ")",
			    "The server was restored from a backup, or this is another server with the same "
			    "system identifier; its new transactions could be taken for ones the output holds.");
	} else if (system != system_) {
		throw StreamFailure(Outcome::Fatal, "reconnected to another server: system identifier " + system +
		                                        ", the stream's is " + system_);
	}
	CheckSlot(conn);
}

std::string Streamer::SlotQuery(Connection &conn) const
{
	/* to_jsonb(s): the invalidation columns differ between releases (conflicting 16, invalidation_reason 17).
	 */
	return "SELECT s.plugin, s.database, s.wal_status, s.confirmed_flush_lsn, "
	       "coalesce(to_jsonb(s) ->> 'invalidation_reason', "
	       "CASE WHEN to_jsonb(s) ->> 'conflicting' = 'true' THEN 'conflict with recovery' END) "
	       "FROM pg_catalog.pg_replication_slots s WHERE s.slot_name = " +
	       conn.Literal(o_.slot);
}

void Streamer::CheckSlot(Connection &conn)
{
	Result r = conn.Exec(SlotQuery(conn));
	if (PQntuples(r.get()) == 0) {
		if (!o_.create_slot)
			throw StreamFailure(Outcome::SlotGone, "replication slot \"" + o_.slot + "\" does not exist", {},
			                    "Create it with \"pgcdc slot create " + o_.slot +
			                        "\", or pass --create-slot.");
		conn.Exec("CREATE_REPLICATION_SLOT " + QuoteReplicationIdent(o_.slot) +
		          " LOGICAL pgcdc NOEXPORT_SNAPSHOT");
		Log(LogLevel::Notice, "created replication slot \"" + o_.slot + "\"");
		r = conn.Exec(SlotQuery(conn));
		if (PQntuples(r.get()) == 0)
			throw StreamFailure(Outcome::Fatal,
			                    "replication slot \"" + o_.slot + "\" vanished after its creation");
	}
	std::string plugin = PQgetvalue(r.get(), 0, 0);
	std::string database = PQgetvalue(r.get(), 0, 1);
	std::string wal_status = PQgetvalue(r.get(), 0, 2);
	std::string invalidation = PQgetisnull(r.get(), 0, 4) ? "" : PQgetvalue(r.get(), 0, 4);
	if (wal_status == "lost" || !invalidation.empty())
		throw StreamFailure(
		    Outcome::SlotGone,
		    "replication slot \"" + o_.slot + "\" was invalidated" +
		        (invalidation.empty() ? "" : " (" + invalidation + ")") + " and can never be read again",
		    "Its WAL was removed before it was consumed.",
		    "Drop it and create a new slot; the changes it had not delivered are lost, so take a "
		    "new snapshot of the tables.");
	if (plugin != "pgcdc")
		throw StreamFailure(Outcome::Fatal, "replication slot \"" + o_.slot + "\" uses output plugin \"" +
		                                        plugin + "\"; pgcdc stream reads slots of the pgcdc plugin");
	if (database != PQdb(conn.get()))
		throw StreamFailure(Outcome::Fatal,
		                    "replication slot \"" + o_.slot + "\" belongs to database \"" + database +
		                        "\", and this connection is to \"" + PQdb(conn.get()) + "\"",
		                    {}, "Connect to its database: -d " + database);
	uint64_t confirmed = 0;
	if (!PQgetisnull(r.get(), 0, 3) && ParseLsn(PQgetvalue(r.get(), 0, 3), &confirmed) &&
	    sink_->Durable() != 0 && confirmed > sink_->Durable())
		throw StreamFailure(
		    Outcome::Fatal,
		    "replication slot \"" + o_.slot + "\" is at " + LsnToString(confirmed) +
		        ", past the checkpoint's " + LsnToString(sink_->Durable()),
		    "The changes in between were consumed or skipped by someone else (another consumer, "
		    "pg_replication_slot_advance, or a slot dropped and created again), so the output "
		    "does not hold them.",
		    "Move the output file and its checkpoint away to start a new output from the slot's "
		    "position, and take a new snapshot of the tables.");
}

void Streamer::StartReplication(Connection &conn)
{
	std::string cmd = BuildStartReplication(o_.slot, tracker_.Position(), options_);
	Log(LogLevel::Verbose, "streaming slot \"" + o_.slot + "\" after " + LsnToString(tracker_.Position()) +
	                           " into " +
	                           (o_.file == "-" ? std::string("standard output") : "\"" + o_.file + "\""));
	Log(LogLevel::Debug, cmd);
	Result res(PQexec(conn.get(), cmd.c_str()));
	if (!res || PQresultStatus(res.get()) != PGRES_COPY_BOTH) {
		PgError e = PgError::From(conn.get(), res.get(), "");
		if (e.sqlstate == "55000") {
			/* "cannot read from logical replication slot": invalidated since we looked? */
			CheckSlot(conn);
		}
		throw e;
	}
	streamed_ = true;
}

Outcome Streamer::CopyLoop(Connection &conn)
{
	Clock::time_point now = Clock::now();
	received_ = std::max(received_, tracker_.Position());
	sent_flush_ = 0;
	/* Confirm at once what a previous run made durable. */
	SendStatus(conn);
	next_fsync_ = now + Seconds(o_.fsync_interval);
	for (;;) {
		if (g_stop) {
			Finish(conn);
			return Outcome::Done;
		}
		if (g_reopen && !tracker_.InTransaction()) {
			g_reopen = 0;
			sink_->Reopen();
		}
		now = Clock::now();
		if (o_.fsync_interval > 0 && now >= next_fsync_) {
			MakeDurable(conn);
			next_fsync_ = now + Seconds(o_.fsync_interval);
		}
		if (o_.status_interval > 0 && now >= next_status_)
			SendStatus(conn);
		if (now >= next_aux_)
			next_aux_ = aux_.Tick(now);
		if (now >= next_progress_)
			next_progress_ = progress_.Tick(now, Figures());

		char *buf = nullptr;
		int n = PQgetCopyData(conn.get(), &buf, 1);
		if (n > 0) {
			bool stop;
			try {
				stop = Handle(conn, buf, n);
			} catch (...) {
				PQfreemem(buf);
				throw;
			}
			PQfreemem(buf);
			if (stop) {
				Finish(conn);
				return Outcome::Done;
			}
		} else if (n == 0) {
			sink_->Flush();
			Wait(conn, now);
		} else if (n == -1) {
			Result res(PQgetResult(conn.get()));
			if (res && PQresultStatus(res.get()) == PGRES_FATAL_ERROR) {
				PgError e = PgError::From(conn.get(), res.get(), "the server ended the stream: ");
				throw StreamFailure(Outcome::Retry, e.what(), e.detail, e.hint);
			}
			throw StreamFailure(Outcome::Retry, "the server ended the stream");
		} else {
			throw StreamFailure(Outcome::Retry,
			                    std::string("connection lost: ") + PQerrorMessage(conn.get()));
		}
	}
}

bool Streamer::Handle(Connection &conn, const char *buf, int len)
{
	CopyMessage msg;
	std::string error;
	if (!ParseCopyMessage(buf, size_t(len), &msg, &error))
		throw StreamFailure(Outcome::Fatal, "replication protocol error: " + error);
	if (msg.kind == CopyMessageKind::Keepalive) {
		received_ = std::max(received_, msg.keepalive.wal_end);
		Decision d = tracker_.OnKeepalive(msg.keepalive.wal_end);
		bool stop = Apply(conn, d, {});
		if (msg.keepalive.reply_requested)
			SendStatus(conn);
		return stop;
	}
	received_ = std::max(received_, msg.xlog.data_start);
	/* One record per message, or several separated by newlines (batch-bytes). */
	std::string_view data(msg.xlog.data, msg.xlog.len);
	for (;;) {
		size_t nl = data.find('\n');
		std::string_view record = data.substr(0, nl);
		Decision d;
		if (!tracker_.OnRecord(record, msg.xlog.data_start, &d, &error))
			throw StreamFailure(Outcome::Fatal, "the stream broke pgcdc's record framing: " + error);
		if (Apply(conn, d, record))
			return true;
		if (nl == std::string_view::npos)
			return false;
		data.remove_prefix(nl + 1);
	}
}

/* Acts on a decision; true when the stream is to stop. */
bool Streamer::Apply(Connection &conn, const Decision &d, std::string_view record)
{
	if (d.verdict == Verdict::Write) {
		sink_->Write(record);
		records_++;
		bytes_ += record.size() + 1;
	}
	if (d.boundary != 0) {
		sink_->Boundary(d.boundary);
		if (o_.fsync_interval == 0)
			MakeDurable(conn);
	}
	/* A keepalive past --endpos is a boundary and a stop; a record past it is only a stop. */
	return d.verdict == Verdict::Stop || d.stop_after;
}

void Streamer::MakeDurable(Connection &conn)
{
	if (sink_->MakeDurable() > sent_flush_)
		SendStatus(conn);
}

void Streamer::SendStatus(Connection &conn)
{
	uint64_t flush = sink_->Durable();
	char msg[kStatusUpdateSize];
	BuildStatusUpdate(msg, std::max(received_, flush), flush, flush, PgNowMicros(), false);
	if (PQputCopyData(conn.get(), msg, int(sizeof(msg))) <= 0 || PQflush(conn.get()) != 0)
		throw StreamFailure(Outcome::Retry,
		                    std::string("could not send feedback: ") + PQerrorMessage(conn.get()));
	sent_flush_ = flush;
	next_status_ = Clock::now() + Seconds(o_.status_interval);
	Log(LogLevel::Debug,
	    "feedback: write " + LsnToString(std::max(received_, flush)) + ", flush " + LsnToString(flush));
}

void Streamer::Wait(Connection &conn, Clock::time_point now)
{
	Clock::time_point until = std::min({next_aux_, next_progress_, now + std::chrono::seconds(1)});
	if (o_.status_interval > 0)
		until = std::min(until, next_status_);
	if (o_.fsync_interval > 0)
		until = std::min(until, next_fsync_);
	auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(until - now).count();
	pollfd fds[2];
	fds[0] = {PQsocket(conn.get()), POLLIN, 0};
	fds[1] = {aux_.Socket(), POLLIN, 0};
	int nfds = fds[1].fd >= 0 ? 2 : 1;
	int r = poll(fds, nfds_t(nfds), int(std::max<long long>(ms, 0) + 1));
	if (r < 0 && errno != EINTR)
		throw StreamFailure(Outcome::Fatal, std::string("poll failed: ") + std::strerror(errno));
	if (r <= 0)
		return;
	if (nfds == 2 && (fds[1].revents & (POLLIN | POLLERR | POLLHUP)))
		aux_.OnReadable();
	if ((fds[0].revents & (POLLIN | POLLERR | POLLHUP)) && !PQconsumeInput(conn.get()))
		throw StreamFailure(Outcome::Retry, std::string("connection lost: ") + PQerrorMessage(conn.get()));
}

/* A clean stop: everything durable, confirmed, then CopyDone and the server's reply. */
void Streamer::Finish(Connection &conn)
{
	sink_->MakeDurable();
	try {
		SendStatus(conn);
	} catch (const StreamFailure &f) {
		Log(LogLevel::Verbose, std::string("final feedback not sent: ") + f.what());
		return;
	}
	if (PQputCopyEnd(conn.get(), nullptr) <= 0 || PQflush(conn.get()) != 0)
		return;
	/* Drain what the server still sends (it is not written) until it ends the COPY. */
	Clock::time_point until = Clock::now() + std::chrono::seconds(10);
	for (;;) {
		char *buf = nullptr;
		int n = PQgetCopyData(conn.get(), &buf, 1);
		if (n > 0) {
			PQfreemem(buf);
			continue;
		}
		if (n < 0)
			break;
		Clock::time_point now = Clock::now();
		if (now >= until)
			return;
		pollfd fd = {PQsocket(conn.get()), POLLIN, 0};
		poll(&fd, 1, int(std::chrono::duration_cast<std::chrono::milliseconds>(until - now).count()) + 1);
		if (!PQconsumeInput(conn.get()))
			return;
	}
	while (PGresult *res = PQgetResult(conn.get()))
		PQclear(res);
}

ProgressFigures Streamer::Figures() const
{
	ProgressFigures f;
	f.records = records_;
	f.bytes = bytes_;
	f.transactions = tracker_.Transactions();
	f.received = received_;
	f.confirmed = sent_flush_;
	f.server = aux_.ServerPosition();
	return f;
}

} // namespace

int RunStream(const StreamOptions &opts)
{
	Streamer streamer(opts);
	return streamer.Run();
}

} // namespace pgcdc
