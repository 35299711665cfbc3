// SPDX-License-Identifier: MIT
#include <linux/memory-tiers.h>

#ifdef CONFIG_MIGRATION
static int top_tier_adistance;
static int node_demotion[64];
#endif /* CONFIG_MIGRATION */

#ifdef CONFIG_MIGRATION
int node_is_toptier(int node)
{
	return node < top_tier_adistance;
}
#else
static inline void establish_demotion_targets(void) {}
#endif /* CONFIG_MIGRATION */
