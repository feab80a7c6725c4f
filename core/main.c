/* ptcpdump: parse flags, load plugins, wire backend -> enrichers ->
 * printers, run the loop, print tcpdump's statistics. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "core/core.h"
#include "core/log.h"

#ifndef PTD_PLUGIN_DIR
#define PTD_PLUGIN_DIR "/usr/lib/ptcpdump"
#endif
#ifndef PTD_CONFIG_DIR
#define PTD_CONFIG_DIR "/etc/ptcpdump/plugins.d"
#endif

#define ERRLEN 1024

struct dirs {
	char plugin_dir[PATH_MAX];
	char config_dir[PATH_MAX];
};

/* An uninstalled build keeps its plugins in <build>/plugins beside the
 * binary, with a marker naming the source tree's plugins.d. */
static int build_tree_dirs(struct dirs *d, int want_plugins, int want_config)
{
	char exe[PATH_MAX - 16], marker[PATH_MAX + 32], line[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;
	FILE *fp;

	if (n <= 0)
		return -ENOENT;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return -ENOENT;
	*slash = '\0';
	snprintf(marker, sizeof(marker), "%s/plugins/.build-tree", exe);
	fp = fopen(marker, "re");
	if (!fp)
		return -ENOENT;
	if (!fgets(line, sizeof(line), fp)) {
		fclose(fp);
		return -EINVAL;
	}
	fclose(fp);
	line[strcspn(line, "\n")] = '\0';
	if (want_plugins)
		snprintf(d->plugin_dir, sizeof(d->plugin_dir), "%s/plugins", exe);
	if (want_config)
		snprintf(d->config_dir, sizeof(d->config_dir), "%s", line);
	return 0;
}

static void resolve_dirs(struct dirs *d, const char *cli_config,
			 const char *cli_plugins)
{
	const char *env_plugins = getenv("PTCPDUMP_PLUGIN_DIR");
	const char *env_config = getenv("PTCPDUMP_CONFIG_DIR");
	const char *plugins = cli_plugins ? cli_plugins : env_plugins;
	const char *config = cli_config ? cli_config : env_config;

	snprintf(d->plugin_dir, sizeof(d->plugin_dir), "%s", PTD_PLUGIN_DIR);
	snprintf(d->config_dir, sizeof(d->config_dir), "%s", PTD_CONFIG_DIR);
	build_tree_dirs(d, !plugins, !config);
	if (plugins)
		snprintf(d->plugin_dir, sizeof(d->plugin_dir), "%s", plugins);
	if (config)
		snprintf(d->config_dir, sizeof(d->config_dir), "%s", config);
}

static struct ptd_instance *find_backend(struct ptd_core *c, char *err,
					 size_t errlen)
{
	const char *want = c->cli.backend;
	int file = c->cli.opts.read_file != NULL;

	for (size_t i = 0; i < c->reg.n; i++) {
		struct ptd_instance *in = &c->reg.inst[i];
		uint32_t caps;

		if (in->kind != PTD_KIND_BACKEND)
			continue;
		caps = ptd_as_backend(in)->caps;
		if (file && (caps & PTD_BACKEND_FILE))
			return in;
		if (!file && (caps & PTD_BACKEND_LIVE) &&
		    (!want || strcmp(want, in->section->name) == 0))
			return in;
	}
	if (file)
		snprintf(err, errlen,
			 "-r: no enabled backend plugin reads capture files (check plugins.d)");
	else if (want)
		snprintf(err, errlen,
			 "--backend %s: no enabled live capture backend of that name (check plugins.d)",
			 want);
	else
		snprintf(err, errlen,
			 "live capture is not supported yet: no live capture backend plugin is enabled (use -r FILE to read a capture file)");
	return NULL;
}

static struct ptd_instance *find_printer(struct ptd_core *c, uint32_t role)
{
	for (size_t i = 0; i < c->reg.n; i++) {
		struct ptd_instance *in = &c->reg.inst[i];

		if (in->kind == PTD_KIND_PRINTER && (ptd_as_printer(in)->roles & role))
			return in;
	}
	return NULL;
}

static int add_printer(struct ptd_core *c, uint32_t role, const char *why,
		       char *err, size_t errlen)
{
	static const char *const role_names[] = { "text", "dump", "writer" };
	struct ptd_instance *in = find_printer(c, role);
	int idx = role == PTD_PRINTER_TEXT ? 0 : role == PTD_PRINTER_DUMP ? 1 : 2;

	if (!in) {
		snprintf(err, errlen,
			 "%s: not supported: no enabled printer plugin provides %s output (check plugins.d)",
			 why, role_names[idx]);
		return -ENOTSUP;
	}
	for (size_t i = 0; i < c->n_printers; i++)
		if (c->printers[i] == in)
			return 0;
	c->printers[c->n_printers++] = in;
	return 0;
}

static int select_plugins(struct ptd_core *c, char *err, size_t errlen)
{
	const struct ptd_options *o = &c->cli.opts;
	int rc = 0;

	c->backend = find_backend(c, err, errlen);
	if (!c->backend)
		return -ENOTSUP;
	c->live = !o->read_file;
	c->printers = calloc(3, sizeof(*c->printers));
	c->enrichers = calloc(c->reg.n ? c->reg.n : 1, sizeof(*c->enrichers));
	if (!c->printers || !c->enrichers) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	/* --count and -d print nothing per packet. */
	if (c->cli.count_only || c->cli.dump_filter)
		return 0;
	if (o->write_file)
		rc = add_printer(c, PTD_PRINTER_WRITER, "-w", err, errlen);
	if (rc == 0 && (!o->write_file || o->print))
		rc = add_printer(c, PTD_PRINTER_TEXT, "printing packets", err, errlen);
	if (rc == 0 && (!o->write_file || o->print) &&
	    (o->hex || o->hex_ascii || o->ascii))
		rc = add_printer(c, PTD_PRINTER_DUMP,
				 o->ascii ? "-A" : o->hex_ascii ? "-X" : "-x", err, errlen);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < c->reg.n; i++)
		if (c->reg.inst[i].kind == PTD_KIND_ENRICHER)
			c->enrichers[c->n_enrichers++] = &c->reg.inst[i];
	return 0;
}

