// SPDX-License-Identifier: BSD-2-Clause
/* Organizations of the IEEE OUIs tcpdump names after a MAC address. */
#include "netdissect.h"

static const struct nd_tok oui_names[] = {
	{ 0x000000, "Ethernet" },
	{ 0, NULL },
};

const char *nd_oui_name(uint32_t oui)
{
	return nd_tok_find(oui_names, oui);
}
