/* The question log through the C interface: recording matches, statistics whose figures
 * agree with the decisions, the review inbox, feedback, review actions, purge, error
 * paths, and threads recording into one log.
 *
 *   test_log [--valgrind]      (--valgrind: fewer questions per thread)
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chatbot.h"
#include "check.h"
#include "json_check.h"

static const char *const tsv_source =
    "conges\tcomment poser des congés\n"
    "conges\tje veux prendre des vacances\n"
    "badge\tj'ai perdu mon badge\n"
    "badge\tbadge perdu que faire\n"
    "salaire\tquand est versé le salaire\n"
    "salaire\tdate de paiement de la paie\n"
    "parking\toù se garer\n"
    "parking\tplace de parking pour les visiteurs\n";

static const char *const questions[] = {
    "comment poser des congés", "j'ai perdu mon badge", "quand est versé le salaire",
    "place de parking pour les visiteurs", "badge", "la recette de la tarte aux pommes",
    "quel temps fera-t-il demain à Tokyo", "congés salaire",
};
#define NQ (sizeof questions / sizeof questions[0])

static char dir[256];

/* The integer after the first `"key":` in `json`; -1 when absent. */
static long long json_int(const char *json, const char *key) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    const char *p = json ? strstr(json, pattern) : NULL;
    return p ? strtoll(p + strlen(pattern), NULL, 10) : -1;
}

static double json_double(const char *json, const char *key) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    const char *p = json ? strstr(json, pattern) : NULL;
    return p ? strtod(p + strlen(pattern), NULL) : -1;
}

/* Number of rows in an inbox array (each has one "time_ms"). */
static int count_rows(const char *json) {
    int n = 0;
    for (const char *p = json; p && (p = strstr(p, "\"time_ms\":")); p++) n++;
    return n;
}

static char *stats(cb_log *log, const cb_stats_params *p) {
    char *json = NULL;
    CHECK_STATUS(cb_log_stats_json(log, p, &json), CB_OK);
    CHECK(json && json_valid(json), "stats JSON valid: %s", json ? json : "(null)");
    return json;
}

typedef struct {
    cb_log *log;
    const cb_engine *engine;
    int count;
    int thread;
    int failures;
} worker_args;

static void *worker(void *arg) {
    worker_args *w = arg;
    char conversation[32];
    snprintf(conversation, sizeof conversation, "thread-%d", w->thread);
    cb_log_record_params rp = cb_log_default_record_params();
    rp.conversation = conversation;
    rp.latency_us = 100 + w->thread;
    for (int i = 0; i < w->count; i++) {
        cb_result *r = NULL;
        if (cb_match(w->engine, questions[(size_t)i % NQ], 3, &r) != CB_OK) { w->failures++; continue; }
        if (cb_log_record(w->log, questions[(size_t)i % NQ], r, &rp) != CB_OK) w->failures++;
        cb_result_free(r);
    }
    return NULL;
}

