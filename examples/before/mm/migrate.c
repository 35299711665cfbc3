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

#ifdef CONFIG_NUMA

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
#endif /* CONFIG_NUMA */
