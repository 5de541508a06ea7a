/* Cost of opening an index through the C API: wall time per cb_engine_open (p50, p99 over N
 * opens) and the resident memory one open engine adds. Usage:
 *   bench_open INDEX [N]
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

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s INDEX [N]\n", argv[0]); return 2; }
    int n = argc > 2 ? atoi(argv[2]) : 50;
    double *ms = calloc((size_t)n, sizeof *ms);
    /* Resident memory of one open engine that has answered one question (a mapped file's
     * pages count once touched, as a copy's do). */
    long before = resident_kb(), anon_before = anonymous_kb();
    cb_engine *e = NULL;
    if (cb_engine_open(argv[1], &e) != CB_OK) { fprintf(stderr, "%s\n", cb_last_error()); return 1; }
    cb_result *r = NULL;
    cb_match(e, "comment poser des congés", 5, &r);
    cb_result_free(r);
    long added = resident_kb() - before, anon_added = anonymous_kb() - anon_before;
    cb_engine_free(e);
    for (int i = 0; i < n; i++) {
        double t0 = now_ms();
        if (cb_engine_open(argv[1], &e) != CB_OK) { fprintf(stderr, "%s\n", cb_last_error()); return 1; }
        ms[i] = now_ms() - t0;
        cb_engine_free(e);
    }
    qsort(ms, (size_t)n, sizeof *ms, by_value);
    printf("open p50 %.2f ms  p99 %.2f ms  after open + 1 match: resident +%.1f MB, of which private +%.1f MB\n",
           ms[n / 2], ms[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1], added / 1024.0, anon_added / 1024.0);
    free(ms);
    return 0;
}
