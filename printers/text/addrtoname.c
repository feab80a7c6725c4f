// SPDX-License-Identifier: BSD-2-Clause
/*
 * Addresses and ports to names, cached: a lookup may take a resolver round
 * trip, and a capture repeats the same few hosts and ports.  Without -n a
 * host is named by the system resolver (the reverse lookup must give a
 * name, else the number is shown), a port by the services database, a MAC
 * address by /etc/ethers or else its OUI's owner, as tcpdump does.
 *
 * Reading a file, a host lookup waits for its answer, as in tcpdump.  In a
 * live capture the printer hands an nd_resolver over (resolver.c): hosts
 * print as numbers until a worker has found their name, and the capture
 * never waits for the resolver.
 */
#include "netdissect.h"
#include "resolver.h"
#include "services.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/ether.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define NAME_BUCKETS 1024
/* A hostile capture must not grow the caches without end; past the bound
 * names are still resolved, just not remembered. */
#define NAME_MAX_ENTRIES 65536

enum name_kind {
	NAME_IPV4,
	NAME_IPV6,
	NAME_ETHER,
	NAME_TCP_PORT,
	NAME_UDP_PORT,
	NAME_IFINDEX,
	/* Numbers shown while the resolver has no name (yet): kept apart
	 * from the names, which replace them once known. */
	NAME_IPV4_NUMERIC,
	NAME_IPV6_NUMERIC,
};

struct name_entry {
	struct name_entry *next;
	uint64_t key[2];
	enum name_kind kind;
	char *name;
};

struct nd_names {
	struct name_entry *buckets[NAME_BUCKETS];
	unsigned count;
	struct nd_resolver *resolver; /* live capture; NULL: look up inline */
	struct nd_services *services; /* read at the first port name */
	int services_read;
	char scratch[1024]; /* for names that are not cached */
};

void nd_names_set_resolver(struct nd_names *names, struct nd_resolver *r)
{
	names->resolver = r;
}

int nd_names_new(struct nd_names **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

void nd_names_free(struct nd_names *names)
{
	unsigned i;

	if (!names)
		return;
	for (i = 0; i < NAME_BUCKETS; i++) {
		struct name_entry *e = names->buckets[i], *next;

		for (; e; e = next) {
			next = e->next;
			free(e->name);
			free(e);
		}
	}
	nd_services_free(names->services);
	free(names);
}

/* Every printed address and port is looked up here, so the key is hashed
 * and compared as two words rather than byte by byte. */
static void key_words(const uint8_t *key, uint64_t w[2])
{
	memcpy(w, key, 16);
}

static unsigned key_hash(enum name_kind kind, const uint64_t w[2])
{
	uint64_t h = (w[0] ^ (w[1] * 0x9e3779b97f4a7c15ull) ^ (uint64_t)kind) *
		     0xff51afd7ed558ccdull;

	return (unsigned)(h >> 40) % NAME_BUCKETS;
}

static const char *cache_get(struct nd_names *names, enum name_kind kind,
			     const uint8_t *key)
{
	struct name_entry *e;
	uint64_t w[2];

	key_words(key, w);
	for (e = names->buckets[key_hash(kind, w)]; e; e = e->next)
		if (e->key[0] == w[0] && e->key[1] == w[1] && e->kind == kind)
			return e->name;
	return NULL;
}

/* Remembers name under key; returns the string to use (never NULL). */
static const char *cache_put(struct nd_names *names, enum name_kind kind,
			     const uint8_t *key, const char *name)
{
	struct name_entry *e;
	unsigned b;

	if (names->count >= NAME_MAX_ENTRIES)
		goto uncached;
	e = calloc(1, sizeof(*e));
	if (!e)
		goto uncached;
	e->name = strdup(name);
	if (!e->name) {
		free(e);
		goto uncached;
	}
	e->kind = kind;
	key_words(key, e->key);
	b = key_hash(kind, e->key);
	e->next = names->buckets[b];
	names->buckets[b] = e;
	names->count++;
	return e->name;
uncached:
	snprintf(names->scratch, sizeof(names->scratch), "%s", name);
	return names->scratch;
}

/* A host in a live capture: its name if the resolver has it, else the
 * number (the resolver looks the name up meanwhile). */
static const char *host_string_async(struct nd_names *names,
				     const uint8_t *key, int v6)
{
	enum name_kind kind = v6 ? NAME_IPV6 : NAME_IPV4;
	enum name_kind numeric = v6 ? NAME_IPV6_NUMERIC : NAME_IPV4_NUMERIC;
	int family = v6 ? AF_INET6 : AF_INET;
	char host[INET6_ADDRSTRLEN];
	const char *name;

	if (nd_resolver_lookup(names->resolver, family, key, &name) ==
	    ND_RES_NAME)
		return cache_put(names, kind, key, name);
	name = cache_get(names, numeric, key);
	if (name)
		return name;
	inet_ntop(family, key, host, sizeof(host));
	return cache_put(names, numeric, key, host);
}

static const char *host_string(struct nd_ctx *nd, const uint8_t *p, int v6)
{
	enum name_kind kind = v6 ? NAME_IPV6 : NAME_IPV4;
	size_t alen = v6 ? 16 : 4;
	char host[NI_MAXHOST];
	uint8_t key[16] = { 0 };
	const char *name;

	nd_tcheck(nd, p, alen);
	memcpy(key, p, alen);
	name = cache_get(nd->names, kind, key);
	if (name)
		return name;
	if (!nd->nflag && nd->names->resolver)
		return host_string_async(nd->names, key, v6);
	if (!nd->nflag && nd_host_lookup(NULL, v6 ? AF_INET6 : AF_INET, key,
					 host, sizeof(host)) == 0)
		return cache_put(nd->names, kind, key, host);
	inet_ntop(v6 ? AF_INET6 : AF_INET, key, host, sizeof(host));
	return cache_put(nd->names, kind, key, host);
}

const char *nd_ipaddr_string(struct nd_ctx *nd, const uint8_t *p)
{
	return host_string(nd, p, 0);
}

const char *nd_ip6addr_string(struct nd_ctx *nd, const uint8_t *p)
{
	return host_string(nd, p, 1);
}

const char *nd_etheraddr_string(struct nd_ctx *nd, const uint8_t *p)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint8_t key[16] = { 0 };
	char buf[128];
	const char *name;
	int n;

	nd_tcheck(nd, p, 6);
	memcpy(key, p, 6);
	name = cache_get(nd->names, NAME_ETHER, key);
	if (name)
		return name;
	if (!nd->nflag) {
		struct ether_addr ea;
		char host[1024];

		if (memcmp(p, bcast, 6) == 0)
			return cache_put(nd->names, NAME_ETHER, key,
					 "Broadcast");
		memcpy(&ea, p, 6);
		if (ether_ntohost(host, &ea) == 0)
			return cache_put(nd->names, NAME_ETHER, key, host);
	}
	n = snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x",
		     p[0], p[1], p[2], p[3], p[4], p[5]);
	if (!nd->nflag) {
		const char *org = nd_oui_name((uint32_t)p[0] << 16 |
					      (uint32_t)p[1] << 8 | p[2]);

		snprintf(buf + n, sizeof(buf) - (size_t)n, " (oui %s)",
			 org ? org : "Unknown");
	}
	return cache_put(nd->names, NAME_ETHER, key, buf);
}

