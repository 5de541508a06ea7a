/* Hot reload: cb_engine_reload under load.
 *
 *   test_reload [--valgrind]
 *
 * Four threads call cb_match on one engine while a fifth reloads it 1000 times,
 * alternating between two index files whose items differ (--valgrind keeps fewer latency
 * samples; the run takes about 1.5 minutes under valgrind). Every call
 * must succeed and name an item of one of the two indexes. Each matching thread times its
 * calls; the p50/p99 latency with and without concurrent reloads is printed (the reload
 * pause a host sees). Also the error paths: a failed reload leaves the old index in place. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "chatbot.h"
#include "check.h"

static char dir[256];
static char index_a[300], index_b[300];
static cb_engine *engine;
static atomic_int reloading;
static atomic_long failures;
static atomic_long bad_ids;
static long reloads = 1000;
static long per_thread = 0; /* 0: until the reloads are done */

static const char *const source_a =
    "conges\tcomment poser des congés\nconges\tje veux prendre des vacances\n"
    "badge\tj'ai perdu mon badge\nbadge\tbadge perdu que faire\n"
    "salaire\tquand est versé le salaire\nsalaire\tdate de paiement de la paie\n";
static const char *const source_b =
    "vacances\tcomment poser des congés\nvacances\tje veux prendre des vacances\n"
    "acces\tj'ai perdu mon badge\nacces\tbadge perdu que faire\n"
    "paie\tquand est versé le salaire\npaie\tdate de paiement de la paie\n"
    "mutuelle\tcomment adhérer à la mutuelle\n";
static const char *const questions[] = {"comment poser des congés", "j'ai perdu mon badge", "quand est versé le salaire ?",
                                        "mutuelle", "quelle est la couleur du ciel"};

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static void build_index(const char *name, const char *tsv, char *out, size_t size) {
    char src[300];
    snprintf(src, sizeof src, "%s/%s.tsv", dir, name);
    FILE *f = fopen(src, "wb");
    fputs(tsv, f);
    fclose(f);
    snprintf(out, size, "%s/%s.cbindex", dir, name);
    cb_engine *e = NULL;
    CHECK_STATUS(cb_engine_build(src, NULL, &e), CB_OK);
    CHECK_STATUS(cb_engine_save(e, out), CB_OK);
    cb_engine_free(e);
    unlink(src);
}

static int known_id(const char *id) {
    const char *ids[] = {"conges", "badge", "salaire", "vacances", "acces", "paie", "mutuelle"};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        if (id && strcmp(id, ids[i]) == 0) return 1;
    return 0;
}

typedef struct {
    double *calm, *busy;
    long n_calm, n_busy, cap;
} samples;

