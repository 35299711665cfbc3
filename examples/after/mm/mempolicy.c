// SPDX-License-Identifier: MIT
#include <linux/memory-tiers.h>

#ifdef CONFIG_NUMA_MIGRATION
static int migrate_folio_add(int folio)
{
	return folio;
}
#endif

/* mm/Makefile builds this file only when NUMA is y: the guard always holds. */
#ifdef CONFIG_NUMA
static int numa_policy(int node)
{
	return node;
}
#endif