const char *nd_linkaddr_string(struct nd_ctx *nd, const uint8_t *p,
			       unsigned len)
{
	char *buf = nd->names->scratch;
	size_t pos = 0;
	unsigned i;

	if (len == 6)
		return nd_etheraddr_string(nd, p);
	nd_tcheck(nd, p, len);
	buf[0] = '\0';
	for (i = 0; i < len && pos + 4 < sizeof(nd->names->scratch); i++)
		pos += (size_t)snprintf(buf + pos,
					sizeof(nd->names->scratch) - pos,
					i ? ":%02x" : "%02x", p[i]);
	return buf;
}

static const char *service_name(struct nd_names *names, uint16_t port,
				int udp)
{
	if (!names->services_read) {
		names->services_read = 1;
		/* Unreadable (out of memory): ports print as numbers. */
		if (nd_services_load(&names->services) != 0)
			names->services = NULL;
	}
	return nd_services_find(names->services, port, udp);
}

static const char *port_string(struct nd_ctx *nd, uint16_t port, int udp)
{
	enum name_kind kind = udp ? NAME_UDP_PORT : NAME_TCP_PORT;
	uint8_t key[16] = { 0 };
	const char *name;
	char buf[32];

	key[0] = (uint8_t)(port >> 8);
	key[1] = (uint8_t)port;
	name = cache_get(nd->names, kind, key);
	if (name)
		return name;
	if (!nd->nflag) {
		const char *service = service_name(nd->names, port, udp);

		if (service)
			return cache_put(nd->names, kind, key, service);
	}
	snprintf(buf, sizeof(buf), "%u", port);
	return cache_put(nd->names, kind, key, buf);
}

const char *nd_tcpport_string(struct nd_ctx *nd, uint16_t port)
{
	return port_string(nd, port, 0);
}

const char *nd_udpport_string(struct nd_ctx *nd, uint16_t port)
{
	return port_string(nd, port, 1);
}

const char *nd_ifindex_name(struct nd_ctx *nd, uint32_t ifindex)
{
	uint8_t key[16] = { 0 };
	char name[IF_NAMESIZE];
	const char *cached;

	memcpy(key, &ifindex, sizeof(ifindex));
	cached = cache_get(nd->names, NAME_IFINDEX, key);
	if (cached)
		return cached[0] ? cached : NULL;
	if (!if_indextoname(ifindex, name))
		name[0] = '\0';
	cached = cache_put(nd->names, NAME_IFINDEX, key, name);
	return cached[0] ? cached : NULL;
}