static int init_instance(struct ptd_core *c, struct ptd_instance *in)
{
	char err[PTD_ERRBUF_SIZE] = "";
	int rc;

	ptd_host_bind(c, in);
	if (!in->desc->init) {
		in->inited = 1;
		return 0;
	}
	rc = in->desc->init(&in->host, in->config, &in->state, err);
	if (rc < 0) {
		core_err("%s", err[0] ? err : strerror(-rc));
		return rc;
	}
	in->inited = 1;
	return 0;
}

static int start_instance(struct ptd_instance *in)
{
	char err[PTD_ERRBUF_SIZE] = "";
	int rc;

	if (!in->desc->start)
		goto started;
	rc = in->desc->start(in->state, err);
	if (rc < 0) {
		core_err("%s", err[0] ? err : strerror(-rc));
		return rc;
	}
started:
	in->started = 1;
	return 0;
}

static void stop_instance(struct ptd_instance *in)
{
	if (in && in->started && in->desc->stop)
		in->desc->stop(in->state);
	if (in)
		in->started = 0;
}

static void on_signal(void *arg, int signo)
{
	struct ptd_core *c = arg;

	switch (signo) {
	case SIGUSR1:
		if (c->live)
			ptd_core_print_stats(c);
		break;
	case SIGUSR2:
		for (size_t i = 0; i < c->n_printers; i++)
			if (ptd_as_printer(c->printers[i])->flush)
				ptd_as_printer(c->printers[i])->flush(c->printers[i]->state);
		break;
	case SIGINT:
	case SIGTERM:
	case SIGHUP:
		/* -- command: the first one is for the command (a terminal's ^C
		 * reached it already), and the capture ends when it exits; a
		 * second one ends the capture now. */
		if (c->cmd.running && !c->interrupted) {
			c->interrupted = 1;
			if (!c->loop.signal_from_kernel)
				ptd_command_signal(&c->cmd, signo);
			break;
		}
		c->stop_signal = signo;
		ptd_loop_stop(&c->loop, 0);
		break;
	default: /* SIGPIPE: finish cleanly */
		ptd_loop_stop(&c->loop, 0);
		break;
	}
}

