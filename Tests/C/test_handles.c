/* Freed, foreign and mistyped handles, for every handle type: engines, results,
 * diagnostics, anonymisers, question logs and the strings of cb_string_free.
 *
 *   test_handles [--valgrind]
 *
 * Every call given a handle that was freed, that never came from the library, or of another
 * type returns CB_ERR_INVALID_ARGUMENT ("invalid or freed handle (expected …)") or its
 * documented fallback value, and every free function ignores it and says so in
 * cb_last_error(). The library looks handles up in its registry of live handles and never
 * reads the memory a dead pointer names: this suite runs under valgrind and under
 * AddressSanitizer (make test-sanitizers), either of which fails the run on any read of
 * freed memory. The last part has threads make, use and free results on one engine while
 * pairs of threads race to free the same result (exactly one free may win), under
 * ThreadSanitizer too. --valgrind lowers the thread iterations.
 *
 * Between a free and the checks that follow it, the test makes no new handle of the same
 * type: the allocator could give the freed address to the new handle, which the stale
 * pointer would then name (see the README, "Errors"). */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chatbot.h"
#include "check.h"

static char dir[256];
static char source[300], index_path[300], bad_source[300], log_path[300];
static int under_valgrind;

#define HANDLE_MESSAGE(what) ("invalid or freed handle (expected " what)

/* A call refused with CB_ERR_INVALID_ARGUMENT and a message naming the expected type. */
#define CHECK_REFUSED(call, what)                                                               \
    do {                                                                                        \
        CHECK_STATUS(call, CB_ERR_INVALID_ARGUMENT);                                            \
        CHECK(strstr(cb_last_error(), HANDLE_MESSAGE(what)) != NULL, "%s: message", #call);     \
    } while (0)

/* A free function given something that is not a live handle of its type: ignored, reported. */
#define CHECK_FREE_REFUSED(call, what)                                                          \
    do {                                                                                        \
        cb_match_json(NULL, NULL, 0, NULL); /* sets some other message first */                 \
        call;                                                                                   \
        CHECK(strstr(cb_last_error(), what) != NULL, "%s: not reported", #call);                \
    } while (0)

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        exit(1);
    }
    fputs(text, f);
    fclose(f);
}

static void setup(void) {
    snprintf(dir, sizeof dir, "/tmp/cb-handles-XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        exit(1);
    }
    snprintf(source, sizeof source, "%s/kb.tsv", dir);
    snprintf(index_path, sizeof index_path, "%s/kb.cbindex", dir);
    snprintf(bad_source, sizeof bad_source, "%s/bad.tsv", dir);
    snprintf(log_path, sizeof log_path, "%s/questions.db", dir);
    write_file(source, "badge\tj'ai perdu mon badge\nbadge\tbadge perdu que faire\n"
                       "conges\tcomment poser des congés\nsalaire\tquand est versé le salaire\n");
    /* A line without a question: CB_ERR_INVALID_SOURCE with a diagnostics list. */
    write_file(bad_source, "badge\tj'ai perdu mon badge\nconges\n");
    cb_engine *e = NULL;
    CHECK_STATUS(cb_engine_build(source, NULL, &e), CB_OK);
    CHECK_STATUS(cb_engine_save(e, index_path), CB_OK);
    cb_engine_free(e);
}

