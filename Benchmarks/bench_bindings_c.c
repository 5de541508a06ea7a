/* Per-call cost of matching through the C interface: the C half of the bindings
 * comparison (the Python and PHP scripts match the same questions through their bindings).
 *
 *   bench_bindings_c ENGINE QUESTIONS [TOP_K] [ROUNDS]
 *
 * ENGINE is an index file (.cbindex) or a source (.tsv/.csv/.json) compiled on the spot;
 * QUESTIONS has one question per line (empty lines are skipped). Every question is matched
 * ROUNDS times (default 3) after one warm-up round, through:
 *   - cb_match + accessors + cb_result_free (typed result),
 *   - cb_match_json + cb_string_free,
 *   - cb_match_batch over all questions at once,
 * and the time per question is reported (best round, plus p50/p99 of single calls).
 *
 * Build:  cc -O2 -std=c11 -IInclude Benchmarks/bench_bindings_c.c -o /tmp/bench_c \
 *            -L.build/release -lchatbot -Wl,-rpath,$PWD/.build/release */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chatbot.h"

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void die(const char *what, cb_status status) {
    fprintf(stderr, "%s: %s: %s\n", what, cb_status_string(status), cb_last_error());
    exit(1);
}

/* Reads non-empty lines; the returned array and strings are never freed (process lifetime). */
static char **read_lines(const char *path, size_t *count) {
    FILE *f = fopen(path, "r");
    if (!f) { perror(path); exit(1); }
    size_t cap = 1024, n = 0;
    char **lines = malloc(cap * sizeof *lines);
    char *line = NULL;
    size_t len = 0;
    ssize_t got;
    while ((got = getline(&line, &len, f)) >= 0) {
        while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r')) line[--got] = '\0';
        if (got == 0) continue;
        if (n == cap) lines = realloc(lines, (cap *= 2) * sizeof *lines);
        lines[n++] = strdup(line);
    }
    free(line);
    fclose(f);
    *count = n;
    return lines;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s ENGINE(.cbindex|.tsv|.csv|.json) QUESTIONS [TOP_K] [ROUNDS]\n", argv[0]);
        return 2;
    }
    size_t top_k = argc > 3 ? strtoul(argv[3], NULL, 10) : 5;
    int rounds = argc > 4 ? atoi(argv[4]) : 3;
    if (rounds < 1) rounds = 1;

    cb_engine *engine = NULL;
    const char *dot = strrchr(argv[1], '.');
    cb_status st = dot && strcmp(dot, ".cbindex") == 0 ? cb_engine_open(argv[1], &engine)
                                                       : cb_engine_build(argv[1], NULL, &engine);
    if (st != CB_OK) die(argv[1], st);
    size_t n = 0;
    char **questions = read_lines(argv[2], &n);
    if (n == 0) { fprintf(stderr, "%s: no questions\n", argv[2]); return 1; }
    size_t items = 0;
    cb_engine_item_count(engine, &items);
    printf("libchatbot %s, %zu items, %zu questions, top_k %zu, best of %d rounds\n", cb_version(), items, n, top_k, rounds);

    /* Typed results, timing each call for the percentiles. */
    double *lap = malloc(n * sizeof *lap);
    double best = 1e300;
    double checksum = 0;
    for (int r = 0; r <= rounds; r++) { /* round 0 warms caches and the allocator */
        double t0 = now_us();
        for (size_t i = 0; i < n; i++) {
            double a = now_us();
            cb_result *res = NULL;
            if ((st = cb_match(engine, questions[i], top_k, &res)) != CB_OK) die("cb_match", st);
            if (cb_result_count(res) > 0) checksum += cb_result_score(res, 0) + (double)strlen(cb_result_id(res, 0));
            cb_result_free(res);
            lap[i] = now_us() - a;
        }
        double total = now_us() - t0;
        if (r > 0 && total < best) best = total;
    }
    qsort(lap, n, sizeof *lap, by_value);
    printf("cb_match + accessors + free : %7.2f us/question (last round p50 %.2f, p99 %.2f)\n", best / (double)n,
           lap[n / 2], lap[(n * 99) / 100]);

    best = 1e300;
    for (int r = 0; r <= rounds; r++) {
        double t0 = now_us();
        for (size_t i = 0; i < n; i++) {
            char *json = NULL;
            if ((st = cb_match_json(engine, questions[i], top_k, &json)) != CB_OK) die("cb_match_json", st);
            checksum += (double)json[2];
            cb_string_free(json);
        }
        double total = now_us() - t0;
        if (r > 0 && total < best) best = total;
    }
    printf("cb_match_json + free        : %7.2f us/question\n", best / (double)n);

    int32_t *indices = malloc(n * top_k * sizeof *indices);
    float *scores = malloc(n * top_k * sizeof *scores);
    int32_t *decisions = malloc(n * sizeof *decisions);
    best = 1e300;
    for (int r = 0; r <= rounds; r++) {
        double t0 = now_us();
        if ((st = cb_match_batch(engine, (const char *const *)questions, n, top_k, indices, scores, decisions)) != CB_OK)
            die("cb_match_batch", st);
        double total = now_us() - t0;
        if (r > 0 && total < best) best = total;
    }
    checksum += scores[0];
    printf("cb_match_batch (all at once): %7.2f us/question\n", best / (double)n);
    printf("(checksum %.3f)\n", checksum);

    free(lap);
    free(indices);
    free(scores);
    free(decisions);
    cb_engine_free(engine);
    return 0;
}