/* The command has exited: what the kernel queued for it, then the end. */
static void on_command_exit(void *arg, int fd, uint32_t events)
{
	struct ptd_core *c = arg;
	const struct ptd_backend_plugin *b = ptd_as_backend(c->backend);

	if (!ptd_command_reap(&c->cmd))
		return;
	ptd_loop_unwatch(&c->loop, fd);
	if (PTD_HAS_MEMBER(b->common.hdr.size, struct ptd_backend_plugin, drain) &&
	    b->drain)
		b->drain(c->backend->state);
	ptd_loop_stop(&c->loop, 0);
}

/* Before the capture starts: the command, held before its exec, joins the
 * pid filter, following its forks. */
static int spawn_command(struct ptd_core *c)
{
	struct ptd_cli *cli = &c->cli;
	char err[ERRLEN];
	uint32_t *grown;

	if (ptd_command_spawn(&c->cmd, cli->command, err, sizeof(err)) < 0) {
		core_err("%s", err);
		return -1;
	}
	grown = realloc(cli->pids, (cli->n_pids + 1) * sizeof(*grown));
	if (!grown) {
		core_err("out of memory");
		ptd_command_abandon(&c->cmd);
		return -1;
	}
	cli->pids = grown;
	cli->pids[cli->n_pids++] = (uint32_t)c->cmd.pid;
	cli->opts.pids = cli->pids;
	cli->opts.n_pids = cli->n_pids;
	cli->opts.follow_forks = 1;
	return 0;
}

/* The capture is ready: the command runs.  (Its exec reaches the
 * enrichers as the backend's process events do, before its packets.) */
static int release_command(struct ptd_core *c)
{
	const char *name = c->cli.command[0];
	char err[ERRLEN];
	int rc;

	rc = ptd_command_release(&c->cmd, name, err, sizeof(err));
	if (rc < 0) {
		core_err("%s", err);
		return rc;
	}
	rc = ptd_loop_watch(&c->loop, c->cmd.pidfd, EPOLLIN, on_command_exit, c);
	if (rc < 0)
		core_err("cannot watch %s (pid %d): %s", name, (int)c->cmd.pid,
			 strerror(-rc));
	return rc;
}

/* After the statistics: how the command ended, and the exit status. */
static int command_summary(struct ptd_core *c, int status)
{
	const char *name = c->cli.command[0];
	char how[96];
	int code;

	if (!c->cmd.reaped && c->cmd.running && ptd_command_reap(&c->cmd) == 0) {
		fprintf(stderr, "ptcpdump: %s (pid %d) is still running; the capture ended before it\n",
			name, (int)c->cmd.pid);
		if (status)
			return status;
		return c->stop_signal ? 128 + c->stop_signal : 0;
	}
	if (!c->cmd.reaped)
		return status;
	code = ptd_command_exit_code(&c->cmd, how, sizeof(how));
	fprintf(stderr, "ptcpdump: %s (pid %d) %s\n", name, (int)c->cmd.pid, how);
	return status ? status : code;
}

static void print_banner(struct ptd_core *c, const struct ptd_source_info *si)
{
	const char *name = pcap_datalink_val_to_name(si->linktype);
	const char *desc = pcap_datalink_val_to_description(si->linktype);
	char num[32];

	if (!name) {
		snprintf(num, sizeof(num), "DLT %d", si->linktype);
		name = num;
	}
	if (!c->live) {
		fprintf(stderr, "reading from file %s, link-type %s (%s), snapshot length %u\n",
			si->name, name, desc ? desc : name, si->snaplen);
		return;
	}
	if (!c->cli.opts.verbose && !c->cli.opts.write_file)
		fprintf(stderr, "ptcpdump: verbose output suppressed, use -v[v]... for full protocol decode\n");
	fprintf(stderr, "listening on %s, link-type %s (%s), snapshot length %u bytes\n",
		si->name, name, desc ? desc : name, si->snaplen);
}

/* Backend up, banner, filter compiled for its link type.  Returns 1 when
 * the run is over already (-d). */
