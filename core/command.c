/*
 * -- command [args]: ptcpdump starts the command itself, so that the
 * process filter holds its pid before its first instruction runs.
 *
 * The child is forked early and waits on a pipe, before execve(), while
 * the capture starts with its pid in the filter (following its forks);
 * then one byte lets it go.  A second pipe, closed on exec, tells the
 * parent that the execve() happened, or brings back its errno.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/command.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

/* What the child says when it cannot run the command. */
struct child_report {
	int stage;  /* 1: taking the user's identity, 2: execve() */
	int err;
};

static int is_executable(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) &&
	       access(path, X_OK) == 0;
}

int ptd_command_check(const char *name, char *err, size_t errlen)
{
	const char *path, *p;
	char full[PATH_MAX];

	if (!name[0]) {
		snprintf(err, errlen, "-- command: the command is empty");
		return -ENOENT;
	}
	if (strchr(name, '/')) {
		if (is_executable(name))
			return 0;
		if (access(name, F_OK) < 0) {
			snprintf(err, errlen, "%s: %s", name, strerror(ENOENT));
			return -ENOENT;
		}
		snprintf(err, errlen, "%s: %s", name, strerror(EACCES));
		return -EACCES;
	}
	/* execvp()'s default when PATH is unset */
	path = getenv("PATH");
	if (!path)
		path = "/bin:/usr/bin";
	for (p = path;; p++) {
		size_t len = strcspn(p, ":");

		/* an empty element is the current directory */
		if (snprintf(full, sizeof(full), "%.*s/%s", len ? (int)len : 1,
			     len ? p : ".", name) < (int)sizeof(full) &&
		    is_executable(full))
			return 0;
		p += len;
		if (!*p)
			break;
	}
	snprintf(err, errlen, "%s: command not found", name);
	return -ENOENT;
}

static int parse_id(const char *s, unsigned long *out)
{
	char *end;

	if (!s || !*s)
		return -1;
	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno || *end || *out >= UINT32_MAX)
		return -1;
	return 0;
}

/*
 * Under sudo (real root, SUDO_UID of another user) the command runs as
 * the user who typed it, as that user's login would: SUDO_UID, SUDO_GID,
 * the user's own groups (root's are dropped).  0 or -errno.
 */
static int become_invoking_user(void)
{
	unsigned long uid, gid;
	struct passwd *pw;
	const char *name;
	gid_t *groups = NULL;
	int n = 64, rc = 0;

	if (getuid() != 0 || parse_id(getenv("SUDO_UID"), &uid) < 0 || uid == 0)
		return 0;
	if (parse_id(getenv("SUDO_GID"), &gid) < 0) {
		pw = getpwuid((uid_t)uid);
		if (!pw)
			return -EINVAL;
		gid = pw->pw_gid;
	}
	name = getenv("SUDO_USER");
	if (!name || !*name) {
		pw = getpwuid((uid_t)uid);
		name = pw ? pw->pw_name : NULL;
	}
	if (name) {
		for (;;) {
			gid_t *grown = realloc(groups, (size_t)n * sizeof(*groups));
			int want = n;

			if (!grown) {
				free(groups);
				return -ENOMEM;
			}
			groups = grown;
			if (getgrouplist(name, (gid_t)gid, groups, &want) >= 0) {
				n = want;
				break;
			}
			if (want <= n || want > 65536) {
				n = 0;
				break;
			}
			n = want;
		}
	} else {
		n = 0;
	}
	if (n > 0)
		rc = setgroups((size_t)n, groups);
	else
		rc = setgroups(1, (gid_t[]){ (gid_t)gid });
	free(groups);
	if (rc < 0 || setgid((gid_t)gid) < 0 || setuid((uid_t)uid) < 0)
		return -errno;
	return 0;
}

static void child_report(int fd, int stage, int err)
{
	struct child_report r = { .stage = stage, .err = err };
	ssize_t n;

	do
		n = write(fd, &r, sizeof(r));
	while (n < 0 && errno == EINTR);
}

static void child_main(int go_fd, int report_fd, char *const argv[])
{
	char go = 0;
	ssize_t n;
	int rc;

	/* A background job inherits SIGINT ignored; ptcpdump takes SIGINT
	 * anyway (and hands the first one on), so the command must too. */
	signal(SIGINT, SIG_DFL);
	rc = become_invoking_user();
	if (rc < 0) {
		child_report(report_fd, 1, -rc);
		_exit(126);
	}
	do
		n = read(go_fd, &go, 1);
	while (n < 0 && errno == EINTR);
	/* EOF: ptcpdump gave up (or died) before the capture was ready. */
	if (n != 1 || go != 'g')
		_exit(127);
	close(go_fd);
	execvp(argv[0], argv);
	rc = errno;
	child_report(report_fd, 2, rc);
	_exit(rc == ENOENT ? 127 : 126);
}

