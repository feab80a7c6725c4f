/* -Z user: give up root once every file and program is open, as tcpdump. */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"

int ptd_drop_privileges(const char *user, char *err, size_t errlen)
{
	struct passwd *pw;

	errno = 0;
	pw = getpwnam(user);
	if (!pw) {
		snprintf(err, errlen, "Couldn't find user '%s'", user);
		return -ENOENT;
	}
	if (initgroups(pw->pw_name, pw->pw_gid) < 0 || setgid(pw->pw_gid) < 0 ||
	    setuid(pw->pw_uid) < 0) {
		int rc = -errno;

		snprintf(err, errlen, "Couldn't change to '%.32s' uid=%lu gid=%lu: %s",
			 user, (unsigned long)pw->pw_uid, (unsigned long)pw->pw_gid,
			 strerror(errno));
		return rc;
	}
	return 0;
}