static void *matcher(void *arg) {
    samples *s = arg;
    for (long i = 0; per_thread ? i < per_thread : atomic_load(&reloading) != 2; i++) {
        int busy = atomic_load(&reloading) == 1;
        double t0 = now_us();
        cb_result *r = NULL;
        cb_status st = cb_match(engine, questions[i % 5], 3, &r);
        double dt = now_us() - t0;
        if (st != CB_OK) atomic_fetch_add(&failures, 1);
        else if (cb_result_count(r) > 0 && !known_id(cb_result_id(r, 0))) atomic_fetch_add(&bad_ids, 1);
        cb_result_free(r);
        if (busy && s->n_busy < s->cap) s->busy[s->n_busy++] = dt;
        if (!busy && s->n_calm < s->cap) s->calm[s->n_calm++] = dt;
    }
    return NULL;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double percentile(double *v, long n, double p) {
    if (n == 0) return 0;
    qsort(v, (size_t)n, sizeof *v, by_value);
    return v[(long)(p * (double)(n - 1))];
}

int main(int argc, char **argv) {
    int valgrind = 0, mapped = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--valgrind") == 0) valgrind = 1;
        if (strcmp(argv[i], "--map") == 0) mapped = 1; /* CB_OPEN_MAP: every reload maps and verifies too */
    }
    snprintf(dir, sizeof dir, "/tmp/cb-c-reload-XXXXXX");
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 2; }
    build_index("a", source_a, index_a, sizeof index_a);
    build_index("b", source_b, index_b, sizeof index_b);
    cb_open_params open_params = cb_open_default_params();
    open_params.mode = mapped ? CB_OPEN_MAP : CB_OPEN_COPY;
    CHECK_STATUS(cb_engine_open_with_params(index_a, &open_params, &engine), CB_OK);
    if (!engine) return check_summary();

    /* Error paths: the old index stays. */
    char missing[320], corrupt[320];
    snprintf(missing, sizeof missing, "%s/absent.cbindex", dir);
    CHECK_STATUS(cb_engine_reload(engine, missing), CB_ERR_IO);
    snprintf(corrupt, sizeof corrupt, "%s/corrupt.cbindex", dir);
    FILE *f = fopen(corrupt, "wb");
    fputs("CBINDEX", f);
    fclose(f);
    CHECK_STATUS(cb_engine_reload(engine, corrupt), CB_ERR_INVALID_INDEX);
    CHECK_STATUS(cb_engine_reload(engine, NULL), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_engine_reload(NULL, index_b), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_engine_reload(engine, "\xff"), CB_ERR_INVALID_UTF8);
    cb_result *r = NULL;
    CHECK_STATUS(cb_match(engine, "j'ai perdu mon badge", 1, &r), CB_OK);
    CHECK_STR(cb_result_id(r, 0), "badge");
    cb_result_free(r);

    /* A reload switches the answers; results taken before stay valid. */
    cb_result *before = NULL;
    CHECK_STATUS(cb_match(engine, "j'ai perdu mon badge", 1, &before), CB_OK);
    CHECK_STATUS(cb_engine_reload(engine, index_b), CB_OK);
    CHECK_STATUS(cb_match(engine, "j'ai perdu mon badge", 1, &r), CB_OK);
    CHECK_STR(cb_result_id(r, 0), "acces");
    CHECK_STR(cb_result_id(before, 0), "badge");
    size_t items = 0;
    CHECK_STATUS(cb_engine_item_count(engine, &items), CB_OK);
    CHECK(items == 4, "items after reload %zu", items);
    cb_result_free(r);
    cb_result_free(before);

    /* Under load. */
    enum { THREADS = 4 };
    long cap = valgrind ? 20000 : 2000000;
    pthread_t threads[THREADS];
    samples s[THREADS];
    for (int t = 0; t < THREADS; t++) {
        s[t].calm = malloc((size_t)cap * sizeof(double));
        s[t].busy = malloc((size_t)cap * sizeof(double));
        s[t].n_calm = s[t].n_busy = 0;
        s[t].cap = cap;
        pthread_create(&threads[t], NULL, matcher, &s[t]);
    }
    usleep(valgrind ? 200000 : 200000); /* calm period first */
    atomic_store(&reloading, 1);
    long failed_reloads = 0;
    double reload_total = 0;
    for (long k = 0; k < reloads; k++) {
        double t0 = now_us();
        if (cb_engine_reload(engine, (k % 2) ? index_b : index_a) != CB_OK) failed_reloads++;
        reload_total += now_us() - t0;
    }
    atomic_store(&reloading, 2);
    for (int t = 0; t < THREADS; t++) pthread_join(threads[t], NULL);

    CHECK(failed_reloads == 0, "failed reloads %ld", failed_reloads);
    CHECK(atomic_load(&failures) == 0, "failed matches %ld", atomic_load(&failures));
    CHECK(atomic_load(&bad_ids) == 0, "unknown ids %ld", atomic_load(&bad_ids));
    long n_calm = 0, n_busy = 0;
    double *calm = malloc((size_t)(THREADS * cap) * sizeof(double)), *busy = malloc((size_t)(THREADS * cap) * sizeof(double));
    for (int t = 0; t < THREADS; t++) {
        memcpy(calm + n_calm, s[t].calm, (size_t)s[t].n_calm * sizeof(double));
        n_calm += s[t].n_calm;
        memcpy(busy + n_busy, s[t].busy, (size_t)s[t].n_busy * sizeof(double));
        n_busy += s[t].n_busy;
        free(s[t].calm);
        free(s[t].busy);
    }
    CHECK(n_busy > 0, "matches during reloads %ld", n_busy);
    printf("reload: %ld reloads (mean %.0f us each) while %d threads matched: %ld calls during reloads, %ld before; "
           "match latency p50/p99 %.1f/%.1f us during reloads, %.1f/%.1f us before\n",
           reloads, reload_total / (double)reloads, THREADS, n_busy, n_calm,
           percentile(busy, n_busy, 0.5), percentile(busy, n_busy, 0.99),
           percentile(calm, n_calm, 0.5), percentile(calm, n_calm, 0.99));
    free(calm);
    free(busy);
    cb_engine_free(engine);
    unlink(index_a);
    unlink(index_b);
    unlink(corrupt);
    rmdir(dir);
    return check_summary();
}