int main(int argc, char **argv) {
    int under_valgrind = argc > 1 && strcmp(argv[1], "--valgrind") == 0;
    snprintf(dir, sizeof dir, "/tmp/cb-test-log-XXXXXX");
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 2; }
    char src[512], path[512], path2[512];
    snprintf(src, sizeof src, "%s/kb.tsv", dir);
    snprintf(path, sizeof path, "%s/log.db", dir);
    snprintf(path2, sizeof path2, "%s/threads.db", dir);
    FILE *f = fopen(src, "w");
    fputs(tsv_source, f);
    fclose(f);
    cb_engine *engine = NULL;
    CHECK_STATUS(cb_engine_build(src, NULL, &engine), CB_OK);
    if (!engine) return check_summary();

    /* Defaults. */
    cb_log_params lp = cb_log_default_params();
    CHECK(lp.size == sizeof lp && lp.queue_capacity == 0 && lp.read_only == 0 && lp.max_matches == 0, "log defaults");
    cb_log_record_params rp = cb_log_default_record_params();
    CHECK(rp.size == sizeof rp && rp.kind == CB_LOG_KIND_QUESTION && rp.latency_us < 0 && rp.time_ms == 0 &&
              !rp.conversation && !rp.channel && !rp.kb_version, "record defaults");
    cb_stats_params sp = cb_stats_default_params();
    CHECK(sp.size == sizeof sp && sp.by_week == 1 && sp.since_ms == 0 && sp.until_ms == 0 && !sp.engine && sp.top == 0,
          "stats defaults");

    CHECK(rp.id_out == NULL, "record defaults: queued");

    /* A synchronous record returns the row's id at once, for feedback right after the reply;
     * the question is masked before it is stored. */
    {
        char sync_path[600];
        snprintf(sync_path, sizeof sync_path, "%s/sync.db", dir);
        cb_log *slog = NULL;
        CHECK_STATUS(cb_log_open(sync_path, NULL, &slog), CB_OK);
        cb_result *sr = NULL;
        CHECK_STATUS(cb_match(engine, "j'ai perdu mon badge", 5, &sr), CB_OK);
        int64_t row_id = 0;
        cb_log_record_params sync = cb_log_default_record_params();
        sync.conversation = "conv-sync";
        sync.id_out = &row_id;
        CHECK_STATUS(cb_log_record(slog, "j'ai perdu mon badge, joignez-moi au 06 12 34 56 78", sr, &sync), CB_OK);
        CHECK(row_id > 0, "synchronous id %lld", (long long)row_id);
        CHECK_STATUS(cb_log_feedback(slog, row_id, CB_FEEDBACK_RELEVANT), CB_OK);
        char *inbox = NULL;
        CHECK_STATUS(cb_log_inbox_json(slog, NULL, 10, &inbox), CB_OK);
        CHECK(inbox && strstr(inbox, "joignez-moi au [TELEPHONE]") && !strstr(inbox, "06 12 34"), "masked: %s", inbox);
        CHECK(inbox && strstr(inbox, "\"feedback\":\"relevant\""), "feedback by the returned id: %s", inbox);
        cb_string_free(inbox);
        cb_result_free(sr);
        cb_log_free(slog);
        unlink(sync_path);
        char side[700];
        snprintf(side, sizeof side, "%s-wal", sync_path);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", sync_path);
        unlink(side);
    }

    /* Record every question twice, counting the decisions ourselves. */
    cb_log *log = NULL;
    CHECK_STATUS(cb_log_open(path, NULL, &log), CB_OK);
    if (!log) return check_summary();
    int answered = 0, suggested = 0, fallbacks = 0, typed = 0;
    rp.conversation = "conv-1";
    rp.channel = "web";
    rp.kb_version = "test-kb";
    rp.latency_us = 250;
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < NQ; i++) {
            cb_result *r = NULL;
            CHECK_STATUS(cb_match(engine, questions[i], 5, &r), CB_OK);
            switch (cb_result_decision(r)) {
            case CB_DECISION_ANSWER: answered++; break;
            case CB_DECISION_SUGGEST: suggested++; break;
            default: fallbacks++; break;
            }
            typed++;
            CHECK_STATUS(cb_log_record(log, questions[i], r, &rp), CB_OK);
            cb_result_free(r);
        }
    }
    /* A click and a welcome: counted apart, never as questions. */
    cb_log_record_params click = rp;
    click.kind = CB_LOG_KIND_CLICK;
    cb_result *r = NULL;
    CHECK_STATUS(cb_match(engine, "j'ai perdu mon badge", 5, &r), CB_OK);
    CHECK_STATUS(cb_log_record(log, "badge", r, &click), CB_OK);
    click.kind = CB_LOG_KIND_WELCOME;
    CHECK_STATUS(cb_log_record(log, "", r, &click), CB_OK);
    /* The JSON route: the same row as from the result. */
    char *match_json = NULL;
    CHECK_STATUS(cb_match_json(engine, "comment poser des congés", 5, &match_json), CB_OK);
    CHECK_STATUS(cb_log_record_json(log, "comment poser des congés", match_json, &rp), CB_OK);
    cb_string_free(match_json);
    typed++;
    answered++; /* checked below: that question is answered */
    CHECK_STATUS(cb_log_flush(log), CB_OK);
    size_t dropped = 99;
    CHECK_STATUS(cb_log_dropped(log, &dropped), CB_OK);
    CHECK(dropped == 0, "nothing dropped: %zu", dropped);

    char *json = stats(log, NULL);
    CHECK(json_int(json, "questions") == typed, "questions %lld, expected %d", json_int(json, "questions"), typed);
    CHECK(json_int(json, "answered") == answered, "answered %lld, expected %d", json_int(json, "answered"), answered);
    CHECK(json_int(json, "suggested") == suggested, "suggested %lld, expected %d", json_int(json, "suggested"), suggested);
    CHECK(json_int(json, "fallbacks") == fallbacks, "fallbacks %lld, expected %d", json_int(json, "fallbacks"), fallbacks);
    CHECK(json_int(json, "clicks") == 1 && json_int(json, "welcomes") == 1, "clicks and welcome: %s", json);
    CHECK(json_int(json, "conversations") == 1, "one conversation");
    double rate = json_double(json, "answer_rate"), expected_rate = (double)answered / typed;
    CHECK(rate > expected_rate - 1e-6 && rate < expected_rate + 1e-6, "answer_rate %f, expected %f", rate, expected_rate);
    CHECK(json_int(json, "p50_latency_us") == 250, "latency p50: %s", json);
    CHECK(strstr(json, "\"never_asked\":null") && strstr(json, "\"by\":\"week\""), "no engine, by week");
    CHECK(answered > 0 && fallbacks > 0, "the fixture gives answers (%d) and fallbacks (%d)", answered, fallbacks);
    cb_string_free(json);

    sp.engine = engine;
    sp.by_week = 0;
    json = stats(log, &sp);
    CHECK(json && strstr(json, "\"never_asked\":[") && strstr(json, "\"by\":\"day\""), "never asked, by day: %s", json);
    cb_string_free(json);
    sp = cb_stats_default_params();
    sp.until_ms = 1000; /* 1970: nothing */
    json = stats(log, &sp);
    CHECK(json_int(json, "questions") == 0, "empty period");
    cb_string_free(json);

    /* Inbox. */
    char *inbox = NULL;
    CHECK_STATUS(cb_log_inbox_json(log, NULL, 1000, &inbox), CB_OK);
    CHECK(inbox && json_valid(inbox) && count_rows(inbox) == typed, "inbox lists the %d typed questions: %d", typed,
          count_rows(inbox));
    long long newest = json_int(inbox, "id");
    CHECK(newest > 0 && strstr(inbox, "\"kb_version\":\"test-kb\"") && strstr(inbox, "\"channel\":\"web\""), "row fields");
    cb_string_free(inbox);
    CHECK_STATUS(cb_log_inbox_json(log, "pending", 1000, &inbox), CB_OK);
    CHECK(count_rows(inbox) == fallbacks, "pending = fallbacks: %d vs %d", count_rows(inbox), fallbacks);
    long long pending_id = json_int(inbox, "id");
    cb_string_free(inbox);
    CHECK_STATUS(cb_log_inbox_json(log, "to_verify", 2, &inbox), CB_OK);
    CHECK(count_rows(inbox) <= 2, "limit");
    cb_string_free(inbox);
    CHECK_STATUS(cb_log_inbox_json(log, "bogus", 10, &inbox), CB_ERR_INVALID_ARGUMENT);
    CHECK(inbox == NULL, "out cleared");

    /* Feedback and review: the newest row is the answered JSON-route question. */
    CHECK_STATUS(cb_log_feedback(log, newest, CB_FEEDBACK_RELEVANT), CB_OK);
    CHECK_STATUS(cb_log_feedback(log, newest, CB_FEEDBACK_RELEVANT), CB_OK);
    CHECK_STATUS(cb_log_feedback(log, 999999, CB_FEEDBACK_WRONG), CB_ERR_NOT_FOUND);
    CHECK_STATUS(cb_log_feedback(log, newest, (cb_feedback)7), CB_ERR_INVALID_ARGUMENT);
    json = stats(log, NULL);
    CHECK(json && strstr(json, "\"relevant\":1") && strstr(json, "\"answered_precision\":1"), "feedback counted: %s", json);
    cb_string_free(json);
    CHECK_STATUS(cb_log_review(log, newest, CB_REVIEW_ACCEPT, NULL), CB_OK);
    CHECK_STATUS(cb_log_review(log, newest, CB_REVIEW_ACCEPT, NULL), CB_OK); /* idempotent */
    CHECK_STATUS(cb_log_review(log, newest, CB_REVIEW_RELINK, "badge"), CB_OK);
    CHECK_STATUS(cb_log_review(log, newest, CB_REVIEW_RELINK, NULL), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_log_review(log, newest, CB_REVIEW_ARCHIVE, "badge"), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_log_review(log, newest, (cb_review_action)9, NULL), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_log_review(log, 999999, CB_REVIEW_ARCHIVE, NULL), CB_ERR_NOT_FOUND);
    CHECK_STATUS(cb_log_review(log, pending_id, CB_REVIEW_OUT_OF_SCOPE, NULL), CB_OK);
    CHECK_STATUS(cb_log_review(log, pending_id, CB_REVIEW_OUT_OF_SCOPE, NULL), CB_OK);
    CHECK_STATUS(cb_log_inbox_json(log, NULL, 1000, &inbox), CB_OK);
    CHECK(count_rows(inbox) == typed - 2, "reviewed rows leave the inbox: %d", count_rows(inbox));
    cb_string_free(inbox);

    /* Purge: one row from 40 days ago. */
    cb_log_record_params old = rp;
    old.time_ms = 1000LL * 86400 * 365 * 50; /* 2020 */
    CHECK_STATUS(cb_log_record(log, "une vieille question", r, &old), CB_OK);
    CHECK_STATUS(cb_log_flush(log), CB_OK);
    size_t purged = 99;
    CHECK_STATUS(cb_log_purge(log, 30, &purged), CB_OK);
    CHECK(purged == 1, "purged %zu", purged);
    CHECK_STATUS(cb_log_purge(log, 30, &purged), CB_OK);
    CHECK(purged == 0, "purge again: %zu", purged);
    CHECK_STATUS(cb_log_purge(log, 30, NULL), CB_OK);
    CHECK_STATUS(cb_log_purge(log, -1, &purged), CB_ERR_INVALID_ARGUMENT);

    /* Error paths. */
    cb_log *bad = (cb_log *)1;
    CHECK_STATUS(cb_log_open(NULL, NULL, &bad), CB_ERR_INVALID_ARGUMENT);
    CHECK(bad == NULL, "out cleared");
    CHECK_STATUS(cb_log_open(path, NULL, NULL), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_log_open("/nonexistent-dir/sub/log.db", NULL, &bad), CB_ERR_IO);
    CHECK(bad == NULL && strstr(cb_last_error(), "nonexistent-dir"), "unwritable path: %s", cb_last_error());

    /* A postgresql:// location that cannot be reached (nothing listens on port 1), or, on a
     * host without libpq (CB_EXPECT_NO_LIBPQ=1, Tests/C/run.sh hides it), a clear error;
     * the password never appears in it. */
    {
        cb_log *pg = NULL;
        CHECK_STATUS(cb_log_open("postgresql://bot:s3cret@127.0.0.1:1/chatbot", NULL, &pg), CB_ERR_IO);
        const char *e = cb_last_error();
        CHECK(pg == NULL && strstr(e, "postgresql://bot:***@127.0.0.1:1/chatbot") && !strstr(e, "s3cret"), "unreachable server: %s", e);
        const char *no_libpq = getenv("CB_EXPECT_NO_LIBPQ");
        if (no_libpq && strcmp(no_libpq, "1") == 0)
            CHECK(strstr(e, "needs libpq") && strstr(e, "apt-get install libpq5"), "without libpq: %s", e);
        else
            CHECK(strstr(e, "cannot connect to"), "with libpq: %s", e);
    }
    CHECK_STATUS(cb_log_open("\xc3\x28", NULL, &bad), CB_ERR_INVALID_UTF8);
    cb_log_params wrong = cb_log_default_params();
    wrong.size = 3;
    CHECK_STATUS(cb_log_open(path, &wrong, &bad), CB_ERR_INVALID_ARGUMENT);
    wrong = cb_log_default_params();
    wrong.max_matches = 101;
    CHECK_STATUS(cb_log_open(path, &wrong, &bad), CB_ERR_INVALID_ARGUMENT);
    cb_log_record_params wrong_rp = rp;
    wrong_rp.size = 5;
    CHECK_STATUS(cb_log_record(log, "q", r, &wrong_rp), CB_ERR_INVALID_ARGUMENT);
    wrong_rp = rp;
    wrong_rp.kind = (cb_log_kind)5;
    CHECK_STATUS(cb_log_record(log, "q", r, &wrong_rp), CB_ERR_INVALID_ARGUMENT);
    cb_stats_params wrong_sp = cb_stats_default_params();
    wrong_sp.size = 1;
    CHECK_STATUS(cb_log_stats_json(log, &wrong_sp, &json), CB_ERR_INVALID_ARGUMENT);
    CHECK(json == NULL, "out cleared");
    wrong_sp = cb_stats_default_params();
    wrong_sp.since_ms = 2000;
    wrong_sp.until_ms = 1000;
    CHECK_STATUS(cb_log_stats_json(log, &wrong_sp, &json), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_log_record(NULL, "q", r, NULL), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_log_record(log, NULL, r, NULL), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_log_record(log, "q", NULL, NULL), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_log_record(log, "\xc3\x28", r, NULL), CB_ERR_INVALID_UTF8);
    CHECK_STATUS(cb_log_record(log, "q", (const cb_result *)engine, NULL), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_log_record((cb_log *)engine, "q", r, NULL), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_log_record_json(log, "q", "{\"decision\":\"maybe\"}", NULL), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_log_record_json(log, "q", "not json", NULL), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_log_flush(NULL), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_log_dropped(log, NULL), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_log_stats_json(log, NULL, NULL), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_log_inbox_json(NULL, NULL, 10, &inbox), CB_ERR_INVALID_ARGUMENT);
    cb_result_free(r);
    cb_log_free(NULL);

    /* A second handle on the same file, read-only: sees the rows, refuses writes. */
    cb_log_params ro = cb_log_default_params();
    ro.read_only = 1;
    cb_log *reader = NULL;
    CHECK_STATUS(cb_log_open(path, &ro, &reader), CB_OK);
    json = stats(reader, NULL);
    CHECK(json_int(json, "questions") == typed + 1, "reader sees %lld questions", json_int(json, "questions"));
    cb_string_free(json);
    CHECK_STATUS(cb_log_feedback(reader, newest, CB_FEEDBACK_WRONG), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_log_flush(reader), CB_OK);
    cb_log_free(reader);
    char missing[512];
    snprintf(missing, sizeof missing, "%s/missing.db", dir);
    CHECK_STATUS(cb_log_open(missing, &ro, &reader), CB_ERR_IO);
    cb_log_free(log);

    /* 8 threads recording into one log: no row lost. */
    int per_thread = under_valgrind ? 10 : 500;
    CHECK_STATUS(cb_log_open(path2, NULL, &log), CB_OK);
    pthread_t threads[8];
    worker_args args[8];
    for (int t = 0; t < 8; t++) {
        args[t] = (worker_args){log, engine, per_thread, t, 0};
        pthread_create(&threads[t], NULL, worker, &args[t]);
    }
    int failures = 0;
    for (int t = 0; t < 8; t++) {
        pthread_join(threads[t], NULL);
        failures += args[t].failures;
    }
    CHECK(failures == 0, "thread failures: %d", failures);
    CHECK_STATUS(cb_log_flush(log), CB_OK);
    CHECK_STATUS(cb_log_dropped(log, &dropped), CB_OK);
    json = stats(log, NULL);
    CHECK(json_int(json, "questions") == 8LL * per_thread && dropped == 0, "threads: %lld rows of %d (dropped %zu)",
          json_int(json, "questions"), 8 * per_thread, dropped);
    CHECK(json_int(json, "conversations") == 8, "8 conversations");
    cb_string_free(json);
    cb_log_free(log);

    /* A tiny queue drops rows and counts them, never blocks. */
    cb_log_params tiny = cb_log_default_params();
    tiny.queue_capacity = 1;
    char path3[512];
    snprintf(path3, sizeof path3, "%s/tiny.db", dir);
    CHECK_STATUS(cb_log_open(path3, &tiny, &log), CB_OK);
    CHECK_STATUS(cb_match(engine, "badge", 3, &r), CB_OK);
    for (int i = 0; i < 200; i++) cb_log_record(log, "badge", r, NULL);
    cb_result_free(r);
    CHECK_STATUS(cb_log_flush(log), CB_OK);
    CHECK_STATUS(cb_log_dropped(log, &dropped), CB_OK);
    json = stats(log, NULL);
    CHECK(json_int(json, "questions") + (long long)dropped == 200, "written %lld + dropped %zu = 200",
          json_int(json, "questions"), dropped);
    cb_string_free(json);
    cb_log_free(log);

    cb_engine_free(engine);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", dir);
    return check_summary();
}