static void teardown(void) {
    const char *names[] = {"kb.tsv", "kb.cbindex", "bad.tsv", "questions.db", "questions.db-wal", "questions.db-shm", "saved.cbindex"};
    char path[400];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

static cb_engine *open_engine(void) {
    cb_engine *e = NULL;
    CHECK_STATUS(cb_engine_open(index_path, &e), CB_OK);
    return e;
}

static cb_diagnostics *make_diagnostics(void) {
    cb_engine *e = NULL;
    cb_diagnostics *d = NULL;
    CHECK_STATUS(cb_engine_build_with_params(bad_source, NULL, &e, &d), CB_ERR_INVALID_SOURCE);
    CHECK(e == NULL && d != NULL && cb_diagnostics_count(d) > 0, "diagnostics of a bad source");
    return d;
}

/* Every function taking an engine, given `e` that is not a live engine. */
static void check_engine_refused(const cb_engine *e, cb_log *log) {
    cb_result *r = (cb_result *)1;
    char *s = (char *)1;
    size_t n = 7;
    const char *id = "x";
    CHECK_REFUSED(cb_match(e, "badge", 3, &r), "an engine");
    CHECK(r == NULL, "cb_match clears out");
    CHECK_REFUSED(cb_match_ex(e, "badge", 3, NULL, NULL, 0, &r), "an engine");
    cb_match_params mp = cb_match_default_params();
    CHECK_REFUSED(cb_match_with_params(e, "badge", &mp, &r), "an engine");
    CHECK_REFUSED(cb_match_json_with_params(e, "badge", &mp, &s), "an engine");
    CHECK(s == NULL, "cb_match_json_with_params clears out");
    CHECK_REFUSED(cb_match_json(e, "badge", 3, &s), "an engine");
    const char *questions[] = {"badge"};
    int32_t idx[1], dec[1];
    float sc[1];
    CHECK_REFUSED(cb_match_batch(e, questions, 1, 1, idx, sc, dec), "an engine");
    CHECK_REFUSED(cb_analyze_json(e, "badge", &s), "an engine");
    char saved[400];
    snprintf(saved, sizeof saved, "%s/saved.cbindex", dir);
    CHECK_REFUSED(cb_engine_save(e, saved), "an engine");
    CHECK(access(saved, F_OK) != 0, "nothing saved");
    CHECK_REFUSED(cb_engine_reload((cb_engine *)e, index_path), "an engine");
    CHECK_REFUSED(cb_engine_item_count(e, &n), "an engine");
    CHECK_REFUSED(cb_engine_item_id(e, 0, &id), "an engine");
    CHECK(id == NULL, "cb_engine_item_id clears out");
    CHECK_REFUSED(cb_engine_item_json(e, "badge", &s), "an engine");
    CHECK_REFUSED(cb_engine_embedding_dimension(e, &n), "an engine");
    CHECK_REFUSED(cb_engine_verify(e), "an engine");
    if (log) {
        cb_stats_params sp = cb_stats_default_params();
        sp.engine = e;
        CHECK_REFUSED(cb_log_stats_json(log, &sp, &s), "an engine");
    }
}

/* Every accessor taking a result, given `r` that is not a live result. */
static void check_result_refused(const cb_result *r, cb_log *log) {
    CHECK(cb_result_count(r) == 0, "count");
    CHECK(strstr(cb_last_error(), HANDLE_MESSAGE("a result")) != NULL, "count: message");
    CHECK(cb_result_decision(r) == CB_DECISION_FALLBACK, "decision");
    CHECK(cb_result_suggestion_count(r) == 0, "suggestion count");
    CHECK(cb_result_suggestion(r, 0) == -1, "suggestion");
    CHECK(cb_result_reply(r) == NULL, "reply");
    CHECK(cb_result_id(r, 0) == NULL, "id");
    CHECK(cb_result_item_index(r, 0) == -1, "item index");
    CHECK(cb_result_score(r, 0) == -1.0f, "score");
    CHECK(cb_result_question(r, 0) == NULL, "question");
    CHECK(cb_result_answer(r, 0) == NULL, "answer");
    CHECK(cb_result_category(r, 0) == NULL, "category");
    CHECK(strstr(cb_last_error(), HANDLE_MESSAGE("a result")) != NULL, "category: message");
    if (log) CHECK_REFUSED(cb_log_record(log, "badge", r, NULL), "a result");
}

static void check_diagnostics_refused(const cb_diagnostics *d) {
    CHECK(cb_diagnostics_count(d) == 0, "count");
    CHECK(strstr(cb_last_error(), HANDLE_MESSAGE("diagnostics")) != NULL, "count: message");
    CHECK(cb_diagnostic_severity(d, 0) == CB_SEVERITY_ERROR, "severity");
    CHECK(cb_diagnostic_row(d, 0) == -1, "row");
    CHECK(cb_diagnostic_column(d, 0) == NULL, "column");
    CHECK(cb_diagnostic_code(d, 0) == NULL, "code");
    CHECK(cb_diagnostic_message(d, 0) == NULL, "message");
    char *s = (char *)1;
    CHECK_REFUSED(cb_diagnostics_json(d, &s), "diagnostics");
    CHECK(s == NULL, "cb_diagnostics_json clears out");
}

static void check_anonymizer_refused(const cb_anonymizer *a) {
    char *s = (char *)1;
    CHECK_REFUSED(cb_anonymize(a, "mon mail est a@b.fr", &s), "an anonymizer");
    CHECK(s == NULL, "cb_anonymize clears out");
    CHECK_REFUSED(cb_anonymize_json(a, "mon mail est a@b.fr", &s), "an anonymizer");
}

static void check_log_refused(cb_log *log, const cb_result *live_result) {
    size_t n = 7;
    char *s = (char *)1;
    CHECK_REFUSED(cb_log_record(log, "badge", live_result, NULL), "a question log");
    CHECK_REFUSED(cb_log_record_json(log, "badge", "{\"decision\":\"fallback\"}", NULL), "a question log");
    CHECK_REFUSED(cb_log_flush(log), "a question log");
    CHECK_REFUSED(cb_log_dropped(log, &n), "a question log");
    CHECK_REFUSED(cb_log_feedback(log, 1, CB_FEEDBACK_RELEVANT), "a question log");
    CHECK_REFUSED(cb_log_review(log, 1, CB_REVIEW_ARCHIVE, NULL), "a question log");
    CHECK_REFUSED(cb_log_stats_json(log, NULL, &s), "a question log");
    CHECK(s == NULL, "cb_log_stats_json clears out");
    CHECK_REFUSED(cb_log_inbox_json(log, NULL, 10, &s), "a question log");
    size_t purged = 7;
    CHECK_REFUSED(cb_log_purge(log, 30, &purged), "a question log");
    CHECK(purged == 0, "cb_log_purge clears out");
    CHECK_REFUSED(cb_log_apply(log, source, NULL, &s), "a question log");
    CHECK(s == NULL, "cb_log_apply clears out");
}

/* ---------------------------------------------------------------------------------- */

static void test_use_after_free_and_double_free(void) {
    cb_log *log = NULL;
    CHECK_STATUS(cb_log_open(log_path, NULL, &log), CB_OK);
    cb_engine *e = open_engine();
    cb_result *live = NULL;
    CHECK_STATUS(cb_match(e, "badge perdu", 3, &live), CB_OK);

    /* Engine. */
    cb_engine *dead = open_engine();
    size_t n = 0;
    CHECK_STATUS(cb_engine_item_count(dead, &n), CB_OK);
    cb_engine_free(dead);
    CHECK(cb_last_error()[0] == '\0', "a good free leaves no message");
    check_engine_refused(dead, log);
    CHECK_FREE_REFUSED(cb_engine_free(dead), HANDLE_MESSAGE("an engine"));

    /* Result. */
    cb_result *r = NULL;
    CHECK_STATUS(cb_match(e, "badge perdu", 3, &r), CB_OK);
    CHECK(cb_result_count(r) > 0, "a live result");
    cb_result_free(r);
    check_result_refused(r, log);
    CHECK_FREE_REFUSED(cb_result_free(r), HANDLE_MESSAGE("a result"));

    /* Diagnostics. */
    cb_diagnostics *d = make_diagnostics();
    cb_diagnostics_free(d);
    check_diagnostics_refused(d);
    CHECK_FREE_REFUSED(cb_diagnostics_free(d), HANDLE_MESSAGE("diagnostics"));

    /* Anonymiser. */
    cb_anonymizer *a = NULL;
    CHECK_STATUS(cb_anonymizer_new(NULL, &a), CB_OK);
    cb_anonymizer_free(a);
    check_anonymizer_refused(a);
    CHECK_FREE_REFUSED(cb_anonymizer_free(a), HANDLE_MESSAGE("an anonymizer"));

    /* Question log (freed after its queue is written). */
    cb_log *gone = NULL;
    CHECK_STATUS(cb_log_open(log_path, NULL, &gone), CB_OK);
    CHECK_STATUS(cb_log_record(gone, "badge perdu", live, NULL), CB_OK);
    cb_log_free(gone);
    check_log_refused(gone, live);
    CHECK_FREE_REFUSED(cb_log_free(gone), HANDLE_MESSAGE("a question log"));

    /* Strings. */
    char *s = NULL;
    CHECK_STATUS(cb_match_json(e, "badge", 1, &s), CB_OK);
    cb_string_free(s);
    CHECK_FREE_REFUSED(cb_string_free(s), "invalid or freed string");
    CHECK_STATUS(cb_analyze_json(e, "badge", &s), CB_OK);
    cb_string_free(s);
    CHECK_FREE_REFUSED(cb_string_free(s), "invalid or freed string");

    /* The live handles were never disturbed. */
    CHECK(cb_result_count(live) > 0 && cb_result_id(live, 0) != NULL, "live result intact");
    CHECK_STATUS(cb_log_flush(log), CB_OK);
    cb_result_free(live);
    cb_engine_free(e);
    cb_log_free(log);
}

static void test_wrong_types(void) {
    cb_engine *e = open_engine();
    cb_result *r = NULL;
    CHECK_STATUS(cb_match(e, "badge perdu", 3, &r), CB_OK);
    cb_diagnostics *d = make_diagnostics();
    cb_anonymizer *a = NULL;
    CHECK_STATUS(cb_anonymizer_new(NULL, &a), CB_OK);
    cb_log *log = NULL;
    CHECK_STATUS(cb_log_open(log_path, NULL, &log), CB_OK);
    char *s = NULL;
    CHECK_STATUS(cb_match_json(e, "badge", 1, &s), CB_OK);
    void *handles[] = {e, r, d, a, log, s};

    for (size_t i = 0; i < sizeof handles / sizeof handles[0]; i++) {
        void *h = handles[i];
        if (h != (void *)e) check_engine_refused(h, log);
        if (h != (void *)r) check_result_refused(h, log);
        if (h != (void *)d) check_diagnostics_refused(h);
        if (h != (void *)a) check_anonymizer_refused(h);
        if (h != (void *)log) check_log_refused(h, r);
        /* Each free function refuses the other types and leaves the handle alive. */
        if (h != (void *)e) CHECK_FREE_REFUSED(cb_engine_free(h), HANDLE_MESSAGE("an engine"));
        if (h != (void *)r) CHECK_FREE_REFUSED(cb_result_free(h), HANDLE_MESSAGE("a result"));
        if (h != (void *)d) CHECK_FREE_REFUSED(cb_diagnostics_free(h), HANDLE_MESSAGE("diagnostics"));
        if (h != (void *)a) CHECK_FREE_REFUSED(cb_anonymizer_free(h), HANDLE_MESSAGE("an anonymizer"));
        if (h != (void *)log) CHECK_FREE_REFUSED(cb_log_free(h), HANDLE_MESSAGE("a question log"));
        if (h != (void *)s) CHECK_FREE_REFUSED(cb_string_free(h), "invalid or freed string");
    }
    /* The message names what the pointer is when it is a live handle of another type. */
    CHECK_STATUS(cb_match((const cb_engine *)r, "badge", 3, &(cb_result *){NULL}), CB_ERR_INVALID_ARGUMENT);
    CHECK(strstr(cb_last_error(), "(expected an engine, got a result)") != NULL, "kind message: %s", cb_last_error());

    /* All of them still work. */
    size_t n = 0;
    CHECK_STATUS(cb_engine_item_count(e, &n), CB_OK);
    CHECK(n == 3, "engine alive: %zu items", n);
    CHECK(cb_result_count(r) > 0, "result alive");
    CHECK(cb_diagnostics_count(d) > 0, "diagnostics alive");
    char *masked = NULL;
    CHECK_STATUS(cb_anonymize(a, "mon mail est a@b.fr", &masked), CB_OK);
    CHECK(masked && strstr(masked, "[EMAIL]"), "anonymizer alive");
    cb_string_free(masked);
    CHECK_STATUS(cb_log_flush(log), CB_OK);
    CHECK(strncmp(s, "{", 1) == 0, "string alive");

    cb_string_free(s);
    CHECK(cb_last_error()[0] == '\0', "string freed once");
    cb_log_free(log);
    CHECK(cb_last_error()[0] == '\0', "log freed once");
    cb_anonymizer_free(a);
    CHECK(cb_last_error()[0] == '\0', "anonymizer freed once");
    cb_diagnostics_free(d);
    CHECK(cb_last_error()[0] == '\0', "diagnostics freed once");
    cb_result_free(r);
    CHECK(cb_last_error()[0] == '\0', "result freed once");
    cb_engine_free(e);
    CHECK(cb_last_error()[0] == '\0', "engine freed once");
}

static void test_foreign_pointers(void) {
    cb_log *log = NULL;
    CHECK_STATUS(cb_log_open(log_path, NULL, &log), CB_OK);
    cb_engine *e = open_engine();
    cb_result *r = NULL;
    CHECK_STATUS(cb_match(e, "badge perdu", 3, &r), CB_OK);

    uint64_t stack[8] = {0};
    char *heap = malloc(64);
    memset(heap, 0xAB, 64);
    /* Pointers into live handles, past them, misaligned, small integers, a string the library
     * owns but did not hand out for cb_string_free (a result's id), a static string. */
    void *foreign[] = {stack, heap, heap + 1, (char *)e + 1, (char *)e + 8, (char *)r + 8, (char *)r - 16,
                       (void *)1, (void *)(uintptr_t)0x1000, (void *)(uintptr_t)UINTPTR_MAX,
                       (void *)cb_result_id(r, 0), (void *)cb_version()};
    for (size_t i = 0; i < sizeof foreign / sizeof foreign[0]; i++) {
        void *p = foreign[i];
        check_engine_refused(p, log);
        check_result_refused(p, log);
        check_diagnostics_refused(p);
        check_anonymizer_refused(p);
        check_log_refused(p, r);
        CHECK_FREE_REFUSED(cb_engine_free(p), HANDLE_MESSAGE("an engine"));
        CHECK_FREE_REFUSED(cb_result_free(p), HANDLE_MESSAGE("a result"));
        CHECK_FREE_REFUSED(cb_diagnostics_free(p), HANDLE_MESSAGE("diagnostics"));
        CHECK_FREE_REFUSED(cb_anonymizer_free(p), HANDLE_MESSAGE("an anonymizer"));
        CHECK_FREE_REFUSED(cb_log_free(p), HANDLE_MESSAGE("a question log"));
        CHECK_FREE_REFUSED(cb_string_free(p), "invalid or freed string");
    }
    for (int i = 0; i < 64; i++) CHECK((unsigned char)heap[i] == 0xAB, "foreign memory untouched at %d", i);
    CHECK(stack[0] == 0 && stack[7] == 0, "stack untouched");
    uintptr_t stale = (uintptr_t)heap;
    free(heap);
    /* A freed foreign block (the host's own use after free is not read either). */
    check_engine_refused((const cb_engine *)stale, log);
    CHECK_FREE_REFUSED(cb_result_free((cb_result *)stale), HANDLE_MESSAGE("a result"));

    /* NULL: ignored by the free functions, refused elsewhere with its own message. */
    cb_engine_free(NULL);
    cb_result_free(NULL);
    cb_diagnostics_free(NULL);
    cb_anonymizer_free(NULL);
    cb_log_free(NULL);
    cb_string_free(NULL);
    cb_result *none = NULL;
    CHECK_STATUS(cb_match(NULL, "x", 3, &none), CB_ERR_INVALID_ARGUMENT);
    CHECK(strstr(cb_last_error(), "engine is NULL") != NULL, "NULL engine message: %s", cb_last_error());
    CHECK_STATUS(cb_log_flush(NULL), CB_ERR_INVALID_ARGUMENT);
    CHECK(strstr(cb_last_error(), "log is NULL") != NULL, "NULL log message: %s", cb_last_error());

    cb_result_free(r);
    cb_engine_free(e);
    cb_log_free(log);
}

/* Many handles at once (the registry grows and shrinks), freed in another order. */
static void test_many_handles(void) {
    enum { N = 5000 };
    cb_engine *e = open_engine();
    cb_result **rs = calloc(N, sizeof *rs);
    char **ss = calloc(N, sizeof *ss);
    int ok = 1;
    for (int i = 0; i < N; i++) {
        ok &= cb_match(e, (i & 1) ? "badge perdu" : "congés", 2, &rs[i]) == CB_OK;
        ok &= cb_match_json(e, "salaire", 1, &ss[i]) == CB_OK;
    }
    CHECK(ok, "%d results and strings made", N);
    /* Free every third, then check that all the others still resolve and the freed do not. */
    for (int i = 0; i < N; i += 3) {
        cb_result_free(rs[i]);
        cb_string_free(ss[i]);
    }
    int alive = 1, refused = 1;
    for (int i = 0; i < N; i++) {
        if (i % 3 == 0) {
            refused &= cb_result_count(rs[i]) == 0;
        } else {
            alive &= cb_result_count(rs[i]) > 0 && cb_result_id(rs[i], 0) != NULL;
        }
    }
    CHECK(alive, "the live results resolve after removals");
    CHECK(refused, "the freed results are refused");
    for (int i = N - 1; i >= 0; i--) {
        if (i % 3 == 0) continue;
        cb_result_free(rs[i]);
        alive &= cb_last_error()[0] == '\0';
        cb_string_free(ss[i]);
        alive &= cb_last_error()[0] == '\0';
    }
    CHECK(alive, "every live handle freed once");
    free(rs);
    free(ss);
    cb_engine_free(e);
}

/* ---------------------------------------------------------------------------------- */
/* Threads                                                                              */

static cb_engine *shared;
static long rounds = 2000;
static atomic_long thread_failures;

static void *worker(void *arg) {
    (void)arg;
    for (long i = 0; i < rounds; i++) {
        cb_result *r = NULL;
        if (cb_match(shared, (i & 1) ? "badge perdu" : "congés", 3, &r) != CB_OK || cb_result_count(r) == 0) {
            atomic_fetch_add(&thread_failures, 1);
            continue;
        }
        size_t n = 0;
        if (cb_engine_item_count(shared, &n) != CB_OK || n != 3) atomic_fetch_add(&thread_failures, 1);
        cb_result_free(r);
        if (cb_last_error()[0] != '\0') atomic_fetch_add(&thread_failures, 1);
        char *s = NULL;
        if (cb_match_json(shared, "salaire", 1, &s) != CB_OK) atomic_fetch_add(&thread_failures, 1);
        cb_string_free(s);
        if (cb_last_error()[0] != '\0') atomic_fetch_add(&thread_failures, 1);
        /* No double free here: once freed, an address may go to another thread's next
         * handle at once (the race below frees twice only when no handle is being made). */
    }
    return NULL;
}

/* Two threads free the same result at the same moment: one free wins, the other is refused. */
typedef struct {
    pthread_barrier_t *start, *done;
    cb_result *volatile *victim;
    int won;
} racer;

static void *race(void *arg) {
    racer *me = arg;
    for (long i = 0; i < rounds / 4; i++) {
        pthread_barrier_wait(me->start);
        cb_result_free(*me->victim);
        if (cb_last_error()[0] == '\0') me->won++;
        pthread_barrier_wait(me->done);
    }
    return NULL;
}

static void test_threads(void) {
    shared = open_engine();
    enum { T = 4 };
    pthread_t t[T];
    for (int i = 0; i < T; i++) pthread_create(&t[i], NULL, worker, NULL);
    for (int i = 0; i < T; i++) pthread_join(t[i], NULL);
    CHECK(atomic_load(&thread_failures) == 0, "%ld failures in %d threads × %ld rounds", atomic_load(&thread_failures), T,
          rounds);

    pthread_barrier_t start, done;
    pthread_barrier_init(&start, NULL, 3);
    pthread_barrier_init(&done, NULL, 3);
    cb_result *volatile victim = NULL;
    racer a = {&start, &done, &victim, 0}, b = {&start, &done, &victim, 0};
    pthread_t ta, tb;
    pthread_create(&ta, NULL, race, &a);
    pthread_create(&tb, NULL, race, &b);
    long total = rounds / 4;
    for (long i = 0; i < total; i++) {
        cb_result *r = NULL;
        CHECK_STATUS(cb_match(shared, "badge perdu", 3, &r), CB_OK);
        victim = r;
        pthread_barrier_wait(&start);
        pthread_barrier_wait(&done);
    }
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    CHECK(a.won + b.won == total, "exactly one free of each result wins: %d + %d of %ld", a.won, b.won, total);
    pthread_barrier_destroy(&start);
    pthread_barrier_destroy(&done);
    cb_engine_free(shared);
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--valgrind") == 0) under_valgrind = 1;
    if (under_valgrind) rounds = 200;
    setup();
    test_use_after_free_and_double_free();
    test_wrong_types();
    test_foreign_pointers();
    test_many_handles();
    test_threads();
    teardown();
    return check_summary();
}
