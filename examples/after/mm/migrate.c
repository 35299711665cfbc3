// SPDX-License-Identifier: MIT
/* Page migration — an example file for kconfig-ls. */
#include <linux/memory-tiers.h>

int migrate_pages(void)
{
	return 0;
}

#ifdef CONFIG_MIGRATION
int migrate_folio(int folio)
{
	return folio;
}
#endif /* CONFIG_MIGRATION */

#ifdef CONFIG_NUMA_MIGRATION
static int store_status(int *status, int start, int value, int nr)
{
	while (nr-- > 0)
		status[start++] = value;
	return 0;
}

#ifdef CONFIG_NUMA_BALANCING
int migrate_misplaced_folio(int node)
{
	return IS_ENABLED(CONFIG_MIGRATION) ? node : -1;
}
#endif /* CONFIG_NUMA_BALANCING */
#endif /* CONFIG_NUMA_MIGRATION */

/*
 * The state the reviewer commented on: "we can remove the CONFIG_NUMA check
 * as both CONFIG_NUMA_MIGRATION and CONFIG_NUMA_BALANCING depend on it".
 * kconfig-ls lint --preview reports it (redundant-guard, KLS206).
 */
#ifdef CONFIG_NUMA
#ifdef CONFIG_NUMA_MIGRATION
int numa_move_pages(int node)
{
	return node;
}
#endif /* CONFIG_NUMA_MIGRATION */

#ifdef CONFIG_NUMA_BALANCING
int numa_migrate_misplaced(int node)
{
	return node;
}
#endif /* CONFIG_NUMA_BALANCING */
#endif /* CONFIG_NUMA */
