/* Unit tests for src/verify/range.c: the conditions the chunker writes
 * pass; anything that could do more than compare values is refused. */
#include "verify/range.h"

#include <string.h>

static void accepts(const char *cond, wharf_range_mode mode)
{
    const char *why = NULL;
    gsize at = 0;
    gboolean ok = wharf_range_check(cond, mode, &why, &at);
    if (!ok)
        g_test_message("refused '%s': %s at %zu", cond, why, at);
    g_assert_true(ok);
}

static void refuses(const char *cond, wharf_range_mode mode, const char *why_part)
{
    const char *why = NULL;
    gsize at = 0;
    g_assert_false(wharf_range_check(cond, mode, &why, &at));
    g_assert_nonnull(why);
    g_test_message("'%s': %s at %zu", cond, why, at);
    if (why_part)
        g_assert_nonnull(strstr(why, why_part));
    g_assert_cmpuint(at, <=, strlen(cond));
}

static void test_chunker_shapes(void)
{
    const wharf_range_mode C = WHARF_RANGE_CHUNK;
    accepts("`id` < 251", C);
    accepts("`id` >= 251 AND `id` < 501", C);
    accepts("`id` >= -9223372036854775808 AND `id` < -5", C);
    accepts("`we ird``name` >= 0", C);
    accepts("`k` >= _utf8mb4 0x6162 COLLATE utf8mb4_general_ci AND `k` < _latin1 '' COLLATE latin1_bin", C);
    accepts("`a` >= 5 AND (`a` > 5 OR (`a` = 5 AND `b` >= 'x\\'y''z')) AND `a` <= 9 AND (`a` < 9 OR (`a` = 9 AND `b` < 0x00FF))", C);
    accepts("`d` >= '2024-01-01 00:00:00' AND `d` < 12.50 AND `e` <=> 1e-5", C);
    accepts("NOT (`a` IS NULL) AND `b` IS NOT NULL OR `c` <> 1 AND `c` != 2", C);
    accepts("(`a`, `b`) >= (1, 2)", C);
    accepts("  `id`\n<\t3  ", C);
}

static void test_hostile(void)
{
    const wharf_range_mode C = WHARF_RANGE_CHUNK, W = WHARF_RANGE_WHERE;
    refuses("1=1 OR SLEEP(5)", C, "bare word");
    refuses("1=1 OR SLEEP(5)", W, "function call");
    refuses("`id` < 5 OR `sleep`(5)", C, "function call");
    refuses("`id` < (SELECT MAX(id) FROM t)", C, "bare word");
    refuses("`id` < (SELECT 1)", W, "query");
    refuses("`id` < 5; DROP TABLE t", C, ";");
    refuses("`id` < 5; DROP TABLE t", W, ";");
    refuses("`id` < 5 -- x", C, "comment");
    refuses("`id` < 5 /* x */", W, "comment");
    refuses("`id` < 5 # x", C, "comment");
    refuses("`id` < @x", C, "variable");
    refuses("`id` < @@version", W, "variable");
    refuses("`id` < 5) OR (1", C, "unbalanced");
    refuses("(`id` < 5", C, "unbalanced");
    refuses("`id` < 'abc", C, "unterminated");
    refuses("`id", C, "unterminated");
    refuses("", C, "empty");
    refuses("   ", W, "empty");
    refuses("`a` < 5 + 1", C, NULL);
    refuses("`a` < 0x", C, "hex");
    refuses("`a` < 12abc", C, "number");
    refuses("`a` < _utf8mb4 `b`", C, "_charset");
    refuses("`a` < 1 COLLATE", C, NULL);
    refuses("`a` < \"x\"", C, NULL);
    refuses("`a` < 1 || 1", C, NULL);
    refuses("`a` := 1", C, NULL);
    refuses("`a` < db.f(1)", W, "function call");
    refuses("`a` IN (VALUES (1))", W, "query");
    refuses("EXISTS (SELECT 1)", W, "query");
}

static void test_where(void)
{
    const wharf_range_mode W = WHARF_RANGE_WHERE;
    accepts("(id > 10)", W);
    accepts("(`t`.`c` BETWEEN 1 AND 5 AND name LIKE 'a%' AND k IN (1, 2, 3) AND v % 2 = 0)", W);
    accepts("(x = \"dq\" OR flag = TRUE OR n DIV 2 > -3)", W);
    accepts("(id > 10) AND (id < 20)", W);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/range/chunker-shapes", test_chunker_shapes);
    g_test_add_func("/range/hostile", test_hostile);
    g_test_add_func("/range/where", test_where);
    return g_test_run();
}