static int start_source(struct ptd_core *c)
{
	const struct ptd_backend_plugin *b = ptd_as_backend(c->backend);
	struct ptd_filter filter = {
		.expression = c->cli.expression,
		.optimize = !c->cli.no_optimize,
	};
	struct ptd_source_info si = { .name = "?", .linktype = DLT_EN10MB, .snaplen = 262144 };
	char err[ERRLEN];
	int rc;

	if (c->cli.expression && c->cli.expression[0]) {
		c->filter = ptd_ufilter_new(c->cli.expression, filter.optimize);
		if (!c->filter)
			return -ENOMEM;
	}
	if (c->filter && b->set_filter && !c->cli.dump_filter) {
		char perr[PTD_ERRBUF_SIZE] = "";

		rc = b->set_filter(c->backend->state, &filter, perr);
		if (rc < 0) {
			core_err("%s", perr[0] ? perr : strerror(-rc));
			return rc;
		}
	}
	rc = start_instance(c->backend);
	if (rc < 0)
		return rc;
	if (b->describe)
		b->describe(c->backend->state, &si);
	print_banner(c, &si);
	if (c->cli.dump_filter) {
		struct ptd_ufilter *f = c->filter ? c->filter :
					ptd_ufilter_new("", filter.optimize);

		rc = f ? ptd_ufilter_dump(f, si.linktype, si.snaplen, c->cli.dump_filter,
					  stdout, err, sizeof(err)) : -ENOMEM;
		if (f != c->filter)
			ptd_ufilter_free(f);
		if (rc < 0) {
			core_err("%s", err);
			return rc;
		}
		return 1;
	}
	if (c->filter && ptd_ufilter_prepare(c->filter, si.linktype, si.snaplen,
					     err, sizeof(err)) < 0) {
		core_err("%s", err);
		return -EINVAL;
	}
	return 0;
}

/* stdout's buffer when a file is read into a file or pipe (run_capture). */
static char offline_stdout_buf[64 * 1024];

static int run_capture(struct ptd_core *c)
{
	char err[ERRLEN];
	int rc;

	/* First, while ptcpdump holds no capture resources and its signal
	 * dispositions are still the ones it inherited. */
	if (c->cli.command && spawn_command(c) < 0)
		return 1;
	rc = ptd_loop_init(&c->loop, on_signal, c);
	if (rc < 0) {
		core_err("cannot set up the event loop: %s", strerror(-rc));
		ptd_command_abandon(&c->cmd);
		return 1;
	}
	rc = init_instance(c, c->backend);
	for (size_t i = 0; rc == 0 && i < c->n_enrichers; i++)
		rc = init_instance(c, c->enrichers[i]);
	for (size_t i = 0; rc == 0 && i < c->n_printers; i++)
		rc = init_instance(c, c->printers[i]);
	if (rc < 0) {
		ptd_command_abandon(&c->cmd);
		return 1;
	}
	rc = start_source(c);
	if (rc != 0) {
		ptd_command_abandon(&c->cmd);
		return rc > 0 ? 0 : 1;
	}
	for (size_t i = 0; rc == 0 && i < c->n_enrichers; i++)
		rc = start_instance(c->enrichers[i]);
	for (size_t i = 0; rc == 0 && i < c->n_printers; i++)
		rc = start_instance(c->printers[i]);
	if (rc < 0)
		goto out;
	if (c->cli.relinquish_user &&
	    ptd_drop_privileges(c->cli.relinquish_user, err, sizeof(err)) < 0) {
		core_err("%s", err);
		rc = -EPERM;
		goto out;
	}
	if (c->cli.command) {
		rc = release_command(c);
		if (rc < 0)
			goto out;
	}
	if (c->cli.opts.line_buffered)
		setvbuf(stdout, NULL, _IOLBF, 0);
	else if (!c->live && !isatty(STDOUT_FILENO))
		/* Reading a file into a file or pipe: text in large blocks,
		 * not one write(2) per 4 KiB.  A live capture keeps stdio's
		 * own buffer, so a reader of the pipe waits no longer than
		 * with tcpdump. */
		setvbuf(stdout, offline_stdout_buf, _IOFBF,
			sizeof(offline_stdout_buf));
	rc = ptd_loop_run(&c->loop) ? -EIO : 0;
out:
	if (rc < 0 && c->cmd.pid && !c->cmd.running)
		ptd_command_abandon(&c->cmd);
	stop_instance(c->backend);
	for (size_t i = 0; i < c->n_printers; i++) {
		const struct ptd_printer_plugin *p = ptd_as_printer(c->printers[i]);

		/* A savefile that could not be completed is a failed run. */
		if (c->printers[i]->started && p->flush &&
		    p->flush(c->printers[i]->state) < 0)
			rc = -EIO;
		stop_instance(c->printers[i]);
	}
	for (size_t i = 0; i < c->n_enrichers; i++)
		stop_instance(c->enrichers[i]);
	fflush(stdout);
	if (c->cli.count_only)
		printf("%" PRIu64 " packet%s\n", c->captured, c->captured == 1 ? "" : "s");
	if (c->live)
		ptd_core_print_stats(c);
	if (fflush(stdout) == EOF && rc == 0) {
		core_err("standard output: %s", strerror(errno));
		rc = -EIO;
	}
	if (c->cmd.pid)
		return command_summary(c, rc < 0 ? 1 : 0);
	return rc < 0 ? 1 : 0;
}

