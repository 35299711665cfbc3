// SPDX-License-Identifier: MIT
#include <linux/memory-tiers.h>

#ifdef CONFIG_NUMA_MIGRATION
static int migrate_folio_add(int folio)
{
	return folio;
}
#endif
