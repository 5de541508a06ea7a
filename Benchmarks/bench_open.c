/* Cost of opening an index through the C API: wall time per cb_engine_open (p50, p99 over N
 * opens) and the resident memory one open engine adds. Usage:
 *   bench_open INDEX [N] [copy|map]     (the cb_open_mode; default copy)
 * Link against the libchatbot.so to measure (`Benchmarks/bench_open.sh` compares two). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "chatbot.h"

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static long resident_kb(void) {
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f || fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    if (f) fclose(f);
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/* Anonymous memory (kB): private to the process, unlike a mapped file's page-cache pages,
 * which every process mapping the file shares. */
static long anonymous_kb(void) {
    char line[256];
    long kb = 0;
    FILE *f = fopen("/proc/self/smaps_rollup", "r");
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "Anonymous: %ld kB", &kb) == 1) break;
    if (f) fclose(f);
    return kb;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Opens `path` in `mode`; returns the milliseconds taken, or -1 on failure. */
static double timed_open(const char *path, int mode, cb_engine **e) {
    cb_open_params params = cb_open_default_params();
    params.mode = mode;
    double t0 = now_ms();
    if (cb_engine_open_with_params(path, &params, e) != CB_OK) { fprintf(stderr, "%s\n", cb_last_error()); return -1; }
    return now_ms() - t0;
}

static double percentile(double *ms, int n, int p) {
    qsort(ms, (size_t)n, sizeof *ms, by_value);
    int k = (n * p) / 100;
    return ms[k < n ? k : n - 1];
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s INDEX [N] [copy|map]\n", argv[0]); return 2; }
    int n = argc > 2 ? atoi(argv[2]) : 50;
    if (n < 1) n = 1;
    int mode = argc > 3 && strcmp(argv[3], "map") == 0 ? CB_OPEN_MAP : CB_OPEN_COPY;
    double *ms = calloc((size_t)n, sizeof *ms), *first = calloc((size_t)n, sizeof *first);
    /* Resident memory of one open engine that has answered one question (a mapped file's
     * pages count once touched, as a copy's do). */
    long before = resident_kb(), anon_before = anonymous_kb();
    cb_engine *e = NULL;
    if (timed_open(argv[1], mode, &e) < 0) return 1;
    cb_result *r = NULL;
    cb_match(e, "comment poser des congés", 5, &r);
    cb_result_free(r);
    long added = resident_kb() - before, anon_added = anonymous_kb() - anon_before;
    cb_engine_free(e);
    /* Each round: the open, then the first match (a mapped engine verifies its contents
     * there), as a host that opens and answers at once would see them. */
    for (int i = 0; i < n; i++) {
        if ((ms[i] = timed_open(argv[1], mode, &e)) < 0) return 1;
        double t0 = now_ms();
        if (cb_match(e, "comment poser des congés", 5, &r) != CB_OK) { fprintf(stderr, "%s\n", cb_last_error()); return 1; }
        first[i] = now_ms() - t0;
        cb_result_free(r);
        cb_engine_free(e);
    }
    printf("open (%s) p50 %.2f ms  p99 %.2f ms  first match p50 %.2f ms  after open + 1 match: resident +%.1f MB, "
           "of which private +%.1f MB\n", mode == CB_OPEN_MAP ? "map" : "copy", percentile(ms, n, 50), percentile(ms, n, 99),
           percentile(first, n, 50), added / 1024.0, anon_added / 1024.0);
    free(ms);
    free(first);
    return 0;
}
