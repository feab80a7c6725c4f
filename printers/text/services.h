/* SPDX-License-Identifier: BSD-2-Clause */
/* Port names from the services database, read once (services.c). */
#ifndef PTD_TEXT_SERVICES_H
#define PTD_TEXT_SERVICES_H

#include <stdint.h>

struct nd_services;

/* Reads the whole database (getservent); 0 or -errno. */
int nd_services_load(struct nd_services **out);
/* The name getservbyport(port, udp ? "udp" : "tcp") gives, or NULL. */
const char *nd_services_find(const struct nd_services *s, uint16_t port,
			     int udp);
void nd_services_free(struct nd_services *s);

#endif
