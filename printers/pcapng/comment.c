/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Who sent a packet, as the text of a pcapng opt_comment.  The layout is
 * documented with wr_meta_comment() in writer.h; it is what Wireshark shows
 * under "Packet comments" and what a reader parses back line by line.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "writer.h"

struct comment_buf {
	char *p;
	size_t size, len;
};

/* Appends raw text, keeping one byte for the terminator. */
static void cb_raw(struct comment_buf *cb, const char *s, size_t n)
{
	size_t room = cb->size - cb->len - 1;

	if (n > room)
		n = room;
	memcpy(cb->p + cb->len, s, n);
	cb->len += n;
	cb->p[cb->len] = '\0';
}

/*
 * "Key: value" on a line of its own.  A value may not break the line
 * structure, so newlines become spaces; what does not fit ends in "...".
 */
static void cb_field(struct comment_buf *cb, const char *key, const char *val)
{
	static const char more[] = "...";
	size_t room, i, n;

	if (cb->size - cb->len < strlen(key) + 2 + sizeof(more) + 1)
		return; /* not even the key fits: drop the line */
	if (cb->len)
		cb_raw(cb, "\n", 1);
	cb_raw(cb, key, strlen(key));
	cb_raw(cb, ": ", 2);

	n = strlen(val);
	room = cb->size - cb->len - 1;
	if (n > room)
		n = room >= sizeof(more) - 1 ? room - (sizeof(more) - 1) : 0;
	for (i = 0; i < n; i++)
		cb->p[cb->len + i] = (val[i] == '\n' || val[i] == '\r') ? ' ' : val[i];
	cb->len += n;
	cb->p[cb->len] = '\0';
	if (n < strlen(val))
		cb_raw(cb, more, sizeof(more) - 1);
}

static void cb_num(struct comment_buf *cb, const char *key, uint32_t v)
{
	char num[16];

	snprintf(num, sizeof(num), "%" PRIu32, v);
	cb_field(cb, key, num);
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

size_t wr_meta_comment(char *buf, size_t size, const struct ptd_meta *meta,
		       uint32_t context)
{
	const struct ptd_process_meta *p = &meta->process;
	const struct ptd_container_meta *c = &meta->container;
	const struct ptd_pod_meta *pod = &meta->pod;
	struct comment_buf cb = { .p = buf, .size = size };

	if (size == 0)
		return 0;
	buf[0] = '\0';

	if (p->pid && (context & PTD_CTX_PROCESS)) {
		cb_num(&cb, "PID", p->pid);
		cb_field(&cb, "Cmd", or_empty(p->cmd ? p->cmd : p->comm));
		cb_field(&cb, "Args", or_empty(p->args));
		if ((context & PTD_CTX_THREAD) && p->tid) {
			cb_num(&cb, "ThreadId", p->tid);
			cb_field(&cb, "ThreadName", or_empty(p->thread_name));
		}
		if ((context & PTD_CTX_USER) && p->have_uid) {
			cb_num(&cb, "UserId", p->uid);
			if (p->user_name)
				cb_field(&cb, "UserName", p->user_name);
		}
		if ((context & PTD_CTX_PARENTPROC) && p->ppid) {
			cb_num(&cb, "ParentPID", p->ppid);
			cb_field(&cb, "ParentCmd",
				 or_empty(p->parent_cmd ? p->parent_cmd : p->parent_comm));
			cb_field(&cb, "ParentArgs", or_empty(p->parent_args));
		}
	}
	if ((context & PTD_CTX_CONTAINER) && c->id && *c->id) {
		cb_field(&cb, "ContainerName", or_empty(c->name));
		cb_field(&cb, "ContainerId", c->id);
		cb_field(&cb, "ContainerImage", or_empty(c->image));
		cb_field(&cb, "ContainerLabels", or_empty(c->labels_json));
	}
	if ((context & PTD_CTX_POD) && pod->name && *pod->name) {
		cb_field(&cb, "PodName", pod->name);
		cb_field(&cb, "PodNamespace", or_empty(pod->namespace_));
		cb_field(&cb, "PodUID", or_empty(pod->uid));
		cb_field(&cb, "PodLabels", or_empty(pod->labels_json));
		cb_field(&cb, "PodAnnotations", or_empty(pod->annotations_json));
	}
	return cb.len;
}
