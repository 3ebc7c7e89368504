/*
 * tcp_proxy.cpp: a small TCP proxy that a test can break and restore, to cut a client's
 * connection to the server the way a network fault does.
 *
 *   tcp_proxy LISTEN_PORT TARGET_PORT      (127.0.0.1 on both sides; prints its pid when ready)
 *
 * SIGUSR1 breaks: every open connection is reset (SO_LINGER 0) and new ones are refused by
 * closing them at once. SIGUSR2 restores normal forwarding. SIGTERM exits.
 */
#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace
{

volatile sig_atomic_t g_broken = 0;
volatile sig_atomic_t g_changed = 0;
volatile sig_atomic_t g_exit = 0;

void OnBreak(int)
{
	g_broken = 1;
	g_changed = 1;
}
void OnRestore(int)
{
	g_broken = 0;
	g_changed = 1;
}
void OnTerm(int)
{
	g_exit = 1;
}

struct Pair {
	int a, b;
};

void Reset(int fd)
{
	linger l = {1, 0};
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	close(fd);
}

int Connect(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	sockaddr_in addr{};
	addr.sin_family = AF_INET;
	addr.sin_port = htons(uint16_t(port));
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Copies what is readable on from to to; false when either side is done. */
bool Pump(int from, int to)
{
	char buf[65536];
	ssize_t n = read(from, buf, sizeof(buf));
	if (n <= 0)
		return false;
	for (ssize_t done = 0; done < n;) {
		ssize_t w = write(to, buf + done, size_t(n - done));
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		done += w;
	}
	return true;
}

} // namespace

int main(int argc, char **argv)
{
	if (argc != 3) {
		std::fprintf(stderr, "usage: tcp_proxy LISTEN_PORT TARGET_PORT\n");
		return 2;
	}
	int listen_port = std::atoi(argv[1]), target_port = std::atoi(argv[2]);
	struct sigaction sa;
	std::memset(&sa, 0, sizeof(sa));
	sa.sa_handler = OnBreak;
	sigaction(SIGUSR1, &sa, nullptr);
	sa.sa_handler = OnRestore;
	sigaction(SIGUSR2, &sa, nullptr);
	sa.sa_handler = OnTerm;
	sigaction(SIGTERM, &sa, nullptr);
	sigaction(SIGINT, &sa, nullptr);
	signal(SIGPIPE, SIG_IGN);

	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sockaddr_in addr{};
	addr.sin_family = AF_INET;
	addr.sin_port = htons(uint16_t(listen_port));
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)) != 0 || listen(lfd, 16) != 0) {
		std::fprintf(stderr, "tcp_proxy: cannot listen on %d: %s\n", listen_port, std::strerror(errno));
		return 1;
	}
	std::printf("%d\n", int(getpid()));
	std::fflush(stdout);

	std::vector<Pair> pairs;
	while (!g_exit) {
		if (g_changed) {
			g_changed = 0;
			if (g_broken) {
				for (Pair &p : pairs) {
					Reset(p.a);
					Reset(p.b);
				}
				pairs.clear();
			}
		}
		std::vector<pollfd> fds;
		fds.push_back({lfd, POLLIN, 0});
		for (Pair &p : pairs) {
			fds.push_back({p.a, POLLIN, 0});
			fds.push_back({p.b, POLLIN, 0});
		}
		int r = poll(fds.data(), fds.size(), 200);
		if (r <= 0)
			continue;
		if (fds[0].revents & POLLIN) {
			int c = accept(lfd, nullptr, nullptr);
			if (c >= 0) {
				int s = g_broken ? -1 : Connect(target_port);
				if (s < 0)
					Reset(c);
				else
					pairs.push_back({c, s});
			}
		}
		std::vector<Pair> keep;
		for (size_t i = 0; i < pairs.size(); i++) {
			short ra = fds[1 + 2 * i].revents, rb = fds[2 + 2 * i].revents;
			bool ok = true;
			if (ra & (POLLIN | POLLHUP | POLLERR))
				ok = Pump(pairs[i].a, pairs[i].b);
			if (ok && (rb & (POLLIN | POLLHUP | POLLERR)))
				ok = Pump(pairs[i].b, pairs[i].a);
			if (ok) {
				keep.push_back(pairs[i]);
			} else {
				close(pairs[i].a);
				close(pairs[i].b);
			}
		}
		pairs.swap(keep);
	}
	return 0;
}
