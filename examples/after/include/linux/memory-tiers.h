/* SPDX-License-Identifier: MIT */
#ifndef _LINUX_MEMORY_TIERS_H
#define _LINUX_MEMORY_TIERS_H

#ifdef CONFIG_NUMA_MIGRATION
int next_demotion_node(int node);
int node_is_toptier(int node);
#else
static inline int next_demotion_node(int node) { return -1; }
static inline int node_is_toptier(int node) { return 1; }
#endif /* CONFIG_NUMA_MIGRATION */

#endif /* _LINUX_MEMORY_TIERS_H */
