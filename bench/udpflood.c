/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * udpflood: sends UDP datagrams as fast as one thread can, for the capture
 * benchmark (bench/capture).  Bounded by a count and by a time limit,
 * whichever comes first; prints what it sent and the rate.
 *
 *   udpflood [-a ADDR] [-p PORT] [-n COUNT] [-t SECONDS] [-s SIZE] [-k]
 *
 * -k also binds a socket to ADDR:PORT that never reads: the datagrams are
 * delivered (and dropped once its buffer is full) without ICMP port
 * unreachable replies, so the only traffic is the flood.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usage(void)
{
	fprintf(stderr, "usage: udpflood [-a ADDR] [-p PORT] [-n COUNT] [-t SECONDS] [-s SIZE] [-k]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *addr = "127.0.0.1";
	unsigned long count = 2000000, sent = 0, failed = 0;
	int port = 5555, size = 64, sink = 0, fd, sinkfd = -1, opt;
	double limit = 10.0, start, elapsed;
	struct sockaddr_in to;
	char buf[65536];

	while ((opt = getopt(argc, argv, "a:p:n:t:s:k")) != -1) {
		switch (opt) {
		case 'a': addr = optarg; break;
		case 'p': port = atoi(optarg); break;
		case 'n': count = strtoul(optarg, NULL, 10); break;
		case 't': limit = atof(optarg); break;
		case 's': size = atoi(optarg); break;
		case 'k': sink = 1; break;
		default: usage();
		}
	}
	if (size < 0 || size > (int)sizeof(buf) || port <= 0 || port > 65535)
		usage();
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_port = htons((unsigned short)port);
	if (inet_pton(AF_INET, addr, &to.sin_addr) != 1)
		usage();
	memset(buf, 0xa5, sizeof(buf));
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	if (sink) {
		sinkfd = socket(AF_INET, SOCK_DGRAM, 0);
		if (sinkfd < 0 || bind(sinkfd, (struct sockaddr *)&to, sizeof(to)) < 0) {
			perror("bind");
			return 1;
		}
	}
	start = now();
	elapsed = 0;
	while (sent < count) {
		if (sendto(fd, buf, (size_t)size, 0, (struct sockaddr *)&to,
			   sizeof(to)) < 0) {
			if (errno != ENOBUFS && errno != EAGAIN) {
				perror("sendto");
				return 1;
			}
			failed++;
		} else {
			sent++;
		}
		/* Reading the clock every 1024 sends costs nothing measurable. */
		if ((sent & 1023) == 0 && (elapsed = now() - start) >= limit)
			break;
	}
	elapsed = now() - start;
	printf("sent %lu datagrams of %d bytes in %.3f s: %.0f pps (%lu failed)\n",
	       sent, size, elapsed, (double)sent / elapsed, failed);
	close(fd);
	if (sinkfd >= 0)
		close(sinkfd);
	return 0;
}
