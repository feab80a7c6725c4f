/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * uid -> user name, remembered.  getpwuid_r() may go through NSS (files,
 * LDAP, systemd-userdb): ask once per uid, including for uids without a
 * name, and keep a bounded number of answers.
 */
#ifndef PTD_ENRICHER_PROC_USERS_H
#define PTD_ENRICHER_PROC_USERS_H

#include <stdint.h>

#define PROC_USERS_SLOTS 64

struct proc_user {
	uint32_t uid;
	int used;
	char *name;  /* NULL: the uid has no name */
};

struct proc_users {
	struct proc_user slot[PROC_USERS_SLOTS];
	unsigned hand;  /* next slot to reuse when all are taken */
};

/* Zeroed memory is an empty cache. */
void proc_users_init(struct proc_users *u);
/* Frees the names; accepts NULL. */
void proc_users_clear(struct proc_users *u);
/* The name of uid, or NULL.  Valid until the next call. */
const char *proc_users_name(struct proc_users *u, uint32_t uid);

#endif
