/* Per-call cost of handle validation: tight loops of cheap calls, with 1 and 2 threads.
 *
 *   cc -O2 -pthread -IInclude Benchmarks/bench_handles.c -o /tmp/bench_handles \
 *      -L.build/release -lchatbot -Wl,-rpath,$PWD/.build/release
 *   /tmp/bench_handles [iterations]        (default 2,000,000 per thread)
 *
 * Every libchatbot call validates its handle first (the registry of live handles, see
 * README "Errors"); these loops are dominated by that check:
 *   - cb_engine_item_count: one engine lookup, nothing else of note;
 *   - cb_result_count: one result lookup;
 *   - cb_match + cb_result_free: an engine lookup, a result registration and removal, and a
 *     real (small) match.
 * With 2 threads, both use the same engine (the shared case) and their own results.
 * Prints nanoseconds per call. For instruction counts, run under
 *   valgrind --tool=callgrind --toggle-collect=cb_engine_item_count /tmp/bench_handles 100000 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "chatbot.h"

static cb_engine *engine;
static long iterations = 2000000;
static int which;

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void *loop(void *arg) {
    (void)arg;
    size_t n = 0;
    long sink = 0;
    cb_result *r = NULL;
    if (cb_match(engine, "badge perdu", 3, &r) != CB_OK) abort();
    for (long i = 0; i < iterations; i++) {
        switch (which) {
        case 0:
            if (cb_engine_item_count(engine, &n) != CB_OK) abort();
            sink += (long)n;
            break;
        case 1:
            sink += (long)cb_result_count(r);
            break;
        default: {
            cb_result *m = NULL;
            if (cb_match(engine, "badge perdu", 3, &m) != CB_OK) abort();
            sink += (long)cb_result_count(m);
            cb_result_free(m);
        }
        }
    }
    cb_result_free(r);
    return (void *)sink;
}

static double run(int threads) {
    pthread_t t[2];
    double t0 = now_s();
    for (int i = 0; i < threads; i++) pthread_create(&t[i], NULL, loop, NULL);
    for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
    return (now_s() - t0) * 1e9 / (double)iterations; /* per call, per thread */
}

int main(int argc, char **argv) {
    if (argc > 1) iterations = atol(argv[1]);
    char dir[] = "/tmp/cb-bench-XXXXXX", src[64];
    if (!mkdtemp(dir)) return 1;
    snprintf(src, sizeof src, "%s/kb.tsv", dir);
    FILE *f = fopen(src, "w");
    fputs("badge\tj'ai perdu mon badge\nconges\tposer des congés\nsalaire\tdate de paiement du salaire\n", f);
    fclose(f);
    if (cb_engine_build(src, NULL, &engine) != CB_OK) {
        fprintf(stderr, "%s\n", cb_last_error());
        return 1;
    }
    unlink(src);
    rmdir(dir);
    const char *names[] = {"cb_engine_item_count", "cb_result_count", "cb_match+cb_result_free"};
    for (which = 0; which < 3; which++) {
        long saved = iterations;
        if (which == 2) iterations /= 20; /* a match is ~100x dearer than a lookup */
        double one = run(1), two = run(2);
        printf("%-24s 1 thread: %8.1f ns/call   2 threads: %8.1f ns/call (per thread)\n", names[which], one, two);
        iterations = saved;
    }
    cb_engine_free(engine);
    return 0;
}
