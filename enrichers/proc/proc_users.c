/* SPDX-License-Identifier: BSD-2-Clause */
#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "enrichers/proc/proc_users.h"

/* getpwuid_r needs scratch space for the whole passwd entry; grow on
 * ERANGE up to a bound a sane entry never reaches. */
#define PW_BUF_START 1024
#define PW_BUF_MAX   (1024 * 1024)

void proc_users_init(struct proc_users *u)
{
	memset(u, 0, sizeof(*u));
}

void proc_users_clear(struct proc_users *u)
{
	if (!u)
		return;
	for (int i = 0; i < PROC_USERS_SLOTS; i++)
		free(u->slot[i].name);
	memset(u, 0, sizeof(*u));
}

/* The name from the passwd database, malloc'ed, or NULL. */
static char *lookup_name(uint32_t uid)
{
	struct passwd pw, *found = NULL;
	size_t size = PW_BUF_START;
	char *buf = NULL, *name = NULL;
	int r;

	for (;;) {
		char *nbuf = realloc(buf, size);

		if (!nbuf)
			goto out;
		buf = nbuf;
		r = getpwuid_r((uid_t)uid, &pw, buf, size, &found);
		if (r != ERANGE || size >= PW_BUF_MAX)
			break;
		size *= 2;
	}
	if (r == 0 && found && found->pw_name && found->pw_name[0])
		name = strdup(found->pw_name);
out:
	free(buf);
	return name;
}

const char *proc_users_name(struct proc_users *u, uint32_t uid)
{
	struct proc_user *s = NULL;

	for (int i = 0; i < PROC_USERS_SLOTS; i++) {
		if (!u->slot[i].used) {
			if (!s)
				s = &u->slot[i];
			continue;
		}
		if (u->slot[i].uid == uid)
			return u->slot[i].name;
	}
	if (!s) {
		s = &u->slot[u->hand];
		u->hand = (u->hand + 1) % PROC_USERS_SLOTS;
		free(s->name);
	}
	s->used = 1;
	s->uid = uid;
	/* a failed lookup (no such user, out of memory) is remembered too */
	s->name = lookup_name(uid);
	return s->name;
}
