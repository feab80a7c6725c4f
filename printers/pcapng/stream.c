/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A buffered output stream for savefiles.  It counts what it was given so
 * -C can compare sizes the way tcpdump does (ftell of a buffered stream,
 * i.e. including bytes not yet flushed), and it keeps the first error:
 * stdio reports ENOSPC/EIO only when a buffer is flushed, possibly long
 * after the write that filled it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "writer.h"

/* Large enough to batch many small packets per write(2). */
#define WR_STREAM_BUFSIZE (64 * 1024)

static int wr_stream_fail(struct wr_stream *s, int err)
{
	if (!s->err)
		s->err = err ? err : EIO;
	return -s->err;
}

int wr_stream_open(struct wr_stream *s, const char *path)
{
	int fd = -1;
	int err;

	memset(s, 0, sizeof(*s));
	s->path = strdup(path);
	s->buf = malloc(WR_STREAM_BUFSIZE);
	if (!s->path || !s->buf) {
		err = -ENOMEM;
		goto out;
	}

	if (strcmp(path, "-") == 0) {
		/* A duplicate, so closing the savefile never closes fd 1
		 * under the feet of the rest of the program. */
		fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	} else {
		/* Like tcpdump's fopen(name, "w"): 0666 minus the umask.
		 * Close-on-exec keeps -z children from holding it open. */
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	}
	if (fd < 0) {
		err = -errno;
		goto out;
	}
	s->fp = fdopen(fd, "wb");
	if (!s->fp) {
		err = -errno;
		goto out;
	}
	fd = -1;
	setvbuf(s->fp, s->buf, _IOFBF, WR_STREAM_BUFSIZE);
	return 0;

out:
	if (fd >= 0)
		close(fd);
	free(s->path);
	free(s->buf);
	memset(s, 0, sizeof(*s));
	return err;
}

int wr_stream_write(struct wr_stream *s, const void *data, size_t len)
{
	if (s->err)
		return -s->err;
	if (!s->fp)
		return wr_stream_fail(s, EBADF);
	if (len == 0)
		return 0;
	errno = 0;
	if (fwrite(data, 1, len, s->fp) != len)
		return wr_stream_fail(s, errno);
	s->size += len;
	return 0;
}

int wr_stream_flush(struct wr_stream *s)
{
	if (s->err)
		return -s->err;
	if (!s->fp)
		return 0;
	errno = 0;
	if (fflush(s->fp) != 0)
		return wr_stream_fail(s, errno);
	return 0;
}

int wr_stream_close(struct wr_stream *s)
{
	int ret = 0;

	if (s->fp) {
		errno = 0;
		if (fflush(s->fp) != 0)
			wr_stream_fail(s, errno);
		errno = 0;
		if (fclose(s->fp) != 0)
			wr_stream_fail(s, errno);
		s->fp = NULL;
	}
	if (s->err)
		ret = -s->err;
	free(s->buf);
	free(s->path);
	memset(s, 0, sizeof(*s));
	return ret;
}