int ptd_command_spawn(struct ptd_command *cmd, char *const argv[], char *err,
		      size_t errlen)
{
	int go[2] = { -1, -1 }, report[2] = { -1, -1 };
	pid_t pid;

	memset(cmd, 0, sizeof(*cmd));
	cmd->go_fd = cmd->report_fd = cmd->pidfd = -1;
	if (pipe2(go, O_CLOEXEC) < 0 || pipe2(report, O_CLOEXEC) < 0)
		goto fail;
	/* What stdio holds must not be written twice. */
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		goto fail;
	if (pid == 0) {
		close(go[1]);
		close(report[0]);
		child_main(go[0], report[1], argv);
	}
	close(go[0]);
	close(report[1]);
	cmd->pid = pid;
	cmd->go_fd = go[1];
	cmd->report_fd = report[0];
	return 0;
fail:
	snprintf(err, errlen, "cannot start %s: %s", argv[0], strerror(errno));
	for (int i = 0; i < 2; i++) {
		if (go[i] >= 0)
			close(go[i]);
		if (report[i] >= 0)
			close(report[i]);
	}
	return -EAGAIN;
}

static void wait_child(struct ptd_command *cmd)
{
	pid_t r;

	do
		r = waitpid(cmd->pid, &cmd->status, 0);
	while (r < 0 && errno == EINTR);
	cmd->reaped = 1;
	cmd->running = 0;
}

int ptd_command_release(struct ptd_command *cmd, const char *name, char *err,
			size_t errlen)
{
	struct child_report r;
	ssize_t n;

	do
		n = write(cmd->go_fd, "g", 1);
	while (n < 0 && errno == EINTR);
	close(cmd->go_fd);
	cmd->go_fd = -1;
	cmd->running = 1;
	/* Closed by the execve(); a report when it failed (or the identity
	 * change before it). */
	do
		n = read(cmd->report_fd, &r, sizeof(r));
	while (n < 0 && errno == EINTR);
	close(cmd->report_fd);
	cmd->report_fd = -1;
	if (n == (ssize_t)sizeof(r)) {
		wait_child(cmd);
		if (r.stage == 1)
			snprintf(err, errlen,
				 "%s: cannot run as the user of sudo (SUDO_UID %s): %s",
				 name, getenv("SUDO_UID"), strerror(r.err));
		else
			snprintf(err, errlen, "%s: %s", name, strerror(r.err));
		return -r.err;
	}
	cmd->pidfd = (int)syscall(SYS_pidfd_open, cmd->pid, 0);
	if (cmd->pidfd < 0) {
		snprintf(err, errlen, "cannot watch %s (pid %d): pidfd_open: %s",
			 name, (int)cmd->pid, strerror(errno));
		return -errno;
	}
	fcntl(cmd->pidfd, F_SETFD, FD_CLOEXEC);
	return 0;
}

void ptd_command_abandon(struct ptd_command *cmd)
{
	if (!cmd->pid || cmd->reaped)
		return;
	if (cmd->go_fd >= 0) {
		/* EOF on its pipe: it exits without running anything. */
		close(cmd->go_fd);
		cmd->go_fd = -1;
	} else {
		kill(cmd->pid, SIGKILL);
	}
	wait_child(cmd);
}

int ptd_command_reap(struct ptd_command *cmd)
{
	pid_t r;

	if (cmd->reaped)
		return 1;
	if (!cmd->pid)
		return 0;
	do
		r = waitpid(cmd->pid, &cmd->status, WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r != cmd->pid)
		return 0;
	cmd->reaped = 1;
	cmd->running = 0;
	return 1;
}

void ptd_command_signal(struct ptd_command *cmd, int signo)
{
	if (cmd->running && !cmd->reaped)
		kill(cmd->pid, signo);
}

int ptd_command_exit_code(const struct ptd_command *cmd, char *how,
			  size_t howlen)
{
	int st = cmd->status;

	if (WIFSIGNALED(st)) {
		const char *name = sigabbrev_np(WTERMSIG(st));

		snprintf(how, howlen, "was killed by signal %d (SIG%s)",
			 WTERMSIG(st), name ? name : "?");
		return 128 + WTERMSIG(st);
	}
	snprintf(how, howlen, "exited with status %d", WEXITSTATUS(st));
	return WEXITSTATUS(st);
}

void ptd_command_close(struct ptd_command *cmd)
{
	if (cmd->go_fd >= 0)
		close(cmd->go_fd);
	if (cmd->report_fd >= 0)
		close(cmd->report_fd);
	if (cmd->pidfd >= 0)
		close(cmd->pidfd);
	cmd->go_fd = cmd->report_fd = cmd->pidfd = -1;
}
