// SPDX-License-Identifier: GPL-2.0
/*
 * One of the bench's C livepatches klp_bench_lp01..16, each built from
 * this file (scripts/bench.sh): it replaces klp_bench_fn() of
 * klp_bench_target, and its pre-patch callback returns pre_patch_ret,
 * which can be written at any time, so that the next load of
 * klp_bench_target is refused at this patch.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/module.h>

static int pre_patch_ret;
module_param(pre_patch_ret, int, 0644);
MODULE_PARM_DESC(pre_patch_ret, "return value of the pre-patch callback (default=0)");

static unsigned long livepatch_klp_bench_fn(unsigned long x)
{
	return x + 2;
}

static int pre_patch_callback(struct klp_object *obj)
{
	return READ_ONCE(pre_patch_ret);
}

static struct klp_func funcs[] = {
	{
		.old_name = "klp_bench_fn",
		.new_func = livepatch_klp_bench_fn,
	}, { }
};

static struct klp_object objs[] = {
	{
		.name = "klp_bench_target",
		.funcs = funcs,
		.callbacks = {
			.pre_patch = pre_patch_callback,
		},
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init klp_bench_lp_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit klp_bench_lp_exit(void)
{
}

module_init(klp_bench_lp_init);
module_exit(klp_bench_lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("Livepatch bench: a C livepatch of klp_bench_target");
