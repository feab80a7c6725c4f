// SPDX-License-Identifier: BSD-2-Clause
/*
 * Port names from the services database, read once.
 *
 * getservbyport() reads the database again at every call; a live capture
 * meets a new ephemeral port with every connection, and each would cost
 * a pass over /etc/services on the packet path.  The database is read in
 * one pass instead, the first entry for a port and protocol kept (the one
 * getservbyport would return), and looked up by binary search.
 */
#include "services.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

struct service {
	uint16_t port;
	uint8_t udp;
	unsigned seq; /* position in the database */
	char *name;
};

struct nd_services {
	struct service *v;
	size_t n;
};

static int service_cmp(const void *a, const void *b)
{
	const struct service *x = a, *y = b;

	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	return (int)x->udp - (int)y->udp;
}

/* The same, then database order: the first entry of a key sorts first. */
static int service_seq_cmp(const void *a, const void *b)
{
	const struct service *x = a, *y = b;
	int c = service_cmp(a, b);

	if (c)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int services_add(struct nd_services *s, size_t *cap, uint16_t port,
			int udp, const char *name)
{
	if (s->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 512;
		struct service *v = realloc(s->v, ncap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->v = v;
		*cap = ncap;
	}
	s->v[s->n].name = strdup(name);
	if (!s->v[s->n].name)
		return -ENOMEM;
	s->v[s->n].port = port;
	s->v[s->n].udp = (uint8_t)udp;
	s->v[s->n].seq = (unsigned)s->n;
	s->n++;
	return 0;
}

int nd_services_load(struct nd_services **out)
{
	struct nd_services *s;
	struct servent *se;
	size_t cap = 0, i, kept;
	int err = 0;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	setservent(1);
	while (!err && (se = getservent()) != NULL) {
		int udp;

		if (!se->s_name || !se->s_proto)
			continue;
		if (strcmp(se->s_proto, "tcp") == 0)
			udp = 0;
		else if (strcmp(se->s_proto, "udp") == 0)
			udp = 1;
		else
			continue;
		err = services_add(s, &cap, ntohs((uint16_t)se->s_port), udp,
				   se->s_name);
	}
	endservent();
	if (err) {
		nd_services_free(s);
		return err;
	}
	/* Keep the first entry of each port and protocol. */
	qsort(s->v, s->n, sizeof(*s->v), service_seq_cmp);
	for (i = kept = 0; i < s->n; i++) {
		if (kept && service_cmp(&s->v[kept - 1], &s->v[i]) == 0) {
			free(s->v[i].name);
			continue;
		}
		s->v[kept++] = s->v[i];
	}
	s->n = kept;
	*out = s;
	return 0;
}

const char *nd_services_find(const struct nd_services *s, uint16_t port,
			     int udp)
{
	struct service key = { .port = port, .udp = (uint8_t)!!udp };
	const struct service *hit;

	if (!s || s->n == 0)
		return NULL;
	hit = bsearch(&key, s->v, s->n, sizeof(*s->v), service_cmp);
	return hit ? hit->name : NULL;
}

void nd_services_free(struct nd_services *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++)
		free(s->v[i].name);
	free(s->v);
	free(s);
}