/* Plugins, flags, configuration.  Returns -1 to go on capturing, else the
 * exit status. */
static int setup(struct ptd_core *c, int argc, char **argv)
{
	const char *cli_config = NULL, *cli_plugins = NULL;
	enum ptd_log_level level = PTD_LOG_WARN;
	struct ptd_cli_plugin_flag *extra = NULL;
	size_t n_extra = 0;
	char err[ERRLEN], load_err[ERRLEN] = "";
	struct dirs d;
	int rc;

	ptd_cli_prescan(argc, argv, &cli_config, &cli_plugins, &level);
	ptd_log_set_level(level);
	resolve_dirs(&d, cli_config, cli_plugins);
	core_debug("plugins from %s, configuration from %s", d.plugin_dir, d.config_dir);
	c->conf.check_ownership = geteuid() == 0;
	rc = ptd_conf_load_dir(&c->conf, d.config_dir, load_err, sizeof(load_err));
	if (rc == 0)
		rc = ptd_registry_load(&c->reg, &c->conf, d.plugin_dir, geteuid() == 0,
				       load_err, sizeof(load_err));
	if (rc == 0 && ptd_registry_cli_flags(&c->reg, &extra, &n_extra) < 0)
		snprintf(load_err, sizeof(load_err), "out of memory");

	rc = ptd_cli_parse(&c->cli, argc, argv, extra, n_extra, err, sizeof(err));
	if (rc < 0) {
		/* Plugins that failed to load declared no flags, so their flags
		 * read as unrecognized: the load error is the one to fix. */
		core_err("%s", load_err[0] ? load_err : err);
		rc = 1;
		goto out;
	}
	ptd_log_set_level(c->cli.log_level);
	if (c->cli.version || c->cli.help) {
		if (c->cli.version)
			ptd_print_versions(stdout);
		else
			ptd_cli_usage(stdout, extra, n_extra);
		rc = 0;
		goto out;
	}
	if (c->cli.list_interfaces) {
		rc = ptd_list_interfaces(stdout) < 0;
		goto out;
	}
	if (load_err[0]) {
		core_err("%s", load_err);
		rc = 1;
		goto out;
	}
	/* Like a shell: a command that cannot be found is said before any
	 * capture starts. */
	if (c->cli.command &&
	    ptd_command_check(c->cli.command[0], err, sizeof(err)) < 0) {
		core_err("%s", err);
		rc = 1;
		goto out;
	}
	rc = ptd_registry_configure(&c->reg, c->cli.settings, c->cli.n_settings,
				    err, sizeof(err));
	if (rc == 0)
		rc = select_plugins(c, err, sizeof(err));
	if (rc < 0) {
		core_err("%s", err);
		rc = 1;
		goto out;
	}
	rc = -1;
out:
	free(extra);
	return rc;
}

int main(int argc, char **argv)
{
	struct ptd_core core;
	int status;

	memset(&core, 0, sizeof(core));
	core.loop.epfd = core.loop.sigfd = -1;
	core.cmd.go_fd = core.cmd.report_fd = core.cmd.pidfd = -1;
	status = setup(&core, argc, argv);
	if (status < 0)
		status = run_capture(&core);
	ptd_registry_free(&core.reg);
	ptd_ufilter_free(core.filter);
	free(core.printers);
	free(core.enrichers);
	ptd_conf_free(&core.conf);
	ptd_cli_free(&core.cli);
	ptd_command_close(&core.cmd);
	if (core.loop.epfd >= 0)
		ptd_loop_fini(&core.loop);
	return status;
}
