/* `ptcpdump [flags] [expr] -- command [args]`: the command ptcpdump starts,
 * held before its execve() until the capture's process filter knows its
 * pid, so that its first packet is captured too. */
#ifndef PTD_CORE_COMMAND_H
#define PTD_CORE_COMMAND_H

#include <stddef.h>
#include <sys/types.h>

struct ptd_command {
	pid_t pid;       /* 0: not started */
	int go_fd;       /* write end: one byte lets the child exec; -1 after */
	int report_fd;   /* read end: closes at exec, or brings its errno */
	int pidfd;       /* readable once the child has exited; -1: none */
	int running;     /* released and not reaped yet */
	int status;      /* wait status, once reaped */
	int reaped;
};

/* Whether name is a command execvp() would find (PATH, as a shell
 * searches it).  0, or -ENOENT / -EACCES with err saying so in one line
 * ("foo: command not found"). */
int ptd_command_check(const char *name, char *err, size_t errlen);

/* Forks the child, which takes the invoking user's identity under sudo
 * (SUDO_UID, SUDO_GID and that user's groups; the environment is left as
 * sudo made it) and then waits, before exec, for ptd_command_release().
 * It keeps stdin, stdout and stderr.  Run before the event loop exists:
 * the child inherits the signal dispositions ptcpdump was started with.
 * 0 or -errno with err. */
int ptd_command_spawn(struct ptd_command *cmd, char *const argv[], char *err,
		      size_t errlen);

/* Lets the child exec and waits until it has (or failed to: -errno with
 * err; the child is reaped then).  Then cmd->pidfd polls readable when it
 * exits. */
int ptd_command_release(struct ptd_command *cmd, const char *name, char *err,
			size_t errlen);

/* A child that was never released (the capture failed to start): it is
 * told to go away without running anything, and reaped. */
void ptd_command_abandon(struct ptd_command *cmd);

/* Reaps the child if it has exited: 1 then, 0 while it runs. */
int ptd_command_reap(struct ptd_command *cmd);

/* Sends signo to the running child. */
void ptd_command_signal(struct ptd_command *cmd, int signo);

/* The exit status a shell would give: the child's, or 128 + the signal
 * that killed it.  Writes "exited with status N" or "was killed by signal
 * N (NAME)" to how. */
int ptd_command_exit_code(const struct ptd_command *cmd, char *how,
			  size_t howlen);

void ptd_command_close(struct ptd_command *cmd);

#endif
