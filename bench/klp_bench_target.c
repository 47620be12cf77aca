// SPDX-License-Identifier: GPL-2.0
/*
 * The module that the bench's livepatches patch (scripts/bench.sh).
 *
 * Writing N to the parameter "run" calls klp_bench_fn() N times and
 * records the time the calls took; "last" reads back
 * "<calls> <ns> <sum>".  klp_bench_fn() adds 1 to its argument, the C
 * replacement adds 2 and the Rust one 3, so the sum tells which function
 * served every call.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

static noinline unsigned long klp_bench_fn(unsigned long x)
{
	return x + 1;
}

/* Called through a pointer, so the compiler can neither inline nor hoist it. */
static unsigned long (*volatile bench_fn)(unsigned long) = klp_bench_fn;

static unsigned long last_calls, last_sum;
static u64 last_ns;

static int run_set(const char *val, const struct kernel_param *kp)
{
	unsigned long n, i, sum = 0;
	u64 start;
	int ret;

	ret = kstrtoul(val, 0, &n);
	if (ret)
		return ret;

	start = ktime_get_ns();
	for (i = 0; i < n; i++)
		sum = bench_fn(sum);
	last_ns = ktime_get_ns() - start;
	last_calls = n;
	last_sum = sum;
	return 0;
}

static const struct kernel_param_ops run_ops = {
	.set = run_set,
};
module_param_cb(run, &run_ops, NULL, 0200);
MODULE_PARM_DESC(run, "call klp_bench_fn() this many times");

static int last_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%lu %llu %lu\n", last_calls, last_ns, last_sum);
}

static const struct kernel_param_ops last_ops = {
	.get = last_get,
};
module_param_cb(last, &last_ops, NULL, 0444);
MODULE_PARM_DESC(last, "calls, nanoseconds and sum of the last run");

static int __init klp_bench_target_init(void)
{
	return 0;
}

static void __exit klp_bench_target_exit(void)
{
}

module_init(klp_bench_target_init);
module_exit(klp_bench_target_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Livepatch bench: the patched module");
